package oktaadmin

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
}

// Format implements fmt.Formatter with the key redacted.
func (c ServiceAppConfig) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "oktaadmin.ServiceAppConfig", [][2]string{
		{"Domain", strconv.Quote(c.Domain)}, {"ClientID", strconv.Quote(c.ClientID)}, {"Key", keyShown(c.Key)},
		{"KeyID", strconv.Quote(c.KeyID)}, {"Scopes", fmt.Sprintf("%q", c.Scopes)},
	})
}

// LogValue implements slog.LogValuer without the key.
func (c ServiceAppConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("domain", c.Domain), slog.String("client_id", c.ClientID),
		slog.String("key_id", c.KeyID), slog.String("scope", strings.Join(c.Scopes, " ")))
}

// MarshalJSON implements json.Marshaler without the key.
func (c ServiceAppConfig) MarshalJSON() ([]byte, error) {
	key := ""
	if c.Key != nil {
		key = revoke.Redacted
	}
	return json.Marshal(struct {
		Domain   string   `json:"domain"`
		ClientID string   `json:"client_id"`
		Key      string   `json:"key,omitempty"`
		KeyID    string   `json:"key_id,omitempty"`
		Scopes   []string `json:"scopes,omitempty"`
	}{c.Domain, c.ClientID, key, c.KeyID, c.Scopes})
}

func keyShown(k crypto.Signer) string {
	if k == nil {
		return "<nil>"
	}
	return revoke.Redacted
}

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
// (fmt, slog, encoding/json) without its key or cached token.
//
// Okta service apps require DPoP-bound tokens by default; this source asks
// for plain Bearer tokens, so clear "Require Demonstrating Proof of
// Possession (DPoP) header in token requests" in the app's settings. If the
// requirement is on, the error says so.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
type ServiceAppSource struct {
	c        *adapter.Client
	tokenURL *url.URL
	clientID string
	scopes   string
	auth     revoke.ClientAuth
	// cache holds the token; it is a pointer so that copies of the
	// ServiceAppSource share it and printing a copy cannot reach it.
	cache *tokenCache
}

// tokenCache is the one cached token; sem, a channel of one, guards it so
// that waiting for another caller's fetch honours the context.
type tokenCache struct {
	sem chan struct{}
	tok *oauth2.Token
	now func() time.Time
}

var _ oauth2.TokenSource = (*ServiceAppSource)(nil)

// ServiceAppTokenSource validates cfg and returns a token source for the
// service app. opts are the usual adapter options (HTTP client, retries,
// logger) and apply to the token requests.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
func ServiceAppTokenSource(cfg ServiceAppConfig, opts ...revoke.Option) (*ServiceAppSource, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
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
		cache:    &tokenCache{sem: make(chan struct{}, 1), now: time.Now},
	}, nil
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
	tc := s.cache
	select {
	case tc.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &revoke.Error{Op: "okta service app token", Endpoint: adapter.Endpoint(s.tokenURL), Kind: revoke.ErrUnavailable, Err: ctx.Err()}
	}
	defer func() { <-tc.sem }()
	if tc.tok != nil && tc.tok.Expiry.After(tc.now().Add(30*time.Second)) {
		t := *tc.tok
		return &t, nil
	}
	tok, err := s.fetch(ctx)
	if err != nil {
		return nil, err
	}
	tc.tok = tok
	t := *tok
	return &t, nil
}

// fetch makes one client credentials request through the adapter kit; the
// kit signs a fresh assertion for every attempt and scrubs it, and the
// access token, from anything it keeps.
func (s *ServiceAppSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	var accessToken string
	call := &adapter.Call{
		Op:            "okta service app token",
		Method:        http.MethodPost,
		URL:           s.tokenURL,
		Header:        acceptJSON,
		Body:          adapter.Form(url.Values{"grant_type": {"client_credentials"}, "scope": {s.scopes}}),
		Auth:          s.auth,
		TokenEndpoint: s.tokenURL.String(),
		Audience:      revoke.AudienceTokenEndpoint,
		ReadBody:      true,
		Check: func(r *adapter.Response) error {
			if r.StatusCode != http.StatusOK {
				e := r.Fail()
				if e.Code == "invalid_dpop_proof" || e.Code == "use_dpop_nonce" {
					e.Description += " (this service app requires DPoP-bound tokens, which ServiceAppSource does not create yet: clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" in the app's settings)"
				}
				return e
			}
			return nil
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
	if err := json.Unmarshal(resp.Body, &body); err != nil || body.AccessToken == "" {
		return nil, &revoke.Error{Op: call.Op, Endpoint: adapter.Endpoint(s.tokenURL), StatusCode: resp.StatusCode, Attempts: resp.Attempts, RequestID: resp.RequestID,
			Kind: revoke.ErrUnexpectedResponse, Description: "the token response has no access_token"}
	}
	accessToken = body.AccessToken
	tok := &oauth2.Token{AccessToken: accessToken, TokenType: body.TokenType}
	if body.ExpiresIn > 0 {
		tok.Expiry = s.cache.now().Add(time.Duration(min(body.ExpiresIn, 1<<31)) * time.Second)
	}
	return tok.WithExtra(map[string]any{"scope": body.Scope}), nil
}

// Format implements fmt.Formatter: the key and any cached token never
// print, with any verb, for the value and the pointer.
func (s ServiceAppSource) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "oktaadmin.ServiceAppSource", [][2]string{
		{"TokenURL", strconv.Quote(s.TokenURL())}, {"ClientID", strconv.Quote(s.clientID)},
		{"Scopes", strconv.Quote(s.scopes)}, {"Key", s.keyShown()},
	})
}

// LogValue implements slog.LogValuer without secrets.
func (s ServiceAppSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token_url", s.TokenURL()), slog.String("client_id", s.clientID), slog.String("scope", s.scopes))
}

// MarshalJSON implements json.Marshaler without secrets.
func (s ServiceAppSource) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		TokenURL string `json:"token_url"`
		ClientID string `json:"client_id"`
		Scope    string `json:"scope"`
		Key      string `json:"key,omitempty"`
	}{s.TokenURL(), s.clientID, s.scopes, redact.IfSet(s.keyShown())})
}

func (s ServiceAppSource) keyShown() string {
	if s.auth == nil {
		return ""
	}
	return revoke.Redacted
}
