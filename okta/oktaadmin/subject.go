package oktaadmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/okta/internal/oktawire"
)

// User-level operations beyond the token lists: one user by ID or login,
// one session, and Global Token Revocation.
var (
	opGetUser               = operation{"getUser", http.MethodGet, oktawire.UserPath, http.StatusOK, nil}
	opRevokeSession         = operation{"revokeSession", http.MethodDelete, oktawire.SessionPath, http.StatusNoContent, nil}
	opGlobalTokenRevocation = operation{"globalTokenRevocation", http.MethodPost, oktawire.GlobalTokenRevocationPath, http.StatusNoContent, nil}
)

// oauthOperations lists the operations of Okta's OAuth spec (not its
// management spec) the Admin calls.
var oauthOperations = []operation{opGlobalTokenRevocation}

// CloseSession ends one Okta session, as the Sessions API's Revoke a
// session does: DELETE /api/v1/sessions/{sessionId}, operation
// revokeSession, scope okta.sessions.manage. Okta answers 204; an unknown
// or already closed session is 404 E0000007, matching revoke.ErrNotFound.
// The user's other sessions, and the tokens apps hold, are not affected:
// to end everything a user holds, use RevokeSubject.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Session/#tag/Session/operation/revokeSession
func (a *Admin) CloseSession(ctx context.Context, sessionID string) (*revoke.Result, error) {
	u, err := a.target(ctx, "CloseSession", opRevokeSession, nil, idArg{"sessionID", sessionID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeSession, u)
}

// GlobalTokenRevocation asks Okta to end every session and token of one
// user (Okta Universal Logout): POST
// https://{domain}/oauth2/v1/global-token-revocation, operation
// globalTokenRevocation of Okta's OAuth spec, with the JSON body
//
//	{"sub_id":{"format":"opaque","id":"00u1dnq5S0CfjlkpABCD"}}
//	{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"00u5t60iloOHN9pBi0g7"}}
//
// Okta takes two RFC 9493 formats: revoke.OpaqueSubject with an Okta user ID,
// and revoke.IssSubSubject for a user who signs in through a third-party
// identity provider (iss that provider, sub its subject: the SAML NameID or
// the OIDC sub claim; Early Access at Okta). An email subject, or any other
// format, is refused before sending with a *revoke.ConfigError: use
// RevokeSubject, which looks the address up first.
//
// The endpoint is on the org authorization server but takes the management
// API's credentials: an API token (SSWS) or a service app's access token
// with the scope okta.universalLogout.manage (Bearer, or DPoP-bound with a
// ServiceAppSource). Okta answers 204 when revocation has begun; 400 (with
// no body: a malformed or unknown subject) matches revoke.ErrInvalidRequest,
// 403 E0000006 revoke.ErrForbidden (the scope, or Universal Logout not
// enabled for the org), 404 revoke.ErrNotFound, 429 E0000047
// revoke.ErrRateLimited.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/GlobalTokenRevocation/
// (draft-parecki-oauth-global-token-revocation-06 §3)
func (a *Admin) GlobalTokenRevocation(ctx context.Context, s revoke.Subject) (*revoke.Result, error) {
	const method = "GlobalTokenRevocation"
	if err := a.checkCall(ctx, method); err != nil {
		return nil, err
	}
	body, err := gtrBody(method, s)
	if err != nil {
		return nil, err
	}
	u := adapter.JoinPath(a.base, oktawire.GlobalTokenRevocationPath)
	resp, err := a.call(ctx, opGlobalTokenRevocation, u, adapter.JSON(body), false)
	if err != nil {
		var e *revoke.Error
		if errors.As(err, &e) && e.StatusCode == http.StatusBadRequest && e.Description == "" && e.Code == "" {
			e.Description = "Okta refused the request with no reason: check the subject (an Okta user ID for opaque; the identity provider's issuer and subject for iss_sub) and that Universal Logout is available to the org"
		}
		return nil, err
	}
	return resp.Result(), nil
}

// gtrSubID is Okta's sub_id object (schemas SubIdOpaque and SubIdIssSub of
// Okta's OAuth spec; RFC 9493 §3).
type gtrSubID struct {
	Format string `json:"format"`
	ID     string `json:"id,omitempty"`
	Iss    string `json:"iss,omitempty"`
	Sub    string `json:"sub,omitempty"`
}

// gtrBody validates s for Okta's Global Token Revocation and builds the
// request body.
func gtrBody(method string, s revoke.Subject) (map[string]gtrSubID, error) {
	if err := s.Validate(); err != nil {
		return nil, fieldPrefix("oktaadmin.Admin."+method+": ", err)
	}
	switch s.Format {
	case revoke.FormatOpaque:
		return map[string]gtrSubID{"sub_id": {Format: string(s.Format), ID: s.ID}}, nil
	case revoke.FormatIssSub:
		return map[string]gtrSubID{"sub_id": {Format: string(s.Format), Iss: s.Iss, Sub: s.Sub}}, nil
	}
	return nil, &revoke.ConfigError{Field: "oktaadmin.Admin." + method + ": Subject.Format", Kind: revoke.ErrInvalidRequest,
		Problem: fmt.Sprintf("Okta's Global Token Revocation takes %v subjects, not %q: pass revoke.OpaqueSubject(userID), or call RevokeSubject, which looks an email address up as a login first", oktawire.GlobalTokenRevocationFormats, s.Format)}
}

// fieldPrefix names the method in a Subject's own configuration error.
func fieldPrefix(prefix string, err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		return &revoke.ConfigError{Field: prefix + ce.Field, Problem: ce.Problem, Kind: ce.Kind}
	}
	return err
}

// userID looks a user up by login (or ID, or login shortname) and returns
// the user's ID: GET /api/v1/users/{id}, operation getUser, scope
// okta.users.read. Okta's reference asks for the login to be URL-encoded
// and cannot find a login holding '/' this way; such a login, and one
// holding '?', '#', '%' or '\', is refused here.
func (a *Admin) userID(ctx context.Context, method, login string) (string, *revoke.Result, error) {
	if strings.Contains(login, "/") {
		return "", nil, &revoke.ConfigError{Field: "oktaadmin.Admin." + method + ": login", Kind: revoke.ErrInvalidRequest,
			Problem: "contains '/': Okta cannot look up such a login by path (getUser); pass revoke.OpaqueSubject with the user's ID"}
	}
	u, err := a.target(ctx, method, opGetUser, nil, idArg{"login", login})
	if err != nil {
		return "", nil, err
	}
	resp, err := a.send(ctx, opGetUser, u, true)
	if err != nil {
		return "", nil, err
	}
	var user struct {
		ID string `json:"id"`
	}
	if err := decodeBody(opGetUser, u, resp, &user); err != nil {
		return "", nil, err
	}
	if err := adapter.CheckSegment("getUser id", user.ID, exampleID("userID")); err != nil {
		return "", nil, &revoke.Error{Op: opGetUser.opName(), Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Attempts: resp.Attempts, RequestID: resp.RequestID,
			Kind: revoke.ErrUnexpectedResponse, Description: "the user Okta returned has no usable id"}
	}
	return user.ID, resp.Result(), nil
}

// Step actions, as RevokeSubject reports them (revoke.Step.Action).
const (
	// ActionFindUser: GET /api/v1/users/{login}, for an email or iss_sub
	// subject; Target is the login looked up, Note the user ID found.
	ActionFindUser = "find user"
	// ActionRefreshTokens: DELETE
	// /api/v1/users/{userId}/clients/{clientId}/tokens, one step per
	// client; Target is the client ID.
	ActionRefreshTokens = "revoke refresh tokens"
	// ActionSessions: DELETE /api/v1/users/{userId}/sessions?oauthTokens=true.
	ActionSessions = "end sessions"
	// ActionGlobalTokenRevocation: POST /oauth2/v1/global-token-revocation.
	ActionGlobalTokenRevocation = "global token revocation"
)

// RevokeSubject ends everything one user holds at this org, implementing
// revoke.SubjectRevoker. By default it makes these steps, each reported,
// each attempted whatever the previous ones' outcome:
//
//  1. for every client the user has tokens or grants for
//     (ListUserClients), revoke the client's refresh tokens and the access
//     tokens minted with them (RevokeUserClientTokens): one step per client,
//     Target the client ID. A client that fails does not stop the others;
//     if the clients cannot be listed, that is one failed step. No client is
//     a skipped step.
//  2. end the user's Okta sessions and revoke every OAuth token issued to
//     the user (ClearUserSessions with OAuthTokens true; forgetDevices is
//     left to Okta's default): this also catches access tokens issued
//     without a refresh token and clients the list missed, so that a user
//     has to sign in again before getting new tokens.
//
// With Config.UseGlobalTokenRevocation, the steps are one Global Token
// Revocation call (GlobalTokenRevocation) instead.
//
// The subject is one of:
//
//   - revoke.OpaqueSubject(userID): an Okta user ID ("00ub0oNGTSWTBKOLGLNR").
//   - revoke.EmailSubject(address): looked up first as a login with GET
//     /api/v1/users/{login} (operation getUser, scope okta.users.read; Okta
//     accepts a user's ID, login or login shortname there), which is the
//     user's email address in most orgs. An org whose logins are not email
//     addresses needs OpaqueSubject. An unknown login is a failed step
//     matching revoke.ErrNotFound, and nothing else is attempted.
//   - revoke.IssSubSubject(iss, sub): iss this org (https://{domain}) or one
//     of its authorization servers (https://{domain}/oauth2/{id}), as in the
//     tokens Okta issues; sub is looked up like a login (an ID token's sub
//     is the user ID, a custom authorization server's access token's sub is
//     the login). Another issuer names a user of a third-party identity
//     provider, which only Global Token Revocation takes: with
//     Config.UseGlobalTokenRevocation it is sent as it is; otherwise it is
//     refused.
//
// Scopes for a service app: okta.users.read (lookups, client list),
// okta.users.manage, and okta.universalLogout.manage with Global Token
// Revocation. Bad input (an invalid subject, a format Okta cannot take) is
// a *revoke.ConfigError returned before any request, with no report. The
// report lists every step made; the error is report.Err(): nil when no step
// failed, else the failed steps' errors joined (errors.Is and errors.As see
// each one).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/#tag/UserSessions/operation/revokeUserSessions
// and https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokensForUserAndClient
func (a *Admin) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	const method = "RevokeSubject"
	if err := a.checkCall(ctx, method); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, fieldPrefix("oktaadmin.Admin."+method+": ", err)
	}
	rep := &revoke.Report{Vendor: "okta", Subject: s}
	var login string
	switch s.Format {
	case revoke.FormatOpaque:
		if err := adapter.CheckSegment("oktaadmin.Admin.RevokeSubject: Subject.ID", s.ID, exampleID("userID")); err != nil {
			return nil, withKind(err)
		}
		return a.revokeUser(ctx, rep, s.ID), rep.Err()
	case revoke.FormatEmail:
		login = s.Email
	case revoke.FormatIssSub:
		if !a.ownIssuer(s.Iss) {
			if !a.gtr {
				return nil, &revoke.ConfigError{Field: "oktaadmin.Admin.RevokeSubject: Subject.Iss", Kind: revoke.ErrInvalidRequest,
					Problem: fmt.Sprintf("is not this org (%s) or one of its authorization servers: the subject is a user of another identity provider, whom only Global Token Revocation can name; set oktaadmin.Config.UseGlobalTokenRevocation, or pass revoke.OpaqueSubject with the Okta user ID", a.domain())}
			}
			res, err := a.GlobalTokenRevocation(ctx, s)
			rep.Add(stepFor(ActionGlobalTokenRevocation, "", res, err))
			return rep, rep.Err()
		}
		login = s.Sub
	default:
		// Validate accepts only the formats above.
		return nil, &revoke.ConfigError{Field: "oktaadmin.Admin.RevokeSubject: Subject.Format", Kind: revoke.ErrInvalidRequest, Problem: "is not a format Okta can use: pass revoke.OpaqueSubject, revoke.EmailSubject or revoke.IssSubSubject"}
	}
	if strings.Contains(login, "/") {
		return nil, &revoke.ConfigError{Field: "oktaadmin.Admin.RevokeSubject: login", Kind: revoke.ErrInvalidRequest,
			Problem: "contains '/': Okta cannot look up such a login by path (getUser); pass revoke.OpaqueSubject with the user's ID"}
	}
	if err := adapter.CheckSegment("oktaadmin.Admin.RevokeSubject: login", login, "alice@example.com"); err != nil {
		return nil, withKind(err)
	}
	id, res, err := a.userID(ctx, method, login)
	step := stepFor(ActionFindUser, login, res, err)
	if err == nil {
		step.Note = "user " + id
	}
	rep.Add(step)
	if err != nil {
		return rep, rep.Err()
	}
	return a.revokeUser(ctx, rep, id), rep.Err()
}

// revokeUser makes the revocation steps for a known user ID.
func (a *Admin) revokeUser(ctx context.Context, rep *revoke.Report, userID string) *revoke.Report {
	if a.gtr {
		res, err := a.GlobalTokenRevocation(ctx, revoke.OpaqueSubject(userID))
		rep.Add(stepFor(ActionGlobalTokenRevocation, "", res, err))
		return rep
	}
	clients, err := a.ListUserClients(ctx, userID)
	switch {
	case err != nil:
		rep.Add(revoke.Step{Action: ActionRefreshTokens, Status: revoke.StepFailed, Err: err,
			Note: "listing the user's clients failed; the next step revokes the user's tokens all the same (oauthTokens=true)"})
	case len(clients) == 0:
		rep.Add(revoke.Step{Action: ActionRefreshTokens, Status: revoke.StepSkipped, Note: "the user has no client with tokens or grants"})
	}
	for _, c := range clients {
		res, err := a.RevokeUserClientTokens(ctx, userID, c.ClientID)
		step := stepFor(ActionRefreshTokens, c.ClientID, res, err)
		if c.ClientName != "" {
			step.Note = c.ClientName
		}
		rep.Add(step)
	}
	res, err := a.ClearUserSessions(ctx, userID, SessionOptions{OAuthTokens: true})
	step := stepFor(ActionSessions, "", res, err)
	if err == nil {
		step.Note = "oauthTokens=true: the user's remaining OAuth 2.0 and OpenID Connect tokens are revoked too"
	}
	rep.Add(step)
	return rep
}

// stepFor turns one call's outcome into a report step: Okta confirms each
// of these calls when it answers (204 or 200), so success is StepDone.
func stepFor(action, target string, res *revoke.Result, err error) revoke.Step {
	st := revoke.Step{Action: action, Target: target, Result: res, Status: revoke.StepDone}
	if err != nil {
		st.Status, st.Err = revoke.StepFailed, err
	}
	return st
}

// ownIssuer reports whether iss is this org (the org authorization server)
// or one of its custom authorization servers.
func (a *Admin) ownIssuer(iss string) bool {
	base := a.base.String()
	iss = strings.TrimRight(iss, "/")
	if len(iss) < len(base) || !strings.EqualFold(iss[:len(base)], base) {
		return false
	}
	rest := iss[len(base):]
	return rest == "" || (strings.HasPrefix(rest, "/oauth2/") && len(rest) > len("/oauth2/") && !strings.Contains(rest[len("/oauth2/"):], "/"))
}

// withKind marks an argument error as an invalid request, as the other
// argument errors of RevokeSubject are.
func withKind(err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) && ce.Kind == nil {
		return &revoke.ConfigError{Field: ce.Field, Problem: ce.Problem, Kind: revoke.ErrInvalidRequest}
	}
	return err
}

var _ revoke.SubjectRevoker = (*Admin)(nil)
