package onelogin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// TokenSource is an oauth2.TokenSource of OneLogin API access tokens, the
// tokens OneLogin's resource APIs (users, logout) take: Generate Tokens v2
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens),
//
//	POST https://<subdomain>.onelogin.com/auth/oauth2/v2/token
//	Authorization: Basic base64(<client_id>:<client_secret>)        (V2)
//	Authorization: client_id:<client_id>, client_secret:<client_secret>  (V1)
//	Content-Type: application/json
//
//	{"grant_type":"client_credentials"}
//
// answered with the RFC 6749 §5.1 object {"access_token","expires_in",
// "token_type":"bearer","refresh_token",…}. OneLogin's tokens live ten
// hours, and it hands the same token back until it expires or is revoked.
//
// Tokens are cached until a minute before they expire. It is safe for
// concurrent use: concurrent callers wait for one fetch, each within its own
// context. Build it with NewTokenSource; a zero TokenSource or a nil
// pointer returns a *revoke.ConfigError. It prints (fmt, slog,
// encoding/json) without its secret or cached token.
type TokenSource struct {
	c     *adapter.Client
	url   *url.URL
	cred  credential
	cache *adapter.TokenCache
}

var _ oauth2.TokenSource = (*TokenSource)(nil)

// expiryMargin is how long before its expiry a cached token is replaced.
const expiryMargin = time.Minute

// opToken names the token request in errors and logs.
const opToken = "onelogin token"

// NewTokenSource validates cfg, the API credential pair, and returns a
// token source for it. The API credential needs the scope of the calls the
// tokens make (Manage users, or Manage All, for Admin). Every mistake is a
// *revoke.ConfigError naming the field, as for New. opts are the usual
// adapter options (HTTP client, retries, logger) and apply to the token
// requests.
//
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens
func NewTokenSource(cfg Config, opts ...revoke.Option) (*TokenSource, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return newTokenSource(c, "onelogin.Config", cfg)
}

func newTokenSource(c *adapter.Client, prefix string, cfg Config) (*TokenSource, error) {
	base, err := resolveBase(c, prefix, cfg.Subdomain, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cred, err := newCredential(c, prefix, cfg.ClientID, cfg.ClientSecret, cfg.API)
	if err != nil {
		return nil, err
	}
	u := adapter.JoinPath(base, TokenPath)
	// OneLogin's answer always has expires_in; a token without one is kept
	// until OneLogin refuses it.
	cache := &adapter.TokenCache{Op: opToken, URL: u, Margin: expiryMargin, KeepUndated: true, Now: time.Now}
	return &TokenSource{c: c, url: u, cred: cred, cache: cache}, nil
}

// TokenURL returns the token endpoint the source calls,
// <base>/auth/oauth2/v2/token
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens),
// or "" for a zero TokenSource.
func (s *TokenSource) TokenURL() string {
	if s == nil || s.url == nil {
		return ""
	}
	return s.url.String()
}

// Token implements oauth2.TokenSource. It uses context.Background(); prefer
// TokenContext, which Admin calls with each request's context
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext returns a cached token that is still valid for a minute, or
// fetches a new one with ctx
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
// A nil or zero TokenSource, or a nil context, is a *revoke.ConfigError.
func (s *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if s == nil || s.c == nil || s.cache == nil || s.url == nil {
		return nil, &revoke.ConfigError{Field: "onelogin.TokenSource", Problem: "is nil or a zero value: build it with onelogin.NewTokenSource", Kind: revoke.ErrInvalidRequest}
	}
	if ctx == nil {
		return nil, &revoke.ConfigError{Field: "onelogin.TokenSource.TokenContext: ctx", Problem: "is a nil context: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	return s.cache.Token(ctx, s.fetch)
}

// forget drops the cached token if it is tok, so that the next call fetches
// a new one: OneLogin refused it before its expiry (it was revoked).
func (s *TokenSource) forget(tok string) {
	if s != nil {
		s.cache.Forget(tok)
	}
}

// tokenHint explains a 500 from the token endpoint.
const tokenHint = "OneLogin answers 500 when the user who created the API credential was deleted: generate a new credential (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens)"

// fetch makes one token request through the adapter kit, which scrubs the
// credential and the tokens from anything it keeps.
func (s *TokenSource) fetch(ctx context.Context) (*oauth2.Token, error) {
	var found envelope
	call := &adapter.Call{
		Op:       opToken,
		Method:   http.MethodPost,
		URL:      s.url,
		Header:   acceptJSON,
		Body:     adapter.JSONFields(url.Values{"grant_type": {"client_credentials"}}),
		ReadBody: true,
		Check: func(r *adapter.Response) error {
			if r.StatusCode == http.StatusOK {
				if env, kind := parseEnvelope(r.Body); kind == bodyEnvelope && env.failed() {
					return checkEnvelope(r, &found, tokenHints)
				}
				return nil
			}
			return checkEnvelope(r, &found, tokenHints)
		},
	}
	s.cred.apply(call)
	resp, err := s.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	tok, err := resp.AccessToken(s.cache.Time())
	if e, ok := err.(*revoke.Error); ok {
		e.Description += " (this SDK calls Generate Tokens v2, " + TokenPath + ", which answers without a status envelope)"
	}
	return tok, err
}

// tokenHints adds advice to a token endpoint error.
func tokenHints(e *revoke.Error) {
	switch {
	case e.Kind == revoke.ErrServer && e.StatusCode == http.StatusInternalServerError:
		e.Description = joinText(e.Description, tokenHint)
	case e.Kind == revoke.ErrInvalidClient:
		e.Description = joinText(e.Description, "check the API credential (Developers > API Credentials) and Config.API")
	}
}

// fields is what a TokenSource prints: the secret and any cached token
// never print. A nil *TokenSource has none.
func (s *TokenSource) fields() adapter.Fields {
	if s == nil {
		return nil
	}
	return adapter.Fields{
		{"TokenURL", strconv.Quote(redact.URL(s.TokenURL()))},
		{"API", s.cred.api.String()},
		{"ClientID", strconv.Quote(s.cred.clientID)},
		{"ClientSecret", redact.Quoted(s.cred.secret.Reveal())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// secret and any cached token never print, for the value and the pointer.
func (s TokenSource) Format(f fmt.State, verb rune) {
	s.fields().Print(f, verb, "onelogin.TokenSource")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *TokenSource logs as an empty group.
func (s *TokenSource) LogValue() slog.Value { return s.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (s TokenSource) MarshalJSON() ([]byte, error) { return s.fields().MarshalJSON() }
