package revoketest

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"
)

// OneLogin paths, relative to https://<subdomain>.onelogin.com.
const (
	// OneLoginRevokePath is the API-credential token revocation endpoint.
	OneLoginRevokePath = "/auth/oauth2/revoke"
	// OneLoginOIDCRevokePath is the OpenID Connect token revocation endpoint.
	OneLoginOIDCRevokePath = "/oidc/2/token/revocation"
)

// Messages OneLogin documents for /auth/oauth2/revoke
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
const (
	OneLoginMsgContentType  = "Content Type is not specified or specified incorrectly. Content-Type header must be set to application/json"
	OneLoginMsgTokenMissing = "Access Token Missing"
	OneLoginMsgAuthMissing  = "The authorization information is missing"
	OneLoginMsgAuthFailure  = "Authentication Failure"
	OneLoginMsgNoRoute      = "No Route Exists"
	// OneLoginMsgRateLimited is the emulator's 429 message. OneLogin does not
	// document its 429 body; this one is inferred.
	OneLoginMsgRateLimited = "Rate Limit Exceeded"
)

// Token kinds the OneLogin emulator stores in TokenInfo.Kind.
const (
	OneLoginKindAPI  = "onelogin-api"  // minted with API credentials
	OneLoginKindOIDC = "onelogin-oidc" // issued to an OpenID Connect app
)

// Default rate limit: OneLogin's documented account-level limit of 5,000
// calls per hour
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit).
const (
	OneLoginDefaultRateLimit  = 5000
	OneLoginDefaultRateWindow = time.Hour
)

// OneLogin emulates a OneLogin account's two revocation endpoints:
//
//	POST /auth/oauth2/revoke          API-credential tokens, JSON body
//	POST /oidc/2/token/revocation     OpenID Connect tokens, RFC 7009 form
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
// it; past the limit it answers 429.
//
// Undocumented behaviour, inferred: an unknown or already revoked token is
// a success (nothing is revealed about it); a token minted by other
// credentials is 401 "Authentication Failure" and stays active; the 429
// body is the nested envelope with OneLoginMsgRateLimited.
//
// /oidc/2/token/revocation follows
// https://developers.onelogin.com/openid-connect/api/revoke-token: Basic
// (raw base64(id:secret)), POST or None per the app's registered Method;
// credentials in both header and body are refused (400 invalid_request);
// an unknown, foreign or already revoked token is 400
// {"error":"unsupported_token_type","error_description":"revocation of the
// presented token type is not supported"}; failed authentication is 401
// with the non-standard error "invalid_request" and the documented
// descriptions. Revoking an access token revokes only it; revoking a
// refresh token also revokes its access token.
//
// Serve it with httptest.NewServer, or on an httpmock transport with
// Register or RegisterOneLogin.
type OneLogin struct {
	// Store holds the issued tokens.
	Store *Store
	// APICredentials are the API credential pairs accepted by
	// /auth/oauth2/revoke; Apps the OpenID Connect apps accepted by
	// /oidc/2/token/revocation, each with its Token Endpoint Authentication
	// Method (client_secret_basic, client_secret_post or none).
	APICredentials *Clients
	Apps           *Clients
	// Faults queues injected answers; Log records every request.
	Faults Faults
	Log    Log
	// RateLimit is how many /auth/oauth2/revoke calls a RateWindow allows.
	// Zero values take OneLoginDefaultRateLimit and
	// OneLoginDefaultRateWindow. Set them before serving.
	RateLimit  int
	RateWindow time.Duration

	mu          sync.Mutex
	windowStart time.Time
	used        int
}

// NewOneLogin returns an emulator with no credentials or apps. Register
// them with AddAPICredential and AddApp.
func NewOneLogin() *OneLogin {
	return &OneLogin{
		Store:          NewStore(),
		APICredentials: &Clients{RawBasic: true},
		Apps:           &Clients{RawBasic: true},
	}
}

// RegisterOneLogin creates a OneLogin emulator and serves it for every
// request under baseURL on mt, e.g.
//
//	mt := httpmock.NewMockTransport()
//	fake := revoketest.RegisterOneLogin(mt, "https://acme.onelogin.com")
//	fake.AddAPICredential("id", "secret")
//	pair := fake.Issue("id")
func RegisterOneLogin(mt *httpmock.MockTransport, baseURL string) *OneLogin {
	o := NewOneLogin()
	o.Register(mt, baseURL)
	return o
}

// Register serves o for every request under baseURL on mt, as
// Server.Register does.
func (o *OneLogin) Register(mt *httpmock.MockTransport, baseURL string) {
	RegisterHandler(mt, baseURL, o)
}

// AddAPICredential registers an API credential pair for
// /auth/oauth2/revoke.
func (o *OneLogin) AddAPICredential(clientID, secret string) {
	o.APICredentials.Add(Client{ID: clientID, Secret: secret})
}

// AddApp registers an OpenID Connect app for /oidc/2/token/revocation.
// c.Method is its Token Endpoint Authentication Method:
// "client_secret_basic", "client_secret_post" or "none".
func (o *OneLogin) AddApp(c Client) { o.Apps.Add(c) }

// Issue mints an active access and refresh token pair for clientID: an API
// credential pair's tokens if clientID is a registered API credential,
// otherwise an OpenID Connect app's end-user tokens.
func (o *OneLogin) Issue(clientID string) Pair {
	if _, ok := o.APICredentials.Get(clientID); ok {
		return o.Store.IssueKind(clientID, "", OneLoginKindAPI)
	}
	return o.Store.IssueKind(clientID, "user", OneLoginKindOIDC)
}

// Active reports whether token was issued and not revoked.
func (o *OneLogin) Active(token string) bool { return o.Store.Active(token) }

// FailNext makes the next n requests answer f.
func (o *OneLogin) FailNext(n int, f Fault) { o.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (o *OneLogin) Requests() []RecordedRequest { return o.Log.Requests() }

// ServeHTTP implements http.Handler.
func (o *OneLogin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form := ReadRequest(r)
	defer func() {
		o.Log.Add(RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if o.Faults.Serve(rec) {
		return
	}
	switch r.URL.Path {
	case OneLoginRevokePath:
		o.apiRevoke(rec, r, body)
	case OneLoginOIDCRevokePath:
		o.oidcRevoke(rec, r, form)
	default:
		writeOneLoginStatus(rec, http.StatusNotFound, "not found", OneLoginMsgNoRoute)
	}
}

// ---- /auth/oauth2/revoke ----

// oneLoginStatus is the documented nested envelope.
type oneLoginStatus struct {
	Status struct {
		Error   bool   `json:"error"`
		Code    int    `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"status"`
}

func writeOneLoginStatus(w http.ResponseWriter, code int, typ, msg string) {
	var env oneLoginStatus
	env.Status.Error = code != http.StatusOK
	env.Status.Code, env.Status.Type, env.Status.Message = code, typ, msg
	b, _ := json.Marshal(env)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

func (o *OneLogin) apiRevoke(w http.ResponseWriter, r *http.Request, body []byte) {
	if !o.countCall(w.Header()) {
		writeOneLoginStatus(w, http.StatusTooManyRequests, "Too Many Requests", OneLoginMsgRateLimited)
		return
	}
	if r.Method != http.MethodPost {
		writeOneLoginStatus(w, http.StatusNotFound, "not found", OneLoginMsgNoRoute)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeOneLoginStatus(w, http.StatusBadRequest, "bad request", OneLoginMsgContentType)
		return
	}
	id, secret, ok := ParseOneLoginAuthorization(r.Header.Get("Authorization"))
	if !ok {
		writeOneLoginStatus(w, http.StatusBadRequest, "bad request", OneLoginMsgAuthMissing)
		return
	}
	if _, _, e := o.APICredentials.checkSecret(id, secret, "", false); e != nil {
		writeOneLoginStatus(w, http.StatusUnauthorized, "Unauthorized", OneLoginMsgAuthFailure)
		return
	}
	var req struct {
		AccessToken *string `json:"access_token"`
	}
	if json.Unmarshal(body, &req) != nil || req.AccessToken == nil || *req.AccessToken == "" {
		writeOneLoginStatus(w, http.StatusBadRequest, "bad request", OneLoginMsgTokenMissing)
		return
	}
	tok := *req.AccessToken
	info, found := o.Store.Lookup(tok)
	if found && info.Kind == OneLoginKindAPI && info.Type == "access_token" {
		if info.ClientID != id {
			writeOneLoginStatus(w, http.StatusUnauthorized, "Unauthorized", OneLoginMsgAuthFailure)
			return
		}
		// The access token takes its refresh token with it.
		o.Store.Revoke(tok, id)
		o.Store.Revoke(info.Sibling, id)
	}
	writeOneLoginStatus(w, http.StatusOK, "success", "Success")
}

// ParseOneLoginAuthorization reads the client credentials of a
// /auth/oauth2/revoke Authorization header in either accepted format:
//
//	client_id:<id>, client_secret:<secret>     (v1)
//	Basic base64(<id>:<secret>)                (v2, taken raw)
//
// In the v1 format the ID ends at the first comma and the secret runs to
// the end of the header; white space around either is ignored. ok is false
// for anything else, which OneLogin answers with "The authorization
// information is missing".
func ParseOneLoginAuthorization(h string) (id, secret string, ok bool) {
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
func (o *OneLogin) countCall(h http.Header) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	limit, window := o.RateLimit, o.RateWindow
	if limit <= 0 {
		limit = OneLoginDefaultRateLimit
	}
	if window <= 0 {
		window = OneLoginDefaultRateWindow
	}
	t := time.Now()
	if o.windowStart.IsZero() || !t.Before(o.windowStart.Add(window)) {
		o.windowStart, o.used = t, 0
	}
	reset := o.windowStart.Add(window).Sub(t)
	secs := int((reset + time.Second - 1) / time.Second) // round up: never announce a reset before it happens
	within := o.used < limit
	if within {
		o.used++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-o.used))
	h.Set("X-RateLimit-Reset", strconv.Itoa(secs))
	return within
}

// ---- /oidc/2/token/revocation ----

// OneLogin OpenID Connect error bodies
// (https://developers.onelogin.com/openid-connect/api/revoke-token).
var (
	oneLoginUnsupported = &OAuthError{Status: http.StatusBadRequest, Code: "unsupported_token_type", Description: "revocation of the presented token type is not supported"}
	oneLoginBadHeader   = &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "invalid authorization header value format"}
	oneLoginAuthFailed  = &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "Authentication Failed"}
	oneLoginUnauthz     = &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_request", Description: "Access is unauthorized"}
	// Inferred: OneLogin documents that credentials in both places "will
	// cause an error" without giving the body.
	oneLoginBoth = &OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "client credentials must be sent in the Authorization header or in the body, not both"}
)

func (o *OneLogin) oidcRevoke(w http.ResponseWriter, r *http.Request, form map[string][]string) {
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	clientID, e := o.authenticateApp(r, form)
	if e != nil {
		e.Write(w)
		return
	}
	token := first(form["token"])
	if token == "" {
		(&OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: "token is required"}).Write(w)
		return
	}
	info, found := o.Store.Lookup(token)
	if !found || !info.Active || info.Kind != OneLoginKindOIDC || info.ClientID != clientID {
		oneLoginUnsupported.Write(w)
		return
	}
	o.Store.Revoke(token, clientID) // a refresh token takes its access token with it
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// authenticateApp runs RFC 6749 §2.3 client authentication and translates
// failures into OneLogin's answers.
func (o *OneLogin) authenticateApp(r *http.Request, form map[string][]string) (string, *OAuthError) {
	authz := r.Header.Get("Authorization")
	hasHeader := strings.TrimSpace(authz) != ""
	if hasHeader && (first(form["client_secret"]) != "" || first(form["client_id"]) != "" || first(form["client_assertion"]) != "") {
		return "", oneLoginBoth
	}
	if hasHeader && !(len(authz) > 6 && strings.EqualFold(authz[:6], "basic ")) {
		return "", oneLoginBadHeader
	}
	id, _, e := o.Apps.Authenticate(r, form, nil)
	switch {
	case e == nil:
		return id, nil
	case e.Description == "invalid Basic authorization header":
		return "", oneLoginBadHeader
	case e.Status == http.StatusBadRequest && e.Description == "no client authentication mechanism provided":
		return "", oneLoginUnauthz
	case e.Status == http.StatusBadRequest && e.Code == "invalid_request" && strings.Contains(e.Description, "one mechanism"):
		return "", oneLoginBoth
	}
	return "", oneLoginAuthFailed
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
