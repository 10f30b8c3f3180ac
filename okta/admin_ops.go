package okta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
	"github.com/revokekit/revoke/internal/wire"
)

// operation is one management API operation as Okta's OpenAPI spec
// describes it.
type operation struct {
	// id is the spec's operationId.
	id string
	// method and template are the HTTP method and the spec's path template.
	method, template string
	// status is the documented success status.
	status int
	// query lists the query parameters the client may send.
	query []string
}

// bucket is the rate-limit bucket key: method and path template.
func (o operation) bucket() string { return o.method + " " + o.template }

// opName names the operation in errors and logs.
func (o operation) opName() string { return "okta admin " + o.id }

const (
	userClientsPath      = "/api/v1/users/{userId}/clients"
	userClientTokensPath = "/api/v1/users/{userId}/clients/{clientId}/tokens"
	userClientTokenPath  = "/api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}"
	userClientGrantsPath = "/api/v1/users/{userId}/clients/{clientId}/grants"
	userGrantsPath       = "/api/v1/users/{userId}/grants"
	userSessionsPath     = "/api/v1/users/{userId}/sessions"
	asClientsPath        = "/api/v1/authorizationServers/{authServerId}/clients"
	asClientTokensPath   = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens"
	asClientTokenPath    = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}"
)

var (
	opListUserClients              = operation{"listUserClients", http.MethodGet, userClientsPath, http.StatusOK, nil}
	opListUserClientTokens         = operation{"listRefreshTokensForUserAndClient", http.MethodGet, userClientTokensPath, http.StatusOK, []string{"expand", "after", "limit"}}
	opGetUserClientToken           = operation{"getRefreshTokenForUserAndClient", http.MethodGet, userClientTokenPath, http.StatusOK, []string{"expand"}}
	opRevokeUserClientToken        = operation{"revokeTokenForUserAndClient", http.MethodDelete, userClientTokenPath, http.StatusNoContent, nil}
	opRevokeUserClientTokens       = operation{"revokeTokensForUserAndClient", http.MethodDelete, userClientTokensPath, http.StatusNoContent, nil}
	opRevokeUserClientGrants       = operation{"revokeGrantsForUserAndClient", http.MethodDelete, userClientGrantsPath, http.StatusNoContent, nil}
	opRevokeUserGrants             = operation{"revokeUserGrants", http.MethodDelete, userGrantsPath, http.StatusNoContent, nil}
	opRevokeUserSessions           = operation{"revokeUserSessions", http.MethodDelete, userSessionsPath, http.StatusNoContent, []string{"oauthTokens", "forgetDevices"}}
	opListAuthServerClients        = operation{"listOAuth2ClientsForAuthorizationServer", http.MethodGet, asClientsPath, http.StatusOK, nil}
	opListAuthServerClientTokens   = operation{"listRefreshTokensForAuthorizationServerAndClient", http.MethodGet, asClientTokensPath, http.StatusOK, []string{"expand", "after", "limit"}}
	opGetAuthServerClientToken     = operation{"getRefreshTokenForAuthorizationServerAndClient", http.MethodGet, asClientTokenPath, http.StatusOK, []string{"expand"}}
	opRevokeAuthServerClientToken  = operation{"revokeRefreshTokenForAuthorizationServerAndClient", http.MethodDelete, asClientTokenPath, http.StatusNoContent, nil}
	opRevokeAuthServerClientTokens = operation{"revokeRefreshTokensForAuthorizationServerAndClient", http.MethodDelete, asClientTokensPath, http.StatusNoContent, nil}
)

// operations lists every operation the Admin calls.
var operations = []operation{
	opListUserClients, opListUserClientTokens, opGetUserClientToken, opRevokeUserClientToken,
	opRevokeUserClientTokens, opRevokeUserClientGrants, opRevokeUserGrants, opRevokeUserSessions,
	opListAuthServerClients, opListAuthServerClientTokens, opGetAuthServerClientToken,
	opRevokeAuthServerClientToken, opRevokeAuthServerClientTokens,
}

// target validates the path arguments and builds the URL of op.
func (a *Admin) target(method string, op operation, q url.Values, args ...idArg) (*url.URL, error) {
	p := op.template
	for _, arg := range args {
		if err := checkID(method, arg); err != nil {
			return nil, err
		}
		start := strings.IndexByte(p, '{')
		end := strings.IndexByte(p, '}')
		if start < 0 || end < start {
			return nil, fmt.Errorf("okta: internal error: template %s has fewer parameters than given", op.template)
		}
		p = p[:start] + arg.value + p[end+1:]
	}
	if strings.IndexByte(p, '{') >= 0 {
		return nil, fmt.Errorf("okta: internal error: template %s has more parameters than given", op.template)
	}
	u := *a.base
	u.Path = p
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return &u, nil
}

var acceptJSON = http.Header{"Accept": {"application/json"}}

// send makes one call of op to u: it waits for the rate-limit bucket,
// authenticates every attempt, and records what the response said about the
// bucket.
func (a *Admin) send(ctx context.Context, op operation, u *url.URL, keepBody bool) (*wire.Response, error) {
	if ctx == nil {
		return nil, &revoke.Error{Op: op.opName(), Endpoint: wire.Endpoint(u), Kind: revoke.ErrInvalidRequest, Err: errors.New("nil context: pass context.Background() or a request context")}
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(op, u, err)
	}
	release, err := a.await(ctx, op, u)
	if err != nil {
		return nil, err
	}
	defer release()
	key := op.bucket()
	call := &wire.Call{
		Op:       op.opName(),
		Method:   op.method,
		URL:      u,
		Header:   acceptJSON,
		KeepBody: keepBody,
		OK:       func(status int) bool { return status == op.status },
	}
	call.Build = func(ctx context.Context, h http.Header) ([]byte, error) {
		secrets, err := a.auth.authorize(ctx, h, op.method, u)
		call.Secrets = append(call.Secrets, secrets...)
		return nil, err
	}
	call.Classify = func(_ *revoke.Error, _ errbody.Body, h http.Header) {
		a.limits.observe(key, h, a.clock.Now())
	}
	resp, err := a.wire.Do(ctx, call)
	if resp != nil {
		a.limits.observe(key, resp.Header, a.clock.Now())
	}
	return resp, err
}

// revoke sends a body-less DELETE and reports the result.
func (a *Admin) revoke(ctx context.Context, op operation, u *url.URL) (*revoke.Result, error) {
	resp, err := a.send(ctx, op, u, false)
	if err != nil {
		return nil, err
	}
	return wire.Result(resp), nil
}

// decodeBody decodes a JSON success body into v.
func decodeBody(op operation, u *url.URL, resp *wire.Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &revoke.Error{Op: op.opName(), Endpoint: wire.Endpoint(u), StatusCode: resp.StatusCode, Attempts: resp.Attempts,
			Kind: revoke.ErrUnexpectedResponse, Description: fmt.Sprintf("the response body does not fit the documented shape: %v", err),
			Excerpt: errbody.Excerpt(resp.Body, 256)}
	}
	return nil
}

// ---- user level ----

// ListUserClients lists the clients (OAuth 2.0 apps) for which the user has
// grants or tokens: GET /api/v1/users/{userId}/clients, operation
// listUserClients, scope okta.users.read. Okta does not paginate this list;
// a Link rel="next" header is followed all the same.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserResources/#tag/UserResources/operation/listUserClients
func (a *Admin) ListUserClients(ctx context.Context, userID string) ([]OAuthClient, error) {
	u, err := a.target("ListUserClients", opListUserClients, nil, idArg{"userID", userID})
	if err != nil {
		return nil, err
	}
	return collect(listPages[OAuthClient](a, ctx, opListUserClients, u))
}

// ListUserClientTokens iterates over the refresh tokens issued to the user
// for the client, following Okta's Link rel="next" pages: GET
// /api/v1/users/{userId}/clients/{clientId}/tokens, operation
// listRefreshTokensForUserAndClient, scope okta.users.read.
//
// opts.Limit is the page size, 1 to 200 (0 sends none: Okta's default is
// 20); opts.After resumes from a cursor saved from Page.NextCursor. An
// invalid argument is yielded as a *revoke.ConfigError before any request.
// Iteration stops at the first error, which is yielded with a zero
// RefreshToken; it also stops, with the context's error, as soon as ctx is
// done, even between two tokens of a page. To save a cursor, iterate with
// ListUserClientTokenPages.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/listRefreshTokensForUserAndClient
func (a *Admin) ListUserClientTokens(ctx context.Context, userID, clientID string, opts ListOptions) iter.Seq2[RefreshToken, error] {
	return pageItems(ctx, opListUserClientTokens, a.userClientTokenPages(ctx, "ListUserClientTokens", userID, clientID, opts))
}

// ListUserClientTokenPages is ListUserClientTokens page by page: every Page
// carries NextCursor, which a caller can store and later pass as
// ListOptions.After to resume after that page.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/listRefreshTokensForUserAndClient
func (a *Admin) ListUserClientTokenPages(ctx context.Context, userID, clientID string, opts ListOptions) iter.Seq2[*Page[RefreshToken], error] {
	return a.userClientTokenPages(ctx, "ListUserClientTokenPages", userID, clientID, opts)
}

func (a *Admin) userClientTokenPages(ctx context.Context, method, userID, clientID string, opts ListOptions) iter.Seq2[*Page[RefreshToken], error] {
	q, err := opts.query(method, "20")
	if err != nil {
		return failPages[RefreshToken](err)
	}
	u, err := a.target(method, opListUserClientTokens, q, idArg{"userID", userID}, idArg{"clientID", clientID})
	if err != nil {
		return failPages[RefreshToken](err)
	}
	return listPages[RefreshToken](a, ctx, opListUserClientTokens, u)
}

// GetUserClientToken retrieves one refresh token issued to the user for the
// client: GET /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId},
// operation getRefreshTokenForUserAndClient, scope okta.users.read. With
// expandScope, the token's scope objects are included (expand=scope) in
// RefreshToken.Embedded.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/getRefreshTokenForUserAndClient
func (a *Admin) GetUserClientToken(ctx context.Context, userID, clientID, tokenID string, expandScope bool) (*RefreshToken, error) {
	u, err := a.target("GetUserClientToken", opGetUserClientToken, expandQuery(expandScope),
		idArg{"userID", userID}, idArg{"clientID", clientID}, idArg{"tokenID", tokenID})
	if err != nil {
		return nil, err
	}
	return a.getToken(ctx, opGetUserClientToken, u)
}

// RevokeUserClientToken revokes one refresh token issued to the user for the
// client, and the access tokens minted with it: DELETE
// /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}, operation
// revokeTokenForUserAndClient, scope okta.users.manage. Okta answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokenForUserAndClient
func (a *Admin) RevokeUserClientToken(ctx context.Context, userID, clientID, tokenID string) (*revoke.Result, error) {
	u, err := a.target("RevokeUserClientToken", opRevokeUserClientToken, nil,
		idArg{"userID", userID}, idArg{"clientID", clientID}, idArg{"tokenID", tokenID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeUserClientToken, u)
}

// RevokeUserClientTokens revokes every refresh token issued to the user for
// the client: DELETE /api/v1/users/{userId}/clients/{clientId}/tokens,
// operation revokeTokensForUserAndClient, scope okta.users.manage. Okta
// answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokensForUserAndClient
func (a *Admin) RevokeUserClientTokens(ctx context.Context, userID, clientID string) (*revoke.Result, error) {
	u, err := a.target("RevokeUserClientTokens", opRevokeUserClientTokens, nil, idArg{"userID", userID}, idArg{"clientID", clientID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeUserClientTokens, u)
}

// RevokeUserClientGrants revokes every consent grant the user gave the
// client: DELETE /api/v1/users/{userId}/clients/{clientId}/grants,
// operation revokeGrantsForUserAndClient, scope okta.users.manage. Okta
// answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/#tag/UserGrant/operation/revokeGrantsForUserAndClient
func (a *Admin) RevokeUserClientGrants(ctx context.Context, userID, clientID string) (*revoke.Result, error) {
	u, err := a.target("RevokeUserClientGrants", opRevokeUserClientGrants, nil, idArg{"userID", userID}, idArg{"clientID", clientID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeUserClientGrants, u)
}

// RevokeUserGrants revokes every consent grant of the user, for all clients:
// DELETE /api/v1/users/{userId}/grants, operation revokeUserGrants, scope
// okta.users.manage. Okta answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/#tag/UserGrant/operation/revokeUserGrants
func (a *Admin) RevokeUserGrants(ctx context.Context, userID string) (*revoke.Result, error) {
	u, err := a.target("RevokeUserGrants", opRevokeUserGrants, nil, idArg{"userID", userID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeUserGrants, u)
}

// SessionOptions are the query parameters of ClearUserSessions.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/#tag/UserSessions/operation/revokeUserSessions
type SessionOptions struct {
	// OAuthTokens also revokes the OpenID Connect and OAuth refresh and
	// access tokens issued to the user (oauthTokens). It is always sent,
	// true or false; Okta's default is false.
	OAuthTokens bool
	// ForgetDevices clears the user's remembered factors on all devices
	// (forgetDevices). Nil sends nothing and leaves Okta's default, which is
	// true on Identity Engine orgs and false on Classic Engine orgs; set it
	// to say what you mean on both.
	ForgetDevices *bool
}

// ClearUserSessions ends every identity-provider session of the user, so the
// user must sign in again, and with opts.OAuthTokens also revokes the user's
// OAuth 2.0 and OpenID Connect tokens: DELETE
// /api/v1/users/{userId}/sessions, operation revokeUserSessions, scope
// okta.users.manage. Okta answers 204. Sessions that apps keep themselves are
// not affected.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserSessions/#tag/UserSessions/operation/revokeUserSessions
func (a *Admin) ClearUserSessions(ctx context.Context, userID string, opts SessionOptions) (*revoke.Result, error) {
	q := url.Values{"oauthTokens": {strconv.FormatBool(opts.OAuthTokens)}}
	if opts.ForgetDevices != nil {
		q.Set("forgetDevices", strconv.FormatBool(*opts.ForgetDevices))
	}
	u, err := a.target("ClearUserSessions", opRevokeUserSessions, q, idArg{"userID", userID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeUserSessions, u)
}

// ---- authorization-server level ----

// ListAuthServerClients lists the clients for which the authorization server
// has issued tokens: GET /api/v1/authorizationServers/{authServerId}/clients,
// operation listOAuth2ClientsForAuthorizationServer, scope
// okta.authorizationServers.read. A Link rel="next" header is followed.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/listOAuth2ClientsForAuthorizationServer
func (a *Admin) ListAuthServerClients(ctx context.Context, authServerID string) ([]OAuthClient, error) {
	u, err := a.target("ListAuthServerClients", opListAuthServerClients, nil, idArg{"authServerID", authServerID})
	if err != nil {
		return nil, err
	}
	return collect(listPages[OAuthClient](a, ctx, opListAuthServerClients, u))
}

// ListAuthServerClientTokens iterates over the refresh tokens the
// authorization server issued to the client, following Okta's Link
// rel="next" pages: GET
// /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens,
// operation listRefreshTokensForAuthorizationServerAndClient, scope
// okta.authorizationServers.read.
//
// opts.Limit is the page size, 1 to 200 (0 sends none, leaving Okta's
// default). Errors and cancellation behave as for ListUserClientTokens.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/listRefreshTokensForAuthorizationServerAndClient
func (a *Admin) ListAuthServerClientTokens(ctx context.Context, authServerID, clientID string, opts ListOptions) iter.Seq2[RefreshToken, error] {
	return pageItems(ctx, opListAuthServerClientTokens, a.authServerClientTokenPages(ctx, "ListAuthServerClientTokens", authServerID, clientID, opts))
}

// ListAuthServerClientTokenPages is ListAuthServerClientTokens page by page,
// with each Page's NextCursor.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/listRefreshTokensForAuthorizationServerAndClient
func (a *Admin) ListAuthServerClientTokenPages(ctx context.Context, authServerID, clientID string, opts ListOptions) iter.Seq2[*Page[RefreshToken], error] {
	return a.authServerClientTokenPages(ctx, "ListAuthServerClientTokenPages", authServerID, clientID, opts)
}

func (a *Admin) authServerClientTokenPages(ctx context.Context, method, authServerID, clientID string, opts ListOptions) iter.Seq2[*Page[RefreshToken], error] {
	q, err := opts.query(method, "Okta's default")
	if err != nil {
		return failPages[RefreshToken](err)
	}
	u, err := a.target(method, opListAuthServerClientTokens, q, idArg{"authServerID", authServerID}, idArg{"clientID", clientID})
	if err != nil {
		return failPages[RefreshToken](err)
	}
	return listPages[RefreshToken](a, ctx, opListAuthServerClientTokens, u)
}

// GetAuthServerClientToken retrieves one refresh token the authorization
// server issued to the client: GET
// /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId},
// operation getRefreshTokenForAuthorizationServerAndClient, scope
// okta.authorizationServers.read. With expandScope, scope objects are
// included (expand=scope).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/getRefreshTokenForAuthorizationServerAndClient
func (a *Admin) GetAuthServerClientToken(ctx context.Context, authServerID, clientID, tokenID string, expandScope bool) (*RefreshToken, error) {
	u, err := a.target("GetAuthServerClientToken", opGetAuthServerClientToken, expandQuery(expandScope),
		idArg{"authServerID", authServerID}, idArg{"clientID", clientID}, idArg{"tokenID", tokenID})
	if err != nil {
		return nil, err
	}
	return a.getToken(ctx, opGetAuthServerClientToken, u)
}

// RevokeAuthServerClientToken revokes one refresh token the authorization
// server issued to the client: DELETE
// /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId},
// operation revokeRefreshTokenForAuthorizationServerAndClient, scope
// okta.authorizationServers.manage. Okta answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/revokeRefreshTokenForAuthorizationServerAndClient
func (a *Admin) RevokeAuthServerClientToken(ctx context.Context, authServerID, clientID, tokenID string) (*revoke.Result, error) {
	u, err := a.target("RevokeAuthServerClientToken", opRevokeAuthServerClientToken, nil,
		idArg{"authServerID", authServerID}, idArg{"clientID", clientID}, idArg{"tokenID", tokenID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeAuthServerClientToken, u)
}

// RevokeAuthServerClientTokens revokes every refresh token the authorization
// server issued to the client, for all users: DELETE
// /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens,
// operation revokeRefreshTokensForAuthorizationServerAndClient, scope
// okta.authorizationServers.manage. Okta answers 204.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerClients/#tag/AuthorizationServerClients/operation/revokeRefreshTokensForAuthorizationServerAndClient
func (a *Admin) RevokeAuthServerClientTokens(ctx context.Context, authServerID, clientID string) (*revoke.Result, error) {
	u, err := a.target("RevokeAuthServerClientTokens", opRevokeAuthServerClientTokens, nil, idArg{"authServerID", authServerID}, idArg{"clientID", clientID})
	if err != nil {
		return nil, err
	}
	return a.revoke(ctx, opRevokeAuthServerClientTokens, u)
}

func (a *Admin) getToken(ctx context.Context, op operation, u *url.URL) (*RefreshToken, error) {
	resp, err := a.send(ctx, op, u, true)
	if err != nil {
		return nil, err
	}
	var t RefreshToken
	if err := decodeBody(op, u, resp, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func expandQuery(expandScope bool) url.Values {
	if !expandScope {
		return nil
	}
	return url.Values{"expand": {"scope"}}
}

// ---- revoke everything of one user ----

// RevokeAllReport is the outcome of RevokeAllUserTokens.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokensForUserAndClient
type RevokeAllReport struct {
	// UserID is the user whose tokens were revoked.
	UserID string
	// Clients lists every client the user had grants or tokens for, in the
	// order Okta listed them, with the outcome of revoking its tokens.
	Clients []ClientOutcome
}

// ClientOutcome is what happened to one client's tokens.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokensForUserAndClient
type ClientOutcome struct {
	// ClientID and ClientName identify the client (OAuth 2.0 app).
	ClientID   string
	ClientName string
	// Err is nil when Okta confirmed the revocation, or why it failed.
	Err error
}

// Revoked returns the clients whose tokens were revoked.
func (r *RevokeAllReport) Revoked() []ClientOutcome {
	var out []ClientOutcome
	for _, c := range r.Clients {
		if c.Err == nil {
			out = append(out, c)
		}
	}
	return out
}

// Failed returns the clients whose tokens could not be revoked.
func (r *RevokeAllReport) Failed() []ClientOutcome {
	var out []ClientOutcome
	for _, c := range r.Clients {
		if c.Err != nil {
			out = append(out, c)
		}
	}
	return out
}

// RevokeAllUserTokens revokes every refresh token of the user, client by
// client: it lists the user's clients (ListUserClients) and revokes each
// client's tokens (RevokeUserClientTokens), continuing past failures. The
// report lists every client with its outcome; the error joins the
// per-client failures (errors.Is and errors.As see each of them) and is nil
// when every client succeeded. If the clients cannot be listed, the report
// has no clients and the error says why.
//
// Revoking a refresh token also revokes the access tokens minted with it;
// access tokens issued without a refresh token stay valid until they expire.
// To also end the user's Okta sessions, use ClearUserSessions with
// OAuthTokens, which revokes the tokens in a single call but reports nothing
// per client.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/revokeTokensForUserAndClient
func (a *Admin) RevokeAllUserTokens(ctx context.Context, userID string) (*RevokeAllReport, error) {
	report := &RevokeAllReport{UserID: userID}
	clients, err := a.ListUserClients(ctx, userID)
	if err != nil {
		return report, fmt.Errorf("okta: RevokeAllUserTokens: listing the user's clients: %w", err)
	}
	var errs []error
	for _, c := range clients {
		out := ClientOutcome{ClientID: c.ClientID, ClientName: c.ClientName}
		if _, err := a.RevokeUserClientTokens(ctx, userID, c.ClientID); err != nil {
			out.Err = err
			errs = append(errs, fmt.Errorf("client %q (%s): %w", c.ClientName, c.ClientID, err))
		}
		report.Clients = append(report.Clients, out)
	}
	return report, errors.Join(errs...)
}
