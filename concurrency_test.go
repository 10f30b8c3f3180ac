package revoke_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
)

const (
	concClient = "conc-client"
	concSecret = "conc-secret-5e6f7a8b9c"
	// concMaxConns is the transport's MaxConnsPerHost: the most TCP
	// connections a shared Revoker may ever open to one server.
	concMaxConns = 16
)

// concRun is one shared-Revoker load run against the RFC 7009 emulator.
type concRun struct {
	workers int
	pairs   int // tokens revoked = 2 * pairs (each access and refresh token)
	faults  func(em *revoketest.Server)
	retry   revoke.RetryPolicy
}

type concOutcome struct {
	em        *revoketest.Server
	tokens    []string
	successes int64
	attempts  int64
	failures  []error
	newConns  int32
	retired   int32
	elapsed   time.Duration
}

// run revokes every token through one generic.Revoker shared by all
// workers, then closes the server and checks that no goroutine outlives it.
func (c concRun) run(t *testing.T) concOutcome {
	t.Helper()
	base := runtime.NumGoroutine()
	em := revoketest.NewServer()
	em.AddClient(revoketest.Client{ID: concClient, Secret: concSecret})
	// newConns counts the connections the server accepted, retired those
	// the client closed while the run was on.
	var newConns, retired atomic.Int32
	srv := httptest.NewUnstartedServer(em)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	srv.Start()
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &countedConn{Conn: c, closes: &retired}, nil
		},
		MaxConnsPerHost:     concMaxConns,
		MaxIdleConnsPerHost: concMaxConns, // keep every connection opened: no churn
		IdleConnTimeout:     time.Minute,
	}
	r, err := generic.New(generic.Config{Endpoint: srv.URL + revoketest.RevokePath, Auth: revoke.ClientSecretBasic(concClient, concSecret)},
		revoke.WithHTTPClient(&http.Client{Transport: tr}), revoke.WithRetry(c.retry))
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		token string
		hint  revoke.TokenTypeHint
	}
	jobs := make([]job, 0, 2*c.pairs)
	for i := 0; i < c.pairs; i++ {
		p := em.Issue(concClient, fmt.Sprintf("user-%d", i))
		jobs = append(jobs, job{p.AccessToken, revoke.HintAccessToken}, job{p.RefreshToken, revoke.HintRefreshToken})
	}
	if c.faults != nil {
		c.faults(em)
	}
	out := concOutcome{em: em}
	for _, j := range jobs {
		out.tokens = append(out.tokens, j.token)
	}
	var successes, attempts atomic.Int64
	var mu sync.Mutex
	next := make(chan job)
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	for w := 0; w < c.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				res, err := r.Revoke(ctx, revoke.Request{Token: j.token, Hint: j.hint})
				if err != nil {
					mu.Lock()
					out.failures = append(out.failures, err)
					mu.Unlock()
					continue
				}
				successes.Add(1)
				attempts.Add(int64(res.Attempts))
			}
		}()
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	out.elapsed = time.Since(start)
	out.retired = retired.Load()
	out.successes, out.attempts = successes.Load(), attempts.Load()
	srv.Close()
	tr.CloseIdleConnections()
	out.newConns = newConns.Load()
	checkGoroutines(t, base)
	return out
}

// check asserts what every run must show: every call succeeded and is
// accounted for in the emulator's log, every token is inactive and was
// sent exactly once per attempt that reached the handler, and the pool
// never opened more connections than MaxConnsPerHost.
func (o concOutcome) check(t *testing.T, wantLog int) {
	t.Helper()
	for i, err := range o.failures {
		if i == 5 {
			break
		}
		t.Errorf("Revoke failed: %v", err)
	}
	if n := int64(len(o.tokens)); o.successes != n || len(o.failures) != 0 {
		t.Errorf("%d successes and %d failures; want %d successes", o.successes, len(o.failures), n)
	}
	reqs := o.em.Requests()
	if len(reqs) != wantLog || o.attempts != int64(wantLog) {
		t.Errorf("emulator logged %d requests and results count %d attempts; want %d", len(reqs), o.attempts, wantLog)
	}
	seen := make(map[string]int, len(o.tokens))
	for _, rq := range reqs {
		if rq.Method != http.MethodPost || rq.Path != revoketest.RevokePath {
			t.Fatalf("unexpected request %s %s", rq.Method, rq.Path)
		}
		if rq.Status == http.StatusOK {
			seen[rq.Form.Get("token")]++
		}
	}
	for _, tok := range o.tokens {
		if o.em.Active(tok) {
			t.Errorf("token %.8s... is still active", tok)
		}
		if seen[tok] != 1 {
			t.Errorf("token %.8s... was accepted %d times; want once", tok, seen[tok])
		}
	}
	// MaxConnsPerHost bounds the connections open at once. net/http also
	// retires a connection whose request write it cannot confirm within
	// 50 ms of the response (Transport.wroteRequest), which a starved
	// machine under -race does now and then; each retired connection may
	// be replaced, and nothing more.
	if o.newConns < 1 || o.newConns > concMaxConns+o.retired {
		t.Errorf("the server saw %d new connections; want between 1 and MaxConnsPerHost = %d plus the %d the client retired", o.newConns, concMaxConns, o.retired)
	}
}

// TestConcurrentSharedRevoker: one Revoker shared by 64 goroutines revokes
// 10,000 tokens (5,000 access/refresh pairs) at the emulator.
func TestConcurrentSharedRevoker(t *testing.T) {
	o := concRun{workers: 64, pairs: 5000, retry: revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}}.run(t)
	o.check(t, 10_000)
	t.Logf("10,000 revocations by 64 goroutines in %v (%.0f/s), %d connections opened, %d retired by net/http", o.elapsed, 10_000/o.elapsed.Seconds(), o.newConns, o.retired)
}

// TestConcurrentSharedRevokerWithFaults: the same under injected 503 and
// 429 answers. Each faulted attempt is retried; the emulator's log then
// holds exactly one entry per attempt, and no call fails.
func TestConcurrentSharedRevokerWithFaults(t *testing.T) {
	const faults503, faults429 = 150, 150
	o := concRun{workers: 32, pairs: 1000,
		faults: func(em *revoketest.Server) {
			em.FailNext(faults503, revoketest.ServiceUnavailable(0))
			em.FailNext(faults429, revoketest.RateLimited(http.Header{"Retry-After": {"0"}}))
		},
		// Faults come first in the queue, so one call may meet many in a
		// row: the budget covers that.
		retry: revoke.RetryPolicy{MaxRetries: faults503 + faults429, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
	}.run(t)
	o.check(t, 2000+faults503+faults429)
	faulted := 0
	for _, rq := range o.em.Requests() {
		if rq.Status == http.StatusServiceUnavailable || rq.Status == http.StatusTooManyRequests {
			faulted++
		}
	}
	if faulted != faults503+faults429 {
		t.Errorf("the emulator answered %d faults; want %d", faulted, faults503+faults429)
	}
	t.Logf("2,000 revocations with %d injected faults in %v, %d connections opened", faulted, o.elapsed, o.newConns)
}

// countedConn counts the connections the client closes.
type countedConn struct {
	net.Conn
	closes *atomic.Int32
	once   sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.closes.Add(1) })
	return c.Conn.Close()
}
