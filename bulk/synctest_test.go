package bulk

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/revokekit/revoke"
)

// windowFake is an in-process vendor with Okta's fixed-window rate limit,
// for runs on synctest's fake clock: minutes of vendor time take
// milliseconds. It counts a call halfway through its latency, and reports
// X-Rate-Limit-* as an adapter would read them: Reset measured against a
// Date header of whole seconds, so it may be up to a second late, never
// early.
type windowFake struct {
	limit   int
	window  time.Duration // a whole number of seconds
	spent   bool          // the first window starts spent
	latency func() time.Duration

	mu        sync.Mutex
	started   bool
	first     int64
	cur       int64
	used      int
	perWindow map[int64]int
	revoked   map[string]int
	tooMany   int
	late      int // 429s after the first window
}

func newWindowFake(limit int, window time.Duration, latency func() time.Duration) *windowFake {
	return &windowFake{limit: limit, window: window, latency: latency, perWindow: map[int64]int{}, revoked: map[string]int{}}
}

func (w *windowFake) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	half := w.latency() / 2
	if err := sleepCtx(ctx, half); err != nil {
		return nil, &revoke.Error{Kind: revoke.ErrUnavailable, Err: err}
	}
	now := time.Now()
	secs := int64(w.window / time.Second)
	win := now.Unix() / secs
	w.mu.Lock()
	if !w.started {
		w.started, w.first, w.cur = true, win, win
		if w.spent {
			w.used = w.limit
		}
	}
	if win != w.cur {
		w.cur, w.used = win, 0
	}
	over := w.used >= w.limit
	if over {
		w.tooMany++
		if win != w.first {
			w.late++
		}
	} else {
		w.used++
		w.perWindow[win]++
		w.revoked[req.Token]++
	}
	remaining := w.limit - w.used
	w.mu.Unlock()
	untilReset := time.Unix((win+1)*secs, 0).Sub(now.Truncate(time.Second))
	if err := sleepCtx(ctx, w.latency()-half); err != nil {
		return nil, &revoke.Error{Kind: revoke.ErrUnavailable, Err: err}
	}
	if over {
		return nil, &revoke.Error{Kind: revoke.ErrRateLimited, StatusCode: 429, Code: "E0000047", RetryAfter: untilReset}
	}
	return &revoke.Result{StatusCode: 200, Attempts: 1, RateLimit: &revoke.RateLimit{
		Limit: w.limit, Remaining: remaining, Reset: time.Now().Add(untilReset),
	}}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TestPacingFakeTime runs long rate-limited runs on a fake clock: each
// window after the first is filled to at least 95 % of the limit and draws
// no 429, and every token is revoked exactly once.
func TestPacingFakeTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		limit       int
		window      time.Duration
		concurrency int
		latency     time.Duration // ± half of it, at random
		spent       bool
		n           int
		// Every window after the first and before the last gets at least
		// this share of the limit (0: not checked).
		minFill float64
	}{
		{name: "Okta: 600 per minute, 75 concurrent, 80 ms", limit: 600, window: time.Minute, concurrency: 75, latency: 80 * time.Millisecond, n: 3000, minFill: 0.95},
		{name: "100 per second, 8 workers, 5 ms", limit: 100, window: time.Second, concurrency: 8, latency: 5 * time.Millisecond, n: 2000, minFill: 0.95},
		{name: "first window spent: 429, pause, carry on", limit: 50, window: time.Second, concurrency: 8, latency: 10 * time.Millisecond, spent: true, n: 500, minFill: 0.95},
		// A latency that is a large part of a short window: each window
		// starts up to a latency late (the vendor's Reset has whole
		// seconds), and when that delay wraps around the second, a window
		// is mostly lost. Expect about 1 - latency/window of the limit.
		{name: "20 per second, 16 workers, 120 ms", limit: 20, window: time.Second, concurrency: 16, latency: 120 * time.Millisecond, n: 400},
		{name: "slow vendor: the limit is never reached", limit: 1000, window: time.Second, concurrency: 4, latency: 50 * time.Millisecond, n: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(1, 2))
				var rmu sync.Mutex
				fake := newWindowFake(tt.limit, tt.window, func() time.Duration {
					rmu.Lock()
					defer rmu.Unlock()
					return tt.latency/2 + time.Duration(rng.Int64N(int64(tt.latency)+1))
				})
				fake.spent = tt.spent
				toks := tokens("fake", tt.n)
				sum, err := Run(context.Background(), fake, requestsOf(toks), Config{Concurrency: tt.concurrency})
				if err != nil {
					t.Fatal(err)
				}
				if sum.Revoked != tt.n {
					t.Errorf("revoked %d of %d: %+v", sum.Revoked, tt.n, sum)
				}
				for _, tok := range toks {
					if c := fake.revoked[tok]; c != 1 {
						t.Errorf("%s revoked %d times", tok, c)
					}
				}
				if fake.late != 0 {
					t.Errorf("%d 429s after the first window, want 0", fake.late)
				}
				if tt.spent && fake.tooMany == 0 {
					t.Error("the spent window drew no 429")
				}
				// Calls per window the workers could make without a limit.
				capacity := float64(tt.concurrency) / tt.latency.Seconds() * tt.window.Seconds()
				first, last := fake.first, fake.cur
				for w := first + 1; w < last && tt.minFill > 0; w++ {
					if got := fake.perWindow[w]; float64(got) < tt.minFill*float64(tt.limit) {
						t.Errorf("window %d: %d calls, want at least %.0f%% of %d", w-first, got, 100*tt.minFill, tt.limit)
					}
				}
				if float64(tt.limit) > capacity && fake.tooMany != 0 {
					t.Errorf("%d 429s from a vendor whose limit was never reached", fake.tooMany)
				}
				// The rate over the whole run, as a share of the limit or of
				// what the workers could do, whichever is lower. Runs of a few
				// windows lose part of the first and the last.
				ceiling := min(float64(tt.limit), capacity) / tt.window.Seconds()
				achieved := float64(tt.n) / sum.Elapsed.Seconds() / ceiling
				if wantAchieved := 0.9 - tt.latency.Seconds()/tt.window.Seconds(); achieved < wantAchieved {
					t.Errorf("achieved %.1f%% of the ceiling, want at least %.1f%%", 100*achieved, 100*wantAchieved)
				}
				t.Logf("%d tokens in %v (vendor time): %.1f%% of the ceiling, %d windows, %d 429s", tt.n, sum.Elapsed, 100*achieved, last-first+1, fake.tooMany)
			})
		})
	}
}

// TestPauseJitter: after a 429 the workers wake spread over the jitter,
// not all at once, and only one calls before the window is known again.
func TestPauseJitter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := newPacer(realClock{}, time.Second, time.Minute)
		ctx := context.Background()
		probe, _ := p.wait(ctx)
		p.observe(probe, &revoke.Result{}, nil) // unpaced
		var tickets []ticket
		for range 8 {
			tk, _ := p.wait(ctx)
			tickets = append(tickets, tk)
		}
		start := time.Now()
		p.observe(tickets[0], nil, &revoke.Error{Kind: revoke.ErrRateLimited, RetryAfter: 4 * time.Second})
		for _, tk := range tickets[1:] {
			p.release(tk)
		}
		var mu sync.Mutex
		var woke []time.Duration
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				tk, err := p.wait(ctx)
				if err != nil {
					return
				}
				mu.Lock()
				woke = append(woke, time.Since(start))
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
				p.observe(tk, &revoke.Result{}, nil)
			})
		}
		wg.Wait()
		if len(woke) != 8 {
			t.Fatalf("%d calls", len(woke))
		}
		if woke[0] < 4*time.Second || woke[0] > 4*time.Second+maxPauseJitter {
			t.Errorf("first call %v after the 429, want 4 s plus at most %v of jitter", woke[0], maxPauseJitter)
		}
		// The first call probes alone; the others follow its answer.
		for _, w := range woke[1:] {
			if w < woke[0]+10*time.Millisecond {
				t.Errorf("a call went at %v, before the probe's answer at %v", w, woke[0]+10*time.Millisecond)
			}
		}
	})
}

// TestJournalFlushInterval: a slow run flushes its journal a second after
// the first unflushed record, not only every 100 records.
func TestJournalFlushInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
			time.Sleep(300 * time.Millisecond)
			return &revoke.Result{StatusCode: 200}, nil
		})
		w := &timedWriter{start: time.Now()}
		sum, err := Run(context.Background(), r, requestsOf(tokens("slow", 10)), Config{Concurrency: 1, Journal: w, FingerprintKey: testKey})
		if err != nil || sum.Revoked != 10 {
			t.Fatalf("%+v, %v", sum, err)
		}
		if len(w.at) < 3 {
			t.Fatalf("%d writes in a 3 s run, want one about every second", len(w.at))
		}
		if w.at[0] > 1100*time.Millisecond {
			t.Errorf("first flush at %v, want about 1 s", w.at[0])
		}
		if got := bytes.Count(w.buf.Bytes(), []byte("\n")); got != 11 {
			t.Errorf("%d records", got)
		}
	})
}

type timedWriter struct {
	start time.Time
	at    []time.Duration
	buf   bytes.Buffer
}

func (w *timedWriter) Write(p []byte) (int, error) {
	w.at = append(w.at, time.Since(w.start))
	return w.buf.Write(p)
}

// TestCancelDuringPause: a run paused for a long Retry-After ends at once
// when cancelled.
func TestCancelDuringPause(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
			return nil, &revoke.Error{Kind: revoke.ErrRateLimited, StatusCode: 429, RetryAfter: time.Hour}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		sum, err := Run(ctx, r, requestsOf(tokens("p", 50)), Config{})
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 5*time.Second {
			t.Errorf("err %v after %v; want the deadline, at 5 s", err, time.Since(start))
		}
		if sum.RateLimited != 1 || sum.Failed != 0 || sum.Unfinished == 0 {
			t.Errorf("summary %+v", sum)
		}
	})
}
