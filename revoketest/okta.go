package revoketest

import (
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"
)

// Okta revocation paths (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke).
const (
	// OktaOrgRevokePath is the org authorization server's revocation
	// endpoint.
	OktaOrgRevokePath = "/oauth2/v1/revoke"
)

// OktaRevokePath returns the revocation path of authorization server asID,
// or of the org authorization server when asID is "".
func OktaRevokePath(asID string) string {
	if asID == "" {
		return OktaOrgRevokePath
	}
	return "/oauth2/" + asID + "/v1/revoke"
}

// Okta error descriptions. The first four are the examples in Okta's OAuth
// OpenAPI spec for /revoke; the client_id and secret ones appear in the same
// spec for other endpoints; the audience one is quoted by Okta support
// (https://support.okta.com/help/s/article/the-audience-claim-for-client-assertion-must-be-the-endpoint-invoked-for-the-request).
const (
	OktaDescMissingToken       = "The `token` parameter is required."
	OktaDescAssertionType      = "The `client_assertion_type` is invalid."
	OktaDescMultipleCreds      = "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body."
	OktaDescNoCreds            = "No client credentials found"
	OktaDescInvalidClientID    = "Invalid value for the `client_id` parameter"
	OktaDescInvalidSecret      = "The client secret supplied for a confidential client is invalid."
	OktaDescAssertionAudience  = "The audience claim for client_assertion must be the endpoint invoked for the request."
	OktaSummaryTooManyRequests = "You exceeded the maximum number of requests. Try again in a while."
)

// OktaDefaultRateLimit is the number of requests an Okta emulator accepts
// per window unless told otherwise.
const OktaDefaultRateLimit = 600

// Okta emulates an Okta org's OAuth 2.0 endpoints for revocation:
//
//	POST /oauth2/v1/revoke                         org authorization server
//	POST /oauth2/{authorizationServerId}/v1/revoke custom authorization servers
//	GET  /.well-known/openid-configuration          org metadata (also oauth-authorization-server)
//	GET  /oauth2/{id}/.well-known/openid-configuration  custom server metadata
//	*    anything else (/api/v1/..., /oauth2/v1/token)  delegated to Admin when set
//
// It follows Okta's documented behaviour (the project's vendors reference,
// §1): 200 with an empty body for every token, known or not; a refresh
// token takes its access token with it, an access token does not take its
// refresh token; client_secret_basic (RFC 6749 form-decoded),
// client_secret_post, client_secret_jwt and private_key_jwt whose "aud" must
// be the URL called (the issuer is rejected), and public clients identified
// by client_id in the body or by Okta's own "Basic base64(client_id)" form;
// the exact error bodies of Okta's spec; X-Rate-Limit-Limit, -Remaining and
// -Reset on every response, and 429 with an E0000047 body once the window's
// budget is spent.
//
// Behaviour Okta does not document, chosen to leak nothing as Okta does: a
// client revoking another client's token, or a token issued by another
// authorization server, gets 200 and the token stays active. An
// authorization server that does not exist answers 404 E0000007. Only
// "default" exists until AddAuthorizationServer or IssueFor names another.
//
// Tokens from the promoted Store.Issue are valid at every authorization
// server; IssueFor binds them to one.
type Okta struct {
	// Store holds the tokens. Admin emulators share it to revoke tokens
	// through the management API.
	*Store
	// Clients are the registered OAuth apps. Client.Method is the app's
	// token_endpoint_auth_method: "" allows client_secret_basic and
	// client_secret_post, "none" marks a public client.
	Clients *Clients
	// Faults queues injected answers for the requests this emulator serves
	// itself; Log records every request, including those handed to Admin.
	Faults Faults
	Log    Log
	// Admin, when set, serves every request this emulator does not: the
	// management API under /api/v1/ and the service-app token endpoint.
	// Give it this emulator's Store so both see the same tokens. Its
	// requests are logged here too but do not count against RateLimit.
	Admin http.Handler
	// RateLimit is how many requests the revocation and metadata endpoints
	// accept per RateWindow before answering 429 (default
	// OktaDefaultRateLimit).
	RateLimit int
	// RateWindow is the rate-limit window (default one minute, aligned to
	// the clock as Okta's are).
	RateWindow time.Duration
	// Now is the clock (default time.Now). It sets the Date header and the
	// rate-limit windows.
	Now func() time.Time

	mu          sync.Mutex
	servers     map[string]bool
	tokenServer map[string]string
	windowEnd   time.Time
	used        int
}

// NewOkta returns an Okta emulator with no clients and the "default" custom
// authorization server. Register apps with AddClient.
func NewOkta() *Okta {
	return &Okta{
		Store:       NewStore(),
		Clients:     &Clients{},
		servers:     map[string]bool{"default": true},
		tokenServer: map[string]string{},
	}
}

// RegisterOkta starts an Okta emulator behind mt for every request under
// baseURL (e.g. "https://dev-1.okta.com") and returns it, so a unit test
// can register apps, issue tokens and check them:
//
//	fake := revoketest.RegisterOkta(mt, "https://dev-1.okta.com")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
func RegisterOkta(mt *httpmock.MockTransport, baseURL string) *Okta {
	o := NewOkta()
	o.Register(mt, baseURL)
	return o
}

// Register serves o for every request under baseURL on mt.
func (o *Okta) Register(mt *httpmock.MockTransport, baseURL string) {
	RegisterHandler(mt, baseURL, o)
}

// AddClient registers an OAuth app.
func (o *Okta) AddClient(c Client) { o.Clients.Add(c) }

// AddAuthorizationServer creates custom authorization server id.
func (o *Okta) AddAuthorizationServer(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.servers[id] = true
}

// IssueFor issues an access and refresh token pair from authorization
// server asID ("" for the org authorization server), creating the server if
// needed. The tokens can only be revoked at that server.
func (o *Okta) IssueFor(asID, clientID, subject string) Pair {
	p := o.Store.Issue(clientID, subject)
	o.mu.Lock()
	defer o.mu.Unlock()
	if asID != "" {
		o.servers[asID] = true
	}
	o.tokenServer[p.AccessToken] = asID
	o.tokenServer[p.RefreshToken] = asID
	return p
}

// IssueDeviceSecret issues an active device secret (OpenID Connect Native
// SSO) for clientID, revocable with token_type_hint=device_secret.
func (o *Okta) IssueDeviceSecret(clientID, subject string) string {
	v := randToken("ds_")
	s := o.Store
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[v] = &TokenInfo{Value: v, Type: "device_secret", ClientID: clientID, Subject: subject, Active: true}
	return v
}

// FailNext makes the next n requests to the revocation and metadata
// endpoints answer f.
func (o *Okta) FailNext(n int, f Fault) { o.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (o *Okta) Requests() []RecordedRequest { return o.Log.Requests() }

func (o *Okta) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// ServeHTTP implements http.Handler.
func (o *Okta) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form := ReadRequest(r)
	defer func() {
		o.Log.Add(RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	now := o.now()
	rec.Header().Set("Date", now.UTC().Format(http.TimeFormat))
	rec.Header().Set("X-Okta-Request-Id", randToken("req"))
	path := r.URL.Path
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	route := oktaRoute(path, segs)
	if route == "" {
		if o.Admin != nil {
			o.Admin.ServeHTTP(rec, r)
			return
		}
		o.takeRate(rec.Header(), now)
		writeOktaError(rec, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+path+" (Resource)")
		return
	}
	if !o.takeRate(rec.Header(), now) {
		writeOktaError(rec, http.StatusTooManyRequests, "E0000047", OktaSummaryTooManyRequests)
		return
	}
	if o.Faults.Serve(rec) {
		return
	}
	base := BaseURL(r)
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
	}
}

// oktaRoute names the endpoint path addresses, or "" for one this emulator
// does not serve.
func oktaRoute(path string, segs []string) string {
	switch {
	case path == "/.well-known/openid-configuration" || path == "/.well-known/oauth-authorization-server":
		return "org-metadata"
	case path == OktaOrgRevokePath:
		return "org-revoke"
	case len(segs) == 4 && segs[0] == "oauth2" && segs[1] != "" && segs[2] == "v1" && segs[3] == "revoke":
		return "as-revoke"
	case len(segs) == 4 && segs[0] == "oauth2" && segs[1] != "" && segs[2] == ".well-known" && (segs[3] == "openid-configuration" || segs[3] == "oauth-authorization-server"):
		return "as-metadata"
	}
	return ""
}

func (o *Okta) serverMissing(w http.ResponseWriter, id string) bool {
	o.mu.Lock()
	ok := o.servers[id]
	o.mu.Unlock()
	if !ok {
		writeOktaError(w, http.StatusNotFound, "E0000007", "Not found: Resource not found: "+id+" (AuthorizationServer)")
	}
	return !ok
}

// takeRate counts one request against the current window and sets Okta's
// three rate-limit headers. It reports false when the budget is spent.
func (o *Okta) takeRate(h http.Header, now time.Time) bool {
	limit := o.RateLimit
	if limit <= 0 {
		limit = OktaDefaultRateLimit
	}
	window := o.RateWindow
	if window <= 0 {
		window = time.Minute
	}
	o.mu.Lock()
	if !now.Before(o.windowEnd) {
		o.windowEnd = now.Truncate(window).Add(window)
		o.used = 0
	}
	ok := o.used < limit
	if ok {
		o.used++
	}
	remaining := limit - o.used
	reset := o.windowEnd
	o.mu.Unlock()
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(limit))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(reset.Unix(), 10))
	return ok
}

// OktaError is Okta's management-style error body, which /revoke uses for
// 429 (schema Error in Okta's OpenAPI spec).
type OktaError struct {
	ErrorCode    string           `json:"errorCode"`
	ErrorSummary string           `json:"errorSummary"`
	ErrorLink    string           `json:"errorLink"`
	ErrorID      string           `json:"errorId"`
	ErrorCauses  []OktaErrorCause `json:"errorCauses"`
}

// OktaErrorCause is one entry of OktaError.ErrorCauses.
type OktaErrorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

func writeOktaError(w http.ResponseWriter, status int, code, summary string) {
	writeJSON(w, status, OktaError{ErrorCode: code, ErrorSummary: summary, ErrorLink: code, ErrorID: randToken("oae"), ErrorCauses: []OktaErrorCause{}})
}

// oktaOAuthError writes an RFC 6749 error in Okta's field order.
func oktaOAuthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
}

func (o *Okta) metadata(w http.ResponseWriter, r *http.Request, base, asID string) {
	if r.Method != http.MethodGet {
		writeOktaError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	issuer, prefix := base, base+"/oauth2/v1"
	if asID != "" {
		issuer = base + "/oauth2/" + asID
		prefix = issuer + "/v1"
	}
	methods := []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                     issuer,
		"authorization_endpoint":                     prefix + "/authorize",
		"token_endpoint":                             prefix + "/token",
		"revocation_endpoint":                        prefix + "/revoke",
		"introspection_endpoint":                     prefix + "/introspect",
		"token_endpoint_auth_methods_supported":      methods,
		"revocation_endpoint_auth_methods_supported": methods,
	})
}

// oktaHints are the token_type_hint values each kind of authorization
// server accepts (TokenTypeHintRevokeOrgAs / TokenTypeHintRevokeCustomAs).
func oktaHintValid(hint, asID string) bool {
	switch hint {
	case "", "access_token", "refresh_token", "device_secret":
		return true
	case "oauth_sts":
		return asID == ""
	}
	return false
}

func (o *Okta) revoke(w http.ResponseWriter, r *http.Request, form url.Values, base, asID string) {
	if r.Method != http.MethodPost {
		writeOktaError(w, http.StatusMethodNotAllowed, "E0000022", "The endpoint does not support the provided HTTP method")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oktaOAuthError(w, http.StatusBadRequest, "invalid_request", "The request must use the application/x-www-form-urlencoded content type.")
		return
	}
	clientID, e := o.authenticate(r, form, base+r.URL.Path)
	if e != nil {
		oktaOAuthError(w, e.Status, e.Code, e.Description)
		return
	}
	token := form.Get("token")
	if token == "" {
		oktaOAuthError(w, http.StatusBadRequest, "invalid_request", OktaDescMissingToken)
		return
	}
	if !oktaHintValid(form.Get("token_type_hint"), asID) {
		oktaOAuthError(w, http.StatusBadRequest, "invalid_request", "The `token_type_hint` parameter is invalid.")
		return
	}
	o.mu.Lock()
	issuedBy, bound := o.tokenServer[token]
	o.mu.Unlock()
	if !bound || issuedBy == asID {
		// Another client's token stays active: Okta answers 200 either way.
		o.Store.Revoke(token, clientID)
	}
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.Header().Set("Pragma", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// authenticate applies Okta's client authentication rules and returns the
// client ID.
func (o *Okta) authenticate(r *http.Request, form url.Values, endpoint string) (string, *OAuthError) {
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
		return "", &OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: OktaDescMultipleCreds}
	}
	invalidClient := func(desc string) (string, *OAuthError) {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: desc}
	}
	switch {
	case hasBasic:
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(authz[6:]))
		if err != nil {
			return invalidClient(OktaDescInvalidClientID)
		}
		id, secret, withSecret := strings.Cut(string(raw), ":")
		id = formDecode(id)
		if fid := form.Get("client_id"); fid != "" && fid != id {
			return "", &OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: OktaDescMultipleCreds}
		}
		if !withSecret {
			// Okta's own SDKs identify a public client as Basic base64(client_id).
			return o.publicClient(id)
		}
		return o.checkSecret(id, formDecode(secret), "client_secret_basic")
	case hasSecret:
		return o.checkSecret(form.Get("client_id"), form.Get("client_secret"), "client_secret_post")
	case hasAssertion:
		id, _, e := o.Clients.checkAssertion(form, []string{endpoint})
		if e != nil {
			switch {
			case e.Status == http.StatusBadRequest:
				e.Description = OktaDescAssertionType
			case strings.Contains(e.Description, "audience"):
				e.Description = OktaDescAssertionAudience
			}
			return "", e
		}
		return id, nil
	case form.Get("client_id") != "":
		return o.publicClient(form.Get("client_id"))
	}
	return invalidClient(OktaDescNoCreds)
}

func (o *Okta) publicClient(id string) (string, *OAuthError) {
	c, ok := o.Clients.Get(id)
	if !ok {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: OktaDescInvalidClientID}
	}
	if c.Method != "none" {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: OktaDescInvalidSecret}
	}
	return id, nil
}

func (o *Okta) checkSecret(id, secret, method string) (string, *OAuthError) {
	c, ok := o.Clients.Get(id)
	if id == "" || !ok {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: OktaDescInvalidClientID}
	}
	if c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: OktaDescInvalidSecret}
	}
	if c.Method != "" && c.Method != method {
		return "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: "Client authentication failed. The client is not configured for " + method + "."}
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
