package bulk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

var t0 = time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	c.timers = append(c.timers, t)
	return t.c, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, x := range c.timers {
			if x == t {
				c.timers = append(c.timers[:i], c.timers[i+1:]...)
				return true
			}
		}
		return false
	}
}

// set moves the clock to t0+off and fires the timers due.
func (c *fakeClock) set(off time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t0.Add(off)
	kept := c.timers[:0]
	for _, t := range c.timers {
		if !t.at.After(c.now) {
			t.c <- c.now
		} else {
			kept = append(kept, t)
		}
	}
	c.timers = kept
}

// pending is the number of armed timers.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// A pacer step: at a time, either ask for a permit (reserve) or report the
// answer to the permit granted at an earlier step (answer).
type pstep struct {
	at time.Duration // clock offset from t0

	// reserve, when answer is 0:
	n        int           // how many reserves in a row with the same expectation (0 means 1)
	wantOK   bool          // granted
	wantWait time.Duration // if not granted: the wait (0: until an answer)

	// answer: 1-based index of the step whose (first) permit is answered.
	answer    int
	rl        *rlAt
	err       error
	wantPause time.Duration
}

// rlAt is a rate-limit report with Reset as an offset from t0.
type rlAt struct {
	limit, remaining int
	reset            time.Duration
}

func rl(limit, remaining int, reset time.Duration) *rlAt {
	return &rlAt{limit, remaining, reset}
}

func rateLimited(after time.Duration) error {
	return &revoke.Error{Kind: revoke.ErrRateLimited, StatusCode: 429, RetryAfter: after}
}

var unavailable = &revoke.Error{Kind: revoke.ErrUnavailable, StatusCode: 503}

func TestPacer(t *testing.T) {
	ms := time.Millisecond
	s := time.Second
	tests := []struct {
		name  string
		steps []pstep
	}{
		{
			name: "the first call goes alone; its answer opens the window",
			steps: []pstep{
				{wantOK: true},      // 1: the probe
				{n: 3, wantWait: 0}, // wait for its answer
				{answer: 1, rl: rl(10, 9, s)},
				{n: 9, wantOK: true}, // 9 left
				{wantWait: s},        // spent: wait until the reset
				{at: 400 * ms, wantWait: 600 * ms},
			},
		},
		{
			name: "calls in flight count against Remaining",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, rl: rl(10, 4, s)},
				{n: 4, wantOK: true}, // 4: 4 in flight, 4 left
				{wantWait: s},
				{answer: 3, rl: rl(10, 3, s)}, // 3 left, 3 in flight
				{wantWait: s},
				{answer: 3, rl: rl(10, 3, s)}, // a late report: its call was counted before the others
				{wantWait: s},                 // 4 were left and 4 were sent: none is
			},
		},
		{
			name: "a lower report shrinks what is left (another client shares the limit)",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, rl: rl(100, 50, s)},
				{n: 10, wantOK: true},           // 3: 40 left
				{answer: 3, rl: rl(100, 20, s)}, // 9 in flight: at least 11 left
				{n: 11, wantOK: true},
				{wantWait: s},
			},
		},
		{
			name: "a new window starts with a probe; late answers from the old one do not count",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, rl: rl(3, 2, s)},
				{n: 2, wantOK: true}, // 3
				{wantWait: s},
				{at: s, wantOK: true}, // 5: the window is over: the probe
				{at: s, wantWait: 0},
				{at: s, answer: 3, rl: rl(3, 2, 2*s)}, // sent in the old window: ignored
				{at: s, wantWait: 0},
				{at: s, answer: 5, rl: rl(3, 1, 2*s)}, // the probe's answer, with the old straggler still out
				{at: s, wantWait: s},                  // 1 left, 1 in flight
				{at: s, answer: 3, rl: rl(3, 0, s)},   // the straggler's late answer gives nothing back
				{at: s, wantWait: s},
			},
		},
		{
			name: "a Reset in the past ends the window at once",
			steps: []pstep{
				{at: 5 * s, wantOK: true},
				{at: 5 * s, answer: 1, rl: rl(10, 0, 4*s)},
				{at: 5 * s, wantOK: true}, // probe of the next window
				{at: 5 * s, wantWait: 0},
			},
		},
		{
			name: "a 429 pauses everyone until RetryAfter, with jitter, then probes",
			steps: []pstep{
				{wantOK: true},
				{answer: 1}, // no rate-limit headers: unpaced
				{n: 4, wantOK: true},
				{at: 100 * ms, answer: 3, err: rateLimited(2 * s), wantPause: 2 * s},
				// pause until 2.1 s; the jitter is half (see below) of min(2s/8, 250ms)
				{at: 100 * ms, wantWait: 2*s + 125*ms},
				{at: s, wantWait: 1100*ms + 125*ms},
				{at: s, answer: 3, err: rateLimited(2 * s), wantPause: 2 * s}, // from the same burst: extends to 3 s
				{at: s, wantWait: 2*s + 250*ms/2},
				{at: s, answer: 3, err: rateLimited(500 * ms)}, // shorter: no change
				{at: 3 * s, wantOK: true},                      // 10: the probe
				{at: 3 * s, wantWait: 0},
				{at: 3 * s, answer: 10},
				{at: 3 * s, n: 5, wantOK: true},
			},
		},
		{
			name: "a late 429 from before a pause does not pause again",
			steps: []pstep{
				{wantOK: true},
				{answer: 1},
				{n: 2, wantOK: true}, // 3
				{at: 10 * ms, answer: 3, err: rateLimited(100 * ms), wantPause: 100 * ms},
				{at: 200 * ms, wantOK: true}, // the probe after the pause
				{at: 210 * ms, answer: 3, err: rateLimited(100 * ms)},
				{at: 210 * ms, wantWait: 0}, // still probing, not paused
			},
		},
		{
			name: "temporary errors without RetryAfter back off exponentially; success resets",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, err: unavailable, wantPause: 100 * ms},
				{at: 100 * ms, wantOK: true}, // 3
				{at: 100 * ms, answer: 3, err: unavailable, wantPause: 200 * ms},
				{at: 300 * ms, wantOK: true}, // 5
				{at: 300 * ms, answer: 5, err: rateLimited(0), wantPause: 400 * ms},
				{at: 700 * ms, wantOK: true}, // 7
				{at: 700 * ms, answer: 7, err: unavailable, wantPause: 800 * ms},
				{at: 1500 * ms, wantOK: true},                              // 9
				{at: 1500 * ms, answer: 9, err: unavailable, wantPause: s}, // capped
				{at: 2500 * ms, wantOK: true},                              // 11
				{at: 2500 * ms, answer: 11},                                // success
				{at: 2500 * ms, wantOK: true},                              // 13
				{at: 2500 * ms, answer: 13, err: unavailable, wantPause: 100 * ms},
			},
		},
		{
			name: "a 503 with Retry-After pauses like a 429",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, err: &revoke.Error{Kind: revoke.ErrUnavailable, RetryAfter: 3 * s}, wantPause: 3 * s},
				{at: s, wantWait: 2*s + 250*ms/2},
			},
		},
		{
			name: "permanent errors neither pause nor stop",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, err: &revoke.Error{Kind: revoke.ErrInvalidRequest, StatusCode: 400}},
				{n: 20, wantOK: true},
			},
		},
		{
			name: "Remaining without Reset is not used",
			steps: []pstep{
				{wantOK: true},
				{answer: 1, rl: &rlAt{limit: 10, remaining: 0, reset: -1}},
				{n: 20, wantOK: true},
			},
		},
		{
			name: "a released probe lets another call probe",
			steps: []pstep{
				{wantOK: true},
				{wantWait: 0},
				{answer: -1}, // release step 1
				{wantOK: true},
				{wantWait: 0},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			p := newPacer(clk, 100*time.Millisecond, time.Second)
			p.jitter = func(max time.Duration) time.Duration { return max / 2 }
			tickets := map[int]ticket{}
			for i, st := range tt.steps {
				clk.set(st.at)
				at := fmt.Sprintf("step %d (t=%v)", i+1, st.at)
				switch {
				case st.answer < 0:
					p.release(tickets[-st.answer])
				case st.answer > 0:
					tk, ok := tickets[st.answer]
					if !ok {
						t.Fatalf("%s: step %d granted no permit", at, st.answer)
					}
					var res *revoke.Result
					if st.err == nil {
						res = &revoke.Result{StatusCode: 200}
					}
					if st.rl != nil {
						r := &revoke.RateLimit{Limit: st.rl.limit, Remaining: st.rl.remaining}
						if st.rl.reset >= 0 {
							r.Reset = t0.Add(st.rl.reset)
						}
						if res == nil {
							res = &revoke.Result{}
						}
						res.RateLimit = r
					}
					if got := p.observe(tk, res, st.err); got != st.wantPause {
						t.Errorf("%s: answer started a pause of %v, want %v", at, got, st.wantPause)
					}
				default:
					for k := range max(st.n, 1) {
						p.mu.Lock()
						tk, ok, wait := p.reserve()
						p.mu.Unlock()
						if ok != st.wantOK || (!ok && wait != st.wantWait) {
							t.Fatalf("%s #%d: reserve = granted %t, wait %v; want granted %t, wait %v",
								at, k+1, ok, wait, st.wantOK, st.wantWait)
						}
						if ok && k == 0 {
							tickets[i+1] = tk
						}
					}
				}
			}
		})
	}
}

// TestPacerWait drives the blocking wait on the fake clock: waiters sleep
// until the reset or until an answer arrives, and end with their context.
func TestPacerWait(t *testing.T) {
	clk := newFakeClock()
	p := newPacer(clk, 100*time.Millisecond, time.Second)
	p.jitter = func(time.Duration) time.Duration { return 0 }
	ctx := context.Background()

	probe, err := p.wait(ctx)
	if err != nil || !probe.probe {
		t.Fatalf("first wait = %+v, %v; want the probe", probe, err)
	}
	got := make(chan ticket, 10)
	for range 3 {
		go func() {
			tk, err := p.wait(ctx)
			if err == nil {
				got <- tk
			}
		}()
	}
	waitFor(t, func() bool { p.mu.Lock(); defer p.mu.Unlock(); return p.waiting == 3 })
	if len(got) != 0 {
		t.Fatal("a call went out beside the probe")
	}
	// The probe's answer: 2 left until t0+1s. Two waiters go, one waits for
	// the reset on a timer.
	p.observe(probe, &revoke.Result{RateLimit: &revoke.RateLimit{Limit: 3, Remaining: 2, Reset: t0.Add(time.Second)}}, nil)
	first, second := <-got, <-got
	waitFor(t, func() bool { return clk.pending() == 1 })
	if len(got) != 0 {
		t.Fatal("a third call went out with 2 left")
	}
	p.observe(first, &revoke.Result{}, nil)
	p.observe(second, &revoke.Result{}, nil)
	clk.set(time.Second) // the reset: the last waiter probes the new window
	if tk := <-got; !tk.probe {
		t.Error("the first call of a new window is not a probe")
	}

	// A waiter ends with its context.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { _, err := p.wait(cctx); done <- err }()
	waitFor(t, func() bool { p.mu.Lock(); defer p.mu.Unlock(); return p.waiting == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("wait after cancel = %v, want context.Canceled", err)
	}
}

// waitFor polls cond (goroutines must reach a blocking point; no clock
// moves meanwhile).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}
