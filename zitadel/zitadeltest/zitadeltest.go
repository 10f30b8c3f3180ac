// Package zitadeltest is a faithful fake of a ZITADEL instance's revocation
// and introspection endpoints and discovery document, with real token state,
// for tests and demos. It is built on the emulator core in package
// revoketest (token store, client registry, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := zitadeltest.Register(mt, "https://my-instance.zitadel.cloud")
//	fake.AddClient(revoketest.Client{ID: "app@project", Secret: "s3cret-value"})
//	pair := fake.Issue("app@project", "alice")
//
// It follows github.com/zitadel/oidc (pkg/op/token_revocation.go,
// verifier_jwt_profile.go, oidc/verifier.go), the library ZITADEL's OpenID
// provider is built on, ZITADEL's own introspection
// (internal/api/oidc/introspect.go, access_token.go) and its documentation
// (https://zitadel.com/docs/apis/openidoauth/endpoints#introspection_endpoint),
// and is independent of package zitadel: it describes the server, so that
// the adapter is tested against it rather than against itself.
package zitadeltest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/revoketest"
)

// Paths the fake serves.
const (
	RevokePath     = "/oauth/v2/revoke"
	IntrospectPath = "/oauth/v2/introspect"
	DiscoveryPath  = "/.well-known/openid-configuration"
)

// AccessTokenLifetime is what the introspection answer's exp reports: the
// default access token lifetime of a ZITADEL instance (12 hours). The fake
// never expires a token.
const AccessTokenLifetime = 12 * time.Hour

// Error descriptions, as zitadel/oidc writes them.
const (
	// DescInvalidAuthorization answers a request with neither Basic nor
	// client_id, and client_id without a secret from an application whose
	// method is not none.
	DescInvalidAuthorization = "invalid authorization"
	// DescInvalidBasic answers Basic credentials that are not
	// form-encoded properly.
	DescInvalidBasic = "invalid basic auth header"
	// DescInvalidSecret answers a wrong client secret.
	DescInvalidSecret = "invalid client_id / client_secret"
	// DescWrongClient answers another application's token
	// (zitadel/oidc's example storage).
	DescWrongClient = "token was not issued for this client"
	// DescJWTNotSupported answers a client assertion when the instance
	// does not support private_key_jwt.
	DescJWTNotSupported = "auth_method private_key_jwt not supported"
	// DescNoClient answers an introspection request with neither
	// client_id nor client_assertion.
	DescNoClient = "client_id or client_assertion must be provided"
	// DescNotAuthenticated answers an introspection request with a
	// client_id but neither a secret nor an assertion.
	DescNotAuthenticated = "client must be authenticated"
	// DescTokenMissing answers an introspection request without a token.
	DescTokenMissing = "token missing"
)

// Server emulates a ZITADEL instance:
//
//	POST /oauth/v2/revoke                   RFC 7009
//	POST /oauth/v2/introspect               RFC 7662
//	GET  /.well-known/openid-configuration  discovery
//
// At /oauth/v2/revoke, in zitadel/oidc's order:
//
//   - a client assertion (client_assertion_type jwt-bearer) is verified
//     against the application's public key, with "aud" required to hold
//     the issuer (the scheme and host the request arrived at); a failure
//     is 500 server_error whose description is the verification message,
//     as zitadel/oidc's RevocationError writes a plain error;
//   - Basic credentials are form-decoded (a bad escape is 401
//     invalid_client "invalid basic auth header") and checked (401 "invalid
//     client_id / client_secret");
//   - otherwise client_id is required (401 "invalid authorization"); an
//     unknown client is 401 invalid_client without a description; without
//     a secret the application's Method must be "none" (401 "invalid
//     authorization"); with one it is checked as above;
//   - hint access_token looks the token up as an access token only;
//     anything else tries it as a refresh token first. A refresh token ends
//     with its access token; an access token ends alone. Another
//     application's token is 401 invalid_client "token was not issued for
//     this client"; an unknown or inactive token is 200.
//
// Success is 200 with the body null and Content-Type application/json.
// Errors are {"error":…,"error_description":…} with 401 for invalid_client,
// 500 for server_error and 400 otherwise. Anything but POST is 405.
//
// /oauth/v2/introspect takes only an authenticated application, as
// ZITADEL's introspection does (an API application, or any with a secret
// or keys): Basic (form-decoded), client_id and client_secret in the body,
// or a client assertion (private_key_jwt, "aud" holding the issuer). As
// ZITADEL documents, a failed authorization is 401 invalid_client (its
// source answers some of these 400 unauthorized_client: the fake follows
// the documentation), with a description: no
// client ("client_id or client_assertion must be provided"), client_id
// alone ("client must be authenticated": a PKCE application cannot
// introspect), a bad Basic escape, a wrong secret, an unknown application,
// a refused assertion (the verification message), or private_key_jwt when
// DisablePrivateKeyJWT is set. A missing token is 400 invalid_request
// "token missing". ZITADEL introspects access tokens only, for the
// applications in their audience: an active access token issued to the
// caller is 200 {"active":true,"token_type":"Bearer","client_id","sub",
// "aud","iss","iat","nbf","exp"}, exp after AccessTokenLifetime (the fake
// never expires a token); anything else, a refresh token even a live one,
// another application's token, or an unknown or revoked token, is 200
// {"active":false}.
type Server struct {
	// Store holds the tokens; Clients the registered applications.
	*revoketest.Store
	Clients *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// DisablePrivateKeyJWT makes the instance refuse client assertions
	// with 401 invalid_client "auth_method private_key_jwt not supported".
	DisablePrivateKeyJWT bool
}

// New returns a fake instance with no applications.
func New() *Server {
	return &Server{Store: revoketest.NewStore(), Clients: &revoketest.Clients{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://my-instance.zitadel.cloud") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddClient registers an application. Method is its authentication method
// ("" accepts client_secret_basic and client_secret_post; "none" for PKCE
// applications; "private_key_jwt" with PublicKey).
func (s *Server) AddClient(c revoketest.Client) { s.Clients.Add(c) }

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

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
	issuer := revoketest.BaseURL(r)
	switch r.URL.Path {
	case DiscoveryPath:
		if r.Method != http.MethodGet {
			rec.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		writeJSON(rec, http.StatusOK, map[string]any{
			"issuer":                 issuer,
			"token_endpoint":         issuer + "/oauth/v2/token",
			"revocation_endpoint":    issuer + RevokePath,
			"introspection_endpoint": issuer + IntrospectPath,
			"revocation_endpoint_auth_methods_supported":    []string{"none", "client_secret_basic", "client_secret_post", "private_key_jwt"},
			"introspection_endpoint_auth_methods_supported": []string{"client_secret_basic", "private_key_jwt"},
		})
	case RevokePath:
		if r.Method != http.MethodPost {
			rec.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		// r.ParseForm reads the query too: zitadel/oidc decodes r.Form.
		all := url.Values{}
		for k, v := range r.URL.Query() {
			all[k] = v
		}
		for k, v := range form {
			all[k] = append(all[k], v...)
		}
		s.revoke(rec, r, all, issuer)
	case IntrospectPath:
		if r.Method != http.MethodPost {
			rec.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		// As at revocation, the query is read with the body.
		all := url.Values{}
		for k, v := range r.URL.Query() {
			all[k] = v
		}
		for k, v := range form {
			all[k] = append(all[k], v...)
		}
		s.introspect(rec, r, all, issuer)
	default:
		http.NotFound(rec, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	b, _ := json.Marshal(v)
	_, _ = w.Write(b)
}

// oidcError writes zitadel/oidc's error body with RevocationError's
// status: 401 for invalid_client, 500 for server_error, 400 otherwise.
func oidcError(w http.ResponseWriter, code, desc string) {
	status := http.StatusBadRequest
	switch code {
	case "invalid_client":
		status = http.StatusUnauthorized
	case "server_error":
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}{code, desc})
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, issuer string) {
	clientID, code, desc := s.authenticate(r, form, issuer)
	if code != "" {
		oidcError(w, code, desc)
		return
	}
	token := form.Get("token")
	info, found := s.Store.Lookup(token)
	if form.Get("token_type_hint") == "access_token" && info.Type != "access_token" {
		found = false // the refresh-token lookup is skipped
	}
	if found && info.Active {
		if info.ClientID != clientID {
			oidcError(w, "invalid_client", DescWrongClient)
			return
		}
		s.Store.Revoke(token, clientID)
	}
	writeJSON(w, http.StatusOK, nil)
}

// introspect answers RFC 7662 as ZITADEL's Server.Introspect does.
func (s *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, issuer string) {
	clientID, desc, ok := s.introspectionClient(r, form, issuer)
	if !ok {
		oidcError(w, "invalid_client", desc)
		return
	}
	token := form.Get("token")
	if token == "" {
		oidcError(w, "invalid_request", DescTokenMissing)
		return
	}
	info, active := s.Store.Introspect(token, clientID)
	if !active || info.Type != "access_token" {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	claims := s.Store.IntrospectionClaims(info, AccessTokenLifetime)
	claims["token_type"] = "Bearer"
	claims["aud"] = []string{info.ClientID}
	claims["iss"] = issuer
	if iat, ok := claims["iat"]; ok {
		claims["nbf"] = iat
	}
	writeJSON(w, http.StatusOK, claims)
}

// introspectionClient authenticates the caller of the introspection
// endpoint: a secret (Basic or in the body) or a client assertion, never
// client_id alone. It returns the client ID, or the description of the
// 401 invalid_client to answer.
func (s *Server) introspectionClient(r *http.Request, form url.Values, issuer string) (string, string, bool) {
	if form.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		if s.DisablePrivateKeyJWT {
			return "", DescJWTNotSupported, false
		}
		bare := r.Clone(r.Context())
		bare.Header.Del("Authorization")
		only := url.Values{"client_assertion_type": form["client_assertion_type"], "client_assertion": form["client_assertion"]}
		id, _, e := s.Clients.Authenticate(bare, only, []string{issuer})
		if e != nil {
			return "", verifyMessage(e.Description, issuer), false
		}
		return id, "", true
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if bid, bsecret, ok := r.BasicAuth(); ok {
		did, err1 := url.QueryUnescape(bid)
		dsecret, err2 := url.QueryUnescape(bsecret)
		if err1 != nil || err2 != nil {
			return "", DescInvalidBasic, false
		}
		id, secret = did, dsecret
	}
	switch {
	case id == "":
		return "", DescNoClient, false
	case secret == "":
		return "", DescNotAuthenticated, false
	}
	id, code, desc := s.checkSecret(id, secret)
	return id, desc, code == ""
}

// authenticate follows ParseTokenRevocationRequest. It returns the client
// ID, or the error code and description to answer.
func (s *Server) authenticate(r *http.Request, form url.Values, issuer string) (string, string, string) {
	if form.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		if s.DisablePrivateKeyJWT {
			return "", "invalid_client", DescJWTNotSupported
		}
		// The assertion alone: a Basic header is ignored on this path.
		bare := r.Clone(r.Context())
		bare.Header.Del("Authorization")
		only := url.Values{"client_assertion_type": form["client_assertion_type"], "client_assertion": form["client_assertion"]}
		id, _, e := s.Clients.Authenticate(bare, only, []string{issuer})
		if e != nil {
			return "", "server_error", verifyMessage(e.Description, issuer)
		}
		return id, "", ""
	}
	if id, secret, ok := r.BasicAuth(); ok {
		did, err1 := url.QueryUnescape(id)
		dsecret, err2 := url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return "", "invalid_client", DescInvalidBasic
		}
		return s.checkSecret(did, dsecret)
	}
	id := form.Get("client_id")
	if id == "" {
		return "", "invalid_client", DescInvalidAuthorization
	}
	c, ok := s.Clients.Get(id)
	if !ok {
		return "", "invalid_client", ""
	}
	if form.Get("client_secret") == "" {
		if c.Method != "none" {
			return "", "invalid_client", DescInvalidAuthorization
		}
		return id, "", ""
	}
	return s.checkSecret(id, form.Get("client_secret"))
}

func (s *Server) checkSecret(id, secret string) (string, string, string) {
	c, ok := s.Clients.Get(id)
	if !ok || c.Secret == "" || c.Secret != secret || (c.Method != "" && c.Method != "client_secret_basic" && c.Method != "client_secret_post") {
		return "", "invalid_client", DescInvalidSecret
	}
	return id, "", ""
}

// verifyMessage turns revoketest's assertion failure into the message
// zitadel/oidc's verifier would give (pkg/oidc/verifier.go).
func verifyMessage(desc, issuer string) string {
	switch {
	case strings.Contains(desc, "audience"):
		return fmt.Sprintf("audience is not valid: Audience must contain client_id %q", issuer)
	case strings.Contains(desc, "expired"):
		return "token has expired"
	case strings.Contains(desc, "iss and sub"):
		return "delegation not allowed, issuer and sub must be identical"
	case strings.Contains(desc, "not a signed JWT"):
		return "parsing of request failed: token contains an invalid number of segments"
	}
	return "invalid signature (error fetching keys: key not found)"
}

func (s *Server) fields() [][2]string {
	return [][2]string{{"Store", fmt.Sprint(s.Store)}, {"Clients", fmt.Sprint(s.Clients)}, {"Requests", strconv.Itoa(s.Log.Len())}}
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	redact.Format(f, verb, "zitadeltest.Server", s.fields())
}

// LogValue implements slog.LogValuer with the counts only.
func (s *Server) LogValue() slog.Value {
	if s == nil {
		return slog.GroupValue()
	}
	return redact.Log(s.fields())
}

// MarshalJSON implements json.Marshaler with the counts only.
func (s *Server) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	return redact.JSON(s.fields())
}
