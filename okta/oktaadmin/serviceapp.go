package oktaadmin

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/okta/internal/oktawire"
)

// ServiceAppConfig configures ServiceAppTokenSource. Printing it with any
// fmt verb, logging it with slog or encoding it with encoding/json shows the
// key redacted.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
type ServiceAppConfig struct {
	// Domain is the Okta org domain, as in Config.Domain. Required.
	Domain string
	// ClientID is the API Services app's client ID. Required.
	ClientID string
	// Key signs the client assertions; its public key must be registered in
	// the app's JWKS. RSA (2048 bits or more) and ECDSA keys work with Okta;
	// keys held in a KMS or HSM work through crypto.Signer. Required.
	Key crypto.Signer
	// KeyID is the registered key's "kid", sent in the assertion header so
	// Okta can pick the key when the app has several. Recommended.
	KeyID string
	// Scopes are the Okta scopes to request, e.g. "okta.users.manage".
	// Required: Okta grants a service app only the scopes it asks for.
	Scopes []string
	// DPoPKey signs the DPoP proofs (RFC 9449) sent with every token
	// request and, through an Admin built on this source, with every
	// management call: Okta binds the access tokens it issues to this key
	// (token_type DPoP, RFC 9449 §5) and refuses them without a proof it
	// signed. Okta's DPoP guide keeps it separate from the client
	// authentication key, so passing Key again is refused. An
	// *ecdsa.PrivateKey (P-256: ES256), an *rsa.PrivateKey (2048 bits or
	// more: RS256), an ed25519.PrivateKey or a KMS crypto.Signer works.
	//
	// Nil (the usual choice) generates an ephemeral P-256 key when the
	// source is built: it lives as long as the source, and so do the tokens
	// bound to it. Nothing needs registering: Okta reads the public key from
	// each proof's jwk header.
	//
	// Okta reference: https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
	DPoPKey crypto.Signer
	// DisableDPoP sends no DPoP proof: the source asks for plain Bearer
	// tokens. Set it only for an org without Okta's DPoP feature, or an app
	// whose "Require Demonstrating Proof of Possession (DPoP) header in
	// token requests" is off and which refuses unsolicited proofs. By
	// default every token request carries a proof: an app that requires
	// DPoP gets DPoP-bound tokens, and an app that does not is reported to
	// ignore the proof and issue a Bearer token (okta/okta-sdk-golang#597),
	// which the source accepts as well. With DisableDPoP, an app that
	// requires DPoP answers 400 invalid_dpop_proof "The DPoP proof JWT
	// header is missing."; the error names this field.
	//
	// Okta reference: https://support.okta.com/help/s/article/the-dpop-proof-jwt-header-is-missing
	DisableDPoP bool
}

// fields is what a ServiceAppConfig prints: the keys never print, only
// whether each is set. A nil *ServiceAppConfig has none.
func (c *ServiceAppConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"Key", redact.Key(c.Key)},
		{"KeyID", strconv.Quote(c.KeyID)},
		{"Scopes", fmt.Sprintf("%q", c.Scopes)},
		{"DPoPKey", redact.Key(c.DPoPKey)},
		{"DisableDPoP", strconv.FormatBool(c.DisableDPoP)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the keys
// never print.
func (c ServiceAppConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "oktaadmin.ServiceAppConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *ServiceAppConfig logs as an empty group.
func (c *ServiceAppConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c ServiceAppConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// ServiceAppSource is an oauth2.TokenSource for an Okta API Services app:
// the OAuth 2.0 client credentials grant (RFC 6749 §4.4) at the org
// authorization server's token endpoint, https://{domain}/oauth2/v1/token,
// authenticated with private_key_jwt (RFC 7523 §2.2): every request carries
// a newly signed client assertion whose "aud" is that token URL and whose
// "jti" is fresh, so Okta's replay check never trips.
//
// golang.org/x/oauth2/clientcredentials cannot do this itself: it sends a
// client secret, or fixed EndpointParams, and a fixed assertion would be
// replayed on every refresh.
//
// Tokens are cached until 30 seconds before they expire. It is safe for
// concurrent use: concurrent callers wait for one fetch, each within its own
// context. Give it to Config.TokenSource; the Admin calls TokenContext with
// each request's context. Build it with ServiceAppTokenSource: a zero
// ServiceAppSource or a nil pointer returns a *revoke.ConfigError. It prints
// (fmt, slog, encoding/json) without its keys or cached token.
//
// # DPoP
//
// Okta turns "Require Demonstrating Proof of Possession (DPoP) header in
// token requests" on for new API Services apps. Unless
// ServiceAppConfig.DisableDPoP is set, every token request, the first
// one included, carries a fresh DPoP proof (RFC 9449 §4: typ dpop+jwt, the
// public jwk, jti, htm POST, htu the token URL, iat) signed with
// ServiceAppConfig.DPoPKey. Okta answers the first one 400
// {"error":"use_dpop_nonce"} with a DPoP-Nonce header (RFC 9449 §8); the
// request is sent again at once with a new assertion and a new proof
// carrying the nonce, which is remembered for the next token request (Okta
// renews it every 24 hours and accepts the old one for three days). A
// DPoP-bound token comes back with token_type DPoP and is cached with the
// key it is bound to: TokenContext returns it with TokenType "DPoP", and an
// Admin whose Config.TokenSource is this source presents it as
// "Authorization: DPoP <token>" with a fresh proof carrying its hash (ath)
// on every attempt. A token_type Bearer answer (an app that does not require
// DPoP) is accepted and presented as Bearer.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
// and https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
type ServiceAppSource struct {
	c        *adapter.Client
	tokenURL *url.URL
	clientID string
	scopes   string
	auth     revoke.ClientAuth
	// dpopKey signs the proofs, nil when DPoP is disabled; jkt is its RFC
	// 7638 thumbprint, the value Okta binds tokens to.
	dpopKey crypto.Signer
	jkt     string
	// cache holds the token; it is a pointer so that copies of the
	// ServiceAppSource share it and printing a copy cannot reach it.
	cache *tokenCache
}

// tokenCache is the kit's cache of the one token, with its clock in now,
// which tests move forward. A DPoP-bound token is only ever cached in a
// source holding the key it is bound to.
type tokenCache struct {
	adapter.TokenCache
	now func() time.Time
}

// newTokenCache caches the tokens of the request op to tokenURL until 30
// seconds before they expire.
func newTokenCache(op string, tokenURL *url.URL) *tokenCache {
	tc := &tokenCache{TokenCache: adapter.TokenCache{Op: op, URL: tokenURL, Margin: 30 * time.Second}, now: time.Now}
	tc.Now = func() time.Time { return tc.now() }
	return tc
}

var _ oauth2.TokenSource = (*ServiceAppSource)(nil)

// opServiceAppToken names the token request in errors and logs.
const opServiceAppToken = "okta service app token"

// ServiceAppTokenSource validates cfg and returns a token source for the
// service app. opts are the usual adapter options (HTTP client, retries,
// logger) and apply to the token requests.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
func ServiceAppTokenSource(cfg ServiceAppConfig, opts ...revoke.Option) (*ServiceAppSource, error) {
	dpopKey, jkt, err := serviceAppDPoPKey(cfg)
	if err != nil {
		return nil, err
	}
	if dpopKey != nil {
		// Last, so that it is the one in force whatever opts hold.
		opts = append(opts[:len(opts):len(opts)], revoke.WithDPoP(dpopKey))
	}
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, dpopKeyError(err)
	}
	base, err := oktawire.OrgBase(c, "oktaadmin.ServiceAppConfig.Domain", cfg.Domain)
	if err != nil {
		return nil, err
	}
	if err := adapter.CheckCredential("oktaadmin.ServiceAppConfig.ClientID", cfg.ClientID, "the service app's client ID"); err != nil {
		return nil, err
	}
	if len(cfg.Scopes) == 0 {
		return nil, &revoke.ConfigError{Field: "oktaadmin.ServiceAppConfig.Scopes", Problem: "is empty: list the Okta scopes granted to the app, e.g. okta.users.read and okta.users.manage"}
	}
	for _, s := range cfg.Scopes {
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' || r == '\\' }) {
			return nil, &revoke.ConfigError{Field: "oktaadmin.ServiceAppConfig.Scopes", Problem: fmt.Sprintf("%q is not a scope name: pass one scope per element, e.g. okta.users.manage", shownScope(s))}
		}
	}
	if cfg.Key == nil {
		return nil, &revoke.ConfigError{Field: "oktaadmin.ServiceAppConfig.Key", Problem: "is nil: pass the private key whose public half is registered with the app (*rsa.PrivateKey, *ecdsa.PrivateKey, or a KMS crypto.Signer)"}
	}
	var jopts []revoke.JWTOption
	if cfg.KeyID != "" {
		if err := adapter.CheckCredential("oktaadmin.ServiceAppConfig.KeyID", cfg.KeyID, "the registered key's kid"); err != nil {
			return nil, err
		}
		jopts = append(jopts, revoke.WithKeyID(cfg.KeyID))
	}
	tokenURL := adapter.JoinPath(base, oktawire.OrgTokenPath)
	auth, err := c.CheckAuth("oktaadmin.ServiceAppConfig.Key", revoke.PrivateKeyJWT(cfg.ClientID, cfg.Key, jopts...), []string{revoke.MethodPrivateKeyJWT})
	if err != nil {
		return nil, err
	}
	return &ServiceAppSource{
		c:        c,
		tokenURL: tokenURL,
		clientID: cfg.ClientID,
		scopes:   strings.Join(cfg.Scopes, " "),
		auth:     auth,
		dpopKey:  dpopKey,
		jkt:      jkt,
		cache:    newTokenCache(opServiceAppToken, tokenURL),
	}, nil
}

// serviceAppDPoPKey returns the key that signs the source's proofs and its
// thumbprint: cfg.DPoPKey, a fresh P-256 key when it is nil, or none when
// DPoP is disabled. The key itself is checked by revoke.WithDPoP.
func serviceAppDPoPKey(cfg ServiceAppConfig) (crypto.Signer, string, error) {
	const field = "oktaadmin.ServiceAppConfig.DPoPKey"
	if cfg.DisableDPoP {
		if cfg.DPoPKey != nil {
			return nil, "", &revoke.ConfigError{Field: field, Problem: "is set together with DisableDPoP: leave DPoPKey nil to send no proofs, or clear DisableDPoP to use the key"}
		}
		return nil, "", nil
	}
	key := cfg.DPoPKey
	if key == nil {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is nil and generating an ephemeral P-256 key failed (%v): pass a key", err)}
		}
		key = k
	} else if cfg.Key != nil && samePublicKey(cfg.Key, key) {
		return nil, "", &revoke.ConfigError{Field: field, Problem: "is the client authentication key (Key): Okta keeps the DPoP key separate from the key registered with the app; pass another key, or nil for an ephemeral one"}
	}
	jkt, err := thumbprint(key)
	if err != nil {
		return nil, "", &revoke.ConfigError{Field: field, Problem: err.Error() + ": pass an *ecdsa.PrivateKey, an *rsa.PrivateKey, an ed25519.PrivateKey or a working crypto.Signer, or nil for an ephemeral key"}
	}
	return key, jkt, nil
}

// dpopKeyError names ServiceAppConfig.DPoPKey in a refusal of the key by
// revoke.WithDPoP.
func dpopKeyError(err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) && ce.Field == "WithDPoP" {
		return &revoke.ConfigError{Field: "oktaadmin.ServiceAppConfig.DPoPKey", Problem: ce.Problem, Kind: ce.Kind}
	}
	return err
}

// samePublicKey reports whether two signers have the same public key,
// without panicking on a malformed one.
func samePublicKey(a, b crypto.Signer) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	pa, ok := a.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pa.Equal(b.Public())
}

// thumbprint is the RFC 7638 SHA-256 thumbprint of key's public key, the
// jkt a DPoP-bound token is bound to (RFC 9449 §6.1).
func thumbprint(key crypto.Signer) (jkt string, err error) {
	defer func() {
		if r := recover(); r != nil {
			jkt, err = "", fmt.Errorf("the key is malformed (reading its public key failed)")
		}
	}()
	pub := key.Public()
	if pub == nil {
		return "", fmt.Errorf("the key has no public key")
	}
	tp, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("the public key has no RFC 7638 thumbprint (%v)", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// DPoPThumbprint returns the RFC 7638 SHA-256 thumbprint of the key the
// source signs DPoP proofs with: the "jkt" Okta binds its tokens to (RFC
// 9449 §6.1, the cnf.jkt claim of a DPoP-bound access token). It is "" when
// ServiceAppConfig.DisableDPoP is set, and for a zero source. A thumbprint
// is public.
func (s *ServiceAppSource) DPoPThumbprint() string {
	if s == nil {
		return ""
	}
	return s.jkt
}

func shownScope(s string) string {
	if len(s) > 64 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("(a value of %d bytes)", len(s))
	}
	return s
}

// TokenURL returns the token endpoint the source calls, which is also the
// audience of its client assertions; "" for a zero ServiceAppSource.
func (s *ServiceAppSource) TokenURL() string {
	if s == nil || s.tokenURL == nil {
		return ""
	}
	return s.tokenURL.String()
}

// Token implements oauth2.TokenSource. It uses context.Background(); prefer
// TokenContext, which the Admin calls with each request's context.
func (s *ServiceAppSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a cached token that is still valid for 30 seconds,
// or fetches a new one with ctx. A nil or zero ServiceAppSource, or a nil
// context, is a *revoke.ConfigError.
func (s *ServiceAppSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if s == nil || s.c == nil || s.cache == nil || s.auth == nil || s.tokenURL == nil {
		return nil, &revoke.ConfigError{Field: "oktaadmin.ServiceAppSource", Problem: "is nil or a zero value: build it with oktaadmin.ServiceAppTokenSource", Kind: revoke.ErrInvalidRequest}
	}
	if ctx == nil {
		return nil, &revoke.ConfigError{Field: "oktaadmin.ServiceAppSource.TokenContext: ctx", Problem: "is a nil context: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	return s.cache.Token(ctx, s.fetch)
}

// fetch makes one client credentials request through the adapter kit; the
// kit signs a fresh assertion and, with DPoP, a fresh proof for every
// attempt, answers Okta's use_dpop_nonce with one more attempt, and scrubs
// the assertion, the proof and the access token from anything it keeps.
func (s *ServiceAppSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	call := &adapter.Call{
		Op:            opServiceAppToken,
		Method:        http.MethodPost,
		URL:           s.tokenURL,
		Header:        acceptJSON,
		Body:          adapter.Form(url.Values{"grant_type": {"client_credentials"}, "scope": {s.scopes}}),
		Auth:          s.auth,
		TokenEndpoint: s.tokenURL.String(),
		Audience:      revoke.AudienceTokenEndpoint,
		ReadBody:      true,
		Check: func(r *adapter.Response) error {
			if r.StatusCode == http.StatusOK {
				return nil
			}
			e := r.Fail()
			switch {
			case e.Code == "invalid_dpop_proof" && s.dpopKey == nil:
				e.Description += " (the service app requires DPoP-bound tokens: leave oktaadmin.ServiceAppConfig.DisableDPoP false, and the source sends a proof with every token request)"
			case e.Code == "invalid_dpop_proof":
				e.Description += " (every token request carries a fresh DPoP proof; if the org does not offer DPoP, or the app refuses proofs, set oktaadmin.ServiceAppConfig.DisableDPoP)"
			case e.Code == "use_dpop_nonce":
				e.Description += " (Okta asked for a new nonce again after the nonce handshake: retry later)"
			}
			return e
		},
	}
	resp, err := s.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Scope       string `json:"scope"`
	}
	fail := func(desc string) error {
		return &revoke.Error{Op: call.Op, Endpoint: adapter.Endpoint(s.tokenURL), StatusCode: resp.StatusCode, Attempts: resp.Attempts, RequestID: resp.RequestID,
			Kind: revoke.ErrUnexpectedResponse, Description: desc}
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.AccessToken == "" {
		return nil, fail("the token response has no access_token")
	}
	tok := &oauth2.Token{AccessToken: body.AccessToken}
	// token_type is case-insensitive (RFC 6749 §5.1, RFC 9449 §5).
	switch {
	case strings.EqualFold(body.TokenType, "DPoP") && s.dpopKey != nil:
		tok.TokenType = "DPoP"
	case strings.EqualFold(body.TokenType, "DPoP"):
		return nil, fail("Okta issued a DPoP-bound token to a request that carried no proof")
	case strings.EqualFold(body.TokenType, "Bearer"):
		tok.TokenType = "Bearer"
	default:
		return nil, fail(fmt.Sprintf("the token response has token_type %q: Okta issues Bearer or DPoP tokens", shownScope(body.TokenType)))
	}
	if body.ExpiresIn > 0 {
		tok.Expiry = s.cache.now().Add(time.Duration(min(body.ExpiresIn, 1<<31)) * time.Second)
	}
	extra := map[string]any{"scope": body.Scope}
	if tok.TokenType == "DPoP" {
		extra["dpop_jkt"] = s.jkt
	}
	return tok.WithExtra(extra), nil
}

// bound reports whether tok is DPoP-bound (token_type DPoP).
func bound(tok *oauth2.Token) bool { return strings.EqualFold(tok.TokenType, "DPoP") }

// fields is what a ServiceAppSource prints: the keys and any cached token
// never print; the DPoP key shows by its public thumbprint. A nil
// *ServiceAppSource has none.
func (s *ServiceAppSource) fields() adapter.Fields {
	if s == nil {
		return nil
	}
	return adapter.Fields{
		{"TokenURL", strconv.Quote(redact.URL(s.TokenURL()))},
		{"ClientID", strconv.Quote(s.clientID)},
		{"Scopes", strconv.Quote(s.scopes)},
		{"Key", s.keyShown()},
		{"DPoP", s.dpopShown()},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the keys
// and any cached token never print, for the value and the pointer.
func (s ServiceAppSource) Format(f fmt.State, verb rune) {
	s.fields().Print(f, verb, "oktaadmin.ServiceAppSource")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *ServiceAppSource logs as an empty group.
func (s *ServiceAppSource) LogValue() slog.Value { return s.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (s ServiceAppSource) MarshalJSON() ([]byte, error) { return s.fields().MarshalJSON() }

// dpopShown describes the proof key by its public thumbprint.
func (s ServiceAppSource) dpopShown() string {
	switch {
	case s.auth == nil:
		return ""
	case s.jkt == "":
		return "off"
	}
	return "jkt:" + s.jkt
}

// keyShown renders the client assertion key as "[REDACTED]", or "" for a
// zero ServiceAppSource.
func (s ServiceAppSource) keyShown() string {
	if s.auth == nil {
		return ""
	}
	return revoke.Redacted
}
