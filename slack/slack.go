package slack

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
// (https://docs.slack.dev/reference/methods/auth.revoke). Slack needs no
// client credentials: the token being revoked authenticates its own
// revocation.
//
// Config prints with any user info, query or fragment of BaseURL redacted.
type Config struct {
	// BaseURL is the Web API root: "" means DefaultBaseURL
	// (https://slack.com/api); GovSlack's is https://slack-gov.com/api. A
	// host alone means https. Plain http is refused except to a loopback
	// address (or with revoke.WithInsecureHTTP); user info, a query and a
	// fragment are refused, and so is slack.com without /api.
	BaseURL string
	// Test sends test=1 with every call: Slack checks the token and answers
	// {"ok":true,"revoked":false} without revoking it, a dry run.
	// Details(res).DryRun reports it. Request.Params{"test": {"1"}} does the
	// same for one call.
	Test bool
	// InvalidAuthIsAlreadyInvalid counts Slack's invalid_auth answer as
	// "the token no longer works" (Result.AlreadyInvalid). Slack gives that
	// code both for a dead token and for a live one called from outside the
	// workspace's allowed IP ranges ("Either the provided token is invalid
	// or the request originates from an IP address disallowed from making
	// the request", https://docs.slack.dev/reference/methods/auth.revoke),
	// so by default it is an error: a revocation refused by an IP allow-list
	// must not read as done. Set it when the workspace has no IP
	// restrictions, so that revoking a token twice succeeds.
	InvalidAuthIsAlreadyInvalid bool
}

// fields is what a Config prints: user info, a query or a fragment in
// BaseURL never print (a Config holds no credential otherwise). A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Test", strconv.FormatBool(c.Test)},
		{"InvalidAuthIsAlreadyInvalid", strconv.FormatBool(c.InvalidAuthIsAlreadyInvalid)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: user
// info, a query or a fragment in BaseURL never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "slack.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes Slack tokens (user xoxp-, bot xoxb-, and rotating
// xoxe.xoxp- / xoxe.xoxb- access tokens) with auth.revoke. It holds no
// credential: each call authenticates with the token it revokes. It is safe
// for concurrent use; create one with New and share it. A zero or nil
// Revoker returns a *revoke.ConfigError.
type Revoker struct {
	c           *adapter.Client
	url         *url.URL
	test        bool
	invalidAuth bool // Config.InvalidAuthIsAlreadyInvalid
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "slack.Config.BaseURL"
	raw := cfg.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	if err := checkNoQuery(field, raw); err != nil {
		return nil, err
	}
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	host := strings.ToLower(base.Hostname())
	switch {
	case (host == "slack.com" || host == "slack-gov.com" || host == "api.slack.com") && base.Path != "/api":
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not the Web API root: use https://slack.com/api (GovSlack: https://slack-gov.com/api), or leave BaseURL empty", adapter.Endpoint(base))}
	case strings.HasSuffix(strings.ToLower(base.Path), "/"+method):
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes the method: pass the Web API root, e.g. https://slack.com/api", adapter.Endpoint(base))}
	}
	return &Revoker{c: c, url: adapter.JoinPath(base, method), test: cfg.Test, invalidAuth: cfg.InvalidAuthIsAlreadyInvalid}, nil
}

// Revoke revokes req.Token with auth.revoke
// (https://docs.slack.dev/reference/methods/auth.revoke):
//
//	POST {BaseURL}/auth.revoke
//	Authorization: Bearer <req.Token>
//	Content-Type: application/x-www-form-urlencoded   (only with test=1)
//
//	test=1                                           (only in test mode)
//
// Slack answers HTTP 200 whatever happened, and the body says what:
//
//   - {"ok":true,"revoked":true}: revoked. Details(res).Revoked is true.
//   - {"ok":true,"revoked":false} in test mode (Config.Test, or
//     Params{"test":{"1"}}): the token works and was left alone.
//     Details(res).DryRun is true. Outside test mode such an answer is an
//     error matching revoke.ErrUnexpectedResponse: nothing says the token
//     stopped working.
//   - {"ok":false} with token_revoked, account_inactive or token_expired:
//     the token no longer works; Result.AlreadyInvalid is true and
//     Details(res).Error names the code.
//   - {"ok":false} with invalid_auth: the token is dead, or it is live and
//     the call came from outside the workspace's allowed IP ranges. By
//     default an error matching revoke.ErrInvalidToken saying both; with
//     Config.InvalidAuthIsAlreadyInvalid, Result.AlreadyInvalid.
//   - any other {"ok":false}: never a success. not_authed and malformed
//     requests are revoke.ErrInvalidRequest; not_bearer_token and
//     not_allowed_token_type revoke.ErrUnsupportedTokenType; permission
//     codes revoke.ErrForbidden; ratelimited revoke.ErrRateLimited;
//     internal_error and fatal_error revoke.ErrServer;
//     service_unavailable, team_added_to_org and request_timeout
//     revoke.ErrUnavailable; any other code revoke.ErrUnexpectedResponse.
//     Error.Code is Slack's code, Error.Description its documented meaning.
//   - HTTP 429 (Slack's rate limit, with Retry-After) is retried by the kit
//     within the retry policy, then revoke.ErrRateLimited with RetryAfter;
//     502, 503 and 504 likewise as revoke.ErrUnavailable.
//
// req.Hint may be empty or revoke.HintAccessToken: a refresh token cannot
// authenticate a Web API call, so revoke.HintRefreshToken is refused
// (revoke.ErrUnsupported). req.Params may hold only "test": "1" or "true"
// for a dry run, "0" or "false" for a real revocation even with
// Config.Test.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.c == nil || r.url == nil {
		return nil, &revoke.ConfigError{Field: "slack.Revoker", Problem: "is not initialised: build it with slack.New", Kind: revoke.ErrInvalidRequest}
	}
	test, err := r.checkRequest(req)
	if err != nil {
		return nil, err
	}
	bearer := "Bearer " + req.Token
	d := RevokeDetails{DryRun: test}
	call := &adapter.Call{
		Op:       op,
		Method:   http.MethodPost,
		URL:      r.url,
		Header:   acceptJSON,
		Token:    req.Token,
		Secrets:  []string{bearer},
		ReadBody: true,
		Authorize: func(_ context.Context, a *adapter.Attempt) error {
			a.Header.Set("Authorization", bearer)
			a.Secret(bearer)
			return nil
		},
		Check: func(resp *adapter.Response) error { return check(resp, &d, r.invalidAuth) },
	}
	if test {
		// Without a payload there is no Content-Type to get wrong: Slack
		// refuses an empty form as invalid_form_data.
		call.Body = adapter.Form(url.Values{"test": {"1"}})
	}
	resp, err := r.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	res := resp.Result()
	res.Vendor = d
	return res, nil
}

// checkRequest refuses, before anything is sent, what auth.revoke cannot
// take, and says whether the call is a dry run.
func (r *Revoker) checkRequest(req revoke.Request) (test bool, err error) {
	if err := adapter.CheckToken(op, req.Token); err != nil {
		return false, err
	}
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken:
	case revoke.HintRefreshToken:
		return false, &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrUnsupported,
			Problem: "is refresh_token, but auth.revoke authenticates with the token it revokes and a refresh token cannot authenticate a Web API call: revoke the access token (RevokeToken explains what becomes of the refresh token)"}
	default:
		return false, &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is not a hint auth.revoke takes: leave it empty or use revoke.HintAccessToken"}
	}
	test = r.test
	for k, vs := range req.Params {
		if k != "test" {
			return false, &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest,
				Problem: "auth.revoke takes only \"test\" besides the token: remove the other parameters"}
		}
		if len(vs) != 1 {
			return false, &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest, Problem: "\"test\" must have exactly one value: \"1\" or \"0\""}
		}
		switch vs[0] {
		case "1", "true":
			test = true
		case "0", "false":
			test = false
		default:
			return false, &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest, Problem: "\"test\" must be \"1\" (a dry run) or \"0\""}
		}
	}
	return test, nil
}

// check judges auth.revoke's answer; a success's details go to d.
func check(resp *adapter.Response, d *RevokeDetails, invalidAuthIsAlreadyInvalid bool) error {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.Fail()
	}
	env, ok := parseEnvelope(resp.Body)
	if !ok {
		e := resp.Fail()
		e.Kind = revoke.ErrUnexpectedResponse
		e.Code, e.URI, e.Causes = "", "", nil
		e.Description = notEnvelope
		e.Excerpt = resp.Excerpt()
		return e
	}
	if !*env.OK {
		if alreadyInvalid[env.Error] || (env.Error == "invalid_auth" && invalidAuthIsAlreadyInvalid) {
			d.Error = env.Error // one of four known codes
			return adapter.AlreadyInvalid
		}
		e := resp.Fail()
		if env.Error == "invalid_auth" {
			e.Kind = revoke.ErrInvalidToken
			e.Description = invalidAuthAdvice
		}
		if e.Code == "" {
			// {"ok":false} without a code.
			e.Kind = revoke.ErrUnexpectedResponse
			e.Description = "Slack answered {\"ok\":false} without an error code: the revocation failed"
		}
		return e
	}
	d.Revoked = env.Revoked != nil && *env.Revoked
	if d.Revoked || d.DryRun {
		return nil
	}
	e := resp.Fail()
	e.Kind = revoke.ErrUnexpectedResponse
	e.Code, e.URI, e.Causes, e.Excerpt = "", "", nil, ""
	e.Description = notRevoked
	return e
}

// RevokeToken implements revoke.TokenRevoker. Slack revokes through the
// access token: one auth.revoke call with t.AccessToken.
//
// Slack documents no way to revoke a rotating token's refresh token
// through auth.revoke, nor whether revoking its access token ends it
// [Inf] (https://docs.slack.dev/authentication/using-token-rotation). So
// when t has a refresh token, RevokeToken revokes the access token and
// then returns a *revoke.Error matching revoke.ErrUnsupported that says
// so, rather than a nil that would claim both are dead; its Op names the
// refresh token. To end every token of an installation, uninstall the app
// (apps.uninstall). A refresh token alone is a *revoke.ConfigError
// matching revoke.ErrUnsupported.
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if r == nil {
		return &revoke.ConfigError{Field: "slack.Revoker", Problem: "is not initialised: build it with slack.New", Kind: revoke.ErrInvalidRequest}
	}
	if t != nil && t.AccessToken == "" && t.RefreshToken != "" {
		return &revoke.ConfigError{Field: "RevokeToken: token", Kind: revoke.ErrUnsupported,
			Problem: "has a refresh token only: auth.revoke authenticates with the token it revokes, and a refresh token cannot; exchange it at oauth.v2.access for an access token and revoke that, or uninstall the app (apps.uninstall) to end every token of the installation"}
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
	if err := adapter.RevokePair(ctx, rec, access, adapter.OneCall, "Slack"); err != nil || t.RefreshToken == "" {
		return err
	}
	what := "the access token was revoked"
	switch d, _ := Details(res); {
	case d.Error != "":
		what = "the access token no longer worked (" + d.Error + ")"
	case d.DryRun:
		what = "the access token was checked in test mode and left alone"
	}
	return &revoke.Error{Op: op + " (refresh token)", Endpoint: adapter.Endpoint(r.url), StatusCode: res.StatusCode, Attempts: res.Attempts, RequestID: res.RequestID,
		Kind: revoke.ErrUnsupported,
		Description: what + ", but Slack documents no way to revoke a rotating token's refresh token through auth.revoke, so it may still mint access tokens: " +
			"uninstall the app (apps.uninstall) to end every token of the installation, or stop storing the refresh token"}
}

// Endpoint returns the auth.revoke URL in use, or "" for a zero Revoker.
func (r *Revoker) Endpoint() string {
	if r == nil || r.url == nil {
		return ""
	}
	return r.url.String()
}

// Test reports whether every call is a dry run (Config.Test).
func (r *Revoker) Test() bool { return r != nil && r.test }

// Format implements fmt.Formatter with any verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "slack.Revoker", [][2]string{{"Endpoint", strconv.Quote(r.Endpoint())}, {"Test", strconv.FormatBool(r.test)}})
}

// LogValue implements slog.LogValuer. It has a pointer receiver so that a
// nil *Revoker logs as empty.
func (r *Revoker) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(slog.String("endpoint", r.Endpoint()), slog.Bool("test", r.test))
}

// MarshalJSON implements json.Marshaler.
func (r Revoker) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint string `json:"endpoint"`
		Test     bool   `json:"test,omitempty"`
	}{r.Endpoint(), r.test})
}

// RevokeDetails is what Slack said about a successful Revoke
// (https://docs.slack.dev/reference/methods/auth.revoke). Read it with
// Details. It holds nothing secret.
type RevokeDetails struct {
	// Revoked is auth.revoke's "revoked": true when Slack revoked the
	// token.
	Revoked bool
	// DryRun is true when the call sent test=1: Slack checked the token
	// and did not revoke it (Revoked is then false).
	DryRun bool
	// Error is the code of an answer reported as Result.AlreadyInvalid
	// (invalid_auth, token_revoked, account_inactive or token_expired), or
	// "".
	Error string
}

// Details returns the Slack details of a Result from Revoke. ok is false
// when res is nil or did not come from this package.
func Details(res *revoke.Result) (d RevokeDetails, ok bool) {
	return adapter.VendorDetails[RevokeDetails](res)
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
