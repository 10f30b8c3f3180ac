package okta

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
)

// t0 is where fake clocks start: a whole second, far from the real clock.
var t0 = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock whose sleeps return at once, moving time forward.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, t.Sub(c.t))
	if t.After(c.t) {
		c.t = t
	}
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// newEmulated returns an Admin and an emulator sharing a fake clock, over
// httpmock. The emulator has user 00u1 and client 0oa1.
func newEmulated(t *testing.T, opts ...revoke.Option) (*Admin, *revoketest.OktaAdmin, *fakeClock) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	emu := revoketest.RegisterOktaAdmin(mt, testDomain)
	clk := &fakeClock{t: t0}
	emu.Now = clk.Now
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web App")
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	a, err := NewAdmin(AdminConfig{Domain: testDomain, APIToken: revoketest.OktaAdminAPIToken}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	a.clock = clk
	return a, emu, clk
}

// noRetry keeps a wrongly drawn 429 from being retried with a real sleep:
// it fails the test instead.
func noRetry(maxWait time.Duration) []revoke.Option {
	return []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MaxWait: maxWait}), revoke.WithoutRetry()}
}

// TestProactiveWaitWhenBucketSpent: once Remaining is 0, the next call on
// the bucket waits for the reset instead of drawing a 429, and the emulator
// sees it arrive after the reset.
func TestProactiveWaitWhenBucketSpent(t *testing.T) {
	a, emu, clk := newEmulated(t, noRetry(2*time.Minute)...)
	bucket := "GET " + revoketest.OktaUserClientsPath
	emu.SetRateLimit(bucket, 2, time.Minute)
	emu.IssueRefreshToken("00u1", "0oa1")
	for i := range 3 {
		if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	reqs := emu.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	reset := t0.Add(time.Minute)
	for i, r := range reqs {
		if r.Status != http.StatusOK {
			t.Errorf("request %d answered %d: a 429 was drawn", i, r.Status)
		}
		if r.Bucket != bucket {
			t.Errorf("request %d bucket %q", i, r.Bucket)
		}
	}
	if !reqs[0].At.Equal(t0) || !reqs[1].At.Equal(t0) {
		t.Errorf("first two requests at %v, %v, want %v (no wait)", reqs[0].At, reqs[1].At, t0)
	}
	if !reqs[2].At.After(reset) {
		t.Errorf("third request arrived at %v, not after the reset at %v", reqs[2].At, reset)
	}
	if got := clk.slept(); len(got) != 1 || got[0] != time.Minute+resetMargin {
		t.Errorf("slept %v, want once for 61s (reset + 1s margin)", got)
	}
	rl, ok := a.RateLimit(bucket)
	if !ok || rl.Limit != 2 || rl.Remaining != 1 || !rl.Reset.Equal(reset.Add(time.Minute+time.Second)) {
		t.Errorf("RateLimit(%s) = %+v, %v; want limit 2, remaining 1 in the window ending %v", bucket, rl, ok, reset.Add(time.Minute+time.Second))
	}
	// Another bucket was never spent: no wait.
	if _, err := a.RevokeUserGrants(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	if got := clk.slept(); len(got) != 1 {
		t.Errorf("a call on another bucket waited: %v", got)
	}
}

// TestProactiveWaitTooLong: past the cap or the context deadline, the call
// returns ErrRateLimited with RetryAfter, without sending.
func TestProactiveWaitTooLong(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxWait time.Duration
		ctx     func() (context.Context, context.CancelFunc)
	}{
		{"beyond MaxWait", 5 * time.Second, func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
		{"beyond the deadline", 5 * time.Minute, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 10*time.Second)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, emu, clk := newEmulated(t, noRetry(tc.maxWait)...)
			emu.SetRateLimit("DELETE "+revoketest.OktaUserClientTokensPath, 1, time.Minute)
			ctx, cancel := tc.ctx()
			defer cancel()
			if _, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1"); err != nil {
				t.Fatal(err)
			}
			_, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1")
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) {
				t.Fatalf("error = %v, want ErrRateLimited", err)
			}
			if re.RetryAfter != time.Minute+resetMargin || re.Attempts != 0 || re.StatusCode != 0 || re.Op != "okta admin revokeTokensForUserAndClient" {
				t.Errorf("error = %+v, want RetryAfter 61s, no attempt", re)
			}
			if n := len(emu.Requests()); n != 1 {
				t.Errorf("%d requests, want 1: the second must not be sent", n)
			}
			if len(clk.slept()) != 0 {
				t.Errorf("slept %v", clk.slept())
			}
		})
	}
}

// blockingClock never wakes by itself: only the context ends a sleep.
type blockingClock struct {
	fakeClock
	sleeping chan struct{}
}

func (c *blockingClock) SleepUntil(ctx context.Context, _ time.Time) error {
	close(c.sleeping)
	<-ctx.Done()
	return ctx.Err()
}

func TestProactiveWaitCancelled(t *testing.T) {
	a, emu, _ := newEmulated(t, noRetry(2*time.Minute)...)
	clk := &blockingClock{fakeClock: fakeClock{t: t0}, sleeping: make(chan struct{})}
	a.clock = clk
	emu.SetRateLimit("GET "+revoketest.OktaUserClientsPath, 1, time.Minute)
	if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-clk.sleeping
		cancel()
	}()
	_, err := a.ListUserClients(ctx, "00u1")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := len(emu.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// steppedClock moves only when the test says so: sleepers block until
// advance wakes them. The test advances it only when every caller is asleep
// or done, so time never jumps while a request is in flight.
type steppedClock struct {
	mu       sync.Mutex
	t        time.Time
	sleepers []stepSleeper
	sleeps   int
}

type stepSleeper struct {
	until time.Time
	wake  chan struct{}
}

func (c *steppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppedClock) SleepUntil(ctx context.Context, t time.Time) error {
	c.mu.Lock()
	if !t.After(c.t) {
		c.mu.Unlock()
		return ctx.Err()
	}
	s := stepSleeper{until: t, wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.sleeps++
	c.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *steppedClock) sleeping() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// advance moves to the earliest wake-up time and wakes every sleeper due.
func (c *steppedClock) advance() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sleepers) == 0 {
		return
	}
	next := c.sleepers[0].until
	for _, s := range c.sleepers {
		if s.until.Before(next) {
			next = s.until
		}
	}
	c.t = next
	kept := c.sleepers[:0]
	for _, s := range c.sleepers {
		if s.until.After(next) {
			kept = append(kept, s)
			continue
		}
		close(s.wake)
	}
	c.sleepers = kept
}

// TestConcurrentCallersShareBuckets: goroutines share the tracking, take
// slots from what is left, and after a reset send no more than a window's
// worth before the server reports the new window: no 429 is ever drawn.
// Run with -race.
func TestConcurrentCallersShareBuckets(t *testing.T) {
	a, emu, _ := newEmulated(t, noRetry(10*time.Minute)...)
	clk := &steppedClock{t: t0}
	a.clock, emu.Now = clk, clk.Now
	bucket := "GET " + revoketest.OktaUserClientsPath
	const limit, callers = 3, 10
	emu.SetRateLimit(bucket, limit, time.Minute)
	if _, err := a.ListUserClients(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	var finished atomic.Int32
	errs := make(chan error, callers)
	for range callers {
		go func() {
			defer finished.Add(1)
			_, err := a.ListUserClients(context.Background(), "00u1")
			errs <- err
		}()
	}
	deadline := time.Now().Add(10 * time.Second)
	for int(finished.Load()) < callers {
		if time.Now().After(deadline) {
			t.Fatalf("stuck: %d of %d callers finished, %d asleep", finished.Load(), callers, clk.sleeping())
		}
		if clk.sleeping()+int(finished.Load()) == callers {
			clk.advance()
		}
		time.Sleep(200 * time.Microsecond)
	}
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("caller: %v", err)
		}
	}
	perInstant := map[time.Time]int{}
	for i, r := range emu.Requests() {
		if r.Status != http.StatusOK {
			t.Errorf("request %d at %v answered %d: a 429 was drawn", i, r.At, r.Status)
		}
		perInstant[r.At]++
	}
	if n := len(emu.Requests()); n != callers+1 {
		t.Errorf("%d requests, want %d", n, callers+1)
	}
	// 11 requests, 3 per window: windows at t0, t0+61s, t0+122s, t0+183s.
	want := map[time.Time]int{t0: 3, t0.Add(61 * time.Second): 3, t0.Add(122 * time.Second): 3, t0.Add(183 * time.Second): 2}
	for at, n := range perInstant {
		if want[at] != n {
			t.Errorf("%d requests at %v; want per instant %v", n, at, want)
		}
	}
}

// TestRateLimitTracking checks how responses update a bucket.
func TestRateLimitTracking(t *testing.T) {
	hdr := func(date time.Time, limit, remaining int, reset time.Time) http.Header {
		return http.Header{"Date": {date.Format(http.TimeFormat)}, "X-Rate-Limit-Limit": {strconv.Itoa(limit)},
			"X-Rate-Limit-Remaining": {strconv.Itoa(remaining)}, "X-Rate-Limit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}
	}
	w1, w2 := t0.Add(time.Minute), t0.Add(2*time.Minute)
	type step struct {
		observe *http.Header
		take    bool // take a slot instead
		now     time.Time
	}
	for _, tc := range []struct {
		name          string
		steps         []step
		wantRemaining int
		wantReset     time.Time
	}{
		{"first report", []step{{observe: ptr(hdr(t0, 10, 7, w1)), now: t0}}, 7, w1},
		{"same window keeps the lower count", []step{{observe: ptr(hdr(t0, 10, 5, w1)), now: t0}, {observe: ptr(hdr(t0, 10, 6, w1)), now: t0}}, 5, w1},
		{"newer window replaces", []step{{observe: ptr(hdr(t0, 10, 0, w1)), now: t0}, {observe: ptr(hdr(w1, 10, 9, w2)), now: w1}}, 9, w2},
		{"late answer from an older window is ignored", []step{{observe: ptr(hdr(w1, 10, 9, w2)), now: w1}, {observe: ptr(hdr(t0, 10, 0, w1)), now: w1}}, 9, w2},
		{"taking a slot counts down", []step{{observe: ptr(hdr(t0, 10, 3, w1)), now: t0}, {take: true, now: t0}, {take: true, now: t0}}, 1, w1},
		{"after the reset a full window of unknown end", []step{{observe: ptr(hdr(t0, 10, 0, w1)), now: t0}, {take: true, now: w1.Add(2 * time.Second)}}, 9, time.Time{}},
		{"first report of the new window merges with the local count", []step{
			{observe: ptr(hdr(t0, 10, 0, w1)), now: t0},
			{take: true, now: w1.Add(time.Second)}, {take: true, now: w1.Add(time.Second)}, {take: true, now: w1.Add(time.Second)},
			{observe: ptr(hdr(w1.Add(time.Second), 10, 9, w2)), now: w1.Add(time.Second)},
		}, 7, w2},
		{"late answer from the ended window after the turn", []step{
			{observe: ptr(hdr(t0, 10, 0, w1)), now: t0}, {take: true, now: w1.Add(time.Second)},
			{observe: ptr(hdr(t0, 10, 0, w1)), now: w1.Add(time.Second)},
		}, 9, time.Time{}},
		{"malformed reset is ignored", []step{{observe: &http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {"soon"}}, now: t0}}, -1, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRateLimits()
			for _, s := range tc.steps {
				if s.take {
					if ok, _, _ := r.take("k", s.now); !ok {
						t.Fatalf("take at %v refused", s.now)
					}
					continue
				}
				r.observe("k", *s.observe, s.now)
			}
			b := r.get("k")
			if b.remaining != tc.wantRemaining || !b.reset.Equal(tc.wantReset) {
				t.Errorf("bucket remaining %d reset %v; want %d, %v", b.remaining, b.reset, tc.wantRemaining, tc.wantReset)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestTakeWaits(t *testing.T) {
	r := newRateLimits()
	w1 := t0.Add(time.Minute)
	r.observe("k", http.Header{"Date": {t0.Format(http.TimeFormat)}, "X-Rate-Limit-Limit": {"1"}, "X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {strconv.FormatInt(w1.Unix(), 10)}}, t0)
	if ok, until, wake := r.take("k", t0); ok || !until.Equal(w1.Add(resetMargin)) || wake != nil {
		t.Errorf("spent bucket: take = %v, %v, %v; want a wait until %v", ok, until, wake, w1.Add(resetMargin))
	}
	// After the reset: one slot, then wait for the report of the request
	// in flight.
	after := w1.Add(2 * time.Second)
	if ok, _, _ := r.take("k", after); !ok {
		t.Fatal("first take after the reset refused")
	}
	ok, _, wake := r.take("k", after)
	if ok || wake == nil {
		t.Fatalf("second take after the reset = %v, %v; want a wait for a report", ok, wake)
	}
	r.done("k")
	select {
	case <-wake:
	default:
		t.Fatal("done did not wake the waiter")
	}
	// Nothing in flight and nothing known: let the server decide.
	if ok, _, _ := r.take("k", after); !ok {
		t.Error("take with nothing in flight refused")
	}
}

// Test429WaitTooLong: a 429 asking for more than MaxWait returns at once
// with RetryAfter and Okta's error fields; the bucket is then known to be
// spent, so the next call is refused without being sent.
func Test429WaitTooLong(t *testing.T) {
	mt := httpmock.NewMockTransport()
	date := time.Now().Truncate(time.Second)
	h := http.Header{"Date": {date.UTC().Format(http.TimeFormat)}, "X-Rate-Limit-Limit": {"10"}, "X-Rate-Limit-Remaining": {"0"},
		"X-Rate-Limit-Reset": {strconv.FormatInt(date.Add(10*time.Second).Unix(), 10)}}
	answer(mt, http.StatusTooManyRequests, h, golden(t, "error_429.json"))
	a := newTestAdmin(t, mt, revoke.WithRetry(revoke.RetryPolicy{MaxWait: time.Second}))
	start := time.Now()
	_, err := a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) {
		t.Fatalf("error = %v", err)
	}
	if re.RetryAfter != 11*time.Second || re.Attempts != 1 || re.Code != "E0000047" || re.Description != "API call exceeded rate limit due to too many requests." ||
		re.RequestID != "sampleQPivGUj_ND5v78vbYWW" || re.URI != "E0000047" {
		t.Errorf("error = %+v", re)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v: it must not wait", time.Since(start))
	}
	_, err = a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || re.Attempts != 0 || re.RetryAfter < 9*time.Second || re.RetryAfter > 11*time.Second {
		t.Errorf("second call: %+v", re)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
