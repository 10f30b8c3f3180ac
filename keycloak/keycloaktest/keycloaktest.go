// Package keycloaktest is a faithful fake of Keycloak's revocation and
// introspection endpoints, discovery document, client-credentials token
// endpoint and the admin REST API calls that end a user's sessions, with
// real token and session state, for tests and demos. It is built on the
// emulator core in package revoketest (token store, client registry, fault
// queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := keycloaktest.Register(mt, "https://sso.example.com")
//	fake.AddClient("myrealm", revoketest.Client{ID: "app", Secret: "s3cret-value"})
//	alice := fake.AddUser("myrealm", keycloaktest.User{Username: "alice", Email: "alice@example.com"})
//	pair := fake.Login("myrealm", "app", alice.ID)
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
//
// It follows the server source, keycloak/keycloak (TokenRevocationEndpoint,
// TokenIntrospectionEndpoint, AccessTokenIntrospectionProvider,
// ClientIdAndSecretAuthenticator, JWTClientValidator,
// X509ClientAuthenticator, BasicAuthHelper, UserResource), and is
// independent of package keycloak: it describes the server, so that the
// adapter is tested against it rather than against itself.
package keycloaktest

import (
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Error descriptions, as the server source writes them.
const (
	// DescInvalidToken comes with 200 invalid_token: the token was
	// revoked, expired, malformed, or its session is gone.
	DescInvalidToken = "Invalid token"
	// DescUnmatching answers another client's token (400 invalid_request).
	DescUnmatching = "Unmatching clients"
	// DescDuplicated answers a repeated parameter (400 invalid_request).
	DescDuplicated = "duplicated parameter"
	// DescTokenMissing answers a request without a token.
	DescTokenMissing = "Token not provided"
	// DescUnsupportedType answers an ID token (400 unsupported_token_type).
	DescUnsupportedType = "Unsupported token type"
	// DescHTTPSRequired answers plain http to a realm requiring TLS (403
	// invalid_request).
	DescHTTPSRequired = "HTTPS required"
	// DescRealmDisabled answers a disabled realm (403 access_denied).
	DescRealmDisabled = "Realm not enabled"
	// DescBearerOnly answers a bearer-only client (400 invalid_client).
	DescBearerOnly = "Bearer-only not allowed"
	// DescBadCredentials answers a failed client authentication (401
	// unauthorized_client for a wrong secret or certificate, 401
	// invalid_client for an unknown client).
	DescBadCredentials = "Invalid client or Invalid client credentials"
	// DescMissingClientID answers a request naming no client (400
	// invalid_client).
	DescMissingClientID = "Missing client_id parameter"
	// DescRealmNotFound answers an unknown realm (404).
	DescRealmNotFound = "Realm does not exist"
	// DescClientNotAllowed answers a public client at the introspection
	// endpoint (403 invalid_request).
	DescClientNotAllowed = "Client not allowed."
	// DescIntrospectTokenMissing answers an introspection request without
	// a token (400 invalid_request).
	DescIntrospectTokenMissing = "Token not provided."
	// DescIntrospectUnsupportedType answers a token_type_hint Keycloak has
	// no introspection provider for (400 invalid_request).
	DescIntrospectUnsupportedType = "Unsupported token type."
)

// Lifetimes the introspection answer's exp reports: a realm's defaults
// (Access Token Lifespan 5 minutes, SSO Session Idle 30 minutes, Offline
// Session Idle 30 days). The fake never expires a token.
const (
	AccessTokenLifetime  = 5 * time.Minute
	RefreshTokenLifetime = 30 * time.Minute
	OfflineTokenLifetime = 30 * 24 * time.Hour
)

// Client authentication methods (revoketest.Client.Method): each client
// has one authenticator, as Keycloak's Credentials tab sets it.
const (
	// MethodSecret is "Client Id and Secret": Basic (form-decoded, see
	// Server.LegacyBasic) or client_id and client_secret in the body.
	MethodSecret = ""
	// MethodSecretJWT is "Signed JWT with Client Secret".
	MethodSecretJWT = "client_secret_jwt"
	// MethodPrivateKeyJWT is "Signed JWT" (revoketest.Client.PublicKey).
	MethodPrivateKeyJWT = "private_key_jwt"
	// MethodPublic is a public client: client_id alone.
	MethodPublic = "none"
	// MethodBearerOnly is a bearer-only client (authenticates with its
	// secret, then is refused).
	MethodBearerOnly = "bearer-only"
)

// realm-management roles the admin API checks (AdminRoles).
const (
	RoleManageUsers = "manage-users"
	RoleViewUsers   = "view-users"
	RoleQueryUsers  = "query-users"
)

// MasterRealm is the realm whose admin tokens reach every realm.
const MasterRealm = "master"

// User is a realm user. ID is the sub claim of the realm's tokens.
type User struct {
	ID       string
	Username string
	Email    string
}

// Server emulates one Keycloak server with any number of realms:
//
//	GET    {prefix}/realms/{realm}/.well-known/openid-configuration
//	POST   {prefix}/realms/{realm}/protocol/openid-connect/revoke
//	POST   {prefix}/realms/{realm}/protocol/openid-connect/token/introspect   RFC 7662
//	POST   {prefix}/realms/{realm}/protocol/openid-connect/token   client_credentials only
//	GET    {prefix}/admin/realms/{realm}/users?email=&exact=&max=
//	POST   {prefix}/admin/realms/{realm}/users/{id}/logout
//	GET    {prefix}/admin/realms/{realm}/users/{id}/consents
//	DELETE {prefix}/admin/realms/{realm}/users/{id}/consents/{clientId}
//
// {prefix} is whatever comes before /realms or /admin ("" or "/auth").
//
// The revocation endpoint checks in the server's order: method (405),
// content type (415), TLS when RequireHTTPS (403 invalid_request "HTTPS
// required"), realm enabled (403 access_denied), client authentication
// (401 unauthorized_client for bad credentials, 401 invalid_client for an
// unknown client, 400 invalid_client "Missing client_id parameter", or a
// 401 Basic challenge for an unreadable Authorization header), bearer-only
// (400), repeated parameters (400 "duplicated parameter"), a missing token
// (400 "Token not provided"), the token: unknown → 200 invalid_token; an ID
// token → 400 unsupported_token_type; another client's → 400 invalid_request
// "Unmatching clients"; revoked or its session gone → 200 invalid_token.
// Success is 200 with an empty body and no Content-Type. Revoking a refresh
// or offline token ends its session and the access tokens issued in it;
// revoking an access token ends that token alone.
//
// The introspection endpoint (TokenIntrospectionEndpoint,
// AccessTokenIntrospectionProvider) makes the same checks up to client
// authentication, with the same answers; then a public client is 403
// invalid_request "Client not allowed." (a bearer-only client may
// introspect), a repeated parameter 400 "duplicated parameter", a missing
// token 400 "Token not provided.", a token_type_hint other than
// access_token (the default) and refresh_token 400 "Unsupported token
// type.". Any confidential client of the realm may introspect any token of
// the realm, as Keycloak checks the token and not who asks: an active
// token is 200 {"active":true,"token_type","typ" ("Bearer", "Refresh",
// "Offline" or "ID"),"client_id","azp","sub","username" (for a user of the
// realm),"iss","iat","exp"}, exp after AccessTokenLifetime,
// RefreshTokenLifetime or OfflineTokenLifetime (the fake never expires a
// token); a token that is unknown, revoked, ended with its session, or of
// another realm is 200 {"active":false}.
//
// Client assertions are accepted with the audiences JWTClientValidator
// lists: the issuer, the token, introspection, PAR and CIBA endpoints (not
// the revocation endpoint), once each (jti).
//
// Clients and users belong to one realm; client IDs are unique across the
// server. Tokens issued with the embedded Store's Issue belong to the
// client's realm, without a session of their own.
type Server struct {
	// Store holds the tokens; Clients the registered clients (Method is one
	// of the Method constants).
	*revoketest.Store
	Clients *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// RequireHTTPS answers requests that arrived over plain http with 403
	// "HTTPS required", as a realm with "Require SSL: all requests" does.
	RequireHTTPS bool
	// LegacyBasic takes Basic credentials raw, as Keycloak 19 and older
	// did. By default they are form-decoded (RFC 6749 §2.3.1,
	// BasicAuthHelper.RFC6749), and a value that is not a form-encoding
	// is kept as sent, as recent releases do.
	LegacyBasic bool
	// LogoutKeepsOfflineTokens makes a user logout leave offline tokens
	// usable. By default the logout's not-before makes Keycloak refuse
	// them; either way the offline sessions, and their consents, remain.
	LogoutKeepsOfflineTokens bool

	mu       sync.Mutex
	realms   map[string]*realmState
	realmOf  map[string]string         // client ID → realm
	tlsDN    map[string]*regexp.Regexp // client ID → subject DN pattern
	accounts map[string][]string       // service-account client ID → roles
	admin    map[string]adminToken     // admin access token → its grant
	sessions map[string]*session       // session ID → session
	tokenSes map[string]string         // token → session ID
}

type realmState struct {
	disabled bool
	users    map[string]User
}

type session struct {
	realm, user, client string
	offline             bool
	tokens              []string
}

type adminToken struct {
	realm string
	roles []string
}

// Token kinds (revoketest.TokenInfo.Kind).
const (
	kindOffline = "offline"
	kindIDToken = "id_token"
)

// New returns a fake Keycloak server with no realms.
func New() *Server {
	return &Server{
		Store:    revoketest.NewStore(),
		Clients:  &revoketest.Clients{},
		realms:   map[string]*realmState{},
		realmOf:  map[string]string{},
		tlsDN:    map[string]*regexp.Regexp{},
		accounts: map[string][]string{},
		admin:    map[string]adminToken{},
		sessions: map[string]*session{},
		tokenSes: map[string]string{},
	}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://sso.example.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

func (s *Server) realm(name string) *realmState {
	r := s.realms[name]
	if r == nil {
		r = &realmState{users: map[string]User{}}
		s.realms[name] = r
	}
	return r
}

// AddRealm creates a realm (AddClient and AddUser create theirs).
func (s *Server) AddRealm(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(name)
}

// DisableRealm disables a realm: its endpoints answer 403 access_denied.
func (s *Server) DisableRealm(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(name).disabled = true
}

// AddClient registers a client in realm. Method is one of the Method
// constants: "" for a confidential client with a secret.
func (s *Server) AddClient(realm string, c revoketest.Client) {
	s.Clients.Add(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(realm)
	s.realmOf[c.ID] = realm
}

// AddTLSClient registers a client authenticating with a certificate
// (Keycloak's "X509 Certificate" authenticator, tls_client_auth): the
// subject DN of a certificate presented on the TLS connection must match
// subjectDN, a regular expression, in full (e.g. "CN=my-app"). Requests
// arriving without TLS (httpmock) never match.
func (s *Server) AddTLSClient(realm, clientID, subjectDN string) {
	re := regexp.MustCompile("^(?:" + subjectDN + ")$")
	s.Clients.Add(revoketest.Client{ID: clientID, Method: "tls_client_auth"})
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(realm)
	s.realmOf[clientID] = realm
	s.tlsDN[clientID] = re
}

// AddServiceAccount registers a client with "Service accounts roles"
// enabled: the client credentials grant at the realm's token endpoint
// gives it an admin token with roles (RoleManageUsers, …).
func (s *Server) AddServiceAccount(realm string, c revoketest.Client, roles ...string) {
	s.AddClient(realm, c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[c.ID] = append([]string(nil), roles...)
}

// AdminToken issues an admin access token for realm (MasterRealm reaches
// every realm) with the given realm-management roles; with none it has
// RoleManageUsers.
func (s *Server) AdminToken(realm string, roles ...string) string {
	if len(roles) == 0 {
		roles = []string{RoleManageUsers}
	}
	tok := randID("adm_")
	s.mu.Lock()
	defer s.mu.Unlock()
	s.admin[tok] = adminToken{realm: realm, roles: append([]string(nil), roles...)}
	return tok
}

// AddUser adds a user to realm and returns it; an empty ID gets a fresh
// UUID.
func (s *Server) AddUser(realm string, u User) User {
	if u.ID == "" {
		u.ID = uuid()
	}
	u.Email = strings.ToLower(u.Email) // Keycloak stores emails in lower case
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(realm).users[u.ID] = u
	return u
}

// Login starts a user session of clientID and returns its access and
// refresh token, as the authorization code flow does.
func (s *Server) Login(realm, clientID, userID string) revoketest.Pair {
	return s.login(realm, clientID, userID, false)
}

// LoginOffline starts an offline session (scope offline_access) and returns
// its access token and offline token. Offline sessions survive a user
// logout; revoking the offline token, or the client's consent, ends them.
func (s *Server) LoginOffline(realm, clientID, userID string) revoketest.Pair {
	return s.login(realm, clientID, userID, true)
}

func (s *Server) login(realm, clientID, userID string, offline bool) revoketest.Pair {
	kind := ""
	if offline {
		kind = kindOffline
	}
	p := s.Store.IssueKind(clientID, userID, kind)
	id := uuid()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realm(realm)
	s.sessions[id] = &session{realm: realm, user: userID, client: clientID, offline: offline, tokens: []string{p.AccessToken, p.RefreshToken}}
	s.tokenSes[p.AccessToken], s.tokenSes[p.RefreshToken] = id, id
	return p
}

// IssueIDToken returns an ID token of the user: Keycloak refuses to revoke
// it (400 unsupported_token_type).
func (s *Server) IssueIDToken(clientID, userID string) string {
	return s.Store.IssueAccess(clientID, userID, kindIDToken)
}

// Sessions counts the user's online sessions in realm.
func (s *Server) Sessions(realm, userID string) int {
	return s.countSessions(realm, userID, false)
}

// OfflineSessions counts the user's offline sessions in realm.
func (s *Server) OfflineSessions(realm, userID string) int {
	return s.countSessions(realm, userID, true)
}

func (s *Server) countSessions(realm, userID string, offline bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, ses := range s.sessions {
		if ses.realm == realm && ses.user == userID && ses.offline == offline {
			n++
		}
	}
	return n
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok || s.Faults.Serve(rec) {
		return
	}
	rt, found := route(r.URL.EscapedPath())
	if !found {
		writeJSON(rec, http.StatusNotFound, map[string]string{"error": "Unable to find matching target resource method"})
		return
	}
	s.mu.Lock()
	realm, exists := s.realms[rt.realm]
	disabled := exists && realm.disabled
	s.mu.Unlock()
	if !exists {
		writeJSON(rec, http.StatusNotFound, map[string]string{"error": DescRealmNotFound})
		return
	}
	issuer := revoketest.BaseURL(r) + rt.prefix + "/realms/" + url.PathEscape(rt.realm)
	if rt.admin {
		s.serveAdmin(rec, r, rt)
		return
	}
	switch strings.Join(rt.rest, "/") {
	case ".well-known/openid-configuration":
		if r.Method != http.MethodGet {
			methodNotAllowed(rec, "GET")
			return
		}
		writeJSON(rec, http.StatusOK, metadata(issuer))
	case "protocol/openid-connect/revoke":
		s.revoke(rec, r, form, rt.realm, issuer, disabled)
	case "protocol/openid-connect/token":
		s.token(rec, r, form, rt.realm, issuer, disabled)
	case "protocol/openid-connect/token/introspect":
		s.introspect(rec, r, form, rt.realm, issuer, disabled)
	default:
		writeJSON(rec, http.StatusNotFound, map[string]string{"error": "Unable to find matching target resource method"})
	}
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

// routed is a request path split at the realm.
type routed struct {
	prefix string
	admin  bool
	realm  string
	rest   []string // unescaped segments after the realm
}

func route(escaped string) (routed, bool) {
	segs := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		admin := segs[i] == "admin" && i+2 < len(segs) && segs[i+1] == "realms"
		if !admin && segs[i] != "realms" {
			continue
		}
		at := i + 1
		if admin {
			at = i + 2
		}
		name, err := url.PathUnescape(segs[at])
		if err != nil || name == "" {
			return routed{}, false
		}
		rt := routed{prefix: strings.Join(segs[:i], "/"), admin: admin, realm: name}
		if rt.prefix != "" {
			rt.prefix = "/" + rt.prefix
		}
		for _, seg := range segs[at+1:] {
			v, err := url.PathUnescape(seg)
			if err != nil {
				return routed{}, false
			}
			rt.rest = append(rt.rest, v)
		}
		return rt, true
	}
	return routed{}, false
}

// metadata is the realm's discovery document (OIDCWellKnownProvider), the
// part this fake serves.
func metadata(issuer string) map[string]any {
	oidc := issuer + "/protocol/openid-connect"
	methods := []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"}
	return map[string]any{
		"issuer":                                        issuer,
		"authorization_endpoint":                        oidc + "/auth",
		"token_endpoint":                                oidc + "/token",
		"introspection_endpoint":                        oidc + "/token/introspect",
		"userinfo_endpoint":                             oidc + "/userinfo",
		"end_session_endpoint":                          oidc + "/logout",
		"jwks_uri":                                      oidc + "/certs",
		"revocation_endpoint":                           oidc + "/revoke",
		"token_endpoint_auth_methods_supported":         methods,
		"revocation_endpoint_auth_methods_supported":    methods,
		"introspection_endpoint_auth_methods_supported": methods,
		"revocation_endpoint_auth_signing_alg_values_supported": []string{"PS384", "RS384", "EdDSA", "ES384", "HS256", "HS512", "ES256", "RS256", "HS384", "ES512", "PS256", "PS512", "RS512"},
		"mtls_endpoint_aliases": map[string]string{
			"token_endpoint":         oidc + "/token",
			"revocation_endpoint":    oidc + "/revoke",
			"introspection_endpoint": oidc + "/token/introspect",
		},
	}
}

// assertionAudiences are the audiences JWTClientValidator accepts.
func assertionAudiences(issuer string) []string {
	oidc := issuer + "/protocol/openid-connect"
	return []string{issuer, oidc + "/token", oidc + "/token/introspect", oidc + "/ext/par/request", oidc + "/ext/ciba/auth"}
}

// oauthError is one error answer.
type oauthError struct {
	status     int
	code, desc string
	challenge  string // WWW-Authenticate, with an empty body
}

func (e *oauthError) write(w http.ResponseWriter) {
	if e.challenge != "" {
		w.Header().Set("WWW-Authenticate", e.challenge)
		w.WriteHeader(e.status)
		return
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "error_description": e.desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "HTTP 405 Method Not Allowed"})
}

// endpointChecks are what TokenRevocationEndpoint (and the token endpoint)
// check before the client: method, content type, TLS, realm.
func (s *Server) endpointChecks(w http.ResponseWriter, r *http.Request, disabled bool) bool {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST, OPTIONS")
		return false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "HTTP 415 Unsupported Media Type"})
		return false
	}
	if s.RequireHTTPS && !strings.HasPrefix(revoketest.BaseURL(r), "https://") {
		(&oauthError{status: http.StatusForbidden, code: "invalid_request", desc: DescHTTPSRequired}).write(w)
		return false
	}
	if disabled {
		(&oauthError{status: http.StatusForbidden, code: "access_denied", desc: DescRealmDisabled}).write(w)
		return false
	}
	return true
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, realm, issuer string, disabled bool) {
	if !s.endpointChecks(w, r, disabled) {
		return
	}
	clientID, e := s.authenticate(r, form, realm, issuer)
	if e != nil {
		e.write(w)
		return
	}
	if c, _ := s.Clients.Get(clientID); c.Method == MethodBearerOnly {
		(&oauthError{status: http.StatusBadRequest, code: "invalid_client", desc: DescBearerOnly}).write(w)
		return
	}
	for _, v := range form {
		if len(v) != 1 {
			(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescDuplicated}).write(w)
			return
		}
	}
	token := form.Get("token")
	if !form.Has("token") {
		(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescTokenMissing}).write(w)
		return
	}
	invalid := func() {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_token", "error_description": DescInvalidToken})
	}
	info, found := s.Store.Lookup(token)
	switch {
	case !found || s.realmOfClient(info.ClientID) != realm:
		invalid()
		return
	case info.Kind == kindIDToken:
		(&oauthError{status: http.StatusBadRequest, code: "unsupported_token_type", desc: DescUnsupportedType}).write(w)
		return
	case info.ClientID != clientID:
		(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescUnmatching}).write(w)
		return
	case !info.Active:
		invalid()
		return
	}
	if info.Type == "refresh_token" {
		s.endSessionOf(token)
	} else {
		s.Store.Revoke(token, "")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// introspect follows TokenIntrospectionEndpoint.introspect and
// AccessTokenIntrospectionProvider: the endpoint checks and client
// authentication of the revocation endpoint, public clients refused, then
// the token, whichever client of the realm it was issued to.
func (s *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, realm, issuer string, disabled bool) {
	if !s.endpointChecks(w, r, disabled) {
		return
	}
	clientID, e := s.authenticate(r, form, realm, issuer)
	if e != nil {
		e.write(w)
		return
	}
	if c, _ := s.Clients.Get(clientID); c.Method == MethodPublic {
		(&oauthError{status: http.StatusForbidden, code: "invalid_request", desc: DescClientNotAllowed}).write(w)
		return
	}
	for _, v := range form {
		if len(v) != 1 {
			(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescDuplicated}).write(w)
			return
		}
	}
	if !form.Has("token") {
		(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescIntrospectTokenMissing}).write(w)
		return
	}
	if hint := form.Get("token_type_hint"); form.Has("token_type_hint") && hint != "access_token" && hint != "refresh_token" {
		(&oauthError{status: http.StatusBadRequest, code: "invalid_request", desc: DescIntrospectUnsupportedType}).write(w)
		return
	}
	info, active := s.Store.Introspect(form.Get("token"), "")
	if !active || s.realmOfClient(info.ClientID) != realm {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	typ, lifetime := "Bearer", AccessTokenLifetime
	switch {
	case info.Kind == kindIDToken:
		typ = "ID"
	case info.Type == "refresh_token" && info.Kind == kindOffline:
		typ, lifetime = "Offline", OfflineTokenLifetime
	case info.Type == "refresh_token":
		typ, lifetime = "Refresh", RefreshTokenLifetime
	}
	claims := s.Store.IntrospectionClaims(info, lifetime)
	claims["token_type"], claims["typ"] = typ, typ
	claims["azp"], claims["iss"] = info.ClientID, issuer
	s.mu.Lock()
	if u, ok := s.realms[realm].users[info.Subject]; ok {
		claims["username"] = u.Username
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, claims)
}

// endSessionOf ends the session a refresh or offline token belongs to,
// and every token issued in it (TokenRevocationEndpoint.revokeClientSession
// detaches the client session; the fake's sessions hold one client).
func (s *Server) endSessionOf(token string) {
	s.mu.Lock()
	id, ok := s.tokenSes[token]
	var tokens []string
	if ok {
		if ses := s.sessions[id]; ses != nil {
			tokens = ses.tokens
			delete(s.sessions, id)
		}
	}
	s.mu.Unlock()
	s.Store.Revoke(token, "")
	for _, t := range tokens {
		s.Store.Revoke(t, "")
	}
}

func (s *Server) realmOfClient(clientID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.realmOf[clientID]
}

// authenticate applies Keycloak's client authentication: the client is
// identified by Basic, then by client_id in the body (which wins), then by
// a client assertion's sub; its one authenticator decides.
func (s *Server) authenticate(r *http.Request, form url.Values, realm, issuer string) (string, *oauthError) {
	fail := &oauthError{status: http.StatusUnauthorized, code: "unauthorized_client", desc: DescBadCredentials}
	var id, secret string
	hasSecret := false
	if authz := r.Header.Get("Authorization"); authz != "" {
		if bid, bsecret, ok := s.parseBasic(authz); ok {
			id, secret, hasSecret = bid, bsecret, true
		} else if !form.Has("client_id") {
			return "", &oauthError{status: http.StatusUnauthorized, challenge: `Basic realm="` + realm + `"`}
		}
	}
	if form.Has("client_id") {
		id = form.Get("client_id")
	}
	if form.Has("client_secret") {
		secret, hasSecret = form.Get("client_secret"), true
	}
	assertion := form.Get("client_assertion")
	if id == "" && assertion != "" {
		id = assertionSubject(assertion)
	}
	if id == "" {
		return "", &oauthError{status: http.StatusBadRequest, code: "invalid_client", desc: DescMissingClientID}
	}
	c, ok := s.Clients.Get(id)
	if !ok || s.realmOfClient(id) != realm {
		return "", &oauthError{status: http.StatusUnauthorized, code: "invalid_client", desc: DescBadCredentials}
	}
	switch c.Method {
	case MethodPublic:
		return id, nil
	case MethodSecret, MethodBearerOnly:
		if !hasSecret || c.Secret == "" || secret != c.Secret {
			return "", fail
		}
		return id, nil
	case MethodSecretJWT, MethodPrivateKeyJWT:
		if form.Get("client_assertion_type") == "" {
			return "", &oauthError{status: http.StatusBadRequest, code: "invalid_client", desc: "Parameter client_assertion_type is missing"}
		}
		bare := r.Clone(r.Context())
		bare.Header.Del("Authorization")
		got, method, e := s.Clients.Authenticate(bare, form, assertionAudiences(issuer))
		prefix := "Client authentication with signed JWT failed: "
		if c.Method == MethodSecretJWT {
			prefix = "Client authentication with client secret signed JWT failed: "
		}
		switch {
		case e != nil:
			return "", &oauthError{status: http.StatusBadRequest, code: "invalid_client", desc: prefix + e.Description}
		case got != id || method != c.Method:
			return "", fail
		}
		return id, nil
	case "tls_client_auth":
		s.mu.Lock()
		re := s.tlsDN[id]
		s.mu.Unlock()
		if r.TLS != nil && re != nil {
			for _, cert := range r.TLS.PeerCertificates {
				if re.MatchString(cert.Subject.String()) {
					return id, nil
				}
			}
		}
		return "", fail
	}
	return "", fail
}

// parseBasic reads a Basic header as BasicAuthHelper does: "Basic" in any
// letter case, base64, split at the first ':', then RFC 6749 §2.3.1
// form-decoding of each part unless LegacyBasic.
func (s *Server) parseBasic(h string) (string, string, bool) {
	if len(h) < 6 || !strings.EqualFold(h[:5], "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
	if err != nil {
		return "", "", false
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", false
	}
	if s.LegacyBasic {
		return id, secret, true
	}
	return formDecoded(id), formDecoded(secret), true
}

// formDecoded undoes RFC 6749 §2.3.1 form-encoding, keeping a value that is
// not a form-encoding as it was sent.
func formDecoded(v string) string {
	d, err := url.QueryUnescape(v)
	if err != nil || url.QueryEscape(d) != v {
		return v
	}
	return d
}

// assertionSubject reads the sub claim of a JWT without verifying it, to
// find the client; the authenticator verifies.
func assertionSubject(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		Sub string `json:"sub"`
	}
	_ = json.Unmarshal(payload, &claims)
	return claims.Sub
}

// token serves the client credentials grant of service accounts.
func (s *Server) token(w http.ResponseWriter, r *http.Request, form url.Values, realm, issuer string, disabled bool) {
	if !s.endpointChecks(w, r, disabled) {
		return
	}
	clientID, e := s.authenticate(r, form, realm, issuer)
	if e != nil {
		e.write(w)
		return
	}
	if form.Get("grant_type") != "client_credentials" {
		(&oauthError{status: http.StatusBadRequest, code: "unsupported_grant_type", desc: "Unsupported grant_type"}).write(w)
		return
	}
	s.mu.Lock()
	roles, ok := s.accounts[clientID]
	s.mu.Unlock()
	if !ok {
		(&oauthError{status: http.StatusBadRequest, code: "unauthorized_client", desc: "Client not enabled to retrieve service account"}).write(w)
		return
	}
	tok := s.AdminToken(realm, roles...)
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "expires_in": 300, "refresh_expires_in": 0, "token_type": "Bearer", "not-before-policy": 0, "scope": "profile email"})
}

// serveAdmin serves the admin REST API calls that end a user's sessions.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, rt routed) {
	grant, ok := s.adminGrant(r)
	if !ok || (grant.realm != rt.realm && grant.realm != MasterRealm) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "HTTP 401 Unauthorized"})
		return
	}
	can := func(roles ...string) bool {
		for _, role := range roles {
			if slices.Contains(grant.roles, role) {
				return true
			}
		}
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "HTTP 403 Forbidden"})
		return false
	}
	rest := rt.rest
	switch {
	case len(rest) == 1 && rest[0] == "users" && r.Method == http.MethodGet:
		if can(RoleQueryUsers, RoleViewUsers, RoleManageUsers) {
			s.searchUsers(w, r, rt.realm)
		}
	case len(rest) == 3 && rest[0] == "users" && rest[2] == "logout" && r.Method == http.MethodPost:
		if can(RoleManageUsers) && s.userExists(w, rt.realm, rest[1]) {
			s.logout(rt.realm, rest[1])
			w.WriteHeader(http.StatusNoContent)
		}
	case len(rest) == 3 && rest[0] == "users" && rest[2] == "consents" && r.Method == http.MethodGet:
		if can(RoleViewUsers, RoleManageUsers) && s.userExists(w, rt.realm, rest[1]) {
			writeJSON(w, http.StatusOK, s.consents(rt.realm, rest[1]))
		}
	case len(rest) == 4 && rest[0] == "users" && rest[2] == "consents" && r.Method == http.MethodDelete:
		if can(RoleManageUsers) && s.userExists(w, rt.realm, rest[1]) {
			if !s.revokeConsent(rt.realm, rest[1], rest[3]) {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": "Consent nor offline token not found"})
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Unable to find matching target resource method"})
	}
}

func (s *Server) adminGrant(r *http.Request) (adminToken, bool) {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return adminToken{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.admin[strings.TrimSpace(h[7:])]
	return g, ok
}

func (s *Server) userExists(w http.ResponseWriter, realm, id string) bool {
	s.mu.Lock()
	_, ok := s.realms[realm].users[id]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "User not found"})
	}
	return ok
}

// searchUsers answers GET users: email (exact, or a substring), max.
func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request, realm string) {
	q := r.URL.Query()
	email, exact := strings.ToLower(q.Get("email")), q.Get("exact") == "true"
	limit := 100
	if n, err := strconv.Atoi(q.Get("max")); err == nil && n >= 0 {
		limit = n
	}
	s.mu.Lock()
	var users []User
	for _, u := range s.realms[realm].users {
		if email == "" || (exact && u.Email == email) || (!exact && strings.Contains(u.Email, email)) {
			users = append(users, u)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(users, func(a, b User) int {
		return cmp.Or(strings.Compare(a.Username, b.Username), strings.Compare(a.ID, b.ID))
	})
	out := []map[string]any{}
	for i, u := range users {
		if i == limit {
			break
		}
		out = append(out, map[string]any{"id": u.ID, "username": u.Username, "email": u.Email, "enabled": true, "emailVerified": false})
	}
	writeJSON(w, http.StatusOK, out)
}

// logout ends every online session of the user and sets its not-before:
// tokens issued before now stop working, offline tokens included unless
// LogoutKeepsOfflineTokens; offline sessions remain.
func (s *Server) logout(realm, userID string) {
	s.mu.Lock()
	var tokens []string
	for id, ses := range s.sessions {
		if ses.realm != realm || ses.user != userID {
			continue
		}
		if !ses.offline {
			tokens = append(tokens, ses.tokens...)
			delete(s.sessions, id)
		} else if !s.LogoutKeepsOfflineTokens {
			tokens = append(tokens, ses.tokens...)
		}
	}
	realmClients := map[string]bool{}
	for c, rn := range s.realmOf {
		if rn == realm {
			realmClients[c] = true
		}
	}
	keepOffline := s.LogoutKeepsOfflineTokens
	s.mu.Unlock()
	for _, t := range tokens {
		s.Store.Revoke(t, "")
	}
	// Tokens issued without a session (Store.Issue) are stale too.
	s.Store.RevokeWhere(func(t revoketest.TokenInfo) bool {
		return t.Subject == userID && realmClients[t.ClientID] && !(keepOffline && t.Kind == kindOffline) && !s.inSession(t.Value)
	})
}

func (s *Server) inSession(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokenSes[token]
	return ok
}

// consents lists the clients the user holds offline tokens for, as
// UserResource.getConsents does (the fake records no other consents).
func (s *Server) consents(realm, userID string) []map[string]any {
	s.mu.Lock()
	clients := map[string]bool{}
	for _, ses := range s.sessions {
		if ses.realm == realm && ses.user == userID && ses.offline {
			clients[ses.client] = true
		}
	}
	s.mu.Unlock()
	names := make([]string, 0, len(clients))
	for c := range clients {
		names = append(names, c)
	}
	slices.Sort(names)
	out := []map[string]any{}
	now := time.Now().UnixMilli()
	for _, c := range names {
		out = append(out, map[string]any{
			"clientId": c, "grantedClientScopes": []string{}, "createdDate": now, "lastUpdatedDate": now,
			"additionalGrants": []map[string]string{{"client": "id-" + c, "key": "Offline Token"}},
		})
	}
	return out
}

// revokeConsent revokes the client's consent and offline tokens for the
// user, ending the offline sessions; false when there were none.
func (s *Server) revokeConsent(realm, userID, clientID string) bool {
	s.mu.Lock()
	var tokens []string
	for id, ses := range s.sessions {
		if ses.realm == realm && ses.user == userID && ses.client == clientID && ses.offline {
			tokens = append(tokens, ses.tokens...)
			delete(s.sessions, id)
		}
	}
	s.mu.Unlock()
	for _, t := range tokens {
		s.Store.Revoke(t, "")
	}
	return len(tokens) > 0
}

func randID(prefix string) string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Format implements fmt.Formatter: the fake prints counts only, never a
// secret or token.
func (s *Server) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "keycloaktest.Server{%s}", s.summary())
}

func (s *Server) summary() string {
	if s == nil {
		return "<nil>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	users := 0
	for _, r := range s.realms {
		users += len(r.users)
	}
	return fmt.Sprintf("realms:%d users:%d sessions:%d", len(s.realms), users, len(s.sessions))
}

// LogValue implements slog.LogValuer with counts only.
func (s *Server) LogValue() slog.Value { return slog.StringValue(s.summary()) }

// MarshalJSON implements json.Marshaler with counts only.
func (s *Server) MarshalJSON() ([]byte, error) { return json.Marshal(s.summary()) }
