package wire

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/revokekit/revoke"
)

// epochThreshold separates epoch-second reset values (Okta, Auth0, GitHub)
// from seconds-remaining values (OneLogin): no window lasts 30 years.
const epochThreshold = 1_000_000_000

// serverNow is the server's clock from the Date header, or local now.
func serverNow(h http.Header, now time.Time) time.Time {
	if d := h.Get("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			return t
		}
	}
	return now
}

// ParseRetryAfter reads an RFC 9110 §10.2.3 Retry-After value: delay seconds
// or an HTTP date, the latter measured against serverNow. ok is false when
// the value is absent or malformed. Negative waits become 0.
func ParseRetryAfter(v string, serverNow time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return secondsToDuration(secs), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	d := t.Sub(serverNow)
	if d < 0 {
		d = 0
	}
	return d, true
}

// ParseReset reads a rate-limit reset value: epoch seconds (Okta
// X-Rate-Limit-Reset, Auth0 and GitHub X-RateLimit-Reset), measured against
// serverNow, or seconds remaining (OneLogin X-RateLimit-Reset). ok is false
// when the value is absent or malformed.
func ParseReset(v string, serverNow time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	if n >= epochThreshold {
		// time.Unix overflows near MaxInt64 (the value would read as the
		// past); 2^40 s is the year 36812, beyond any Duration anyway.
		n = min(n, 1<<40)
		d := time.Unix(n, 0).Sub(serverNow)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return secondsToDuration(n), true
}

// maxWait is the longest time.Duration: waits saturate to it.
const maxWait = time.Duration(1<<63 - 1)

func secondsToDuration(secs int64) time.Duration {
	const maxSecs = int64(1<<63-1) / int64(time.Second)
	if secs > maxSecs {
		return time.Duration(1<<63 - 1)
	}
	return time.Duration(secs) * time.Second
}

// ParseRateLimit reads X-Rate-Limit-* (Okta) or X-RateLimit-* (OneLogin,
// Auth0, GitHub) headers. It returns nil when none is present. Reset is
// converted to the local clock using the response Date header.
func ParseRateLimit(h http.Header, now time.Time) *revoke.RateLimit {
	for _, prefix := range [...]string{"X-Rate-Limit-", "X-Ratelimit-"} {
		limit, lok := atoiHeader(h, prefix+"Limit")
		remaining, rok := atoiHeader(h, prefix+"Remaining")
		reset := h.Get(prefix + "Reset")
		if !lok && !rok && reset == "" {
			continue
		}
		rl := &revoke.RateLimit{Limit: limit, Remaining: remaining}
		if wait, ok := ParseReset(reset, serverNow(h, now)); ok {
			rl.Reset = now.Add(wait)
		}
		return rl
	}
	return nil
}

func atoiHeader(h http.Header, key string) (int, bool) {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return -1, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1, false
	}
	return n, true
}

// ServerWait is how long the server asked the client to wait before the next
// request: Retry-After first; then, on 429, the rate-limit reset (plus one
// second for Okta's epoch reset, as Okta recommends, so the window has
// surely turned). ok is false when the server gave no signal.
func ServerWait(status int, h http.Header, now time.Time) (time.Duration, bool) {
	sn := serverNow(h, now)
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), sn); ok {
		return d, true
	}
	if status != http.StatusTooManyRequests {
		return 0, false
	}
	if d, ok := ParseReset(h.Get("X-Rate-Limit-Reset"), sn); ok {
		return d + min(time.Second, maxWait-d), true // saturate, never overflow
	}
	if d, ok := ParseReset(h.Get("X-Ratelimit-Reset"), sn); ok {
		return d, true
	}
	return 0, false
}
