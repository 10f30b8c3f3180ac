package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// syncBuffer is a log sink safe for the handler's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// vendor is one identity provider faked on an httpmock transport.
type vendor struct {
	name   string
	setup  func(mt *httpmock.MockTransport) (revoke.Revoker, func() revoketest.Pair, func(string) bool, func(int, revoketest.Fault))
	secret string
}

var retry = revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: 20 * time.Millisecond})

var vendors = []vendor{
	{
		name:   "okta",
		secret: "okta-secret",
		setup: func(mt *httpmock.MockTransport) (revoke.Revoker, func() revoketest.Pair, func(string) bool, func(int, revoketest.Fault)) {
			fake := oktatest.Register(mt, "https://dev-1.okta.com")
			fake.AddClient(revoketest.Client{ID: "web", Secret: "okta-secret"})
			r, err := okta.New(okta.Config{Domain: "dev-1.okta.com", AuthorizationServerID: "default", ClientID: "web", ClientSecret: "okta-secret"},
				revoke.WithHTTPClient(&http.Client{Transport: mt}), retry)
			if err != nil {
				panic(err)
			}
			return r, func() revoketest.Pair { return fake.IssueFor("default", "web", "alice") }, fake.Active, fake.FailNext
		},
	},
	{
		name:   "wso2",
		secret: "wso2-secret",
		setup: func(mt *httpmock.MockTransport) (revoke.Revoker, func() revoketest.Pair, func(string) bool, func(int, revoketest.Fault)) {
			fake := wso2test.Register(mt, "https://is.example.com")
			fake.AddClient(revoketest.Client{ID: "web", Secret: "wso2-secret"})
			r, err := wso2.New(wso2.Config{BaseURL: "https://is.example.com", ClientID: "web", ClientSecret: "wso2-secret"},
				revoke.WithHTTPClient(&http.Client{Transport: mt}), retry)
			if err != nil {
				panic(err)
			}
			return r, func() revoketest.Pair { return fake.Issue("web", "alice") }, fake.Active, fake.FailNext
		},
	},
}

func logoutRequest(ctx context.Context, sid string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://app.example.com/logout", nil).WithContext(ctx)
	if sid != "" {
		r.AddCookie(&http.Cookie{Name: "session", Value: sid})
	}
	return r
}

// checkLoggedOut asserts the browser was redirected with the cookie cleared.
func checkLoggedOut(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	resp := w.Result()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("answer = %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != "session" || cookies[0].Value != "" || cookies[0].MaxAge >= 0 || !cookies[0].HttpOnly || !cookies[0].Secure {
		t.Errorf("Set-Cookie = %v, want the session cookie cleared", cookies)
	}
}

// TestLogoutRevokes: the session ends, the redirect is sent, and both
// tokens are dead at the provider once the background revocation is done.
func TestLogoutRevokes(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			r, issue, active, _ := v.setup(mt)
			tok := issue()
			sessions := &MemoryStore{}
			sessions.Put("sid-1", Session{UserID: "alice", Token: &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}})
			var logs syncBuffer
			h := &LogoutHandler{Sessions: sessions, Revoker: r, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}

			w := httptest.NewRecorder()
			h.ServeHTTP(w, logoutRequest(context.Background(), "sid-1"))
			checkLoggedOut(t, w)
			if sessions.Len() != 0 {
				t.Error("session not deleted")
			}
			h.Wait()
			if active(tok.AccessToken) || active(tok.RefreshToken) {
				t.Errorf("after logout: access %v, refresh %v; want both inactive", active(tok.AccessToken), active(tok.RefreshToken))
			}
			out := logs.String()
			if !strings.Contains(out, `"msg":"logout: tokens revoked"`) || !strings.Contains(out, `"user":"alice"`) {
				t.Errorf("log = %s", out)
			}
			for _, s := range []string{tok.AccessToken, tok.RefreshToken, v.secret} {
				if strings.Contains(out, s) {
					t.Errorf("log shows a secret: %s", out)
				}
			}
		})
	}
}

// TestLogoutDuringOutage: the provider answers 503 to everything. The user
// is logged out at once; the failure is logged, without tokens, within the
// deadline.
func TestLogoutDuringOutage(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			r, issue, active, failNext := v.setup(mt)
			failNext(1000, revoketest.ServiceUnavailable(0))
			tok := issue()
			sessions := &MemoryStore{}
			sessions.Put("sid-1", Session{UserID: "alice", Token: &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}})
			var logs syncBuffer
			h := &LogoutHandler{Sessions: sessions, Revoker: r, Timeout: 200 * time.Millisecond, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}

			start := time.Now()
			w := httptest.NewRecorder()
			h.ServeHTTP(w, logoutRequest(context.Background(), "sid-1"))
			answered := time.Since(start)
			checkLoggedOut(t, w)
			if answered > 50*time.Millisecond {
				t.Errorf("logout answered after %s: it waited on the provider", answered)
			}
			if sessions.Len() != 0 {
				t.Error("session not deleted")
			}
			h.Wait()
			if el := time.Since(start); el > time.Second {
				t.Errorf("revocation ran %s, past its 200ms deadline", el)
			}
			out := logs.String()
			if !strings.Contains(out, "logout: token revocation failed") || !strings.Contains(out, "revoke: server unavailable") || !strings.Contains(out, `"retry_later":true`) {
				t.Errorf("log = %s", out)
			}
			for _, s := range []string{tok.AccessToken, tok.RefreshToken, v.secret} {
				if strings.Contains(out, s) {
					t.Errorf("log shows a secret: %s", out)
				}
			}
			if !active(tok.RefreshToken) {
				t.Error("the emulator revoked a token while failing")
			}
		})
	}
}

// TestLogoutSurvivesClosedConnection: the browser goes away (the request
// context is canceled) and the revocation still completes.
func TestLogoutSurvivesClosedConnection(t *testing.T) {
	mt := httpmock.NewMockTransport()
	r, issue, active, _ := vendors[0].setup(mt)
	tok := issue()
	sessions := &MemoryStore{}
	sessions.Put("sid-1", Session{UserID: "alice", Token: &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}})
	h := &LogoutHandler{Sessions: sessions, Revoker: r, Logger: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), logoutRequest(ctx, "sid-1"))
	h.Wait()
	if active(tok.AccessToken) || active(tok.RefreshToken) {
		t.Error("revocation was aborted with the request")
	}
}

// TestLogoutDeadline: a provider that never answers is abandoned at the
// deadline.
func TestLogoutDeadline(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://dev-1.okta.com/oauth2/v1/revoke", func(req *http.Request) (*http.Response, error) {
		<-req.Context().Done()
		return nil, req.Context().Err()
	})
	r, err := okta.New(okta.Config{Domain: "dev-1.okta.com", ClientID: "web", ClientSecret: "web-secret-value"}, revoke.WithHTTPClient(&http.Client{Transport: mt}), retry)
	if err != nil {
		t.Fatal(err)
	}
	sessions := &MemoryStore{}
	sessions.Put("sid-1", Session{UserID: "alice", Token: &oauth2.Token{RefreshToken: "rt-secret-value"}})
	var logs syncBuffer
	h := &LogoutHandler{Sessions: sessions, Revoker: r, Timeout: 50 * time.Millisecond, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), logoutRequest(context.Background(), "sid-1"))
	h.Wait()
	if el := time.Since(start); el > time.Second {
		t.Errorf("took %s with a 50ms deadline", el)
	}
	if out := logs.String(); !strings.Contains(out, "context deadline exceeded") || strings.Contains(out, "rt-secret-value") {
		t.Errorf("log = %s", out)
	}
}

// TestLogoutWithoutSession: no cookie, an unknown session or a session
// without tokens still logs out, and calls no provider.
func TestLogoutWithoutSession(t *testing.T) {
	mt := httpmock.NewMockTransport()
	r, _, _, _ := vendors[0].setup(mt)
	sessions := &MemoryStore{}
	sessions.Put("empty", Session{UserID: "bob"})
	h := &LogoutHandler{Sessions: sessions, Revoker: r, Logger: slog.New(slog.DiscardHandler)}
	for _, sid := range []string{"", "unknown", "empty"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, logoutRequest(context.Background(), sid))
		checkLoggedOut(t, w)
	}
	h.Wait()
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d provider calls, want none", n)
	}
	if sessions.Len() != 0 {
		t.Error("the token-less session was not deleted")
	}
}

// TestLogoutMethod: only POST logs out.
func TestLogoutMethod(t *testing.T) {
	sessions := &MemoryStore{}
	sessions.Put("sid-1", Session{UserID: "alice"})
	h := &LogoutHandler{Sessions: sessions, Revoker: revoke.RevokerFunc(func(context.Context, revoke.Request) (*revoke.Result, error) {
		t.Error("revoked on GET")
		return nil, nil
	})}
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "https://app.example.com/logout", nil)
	req.AddCookie(&http.Cookie{Name: "session", Value: "sid-1"})
	h.ServeHTTP(w, req)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" || sessions.Len() != 1 {
		t.Errorf("GET: %d, Allow %q, sessions %d", w.Code, w.Header().Get("Allow"), sessions.Len())
	}
}

// TestDemo runs the command's self-contained demo.
func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := demo(&out, slog.New(slog.DiscardHandler), 100*time.Millisecond, revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 ||
		!strings.Contains(lines[0], "outage=false: logout answered 303") || !strings.HasSuffix(lines[0], "session gone=true, refresh token active=false") ||
		!strings.Contains(lines[1], "outage=true: logout answered 303") || !strings.HasSuffix(lines[1], "session gone=true, refresh token active=true") {
		t.Errorf("demo output:\n%s", out.String())
	}
}
