package adapter

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/ratelimit"
)

// pacer keeps one Client's view of the vendor's rate limits, per bucket,
// and holds callers back when a window is spent, so that a shared adapter
// draws no 429 it could have avoided.
//
// It learns from every answer: the limit, what remains of the window and
// when it resets, and the server's clock from its Date header, whose
// whole-second resolution it refines across answers (see clockOffset), so
// that a wait for an epoch reset ends when the server's window does rather
// than up to two seconds later.
type pacer struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	clock   clockOffset
}

// bucket is what is known about one rate-limit bucket.
type bucket struct {
	// limit and remaining are as reported, remaining less the requests
	// sent since; -1 when unknown.
	limit, remaining int
	// epoch is the reset of the latest window reported, as the server
	// wrote it (epoch seconds; or, for vendors reporting seconds
	// remaining, 0).
	epoch int64
	// resetAt is when that window ends on the local clock; zero once it
	// has ended or when unknown.
	resetAt time.Time
	// margin is added past resetAt; it grows when a 429 shows the server's
	// window ended later than estimated.
	margin time.Duration
	// blockedUntil is when a server-directed wait (429 or 503 with a wait)
	// ends; blockedBy is the status that asked for it.
	blockedUntil time.Time
	blockedBy    int
	// turned is when the window last turned in this process's view, and
	// waited the epoch it turned at.
	turned time.Time
	waited int64
	// probe is set while the next slot is the one probing a new window.
	probe bool
	// inflight counts requests sent and not yet answered; seqs holds
	// their sequence numbers, seq the last one given.
	inflight int
	seqs     []uint64
	seq      uint64
	// changed, when a caller waits on it, is closed (and dropped) when
	// the bucket learns something.
	changed chan struct{}
}

func newPacer() *pacer { return &pacer{buckets: map[string]*bucket{}} }

func (p *pacer) get(key string) *bucket {
	b := p.buckets[key]
	if b == nil {
		b = &bucket{limit: -1, remaining: -1}
		p.buckets[key] = b
	}
	return b
}

func (b *bucket) signal() {
	if b.changed != nil {
		close(b.changed)
		b.changed = nil
	}
}

// wait returns a channel closed when the bucket next learns something.
func (b *bucket) wait() <-chan struct{} {
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.changed
}

// maxMargin caps the learned margin: Okta recommends one second.
const maxMargin = time.Second

// acquire waits for a slot in the call's bucket. It returns a
// *revoke.Error matching revoke.ErrRateLimited, without sending anything,
// when the wait would pass the retry policy's MaxWait or the deadline.
func (st *callState) acquire() error {
	if st.c.s.NoPacing {
		return nil
	}
	p := st.c.pace
	for {
		p.mu.Lock()
		b := p.get(st.bucket)
		var now time.Time
		if !b.blockedUntil.IsZero() || !b.resetAt.IsZero() {
			// Only a bucket that has learned a time needs the clock.
			now = time.Now()
		}
		var until time.Time
		var wake <-chan struct{}
		ok := false
		blockedBy := 0 // the status whose wait holds this call, 0 for a spent window
		if now.Before(b.blockedUntil) {
			blockedBy = b.blockedBy
			// Spread the waiters over a tenth of the wait (at most a
			// second) so they do not all wake in the same instant.
			wait := b.blockedUntil.Sub(now)
			until = b.blockedUntil.Add(rand.N(min(wait/10, time.Second) + 1))
		} else {
			if !b.resetAt.IsZero() && !now.Before(b.resetAt) {
				// The window has turned, as far as the estimate of the
				// server's clock can tell. One request probes it; its
				// answer says how much of the new window is left (or, with
				// a 429, that the estimate was early, which narrows it).
				b.resetAt, b.turned, b.waited = time.Time{}, now, b.epoch
				b.remaining = min(b.limit, 1)
				b.probe = true
			}
			switch {
			case b.remaining < 0:
				ok = true // nothing known: let the server decide
			case b.remaining > 0:
				b.remaining--
				ok = true
			case !b.resetAt.IsZero():
				until = b.resetAt
			case b.inflight > 0:
				wake = b.wait()
			default:
				ok = true // a spent window with nothing in flight to say when it ends
			}
		}
		if ok {
			st.probe, b.probe = b.probe, false
			b.inflight++
			b.seq++
			b.seqs = append(b.seqs, b.seq)
			st.slot, st.slotSeq = true, b.seq
			p.mu.Unlock()
			return nil
		}
		p.mu.Unlock()
		st.paced = true
		if wake != nil {
			select {
			case <-st.ctx.Done():
				return st.transportError(st.ctx.Err())
			case <-wake:
			}
			continue
		}
		wait := until.Sub(now)
		if wait > st.c.s.MaxWait || !fitsDeadline(st.ctx, wait) {
			return st.heldBack(blockedBy, wait)
		}
		if st.c.s.Logger != nil {
			st.logPace(wait)
		}
		t := time.NewTimer(wait)
		select {
		case <-st.ctx.Done():
			t.Stop()
			return st.transportError(st.ctx.Err())
		case <-t.C:
		}
	}
}

// release gives back the slot of the attempt that just ended and learns
// from its answer.
func (st *callState) release(resp *http.Response, _ error) {
	if !st.slot {
		return
	}
	st.slot = false
	p := st.c.pace
	var rep ratelimit.Report
	var recv time.Time
	if resp != nil {
		rep = st.report(resp)
		if rep.Present() || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			recv = time.Now()
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.get(st.bucket)
	b.inflight--
	// Requests sent after this one cannot be in the count the server made
	// when it answered this one; those sent before may be.
	later := 0
	for i := 0; i < len(b.seqs); i++ {
		switch s := b.seqs[i]; {
		case s == st.slotSeq:
			b.seqs = append(b.seqs[:i], b.seqs[i+1:]...)
			i--
		case s > st.slotSeq:
			later++
		}
	}
	defer b.signal()
	if recv.IsZero() {
		return // no answer, or one that says nothing about the limit
	}
	if !rep.Date.IsZero() {
		p.clock.observe(rep.Date, st.sentAt, recv)
	}
	switch {
	case rep.HasReset && rep.Epoch:
		p.learnEpoch(b, rep, recv, later)
	case rep.HasReset:
		resetAt := recv.Add(ratelimit.Seconds(rep.Reset))
		if b.resetAt.IsZero() || resetAt.After(b.resetAt.Add(time.Second)) {
			b.limit, b.resetAt = rep.Limit, resetAt
			b.remaining = newWindowRemaining(rep.Remaining, later)
		} else {
			b.remaining = sameWindowRemaining(b.remaining, rep.Remaining)
		}
	case rep.Remaining >= 0:
		b.remaining = sameWindowRemaining(b.remaining, rep.Remaining)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		if st.probe && !rep.Date.IsZero() && rep.Date.Unix() < b.waited {
			// The probe of a window the estimate said had turned, refused
			// by a server whose clock had not reached the reset: the
			// estimate was early (the Date sample has narrowed it). That
			// is the pacer's cost of learning the server's clock, not the
			// call's: it does not count against the retry budget.
			st.freeRetries = min(st.freeRetries+1, maxFreeRetries)
		}
		if !b.turned.IsZero() && recv.Sub(b.turned) < 2*time.Second && !rep.Date.IsZero() && rep.Date.Unix() >= b.waited {
			// Admitted because the window had turned, refused although
			// the server's own clock had passed the reset it announced:
			// its window ends later than it says.
			b.margin = min(2*b.margin+100*time.Millisecond, maxMargin)
			if rep.HasReset && rep.Epoch {
				b.resetAt = p.clock.local(rep.Reset).Add(b.margin)
			}
		}
		b.remaining = 0
		switch d, ok := ratelimit.ServerWait(resp.StatusCode, resp.Header, rep, 0, recv); {
		case rep.HasReset && rep.Epoch && resp.Header.Get("Retry-After") == "":
			// Wait for the window the server named, on its clock; a 429
			// means it has not turned yet, whatever the estimate says.
			b.resetAt = laterOf(p.clock.latest(rep.Reset).Add(b.margin), recv.Add(time.Millisecond))
		case ok:
			b.block(recv.Add(d), resp.StatusCode)
		}
	case http.StatusServiceUnavailable:
		if d, ok := ratelimit.ServerWait(resp.StatusCode, resp.Header, rep, 0, recv); ok {
			b.block(recv.Add(d), resp.StatusCode)
		}
	}
}

// block holds the bucket's callers until t, as the answer of status asked.
func (b *bucket) block(t time.Time, status int) {
	if t.After(b.blockedUntil) {
		b.blockedUntil, b.blockedBy = t, status
	}
}

// heldBack is the error of a call the pacer does not send because the wait
// ahead is longer than MaxWait or the deadline allows: ErrUnavailable when
// a 503 asked for the wait, ErrRateLimited for a 429 or a spent window.
func (st *callState) heldBack(blockedBy int, wait time.Duration) *revoke.Error {
	e := &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), Attempts: st.attempts, Kind: revoke.ErrRateLimited, RetryAfter: wait}
	switch blockedBy {
	case http.StatusServiceUnavailable:
		e.Kind = revoke.ErrUnavailable
		e.Description = "the server answered an earlier call with 503 and asked to wait longer than the retry policy's MaxWait or the deadline allows; nothing was sent"
	case http.StatusTooManyRequests:
		e.Description = "the server answered an earlier call with 429 and asked to wait longer than the retry policy's MaxWait or the deadline allows; nothing was sent"
	default:
		e.Description = "the vendor's rate-limit window is spent and its reset is further away than the retry policy's MaxWait or the deadline allows; nothing was sent"
	}
	return e
}

// learnEpoch updates b from a report whose reset is an epoch second.
func (p *pacer) learnEpoch(b *bucket, rep ratelimit.Report, now time.Time, later int) {
	switch {
	case rep.Reset > b.epoch:
		b.epoch, b.limit = rep.Reset, rep.Limit
		b.remaining = newWindowRemaining(rep.Remaining, later)
		b.resetAt = p.clock.local(rep.Reset).Add(b.margin)
	case rep.Reset == b.epoch:
		b.remaining = sameWindowRemaining(b.remaining, rep.Remaining)
		// A better clock estimate; or, when the window had turned in our
		// view only, the server's word that it has not.
		if at := p.clock.local(rep.Reset).Add(b.margin); at.After(now) {
			b.resetAt = at
		}
	}
	// An older window's report says nothing about the current one.
}

// newWindowRemaining is what is left of a window first reported: the
// requests sent after the one answered are not in the server's count.
func newWindowRemaining(reported, later int) int {
	if reported < 0 {
		return -1
	}
	return max(reported-later, 0)
}

// sameWindowRemaining keeps the smaller count: answers arrive out of order,
// and requests sent since the server counted are not in its number.
func sameWindowRemaining(known, reported int) int {
	switch {
	case reported < 0:
		return known
	case known < 0:
		return reported
	}
	return min(known, reported)
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (st *callState) logPace(wait time.Duration) {
	st.c.s.Logger.LogAttrs(st.ctx, slog.LevelDebug, "revoke: pacing: rate-limit window spent, waiting",
		slog.String("op", st.call.Op), slog.Duration("wait", wait))
}

// clockOffset estimates the server's clock relative to the local one from
// Date headers. A Date header says the server's clock read [D, D+1s) when
// it answered, which happened between the local times the request was
// sent and the answer received; each answer bounds the offset. Waits for a
// reset end at the midpoint of the bounds, and the answer to the request
// that probes the new window narrows them: an answer from the new second
// raises the lower bound, a 429 from the old one lowers the upper bound.
// A few windows bring the estimate within a round trip of the truth.
type clockOffset struct {
	lo, hi time.Duration // server = local + offset, offset in [lo, hi)
	known  bool
}

func (c *clockOffset) observe(date, sent, recv time.Time) {
	if sent.IsZero() || recv.Before(sent) {
		return
	}
	lo := date.Sub(recv)
	hi := date.Add(time.Second).Sub(sent)
	if !c.known {
		c.lo, c.hi, c.known = lo, hi, true
		return
	}
	nlo, nhi := max(c.lo, lo), min(c.hi, hi)
	if nlo > nhi {
		// Contradiction: a clock was set. Start again from this answer.
		c.lo, c.hi = lo, hi
		return
	}
	c.lo, c.hi = nlo, nhi
}

// latest converts a server epoch second to the latest local time it can
// be: after a 429 the server has said it is not there yet, and another
// early attempt would only draw another.
func (c *clockOffset) latest(epoch int64) time.Time {
	t := time.Unix(min(epoch, 1<<40), 0)
	if !c.known {
		return t
	}
	return t.Add(-c.lo)
}

// local converts a server epoch second to a local time, at the midpoint
// of what is known of the offset: the time a new window is probed.
func (c *clockOffset) local(epoch int64) time.Time {
	t := time.Unix(min(epoch, 1<<40), 0)
	if !c.known {
		return t
	}
	// The upper bound is exclusive: never wake at it exactly.
	return t.Add(-(c.lo + (c.hi-c.lo)/2)).Add(time.Millisecond)
}
