package revoketest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/jarcoal/httpmock"
)

// WSO2 error descriptions, as the server source writes them
// (wso2-extensions/identity-inbound-auth-oauth: OAuthRevocationEndpoint,
// BasicAuthClientAuthenticator, OAuthClientAuthenticatorProxy).
const (
	WSO2DescInvalidRequest  = "Invalid revocation request"
	WSO2DescBothCredentials = "Request body and headers contain authorization information"
	WSO2DescAuthFailed      = "Client Authentication failed."
	WSO2DescRepeatedParams  = "Invalid request with repeated parameters."
)

// WSO2SuperTenant is the tenant served at /oauth2/revoke.
const WSO2SuperTenant = "carbon.super"

// Token kinds the WSO2 emulator lets a client revoke with client_id alone.
const (
	WSO2KindImplicit = "implicit"
	WSO2KindJWTGrant = "jwt"
)

// WSO2 emulates the revocation endpoint of WSO2 Identity Server, API
// Manager's Key Manager and Asgardeo:
//
//	POST /oauth2/revoke             super tenant (carbon.super)
//	POST /t/{tenant}/oauth2/revoke  a tenant or Asgardeo organization
//
// It follows the server source (wso2-extensions/identity-inbound-auth-oauth:
// OAuthRevocationEndpoint, OAuth2Service.revokeTokenByOAuthClient,
// BasicAuthClientAuthenticator, InvalidRequestExceptionMapper), checked in
// this order:
//
//   - a repeated parameter is 400 invalid_request "Invalid request with
//     repeated parameters.";
//   - a missing token is 400 invalid_request "Invalid revocation request";
//   - client authentication: Basic (scheme matched case-insensitively,
//     "Basic <base64>" with one space, the decoded value split on ':' into
//     exactly two parts, never form-decoded), client_id and client_secret in
//     the body, or client_id alone for a client marked Method "none" (an app
//     allowing authentication without the secret). Basic plus client_id and
//     client_secret in the body is 400 invalid_request "Request body and
//     headers contain authorization information"; any other failure is 401
//     invalid_client "Client Authentication failed." with the JSON body
//     labelled Content-Type: text/html and WWW-Authenticate: Basic
//     realm=<host>. A client with the implicit grant enabled that failed
//     authentication may still revoke its own implicit-grant tokens (Kind
//     "implicit") and, as WSO2 API Manager documents, JWT-grant tokens
//     (Kind "jwt");
//   - an access token of another client is 401 unauthorized_client (JSON);
//     a refresh token of another client is not found (the lookup is scoped
//     to the client), so 200 without headers;
//   - success is 200 with an empty body, plus the RevokedAccessToken,
//     RevokedRefreshToken and AuthorizedUser headers only when an active
//     token was found and revoked. Revoking either token of a pair revokes
//     both (WSO2 keeps them in one record).
//
// A request carrying "callback" gets WSO2's JSONP answers.
//
// Clients belong to a tenant: AddClient registers in the super tenant,
// AddTenantClient in another; a client authenticating at another tenant's
// path fails.
type WSO2 struct {
	// Store holds the tokens; Clients the registered applications, with
	// RawBasic set as WSO2 does not form-decode Basic credentials.
	*Store
	Clients *Clients
	// Faults queues injected answers; Log records every request.
	Faults Faults
	Log    Log
	// DisableRevokeResponseHeaders turns off all three response headers
	// (identity.xml EnableRevokeResponseHeaders=false).
	DisableRevokeResponseHeaders bool
	// DisableTokenHeaders turns off RevokedAccessToken and
	// RevokedRefreshToken but keeps AuthorizedUser
	// (OAuth.EnableRevokeTokenHeadersInResponse=false).
	DisableTokenHeaders bool

	mu       sync.Mutex
	tenants  map[string]string // client ID → tenant
	implicit map[string]bool   // clients with the implicit grant enabled
}

// NewWSO2 returns a WSO2 emulator with no clients.
func NewWSO2() *WSO2 {
	s := NewStore()
	s.CascadeAccess = true
	return &WSO2{Store: s, Clients: &Clients{RawBasic: true}, tenants: map[string]string{}, implicit: map[string]bool{}}
}

// RegisterWSO2 starts a WSO2 emulator behind mt for every request under
// baseURL (e.g. "https://localhost:9443") and returns it:
//
//	fake := revoketest.RegisterWSO2(mt, "https://localhost:9443")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.AccessToken ...
//	if fake.Active(pair.RefreshToken) { t.Error("still active") }
func RegisterWSO2(mt *httpmock.MockTransport, baseURL string) *WSO2 {
	w := NewWSO2()
	w.Register(mt, baseURL)
	return w
}

// Register serves w for every request under baseURL on mt.
func (w *WSO2) Register(mt *httpmock.MockTransport, baseURL string) {
	RegisterHandler(mt, baseURL, w)
}

// AddClient registers an application in the super tenant. Method "none"
// marks an app that allows authentication without the client secret.
func (w *WSO2) AddClient(c Client) { w.AddTenantClient(WSO2SuperTenant, c) }

// AddTenantClient registers an application in tenant.
func (w *WSO2) AddTenantClient(tenant string, c Client) {
	w.Clients.Add(c)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tenants[c.ID] = tenant
}

// IssueImplicit issues an access token as the implicit grant does: no
// refresh token, revocable with client_id alone. It marks the client as one
// with the implicit grant enabled (AllowImplicit).
func (w *WSO2) IssueImplicit(clientID, subject string) string {
	w.AllowImplicit(clientID)
	p := w.IssueKind(clientID, subject, WSO2KindImplicit)
	s := w.Store
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, p.RefreshToken)
	s.tokens[p.AccessToken].Sibling = ""
	return p.AccessToken
}

// FailNext makes the next n requests answer f.
func (w *WSO2) FailNext(n int, f Fault) { w.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (w *WSO2) Requests() []RecordedRequest { return w.Log.Requests() }

// ServeHTTP implements http.Handler.
func (w *WSO2) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: rw, status: http.StatusOK}
	body, form := ReadRequest(r)
	defer func() {
		w.Log.Add(RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if w.Faults.Serve(rec) {
		return
	}
	tenant := ""
	switch segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/"); {
	case r.URL.Path == "/oauth2/revoke":
		tenant = WSO2SuperTenant
	case len(segs) == 4 && segs[0] == "t" && segs[1] != "" && segs[2] == "oauth2" && segs[3] == "revoke":
		tenant = segs[1]
	default:
		http.NotFound(rec, r)
		return
	}
	w.revoke(rec, r, form, tenant)
}

// wso2Answer is one answer, JSON or JSONP.
type wso2Answer struct {
	callback string
	host     string
}

func (a wso2Answer) writeError(w http.ResponseWriter, status int, code, desc string, contentType string, challenge bool) {
	if challenge {
		w.Header().Set("WWW-Authenticate", "Basic realm="+a.host)
	}
	if a.callback != "" {
		// JSONP errors carry no error_description (OAuthRevocationEndpoint).
		b, _ := json.Marshal(map[string]string{"error": code})
		w.Header().Set("Content-Type", "application/javascript")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(a.callback + "(" + string(b) + ");"))
		return
	}
	b, _ := json.Marshal(struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (w *WSO2) revoke(rw http.ResponseWriter, r *http.Request, form url.Values, tenant string) {
	if r.Method != http.MethodPost {
		rw.Header().Set("Allow", "POST")
		rw.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		rw.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	host := r.Host
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	for _, v := range form {
		if len(v) > 1 {
			// RevokeEndpointBadRequestException: written without a
			// Content-Type and never as JSONP.
			wso2Answer{host: host}.writeError(rw, http.StatusBadRequest, "invalid_request", WSO2DescRepeatedParams, "", false)
			return
		}
	}
	ans := wso2Answer{callback: form.Get("callback"), host: host}
	token := form.Get("token")
	if token == "" {
		ans.writeError(rw, http.StatusBadRequest, "invalid_request", WSO2DescInvalidRequest, "application/json", false)
		return
	}
	clientID, authErr := w.authenticate(r, form, tenant)
	if authErr != nil && !w.implicitClient(clientID) {
		w.authFailure(rw, ans, authErr)
		return
	}
	info, found := w.find(token, clientID)
	if authErr != nil && !(found && (info.Kind == WSO2KindImplicit || info.Kind == WSO2KindJWTGrant)) {
		w.authFailure(rw, ans, authErr)
		return
	}
	h := rw.Header()
	if found {
		if info.Type == "access_token" && info.ClientID != clientID {
			ans.writeError(rw, http.StatusUnauthorized, "unauthorized_client", WSO2DescAuthFailed, "application/json", true)
			return
		}
		w.Store.Revoke(token, "")
		if !w.DisableRevokeResponseHeaders {
			if !w.DisableTokenHeaders {
				access, refresh := info.Value, info.Sibling
				if info.Type == "refresh_token" {
					access, refresh = info.Sibling, info.Value
				}
				if access != "" {
					h.Set("RevokedAccessToken", access)
				}
				if refresh != "" {
					h.Set("RevokedRefreshToken", refresh)
				}
			}
			h.Set("AuthorizedUser", info.Subject+"@"+w.tenantOf(info.ClientID))
		}
	}
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	if ans.callback != "" {
		h.Set("Content-Type", "application/javascript")
		rw.WriteHeader(http.StatusOK)
		_, _ = rw.Write([]byte(ans.callback + "();"))
		return
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", "0")
	rw.WriteHeader(http.StatusOK)
}

// find looks a token up as OAuth2Service does: access tokens of any client,
// refresh tokens of clientID only (the hint only changes the order, which
// one store makes moot). Only active tokens are found.
func (w *WSO2) find(token, clientID string) (TokenInfo, bool) {
	info, ok := w.Store.Lookup(token)
	if !ok || !info.Active {
		return TokenInfo{}, false
	}
	if info.Type == "refresh_token" && info.ClientID != clientID {
		// getVerifiedRefreshToken is scoped to the authenticated client.
		return TokenInfo{}, false
	}
	return info, true
}

func (w *WSO2) authFailure(rw http.ResponseWriter, ans wso2Answer, e *OAuthError) {
	if e.Code == "invalid_client" {
		// RevokeEndpointAccessDeniedException → InvalidRequestExceptionMapper.
		ans.writeError(rw, http.StatusUnauthorized, "invalid_client", WSO2DescAuthFailed, "text/html", true)
		return
	}
	ans.writeError(rw, http.StatusBadRequest, e.Code, e.Description, "application/json", false)
}

func (w *WSO2) tenantOf(clientID string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.tenants[clientID]
}

// AllowImplicit marks clientID as an app with the implicit grant enabled:
// its implicit-grant tokens can be revoked with client_id alone.
// IssueImplicit does it for you.
func (w *WSO2) AllowImplicit(clientID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.implicit[clientID] = true
}

// implicitClient reports whether clientID has the implicit grant enabled:
// marked with AllowImplicit, or holding implicit or JWT-grant tokens.
func (w *WSO2) implicitClient(clientID string) bool {
	if clientID == "" {
		return false
	}
	w.mu.Lock()
	marked := w.implicit[clientID]
	w.mu.Unlock()
	return marked || len(w.Store.Tokens(func(t TokenInfo) bool {
		return t.ClientID == clientID && (t.Kind == WSO2KindImplicit || t.Kind == WSO2KindJWTGrant)
	})) > 0
}

// authenticate applies WSO2's client authenticators and returns the client
// ID the request names and, when authentication failed, the error the
// authentication context carries.
func (w *WSO2) authenticate(r *http.Request, form url.Values, tenant string) (string, *OAuthError) {
	fail := &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: WSO2DescAuthFailed}
	authz := strings.TrimSpace(r.Header.Get("Authorization"))
	hasBasic := strings.HasPrefix(strings.ToUpper(authz), "BASIC")
	bodyCreds := form.Get("client_id") != "" && form.Get("client_secret") != ""
	var id, secret string
	switch {
	case hasBasic && bodyCreds:
		return form.Get("client_id"), &OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: WSO2DescBothCredentials}
	case hasBasic:
		parts := strings.Split(authz, " ")
		if len(parts) != 2 {
			return "", fail
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(parts[1]))
		if err != nil {
			return "", fail
		}
		creds := javaSplit(string(raw), ":")
		if len(creds) != 2 {
			return "", fail
		}
		id, secret = creds[0], creds[1]
	case bodyCreds:
		id, secret = form.Get("client_id"), form.Get("client_secret")
	case form.Get("client_id") != "":
		id = form.Get("client_id")
		if c, ok := w.Clients.Get(id); ok && c.Method == "none" && w.tenantOf(id) == tenant {
			return id, nil
		}
		return id, fail
	default:
		return "", fail
	}
	c, ok := w.Clients.Get(id)
	if !ok || w.tenantOf(id) != tenant || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return id, fail
	}
	return id, nil
}

// javaSplit splits as Java's String.split does: trailing empty strings are
// removed, so "id:secret:" yields two parts and "id:" one.
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}
