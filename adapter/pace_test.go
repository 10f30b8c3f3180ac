package adapter_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// oktaLike is a fake limited to limit requests per one-second window
// aligned on the second, answering like Okta: X-Rate-Limit-* and Date on
// every answer, 429 E0000047 past the limit.
type oktaLike struct {
	limit int

	mu       sync.Mutex
	window   int64
	used     int
	ok, n429 int
	perWin   map[int64]int
}

func (o *oktaLike) respond(r *http.Request) (*http.Response, error) {
	now := time.Now()
	o.mu.Lock()
	defer o.mu.Unlock()
	if w := now.Unix(); w != o.window {
		o.window, o.used = w, 0
	}
	h := http.Header{
		"Date":                   {now.UTC().Format(http.TimeFormat)},
		"X-Rate-Limit-Limit":     {strconv.Itoa(o.limit)},
		"X-Rate-Limit-Reset":     {strconv.FormatInt(o.window+1, 10)},
		"X-Rate-Limit-Remaining": {"0"},
	}
	if o.used >= o.limit {
		o.n429++
		resp := httpmock.NewStringResponse(429, `{"errorCode":"E0000047","errorSummary":"You exceeded the maximum number of requests. Try again in a while.","errorLink":"E0000047","errorId":"x","errorCauses":[]}`)
		resp.Header = h
		return resp, nil
	}
	o.used++
	o.ok++
	if o.perWin == nil {
		o.perWin = map[int64]int{}
	}
	o.perWin[o.window]++
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(o.limit-o.used))
	resp := httpmock.NewStringResponse(200, "")
	resp.Header = h
	return resp, nil
}

var oktaProfile = adapter.Profile{Name: "okta-like",
	RateLimit: adapter.RateLimitHeaders{Limit: "X-Rate-Limit-Limit", Remaining: "X-Rate-Limit-Remaining", Reset: "X-Rate-Limit-Reset", ResetFormat: adapter.ResetEpoch, ResetMargin: time.Second}}

// TestSharedAdapterAtTheLimit: 32 goroutines share one adapter against a
// server allowing 25 requests a second. Nothing fails, at most one window's
// worth of 429s is drawn (the first, before anything is known), and every
// window is used to the full.
func TestSharedAdapterAtTheLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &oktaLike{limit: 25}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(srv.respond)
		c := newClient(t, oktaProfile, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		u := mustURL(t, c, "https://org.example.com/oauth2/v1/revoke")
		const workers, each = 32, 10
		var wg sync.WaitGroup
		var failed sync.Map
		start := time.Now()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if _, err := c.Do(context.Background(), &adapter.Call{Op: "revoke", URL: u, Body: adapter.Form(nil)}); err != nil {
						failed.Store(err.Error(), true)
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		t.Logf("%d ok, %d 429s, %v fake time", srv.ok, srv.n429, elapsed)
		failed.Range(func(k, _ any) bool { t.Errorf("a revocation failed: %v", k); return true })
		if srv.ok != workers*each {
			t.Errorf("%d revocations succeeded, want %d", srv.ok, workers*each)
		}
		if srv.n429 > 25 {
			t.Errorf("%d answers were 429; want at most one window's worth (25)", srv.n429)
		}
		// 320 requests at 25 a second need 12.8 windows; allow two more.
		if elapsed > 15*time.Second {
			t.Errorf("took %v (fake time) for 320 requests at 25/s: the rate is not used", elapsed)
		}
		for w, n := range srv.perWin {
			if n > 25 {
				t.Errorf("window %d saw %d requests", w, n)
			}
		}
	})
}

// TestSequentialLoopReachesTheRate: a sequential caller is held back only
// until the window turns, not a whole extra second: at 10 requests a
// second, 100 requests take about 10 seconds, not 20.
func TestSequentialLoopReachesTheRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := &oktaLike{limit: 10}
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			// A little service time, so answers do not all fall on the
			// second boundary.
			time.Sleep(7 * time.Millisecond)
			return srv.respond(r)
		})
		c := newClient(t, oktaProfile, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		u := mustURL(t, c, "https://org.example.com/oauth2/v1/revoke")
		start := time.Now()
		for i := 0; i < 100; i++ {
			if _, err := c.Do(context.Background(), &adapter.Call{Op: "revoke", URL: u}); err != nil {
				t.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		t.Logf("100 requests in %v, %d 429s", elapsed, srv.n429)
		if elapsed > 12*time.Second {
			t.Errorf("100 sequential requests at 10/s took %v: under 83%% of the allowed rate", elapsed)
		}
		if srv.n429 > 10 {
			t.Errorf("%d 429s", srv.n429)
		}
	})
}

// TestPacingGivesUpBeyondMaxWait: when the window's reset is further away
// than MaxWait, the call returns at once, unsent, with RetryAfter.
func TestPacingGivesUpBeyondMaxWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls int
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			calls++
			resp := httpmock.NewStringResponse(200, "")
			resp.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
			resp.Header.Set("X-Rate-Limit-Limit", "1")
			resp.Header.Set("X-Rate-Limit-Remaining", "0")
			resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
			return resp, nil
		})
		c := newClient(t, oktaProfile, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		u := mustURL(t, c, "https://org.example.com/api")
		if _, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u}); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter < 59*time.Minute || time.Since(start) != 0 || calls != 1 {
			t.Fatalf("err = %#v after %v, %d calls", err, time.Since(start), calls)
		}
		// Another bucket is not held back.
		if _, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u, Bucket: "other"}); err != nil || calls != 2 {
			t.Fatalf("other bucket: %v (%d calls)", err, calls)
		}
	})
}

// TestPacingHonoursCancellation: a caller waiting for a window stops when
// its context does.
func TestPacingHonoursCancellation(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(200, "")
			resp.Header.Set("X-Rate-Limit-Limit", "1")
			resp.Header.Set("X-Rate-Limit-Remaining", "0")
			resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(time.Now().Add(20*time.Second).Unix(), 10))
			return resp, nil
		})
		c := newClient(t, oktaProfile, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		u := mustURL(t, c, "https://org.example.com/api")
		_, _ = c.Do(context.Background(), &adapter.Call{Op: "op", URL: u})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := c.Do(ctx, &adapter.Call{Op: "op", URL: u})
		if !errors.Is(err, revoke.ErrRateLimited) {
			t.Fatalf("err = %v: a wait past the deadline must be refused at once", err)
		}
		ctx2, cancel2 := context.WithCancel(context.Background())
		go func() { time.Sleep(time.Second); cancel2() }()
		_, err = c.Do(ctx2, &adapter.Call{Op: "op", URL: u})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}
