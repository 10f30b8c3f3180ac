package revoke

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/revokekit/revoke/internal/bridge"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/scrub"
)

// Client authentication method names, as registered for RFC 8414
// revocation_endpoint_auth_methods_supported (and RFC 8705 §2 for the TLS
// methods).
const (
	MethodClientSecretBasic        = "client_secret_basic"
	MethodClientSecretPost         = "client_secret_post"
	MethodClientSecretJWT          = "client_secret_jwt"
	MethodPrivateKeyJWT            = "private_key_jwt"
	MethodNone                     = "none"
	MethodTLSClientAuth            = "tls_client_auth"
	MethodSelfSignedTLSClientAuth  = "self_signed_tls_client_auth"
	MethodNoClientAuth             = "no_client_auth"
	methodClientCredentialsPending = ""
)

// ClientAssertionType is the RFC 7523 §2.2 client_assertion_type value.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// MinSecretBytes is the shortest client secret, API token or token the SDK
// accepts, white space not counted. Whatever a server echoes back is
// scrubbed of the secrets the call sent, ignoring white space (servers
// normalise and wrap it); a shorter value would match ordinary text, so it
// could be neither scrubbed reliably nor told apart from a typing mistake.
const MinSecretBytes = 8

// ClientAuth authenticates the client to the authorization server
// (RFC 6749 §2.3). The method is always explicit: the SDK never probes a
// server with several. Build one with ClientSecretBasic,
// ClientSecretBasicRaw, ClientSecretPost, PublicClient, NoClientAuth,
// PrivateKeyJWT, ClientSecretJWT, TLSClientAuth, SelfSignedTLSClientAuth or
// ClientCredentials. Values print with their secrets redacted, with every
// fmt verb, slog and encoding/json.
type ClientAuth interface {
	// Method is the RFC 8414 method name (MethodNoClientAuth for
	// NoClientAuth), or "" for ClientCredentials, whose method the adapter
	// chooses.
	Method() string
	// ClientID is the client identifier ("" for NoClientAuth).
	ClientID() string
	// Validate reports configuration mistakes (an empty or short secret, a
	// weak or broken key) so that adapters fail at construction.
	Validate() error

	clientAuth()
}

// ---- shared checks ----

// checkID refuses an empty, whitespace-only or control-character client ID.
func checkID(field, id string) error {
	switch {
	case id == "":
		return &ConfigError{Field: field, Problem: "client ID is empty: pass the client_id the server issued"}
	case strings.TrimSpace(id) == "":
		return &ConfigError{Field: field, Problem: "client ID is only white space: pass the client_id the server issued"}
	case strings.TrimSpace(id) != id:
		return &ConfigError{Field: field, Problem: "client ID has leading or trailing white space: check for a stray space or newline"}
	case strings.ContainsFunc(id, isControl):
		return &ConfigError{Field: field, Problem: "client ID contains a control character: check for a stray newline"}
	}
	return nil
}

// checkSecret refuses an empty, short, whitespace-only or
// control-character secret, never repeating it. Its length is counted
// without white space, as the scrubber matches it.
func checkSecret(field, what, secret string) error {
	switch {
	case secret == "":
		return &ConfigError{Field: field, Problem: what + " is empty: pass the client's secret, or use PublicClient for a client without one"}
	case strings.TrimSpace(secret) == "":
		return &ConfigError{Field: field, Problem: what + " is only white space: pass the client's secret"}
	case strings.TrimSpace(secret) != secret:
		return &ConfigError{Field: field, Problem: what + " has leading or trailing white space: check for a stray space or newline from the file or variable it came from"}
	case strings.ContainsFunc(secret, isControl):
		return &ConfigError{Field: field, Problem: what + " contains a control character: check for a stray newline"}
	}
	// The scrubber ignores white space, so only the other bytes tell an
	// echoed secret from ordinary text.
	switch n := scrub.Len(secret); {
	case n >= MinSecretBytes:
		return nil
	case n == len(secret):
		return &ConfigError{Field: field, Problem: fmt.Sprintf("%s is %d bytes long, shorter than %d: a secret that short cannot be kept out of echoed error text; pass the real secret", what, n, MinSecretBytes)}
	default:
		return &ConfigError{Field: field, Problem: fmt.Sprintf("%s is %d bytes long without its white space (%d with it), shorter than %d: white space does not count, because servers normalise it in echoed error text and the SDK ignores it when keeping the secret out of that text; pass the real secret", what, n, len(secret), MinSecretBytes)}
	}
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == unicode.ReplacementChar
}

// ---- client_secret_basic ----

type basicAuth struct {
	id, secret string
	raw        bool
	header     string   // the Authorization value, computed once
	values     []string // header as a header value, shared read-only
	secrets    []string // what it puts on the wire, for scrubbing
}

// ClientSecretBasic sends the client ID and secret in an HTTP Basic
// Authorization header, each first form-encoded as RFC 6749 §2.3.1 requires
// (so a secret such as "p@ss:w+rd" survives). Use ClientSecretBasicRaw for
// servers that do not decode (WSO2 and many legacy servers).
func ClientSecretBasic(id, secret string) ClientAuth {
	return newBasic(id, secret, false)
}

// ClientSecretBasicRaw sends "id:secret" in an HTTP Basic Authorization
// header without RFC 6749 §2.3.1 form-encoding, as RFC 7617 does. The client
// ID may not contain ':'.
func ClientSecretBasicRaw(id, secret string) ClientAuth {
	return newBasic(id, secret, true)
}

func newBasic(id, secret string, raw bool) *basicAuth {
	h := basicHeader(id, secret, !raw)
	return &basicAuth{id: id, secret: secret, raw: raw, header: h, values: []string{h}, secrets: []string{secret, h, h[len("Basic "):]}}
}

func basicHeader(id, secret string, encode bool) string {
	if encode {
		id, secret = url.QueryEscape(id), url.QueryEscape(secret)
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func (a *basicAuth) clientAuth()      {}
func (a *basicAuth) Method() string   { return MethodClientSecretBasic }
func (a *basicAuth) ClientID() string { return a.id }

func (a *basicAuth) name() string {
	if a.raw {
		return "ClientSecretBasicRaw"
	}
	return "ClientSecretBasic"
}

func (a *basicAuth) Validate() error {
	if err := checkID(a.name(), a.id); err != nil {
		return err
	}
	if err := checkSecret(a.name(), "client secret", a.secret); err != nil {
		return err
	}
	if a.raw && strings.Contains(a.id, ":") {
		return &ConfigError{Field: a.name(), Problem: "client ID contains ':', which raw Basic cannot carry (the server splits on the first ':'): use ClientSecretPost or ClientSecretBasic"}
	}
	return nil
}

func (a *basicAuth) ApplyAuth(_ context.Context, t *bridge.Target) error {
	t.Header["Authorization"] = a.values
	if t.Secrets == nil {
		t.Secrets = a.secrets // shared, never modified
	} else {
		t.Secrets = append(t.Secrets, a.secrets...)
	}
	return nil
}

func (a *basicAuth) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: MethodClientSecretBasic, ClientID: a.id, RawBasic: a.raw,
		BasicColon: a.raw && strings.Count(a.id+":"+a.secret, ":") != 1, SecretBytes: len(a.secret)}
}

func (a *basicAuth) Choose([]string) (any, error) { return a, nil }

func (a *basicAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke."+a.name(), [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.Quoted(a.secret)}})
}

func (a *basicAuth) LogValue() slog.Value { return authLog(a.Method(), a.id) }

func (a *basicAuth) MarshalJSON() ([]byte, error) { return authJSON(a.Method(), a.id) }

// ---- client_secret_post ----

type postAuth struct{ id, secret string }

// ClientSecretPost sends client_id and client_secret in the request body
// (RFC 6749 §2.3.1).
func ClientSecretPost(id, secret string) ClientAuth { return &postAuth{id: id, secret: secret} }

func (a *postAuth) clientAuth()      {}
func (a *postAuth) Method() string   { return MethodClientSecretPost }
func (a *postAuth) ClientID() string { return a.id }
func (a *postAuth) Validate() error {
	if err := checkID("ClientSecretPost", a.id); err != nil {
		return err
	}
	return checkSecret("ClientSecretPost", "client secret", a.secret)
}
func (a *postAuth) ApplyAuth(_ context.Context, t *bridge.Target) error {
	t.Params.Set("client_id", a.id)
	t.Params.Set("client_secret", a.secret)
	t.Secrets = append(t.Secrets, a.secret)
	return nil
}
func (a *postAuth) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: MethodClientSecretPost, ClientID: a.id, Body: true, SecretBytes: len(a.secret)}
}
func (a *postAuth) Choose([]string) (any, error) { return a, nil }
func (a *postAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.ClientSecretPost", [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.Quoted(a.secret)}})
}
func (a *postAuth) LogValue() slog.Value         { return authLog(a.Method(), a.id) }
func (a *postAuth) MarshalJSON() ([]byte, error) { return authJSON(a.Method(), a.id) }

// ---- none ----

type publicAuth struct{ id string }

// PublicClient identifies a public client (token_endpoint_auth_method
// "none") by sending only client_id in the request body (RFC 6749 §2.1).
func PublicClient(id string) ClientAuth { return &publicAuth{id: id} }

func (a *publicAuth) clientAuth()      {}
func (a *publicAuth) Method() string   { return MethodNone }
func (a *publicAuth) ClientID() string { return a.id }
func (a *publicAuth) Validate() error  { return checkID("PublicClient", a.id) }
func (a *publicAuth) ApplyAuth(_ context.Context, t *bridge.Target) error {
	t.Params.Set("client_id", a.id)
	return nil
}
func (a *publicAuth) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: MethodNone, ClientID: a.id, Body: true}
}
func (a *publicAuth) Choose([]string) (any, error) { return a, nil }
func (a *publicAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.PublicClient", [][2]string{{"ClientID", strconv.Quote(a.id)}})
}
func (a *publicAuth) LogValue() slog.Value         { return authLog(a.Method(), a.id) }
func (a *publicAuth) MarshalJSON() ([]byte, error) { return authJSON(a.Method(), a.id) }

// ---- no client authentication at all ----

type noAuth struct{}

// NoClientAuth sends no client identification at all: no Authorization
// header and no client_id. Google's and Salesforce's revocation endpoints
// take only the token. Use PublicClient when the server wants client_id.
func NoClientAuth() ClientAuth { return noAuth{} }

func (noAuth) clientAuth()                                     {}
func (noAuth) Method() string                                  { return MethodNoClientAuth }
func (noAuth) ClientID() string                                { return "" }
func (noAuth) Validate() error                                 { return nil }
func (noAuth) ApplyAuth(context.Context, *bridge.Target) error { return nil }
func (noAuth) AuthInfo() bridge.AuthInfo                       { return bridge.AuthInfo{Method: MethodNoClientAuth} }
func (a noAuth) Choose([]string) (any, error)                  { return a, nil }
func (noAuth) String() string                                  { return "revoke.NoClientAuth" }

// ---- credentials with the method left to the adapter ----

type credentials struct{ id, secret string }

// ClientCredentials is a client ID and secret whose authentication method
// the adapter chooses from the server's
// revocation_endpoint_auth_methods_supported (RFC 8414 §2), in this order:
//
//   - client_secret_basic, the RFC 8414 default, also when the server lists
//     nothing — except that when RFC 6749 §2.3.1 form-encoding would change
//     the ID or secret (it holds a character outside A–Z a–z 0–9 - . _ ~)
//     and the server also lists client_secret_post, post is chosen: several
//     widely deployed servers do not decode Basic credentials, and post
//     carries the secret unchanged;
//   - client_secret_post;
//   - client_secret_jwt (HS256, which needs a secret of 32 bytes or more).
func ClientCredentials(id, secret string) ClientAuth { return &credentials{id: id, secret: secret} }

func (a *credentials) clientAuth()      {}
func (a *credentials) Method() string   { return methodClientCredentialsPending }
func (a *credentials) ClientID() string { return a.id }
func (a *credentials) Validate() error {
	if err := checkID("ClientCredentials", a.id); err != nil {
		return err
	}
	return checkSecret("ClientCredentials", "client secret", a.secret)
}

// ApplyAuth sends client_secret_basic when no adapter chose a method.
func (a *credentials) ApplyAuth(ctx context.Context, t *bridge.Target) error {
	return newBasic(a.id, a.secret, false).ApplyAuth(ctx, t)
}
func (a *credentials) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: methodClientCredentialsPending, ClientID: a.id, SecretBytes: len(a.secret)}
}

func (a *credentials) Choose(supported []string) (any, error) {
	basic := len(supported) == 0 || slices.Contains(supported, MethodClientSecretBasic)
	post := slices.Contains(supported, MethodClientSecretPost)
	changed := url.QueryEscape(a.id) != a.id || url.QueryEscape(a.secret) != a.secret
	switch {
	case basic && changed && post:
		return ClientSecretPost(a.id, a.secret), nil
	case basic:
		return ClientSecretBasic(a.id, a.secret), nil
	case post:
		return ClientSecretPost(a.id, a.secret), nil
	case slices.Contains(supported, MethodClientSecretJWT):
		c := ClientSecretJWT(a.id, a.secret)
		if err := c.Validate(); err != nil {
			return nil, err
		}
		return c, nil
	}
	return nil, &ConfigError{Field: "ClientCredentials", Problem: fmt.Sprintf("the server supports none of client_secret_basic, client_secret_post, client_secret_jwt for revocation (it advertises %q): configure a matching ClientAuth such as PrivateKeyJWT", supported)}
}

func (a *credentials) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.ClientCredentials", [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.Quoted(a.secret)}})
}
func (a *credentials) LogValue() slog.Value         { return authLog("client_credentials", a.id) }
func (a *credentials) MarshalJSON() ([]byte, error) { return authJSON("client_credentials", a.id) }

// ---- mutual TLS (RFC 8705) ----

type tlsAuth struct {
	id         string
	cert       *tls.Certificate
	selfSigned bool
}

// TLSClientAuth authenticates with a client certificate issued by a PKI
// (RFC 8705 §2.1, tls_client_auth): the certificate is presented on the
// TLS connection and client_id is sent in the body. The adapter uses the
// server's mtls_endpoint_aliases when discovery finds them (RFC 8705 §5).
// The caller's *http.Client, if any, is never modified: the SDK uses a copy
// of its transport carrying the certificate.
func TLSClientAuth(id string, cert tls.Certificate) ClientAuth {
	return &tlsAuth{id: id, cert: &cert}
}

// SelfSignedTLSClientAuth authenticates with a self-signed client
// certificate registered with the client (RFC 8705 §2.2,
// self_signed_tls_client_auth).
func SelfSignedTLSClientAuth(id string, cert tls.Certificate) ClientAuth {
	return &tlsAuth{id: id, cert: &cert, selfSigned: true}
}

func (a *tlsAuth) clientAuth()      {}
func (a *tlsAuth) ClientID() string { return a.id }
func (a *tlsAuth) Method() string {
	if a.selfSigned {
		return MethodSelfSignedTLSClientAuth
	}
	return MethodTLSClientAuth
}
func (a *tlsAuth) name() string {
	if a.selfSigned {
		return "SelfSignedTLSClientAuth"
	}
	return "TLSClientAuth"
}
func (a *tlsAuth) Validate() error {
	if err := checkID(a.name(), a.id); err != nil {
		return err
	}
	if a.cert == nil || len(a.cert.Certificate) == 0 || a.cert.PrivateKey == nil {
		return &ConfigError{Field: a.name(), Problem: "the certificate has no chain or no private key: load it with tls.LoadX509KeyPair or tls.X509KeyPair"}
	}
	return nil
}
func (a *tlsAuth) ApplyAuth(_ context.Context, t *bridge.Target) error {
	t.Params.Set("client_id", a.id)
	return nil
}
func (a *tlsAuth) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: a.Method(), ClientID: a.id, Certificate: a.cert, Body: true}
}
func (a *tlsAuth) Choose([]string) (any, error) { return a, nil }
func (a *tlsAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke."+a.name(), [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Certificate", redact.Marker}})
}
func (a *tlsAuth) LogValue() slog.Value         { return authLog(a.Method(), a.id) }
func (a *tlsAuth) MarshalJSON() ([]byte, error) { return authJSON(a.Method(), a.id) }

// ---- printing helpers ----

func authLog(method, id string) slog.Value {
	return slog.GroupValue(slog.String("method", method), slog.String("client_id", id))
}

func authJSON(method, id string) ([]byte, error) {
	return []byte(`{"method":` + strconv.Quote(method) + `,"client_id":` + jsonString(id) + `}`), nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
