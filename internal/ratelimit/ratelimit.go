// Package ratelimit reads the rate-limit signals servers send: RFC 9110
// Retry-After, and the limit / remaining / reset headers each vendor names
// its own way, with resets in epoch seconds or in seconds remaining.
package ratelimit

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/revokekit/revoke"
)

// ResetFormat says how a reset header counts.
type ResetFormat int

const (
	// ResetAuto reads values of 1,000,000,000 and more as epoch seconds and
	// smaller ones as seconds remaining: no window lasts 30 years.
	ResetAuto ResetFormat = iota
	// ResetEpoch reads epoch seconds (Okta, Auth0, GitHub).
	ResetEpoch
	// ResetDelta reads seconds remaining (OneLogin).
	ResetDelta
)

// epochThreshold separates epoch-second values from seconds remaining.
const epochThreshold = 1_000_000_000

// Scheme names the headers that carry a vendor's rate limit, in their
// canonical form (http.CanonicalHeaderKey).
type Scheme struct {
	Limit, Remaining, Reset string
	Format                  ResetFormat
}

// Known header spellings, tried in order when no scheme is configured.
var (
	OktaStyle   = Scheme{Limit: "X-Rate-Limit-Limit", Remaining: "X-Rate-Limit-Remaining", Reset: "X-Rate-Limit-Reset"}
	CommonStyle = Scheme{Limit: "X-Ratelimit-Limit", Remaining: "X-Ratelimit-Remaining", Reset: "X-Ratelimit-Reset"}
)

// Report is what one response said about the rate limit.
type Report struct {
	// Limit and Remaining are -1 when not sent.
	Limit, Remaining int
	// Reset is the reset as the server wrote it: an epoch second when
	// Epoch is true, else seconds remaining. HasReset is false when absent.
	Reset    int64
	Epoch    bool
	HasReset bool
	// Date is the server's clock (the Date header), zero when absent.
	Date time.Time
}

// Present reports whether the response carried any rate-limit header.
func (r Report) Present() bool { return r.Limit >= 0 || r.Remaining >= 0 || r.HasReset }

// Read reads the headers of scheme s from h; with a zero scheme, the
// Okta spelling and then the common one are tried. The Date header is
// parsed only when a rate-limit header is present.
func Read(h http.Header, s Scheme) Report {
	if s.Limit == "" && s.Remaining == "" && s.Reset == "" {
		if r, ok := read(h, OktaStyle); ok {
			return r
		}
		r, _ := read(h, CommonStyle)
		return r
	}
	r, _ := read(h, s)
	return r
}

func read(h http.Header, s Scheme) (Report, bool) {
	limit, remaining, reset := get(h, s.Limit), get(h, s.Remaining), get(h, s.Reset)
	if limit == "" && remaining == "" && reset == "" {
		return Report{Limit: -1, Remaining: -1}, false
	}
	r := Report{Limit: atoi(limit), Remaining: atoi(remaining)}
	r.Reset, r.Epoch, r.HasReset = parseReset(reset, s.Format)
	if d := get(h, "Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			r.Date = t
		}
	}
	return r, true
}

// get reads header name, which the caller has canonicalized (as Scheme
// names are), straight from the map: Header.Get canonicalizes the name on
// every call, a cost paid for every answer.
func get(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ServerNow is the server's clock from the Date header, or now.
func (r Report) ServerNow(now time.Time) time.Time {
	if r.Date.IsZero() {
		return now
	}
	return r.Date
}

// UntilReset is how long until the reset, measured against the server's
// clock (the Date header) when the reset is an epoch; ok is false without
// a reset. Negative waits become 0; huge ones saturate.
func (r Report) UntilReset(now time.Time) (time.Duration, bool) {
	if !r.HasReset {
		return 0, false
	}
	return untilReset(r.Reset, r.Epoch, r.ServerNow(now)), true
}

func untilReset(n int64, epoch bool, serverNow time.Time) time.Duration {
	if !epoch {
		return Seconds(n)
	}
	// time.Unix overflows near MaxInt64; 2^40 s is the year 36812, beyond
	// any Duration anyway.
	d := time.Unix(min(n, 1<<40), 0).Sub(serverNow)
	return max(d, 0)
}

// ParseReset reads one reset value in format, measured against serverNow
// when it is an epoch. ok is false when the value is absent or malformed.
func ParseReset(v string, format ResetFormat, serverNow time.Time) (time.Duration, bool) {
	n, epoch, ok := parseReset(v, format)
	if !ok {
		return 0, false
	}
	return untilReset(n, epoch, serverNow), true
}

func parseReset(v string, format ResetFormat) (n int64, epoch, ok bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false, false
	}
	switch format {
	case ResetEpoch:
		epoch = true
	case ResetDelta:
	default:
		epoch = n >= epochThreshold
	}
	return n, epoch, true
}

// RateLimit is the caller's view of the report, with the reset on the local
// clock; nil when no rate-limit header was sent.
func (r Report) RateLimit(now time.Time) *revoke.RateLimit {
	if !r.Present() {
		return nil
	}
	rl := &revoke.RateLimit{Limit: r.Limit, Remaining: r.Remaining}
	if d, ok := r.UntilReset(now); ok {
		rl.Reset = now.Add(d)
	}
	return rl
}

func atoi(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// MaxWait is the longest time.Duration: waits saturate to it.
const MaxWait = time.Duration(1<<63 - 1)

// Seconds converts a count of seconds to a Duration, saturating.
func Seconds(secs int64) time.Duration {
	const maxSecs = int64(MaxWait / time.Second)
	if secs > maxSecs {
		return MaxWait
	}
	return time.Duration(secs) * time.Second
}

// ParseRetryAfter reads an RFC 9110 §10.2.3 Retry-After value: delay seconds
// or an HTTP date, the latter measured against serverNow. ok is false when
// the value is absent or malformed. Negative waits become 0.
func ParseRetryAfter(v string, serverNow time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if allDigits(v) {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return MaxWait, true // more digits than int64 holds
		}
		return Seconds(secs), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(serverNow), 0), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ServerWait is how long the server asked the client to wait before the
// next request: Retry-After first; then, on 429, the reset of the scheme's
// report plus margin. ok is false when the server gave no signal.
func ServerWait(status int, h http.Header, rep Report, margin time.Duration, now time.Time) (time.Duration, bool) {
	if ra := h.Get("Retry-After"); ra != "" {
		serverNow := rep.ServerNow(now)
		if rep.Date.IsZero() {
			if t, err := http.ParseTime(h.Get("Date")); err == nil {
				serverNow = t
			}
		}
		if d, ok := ParseRetryAfter(ra, serverNow); ok {
			return d, true
		}
	}
	if status != http.StatusTooManyRequests {
		return 0, false
	}
	d, ok := rep.UntilReset(now)
	if !ok {
		return 0, false
	}
	if rep.Epoch {
		d += min(margin, MaxWait-d) // saturate, never overflow
	}
	return d, true
}
