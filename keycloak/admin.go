package keycloak

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// AdminConfig configures an Admin for one realm
// (https://www.keycloak.org/docs-api/latest/rest-api/index.html#_users).
//
// Name the realm with BaseURL and Realm, or with Issuer, as in Config; then
// set TokenSource. The usual source is the client credentials grant of a
// confidential client with "Service accounts roles" enabled and
// realm-management's manage-users role assigned to its service account:
//
//	src := (&clientcredentials.Config{
//		ClientID:     "revoker",
//		ClientSecret: secret,
//		TokenURL:     "https://sso.example.com/realms/myrealm/protocol/openid-connect/token",
//	}).TokenSource(ctx)
//
// A service account of the master realm with the realm's
// "{realm}-realm" manage-users role works too. AdminConfig prints the
// TokenSource by its type only.
type AdminConfig struct {
	// BaseURL, Realm and Issuer name the realm, as in Config. The admin
	// API is served at {BaseURL}/admin/realms/{Realm}.
	BaseURL string
	Realm   string
	Issuer  string
	// TokenSource supplies the admin access tokens, fetched before every
	// attempt so that a refreshed token is used. Bearer tokens are sent
	// as "Authorization: Bearer"; DPoP-bound tokens as "Authorization:
	// DPoP" with a proof, which needs revoke.WithDPoP and the key the token
	// is bound to.
	TokenSource oauth2.TokenSource
}

// fields is what an AdminConfig prints: the TokenSource shows as its type
// only, and BaseURL and Issuer no user info, query or fragment. A nil
// *AdminConfig has none.
func (c *AdminConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Realm", strconv.Quote(c.Realm)},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
		{"TokenSource", redact.Type(c.TokenSource)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// TokenSource prints by its type only, and user info or a query in
// BaseURL or Issuer never prints.
func (c AdminConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "keycloak.AdminConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *AdminConfig logs as an empty group.
func (c *AdminConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c AdminConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Admin ends everything a user holds in one realm through Keycloak's admin
// REST API. It implements revoke.SubjectRevoker. It is safe for concurrent
// use; create one with NewAdmin and share it. A zero or nil Admin returns a
// *revoke.ConfigError.
type Admin struct {
	c      *adapter.Client
	realm  *url.URL // {base}/admin/realms/{realm}
	name   string
	issuer string
	src    oauth2.TokenSource
}

var _ revoke.SubjectRevoker = (*Admin)(nil)

// NewAdmin validates cfg and opts and returns an Admin. Every mistake is a
// *revoke.ConfigError naming the field and the fix.
func NewAdmin(cfg AdminConfig, opts ...revoke.Option) (*Admin, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, realm, err := realmOf(c, "keycloak.AdminConfig", cfg.BaseURL, cfg.Realm, cfg.Issuer)
	if err != nil {
		return nil, err
	}
	if err := checkSource(cfg.TokenSource); err != nil {
		return nil, err
	}
	return &Admin{
		c:      c,
		realm:  adapter.JoinPath(base, append(append([]string(nil), adminPath...), realm)...),
		name:   realm,
		issuer: adapter.JoinPath(base, realmsSegment, realm).String(),
		src:    cfg.TokenSource,
	}, nil
}

func checkSource(ts oauth2.TokenSource) error {
	const field = "keycloak.AdminConfig.TokenSource"
	if ts == nil {
		return &revoke.ConfigError{Field: field, Problem: "is nil: pass a source of admin access tokens, e.g. clientcredentials.Config{ClientID, ClientSecret, TokenURL: …/realms/{realm}/protocol/openid-connect/token}.TokenSource(ctx) for a service account with realm-management's manage-users role"}
	}
	if v := reflect.ValueOf(ts); (v.Kind() == reflect.Pointer || v.Kind() == reflect.Map || v.Kind() == reflect.Func || v.Kind() == reflect.Interface) && v.IsNil() {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is a nil %T: pass a token source that was built", ts)}
	}
	return nil
}

// The Action of each step RevokeSubject reports, for code that branches on
// a step.
const (
	// ActionFindUser resolves an email subject: GET
	// /admin/realms/{realm}/users?email=…&exact=true. Its Target is the
	// user ID found.
	ActionFindUser = "find user by email"
	// ActionLogOut is POST /admin/realms/{realm}/users/{id}/logout.
	ActionLogOut = "log out"
	// ActionOfflineTokens is DELETE /admin/realms/{realm}/users/{id}/consents/{client},
	// one step per client holding offline tokens (Target the client ID).
	ActionOfflineTokens = "revoke offline tokens"
)

// RevokeSubject ends everything the user holds in the realm, in steps:
//
//  1. for revoke.EmailSubject only, find the user:
//     GET /admin/realms/{realm}/users?email=…&exact=true. No user, or more
//     than one (a realm may allow duplicate emails), fails the step and
//     nothing else is tried;
//  2. "log out": POST /admin/realms/{realm}/users/{id}/logout (204), which
//     removes every session of the user (and its refresh tokens and the
//     access tokens issued in it) and sets the user's not-before to now,
//     so that Keycloak refuses tokens issued earlier;
//  3. "revoke offline tokens": offline sessions outlive a logout, so for
//     every client the user holds offline tokens for (GET …/consents, the
//     "Offline Token" grants), DELETE …/users/{id}/consents/{client},
//     which revokes the consent and the offline tokens (204). A user
//     without offline tokens gives one skipped step.
//
// Subjects: revoke.OpaqueSubject(userID) (the user's ID, which is the sub
// claim of the realm's tokens), revoke.IssSubSubject(issuer, sub) with this
// realm's issuer, and revoke.EmailSubject(email). Other formats, and
// iss_sub of another issuer, are refused with a *revoke.ConfigError
// matching revoke.ErrInvalidRequest.
//
// Bad input (a nil Admin or context, a subject it cannot use) is a
// *revoke.ConfigError returned before any request, with no report, as with
// every SubjectRevoker of this module. Otherwise it returns the report of
// every step made and report.Err(): nil when no step failed. When the
// logout fails, the offline step is skipped.
func (a *Admin) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	if a == nil || a.c == nil {
		return nil, &revoke.ConfigError{Field: "keycloak.Admin", Problem: "is not initialised: build it with keycloak.NewAdmin", Kind: revoke.ErrInvalidRequest}
	}
	if err := adapter.CheckSubject(ctx, "keycloak admin", s); err != nil {
		return nil, err
	}
	report := &revoke.Report{Vendor: "keycloak", Subject: s}
	var id string
	field := "Subject.ID"
	switch s.Format {
	case revoke.FormatOpaque:
		id = s.ID
	case revoke.FormatIssSub:
		field = "Subject.Sub"
		if strings.TrimRight(s.Iss, "/") != a.issuer {
			return nil, &revoke.ConfigError{Field: "Subject.Iss", Kind: revoke.ErrInvalidRequest,
				Problem: fmt.Sprintf("is not this realm's issuer (%s): Keycloak's sub is a user ID only in the realm that issued the token; users of another identity provider are found by their Keycloak user ID (OpaqueSubject) or email", a.issuer)}
		}
		id = s.Sub
	case revoke.FormatEmail:
		found, step := a.findByEmail(ctx, s.Email)
		report.Add(step)
		if step.Status != revoke.StepDone {
			return report, report.Err()
		}
		id, field = found, "the user ID found"
	default:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("%q is not a format Keycloak can use: pass OpaqueSubject(userID), EmailSubject(email) or IssSubSubject(issuer, sub)", s.Format)}
	}
	if err := checkUserID(field, id); err != nil {
		if len(report.Steps) == 0 {
			return nil, err // refused before any request
		}
		return report, err
	}
	res, err := a.LogoutUser(ctx, id)
	if err != nil {
		report.Add(revoke.Step{Action: ActionLogOut, Status: revoke.StepFailed, Err: err})
		report.Add(revoke.Step{Action: ActionOfflineTokens, Status: revoke.StepSkipped, Note: "the logout failed: fix it and run again"})
		return report, report.Err()
	}
	report.Add(revoke.Step{Action: ActionLogOut, Status: revoke.StepDone, Result: res,
		Note: "every session of the user ended; tokens issued before now are refused (the user's not-before)"})
	a.revokeOffline(ctx, id, report)
	return report, report.Err()
}

// LogoutUser ends every session of one user: POST
// /admin/realms/{realm}/users/{id}/logout (204). It also sets the user's
// not-before to now. Offline sessions survive it (see RevokeSubject).
// userID is the user's Keycloak ID (a UUID for local users).
func (a *Admin) LogoutUser(ctx context.Context, userID string) (*revoke.Result, error) {
	if a == nil || a.c == nil {
		return nil, &revoke.ConfigError{Field: "keycloak.Admin", Problem: "is not initialised: build it with keycloak.NewAdmin", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkUserID("userID", userID); err != nil {
		return nil, err
	}
	resp, err := a.c.Do(ctx, a.call(opLogout, http.MethodPost, adapter.JoinPath(a.realm, "users", userID, "logout"), nil, false))
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// checkUserID refuses, before sending, an ID that cannot be one path
// segment; the error matches revoke.ErrInvalidRequest.
func checkUserID(field, id string) error {
	err := adapter.CheckSegment(field, id, `"9a1e2b3c-…" (the user's ID, the sub claim of the realm's tokens)`)
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		ce.Kind = revoke.ErrInvalidRequest
	}
	return err
}

// call describes one admin API call.
func (a *Admin) call(op, method string, u *url.URL, query url.Values, read bool) *adapter.Call {
	return &adapter.Call{
		Op:        op,
		Method:    method,
		URL:       u,
		Query:     query,
		Header:    acceptJSON,
		Authorize: a.authorize,
		Bucket:    "keycloak admin",
		ReadBody:  read,
		Check:     checkAdmin,
	}
}

// checkAdmin reads an admin API answer: any 2xx is success; a failure gets
// a hint naming the likely fix.
func checkAdmin(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	e := r.Fail()
	switch r.StatusCode {
	case http.StatusUnauthorized:
		appendHint(e, hintAdminAuth)
	case http.StatusForbidden:
		appendHint(e, hintAdminRole)
	case http.StatusNotFound:
		appendHint(e, hintNoUser+"; or "+hintNotFound)
	}
	return e
}

// user is the part of a UserRepresentation the Admin reads.
type user struct {
	ID    string `json:"id"`
	Email string `json:"email"`
}

// findByEmail resolves an email to the one user holding it.
func (a *Admin) findByEmail(ctx context.Context, email string) (string, revoke.Step) {
	step := revoke.Step{Action: ActionFindUser}
	u := adapter.JoinPath(a.realm, "users")
	resp, err := a.c.Do(ctx, a.call(opFind, http.MethodGet, u,
		url.Values{"email": {email}, "exact": {"true"}, "briefRepresentation": {"true"}, "max": {"3"}}, true))
	if err != nil {
		step.Status, step.Err = revoke.StepFailed, err
		return "", step
	}
	step.Result = resp.Result()
	var users []user
	if err := json.Unmarshal(resp.Body, &users); err != nil {
		step.Status = revoke.StepFailed
		step.Err = &revoke.Error{Op: opFind, Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Kind: revoke.ErrUnexpectedResponse,
			Description: "the user search did not answer a JSON array of users"}
		return "", step
	}
	var ids []string
	for _, x := range users {
		// exact=true matches exactly, whatever the letter case (Keycloak
		// stores emails in lower case); anything else is not this user.
		if strings.EqualFold(x.Email, email) && x.ID != "" {
			ids = append(ids, x.ID)
		}
	}
	switch len(ids) {
	case 0:
		step.Status = revoke.StepFailed
		step.Err = &revoke.Error{Op: opFind, Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Kind: revoke.ErrNotFound,
			Description: fmt.Sprintf("no user of realm %s has this email: check the address, or pass the user's ID with OpaqueSubject", a.name)}
		return "", step
	case 1:
		step.Status, step.Target = revoke.StepDone, ids[0]
		return ids[0], step
	}
	step.Status = revoke.StepFailed
	step.Err = &revoke.Error{Op: opFind, Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Kind: revoke.ErrInvalidRequest,
		Description: fmt.Sprintf("%d users of realm %s have this email (the realm allows duplicate emails): pass the user's ID with OpaqueSubject", len(ids), a.name)}
	return "", step
}

// consent is the part of a consent entry (UserResource.getConsents) the
// Admin reads.
type consent struct {
	ClientID         string `json:"clientId"`
	AdditionalGrants []struct {
		Key string `json:"key"`
	} `json:"additionalGrants"`
}

// revokeOffline revokes the user's offline tokens, client by client.
func (a *Admin) revokeOffline(ctx context.Context, id string, report *revoke.Report) {
	u := adapter.JoinPath(a.realm, "users", id, "consents")
	resp, err := a.c.Do(ctx, a.call(opConsents, http.MethodGet, u, nil, true))
	if err != nil {
		report.Add(revoke.Step{Action: ActionOfflineTokens, Status: revoke.StepFailed, Err: err,
			Note: "listing the user's offline tokens failed; their offline sessions may outlive the logout"})
		return
	}
	var consents []consent
	if err := json.Unmarshal(resp.Body, &consents); err != nil {
		report.Add(revoke.Step{Action: ActionOfflineTokens, Status: revoke.StepFailed, Result: resp.Result(),
			Err: &revoke.Error{Op: opConsents, Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Kind: revoke.ErrUnexpectedResponse,
				Description: "the consents listing is not a JSON array"}})
		return
	}
	n := 0
	for _, c := range consents {
		if !hasOffline(c) || c.ClientID == "" {
			continue
		}
		n++
		step := revoke.Step{Action: ActionOfflineTokens, Target: c.ClientID}
		res, err := a.c.Do(ctx, a.call(opOffline, http.MethodDelete, consentURL(u, c.ClientID), nil, false))
		if err != nil {
			step.Status, step.Err = revoke.StepFailed, err
		} else {
			step.Status, step.Result = revoke.StepDone, res.Result()
			step.Note = "the client's consent and offline tokens were revoked"
		}
		report.Add(step)
	}
	if n == 0 {
		report.Add(revoke.Step{Action: ActionOfflineTokens, Status: revoke.StepSkipped, Result: resp.Result(), Note: "the user holds no offline tokens"})
	}
}

func hasOffline(c consent) bool {
	for _, g := range c.AdditionalGrants {
		if g.Key == offlineGrantKey {
			return true
		}
	}
	return false
}

// consentURL is …/consents/{clientId}, the client ID escaped as one path
// segment (a client ID may be a URL).
func consentURL(consents *url.URL, clientID string) *url.URL {
	u := *consents
	u.Path = consents.Path + "/" + clientID
	u.RawPath = consents.EscapedPath() + "/" + url.PathEscape(clientID)
	return &u
}

// authorize adds the admin token to one attempt; every value placed is
// registered for scrubbing.
func (a *Admin) authorize(ctx context.Context, at *adapter.Attempt) error {
	const field = "keycloak.AdminConfig.TokenSource"
	tok, err := adapter.SourceToken(ctx, field, a.src)
	if err != nil {
		return tokenSourceError(err)
	}
	switch typ := tok.Type(); {
	case strings.EqualFold(typ, "Bearer"):
		at.SetBearer(tok.AccessToken)
	case strings.EqualFold(typ, "DPoP"):
		at.Header.Set("Authorization", "DPoP "+tok.AccessToken)
		at.SetAccessToken(tok.AccessToken)
	default:
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("returned a token of type %q: Keycloak's admin API takes Bearer or DPoP tokens", shortName(typ))}
	}
	return nil
}

// tokenSourceError classifies a failure to obtain an admin token. Errors
// already classified pass through; an OAuth error from the token endpoint
// is classified by its code (Keycloak's unauthorized_client is a failed
// client authentication); anything else means the token endpoint was
// unavailable.
func tokenSourceError(err error) error {
	return adapter.SourceError("keycloak admin: fetching an access token from the TokenSource", err, func(e *revoke.Error) {
		code := e.Code
		e.Code, e.Description = bounded(e.Code), bounded(e.Description)
		switch {
		case code == "invalid_client" || code == codeUnauthorized || e.StatusCode == http.StatusUnauthorized:
			e.Kind = revoke.ErrInvalidClient
			appendHint(e, "check the service-account client's ID and secret, and that \"Service accounts roles\" is enabled on it")
		case e.StatusCode == http.StatusTooManyRequests:
			e.Kind = revoke.ErrRateLimited
		case e.StatusCode >= 500:
			e.Kind = revoke.ErrServer
		case e.StatusCode >= 400:
			e.Kind = revoke.ErrInvalidRequest
		}
	})
}

// bounded cuts server text kept in an error to one bounded line.
func bounded(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 256 {
		cut := 256
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// Endpoint returns the admin API base of the realm,
// {base}/admin/realms/{realm}.
func (a *Admin) Endpoint() string {
	if a == nil || a.realm == nil {
		return ""
	}
	return a.realm.String()
}

// fields is what an Admin prints: its endpoint and the type of its token
// source, never a token. A nil *Admin has none.
func (a *Admin) fields() adapter.Fields {
	if a == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(a.Endpoint())},
		{"TokenSource", strconv.Quote(redact.TypeIfSet(a.src))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// Admin prints its endpoint and the type of its token source, never a
// token.
func (a Admin) Format(f fmt.State, verb rune) { a.fields().Print(f, verb, "keycloak.Admin") }

// LogValue implements slog.LogValuer with the same fields. A nil *Admin
// logs as an empty group.
func (a *Admin) LogValue() slog.Value { return a.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (a Admin) MarshalJSON() ([]byte, error) { return a.fields().MarshalJSON() }
