// Package onelogintest emulates OneLogin's token revocation endpoints and
// the part of its API that logs users out, with real token and session
// state, for tests of code that uses package onelogin (or talks to OneLogin
// any other way). It is built on the shared emulator core of package
// revoketest: its token Store, client registry (Clients), fault queue and
// request Log.
//
//	POST /auth/oauth2/revoke          API-credential tokens, JSON body
//	POST /oidc/2/token/revocation     OpenID Connect tokens, RFC 7009 form
//	POST /oidc/2/token/introspection  OpenID Connect tokens, RFC 7662
//	POST /auth/oauth2/v2/token        API access tokens (Generate Tokens v2)
//	PUT  /api/1/users/{id}/logout     log a user out
//	GET  /api/2/users?email=…         list users by email
//
// Serve a Server with httptest.NewServer(onelogintest.New()), or on an
// httpmock transport with onelogintest.Register(mt, base).
//
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
// https://developers.onelogin.com/openid-connect/api/revoke-token
// https://developers.onelogin.com/openid-connect/api/validate-token
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens
// https://developers.onelogin.com/api-docs/1/users/log-user-out
// https://developers.onelogin.com/api-docs/2/users/list-users
package onelogintest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Paths, relative to https://<subdomain>.onelogin.com.
const (
	// RevokePath is the API-credential token revocation endpoint
	// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
	RevokePath = "/auth/oauth2/revoke"
	// OIDCRevokePath is the OpenID Connect token revocation endpoint
	// (https://developers.onelogin.com/openid-connect/api/revoke-token).
	OIDCRevokePath = "/oidc/2/token/revocation"
	// OIDCIntrospectPath is the OpenID Connect token introspection
	// endpoint (https://developers.onelogin.com/openid-connect/api/validate-token).
	OIDCIntrospectPath = "/oidc/2/token/introspection"
	// TokenPath is the API access token endpoint
	// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
	TokenPath = "/auth/oauth2/v2/token"
	// UsersV1Path prefixes a user's logout, UsersV1Path/{id}/logout
	// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
	UsersV1Path = "/api/1/users"
	// UsersV2Path lists users (https://developers.onelogin.com/api-docs/2/users/list-users).
	UsersV2Path = "/api/2/users"
)

// Scopes of an API credential, as the OneLogin admin console names them
// (https://developers.onelogin.com/api-docs/1/getting-started/working-with-api-credentials).
const (
	ScopeAuthOnly    = "Authentication Only"
	ScopeReadUsers   = "Read users"
	ScopeManageUsers = "Manage users"
	ScopeReadAll     = "Read All"
	ScopeManageAll   = "Manage All"
)

// Messages OneLogin documents for its resource APIs
// (https://developers.onelogin.com/api-docs/1/users/log-user-out,
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
const (
	// MsgAuthIncorrect answers a resource call whose Authorization header
	// is missing or not "bearer:<access_token>" (400).
	MsgAuthIncorrect = "Authorization Information is incorrect"
	// MsgInsufficient answers a token whose credential lacks the scope
	// (401).
	MsgInsufficient = "Insufficient Permission"
	// MsgNotAuthorizedUser answers a logout of a user the credential may
	// not manage (403).
	MsgNotAuthorizedUser = "user is not authorized to access this User"
	// MsgIDIncorrect is the description of the 400 for a user ID that is
	// not an integer, sent as {"attribute":"id","description":…}.
	MsgIDIncorrect = "ID is incorrect"
	// MsgUserNotFound answers a logout of an unknown user (404). OneLogin
	// does not show this body; it is inferred.
	MsgUserNotFound = "User not found"
	// MsgGrantType answers a token request whose grant_type is not
	// client_credentials (400).
	MsgGrantType = "grant_type is incorrect/absent"
)

// APITokenLifetime is how long an API access token lives: ten hours
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
const APITokenLifetime = 10 * time.Hour

// Lifetimes the OpenID Connect introspection answer's exp reports: an
// app's default Access Token Timeout (one hour) and Refresh Token Timeout
// (30 days, inferred). The emulator never expires an OpenID Connect token.
const (
	OIDCAccessTokenLifetime  = time.Hour
	OIDCRefreshTokenLifetime = 30 * 24 * time.Hour
)

// User is a user of the emulated account
// (https://developers.onelogin.com/api-docs/2/users/list-users).
type User struct {
	// ID is the user's ID, a positive integer.
	ID int64
	// Email is the user's address; Username is optional.
	Email    string
	Username string
	// Protected marks a user the API credentials may not manage: a logout
	// answers 403 MsgNotAuthorizedUser.
	Protected bool
}

// Messages OneLogin documents for /auth/oauth2/revoke
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
const (
	// MsgContentType answers a body that is not application/json (400).
	MsgContentType = "Content Type is not specified or specified incorrectly. Content-Type header must be set to application/json"
	// MsgTokenMissing answers a body without an access_token string (400).
	MsgTokenMissing = "Access Token Missing"
	// MsgAuthMissing answers a missing or malformed Authorization header
	// (400).
	MsgAuthMissing = "The authorization information is missing"
	// MsgAuthFailure answers wrong credentials (401).
	MsgAuthFailure = "Authentication Failure"
	// MsgNoRoute answers an unknown path or a method other than POST (404).
	MsgNoRoute = "No Route Exists"
	// MsgRateLimited is the emulator's 429 message. OneLogin does not
	// document its 429 body; this one is inferred.
	MsgRateLimited = "Rate Limit Exceeded"
)

// Token kinds the emulator stores in revoketest.TokenInfo.Kind.
const (
	// KindAPI marks tokens minted with API credentials.
	KindAPI = "onelogin-api"
	// KindOIDC marks end-user tokens issued to an OpenID Connect app.
	KindOIDC = "onelogin-oidc"
)

// Default rate limit: OneLogin's documented account-level limit of 5,000
// calls per hour
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit).
const (
	// DefaultRateLimit is the number of calls a window allows.
	DefaultRateLimit = 5000
	// DefaultRateWindow is the length of a window.
	DefaultRateWindow = time.Hour
)

// Server emulates a OneLogin account's two revocation endpoints and its
// OpenID Connect introspection endpoint:
//
//	POST /auth/oauth2/revoke          API-credential tokens, JSON body
//	POST /oidc/2/token/revocation     OpenID Connect tokens, RFC 7009 form
//	POST /oidc/2/token/introspection  OpenID Connect tokens, RFC 7662 form
//
// /auth/oauth2/revoke follows the v1 documentation
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens)
// and OneLogin's OpenAPI description: it accepts the v1 header
// "client_id:<id>, client_secret:<secret>" and HTTP Basic (v2; raw
// base64(id:secret), not form-decoded); it requires Content-Type
// application/json and a JSON object with "access_token"; it answers every
// documented case with the documented nested envelope
// {"status":{"error","code","type","message"}}: 400 for the Content-Type
// message, "Access Token Missing" and "The authorization information is
// missing" (a missing or malformed Authorization header), 401
// "Authentication Failure" for wrong credentials, 404 "No Route Exists" for
// a method other than POST. Revoking an access token also revokes its
// refresh token. Every answer carries X-RateLimit-Limit, -Remaining and
// -Reset, the last in seconds remaining in the window, as OneLogin sends
// it; past the limit it answers 429
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit).
//
// Undocumented behaviour, inferred: an unknown or already revoked token is
// a success (nothing is revealed about it); a token minted by other
// credentials is 401 "Authentication Failure" and stays active; a refresh
// token sent as access_token is treated as unknown; the 429 body is the
// nested envelope with MsgRateLimited.
//
// /oidc/2/token/revocation follows
// https://developers.onelogin.com/openid-connect/api/revoke-token: Basic
// (raw base64(id:secret)), POST or None per the app's registered Method;
// credentials in both header and body are refused (400 invalid_request,
// inferred: OneLogin says only that it "will cause an error"); an unknown,
// foreign or already revoked token is 400
// {"error":"unsupported_token_type","error_description":"revocation of the
// presented token type is not supported"}; failed authentication is 401
// with the non-standard error "invalid_request" and the documented
// descriptions. Revoking an access token revokes only it; revoking a
// refresh token also revokes its access token.
//
// /oidc/2/token/introspection follows
// https://developers.onelogin.com/openid-connect/api/validate-token: the
// request rules and client authentication of /oidc/2/token/revocation,
// with the same answers (a method other than POST included); a missing
// token is 400 {"error":"invalid_request","error_description":"missing
// required parameter(s). (token)"}. A token of the app is answered 200
// {"active":true,"sub","client_id","iss","iat","exp"}, with
// "token_type":"access_token" for an access token (the documentation's
// sample), exp after OIDCAccessTokenLifetime or OIDCRefreshTokenLifetime
// (the emulator never expires a token); refresh tokens are introspected
// too (inferred: the documentation shows access tokens). An unknown,
// revoked or other app's token, or an API credential's, is 200
// {"active":false}.
//
// POST /auth/oauth2/v2/token issues API access tokens for registered API
// credentials (Generate Tokens v2,
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens):
// JSON {"grant_type":"client_credentials"} with either Authorization header
// above, or a form with client_id and client_secret; it answers
// {"access_token","refresh_token","token_type":"bearer","expires_in",
// "created_at","account_id"} and hands the same token set back until it
// expires (APITokenLifetime) or is revoked; 400 MsgGrantType for another
// grant type. Resource calls take "bearer:<token>" (the v1 documentation's
// form) or "Bearer <token>" (v2, and what OneLogin's SDKs send): anything
// else is 400 MsgAuthIncorrect, an unknown, expired or revoked token 401
// "Authentication Failure", a credential without the scope 401
// MsgInsufficient.
//
// PUT /api/1/users/{id}/logout (Log User Out,
// https://developers.onelogin.com/api-docs/1/users/log-user-out), with the
// Manage users or Manage All scope, ends every OneLogin session of the user
// (StartSession, SessionActive) and nothing else: tokens issued to apps stay
// active. A non-integer ID is 400 with the message
// {"attribute":"id","description":"ID is incorrect"}, a protected user 403
// MsgNotAuthorizedUser, an unknown user 404 MsgUserNotFound (inferred).
//
// GET /api/2/users?email=… (List Users v2,
// https://developers.onelogin.com/api-docs/2/users/list-users), with a Read
// or Manage scope, answers the JSON array of users with that email, case
// aside.
//
// A request body larger than revoketest.MaxRequestBytes is answered 413
// and never acted on.
type Server struct {
	// Store holds the issued tokens.
	Store *revoketest.Store
	// APICredentials are the API credential pairs accepted by
	// /auth/oauth2/revoke; Apps the OpenID Connect apps accepted by
	// /oidc/2/token/revocation, each with its Token Endpoint Authentication
	// Method (client_secret_basic, client_secret_post or none).
	APICredentials *revoketest.Clients
	Apps           *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// RateLimit is how many /auth/oauth2/revoke calls a RateWindow allows.
	// Zero values take DefaultRateLimit and DefaultRateWindow. Set them
	// before serving.
	RateLimit  int
	RateWindow time.Duration

	mu          sync.Mutex
	windowStart time.Time
	used        int
	scopes      map[string]string          // API credential → scope
	current     map[string]revoketest.Pair // API credential → its token set
	expiry      map[string]time.Time       // API access token → expiry
	users       map[int64]User             // by ID
	sessions    map[string]int64           // OneLogin session → user
}

// New returns an emulator of both endpoints
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens,
// https://developers.onelogin.com/openid-connect/api/revoke-token) with no
// credentials or apps. Register them with AddAPICredential and AddApp.
func New() *Server {
	return &Server{
		Store:          revoketest.NewStore(),
		APICredentials: &revoketest.Clients{RawBasic: true},
		Apps:           &revoketest.Clients{RawBasic: true},
		scopes:         map[string]string{},
		current:        map[string]revoketest.Pair{},
		expiry:         map[string]time.Time{},
		users:          map[int64]User{},
		sessions:       map[string]int64{},
	}
}

// Register creates an emulator (see Server for the OneLogin documentation it
// follows) and serves it for every request under baseURL on mt, e.g.
//
//	mt := httpmock.NewMockTransport()
//	fake := onelogintest.Register(mt, "https://acme.onelogin.com")
//	fake.AddAPICredential("id", "api-secret")
//	pair := fake.Issue("id")
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt, as
// revoketest.RegisterHandler does: baseURL stands for
// https://<subdomain>.onelogin.com.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddAPICredential registers an API credential pair (Developers > API
// Credentials) for /auth/oauth2/revoke
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
func (s *Server) AddAPICredential(clientID, secret string) {
	s.AddAPICredentialScope(clientID, secret, ScopeManageAll)
}

// AddAPICredentialScope registers an API credential pair with a scope
// (ScopeManageUsers, ScopeReadUsers, …), which decides the resource calls
// its access tokens may make
// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
func (s *Server) AddAPICredentialScope(clientID, secret, scope string) {
	s.APICredentials.Add(revoketest.Client{ID: clientID, Secret: secret})
	s.mu.Lock()
	s.scopes[clientID] = scope
	s.mu.Unlock()
}

// AddUser adds a user to the account, replacing one with the same ID
// (https://developers.onelogin.com/api-docs/2/users/list-users).
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// StartSession signs a user in to OneLogin and returns the session's ID, as
// a portal sign-in would; Log User Out ends it
// (https://developers.onelogin.com/api-docs/1/users/log-user-out). It panics on an unknown user: a mistake in the
// test.
func (s *Server) StartSession(userID int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		panic("onelogintest: StartSession of unknown user " + strconv.FormatInt(userID, 10))
	}
	id := "sess_" + strconv.FormatInt(userID, 10) + "_" + strconv.Itoa(len(s.sessions)+1) + "_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	s.sessions[id] = userID
	return id
}

// SessionActive reports whether a OneLogin session is still open: whether
// the user was not logged out since
// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
func (s *Server) SessionActive(session string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.sessions[session]
	return ok
}

// AddApp registers an OpenID Connect app for /oidc/2/token/revocation
// (https://developers.onelogin.com/openid-connect/api/revoke-token).
// c.Method is its Token Endpoint Authentication Method:
// "client_secret_basic", "client_secret_post" or "none".
func (s *Server) AddApp(c revoketest.Client) { s.Apps.Add(c) }

// Issue mints an active access and refresh token pair for clientID: an API
// credential pair's tokens if clientID is a registered API credential,
// otherwise an OpenID Connect app's end-user tokens. The pair shares one
// grant: revoking an API access token, or an OpenID Connect refresh token,
// revokes both, as OneLogin documents.
func (s *Server) Issue(clientID string) revoketest.Pair {
	if _, ok := s.APICredentials.Get(clientID); ok {
		return s.Store.IssueKind(clientID, "", KindAPI)
	}
	return s.Store.IssueKind(clientID, "user", KindOIDC)
}

// Active reports whether token was issued and not revoked: whether OneLogin
// would still accept it.
func (s *Server) Active(token string) bool { return s.Store.Active(token) }

// FailNext makes the next n requests answer f (for example
// revoketest.ServiceUnavailable), before any OneLogin behaviour or rate
// limit applies.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first, with the status
// the emulator answered.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// ServeHTTP implements http.Handler, answering as Server describes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form, readOK := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !readOK {
		return
	}
	if s.Faults.Serve(rec) {
		return
	}
	p := r.URL.Path
	switch {
	case p == RevokePath:
		s.apiRevoke(rec, r, body)
	case p == OIDCRevokePath:
		s.oidcRevoke(rec, r, form)
	case p == OIDCIntrospectPath:
		s.oidcIntrospect(rec, r, form)
	case p == TokenPath:
		s.token(rec, r, body, form)
	case p == UsersV2Path:
		s.listUsers(rec, r)
	case strings.HasPrefix(p, UsersV1Path+"/") && strings.HasSuffix(p, "/logout") && strings.Count(p, "/") == 5:
		s.logOut(rec, r, strings.TrimSuffix(strings.TrimPrefix(p, UsersV1Path+"/"), "/logout"))
	default:
		writeStatus(rec, http.StatusNotFound, "not found", MsgNoRoute)
	}
}

// statusRecorder remembers the status written, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// ---- /auth/oauth2/revoke ----

// status is the documented nested envelope.
type status struct {
	Status struct {
		Error   bool   `json:"error"`
		Code    int    `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"status"`
}

func writeStatus(w http.ResponseWriter, code int, typ, msg string) {
	var env status
	env.Status.Error = code != http.StatusOK
	env.Status.Code, env.Status.Type, env.Status.Message = code, typ, msg
	b, _ := json.Marshal(env)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

func (s *Server) apiRevoke(w http.ResponseWriter, r *http.Request, body []byte) {
	if !s.countCall(w.Header()) {
		writeStatus(w, http.StatusTooManyRequests, "Too Many Requests", MsgRateLimited)
		return
	}
	if r.Method != http.MethodPost {
		writeStatus(w, http.StatusNotFound, "not found", MsgNoRoute)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeStatus(w, http.StatusBadRequest, "bad request", MsgContentType)
		return
	}
	id, secret, ok := ParseAuthorization(r.Header.Get("Authorization"))
	if !ok {
		writeStatus(w, http.StatusBadRequest, "bad request", MsgAuthMissing)
		return
	}
	if !s.checkAPICredential(id, secret) {
		writeStatus(w, http.StatusUnauthorized, "Unauthorized", MsgAuthFailure)
		return
	}
	var req struct {
		AccessToken *string `json:"access_token"`
	}
	if json.Unmarshal(body, &req) != nil || req.AccessToken == nil || *req.AccessToken == "" {
		writeStatus(w, http.StatusBadRequest, "bad request", MsgTokenMissing)
		return
	}
	tok := *req.AccessToken
	info, found := s.Store.Lookup(tok)
	if found && info.Kind == KindAPI && info.Type == "access_token" {
		if info.ClientID != id {
			writeStatus(w, http.StatusUnauthorized, "Unauthorized", MsgAuthFailure)
			return
		}
		// The access token takes its refresh token with it.
		s.Store.Revoke(tok, id)
		s.Store.Revoke(info.Sibling, id)
	}
	writeStatus(w, http.StatusOK, "success", "Success")
}

// checkAPICredential reports whether id and secret are a registered API
// credential pair, comparing the secret in constant time.
func (s *Server) checkAPICredential(id, secret string) bool {
	c, ok := s.APICredentials.Get(id)
	return ok && c.Secret != "" && subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) == 1
}

// ParseAuthorization reads the client credentials of a /auth/oauth2/revoke
// Authorization header in either accepted format
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens,
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens):
//
//	client_id:<id>, client_secret:<secret>     (v1)
//	Basic base64(<id>:<secret>)                (v2, taken raw)
//
// In the v1 format the ID ends at the first comma and the secret runs to
// the end of the header; white space around either is ignored. ok is false
// for anything else, which OneLogin answers with "The authorization
// information is missing".
func ParseAuthorization(h string) (id, secret string, ok bool) {
	h = strings.TrimSpace(h)
	if len(h) > 6 && strings.EqualFold(h[:6], "basic ") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
		if err != nil {
			return "", "", false
		}
		id, secret, found := strings.Cut(string(raw), ":")
		if !found || id == "" || secret == "" {
			return "", "", false
		}
		return id, secret, true
	}
	idPart, secretPart, found := strings.Cut(h, ",")
	if !found {
		return "", "", false
	}
	idPart, secretPart = strings.TrimSpace(idPart), strings.TrimSpace(secretPart)
	idVal, okID := strings.CutPrefix(idPart, "client_id:")
	secretVal, okSecret := strings.CutPrefix(secretPart, "client_secret:")
	idVal, secretVal = strings.TrimSpace(idVal), strings.TrimSpace(secretVal)
	if !okID || !okSecret || idVal == "" || secretVal == "" {
		return "", "", false
	}
	return idVal, secretVal, true
}

// countCall counts one API call against the window, sets the X-RateLimit-*
// headers, and reports whether the call is within the limit.
func (s *Server) countCall(h http.Header) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit, window := s.RateLimit, s.RateWindow
	if limit <= 0 {
		limit = DefaultRateLimit
	}
	if window <= 0 {
		window = DefaultRateWindow
	}
	t := time.Now()
	if s.windowStart.IsZero() || !t.Before(s.windowStart.Add(window)) {
		s.windowStart, s.used = t, 0
	}
	reset := s.windowStart.Add(window).Sub(t)
	secs := int((reset + time.Second - 1) / time.Second) // round up: never announce a reset before it happens
	within := s.used < limit
	if within {
		s.used++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-s.used))
	h.Set("X-RateLimit-Reset", strconv.Itoa(secs))
	return within
}

// ---- /oidc/2/token/revocation ----

// OpenID Connect error bodies
// (https://developers.onelogin.com/openid-connect/api/revoke-token).
var (
	errUnsupported = &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "unsupported_token_type", Description: "revocation of the presented token type is not supported"}
	errBadHeader   = &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "invalid authorization header value format"}
	errAuthFailed  = &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "Authentication Failed"}
	errUnauthz     = &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "Access is unauthorized"}
	// Inferred: OneLogin documents that credentials in both places "will
	// cause an error" without giving the body.
	errBoth = &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "client credentials must be sent in the Authorization header or in the body, not both"}
)

// checkForm enforces the RFC 7009 §2.1 / RFC 6749 §3.2 request rules: POST,
// a form body, no parameter twice.
func checkForm(r *http.Request, form url.Values) *revoketest.OAuthError {
	if r.Method != http.MethodPost {
		return &revoketest.OAuthError{Status: http.StatusNotFound, Code: "invalid_request", Description: "the endpoint accepts only POST"}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "only application/x-www-form-urlencoded content-type bodies are supported"}
	}
	for k, v := range form {
		if len(v) > 1 {
			return &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "'" + k + "' parameter must not be provided twice"}
		}
	}
	return nil
}

func (s *Server) oidcRevoke(w http.ResponseWriter, r *http.Request, form url.Values) {
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	clientID, e := s.authenticateApp(r, form)
	if e != nil {
		e.Write(w)
		return
	}
	token := form.Get("token")
	if token == "" {
		(&revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "token is required"}).Write(w)
		return
	}
	info, found := s.Store.Lookup(token)
	if !found || !info.Active || info.Kind != KindOIDC || info.ClientID != clientID {
		errUnsupported.Write(w)
		return
	}
	s.Store.Revoke(token, clientID) // a refresh token takes its access token with it
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (s *Server) oidcIntrospect(w http.ResponseWriter, r *http.Request, form url.Values) {
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	clientID, e := s.authenticateApp(r, form)
	if e != nil {
		e.Write(w)
		return
	}
	token := form.Get("token")
	if token == "" {
		(&revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "missing required parameter(s). (token)"}).Write(w)
		return
	}
	info, active := s.Store.Introspect(token, clientID)
	if !active || info.Kind != KindOIDC {
		writeJSONStatus(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	lifetime := OIDCAccessTokenLifetime
	if info.Type == "refresh_token" {
		lifetime = OIDCRefreshTokenLifetime
	}
	claims := s.Store.IntrospectionClaims(info, lifetime)
	claims["iss"] = revoketest.BaseURL(r) + "/oidc/2"
	if info.Type == "access_token" {
		claims["token_type"] = "access_token"
	}
	writeJSONStatus(w, http.StatusOK, claims)
}

// authenticateApp runs RFC 6749 §2.3 client authentication and translates
// failures into OneLogin's answers.
func (s *Server) authenticateApp(r *http.Request, form url.Values) (string, *revoketest.OAuthError) {
	authz := r.Header.Get("Authorization")
	hasHeader := strings.TrimSpace(authz) != ""
	if hasHeader && (form.Get("client_secret") != "" || form.Get("client_id") != "" || form.Get("client_assertion") != "") {
		return "", errBoth
	}
	if hasHeader && !(len(authz) > 6 && strings.EqualFold(authz[:6], "basic ")) {
		return "", errBadHeader
	}
	id, _, e := s.Apps.Authenticate(r, form, nil)
	switch {
	case e == nil:
		return id, nil
	case e.Description == "invalid Basic authorization header":
		return "", errBadHeader
	case e.Status == http.StatusBadRequest && e.Description == "no client authentication mechanism provided":
		return "", errUnauthz
	case e.Status == http.StatusBadRequest && e.Code == "invalid_request" && strings.Contains(e.Description, "one mechanism"):
		return "", errBoth
	}
	return "", errAuthFailed
}
