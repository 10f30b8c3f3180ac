package github

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker for one OAuth app or GitHub App
// (https://docs.github.com/en/rest/apps/oauth-applications).
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted, and user info written into BaseURL never prints.
type Config struct {
	// ClientID is the app's client ID ("Iv1.8a61f9b3a7aba766",
	// "Ov23li…"), placed in the URL path and sent as the Basic user name.
	// Required.
	ClientID string
	// ClientSecret is one of the app's client secrets, sent as the Basic
	// password. Required; at least revoke.MinSecretBytes long.
	ClientSecret string
	// BaseURL is the REST API root: "" means DefaultBaseURL
	// (https://api.github.com); GitHub Enterprise Server serves it at
	// "https://HOST/api/v3". A host alone means https. Plain http is refused
	// except to a loopback address (or with revoke.WithInsecureHTTP); user
	// info, a query and a fragment are refused, and so is github.com, the
	// web host.
	BaseURL string
	// NotFoundIsAlreadyInvalid reports GitHub's 404 as
	// Result.AlreadyInvalid instead of an error matching
	// revoke.ErrNotFound. GitHub answers 404 both for a token it does not
	// know (expired, revoked, never issued, or another app's) [3p] and for
	// a wrong client ID or secret [3p], so by default a 404 is an error that
	// says so: a misconfigured Revoker never reports success while the
	// token still works. Set it once the credentials are known to work (a
	// revocation has succeeded with them, or your deployment checks them).
	NotFoundIsAlreadyInvalid bool
}

// fields is what a Config prints: the client secret shows as the
// redaction marker, and BaseURL no user info, query or fragment. A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"NotFoundIsAlreadyInvalid", strconv.FormatBool(c.NotFoundIsAlreadyInvalid)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret, and any user info, query or fragment in BaseURL, never
// print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "github.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes user access tokens of one OAuth app or GitHub App with
// the app's client ID and secret: Revoke deletes one token
// (DELETE /applications/{client_id}/token), RevokeGrant deletes the user's
// whole authorization of the app (DELETE /applications/{client_id}/grant)
// (https://docs.github.com/en/rest/apps/oauth-applications). It is safe for
// concurrent use; create one with New and share it, so that its rate-limit
// pacing sees every call. A zero or nil Revoker returns a
// *revoke.ConfigError.
type Revoker struct {
	c        *adapter.Client
	base     *url.URL
	tokenURL *url.URL
	grantURL *url.URL
	auth     revoke.ClientAuth
	clientID string
	notFound bool
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use; no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := baseURL(c, "github.Config.BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	const (
		fieldID     = "github.Config.ClientID"
		fieldSecret = "github.Config.ClientSecret"
	)
	if err := adapter.CheckCredential(fieldID, cfg.ClientID, "the app's client ID (Settings > Developer settings > your app)"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSegment(fieldID, cfg.ClientID, "Iv1.8a61f9b3a7aba766"); err != nil {
		return nil, err
	}
	if strings.Contains(cfg.ClientID, ":") {
		return nil, &revoke.ConfigError{Field: fieldID, Problem: "contains ':', which HTTP Basic cannot carry in the user name: check the value, GitHub client IDs are letters, digits and '.'"}
	}
	if err := adapter.CheckSecret(fieldSecret, cfg.ClientSecret, "one of the app's client secrets (Settings > Developer settings > your app > Generate a new client secret)"); err != nil {
		return nil, err
	}
	// GitHub's client IDs and secrets are letters, digits and '.': raw Basic
	// (RFC 7617) and RFC 6749 §2.3.1's form-encoded Basic send the same
	// header for them, and raw is what GitHub documents (curl -u id:secret).
	auth, err := c.CheckAuth("github.Config", revoke.ClientSecretBasicRaw(cfg.ClientID, cfg.ClientSecret), []string{revoke.MethodClientSecretBasic})
	if err != nil {
		return nil, err
	}
	app := adapter.JoinPath(base, applicationsSegment, cfg.ClientID)
	return &Revoker{
		c:        c,
		base:     base,
		tokenURL: adapter.JoinPath(app, tokenSegment),
		grantURL: adapter.JoinPath(app, grantSegment),
		auth:     auth,
		clientID: cfg.ClientID,
		notFound: cfg.NotFoundIsAlreadyInvalid,
	}, nil
}

// baseURL resolves a BaseURL field: DefaultBaseURL when empty; GitHub's web
// host and an endpoint path are refused.
func baseURL(c *adapter.Client, field, raw string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultBaseURL
	}
	if err := checkNoQuery(field, raw); err != nil {
		return nil, err
	}
	u, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	if webHost(u.Hostname()) {
		return nil, &revoke.ConfigError{Field: field, Problem: "is GitHub's web host: the REST API of github.com is https://api.github.com (leave BaseURL empty); GitHub Enterprise Server's is https://HOST/api/v3"}
	}
	for _, seg := range strings.Split(strings.ToLower(u.Path), "/") {
		if seg == applicationsSegment || seg == "credentials" {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes an endpoint path: pass only the API root (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)", adapter.Endpoint(u))}
		}
	}
	return u, nil
}

// Revoke deletes one user access token of the app: DELETE
// /applications/{client_id}/token with Basic client_id:client_secret and
// the JSON body {"access_token":"<req.Token>"}; 204 is success
// (https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token).
// It works for OAuth app tokens (gho_) and GitHub App user tokens (ghu_).
//
// A 404 is an error matching revoke.ErrNotFound that explains GitHub's two
// readings (see Config.NotFoundIsAlreadyInvalid), or Result.AlreadyInvalid
// with that option. Other failures are *revoke.Error values: 401
// revoke.ErrInvalidClient, 422 ("Validation failed, or the endpoint has
// been spammed") revoke.ErrInvalidRequest, 403 or 429 for a primary or
// secondary rate limit revoke.ErrRateLimited with RetryAfter from
// retry-after or x-ratelimit-reset, another 403 revoke.ErrForbidden.
//
// req.Hint may be empty or revoke.HintAccessToken. A refresh token (hint
// refresh_token, or a ghr_ token), a personal access token (ghp_,
// github_pat_) and an installation token (ghs_) are refused before sending,
// as a *revoke.ConfigError matching revoke.ErrUnsupported that names what
// revokes them. req.Params must be empty.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	return r.delete(ctx, opToken, r.tokenURLOrNil(), req)
}

// RevokeGrant deletes the user's authorization of the app, found through
// one of their access tokens: DELETE /applications/{client_id}/grant, with
// the same authentication and body as Revoke. GitHub then deletes every
// OAuth token of that user for the app, refresh tokens included, and the
// app disappears from the user's authorized applications; the user must
// authorize it again to get new tokens
// (https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization).
// Answers and refusals are as for Revoke.
//
// Use it for "sign this user out of my app everywhere", or to end a GitHub
// App refresh token, which GitHub's app endpoints cannot revoke alone.
// Grants returns it as a revoke.Revoker.
func (r *Revoker) RevokeGrant(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	var u *url.URL
	if r != nil {
		u = r.grantURL
	}
	return r.delete(ctx, opGrant, u, req)
}

func (r *Revoker) tokenURLOrNil() *url.URL {
	if r == nil {
		return nil
	}
	return r.tokenURL
}

// delete sends one DELETE of the token or grant endpoint.
func (r *Revoker) delete(ctx context.Context, op string, u *url.URL, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.c == nil || u == nil {
		return nil, &revoke.ConfigError{Field: "github.Revoker", Problem: "is not initialised: build it with github.New", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkAppRequest(op, req); err != nil {
		return nil, err
	}
	resp, err := r.c.Do(ctx, &adapter.Call{
		Op:     op,
		Method: http.MethodDelete,
		URL:    u,
		Header: header,
		Body:   adapter.JSON(accessTokenBody{AccessToken: req.Token}),
		Auth:   r.auth,
		Token:  req.Token,
		// Both endpoints count against the app's rate limit: one bucket.
		Bucket: "github app " + r.clientID,
		Check:  r.check,
	})
	if err != nil {
		return nil, err
	}
	res := resp.Result()
	res.Vendor = readDetails(resp)
	return res, nil
}

// accessTokenBody is the JSON body of the token and grant endpoints.
type accessTokenBody struct {
	AccessToken string `json:"access_token"`
}

// check judges an answer of the token or grant endpoint.
func (r *Revoker) check(resp *adapter.Response) error {
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusNotFound && !rateLimited(resp):
		if r.notFound {
			return adapter.AlreadyInvalid
		}
		e := resp.Fail()
		e.Description = joinText(e.Description, notFoundHint)
		return e
	case s == http.StatusUnprocessableEntity:
		e := resp.Fail()
		e.Description = joinText(e.Description, spammedHint)
		return e
	}
	return failure(resp)
}

// checkAppRequest refuses, before anything is sent, what the token and
// grant endpoints cannot take.
func checkAppRequest(op string, req revoke.Request) error {
	if err := adapter.CheckToken(op, req.Token); err != nil {
		return err
	}
	field := op + ": Request.Token"
	if !utf8.ValidString(req.Token) {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
			Problem: "is not valid UTF-8: GitHub takes the token in a JSON body, which cannot carry these bytes unchanged; check how the token was read"}
	}
	switch {
	case strings.HasPrefix(req.Token, PrefixRefresh):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrUnsupported,
			Problem: "starts with ghr_, a GitHub App refresh token: the app endpoints take access tokens only; RevokeToken (or RevokeGrant with the access token) ends the refresh token with its grant, and CredentialRevoker revokes a leaked one"}
	case strings.HasPrefix(req.Token, PrefixPAT), strings.HasPrefix(req.Token, PrefixFineGrainedPAT):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrUnsupported,
			Problem: "is a personal access token, which belongs to no app: its owner deletes it in Settings > Developer settings, and CredentialRevoker revokes a leaked one"}
	case strings.HasPrefix(req.Token, PrefixServerToServer):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrUnsupported,
			Problem: "starts with ghs_, a GitHub App installation token: it is revoked with DELETE /installation/token authenticated by the token itself (https://docs.github.com/en/rest/apps/installations#revoke-an-installation-access-token), not with the app's client secret"}
	}
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken:
	case revoke.HintRefreshToken:
		return &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrUnsupported,
			Problem: "is refresh_token, but GitHub's app endpoints take access tokens only: use RevokeToken with the pair (it deletes the grant, which ends the refresh token), or CredentialRevoker for a leaked refresh token"}
	default:
		return &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is not a hint GitHub takes: leave it empty or use revoke.HintAccessToken"}
	}
	if len(req.Params) > 0 {
		return &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "GitHub's token and grant endpoints take only the access token: leave Params empty"}
	}
	return nil
}

// RevokeToken implements revoke.TokenRevoker:
//
//   - an access token alone (OAuth apps, and GitHub Apps without expiring
//     tokens) is deleted with Revoke, one call;
//   - an access token with a refresh token (a GitHub App with expiring user
//     tokens) ends with RevokeGrant, one call: GitHub's app endpoints
//     cannot revoke a refresh token alone, and deleting the grant deletes
//     every token of that user for the app, the refresh token included. The
//     user must authorize the app again;
//   - a refresh token alone is a *revoke.ConfigError matching
//     revoke.ErrUnsupported: both endpoints find the grant through an
//     access token.
//
// (https://docs.github.com/en/rest/apps/oauth-applications)
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if r == nil {
		return &revoke.ConfigError{Field: "github.Revoker", Problem: "is not initialised: build it with github.New", Kind: revoke.ErrInvalidRequest}
	}
	if t != nil && t.AccessToken != "" && t.RefreshToken != "" {
		return adapter.RevokePair(ctx, revoke.RevokerFunc(r.RevokeGrant), &oauth2.Token{AccessToken: t.AccessToken}, adapter.OneCall, "GitHub")
	}
	return revokeAccess(ctx, revoke.RevokerFunc(r.Revoke), t)
}

// revokeAccess revokes t's access token with one call of rv, refusing a
// token with a refresh token only.
func revokeAccess(ctx context.Context, rv revoke.Revoker, t *oauth2.Token) error {
	if t != nil && t.AccessToken == "" && t.RefreshToken != "" {
		return &revoke.ConfigError{Field: "RevokeToken: token", Kind: revoke.ErrUnsupported,
			Problem: "has a refresh token only: GitHub's token and grant endpoints find the authorization through an access token; refresh it for an access token and revoke that, or revoke a leaked refresh token with CredentialRevoker"}
	}
	if t != nil {
		t = &oauth2.Token{AccessToken: t.AccessToken}
	}
	return adapter.RevokePair(ctx, rv, t, adapter.OneCall, "GitHub")
}

// Grants returns a revoke.Revoker whose Revoke is RevokeGrant: every token
// revoked through it ends its user's whole authorization of the app. Its
// RevokeToken deletes the grant through the access token. It shares the
// Revoker's client and pacing.
func (r *Revoker) Grants() revoke.Revoker { return grants{r} }

// grants is the Revoker of Grants.
type grants struct{ r *Revoker }

func (g grants) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	return g.r.RevokeGrant(ctx, req)
}

func (g grants) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if g.r == nil {
		return &revoke.ConfigError{Field: "github.Revoker", Problem: "is not initialised: build it with github.New", Kind: revoke.ErrInvalidRequest}
	}
	return revokeAccess(ctx, revoke.RevokerFunc(g.r.RevokeGrant), t)
}

func (g grants) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "github.Grants", [][2]string{{"Endpoint", strconv.Quote(g.r.GrantEndpoint())}, {"ClientID", strconv.Quote(g.r.ClientID())}})
}

func (g grants) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", g.r.GrantEndpoint()), slog.String("client_id", g.r.ClientID()))
}

func (g grants) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint string `json:"endpoint"`
		ClientID string `json:"client_id"`
	}{g.r.GrantEndpoint(), g.r.ClientID()})
}

// Endpoint returns the token deletion URL in use,
// {BaseURL}/applications/{client_id}/token, or "" for a zero Revoker.
func (r *Revoker) Endpoint() string {
	if r == nil || r.tokenURL == nil {
		return ""
	}
	return r.tokenURL.String()
}

// GrantEndpoint returns the grant deletion URL in use,
// {BaseURL}/applications/{client_id}/grant, or "" for a zero Revoker.
func (r *Revoker) GrantEndpoint() string {
	if r == nil || r.grantURL == nil {
		return ""
	}
	return r.grantURL.String()
}

// ClientID returns the app's client ID, or "" for a zero Revoker.
func (r *Revoker) ClientID() string {
	if r == nil {
		return ""
	}
	return r.clientID
}

// Format implements fmt.Formatter: the Revoker prints its endpoints and
// client ID, never the client secret, with any verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "github.Revoker", [][2]string{
		{"Endpoint", strconv.Quote(r.Endpoint())},
		{"GrantEndpoint", strconv.Quote(r.GrantEndpoint())},
		{"ClientID", strconv.Quote(r.clientID)},
		{"ClientSecret", secretMarker(r.auth != nil)},
		{"NotFoundIsAlreadyInvalid", strconv.FormatBool(r.notFound)},
	})
}

// LogValue implements slog.LogValuer without the client secret. It has a
// pointer receiver so that a nil *Revoker logs as empty; a Revoker value
// logs through Format and MarshalJSON.
func (r *Revoker) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(
		slog.String("endpoint", r.Endpoint()),
		slog.String("grant_endpoint", r.GrantEndpoint()),
		slog.String("client_id", r.clientID),
	)
}

// MarshalJSON implements json.Marshaler without the client secret.
func (r Revoker) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint      string `json:"endpoint"`
		GrantEndpoint string `json:"grant_endpoint"`
		ClientID      string `json:"client_id"`
	}{r.Endpoint(), r.GrantEndpoint(), r.clientID})
}

// secretMarker prints a secret that is set as the redaction marker.
func secretMarker(set bool) string {
	if set {
		return redact.Marker
	}
	return `""`
}

// checkNoQuery refuses a base URL with a query before the kit sees it: the
// kit's error would repeat the query, which may hold a credential
// (?token=…).
func checkNoQuery(field, raw string) error {
	if strings.Contains(raw, "?") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q has a query (?...): pass only the scheme, host and any path prefix", redact.URL(raw))}
	}
	return nil
}
