package revoketest

import (
	"crypto"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"
)

// OktaAdminAPIToken is the API token RegisterOktaAdmin's emulator accepts.
const OktaAdminAPIToken = "00emulator-okta-api-token-0000000000000000"

// Okta management API paths served by OktaAdmin, as the OpenAPI spec writes
// them. "METHOD " + path is the emulator's rate-limit bucket key, the same
// key okta.Admin tracks.
const (
	OktaUserClientsPath      = "/api/v1/users/{userId}/clients"
	OktaUserClientTokensPath = "/api/v1/users/{userId}/clients/{clientId}/tokens"
	OktaUserClientTokenPath  = "/api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}"
	OktaUserClientGrantsPath = "/api/v1/users/{userId}/clients/{clientId}/grants"
	OktaUserGrantsPath       = "/api/v1/users/{userId}/grants"
	OktaUserSessionsPath     = "/api/v1/users/{userId}/sessions"
	OktaASClientsPath        = "/api/v1/authorizationServers/{authServerId}/clients"
	OktaASClientTokensPath   = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens"
	OktaASClientTokenPath    = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}"
	// OktaServiceTokenPath is the org authorization server's token endpoint,
	// where service apps get access tokens for the management API.
	OktaServiceTokenPath = "/oauth2/v1/token"
)

// Defaults of OktaAdmin.
const (
	// OktaAdminDefaultLimit is the per-bucket request limit of every bucket
	// without its own SetRateLimit.
	OktaAdminDefaultLimit = 600
	// OktaAdminDefaultWindow is the length of a rate-limit window.
	OktaAdminDefaultWindow = time.Minute
	// OktaAdminTokenTTL is the lifetime of issued refresh tokens.
	OktaAdminTokenTTL = 90 * 24 * time.Hour
)

// OktaAdmin emulates the token-management part of Okta's management API
// (tags UserOAuth, UserResources, UserGrant, UserSessions and
// AuthorizationServerClients of the OpenAPI spec), with state: users,
// clients with names, authorization servers, refresh tokens with IDs,
// status, creation and expiry times and scopes, consent grants and sessions.
//
//	GET    /api/v1/users/{userId}/clients
//	GET    /api/v1/users/{userId}/clients/{clientId}/tokens            ?expand=scope&after=&limit=
//	DELETE /api/v1/users/{userId}/clients/{clientId}/tokens
//	GET    /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}  ?expand=scope
//	DELETE /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}
//	DELETE /api/v1/users/{userId}/clients/{clientId}/grants
//	DELETE /api/v1/users/{userId}/grants
//	DELETE /api/v1/users/{userId}/sessions                             ?oauthTokens=&forgetDevices=
//	GET    /api/v1/authorizationServers/{authServerId}/clients
//	GET    /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens  ?expand=scope&after=&limit=
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens
//	GET    /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//	POST   /oauth2/v1/token   client credentials with private_key_jwt, for service apps
//
// Requests need "Authorization: SSWS <APIToken>" or "Authorization: Bearer
// <token>" with a token from AddBearer or the token endpoint, whose scopes
// must cover the operation (okta.users.read/manage,
// okta.authorizationServers.read/manage); otherwise the answer is 401
// E0000011 or 403 E0000006. Unknown users, clients, authorization servers
// and tokens are 404 E0000007. Every answer carries Date,
// X-Rate-Limit-Limit, X-Rate-Limit-Remaining and X-Rate-Limit-Reset for its
// bucket ("METHOD path-template"); a spent bucket answers 429 E0000047 until
// its window ends. Lists are paginated with Okta's opaque after cursor in
// Link rel="next" headers (limit default 20, at most 200).
//
// Choices where Okta's documentation is silent: the user's client list
// holds clients with an active token or a grant; token lists hold active
// tokens only, while GET of a revoked token shows status REVOKED; revoking
// grants does not revoke tokens; an authorization server's token list
// without a limit is one page.
//
// Refresh tokens live in Store (an access and refresh token pair per
// refresh token ID), so that a token revoked here is inactive at the Okta
// /revoke emulator and the other way round when both share the Store. To
// combine them, set the Store before issuing tokens and hand the admin to
// the Okta emulator, which serves /api/v1/ through it:
//
//	okta := revoketest.NewOkta()
//	admin := revoketest.NewOktaAdmin(apiToken)
//	admin.Store = okta.Store
//	okta.Admin = admin
//
// The exported fields are configuration: set them before serving requests.
// The methods are safe for concurrent use.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/
type OktaAdmin struct {
	// APIToken is the accepted API token; empty accepts none.
	APIToken string
	// Store holds the token values behind the refresh tokens.
	Store *Store
	// Now is the emulator's clock (nil: time.Now). It stamps the Date and
	// rate-limit headers, the windows, token times and the request log, so a
	// test can share a fake clock with the client.
	Now func() time.Time
	// Faults queues answers for the next requests, whatever their path.
	Faults Faults
	// LinkBase, when set, replaces the scheme and host of Link headers and
	// _links (default: where the request arrived), e.g. to check that a
	// client refuses to follow a link to another host.
	LinkBase string
	// RequireDPoP makes the token endpoint refuse requests without a DPoP
	// proof, as Okta service apps do by default.
	RequireDPoP bool

	mux         *http.ServeMux
	mu          sync.Mutex
	seq         int
	users       map[string]bool
	clients     map[string]string // client ID → name
	clientOrder []string
	authServers map[string]bool
	tokens      []*oktaAdminToken
	grants      []oktaAdminGrant
	sessions    map[string]int
	forgot      map[string]bool
	limits      map[string]oktaAdminLimit
	buckets     map[string]*oktaAdminBucket
	failRevoke  map[string]Fault
	bearers     map[string]oktaAdminBearer
	apps        Clients
	appScopes   map[string][]string
	reqs        []OktaAdminRequest
}

type oktaAdminToken struct {
	id, userID, clientID, authServerID string
	scopes                             []string
	created, expiresAt                 time.Time
	pair                               Pair
}

type oktaAdminGrant struct{ id, userID, clientID, scopeID string }

type oktaAdminLimit struct {
	limit  int
	window time.Duration
}

type oktaAdminBucket struct {
	used  int
	reset time.Time
}

type oktaAdminBearer struct {
	scopes []string
	expiry time.Time // zero: never
}

// OktaAdminToken is a refresh token issued by the emulator.
type OktaAdminToken struct {
	ID           string
	UserID       string
	ClientID     string
	AuthServerID string
	Scopes       []string
	Created      time.Time
	ExpiresAt    time.Time
	// Pair holds the token values in the emulator's Store.
	Pair Pair
}

// OktaAdminRequest is one request the emulator received.
type OktaAdminRequest struct {
	RecordedRequest
	// At is the emulator clock's time on arrival.
	At time.Time
	// Bucket is the matched route, "METHOD path-template", or "" if none.
	Bucket string
}

// NewOktaAdmin returns an emulator accepting apiToken, with the "default"
// custom authorization server and no users or clients.
func NewOktaAdmin(apiToken string) *OktaAdmin {
	o := &OktaAdmin{
		APIToken:    apiToken,
		Store:       NewStore(),
		users:       map[string]bool{},
		clients:     map[string]string{},
		authServers: map[string]bool{"default": true},
		sessions:    map[string]int{},
		forgot:      map[string]bool{},
		limits:      map[string]oktaAdminLimit{},
		buckets:     map[string]*oktaAdminBucket{},
		failRevoke:  map[string]Fault{},
		bearers:     map[string]oktaAdminBearer{},
		appScopes:   map[string][]string{},
	}
	mux := http.NewServeMux()
	routes := []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"GET " + OktaUserClientsPath, o.listUserClients},
		{"GET " + OktaUserClientTokensPath, o.listUserClientTokens},
		{"DELETE " + OktaUserClientTokensPath, o.revokeUserClientTokens},
		{"GET " + OktaUserClientTokenPath, o.getUserClientToken},
		{"DELETE " + OktaUserClientTokenPath, o.revokeUserClientToken},
		{"DELETE " + OktaUserClientGrantsPath, o.revokeUserClientGrants},
		{"DELETE " + OktaUserGrantsPath, o.revokeUserGrants},
		{"DELETE " + OktaUserSessionsPath, o.revokeUserSessions},
		{"GET " + OktaASClientsPath, o.listASClients},
		{"GET " + OktaASClientTokensPath, o.listASClientTokens},
		{"DELETE " + OktaASClientTokensPath, o.revokeASClientTokens},
		{"GET " + OktaASClientTokenPath, o.getASClientToken},
		{"DELETE " + OktaASClientTokenPath, o.revokeASClientToken},
		{"POST " + OktaServiceTokenPath, o.serviceToken},
	}
	for _, rt := range routes {
		mux.HandleFunc(rt.pattern, rt.h)
	}
	o.mux = mux
	return o
}

// RegisterOktaAdmin starts an emulator accepting OktaAdminAPIToken and serves
// it for every request under baseURL on mt, e.g.
// RegisterOktaAdmin(mt, "https://dev-123456.okta.com").
func RegisterOktaAdmin(mt *httpmock.MockTransport, baseURL string) *OktaAdmin {
	o := NewOktaAdmin(OktaAdminAPIToken)
	o.Register(mt, baseURL)
	return o
}

// Register serves o for every request under baseURL on mt.
func (o *OktaAdmin) Register(mt *httpmock.MockTransport, baseURL string) {
	RegisterHandler(mt, baseURL, o)
}

func (o *OktaAdmin) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// AddUser registers a user.
func (o *OktaAdmin) AddUser(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users[id] = true
}

// AddClient registers a client (OAuth 2.0 app) with its display name.
func (o *OktaAdmin) AddClient(id, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.clients[id]; !ok {
		o.clientOrder = append(o.clientOrder, id)
	}
	o.clients[id] = name
}

// AddAuthServer registers a custom authorization server ("default" exists).
func (o *OktaAdmin) AddAuthServer(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.authServers[id] = true
}

// IssueRefreshToken issues an active refresh token (and its access token, in
// Store) from the "default" authorization server for the user and client,
// which must have been added.
func (o *OktaAdmin) IssueRefreshToken(userID, clientID string, scopes ...string) OktaAdminToken {
	return o.IssueRefreshTokenAt("default", userID, clientID, scopes...)
}

// IssueRefreshTokenAt is IssueRefreshToken from the given authorization
// server. It panics if the user, client or server is unknown: that is a
// mistake in the test's setup.
func (o *OktaAdmin) IssueRefreshTokenAt(authServerID, userID, clientID string, scopes ...string) OktaAdminToken {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, client := o.clients[clientID]; !o.users[userID] || !client || !o.authServers[authServerID] {
		panic(fmt.Sprintf("revoketest: IssueRefreshTokenAt(%q, %q, %q): add the user, client and authorization server first", authServerID, userID, clientID))
	}
	o.seq++
	if len(scopes) == 0 {
		scopes = []string{"offline_access", "openid"}
	}
	created := now.UTC().Truncate(time.Second)
	t := &oktaAdminToken{id: fmt.Sprintf("oar%017d", o.seq), userID: userID, clientID: clientID, authServerID: authServerID,
		scopes: slices.Clone(scopes), created: created, expiresAt: created.Add(OktaAdminTokenTTL),
		pair: o.Store.Issue(clientID, userID)} // Store has its own lock, never taken before o.mu
	o.tokens = append(o.tokens, t)
	return t.export()
}

func (t *oktaAdminToken) export() OktaAdminToken {
	return OktaAdminToken{ID: t.id, UserID: t.userID, ClientID: t.clientID, AuthServerID: t.authServerID,
		Scopes: slices.Clone(t.scopes), Created: t.created, ExpiresAt: t.expiresAt, Pair: t.pair}
}

// Token returns the refresh token with the given ID.
func (o *OktaAdmin) Token(id string) (OktaAdminToken, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, t := range o.tokens {
		if t.id == id {
			return t.export(), true
		}
	}
	return OktaAdminToken{}, false
}

// Active reports whether the refresh token with the given ID is active.
func (o *OktaAdmin) Active(id string) bool {
	t, ok := o.Token(id)
	return ok && o.Store.Active(t.Pair.RefreshToken)
}

// Tokens returns the user's refresh tokens for the client ("" for all
// clients), active or not, oldest first.
func (o *OktaAdmin) Tokens(userID, clientID string) []OktaAdminToken {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []OktaAdminToken
	for _, t := range o.tokens {
		if t.userID == userID && (clientID == "" || t.clientID == clientID) {
			out = append(out, t.export())
		}
	}
	return out
}

// AddGrant records a consent grant of scopeID by the user to the client and
// returns its ID.
func (o *OktaAdmin) AddGrant(userID, clientID, scopeID string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	g := oktaAdminGrant{id: fmt.Sprintf("oag%017d", o.seq), userID: userID, clientID: clientID, scopeID: scopeID}
	o.grants = append(o.grants, g)
	return g.id
}

// Grants counts the user's grants to the client ("" for all clients).
func (o *OktaAdmin) Grants(userID, clientID string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, g := range o.grants {
		if g.userID == userID && (clientID == "" || g.clientID == clientID) {
			n++
		}
	}
	return n
}

// AddSession opens an Okta session for the user.
func (o *OktaAdmin) AddSession(userID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sessions[userID]++
}

// Sessions counts the user's open sessions.
func (o *OktaAdmin) Sessions(userID string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.sessions[userID]
}

// DevicesForgotten reports whether a session clear with forgetDevices (true,
// or absent: Okta's Identity Engine default) ran for the user.
func (o *OktaAdmin) DevicesForgotten(userID string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.forgot[userID]
}

// FailRevoke makes every request that revokes the client's tokens (DELETE
// on .../clients/{clientId}/tokens or .../tokens/{tokenId}, user or
// authorization-server level) answer f, until FailRevoke is called again
// with a zero Fault. The tokens stay active.
func (o *OktaAdmin) FailRevoke(clientID string, f Fault) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if f.Status == 0 {
		delete(o.failRevoke, clientID)
		return
	}
	o.failRevoke[clientID] = f
}

// FailNext makes the next n requests, whatever their path, answer f.
func (o *OktaAdmin) FailNext(n int, f Fault) { o.Faults.FailNext(n, f) }

// SetRateLimit sets the request limit and window of one bucket, keyed
// "METHOD path-template", e.g. "GET "+OktaUserClientsPath. A window of 0
// means OktaAdminDefaultWindow.
func (o *OktaAdmin) SetRateLimit(bucket string, limit int, window time.Duration) {
	if window <= 0 {
		window = OktaAdminDefaultWindow
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.limits[bucket] = oktaAdminLimit{limit: limit, window: window}
}

// AddBearer accepts an OAuth 2.0 access token with the given Okta scopes,
// as if a service app had obtained it.
func (o *OktaAdmin) AddBearer(token string, scopes ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.bearers[token] = oktaAdminBearer{scopes: slices.Clone(scopes)}
}

// AddServiceApp registers an API Services app that gets access tokens at
// the token endpoint with the client credentials grant and a private_key_jwt
// assertion signed by the private half of key, for at most the given scopes.
func (o *OktaAdmin) AddServiceApp(clientID string, key crypto.PublicKey, scopes ...string) {
	o.apps.Add(Client{ID: clientID, PublicKey: key, Method: "private_key_jwt"})
	o.mu.Lock()
	defer o.mu.Unlock()
	o.appScopes[clientID] = slices.Clone(scopes)
}

// Format implements fmt.Formatter: the emulator prints its size, never its
// API token or the tokens it holds.
func (o *OktaAdmin) Format(f fmt.State, _ rune) {
	o.mu.Lock()
	defer o.mu.Unlock()
	key := `""`
	if o.APIToken != "" {
		key = "[REDACTED]"
	}
	fmt.Fprintf(f, "revoketest.OktaAdmin{APIToken:%s users:%d clients:%d tokens:%d requests:%d}", key, len(o.users), len(o.clients), len(o.tokens), len(o.reqs))
}

// Requests returns every request received, oldest first.
func (o *OktaAdmin) Requests() []OktaAdminRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.reqs)
}

// OktaAdminFault is an Okta management-API error answer for FailNext and
// FailRevoke, e.g. OktaAdminFault(403, "E0000006", "You do not have
// permission to perform the requested action").
func OktaAdminFault(status int, code, summary string) Fault {
	body, _ := json.Marshal(oktaErrorBody(code, summary, "emulatorFault"))
	return Fault{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: string(body)}
}

func oktaErrorBody(code, summary, id string, causes ...string) map[string]any {
	cs := make([]map[string]string, 0, len(causes))
	for _, c := range causes {
		cs = append(cs, map[string]string{"errorSummary": c})
	}
	return map[string]any{"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": id, "errorCauses": cs}
}

// ServeHTTP implements http.Handler.
func (o *OktaAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form := ReadRequest(r)
	now := o.now()
	_, pattern := o.mux.Handler(r)
	defer func() {
		entry := OktaAdminRequest{
			RecordedRequest: RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status},
			At:              now, Bucket: pattern,
		}
		o.mu.Lock()
		o.reqs = append(o.reqs, entry)
		o.mu.Unlock()
	}()
	h := rec.Header()
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	o.mu.Lock()
	o.seq++
	h.Set("X-Okta-Request-Id", fmt.Sprintf("emu%08d", o.seq))
	o.mu.Unlock()
	if o.Faults.Serve(rec) {
		return
	}
	if pattern == "" {
		o.writeError(rec, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" (Endpoint)")
		return
	}
	if pattern == "POST "+OktaServiceTokenPath {
		o.mux.ServeHTTP(rec, r)
		return
	}
	if !o.rateLimit(h, pattern, now) {
		o.writeError(rec, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
		return
	}
	if status, code, summary := o.authorize(r, now); status != 0 {
		o.writeError(rec, status, code, summary)
		return
	}
	o.mux.ServeHTTP(rec, r)
}

// rateLimit counts the request in its bucket, sets the X-Rate-Limit-*
// headers and reports whether the request is within the limit.
func (o *OktaAdmin) rateLimit(h http.Header, bucket string, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	l, ok := o.limits[bucket]
	if !ok {
		l = oktaAdminLimit{limit: OktaAdminDefaultLimit, window: OktaAdminDefaultWindow}
	}
	b := o.buckets[bucket]
	if b == nil || !now.Before(b.reset) {
		// Okta's reset is whole epoch seconds: round the window's end up.
		end := now.Add(l.window)
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		b = &oktaAdminBucket{reset: end}
		o.buckets[bucket] = b
	}
	b.used++
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(l.limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(max(l.limit-b.used, 0)))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	return b.used <= l.limit
}

// authorize checks the credential and its scopes for r's operation.
func (o *OktaAdmin) authorize(r *http.Request, now time.Time) (int, string, string) {
	const invalid = "Invalid token provided"
	authz := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(authz, " ")
	switch {
	case strings.EqualFold(scheme, "SSWS"):
		if o.APIToken == "" || subtle.ConstantTimeCompare([]byte(cred), []byte(o.APIToken)) != 1 {
			return http.StatusUnauthorized, "E0000011", invalid
		}
		return 0, "", ""
	case strings.EqualFold(scheme, "Bearer"):
		o.mu.Lock()
		b, ok := o.bearers[cred]
		o.mu.Unlock()
		if !ok || (!b.expiry.IsZero() && !now.Before(b.expiry)) {
			return http.StatusUnauthorized, "E0000011", invalid
		}
		need := "okta.users."
		if strings.HasPrefix(r.URL.Path, "/api/v1/authorizationServers/") {
			need = "okta.authorizationServers."
		}
		ok = slices.Contains(b.scopes, need+"manage") || (r.Method == http.MethodGet && slices.Contains(b.scopes, need+"read"))
		if !ok {
			return http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action"
		}
		return 0, "", ""
	}
	return http.StatusUnauthorized, "E0000011", invalid
}

func (o *OktaAdmin) writeError(w http.ResponseWriter, status int, code, summary string, causes ...string) {
	o.mu.Lock()
	o.seq++
	id := fmt.Sprintf("oae%017d", o.seq)
	o.mu.Unlock()
	writeJSON(w, status, oktaErrorBody(code, summary, id, causes...))
}

func (o *OktaAdmin) notFound(w http.ResponseWriter, id, kind string) {
	o.writeError(w, http.StatusNotFound, "E0000007", fmt.Sprintf("Not found: Resource not found: %s (%s)", id, kind))
}

// linkBase is where Link headers and _links point.
func (o *OktaAdmin) linkBase(r *http.Request) string {
	if o.LinkBase != "" {
		return strings.TrimRight(o.LinkBase, "/")
	}
	return BaseURL(r)
}

// ---- lookups (callers hold no lock) ----

// checkUserClient answers 404 and reports false when the user or client is
// unknown.
func (o *OktaAdmin) checkUserClient(w http.ResponseWriter, userID, clientID string) bool {
	o.mu.Lock()
	userOK := o.users[userID]
	_, clientOK := o.clients[clientID]
	o.mu.Unlock()
	switch {
	case !userOK:
		o.notFound(w, userID, "User")
		return false
	case clientID != "" && !clientOK:
		o.notFound(w, clientID, "AppInstance")
		return false
	}
	return true
}

func (o *OktaAdmin) checkASClient(w http.ResponseWriter, asID, clientID string) bool {
	o.mu.Lock()
	asOK := o.authServers[asID]
	_, clientOK := o.clients[clientID]
	o.mu.Unlock()
	switch {
	case !asOK:
		o.notFound(w, asID, "AuthorizationServer")
		return false
	case clientID != "" && !clientOK:
		o.notFound(w, clientID, "AppInstance")
		return false
	}
	return true
}

// matching returns the tokens for which match is true, oldest first.
func (o *OktaAdmin) matching(match func(*oktaAdminToken) bool) []*oktaAdminToken {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*oktaAdminToken
	for _, t := range o.tokens {
		if match(t) {
			out = append(out, t)
		}
	}
	return out
}

func (o *OktaAdmin) active(t *oktaAdminToken) bool { return o.Store.Active(t.pair.RefreshToken) }

// ---- user level ----

func (o *OktaAdmin) listUserClients(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userId")
	if !o.checkUserClient(w, userID, "") {
		return
	}
	with := map[string]bool{}
	for _, t := range o.matching(func(t *oktaAdminToken) bool { return t.userID == userID }) {
		if o.active(t) {
			with[t.clientID] = true
		}
	}
	o.mu.Lock()
	for _, g := range o.grants {
		if g.userID == userID {
			with[g.clientID] = true
		}
	}
	order, names := slices.Clone(o.clientOrder), o.clients
	out := []map[string]any{}
	base := o.linkBase(r)
	for _, id := range order {
		if !with[id] {
			continue
		}
		userClient := base + "/api/v1/users/" + url.PathEscape(userID) + "/clients/" + url.PathEscape(id)
		out = append(out, map[string]any{
			"client_id": id, "client_name": names[id], "client_uri": nil, "logo_uri": nil,
			"_links": map[string]any{
				"grants": map[string]any{"href": userClient + "/grants"},
				"tokens": map[string]any{"href": userClient + "/tokens"},
			},
		})
	}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (o *OktaAdmin) listUserClientTokens(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	toks := o.matching(func(t *oktaAdminToken) bool { return t.userID == userID && t.clientID == clientID })
	o.writePage(w, r, toks, 20)
}

func (o *OktaAdmin) getUserClientToken(w http.ResponseWriter, r *http.Request) {
	userID, clientID, tokenID := r.PathValue("userId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.writeOne(w, r, o.matching(func(t *oktaAdminToken) bool {
		return t.id == tokenID && t.userID == userID && t.clientID == clientID
	}), tokenID)
}

func (o *OktaAdmin) revokeUserClientToken(w http.ResponseWriter, r *http.Request) {
	userID, clientID, tokenID := r.PathValue("userId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if o.failing(w, clientID) || !o.checkUserClient(w, userID, clientID) {
		return
	}
	toks := o.matching(func(t *oktaAdminToken) bool { return t.id == tokenID && t.userID == userID && t.clientID == clientID })
	if len(toks) == 0 {
		o.notFound(w, tokenID, "Token")
		return
	}
	o.revokeAll(w, toks)
}

func (o *OktaAdmin) revokeUserClientTokens(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if o.failing(w, clientID) || !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.revokeAll(w, o.matching(func(t *oktaAdminToken) bool { return t.userID == userID && t.clientID == clientID }))
}

func (o *OktaAdmin) revokeUserClientGrants(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.mu.Lock()
	o.grants = slices.DeleteFunc(o.grants, func(g oktaAdminGrant) bool { return g.userID == userID && g.clientID == clientID })
	o.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (o *OktaAdmin) revokeUserGrants(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userId")
	if !o.checkUserClient(w, userID, "") {
		return
	}
	o.mu.Lock()
	o.grants = slices.DeleteFunc(o.grants, func(g oktaAdminGrant) bool { return g.userID == userID })
	o.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (o *OktaAdmin) revokeUserSessions(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userId")
	if !o.checkUserClient(w, userID, "") {
		return
	}
	oauthTokens, ok1 := boolParam(r.URL.Query(), "oauthTokens", false)
	forget, ok2 := boolParam(r.URL.Query(), "forgetDevices", true)
	if !ok1 || !ok2 {
		o.writeError(w, http.StatusBadRequest, "E0000001", "Api validation failed: oauthTokens, forgetDevices", "oauthTokens and forgetDevices must be true or false")
		return
	}
	o.mu.Lock()
	o.sessions[userID] = 0
	if forget {
		o.forgot[userID] = true
	}
	o.mu.Unlock()
	if oauthTokens {
		o.Store.RevokeWhere(func(t TokenInfo) bool { return t.Subject == userID })
	}
	w.WriteHeader(http.StatusNoContent)
}

func boolParam(q url.Values, name string, dflt bool) (bool, bool) {
	v, ok := q[name]
	if !ok {
		return dflt, true
	}
	b, err := strconv.ParseBool(v[0])
	if err != nil || len(v) > 1 || (v[0] != "true" && v[0] != "false") {
		return false, false
	}
	return b, true
}

// ---- authorization-server level ----

func (o *OktaAdmin) listASClients(w http.ResponseWriter, r *http.Request) {
	asID := r.PathValue("authServerId")
	if !o.checkASClient(w, asID, "") {
		return
	}
	with := map[string]bool{}
	for _, t := range o.matching(func(t *oktaAdminToken) bool { return t.authServerID == asID }) {
		if o.active(t) {
			with[t.clientID] = true
		}
	}
	base := o.linkBase(r)
	o.mu.Lock()
	out := []map[string]any{}
	for _, id := range o.clientOrder {
		if !with[id] {
			continue
		}
		out = append(out, map[string]any{
			"client_id": id, "client_name": o.clients[id], "client_uri": nil, "logo_uri": nil,
			"_links": map[string]any{
				"client": map[string]any{"href": base + "/oauth2/v1/clients/" + url.PathEscape(id), "title": o.clients[id]},
				"tokens": map[string]any{"href": base + "/api/v1/authorizationServers/" + url.PathEscape(asID) + "/clients/" + url.PathEscape(id) + "/tokens",
					"hints": map[string]any{"allow": []string{"GET", "DELETE"}}},
			},
		})
	}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (o *OktaAdmin) listASClientTokens(w http.ResponseWriter, r *http.Request) {
	asID, clientID := r.PathValue("authServerId"), r.PathValue("clientId")
	if !o.checkASClient(w, asID, clientID) {
		return
	}
	toks := o.matching(func(t *oktaAdminToken) bool { return t.authServerID == asID && t.clientID == clientID })
	o.writePage(w, r, toks, -1)
}

func (o *OktaAdmin) getASClientToken(w http.ResponseWriter, r *http.Request) {
	asID, clientID, tokenID := r.PathValue("authServerId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if !o.checkASClient(w, asID, clientID) {
		return
	}
	o.writeOne(w, r, o.matching(func(t *oktaAdminToken) bool {
		return t.id == tokenID && t.authServerID == asID && t.clientID == clientID
	}), tokenID)
}

func (o *OktaAdmin) revokeASClientToken(w http.ResponseWriter, r *http.Request) {
	asID, clientID, tokenID := r.PathValue("authServerId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if o.failing(w, clientID) || !o.checkASClient(w, asID, clientID) {
		return
	}
	toks := o.matching(func(t *oktaAdminToken) bool {
		return t.id == tokenID && t.authServerID == asID && t.clientID == clientID
	})
	if len(toks) == 0 {
		o.notFound(w, tokenID, "Token")
		return
	}
	o.revokeAll(w, toks)
}

func (o *OktaAdmin) revokeASClientTokens(w http.ResponseWriter, r *http.Request) {
	asID, clientID := r.PathValue("authServerId"), r.PathValue("clientId")
	if o.failing(w, clientID) || !o.checkASClient(w, asID, clientID) {
		return
	}
	o.revokeAll(w, o.matching(func(t *oktaAdminToken) bool { return t.authServerID == asID && t.clientID == clientID }))
}

// ---- shared answers ----

// failing answers the injected fault for the client's revocations.
func (o *OktaAdmin) failing(w http.ResponseWriter, clientID string) bool {
	o.mu.Lock()
	f, ok := o.failRevoke[clientID]
	o.mu.Unlock()
	if !ok {
		return false
	}
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}

func (o *OktaAdmin) revokeAll(w http.ResponseWriter, toks []*oktaAdminToken) {
	for _, t := range toks {
		o.Store.Revoke(t.pair.RefreshToken, "")
	}
	w.WriteHeader(http.StatusNoContent)
}

func (o *OktaAdmin) writeOne(w http.ResponseWriter, r *http.Request, toks []*oktaAdminToken, tokenID string) {
	if len(toks) == 0 {
		o.notFound(w, tokenID, "Token")
		return
	}
	writeJSON(w, http.StatusOK, o.tokenJSON(r, toks[0], r.URL.Query().Get("expand") == "scope"))
}

// writePage answers one page of the active tokens in toks, with Okta's
// Link headers: rel="self" and, when more remain, rel="next" carrying the
// after cursor (the last token's ID). dflt is the page size without a
// limit parameter; -1 means all.
func (o *OktaAdmin) writePage(w http.ResponseWriter, r *http.Request, toks []*oktaAdminToken, dflt int) {
	q := r.URL.Query()
	limit := dflt
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			o.writeError(w, http.StatusBadRequest, "E0000001", "Api validation failed: limit", "limit must be an integer")
			return
		}
		limit = min(max(n, 1), 200) // Okta clamps an out-of-range limit
		if n == -1 && dflt == -1 {
			limit = -1
		}
	}
	start := 0
	if after := q.Get("after"); after != "" {
		i := slices.IndexFunc(toks, func(t *oktaAdminToken) bool { return t.id == after })
		if i < 0 {
			o.writeError(w, http.StatusBadRequest, "E0000001", "Api validation failed: after", "after is not a valid cursor")
			return
		}
		start = i + 1
	}
	var live []*oktaAdminToken
	for _, t := range toks[start:] {
		if o.active(t) {
			live = append(live, t)
		}
	}
	more := false
	if limit > 0 && len(live) > limit {
		live, more = live[:limit], true
	}
	self := o.linkBase(r) + r.URL.EscapedPath()
	selfURL := self
	if r.URL.RawQuery != "" {
		selfURL += "?" + r.URL.RawQuery
	}
	w.Header().Add("Link", "<"+selfURL+">; rel=\"self\"")
	if more {
		nq := url.Values{"after": {live[len(live)-1].id}}
		if limit > 0 && q.Get("limit") != "" {
			nq.Set("limit", strconv.Itoa(limit))
		}
		if e := q.Get("expand"); e != "" {
			nq.Set("expand", e)
		}
		w.Header().Add("Link", "<"+self+"?"+nq.Encode()+">; rel=\"next\"")
	}
	expand := q.Get("expand") == "scope"
	out := make([]map[string]any, 0, len(live))
	for _, t := range live {
		out = append(out, o.tokenJSON(r, t, expand))
	}
	writeJSON(w, http.StatusOK, out)
}

// tokenJSON renders the OAuth2RefreshToken schema.
func (o *OktaAdmin) tokenJSON(r *http.Request, t *oktaAdminToken, expand bool) map[string]any {
	base := o.linkBase(r)
	status := "ACTIVE"
	if !o.active(t) {
		status = "REVOKED"
	}
	o.mu.Lock()
	name := o.clients[t.clientID]
	o.mu.Unlock()
	as := base + "/api/v1/authorizationServers/" + url.PathEscape(t.authServerID)
	self := as + "/clients/" + url.PathEscape(t.clientID) + "/tokens/" + url.PathEscape(t.id)
	m := map[string]any{
		"id": t.id, "status": status,
		"created": t.created.Format(time.RFC3339), "lastUpdated": t.created.Format(time.RFC3339), "expiresAt": t.expiresAt.Format(time.RFC3339),
		"issuer": base + "/oauth2/" + t.authServerID, "clientId": t.clientID, "userId": t.userID, "scopes": t.scopes,
		"_links": map[string]any{
			"app":                 map[string]any{"href": base + "/api/v1/apps/" + url.PathEscape(t.clientID), "title": name},
			"self":                map[string]any{"href": self},
			"revoke":              map[string]any{"href": self, "hints": map[string]any{"allow": []string{"DELETE"}}},
			"client":              map[string]any{"href": base + "/oauth2/v1/clients/" + url.PathEscape(t.clientID), "title": name},
			"user":                map[string]any{"href": base + "/api/v1/users/" + url.PathEscape(t.userID)},
			"authorizationServer": map[string]any{"href": as, "title": t.authServerID},
		},
	}
	if expand {
		scopes := make([]map[string]any, 0, len(t.scopes))
		for _, s := range t.scopes {
			scopes = append(scopes, map[string]any{"id": "scp" + s, "name": s, "displayName": s, "description": "Scope " + s})
		}
		m["_embedded"] = map[string]any{"scopes": scopes}
	}
	return m
}

// ---- service apps ----

// serviceToken is the org authorization server's token endpoint for the
// client credentials grant with private_key_jwt (RFC 7523 §2.2).
func (o *OktaAdmin) serviceToken(w http.ResponseWriter, r *http.Request) {
	_, form := ReadRequest(r)
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	if form.Get("grant_type") != "client_credentials" {
		(&OAuthError{Status: 400, Code: "unsupported_grant_type", Description: "The authorization grant type is not supported by the authorization server."}).Write(w)
		return
	}
	if o.RequireDPoP && r.Header.Get("DPoP") == "" {
		(&OAuthError{Status: 400, Code: "invalid_dpop_proof", Description: "The DPoP proof JWT header is missing."}).Write(w)
		return
	}
	clientID, _, e := o.apps.Authenticate(r, form, []string{BaseURL(r) + OktaServiceTokenPath})
	if e != nil {
		e.Write(w)
		return
	}
	asked := strings.Fields(form.Get("scope"))
	o.mu.Lock()
	allowed := o.appScopes[clientID]
	o.mu.Unlock()
	var denied []string
	for _, s := range asked {
		if !slices.Contains(allowed, s) {
			denied = append(denied, s)
		}
	}
	if len(asked) == 0 || len(denied) > 0 {
		(&OAuthError{Status: 400, Code: "invalid_scope", Description: "The following scopes are not allowed: " + strings.Join(denied, " ")}).Write(w)
		return
	}
	tok := randToken("oat_")
	o.mu.Lock()
	o.bearers[tok] = oktaAdminBearer{scopes: asked, expiry: o.now().Add(time.Hour)}
	o.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"token_type": "Bearer", "expires_in": 3600, "access_token": tok, "scope": strings.Join(asked, " ")})
}
