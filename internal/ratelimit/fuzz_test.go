package ratelimit_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke/internal/ratelimit"
)

// fuzzNow is the fixed local clock of the fuzz targets, with a sub-second
// part so that whole-second server clocks differ from it.
var fuzzNow = time.Date(2026, time.January, 1, 0, 0, 0, 250_000_000, time.UTC)

// allDigits reports whether s (trimmed) is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FuzzParseRetryAfter checks that any Retry-After value yields a wait that
// is never negative, is zero whenever there is no signal, and equals the
// delay-seconds when the value is a number that fits.
func FuzzParseRetryAfter(f *testing.F) {
	f.Add("120", int64(0))
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", int64(1445412480))
	f.Fuzz(func(t *testing.T, v string, serverUnix int64) {
		serverNow := time.Unix(serverUnix%(1<<37), 0) // years within ±4000 of 1970
		d, ok := ratelimit.ParseRetryAfter(v, serverNow)
		if d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v: negative wait", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: a non-zero wait without a signal", v, d)
		}
		if allDigits(v) {
			if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
				want := time.Duration(n) * time.Second
				if n > int64(maxDuration/time.Second) {
					want = maxDuration
				}
				if !ok || d != want {
					t.Fatalf("ParseRetryAfter(%q) = %v, %v; want %v, true", v, d, ok, want)
				}
			}
		}
		if d2, ok2 := ratelimit.ParseRetryAfter(v, serverNow); d2 != d || ok2 != ok {
			t.Fatalf("ParseRetryAfter(%q) is not deterministic", v)
		}
	})
}

// FuzzParseReset checks that a reset value never yields a negative wait,
// that seconds-remaining values below the epoch threshold are taken as is,
// and that epoch values are measured against the server clock.
func FuzzParseReset(f *testing.F) {
	f.Add("30", int64(1767225600))
	f.Add("1767225660", int64(1767225600))
	f.Fuzz(func(t *testing.T, v string, serverUnix int64) {
		serverNow := time.Unix(serverUnix%(1<<37), 0)
		d, ok := ratelimit.ParseReset(v, ratelimit.ResetAuto, serverNow)
		if d < 0 {
			t.Fatalf("ParseReset(%q) = %v: negative wait", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ParseReset(%q) = %v, false: a non-zero wait without a signal", v, d)
		}
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			if ok {
				t.Fatalf("ParseReset(%q) = %v, true; want no signal for a value that is not a count", v, d)
			}
			return
		}
		if !ok {
			t.Fatalf("ParseReset(%q) = no signal; want one", v)
		}
		switch {
		case n < 1_000_000_000 && d != time.Duration(n)*time.Second:
			t.Fatalf("ParseReset(%q) = %v; want %d seconds remaining", v, d, n)
		case n >= 1_000_000_000 && n < 1<<36 && serverUnix%(1<<37) < 1<<36 && serverUnix%(1<<37) > -(1<<36):
			// Within a safe range the epoch is exact against the server clock.
			want := time.Duration(0)
			if diff := n - serverNow.Unix(); diff > 0 {
				want = time.Duration(diff) * time.Second
				if diff > int64(maxDuration/time.Second) {
					want = maxDuration
				}
			}
			if d != want {
				t.Fatalf("ParseReset(%q) against %v = %v; want %v", v, serverNow, d, want)
			}
		}
	})
}

// FuzzParseRateLimit checks the rate-limit report built from any header
// values: nil exactly when no header parses, -1 for fields not sent, counts
// as sent, and a reset that never lies in the past.
func FuzzParseRateLimit(f *testing.F) {
	f.Add(true, "600", "0", "1767225630", "Thu, 01 Jan 2026 00:00:00 GMT")
	f.Fuzz(func(t *testing.T, okta bool, limit, remaining, reset, date string) {
		prefix := "X-RateLimit-"
		if okta {
			prefix = "X-Rate-Limit-"
		}
		h := http.Header{}
		for k, v := range map[string]string{"Limit": limit, "Remaining": remaining, "Reset": reset} {
			if v != "" {
				h.Set(prefix+k, v)
			}
		}
		if date != "" {
			h.Set("Date", date)
		}
		count := func(v string) int {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return -1
			}
			return n
		}
		wantLimit, wantRemaining := count(limit), count(remaining)
		_, resetOK := ratelimit.ParseReset(reset, ratelimit.ResetAuto, fuzzNow)
		rl := ratelimit.Read(h, ratelimit.Scheme{}).RateLimit(fuzzNow)
		if wantLimit < 0 && wantRemaining < 0 && !resetOK {
			// Nothing usable: no report, except that a Reset header that
			// is present but malformed may still yield an empty one.
			if rl != nil && (reset == "" || rl.Limit != -1 || rl.Remaining != -1 || !rl.Reset.IsZero()) {
				t.Fatalf("ParseRateLimit(%v) = %+v; want nil", h, rl)
			}
			return
		}
		if rl == nil {
			t.Fatalf("ParseRateLimit(%v) = nil; want a report", h)
		}
		if rl.Limit != wantLimit || rl.Remaining != wantRemaining {
			t.Fatalf("ParseRateLimit(%v) = {Limit:%d Remaining:%d}; want {%d %d}", h, rl.Limit, rl.Remaining, wantLimit, wantRemaining)
		}
		if resetOK == rl.Reset.IsZero() {
			t.Fatalf("ParseRateLimit(%v).Reset = %v; reset parsed: %v", h, rl.Reset, resetOK)
		}
		if resetOK && rl.Reset.Before(fuzzNow) {
			t.Fatalf("ParseRateLimit(%v).Reset = %v is before now %v", h, rl.Reset, fuzzNow)
		}
	})
}

// FuzzServerWait checks ServerWait's precedence on any headers: a valid
// Retry-After always decides, rate-limit resets count only on 429, no
// signal means no wait, and the same input always gives the same answer.
func FuzzServerWait(f *testing.F) {
	f.Add(429, "", "1767225605", "", "Thu, 01 Jan 2026 00:00:00 GMT")
	f.Fuzz(func(t *testing.T, status int, retryAfter, oktaReset, reset, date string) {
		h := http.Header{}
		for k, v := range map[string]string{"Retry-After": retryAfter, "X-Rate-Limit-Reset": oktaReset, "X-RateLimit-Reset": reset, "Date": date} {
			if v != "" {
				h.Set(k, v)
			}
		}
		d, ok := serverWait(status, h, fuzzNow)
		if d < 0 {
			t.Fatalf("ServerWait(%d, %v) = %v: a negative wait", status, h, d)
		}
		if !ok && d != 0 {
			t.Fatalf("ServerWait(%d, %v) = %v without a signal", status, h, d)
		}
		if d2, ok2 := serverWait(status, h, fuzzNow); d2 != d || ok2 != ok {
			t.Fatalf("ServerWait(%d, %v) is not deterministic", status, h)
		}
		serverNow := fuzzNow
		if pt, err := http.ParseTime(h.Get("Date")); err == nil {
			serverNow = pt
		}
		if ra, raOK := ratelimit.ParseRetryAfter(retryAfter, serverNow); raOK {
			if !ok || d != ra {
				t.Fatalf("ServerWait(%d, %v) = %v, %v; Retry-After says %v", status, h, d, ok, ra)
			}
			return
		}
		if status != http.StatusTooManyRequests && ok {
			t.Fatalf("ServerWait(%d, %v) = %v: a reset header counted on a non-429 answer", status, h, d)
		}
		_, oktaOK := ratelimit.ParseReset(oktaReset, ratelimit.ResetAuto, serverNow)
		_, resetOK := ratelimit.ParseReset(reset, ratelimit.ResetAuto, serverNow)
		if status == http.StatusTooManyRequests && ok != (oktaOK || resetOK) {
			t.Fatalf("ServerWait(429, %v) = %v, %v; resets parse: okta %v, other %v", h, d, ok, oktaOK, resetOK)
		}
		// The one-second margin is for epoch resets (Okta's); a small value
		// is seconds remaining (ResetAuto) and gets none.
		if oktaOK && isEpoch(oktaReset) && status == http.StatusTooManyRequests && d < time.Second {
			t.Fatalf("ServerWait(429, %v) = %v: an epoch reset must add one second", h, d)
		}
	})
}

// isEpoch reports whether a reset value reads as epoch seconds under
// ResetAuto: 1,000,000,000 or more.
func isEpoch(v string) bool {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return err == nil && n >= 1_000_000_000
}
