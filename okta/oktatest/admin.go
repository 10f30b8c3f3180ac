package oktatest

import (
	"crypto"
	"crypto/subtle"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/internal/oktawire"
	"github.com/revokekit/revoke/revoketest"
)

// APIToken is the API token RegisterAdmin's fake accepts. It is a test
// value, printed nowhere by this package all the same.
const APIToken = "00fake-okta-api-token-0000000000000000"

// Okta management API paths served by Admin, as the OpenAPI spec writes
// them. "METHOD " + path is the fake's rate-limit bucket key, the same key
// oktaadmin.Admin's calls are paced by.
const (
	UserClientsPath      = oktawire.UserClientsPath
	UserClientTokensPath = oktawire.UserClientTokensPath
	UserClientTokenPath  = oktawire.UserClientTokenPath
	UserClientGrantsPath = oktawire.UserClientGrantsPath
	UserGrantsPath       = oktawire.UserGrantsPath
	UserSessionsPath     = oktawire.UserSessionsPath
	ASClientsPath        = oktawire.ASClientsPath
	ASClientTokensPath   = oktawire.ASClientTokensPath
	ASClientTokenPath    = oktawire.ASClientTokenPath
	UserPath             = oktawire.UserPath
	SessionPath          = oktawire.SessionPath
	// ServiceTokenPath is the org authorization server's token endpoint,
	// where service apps get access tokens for the management API.
	ServiceTokenPath = oktawire.OrgTokenPath
	// GlobalTokenRevocationPath is the org authorization server's Global
	// Token Revocation endpoint (Universal Logout).
	GlobalTokenRevocationPath = oktawire.GlobalTokenRevocationPath
)

// Okta's DPoP error descriptions: the first two are quoted by Okta's
// support article and DPoP guide, the htu one by okta/okta-sdk-python#541
// (a WWW-Authenticate challenge of the management API).
const (
	DescDPoPMissing = "The DPoP proof JWT header is missing."
	DescDPoPNonce   = "Authorization server requires nonce in DPoP proof."
	DescDPoPHTU     = "'htu' claim in the DPoP proof JWT is invalid."
	// DescDPoPKey and DescDPoPBound are the fake's own wording: Okta's is
	// not documented.
	DescDPoPKey   = "The DPoP proof JWT was not signed by the key the access token is bound to."
	DescDPoPBound = "The access token is DPoP-bound: present it with the DPoP scheme and a DPoP proof."
)

// Defaults of Admin.
const (
	// DefaultLimit is the per-bucket request limit of every bucket
	// without its own SetRateLimit.
	DefaultLimit = 600
	// DefaultWindow is the length of a rate-limit window.
	DefaultWindow = time.Minute
	// TokenTTL is the lifetime of issued refresh tokens.
	TokenTTL = 90 * 24 * time.Hour
)

// Admin fakes the token-management part of Okta's management API
// (tags UserOAuth, UserResources, UserGrant, UserSessions, User, Session and
// AuthorizationServerClients of the OpenAPI spec), Global Token Revocation
// and the service-app token endpoint, with state: users with logins,
// clients with names, authorization servers, refresh tokens with IDs,
// status, creation and expiry times and scopes, consent grants, sessions
// with IDs, and service apps that require DPoP.
//
//	GET    /api/v1/users/{id}                                          by ID or login
//	GET    /api/v1/users/{userId}/clients
//	GET    /api/v1/users/{userId}/clients/{clientId}/tokens            ?expand=scope&after=&limit=
//	DELETE /api/v1/users/{userId}/clients/{clientId}/tokens
//	GET    /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}  ?expand=scope
//	DELETE /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}
//	DELETE /api/v1/users/{userId}/clients/{clientId}/grants
//	DELETE /api/v1/users/{userId}/grants
//	DELETE /api/v1/users/{userId}/sessions                             ?oauthTokens=&forgetDevices=
//	DELETE /api/v1/sessions/{sessionId}
//	GET    /api/v1/authorizationServers/{authServerId}/clients
//	GET    /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens  ?expand=scope&after=&limit=
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens
//	GET    /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//	DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}
//	POST   /oauth2/v1/global-token-revocation  {"sub_id":{"format":"opaque","id":…}} or iss_sub
//	POST   /oauth2/v1/token   client credentials with private_key_jwt, for service apps
//
// Requests need "Authorization: SSWS <APIToken>", "Authorization: Bearer
// <token>" with a token from AddBearer or the token endpoint, or
// "Authorization: DPoP <token>" with a DPoP-bound token from the token
// endpoint and a DPoP proof; the token's scopes must cover the operation
// (okta.users.read/manage, okta.sessions.manage,
// okta.authorizationServers.read/manage, okta.universalLogout.manage);
// otherwise the answer is 401 E0000011 or 403 E0000006. Unknown users,
// clients, sessions, authorization servers and tokens are 404 E0000007.
// Every answer of the management API and of Global Token Revocation
// carries Date, X-Rate-Limit-Limit, X-Rate-Limit-Remaining and
// X-Rate-Limit-Reset for its bucket ("METHOD path-template"); a spent bucket
// answers 429 E0000047 until its window ends. Lists are paginated with
// Okta's opaque after cursor in Link rel="next" headers (limit default 20,
// at most 200).
//
// # DPoP
//
// Service apps require DPoP, as Okta's "Require Demonstrating Proof of
// Possession (DPoP) header in token requests" does for new API Services
// apps; SetServiceAppDPoP turns it off for one app. For such an app the
// token endpoint checks the DPoP proof strictly (revoketest.DPoP: typ,
// signature by the jwk, htm, htu, iat within a minute, a jti never seen,
// and the server's nonce) and answers Okta's 400s: invalid_dpop_proof with
// a description (DescDPoPMissing, DescDPoPHTU, …), or use_dpop_nonce
// (DescDPoPNonce) with a DPoP-Nonce header; it then issues a token bound to
// the proof key's thumbprint, token_type DPoP. The management API and
// Global Token Revocation take such a token only as "Authorization: DPoP"
// with a proof whose jwk has that thumbprint and whose ath is the token's
// hash, never seen before; anything else is 401 with WWW-Authenticate:
// DPoP error="invalid_dpop_proof" (or "invalid_token"),
// error_description="…" and no body. A Bearer presentation of a
// DPoP-bound token is refused the same way. As Okta's DPoP guide says, the
// management API does not ask for a nonce. An app without DPoP ignores an
// unsolicited proof and issues a Bearer token (okta/okta-sdk-golang#597).
//
// # Choices where Okta's documentation is silent
//
// The user's client list holds clients with an active token or a grant;
// token lists hold active tokens only, while GET of a revoked token shows
// status REVOKED; revoking grants does not revoke tokens; an authorization
// server's token list without a limit is one page; closing one session
// revokes no token; logins match without regard to case. Global Token
// Revocation of an unknown user is 404 E0000007 (Okta's spec lists only 400,
// 403 and 429; draft-parecki-oauth-global-token-revocation-06 §3.4.2 gives
// 404), a malformed body or a format other than opaque and iss_sub is 400
// with no body, as the spec shows; a known user's sessions end and every
// token issued to the user (access and refresh) is revoked.
//
// Refresh tokens live in Store (an access and refresh token pair per
// refresh token ID), so that a token revoked here is inactive at the Okta
// /revoke fake and the other way round when both share the Store. To
// combine them, set the Store before issuing tokens and hand the admin to
// the Okta fake, which serves /api/v1/ through it:
//
//	org := oktatest.New()
//	admin := oktatest.NewAdmin(apiToken)
//	admin.Store = org.Store
//	org.Admin = admin
//
// The exported fields are configuration: set them before serving requests.
// The methods are safe for concurrent use. Request bodies over
// revoketest.MaxRequestBytes are answered 413. Admin prints (fmt, slog,
// encoding/json) as a summary, never its API token or the tokens it holds.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/
// and https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
type Admin struct {
	// APIToken is the accepted API token; empty accepts none.
	APIToken string
	// Store holds the token values behind the refresh tokens.
	Store *revoketest.Store
	// Now is the fake's clock (nil: time.Now). It stamps the Date and
	// rate-limit headers, the windows, token times and the request log, so a
	// test can share a fake clock with the client.
	Now func() time.Time
	// Faults queues answers for the next requests, whatever their path.
	Faults *revoketest.Faults
	// LinkBase, when set, replaces the scheme and host of Link headers and
	// _links (default: where the request arrived), e.g. to check that a
	// client refuses to follow a link to another host.
	LinkBase string

	mux         *http.ServeMux
	mu          *sync.Mutex
	seq         int
	users       map[string]bool
	logins      map[string]string    // user ID → login
	idpSubjects map[[2]string]string // {iss, sub} → user ID
	clients     map[string]string    // client ID → name
	clientOrder []string
	authServers map[string]bool
	tokens      []*adminToken
	grants      []adminGrant
	sessions    map[string]string // session ID → user ID
	sessOrder   []string
	forgot      map[string]bool
	limits      map[string]adminLimit
	buckets     map[string]*adminBucket
	failRevoke  map[string]revoketest.Fault
	bearers     map[string]adminBearer
	apps        *revoketest.Clients
	appScopes   map[string][]string
	appNoDPoP   map[string]bool
	// asDPoP checks the token endpoint's proofs (nonce required), rsDPoP
	// those of the management API (no nonce, as Okta's guide says).
	asDPoP, rsDPoP *revoketest.DPoP
	reqs           []Request
}

type adminToken struct {
	id, userID, clientID, authServerID string
	scopes                             []string
	created, expiresAt                 time.Time
	pair                               revoketest.Pair
}

type adminGrant struct{ id, userID, clientID, scopeID string }

type adminLimit struct {
	limit  int
	window time.Duration
}

type adminBucket struct {
	used  int
	reset time.Time
}

type adminBearer struct {
	scopes []string
	expiry time.Time // zero: never
	jkt    string    // DPoP binding (RFC 9449 §6): "" for a Bearer token
}

// Token is a refresh token issued by the fake. It prints (fmt, slog,
// encoding/json) with its Pair redacted.
type Token struct {
	ID           string
	UserID       string
	ClientID     string
	AuthServerID string
	Scopes       []string
	Created      time.Time
	ExpiresAt    time.Time
	// Pair holds the token values in the fake's Store.
	Pair revoketest.Pair
}

// Request is one request the fake received. It prints (fmt, slog,
// encoding/json) without its headers, form or body, which carry credentials.
type Request struct {
	revoketest.RecordedRequest
	// At is the fake clock's time on arrival.
	At time.Time
	// Bucket is the matched route, "METHOD path-template", or "" if none.
	Bucket string
}

// NewAdmin returns a fake accepting apiToken, with the "default"
// custom authorization server and no users or clients.
func NewAdmin(apiToken string) *Admin {
	o := &Admin{
		APIToken:    apiToken,
		Store:       revoketest.NewStore(),
		users:       map[string]bool{},
		logins:      map[string]string{},
		idpSubjects: map[[2]string]string{},
		clients:     map[string]string{},
		authServers: map[string]bool{"default": true},
		sessions:    map[string]string{},
		forgot:      map[string]bool{},
		limits:      map[string]adminLimit{},
		buckets:     map[string]*adminBucket{},
		failRevoke:  map[string]revoketest.Fault{},
		bearers:     map[string]adminBearer{},
		appScopes:   map[string][]string{},
		appNoDPoP:   map[string]bool{},
		asDPoP:      revoketest.NewDPoP(),
		rsDPoP:      revoketest.NewDPoP(),
		mu:          &sync.Mutex{},
		Faults:      &revoketest.Faults{},
		apps:        &revoketest.Clients{},
	}
	mux := http.NewServeMux()
	routes := []struct {
		pattern string
		h       http.HandlerFunc
	}{
		{"GET " + UserClientsPath, o.listUserClients},
		{"GET " + UserClientTokensPath, o.listUserClientTokens},
		{"DELETE " + UserClientTokensPath, o.revokeUserClientTokens},
		{"GET " + UserClientTokenPath, o.getUserClientToken},
		{"DELETE " + UserClientTokenPath, o.revokeUserClientToken},
		{"DELETE " + UserClientGrantsPath, o.revokeUserClientGrants},
		{"DELETE " + UserGrantsPath, o.revokeUserGrants},
		{"DELETE " + UserSessionsPath, o.revokeUserSessions},
		{"GET " + UserPath, o.getUser},
		{"DELETE " + SessionPath, o.revokeSession},
		{"POST " + GlobalTokenRevocationPath, o.globalTokenRevocation},
		{"GET " + ASClientsPath, o.listASClients},
		{"GET " + ASClientTokensPath, o.listASClientTokens},
		{"DELETE " + ASClientTokensPath, o.revokeASClientTokens},
		{"GET " + ASClientTokenPath, o.getASClientToken},
		{"DELETE " + ASClientTokenPath, o.revokeASClientToken},
		{"POST " + ServiceTokenPath, o.serviceToken},
	}
	for _, rt := range routes {
		mux.HandleFunc(rt.pattern, rt.h)
	}
	o.mux = mux
	o.rsDPoP.RequireNonce = false
	return o
}

// RegisterAdmin starts a fake accepting APIToken and serves
// it for every request under baseURL on mt, e.g.
// RegisterAdmin(mt, "https://dev-123456.okta.com").
func RegisterAdmin(mt *httpmock.MockTransport, baseURL string) *Admin {
	o := NewAdmin(APIToken)
	o.Register(mt, baseURL)
	return o
}

// Register serves o for every request under baseURL on mt.
func (o *Admin) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, o)
}

func (o *Admin) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// AddUser registers a user.
func (o *Admin) AddUser(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users[id] = true
}

// SetUserLogin registers the user (if needed) with the given login, the
// name GET /api/v1/users/{login} finds the user by (in most orgs the email
// address).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser
func (o *Admin) SetUserLogin(userID, login string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users[userID] = true
	o.logins[userID] = login
}

// LinkIdPSubject registers the user (if needed) as the one a third-party
// identity provider iss knows as sub, so that Global Token Revocation with
// {"format":"iss_sub","iss":iss,"sub":sub} names the user.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/GlobalTokenRevocation/
func (o *Admin) LinkIdPSubject(userID, iss, sub string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.users[userID] = true
	o.idpSubjects[[2]string{iss, sub}] = userID
}

// AddClient registers a client (OAuth 2.0 app) with its display name.
func (o *Admin) AddClient(id, name string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.clients[id]; !ok {
		o.clientOrder = append(o.clientOrder, id)
	}
	o.clients[id] = name
}

// AddAuthServer registers a custom authorization server ("default" exists).
func (o *Admin) AddAuthServer(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.authServers[id] = true
}

// IssueRefreshToken issues an active refresh token (and its access token, in
// Store) from the "default" authorization server for the user and client,
// which must have been added.
func (o *Admin) IssueRefreshToken(userID, clientID string, scopes ...string) Token {
	return o.IssueRefreshTokenAt("default", userID, clientID, scopes...)
}

// IssueRefreshTokenAt is IssueRefreshToken from the given authorization
// server. It panics if the user, client or server is unknown: that is a
// mistake in the test's setup.
func (o *Admin) IssueRefreshTokenAt(authServerID, userID, clientID string, scopes ...string) Token {
	now := o.now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, client := o.clients[clientID]; !o.users[userID] || !client || !o.authServers[authServerID] {
		panic(fmt.Sprintf("oktatest: IssueRefreshTokenAt(%q, %q, %q): add the user, client and authorization server first", authServerID, userID, clientID))
	}
	o.seq++
	if len(scopes) == 0 {
		scopes = []string{"offline_access", "openid"}
	}
	created := now.UTC().Truncate(time.Second)
	t := &adminToken{id: fmt.Sprintf("oar%017d", o.seq), userID: userID, clientID: clientID, authServerID: authServerID,
		scopes: slices.Clone(scopes), created: created, expiresAt: created.Add(TokenTTL),
		pair: o.Store.Issue(clientID, userID)} // Store has its own lock, never taken before o.mu
	o.tokens = append(o.tokens, t)
	return t.export()
}

func (t *adminToken) export() Token {
	return Token{ID: t.id, UserID: t.userID, ClientID: t.clientID, AuthServerID: t.authServerID,
		Scopes: slices.Clone(t.scopes), Created: t.created, ExpiresAt: t.expiresAt, Pair: t.pair}
}

// Token returns the refresh token with the given ID.
func (o *Admin) Token(id string) (Token, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, t := range o.tokens {
		if t.id == id {
			return t.export(), true
		}
	}
	return Token{}, false
}

// Active reports whether the refresh token with the given ID is active.
func (o *Admin) Active(id string) bool {
	t, ok := o.Token(id)
	return ok && o.Store.Active(t.Pair.RefreshToken)
}

// Tokens returns the user's refresh tokens for the client ("" for all
// clients), active or not, oldest first.
func (o *Admin) Tokens(userID, clientID string) []Token {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Token
	for _, t := range o.tokens {
		if t.userID == userID && (clientID == "" || t.clientID == clientID) {
			out = append(out, t.export())
		}
	}
	return out
}

// AddGrant records a consent grant of scopeID by the user to the client and
// returns its ID.
func (o *Admin) AddGrant(userID, clientID, scopeID string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	g := adminGrant{id: fmt.Sprintf("oag%017d", o.seq), userID: userID, clientID: clientID, scopeID: scopeID}
	o.grants = append(o.grants, g)
	return g.id
}

// Grants counts the user's grants to the client ("" for all clients).
func (o *Admin) Grants(userID, clientID string) int {
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

// AddSession opens an Okta session for the user (registering the user if
// needed) and returns its ID (as Okta's look: "102" and 22 more
// characters), which DELETE /api/v1/sessions/{sessionId} closes.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Session/
func (o *Admin) AddSession(userID string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.seq++
	id := fmt.Sprintf("102fakeSession%011d", o.seq)
	o.users[userID] = true
	o.sessions[id] = userID
	o.sessOrder = append(o.sessOrder, id)
	return id
}

// Sessions counts the user's open sessions.
func (o *Admin) Sessions(userID string) int {
	return len(o.SessionIDs(userID))
}

// SessionIDs returns the IDs of the user's open sessions, oldest first.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Session/
func (o *Admin) SessionIDs(userID string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for _, id := range o.sessOrder {
		if o.sessions[id] == userID {
			out = append(out, id)
		}
	}
	return out
}

// endSessions closes every session of the user; the caller holds o.mu.
func (o *Admin) endSessions(userID string) {
	for id, u := range o.sessions {
		if u == userID {
			delete(o.sessions, id)
		}
	}
	o.sessOrder = slices.DeleteFunc(o.sessOrder, func(id string) bool { _, open := o.sessions[id]; return !open })
}

// DevicesForgotten reports whether a session clear with forgetDevices (true,
// or absent: Okta's Identity Engine default) ran for the user.
func (o *Admin) DevicesForgotten(userID string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.forgot[userID]
}

// FailRevoke makes every request that revokes the client's tokens (DELETE
// on .../clients/{clientId}/tokens or .../tokens/{tokenId}, user or
// authorization-server level) answer f, until FailRevoke is called again
// with a zero Fault. The tokens stay active.
func (o *Admin) FailRevoke(clientID string, f revoketest.Fault) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if f.Status == 0 {
		delete(o.failRevoke, clientID)
		return
	}
	o.failRevoke[clientID] = f
}

// FailNext makes the next n requests, whatever their path, answer f.
func (o *Admin) FailNext(n int, f revoketest.Fault) { o.Faults.FailNext(n, f) }

// SetRateLimit sets the request limit and window of one bucket, keyed
// "METHOD path-template", e.g. "GET "+UserClientsPath. A window of 0
// means DefaultWindow.
func (o *Admin) SetRateLimit(bucket string, limit int, window time.Duration) {
	if window <= 0 {
		window = DefaultWindow
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.limits[bucket] = adminLimit{limit: limit, window: window}
}

// AddBearer accepts an OAuth 2.0 access token with the given Okta scopes,
// as if a service app had obtained it.
func (o *Admin) AddBearer(token string, scopes ...string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.bearers[token] = adminBearer{scopes: slices.Clone(scopes)}
}

// AddServiceApp registers an API Services app that gets access tokens at
// the token endpoint with the client credentials grant and a private_key_jwt
// assertion signed by the private half of key, for at most the given scopes.
// Like a new app in Okta, it requires DPoP: its token requests need a DPoP
// proof and it gets DPoP-bound tokens. SetServiceAppDPoP turns that off.
func (o *Admin) AddServiceApp(clientID string, key crypto.PublicKey, scopes ...string) {
	o.apps.Add(revoketest.Client{ID: clientID, PublicKey: key, Method: "private_key_jwt"})
	o.mu.Lock()
	defer o.mu.Unlock()
	o.appScopes[clientID] = slices.Clone(scopes)
	delete(o.appNoDPoP, clientID)
}

// SetServiceAppDPoP sets the app's "Require Demonstrating Proof of
// Possession (DPoP) header in token requests" (on by default). Off, the app
// gets Bearer tokens and ignores a DPoP proof if one is sent, as
// okta/okta-sdk-golang#597 reports Okta does.
//
// Okta reference: https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/
func (o *Admin) SetServiceAppDPoP(clientID string, required bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if required {
		delete(o.appNoDPoP, clientID)
	} else {
		o.appNoDPoP[clientID] = true
	}
}

// DPoPNonce returns the nonce the token endpoint currently demands in DPoP
// proofs (RFC 9449 §8), the value of its DPoP-Nonce header.
func (o *Admin) DPoPNonce() string { return o.asDPoP.Nonce() }

// RotateDPoPNonce makes the token endpoint demand a new nonce, as Okta does
// every 24 hours (RFC 9449 §8.1; Okta's DPoP guide,
// https://developer.okta.com/docs/guides/dpop/oktaresourceserver/main/).
// The fake stops accepting the old one at once.
func (o *Admin) RotateDPoPNonce() { o.asDPoP.RotateNonce() }

// Format implements fmt.Formatter: the fake prints its size, never its
// API token or the tokens it holds.
func (o Admin) Format(f fmt.State, _ rune) {
	users, clients, tokens, reqs := o.sizes()
	fmt.Fprintf(f, "oktatest.Admin{APIToken:%s users:%d clients:%d tokens:%d requests:%d}", redactIfSet(o.APIToken), users, clients, tokens, reqs)
}

// LogValue implements slog.LogValuer with the same summary.
func (o Admin) LogValue() slog.Value {
	users, clients, tokens, reqs := o.sizes()
	return slog.GroupValue(slog.String("api_token", redactIfSet(o.APIToken)), slog.Int("users", users), slog.Int("clients", clients),
		slog.Int("tokens", tokens), slog.Int("requests", reqs))
}

// MarshalJSON implements json.Marshaler with the same summary.
func (o Admin) MarshalJSON() ([]byte, error) {
	users, clients, tokens, reqs := o.sizes()
	return json.Marshal(map[string]any{"api_token": redactIfSet(o.APIToken), "users": users, "clients": clients, "tokens": tokens, "requests": reqs})
}

func (o Admin) sizes() (users, clients, tokens, reqs int) {
	if o.mu == nil {
		return 0, 0, 0, 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.users), len(o.clients), len(o.tokens), len(o.reqs)
}

func redactIfSet(s string) string {
	if s == "" {
		return `""`
	}
	return revoke.Redacted
}

// Format implements fmt.Formatter: the token's metadata, with the values of
// its Pair redacted.
func (t Token) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "oktatest.Token{ID:%q UserID:%q ClientID:%q AuthServerID:%q Scopes:%q Created:%s ExpiresAt:%s Pair:%s}",
		t.ID, t.UserID, t.ClientID, t.AuthServerID, t.Scopes, t.Created.Format(time.RFC3339), t.ExpiresAt.Format(time.RFC3339), pairShown(t.Pair))
}

// LogValue implements slog.LogValuer without the token values.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", t.ID), slog.String("user_id", t.UserID), slog.String("client_id", t.ClientID),
		slog.String("auth_server_id", t.AuthServerID))
}

// MarshalJSON implements json.Marshaler without the token values.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID           string    `json:"id"`
		UserID       string    `json:"userId"`
		ClientID     string    `json:"clientId"`
		AuthServerID string    `json:"authServerId"`
		Scopes       []string  `json:"scopes"`
		Created      time.Time `json:"created"`
		ExpiresAt    time.Time `json:"expiresAt"`
	}{t.ID, t.UserID, t.ClientID, t.AuthServerID, t.Scopes, t.Created, t.ExpiresAt})
}

func pairShown(p revoketest.Pair) string {
	return "{AccessToken:" + redactIfSet(p.AccessToken) + " RefreshToken:" + redactIfSet(p.RefreshToken) + "}"
}

// Format implements fmt.Formatter: method, path, bucket, status and time,
// never the headers, form or body.
func (r Request) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "oktatest.Request{Method:%q Path:%q Bucket:%q Status:%d At:%s}", r.Method, r.Path, r.Bucket, r.Status, r.At.Format(time.RFC3339Nano))
}

// LogValue implements slog.LogValuer without credentials.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(slog.String("method", r.Method), slog.String("path", r.Path), slog.String("bucket", r.Bucket), slog.Int("status", r.Status))
}

// MarshalJSON implements json.Marshaler without credentials.
func (r Request) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Method string    `json:"method"`
		Path   string    `json:"path"`
		Bucket string    `json:"bucket"`
		Status int       `json:"status"`
		At     time.Time `json:"at"`
	}{r.Method, r.Path, r.Bucket, r.Status, r.At})
}

// Requests returns every request received, oldest first.
func (o *Admin) Requests() []Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.reqs)
}

// Fault is an Okta management-API error answer for FailNext and
// FailRevoke, e.g. Fault(403, "E0000006", "You do not have
// permission to perform the requested action").
func Fault(status int, code, summary string) revoketest.Fault {
	body, _ := json.Marshal(errorBody(code, summary, "fakeFault"))
	return revoketest.Fault{Status: status, Header: http.Header{"Content-Type": {"application/json"}}, Body: string(body)}
}

func errorBody(code, summary, id string, causes ...string) map[string]any {
	cs := make([]map[string]string, 0, len(causes))
	for _, c := range causes {
		cs = append(cs, map[string]string{"errorSummary": c})
	}
	return map[string]any{"errorCode": code, "errorSummary": summary, "errorLink": code, "errorId": id, "errorCauses": cs}
}

// ServeHTTP implements http.Handler.
func (o *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form, readOK := revoketest.ReadRequest(rec, r)
	now := o.now()
	_, pattern := o.mux.Handler(r)
	defer func() {
		entry := Request{
			RecordedRequest: revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status},
			At:              now, Bucket: pattern,
		}
		o.mu.Lock()
		o.reqs = append(o.reqs, entry)
		o.mu.Unlock()
	}()
	if !readOK {
		return
	}
	h := rec.Header()
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	o.mu.Lock()
	o.seq++
	h.Set(oktawire.HeaderRequestID, fmt.Sprintf("emu%08d", o.seq))
	o.mu.Unlock()
	if o.Faults.Serve(rec) {
		return
	}
	if pattern == "" {
		o.writeError(rec, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.URL.Path+" (Endpoint)")
		return
	}
	if pattern == "POST "+ServiceTokenPath {
		o.mux.ServeHTTP(rec, r)
		return
	}
	if !o.rateLimit(h, pattern, now) {
		o.writeError(rec, http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
		return
	}
	if f := o.authorize(r, pattern, now); f != nil {
		if f.challenge != "" {
			rec.Header().Set("WWW-Authenticate", f.challenge)
		}
		if f.code == "" {
			rec.WriteHeader(f.status)
			return
		}
		o.writeError(rec, f.status, f.code, f.summary)
		return
	}
	o.mux.ServeHTTP(rec, r)
}

// authFailure is a refused credential: an Okta error body (code, summary),
// or, for a DPoP refusal, only a WWW-Authenticate challenge.
type authFailure struct {
	status        int
	code, summary string
	challenge     string
}

// dpopRefusal is a 401 with a DPoP challenge (RFC 9449 §7.1) and no body.
func dpopRefusal(code, desc string) *authFailure {
	return &authFailure{status: http.StatusUnauthorized, challenge: `DPoP error="` + code + `", error_description="` + desc + `"`}
}

// oktaDPoPError words a refused proof as Okta does, where known.
func oktaDPoPError(e *revoketest.DPoPError) (code, desc string) {
	switch {
	case e.Code == "use_dpop_nonce":
		return e.Code, DescDPoPNonce
	case strings.HasPrefix(e.Description, "DPoP proof is missing"):
		return e.Code, DescDPoPMissing
	case strings.HasPrefix(e.Description, "htu "):
		return e.Code, DescDPoPHTU
	}
	return e.Code, e.Description
}

// dpopView is r as the DPoP checker must see it: a request that reached the
// fake over https, or through an httpmock transport for an https URL, has
// an https htu.
func dpopView(r *http.Request) *http.Request {
	if r.TLS != nil || !strings.HasPrefix(revoketest.BaseURL(r), "https://") {
		return r
	}
	v := r.WithContext(r.Context())
	v.TLS = &tls.ConnectionState{}
	return v
}

// scopesFor returns the scope that allows every method of pattern's
// operation and the one that allows GET.
func scopesFor(pattern string) (manage, read string) {
	_, path, _ := strings.Cut(pattern, " ")
	switch {
	case path == GlobalTokenRevocationPath:
		return "okta.universalLogout.manage", ""
	case strings.HasPrefix(path, "/api/v1/authorizationServers/"):
		return "okta.authorizationServers.manage", "okta.authorizationServers.read"
	case strings.HasPrefix(path, "/api/v1/sessions/"):
		return "okta.sessions.manage", "okta.sessions.read"
	}
	return "okta.users.manage", "okta.users.read"
}

// rateLimit counts the request in its bucket, sets the X-Rate-Limit-*
// headers and reports whether the request is within the limit.
func (o *Admin) rateLimit(h http.Header, bucket string, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	l, ok := o.limits[bucket]
	if !ok {
		l = adminLimit{limit: DefaultLimit, window: DefaultWindow}
	}
	b := o.buckets[bucket]
	if b == nil || !now.Before(b.reset) {
		// Okta's reset is whole epoch seconds: round the window's end up.
		end := now.Add(l.window)
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		b = &adminBucket{reset: end}
		o.buckets[bucket] = b
	}
	b.used++
	h.Set(oktawire.HeaderLimit, strconv.Itoa(l.limit))
	h.Set(oktawire.HeaderRemaining, strconv.Itoa(max(l.limit-b.used, 0)))
	h.Set(oktawire.HeaderReset, strconv.FormatInt(b.reset.Unix(), 10))
	return b.used <= l.limit
}

// authorize checks the credential, its DPoP proof and its scopes for r's
// operation (pattern).
func (o *Admin) authorize(r *http.Request, pattern string, now time.Time) *authFailure {
	const invalid = "Invalid token provided"
	invalidToken := &authFailure{status: http.StatusUnauthorized, code: "E0000011", summary: invalid}
	vals := r.Header.Values("Authorization")
	if len(vals) != 1 {
		return invalidToken
	}
	scheme, cred, _ := strings.Cut(vals[0], " ")
	var b adminBearer
	switch {
	case strings.EqualFold(scheme, "SSWS"):
		if o.APIToken == "" || subtle.ConstantTimeCompare([]byte(cred), []byte(o.APIToken)) != 1 {
			return invalidToken
		}
		return nil
	case strings.EqualFold(scheme, "Bearer"), strings.EqualFold(scheme, "DPoP"):
		o.mu.Lock()
		bb, ok := o.bearers[cred]
		o.mu.Unlock()
		if !ok || (!bb.expiry.IsZero() && !now.Before(bb.expiry)) {
			invalidToken.challenge = scheme + ` error="invalid_token", error_description="The access token is invalid."`
			return invalidToken
		}
		b = bb
	default:
		return invalidToken
	}
	switch dpop := strings.EqualFold(scheme, "DPoP"); {
	case b.jkt != "" && !dpop:
		// RFC 9449 §7.2: a DPoP-bound token is never accepted as a bearer
		// token.
		return dpopRefusal("invalid_token", DescDPoPBound)
	case b.jkt == "" && dpop:
		return dpopRefusal("invalid_token", "The access token is not DPoP-bound: present it with the Bearer scheme.")
	case dpop:
		if r.Header.Get("DPoP") == "" {
			return dpopRefusal("invalid_dpop_proof", DescDPoPMissing)
		}
		jkt, e := o.rsDPoP.Check(dpopView(r), cred)
		if e != nil {
			return dpopRefusal(oktaDPoPError(e))
		}
		if jkt != b.jkt {
			return dpopRefusal("invalid_dpop_proof", DescDPoPKey)
		}
	}
	manage, read := scopesFor(pattern)
	if !slices.Contains(b.scopes, manage) && (read == "" || r.Method != http.MethodGet || !slices.Contains(b.scopes, read)) {
		return &authFailure{status: http.StatusForbidden, code: "E0000006", summary: "You do not have permission to perform the requested action"}
	}
	return nil
}

func (o *Admin) writeError(w http.ResponseWriter, status int, code, summary string, causes ...string) {
	o.mu.Lock()
	o.seq++
	id := fmt.Sprintf("oae%017d", o.seq)
	o.mu.Unlock()
	writeJSON(w, status, errorBody(code, summary, id, causes...))
}

func (o *Admin) notFound(w http.ResponseWriter, id, kind string) {
	o.writeError(w, http.StatusNotFound, "E0000007", fmt.Sprintf("Not found: Resource not found: %s (%s)", id, kind))
}

// linkBase is where Link headers and _links point.
func (o *Admin) linkBase(r *http.Request) string {
	if o.LinkBase != "" {
		return strings.TrimRight(o.LinkBase, "/")
	}
	return revoketest.BaseURL(r)
}

// ---- lookups (callers hold no lock) ----

// checkUserClient answers 404 and reports false when the user or client is
// unknown.
func (o *Admin) checkUserClient(w http.ResponseWriter, userID, clientID string) bool {
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

func (o *Admin) checkASClient(w http.ResponseWriter, asID, clientID string) bool {
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
func (o *Admin) matching(match func(*adminToken) bool) []*adminToken {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*adminToken
	for _, t := range o.tokens {
		if match(t) {
			out = append(out, t)
		}
	}
	return out
}

func (o *Admin) active(t *adminToken) bool { return o.Store.Active(t.pair.RefreshToken) }

// ---- user level ----

func (o *Admin) listUserClients(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userId")
	if !o.checkUserClient(w, userID, "") {
		return
	}
	with := map[string]bool{}
	for _, t := range o.matching(func(t *adminToken) bool { return t.userID == userID }) {
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

func (o *Admin) listUserClientTokens(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	toks := o.matching(func(t *adminToken) bool { return t.userID == userID && t.clientID == clientID })
	o.writePage(w, r, toks, 20)
}

func (o *Admin) getUserClientToken(w http.ResponseWriter, r *http.Request) {
	userID, clientID, tokenID := r.PathValue("userId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.writeOne(w, r, o.matching(func(t *adminToken) bool {
		return t.id == tokenID && t.userID == userID && t.clientID == clientID
	}), tokenID)
}

func (o *Admin) revokeUserClientToken(w http.ResponseWriter, r *http.Request) {
	userID, clientID, tokenID := r.PathValue("userId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if o.failing(w, clientID) || !o.checkUserClient(w, userID, clientID) {
		return
	}
	toks := o.matching(func(t *adminToken) bool { return t.id == tokenID && t.userID == userID && t.clientID == clientID })
	if len(toks) == 0 {
		o.notFound(w, tokenID, "Token")
		return
	}
	o.revokeAll(w, toks)
}

func (o *Admin) revokeUserClientTokens(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if o.failing(w, clientID) || !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.revokeAll(w, o.matching(func(t *adminToken) bool { return t.userID == userID && t.clientID == clientID }))
}

func (o *Admin) revokeUserClientGrants(w http.ResponseWriter, r *http.Request) {
	userID, clientID := r.PathValue("userId"), r.PathValue("clientId")
	if !o.checkUserClient(w, userID, clientID) {
		return
	}
	o.mu.Lock()
	o.grants = slices.DeleteFunc(o.grants, func(g adminGrant) bool { return g.userID == userID && g.clientID == clientID })
	o.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (o *Admin) revokeUserGrants(w http.ResponseWriter, r *http.Request) {
	userID := r.PathValue("userId")
	if !o.checkUserClient(w, userID, "") {
		return
	}
	o.mu.Lock()
	o.grants = slices.DeleteFunc(o.grants, func(g adminGrant) bool { return g.userID == userID })
	o.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (o *Admin) revokeUserSessions(w http.ResponseWriter, r *http.Request) {
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
	o.endSessions(userID)
	if forget {
		o.forgot[userID] = true
	}
	o.mu.Unlock()
	if oauthTokens {
		o.Store.RevokeWhere(func(t revoketest.TokenInfo) bool { return t.Subject == userID })
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

func (o *Admin) listASClients(w http.ResponseWriter, r *http.Request) {
	asID := r.PathValue("authServerId")
	if !o.checkASClient(w, asID, "") {
		return
	}
	with := map[string]bool{}
	for _, t := range o.matching(func(t *adminToken) bool { return t.authServerID == asID }) {
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

func (o *Admin) listASClientTokens(w http.ResponseWriter, r *http.Request) {
	asID, clientID := r.PathValue("authServerId"), r.PathValue("clientId")
	if !o.checkASClient(w, asID, clientID) {
		return
	}
	toks := o.matching(func(t *adminToken) bool { return t.authServerID == asID && t.clientID == clientID })
	o.writePage(w, r, toks, -1)
}

func (o *Admin) getASClientToken(w http.ResponseWriter, r *http.Request) {
	asID, clientID, tokenID := r.PathValue("authServerId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if !o.checkASClient(w, asID, clientID) {
		return
	}
	o.writeOne(w, r, o.matching(func(t *adminToken) bool {
		return t.id == tokenID && t.authServerID == asID && t.clientID == clientID
	}), tokenID)
}

func (o *Admin) revokeASClientToken(w http.ResponseWriter, r *http.Request) {
	asID, clientID, tokenID := r.PathValue("authServerId"), r.PathValue("clientId"), r.PathValue("tokenId")
	if o.failing(w, clientID) || !o.checkASClient(w, asID, clientID) {
		return
	}
	toks := o.matching(func(t *adminToken) bool {
		return t.id == tokenID && t.authServerID == asID && t.clientID == clientID
	})
	if len(toks) == 0 {
		o.notFound(w, tokenID, "Token")
		return
	}
	o.revokeAll(w, toks)
}

func (o *Admin) revokeASClientTokens(w http.ResponseWriter, r *http.Request) {
	asID, clientID := r.PathValue("authServerId"), r.PathValue("clientId")
	if o.failing(w, clientID) || !o.checkASClient(w, asID, clientID) {
		return
	}
	o.revokeAll(w, o.matching(func(t *adminToken) bool { return t.authServerID == asID && t.clientID == clientID }))
}

// ---- shared answers ----

// failing answers the injected fault for the client's revocations.
func (o *Admin) failing(w http.ResponseWriter, clientID string) bool {
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

func (o *Admin) revokeAll(w http.ResponseWriter, toks []*adminToken) {
	for _, t := range toks {
		o.Store.Revoke(t.pair.RefreshToken, "")
	}
	w.WriteHeader(http.StatusNoContent)
}

func (o *Admin) writeOne(w http.ResponseWriter, r *http.Request, toks []*adminToken, tokenID string) {
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
func (o *Admin) writePage(w http.ResponseWriter, r *http.Request, toks []*adminToken, dflt int) {
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
		i := slices.IndexFunc(toks, func(t *adminToken) bool { return t.id == after })
		if i < 0 {
			o.writeError(w, http.StatusBadRequest, "E0000001", "Api validation failed: after", "after is not a valid cursor")
			return
		}
		start = i + 1
	}
	var live []*adminToken
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
func (o *Admin) tokenJSON(r *http.Request, t *adminToken, expand bool) map[string]any {
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
func (o *Admin) serviceToken(w http.ResponseWriter, r *http.Request) {
	_, form, readOK := revoketest.ReadRequest(w, r)
	if !readOK {
		return
	}
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	if form.Get("grant_type") != "client_credentials" {
		(&revoketest.OAuthError{Status: 400, Code: "unsupported_grant_type", Description: "The authorization grant type is not supported by the authorization server."}).Write(w)
		return
	}
	clientID, _, e := o.apps.Authenticate(r, form, []string{revoketest.BaseURL(r) + ServiceTokenPath})
	if e != nil {
		e.Write(w)
		return
	}
	o.mu.Lock()
	allowed := o.appScopes[clientID]
	requireDPoP := !o.appNoDPoP[clientID]
	o.mu.Unlock()
	jkt := ""
	if requireDPoP {
		if r.Header.Get("DPoP") == "" {
			(&revoketest.OAuthError{Status: 400, Code: "invalid_dpop_proof", Description: DescDPoPMissing}).Write(w)
			return
		}
		var de *revoketest.DPoPError
		if jkt, de = o.asDPoP.Check(dpopView(r), ""); de != nil {
			code, desc := oktaDPoPError(de)
			o.asDPoP.WriteAS(w, &revoketest.DPoPError{Code: code, Description: desc})
			return
		}
	}
	asked := strings.Fields(form.Get("scope"))
	var denied []string
	for _, s := range asked {
		if !slices.Contains(allowed, s) {
			denied = append(denied, s)
		}
	}
	if len(asked) == 0 || len(denied) > 0 {
		(&revoketest.OAuthError{Status: 400, Code: "invalid_scope", Description: "The following scopes are not allowed: " + strings.Join(denied, " ")}).Write(w)
		return
	}
	tok := randToken("oat_")
	o.mu.Lock()
	o.bearers[tok] = adminBearer{scopes: asked, expiry: o.now().Add(time.Hour), jkt: jkt}
	o.mu.Unlock()
	typ := "Bearer"
	if jkt != "" {
		typ = "DPoP"
	}
	writeJSON(w, http.StatusOK, map[string]any{"token_type": typ, "expires_in": 3600, "access_token": tok, "scope": strings.Join(asked, " ")})
}

// ---- users, sessions, Global Token Revocation ----

// lookupUser finds a user by ID or login (case-insensitive).
func (o *Admin) lookupUser(idOrLogin string) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.users[idOrLogin] {
		return idOrLogin, true
	}
	for id, login := range o.logins {
		if strings.EqualFold(login, idOrLogin) {
			return id, true
		}
	}
	return "", false
}

// getUser answers GET /api/v1/users/{id}: the User schema, in part.
func (o *Admin) getUser(w http.ResponseWriter, r *http.Request) {
	id, ok := o.lookupUser(r.PathValue("id"))
	if !ok {
		o.notFound(w, r.PathValue("id"), "User")
		return
	}
	o.mu.Lock()
	login := o.logins[id]
	o.mu.Unlock()
	profile := map[string]any{"login": login}
	if strings.Contains(login, "@") {
		profile["email"] = login
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "status": "ACTIVE", "profile": profile,
		"_links": map[string]any{"self": map[string]any{"href": o.linkBase(r) + "/api/v1/users/" + url.PathEscape(id)}},
	})
}

// revokeSession answers DELETE /api/v1/sessions/{sessionId}.
func (o *Admin) revokeSession(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("sessionId")
	o.mu.Lock()
	_, open := o.sessions[id]
	if open {
		delete(o.sessions, id)
		o.sessOrder = slices.DeleteFunc(o.sessOrder, func(s string) bool { return s == id })
	}
	o.mu.Unlock()
	if !open {
		o.notFound(w, id, "Session")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// globalTokenRevocation answers POST /oauth2/v1/global-token-revocation:
// it ends the user's sessions and revokes every token issued to the user.
func (o *Admin) globalTokenRevocation(w http.ResponseWriter, r *http.Request) {
	badRequest := func() { w.WriteHeader(http.StatusBadRequest) } // the spec's 400 has no content
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		badRequest()
		return
	}
	var body struct {
		SubID *struct {
			Format string `json:"format"`
			ID     string `json:"id"`
			Iss    string `json:"iss"`
			Sub    string `json:"sub"`
		} `json:"sub_id"`
	}
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil || body.SubID == nil {
		badRequest()
		return
	}
	var userID, named string
	var ok bool
	switch sid := body.SubID; sid.Format {
	case "opaque":
		if sid.ID == "" {
			badRequest()
			return
		}
		named = sid.ID
		o.mu.Lock()
		ok = o.users[sid.ID]
		o.mu.Unlock()
		userID = sid.ID
	case "iss_sub":
		if sid.Iss == "" || sid.Sub == "" {
			badRequest()
			return
		}
		named = sid.Sub
		o.mu.Lock()
		userID, ok = o.idpSubjects[[2]string{sid.Iss, sid.Sub}]
		o.mu.Unlock()
	default:
		badRequest()
		return
	}
	if !ok {
		o.notFound(w, named, "User")
		return
	}
	o.mu.Lock()
	o.endSessions(userID)
	o.mu.Unlock()
	o.Store.RevokeWhere(func(t revoketest.TokenInfo) bool { return t.Subject == userID })
	w.WriteHeader(http.StatusNoContent)
}

// checkForm enforces the form rules of the token endpoint (RFC 6749 §3.2):
// POST, form-encoded, no parameter twice.
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
