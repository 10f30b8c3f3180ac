package bulk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

// oktaLimitBody is Okta's answer to a request over the rate limit.
const oktaLimitBody = `{"errorCode":"E0000047","errorSummary":"You exceeded the maximum number of requests. Try again in a while.","errorLink":"E0000047","errorId":"x","errorCauses":[]}`

// limitServer is a revocation endpoint that enforces a rate limit the way
// Okta does: fixed windows of whole seconds, every answer carrying
// X-Rate-Limit-Limit, -Remaining, -Reset (epoch seconds) and Date, and a 429
// E0000047 over the limit. It also answers RFC 7662 introspection at
// /introspect and keeps count of every token it revoked.
type limitServer struct {
	limit      int   // requests per window
	windowSecs int64 // window length in seconds (0 means 1)
	spent      bool  // the first window starts spent: the first call draws a 429
	// ignore makes the server answer 200 without revoking (a token of
	// another authorization server, as Okta does).
	ignore func(token string) bool
	// status, when it returns non-zero, is the answer for a token.
	status func(token string) int

	mu          sync.Mutex
	window      int64
	firstWindow int64
	used        int
	perWindow   map[int64]int  // successful revocations per window
	revoked     map[string]int // successful revocations per token
	seen        map[string]int // requests per token, answered or not
	requests    int
	tooMany     int
	tooManyLate int // 429s after the first window
}

func newLimitServer(limit int) *limitServer {
	return &limitServer{limit: limit, revoked: map[string]int{}, seen: map[string]int{}, perWindow: map[int64]int{}}
}

func (s *limitServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	tok := r.PostForm.Get("token")
	if r.URL.Path == "/introspect" {
		s.mu.Lock()
		active := s.revoked[tok] == 0
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"active":%t}`, active)
		return
	}
	now := time.Now()
	secs := max(s.windowSecs, 1)
	win := now.Unix() / secs

	s.mu.Lock()
	if s.firstWindow == 0 {
		s.firstWindow, s.window = win, win
		if s.spent {
			s.used = s.limit
		}
	}
	if win != s.window {
		s.window, s.used = win, 0
	}
	s.requests++
	s.seen[tok]++
	h := w.Header()
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(s.limit))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt((win+1)*secs, 10))
	if s.used >= s.limit {
		s.tooMany++
		if win != s.firstWindow {
			s.tooManyLate++
		}
		s.mu.Unlock()
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, oktaLimitBody)
		return
	}
	s.used++
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(s.limit-s.used))
	code := 0
	if s.status != nil {
		code = s.status(tok)
	}
	if code == 0 && (s.ignore == nil || !s.ignore(tok)) {
		s.revoked[tok]++
		s.perWindow[win]++
	}
	s.mu.Unlock()
	switch code {
	case 0:
		w.WriteHeader(http.StatusOK)
	case http.StatusUnauthorized:
		h.Set("Content-Type", "application/json")
		w.WriteHeader(code)
		io.WriteString(w, `{"error":"invalid_client","error_description":"No client credentials found."}`)
	default:
		w.WriteHeader(code)
	}
}

// counts returns a copy of the per-token revocation counts.
func (s *limitServer) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int, len(s.revoked))
	for k, v := range s.revoked {
		m[k] = v
	}
	return m
}

func (s *limitServer) stats() (requests, tooMany, tooManyLate int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, s.tooMany, s.tooManyLate
}

// startServer serves s on loopback for the test.
func startServer(tb testing.TB, s *limitServer) (base string, client *http.Client) {
	tb.Helper()
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}
	tb.Cleanup(tr.CloseIdleConnections)
	return srv.URL, &http.Client{Transport: tr}
}

// httpRevoker stands in for a vendor adapter: it POSTs the form token=…,
// reads Okta's rate-limit headers into Result.RateLimit (the reset measured
// against the response's Date, as the adapters do), and turns a 429 into a
// *revoke.Error of kind ErrRateLimited with RetryAfter. It neither retries
// nor paces.
func httpRevoker(client *http.Client, base string) revoke.Revoker {
	return revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		form := url.Values{"token": {req.Token}}
		if req.Hint != "" {
			form.Set("token_type_hint", string(req.Hint))
		}
		hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/revoke", strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(hreq)
		if err != nil {
			return nil, &revoke.Error{Op: "test revoke", Kind: revoke.ErrUnavailable, Attempts: 1, Err: err}
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		rl, wait := readRateLimit(resp.Header, time.Now())
		switch resp.StatusCode {
		case http.StatusOK:
			return &revoke.Result{StatusCode: 200, Attempts: 1, RateLimit: rl}, nil
		case http.StatusTooManyRequests:
			var e struct{ ErrorCode, ErrorSummary, ErrorID string }
			_ = json.Unmarshal(body, &e)
			return nil, &revoke.Error{Op: "test revoke", Kind: revoke.ErrRateLimited, StatusCode: 429,
				Code: e.ErrorCode, Description: e.ErrorSummary, RequestID: e.ErrorID, RetryAfter: wait, Attempts: 1}
		case http.StatusUnauthorized:
			return nil, &revoke.Error{Op: "test revoke", Kind: revoke.ErrInvalidClient, StatusCode: 401, Code: "invalid_client", Attempts: 1}
		default:
			return nil, &revoke.Error{Op: "test revoke", Kind: revoke.ErrServer, StatusCode: resp.StatusCode, Attempts: 1}
		}
	})
}

// readRateLimit reads X-Rate-Limit-*; wait is the time until the reset as
// the server's Date tells it.
func readRateLimit(h http.Header, now time.Time) (*revoke.RateLimit, time.Duration) {
	limit, err1 := strconv.Atoi(h.Get("X-Rate-Limit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-Rate-Limit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("X-Rate-Limit-Reset"), 10, 64)
	date, err4 := http.ParseTime(h.Get("Date"))
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return nil, 0
	}
	wait := max(time.Unix(reset, 0).Sub(date), 0)
	return &revoke.RateLimit{Limit: limit, Remaining: remaining, Reset: now.Add(wait)}, wait
}

// introspector verifies through the server's /introspect.
func introspector(client *http.Client, base string) Verifier {
	return VerifierFunc(func(ctx context.Context, req revoke.Request) (bool, error) {
		hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/introspect",
			strings.NewReader(url.Values{"token": {req.Token}}.Encode()))
		if err != nil {
			return false, err
		}
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(hreq)
		if err != nil {
			return false, err
		}
		defer resp.Body.Close()
		var v struct{ Active bool }
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			return false, err
		}
		return v.Active, nil
	})
}

// tokens returns n distinct fake tokens.
func tokens(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%06d-Zx9qWv", prefix, i)
	}
	return out
}

// requestsOf turns tokens into a sequence of requests.
func requestsOf(toks []string) func(func(revoke.Request) bool) {
	return func(yield func(revoke.Request) bool) {
		for _, t := range toks {
			if !yield(revoke.Request{Token: t, Hint: revoke.HintRefreshToken}) {
				return
			}
		}
	}
}

// testKey is a fingerprint key for tests.
var testKey = []byte("0123456789abcdef-test-key")
