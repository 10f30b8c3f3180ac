package dropbox

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker
// (https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke).
// Revoking an access token needs no app credentials: the token
// authenticates its own revocation. AppKey (and AppSecret) let the Revoker
// also revoke through a refresh token, by exchanging it for an access token
// first.
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted, and user info written into BaseURL never prints.
type Config struct {
	// BaseURL is the API host: "" means DefaultBaseURL
	// (https://api.dropboxapi.com). A host alone means https. Plain http is
	// refused except to a loopback address (or with
	// revoke.WithInsecureHTTP); user info, a query and a fragment are
	// refused. /2/auth/token/revoke and /oauth2/token are appended.
	BaseURL string
	// AppKey is the app's key (its OAuth client_id). Optional: with it, a
	// refresh token can be revoked, by exchanging it at /oauth2/token for an
	// access token and revoking that, which ends the refresh token too.
	AppKey string
	// AppSecret is the app's secret, sent with AppKey as HTTP Basic to
	// /oauth2/token. Leave it empty for an app using PKCE without a secret:
	// client_id alone is sent then. Requires AppKey; at least
	// revoke.MinSecretBytes long.
	AppSecret string
}

// fields is what a Config prints: the app secret, and any user info, query
// or fragment in BaseURL, never print. A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"AppKey", strconv.Quote(c.AppKey)},
		{"AppSecret", redact.Quoted(c.AppSecret)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the app
// secret, and any user info, query or fragment in BaseURL, never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "dropbox.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes Dropbox tokens with POST /2/auth/token/revoke,
// authenticated by the token being revoked. Revoking an access token also
// ends its refresh token and every other access token of that refresh
// token. It is safe for concurrent use; create one with New and share it.
// A zero or nil Revoker returns a *revoke.ConfigError.
type Revoker struct {
	c         *adapter.Client
	revokeURL *url.URL
	tokenURL  *url.URL
	// auth authenticates the app at /oauth2/token; nil without AppKey.
	auth   revoke.ClientAuth
	appKey string
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix; no secret is ever
// repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "dropbox.Config.BaseURL"
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	if strings.Contains(raw, "?") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q has a query (?...): pass only the scheme and host", redact.URL(raw))}
	}
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	switch host := strings.ToLower(base.Hostname()); {
	case host == "content.dropboxapi.com":
		return nil, &revoke.ConfigError{Field: field, Problem: "content.dropboxapi.com serves file content only: the RPC endpoints, auth/token/revoke among them, are on https://api.dropboxapi.com (leave BaseURL empty)"}
	case host == "www.dropbox.com" || host == "dropbox.com":
		return nil, &revoke.ConfigError{Field: field, Problem: "is Dropbox's web host: the API is https://api.dropboxapi.com (leave BaseURL empty)"}
	case strings.Contains(strings.ToLower(base.Path), "/2/") || strings.HasSuffix(strings.ToLower(base.Path), "/2") || strings.Contains(strings.ToLower(base.Path), "oauth2"):
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes an endpoint path: pass only the host, e.g. https://api.dropboxapi.com", adapter.Endpoint(base))}
	}
	r := &Revoker{c: c, revokeURL: adapter.JoinPath(base, revokePath...), tokenURL: adapter.JoinPath(base, tokenPath...), appKey: cfg.AppKey}
	switch {
	case cfg.AppKey == "" && cfg.AppSecret != "":
		return nil, &revoke.ConfigError{Field: "dropbox.Config.AppSecret", Problem: "is set without AppKey: set AppKey too (the app's key, from the App Console), or leave both empty"}
	case cfg.AppKey == "":
		return r, nil
	}
	if err := adapter.CheckCredential("dropbox.Config.AppKey", cfg.AppKey, "the app's key, from the App Console"); err != nil {
		return nil, err
	}
	if strings.Contains(cfg.AppKey, ":") {
		return nil, &revoke.ConfigError{Field: "dropbox.Config.AppKey", Problem: "contains ':', which HTTP Basic cannot carry in the user name: check the value, Dropbox app keys are letters and digits"}
	}
	auth := revoke.PublicClient(cfg.AppKey)
	if cfg.AppSecret != "" {
		if err := adapter.CheckSecret("dropbox.Config.AppSecret", cfg.AppSecret, "the app's secret, from the App Console, or nothing for a PKCE app"); err != nil {
			return nil, err
		}
		// Dropbox documents "-u <APP_KEY>:<APP_SECRET>": raw Basic. Its keys
		// and secrets are letters and digits, which the RFC 6749 §2.3.1
		// encoding leaves as they are.
		auth = revoke.ClientSecretBasicRaw(cfg.AppKey, cfg.AppSecret)
	}
	if r.auth, err = c.CheckAuth("dropbox.Config", auth, nil); err != nil {
		return nil, err
	}
	return r, nil
}

// Revoke revokes one token
// (https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke):
//
//	POST {BaseURL}/2/auth/token/revoke
//	Authorization: Bearer <access token>
//
// with no body. 200 is success (the body, null [Inf], is not read): the
// access token, its refresh token and every other access token of that
// refresh token stop working. A 401 whose AuthError tag is
// invalid_access_token or expired_access_token is Result.AlreadyInvalid,
// with Details(res).Tag naming it; an expired access token's refresh token
// may still work (see RevokeToken). Other failures are *revoke.Error
// values: user_suspended, missing_scope and route_access_denied
// revoke.ErrForbidden; 400 (a plain-text body) revoke.ErrInvalidRequest;
// 429 revoke.ErrRateLimited with RetryAfter from Retry-After, after the
// kit's retries; 500 revoke.ErrServer; 503 revoke.ErrUnavailable.
//
// Dropbox revokes through an access token only: a refresh token sent as a
// bearer token would be answered invalid_access_token, an "already invalid"
// that is false. So req.Hint must say what the token is. Empty or
// revoke.HintAccessToken revokes it as an access token.
// revoke.HintRefreshToken exchanges it at /oauth2/token (grant_type
// refresh_token, with Config.AppKey and AppSecret) for a fresh access
// token and revokes that, which ends the refresh token; Details(res).Exchanged
// is true. A refresh token Dropbox no longer honours (invalid_grant) is
// Result.AlreadyInvalid without a revocation call. Without Config.AppKey
// the refresh_token hint is a *revoke.ConfigError matching
// revoke.ErrUnsupported. req.Params must be empty.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.c == nil || r.revokeURL == nil {
		return nil, &revoke.ConfigError{Field: "dropbox.Revoker", Problem: "is not initialised: build it with dropbox.New", Kind: revoke.ErrInvalidRequest}
	}
	if err := adapter.CheckToken(opRevoke, req.Token); err != nil {
		return nil, err
	}
	if len(req.Params) > 0 {
		return nil, &revoke.ConfigError{Field: opRevoke + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "auth/token/revoke takes no arguments: leave Params empty"}
	}
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken:
		return r.revokeAccess(ctx, req.Token, false)
	case revoke.HintRefreshToken:
		if r.auth == nil {
			return nil, &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrUnsupported, Problem: refreshProblem}
		}
		return r.revokeRefresh(ctx, req.Token)
	}
	return nil, &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
		Problem: "is not a hint Dropbox takes: use revoke.HintAccessToken, or revoke.HintRefreshToken for a refresh token"}
}

// refreshProblem explains why a refresh token cannot be revoked without
// the app's key.
const refreshProblem = "is refresh_token, but Dropbox revokes only through an access token: set Config.AppKey (and AppSecret, unless the app uses PKCE) so that the refresh token is exchanged for an access token and that one revoked, which ends the refresh token too; or revoke the access token issued with it"

// revokeAccess calls auth/token/revoke with an access token.
func (r *Revoker) revokeAccess(ctx context.Context, tok string, exchanged bool) (*revoke.Result, error) {
	bearer := "Bearer " + tok
	d := RevokeDetails{Exchanged: exchanged}
	resp, err := r.c.Do(ctx, &adapter.Call{
		Op:      opRevoke,
		Method:  http.MethodPost,
		URL:     r.revokeURL,
		Token:   tok,
		Secrets: []string{bearer},
		Authorize: func(_ context.Context, a *adapter.Attempt) error {
			a.Header.Set("Authorization", bearer)
			a.Secret(bearer)
			return nil
		},
		Check: func(resp *adapter.Response) error {
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				return nil
			}
			if b, ok := resp.ErrorBody(); ok && resp.StatusCode == http.StatusUnauthorized && alreadyInvalid[b.Code] {
				d.Tag = b.Code
				return adapter.AlreadyInvalid
			}
			return resp.Fail()
		},
	})
	if err != nil {
		return nil, err
	}
	res := resp.Result()
	res.Vendor = d
	return res, nil
}

// revokeRefresh exchanges a refresh token for an access token and revokes
// that.
func (r *Revoker) revokeRefresh(ctx context.Context, refresh string) (*revoke.Result, error) {
	var access string
	resp, err := r.c.Do(ctx, &adapter.Call{
		Op:       opRefresh,
		Method:   http.MethodPost,
		URL:      r.tokenURL,
		Header:   acceptJSON,
		Body:     adapter.Form(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}),
		Auth:     r.auth,
		Token:    refresh,
		ReadBody: true,
		Check: func(resp *adapter.Response) error {
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				var t struct {
					AccessToken string `json:"access_token"`
				}
				if json.Unmarshal(resp.Body, &t) != nil || adapter.CheckToken(opRefresh, t.AccessToken) != nil {
					// The body may hold a token: it is never excerpted.
					e := resp.Fail()
					e.Kind, e.Code, e.URI, e.Causes, e.Excerpt = revoke.ErrUnexpectedResponse, "", "", nil, ""
					e.Description = "the token endpoint's answer holds no usable access_token: the refresh token was not revoked"
					return e
				}
				access = t.AccessToken
				return nil
			}
			if b, ok := resp.ErrorBody(); ok && b.Code == "invalid_grant" {
				// The refresh token is revoked, expired or unknown.
				return adapter.AlreadyInvalid
			}
			return resp.Fail()
		},
	})
	if err != nil {
		return nil, err
	}
	if resp.AlreadyInvalid {
		res := resp.Result()
		res.Vendor = RevokeDetails{Tag: "invalid_grant"}
		return res, nil
	}
	return r.revokeAccess(ctx, access, true)
}

// acceptJSON is the fixed header of the token endpoint call.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// RevokeToken implements revoke.TokenRevoker. Revoking an access token
// ends its refresh token and every access token of that refresh token, so
// one call does it:
//
//   - with an access token, one auth/token/revoke call with it. When Dropbox
//     answers that it no longer works (expired or invalid) and t also holds
//     a refresh token, the refresh token may still work: with
//     Config.AppKey it is then revoked through a fresh access token (an
//     /oauth2/token exchange and a second revocation); without, RevokeToken
//     returns a *revoke.Error matching revoke.ErrUnsupported that says so,
//     never a nil that would claim the pair is dead.
//   - with a refresh token only, the exchange and the revocation with
//     Config.AppKey, or a *revoke.ConfigError matching
//     revoke.ErrUnsupported without it.
//
// (https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke)
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if r == nil {
		return &revoke.ConfigError{Field: "dropbox.Revoker", Problem: "is not initialised: build it with dropbox.New", Kind: revoke.ErrInvalidRequest}
	}
	if t != nil && t.AccessToken == "" && t.RefreshToken != "" {
		if r.auth == nil {
			return &revoke.ConfigError{Field: "RevokeToken: token", Kind: revoke.ErrUnsupported,
				Problem: "has a refresh token only, and Dropbox revokes only through an access token: set Config.AppKey (and AppSecret, unless the app uses PKCE) so that it is exchanged for an access token and revoked through that"}
		}
		_, err := r.Revoke(ctx, revoke.Request{Token: t.RefreshToken, Hint: revoke.HintRefreshToken})
		return err
	}
	var res *revoke.Result
	rec := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		var err error
		res, err = r.Revoke(ctx, req)
		return res, err
	})
	var access *oauth2.Token
	if t != nil {
		access = &oauth2.Token{AccessToken: t.AccessToken}
	}
	if err := adapter.RevokePair(ctx, rec, access, adapter.OneCall, "Dropbox"); err != nil || t.RefreshToken == "" || !res.AlreadyInvalid {
		return err
	}
	if r.auth != nil {
		_, err := r.Revoke(ctx, revoke.Request{Token: t.RefreshToken, Hint: revoke.HintRefreshToken})
		return err
	}
	d, _ := Details(res)
	return &revoke.Error{Op: opRevoke + " (refresh token)", Endpoint: adapter.Endpoint(r.revokeURL), StatusCode: res.StatusCode, Attempts: res.Attempts, RequestID: res.RequestID,
		Kind: revoke.ErrUnsupported,
		Description: "the access token no longer worked (" + d.Tag + "), so Dropbox could not end the pair through it, and the refresh token may still work: " +
			"set Config.AppKey (and AppSecret, unless the app uses PKCE) so that RevokeToken exchanges it for an access token and revokes that"}
}

// Endpoint returns the auth/token/revoke URL in use, or "" for a zero
// Revoker.
func (r *Revoker) Endpoint() string {
	if r == nil || r.revokeURL == nil {
		return ""
	}
	return r.revokeURL.String()
}

// TokenEndpoint returns the /oauth2/token URL used to exchange refresh
// tokens, or "" for a zero Revoker.
func (r *Revoker) TokenEndpoint() string {
	if r == nil || r.tokenURL == nil {
		return ""
	}
	return r.tokenURL.String()
}

// AppKey returns Config.AppKey, or "".
func (r *Revoker) AppKey() string {
	if r == nil {
		return ""
	}
	return r.appKey
}

// fields is what a Revoker prints: its endpoints and app key, and whether
// it holds an app secret, never the secret. A nil *Revoker has none.
func (r *Revoker) fields() adapter.Fields {
	if r == nil {
		return nil
	}
	secret := `""`
	if r.auth != nil && r.auth.Method() == revoke.MethodClientSecretBasic {
		secret = redact.Marker
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(r.Endpoint())},
		{"TokenEndpoint", strconv.Quote(r.TokenEndpoint())},
		{"AppKey", strconv.Quote(r.appKey)},
		{"AppSecret", secret},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// Revoker prints its endpoints and app key, never the app secret.
func (r Revoker) Format(f fmt.State, verb rune) { r.fields().Print(f, verb, "dropbox.Revoker") }

// LogValue implements slog.LogValuer with the same fields. A nil *Revoker
// logs as an empty group.
func (r *Revoker) LogValue() slog.Value { return r.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (r Revoker) MarshalJSON() ([]byte, error) { return r.fields().MarshalJSON() }

// RevokeDetails is what Dropbox said about a successful Revoke. Read it
// with Details. It holds nothing secret.
type RevokeDetails struct {
	// Exchanged is true when a refresh token was exchanged for an access
	// token, which was then revoked (revoke.HintRefreshToken).
	Exchanged bool
	// Tag names why an answer was reported as Result.AlreadyInvalid:
	// invalid_access_token or expired_access_token (auth/token/revoke), or
	// invalid_grant (a refresh token /oauth2/token no longer honours).
	Tag string
}

// Details returns the Dropbox details of a Result from Revoke. ok is false
// when res is nil or did not come from this package.
func Details(res *revoke.Result) (d RevokeDetails, ok bool) {
	return adapter.VendorDetails[RevokeDetails](res)
}
