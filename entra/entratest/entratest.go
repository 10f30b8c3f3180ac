// Package entratest emulates the two Microsoft services package entra
// calls, with real state, for tests of code that ends Entra users'
// sessions:
//
//	POST /{tenant}/oauth2/v2.0/token                 the Microsoft identity platform's token endpoint
//	POST /v1.0/users/{id | upn}/revokeSignInSessions Microsoft Graph
//
// Register applications (client secret or certificate, and the Graph
// application permissions granted to them) and users, sign users in to get
// refresh tokens, and watch those tokens stop working once their sessions
// are revoked. Serve a Server with httptest.NewServer(entratest.New()) and
// point both entra.Config.GraphURL and LoginURL at it, or register it on an
// httpmock transport for both real hosts with Register.
//
// It is built on the shared emulator core of package revoketest: its token
// Store, fault queue and request Log.
//
// https://learn.microsoft.com/graph/api/user-revokesigninsessions
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
// https://learn.microsoft.com/entra/identity-platform/certificate-credentials
package entratest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Defaults of a new Server, shaped as Microsoft's examples
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
const (
	// TenantID is the emulated tenant's directory ID.
	TenantID = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	// Domain is the emulated tenant's verified domain.
	Domain = "contoso.onmicrosoft.com"
	// GraphScope is the client-credentials scope of Microsoft Graph.
	GraphScope = "https://graph.microsoft.com/.default"
	// LoginURL and GraphURL are the real hosts Register serves.
	LoginURL = "https://login.microsoftonline.com"
	GraphURL = "https://graph.microsoft.com"
	// TokenLifetime is how long an emulated Graph access token lives, as
	// Entra's default of about an hour ("expires_in": 3599).
	TokenLifetime = 3599 * time.Second
)

// Graph application permissions that allow revokeSignInSessions: the least
// privileged one and those that include it
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions#permissions).
const (
	PermissionRevokeSessions = "User.RevokeSessions.All"
	PermissionUserReadWrite  = "User.ReadWrite.All"
	PermissionDirectoryWrite = "Directory.ReadWrite.All"
)

// KindSession marks the tokens SignIn issues in the Store: a user's
// sign-in session, which revokeSignInSessions ends
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
const KindSession = "entra-session"

// App is an app registration with the credentials it accepts
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
type App struct {
	// ClientID is the application (client) ID.
	ClientID string
	// Secret is a client secret's value; "" when the app has none.
	Secret string
	// Certificate is the certificate uploaded to the app; nil when none.
	Certificate *x509.Certificate
	// Permissions are the Graph application permissions granted with
	// admin consent, e.g. PermissionRevokeSessions.
	Permissions []string
}

// User is a user of the tenant, addressed by object ID or
// userPrincipalName (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
type User struct {
	// ID is the object ID, a GUID.
	ID string
	// UserPrincipalName is the sign-in name, e.g. alice@contoso.com.
	UserPrincipalName string
	// Guest marks an external (B2B) user, whose sessions
	// revokeSignInSessions does not end: they sign in through their home
	// tenant.
	Guest bool
}

// Server emulates one Entra tenant's token endpoint and the part of
// Microsoft Graph that ends users' sessions.
//
// The token endpoint follows
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow:
// POST of a form with grant_type=client_credentials, client_id, scope (the
// resource's /.default) and either client_secret (or HTTP Basic) or a
// client_assertion signed with the app's certificate, whose header names
// the certificate by x5t#S256 or x5t and whose aud is the token URL
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
// Success is {"token_type":"Bearer","expires_in":3599,…,"access_token":…};
// errors have the documented shape {"error","error_description":"AADSTS…:
// …\r\nTrace ID: …","error_codes":[…],"timestamp","trace_id",
// "correlation_id"}. The documented case is invalid_scope (AADSTS70011);
// the others are inferred from Entra's published AADSTS codes: an unknown
// tenant 400 invalid_request AADSTS90002, an unknown application 400
// unauthorized_client AADSTS700016, a wrong secret 401 invalid_client
// AADSTS7000215, no credential 401 invalid_client AADSTS7000218, a bad
// assertion 401 invalid_client AADSTS700027. An assertion may be sent
// again until it expires (MSAL caches its assertions).
//
// revokeSignInSessions follows
// https://learn.microsoft.com/graph/api/user-revokesigninsessions: POST
// with "Authorization: Bearer <token>" from the token endpoint, whose app
// holds User.RevokeSessions.All (or User.ReadWrite.All or
// Directory.ReadWrite.All); the user by object ID or userPrincipalName,
// either case-insensitive. Success is 200 {"@odata.context":…,"value":true}
// (204 with Answer204, the documented known issue); it resets the user's
// signInSessionsValidFromDateTime and ends every refresh token SignIn
// issued to them, at once or after Propagation ("a small delay of a few
// minutes"). Access tokens stay active until they expire, and a guest's
// tokens are not ended. Errors have Graph's shape
// {"error":{"code","message","innerError":{"date","request-id",
// "client-request-id"}}} (https://learn.microsoft.com/graph/errors): 401
// InvalidAuthenticationToken for a missing, unknown or expired token, 403
// Authorization_RequestDenied "Insufficient privileges to complete the
// operation." without the permission, 404 Request_ResourceNotFound for an
// unknown user, 429 TooManyRequests with Retry-After past ThrottleLimit
// calls in a ThrottleWindow (https://learn.microsoft.com/graph/throttling).
// Every answer carries request-id and client-request-id headers.
//
// A request body larger than revoketest.MaxRequestBytes is answered 413
// and never acted on.
type Server struct {
	// Tenant and Domain name the tenant; tokens are issued only under one
	// of them (Tenant case-insensitively). New sets TenantID and Domain.
	Tenant string
	Domain string
	// Sessions holds the tokens SignIn issues (Subject is the user's
	// object ID).
	Sessions *revoketest.Store
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// ThrottleLimit is how many Graph calls a ThrottleWindow allows before
	// 429 with Retry-After (the seconds left in the window, at least 1);
	// 0 means no limit.
	ThrottleLimit  int
	ThrottleWindow time.Duration
	// Propagation delays the end of a revoked user's refresh tokens; 0
	// ends them at once.
	Propagation time.Duration
	// Answer204 answers a successful revokeSignInSessions 204 No Content,
	// as Graph's documented known issue does.
	Answer204 bool

	mu        sync.Mutex
	apps      map[string]App
	users     map[string]User // by lower-case object ID
	tokens    map[string]issued
	pending   map[string]time.Time // user ID → when its revocation takes effect
	validFrom map[string]time.Time
	winStart  time.Time
	winUsed   int
}

// issued is a Graph access token the token endpoint issued.
type issued struct {
	clientID    string
	permissions []string
	expiry      time.Time
}

// New returns an emulator of tenant TenantID (domain Domain) with no
// applications or users (see Server for the references it follows).
func New() *Server {
	return &Server{
		Tenant: TenantID, Domain: Domain, Sessions: revoketest.NewStore(),
		apps: map[string]App{}, users: map[string]User{}, tokens: map[string]issued{},
		pending: map[string]time.Time{}, validFrom: map[string]time.Time{},
	}
}

// Register creates an emulator (see Server) and serves it on mt for both
// real hosts, LoginURL and GraphURL, so that an entra.Graph with the
// default URLs and an *http.Client over mt talks to it.
func Register(mt *httpmock.MockTransport) *Server {
	s := New()
	s.Register(mt, LoginURL, GraphURL)
	return s
}

// Register serves s for every request under each base URL on mt, e.g.
// LoginURL and GraphURL (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (s *Server) Register(mt *httpmock.MockTransport, bases ...string) {
	for _, b := range bases {
		revoketest.RegisterHandler(mt, b, s)
	}
}

// AddApp registers an app registration, replacing one with the same ID
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
func (s *Server) AddApp(a App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a.Permissions = slices.Clone(a.Permissions)
	s.apps[a.ClientID] = a
}

// AddUser adds a user, replacing one with the same object ID
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[strings.ToLower(u.ID)] = u
}

// SignIn issues the user an access and refresh token pair for clientID, as
// a sign-in to that application would; revokeSignInSessions ends the
// refresh token (https://learn.microsoft.com/graph/api/user-revokesigninsessions). It panics on an unknown user: a
// mistake in the test.
func (s *Server) SignIn(userID, clientID string) revoketest.Pair {
	s.mu.Lock()
	u, ok := s.users[strings.ToLower(userID)]
	s.mu.Unlock()
	if !ok {
		panic("entratest: SignIn of unknown user " + strconv.Quote(userID))
	}
	return s.Sessions.IssueKind(clientID, u.ID, KindSession)
}

// Active reports whether token still works: for a refresh token, whether
// its user's sessions were not revoked (once any Propagation has passed;
// https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (s *Server) Active(token string) bool {
	s.settle(time.Now())
	return s.Sessions.Active(token)
}

// SignInSessionsValidFrom returns the user's signInSessionsValidFromDateTime
// as the last revokeSignInSessions set it, or the zero time
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (s *Server) SignInSessionsValidFrom(userID string) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.validFrom[strings.ToLower(userID)]
}

// FailNext makes the next n requests answer f, before any other behaviour
// applies (see GraphError and Throttled; https://learn.microsoft.com/graph/errors).
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first, with the status
// the emulator answered (see Server for the references it follows).
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// GraphError is a fault answered in Graph's error shape
// (https://learn.microsoft.com/graph/errors).
func GraphError(status int, code, message string) revoketest.Fault {
	id := newGUID()
	b, _ := json.Marshal(graphErrorBody(code, message, id))
	return revoketest.Fault{Status: status, Header: http.Header{"Content-Type": {graphJSON}, "Request-Id": {id}, "Client-Request-Id": {id}}, Body: string(b)}
}

// Throttled is a 429 TooManyRequests with Retry-After in whole seconds
// (https://learn.microsoft.com/graph/throttling).
func Throttled(retryAfter time.Duration) revoketest.Fault {
	f := GraphError(http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
	f.Header.Set("Retry-After", strconv.Itoa(int((retryAfter+time.Second-1)/time.Second)))
	return f
}

// settle applies the revocations whose propagation delay has passed.
func (s *Server) settle(now time.Time) {
	s.mu.Lock()
	var due []string
	for id, at := range s.pending {
		if !now.Before(at) {
			due = append(due, id)
			delete(s.pending, id)
		}
	}
	s.mu.Unlock()
	for _, id := range due {
		s.endSessions(id)
	}
}

// endSessions ends the user's refresh tokens: their access tokens stay
// valid until they expire, as Entra's do.
func (s *Server) endSessions(id string) {
	s.Sessions.RevokeWhere(func(t revoketest.TokenInfo) bool {
		return t.Kind == KindSession && t.Type == "refresh_token" && strings.EqualFold(t.Subject, id)
	})
}

// ServeHTTP implements http.Handler, answering as Server describes
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form, readOK := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !readOK || s.Faults.Serve(rec) {
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/oauth2/v2.0/token") && strings.Count(p, "/") == 4:
		s.token(rec, r, form, strings.Split(p, "/")[1])
	case strings.HasPrefix(p, "/v1.0/users/") && strings.HasSuffix(p, "/revokeSignInSessions"):
		user := strings.TrimSuffix(strings.TrimPrefix(p, "/v1.0/users/"), "/revokeSignInSessions")
		s.revoke(rec, r, user)
	default:
		writeGraphError(rec, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+strings.Trim(p, "/")+"'.")
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

// ---- the token endpoint ----

// aadError is an error of the token endpoint.
type aadError struct {
	status int
	code   string
	aadsts int
	msg    string
}

func (e *aadError) write(w http.ResponseWriter) {
	trace, corr := newGUID(), newGUID()
	now := time.Now().UTC().Format("2006-01-02 15:04:05Z")
	body := map[string]any{
		"error":             e.code,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", e.aadsts, e.msg, trace, corr, now),
		"error_codes":       []int{e.aadsts},
		"timestamp":         now,
		"trace_id":          trace,
		"correlation_id":    corr,
		"error_uri":         LoginURL + "/error?code=" + strconv.Itoa(e.aadsts),
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("x-ms-request-id", trace)
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, form url.Values, tenant string) {
	clientID, e := s.checkTokenRequest(r, form, tenant)
	if e != nil {
		e.write(w)
		return
	}
	tok := "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + newGUID() + "." + newGUID()
	s.mu.Lock()
	app := s.apps[clientID]
	s.tokens[tok] = issued{clientID: clientID, permissions: slices.Clone(app.Permissions), expiry: time.Now().Add(TokenLifetime)}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("x-ms-request-id", newGUID())
	secs := int(TokenLifetime / time.Second)
	_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": secs, "ext_expires_in": secs, "access_token": tok})
}

// checkTokenRequest authenticates a client credentials request and returns
// the client ID, or the error to answer.
func (s *Server) checkTokenRequest(r *http.Request, form url.Values, tenant string) (string, *aadError) {
	if r.Method != http.MethodPost {
		return "", &aadError{http.StatusMethodNotAllowed, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a " + r.Method + " request."}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return "", &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'."}
	}
	if !strings.EqualFold(tenant, s.Tenant) && !strings.EqualFold(tenant, s.Domain) {
		return "", &aadError{http.StatusBadRequest, "invalid_request", 90002, "Tenant '" + tenant + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."}
	}
	for k, v := range form {
		if len(v) > 1 {
			return "", &aadError{http.StatusBadRequest, "invalid_request", 90015, "Requested query string is too long or repeats the parameter '" + k + "'."}
		}
	}
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		return "", &aadError{http.StatusBadRequest, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + gt + "'."}
	}
	id, basicSecret, hasBasic := basic(r.Header.Get("Authorization"))
	if fid := form.Get("client_id"); fid != "" {
		if hasBasic && fid != id {
			return "", &aadError{http.StatusBadRequest, "invalid_request", 900144, "The client_id in the body does not match the Authorization header."}
		}
		id = fid
	}
	if id == "" {
		return "", &aadError{http.StatusBadRequest, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'."}
	}
	s.mu.Lock()
	app, ok := s.apps[id]
	s.mu.Unlock()
	if !ok {
		return "", &aadError{http.StatusBadRequest, "unauthorized_client", 700016, "Application with identifier '" + id + "' was not found in the directory '" + s.Domain + "'."}
	}
	scope := form.Get("scope")
	if scope != GraphScope && scope != revoketest.BaseURL(r)+"/.default" {
		return "", &aadError{http.StatusBadRequest, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. The scope " + scope + " is not valid."}
	}
	secret := form.Get("client_secret")
	if hasBasic {
		if secret != "" {
			return "", &aadError{http.StatusBadRequest, "invalid_request", 90023, "The client credentials must be sent in the Authorization header or the body, not both."}
		}
		secret = basicSecret
	}
	assertion := form.Get("client_assertion")
	switch {
	case secret != "" && assertion != "":
		return "", &aadError{http.StatusBadRequest, "invalid_request", 90023, "Only one client credential may be presented: client_secret or client_assertion."}
	case secret != "":
		if app.Secret == "" || subtle.ConstantTimeCompare([]byte(app.Secret), []byte(secret)) != 1 {
			return "", &aadError{http.StatusUnauthorized, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + id + "'."}
		}
		return id, nil
	case assertion != "":
		if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			return "", &aadError{http.StatusBadRequest, "invalid_request", 50027, "The client_assertion_type is missing or not urn:ietf:params:oauth:client-assertion-type:jwt-bearer."}
		}
		if e := s.checkAssertion(app, assertion, revoketest.BaseURL(r)+r.URL.Path); e != nil {
			return "", e
		}
		return id, nil
	}
	return "", &aadError{http.StatusUnauthorized, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

// checkAssertion verifies a certificate's client assertion
// (https://learn.microsoft.com/entra/identity-platform/certificate-credentials).
func (s *Server) checkAssertion(app App, assertion, tokenURL string) *aadError {
	bad := func(msg string) *aadError {
		return &aadError{http.StatusUnauthorized, "invalid_client", 700027, "Client assertion failed signature validation or is malformed: " + msg}
	}
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.RS256, jose.PS256})
	if err != nil || len(tok.Headers) != 1 {
		return bad("the client assertion is not a JWT signed with RS256 or PS256.")
	}
	h := tok.Headers[0]
	if app.Certificate == nil {
		return bad("no certificate is registered on application '" + app.ClientID + "'.")
	}
	s256 := sha256.Sum256(app.Certificate.Raw)
	s1 := sha1.Sum(app.Certificate.Raw) //nolint:gosec // x5t is SHA-1
	x5tS256, _ := h.ExtraHeaders["x5t#S256"].(string)
	x5t, _ := h.ExtraHeaders["x5t"].(string)
	switch {
	case x5tS256 == "" && x5t == "":
		return bad("the assertion's header names no certificate (x5t#S256 or x5t).")
	case x5tS256 != "" && x5tS256 != base64.RawURLEncoding.EncodeToString(s256[:]),
		x5tS256 == "" && x5t != base64.RawURLEncoding.EncodeToString(s1[:]):
		return bad("the certificate with identifier used to sign the client assertion is not registered on application '" + app.ClientID + "'.")
	}
	pub, ok := app.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return bad("the registered certificate's key is not RSA.")
	}
	var claims jwt.Claims
	if err := tok.Claims(pub, &claims); err != nil {
		return bad("the signature does not verify with the registered certificate.")
	}
	switch {
	case claims.Issuer != app.ClientID || claims.Subject != app.ClientID:
		return bad("iss and sub must both be the client ID.")
	case !claims.Audience.Contains(tokenURL):
		return bad("the audience must be the token endpoint " + tokenURL + ".")
	case claims.ID == "":
		return bad("the assertion has no jti.")
	case claims.Expiry == nil:
		return bad("the assertion has no exp.")
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Time: time.Now()}, 5*time.Minute); err != nil {
		return &aadError{http.StatusUnauthorized, "invalid_client", 700024, "Client assertion is not within its valid time range."}
	}
	return nil
}

// basic decodes an HTTP Basic Authorization header.
func basic(h string) (id, secret string, ok bool) {
	if len(h) < 6 || !strings.EqualFold(h[:6], "basic ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	if !ok {
		return "", "", false
	}
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	return id, secret, true
}

// ---- Microsoft Graph ----

// revoke answers POST /v1.0/users/{id | upn}/revokeSignInSessions.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request, user string) {
	now := time.Now()
	if wait, ok := s.throttle(now); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		writeGraphError(w, r, http.StatusTooManyRequests, "TooManyRequests", "Too many requests.")
		return
	}
	if r.Method != http.MethodPost {
		writeGraphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
		return
	}
	authz := r.Header.Get("Authorization")
	tok, hasBearer := strings.CutPrefix(authz, "Bearer ")
	if !hasBearer || tok == "" {
		writeGraphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return
	}
	s.mu.Lock()
	t, known := s.tokens[tok]
	s.mu.Unlock()
	switch {
	case !known:
		writeGraphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.")
		return
	case now.After(t.expiry):
		writeGraphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		return
	case !slices.ContainsFunc(t.permissions, func(p string) bool {
		return p == PermissionRevokeSessions || p == PermissionUserReadWrite || p == PermissionDirectoryWrite
	}):
		writeGraphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	u, found := s.findUser(user)
	if !found {
		writeGraphError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+user+"' does not exist or one of its queried reference-property objects are not present.")
		return
	}
	s.mu.Lock()
	s.validFrom[strings.ToLower(u.ID)] = now
	if !u.Guest && s.Propagation > 0 {
		s.pending[strings.ToLower(u.ID)] = now.Add(s.Propagation)
	}
	s.mu.Unlock()
	if !u.Guest && s.Propagation <= 0 {
		s.endSessions(u.ID)
	}
	requestIDs(w, r)
	w.Header().Set("Cache-Control", "no-cache")
	if s.Answer204 {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", graphJSON)
	_, _ = w.Write([]byte(`{"@odata.context":"` + GraphURL + `/v1.0/$metadata#Edm.Boolean","value":true}`))
}

// findUser looks a user up by object ID or userPrincipalName, ignoring case.
func (s *Server) findUser(key string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[strings.ToLower(key)]; ok {
		return u, true
	}
	for _, u := range s.users {
		if strings.EqualFold(u.UserPrincipalName, key) {
			return u, true
		}
	}
	return User{}, false
}

// throttle counts one Graph call against the window; ok is false past the
// limit, with the wait until the window ends.
func (s *Server) throttle(now time.Time) (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ThrottleLimit <= 0 {
		return 0, true
	}
	window := s.ThrottleWindow
	if window <= 0 {
		window = time.Second
	}
	if s.winStart.IsZero() || !now.Before(s.winStart.Add(window)) {
		s.winStart, s.winUsed = now, 0
	}
	if s.winUsed >= s.ThrottleLimit {
		return s.winStart.Add(window).Sub(now), false
	}
	s.winUsed++
	return 0, true
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

const graphJSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"

func graphErrorBody(code, message, id string) map[string]any {
	return map[string]any{"error": map[string]any{"code": code, "message": message,
		"innerError": map[string]string{"date": time.Now().UTC().Format("2006-01-02T15:04:05"), "request-id": id, "client-request-id": id}}}
}

func writeGraphError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	id := requestIDs(w, r)
	w.Header().Set("Content-Type", graphJSON)
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(graphErrorBody(code, message, id))
}

// requestIDs sets request-id and client-request-id (the client's own when
// it sent one) and returns the request ID.
func requestIDs(w http.ResponseWriter, r *http.Request) string {
	id := newGUID()
	client := r.Header.Get("client-request-id")
	if client == "" {
		client = id
	}
	w.Header().Set("request-id", id)
	w.Header().Set("client-request-id", client)
	return id
}
