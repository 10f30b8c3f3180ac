//go:build go1.25

package oktaadmin

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktatest"
)

// These tests run in synctest bubbles: every wait, the adapter kit's
// pacing and retry waits as well as the fake's windows, is on the bubble's
// clock, so they take no real time and their instants are exact. The
// bubble's clock starts at 2000-01-01T00:00:00Z; the fake runs ten years
// ahead of it (only Reset − Date matters to the client).

// newPaced returns an Admin and a fake sharing the bubble's clock, over
// httpmock. The fake has user 00u1 and client 0oa1.
func newPaced(t *testing.T, opts ...revoke.Option) (*Admin, *oktatest.Admin) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := oktatest.RegisterAdmin(mt, testDomain)
	fake.Now = func() time.Time { return time.Now().AddDate(10, 0, 0) }
	fake.AddUser("00u1")
	fake.AddClient("0oa1", "Web App")
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	a, err := New(Config{Domain: testDomain, APIToken: oktatest.APIToken}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a, fake
}

// noRetry keeps a wrongly drawn 429 from being retried: it fails the test
// instead. The timeout is raised so that the call's deadline (WithTimeout,
// 30 s by default, bounds a call without a deadline of its own, waits
// included) does not refuse the minute-long waits these tests make.
func noRetry(maxWait time.Duration) []revoke.Option {
	return []revoke.Option{revoke.WithoutRetry(), revoke.WithRetry(revoke.RetryPolicy{MaxWait: maxWait}), revoke.WithTimeout(time.Hour)}
}

// resolution is the uncertainty of a reset read against Okta's Date
// header, which has whole seconds: the kit may send a request probing the
// new window up to this much before the server's window turns (and learns
// from the 429 that answers it early), or wait up to this much past it.
const resolution = time.Second

// TestProactiveWaitWhenBucketSpent: once Remaining is 0, the next call on
// the bucket waits for the reset instead of failing with a 429, and the
// fake sees it succeed when its window has turned; at most one request
// probes the new window early (the kit learns the server's clock from its
// 429, which does not count against the call's retries). Another bucket
// does not wait.
func TestProactiveWaitWhenBucketSpent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake := newPaced(t, noRetry(2*time.Minute)...)
		bucket := "GET " + oktatest.UserClientsPath
		fake.SetRateLimit(bucket, 2, time.Minute)
		fake.IssueRefreshToken("00u1", "0oa1")
		t0 := fake.Now()
		for i := range 3 {
			if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		reset := t0.Add(time.Minute)
		var good []oktatest.Request
		for i, r := range fake.Requests() {
			switch {
			case r.Bucket != bucket:
				t.Errorf("request %d on %q, want %q", i, r.Bucket, bucket)
			case r.Status == http.StatusOK:
				good = append(good, r)
			case r.Status == http.StatusTooManyRequests && i == 2 && r.At.Before(reset) && !r.At.Before(reset.Add(-resolution)):
				// the probe of the new window, early by less than the
				// Date header's resolution
			default:
				t.Errorf("request %d at %v answered %d: a 429 was drawn", i, r.At, r.Status)
			}
		}
		if len(good) != 3 || len(fake.Requests()) > 4 {
			t.Fatalf("%d requests, %d of them successful; want 3 successful and at most one probe", len(fake.Requests()), len(good))
		}
		if !good[0].At.Equal(t0) || !good[1].At.Equal(t0) {
			t.Errorf("first two requests at %v, %v, want %v (no wait)", good[0].At, good[1].At, t0)
		}
		if at := good[2].At; at.Before(reset) || at.After(reset.Add(resolution)) {
			t.Errorf("third request at %v; want at the reset %v (within the Date header's resolution)", at, reset)
		}
		rl, ok := a.RateLimit(bucket)
		if !ok || rl.Limit != 2 || rl.Remaining != 1 {
			t.Errorf("RateLimit(%s) = %+v, %v; want the last report: limit 2, remaining 1", bucket, rl, ok)
		}
		before := time.Now()
		if _, err := a.RevokeUserGrants(context.Background(), "00u1"); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(before); d != 0 {
			t.Errorf("a call on another bucket waited %s", d)
		}
		if _, ok := a.RateLimit("GET /nowhere"); ok {
			t.Error("RateLimit reports a bucket never called")
		}
	})
}

// TestProactiveWaitTooLong: past the cap or the context deadline, the call
// returns ErrRateLimited with RetryAfter at once, without sending.
func TestProactiveWaitTooLong(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxWait time.Duration
		timeout time.Duration
	}{
		{"beyond MaxWait", 5 * time.Second, 0},
		{"beyond the deadline", 5 * time.Minute, 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a, fake := newPaced(t, noRetry(tc.maxWait)...)
				fake.SetRateLimit("DELETE "+oktatest.UserClientTokensPath, 1, time.Minute)
				ctx := context.Background()
				if tc.timeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tc.timeout)
					defer cancel()
				}
				if _, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1"); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				_, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1")
				var re *revoke.Error
				if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) {
					t.Fatalf("error = %v, want ErrRateLimited", err)
				}
				if re.RetryAfter > time.Minute || re.RetryAfter < time.Minute-resolution || re.Attempts != 0 || re.StatusCode != 0 || re.Op != "okta admin revokeTokensForUserAndClient" {
					t.Errorf("error = %+v, want RetryAfter 1m (the reset, within the Date header's resolution), no attempt", re)
				}
				if n := len(fake.Requests()); n != 1 {
					t.Errorf("%d requests, want 1: the second must not be sent", n)
				}
				if d := time.Since(start); d != 0 {
					t.Errorf("waited %s before refusing", d)
				}
			})
		})
	}
}

// TestProactiveWaitCancelled: cancelling the context ends a pacing wait
// with context.Canceled, and nothing is sent.
func TestProactiveWaitCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake := newPaced(t, noRetry(2*time.Minute)...)
		fake.SetRateLimit("GET "+oktatest.UserClientsPath, 1, time.Minute)
		if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := a.ListUserClients(ctx, "00u1")
			done <- err
		}()
		synctest.Wait() // the caller is asleep in the pacer
		time.Sleep(10 * time.Second)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("error = %v, want context.Canceled", err)
		}
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// TestConcurrentCallersShareBuckets: goroutines share one Admin's pacing,
// take slots from what is left, and after a reset send no more than a
// window's worth before the server reports the new window; no call fails,
// and the only 429s are probes of a new window sent less than the Date
// header's resolution early, at most one per window. Run with -race.
func TestConcurrentCallersShareBuckets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake := newPaced(t, noRetry(10*time.Minute)...)
		bucket := "GET " + oktatest.UserClientsPath
		const limit, callers = 3, 10
		fake.SetRateLimit(bucket, limit, time.Minute)
		t0, start := fake.Now(), time.Now()
		if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, callers)
		for range callers {
			wg.Go(func() {
				_, err := a.ListUserClients(context.Background(), "00u1")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("caller: %v", err)
			}
		}
		perWindow, probes := map[int]int{}, map[int]int{}
		successes := 0
		for i, r := range fake.Requests() {
			d := r.At.Sub(t0)
			if r.Status == http.StatusTooManyRequests {
				// A probe: early by less than the resolution, before the
				// window starting at the next whole minute.
				next := d.Truncate(time.Minute) + time.Minute
				if next-d > resolution {
					t.Errorf("request %d at t0+%s answered 429: a 429 was drawn", i, d)
				}
				probes[int(next/time.Minute)]++
				continue
			}
			if r.Status != http.StatusOK {
				t.Errorf("request %d at t0+%s answered %d", i, d, r.Status)
			}
			successes++
			perWindow[int(d/time.Minute)]++
			// Each window's requests come at its start, within the Date
			// header's resolution.
			if d%time.Minute > resolution {
				t.Errorf("request %d at t0+%s: not at a window's start", i, d)
			}
		}
		if successes != callers+1 {
			t.Errorf("%d successful requests, want %d", successes, callers+1)
		}
		// 11 requests, at most 3 per window. The kit may leave a slot of a
		// window unused (it counts requests still in flight against a new
		// window's first report, some of which the server has already
		// counted), never use one too many.
		if perWindow[0] != limit {
			t.Errorf("%d requests in the first window, want %d", perWindow[0], limit)
		}
		for w, n := range perWindow {
			if n > limit {
				t.Errorf("%d requests in window %d; want at most %d", n, w, limit)
			}
		}
		for w, n := range probes {
			if n > 1 {
				t.Errorf("%d probes of window %d, want at most one", n, w)
			}
		}
		if end := time.Since(start); end > 10*time.Minute {
			t.Errorf("took %s", end)
		}
	})
}

// Test429ThenSuccess: a 429 carrying Date and an X-Rate-Limit-Reset one
// second ahead is retried once the reset has passed: Reset − Date later,
// the latest the window can end given Date's whole seconds, and at most
// Okta's recommended 1 s margin more. The server's clock is years off the
// client's: only Reset − Date may count.
func Test429ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		var at []time.Time
		body := golden(t, "error_429.json")
		mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			now := time.Now()
			at = append(at, now)
			if len(at) == 1 {
				server := now.AddDate(7, 0, 0).Truncate(time.Second)
				resp := httpmock.NewStringResponse(http.StatusTooManyRequests, body)
				resp.Header.Set("Content-Type", "application/json")
				resp.Header.Set("Date", server.UTC().Format(http.TimeFormat))
				resp.Header.Set("X-Rate-Limit-Limit", "10")
				resp.Header.Set("X-Rate-Limit-Remaining", "0")
				resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(server.Add(time.Second).Unix(), 10))
				resp.Request = req // as a real transport does
				return resp, nil
			}
			return httpmock.NewStringResponse(http.StatusNoContent, ""), nil
		})
		a := newTestAdmin(t, mt, revoke.WithRetry(revoke.RetryPolicy{MaxWait: 5 * time.Second}))
		res, err := a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusNoContent || res.Attempts != 2 || len(at) != 2 {
			t.Fatalf("result %+v after %d requests, want 204 on the second", res, len(at))
		}
		if waited := at[1].Sub(at[0]); waited < time.Second || waited > 2*time.Second {
			t.Errorf("retried after %s, want Reset − Date (1 s), plus at most a 1 s margin", waited)
		}
	})
}

// TestFake429ThenSuccess: another client spends the bucket this Admin has
// not seen yet, so its call draws the fake's 429; the kit waits for the
// window's reset (within a second) and the retry succeeds in the new
// window.
func TestFake429ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, fake := newPaced(t, revoke.WithRetry(revoke.RetryPolicy{MaxWait: 2 * time.Minute}), revoke.WithTimeout(time.Hour))
		fake.SetRateLimit("DELETE "+oktatest.UserGrantsPath, 1, time.Minute)
		other, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, testDomain+"/api/v1/users/00u1/grants", nil)
		other.Header.Set("Authorization", "SSWS "+oktatest.APIToken)
		fake.ServeHTTP(httptest.NewRecorder(), other)
		start, reset := time.Now(), fake.Now().Add(time.Minute)
		res, err := a.RevokeUserGrants(context.Background(), "00u1")
		if err != nil {
			t.Fatal(err)
		}
		if res.Attempts != 2 {
			t.Errorf("attempts %d, want 2", res.Attempts)
		}
		reqs := fake.Requests()
		if len(reqs) != 3 || reqs[0].Status != 204 || reqs[1].Status != 429 || reqs[2].Status != 204 {
			t.Fatalf("fake's log: %v", reqs)
		}
		if waited := time.Since(start); reqs[2].At.Before(reset) || waited < time.Minute || waited > time.Minute+resolution {
			t.Errorf("retry at %v (waited %s); the window reset at %v", reqs[2].At, waited, reset)
		}
	})
}
