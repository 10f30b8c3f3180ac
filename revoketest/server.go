package revoketest

import (
	"crypto/x509"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/jarcoal/httpmock"
)

// Paths served by Server, relative to its base URL.
const (
	RevokePath     = "/revoke"
	IntrospectPath = "/introspect"
	TokenPath      = "/token"
)

// Server emulates an RFC 7009 authorization server:
//
//	POST /revoke                              RFC 7009 revocation
//	POST /introspect                          RFC 7662 introspection
//	GET  /.well-known/oauth-authorization-server  RFC 8414 metadata
//	GET  /.well-known/openid-configuration        the same document
//
// StartTLS serves it over TLS with a second listener for mutual TLS
// (RFC 8705), whose clients Clients.Authenticate checks by certificate.
//
// Its behaviour follows the two real servers described in the project's
// peers reference (oidc-provider and fosite): success is 200 with an empty
// body, also for unknown tokens; Basic credentials must be form-encoded per
// RFC 6749 §2.3.1; credentials in both header and body are refused;
// invalid_client is 401 with WWW-Authenticate after Basic.
//
// The issuer is the scheme and host a request arrived at, so the same Server
// works behind httptest.NewServer and behind an httpmock transport.
type Server struct {
	// Store holds the tokens; Clients the registered clients.
	*Store
	Clients *Clients
	// Faults queues injected answers; Log records every request.
	Faults Faults
	Log    Log
	// AuthMethods is advertised as revocation_endpoint_auth_methods_supported.
	AuthMethods []string
	// MTLSBaseURL, when set, is the base URL of a listener of s that
	// requests client certificates (see StartTLS). The metadata then lists
	// its endpoints as mtls_endpoint_aliases (RFC 8705 §5) and
	// tls_client_certificate_bound_access_tokens as false (§3.3: the
	// emulator does not bind the tokens it issues).
	MTLSBaseURL string
}

// NewServer returns an emulator with no clients. Register clients with
// AddClient.
func NewServer() *Server {
	return &Server{
		Store:       NewStore(),
		Clients:     &Clients{},
		AuthMethods: []string{"client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none"},
	}
}

// AddClient registers c.
func (s *Server) AddClient(c Client) { s.Clients.Add(c) }

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []RecordedRequest { return s.Log.Requests() }

// Register serves s for every request under baseURL on mt, e.g.
// s.Register(mt, "https://auth.example.com").
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	RegisterHandler(mt, baseURL, s)
}

// BaseURL is the scheme and host r arrived at.
func BaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || (r.URL != nil && r.URL.Scheme == "https") {
		scheme = "https"
	}
	host := r.Host
	if host == "" && r.URL != nil {
		host = r.URL.Host
	}
	return scheme + "://" + host
}

// Metadata is the RFC 8414 document the Server publishes for base.
func (s *Server) Metadata(base string) map[string]any {
	md := map[string]any{
		"issuer":                 base,
		"token_endpoint":         base + TokenPath,
		"revocation_endpoint":    base + RevokePath,
		"introspection_endpoint": base + IntrospectPath,
		"revocation_endpoint_auth_methods_supported":            s.AuthMethods,
		"revocation_endpoint_auth_signing_alg_values_supported": []string{"RS256", "PS256", "ES256", "EdDSA", "HS256"},
	}
	if m := s.MTLSBaseURL; m != "" {
		md["tls_client_certificate_bound_access_tokens"] = false
		md["mtls_endpoint_aliases"] = map[string]string{
			"token_endpoint":         m + TokenPath,
			"revocation_endpoint":    m + RevokePath,
			"introspection_endpoint": m + IntrospectPath,
		}
	}
	return md
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	body, form, ok := ReadRequest(rec, r)
	defer func() {
		var peers []*x509.Certificate
		if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
			peers = slices.Clone(r.TLS.PeerCertificates)
		}
		s.Log.Add(RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status, PeerCertificates: peers})
	}()
	if !ok || s.Faults.Serve(rec) {
		return
	}
	base := BaseURL(r)
	switch r.URL.Path {
	case "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration":
		if r.Method != http.MethodGet {
			http.Error(rec, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		writeJSON(rec, http.StatusOK, s.Metadata(base))
	case RevokePath:
		s.revoke(rec, r, form, base)
	case IntrospectPath:
		s.introspect(rec, r, form, base)
	default:
		http.NotFound(rec, r)
	}
}

// checkForm enforces RFC 7009 §2.1 / RFC 6749 §3.2 request rules shared by
// the revocation and introspection endpoints.
func checkForm(r *http.Request, form url.Values) *OAuthError {
	if r.Method != http.MethodPost {
		return &OAuthError{Status: http.StatusNotFound, Code: "invalid_request", Description: "the endpoint accepts only POST"}
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		return &OAuthError{Status: 400, Code: "invalid_request", Description: "only application/x-www-form-urlencoded content-type bodies are supported"}
	}
	for k, v := range form {
		if len(v) > 1 {
			return &OAuthError{Status: 400, Code: "invalid_request", Description: "'" + k + "' parameter must not be provided twice"}
		}
	}
	return nil
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, base string) {
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	clientID, _, e := s.Clients.Authenticate(r, form, []string{base, base + RevokePath, base + TokenPath})
	if e != nil {
		e.Write(w)
		return
	}
	token := form.Get("token")
	if token == "" {
		(&OAuthError{Status: 400, Code: "invalid_request", Description: "missing required parameter 'token'"}).Write(w)
		return
	}
	if out := s.Store.Revoke(token, clientID); out.WrongClient {
		(&OAuthError{Status: 400, Code: "unauthorized_client", Description: "client is not authorized to revoke the presented token"}).Write(w)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

func (s *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, base string) {
	if e := checkForm(r, form); e != nil {
		e.Write(w)
		return
	}
	if _, _, e := s.Clients.Authenticate(r, form, []string{base, base + IntrospectPath, base + TokenPath}); e != nil {
		e.Write(w)
		return
	}
	info, ok := s.Store.Lookup(form.Get("token"))
	if !ok || !info.Active {
		writeJSON(w, http.StatusOK, map[string]any{"active": false})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": true, "client_id": info.ClientID, "token_type": info.Type, "sub": info.Subject})
}

// MaxRequestBytes bounds the request bodies emulators accept.
const MaxRequestBytes = 1 << 20

// ReadRequest reads r's body and parses it as a form when it is
// form-encoded. The body stays readable for the caller's records. A body
// longer than MaxRequestBytes is never cut and acted on: ReadRequest
// answers 413 Payload Too Large itself and ok is false.
func ReadRequest(w http.ResponseWriter, r *http.Request) (body []byte, form url.Values, ok bool) {
	form = url.Values{}
	if r.Body == nil {
		return nil, form, true
	}
	body, _ = io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	if len(body) > MaxRequestBytes {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "invalid_request", "error_description": "request body too large"})
		return nil, nil, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		if v, err := url.ParseQuery(string(body)); err == nil {
			form = v
		}
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	return body, form, true
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
