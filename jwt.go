package revoke

import (
	"context"
	"crypto"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke/internal/bridge"
	"github.com/revokekit/revoke/internal/redact"
)

// Audience selects the "aud" claim of a client assertion (RFC 7523 §3).
// Servers disagree on what they accept:
//
//	server                       accepts as aud (what its adapter sends)
//	Okta                         the URL called, only
//	Ory Hydra, fosite            the token endpoint
//	ZITADEL                      the issuer
//	Keycloak                     the realm's issuer (also its token endpoint)
//	Auth0                        https://{domain}/, the tenant's issuer
//	PingOne                      the issuer …/as (also the token endpoint or the URL called)
//	Microsoft Entra ID           the token endpoint (entra's token source)
//	panva/oidc-provider          the issuer, the token endpoint or the URL called
//	draft-ietf-oauth-rfc7523bis  the issuer, alone (the direction of the standard)
//
// The zero value, AudienceAuto, lets the adapter apply its server's rule:
// generic.Discover uses the issuer, generic.New with a bare endpoint the URL
// called, and each vendor package the value in the table; every vendor
// page in docs/vendors says where the rule comes from.
type Audience int

const (
	// AudienceAuto lets the adapter choose (see Audience). It is the default.
	AudienceAuto Audience = iota
	// AudienceEndpoint uses the URL being called (the revocation endpoint).
	AudienceEndpoint
	// AudienceIssuer uses the authorization server's issuer identifier.
	AudienceIssuer
	// AudienceTokenEndpoint uses the server's token endpoint.
	AudienceTokenEndpoint
)

// String names the rule.
func (a Audience) String() string {
	switch a {
	case AudienceAuto:
		return "AudienceAuto"
	case AudienceEndpoint:
		return "AudienceEndpoint"
	case AudienceIssuer:
		return "AudienceIssuer"
	case AudienceTokenEndpoint:
		return "AudienceTokenEndpoint"
	}
	return "Audience(" + strconv.Itoa(int(a)) + ")"
}

// MaxAssertionLifetime is the longest lifetime a client assertion may have.
const MaxAssertionLifetime = 5 * time.Minute

// JWTOption configures PrivateKeyJWT and ClientSecretJWT.
type JWTOption interface {
	jwtOption(*jwtConfig)
}

type jwtOptionFunc func(*jwtConfig)

func (f jwtOptionFunc) jwtOption(c *jwtConfig) { f(c) }

type jwtConfig struct {
	headers  map[jose.HeaderKey]any
	kid      string
	alg      jose.SignatureAlgorithm
	aud      Audience
	audSet   bool
	audValue string
	lifetime time.Duration
	errs     []string
}

// WithKeyID sets the "kid" header so the server can pick the key from the
// client's JWKS.
func WithKeyID(kid string) JWTOption { return jwtOptionFunc(func(c *jwtConfig) { c.kid = kid }) }

// WithHeader adds a protected header to every assertion, such as the
// certificate thumbprint "x5t#S256" (RFC 7515 §4.1.8) Microsoft Entra ID
// wants beside a certificate credential. The headers the SDK sets itself
// (alg, typ, kid, jwk, crit) cannot be replaced: use WithAlgorithm and
// WithKeyID for those.
func WithHeader(name, value string) JWTOption {
	return jwtOptionFunc(func(c *jwtConfig) {
		switch name {
		case "", "alg", "typ", "kid", "jwk", "crit", "b64", "zip", "enc":
			c.errs = append(c.errs, fmt.Sprintf("WithHeader(%q) would replace a header the SDK controls: use WithAlgorithm or WithKeyID, or another header name", name))
			return
		}
		if c.headers == nil {
			c.headers = map[jose.HeaderKey]any{}
		}
		c.headers[jose.HeaderKey(name)] = value
	})
}

// WithAlgorithm sets the JWS algorithm (RFC 7518 §3.1), e.g. "RS256",
// "PS256", "ES256", "EdDSA", "HS256". By default it follows the key: RS256
// for RSA, ES256/384/512 for the ECDSA curve, EdDSA for Ed25519, HS256 for
// a secret.
func WithAlgorithm(alg string) JWTOption {
	return jwtOptionFunc(func(c *jwtConfig) { c.alg = jose.SignatureAlgorithm(alg) })
}

// WithAudience selects which URL goes into "aud", overriding the adapter's
// rule (see Audience).
func WithAudience(a Audience) JWTOption {
	return jwtOptionFunc(func(c *jwtConfig) { c.aud, c.audSet = a, true })
}

// WithAudienceValue sets "aud" to a fixed value, overriding WithAudience
// and the adapter's rule.
func WithAudienceValue(aud string) JWTOption {
	return jwtOptionFunc(func(c *jwtConfig) {
		if aud == "" {
			c.errs = append(c.errs, "WithAudienceValue is empty: pass the audience the server expects, or use WithAudience")
			return
		}
		c.audValue, c.audSet = aud, true
	})
}

// WithLifetime sets how long an assertion is valid (default 60s, at most
// MaxAssertionLifetime).
func WithLifetime(d time.Duration) JWTOption {
	return jwtOptionFunc(func(c *jwtConfig) {
		if d <= 0 || d > MaxAssertionLifetime {
			c.errs = append(c.errs, fmt.Sprintf("lifetime %s is out of range: use a value above 0 and at most %s", d, MaxAssertionLifetime))
			return
		}
		c.lifetime = d
	})
}

type jwtAuth struct {
	id     string
	method string
	cfg    jwtConfig
	signer jose.Signer
	err    error
	secret string // client_secret_jwt only
}

// PrivateKeyJWT authenticates with a client assertion signed by key
// (RFC 7523 §2.2, OpenID Connect Core §9 private_key_jwt). key may be an
// *rsa.PrivateKey (at least 2048 bits), *ecdsa.PrivateKey (P-256, P-384,
// P-521), ed25519.PrivateKey or any other crypto.Signer whose public key is
// one of those (keys held in a KMS or HSM). Every attempt gets a fresh
// assertion with a new jti. A nil, typed-nil, zero-value or truncated key
// is reported by Validate, never a panic.
func PrivateKeyJWT(id string, key crypto.Signer, opts ...JWTOption) ClientAuth {
	a := &jwtAuth{id: id, method: MethodPrivateKeyJWT, cfg: newJWTConfig(opts)}
	a.err = a.initKey(key)
	return a
}

// hmacMinBytes is the shortest HMAC key for each algorithm: RFC 7518 §3.2
// requires a key of the same size as the hash output.
var hmacMinBytes = map[jose.SignatureAlgorithm]int{jose.HS256: 32, jose.HS384: 48, jose.HS512: 64}

// ClientSecretJWT authenticates with a client assertion signed with HMAC
// using the client secret (RFC 7523 §2.2, OpenID Connect Core §9
// client_secret_jwt). The default algorithm is HS256. RFC 7518 §3.2
// requires a key at least as long as the hash: 32 bytes for HS256, 48 for
// HS384, 64 for HS512; a shorter secret is refused by Validate.
func ClientSecretJWT(id, secret string, opts ...JWTOption) ClientAuth {
	a := &jwtAuth{id: id, method: MethodClientSecretJWT, cfg: newJWTConfig(opts), secret: secret}
	a.err = a.initSecret()
	return a
}

func (a *jwtAuth) initSecret() error {
	if err := checkSecret("ClientSecretJWT", "client secret", a.secret); err != nil {
		return err
	}
	if a.cfg.alg == "" {
		a.cfg.alg = jose.HS256
	}
	need, ok := hmacMinBytes[a.cfg.alg]
	if !ok {
		return &ConfigError{Field: "ClientSecretJWT", Problem: fmt.Sprintf("algorithm %q is not an HMAC algorithm: use HS256, HS384 or HS512", a.cfg.alg)}
	}
	if len(a.secret) < need {
		return &ConfigError{Field: "ClientSecretJWT", Problem: fmt.Sprintf("the secret is %d bytes long, but %s needs at least %d (RFC 7518 §3.2): use a longer secret or HS256", len(a.secret), a.cfg.alg, need)}
	}
	return a.newSigner([]byte(a.secret))
}

func newJWTConfig(opts []JWTOption) jwtConfig {
	c := jwtConfig{lifetime: time.Minute}
	for _, o := range opts {
		if o != nil {
			o.jwtOption(&c)
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
	sk, err := newSigningKey(key)
	if err != nil {
		return &ConfigError{Field: "PrivateKeyJWT", Problem: err.Error()}
	}
	if a.cfg.alg == "" {
		a.cfg.alg = sk.algs[0]
	}
	if !slices.Contains(sk.algs, a.cfg.alg) {
		return &ConfigError{Field: "PrivateKeyJWT", Problem: fmt.Sprintf("algorithm %q does not fit this key: use one of %v", a.cfg.alg, sk.algs)}
	}
	return a.newSigner(sk.key)
}

func (a *jwtAuth) newSigner(key any) error {
	if err := checkID(a.field(), a.id); err != nil {
		return err
	}
	if len(a.cfg.errs) > 0 {
		return &ConfigError{Field: a.field(), Problem: a.cfg.errs[0]}
	}
	if a.cfg.aud < AudienceAuto || a.cfg.aud > AudienceTokenEndpoint {
		return &ConfigError{Field: a.field(), Problem: fmt.Sprintf("unknown audience rule %d: use AudienceEndpoint, AudienceIssuer or AudienceTokenEndpoint", a.cfg.aud)}
	}
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if a.cfg.kid != "" {
		opts = opts.WithHeader(jose.HeaderKey("kid"), a.cfg.kid)
	}
	for k, v := range a.cfg.headers {
		opts = opts.WithHeader(k, v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: a.cfg.alg, Key: key}, opts)
	if err != nil {
		// go-jose errors name the problem (e.g. a short HMAC key), never the key.
		return &ConfigError{Field: a.field(), Problem: fmt.Sprintf("cannot sign with %s: %v", a.cfg.alg, err)}
	}
	a.signer = s
	return nil
}

func (a *jwtAuth) clientAuth()      {}
func (a *jwtAuth) Method() string   { return a.method }
func (a *jwtAuth) ClientID() string { return a.id }
func (a *jwtAuth) Validate() error  { return a.err }

// audience applies the configured rule, or the adapter's default rule when
// none was configured.
func (a *jwtAuth) audience(t *bridge.Target) (string, error) {
	if a.cfg.audValue != "" {
		return a.cfg.audValue, nil
	}
	rule := a.cfg.aud
	if rule == AudienceAuto {
		rule = Audience(t.Audience)
	}
	switch rule {
	case AudienceIssuer:
		if t.Issuer == "" {
			return "", &ConfigError{Field: a.field(), Problem: "audience rule AudienceIssuer needs the issuer: set the adapter's Issuer, use discovery, or use WithAudienceValue"}
		}
		return t.Issuer, nil
	case AudienceTokenEndpoint:
		if t.TokenEndpoint == "" {
			return "", &ConfigError{Field: a.field(), Problem: "audience rule AudienceTokenEndpoint needs the token endpoint: set the adapter's TokenEndpoint, use discovery, or use WithAudienceValue"}
		}
		return t.TokenEndpoint, nil
	}
	return t.Endpoint(), nil
}

// assertion signs a fresh client assertion for t. The value is a secret.
func (a *jwtAuth) assertion(t *bridge.Target) (s string, err error) {
	if a.err != nil {
		return "", a.err
	}
	aud, err := a.audience(t)
	if err != nil {
		return "", err
	}
	var jti [16]byte
	_, _ = rand.Read(jti[:])
	now := time.Now()
	claims := jwt.Claims{
		Issuer:   a.id,
		Subject:  a.id,
		Audience: jwt.Audience{aud},
		ID:       base64.RawURLEncoding.EncodeToString(jti[:]),
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(a.cfg.lifetime)),
	}
	defer func() {
		if r := recover(); r != nil { // a crypto.Signer that panics
			s, err = "", &ConfigError{Field: a.field(), Problem: fmt.Sprintf("the key failed to sign (it panicked: %v): check the signer", r)}
		}
	}()
	s, err = jwt.Signed(a.signer).Claims(claims).Serialize()
	if err != nil {
		return "", &ConfigError{Field: a.field(), Problem: fmt.Sprintf("signing the client assertion failed: %v", err)}
	}
	return s, nil
}

func (a *jwtAuth) ApplyAuth(_ context.Context, t *bridge.Target) error {
	s, err := a.assertion(t)
	if err != nil {
		return err
	}
	t.Params.Set("client_assertion_type", ClientAssertionType)
	t.Params.Set("client_assertion", s)
	t.Secrets = append(t.Secrets, s)
	if a.secret != "" {
		t.Secrets = append(t.Secrets, a.secret)
	}
	return nil
}

func (a *jwtAuth) AuthInfo() bridge.AuthInfo {
	return bridge.AuthInfo{Method: a.method, ClientID: a.id, Audience: int(a.cfg.aud), AudienceValue: a.cfg.audValue,
		AudienceSet: a.cfg.audSet, Body: true, SecretBytes: len(a.secret)}
}

func (a *jwtAuth) Choose([]string) (any, error) { return a, nil }

func (a *jwtAuth) Format(f fmt.State, verb rune) {
	fields := [][2]string{{"ClientID", strconv.Quote(a.id)}, {"Algorithm", string(a.cfg.alg)}, {"KeyID", strconv.Quote(a.cfg.kid)}}
	if a.method == MethodClientSecretJWT {
		fields = append(fields, [2]string{"Secret", redact.Quoted(a.secret)})
	} else {
		fields = append(fields, [2]string{"Key", Redacted})
	}
	redact.Format(f, verb, "revoke."+a.field(), fields)
}

func (a *jwtAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", a.method), slog.String("client_id", a.id), slog.String("alg", string(a.cfg.alg)))
}

func (a *jwtAuth) MarshalJSON() ([]byte, error) { return authJSON(a.method, a.id) }
