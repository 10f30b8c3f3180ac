package oktaadmin

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
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/okta/internal/oktawire"
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

// Path templates of the operations, as Okta's OpenAPI spec writes them.
const (
	userClientsPath      = oktawire.UserClientsPath
	userClientTokensPath = oktawire.UserClientTokensPath
	userClientTokenPath  = oktawire.UserClientTokenPath
	userClientGrantsPath = oktawire.UserClientGrantsPath
	userGrantsPath       = oktawire.UserGrantsPath
	userSessionsPath     = oktawire.UserSessionsPath
	asClientsPath        = oktawire.ASClientsPath
	asClientTokensPath   = oktawire.ASClientTokensPath
	asClientTokenPath    = oktawire.ASClientTokenPath
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
	opGetUser, opRevokeSession,
}

// idArg is one path argument: its parameter name and value.
type idArg struct{ name, value string }

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
	case "sessionID":
		return "102GALFOoKNSrmCsT4WP4bJsQ"
	case "login":
		return "alice@example.com or 00ub0oNGTSWTBKOLGLNR"
	}
	return "an Okta ID"
}

// checkCall refuses a nil or zero Admin and a nil context, before anything
// else.
func (a *Admin) checkCall(ctx context.Context, method string) error {
	if err := a.ready(method); err != nil {
		return err
	}
	if ctx == nil {
		return &revoke.ConfigError{Field: "oktaadmin.Admin." + method + ": ctx", Problem: "is a nil context: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// target validates the Admin, the context and the path arguments and builds
// the URL of op. A bad argument is a *revoke.ConfigError naming the method
// and the argument, never repeating the value (a caller may have passed a
// token by mistake).
func (a *Admin) target(ctx context.Context, method string, op operation, q url.Values, args ...idArg) (*url.URL, error) {
	if err := a.checkCall(ctx, method); err != nil {
		return nil, err
	}
	p := op.template
	for _, arg := range args {
		field := "oktaadmin.Admin." + method + ": " + arg.name
		if err := adapter.CheckSegment(field, arg.value, exampleID(arg.name)); err != nil {
			return nil, withKind(err)
		}
		start := strings.IndexByte(p, '{')
		end := strings.IndexByte(p, '}')
		if start < 0 || end < start {
			return nil, fmt.Errorf("oktaadmin: internal error: template %s has fewer parameters than given", op.template)
		}
		p = p[:start] + arg.value + p[end+1:]
	}
	if strings.IndexByte(p, '{') >= 0 {
		return nil, fmt.Errorf("oktaadmin: internal error: template %s has more parameters than given", op.template)
	}
	u := *a.base
	u.Path = p
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return &u, nil
}

var acceptJSON = http.Header{"Accept": {"application/json"}}

// send makes one body-less call of op to u; see call.
func (a *Admin) send(ctx context.Context, op operation, u *url.URL, readBody bool) (*adapter.Response, error) {
	return a.call(ctx, op, u, nil, readBody)
}

// call makes one call of op to u through the adapter kit: the kit paces it
// in op's rate-limit bucket, the authorizer adds the credential to every
// attempt (and, for a DPoP-bound token, the kit a fresh proof with ath),
// and only op's documented status is success.
func (a *Admin) call(ctx context.Context, op operation, u *url.URL, body adapter.Body, readBody bool) (*adapter.Response, error) {
	client, authorize, err := a.prepare(ctx)
	if err != nil {
		return nil, err
	}
	bucket := op.bucket()
	call := &adapter.Call{
		Op:        op.opName(),
		Method:    op.method,
		URL:       u,
		Header:    acceptJSON,
		Body:      body,
		Bucket:    bucket,
		ReadBody:  readBody,
		Authorize: authorize,
		Check: func(r *adapter.Response) error {
			a.reports.set(bucket, r.RateLimit)
			if r.StatusCode == op.status {
				return nil
			}
			e := r.Fail()
			if r.StatusCode >= 200 && r.StatusCode < 300 {
				e.Kind = revoke.ErrUnexpectedResponse
				e.Description = fmt.Sprintf("Okta answered %d where its spec documents %d for %s", r.StatusCode, op.status, op.id)
			}
			if code, desc := dpopChallenge(r.Header); code != "" && e.Code == "" {
				// A refused DPoP proof or token (RFC 9449 §7.1) says why in
				// WWW-Authenticate, not in the body.
				e.Code, e.Description = r.Scrub(code), r.Scrub(desc)
			}
			return e
		},
	}
	return client.Do(ctx, call)
}

// prepare picks the client and the credential for one call. With a
// ServiceAppSource that uses DPoP, the token is taken first (from the
// source's cache, normally): a DPoP-bound token goes through the client
// that signs proofs, a Bearer token (an app that does not require DPoP)
// through the plain one, so that no proof ever accompanies a Bearer token.
func (a *Admin) prepare(ctx context.Context) (*adapter.Client, func(context.Context, *adapter.Attempt) error, error) {
	d, ok := a.auth.(*dpopAuth)
	if !ok || a.dc == nil {
		return a.c, a.auth.authorize, nil
	}
	tok, err := sourceToken(ctx, d.src)
	if err != nil {
		return nil, nil, err
	}
	if bound(tok) {
		return a.dc, d.authorizeAs(true), nil
	}
	return a.c, d.authorizeAs(false), nil
}

// dpopChallenge reads the error and error_description of a DPoP challenge
// (WWW-Authenticate: DPoP error="…", error_description="…", RFC 9449 §7.1).
func dpopChallenge(h http.Header) (code, desc string) {
	for _, v := range h.Values("WWW-Authenticate") {
		scheme, params, _ := strings.Cut(strings.TrimSpace(v), " ")
		if !strings.EqualFold(scheme, "DPoP") {
			continue
		}
		if code = authParam(params, "error"); code != "" {
			return code, authParam(params, "error_description")
		}
	}
	return "", ""
}

// authParam returns the value of one auth-param (RFC 9110 §11.2), quoted
// or not.
func authParam(params, name string) string {
	for rest := params; rest != ""; {
		rest = strings.TrimLeft(rest, " ,")
		k, after, ok := strings.Cut(rest, "=")
		if !ok {
			return ""
		}
		k = strings.TrimSpace(k)
		var v string
		if strings.HasPrefix(after, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(after) && after[i] != '"'; i++ {
				if after[i] == '\\' && i+1 < len(after) {
					i++
				}
				b.WriteByte(after[i])
			}
			v, rest = b.String(), after[min(i+1, len(after)):]
		} else {
			v, rest, _ = strings.Cut(after, ",")
			v = strings.TrimSpace(v)
		}
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// revoke sends a body-less DELETE and reports the result.
func (a *Admin) revoke(ctx context.Context, op operation, u *url.URL) (*revoke.Result, error) {
	resp, err := a.send(ctx, op, u, false)
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// decodeBody decodes a JSON success body into v.
func decodeBody(op operation, u *url.URL, resp *adapter.Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return &revoke.Error{Op: op.opName(), Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Attempts: resp.Attempts, RequestID: resp.RequestID,
			Kind: revoke.ErrUnexpectedResponse, Description: "the response body does not fit the documented shape: " + resp.Scrub(err.Error()),
			Excerpt: resp.Excerpt()}
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
	u, err := a.target(ctx, "ListUserClients", opListUserClients, nil, idArg{"userID", userID})
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
	u, err := a.target(ctx, method, opListUserClientTokens, q, idArg{"userID", userID}, idArg{"clientID", clientID})
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
	u, err := a.target(ctx, "GetUserClientToken", opGetUserClientToken, expandQuery(expandScope),
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
	u, err := a.target(ctx, "RevokeUserClientToken", opRevokeUserClientToken, nil,
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
	u, err := a.target(ctx, "RevokeUserClientTokens", opRevokeUserClientTokens, nil, idArg{"userID", userID}, idArg{"clientID", clientID})
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
	u, err := a.target(ctx, "RevokeUserClientGrants", opRevokeUserClientGrants, nil, idArg{"userID", userID}, idArg{"clientID", clientID})
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
	u, err := a.target(ctx, "RevokeUserGrants", opRevokeUserGrants, nil, idArg{"userID", userID})
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
	u, err := a.target(ctx, "ClearUserSessions", opRevokeUserSessions, q, idArg{"userID", userID})
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
	u, err := a.target(ctx, "ListAuthServerClients", opListAuthServerClients, nil, idArg{"authServerID", authServerID})
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
	u, err := a.target(ctx, method, opListAuthServerClientTokens, q, idArg{"authServerID", authServerID}, idArg{"clientID", clientID})
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
	u, err := a.target(ctx, "GetAuthServerClientToken", opGetAuthServerClientToken, expandQuery(expandScope),
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
	u, err := a.target(ctx, "RevokeAuthServerClientToken", opRevokeAuthServerClientToken, nil,
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
	u, err := a.target(ctx, "RevokeAuthServerClientTokens", opRevokeAuthServerClientTokens, nil, idArg{"authServerID", authServerID}, idArg{"clientID", clientID})
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
		return report, fmt.Errorf("oktaadmin: RevokeAllUserTokens: listing the user's clients: %w", err)
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
