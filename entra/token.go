package entra

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint (RFC 7515 §4.1.7)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Certificate is an application's certificate credential: the X.509
// certificate uploaded to the app registration (Certificates & secrets) and
// its private key, which signs a fresh client assertion for every token
// request
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
//
// The assertion's header is {"alg":"PS256","typ":"JWT","x5t#S256":…}, the
// base64url SHA-256 thumbprint of the certificate's DER encoding, as
// Microsoft documents today; with LegacyX5T it is
// {"alg":"RS256","typ":"JWT","x5t":…}, the SHA-1 thumbprint, the form
// Microsoft documented before (AD FS and older deployments read only
// that). Its claims are aud (the token URL), iss and sub (the client ID),
// jti (random), nbf and iat (now) and exp (five minutes on).
//
// The key prints, logs and marshals as "[REDACTED]".
type Certificate struct {
	// Certificate is the registered certificate. Required.
	Certificate *x509.Certificate
	// Key is the certificate's private key: an *rsa.PrivateKey of 2048
	// bits or more, or any crypto.Signer with such a public key (a key in
	// a KMS or HSM). Entra signs certificate assertions with RSA only.
	// Required.
	Key crypto.Signer
	// LegacyX5T signs with RS256 and sends the SHA-1 thumbprint as x5t,
	// instead of PS256 and x5t#S256.
	LegacyX5T bool
}

// fields is what a Certificate prints: the certificate by its SHA-256
// thumbprint, never the key. A nil *Certificate has none.
func (c *Certificate) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Certificate", strconv.Quote(certName(c.Certificate))},
		{"Key", redact.Key(c.Key)},
		{"LegacyX5T", strconv.FormatBool(c.LegacyX5T)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the key
// never prints.
func (c Certificate) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "entra.Certificate") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *Certificate logs as an empty group.
func (c *Certificate) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Certificate) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// certName names a certificate by its SHA-256 thumbprint (public).
func certName(c *x509.Certificate) string {
	if c == nil || len(c.Raw) == 0 {
		return ""
	}
	sum := sha256.Sum256(c.Raw)
	return "sha256:" + base64.RawURLEncoding.EncodeToString(sum[:])
}

// TokenConfig configures a TokenSource: an application's client
// credentials grant at the Microsoft identity platform
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
//
// Set Tenant, ClientID and exactly one of ClientSecret and Certificate.
// Printing a TokenConfig with any fmt verb, logging it with slog or
// encoding it with encoding/json shows the secret and the key redacted.
type TokenConfig struct {
	// Tenant is the directory (tenant) ID, a GUID, or a verified domain of
	// the tenant, "contoso.onmicrosoft.com". The multi-tenant aliases
	// "common", "organizations" and "consumers" are refused: the client
	// credentials grant needs the tenant itself. Required.
	Tenant string
	// ClientID is the application (client) ID of the app registration.
	// Required.
	ClientID string
	// ClientSecret is a client secret's Value (not its Secret ID), sent as
	// client_secret in the form body (client_secret_post).
	ClientSecret string
	// Certificate signs a client assertion instead (private_key_jwt with
	// an x5t#S256 header).
	Certificate *Certificate
	// Scope is the scope requested; "" means DefaultScope,
	// "https://graph.microsoft.com/.default". It must be a resource's
	// ".default" scope: the client credentials grant takes no other.
	Scope string
	// LoginURL is the authority host, "" for DefaultLoginURL. Set it for a
	// sovereign cloud ("https://login.microsoftonline.us") or an emulator
	// such as entratest. The token URL is LoginURL/{Tenant}/oauth2/v2.0/token.
	LoginURL string
}

// fields is what a TokenConfig prints: the client secret and the key never
// print. A nil *TokenConfig has none.
func (c *TokenConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Tenant", strconv.Quote(c.Tenant)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Certificate", certShown(c.Certificate)},
		{"Scope", strconv.Quote(c.Scope)},
		{"LoginURL", strconv.Quote(c.LoginURL)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret and the key never print.
func (c TokenConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "entra.TokenConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *TokenConfig logs as an empty group.
func (c *TokenConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c TokenConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// certShown renders a Certificate field as the Certificate's own Format
// prints it, the key redacted; a nil one is "<nil>".
func certShown(c *Certificate) string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%v", *c)
}

// TokenSource is an oauth2.TokenSource of Microsoft Graph access tokens for
// an application: the OAuth 2.0 client credentials grant (RFC 6749 §4.4) at
// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token with
// scope=https://graph.microsoft.com/.default, authenticated with a client
// secret in the body or with a certificate's client assertion
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
//
// Tokens are cached until a minute before they expire. It is safe for
// concurrent use: concurrent callers wait for one fetch, each within its own
// context. Build it with NewTokenSource; a zero TokenSource or a nil pointer
// returns a *revoke.ConfigError. It prints (fmt, slog, encoding/json)
// without its secret, key or cached token.
type TokenSource struct {
	c        *adapter.Client
	tokenURL *url.URL
	tenant   string
	clientID string
	scope    string
	secret   revoke.Secret
	assert   *assertionSigner
	cache    *adapter.TokenCache
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// expiryMargin is how long before its expiry a cached token is replaced.
const expiryMargin = time.Minute

// opToken names the token request in errors and logs.
const opToken = "entra token"

// NewTokenSource validates cfg and returns a token source. Every mistake (a
// tenant that is neither a GUID nor a domain, a missing client ID, both or
// neither of ClientSecret and Certificate, a certificate that does not
// match its key or has expired, a scope that is not a ".default" scope) is
// a *revoke.ConfigError naming the field, returned here. opts are the usual
// adapter options (HTTP client, retries, logger) and apply to the token
// requests.
//
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
func NewTokenSource(cfg TokenConfig, opts ...revoke.Option) (*TokenSource, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return newTokenSource(c, "entra.TokenConfig", cfg)
}

func newTokenSource(c *adapter.Client, prefix string, cfg TokenConfig) (*TokenSource, error) {
	if err := checkTenant(prefix+".Tenant", cfg.Tenant); err != nil {
		return nil, err
	}
	if err := adapter.CheckCredential(prefix+".ClientID", cfg.ClientID, "the application (client) ID of the app registration"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSegment(prefix+".ClientID", cfg.ClientID, "00001111-aaaa-2222-bbbb-3333cccc4444"); err != nil {
		return nil, err
	}
	login := cfg.LoginURL
	if login == "" {
		login = DefaultLoginURL
	}
	base, err := c.BaseURL(prefix+".LoginURL", login)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(base.Path, TokenPath) || strings.Contains(base.Path, "/oauth2") {
		return nil, &revoke.ConfigError{Field: prefix + ".LoginURL", Problem: "holds a token endpoint path: pass only the authority host, e.g. " + DefaultLoginURL + "; the SDK appends /{Tenant}" + TokenPath}
	}
	scope := cfg.Scope
	if scope == "" {
		scope = DefaultScope
	}
	if err := checkScope(prefix+".Scope", scope); err != nil {
		return nil, err
	}
	s := &TokenSource{
		c:        c,
		tokenURL: adapter.JoinPath(base, cfg.Tenant, TokenPath),
		tenant:   cfg.Tenant,
		clientID: cfg.ClientID,
		scope:    scope,
	}
	s.cache = &adapter.TokenCache{Op: opToken, URL: s.tokenURL, Margin: expiryMargin, Now: time.Now}
	switch {
	case cfg.ClientSecret != "" && cfg.Certificate != nil:
		return nil, &revoke.ConfigError{Field: prefix + ".ClientSecret", Problem: "both ClientSecret and Certificate are set: choose one credential of the app registration"}
	case cfg.ClientSecret == "" && cfg.Certificate == nil:
		return nil, &revoke.ConfigError{Field: prefix + ".ClientSecret", Problem: "neither ClientSecret nor Certificate is set: pass a client secret's Value, or the certificate registered with the app and its private key"}
	case cfg.ClientSecret != "":
		if err := adapter.CheckSecret(prefix+".ClientSecret", cfg.ClientSecret, "a client secret's Value (Certificates & secrets > Client secrets), not its Secret ID"); err != nil {
			return nil, err
		}
		s.secret = revoke.Secret(cfg.ClientSecret)
	default:
		a, err := newAssertionSigner(prefix+".Certificate", cfg.Certificate, time.Now())
		if err != nil {
			return nil, err
		}
		s.assert = a
	}
	return s, nil
}

// checkTenant accepts a directory (tenant) ID or a domain name.
func checkTenant(field, t string) error {
	if err := adapter.CheckSegment(field, t, "the directory (tenant) ID, e.g. aaaabbbb-0000-cccc-1111-dddd2222eeee, or contoso.onmicrosoft.com"); err != nil {
		return err
	}
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is a multi-tenant alias, which the client credentials grant cannot use: pass the directory (tenant) ID or a verified domain of the tenant whose users you revoke", t)}
	}
	if isGUID(t) {
		return nil
	}
	if strings.Contains(t, ":") {
		return &revoke.ConfigError{Field: field, Problem: "holds ':' (a URL or a port?): pass only the directory (tenant) ID or domain; set LoginURL for another authority host"}
	}
	if !strings.Contains(t, ".") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s is neither a directory (tenant) ID (a GUID such as aaaabbbb-0000-cccc-1111-dddd2222eeee) nor a domain name such as contoso.onmicrosoft.com", quote(t))}
	}
	if err := adapter.CheckHost(t); err != nil {
		return &revoke.ConfigError{Field: field, Problem: "is not a domain name (" + err.Error() + "): pass the directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com"}
	}
	return nil
}

// checkScope accepts one resource's ".default" scope.
func checkScope(field, s string) error {
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return &revoke.ConfigError{Field: field, Problem: "holds white space or a control character: the client credentials grant takes exactly one scope, a resource's /.default"}
	}
	if !strings.HasSuffix(s, "/.default") || len(s) == len("/.default") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s is not a resource's .default scope: the client credentials grant takes only that form, e.g. %s", quote(s), DefaultScope)}
	}
	return nil
}

// isGUID reports whether s is a GUID in its 8-4-4-4-12 hexadecimal form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// maxQuoted bounds a configuration value repeated in an error.
const maxQuoted = 100

// quote repeats a caller's value in an error, quoted and bounded.
func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("(a value of %d bytes)", len(s))
	}
	return strconv.Quote(s)
}

// TokenURL returns the token endpoint the source calls, which is also the
// audience of its client assertions
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials);
// "" for a zero TokenSource.
func (s *TokenSource) TokenURL() string {
	if s == nil || s.tokenURL == nil {
		return ""
	}
	return s.tokenURL.String()
}

// Token implements oauth2.TokenSource. It uses context.Background(); prefer
// TokenContext, which Graph calls with each request's context
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a cached token that is still valid for a minute, or
// fetches a new one with ctx
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
// A nil or zero TokenSource, or a nil context, is a *revoke.ConfigError.
func (s *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if s == nil || s.c == nil || s.cache == nil || s.tokenURL == nil {
		return nil, &revoke.ConfigError{Field: "entra.TokenSource", Problem: "is nil or a zero value: build it with entra.NewTokenSource", Kind: revoke.ErrInvalidRequest}
	}
	if ctx == nil {
		return nil, &revoke.ConfigError{Field: "entra.TokenSource.TokenContext: ctx", Problem: "is a nil context: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	return s.cache.Token(ctx, s.fetch)
}

// forget drops the cached token if it is tok, so that the next call fetches
// a new one: Graph refused it before its expiry.
func (s *TokenSource) forget(tok string) {
	if s != nil {
		s.cache.Forget(tok)
	}
}

var acceptJSON = http.Header{"Accept": {"application/json"}}

// fetch makes one client credentials request through the adapter kit,
// which scrubs the secret, the assertion and the access token from anything
// it keeps. A certificate's assertion is signed for each fetch; the kit's
// retries of that one request resend it (the kit builds the body once per
// call, and Entra, like MSAL, which caches its assertions, accepts an
// assertion until it expires).
func (s *TokenSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.clientID}, "scope": {s.scope}}
	var secret string
	if s.assert != nil {
		a, err := s.assert.sign(s.tokenURL.String(), s.clientID, s.cache.Time())
		if err != nil {
			return nil, &revoke.ConfigError{Field: "entra.TokenConfig.Certificate", Problem: "signing the client assertion failed: " + err.Error(), Kind: revoke.ErrInvalidClient}
		}
		form.Set("client_assertion_type", revoke.ClientAssertionType)
		form.Set("client_assertion", a)
		secret = a
	} else {
		secret = s.secret.Reveal()
		form.Set("client_secret", secret)
	}
	call := &adapter.Call{
		Op:       opToken,
		Method:   http.MethodPost,
		URL:      s.tokenURL,
		Header:   acceptJSON,
		Body:     adapter.Form(form),
		Secrets:  []string{secret},
		ReadBody: true,
		Check: func(r *adapter.Response) error {
			if r.StatusCode != http.StatusOK {
				e := r.Fail()
				addHints(e)
				return e
			}
			return nil
		},
	}
	resp, err := s.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	return resp.AccessToken(s.cache.Time())
}

// fields is what a TokenSource prints: its token URL, client ID, scope and
// how it authenticates; the secret, the key and any cached token never
// print. A nil *TokenSource has none.
func (s *TokenSource) fields() adapter.Fields {
	if s == nil {
		return nil
	}
	return adapter.Fields{
		{"TokenURL", strconv.Quote(s.TokenURL())},
		{"ClientID", strconv.Quote(s.clientID)},
		{"Scope", strconv.Quote(s.scope)},
		{"Credential", s.credential()},
	}
}

// Format implements fmt.Formatter with the fields, with any verb, for the
// value and the pointer: the secret, the key and any cached token never
// print.
func (s TokenSource) Format(f fmt.State, verb rune) { s.fields().Print(f, verb, "entra.TokenSource") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *TokenSource logs as an empty group.
func (s *TokenSource) LogValue() slog.Value { return s.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (s TokenSource) MarshalJSON() ([]byte, error) { return s.fields().MarshalJSON() }

// credential names how the source authenticates, never with the secret.
func (s TokenSource) credential() string {
	switch {
	case s.assert != nil:
		return "certificate " + s.assert.thumbName
	case s.secret != "":
		return "client secret " + revoke.Redacted
	}
	return ""
}

// ---- certificate assertions ----

// assertionSigner signs client assertions with a certificate's key.
type assertionSigner struct {
	signer    jose.Signer
	thumbName string // the header's name and value, for printing
}

// newAssertionSigner checks c and prepares its signer. It never panics,
// whatever c holds.
func newAssertionSigner(field string, c *Certificate, now time.Time) (a *assertionSigner, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("the certificate or key is malformed (inspecting it failed: %v): load them with x509.ParseCertificate and x509.ParsePKCS8PrivateKey", r)}
		}
	}()
	switch {
	case c.Certificate == nil || len(c.Certificate.Raw) == 0:
		return nil, &revoke.ConfigError{Field: field + ".Certificate", Problem: "is nil or was not parsed from DER: pass the certificate registered with the app, from x509.ParseCertificate (tls.Certificate.Leaf after tls.LoadX509KeyPair)"}
	case c.Key == nil:
		return nil, &revoke.ConfigError{Field: field + ".Key", Problem: "is nil: pass the certificate's private key (an *rsa.PrivateKey or a KMS crypto.Signer)"}
	}
	pub, ok := c.Key.Public().(*rsa.PublicKey)
	switch {
	case ok && (pub == nil || pub.N == nil):
		return nil, &revoke.ConfigError{Field: field + ".Key", Problem: "is an empty RSA key (no modulus): load it with x509.ParsePKCS8PrivateKey or x509.ParsePKCS1PrivateKey"}
	case !ok:
		return nil, &revoke.ConfigError{Field: field + ".Key", Problem: fmt.Sprintf("has a %T public key: Microsoft Entra signs certificate assertions with RSA (PS256 or RS256); use an RSA certificate of 2048 bits or more", c.Key.Public())}
	}
	if bits := pub.N.BitLen(); bits < 2048 {
		return nil, &revoke.ConfigError{Field: field + ".Key", Problem: fmt.Sprintf("is an RSA key of %d bits: use 2048 bits or more", bits)}
	}
	if k, ok := c.Key.(*rsa.PrivateKey); ok && k.Validate() != nil {
		return nil, &revoke.ConfigError{Field: field + ".Key", Problem: "is an inconsistent RSA key: regenerate or re-parse it"}
	}
	certPub, ok := c.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok || !certPub.Equal(pub) {
		return nil, &revoke.ConfigError{Field: field, Problem: "the key is not the certificate's: pass the private key that belongs to the registered certificate"}
	}
	switch {
	case now.After(c.Certificate.NotAfter):
		return nil, &revoke.ConfigError{Field: field + ".Certificate", Problem: fmt.Sprintf("expired on %s: Entra refuses assertions signed with an expired certificate; upload a new one", c.Certificate.NotAfter.UTC().Format(time.RFC3339))}
	case now.Before(c.Certificate.NotBefore):
		return nil, &revoke.ConfigError{Field: field + ".Certificate", Problem: fmt.Sprintf("is not valid before %s", c.Certificate.NotBefore.UTC().Format(time.RFC3339))}
	}
	alg, header, thumb := jose.PS256, "x5t#S256", sha256.Sum256(c.Certificate.Raw)
	value := base64.RawURLEncoding.EncodeToString(thumb[:])
	if c.LegacyX5T {
		sum := sha1.Sum(c.Certificate.Raw) //nolint:gosec // x5t is defined as SHA-1
		alg, header, value = jose.RS256, "x5t", base64.RawURLEncoding.EncodeToString(sum[:])
	}
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey(header), value)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: rsaSigner{c.Key}}, opts)
	if err != nil {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("cannot sign with %s: %v", alg, err)}
	}
	return &assertionSigner{signer: s, thumbName: header + "=" + value}, nil
}

// assertionLifetime is how long an assertion is valid; Microsoft asks for
// at most 5–10 minutes after nbf.
const assertionLifetime = 5 * time.Minute

// sign makes a fresh assertion for aud. The value is a secret.
func (a *assertionSigner) sign(aud, clientID string, now time.Time) (s string, err error) {
	var jti [16]byte
	_, _ = rand.Read(jti[:])
	jti[6] = jti[6]&0x0f | 0x40 // a version 4 UUID, as Microsoft's examples use
	jti[8] = jti[8]&0x3f | 0x80
	id := fmt.Sprintf("%x-%x-%x-%x-%x", jti[0:4], jti[4:6], jti[6:8], jti[8:10], jti[10:])
	claims := jwt.Claims{
		Issuer: clientID, Subject: clientID, Audience: jwt.Audience{aud}, ID: id,
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(assertionLifetime)),
	}
	defer func() {
		if r := recover(); r != nil { // a crypto.Signer that panics
			s, err = "", fmt.Errorf("the certificate's key failed to sign (it panicked: %v)", r)
		}
	}()
	return jwt.Signed(a.signer).Claims(claims).Serialize()
}

// rsaSigner lets go-jose sign with any RSA crypto.Signer, a key in memory
// or in a KMS or HSM.
type rsaSigner struct{ k crypto.Signer }

func (r rsaSigner) Public() *jose.JSONWebKey { return &jose.JSONWebKey{Key: r.k.Public()} }

func (r rsaSigner) Algs() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{jose.PS256, jose.RS256}
}

func (r rsaSigner) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	digest := sha256.Sum256(payload)
	switch alg {
	case jose.RS256:
		return r.k.Sign(rand.Reader, digest[:], crypto.SHA256)
	case jose.PS256:
		return r.k.Sign(rand.Reader, digest[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256})
	}
	return nil, errors.New("unsupported algorithm " + string(alg))
}
