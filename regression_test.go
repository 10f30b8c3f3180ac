package revoke_test

// Regression tests for core bugs found while writing reliability_test.go.
// They reuse its helpers (newFaultEnv, relRevoke, relError, steps, answer).

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// Bug 1: a 429 whose Okta reset lies centuries ahead makes ServerWait
// overflow to a negative wait: the call is retried at once, 4 times, and
// Error.RetryAfter is negative.
func TestRegressionFarFutureResetIsRetriedAtOnce(t *testing.T) {
	env := newFaultEnv(t)
	var n atomic.Int32
	srv := env.serve(steps(&n, answer(429, `{"errorCode":"E0000047"}`, "X-Rate-Limit-Reset", "99999999999")))
	res, err := relRevoke(context.Background(), env.revoker(srv.URL+"/revoke"))
	e := relError(t, res, err)
	if !errors.Is(err, revoke.ErrRateLimited) || e.Attempts != 1 || n.Load() != 1 || e.RetryAfter < 24*time.Hour {
		t.Errorf("Attempts %d (server saw %d), RetryAfter %v; want one attempt and a wait beyond MaxWait", e.Attempts, n.Load(), e.RetryAfter)
	}
}

// Bug 2: the status arrives, the body stalls until the deadline: the call
// ends on time, but the error hides that the deadline cut it short.
func TestRegressionDeadlineDuringErrorBodyIsLost(t *testing.T) {
	env := newFaultEnv(t)
	stop := make(chan struct{})
	srv := env.serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err := relRevoke(ctx, env.revoker(srv.URL+"/revoke"))
	relError(t, res, err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not match context.DeadlineExceeded", err)
	}
}

// Bug 3: errbody.Excerpt splits the whole body read (up to 1 MiB) into
// fields to keep 256 bytes: a whitespace-dense error body makes one call
// allocate ~12 MiB.
func TestRegressionErrorBodyMemory(t *testing.T) {
	env := newFaultEnv(t)
	body := strings.Repeat("a ", 5<<20)
	srv := env.serve(steps(new(atomic.Int32), answer(500, body, "Content-Type", "text/plain")))
	r := env.revoker(srv.URL + "/revoke")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res, err := relRevoke(context.Background(), r)
	runtime.ReadMemStats(&after)
	relError(t, res, err)
	if d := after.TotalAlloc - before.TotalAlloc; d > 2<<20 {
		t.Errorf("a 10 MiB error body allocated %d KiB during the call; want under 2 MiB", d>>10)
	}
}

// Bug 4 (low): a malformed endpoint URL with credentials is echoed, password
// included, twice (the raw %q and url.Parse's own message).
func TestRegressionMalformedEndpointEchoesUserInfo(t *testing.T) {
	_, err := generic.New(generic.Config{Endpoint: "https://id:s3cr%t@auth.example.com/revoke", Auth: revoke.PublicClient("x")})
	if err == nil || strings.Contains(err.Error(), "s3cr") {
		t.Errorf("error %v; want one that does not repeat the URL's password", err)
	}
}
