// Package auth0test is a fake Auth0 tenant with real state, for tests and
// demos: the Authentication API's refresh-token revocation and
// client-credentials grant, and the Management API's user-level revocation
// (refresh tokens, sessions, users by email). It is built on the emulator
// core in package revoketest (token store, client registry, fault queue,
// request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := auth0test.Register(mt, "https://dev-abc.us.auth0.com")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
//	pair := fake.Issue("app", "auth0|alice")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.RefreshToken) { t.Error("still active") }
//
// It follows Auth0's documentation (each handler names its page) and is
// independent of package auth0: it describes the server, so that the
// adapter is tested against it rather than against itself. Where Auth0
// documents a status but not the exact text of an answer, the fake's text
// is marked [Inf] in its documentation.
package auth0test

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Paths the fake serves.
const (
	RevokePath        = "/oauth/revoke"
	TokenPath         = "/oauth/token"
	BulkRevokePath    = "/api/v2/refresh-tokens/revoke"
	UsersByEmailPath  = "/api/v2/users-by-email"
	managementPrefix  = "/api/v2/"
	usersPrefix       = "/api/v2/users/"
	sessionsSuffix    = "/sessions"
	managementAPIPath = "/api/v2/"
)

// Management API scopes.
const (
	ScopeDeleteRefreshTokens = "delete:refresh_tokens"
	ScopeDeleteSessions      = "delete:sessions"
	ScopeReadUsers           = "read:users"
)

// AllScopes are the scopes a Management API token gets when none are named.
var AllScopes = []string{ScopeDeleteRefreshTokens, ScopeDeleteSessions, ScopeReadUsers}

// DefaultRateLimit is the request ceiling of the fake's rate-limit window.
const DefaultRateLimit = 1000

// RateWindow is the length of the fake's rate-limit window.
const RateWindow = time.Minute

// Server emulates one Auth0 tenant:
//
//	POST   /oauth/revoke                   revoke a refresh token (JSON or form)
//	POST   /oauth/token                    client credentials for the Management API
//	POST   /api/v2/refresh-tokens/revoke   revoke refresh tokens in bulk (202)
//	DELETE /api/v2/users/{id}/sessions     delete a user's sessions (204)
//	GET    /api/v2/users-by-email?email=   find users by exact email
//
// /oauth/revoke checks, in order: a JSON object of strings (or a form);
// the token (400 invalid_request when missing); the client's
// authentication (client_id and client_secret in the body; a
// private_key_jwt assertion whose "aud" is the tenant URL with a trailing
// slash, https://{host}/; client_id alone for a client registered with
// Method "none"; 401 invalid_client otherwise). It then revokes the token
// if it is an active refresh token issued to that client, and answers 200
// with an empty body whatever it found: an access token, another client's
// token, an unknown or revoked one (Auth0 revokes refresh tokens only, and
// says nothing more). Revoking a refresh token leaves its access token
// active (a JWT that expires on its own); with RevocationDeletesGrant every
// refresh token of the same user, client and audience goes too.
//
// The Management API takes "Authorization: Bearer <token>" with a token
// from ManagementToken or from /oauth/token (client credentials, audience
// https://{host}/api/v2/, for a client granted with GrantManagement), and
// checks each endpoint's scope. Errors have Auth0's Management API shape,
// {"statusCode":…,"error":…,"message":…,"errorCode":…}. Asynchronous
// operations are applied before the answer is sent.
//
// Every answer carries X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset (epoch seconds) for a window of RateWindow; past
// RateLimit requests in a window the fake answers 429 with Retry-After.
//
// The methods of the embedded *revoketest.Store (Active, Lookup, Tokens, …)
// inspect tokens; Issue and IssueFor issue them as Auth0 does (they shadow
// the Store's Issue).
type Server struct {
	// Store holds the tokens; Clients the registered applications.
	*revoketest.Store
	Clients *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// RevocationDeletesGrant models the tenant setting "Refresh Token
	// Revocation Deletes Grant": revoking one refresh token revokes every
	// refresh token of the same user, application and audience.
	RevocationDeletesGrant bool
	// RateLimit is the request ceiling per RateWindow (0 means
	// DefaultRateLimit).
	RateLimit int

	mu          sync.Mutex
	users       map[string]string   // user ID → email
	sessions    map[string]string   // session ID → user ID
	tokenIDs    map[string]string   // refresh token ID → token value
	idOf        map[string]string   // refresh token value → ID
	mgmtTokens  map[string][]string // Management API token → scopes
	grants      map[string][]string // client ID → Management API scopes
	windowStart time.Time
	windowCount int
}

// New returns a fake tenant with no clients and no users.
func New() *Server {
	return &Server{
		Store: revoketest.NewStore(), Clients: &revoketest.Clients{},
		users: map[string]string{}, sessions: map[string]string{}, tokenIDs: map[string]string{},
		idOf: map[string]string{}, mgmtTokens: map[string][]string{}, grants: map[string][]string{},
	}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://dev-abc.us.auth0.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddClient registers an application. Method "none" marks a public
// (native or single-page) application, which revokes with client_id
// alone; a PublicKey enables private_key_jwt.
func (s *Server) AddClient(c revoketest.Client) { s.Clients.Add(c) }

// GrantManagement lets clientID obtain Management API tokens with the
// client-credentials grant, with scopes (AllScopes when none are named).
func (s *Server) GrantManagement(clientID string, scopes ...string) {
	if len(scopes) == 0 {
		scopes = AllScopes
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.grants[clientID] = slices.Clone(scopes)
}

// ManagementToken issues a Management API access token with scopes
// (AllScopes when none are named), as the Dashboard's API Explorer does.
func (s *Server) ManagementToken(scopes ...string) string {
	if len(scopes) == 0 {
		scopes = AllScopes
	}
	tok := randID("mgmt_", 24)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mgmtTokens[tok] = slices.Clone(scopes)
	return tok
}

// AddUser registers a user with an email address ("" for none).
func (s *Server) AddUser(userID, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[userID] = email
}

// HasUser reports whether userID is registered.
func (s *Server) HasUser(userID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.users[userID]
	return ok
}

// addUser registers userID without an email if it is unknown.
func (s *Server) addUser(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[userID]; !ok {
		s.users[userID] = ""
	}
}

// StartSession starts a session for userID (registering the user if
// needed) and returns its ID.
func (s *Server) StartSession(userID string) string {
	s.addUser(userID)
	id := randID("sess_", 12)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = userID
	return id
}

// SessionActive reports whether the session exists.
func (s *Server) SessionActive(sessionID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.sessions[sessionID]
	return ok
}

// Sessions lists the IDs of userID's sessions, sorted.
func (s *Server) Sessions(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id, u := range s.sessions {
		if u == userID {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// Issue issues an access token and a refresh token to clientID for userID
// (registering the user if needed), with no API audience.
func (s *Server) Issue(clientID, userID string) revoketest.Pair {
	return s.IssueFor(clientID, userID, "")
}

// IssueFor is Issue for an API audience. The refresh token gets a
// Management API ID (RefreshTokenID). The pair's Kind in the Store is the
// audience.
func (s *Server) IssueFor(clientID, userID, audience string) revoketest.Pair {
	s.addUser(userID)
	p := s.Store.IssueKind(clientID, userID, audience)
	id := randID("rt_", 12)[:18]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenIDs[id] = p.RefreshToken
	s.idOf[p.RefreshToken] = id
	return p
}

// RefreshTokenID returns the Management API ID of a refresh token issued
// by Issue or IssueFor, or "".
func (s *Server) RefreshTokenID(refreshToken string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idOf[refreshToken]
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// RateLimited is a 429 as Auth0 sends it: the Management API's error body,
// X-RateLimit-Limit, X-RateLimit-Remaining 0 and X-RateLimit-Reset at
// reset (epoch seconds), and no Retry-After, so that a client must wait for
// the reset.
func RateLimited(limit int, reset time.Time) revoketest.Fault {
	return revoketest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{
		"Content-Type":          {"application/json; charset=utf-8"},
		"X-Ratelimit-Limit":     {strconv.Itoa(limit)},
		"X-Ratelimit-Remaining": {"0"},
		"X-Ratelimit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
	}, Body: managementBody(http.StatusTooManyRequests, "Global limit has been reached", codeTooManyRequests)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok {
		return
	}
	if !s.rateHeaders(rec) {
		if strings.HasPrefix(r.URL.Path, managementPrefix) {
			writeManagementError(rec, http.StatusTooManyRequests, "Global limit has been reached", codeTooManyRequests)
		} else {
			writeOAuthError(rec, http.StatusTooManyRequests, codeTooManyRequests, "Global limit has been reached")
		}
		return
	}
	if s.Faults.Serve(rec) {
		return
	}
	switch p := r.URL.Path; {
	case p == RevokePath:
		s.revoke(rec, r, body, form)
	case p == TokenPath:
		s.token(rec, r, body, form)
	case p == BulkRevokePath:
		s.bulkRevoke(rec, r)
	case p == UsersByEmailPath:
		s.usersByEmail(rec, r)
	case strings.HasPrefix(p, usersPrefix) && strings.HasSuffix(p, sessionsSuffix):
		s.deleteSessions(rec, r, strings.TrimSuffix(strings.TrimPrefix(p, usersPrefix), sessionsSuffix))
	case strings.HasPrefix(p, managementPrefix):
		writeManagementError(rec, http.StatusNotFound, "Not Found", "")
	default:
		writeOAuthError(rec, http.StatusNotFound, "not_found", "Not Found")
	}
}

// rateHeaders counts the request in the current window and sets the
// rate-limit headers; false means the window is spent.
func (s *Server) rateHeaders(w http.ResponseWriter) bool {
	now := time.Now()
	s.mu.Lock()
	limit := s.RateLimit
	if limit <= 0 {
		limit = DefaultRateLimit
	}
	if now.Sub(s.windowStart) >= RateWindow {
		s.windowStart, s.windowCount = now, 0
	}
	s.windowCount++
	remaining := max(limit-s.windowCount, 0)
	reset := s.windowStart.Add(RateWindow)
	over := s.windowCount > limit
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if over {
		h.Set("Retry-After", strconv.Itoa(max(int(time.Until(reset).Seconds()+0.999), 1)))
	}
	return !over
}

// recorder keeps the status written, for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// ---- answers ----

// Management API error codes the fake sends.
const (
	codeInsufficientScope = "insufficient_scope"
	codeInexistentUser    = "inexistent_user"
	codeTooManyRequests   = "too_many_requests"
	codeInvalidBody       = "invalid_body"
	codeInvalidQuery      = "invalid_query_string"
)

// managementBody renders a Management API error; the "error" member is the
// status's reason phrase.
func managementBody(status int, message, code string) string {
	m := map[string]any{"statusCode": status, "error": http.StatusText(status), "message": message}
	if code != "" {
		m["errorCode"] = code
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func writeManagementError(w http.ResponseWriter, status int, message, code string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(managementBody(status, message, code)))
}

// writeOAuthError writes an Authentication API error (RFC 6749 §5.2 shape).
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// params reads an Authentication API body: a JSON object of strings, or a
// form. ok is false (and the answer written) when it is neither.
func params(w http.ResponseWriter, r *http.Request, body []byte, form url.Values) (url.Values, bool) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "Method not allowed")
		return nil, false
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "application/x-www-form-urlencoded":
		return form, true
	case "application/json":
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid JSON body")
			return nil, false
		}
		v := url.Values{}
		for k, x := range m {
			str, ok := x.(string)
			if !ok {
				writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Parameter '"+k+"' must be a string")
				return nil, false
			}
			v.Set(k, str)
		}
		return v, true
	}
	writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Content-Type must be application/json or application/x-www-form-urlencoded")
	return nil, false
}

// ---- Authentication API ----

// revoke serves POST /oauth/revoke
// (https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token).
// The texts of the 400 and 401 answers are [Inf]: Auth0 documents the
// codes (invalid_request, invalid_client), not the descriptions.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request, body []byte, form url.Values) {
	p, ok := params(w, r, body, form)
	if !ok {
		return
	}
	token := p.Get("token")
	if token == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: token")
		return
	}
	if p.Get("client_id") == "" && p.Get("client_assertion") == "" && !strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic ") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: client_id")
		return
	}
	base := revoketest.BaseURL(r)
	clientID, _, e := s.Clients.Authenticate(r, p, []string{base + "/"})
	if e != nil {
		if e.Status == http.StatusUnauthorized || e.Code == "invalid_client" {
			writeOAuthError(w, http.StatusUnauthorized, "invalid_client", e.Description)
			return
		}
		writeOAuthError(w, e.Status, e.Code, e.Description)
		return
	}
	if info, found := s.Store.Lookup(token); found && info.Active && info.Type == "refresh_token" && info.ClientID == clientID {
		s.Store.RevokeWhere(func(t revoketest.TokenInfo) bool {
			if t.Type != "refresh_token" {
				return false // access tokens are JWTs: they expire on their own
			}
			if t.Value == token {
				return true
			}
			return s.RevocationDeletesGrant && t.Subject == info.Subject && t.ClientID == info.ClientID && t.Kind == info.Kind
		})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// token serves the client-credentials grant for the Management API at
// POST /oauth/token
// (https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens).
// Other grants are refused: the fake issues end-user tokens with Issue.
// The texts of its errors are [Inf].
func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte, form url.Values) {
	p, ok := params(w, r, body, form)
	if !ok {
		return
	}
	if gt := p.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
		return
	}
	base := revoketest.BaseURL(r)
	clientID, _, e := s.Clients.Authenticate(r, p, []string{base + "/", base + TokenPath})
	if e != nil {
		writeOAuthError(w, e.Status, e.Code, e.Description)
		return
	}
	audience := base + managementAPIPath
	if p.Get("audience") != audience {
		writeOAuthError(w, http.StatusForbidden, "access_denied", "Service not enabled within domain: "+p.Get("audience"))
		return
	}
	s.mu.Lock()
	scopes, granted := s.grants[clientID]
	s.mu.Unlock()
	if !granted {
		writeOAuthError(w, http.StatusForbidden, "access_denied", "Client is not authorized to access \""+audience+"\". You need to create a \"client-grant\" associated to this API.")
		return
	}
	tok := s.ManagementToken(scopes...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 86400, "scope": strings.Join(scopes, " ")})
}

// ---- Management API ----

// authorize checks the Bearer token and its scope, writing the error when
// it fails.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, scope string) bool {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		writeManagementError(w, http.StatusUnauthorized, "Missing authentication", "")
		return false
	}
	scheme, tok, _ := strings.Cut(authz, " ")
	s.mu.Lock()
	scopes, known := s.mgmtTokens[tok]
	s.mu.Unlock()
	if !strings.EqualFold(scheme, "Bearer") || !known {
		writeManagementError(w, http.StatusUnauthorized, "Invalid token", "")
		return false
	}
	if !slices.Contains(scopes, scope) {
		writeManagementError(w, http.StatusForbidden, "Insufficient scope, expected any of: "+scope, codeInsufficientScope)
		return false
	}
	return true
}

// bulkRevoke serves POST /api/v2/refresh-tokens/revoke
// (https://auth0.com/docs/api/management/v2/refresh-tokens/revoke-refresh-tokens):
// exactly one of ids (1–100 IDs of 1–30 characters), user_id, user_id and
// client_id, or user_id, client_id and audience. It answers 202 with an
// empty body [Inf: the body] after revoking. An unknown user_id is 404
// inexistent_user [Inf].
func (s *Server) bulkRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeManagementError(w, http.StatusNotFound, "Not Found", "")
		return
	}
	if !s.authorize(w, r, ScopeDeleteRefreshTokens) {
		return
	}
	var req struct {
		IDs      []string `json:"ids"`
		UserID   *string  `json:"user_id"`
		ClientID *string  `json:"client_id"`
		Audience *string  `json:"audience"`
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		writeManagementError(w, http.StatusBadRequest, "Payload validation error: 'Expected type object but found type null'.", codeInvalidBody)
		return
	}
	if err := dec.Decode(&req); err != nil {
		writeManagementError(w, http.StatusBadRequest, "Payload validation error: 'Invalid JSON' (or an unknown property).", codeInvalidBody)
		return
	}
	bad := func(msg string) {
		writeManagementError(w, http.StatusBadRequest, "Payload validation error: '"+msg+"'.", codeInvalidBody)
	}
	str := func(p *string, maxLen int) bool { return p != nil && len(*p) >= 1 && len(*p) <= maxLen }
	var match func(revoketest.TokenInfo) bool
	switch {
	case req.IDs != nil:
		if req.UserID != nil || req.ClientID != nil || req.Audience != nil {
			bad("ids cannot be combined with user_id, client_id or audience")
			return
		}
		if len(req.IDs) == 0 || len(req.IDs) > 100 {
			bad("ids must hold 1 to 100 items")
			return
		}
		values := map[string]bool{}
		s.mu.Lock()
		for _, id := range req.IDs {
			if len(id) < 1 || len(id) > 30 {
				s.mu.Unlock()
				bad("each id must be 1 to 30 characters long")
				return
			}
			if v, ok := s.tokenIDs[id]; ok {
				values[v] = true
			}
		}
		s.mu.Unlock()
		match = func(t revoketest.TokenInfo) bool { return values[t.Value] }
	case req.UserID != nil:
		if !str(req.UserID, 300) || (req.ClientID != nil && !str(req.ClientID, 64)) || (req.Audience != nil && !str(req.Audience, 600)) {
			bad("user_id, client_id or audience has an invalid length")
			return
		}
		if req.Audience != nil && req.ClientID == nil {
			bad("audience requires both user_id and client_id")
			return
		}
		if !s.HasUser(*req.UserID) {
			writeManagementError(w, http.StatusNotFound, "The user does not exist.", codeInexistentUser)
			return
		}
		match = func(t revoketest.TokenInfo) bool {
			return t.Subject == *req.UserID && (req.ClientID == nil || t.ClientID == *req.ClientID) && (req.Audience == nil || t.Kind == *req.Audience)
		}
	default:
		bad("exactly one of ids, user_id, user_id and client_id, or user_id, client_id and audience must be provided")
		return
	}
	s.Store.RevokeWhere(func(t revoketest.TokenInfo) bool { return t.Type == "refresh_token" && match(t) })
	w.WriteHeader(http.StatusAccepted)
}

// deleteSessions serves DELETE /api/v2/users/{id}/sessions
// (https://auth0.com/docs/api/management/v2/users/delete-sessions-for-user):
// 204 after deleting; 404 inexistent_user for an unknown user.
func (s *Server) deleteSessions(w http.ResponseWriter, r *http.Request, userID string) {
	if r.Method != http.MethodDelete {
		writeManagementError(w, http.StatusNotFound, "Not Found", "")
		return
	}
	if !s.authorize(w, r, ScopeDeleteSessions) {
		return
	}
	if userID == "" || strings.Contains(userID, "/") {
		writeManagementError(w, http.StatusBadRequest, "Invalid request URI. The message will vary depending on the cause.", "invalid_uri")
		return
	}
	s.mu.Lock()
	_, known := s.users[userID]
	if known {
		for id, u := range s.sessions {
			if u == userID {
				delete(s.sessions, id)
			}
		}
	}
	s.mu.Unlock()
	if !known {
		writeManagementError(w, http.StatusNotFound, "The user does not exist.", codeInexistentUser)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// usersByEmail serves GET /api/v2/users-by-email?email=
// (https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email):
// every user whose email is exactly the address (case-sensitive), as a
// JSON array of user objects, sorted by user_id.
func (s *Server) usersByEmail(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeManagementError(w, http.StatusNotFound, "Not Found", "")
		return
	}
	if !s.authorize(w, r, ScopeReadUsers) {
		return
	}
	email := r.URL.Query().Get("email")
	if email == "" {
		writeManagementError(w, http.StatusBadRequest, "Query validation error: 'Missing required property: email' on property email (Email address to search for (case-sensitive)).", codeInvalidQuery)
		return
	}
	type user struct {
		UserID string `json:"user_id"`
		Email  string `json:"email"`
	}
	out := []user{}
	s.mu.Lock()
	for id, e := range s.users {
		if e == email {
			out = append(out, user{UserID: id, Email: e})
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b user) int { return strings.Compare(a.UserID, b.UserID) })
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(out)
}

// randID returns an unguessable identifier with a readable prefix.
func randID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}
