package okta

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
)

// AdminConfig configures an Admin client for Okta's management API.
//
// Exactly one of APIToken and TokenSource must be set. Printing an
// AdminConfig with any fmt verb, or logging it with slog, shows the API token
// as "[REDACTED]".
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/#authentication
type AdminConfig struct {
	// Domain is the Okta org domain, e.g. "dev-123456.okta.com". A scheme and
	// a trailing slash are accepted ("https://dev-123456.okta.com/"). Plain
	// http is accepted only for loopback hosts (an emulator) unless
	// revoke.WithInsecureHTTP is given. Required.
	Domain string
	// APIToken is an Okta API token, sent as "Authorization: SSWS <token>"
	// (the apiToken security scheme). It is a secret: it never appears in an
	// error, a log record or a printed value.
	APIToken string
	// TokenSource supplies OAuth 2.0 access tokens for an API Services app,
	// sent as "Authorization: Bearer <token>" (the oauth2 security scheme).
	// A token is taken from the source for every request, so a source that
	// refreshes (ServiceAppTokenSource, clientcredentials.Config.TokenSource)
	// keeps the Admin working past expiry. A source that also has a
	// TokenContext(context.Context) (*oauth2.Token, error) method is called
	// with the request's context, so cancelling a call also cancels the token
	// fetch. The app needs the scopes okta.users.read, okta.users.manage,
	// okta.authorizationServers.read or okta.authorizationServers.manage, as
	// each operation documents.
	TokenSource oauth2.TokenSource
}

// Format implements fmt.Formatter so that every verb prints the API token
// redacted and the TokenSource only by its type.
func (c AdminConfig) Format(f fmt.State, verb rune) {
	ts := "<nil>"
	if c.TokenSource != nil {
		ts = fmt.Sprintf("%T", c.TokenSource)
	}
	redact.Format(f, verb, "okta.AdminConfig", [][2]string{
		{"Domain", strconv.Quote(c.Domain)},
		{"APIToken", revoke.Secret(c.APIToken).String()},
		{"TokenSource", ts},
	})
}

// LogValue implements slog.LogValuer without the API token.
func (c AdminConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("domain", c.Domain), slog.String("auth", adminAuthName(c)))
}

func adminAuthName(c AdminConfig) string {
	switch {
	case c.APIToken != "" && c.TokenSource == nil:
		return "SSWS"
	case c.TokenSource != nil && c.APIToken == "":
		return "Bearer"
	}
	return "invalid"
}

// Admin calls Okta's token-management API: list, inspect and revoke the
// refresh tokens issued to users and clients, revoke consent grants, and
// clear user sessions.
//
// Every method takes a context first and honours its cancellation and
// deadline. An Admin is safe for concurrent use; create one per org and
// share it, so that its rate-limit tracking sees every call.
//
// # Rate limits
//
// Okta reports a rate-limit bucket on every response (X-Rate-Limit-Limit,
// X-Rate-Limit-Remaining, X-Rate-Limit-Reset). The Admin tracks them per
// endpoint, keyed by the HTTP method and the OpenAPI path template, e.g.
//
//	GET /api/v1/users/{userId}/clients/{clientId}/tokens
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//
// When a bucket is spent (Remaining 0, Reset in the future), the next call on
// it waits for the reset plus one second (Okta's recommended margin) instead
// of drawing a 429, as long as that wait fits under RetryPolicy.MaxWait and
// the context deadline; otherwise it returns at once, without sending, an
// error matching revoke.ErrRateLimited whose RetryAfter says how long to
// wait. Concurrent callers share the buckets: they take slots from what is
// left, and after a reset they let one window's worth go before waiting for
// the server's next report. A 429 that happens anyway (another process shares
// the org's limits) is retried by the shared pipeline after
// X-Rate-Limit-Reset − Date + 1 s, within the same cap.
//
// # Errors
//
// Failures are *revoke.Error values carrying Okta's errorCode (Code),
// errorSummary (Description), errorLink (URI), errorId (RequestID) and
// errorCauses (Causes). 404 (E0000007) matches revoke.ErrNotFound, 403
// (E0000006) revoke.ErrForbidden, 429 (E0000047) revoke.ErrRateLimited and
// 401 (E0000011, invalid token) revoke.ErrInvalidClient. Bad arguments are
// *revoke.ConfigError values returned before any request is sent.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/
type Admin struct {
	base    *url.URL
	auth    authorizer
	wire    *wire.Client
	limits  *rateLimits
	clock   clock
	maxWait time.Duration
	logger  *slog.Logger
}

// NewAdmin validates cfg and opts and returns an Admin. Every configuration
// mistake is reported here as a *revoke.ConfigError naming the field, not on
// first use.
//
// The options are the ones every adapter shares: revoke.WithHTTPClient,
// revoke.WithRetry (its MaxWait also caps proactive rate-limit waits),
// revoke.WithoutRetry, revoke.WithLogger, revoke.WithUserAgent,
// revoke.WithInsecureHTTP and revoke.WithMaxResponseBytes.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/#authentication
func NewAdmin(cfg AdminConfig, opts ...revoke.Option) (*Admin, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := adminBaseURL("okta.AdminConfig.Domain", cfg.Domain, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	auth, err := newAuthorizer(cfg)
	if err != nil {
		return nil, err
	}
	return &Admin{
		base:    base,
		auth:    auth,
		wire:    wire.New(o),
		limits:  newRateLimits(),
		clock:   realClock{},
		maxWait: o.Retry.MaxWait,
		logger:  o.Logger,
	}, nil
}

// Format implements fmt.Formatter: the Admin prints its org and the kind of
// credential it uses, never the credential.
func (a Admin) Format(f fmt.State, verb rune) {
	domain, auth := "", "<nil>"
	if a.base != nil {
		domain = a.base.String()
	}
	if a.auth != nil {
		auth = a.auth.describe()
	}
	redact.Format(f, verb, "okta.Admin", [][2]string{{"Domain", strconv.Quote(domain)}, {"Auth", auth}})
}

// LogValue implements slog.LogValuer without the credential.
func (a *Admin) LogValue() slog.Value {
	if a == nil || a.base == nil || a.auth == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("domain", a.base.String()), slog.String("auth", a.auth.describe()))
}

// Domain returns the org base URL the Admin calls, e.g.
// "https://dev-123456.okta.com".
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/
func (a *Admin) Domain() string { return a.base.String() }

// adminBaseURL turns an Okta domain, with or without scheme and trailing
// slash, into the org base URL, with the same rules as Config.Domain.
func adminBaseURL(field, domain string, allowInsecure bool) (*url.URL, error) {
	if domain == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass your Okta org domain, e.g. dev-123456.okta.com"}
	}
	u, err := parseBase(field, domain, allowInsecure)
	if err != nil {
		return nil, err
	}
	if p := strings.TrimRight(u.Path, "/"); p != "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("has the path %q: pass only the org domain, e.g. %s (the management API lives at its root)", p, u.Host)}
	}
	host := u.Hostname()
	for _, suffix := range [...]string{"-admin.okta.com", "-admin.oktapreview.com", "-admin.okta-emea.com"} {
		if strings.HasSuffix(host, suffix) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s is the Admin Console domain: use the org domain without \"-admin\" (%s)", host, strings.Replace(host, "-admin.", ".", 1))}
		}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// ---- authentication ----

// authorizer adds the management API credential to one outgoing request. It
// is called once per attempt, with the method and URL of that attempt, so a
// token can be refreshed between attempts. The interface is the extension
// point for DPoP-bound tokens (RFC 9449), which Okta service apps require by
// default: a DPoP authorizer would set "Authorization: DPoP <token>" and a
// fresh "DPoP" proof whose htm and htu are method and u and whose ath hashes
// the token, and handle the server's DPoP-Nonce.
type authorizer interface {
	// authorize sets the credential headers on h and returns the secret
	// values it placed, so they can be scrubbed from anything kept from the
	// response.
	authorize(ctx context.Context, h http.Header, method string, u *url.URL) (secrets []string, err error)
	// describe names the scheme for printing, without the secret.
	describe() string
}

func newAuthorizer(cfg AdminConfig) (authorizer, error) {
	const field = "okta.AdminConfig"
	switch {
	case cfg.APIToken != "" && cfg.TokenSource != nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "both APIToken and TokenSource are set: choose one (an API token is sent as SSWS, a TokenSource's access tokens as Bearer)"}
	case cfg.APIToken == "" && cfg.TokenSource == nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "neither APIToken nor TokenSource is set: pass an Okta API token, or a TokenSource for an API Services app (see ServiceAppTokenSource)"}
	case cfg.TokenSource != nil:
		return &bearerAuth{src: cfg.TokenSource}, nil
	}
	tok := cfg.APIToken
	if len(tok) > 5 && strings.EqualFold(tok[:5], "SSWS ") {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "starts with \"SSWS \": pass the token alone; the SDK adds the SSWS scheme"}
	}
	if strings.IndexFunc(tok, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "contains whitespace or a control character: check for a stray newline when the token was read"}
	}
	return &sswsAuth{token: tok}, nil
}

// sswsAuth sends an Okta API token: Authorization: SSWS <token>.
type sswsAuth struct{ token string }

func (s *sswsAuth) authorize(_ context.Context, h http.Header, _ string, _ *url.URL) ([]string, error) {
	h.Set("Authorization", "SSWS "+s.token)
	return []string{s.token}, nil
}

func (s *sswsAuth) describe() string { return "SSWS " + revoke.Redacted }

func (s *sswsAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.describe()) }

// tokenContexter is implemented by token sources that can fetch with the
// caller's context (ServiceAppSource does).
type tokenContexter interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// bearerAuth sends an OAuth 2.0 access token from a TokenSource, fetched for
// every attempt: Authorization: Bearer <token>.
type bearerAuth struct{ src oauth2.TokenSource }

func (b *bearerAuth) authorize(ctx context.Context, h http.Header, _ string, _ *url.URL) ([]string, error) {
	var tok *oauth2.Token
	var err error
	if tc, ok := b.src.(tokenContexter); ok {
		tok, err = tc.TokenContext(ctx)
	} else {
		tok, err = b.src.Token()
	}
	if err != nil {
		return nil, tokenSourceError(err)
	}
	if tok == nil || tok.AccessToken == "" {
		return nil, &revoke.ConfigError{Field: "okta.AdminConfig.TokenSource", Problem: "returned no access token: check the source's configuration"}
	}
	switch typ := tok.Type(); {
	case strings.EqualFold(typ, "Bearer"):
	case strings.EqualFold(typ, "DPoP"):
		return nil, &revoke.ConfigError{Field: "okta.AdminConfig.TokenSource", Problem: "returned a DPoP-bound token, which this Admin cannot present yet: clear \"Require Demonstrating Proof of Possession (DPoP) header in token requests\" in the service app's settings, or use an API token"}
	default:
		return nil, &revoke.ConfigError{Field: "okta.AdminConfig.TokenSource", Problem: fmt.Sprintf("returned a token of type %q: Okta's management API takes Bearer tokens", typ)}
	}
	h.Set("Authorization", "Bearer "+tok.AccessToken)
	return []string{tok.AccessToken}, nil
}

func (b *bearerAuth) describe() string { return fmt.Sprintf("Bearer (TokenSource %T)", b.src) }

func (b *bearerAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, b.describe()) }

// tokenSourceError classifies a failure to obtain an access token. Errors
// that are already classified pass through; an OAuth error from the token
// endpoint is classified by its code; anything else (a network failure)
// means the token endpoint was unavailable.
func tokenSourceError(err error) error {
	var re *revoke.Error
	var ce *revoke.ConfigError
	if errors.As(err, &re) || errors.As(err, &ce) {
		return err
	}
	e := &revoke.Error{Op: "okta admin: fetching an access token from the TokenSource", Kind: revoke.ErrUnavailable, Err: err}
	var oe *oauth2.RetrieveError
	if errors.As(err, &oe) {
		if oe.Response != nil {
			e.StatusCode = oe.Response.StatusCode
		}
		e.Code = oe.ErrorCode
		e.Description = oe.ErrorDescription
		e.Err = nil // RetrieveError.Error() repeats the whole response body
		if e.Kind = revoke.ClassifyCode(oe.ErrorCode); e.Kind == nil {
			e.Kind = revoke.ClassifyStatus(e.StatusCode)
		}
	}
	return e
}

// ---- argument validation ----

// maxIDLen bounds an ID argument; Okta IDs are 20 characters, client IDs a
// little longer.
const maxIDLen = 256

// idArg is one path argument: its parameter name and value.
type idArg struct{ name, value string }

// checkID rejects IDs that are empty or would change the request path. The
// offending value is never echoed: a caller may have passed a token by
// mistake.
func checkID(method string, a idArg) error {
	field := "okta.Admin." + method + ": " + a.name
	switch {
	case a.value == "":
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass the " + a.name + " as Okta shows it, e.g. " + exampleID(a.name)}
	case a.value == "." || a.value == "..":
		return &revoke.ConfigError{Field: field, Problem: "is a relative path segment: pass the " + a.name + " as Okta shows it, e.g. " + exampleID(a.name)}
	case len(a.value) > maxIDLen:
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long, more than %d: pass the %s, not a token or URL", len(a.value), maxIDLen, a.name)}
	case !utf8.ValidString(a.value):
		return &revoke.ConfigError{Field: field, Problem: "is not valid UTF-8: pass the " + a.name + " as Okta shows it"}
	}
	for i, r := range a.value {
		switch {
		case strings.ContainsRune(`/?#%\`, r):
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains %q at byte %d, which would change the request path: pass the bare %s, e.g. %s", r, i, a.name, exampleID(a.name))}
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains a space or control character at byte %d: check for stray whitespace or a newline", i)}
		}
	}
	return nil
}

func exampleID(name string) string {
	switch name {
	case "userID":
		return "00ub0oNGTSWTBKOLGLNR"
	case "clientID":
		return "0oabskvc6442nkvQO0h7"
	case "tokenID":
		return "oar579Mcp7OUsNTlo0g3"
	case "authServerID":
		return "ausain6z9zIedDCxB0h7 or default"
	}
	return "an Okta ID"
}
