// Package oktatest is a fake Okta org for tests and demos, in the manner of
// net/http/httptest: real HTTP handlers with token state, beside the
// packages they fake. Server serves Okta's OAuth 2.0 revocation,
// introspection and discovery endpoints (package okta's side); Admin
// serves the token-management part of the management API, users,
// sessions, Global Token Revocation and the service-app token endpoint,
// with DPoP required as Okta requires it of new service apps (package
// okta/oktaadmin's side).
// Both answer with the exact bodies and headers of Okta's specs, refuse
// what Okta refuses, and are built on the shared core of package revoketest
// (token Store, Clients, Faults, request Log, DPoP). Signer is the other
// direction: Okta calling an application's Universal Logout (Global Token
// Revocation) and Back-Channel Logout endpoints with signed JWTs.
//
// Serve one with httptest.NewServer, or register it on an
// *httpmock.MockTransport with Register / RegisterAdmin:
//
//	mt := httpmock.NewMockTransport()
//	fake := oktatest.Register(mt, "https://dev-123.okta.com")
//	fake.AddClient(revoketest.Client{ID: "0oa1example", Secret: "s3cret-value"})
//	pair := fake.IssueFor("default", "0oa1example", "alice")
package oktatest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
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

// Okta revocation paths (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke).
const (
	// OrgRevokePath is the org authorization server's revocation
	// endpoint.
	OrgRevokePath = "/oauth2/v1/revoke"
)

// RevokePath returns the revocation path of authorization server asID,
// or of the org authorization server when asID is "".
func RevokePath(asID string) string {
	if asID == "" {
		return OrgRevokePath
	}
	return "/oauth2/" + asID + "/v1/revoke"
}

// Okta introspection paths
// (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/#tag/OrgAS/operation/introspect).
const (
	// OrgIntrospectPath is the org authorization server's introspection
	// endpoint.
	OrgIntrospectPath = "/oauth2/v1/introspect"
)

// IntrospectPath returns the introspection path of authorization server
// asID, or of the org authorization server when asID is "".
func IntrospectPath(asID string) string {
	if asID == "" {
		return OrgIntrospectPath
	}
	return "/oauth2/" + asID + "/v1/introspect"
}

// Lifetimes the introspection answer's exp reports: those of Okta's
// default access policy rule: access token one hour; refresh token
// unlimited, but ending when unused for seven days, which the fake
// reports as its exp. The fake never expires a token.
const (
	AccessTokenLifetime  = time.Hour
	RefreshTokenLifetime = 7 * 24 * time.Hour
)

// introspectHints are the token_type_hint values /introspect takes
// (TokenTypeHintIntrospect in Okta's OAuth OpenAPI spec).
var introspectHints = []string{"access_token", "device_secret", "id_token", "refresh_token"}

// Okta error descriptions. The first four are the examples in Okta's OAuth
// OpenAPI spec for /revoke; the client_id and secret ones appear in the same
// spec for other endpoints; the audience one is quoted by Okta support
// (https://support.okta.com/help/s/article/the-audience-claim-for-client-assertion-must-be-the-endpoint-invoked-for-the-request).
const (
	DescMissingToken       = "The `token` parameter is required."
	DescAssertionType      = "The `client_assertion_type` is invalid."
	DescMultipleCreds      = "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body."
	DescNoCreds            = "No client credentials found"
	DescInvalidClientID    = "Invalid value for the `client_id` parameter"
	DescInvalidSecret      = "The client secret supplied for a confidential client is invalid."
	DescAssertionAudience  = "The audience claim for client_assertion must be the endpoint invoked for the request."
	SummaryTooManyRequests = "You exceeded the maximum number of requests. Try again in a while."
)

// DefaultRateLimit is the number of requests a Server accepts per window
// unless told otherwise.
const DefaultRateLimit = 600

// Server fakes an Okta org's OAuth 2.0 endpoints for revocation:
//
//	POST /oauth2/v1/revoke                             org authorization server
//	POST /oauth2/{authorizationServerId}/v1/revoke     custom authorization servers
//	POST /oauth2/v1/introspect                         RFC 7662, org authorization server
//	POST /oauth2/{authorizationServerId}/v1/introspect RFC 7662, custom authorization servers
//	GET  /.well-known/openid-configuration              org metadata (also oauth-authorization-server)
//	GET  /oauth2/{id}/.well-known/openid-configuration  custom server metadata
//	*    anything else (/api/v1/..., /oauth2/v1/token)  delegated to Admin when set
//
// It follows Okta's documented behaviour: 200 with an empty body for every token, known or not; a refresh
// token takes its access token with it, an access token does not take its
// refresh token; client_secret_basic (RFC 6749 form-decoded),
// client_secret_post, client_secret_jwt and private_key_jwt whose "aud" must
// be the URL called (the issuer is rejected), and public clients identified
// by client_id in the body or by Okta's own "Basic base64(client_id)" form;
// the exact error bodies of Okta's spec; X-Rate-Limit-Limit, -Remaining and
// -Reset on every response, and 429 with an E0000047 body once the window's
// budget is spent. Request bodies over revoketest.MaxRequestBytes are
// answered 413. token_type_hint oauth_sts is accepted on the org
// authorization server only. Server prints (fmt, slog, encoding/json) as a
// summary, without secrets.
//
// Behaviour Okta does not document, chosen to leak nothing as Okta does: a
// client revoking another client's token, or a token issued by another
// authorization server, gets 200 and the token stays active. An
// authorization server that does not exist answers 404 E0000007. Only
// "default" exists until AddAuthorizationServer or IssueFor names another.
//
// /introspect takes the same requests as /revoke (POST, a form, the same
// client authentication, a client assertion's "aud" the URL called, the
// same errors, the rate limit) with token_type_hint access_token,
// id_token, refresh_token or device_secret (anything else is 400
// invalid_request). It answers 200 {"active":false} for a token that is
// unknown, revoked, another client's or another authorization server's,
// and for a live one {"active":true,"token_type":"Bearer","client_id",
// "username","sub","iss","iat","exp"}, exp after AccessTokenLifetime or
// RefreshTokenLifetime (the fake itself never expires a token).
//
// Tokens from the promoted Store.Issue are valid at every authorization
// server; IssueFor binds them to one.
type Server struct {
	// Store holds the tokens. The management-API fake (Admin) shares it to
	// revoke tokens through the management API.
	*revoketest.Store
	// Clients are the registered OAuth apps. Client.Method is the app's
	// token_endpoint_auth_method: "" allows client_secret_basic and
	// client_secret_post, "none" marks a public client.
	Clients *revoketest.Clients
	// Faults queues injected answers for the requests this fake serves
	// itself; Log records every request, including those handed to Admin.
	Faults *revoketest.Faults
	Log    *revoketest.Log
	// Admin, when set, serves every request this fake does not: the
	// management API under /api/v1/ and the service-app token endpoint.
	// Give it this fake's Store so both see the same tokens. Its requests
	// are logged here too but do not count against RateLimit.
	Admin http.Handler
	// RateLimit is how many requests the revocation and metadata endpoints
	// accept per RateWindow before answering 429 (default
	// DefaultRateLimit).
	RateLimit int
	// RateWindow is the rate-limit window (default one minute, aligned to
	// the clock as Okta's are).
	RateWindow time.Duration
	// Now is the clock (default time.Now). It sets the Date header and the
	// rate-limit windows.
	Now func() time.Time

	st *serverState
}

// serverState is the Server's own mutable state, behind a pointer so that
// a Server value can be printed without copying a lock.
type serverState struct {
	mu          sync.Mutex
	servers     map[string]bool
	tokenServer map[string]string
	windowEnd   time.Time
	used        int
}

// New returns a fake Okta org with no clients and the "default" custom
// authorization server. Register apps with AddClient.
func New() *Server {
	return &Server{
		Store:   revoketest.NewStore(),
		Clients: &revoketest.Clients{},
		Faults:  &revoketest.Faults{},
		Log:     &revoketest.Log{},
		st:      &serverState{servers: map[string]bool{"default": true}, tokenServer: map[string]string{}},
	}
}

// Register starts a fake Okta org behind mt for every request under
// baseURL (e.g. "https://dev-1.okta.com") and returns it, so a unit test
// can register apps, issue tokens and check them:
//
//	fake := oktatest.Register(mt, "https://dev-1.okta.com")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	o := New()
	o.Register(mt, baseURL)
	return o
}

// Register serves o for every request under baseURL on mt.
func (o *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, o)
}

// AddClient registers an OAuth app.
func (o *Server) AddClient(c revoketest.Client) { o.Clients.Add(c) }

// AddAuthorizationServer creates custom authorization server id.
func (o *Server) AddAuthorizationServer(id string) {
	o.st.mu.Lock()
	defer o.st.mu.Unlock()
	o.st.servers[id] = true
}

// IssueFor issues an access and refresh token pair from authorization
// server asID ("" for the org authorization server), creating the server if
// needed. The tokens can only be revoked at that server.
func (o *Server) IssueFor(asID, clientID, subject string) revoketest.Pair {
	p := o.Store.Issue(clientID, subject)
	o.st.mu.Lock()
	defer o.st.mu.Unlock()
	if asID != "" {
		o.st.servers[asID] = true
	}
	o.st.tokenServer[p.AccessToken] = asID
	o.st.tokenServer[p.RefreshToken] = asID
	return p
}

// KindDeviceSecret is the TokenInfo.Kind of device secrets.
const KindDeviceSecret = "device_secret"

// IssueDeviceSecret issues an active device secret (OpenID Connect Native
// SSO) for clientID, revocable with token_type_hint=device_secret. In the
// Store it is a token of Kind KindDeviceSecret.
func (o *Server) IssueDeviceSecret(clientID, subject string) string {
	// The shared Store issues pairs only; the device secret is the pair's
	// first token, whose sibling nobody holds.
	return o.Store.IssueKind(clientID, subject, KindDeviceSecret).AccessToken
}

// FailNext makes the next n requests to the revocation and metadata
// endpoints answer f.
func (o *Server) FailNext(n int, f revoketest.Fault) { o.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (o *Server) Requests() []revoketest.RecordedRequest { return o.Log.Requests() }

// Format implements fmt.Formatter: the fake prints its size, never its
// clients' secrets, its tokens or the requests it recorded.
func (o Server) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "oktatest.Server{tokens:%d requests:%d admin:%t}", o.tokenCount(), o.requestCount(), o.Admin != nil)
}

// LogValue implements slog.LogValuer with the same summary.
func (o Server) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("tokens", o.tokenCount()), slog.Int("requests", o.requestCount()))
}

// MarshalJSON implements json.Marshaler with the same summary.
func (o Server) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]int{"tokens": o.tokenCount(), "requests": o.requestCount()})
}

func (o Server) tokenCount() int {
	if o.Store == nil {
		return 0
	}
	return len(o.Store.Tokens(nil))
}

func (o Server) requestCount() int {
	if o.Log == nil {
		return 0
	}
	return o.Log.Len()
}

func (o *Server) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// ServeHTTP implements http.Handler.
func (o *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form, readOK := revoketest.ReadRequest(rec, r)
	defer func() {
		o.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !readOK {
		return
	}
	now := o.now()
	rec.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	rec.Header().Set(oktawire.HeaderRequestID, randToken("req"))
	path := r.URL.Path
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	route := route(path, segs)
	if route == "" {
		if o.Admin != nil {
			o.Admin.ServeHTTP(rec, r)
			return
		}
		o.takeRate(rec.Header(), now)
		writeError(rec, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+path+" (Resource)")
		return
	}
	if !o.takeRate(rec.Header(), now) {
		writeError(rec, http.StatusTooManyRequests, "E0000047", SummaryTooManyRequests)
		return
	}
	if o.Faults.Serve(rec) {
		return
	}
	base := revoketest.BaseURL(r)
	switch route {
	case "org-metadata":
		o.metadata(rec, r, base, "")
	case "org-revoke":
		o.revoke(rec, r, form, base, "")
	case "as-revoke":
		if !o.serverMissing(rec, segs[1]) {
			o.revoke(rec, r, form, base, segs[1])
		}
	case "as-metadata":
		if !o.serverMissing(rec, segs[1]) {
			o.metadata(rec, r, base, segs[1])
		}
	case "org-introspect":
		o.introspect(rec, r, form, base, "")
	case "as-introspect":
		if !o.serverMissing(rec, segs[1]) {
			o.introspect(rec, r, form, base, segs[1])
		}
	}
}

// route names the endpoint path addresses, or "" for one this fake
// does not serve.
func route(path string, segs []string) string {
	switch {
	case path == "/.well-known/openid-configuration" || path == "/.well-known/oauth-authorization-server":
		return "org-metadata"
	case path == OrgRevokePath:
		return "org-revoke"
	case len(segs) == 4 && segs[0] == "oauth2" && segs[1] != "" && segs[2] == "v1" && segs[3] == "revoke":
		return "as-revoke"
	case path == OrgIntrospectPath:
		return "org-introspect"
	case len(segs) == 4 && segs[0] == "oauth2" && segs[1] != "" && segs[2] == "v1" && segs[3] == "introspect":
		return "as-introspect"
	case len(segs) == 4 && segs[0] == "oauth2" && segs[1] != "" && segs[2] == ".well-known" && (segs[3] == "openid-configuration" || segs[3] == "oauth-authorization-server"):
		return "as-metadata"
	}
	return ""
}

func (o *Server) serverMissing(w http.ResponseWriter, id string) bool {
	o.st.mu.Lock()
	ok := o.st.servers[id]
	o.st.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (AuthorizationServer)")
	}
	return !ok
}

// takeRate counts one request against the current window and sets Okta's
// three rate-limit headers. It reports false when the budget is spent.
func (o *Server) takeRate(h http.Header, now time.Time) bool {
	limit := o.RateLimit
	if limit <= 0 {
		limit = DefaultRateLimit
	}
	window := o.RateWindow
	if window <= 0 {
		window = time.Minute
	}
	o.st.mu.Lock()
	if !now.Before(o.st.windowEnd) {
		o.st.windowEnd = now.Truncate(window).Add(window)
		o.st.used = 0
	}
	ok := o.st.used < limit
	if ok {
		o.st.used++
	}
	remaining := limit - o.st.used
	reset := o.st.windowEnd
	o.st.mu.Unlock()
	h.Set(oktawire.HeaderLimit, strconv.Itoa(limit))
	h.Set(oktawire.HeaderRemaining, strconv.Itoa(remaining))
	h.Set(oktawire.HeaderReset, strconv.FormatInt(reset.Unix(), 10))
	return ok
}

// Error is Okta's management-style error body, which /revoke uses for
// 429 (schema Error in Okta's OpenAPI spec).
type Error struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []ErrorCause `json:"errorCauses"`
}

// ErrorCause is one entry of Error.ErrorCauses.
type ErrorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

func writeError(w http.ResponseWriter, status int, code, summary string) {
	writeJSON(w, status, Error{ErrorCode: code, ErrorSummary: summary, ErrorLink: code, ErrorID: randToken("oae"), ErrorCauses: []ErrorCause{}})
}

// oktaOAuthError writes an RFC 6749 error in Okta's field order.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
}

func (o *Server) metadata(w http.ResponseWriter, r *http.Request, base, asID string) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	issuer, prefix := base, base+"/oauth2/v1"
	if asID != "" {
		issuer = base + "/oauth2/" + asID
		prefix = issuer + "/v1"
	}
	methods := []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                        issuer,
		"authorization_endpoint":                        prefix + "/authorize",
		"token_endpoint":                                prefix + "/token",
		"revocation_endpoint":                           prefix + "/revoke",
		"introspection_endpoint":                        prefix + "/introspect",
		"token_endpoint_auth_methods_supported":         methods,
		"revocation_endpoint_auth_methods_supported":    methods,
		"introspection_endpoint_auth_methods_supported": methods,
	})
}

// hintValid reports whether authorization server asID ("" for the org
// authorization server) accepts the token_type_hint
// (TokenTypeHintRevokeOrgAs / TokenTypeHintRevokeCustomAs).
func hintValid(hint, asID string) bool {
	if hint == "" {
		return true
	}
	hints := oktawire.OrgHints
	if asID != "" {
		hints = oktawire.CustomHints
	}
	return slices.Contains(hints, revoke.TokenTypeHint(hint))
}

func (o *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, base, asID string) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request must use the application/x-www-form-urlencoded content type.")
		return
	}
	clientID, e := o.authenticate(r, form, base+r.URL.Path)
	if e != nil {
		oauthError(w, e.Status, e.Code, e.Description)
		return
	}
	token := form.Get("token")
	if token == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", DescMissingToken)
		return
	}
	if !hintValid(form.Get("token_type_hint"), asID) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The `token_type_hint` parameter is invalid.")
		return
	}
	o.st.mu.Lock()
	issuedBy, bound := o.st.tokenServer[token]
	o.st.mu.Unlock()
	if !bound || issuedBy == asID {
		// Another client's token stays active: Okta answers 200 either way.
		o.Store.Revoke(token, clientID)
	}
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// introspect answers RFC 7662 introspection as /introspect does: the
// request rules and client authentication of /revoke, then the token as
// the client may see it.
func (o *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, base, asID string) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The request must use the application/x-www-form-urlencoded content type.")
		return
	}
	clientID, e := o.authenticate(r, form, base+r.URL.Path)
	if e != nil {
		oauthError(w, e.Status, e.Code, e.Description)
		return
	}
	token := form.Get("token")
	if token == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", DescMissingToken)
		return
	}
	if hint := form.Get("token_type_hint"); hint != "" && !slices.Contains(introspectHints, hint) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "The `token_type_hint` parameter is invalid.")
		return
	}
	info, active := o.Store.Introspect(token, clientID)
	o.st.mu.Lock()
	issuedBy, bound := o.st.tokenServer[token]
	o.st.mu.Unlock()
	if !active || (bound && issuedBy != asID) {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	lifetime := AccessTokenLifetime
	if info.Type == "refresh_token" {
		lifetime = RefreshTokenLifetime
	}
	claims := o.Store.IntrospectionClaims(info, lifetime)
	claims["token_type"] = "Bearer"
	claims["iss"] = base
	if asID != "" {
		claims["iss"] = base + "/oauth2/" + asID
	}
	if info.Subject != "" {
		claims["username"] = info.Subject
	}
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, claims)
}

// authenticate applies Okta's client authentication rules and returns the
// client ID.
func (o *Server) authenticate(r *http.Request, form url.Values, endpoint string) (string, *revoketest.OAuthError) {
	authz := r.Header.Get("Authorization")
	hasBasic := len(authz) > 6 && strings.EqualFold(authz[:6], "basic ")
	hasSecret := form.Has("client_secret")
	hasAssertion := form.Has("client_assertion") || form.Has("client_assertion_type")
	n := 0
	for _, b := range [...]bool{hasBasic, hasSecret, hasAssertion} {
		if b {
			n++
		}
	}
	if n > 1 {
		return "", &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: DescMultipleCreds}
	}
	invalidClient := func(desc string) (string, *revoketest.OAuthError) {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: desc}
	}
	switch {
	case hasBasic:
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(authz[6:]))
		if err != nil {
			return invalidClient(DescInvalidClientID)
		}
		id, secret, withSecret := strings.Cut(string(raw), ":")
		id = formDecode(id)
		if fid := form.Get("client_id"); fid != "" && fid != id {
			return "", &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: DescMultipleCreds}
		}
		if !withSecret {
			// Okta's own SDKs identify a public client as Basic base64(client_id).
			return o.publicClient(id)
		}
		return o.checkSecret(id, formDecode(secret), "client_secret_basic")
	case hasSecret:
		return o.checkSecret(form.Get("client_id"), form.Get("client_secret"), "client_secret_post")
	case hasAssertion:
		id, _, e := checkAssertion(o.Clients, r, form, endpoint)
		if e != nil {
			switch {
			case e.Status == http.StatusBadRequest:
				e.Description = DescAssertionType
			case strings.Contains(e.Description, "audience"):
				e.Description = DescAssertionAudience
			}
			return "", e
		}
		return id, nil
	case form.Get("client_id") != "":
		return o.publicClient(form.Get("client_id"))
	}
	return invalidClient(DescNoCreds)
}

func (o *Server) publicClient(id string) (string, *revoketest.OAuthError) {
	c, ok := o.Clients.Get(id)
	if !ok {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: DescInvalidClientID}
	}
	if c.Method != "none" {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: DescInvalidSecret}
	}
	return id, nil
}

func (o *Server) checkSecret(id, secret, method string) (string, *revoketest.OAuthError) {
	c, ok := o.Clients.Get(id)
	if id == "" || !ok {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: DescInvalidClientID}
	}
	if c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: DescInvalidSecret}
	}
	if c.Method != "" && c.Method != method {
		return "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: "Client authentication failed. The client is not configured for " + method + "."}
	}
	return id, nil
}

// formDecode reverses RFC 6749 §2.3.1 form-encoding; a value that is not
// valid form-encoding is taken as sent.
func formDecode(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// checkAssertion verifies a client assertion with the shared core, whose
// rules are RFC 7523's: the caller has made sure no other credential is
// present.
func checkAssertion(cs *revoketest.Clients, r *http.Request, form url.Values, endpoint string) (string, string, *revoketest.OAuthError) {
	if form.Get("client_assertion") == "" {
		if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
			return "", "", &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: DescAssertionType}
		}
		return "", "", &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: "client assertion is not a signed JWT"}
	}
	return cs.Authenticate(r, form, []string{endpoint})
}

// statusRecorder remembers the status written, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// randToken returns an unguessable value with a readable prefix.
func randToken(prefix string) string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}
