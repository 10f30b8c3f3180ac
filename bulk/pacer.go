package bulk

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/revokekit/revoke"
)

// clock is the time source of a run and its pacer: the real clock in
// production, a fake one in tests.
type clock interface {
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	Timer(d time.Duration) (<-chan time.Time, func() bool)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// maxPauseJitter bounds the jitter added to a pause, so that workers woken
// by the end of a pause do not all call at the same instant.
const maxPauseJitter = 250 * time.Millisecond

// pacer is the run's shared view of the vendor's rate limit. Every worker
// asks it for a permit before a call (wait) and reports the call's answer
// to it afterwards (observe, or release when the answer means nothing).
//
// The model is the fixed window that Okta, Auth0 and GitHub describe with
// their X-Rate-Limit-Limit / -Remaining / -Reset headers:
//
//   - What may still be sent before Reset is the lesser of two lower
//     bounds. The budget: the first report of the window (the probe's)
//     said what was left before the probe was counted, and every call
//     sent in this window since, the probe included, spends one. The
//     lowest report: the lowest Remaining seen in this window, minus the
//     calls in flight (counted as not yet seen by the server, which can
//     only underestimate); this one sees other clients spending the same
//     limit. Calls still in flight from the previous window count as
//     spent in this one, since the server may count them here. When
//     nothing is left every worker waits until Reset.
//   - Reports are trusted only from calls sent in the current generation:
//     since the last window reset or pause. A generation starts with one
//     probe call alone; its answer says what is left in the new window.
//     So a run starts with one call, and after every window reset it sends
//     one call before the rest, which keeps a fresh window from being
//     overrun on the word of a stale report.
//   - An error with RetryAfter (a 429, or a 503 with Retry-After) pauses
//     every worker until then, each with its own small jitter; a 429 or a
//     temporary error without RetryAfter pauses them for an exponential
//     backoff, which grows only when calls sent after the previous pause
//     fail again and resets on the first success.
//
// Reset is on the local clock and, as the adapters compute it from the
// response's Date header (whole seconds), never earlier than the server's
// reset: waiting until it is safe.
type pacer struct {
	clk        clock
	jitter     func(max time.Duration) time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced when the state changes, if waiting > 0
	waiting  int
	gen      uint64 // generation: incremented at every window reset and pause
	inflight int    // permits granted and not yet observed or released
	probing  bool   // one call at a time until an answer of this generation arrives
	probeOut bool   // the probe of this generation is in flight

	sent       int       // calls sent in this generation, plus those in flight at its start
	budget     int       // Remaining+1 of the first report of this generation; -1: none yet
	lowest     int       // the lowest Remaining reported in this generation; -1: none yet
	reset      time.Time // end of the current window; zero: unknown
	limit      int       // last X-Rate-Limit-Limit seen; -1: none
	pauseUntil time.Time
	pauseLen   time.Duration
	level      int // backoff level for pauses without RetryAfter
}

// ticket is a permit to make one call.
type ticket struct {
	gen   uint64
	probe bool
}

func newPacer(clk clock, minBackoff, maxBackoff time.Duration) *pacer {
	return &pacer{
		clk:        clk,
		jitter:     randomJitter,
		minBackoff: minBackoff,
		maxBackoff: maxBackoff,
		changed:    make(chan struct{}),
		probing:    true,
		budget:     -1,
		lowest:     -1,
		limit:      -1,
	}
}

// randomJitter returns a duration uniformly in [0, max).
func randomJitter(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return rand.N(max)
}

// wait blocks until the pacer grants a call, or ctx ends. Every ticket it
// returns must be handed back to observe or release.
func (p *pacer) wait(ctx context.Context) (ticket, error) {
	for {
		if err := ctx.Err(); err != nil {
			return ticket{}, err
		}
		p.mu.Lock()
		t, ok, d := p.reserve()
		if ok {
			p.mu.Unlock()
			return t, nil
		}
		p.waiting++
		changed := p.changed
		p.mu.Unlock()

		var fire <-chan time.Time
		stop := func() bool { return false }
		if d > 0 {
			fire, stop = p.clk.Timer(d)
		}
		select {
		case <-ctx.Done():
		case <-changed:
		case <-fire:
		}
		stop()
		p.mu.Lock()
		p.waiting--
		p.mu.Unlock()
	}
}

// reserve decides whether a call may start now. If not, d is how long to
// wait before asking again; 0 means until the state changes (an answer
// arrives). The caller holds p.mu.
func (p *pacer) reserve() (t ticket, ok bool, d time.Duration) {
	now := p.clk.Now()
	if now.Before(p.pauseUntil) {
		d := p.pauseUntil.Sub(now)
		return ticket{}, false, d + p.jitter(min(p.pauseLen/8, maxPauseJitter))
	}
	if !p.reset.IsZero() && !now.Before(p.reset) {
		p.newGeneration() // the window is over: probe the next one
	}
	if p.probing {
		if p.probeOut {
			return ticket{}, false, 0
		}
		p.probeOut = true
		p.sent++
		p.inflight++
		return ticket{gen: p.gen, probe: true}, true, 0
	}
	if p.budget >= 0 && min(p.lowest-p.inflight, p.budget-p.sent) <= 0 {
		return ticket{}, false, p.reset.Sub(now)
	}
	p.sent++
	p.inflight++
	return ticket{gen: p.gen}, true, 0
}

// newGeneration forgets the window: reports of calls sent before now no
// longer count, and the next call is a probe. The caller holds p.mu.
func (p *pacer) newGeneration() {
	p.gen++
	p.sent = p.inflight
	p.budget = -1
	p.lowest = -1
	p.reset = time.Time{}
	p.probing = true
	p.probeOut = false
}

// observe records the answer to a call made with t. It returns the length of
// the pause it started or extended, if any, for the log.
func (p *pacer) observe(t ticket, res *revoke.Result, err error) (paused time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.broadcast()
	now := p.clk.Now()
	p.inflight--
	fresh := t.gen == p.gen
	if fresh {
		// Any answer of this generation ends its probe: it is the probe's
		// own answer, as nothing else was sent in this generation before it.
		p.probing = false
		p.probeOut = false
	}
	if res != nil && res.RateLimit != nil {
		rl := res.RateLimit
		if rl.Limit >= 0 {
			p.limit = rl.Limit
		}
		if fresh && rl.Remaining >= 0 && !rl.Reset.IsZero() {
			if p.budget < 0 {
				p.budget = rl.Remaining + 1
			}
			if p.lowest < 0 || rl.Remaining < p.lowest {
				p.lowest = rl.Remaining
			}
			if p.reset.IsZero() || rl.Reset.Before(p.reset) {
				p.reset = rl.Reset
			}
		}
	}
	if err == nil {
		p.level = 0
		return 0
	}
	var e *revoke.Error
	if !errors.As(err, &e) {
		return 0
	}
	pausing := now.Before(p.pauseUntil)
	switch {
	case e.RetryAfter > 0 && (fresh || pausing):
		return p.pause(now, e.RetryAfter)
	case e.RetryAfter > 0:
		// A late answer to a call sent before the last pause: that pause
		// already covered it.
		return 0
	case e.Kind == revoke.ErrRateLimited || e.Temporary():
		if !fresh {
			return 0
		}
		d := p.backoff()
		p.level++
		return p.pause(now, d)
	}
	return 0
}

// release hands back a ticket whose call was not made or whose answer says
// nothing about the server (the caller's context ended).
func (p *pacer) release(t ticket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.broadcast()
	p.inflight--
	if t.probe && t.gen == p.gen {
		p.probeOut = false
	}
}

// pause stops every call until now+d. The caller holds p.mu.
func (p *pacer) pause(now time.Time, d time.Duration) time.Duration {
	until := now.Add(d)
	if !until.After(p.pauseUntil) {
		return 0
	}
	if !now.Before(p.pauseUntil) {
		p.newGeneration()
		p.pauseLen = d
	} else {
		p.pauseLen = until.Sub(now)
	}
	p.pauseUntil = until
	return d
}

// backoff is the pause for the current level: minBackoff doubled per level,
// at most maxBackoff.
func (p *pacer) backoff() time.Duration {
	d := p.minBackoff
	for i := 0; i < p.level && d < p.maxBackoff; i++ {
		d *= 2
	}
	return min(d, p.maxBackoff)
}

// broadcast wakes the waiters. The caller holds p.mu.
func (p *pacer) broadcast() {
	if p.waiting > 0 {
		close(p.changed)
		p.changed = make(chan struct{})
	}
}

// lastLimit returns the last X-Rate-Limit-Limit seen, or -1.
func (p *pacer) lastLimit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.limit
}
