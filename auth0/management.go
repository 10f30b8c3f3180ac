package auth0

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

// ManagementConfig configures a Management client for Auth0's Management
// API v2 (https://auth0.com/docs/api/management/v2).
//
// Set Domain and exactly one of TokenSource and APIToken. Printing a
// ManagementConfig with any fmt verb, logging it with slog or encoding it
// with encoding/json shows the API token as "[REDACTED]" and the
// TokenSource only by its type.
type ManagementConfig struct {
	// Domain is the tenant's domain, "dev-abc.us.auth0.com", with or
	// without "https://". Use the tenant's canonical domain: the Management
	// API is served there (a custom domain serves it only when the tenant
	// enables that). The same checks as Config.Domain apply.
	Domain string
	// TokenSource supplies Management API access tokens, sent as
	// "Authorization: Bearer <token>"; one is taken for every attempt, so a
	// source that refreshes keeps the client working past expiry. The
	// usual source is the client-credentials grant of a machine-to-machine
	// application authorised for the Management API, with the audience
	// https://{Domain}/api/v2/
	// (https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens):
	//
	//	cc := clientcredentials.Config{
	//		ClientID:       id,
	//		ClientSecret:   secret,
	//		TokenURL:       "https://" + domain + "/oauth/token",
	//		EndpointParams: url.Values{"audience": {"https://" + domain + "/api/v2/"}},
	//	}
	//	mgmt, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, TokenSource: cc.TokenSource(ctx)})
	//
	// The application needs the scopes delete:refresh_tokens and
	// delete:sessions, and read:users to resolve email subjects. A source
	// with a TokenContext(context.Context) (*oauth2.Token, error) method is
	// called with the request's context.
	TokenSource oauth2.TokenSource
	// APIToken is a Management API access token obtained elsewhere (the
	// Dashboard's API Explorer issues test tokens), sent as a Bearer token.
	// It is a secret: it never appears in an error, a log record or a
	// printed value. It expires: prefer TokenSource.
	APIToken string
}

// fields is what a ManagementConfig prints: the API token never prints,
// and the TokenSource prints by its type only. A nil *ManagementConfig
// has none.
func (c *ManagementConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"TokenSource", redact.Type(c.TokenSource)},
		{"APIToken", redact.Quoted(c.APIToken)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the API
// token never prints, and the TokenSource prints by its type only.
func (c ManagementConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "auth0.ManagementConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *ManagementConfig logs as an empty group.
func (c *ManagementConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c ManagementConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Management ends what a user holds at one Auth0 tenant through the
// Management API: their refresh tokens (POST /api/v2/refresh-tokens/revoke)
// and their sessions (DELETE /api/v2/users/{id}/sessions). It implements
// revoke.SubjectRevoker.
//
// Auth0 documents these endpoints for Enterprise plans. Its answers of 202
// mean "accepted, applied asynchronously": RevokeSubject reports them as
// revoke.StepAccepted, and the methods return them as Result.StatusCode
// 202.
//
// Every method takes a context first and honours its cancellation and
// deadline. A Management is safe for concurrent use; create one per tenant
// and share it, so that rate-limit pacing (X-RateLimit-* headers) sees
// every call. A nil or zero Management returns a *revoke.ConfigError from
// every method.
//
// Failures are *revoke.Error values carrying Auth0's errorCode (Code) and
// message (Description): 401 (invalid or expired Management API token)
// matches revoke.ErrInvalidClient, 403 insufficient_scope
// revoke.ErrForbidden, 404 inexistent_user revoke.ErrNotFound, 429
// revoke.ErrRateLimited, 400 revoke.ErrInvalidRequest.
type Management struct {
	c    *adapter.Client
	api  *url.URL // https://{domain}/api/v2
	iss  string   // https://{domain}/, the tenant's issuer
	auth bearer
}

var _ revoke.SubjectRevoker = (*Management)(nil)

// NewManagement validates cfg and opts and returns a Management. Every
// configuration mistake is reported here as a *revoke.ConfigError naming the
// field, not on first use.
func NewManagement(cfg ManagementConfig, opts ...revoke.Option) (*Management, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := domainURL(c, "auth0.ManagementConfig.Domain", cfg.Domain)
	if err != nil {
		return nil, err
	}
	auth, err := newBearer(cfg)
	if err != nil {
		return nil, err
	}
	return &Management{c: c, api: adapter.JoinPath(base, managementPath...), iss: base.String() + "/", auth: auth}, nil
}

// ready reports a nil or zero Management as a *revoke.ConfigError.
func (m *Management) ready(method string) error {
	if m == nil || m.c == nil || m.api == nil || m.auth == nil {
		return &revoke.ConfigError{Field: "auth0.Management." + method, Problem: "the Management is nil or a zero value: build it with auth0.NewManagement", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// Domain returns the Management API root in use, e.g.
// "https://dev-abc.us.auth0.com/api/v2", or "" for a zero Management.
func (m *Management) Domain() string {
	if m == nil || m.api == nil {
		return ""
	}
	return m.api.String()
}

// fields is what a Management prints: its API root and how it
// authenticates, never a token. A nil *Management has none.
func (m *Management) fields() adapter.Fields {
	if m == nil {
		return nil
	}
	auth := "<nil>"
	if m.auth != nil {
		auth = m.auth.describe()
	}
	return adapter.Fields{
		{"API", strconv.Quote(m.Domain())},
		{"Auth", strconv.Quote(auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: a
// Management prints its API root and how it authenticates, never a token.
func (m Management) Format(f fmt.State, verb rune) { m.fields().Print(f, verb, "auth0.Management") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *Management logs as an empty group.
func (m *Management) LogValue() slog.Value { return m.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (m Management) MarshalJSON() ([]byte, error) { return m.fields().MarshalJSON() }

// ---- user-level revocation ----

// Step actions, as RevokeSubject reports them.
const (
	ActionFindUsers     = "find users by email"
	ActionRefreshTokens = "revoke refresh tokens"
	ActionSessions      = "end sessions"
)

// RevokeSubject ends everything the user holds at this tenant, in two
// steps, both attempted whatever the first one's outcome:
//
//  1. revoke every refresh token of the user, for every application and
//     audience (POST /api/v2/refresh-tokens/revoke {"user_id":…}; scope
//     delete:refresh_tokens). Auth0 answers 202 and revokes them
//     asynchronously: the step is revoke.StepAccepted.
//  2. delete every session of the user (DELETE /api/v2/users/{id}/sessions;
//     scope delete:sessions), so that no silent authentication mints new
//     tokens: revoke.StepDone on 204, revoke.StepAccepted on 202.
//
// Access tokens already issued are JWTs Auth0 cannot revoke: they work until
// they expire. To end one application's refresh tokens only, use
// RevokeUserRefreshTokens with ForClient.
//
// The subject is one of:
//
//   - revoke.OpaqueSubject(userID): the Auth0 user ID, e.g. "auth0|123" or
//     "google-oauth2|1098…".
//   - revoke.IssSubSubject(iss, sub): the claims of a token this tenant
//     issued; iss must be this tenant's issuer, https://{Domain}/, and sub
//     is the user ID.
//   - revoke.EmailSubject(email): resolved with GET
//     /api/v2/users-by-email (scope read:users) to every user whose email is
//     exactly that address, in any connection (database, social,
//     enterprise), each then revoked as above with Step.Target naming the
//     user. Auth0's search is exact and case-sensitive (it stores database
//     users' addresses in lower case): finding no user is a failed step
//     matching revoke.ErrNotFound, never a silent success.
//
// Anything else is refused before sending with a *revoke.ConfigError
// matching revoke.ErrInvalidRequest. The report lists every step; the error
// is report.Err(): nil when no step failed.
func (m *Management) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	if err := m.ready("RevokeSubject"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSubject(ctx, "auth0.Management.RevokeSubject", s); err != nil {
		return nil, err
	}
	rep := &revoke.Report{Vendor: "auth0", Subject: s}
	var users []string
	switch s.Format {
	case revoke.FormatOpaque:
		if err := checkUserID("Subject.ID", s.ID); err != nil {
			return nil, err
		}
		users = []string{s.ID}
	case revoke.FormatIssSub:
		if strings.TrimRight(s.Iss, "/") != strings.TrimRight(m.iss, "/") {
			return nil, &revoke.ConfigError{Field: "Subject.Iss", Kind: revoke.ErrInvalidRequest,
				Problem: fmt.Sprintf("is not this tenant's issuer %s: Auth0 can only revoke users of the tenant it manages; use a Management for that tenant, or revoke.OpaqueSubject(userID) if the user is known to be here (a custom domain issues tokens under its own issuer)", m.iss)}
		}
		if err := checkUserID("Subject.Sub", s.Sub); err != nil {
			return nil, err
		}
		users = []string{s.Sub}
	case revoke.FormatEmail:
		found, res, err := m.FindUsersByEmail(ctx, s.Email)
		step := revoke.Step{Action: ActionFindUsers, Target: s.Email, Result: res}
		switch {
		case err != nil:
			step.Status, step.Err = revoke.StepFailed, err
		case len(found) == 0:
			step.Status = revoke.StepFailed
			step.Err = &revoke.Error{Op: opFindUsersByMail, Endpoint: adapter.Endpoint(adapter.JoinPath(m.api, usersByEmail)), StatusCode: res.StatusCode, Kind: revoke.ErrNotFound,
				Description: "no Auth0 user has exactly this email address (the search is case-sensitive; Auth0 stores database users' addresses in lower case): nothing was revoked"}
		default:
			step.Status = revoke.StepDone
			step.Note = fmt.Sprintf("%d user(s): %s", len(found), strings.Join(found, ", "))
		}
		rep.Add(step)
		if step.Status == revoke.StepFailed {
			return rep, rep.Err()
		}
		for i, id := range found {
			if err := checkUserID("users-by-email user_id", id); err != nil {
				// A user ID that cannot travel in a URL path: report it
				// rather than skip it silently.
				rep.Add(revoke.Step{Action: ActionRefreshTokens, Target: fmt.Sprintf("user %d of %d", i+1, len(found)), Status: revoke.StepFailed, Err: err})
				continue
			}
			users = append(users, id)
		}
	default:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("%q is not a format Auth0 can use: pass revoke.OpaqueSubject(userID), revoke.IssSubSubject(issuer, sub) or revoke.EmailSubject(email)", s.Format)}
	}
	target := func(id string) string {
		if s.Format == revoke.FormatEmail {
			return id
		}
		return ""
	}
	for _, id := range users {
		res, err := m.RevokeUserRefreshTokens(ctx, id)
		rep.Add(stepFor(ActionRefreshTokens, target(id), res, err, "revokes the refresh tokens"))
		res, err = m.DeleteUserSessions(ctx, id)
		rep.Add(stepFor(ActionSessions, target(id), res, err, "ends the sessions"))
	}
	return rep, rep.Err()
}

// stepFor turns one call's outcome into a report step.
func stepFor(action, target string, res *revoke.Result, err error, what string) revoke.Step {
	st := revoke.Step{Action: action, Target: target, Result: res}
	switch {
	case err != nil:
		st.Status, st.Err = revoke.StepFailed, err
	case res.StatusCode == http.StatusAccepted:
		st.Status, st.Note = revoke.StepAccepted, acceptedNote(what)
	default:
		st.Status = revoke.StepDone
	}
	return st
}

// ---- the individual operations ----

// TokenFilter narrows RevokeUserRefreshTokens to one application, and
// optionally one API.
type TokenFilter func(*tokenFilter)

type tokenFilter struct {
	clientID, audience       string
	clientIDSet, audienceSet bool
}

// ForClient revokes only the refresh tokens issued to the application with
// this client ID.
func ForClient(clientID string) TokenFilter {
	return func(f *tokenFilter) { f.clientID, f.clientIDSet = clientID, true }
}

// ForAudience revokes only the refresh tokens for this API (its identifier,
// e.g. "https://api.example.com"). Auth0 takes it only with ForClient.
func ForAudience(audience string) TokenFilter {
	return func(f *tokenFilter) { f.audience, f.audienceSet = audience, true }
}

// RevokeUserRefreshTokens revokes the refresh tokens of one user: all of
// them, or those of one application (ForClient) and API (ForAudience):
// POST /api/v2/refresh-tokens/revoke with {"user_id":…[,"client_id":…
// [,"audience":…]]}, scope delete:refresh_tokens
// (https://auth0.com/docs/api/management/v2/refresh-tokens/revoke-refresh-tokens).
// Auth0 answers 202 and revokes them asynchronously: Result.StatusCode says
// 202. Bad arguments are *revoke.ConfigError values returned before
// sending.
func (m *Management) RevokeUserRefreshTokens(ctx context.Context, userID string, filters ...TokenFilter) (*revoke.Result, error) {
	if err := m.ready("RevokeUserRefreshTokens"); err != nil {
		return nil, err
	}
	const field = "auth0.Management.RevokeUserRefreshTokens"
	if err := checkField(field+": userID", userID, maxUserIDLen, "the Auth0 user ID, e.g. auth0|64f1c0ffee"); err != nil {
		return nil, err
	}
	var f tokenFilter
	for _, opt := range filters {
		if opt != nil {
			opt(&f)
		}
	}
	body := map[string]string{"user_id": userID}
	if f.clientIDSet {
		if err := checkField(field+": ForClient", f.clientID, maxClientIDLen, "the application's Client ID"); err != nil {
			return nil, err
		}
		body["client_id"] = f.clientID
	}
	if f.audienceSet {
		if !f.clientIDSet {
			return nil, &revoke.ConfigError{Field: field + ": ForAudience", Kind: revoke.ErrInvalidRequest, Problem: "needs ForClient: Auth0 narrows to an audience only within one application"}
		}
		if err := checkField(field+": ForAudience", f.audience, maxAudienceLen, "the API identifier, e.g. https://api.example.com"); err != nil {
			return nil, err
		}
		body["audience"] = f.audience
	}
	return m.bulkRevoke(ctx, opRevokeTokens, adapter.JSON(body))
}

// RevokeRefreshTokenIDs revokes refresh tokens by their IDs (the "id" the
// Management API lists, not the token values), at most MaxRefreshTokenIDs
// per call: POST /api/v2/refresh-tokens/revoke with {"ids":[…]}, scope
// delete:refresh_tokens
// (https://auth0.com/docs/api/management/v2/refresh-tokens/revoke-refresh-tokens).
// Auth0 answers 202 and revokes them asynchronously. An empty list, more
// than 100 IDs, a repeated ID or one Auth0 would refuse (empty, longer than
// 30 characters, white space or control characters) is a
// *revoke.ConfigError returned before sending: split longer lists into
// batches.
func (m *Management) RevokeRefreshTokenIDs(ctx context.Context, ids []string) (*revoke.Result, error) {
	if err := m.ready("RevokeRefreshTokenIDs"); err != nil {
		return nil, err
	}
	const field = "auth0.Management.RevokeRefreshTokenIDs: ids"
	switch {
	case len(ids) == 0:
		return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "is empty: pass the IDs of the refresh tokens to revoke"}
	case len(ids) > MaxRefreshTokenIDs:
		return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("has %d IDs; Auth0 takes at most %d per call: split the list into batches", len(ids), MaxRefreshTokenIDs)}
	}
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		f := fmt.Sprintf("%s[%d]", field, i)
		if err := checkField(f, id, maxTokenIDLen, "a refresh token ID as the Management API lists it"); err != nil {
			return nil, err
		}
		if j, dup := seen[id]; dup {
			return nil, &revoke.ConfigError{Field: f, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("repeats ids[%d]: pass each ID once", j)}
		}
		seen[id] = i
	}
	return m.bulkRevoke(ctx, opRevokeTokenIDs, adapter.JSON(struct {
		IDs []string `json:"ids"`
	}{ids}))
}

func (m *Management) bulkRevoke(ctx context.Context, op string, body adapter.Body) (*revoke.Result, error) {
	resp, err := m.c.Do(ctx, &adapter.Call{
		Op: op, Method: http.MethodPost, URL: adapter.JoinPath(m.api, bulkRevokeResource),
		Header: jsonHeader, Body: body, Authorize: m.auth.authorize, Bucket: bucketBulkRevoke,
	})
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// DeleteUserSessions deletes every session of one user, so that no silent
// authentication can mint new tokens: DELETE /api/v2/users/{id}/sessions,
// scope delete:sessions
// (https://auth0.com/docs/api/management/v2/users/delete-sessions-for-user).
// Any 2xx is success; Result.StatusCode tells 204 (done) from 202
// (accepted, applied asynchronously; Auth0's reference calls the answer
// "Session deletion request accepted"). An unknown user is an error
// matching revoke.ErrNotFound.
func (m *Management) DeleteUserSessions(ctx context.Context, userID string) (*revoke.Result, error) {
	if err := m.ready("DeleteUserSessions"); err != nil {
		return nil, err
	}
	if err := checkUserID("auth0.Management.DeleteUserSessions: userID", userID); err != nil {
		return nil, err
	}
	resp, err := m.c.Do(ctx, &adapter.Call{
		Op: opDeleteSessions, Method: http.MethodDelete, URL: adapter.JoinPath(m.api, usersResource, userID, sessionsResource),
		Header: jsonHeader, Authorize: m.auth.authorize, Bucket: bucketDeleteSessions,
	})
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// maxUsersByEmail bounds what FindUsersByEmail reads from one answer.
const maxUsersByEmail = 1000

// FindUsersByEmail returns the IDs of every user whose email is exactly
// email, in any connection: GET /api/v2/users-by-email?email=…, scope
// read:users
// (https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email).
// The search is case-sensitive. No user is an empty list, not an error.
func (m *Management) FindUsersByEmail(ctx context.Context, email string) ([]string, *revoke.Result, error) {
	if err := m.ready("FindUsersByEmail"); err != nil {
		return nil, nil, err
	}
	if err := revoke.EmailSubject(email).Validate(); err != nil {
		var ce *revoke.ConfigError
		if errors.As(err, &ce) {
			return nil, nil, &revoke.ConfigError{Field: "auth0.Management.FindUsersByEmail: email", Problem: ce.Problem, Kind: revoke.ErrInvalidRequest}
		}
		return nil, nil, err
	}
	var ids []string
	resp, err := m.c.Do(ctx, &adapter.Call{
		Op: opFindUsersByMail, Method: http.MethodGet, URL: adapter.JoinPath(m.api, usersByEmail),
		Query: url.Values{"email": {email}}, Header: jsonHeader, Authorize: m.auth.authorize,
		Bucket: bucketUsersByEmail, ReadBody: true,
		Check: func(r *adapter.Response) error {
			if err := adapter.DefaultCheck(r); err != nil {
				return err
			}
			var users []struct {
				UserID string `json:"user_id"`
			}
			if err := json.Unmarshal(r.Body, &users); err != nil {
				e := r.Fail()
				e.Kind, e.Description = revoke.ErrUnexpectedResponse, "the answer is not a JSON array of users"
				e.Excerpt = r.Excerpt()
				return e
			}
			if len(users) > maxUsersByEmail {
				e := r.Fail()
				e.Kind, e.Description = revoke.ErrUnexpectedResponse, fmt.Sprintf("the answer lists %d users, more than %d: refusing to act on it", len(users), maxUsersByEmail)
				return e
			}
			for _, u := range users {
				if u.UserID == "" {
					e := r.Fail()
					e.Kind, e.Description = revoke.ErrUnexpectedResponse, "a user in the answer has no user_id"
					return e
				}
				ids = append(ids, u.UserID)
			}
			return nil
		},
	})
	if err != nil {
		return nil, nil, err
	}
	return ids, resp.Result(), nil
}

// checkUserID refuses a user ID that cannot be one URL path segment as it
// is: empty, holding '/', '?', '#', '%', '\', white space or a control
// character, or longer than the kit's bound on a segment (256 bytes;
// Auth0 allows 300, and RevokeUserRefreshTokens, which sends the ID in the
// body, takes up to 300).
func checkUserID(field, id string) error {
	if err := adapter.CheckSegment(field, id, "auth0|64f1c0ffee"); err != nil {
		return withKind(err)
	}
	return nil
}

// checkField refuses an empty, oversized or control-character value
// without repeating it.
func checkField(field, v string, maxLen int, what string) error {
	if err := adapter.CheckCredential(field, v, what); err != nil {
		return withKind(err)
	}
	if len(v) > maxLen {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("is %d bytes long; Auth0 takes at most %d: pass %s", len(v), maxLen, what)}
	}
	return nil
}

// withKind marks an argument error as revoke.ErrInvalidRequest.
func withKind(err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) && ce.Kind == nil {
		out := *ce
		out.Kind = revoke.ErrInvalidRequest
		return &out
	}
	return err
}

// ---- authentication ----

// bearer adds the Management API token to one attempt (Call.Authorize);
// every value it places is registered with Attempt.Secret.
type bearer interface {
	authorize(ctx context.Context, at *adapter.Attempt) error
	describe() string
}

func newBearer(cfg ManagementConfig) (bearer, error) {
	const field = "auth0.ManagementConfig"
	switch {
	case cfg.APIToken != "" && cfg.TokenSource != nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "both APIToken and TokenSource are set: choose one"}
	case cfg.APIToken == "" && cfg.TokenSource == nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "neither APIToken nor TokenSource is set: pass a TokenSource for a machine-to-machine application's client-credentials grant (audience https://{Domain}/api/v2/), or a Management API token"}
	case cfg.TokenSource != nil:
		return &sourceBearer{src: cfg.TokenSource}, nil
	}
	tok := cfg.APIToken
	if len(tok) > 7 && strings.EqualFold(tok[:7], "Bearer ") {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "starts with \"Bearer \": pass the token alone; the SDK adds the scheme"}
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
		return nil, &revoke.ConfigError{Field: field + ".APIToken", Problem: "contains white space or a control character: check for a stray space or newline where the token was read"}
	}
	if err := adapter.CheckSecret(field+".APIToken", tok, "a Management API access token"); err != nil {
		return nil, err
	}
	return &staticBearer{token: tok}, nil
}

type staticBearer struct{ token string }

func (s *staticBearer) authorize(_ context.Context, at *adapter.Attempt) error {
	at.SetBearer(s.token)
	return nil
}

func (s *staticBearer) describe() string { return "Bearer (APIToken)" }

// Format implements fmt.Formatter: the token never prints.
func (s *staticBearer) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.describe()) }

type sourceBearer struct{ src oauth2.TokenSource }

func (b *sourceBearer) describe() string { return fmt.Sprintf("Bearer (TokenSource %T)", b.src) }

// Format implements fmt.Formatter: the source prints by its type only.
func (b *sourceBearer) Format(f fmt.State, _ rune) { fmt.Fprint(f, b.describe()) }

func (b *sourceBearer) authorize(ctx context.Context, at *adapter.Attempt) error {
	const field = "auth0.ManagementConfig.TokenSource"
	tok, err := adapter.SourceToken(ctx, field, b.src)
	if err != nil {
		return tokenSourceError(err)
	}
	if typ := tok.Type(); !strings.EqualFold(typ, "Bearer") {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("returned a token of type %s: Auth0's Management API takes Bearer tokens", strconv.Quote(typ))}
	}
	at.SetBearer(tok.AccessToken)
	return nil
}

// tokenSourceError classifies a failure to obtain a Management API token.
// Errors already classified pass through; an OAuth error from the token
// endpoint is classified by its code (its text, which repeats the response
// body, is dropped); anything else (a network failure) means the token
// endpoint was unavailable.
func tokenSourceError(err error) error {
	return adapter.SourceError("auth0 management: fetching an access token from the TokenSource", err, func(e *revoke.Error) {
		switch {
		case e.Code == "invalid_client":
			e.Kind = revoke.ErrInvalidClient
		case e.Code == "access_denied" || e.Code == "unauthorized_client" || e.StatusCode == http.StatusForbidden:
			// Auth0 answers access_denied when the application is not
			// authorised for the Management API audience.
			e.Kind = revoke.ErrForbidden
		case e.StatusCode == http.StatusUnauthorized:
			e.Kind = revoke.ErrInvalidClient
		case e.StatusCode == http.StatusTooManyRequests:
			e.Kind = revoke.ErrRateLimited
		case e.StatusCode >= 400 && e.StatusCode < 500:
			e.Kind = revoke.ErrInvalidRequest
		}
	})
}
