package onelogin

import (
	"bytes"
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

// AdminConfig configures an Admin: the OneLogin account and how to get API
// access tokens.
//
// Set exactly one of Subdomain and BaseURL, and exactly one of TokenSource
// and the API credential (ClientID, ClientSecret and API, with which the
// SDK gets tokens itself through a TokenSource). Printing an AdminConfig
// with any fmt verb, logging it with slog or encoding it with encoding/json
// shows the secret redacted and the TokenSource by its type only.
//
// https://developers.onelogin.com/api-docs/1/users/log-user-out
type AdminConfig struct {
	// Subdomain and BaseURL are as in Config: "acme" for
	// https://acme.onelogin.com, or a custom domain or emulator.
	Subdomain string
	BaseURL   string
	// TokenSource supplies OneLogin API access tokens, such as a
	// *TokenSource; one is taken for every attempt. A source with a
	// TokenContext(context.Context) (*oauth2.Token, error) method is called
	// with the request's context.
	TokenSource oauth2.TokenSource
	// ClientID, ClientSecret and API are an API credential pair
	// (Developers > API Credentials) with the Manage users or Manage All
	// scope (Read users suffices to resolve email subjects), and the
	// Authorization header its token requests send, as in Config.
	ClientID     string
	ClientSecret string
	API          APIVersion
}

// fields is what an AdminConfig prints: the client secret never prints,
// and the TokenSource prints by its type only. A nil *AdminConfig has
// none.
func (c *AdminConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Subdomain", strconv.Quote(c.Subdomain)},
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"TokenSource", redact.Type(c.TokenSource)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"API", c.API.String()},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret never prints, and the TokenSource prints by its type only.
func (c AdminConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "onelogin.AdminConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *AdminConfig logs as an empty group.
func (c *AdminConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c AdminConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Admin logs OneLogin users out through OneLogin's resource API, and
// implements revoke.SubjectRevoker.
//
// It is safe for concurrent use; create one per account and share it, so
// that rate-limit pacing (X-RateLimit-*, reset in seconds) sees every call.
// A nil or zero Admin returns a *revoke.ConfigError from every method. It
// prints (fmt, slog, encoding/json) without credentials.
//
// https://developers.onelogin.com/api-docs/1/users/log-user-out
type Admin struct {
	c    *adapter.Client
	base *url.URL
	src  oauth2.TokenSource
	// own is src when the SDK built it: a token OneLogin refuses (401
	// Authentication Failure, as after a revocation) is dropped from its
	// cache and the call made once more with a new one.
	own *TokenSource
}

var _ revoke.SubjectRevoker = (*Admin)(nil)

// Operation names, in errors and logs.
const (
	opLogOut    = "onelogin log user out"
	opFindUsers = "onelogin find users by email"
)

// NewAdmin validates cfg and opts and returns an Admin. Every mistake (no or
// both of Subdomain and BaseURL, both or neither of TokenSource and
// ClientID, an unknown API version, a missing or short secret) is a
// *revoke.ConfigError naming the field, returned here rather than on first
// use.
//
// https://developers.onelogin.com/api-docs/1/users/log-user-out
func NewAdmin(cfg AdminConfig, opts ...revoke.Option) (*Admin, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := resolveBase(c, "onelogin.AdminConfig", cfg.Subdomain, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	a := &Admin{c: c, base: base}
	creds := cfg.ClientID != "" || cfg.ClientSecret != "" || cfg.API != 0
	switch {
	case cfg.TokenSource != nil && creds:
		return nil, &revoke.ConfigError{Field: "onelogin.AdminConfig.TokenSource", Problem: "both TokenSource and ClientID/ClientSecret/API are set: choose one way to get API access tokens"}
	case cfg.TokenSource != nil:
		a.src = cfg.TokenSource
		if own, ok := cfg.TokenSource.(*TokenSource); ok {
			if own == nil || own.c == nil {
				return nil, &revoke.ConfigError{Field: "onelogin.AdminConfig.TokenSource", Problem: "is a nil or zero *onelogin.TokenSource: build it with onelogin.NewTokenSource"}
			}
			a.own = own
		}
	case !creds:
		return nil, &revoke.ConfigError{Field: "onelogin.AdminConfig.TokenSource", Problem: "neither TokenSource nor ClientID is set: pass an API credential pair with the Manage users scope (ClientID, ClientSecret and API), or a TokenSource of API access tokens"}
	default:
		src, err := newTokenSource(c, "onelogin.AdminConfig", Config{Subdomain: cfg.Subdomain, BaseURL: cfg.BaseURL, ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, API: cfg.API})
		if err != nil {
			return nil, err
		}
		a.src, a.own = src, src
	}
	return a, nil
}

// ready reports a nil or zero Admin as a *revoke.ConfigError.
func (a *Admin) ready(method string) error {
	if a == nil || a.c == nil || a.base == nil || a.src == nil {
		return &revoke.ConfigError{Field: "onelogin.Admin." + method, Problem: "the Admin is nil or a zero value: build it with onelogin.NewAdmin", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// BaseURL returns the account's API base in use, e.g.
// "https://acme.onelogin.com"
// (https://developers.onelogin.com/api-docs/1/users/log-user-out), or ""
// for a zero Admin.
func (a *Admin) BaseURL() string {
	if a == nil || a.base == nil {
		return ""
	}
	return a.base.String()
}

// Step actions, as RevokeSubject reports them.
const (
	// ActionFindUsers resolves an email subject: GET /api/2/users?email=…
	// (https://developers.onelogin.com/api-docs/2/users/list-users).
	ActionFindUsers = "find users by email"
	// ActionLogOut is PUT /api/1/users/{id}/logout
	// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
	ActionLogOut = "log out"
)

// LogOutNote is the Note of a logout step OneLogin confirmed: what its
// documentation says the call does and does not do
// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
const LogOutNote = "OneLogin ended the user's OneLogin session: no more portal access or new SAML or OpenID Connect single sign-on from it; " +
	"it does not end sessions already established in third-party applications, so revoke their tokens too (OIDCRevoker)"

// RevokeSubject logs one user out of OneLogin
// (https://developers.onelogin.com/api-docs/1/users/log-user-out). The
// subject is one of:
//
//   - revoke.OpaqueSubject(userID): the OneLogin user ID, a positive
//     integer such as "56781966".
//   - revoke.EmailSubject(email): resolved with List Users v2, GET
//     /api/2/users?email=… (https://developers.onelogin.com/api-docs/2/users/list-users;
//     the credential also needs Read users, which Manage users includes),
//     to every user whose email is exactly that address, case aside; each
//     is then logged out, with Step.Target naming the user ID. Finding no
//     user is a failed step matching revoke.ErrNotFound, never a silent
//     success. An address holding '*' or starting with '!' is refused: the
//     search reads them as a wildcard and a negation.
//
// revoke.IssSubSubject is refused: OneLogin does not document the sub claim
// of its tokens as the user ID. Anything malformed is refused before sending
// with a *revoke.ConfigError matching revoke.ErrInvalidRequest and a nil
// report.
//
// Each logout step is revoke.StepDone with LogOutNote once OneLogin
// confirms it, or revoke.StepFailed with the error. The error is
// report.Err(): nil when no step failed.
func (a *Admin) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	if err := a.ready("RevokeSubject"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSubject(ctx, "onelogin.Admin.RevokeSubject", s); err != nil {
		return nil, err
	}
	rep := &revoke.Report{Vendor: "onelogin", Subject: s}
	var users []string
	switch s.Format {
	case revoke.FormatOpaque:
		if err := checkUserID("Subject.ID", s.ID); err != nil {
			return nil, err
		}
		users = []string{s.ID}
	case revoke.FormatEmail:
		if err := checkEmail("Subject.Email", s.Email); err != nil {
			return nil, err
		}
		found, res, err := a.FindUsersByEmail(ctx, s.Email)
		step := revoke.Step{Action: ActionFindUsers, Target: s.Email, Result: res}
		switch {
		case err != nil:
			step.Status, step.Err = revoke.StepFailed, err
		case len(found) == 0:
			step.Status = revoke.StepFailed
			step.Err = &revoke.Error{Op: opFindUsers, Endpoint: adapter.Endpoint(adapter.JoinPath(a.base, UsersV2Path)), StatusCode: res.StatusCode, RequestID: res.RequestID, Kind: revoke.ErrNotFound,
				Description: "no OneLogin user has this email address: nothing was logged out"}
		default:
			step.Status = revoke.StepDone
			step.Note = fmt.Sprintf("%d user(s): %s", len(found), strings.Join(found, ", "))
		}
		rep.Add(step)
		if step.Status == revoke.StepFailed {
			return rep, rep.Err()
		}
		users = found
	case revoke.FormatIssSub:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest,
			Problem: "iss_sub is not a format OneLogin can use: OneLogin does not document its tokens' sub claim as the user ID; pass revoke.OpaqueSubject(userID) or revoke.EmailSubject(email)"}
	default:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%q is not a format OneLogin can use: pass revoke.OpaqueSubject(userID) or revoke.EmailSubject(email)", s.Format)}
	}
	for _, id := range users {
		target := ""
		if s.Format == revoke.FormatEmail {
			target = id
		}
		res, err := a.logOut(ctx, id)
		step := revoke.Step{Action: ActionLogOut, Target: target, Result: res}
		if err != nil {
			step.Status, step.Err = revoke.StepFailed, err
		} else {
			step.Status, step.Note = revoke.StepDone, LogOutNote
		}
		rep.Add(step)
	}
	return rep, rep.Err()
}

// LogOutUser ends one user's OneLogin session
// (https://developers.onelogin.com/api-docs/1/users/log-user-out):
//
//	PUT /api/1/users/{userID}/logout
//	Authorization: bearer:<access token>
//	Accept: application/json
//
// with no body; success is 2xx with the status envelope {"status":{"error":
// false,"code":200,"type":"success","message":"Success"}} (Details returns
// it) or an empty body. It does not end sessions in third-party
// applications (see LogOutNote).
//
// Errors are *revoke.Error values matching, with errors.Is:
//   - revoke.ErrInvalidClient: 401 "Authentication Failure" (an invalid or
//     revoked access token; with the SDK's own TokenSource the call is made
//     once more with a new token first) and 400 "Authorization Information
//     is incorrect";
//   - revoke.ErrForbidden: 401 "Insufficient Permission" (the API
//     credential lacks Manage users or Manage All) and 403 "user is not
//     authorized to access this User";
//   - revoke.ErrNotFound: 404, no such user;
//   - revoke.ErrInvalidRequest: 400 "id: ID is incorrect";
//   - revoke.ErrRateLimited, with RetryAfter from X-RateLimit-Reset.
func (a *Admin) LogOutUser(ctx context.Context, userID string) (*revoke.Result, error) {
	if err := a.ready("LogOutUser"); err != nil {
		return nil, err
	}
	if err := adapter.CheckContext(ctx, "onelogin.Admin.LogOutUser"); err != nil {
		return nil, err
	}
	if err := checkUserID("onelogin.Admin.LogOutUser: userID", userID); err != nil {
		return nil, err
	}
	return a.logOut(ctx, userID)
}

// checkUserID accepts a OneLogin user ID: a positive decimal integer.
func checkUserID(field, id string) error {
	if err := adapter.CheckSegment(field, id, "56781966"); err != nil {
		var ce *revoke.ConfigError
		if errors.As(err, &ce) {
			return &revoke.ConfigError{Field: ce.Field, Problem: ce.Problem, Kind: revoke.ErrInvalidRequest}
		}
		return err
	}
	if strings.Contains(id, "@") {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "holds '@': that is an email address, not a OneLogin user ID; pass it as revoke.EmailSubject(email)"}
	}
	n, err := strconv.ParseUint(id, 10, 63)
	if err != nil || n == 0 || id[0] == '0' || id[0] == '+' {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "is not a OneLogin user ID: OneLogin names users by a positive integer such as 56781966 (the id of List Users)"}
	}
	return nil
}

// checkEmail refuses an address OneLogin's user search would not read
// literally.
func checkEmail(field, email string) error {
	switch {
	case strings.Contains(email, "*"):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "holds '*', which OneLogin's user search reads as a wildcard: pass the user ID with revoke.OpaqueSubject instead"}
	case strings.HasPrefix(email, "!"):
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "starts with '!', which OneLogin's user search reads as a negation: pass the user ID with revoke.OpaqueSubject instead"}
	}
	return nil
}

// logOut sends the logout for a checked user ID. When the SDK gets the
// tokens and OneLogin refuses one (401 Authentication Failure), it is
// dropped from the cache and the call made once more with a new one.
func (a *Admin) logOut(ctx context.Context, id string) (*revoke.Result, error) {
	res, used, err := a.logOutOnce(ctx, id)
	if a.refused(err, used) {
		res, _, err = a.logOutOnce(ctx, id)
	}
	return res, err
}

// refused reports a 401 Authentication Failure for an access token the SDK's
// own source supplied, which it then forgets.
func (a *Admin) refused(err error, used string) bool {
	var re *revoke.Error
	if a.own == nil || used == "" || !errors.As(err, &re) || re.StatusCode != http.StatusUnauthorized || re.Kind != revoke.ErrInvalidClient {
		return false
	}
	a.own.forget(used)
	return true
}

// logOutBucket keys the kit's pacing for every user's logout.
const logOutBucket = "PUT /api/1/users/{id}/logout"

func (a *Admin) logOutOnce(ctx context.Context, id string) (*revoke.Result, string, error) {
	var found envelope
	var used string
	call := &adapter.Call{
		Op:        opLogOut,
		Method:    http.MethodPut,
		URL:       adapter.JoinPath(a.base, UsersV1Path, id, "logout"),
		Header:    acceptJSON,
		Bucket:    logOutBucket,
		Authorize: a.authorize("bearer:", &used),
		ReadBody:  true,
		Check:     func(r *adapter.Response) error { return checkEnvelope(r, &found, logOutHints) },
	}
	resp, err := a.c.Do(ctx, call)
	if err != nil {
		return nil, used, err
	}
	res := resp.Result()
	if found.HasError || found.Code != 0 {
		res.Vendor = Status{Code: found.Code, Type: resp.Scrub(found.Type), Message: resp.Scrub(found.Message)}
	}
	return res, used, nil
}

// logOutHints adds advice to a logout error.
func logOutHints(e *revoke.Error) {
	switch {
	case e.Kind == revoke.ErrRateLimited && e.Description == "":
		e.Description = rateLimitNote
	case e.Kind == revoke.ErrForbidden && strings.HasPrefix(normalize(e.Description), msgInsufficient):
		e.Description = joinText(e.Description, "the API credential needs the Manage users or Manage All scope")
	case e.Kind == revoke.ErrForbidden:
		e.Description = joinText(e.Description, "the API credential may not manage this user")
	case e.Kind == revoke.ErrNotFound:
		e.Description = joinText(e.Description, "no user with this ID in the account")
	case e.Kind == revoke.ErrInvalidClient:
		e.Description = joinText(e.Description, "the API access token was refused: check the API credential and that its tokens were not revoked")
	}
}

// authorize returns an Authorize that takes an access token for each
// attempt and sends it after scheme: "bearer:" for the v1 resource API
// (https://developers.onelogin.com/api-docs/1/users/log-user-out), "Bearer "
// for v2 (https://developers.onelogin.com/api-docs/2/users/list-users).
func (a *Admin) authorize(scheme string, used *string) func(context.Context, *adapter.Attempt) error {
	return func(ctx context.Context, at *adapter.Attempt) error {
		tok, err := a.token(ctx)
		if err != nil {
			return err
		}
		*used = tok
		at.Header.Set("Authorization", scheme+tok)
		at.Secret(tok)
		return nil
	}
}

// token takes an access token from the source for one attempt.
func (a *Admin) token(ctx context.Context) (string, error) {
	const field = "onelogin.AdminConfig.TokenSource"
	t, err := adapter.SourceToken(ctx, field, a.src)
	if err != nil {
		return "", adapter.SourceError("onelogin: fetching an API access token from the TokenSource", err, nil)
	}
	if !strings.EqualFold(t.Type(), "Bearer") {
		return "", &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("returned a token of type %s: OneLogin's API takes bearer tokens", quote(t.Type()))}
	}
	return t.AccessToken, nil
}

// FindUsersByEmail returns the IDs of the users whose email is exactly
// email, case aside, through List Users v2
// (https://developers.onelogin.com/api-docs/2/users/list-users):
//
//	GET /api/2/users?email=<email>
//	Authorization: Bearer <access token>
//
// OneLogin answers a JSON array of users; the SDK keeps those whose
// "email" equals the address (the search may match more loosely) and reads
// the first page only, up to 50 users. An empty list with a nil error
// means nobody has the address. An address holding '*' or starting with '!'
// is refused, as a wildcard or a negation.
func (a *Admin) FindUsersByEmail(ctx context.Context, email string) ([]string, *revoke.Result, error) {
	if err := a.ready("FindUsersByEmail"); err != nil {
		return nil, nil, err
	}
	if err := adapter.CheckContext(ctx, "onelogin.Admin.FindUsersByEmail"); err != nil {
		return nil, nil, err
	}
	const field = "onelogin.Admin.FindUsersByEmail: email"
	if err := revoke.EmailSubject(email).Validate(); err != nil {
		return nil, nil, &revoke.ConfigError{Field: field, Problem: "is not an email address such as alice@example.com", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkEmail(field, email); err != nil {
		return nil, nil, err
	}
	ids, res, used, err := a.findOnce(ctx, email)
	if a.refused(err, used) {
		ids, res, _, err = a.findOnce(ctx, email)
	}
	return ids, res, err
}

func (a *Admin) findOnce(ctx context.Context, email string) ([]string, *revoke.Result, string, error) {
	var used string
	var ids []string
	call := &adapter.Call{
		Op:        opFindUsers,
		Method:    http.MethodGet,
		URL:       adapter.JoinPath(a.base, UsersV2Path),
		Query:     url.Values{"email": {email}},
		Header:    acceptJSON,
		Authorize: a.authorize("Bearer ", &used),
		ReadBody:  true,
		Check: func(r *adapter.Response) error {
			if r.StatusCode < 200 || r.StatusCode > 299 {
				e := r.Fail()
				logOutHints(e)
				if e.Kind == revoke.ErrForbidden {
					e.Description = strings.Replace(e.Description, "Manage users or Manage All", "Read users, Manage users, Read All or Manage All", 1)
				}
				return e
			}
			var err error
			ids, err = matchingUsers(r.Body, email)
			if err != nil {
				e := r.Fail()
				e.Kind, e.Code, e.Causes = revoke.ErrUnexpectedResponse, "", nil
				e.Description = fmt.Sprintf("HTTP %d %v", r.StatusCode, err)
				e.Excerpt = r.Excerpt()
				return e
			}
			return nil
		},
	}
	resp, err := a.c.Do(ctx, call)
	if err != nil {
		return nil, nil, used, err
	}
	return ids, resp.Result(), used, nil
}

// matchingUsers reads List Users' array and returns the IDs of the users
// whose email equals email, case aside.
func matchingUsers(body []byte, email string) ([]string, error) {
	var users []struct {
		ID    json.Number `json:"id"`
		Email string      `json:"email"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&users); err != nil {
		return nil, errors.New("without the JSON array of users List Users answers: the search is not confirmed")
	}
	var ids []string
	for _, u := range users {
		if !strings.EqualFold(strings.TrimSpace(u.Email), email) {
			continue
		}
		id := u.ID.String()
		if checkUserID("id", id) != nil {
			return nil, errors.New("with a user whose id is not a positive integer")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Format implements fmt.Formatter: an Admin prints its base URL and how it
// gets tokens, never a credential.
func (a Admin) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "onelogin.Admin", [][2]string{{"BaseURL", strconv.Quote(a.BaseURL())}, {"Auth", strconv.Quote(a.describe())}})
}

// LogValue implements slog.LogValuer without credentials. It has a pointer
// receiver so that a nil *Admin logs as empty.
func (a *Admin) LogValue() slog.Value {
	if a == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(slog.String("base_url", a.BaseURL()), slog.String("auth", a.describe()))
}

// MarshalJSON implements json.Marshaler without credentials.
func (a Admin) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		BaseURL string `json:"base_url"`
		Auth    string `json:"auth"`
	}{a.BaseURL(), a.describe()})
}

func (a Admin) describe() string {
	switch {
	case a.own != nil:
		return "bearer (API credential " + a.own.cred.clientID + ", " + a.own.cred.api.String() + ")"
	case a.src != nil:
		return fmt.Sprintf("bearer (TokenSource %T)", a.src)
	}
	return ""
}
