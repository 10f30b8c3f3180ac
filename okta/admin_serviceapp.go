package okta

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
	"github.com/revokekit/revoke/internal/errbody"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
)

// ServiceAppConfig configures ServiceAppTokenSource. Printing it with any
// fmt verb shows the key redacted.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
type ServiceAppConfig struct {
	// Domain is the Okta org domain, as in AdminConfig.Domain. Required.
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
	key := "<nil>"
	if c.Key != nil {
		key = revoke.Redacted
	}
	redact.Format(f, verb, "okta.ServiceAppConfig", [][2]string{
		{"Domain", strconv.Quote(c.Domain)}, {"ClientID", strconv.Quote(c.ClientID)}, {"Key", key},
		{"KeyID", strconv.Quote(c.KeyID)}, {"Scopes", fmt.Sprintf("%q", c.Scopes)},
	})
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
// Tokens are cached until shortly before they expire. It is safe for
// concurrent use: concurrent callers wait for one fetch. Give it to
// AdminConfig.TokenSource; the Admin calls TokenContext with each request's
// context.
//
// Okta service apps require DPoP-bound tokens by default; this source asks
// for plain Bearer tokens, so clear "Require Demonstrating Proof of
// Possession (DPoP) header in token requests" in the app's settings. If the
// requirement is on, the error says so.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
type ServiceAppSource struct {
	tokenURL *url.URL
	clientID string
	scopes   string
	auth     revoke.ClientAuth
	wire     *wire.Client
	now      func() time.Time

	sem chan struct{} // holds the cache; a token of one guards fetches
	tok *oauth2.Token
}

var _ oauth2.TokenSource = (*ServiceAppSource)(nil)

// ServiceAppTokenSource validates cfg and returns a token source for the
// service app. opts are the usual adapter options (HTTP client, retries,
// logger) and apply to the token requests.
//
// Okta reference: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
func ServiceAppTokenSource(cfg ServiceAppConfig, opts ...revoke.Option) (*ServiceAppSource, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := adminBaseURL("okta.ServiceAppConfig.Domain", cfg.Domain, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if len(cfg.Scopes) == 0 {
		return nil, &revoke.ConfigError{Field: "okta.ServiceAppConfig.Scopes", Problem: "is empty: list the Okta scopes granted to the app, e.g. okta.users.read and okta.users.manage"}
	}
	for _, s := range cfg.Scopes {
		if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return nil, &revoke.ConfigError{Field: "okta.ServiceAppConfig.Scopes", Problem: fmt.Sprintf("%q is not a scope name: pass one scope per element, e.g. okta.users.manage", s)}
		}
	}
	var jopts []revoke.JWTOption
	if cfg.KeyID != "" {
		jopts = append(jopts, revoke.WithKeyID(cfg.KeyID))
	}
	auth := revoke.PrivateKeyJWT(cfg.ClientID, cfg.Key, jopts...)
	if err := auth.Validate(); err != nil {
		return nil, err
	}
	tokenURL := *base
	tokenURL.Path = "/oauth2/v1/token"
	s := &ServiceAppSource{
		tokenURL: &tokenURL,
		clientID: cfg.ClientID,
		scopes:   strings.Join(cfg.Scopes, " "),
		auth:     auth,
		wire:     wire.New(o),
		now:      time.Now,
		sem:      make(chan struct{}, 1),
	}
	return s, nil
}

// TokenURL returns the token endpoint the source calls, which is also the
// audience of its client assertions.
func (s *ServiceAppSource) TokenURL() string { return s.tokenURL.String() }

// Token implements oauth2.TokenSource. It uses context.Background(); prefer
// TokenContext, which the Admin calls with each request's context.
func (s *ServiceAppSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a cached token that is still valid, or fetches a new
// one with ctx.
func (s *ServiceAppSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &revoke.Error{Op: "okta service app token", Endpoint: wire.Endpoint(s.tokenURL), Kind: revoke.ErrUnavailable, Err: ctx.Err()}
	}
	defer func() { <-s.sem }()
	if s.tok != nil && s.tok.Expiry.After(s.now().Add(30*time.Second)) {
		t := *s.tok
		return &t, nil
	}
	tok, err := s.fetch(ctx)
	if err != nil {
		return nil, err
	}
	s.tok = tok
	t := *tok
	return &t, nil
}

var tokenRequestHeader = http.Header{
	"Content-Type": {"application/x-www-form-urlencoded"},
	"Accept":       {"application/json"},
}

func (s *ServiceAppSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	call := &wire.Call{Op: "okta service app token", Method: http.MethodPost, URL: s.tokenURL, Header: tokenRequestHeader, KeepBody: true,
		OK: func(status int) bool { return status == http.StatusOK }}
	call.Build = func(ctx context.Context, h http.Header) ([]byte, error) {
		form := url.Values{"grant_type": {"client_credentials"}, "scope": {s.scopes}}
		t := revoke.AuthTarget{Header: h, Form: form, Endpoint: s.tokenURL.String(), TokenEndpoint: s.tokenURL.String()}
		if err := s.auth.Apply(ctx, &t); err != nil {
			return nil, err
		}
		call.Secrets = append(call.Secrets, form.Get("client_assertion"))
		return []byte(form.Encode()), nil
	}
	call.Classify = func(e *revoke.Error, _ errbody.Body, _ http.Header) {
		if e.Code == "invalid_dpop_proof" || e.Code == "use_dpop_nonce" {
			e.Description += " (this service app requires DPoP-bound tokens, which ServiceAppSource does not create yet: clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" in the app's settings)"
		}
	}
	resp, err := s.wire.Do(ctx, call)
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
		return nil, &revoke.Error{Op: call.Op, Endpoint: wire.Endpoint(s.tokenURL), StatusCode: resp.StatusCode, Kind: revoke.ErrUnexpectedResponse,
			Description: "the token response has no access_token"}
	}
	tok := &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType}
	if body.ExpiresIn > 0 {
		tok.Expiry = s.now().Add(time.Duration(body.ExpiresIn) * time.Second)
	}
	return tok.WithExtra(map[string]any{"scope": body.Scope}), nil
}

// Format implements fmt.Formatter: the key and any cached token print
// redacted.
func (s *ServiceAppSource) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "okta.ServiceAppSource", [][2]string{
		{"TokenURL", strconv.Quote(s.tokenURL.String())}, {"ClientID", strconv.Quote(s.clientID)},
		{"Scopes", strconv.Quote(s.scopes)}, {"Key", revoke.Redacted},
	})
}

// LogValue implements slog.LogValuer without secrets.
func (s *ServiceAppSource) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token_url", s.tokenURL.String()), slog.String("client_id", s.clientID), slog.String("scope", s.scopes))
}
