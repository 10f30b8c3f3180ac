package revoke_test

// Fault injection: every test drives the whole pipeline (generic.New →
// the adapter kit → net/http) against a loopback httptest server that
// misbehaves in one way, and checks that the caller gets a typed
// *revoke.Error that carries no secret, that the retry budget and the
// server's wait signals are honoured, and that no goroutine outlives the
// call.

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

const (
	relToken  = "tok-REL-7c1d0e9f4b2a"
	relSecret = "cs-REL-a8b7c6d5e4f3"
	relClient = "rel-client"
	// relExcerpt bounds Error.Excerpt: 256 bytes plus the ellipsis.
	relExcerpt = 256 + len("…")
)

// relBasic is the Authorization value the client sends: it must never
// appear in an error either.
var relBasic = base64.StdEncoding.EncodeToString([]byte(relClient + ":" + relSecret))

// relFast retries quickly so that no test sleeps for long; MaxWait is
// small enough that a server asking for seconds is refused at once.
var relFast = revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: 2 * time.Second}

// faultEnv is one test's client side: its own transport, so closing idle
// connections touches nothing else, and a goroutine baseline checked when
// the test ends (after its servers have closed).
type faultEnv struct {
	t  *testing.T
	tr *http.Transport
	hc *http.Client
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	base := runtime.NumGoroutine()
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 4,
		TLSHandshakeTimeout: 5 * time.Second,
	}
	env := &faultEnv{t: t, tr: tr, hc: &http.Client{Transport: tr}}
	// Registered first, so it runs last: after every server has closed.
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		checkGoroutines(t, base)
	})
	return env
}

// checkGoroutines waits up to 3 s for the goroutine count to return to
// base, then fails with every stack.
func checkGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Errorf("goroutine leak: %d before, %d after:\n%s", base, n, buf)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// serve starts a loopback server for h, closed when the test ends.
func (e *faultEnv) serve(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	e.t.Cleanup(srv.Close)
	return srv
}

// revoker builds a generic.Revoker for endpoint on the env's client with
// fast retries; later options override them.
func (e *faultEnv) revoker(endpoint string, opts ...revoke.Option) *generic.Revoker {
	e.t.Helper()
	all := append([]revoke.Option{revoke.WithHTTPClient(e.hc), revoke.WithRetry(relFast)}, opts...)
	r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretBasic(relClient, relSecret)}, all...)
	if err != nil {
		e.t.Fatalf("generic.New: %v", err)
	}
	return r
}

func relRevoke(ctx context.Context, r *generic.Revoker) (*revoke.Result, error) {
	return r.Revoke(ctx, revoke.Request{Token: relToken, Hint: revoke.HintRefreshToken})
}

// relError checks that err is, or wraps, a *revoke.Error and that no
// rendering of it holds the token, the client secret or the Basic
// credentials, nor the retry library's bare "giving up".
func relError(t *testing.T, res *revoke.Result, err error) *revoke.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("Revoke succeeded (%+v); want an error", res)
	}
	if res != nil {
		t.Errorf("Revoke returned a result %+v with its error", res)
	}
	var e *revoke.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *revoke.Error", err, err)
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), e.Excerpt, e.Description} {
		for _, secret := range []string{relToken, relSecret, relBasic} {
			if strings.Contains(s, secret) {
				t.Errorf("error text holds a secret %q: %s", secret, s)
			}
		}
	}
	if strings.Contains(err.Error(), "giving up") {
		t.Errorf("error is the retry library's, not the server's: %v", err)
	}
	if len(e.Excerpt) > relExcerpt || !utf8.ValidString(e.Excerpt) {
		t.Errorf("Excerpt is %d bytes (valid UTF-8: %v); want at most %d", len(e.Excerpt), utf8.ValidString(e.Excerpt), relExcerpt)
	}
	return e
}

// step answers one attempt.
type step func(w http.ResponseWriter, r *http.Request)

// steps answers attempt i with ss[i], repeating the last one, and counts
// attempts in n. The request body is read first, so the whole request has
// arrived before any fault.
func steps(n *atomic.Int32, ss ...step) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		_, _ = io.Copy(io.Discard, r.Body)
		if i >= len(ss) {
			i = len(ss) - 1
		}
		ss[i](w, r)
	})
}

// answer writes status, headers given as key/value pairs, and body.
func answer(status int, body string, kv ...string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

var ok200 = answer(http.StatusOK, "")

// hangUp takes over the connection and closes it before any response:
// with rst, SO_LINGER 0 makes the close a TCP reset.
func hangUp(rst bool) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tc, ok := conn.(*net.TCPConn); ok && rst {
			_ = tc.SetLinger(0)
		}
		_ = conn.Close()
	}
}

// cutShort writes a raw status line, headers promising a longer body, the
// start of that body, then closes the connection.
func cutShort(status int, partial string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			status, http.StatusText(status), len(partial)+500, partial)
		_ = buf.Flush()
	}
}

func TestFaultConnectionDrops(t *testing.T) {
	tests := []struct {
		name         string
		steps        []step
		wantErr      error // nil: success
		wantAttempts int
		wantStatus   int
		wantExcerpt  string
	}{
		{name: "reset before headers, every attempt", steps: []step{hangUp(true)},
			wantErr: revoke.ErrUnavailable, wantAttempts: 4},
		{name: "close before headers, every attempt", steps: []step{hangUp(false)},
			wantErr: revoke.ErrUnavailable, wantAttempts: 4},
		{name: "reset before headers once, then 200", steps: []step{hangUp(true), ok200},
			wantAttempts: 2, wantStatus: 200},
		{name: "reset twice, then 200", steps: []step{hangUp(true), hangUp(true), ok200},
			wantAttempts: 3, wantStatus: 200},
		{name: "400 headers and a partial body, then close", steps: []step{cutShort(400, `{"error":"invalid_req`)},
			wantErr: revoke.ErrInvalidRequest, wantAttempts: 1, wantStatus: 400, wantExcerpt: `{"error":"invalid_req`},
		{name: "503 headers and a partial body, every attempt", steps: []step{cutShort(503, `{"error":"tempor`)},
			wantErr: revoke.ErrUnavailable, wantAttempts: 4, wantStatus: 503, wantExcerpt: `{"error":"tempor`},
		{name: "503 cut short once, then 200", steps: []step{cutShort(503, `<html>`), ok200},
			wantAttempts: 2, wantStatus: 200},
		// The server acknowledged with 200 before failing: RFC 7009 success
		// ignores the body, so the revocation stands.
		{name: "200 headers and a partial body", steps: []step{cutShort(200, `{"ok`)},
			wantAttempts: 1, wantStatus: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(steps(&n, tc.steps...))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			if got := int(n.Load()); got != tc.wantAttempts {
				t.Errorf("server saw %d attempts; want %d", got, tc.wantAttempts)
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if res.Attempts != tc.wantAttempts || res.StatusCode != tc.wantStatus {
					t.Errorf("Result = %+v; want %d attempts, status %d", res, tc.wantAttempts, tc.wantStatus)
				}
				return
			}
			e := relError(t, res, err)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v is not %v", err, tc.wantErr)
			}
			if e.Attempts != tc.wantAttempts || e.StatusCode != tc.wantStatus {
				t.Errorf("Attempts, StatusCode = %d, %d; want %d, %d", e.Attempts, e.StatusCode, tc.wantAttempts, tc.wantStatus)
			}
			if tc.wantStatus == 0 && e.Err == nil {
				t.Errorf("a connection failure carries no cause: %#v", e)
			}
			if e.Excerpt != tc.wantExcerpt {
				t.Errorf("Excerpt = %q; want %q", e.Excerpt, tc.wantExcerpt)
			}
		})
	}
}

// TestFaultConnectionRefused: nothing listens on the port. Connection
// failures are retried, then reported as unavailable with the cause.
func TestFaultConnectionRefused(t *testing.T) {
	env := newFaultEnv(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	res, err := relRevoke(context.Background(), env.revoker("http://"+addr+"/revoke"))
	e := relError(t, res, err)
	if !errors.Is(err, revoke.ErrUnavailable) || e.Attempts != 4 || e.StatusCode != 0 || e.Err == nil {
		t.Errorf("error %#v; want ErrUnavailable after 4 attempts with a cause", e)
	}
	if !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q does not name the endpoint %s", err, addr)
	}
}

// TestFaultRateLimitTooLong: a 429 asking for longer than MaxWait, in every
// header flavour, returns at once with ErrRateLimited and the asked wait in
// RetryAfter. The server's clock is an hour behind the local one: waits
// are measured against its Date header, not the local clock.
func TestFaultRateLimitTooLong(t *testing.T) {
	serverNow := time.Now().Add(-time.Hour).Truncate(time.Second)
	date := serverNow.UTC().Format(http.TimeFormat)
	epoch := func(d time.Duration) string { return strconv.FormatInt(serverNow.Add(d).Unix(), 10) }
	const rfcBody = `{"error":"slow_down","error_description":"Too many requests."}`
	const oktaBody = `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oae47","errorCauses":[]}`
	tests := []struct {
		name     string
		step     step
		want     time.Duration
		wantCode string
	}{
		{"Retry-After seconds", answer(429, rfcBody, "Retry-After", "4", "Date", date), 4 * time.Second, "slow_down"},
		{"Retry-After HTTP-date against Date", answer(429, rfcBody, "Retry-After", serverNow.Add(6*time.Second).UTC().Format(http.TimeFormat), "Date", date), 6 * time.Second, "slow_down"},
		// Through the generic adapter a vendor's own body is an excerpt, and
		// Okta's recommended extra second is the okta adapter's to add.
		{"Okta X-Rate-Limit-Reset epoch against Date", answer(429, oktaBody, "Date", date,
			"X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", epoch(3*time.Second)), 3 * time.Second, ""},
		{"OneLogin X-RateLimit-Reset seconds remaining", answer(429, `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate limit exceeded"}}`, "Date", date,
			"X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "7"), 7 * time.Second, ""},
		{"epoch X-RateLimit-Reset against Date", answer(429, rfcBody, "Date", date,
			"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", epoch(5*time.Second)), 5 * time.Second, "slow_down"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(steps(&n, tc.step, ok200))
			start := time.Now()
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			elapsed := time.Since(start)
			e := relError(t, res, err)
			if !errors.Is(err, revoke.ErrRateLimited) {
				t.Errorf("error %v is not ErrRateLimited", err)
			}
			if e.RetryAfter != tc.want {
				t.Errorf("RetryAfter = %v; want %v", e.RetryAfter, tc.want)
			}
			if e.Attempts != 1 || n.Load() != 1 || e.StatusCode != 429 || e.Code != tc.wantCode {
				t.Errorf("Attempts %d, server saw %d, status %d, code %q; want 1, 1, 429, %q", e.Attempts, n.Load(), e.StatusCode, e.Code, tc.wantCode)
			}
			// It must not sleep the wait (seconds), nor even the cap.
			if elapsed >= relFast.MaxWait/2 {
				t.Errorf("returned after %v; want at once (the server asked for %v, the cap is %v)", elapsed, tc.want, relFast.MaxWait)
			}
			if !strings.Contains(err.Error(), "retry after "+tc.want.String()) {
				t.Errorf("error %q does not say how long to wait", err)
			}
		})
	}
}

// TestFaultRateLimitRetried: a 429 or 503 whose wait fits under the cap is
// retried after that wait, in every flavour that can ask for zero.
func TestFaultRateLimitRetried(t *testing.T) {
	serverNow := time.Now().Add(-time.Hour).Truncate(time.Second)
	date := serverNow.UTC().Format(http.TimeFormat)
	now := strconv.FormatInt(serverNow.Unix(), 10)
	tests := []struct {
		name    string
		fault   step
		repeats int
	}{
		{"Retry-After 0", answer(429, "", "Retry-After", "0"), 1},
		{"Retry-After HTTP-date equal to Date", answer(429, "", "Date", date, "Retry-After", date), 2},
		{"Retry-After HTTP-date in the past", answer(503, "", "Date", date, "Retry-After", serverNow.Add(-time.Minute).UTC().Format(http.TimeFormat)), 1},
		{"OneLogin X-RateLimit-Reset 0", answer(429, "", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "0"), 3},
		{"epoch X-RateLimit-Reset equal to Date", answer(429, "", "Date", date, "X-RateLimit-Reset", now), 1},
		{"no signal: jittered backoff", answer(429, "", "Date", date), 2},
		{"502 without signal", answer(502, "<html>Bad Gateway</html>"), 1},
		{"504 without signal", answer(504, ""), 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			ss := make([]step, 0, tc.repeats+1)
			for i := 0; i < tc.repeats; i++ {
				ss = append(ss, tc.fault)
			}
			ss = append(ss, answer(200, "", "X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "599"))
			srv := env.serve(steps(&n, ss...))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if want := tc.repeats + 1; res.Attempts != want || int(n.Load()) != want {
				t.Errorf("Attempts %d, server saw %d; want %d", res.Attempts, n.Load(), want)
			}
			if res.RateLimit == nil || res.RateLimit.Limit != 600 || res.RateLimit.Remaining != 599 {
				t.Errorf("RateLimit = %+v; want the final answer's {600 599}", res.RateLimit)
			}
		})
	}
}

// TestFaultServerWaitHonoured is the one test that waits for real: a
// server's one-second signal is honoured before the retry. The two cases
// run in parallel, so the test takes about one second.
func TestFaultServerWaitHonoured(t *testing.T) {
	base := runtime.NumGoroutine()
	var transports []*http.Transport
	var mu sync.Mutex
	t.Run("group", func(t *testing.T) {
		serverNow := time.Now().Add(-time.Hour).Truncate(time.Second)
		date := serverNow.UTC().Format(http.TimeFormat)
		tests := []struct {
			name  string
			fault step
		}{
			{"503 Retry-After 1", answer(503, `{"error":"temporarily_unavailable"}`, "Retry-After", "1")},
			{"429 Okta reset in 1 s", answer(429, `{"errorCode":"E0000047"}`, "Date", date, "X-Rate-Limit-Reset", strconv.FormatInt(serverNow.Unix()+1, 10))},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tr := &http.Transport{}
				mu.Lock()
				transports = append(transports, tr)
				mu.Unlock()
				var n atomic.Int32
				var second atomic.Int64 // when the retry arrived, in Unix nanoseconds
				srv := httptest.NewServer(steps(&n, tc.fault, func(w http.ResponseWriter, r *http.Request) {
					second.Store(time.Now().UnixNano())
					ok200(w, r)
				}))
				defer srv.Close()
				r, err := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.ClientSecretBasic(relClient, relSecret)},
					revoke.WithHTTPClient(&http.Client{Transport: tr}), revoke.WithRetry(relFast))
				if err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				res, err := relRevoke(context.Background(), r)
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if res.Attempts != 2 || n.Load() != 2 {
					t.Fatalf("Attempts %d, server saw %d; want 2", res.Attempts, n.Load())
				}
				// A lower bound: the retry did not come before the asked wait.
				if gap := time.Unix(0, second.Load()).Sub(start); gap < time.Second {
					t.Errorf("retried after %v; the server asked for 1s", gap)
				}
			})
		}
	})
	for _, tr := range transports {
		tr.CloseIdleConnections()
	}
	checkGoroutines(t, base)
}

// TestFaultRetriesExhausted: a server that keeps failing gets exactly
// 1 + MaxRetries attempts, and the error reports the last answer, parsed.
func TestFaultRetriesExhausted(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		signal       []string // header pairs on every answer
		opts         []revoke.Option
		wantAttempts int
		wantErr      error
	}{
		{name: "503 with Retry-After 0, default budget", status: 503, signal: []string{"Retry-After", "0"}, wantAttempts: 4, wantErr: revoke.ErrUnavailable},
		{name: "503 without signal, default budget", status: 503, wantAttempts: 4, wantErr: revoke.ErrUnavailable},
		{name: "502, default budget", status: 502, wantAttempts: 4, wantErr: revoke.ErrUnavailable},
		{name: "504, default budget", status: 504, wantAttempts: 4, wantErr: revoke.ErrUnavailable},
		{name: "429 with Retry-After 0, default budget", status: 429, signal: []string{"Retry-After", "0"}, wantAttempts: 4, wantErr: revoke.ErrRateLimited},
		{name: "429 OneLogin reset 0, MaxRetries 1", status: 429, signal: []string{"X-RateLimit-Reset", "0"},
			opts: []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})}, wantAttempts: 2, wantErr: revoke.ErrRateLimited},
		{name: "503, MaxRetries 6", status: 503,
			opts: []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 6, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})}, wantAttempts: 7, wantErr: revoke.ErrUnavailable},
		{name: "503, WithoutRetry", status: 503, signal: []string{"Retry-After", "0"}, opts: []revoke.Option{revoke.WithoutRetry()}, wantAttempts: 1, wantErr: revoke.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := n.Add(1)
				_, _ = io.Copy(io.Discard, r.Body)
				for j := 0; j+1 < len(tc.signal); j += 2 {
					w.Header().Set(tc.signal[j], tc.signal[j+1])
				}
				w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", i))
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				fmt.Fprintf(w, `{"error":"temporarily_unavailable","error_description":"attempt %d of a failing server"}`, i)
			}))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke", tc.opts...))
			e := relError(t, res, err)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v is not %v", err, tc.wantErr)
			}
			if e.Attempts != tc.wantAttempts || int(n.Load()) != tc.wantAttempts {
				t.Errorf("Attempts %d, server saw %d; want %d", e.Attempts, n.Load(), tc.wantAttempts)
			}
			wantDesc := fmt.Sprintf("attempt %d of a failing server", tc.wantAttempts)
			if e.StatusCode != tc.status || e.Code != "temporarily_unavailable" || e.Description != wantDesc || e.RequestID != fmt.Sprintf("req-%d", tc.wantAttempts) {
				t.Errorf("error = %#v; want the last answer: status %d, %q, request id req-%d", e, tc.status, wantDesc, tc.wantAttempts)
			}
			if tc.wantAttempts > 1 && !strings.Contains(err.Error(), fmt.Sprintf("after %d attempts", tc.wantAttempts)) {
				t.Errorf("error %q does not count the attempts", err)
			}
		})
	}
}

// TestFaultNoRetry: answers that retrying cannot fix are returned after one
// attempt, classified by their code.
func TestFaultNoRetry(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   error
	}{
		{400, `{"error":"invalid_request","error_description":"The token parameter is required."}`, revoke.ErrInvalidRequest},
		{400, `{"error":"invalid_client","error_description":"No client credentials found"}`, revoke.ErrInvalidClient},
		{401, `{"error":"invalid_client","error_description":"Client Authentication failed."}`, revoke.ErrInvalidClient},
		{403, `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action"}`, revoke.ErrForbidden},
		{404, `Not Found`, revoke.ErrNotFound},
		{500, `{"error":"server_error","error_description":"Internal Server Error."}`, revoke.ErrServer},
		{501, `Not Implemented`, revoke.ErrServer},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.status)+" "+tc.want.Error(), func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(steps(&n, answer(tc.status, tc.body, "Retry-After", "0"), ok200))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			e := relError(t, res, err)
			if !errors.Is(err, tc.want) || e.StatusCode != tc.status {
				t.Errorf("error %v (status %d); want %v with status %d", err, e.StatusCode, tc.want, tc.status)
			}
			if e.Attempts != 1 || n.Load() != 1 {
				t.Errorf("Attempts %d, server saw %d; want 1: %d is not retried", e.Attempts, n.Load(), tc.status)
			}
		})
	}
}

// hangingListener accepts TCP connections and never reads or writes.
func hangingListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// TestFaultDeadline: whatever the server does, the call ends when the
// context does, within 50 ms of the deadline, and reports why.
func TestFaultDeadline(t *testing.T) {
	const budget = 300 * time.Millisecond
	const overshootMax = 50 * time.Millisecond
	tests := []struct {
		name string
		// handler is served by httptest; nil uses a raw listener that
		// accepts and never answers.
		handler  func(stop <-chan struct{}) http.Handler
		wantKind error
	}{
		{name: "TCP accepted, never answered", wantKind: revoke.ErrUnavailable},
		{name: "request read, never answered", handler: func(stop <-chan struct{}) http.Handler {
			return http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				select {
				case <-r.Context().Done():
				case <-stop:
				}
			})
		}, wantKind: revoke.ErrUnavailable},
		{name: "a slow answer each time, retried until the deadline", handler: func(stop <-chan struct{}) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(120 * time.Millisecond):
				case <-stop:
				}
				w.WriteHeader(http.StatusServiceUnavailable)
			})
		}, wantKind: revoke.ErrUnavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var endpoint string
			if tc.handler == nil {
				endpoint = "http://" + hangingListener(t) + "/revoke"
			} else {
				stop := make(chan struct{})
				srv := env.serve(tc.handler(stop))
				t.Cleanup(func() { close(stop) }) // runs before srv.Close
				endpoint = srv.URL + "/revoke"
			}
			r := env.revoker(endpoint)
			ctx, cancel := context.WithTimeout(context.Background(), budget)
			defer cancel()
			deadline, _ := ctx.Deadline()
			res, err := relRevoke(ctx, r)
			overshoot := time.Since(deadline)
			e := relError(t, res, err)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not match context.DeadlineExceeded", err)
			}
			if !errors.Is(err, tc.wantKind) {
				t.Errorf("error %v is not %v", err, tc.wantKind)
			}
			if overshoot < 0 || overshoot > overshootMax {
				t.Errorf("returned %v after the deadline; want within [0, %v]", overshoot, overshootMax)
			}
			if e.Attempts < 1 {
				t.Errorf("Attempts = %d", e.Attempts)
			}
			t.Logf("deadline overshoot %v after %d attempts", overshoot, e.Attempts)
		})
	}
}

// TestFaultWaitBeyondDeadline: a server wait that would outlast the
// context is not slept: the call returns at once with the wait.
func TestFaultWaitBeyondDeadline(t *testing.T) {
	env := newFaultEnv(t)
	var n atomic.Int32
	srv := env.serve(steps(&n, answer(503, `{"error":"temporarily_unavailable"}`, "Retry-After", "3"), ok200))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	// MaxWait allows the wait: only the deadline forbids it.
	r := env.revoker(srv.URL+"/revoke", revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: time.Minute}))
	start := time.Now()
	res, err := relRevoke(ctx, r)
	elapsed := time.Since(start)
	e := relError(t, res, err)
	if !errors.Is(err, revoke.ErrUnavailable) || e.RetryAfter != 3*time.Second || e.Attempts != 1 || n.Load() != 1 {
		t.Errorf("error %#v; want ErrUnavailable, RetryAfter 3s, one attempt", e)
	}
	if elapsed > time.Second {
		t.Errorf("returned after %v; want at once, well before the 2s deadline", elapsed)
	}
}

// TestFaultHugeBody: a 10 MiB answer is read only up to the response
// limit, the excerpt stays bounded, and the memory a call allocates is set
// by that limit, not by the body: a 100 MiB body costs the same.
func TestFaultHugeBody(t *testing.T) {
	chunk := []byte(strings.Repeat("<p>overflow</p>\n", 64<<10/16))
	sizes := []int64{10 << 20, 100 << 20}
	tests := []struct {
		name   string
		status int
		limit  int64 // WithMaxResponseBytes; 0 keeps the 1 MiB default
		// maxAlloc bounds the bytes allocated during one call, beyond a
		// fixed allowance for the request itself (larger under -race).
		// Error bodies cost a few times the limit (the read buffer's
		// growth and the excerpt, which errbody computes from the whole
		// body read).
		maxAlloc uint64
	}{
		{name: "500, default 1 MiB limit", status: 500, maxAlloc: 1 << 20},
		{name: "400, 64 KiB limit", status: 400, limit: 64 << 10, maxAlloc: 8 * 64 << 10},
		// Success bodies are drained a little, then the connection closed.
		{name: "200, default 1 MiB limit", status: 200, maxAlloc: 0},
	}
	const allowance = 1 << 20
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				size, _ := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64)
				w.Header().Set("Content-Type", "text/html")
				w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
				w.WriteHeader(tc.status)
				for sent := int64(0); sent < size; sent += int64(len(chunk)) {
					if _, err := w.Write(chunk); err != nil {
						return // the client hung up, as it should
					}
				}
			}))
			var opts []revoke.Option
			if tc.limit > 0 {
				opts = append(opts, revoke.WithMaxResponseBytes(tc.limit))
			}
			allocs := make([]uint64, len(sizes))
			for i, size := range sizes {
				r := env.revoker(srv.URL+"/revoke?size="+strconv.FormatInt(size, 10), opts...)
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				res, err := relRevoke(context.Background(), r)
				runtime.ReadMemStats(&after)
				allocs[i] = after.TotalAlloc - before.TotalAlloc
				if tc.status == 200 {
					if err != nil || res.StatusCode != 200 {
						t.Fatalf("Revoke = %+v, %v; want success", res, err)
					}
				} else {
					e := relError(t, res, err)
					if e.StatusCode != tc.status || e.Attempts != 1 || !strings.HasPrefix(e.Excerpt, "<p>overflow</p> <p>overflow</p>") || !strings.HasSuffix(e.Excerpt, "…") {
						t.Errorf("error %v: want status %d after 1 attempt with a bounded excerpt of the page", err, tc.status)
					}
				}
				if allocs[i] > tc.maxAlloc+allowance {
					t.Errorf("a %d MiB body allocated %d KiB during the call; want at most %d KiB", size>>20, allocs[i]>>10, (tc.maxAlloc+allowance)>>10)
				}
				t.Logf("%d MiB body: %d KiB allocated during the call", size>>20, allocs[i]>>10)
			}
			if got := int(n.Load()); got != len(sizes) {
				t.Errorf("server saw %d requests; want %d (no retries)", got, len(sizes))
			}
			// Flat: ten times the body, about the same allocation.
			if d := int64(allocs[1]) - int64(allocs[0]); d > 256<<10 {
				t.Errorf("allocation grew by %d KiB from a 10 MiB to a 100 MiB body; want it flat", d>>10)
			}
		})
	}
}

// TestFaultBodyStallsPastDeadline: the status line and part of an error
// body arrive, then nothing. The call still ends at the deadline, with the
// status and what arrived.
func TestFaultBodyStallsPastDeadline(t *testing.T) {
	env := newFaultEnv(t)
	stop := make(chan struct{})
	var n atomic.Int32
	srv := env.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "500")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid_req`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop) })
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	res, err := relRevoke(ctx, env.revoker(srv.URL+"/revoke"))
	overshoot := time.Since(deadline)
	e := relError(t, res, err)
	if overshoot < 0 || overshoot > 50*time.Millisecond {
		t.Errorf("returned %v after the deadline; want within [0, 50ms]", overshoot)
	}
	if e.StatusCode != 400 || e.Attempts != 1 || n.Load() != 1 || e.Excerpt != `{"error":"invalid_req` {
		t.Errorf("error %#v; want status 400 after one attempt with the partial body as excerpt", e)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, context.DeadlineExceeded) = false for %v: the deadline that cut the body short was lost", err)
	}
	t.Logf("deadline overshoot %v", overshoot)
}

// TestFaultRedirect: a redirect is never followed, so neither the token nor
// the credentials reach the place it points to.
func TestFaultRedirect(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			env := newFaultEnv(t)
			var stolen atomic.Int32
			other := env.serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				stolen.Add(1)
				w.WriteHeader(200)
			}))
			otherHost := strings.TrimPrefix(other.URL, "http://")
			var n atomic.Int32
			srv := env.serve(steps(&n, answer(status, "<a href=\"elsewhere\">moved</a>", "Location", other.URL+"/steal?x=1")))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			e := relError(t, res, err)
			if !errors.Is(err, revoke.ErrRedirect) || e.StatusCode != status || e.Attempts != 1 || n.Load() != 1 {
				t.Errorf("error %#v; want ErrRedirect, status %d, one attempt", e, status)
			}
			if !strings.Contains(err.Error(), "to host "+otherHost) {
				t.Errorf("error %q does not name the Location host %s", err, otherHost)
			}
			if got := stolen.Load(); got != 0 {
				t.Errorf("the redirect target received %d requests", got)
			}
		})
	}
	t.Run("307 to a path on the same host", func(t *testing.T) {
		env := newFaultEnv(t)
		var moved, n atomic.Int32
		srv := env.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/moved" {
				moved.Add(1)
				w.WriteHeader(200)
				return
			}
			n.Add(1)
			answer(307, "", "Location", "/moved")(w, r)
		}))
		res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
		relError(t, res, err)
		if !errors.Is(err, revoke.ErrRedirect) || !strings.Contains(err.Error(), "same host") || moved.Load() != 0 || n.Load() != 1 {
			t.Errorf("error %v, /moved saw %d, /revoke saw %d; want ErrRedirect naming the same host, 0, 1", err, moved.Load(), n.Load())
		}
	})
}

// TestFaultMalformedBodies: error bodies in no known shape give a typed
// error with the status and a bounded, scrubbed excerpt.
func TestFaultMalformedBodies(t *testing.T) {
	garbage := make([]byte, 4096)
	x := uint32(88172645)
	for i := range garbage {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		garbage[i] = byte(x)
	}
	tests := []struct {
		name        string
		status      int
		ctype       string
		body        string
		want        error
		wantExcerpt string // prefix; "" means none expected
	}{
		{"HTML error page on 400", 400, "text/html", "<!DOCTYPE html>\n<html><head><title>400 Bad Request</title></head>\n<body><h1>Bad Request</h1></body></html>", revoke.ErrInvalidRequest, "<!DOCTYPE html> <html><head><title>400 Bad Request"},
		{"HTML error page on 500", 500, "text/html", strings.Repeat("<div>Internal error</div>\n", 500), revoke.ErrServer, "<div>Internal error</div> <div>"},
		{"truncated JSON", 400, "application/json", `{"error":`, revoke.ErrInvalidRequest, `{"error":`},
		{"truncated JSON mid-description", 401, "application/json", `{"error":"invalid_client","error_description":"Client auth`, revoke.ErrInvalidClient, `{"error":"invalid_client"`},
		{"binary garbage", 400, "application/octet-stream", string(garbage), revoke.ErrInvalidRequest, ""},
		{"JSON array", 400, "application/json", `[{"error":"invalid_request"}]`, revoke.ErrInvalidRequest, `[{"error":"invalid_request"}]`},
		{"JSONP callback", 400, "application/javascript", `callback({"error":"invalid_request"});`, revoke.ErrInvalidRequest, "callback("},
		{"empty body", 401, "", "", revoke.ErrInvalidClient, ""},
		{"HTML page echoing the token and secret", 500, "text/html", "<html><body>bad token " + relToken + " with secret " + relSecret + "</body></html>", revoke.ErrServer, "<html><body>bad token [REDACTED] with secret [REDACTED]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newFaultEnv(t)
			var n atomic.Int32
			srv := env.serve(steps(&n, answer(tc.status, tc.body, "Content-Type", tc.ctype)))
			res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
			e := relError(t, res, err)
			if !errors.Is(err, tc.want) || e.StatusCode != tc.status || e.Attempts != 1 {
				t.Errorf("error %v (status %d, %d attempts); want %v, status %d, 1 attempt", err, e.StatusCode, e.Attempts, tc.want, tc.status)
			}
			if e.Code != "" || e.Description != "" {
				t.Errorf("Code %q, Description %q parsed from a malformed body", e.Code, e.Description)
			}
			switch {
			case tc.name == "binary garbage":
				if e.Excerpt == "" {
					t.Errorf("no excerpt of a binary body")
				}
			case !strings.HasPrefix(e.Excerpt, tc.wantExcerpt) || (tc.wantExcerpt == "") != (e.Excerpt == ""):
				t.Errorf("Excerpt = %q; want it to start with %q", e.Excerpt, tc.wantExcerpt)
			}
		})
	}
}

// TestFaultTLS: a certificate the client does not trust, and https spoken
// to a plain-http server, fail cleanly after one attempt.
func TestFaultTLS(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		env := newFaultEnv(t)
		var n atomic.Int32
		srv := httptest.NewUnstartedServer(steps(&n, ok200))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes
		srv.StartTLS()
		t.Cleanup(srv.Close)
		res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
		e := relError(t, res, err)
		if !errors.Is(err, revoke.ErrInsecureEndpoint) {
			t.Errorf("error %v is not ErrInsecureEndpoint", err)
		}
		if e.Attempts != 1 || n.Load() != 0 || e.Err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("error %#v (handler saw %d); want one attempt, no request served, a certificate cause", e, n.Load())
		}
	})
	t.Run("https to a plain-http server", func(t *testing.T) {
		env := newFaultEnv(t)
		var n atomic.Int32
		srv := env.serve(steps(&n, ok200))
		res, err := relRevoke(context.Background(), env.revoker(strings.Replace(srv.URL, "http://", "https://", 1)+"/revoke"))
		e := relError(t, res, err)
		if e.Attempts != 1 || n.Load() != 0 || e.Err == nil {
			t.Errorf("error %#v (handler saw %d); want one attempt and a cause", e, n.Load())
		}
	})
}
