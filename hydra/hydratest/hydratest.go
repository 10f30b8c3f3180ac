// Package hydratest is a faithful fake of Ory Hydra (and Ory Network's
// OAuth2 service) for tests and demos: the public revocation endpoint, the
// discovery document, and the admin API's token introspection and consent
// and login session endpoints, with real token, consent and login-session
// state. It is built on the emulator core in package revoketest (token
// store, client registry, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := hydratest.Register(mt, "https://auth.example.com")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
//
// It follows fosite (github.com/ory/fosite: revoke_handler.go,
// client_authentication.go, handler/oauth2/revocation.go,
// introspection_request_handler.go, introspection_response_writer.go) and
// Hydra (oauth2/handler.go: introspectOAuth2Token;
// github.com/ory/hydra v2: consent/handler.go,
// persistence/sql/persister_consent.go), and is independent of package
// hydra: it describes the server, so that the adapter is tested against it
// rather than against itself.
package hydratest

import (
	"crypto/rand"
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

	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/revoketest"
)

// Paths the fake serves.
const (
	RevokePath          = "/oauth2/revoke"
	TokenPath           = "/oauth2/token"
	DiscoveryPath       = "/.well-known/openid-configuration"
	ConsentSessionsPath = "/admin/oauth2/auth/sessions/consent"
	LoginSessionsPath   = "/admin/oauth2/auth/sessions/login"
	IntrospectPath      = "/admin/oauth2/introspect"
)

// Lifetimes the introspection answer's exp reports: Hydra's defaults
// (ttl.access_token 1h, ttl.refresh_token 720h). The fake never expires a
// token.
const (
	AccessTokenLifetime  = time.Hour
	RefreshTokenLifetime = 720 * time.Hour
)

// Error descriptions and hints, as fosite and Hydra write them.
const (
	// DescInvalidRequest is fosite's invalid_request description.
	DescInvalidRequest = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed."
	// DescInvalidClient is fosite's invalid_client description.
	DescInvalidClient = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
	// DescUnauthorizedClient is fosite's unauthorized_client description,
	// answered for another client's token.
	DescUnauthorizedClient = "The client is not authorized to request a token using this method."
	// HintNoSubject answers an admin DELETE without a subject.
	HintNoSubject = "Query parameter 'subject' is not defined but should have been."
	// HintNoClientOrAll answers a consent DELETE with neither client nor
	// all=true.
	HintNoClientOrAll = "Query parameter both 'client' and 'all' is not defined but one of them should have been."
	// HintNoSubjectOrSID answers a login DELETE with neither subject nor
	// sid.
	HintNoSubjectOrSID = "Either 'subject' or 'sid' query parameters need to be defined."
	// DescNotFound is Hydra's x.ErrNotFound description.
	DescNotFound = "Unable to locate the requested resource"
)

// Server emulates Hydra:
//
//	POST   /oauth2/revoke                        RFC 7009, fosite's rules
//	GET    /.well-known/openid-configuration     discovery
//	DELETE /admin/oauth2/auth/sessions/consent   ?subject=…&all=true | &client=…
//	DELETE /admin/oauth2/auth/sessions/login     ?subject=… | ?sid=…
//	POST   /admin/oauth2/introspect              RFC 7662, no client authentication
//
// ServeHTTP serves both, as Ory Network does on one project URL;
// PublicHandler and AdminHandler serve one side each, as self-hosted Hydra
// does on two ports (4444 and 4445), answering 404 "404 page not found"
// for the other side's paths.
//
// At /oauth2/revoke, in fosite's order:
//
//   - anything but a POST with a non-empty form body is 400
//     invalid_request;
//   - client authentication (revoketest.Clients, RFC 6749 §2.3.1
//     form-decoding of Basic credentials; a client registered with a
//     Method must use it; a client assertion's "aud" must be the token
//     endpoint, {base}/oauth2/token): a failure is 401 invalid_client,
//     with WWW-Authenticate: Basic after Basic; malformed credentials are
//     400 invalid_request;
//   - a token unknown, expired, revoked or missing is 200; another
//     client's token is 400 unauthorized_client; otherwise the grant ends:
//     both tokens of the pair, whichever was sent.
//
// Every answer carries Cache-Control: no-store and Pragma: no-cache; error
// bodies are fosite's, {"error":…,"error_description":…}.
//
// POST /admin/oauth2/introspect is on the admin side only: Hydra's public
// port has no introspection, and its discovery document names none. It
// takes no client authentication (the admin port is protected on the
// network; Ory Network wants its API key, see APIKey), and answers any
// client's token: anything but a POST is 405; a body that is not a
// non-empty form is 400 invalid_request; an active token is 200
// {"active":true,"client_id","sub","iss","aud":[],"iat","nbf","exp",
// "token_use"} with "token_type":"Bearer" for an access token, exp after
// AccessTokenLifetime or RefreshTokenLifetime (the fake never expires a
// token); a token that is unknown, revoked or missing, or the request of a
// scope (the fake grants none), is 200 {"active":false}, as fosite writes
// an inactive token.
//
// The admin API answers 204 to a DELETE that revoked something and to one
// that found nothing (Hydra v2), unless NotFoundForUnknownSubject is set.
// Revoking a consent session revokes every token issued under it; ending
// login sessions revokes no token. Admin errors are Hydra's errorOAuth2
// JSON with error_hint and status_code.
type Server struct {
	// Store holds the tokens; Clients the registered OAuth 2.0 clients.
	*revoketest.Store
	Clients *revoketest.Clients
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
	// APIKey, when set, is required on the admin API as
	// "Authorization: Bearer <key>", as Ory Network does; a missing or
	// wrong key is 401 with Ory's generic error body.
	APIKey string
	// NotFoundForUnknownSubject makes the admin DELETEs answer 404
	// {"error":"Not Found","error_description":"Unable to locate the
	// requested resource"} when they find nothing, as older Hydra
	// releases did.
	NotFoundForUnknownSubject bool

	mu       sync.Mutex
	consents []*consent
	logins   map[string][]string // subject → login session IDs
}

type consent struct {
	subject, client string
	tokens          []string
}

// New returns a fake Hydra with no clients.
func New() *Server {
	st := revoketest.NewStore()
	st.CascadeAccess = true // fosite revokes the whole grant
	return &Server{Store: st, Clients: &revoketest.Clients{}, logins: map[string][]string{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://auth.example.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s, both sides, for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddClient registers an OAuth 2.0 client. Method is its
// token_endpoint_auth_method ("" accepts client_secret_basic and
// client_secret_post); PublicKey verifies private_key_jwt assertions.
func (s *Server) AddClient(c revoketest.Client) { s.Clients.Add(c) }

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// Issue grants subject's consent to clientID (one consent session per
// subject and client) and issues an access and refresh token pair under
// it, as the authorization code flow does.
func (s *Server) Issue(clientID, subject string) revoketest.Pair {
	p := s.Store.Issue(clientID, subject)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.consents {
		if c.subject == subject && c.client == clientID {
			c.tokens = append(c.tokens, p.AccessToken, p.RefreshToken)
			return p
		}
	}
	s.consents = append(s.consents, &consent{subject: subject, client: clientID, tokens: []string{p.AccessToken, p.RefreshToken}})
	return p
}

// Login opens a login session for subject, as the login flow does with
// "remember me", and returns its ID (the sid claim).
func (s *Server) Login(subject string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	sid := "sid-" + base64.RawURLEncoding.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[subject] = append(s.logins[subject], sid)
	return sid
}

// ConsentClients lists the clients subject has a consent session with.
func (s *Server) ConsentClients(subject string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.consents {
		if c.subject == subject {
			out = append(out, c.client)
		}
	}
	slices.Sort(out)
	return out
}

// LoginSessions returns how many login sessions subject has.
func (s *Server) LoginSessions(subject string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.logins[subject])
}

// PublicHandler serves the public side only (port 4444).
func (s *Server) PublicHandler() http.Handler { return side{s, public} }

// AdminHandler serves the admin side only (port 4445).
func (s *Server) AdminHandler() http.Handler { return side{s, admin} }

// ServeHTTP serves both sides.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.serve(w, r, public|admin) }

type sides int

const (
	public sides = 1 << iota
	admin
)

type side struct {
	s     *Server
	sides sides
}

func (h side) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.s.serve(w, r, h.sides) }

// recorder keeps the status written, for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) serve(rw http.ResponseWriter, r *http.Request, sides sides) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok || s.Faults.Serve(rec) {
		return
	}
	base := revoketest.BaseURL(r)
	switch p := r.URL.Path; {
	case p == RevokePath && sides&public != 0:
		s.revoke(rec, r, form, base)
	case p == DiscoveryPath && sides&public != 0:
		s.discovery(rec, r, base)
	case (p == ConsentSessionsPath || p == LoginSessionsPath) && sides&admin != 0:
		s.admin(rec, r, p)
	case p == IntrospectPath && sides&admin != 0:
		s.introspect(rec, r, form, base)
	default:
		http.NotFound(rec, r)
	}
}

// writeJSON writes v with fosite's content type and cache headers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(v)
	_, _ = w.Write(b)
}

// fositeError is fosite's revocation error body: the bare sentinel.
func fositeError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{code, desc})
}

// hydraError is Hydra's admin errorOAuth2 body.
func hydraError(w http.ResponseWriter, status int, code, desc, hint string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Hint        string `json:"error_hint,omitempty"`
		StatusCode  int    `json:"status_code"`
	}{code, desc, hint, status})
}

func (s *Server) discovery(w http.ResponseWriter, r *http.Request, base string) {
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base,
		"authorization_endpoint":                base + "/oauth2/auth",
		"token_endpoint":                        base + TokenPath,
		"revocation_endpoint":                   base + RevokePath,
		"jwks_uri":                              base + "/.well-known/jwks.json",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "client_secret_basic", "private_key_jwt", "none"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"RS256", "ES256", "PS256"},
	})
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, base string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if r.Method != http.MethodPost || mt != "application/x-www-form-urlencoded" || len(form) == 0 {
		fositeError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return
	}
	clientID, _, e := s.Clients.Authenticate(r, form, []string{base + TokenPath})
	if e != nil {
		if e.Code == "invalid_client" {
			if authz := r.Header.Get("Authorization"); len(authz) > 6 && strings.EqualFold(authz[:6], "basic ") {
				w.Header().Set("WWW-Authenticate", "Basic")
			}
			fositeError(w, http.StatusUnauthorized, "invalid_client", DescInvalidClient)
			return
		}
		fositeError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return
	}
	token := form.Get("token")
	if info, found := s.Store.Lookup(token); found && info.Active {
		if info.ClientID != clientID {
			fositeError(w, http.StatusBadRequest, "unauthorized_client", DescUnauthorizedClient)
			return
		}
		s.Store.Revoke(token, clientID)
	}
	w.WriteHeader(http.StatusOK)
}

// apiKeyOK checks the admin API key, when one is set, and answers 401 with
// Ory's generic error body when it is missing or wrong.
func (s *Server) apiKeyOK(w http.ResponseWriter, r *http.Request) bool {
	if s.APIKey == "" || r.Header.Get("Authorization") == "Bearer "+s.APIKey {
		return true
	}
	type genericError struct {
		Code    int    `json:"code"`
		Status  string `json:"status"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
	}
	writeJSON(w, http.StatusUnauthorized, struct {
		Error genericError `json:"error"`
	}{genericError{401, "Unauthorized", "The request could not be authorized", "The provided API key is invalid or missing."}})
	return false
}

// introspect serves the admin API's RFC 7662 introspection.
func (s *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, base string) {
	if !s.apiKeyOK(w, r) {
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" || len(form) == 0 {
		fositeError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return
	}
	info, active := s.Store.Introspect(form.Get("token"), "")
	if !active || form.Get("scope") != "" {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	lifetime := AccessTokenLifetime
	if info.Type == "refresh_token" {
		lifetime = RefreshTokenLifetime
	}
	claims := s.Store.IntrospectionClaims(info, lifetime)
	claims["iss"], claims["aud"], claims["token_use"] = base, []string{}, info.Type
	if info.Type == "access_token" {
		claims["token_type"] = "Bearer"
	}
	if iat, ok := claims["iat"]; ok {
		claims["nbf"] = iat
	}
	writeJSON(w, http.StatusOK, claims)
}

// admin serves the two admin DELETEs.
func (s *Server) admin(w http.ResponseWriter, r *http.Request, path string) {
	if !s.apiKeyOK(w, r) {
		return
	}
	if r.Method != http.MethodDelete {
		w.Header().Set("Allow", http.MethodDelete)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	subject := q.Get("subject")
	var found bool
	if path == ConsentSessionsPath {
		client, all := q.Get("client"), q.Get("all") == "true"
		switch {
		case subject == "":
			hydraError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest, HintNoSubject)
			return
		case client != "":
			found = s.revokeConsents(subject, client)
		case all:
			found = s.revokeConsents(subject, "")
		default:
			hydraError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest, HintNoClientOrAll)
			return
		}
	} else {
		sid := q.Get("sid")
		switch {
		case sid == "" && subject == "":
			hydraError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest, HintNoSubjectOrSID)
			return
		case sid != "":
			if !s.endLogin(sid) {
				// HandleHeadlessLogout cannot find the session.
				hydraError(w, http.StatusNotFound, "Not Found", DescNotFound, "")
				return
			}
			found = true
		default:
			s.mu.Lock()
			found = len(s.logins[subject]) > 0
			delete(s.logins, subject)
			s.mu.Unlock()
		}
	}
	if !found && s.NotFoundForUnknownSubject {
		hydraError(w, http.StatusNotFound, "Not Found", DescNotFound, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// revokeConsents removes subject's consent sessions (one client's, or all
// with client "") and revokes their tokens. It reports whether any existed.
func (s *Server) revokeConsents(subject, client string) bool {
	s.mu.Lock()
	var tokens []string
	kept := s.consents[:0]
	found := false
	for _, c := range s.consents {
		if c.subject == subject && (client == "" || c.client == client) {
			tokens = append(tokens, c.tokens...)
			found = true
			continue
		}
		kept = append(kept, c)
	}
	s.consents = kept
	s.mu.Unlock()
	for _, t := range tokens {
		s.Store.Revoke(t, "")
	}
	return found
}

func (s *Server) endLogin(sid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for subject, sids := range s.logins {
		if i := slices.Index(sids, sid); i >= 0 {
			s.logins[subject] = slices.Delete(sids, i, i+1)
			return true
		}
	}
	return false
}

func (s *Server) fields() [][2]string {
	s.mu.Lock()
	n := len(s.consents)
	s.mu.Unlock()
	return [][2]string{{"Store", fmt.Sprint(s.Store)}, {"Clients", fmt.Sprint(s.Clients)},
		{"Consents", strconv.Itoa(n)}, {"Requests", strconv.Itoa(s.Log.Len())}, {"APIKey", redact.Quoted(s.APIKey)}}
}

// Format implements fmt.Formatter: the fake prints its counts only, never
// the API key, a client secret or a token.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	redact.Format(f, verb, "hydratest.Server", s.fields())
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
