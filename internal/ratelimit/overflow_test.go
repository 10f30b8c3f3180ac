package ratelimit_test

import (
	"net/http"
	"testing"
	"time"
)

// TestServerWaitResetFarInFuture: a 429 whose reset lies centuries ahead must
// ask for the longest wait, never a negative or zero one (which would make
// the pipeline retry at once and expose a negative Error.RetryAfter).
func TestServerWaitResetFarInFuture(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	date := now.Format(http.TimeFormat)
	tests := []struct{ header, value string }{
		{"X-Rate-Limit-Reset", "99999999999"},         // Okta epoch, year 5138: d saturates, +1s overflows
		{"X-Rate-Limit-Reset", "17672256000"},         // one digit too many
		{"X-Rate-Limit-Reset", "9223372036854775807"}, // time.Unix overflows: seen as the past
		{"X-RateLimit-Reset", "9223372036854775807"},
	}
	for _, tc := range tests {
		h := http.Header{}
		h.Set("Date", date)
		h.Set(tc.header, tc.value)
		d, ok := serverWait(http.StatusTooManyRequests, h, now)
		if !ok || d < 24*time.Hour {
			t.Errorf("ServerWait(429, %s: %s) = %v, %v; want a saturated wait (> 1 day)", tc.header, tc.value, d, ok)
		}
	}
}

// FuzzServerWaitNonNegative: no header makes ServerWait return a negative
// wait, and an epoch reset always carries its one-second margin.
func FuzzServerWaitNonNegative(f *testing.F) {
	f.Add("1767225605")
	f.Fuzz(func(t *testing.T, reset string) {
		h := http.Header{}
		h.Set("Date", "Thu, 01 Jan 2026 00:00:00 GMT")
		h.Set("X-Rate-Limit-Reset", reset)
		d, ok := serverWait(429, h, time.Now())
		if d < 0 || (ok && isEpoch(reset) && d < time.Second) {
			t.Fatalf("ServerWait(429, X-Rate-Limit-Reset: %q) = %v: negative, or an epoch reset without its margin", reset, d)
		}
	})
}
