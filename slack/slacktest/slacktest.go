// Package slacktest is a fake of Slack's auth.revoke Web API method with
// real token state, for tests and demos. It is built on the emulator core
// in package revoketest (token store, fault queue, request log).
//
// Serve a Server with httptest.NewServer (the method is at
// <server>/api/auth.revoke), or put it behind an *httpmock.MockTransport
// with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := slacktest.Register(mt, "https://slack.com")
//	tok := fake.IssueUserToken("U012AB3CD")
//	// ... code under test revokes tok ...
//	if fake.Active(tok) { t.Error("still active") }
//
// It follows Slack's documentation
// (https://docs.slack.dev/reference/methods/auth.revoke,
// https://docs.slack.dev/apis/web-api/) and is independent of package
// slack: it describes the server, so that the adapter is tested against it
// rather than against itself. Where Slack's answer is not documented the
// fake's is marked [Inf].
package slacktest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Path is where the fake serves auth.revoke, relative to its base URL.
const Path = "/api/auth.revoke"

// Token kinds (revoketest.TokenInfo.Kind).
const (
	KindUser = "user" // a user token (xoxp-)
	KindBot  = "bot"  // a bot token (xoxb-)
)

// Server emulates auth.revoke at Path:
//
//   - GET or POST; the token in Authorization: Bearer, or as the "token"
//     parameter of a form body or the query string; none is not_authed. A
//     POST payload without Content-Type is missing_post_type, one of
//     another type than form, multipart, JSON or text is
//     invalid_post_type, and a form that does not parse is
//     invalid_form_data.
//   - test=1 (or true) checks the token and answers
//     {"ok":true,"revoked":false} without revoking it.
//   - An unknown token is invalid_auth; a revoked one token_revoked [Inf:
//     Slack may answer invalid_auth]; an expired one (Expire)
//     token_expired; one whose user was deactivated (Deactivate)
//     account_inactive; a refresh token used as a bearer token
//     not_allowed_token_type [Inf].
//   - Success is {"ok":true,"revoked":true}. Revoking a rotating access
//     token leaves its refresh token alone [Inf: Slack does not say].
//
// Every answer is HTTP 200 with Content-Type: application/json;
// charset=utf-8 and X-Slack-Req-Id, except injected faults (RateLimited,
// Error, or revoketest's).
type Server struct {
	// Store holds the tokens: Issue gives a rotating access token and its
	// refresh token, IssueUserToken and IssueBotToken single tokens.
	*revoketest.Store
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log

	mu       sync.Mutex
	expired  map[string]bool
	inactive map[string]bool
	seq      int
}

// New returns a fake Slack with no tokens.
func New() *Server {
	return &Server{Store: revoketest.NewStore(), expired: map[string]bool{}, inactive: map[string]bool{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://slack.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// IssueUserToken issues a user token (xoxp-style) to user.
func (s *Server) IssueUserToken(user string) string {
	return s.IssueAccess("slack-app", user, KindUser)
}

// IssueBotToken issues a bot token (xoxb-style) to bot.
func (s *Server) IssueBotToken(bot string) string {
	return s.IssueAccess("slack-app", bot, KindBot)
}

// Expire makes tok answer token_expired, as a rotating access token past
// its expiry does.
func (s *Server) Expire(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired[tok] = true
}

// Deactivate makes tok answer account_inactive, as the token of a
// deactivated user or deleted workspace does.
func (s *Server) Deactivate(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inactive[tok] = true
}

// Active reports whether tok would authenticate a call: issued, not
// revoked, not expired, and its user active.
func (s *Server) Active(tok string) bool {
	s.mu.Lock()
	dead := s.expired[tok] || s.inactive[tok]
	s.mu.Unlock()
	return !dead && s.Store.Active(tok)
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// RateLimited is Slack's rate-limit answer: HTTP 429 with Retry-After in
// seconds and {"ok":false,"error":"ratelimited"}
// (https://docs.slack.dev/apis/web-api/rate-limits).
func RateLimited(retryAfter time.Duration) revoketest.Fault {
	return revoketest.Fault{Status: http.StatusTooManyRequests,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}},
		Body:   `{"ok":false,"error":"ratelimited"}`}
}

// Error is an HTTP 200 answer {"ok":false,"error":code}, as Slack gives
// for every failure but rate limits.
func Error(code string) revoketest.Fault {
	b, _ := json.Marshal(map[string]any{"ok": false, "error": code})
	return revoketest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: string(b)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok {
		return
	}
	s.mu.Lock()
	s.seq++
	rec.Header().Set("X-Slack-Req-Id", fmt.Sprintf("%032x", s.seq))
	s.mu.Unlock()
	if s.Faults.Serve(rec) {
		return
	}
	if r.URL.Path != Path {
		// Slack answers an unknown method with 404 and unknown_method.
		answer(rec, http.StatusNotFound, map[string]any{"ok": false, "error": "unknown_method", "req_method": strings.TrimPrefix(r.URL.Path, "/api/")})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		rec.Header().Set("Allow", "GET, POST")
		rec.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	params := r.URL.Query()
	if len(body) > 0 {
		ct := r.Header.Get("Content-Type")
		mt, _, err := mime.ParseMediaType(ct)
		switch {
		case ct == "":
			fail(rec, "missing_post_type")
			return
		case err != nil || !(mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data" || mt == "application/json" || mt == "text/plain"):
			fail(rec, "invalid_post_type")
			return
		case mt == "application/x-www-form-urlencoded":
			f, err := url.ParseQuery(string(body))
			if err != nil {
				fail(rec, "invalid_form_data")
				return
			}
			for k, v := range f {
				params[k] = append(params[k], v...)
			}
		case mt == "application/json":
			var j map[string]any
			if err := json.Unmarshal(body, &j); err != nil {
				fail(rec, "invalid_json")
				return
			}
			if t, ok := j["test"]; ok {
				params.Set("test", fmt.Sprint(t))
			}
		}
	}
	tok := params.Get("token")
	if scheme, v, found := strings.Cut(r.Header.Get("Authorization"), " "); found && strings.EqualFold(scheme, "bearer") {
		tok = strings.TrimSpace(v)
	}
	if tok == "" {
		fail(rec, "not_authed")
		return
	}
	info, known := s.Lookup(tok)
	s.mu.Lock()
	expired, inactive := s.expired[tok], s.inactive[tok]
	s.mu.Unlock()
	switch {
	case !known:
		fail(rec, "invalid_auth")
		return
	case info.Type == "refresh_token":
		fail(rec, "not_allowed_token_type")
		return
	case !info.Active:
		fail(rec, "token_revoked")
		return
	case inactive:
		fail(rec, "account_inactive")
		return
	case expired:
		fail(rec, "token_expired")
		return
	}
	if test := params.Get("test"); test == "1" || test == "true" {
		answer(rec, http.StatusOK, map[string]any{"ok": true, "revoked": false})
		return
	}
	s.Revoke(tok, "")
	answer(rec, http.StatusOK, map[string]any{"ok": true, "revoked": true})
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

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code string) {
	answer(w, http.StatusOK, map[string]any{"ok": false, "error": code})
}

// counts returns how many tokens the fake issued and requests it got.
func (s *Server) counts() (tokens, requests int) {
	if s == nil {
		return 0, 0
	}
	if s.Store != nil {
		tokens = len(s.Tokens(nil))
	}
	return tokens, s.Log.Len()
}

// Format implements fmt.Formatter: the fake prints its counts only, never
// a token.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	t, r := s.counts()
	fmt.Fprintf(f, "slacktest.Server{Tokens:%d Requests:%d}", t, r)
}

// LogValue implements slog.LogValuer with counts only.
func (s *Server) LogValue() slog.Value {
	t, r := s.counts()
	return slog.GroupValue(slog.Int("tokens", t), slog.Int("requests", r))
}

// MarshalJSON implements json.Marshaler with counts only.
func (s *Server) MarshalJSON() ([]byte, error) {
	t, r := s.counts()
	return json.Marshal(map[string]int{"tokens": t, "requests": r})
}
