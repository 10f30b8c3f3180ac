package revoke

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke/internal/redact"
)

// Client authentication method names, as registered for RFC 8414
// revocation_endpoint_auth_methods_supported.
const (
	MethodClientSecretBasic = "client_secret_basic"
	MethodClientSecretPost  = "client_secret_post"
	MethodClientSecretJWT   = "client_secret_jwt"
	MethodPrivateKeyJWT     = "private_key_jwt"
	MethodNone              = "none"
)

// ClientAssertionType is the RFC 7523 §2.2 client_assertion_type value.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// AuthTarget is the outgoing request a ClientAuth decorates: it may set
// headers and form values. Endpoint is the URL being called; Issuer and
// TokenEndpoint are known when the adapter was configured with them (or
// discovered them) and serve as JWT audiences.
type AuthTarget struct {
	Header        http.Header
	Form          url.Values
	Endpoint      string
	Issuer        string
	TokenEndpoint string
	// Secrets collects the secret values Apply sent (client secret,
	// assertion) so the pipeline can scrub them from anything a server
	// echoes back into an error.
	Secrets []string
}

// ClientAuth authenticates the client to the authorization server
// (RFC 6749 §2.3). The method is always explicit: the SDK never probes a
// server with several methods. Values print with their secrets redacted.
type ClientAuth interface {
	// Method is the RFC 8414 method name, or "" for ClientCredentials,
	// whose method an adapter chooses.
	Method() string
	// ClientID is the client identifier.
	ClientID() string
	// Validate reports configuration mistakes (an empty secret, a weak key)
	// so that adapters can fail at construction time.
	Validate() error
	// Apply adds the credentials to t. It is called once per attempt, so
	// JWT assertions get a fresh jti on every retry.
	Apply(ctx context.Context, t *AuthTarget) error
}

// ---- client_secret_basic ----

type basicAuth struct {
	id, secret string
	raw        bool
	header     string // the Authorization value, computed once
	escaped    string // the secret as form-encoded, for scrubbing
}

// ClientSecretBasic sends the client ID and secret in an HTTP Basic
// Authorization header, each first form-encoded as RFC 6749 §2.3.1 requires
// (so a secret such as "p@ss:w+rd" survives). Use ClientSecretBasicRaw for
// servers that do not decode (WSO2 and many legacy servers).
func ClientSecretBasic(id, secret string) ClientAuth {
	return &basicAuth{id: id, secret: secret, header: BasicHeader(id, secret, true), escaped: url.QueryEscape(secret)}
}

// ClientSecretBasicRaw sends "id:secret" in an HTTP Basic Authorization
// header without RFC 6749 §2.3.1 form-encoding, as RFC 7617 does. The client
// ID may not contain ':'.
func ClientSecretBasicRaw(id, secret string) ClientAuth {
	return &basicAuth{id: id, secret: secret, raw: true, header: BasicHeader(id, secret, false), escaped: secret}
}

func (a *basicAuth) Method() string   { return MethodClientSecretBasic }
func (a *basicAuth) ClientID() string { return a.id }

func (a *basicAuth) name() string {
	if a.raw {
		return "ClientSecretBasicRaw"
	}
	return "ClientSecretBasic"
}

func (a *basicAuth) Validate() error {
	if err := validateID(a.name(), a.id); err != nil {
		return err
	}
	if a.secret == "" {
		return &ConfigError{Field: a.name(), Problem: "client secret is empty: pass the client's secret, or use PublicClient for a client without one"}
	}
	if a.raw && strings.Contains(a.id, ":") {
		return &ConfigError{Field: a.name(), Problem: "client ID contains ':', which raw Basic cannot carry (the server splits on the first ':'): use ClientSecretPost or ClientSecretBasic"}
	}
	return nil
}

func (a *basicAuth) Apply(_ context.Context, t *AuthTarget) error {
	t.Header.Set("Authorization", a.header)
	t.Secrets = append(t.Secrets, a.secret, a.escaped)
	return nil
}

// BasicHeader returns the value of an HTTP Basic Authorization header for id
// and secret. With encode, both are first form-encoded per RFC 6749 §2.3.1.
func BasicHeader(id, secret string, encode bool) string {
	if encode {
		id, secret = url.QueryEscape(id), url.QueryEscape(secret)
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func (a *basicAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke."+a.name(), [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.IfSet(a.secret)}})
}

func (a *basicAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", a.Method()), slog.String("client_id", a.id))
}

// ---- client_secret_post ----

type postAuth struct{ id, secret string }

// ClientSecretPost sends client_id and client_secret in the form body
// (RFC 6749 §2.3.1).
func ClientSecretPost(id, secret string) ClientAuth { return &postAuth{id: id, secret: secret} }

func (a *postAuth) Method() string   { return MethodClientSecretPost }
func (a *postAuth) ClientID() string { return a.id }
func (a *postAuth) Validate() error {
	if err := validateID("ClientSecretPost", a.id); err != nil {
		return err
	}
	if a.secret == "" {
		return &ConfigError{Field: "ClientSecretPost", Problem: "client secret is empty: pass the client's secret, or use PublicClient for a client without one"}
	}
	return nil
}
func (a *postAuth) Apply(_ context.Context, t *AuthTarget) error {
	t.Form.Set("client_id", a.id)
	t.Form.Set("client_secret", a.secret)
	t.Secrets = append(t.Secrets, a.secret)
	return nil
}
func (a *postAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.ClientSecretPost", [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.IfSet(a.secret)}})
}
func (a *postAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", a.Method()), slog.String("client_id", a.id))
}

// ---- none ----

type publicAuth struct{ id string }

// PublicClient identifies a public client (token_endpoint_auth_method
// "none") by sending only client_id in the form body (RFC 6749 §2.1).
func PublicClient(id string) ClientAuth { return &publicAuth{id: id} }

func (a *publicAuth) Method() string   { return MethodNone }
func (a *publicAuth) ClientID() string { return a.id }
func (a *publicAuth) Validate() error  { return validateID("PublicClient", a.id) }
func (a *publicAuth) Apply(_ context.Context, t *AuthTarget) error {
	t.Form.Set("client_id", a.id)
	return nil
}
func (a *publicAuth) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.PublicClient", [][2]string{{"ClientID", strconv.Quote(a.id)}})
}

// ---- credentials with the method left to the adapter ----

type credentials struct{ id, secret string }

// ClientCredentials is a client ID and secret whose authentication method the
// adapter chooses: generic.Discover picks from the server's
// revocation_endpoint_auth_methods_supported, and otherwise
// client_secret_basic (the RFC 8414 §2 default) is used.
func ClientCredentials(id, secret string) ClientAuth { return &credentials{id: id, secret: secret} }

func (a *credentials) Method() string   { return "" }
func (a *credentials) ClientID() string { return a.id }
func (a *credentials) Validate() error {
	if err := validateID("ClientCredentials", a.id); err != nil {
		return err
	}
	if a.secret == "" {
		return &ConfigError{Field: "ClientCredentials", Problem: "client secret is empty: pass the client's secret, or use PublicClient for a client without one"}
	}
	return nil
}
func (a *credentials) Apply(ctx context.Context, t *AuthTarget) error {
	return ClientSecretBasic(a.id, a.secret).Apply(ctx, t)
}
func (a *credentials) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.ClientCredentials", [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Secret", redact.IfSet(a.secret)}})
}

// ChooseAuth resolves a ClientCredentials value to a concrete method using a
// server's advertised methods (RFC 8414 revocation_endpoint_auth_methods_supported;
// an empty list means the default, client_secret_basic). Preference order:
// client_secret_basic, client_secret_post, client_secret_jwt. Any other
// ClientAuth is returned unchanged.
func ChooseAuth(auth ClientAuth, supported []string) (ClientAuth, error) {
	c, ok := auth.(*credentials)
	if !ok {
		return auth, nil
	}
	if len(supported) == 0 || slices.Contains(supported, MethodClientSecretBasic) {
		return ClientSecretBasic(c.id, c.secret), nil
	}
	if slices.Contains(supported, MethodClientSecretPost) {
		return ClientSecretPost(c.id, c.secret), nil
	}
	if slices.Contains(supported, MethodClientSecretJWT) {
		return ClientSecretJWT(c.id, c.secret), nil
	}
	return nil, &ConfigError{Field: "ClientCredentials", Problem: fmt.Sprintf("the server supports none of client_secret_basic, client_secret_post, client_secret_jwt for revocation (it advertises %q): configure a matching ClientAuth such as PrivateKeyJWT", supported)}
}

// ---- JWT assertions (RFC 7523 §2.2) ----

// Audience selects the "aud" claim of a client assertion. Servers disagree:
// Okta wants the URL being called, fosite and Hydra the token endpoint, and
// oidc-provider accepts any of them.
type Audience int

const (
	// AudienceEndpoint uses the URL being called (the revocation endpoint).
	// This is the default; Okta requires it.
	AudienceEndpoint Audience = iota
	// AudienceIssuer uses the authorization server's issuer identifier.
	AudienceIssuer
	// AudienceTokenEndpoint uses the server's token endpoint (fosite, Hydra).
	AudienceTokenEndpoint
)

// MaxAssertionLifetime is the longest lifetime a client assertion may have.
const MaxAssertionLifetime = 5 * time.Minute

// JWTOption configures PrivateKeyJWT and ClientSecretJWT.
type JWTOption func(*jwtConfig)

type jwtConfig struct {
	kid      string
	alg      jose.SignatureAlgorithm
	aud      Audience
	audValue string
	lifetime time.Duration
	errs     []string
}

// WithKeyID sets the "kid" header so the server can pick the key from the
// client's JWKS.
func WithKeyID(kid string) JWTOption { return func(c *jwtConfig) { c.kid = kid } }

// WithAlgorithm sets the JWS algorithm, e.g. "RS256", "PS256", "ES256",
// "EdDSA", "HS256". By default it follows the key: RS256 for RSA, ES256/384/512
// for the ECDSA curve, EdDSA for Ed25519, HS256 for a secret.
func WithAlgorithm(alg string) JWTOption {
	return func(c *jwtConfig) { c.alg = jose.SignatureAlgorithm(alg) }
}

// WithAudience selects which URL goes into "aud".
func WithAudience(a Audience) JWTOption { return func(c *jwtConfig) { c.aud = a } }

// WithAudienceValue sets "aud" to a fixed value, overriding WithAudience.
func WithAudienceValue(aud string) JWTOption { return func(c *jwtConfig) { c.audValue = aud } }

// WithLifetime sets how long an assertion is valid (default 60s, at most
// MaxAssertionLifetime).
func WithLifetime(d time.Duration) JWTOption {
	return func(c *jwtConfig) {
		if d <= 0 || d > MaxAssertionLifetime {
			c.errs = append(c.errs, fmt.Sprintf("lifetime %s is out of range: use a value above 0 and at most %s", d, MaxAssertionLifetime))
			return
		}
		c.lifetime = d
	}
}

type jwtAuth struct {
	id     string
	method string
	cfg    jwtConfig
	signer jose.Signer
	err    error
	secret string // client_secret_jwt only, for redaction tests and Format
}

// PrivateKeyJWT authenticates with a client assertion signed by key
// (RFC 7523 §2.2, OpenID Connect Core §9 private_key_jwt). key may be an
// *rsa.PrivateKey (at least 2048 bits), *ecdsa.PrivateKey, ed25519.PrivateKey
// or any other crypto.Signer whose public key is RSA, ECDSA or Ed25519 (keys held in a KMS or HSM). Every attempt gets a fresh
// assertion with a new jti.
func PrivateKeyJWT(id string, key crypto.Signer, opts ...JWTOption) ClientAuth {
	a := &jwtAuth{id: id, method: MethodPrivateKeyJWT, cfg: newJWTConfig(opts)}
	a.err = a.initKey(key)
	return a
}

// ClientSecretJWT authenticates with a client assertion signed with HMAC
// using the client secret (RFC 7523 §2.2, OpenID Connect Core §9
// client_secret_jwt). The default algorithm is HS256.
func ClientSecretJWT(id, secret string, opts ...JWTOption) ClientAuth {
	a := &jwtAuth{id: id, method: MethodClientSecretJWT, cfg: newJWTConfig(opts), secret: secret}
	if secret == "" {
		a.err = &ConfigError{Field: "ClientSecretJWT", Problem: "client secret is empty: pass the client's secret"}
		return a
	}
	if a.cfg.alg == "" {
		a.cfg.alg = jose.HS256
	}
	switch a.cfg.alg {
	case jose.HS256, jose.HS384, jose.HS512:
	default:
		a.err = &ConfigError{Field: "ClientSecretJWT", Problem: fmt.Sprintf("algorithm %q is not an HMAC algorithm: use HS256, HS384 or HS512", a.cfg.alg)}
		return a
	}
	a.err = a.newSigner([]byte(secret))
	return a
}

func newJWTConfig(opts []JWTOption) jwtConfig {
	c := jwtConfig{lifetime: time.Minute}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func (a *jwtAuth) field() string {
	if a.method == MethodClientSecretJWT {
		return "ClientSecretJWT"
	}
	return "PrivateKeyJWT"
}

func (a *jwtAuth) initKey(key crypto.Signer) error {
	var signingKey any = key
	var defaultAlg jose.SignatureAlgorithm
	var allowed []jose.SignatureAlgorithm
	switch k := key.(type) {
	case nil:
		return &ConfigError{Field: "PrivateKeyJWT", Problem: "key is nil: pass the private key registered (as a public JWK) for the client"}
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < 2048 {
			return &ConfigError{Field: "PrivateKeyJWT", Problem: fmt.Sprintf("RSA key has %d bits: use a key of at least 2048 bits", bits)}
		}
		defaultAlg = jose.RS256
		allowed = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512}
	case *ecdsa.PrivateKey:
		switch k.Curve {
		case elliptic.P256():
			defaultAlg = jose.ES256
		case elliptic.P384():
			defaultAlg = jose.ES384
		case elliptic.P521():
			defaultAlg = jose.ES512
		default:
			return &ConfigError{Field: "PrivateKeyJWT", Problem: "unsupported ECDSA curve: use P-256, P-384 or P-521"}
		}
		allowed = []jose.SignatureAlgorithm{defaultAlg}
	case ed25519.PrivateKey:
		defaultAlg = jose.EdDSA
		allowed = []jose.SignatureAlgorithm{jose.EdDSA}
	case *ed25519.PrivateKey:
		signingKey = *k
		defaultAlg = jose.EdDSA
		allowed = []jose.SignatureAlgorithm{jose.EdDSA}
	default:
		// Any other crypto.Signer (a KMS or HSM key) signs through an
		// opaque-signer adapter; its public key decides the algorithms.
		op, err := newOpaqueSigner(key, a.cfg.alg)
		if err != nil {
			return &ConfigError{Field: "PrivateKeyJWT", Problem: err.Error()}
		}
		signingKey = op
		allowed = op.Algs()
		defaultAlg = allowed[0]
	}
	if a.cfg.alg == "" {
		a.cfg.alg = defaultAlg
	}
	if !slices.Contains(allowed, a.cfg.alg) {
		return &ConfigError{Field: "PrivateKeyJWT", Problem: fmt.Sprintf("algorithm %q does not fit a %T key: use one of %v", a.cfg.alg, key, allowed)}
	}
	return a.newSigner(signingKey)
}

func (a *jwtAuth) newSigner(key any) error {
	if err := validateID(a.field(), a.id); err != nil {
		return err
	}
	if len(a.cfg.errs) > 0 {
		return &ConfigError{Field: a.field(), Problem: a.cfg.errs[0]}
	}
	if a.cfg.aud < AudienceEndpoint || a.cfg.aud > AudienceTokenEndpoint {
		return &ConfigError{Field: a.field(), Problem: fmt.Sprintf("unknown audience strategy %d: use AudienceEndpoint, AudienceIssuer or AudienceTokenEndpoint", a.cfg.aud)}
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if a.cfg.kid != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), a.cfg.kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: a.cfg.alg, Key: key}, opts)
	if err != nil {
		// go-jose errors name the problem (e.g. a short HMAC key), never the key.
		return &ConfigError{Field: a.field(), Problem: fmt.Sprintf("cannot sign with %s: %v", a.cfg.alg, err)}
	}
	a.signer = s
	return nil
}

func (a *jwtAuth) Method() string   { return a.method }
func (a *jwtAuth) ClientID() string { return a.id }
func (a *jwtAuth) Validate() error  { return a.err }

func (a *jwtAuth) audience(t *AuthTarget) (string, error) {
	if a.cfg.audValue != "" {
		return a.cfg.audValue, nil
	}
	switch a.cfg.aud {
	case AudienceIssuer:
		if t.Issuer == "" {
			return "", &ConfigError{Field: a.field(), Problem: "audience strategy AudienceIssuer needs the issuer: set the adapter's Issuer, use discovery, or use WithAudienceValue"}
		}
		return t.Issuer, nil
	case AudienceTokenEndpoint:
		if t.TokenEndpoint == "" {
			return "", &ConfigError{Field: a.field(), Problem: "audience strategy AudienceTokenEndpoint needs the token endpoint: set the adapter's TokenEndpoint, use discovery, or use WithAudienceValue"}
		}
		return t.TokenEndpoint, nil
	}
	return t.Endpoint, nil
}

// Assertion returns a freshly signed client assertion for the given target.
// It is exported for adapters and tests; the value is a secret.
func (a *jwtAuth) assertion(t *AuthTarget) (string, error) {
	if a.err != nil {
		return "", a.err
	}
	aud, err := a.audience(t)
	if err != nil {
		return "", err
	}
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", fmt.Errorf("revoke: generating jti: %w", err)
	}
	now := time.Now()
	claims := jwt.Claims{
		Issuer:   a.id,
		Subject:  a.id,
		Audience: jwt.Audience{aud},
		ID:       base64.RawURLEncoding.EncodeToString(jti[:]),
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(a.cfg.lifetime)),
	}
	s, err := jwt.Signed(a.signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("revoke: %s: signing client assertion failed: %w", a.field(), err)
	}
	return s, nil
}

func (a *jwtAuth) Apply(_ context.Context, t *AuthTarget) error {
	s, err := a.assertion(t)
	if err != nil {
		return err
	}
	t.Form.Set("client_assertion_type", ClientAssertionType)
	t.Form.Set("client_assertion", s)
	t.Secrets = append(t.Secrets, s)
	if a.secret != "" {
		t.Secrets = append(t.Secrets, a.secret)
	}
	return nil
}

func (a *jwtAuth) Format(f fmt.State, verb rune) {
	fields := [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Algorithm", string(a.cfg.alg)}, {"KeyID", strconv.Quote(a.cfg.kid)}}
	if a.method == MethodClientSecretJWT {
		fields = append(fields, [2]string{"Secret", redact.IfSet(a.secret)})
	} else {
		fields = append(fields, [2]string{"Key", Redacted})
	}
	redact.Format(f, verb, "revoke."+a.field(), fields)
}

func (a *jwtAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", a.method), slog.String("client_id", a.id), slog.String("alg", string(a.cfg.alg)))
}

func validateID(fieldName, id string) error {
	if id == "" {
		return &ConfigError{Field: fieldName, Problem: "client ID is empty: pass the client_id the server issued"}
	}
	if strings.ContainsAny(id, "\r\n\x00") {
		return &ConfigError{Field: fieldName, Problem: "client ID contains a control character: check for a stray newline"}
	}
	return nil
}
