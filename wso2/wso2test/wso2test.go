// Package wso2test is a faithful fake of the revocation endpoint of WSO2
// Identity Server, API Manager's Key Manager and Asgardeo, with real token
// state, for tests and demos. It is built on the emulator core in package
// revoketest (token store, client registry, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := wso2test.Register(mt, "https://localhost:9443")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.AccessToken ...
//	if fake.Active(pair.RefreshToken) { t.Error("still active") }
//
// It follows the server source, wso2-extensions/identity-inbound-auth-oauth
// (OAuthRevocationEndpoint, OAuth2Service.revokeTokenByOAuthClient and
// addRevokeResponseHeaders, BasicAuthClientAuthenticator,
// OAuthClientAuthenticatorProxy, InvalidRequestExceptionMapper), and is
// independent of package wso2: it describes the server, so that the adapter
// is tested against it rather than against itself.
package wso2test

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

	"github.com/revokekit/revoke/revoketest"
)

// Error descriptions, as the server source writes them
// (OAuthRevocationEndpoint, BasicAuthClientAuthenticator,
// OAuthClientAuthenticatorProxy).
const (
	// DescInvalidRequest answers a request without a token.
	DescInvalidRequest = "Invalid revocation request"
	// DescBothCredentials answers Basic credentials together with
	// client_id and client_secret in the body
	// (BasicAuthClientAuthenticator.validateDuplicatedBasicAuthInfo).
	DescBothCredentials = "Request body and headers contain authorization information"
	// DescAuthFailed answers a failed client authentication
	// (RevokeEndpointAccessDeniedException) and another client's access
	// token.
	DescAuthFailed = "Client Authentication failed."
	// DescRepeatedParams answers a repeated parameter
	// (RevokeEndpointBadRequestException).
	DescRepeatedParams = "Invalid request with repeated parameters."
)

// SuperTenant is the tenant domain served at /oauth2/revoke without a
// /t/{tenant} prefix (the Carbon super tenant).
const SuperTenant = "carbon.super"

// Token kinds (revoketest.TokenInfo.Kind) the fake lets a client revoke with
// client_id alone.
const (
	// KindImplicit marks implicit-grant access tokens
	// (OAuth2Service.revokeTokenByOAuthClient exempts them).
	KindImplicit = "implicit"
	// KindJWTGrant marks JWT-grant tokens, which WSO2 API Manager's
	// documentation says may be revoked the same way.
	KindJWTGrant = "jwt"
)

// Server emulates WSO2's revocation endpoint:
//
//	POST /oauth2/revoke             super tenant (carbon.super)
//	POST /t/{tenant}/oauth2/revoke  a tenant or Asgardeo organization
//
// It checks in the server's order:
//
//   - a body over revoketest.MaxRequestBytes is 413, and nothing else
//     happens;
//   - a repeated parameter is 400 invalid_request "Invalid request with
//     repeated parameters." (no Content-Type, never JSONP);
//   - a missing token is 400 invalid_request "Invalid revocation request";
//   - client authentication: Basic (scheme matched case-insensitively,
//     "Basic <base64>" with one space, the decoded value split on ':' as
//     Java's String.split does into exactly two parts, never form-decoded),
//     client_id and client_secret in the body, or client_id alone for a
//     client registered with Method "none" (an app allowing authentication
//     without the secret). Basic plus client_id and client_secret in the
//     body is 400 invalid_request "Request body and headers contain
//     authorization information"; any other failure is 401 invalid_client
//     "Client Authentication failed." with the JSON body labelled
//     Content-Type: text/html and WWW-Authenticate: Basic realm=<host>. A
//     client with the implicit grant enabled that failed authentication may
//     still revoke its own implicit-grant tokens (KindImplicit) and, as
//     WSO2 API Manager documents, JWT-grant tokens (KindJWTGrant);
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
// path fails. The methods of the embedded *revoketest.Store (Issue,
// IssueKind, Active, Lookup, …) issue and inspect tokens.
type Server struct {
	// Store holds the tokens; Clients the registered applications, with
	// RawBasic set as WSO2 does not form-decode Basic credentials.
	*revoketest.Store
	Clients *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
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

// New returns a fake WSO2 server with no clients.
func New() *Server {
	s := revoketest.NewStore()
	s.CascadeAccess = true
	return &Server{Store: s, Clients: &revoketest.Clients{RawBasic: true}, tenants: map[string]string{}, implicit: map[string]bool{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://localhost:9443") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddClient registers an application in the super tenant. Method "none"
// marks an app that allows authentication without the client secret.
func (s *Server) AddClient(c revoketest.Client) { s.AddTenantClient(SuperTenant, c) }

// AddTenantClient registers an application in tenant.
func (s *Server) AddTenantClient(tenant string, c revoketest.Client) {
	s.Clients.Add(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants[c.ID] = tenant
}

// IssueImplicit issues an access token as the implicit grant does: no
// refresh token, revocable with client_id alone. It marks the client as one
// with the implicit grant enabled (AllowImplicit).
func (s *Server) IssueImplicit(clientID, subject string) string {
	s.AllowImplicit(clientID)
	return s.IssueAccess(clientID, subject, KindImplicit)
}

// AllowImplicit marks clientID as an app with the implicit grant enabled:
// its implicit-grant tokens can be revoked with client_id alone.
// IssueImplicit does it for you.
func (s *Server) AllowImplicit(clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.implicit[clientID] = true
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
	tenant := ""
	switch segs := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/"); {
	case r.URL.Path == "/oauth2/revoke":
		tenant = SuperTenant
	case len(segs) == 4 && segs[0] == "t" && segs[1] != "" && segs[2] == "oauth2" && segs[3] == "revoke":
		tenant = segs[1]
	default:
		http.NotFound(rec, r)
		return
	}
	s.revoke(rec, r, form, tenant)
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

// answer writes one answer, JSON or JSONP.
type answer struct {
	callback string
	host     string
}

func (a answer) writeError(w http.ResponseWriter, status int, code, desc string, contentType string, challenge bool) {
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

func (s *Server) revoke(rw http.ResponseWriter, r *http.Request, form url.Values, tenant string) {
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
			answer{host: host}.writeError(rw, http.StatusBadRequest, "invalid_request", DescRepeatedParams, "", false)
			return
		}
	}
	ans := answer{callback: form.Get("callback"), host: host}
	token := form.Get("token")
	if token == "" {
		ans.writeError(rw, http.StatusBadRequest, "invalid_request", DescInvalidRequest, "application/json", false)
		return
	}
	clientID, authErr := s.authenticate(r, form, tenant)
	if authErr != nil && !s.implicitClient(clientID) {
		s.authFailure(rw, ans, authErr)
		return
	}
	info, found := s.find(token, clientID)
	if authErr != nil && !(found && (info.Kind == KindImplicit || info.Kind == KindJWTGrant)) {
		s.authFailure(rw, ans, authErr)
		return
	}
	h := rw.Header()
	if found {
		if info.Type == "access_token" && info.ClientID != clientID {
			ans.writeError(rw, http.StatusUnauthorized, "unauthorized_client", DescAuthFailed, "application/json", true)
			return
		}
		s.Store.Revoke(token, "")
		if !s.DisableRevokeResponseHeaders {
			if !s.DisableTokenHeaders {
				access, refresh := info.Value, info.Sibling
				if info.Type == "refresh_token" {
					access, refresh = info.Sibling, info.Value
				}
				if info.Kind == KindImplicit {
					refresh = "" // the implicit grant issues none
				}
				if access != "" {
					h.Set("RevokedAccessToken", access)
				}
				if refresh != "" {
					h.Set("RevokedRefreshToken", refresh)
				}
			}
			h.Set("AuthorizedUser", info.Subject+"@"+s.tenantOf(info.ClientID))
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
func (s *Server) find(token, clientID string) (revoketest.TokenInfo, bool) {
	info, ok := s.Store.Lookup(token)
	if !ok || !info.Active {
		return revoketest.TokenInfo{}, false
	}
	if info.Type == "refresh_token" && info.ClientID != clientID {
		// getVerifiedRefreshToken is scoped to the authenticated client.
		return revoketest.TokenInfo{}, false
	}
	return info, true
}

func (s *Server) authFailure(rw http.ResponseWriter, ans answer, e *revoketest.OAuthError) {
	if e.Code == "invalid_client" {
		// RevokeEndpointAccessDeniedException → InvalidRequestExceptionMapper.
		ans.writeError(rw, http.StatusUnauthorized, "invalid_client", DescAuthFailed, "text/html", true)
		return
	}
	ans.writeError(rw, http.StatusBadRequest, e.Code, e.Description, "application/json", false)
}

func (s *Server) tenantOf(clientID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tenants[clientID]
}

// implicitClient reports whether clientID has the implicit grant enabled:
// marked with AllowImplicit, or holding implicit or JWT-grant tokens.
func (s *Server) implicitClient(clientID string) bool {
	if clientID == "" {
		return false
	}
	s.mu.Lock()
	marked := s.implicit[clientID]
	s.mu.Unlock()
	return marked || len(s.Store.Tokens(func(t revoketest.TokenInfo) bool {
		return t.ClientID == clientID && (t.Kind == KindImplicit || t.Kind == KindJWTGrant)
	})) > 0
}

// authenticate applies WSO2's client authenticators and returns the client
// ID the request names and, when authentication failed, the error the
// authentication context carries.
func (s *Server) authenticate(r *http.Request, form url.Values, tenant string) (string, *revoketest.OAuthError) {
	fail := &revoketest.OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: DescAuthFailed}
	authz := strings.TrimSpace(r.Header.Get("Authorization"))
	hasBasic := strings.HasPrefix(strings.ToUpper(authz), "BASIC")
	bodyCreds := form.Get("client_id") != "" && form.Get("client_secret") != ""
	var id, secret string
	switch {
	case hasBasic && bodyCreds:
		return form.Get("client_id"), &revoketest.OAuthError{Status: http.StatusBadRequest, Code: "invalid_request", Description: DescBothCredentials}
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
		if c, ok := s.Clients.Get(id); ok && c.Method == "none" && s.tenantOf(id) == tenant {
			return id, nil
		}
		return id, fail
	default:
		return "", fail
	}
	c, ok := s.Clients.Get(id)
	if !ok || s.tenantOf(id) != tenant || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
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
