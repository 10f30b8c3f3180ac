package entra

import (
	"context"
	"encoding/json"
	"errors"
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

// Config configures a Graph client for one Microsoft Entra tenant.
//
// Set exactly one way to get Graph access tokens: TokenSource, or ClientID
// with one of ClientSecret and Certificate (the SDK then runs the client
// credentials grant itself, see TokenSource). Printing a Config with any fmt
// verb, logging it with slog or encoding it with encoding/json shows the
// secret and the key redacted and the TokenSource only by its type.
//
// https://learn.microsoft.com/graph/api/user-revokesigninsessions
type Config struct {
	// Tenant is the directory (tenant) ID, a GUID, or a verified domain,
	// "contoso.onmicrosoft.com". Required with ClientID; with a
	// TokenSource it is optional, and checked when set.
	Tenant string
	// TokenSource supplies Microsoft Graph access tokens, sent as
	// "Authorization: Bearer <token>"; one is taken for every attempt. Its
	// application needs the application permission User.RevokeSessions.All
	// with admin consent; a delegated token also needs an administrator
	// role (User Administrator). A source with a
	// TokenContext(context.Context) (*oauth2.Token, error) method, such as
	// *TokenSource, is called with the request's context.
	TokenSource oauth2.TokenSource
	// ClientID, ClientSecret and Certificate are the app registration's
	// credentials, as in TokenConfig: set ClientID and one of the other
	// two instead of TokenSource.
	ClientID     string
	ClientSecret string
	Certificate  *Certificate
	// GraphURL is Microsoft Graph's host, "" for DefaultGraphURL. Set it
	// for a sovereign cloud ("https://graph.microsoft.us",
	// "https://microsoftgraph.chinacloudapi.cn") or an emulator such as
	// entratest. The SDK appends /v1.0/users/….
	GraphURL string
	// LoginURL is the authority host for the SDK's own token requests, ""
	// for DefaultLoginURL ("https://login.microsoftonline.us" in the US
	// Government cloud).
	LoginURL string
	// Scope is the scope of the SDK's own token requests; "" means
	// GraphURL's origin followed by "/.default"
	// ("https://graph.microsoft.com/.default"). Set it when GraphURL is a
	// proxy rather than Graph itself.
	Scope string
}

// fields is what a Config prints: the client secret and the key never
// print, and the TokenSource prints by its type only. A nil *Config has
// none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Tenant", strconv.Quote(c.Tenant)},
		{"TokenSource", redact.Type(c.TokenSource)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Certificate", certShown(c.Certificate)},
		{"GraphURL", strconv.Quote(c.GraphURL)},
		{"LoginURL", strconv.Quote(c.LoginURL)},
		{"Scope", strconv.Quote(c.Scope)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret and the key never print, and the TokenSource prints by its
// type only.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "entra.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Graph ends a user's sign-in sessions in one Microsoft Entra tenant
// through Microsoft Graph's revokeSignInSessions, and implements
// revoke.SubjectRevoker.
//
// It is safe for concurrent use; create one per tenant and share it, so
// that the kit's pacing after a 429 sees every call. A nil or zero Graph
// returns a *revoke.ConfigError from every method. It prints (fmt, slog,
// encoding/json) without credentials.
//
// https://learn.microsoft.com/graph/api/user-revokesigninsessions
type Graph struct {
	c      *adapter.Client
	users  *url.URL // {GraphURL}/v1.0/users
	tenant string
	src    oauth2.TokenSource
	// own is src when the SDK built it: a token Graph refuses is dropped
	// from its cache and the call made once more with a new one.
	own *TokenSource
}

var _ revoke.SubjectRevoker = (*Graph)(nil)

// Operation names, in errors and logs.
const (
	opRevoke = "entra revoke sign-in sessions"
)

// New validates cfg and opts and returns a Graph. Every configuration
// mistake is a *revoke.ConfigError naming the field, returned here rather
// than on first use: a tenant that is neither a GUID nor a domain (or a
// multi-tenant alias), both or neither of TokenSource and ClientID, a
// missing or short secret, a certificate that does not match its key or has
// expired, a GraphURL or LoginURL with user info, a query or an API path.
//
// https://learn.microsoft.com/graph/api/user-revokesigninsessions
func New(cfg Config, opts ...revoke.Option) (*Graph, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	graph := cfg.GraphURL
	if graph == "" {
		graph = DefaultGraphURL
	}
	base, err := c.BaseURL("entra.Config.GraphURL", graph)
	if err != nil {
		return nil, err
	}
	if p := strings.ToLower(base.Path); strings.Contains(p, "/v1.0") || strings.Contains(p, "/beta") || strings.Contains(p, "/users") {
		return nil, &revoke.ConfigError{Field: "entra.Config.GraphURL", Problem: "holds an API path: pass only Graph's scheme and host, e.g. " + DefaultGraphURL + "; the SDK appends /" + GraphVersion + "/users/…"}
	}
	g := &Graph{c: c, users: adapter.JoinPath(base, GraphVersion, "users"), tenant: cfg.Tenant}
	usesCredentials := cfg.ClientID != "" || cfg.ClientSecret != "" || cfg.Certificate != nil
	switch {
	case cfg.TokenSource != nil && usesCredentials:
		return nil, &revoke.ConfigError{Field: "entra.Config.TokenSource", Problem: "both TokenSource and ClientID/ClientSecret/Certificate are set: choose one way to get Graph tokens"}
	case cfg.TokenSource != nil:
		if cfg.LoginURL != "" || cfg.Scope != "" {
			return nil, &revoke.ConfigError{Field: "entra.Config.LoginURL", Problem: "LoginURL and Scope configure the SDK's own token requests, which a TokenSource replaces: configure them in the TokenSource"}
		}
		if cfg.Tenant != "" {
			if err := checkTenant("entra.Config.Tenant", cfg.Tenant); err != nil {
				return nil, err
			}
		}
		g.src = cfg.TokenSource
		if own, ok := cfg.TokenSource.(*TokenSource); ok {
			if own == nil || own.c == nil {
				return nil, &revoke.ConfigError{Field: "entra.Config.TokenSource", Problem: "is a nil or zero *entra.TokenSource: build it with entra.NewTokenSource"}
			}
			g.own = own
		}
	case !usesCredentials:
		return nil, &revoke.ConfigError{Field: "entra.Config.TokenSource", Problem: "neither TokenSource nor ClientID is set: pass the app registration's Tenant, ClientID and ClientSecret or Certificate, or a TokenSource of Graph tokens"}
	default:
		scope := cfg.Scope
		if scope == "" {
			scope = base.Scheme + "://" + base.Host + "/.default"
		}
		src, err := newTokenSource(c, "entra.Config", TokenConfig{
			Tenant: cfg.Tenant, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Certificate: cfg.Certificate,
			Scope: scope, LoginURL: cfg.LoginURL,
		})
		if err != nil {
			return nil, err
		}
		g.src, g.own = src, src
	}
	return g, nil
}

// ready reports a nil or zero Graph as a *revoke.ConfigError.
func (g *Graph) ready(method string) error {
	if g == nil || g.c == nil || g.users == nil || g.src == nil {
		return &revoke.ConfigError{Field: "entra.Graph." + method, Problem: "the Graph is nil or a zero value: build it with entra.New", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// Endpoint returns the users collection in use, e.g.
// "https://graph.microsoft.com/v1.0/users", or "" for a zero Graph
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (g *Graph) Endpoint() string {
	if g == nil || g.users == nil {
		return ""
	}
	return g.users.String()
}

// TokenSource returns the source of Graph access tokens: the one given in
// Config, or the *TokenSource the SDK built; nil for a zero Graph
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
func (g *Graph) TokenSource() oauth2.TokenSource {
	if g == nil {
		return nil
	}
	return g.src
}

// Step actions, as RevokeSubject reports them.
const (
	// ActionRevokeSignInSessions is the one step: POST
	// /users/{id}/revokeSignInSessions
	// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
	ActionRevokeSignInSessions = "revoke sign-in sessions"
)

// StepNote is the Note of a revokeSignInSessions step that Graph accepted:
// what Microsoft documents the call does and does not do
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
const StepNote = "Entra reset the user's signInSessionsValidFromDateTime: every refresh token and browser session cookie issued before now stops working within a few minutes; " +
	"access tokens already issued stay valid until they expire (about an hour); guest (external) users are not affected, as they sign in through their home tenant"

// RevokeSubject ends every sign-in session of one user in this tenant
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions):
//
//	POST {GraphURL}/v1.0/users/{id | userPrincipalName}/revokeSignInSessions
//	Authorization: Bearer <Graph token>
//
// with no body. The subject is one of:
//
//   - revoke.OpaqueSubject(objectID): the user's object ID, a GUID (the
//     "oid" claim of the user's tokens).
//   - revoke.EmailSubject(address): sent as the userPrincipalName. A UPN
//     usually equals the user's email address, but not always (the mail
//     attribute may differ, and guests' UPNs are rewritten with #EXT#): a
//     404 means no user has this UPN; look the object ID up and pass it
//     instead.
//
// revoke.IssSubSubject is refused: the "sub" claim of Entra's tokens is
// pairwise, different for every application, and cannot address a user in
// Graph; pass revoke.OpaqueSubject with the "oid" claim.
//
// The report has one step, ActionRevokeSignInSessions: revoke.StepAccepted
// with StepNote when Graph answered 200 {"value":true} or 204 (Microsoft
// documents 200 and a known issue that answers another code), or
// revoke.StepFailed with the error. A malformed subject is refused before
// sending with a *revoke.ConfigError matching revoke.ErrInvalidRequest and a
// nil report. The error is report.Err(): nil when the step was accepted.
func (g *Graph) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	if err := g.ready("RevokeSubject"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSubject(ctx, "entra.Graph.RevokeSubject", s); err != nil {
		return nil, err
	}
	var user string
	switch s.Format {
	case revoke.FormatOpaque:
		if err := checkObjectID("Subject.ID", s.ID); err != nil {
			return nil, err
		}
		user = s.ID
	case revoke.FormatEmail:
		if err := checkUPN("Subject.Email", s.Email); err != nil {
			return nil, err
		}
		user = s.Email
	case revoke.FormatIssSub:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest,
			Problem: "iss_sub cannot name an Entra user: the sub claim of Entra's tokens is pairwise (different for every application); pass revoke.OpaqueSubject with the token's oid claim, the user's object ID"}
	default:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%q is not a format Entra can use: pass revoke.OpaqueSubject(objectID) or revoke.EmailSubject(userPrincipalName)", s.Format)}
	}
	rep := &revoke.Report{Vendor: "entra", Subject: s}
	res, err := g.revoke(ctx, user)
	step := revoke.Step{Action: ActionRevokeSignInSessions, Result: res}
	if err != nil {
		step.Status, step.Err = revoke.StepFailed, err
	} else {
		step.Status, step.Note = revoke.StepAccepted, StepNote
	}
	rep.Add(step)
	return rep, rep.Err()
}

// RevokeSignInSessions calls revokeSignInSessions for one user, named by
// object ID (a GUID) or userPrincipalName, as RevokeSubject does, and
// returns Graph's answer. Success means Graph accepted the reset: refresh
// tokens and session cookies stop working within a few minutes (see
// StepNote).
//
// Errors are *revoke.Error values matching, with errors.Is:
//   - revoke.ErrForbidden: 403 Authorization_RequestDenied (the
//     application lacks User.RevokeSessions.All, or a delegated caller an
//     administrator role);
//   - revoke.ErrNotFound: 404 Request_ResourceNotFound (no such object ID
//     or UPN in the tenant);
//   - revoke.ErrInvalidClient: 401 InvalidAuthenticationToken, after one
//     more attempt with a new token when the SDK gets the tokens; and the
//     token endpoint's invalid_client (a wrong secret or certificate);
//   - revoke.ErrRateLimited: 429 once the kit's retries, which wait as
//     Retry-After says, ran out;
//   - revoke.ErrUnexpectedResponse: a 2xx answer whose value is not true
//     (200 {"value":false}): nothing was revoked.
//
// https://learn.microsoft.com/graph/api/user-revokesigninsessions
func (g *Graph) RevokeSignInSessions(ctx context.Context, user string) (*revoke.Result, error) {
	if err := g.ready("RevokeSignInSessions"); err != nil {
		return nil, err
	}
	if err := adapter.CheckContext(ctx, "entra.Graph.RevokeSignInSessions"); err != nil {
		return nil, err
	}
	const field = "entra.Graph.RevokeSignInSessions: user"
	if strings.Contains(user, "@") {
		if err := checkUPN(field, user); err != nil {
			return nil, err
		}
	} else if err := checkObjectID(field, user); err != nil {
		return nil, err
	}
	return g.revoke(ctx, user)
}

// checkObjectID accepts a user's object ID, a GUID.
func checkObjectID(field, id string) error {
	if err := adapter.CheckSegment(field, id, "aaaabbbb-0000-cccc-1111-dddd2222eeee"); err != nil {
		return withKind(err)
	}
	if strings.Contains(id, "@") {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "holds '@': that is a userPrincipalName, not an object ID; pass it as revoke.EmailSubject(upn)"}
	}
	if !isGUID(id) {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "is not an object ID: Entra names users by a GUID such as aaaabbbb-0000-cccc-1111-dddd2222eeee (the oid claim of their tokens)"}
	}
	return nil
}

// checkUPN accepts a userPrincipalName that can be one path segment.
func checkUPN(field, upn string) error {
	if err := adapter.CheckSegment(field, upn, "alice@contoso.com"); err != nil {
		var ce *revoke.ConfigError
		if errors.As(err, &ce) && strings.Contains(upn, "#EXT#") {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
				Problem: "is a guest's userPrincipalName (#EXT#): revokeSignInSessions does not end an external user's sessions, which belong to their home tenant; revoke them there"}
		}
		return withKind(err)
	}
	at := strings.LastIndexByte(upn, '@')
	switch {
	case at <= 0 || at == len(upn)-1:
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "is not a userPrincipalName such as alice@contoso.com"}
	case strings.HasPrefix(upn, "$"):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
			Problem: "starts with '$', which Graph reads as a system path segment: pass the user's object ID with revoke.OpaqueSubject instead"}
	}
	return nil
}

// withKind marks a subject error as an invalid request.
func withKind(err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) && ce.Kind == nil {
		return &revoke.ConfigError{Field: ce.Field, Problem: ce.Problem, Kind: revoke.ErrInvalidRequest}
	}
	return err
}

// revoke sends revokeSignInSessions for a checked user. When the SDK gets
// the tokens and Graph refuses one (401), the token is dropped from the
// cache and the call made once more with a new one.
func (g *Graph) revoke(ctx context.Context, user string) (*revoke.Result, error) {
	res, used, err := g.call(ctx, user)
	var re *revoke.Error
	if err != nil && g.own != nil && used != "" && errors.As(err, &re) && re.StatusCode == http.StatusUnauthorized {
		g.own.forget(used)
		res, _, err = g.call(ctx, user)
	}
	return res, err
}

// revokeBucket keys the kit's pacing: every user's call shares Graph's
// throttling.
const revokeBucket = "POST /v1.0/users/{id}/revokeSignInSessions"

func (g *Graph) call(ctx context.Context, user string) (*revoke.Result, string, error) {
	var used string
	call := &adapter.Call{
		Op:     opRevoke,
		Method: http.MethodPost,
		URL:    adapter.JoinPath(g.users, user, "revokeSignInSessions"),
		Header: acceptJSON,
		Bucket: revokeBucket,
		Authorize: func(ctx context.Context, a *adapter.Attempt) error {
			tok, err := g.token(ctx)
			if err != nil {
				return err
			}
			used = tok
			a.SetBearer(tok)
			return nil
		},
		ReadBody: true,
		Check:    checkRevoke,
	}
	resp, err := g.c.Do(ctx, call)
	if err != nil {
		return nil, used, err
	}
	return resp.Result(), used, nil
}

// token takes an access token from the source for one attempt.
func (g *Graph) token(ctx context.Context) (string, error) {
	const field = "entra.Config.TokenSource"
	t, err := adapter.SourceToken(ctx, field, g.src)
	if err != nil {
		return "", tokenSourceError(err)
	}
	if !strings.EqualFold(t.Type(), "Bearer") {
		return "", &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("returned a token of type %s: Microsoft Graph takes Bearer tokens", quote(t.Type()))}
	}
	return t.AccessToken, nil
}

// tokenSourceError classifies a failure to obtain a Graph token. Errors
// already classified pass through; an OAuth error from the token endpoint
// is classified by its code (its text, which repeats the response body, is
// dropped); anything else means the token endpoint was unavailable.
func tokenSourceError(err error) error {
	return adapter.SourceError("entra: fetching a Graph token from the TokenSource", err, func(e *revoke.Error) {
		e.Description = firstLine(e.Description)
		switch {
		case e.Code == "invalid_client" || e.StatusCode == http.StatusUnauthorized:
			e.Kind = revoke.ErrInvalidClient
		case e.Code == "unauthorized_client":
			e.Kind = revoke.ErrUnauthorizedClient
		case e.StatusCode == http.StatusForbidden:
			e.Kind = revoke.ErrForbidden
		case e.StatusCode == http.StatusTooManyRequests:
			e.Kind = revoke.ErrRateLimited
		case e.StatusCode >= 400 && e.StatusCode < 500:
			e.Kind = revoke.ErrInvalidRequest
		}
	})
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// checkRevoke judges revokeSignInSessions' final answer: 200 with
// {"value":true}, or a 2xx without a body (Graph's known issue answers
// 204), is success; {"value":false} or any other 2xx body is not.
func checkRevoke(r *adapter.Response) error {
	if r.StatusCode < 200 || r.StatusCode > 299 {
		e := r.Fail()
		addHints(e)
		return e
	}
	body := strings.TrimSpace(string(r.Body))
	if body == "" {
		return nil
	}
	var v struct {
		Value *bool `json:"value"`
	}
	if err := json.Unmarshal([]byte(body), &v); err == nil && v.Value != nil {
		if *v.Value {
			return nil
		}
		e := r.Fail()
		e.Kind, e.Code, e.Causes = revoke.ErrUnexpectedResponse, "", nil
		e.Description = fmt.Sprintf("HTTP %d with {\"value\":false}: Graph did not reset the user's sessions; nothing was revoked", r.StatusCode)
		return e
	}
	e := r.Fail()
	e.Kind, e.Code, e.Causes = revoke.ErrUnexpectedResponse, "", nil
	e.Description = fmt.Sprintf("HTTP %d without {\"value\":true}: the revocation is not confirmed", r.StatusCode)
	e.Excerpt = r.Excerpt()
	return e
}

// fields is what a Graph prints: its endpoint, its tenant and how it gets
// tokens, never a credential. A nil *Graph has none.
func (g *Graph) fields() adapter.Fields {
	if g == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(g.Endpoint())},
		{"Tenant", strconv.Quote(g.tenant)},
		{"Auth", strconv.Quote(g.describe())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: a Graph
// prints its endpoint and how it gets tokens, never a credential.
func (g Graph) Format(f fmt.State, verb rune) { g.fields().Print(f, verb, "entra.Graph") }

// LogValue implements slog.LogValuer with the same fields. A nil *Graph
// logs as an empty group.
func (g *Graph) LogValue() slog.Value { return g.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (g Graph) MarshalJSON() ([]byte, error) { return g.fields().MarshalJSON() }

// describe names how the Graph gets tokens.
func (g Graph) describe() string {
	switch {
	case g.own != nil:
		return "Bearer (client credentials, " + g.own.clientID + ", " + g.own.credential() + ")"
	case g.src != nil:
		return fmt.Sprintf("Bearer (TokenSource %T)", g.src)
	}
	return ""
}
