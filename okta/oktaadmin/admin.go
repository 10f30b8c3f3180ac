package oktaadmin

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/okta/internal/oktawire"
)

// DefaultMaxPages is how many pages one list iteration fetches at most
// when Config.MaxPages is zero: at Okta's largest page size (200) that is
// two million tokens, far more than any one user or client holds.
const DefaultMaxPages = 10_000

// Config configures an Admin client for Okta's management API.
//
// Exactly one of APIToken and TokenSource must be set. Printing a Config
// with any fmt verb, logging it with slog or encoding it with encoding/json
// shows the API token as "[REDACTED]".
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/#authentication
type Config struct {
	// Domain is the Okta org domain, e.g. "dev-123456.okta.com". A scheme and
	// a trailing slash are accepted ("https://dev-123456.okta.com/"). Plain
	// http is accepted only for loopback hosts (a fake) unless
	// revoke.WithInsecureHTTP is given. Required.
	Domain string
	// APIToken is an Okta API token, sent as "Authorization: SSWS <token>"
	// (the apiToken security scheme). It is a secret: it never appears in an
	// error, a log record or a printed value.
	APIToken string
	// TokenSource supplies OAuth 2.0 access tokens for an API Services app
	// (the oauth2 security scheme). A token is taken from the source for
	// every attempt, so a source that refreshes (ServiceAppTokenSource,
	// clientcredentials.Config.TokenSource) keeps the Admin working past
	// expiry. A source that also has a TokenContext(context.Context)
	// (*oauth2.Token, error) method is called with the request's context, so
	// cancelling a call also cancels the token fetch. The app needs the
	// scopes each operation documents (okta.users.read, okta.users.manage,
	// okta.sessions.manage, okta.authorizationServers.read or .manage,
	// okta.universalLogout.manage).
	//
	// Bearer tokens are sent as "Authorization: Bearer <token>". A
	// *ServiceAppSource, given directly, also yields DPoP-bound tokens (RFC
	// 9449), which Okta issues to service apps that require DPoP, the
	// default for new ones: the Admin sends them as "Authorization: DPoP
	// <token>" with a fresh DPoP proof on every attempt, signed by the
	// source's key and carrying the token's hash (ath, RFC 9449 §4.2). Any
	// other source returning a DPoP token is refused with a
	// *revoke.ConfigError: only the source holds the key the token is bound
	// to.
	//
	// Okta reference: https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
	TokenSource oauth2.TokenSource
	// MaxPages bounds how many pages one list iteration fetches (0 means
	// DefaultMaxPages). Past it, iteration stops with a *revoke.Error
	// matching revoke.ErrUnexpectedResponse instead of following a server
	// that links on without end; resume from the last Page.NextCursor if the
	// list really is that long.
	MaxPages int
	// UseGlobalTokenRevocation makes RevokeSubject end the user's tokens and
	// sessions with one Global Token Revocation call (Okta Universal Logout,
	// POST /oauth2/v1/global-token-revocation, scope
	// okta.universalLogout.manage) instead of revoking each client's
	// refresh tokens and clearing the user's sessions with oauthTokens=true.
	// It needs Okta's Universal Logout feature; it also signs the user out
	// of the apps that receive Universal Logout.
	//
	// Okta reference: https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/GlobalTokenRevocation/
	UseGlobalTokenRevocation bool
}

// fields is what a Config prints: the API token never prints, and the
// TokenSource prints by its type only. Auth names the credential kind
// ("SSWS", "Bearer", "DPoP" or "invalid"). A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"APIToken", redact.Quoted(c.APIToken)},
		{"TokenSource", redact.Type(c.TokenSource)},
		{"MaxPages", strconv.Itoa(c.MaxPages)},
		{"UseGlobalTokenRevocation", strconv.FormatBool(c.UseGlobalTokenRevocation)},
		{"Auth", strconv.Quote(authName(*c))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the API
// token never prints, and the TokenSource prints by its type only.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "oktaadmin.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// authName names the kind of credential a Config holds, never the
// credential.
func authName(c Config) string {
	switch {
	case c.APIToken != "" && c.TokenSource == nil:
		return "SSWS"
	case c.TokenSource != nil && c.APIToken == "":
		if src, ok := c.TokenSource.(*ServiceAppSource); ok && src != nil && src.dpopKey != nil {
			return "DPoP"
		}
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
// share it, so that rate-limit pacing sees every call. A nil or zero Admin
// returns a *revoke.ConfigError from every method.
//
// # Rate limits
//
// Okta reports a rate-limit bucket on every response (X-Rate-Limit-Limit,
// X-Rate-Limit-Remaining, X-Rate-Limit-Reset). The Admin's calls go through
// the adapter kit, which keeps the state of each bucket, keyed by the HTTP
// method and the OpenAPI path template, e.g.
//
//	GET /api/v1/users/{userId}/clients/{clientId}/tokens
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//
// When a bucket is spent (Remaining 0, Reset in the future), the next call on
// it waits for the reset instead of drawing a 429, as long as that wait fits
// under RetryPolicy.MaxWait and the context deadline; otherwise it returns at
// once, without sending, an error matching revoke.ErrRateLimited whose
// RetryAfter says how long to wait. Concurrent callers share the buckets. A
// 429 that happens anyway (another process shares the org's limits) is
// retried once Okta's window has reset (X-Rate-Limit-Reset, read against
// the answer's Date header), within the same cap.
//
// # Errors
//
// Failures are *revoke.Error values carrying Okta's errorCode (Code),
// errorSummary (Description), errorLink (URI), errorId (RequestID) and
// errorCauses (Causes). 404 (E0000007) matches revoke.ErrNotFound, 403
// (E0000006) revoke.ErrForbidden, 429 (E0000047) revoke.ErrRateLimited and
// 401 (E0000011, invalid token) revoke.ErrInvalidClient; a 401 refusing a
// DPoP proof or a DPoP-bound token (WWW-Authenticate: DPoP
// error="invalid_dpop_proof", RFC 9449 §7.1) carries that error and its
// description as Code and Description, and matches revoke.ErrInvalidClient.
// Bad arguments are *revoke.ConfigError values matching
// revoke.ErrInvalidRequest, returned before any request is sent.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/
type Admin struct {
	c    *adapter.Client
	base *url.URL
	auth authorizer
	// dc sends the calls that present a DPoP-bound token: it signs a proof
	// with the ServiceAppSource's key for every attempt. Nil unless the
	// TokenSource is a ServiceAppSource with DPoP.
	dc       *adapter.Client
	maxPages int
	gtr      bool
	reports  *reports
}

// New validates cfg and opts and returns an Admin. Every configuration
// mistake is reported here as a *revoke.ConfigError naming the field, not on
// first use.
//
// The options are the ones every adapter shares: revoke.WithHTTPClient,
// revoke.WithRetry (its MaxWait also caps proactive rate-limit waits),
// revoke.WithoutRetry, revoke.WithLogger, revoke.WithUserAgent,
// revoke.WithInsecureHTTP and revoke.WithMaxResponseBytes.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/#authentication
func New(cfg Config, opts ...revoke.Option) (*Admin, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := oktawire.OrgBase(c, "oktaadmin.Config.Domain", cfg.Domain)
	if err != nil {
		return nil, err
	}
	auth, err := newAuthorizer(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.MaxPages < 0 {
		return nil, &revoke.ConfigError{Field: "oktaadmin.Config.MaxPages", Problem: fmt.Sprintf("%d is negative: use 0 for the default (%d), or a positive bound", cfg.MaxPages, DefaultMaxPages)}
	}
	maxPages := cfg.MaxPages
	if maxPages == 0 {
		maxPages = DefaultMaxPages
	}
	a := &Admin{c: c, base: base, auth: auth, maxPages: maxPages, gtr: cfg.UseGlobalTokenRevocation, reports: &reports{m: map[string]revoke.RateLimit{}}}
	if d, ok := auth.(*dpopAuth); ok {
		// The same options, and the source's key last so that it is the
		// one in force: every attempt gets a fresh proof with ath.
		dopts := append(opts[:len(opts):len(opts)], revoke.WithDPoP(d.src.dpopKey))
		if a.dc, err = adapter.New(profile, dopts...); err != nil {
			return nil, err
		}
	}
	return a, nil
}

var profile = oktawire.Profile("okta admin")

// ready reports a nil or zero Admin as a *revoke.ConfigError.
func (a *Admin) ready(method string) error {
	if a == nil || a.c == nil || a.base == nil || a.auth == nil {
		return &revoke.ConfigError{Field: "oktaadmin.Admin." + method, Problem: "the Admin is nil or a zero value: build it with oktaadmin.New", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// Format implements fmt.Formatter: the Admin prints its org and the kind of
// credential it uses, never the credential.
func (a Admin) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "oktaadmin.Admin", [][2]string{{"Domain", strconv.Quote(a.domain())}, {"Auth", a.describe()}})
}

// LogValue implements slog.LogValuer without the credential.
func (a Admin) LogValue() slog.Value {
	return slog.GroupValue(slog.String("domain", a.domain()), slog.String("auth", a.describe()))
}

// MarshalJSON implements json.Marshaler without the credential.
func (a Admin) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Domain string `json:"domain"`
		Auth   string `json:"auth"`
	}{a.domain(), a.describe()})
}

func (a Admin) domain() string {
	if a.base == nil {
		return ""
	}
	return a.base.String()
}

func (a Admin) describe() string {
	if a.auth == nil {
		return "<nil>"
	}
	return a.auth.describe()
}

// Domain returns the org base URL the Admin calls, e.g.
// "https://dev-123456.okta.com", or "" for a nil or zero Admin.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/guides/overview/
func (a *Admin) Domain() string {
	if a == nil {
		return ""
	}
	return a.domain()
}

// reports keeps the last rate-limit report of each bucket, for RateLimit.
// Pacing itself is the adapter kit's.
type reports struct {
	mu sync.Mutex
	m  map[string]revoke.RateLimit
}

func (r *reports) set(bucket string, rl *revoke.RateLimit) {
	if r == nil || rl == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[bucket] = *rl
}

// RateLimit returns the last rate-limit report Okta sent for one bucket,
// keyed as the Admin type documents ("GET /api/v1/users/{userId}/clients"):
// the limit, the requests left in the window when Okta answered, and when
// the window resets on the local clock. ok is false before any answer from
// that bucket carried rate-limit headers. The Admin paces its calls itself;
// this is for display and monitoring.
//
// Okta reference: https://developer.okta.com/docs/reference/rl-best-practices/
func (a *Admin) RateLimit(bucket string) (rl revoke.RateLimit, ok bool) {
	if a == nil || a.reports == nil {
		return revoke.RateLimit{}, false
	}
	a.reports.mu.Lock()
	defer a.reports.mu.Unlock()
	rl, ok = a.reports.m[bucket]
	return rl, ok
}

// ---- authentication ----

// authorizer adds the management API credential to one attempt. It runs
// before every attempt (Call.Authorize), so a token can be refreshed
// between attempts; every value it places is registered with
// Attempt.Secret and scrubbed from anything kept from the answer.
type authorizer interface {
	authorize(ctx context.Context, at *adapter.Attempt) error
	// describe names the scheme for printing, without the secret.
	describe() string
}

func newAuthorizer(cfg Config) (authorizer, error) {
	const field = "oktaadmin.Config"
	switch {
	case cfg.APIToken != "" && cfg.TokenSource != nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "both APIToken and TokenSource are set: choose one (an API token is sent as SSWS, a TokenSource's access tokens as Bearer)"}
	case cfg.APIToken == "" && cfg.TokenSource == nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "neither APIToken nor TokenSource is set: pass an Okta API token, or a TokenSource for an API Services app (see ServiceAppTokenSource)"}
	case cfg.TokenSource != nil:
		if src, ok := cfg.TokenSource.(*ServiceAppSource); ok && src != nil && src.dpopKey != nil {
			return &dpopAuth{src: src}, nil
		}
		return &bearerAuth{src: cfg.TokenSource}, nil
	}
	tok := cfg.APIToken
	if len(tok) > 5 && strings.EqualFold(tok[:5], "SSWS ") {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "starts with \"SSWS \": pass the token alone; the SDK adds the SSWS scheme"}
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' || (r >= 0x80 && r < 0xa0) }) {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "contains white space or a control character: check for a stray space or newline when the token was read"}
	}
	if err := adapter.CheckSecret(field+".APIToken", tok, "the Okta API token"); err != nil {
		return nil, err
	}
	return &sswsAuth{token: tok}, nil
}

// sswsAuth sends an Okta API token: Authorization: SSWS <token>.
type sswsAuth struct{ token string }

func (s *sswsAuth) authorize(_ context.Context, at *adapter.Attempt) error {
	at.Header.Set("Authorization", "SSWS "+s.token)
	at.Secret(s.token)
	return nil
}

func (s *sswsAuth) describe() string { return "SSWS " + revoke.Redacted }

func (s *sswsAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.describe()) }

// bearerAuth sends an OAuth 2.0 access token from a TokenSource, fetched for
// every attempt: Authorization: Bearer <token>.
type bearerAuth struct{ src oauth2.TokenSource }

func (b *bearerAuth) authorize(ctx context.Context, at *adapter.Attempt) error {
	tok, err := sourceToken(ctx, b.src)
	if err != nil {
		return err
	}
	const field = "oktaadmin.Config.TokenSource"
	switch typ := tok.Type(); {
	case strings.EqualFold(typ, "Bearer"):
	case strings.EqualFold(typ, "DPoP"):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("%T returned a DPoP-bound token (token_type DPoP), which only works with a DPoP proof signed by the key it is bound to, and this source does not share its key: pass the *oktaadmin.ServiceAppSource from ServiceAppTokenSource itself as the TokenSource (not wrapped), and the Admin signs each call's proof with its key; or use an API token", b.src)}
	default:
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("returned a token of type %q: Okta's management API takes Bearer and DPoP tokens", typ)}
	}
	at.SetBearer(tok.AccessToken)
	return nil
}

// sourceToken takes an access token from src for one attempt (the kit
// refuses one that is missing or cannot travel in a header) and classifies
// the source's failure.
func sourceToken(ctx context.Context, src oauth2.TokenSource) (*oauth2.Token, error) {
	tok, err := adapter.SourceToken(ctx, "oktaadmin.Config.TokenSource", src)
	if err != nil {
		return nil, tokenSourceError(err)
	}
	return tok, nil
}

// dpopAuth presents the tokens of a ServiceAppSource with DPoP: a
// DPoP-bound token as "Authorization: DPoP <token>", its proof (signed by
// the Admin's DPoP client with the source's key) bound to it with ath
// (RFC 9449 §7.1); a Bearer token, which an app that does not require DPoP
// gets, as "Authorization: Bearer <token>" through the plain client.
type dpopAuth struct{ src *ServiceAppSource }

// authorize is used when the binding is not known beforehand; the Admin
// picks the client first (see Admin.prepare) and uses authorizeAs.
func (d *dpopAuth) authorize(ctx context.Context, at *adapter.Attempt) error {
	tok, err := sourceToken(ctx, d.src)
	if err != nil {
		return err
	}
	return d.present(at, tok, bound(tok))
}

// authorizeAs presents the source's token on a client that signs proofs
// (withProof) or not; a token whose binding no longer fits the client (the
// app's DPoP setting changed between two attempts) fails the call, to be
// retried.
func (d *dpopAuth) authorizeAs(withProof bool) func(context.Context, *adapter.Attempt) error {
	return func(ctx context.Context, at *adapter.Attempt) error {
		tok, err := sourceToken(ctx, d.src)
		if err != nil {
			return err
		}
		if bound(tok) != withProof {
			return &revoke.Error{Op: "okta admin: presenting the service app's token", Endpoint: adapter.Endpoint(at.URL), Kind: revoke.ErrUnavailable,
				Description: "the service app's new token is bound differently (DPoP or Bearer) from the one the call started with: its DPoP setting changed; retry the call"}
		}
		return d.present(at, tok, withProof)
	}
}

func (d *dpopAuth) present(at *adapter.Attempt, tok *oauth2.Token, withProof bool) error {
	if withProof {
		at.Header.Set("Authorization", "DPoP "+tok.AccessToken)
		at.SetAccessToken(tok.AccessToken) // ath, and scrubbed
		return nil
	}
	at.SetBearer(tok.AccessToken)
	return nil
}

func (d *dpopAuth) describe() string { return fmt.Sprintf("DPoP (TokenSource %T)", d.src) }

func (d *dpopAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, d.describe()) }

func (b *bearerAuth) describe() string { return fmt.Sprintf("Bearer (TokenSource %T)", b.src) }

func (b *bearerAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, b.describe()) }

// tokenSourceError classifies a failure to obtain an access token. Errors
// that are already classified pass through; an OAuth error from the token
// endpoint is classified by its code; anything else (a network failure)
// means the token endpoint was unavailable.
func tokenSourceError(err error) error {
	return adapter.SourceError("okta admin: fetching an access token from the TokenSource", err, func(e *revoke.Error) {
		e.Kind = retrieveKind(e.Code, e.StatusCode)
	})
}

// retrieveKind classifies a token endpoint's error (RFC 6749 §5.2).
func retrieveKind(code string, status int) error {
	switch code {
	case "invalid_client", "invalid_dpop_proof":
		// A refused proof of possession fails as client authentication
		// does (RFC 9449 §5), as the adapter kit classifies it.
		return revoke.ErrInvalidClient
	case "invalid_request", "invalid_scope", "invalid_grant", "unsupported_grant_type", "use_dpop_nonce":
		return revoke.ErrInvalidRequest
	case "unauthorized_client":
		return revoke.ErrUnauthorizedClient
	case "access_denied":
		return revoke.ErrForbidden
	case "temporarily_unavailable", "slow_down":
		return revoke.ErrUnavailable
	case "server_error":
		return revoke.ErrServer
	}
	switch {
	case status == http.StatusUnauthorized:
		return revoke.ErrInvalidClient
	case status == http.StatusForbidden:
		return revoke.ErrForbidden
	case status == http.StatusTooManyRequests:
		return revoke.ErrRateLimited
	case status >= 500:
		return revoke.ErrUnavailable
	case status >= 400:
		return revoke.ErrInvalidRequest
	}
	return revoke.ErrUnavailable
}
