// Package salesforcetest is a faithful fake of Salesforce's OAuth 2.0
// revocation endpoint, with real token state, for tests and demos. It is
// built on the emulator core in package revoketest (token store, fault
// queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := salesforcetest.Register(mt, "https://acme.my.salesforce.com")
//	pair := fake.Issue("3MVG9-connected-app", "005xx0000012345")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
//
// It follows Salesforce's documentation
// (https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html)
// and is independent of package salesforce: it describes the server, so
// that the adapter is tested against it rather than against itself.
package salesforcetest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/revoketest"
)

// RevokePath is the endpoint's path, after any Experience Cloud site
// prefix.
const RevokePath = "/services/oauth2/revoke"

// KindUnsupported marks a token (revoketest.TokenInfo.Kind) Salesforce
// cannot revoke here, answered 400 unsupported_token_type.
const KindUnsupported = "unsupported"

// Error descriptions the fake writes [Inf: the documentation names the
// codes and their meaning, not the exact text].
const (
	DescInvalidToken     = "invalid token"
	DescUnsupportedToken = "unsupported token type"
)

// Server emulates Salesforce's revocation endpoint:
//
//	POST {prefix}/services/oauth2/revoke   form token=…
//	GET  {prefix}/services/oauth2/revoke?token=…[&callback=…]
//
// Both serve any prefix, so the fake stands for a My Domain, a sandbox, an
// Experience Cloud site or login.salesforce.com. No client authentication
// is read. An active token is revoked and the answer is 200 with an empty
// body; a refresh token takes every access token of its pair with it, an
// access token ends alone. Every error is 400 with
// {"error":…,"error_description":…}: invalid_token for a token that is
// missing, unknown, expired or already revoked, unsupported_token_type for
// a token of KindUnsupported. A GET with callback answers JSONP, as
// Salesforce does; the adapter never sends one.
type Server struct {
	// Store holds the tokens.
	*revoketest.Store
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log
}

// New returns a fake with no tokens.
func New() *Server { return &Server{Store: revoketest.NewStore()} }

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://acme.my.salesforce.com") and returns it.
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
	if !strings.HasSuffix(r.URL.Path, RevokePath) {
		http.NotFound(rec, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		s.revoke(rec, form.Get("token"), "")
	case http.MethodGet:
		q := r.URL.Query()
		s.revoke(rec, q.Get("token"), q.Get("callback"))
	default:
		rec.Header().Set("Allow", "GET, POST")
		rec.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func (s *Server) revoke(w http.ResponseWriter, token, callback string) {
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	info, found := s.Store.Lookup(token)
	switch {
	case !found || !info.Active:
		answer(w, callback, http.StatusBadRequest, "invalid_token", DescInvalidToken)
	case info.Kind == KindUnsupported:
		answer(w, callback, http.StatusBadRequest, "unsupported_token_type", DescUnsupportedToken)
	default:
		s.Store.Revoke(token, "")
		if callback != "" {
			answer(w, callback, http.StatusOK, "", "")
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

func answer(w http.ResponseWriter, callback string, status int, code, desc string) {
	var b []byte
	if code != "" {
		b, _ = json.Marshal(struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}{code, desc})
	}
	if callback != "" {
		w.Header().Set("Content-Type", "application/javascript")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(url.QueryEscape(callback) + "(" + string(b) + ")"))
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) fields() [][2]string {
	return [][2]string{{"Store", fmt.Sprint(s.Store)}, {"Requests", strconv.Itoa(s.Log.Len())}}
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	redact.Format(f, verb, "salesforcetest.Server", s.fields())
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
