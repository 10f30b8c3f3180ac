package okta

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/wire"
)

// resetMargin is added to every wait for a rate-limit reset: Okta's
// X-Rate-Limit-Reset has one-second resolution, and Okta recommends waiting
// one second past it (the same margin wire.ServerWait adds after a 429).
const resetMargin = time.Second

// clock is the time source of an Admin; tests replace it so that no test
// waits for a real rate-limit window.
type clock interface {
	Now() time.Time
	// SleepUntil blocks until t or until ctx is done, and returns ctx's
	// error in the latter case.
	SleepUntil(ctx context.Context, t time.Time) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// bucket is what is known about one rate-limit bucket.
type bucket struct {
	// limit is X-Rate-Limit-Limit, or -1 when not reported.
	limit int
	// remaining is how many requests the window has left as far as this
	// process knows (the server's count minus requests sent since), or -1
	// when unknown.
	remaining int
	// epoch is the X-Rate-Limit-Reset value of the latest window reported.
	epoch int64
	// reset is when that window ends on the local clock. It is zero after
	// the window has ended and before any response from the next one.
	reset time.Time
	// inflight counts requests sent and not yet answered.
	inflight int
	// changed is closed (and replaced) whenever the bucket learns something.
	changed chan struct{}
}

func (b *bucket) signal() {
	close(b.changed)
	b.changed = make(chan struct{})
}

// rateLimits tracks Okta's rate-limit buckets, keyed by method and path
// template. It is safe for concurrent use.
type rateLimits struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

func newRateLimits() *rateLimits { return &rateLimits{buckets: map[string]*bucket{}} }

func (r *rateLimits) get(key string) *bucket {
	b := r.buckets[key]
	if b == nil {
		b = &bucket{limit: -1, remaining: -1, changed: make(chan struct{})}
		r.buckets[key] = b
	}
	return b
}

// take asks for a slot in key's bucket at now. When ok, the caller may send
// and must call done afterwards. Otherwise either until is when the window
// resets (plus the margin), or wake is closed when a response tells more
// about a window whose reset is not known yet.
func (r *rateLimits) take(key string, now time.Time) (ok bool, until time.Time, wake <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.get(key)
	if !b.reset.IsZero() && !now.Before(b.reset) {
		// The window has turned. Assume a full new window of the last
		// reported size, whose end is unknown until a response says.
		b.reset = time.Time{}
		b.remaining = b.limit
	}
	switch {
	case b.remaining < 0:
		// Nothing known: let the server decide.
	case b.remaining > 0:
		b.remaining--
	case !b.reset.IsZero():
		return false, b.reset.Add(resetMargin), nil
	case b.inflight > 0:
		return false, time.Time{}, b.changed
	default:
		// A new window's slots are all taken, nothing is in flight to
		// report the window's end: let the server decide.
	}
	b.inflight++
	return true, time.Time{}, nil
}

// done ends a request started by take.
func (r *rateLimits) done(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.get(key)
	if b.inflight > 0 {
		b.inflight--
	}
	b.signal()
}

// observe records the rate-limit headers of a response on key's bucket.
func (r *rateLimits) observe(key string, h http.Header, now time.Time) {
	rl := wire.ParseRateLimit(h, now)
	if rl == nil || rl.Remaining < 0 || rl.Reset.IsZero() {
		return
	}
	epoch, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-Rate-Limit-Reset")), 10, 64)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b := r.get(key)
	switch {
	case epoch < b.epoch, epoch == b.epoch && b.reset.IsZero():
		// A late answer from a window that has already ended.
		return
	case epoch == b.epoch, b.reset.IsZero() && b.remaining >= 0:
		// The same window, or the first report from a window this process
		// has been counting down on its own: keep the lower count, since
		// requests still in flight are not in the server's yet.
		b.remaining = min(b.remaining, rl.Remaining)
		if b.remaining < 0 {
			b.remaining = rl.Remaining
		}
		b.reset = later(b.reset, rl.Reset)
	default:
		// A newer window, or the first report of all.
		b.remaining, b.reset = rl.Remaining, rl.Reset
	}
	b.epoch, b.limit = epoch, rl.Limit
	b.signal()
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// snapshot returns what is known about key's bucket.
func (r *rateLimits) snapshot(key string) (revoke.RateLimit, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, ok := r.buckets[key]
	if !ok || (b.remaining < 0 && b.limit < 0) {
		return revoke.RateLimit{}, false
	}
	return revoke.RateLimit{Limit: b.limit, Remaining: b.remaining, Reset: b.reset}, true
}

// RateLimit returns what the Admin knows about one rate-limit bucket, keyed
// as the Admin type documents ("GET /api/v1/users/{userId}/clients"): the
// last reported limit, the requests left in the window (the server's count
// minus requests sent since) and when the window resets on the local clock.
// ok is false before any response from that bucket carried rate-limit
// headers.
//
// Okta reference: https://developer.okta.com/docs/reference/rl-best-practices/
func (a *Admin) RateLimit(bucket string) (rl revoke.RateLimit, ok bool) {
	return a.limits.snapshot(bucket)
}

// await takes a slot in op's bucket, waiting for the window to reset when it
// is spent and the wait fits under the cap and the context deadline. The
// returned function must be called when the request is over.
func (a *Admin) await(ctx context.Context, op operation, u *url.URL) (func(), error) {
	key := op.bucket()
	for {
		ok, until, wake := a.limits.take(key, a.clock.Now())
		if ok {
			return func() { a.limits.done(key) }, nil
		}
		if wake != nil {
			if err := a.awaitReport(ctx, op, u, wake); err != nil {
				return nil, err
			}
			continue
		}
		wait := until.Sub(a.clock.Now())
		if wait > a.maxWait || !fitsDeadline(ctx, wait) {
			return nil, &revoke.Error{Op: op.opName(), Endpoint: wire.Endpoint(u), Kind: revoke.ErrRateLimited, RetryAfter: wait,
				Description: fmt.Sprintf("the rate-limit bucket %q is spent until its reset in %s, longer than the wait cap (%s) or the context deadline allows: the request was not sent", key, wait.Round(time.Millisecond), a.maxWait)}
		}
		if a.logger != nil {
			a.logger.LogAttrs(ctx, slog.LevelDebug, "revoke: okta admin waiting for rate-limit reset",
				slog.String("op", op.opName()), slog.String("bucket", key), slog.Duration("wait", wait))
		}
		if err := a.clock.SleepUntil(ctx, until); err != nil {
			return nil, ctxError(op, u, err)
		}
	}
}

// awaitReport waits, within the cap, for a response that reports the end of
// a new window whose slots are all taken by requests in flight.
func (a *Admin) awaitReport(ctx context.Context, op operation, u *url.URL, wake <-chan struct{}) error {
	timer := time.NewTimer(a.maxWait)
	defer timer.Stop()
	select {
	case <-wake:
		return nil
	case <-ctx.Done():
		return ctxError(op, u, ctx.Err())
	case <-timer.C:
		return &revoke.Error{Op: op.opName(), Endpoint: wire.Endpoint(u), Kind: revoke.ErrRateLimited, RetryAfter: a.maxWait,
			Description: fmt.Sprintf("the rate-limit bucket %q is spent and no answer reported its reset within the wait cap (%s): the request was not sent", op.bucket(), a.maxWait)}
	}
}

// fitsDeadline reports whether waiting d leaves time before ctx's deadline.
// Deadlines are on the real clock.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > d
}

// ctxError reports a cancelled or expired context the way the shared
// pipeline does: errors.Is(err, context.Canceled) sees through it.
func ctxError(op operation, u *url.URL, err error) error {
	return &revoke.Error{Op: op.opName(), Endpoint: wire.Endpoint(u), Kind: revoke.ErrUnavailable, Err: err}
}
