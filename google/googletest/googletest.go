// Package googletest is a fake of Google's OAuth 2.0 revocation endpoint
// with real token state, for tests and demos. It is built on the emulator
// core in package revoketest (token store, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := googletest.Register(mt, "https://oauth2.googleapis.com")
//	pair := fake.Issue("123-abc.apps.googleusercontent.com", "alice@example.com")
//	// ... code under test revokes pair.AccessToken ...
//	if fake.Active(pair.RefreshToken) { t.Error("the grant survived") }
//
// It follows Google's documentation
// (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke)
// and answers captured from Google [3p], and is independent of package
// google: it describes the server, so that the adapter is tested against it
// rather than against itself.
package googletest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Paths the fake serves: the current endpoint and the legacy one.
const (
	RevokePath       = "/revoke"
	LegacyRevokePath = "/o/oauth2/revoke"
)

// Answers, as Google writes them.
const (
	// DescExpiredOrRevoked answers a token that is expired, revoked or
	// unknown, with 400 invalid_token [3p: captured from Google].
	DescExpiredOrRevoked = "Token expired or revoked"
	// DescBadRequest answers a request without a token, with 400
	// invalid_request [Inf].
	DescBadRequest = "Bad Request"
)

// Server emulates Google's revocation endpoint:
//
//	POST /revoke            token in the form body or the query
//	POST /o/oauth2/revoke   the legacy path, the same
//
// It takes no client authentication, as Google does: any Authorization
// header or client_id is ignored. A known, active token ends its grant:
// every token the same client holds for the same user, access and refresh
// alike, and the answer is 200 {}. A token that is unknown, expired or
// already revoked is 400 {"error":"invalid_token","error_description":
// "Token expired or revoked"}; a request without a token is 400
// invalid_request. Google sends no rate-limit headers here, and neither
// does the fake. A body over revoketest.MaxRequestBytes is 413.
//
// The methods of the embedded *revoketest.Store (Issue, IssueAccess,
// Active, Lookup, …) issue and inspect tokens; the client ID is the OAuth
// client's, the subject the user's.
type Server struct {
	*revoketest.Store
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
}

// New returns a fake with no tokens.
func New() *Server {
	s := revoketest.NewStore()
	s.CascadeAccess = true
	return &Server{Store: s}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://oauth2.googleapis.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
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
	if r.URL.Path != RevokePath && r.URL.Path != LegacyRevokePath {
		http.NotFound(rec, r)
		return
	}
	s.revoke(rec, r, body, form)
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code, "error_description": desc})
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, body []byte, form url.Values) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if len(body) > 0 {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
			writeError(w, "invalid_request", DescBadRequest)
			return
		}
	}
	token := form.Get("token")
	if token == "" {
		token = r.URL.Query().Get("token")
	}
	if token == "" {
		writeError(w, "invalid_request", DescBadRequest)
		return
	}
	info, found := s.Store.Lookup(token)
	if !found || !info.Active {
		writeError(w, "invalid_token", DescExpiredOrRevoked)
		return
	}
	// The grant: every token this client holds for this user.
	s.Store.RevokeWhere(func(t revoketest.TokenInfo) bool {
		return t.ClientID == info.ClientID && t.Subject == info.Subject
	})
	writeJSON(w, http.StatusOK, struct{}{})
}
