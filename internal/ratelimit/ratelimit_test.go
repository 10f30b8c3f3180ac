package ratelimit_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/ratelimit"
)

// maxDuration is the largest time.Duration: what a wait saturates to.
const maxDuration = time.Duration(1<<63 - 1)

// t0 is a fixed "local now" with sub-second precision, so that tests notice
// when a computation mixes the server's whole-second clock with it.
var t0 = time.Date(2026, time.March, 14, 15, 9, 26, 535_000_000, time.UTC)

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// serverWait is the kit's wait for a default-profile adapter that reads
// Okta's spelling with Okta's one-second margin, then the common one.
func serverWait(status int, h http.Header, now time.Time) (time.Duration, bool) {
	if rep := ratelimit.Read(h, ratelimit.OktaStyle); rep.HasReset {
		return ratelimit.ServerWait(status, h, rep, time.Second, now)
	}
	return ratelimit.ServerWait(status, h, ratelimit.Read(h, ratelimit.CommonStyle), 0, now)
}

func TestParseRetryAfter(t *testing.T) {
	serverNow := t0.Truncate(time.Second)
	tests := []struct {
		name   string
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"seconds", "120", 120 * time.Second, true},
		{"zero seconds", "0", 0, true},
		{"surrounding space", "  7 ", 7 * time.Second, true},
		{"leading zeros", "007", 7 * time.Second, true},
		{"empty", "", 0, false},
		{"blank", "   ", 0, false},
		{"negative seconds", "-5", 0, false},
		{"fraction", "1.5", 0, false},
		{"garbage", "soon", 0, false},
		{"number with unit", "10s", 0, false},
		{"hex", "0x10", 0, false},
		{"IMF-fixdate in the future", httpDate(serverNow.Add(30 * time.Second)), 30 * time.Second, true},
		{"RFC 850 date", serverNow.Add(90 * time.Second).Format("Monday, 02-Jan-06 15:04:05 GMT"), 90 * time.Second, true},
		{"asctime date", serverNow.Add(45 * time.Second).Format(time.ANSIC), 45 * time.Second, true},
		{"date equal to server now", httpDate(serverNow), 0, true},
		{"date in the past is no wait", httpDate(serverNow.Add(-time.Hour)), 0, true},
		{"date with a bad weekday layout", "Someday, 14 Mar 2026 15:09:56 GMT", 0, false},
		{"largest seconds that fit", strconv.FormatInt(int64(maxDuration/time.Second), 10), maxDuration / time.Second * time.Second, true},
		{"seconds past the Duration range saturate", "9223372037", maxDuration, true},
		{"max int64 seconds saturate", "9223372036854775807", maxDuration, true},
		{"date in year 9999 saturates", "Fri, 31 Dec 9999 23:59:59 GMT", maxDuration, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ratelimit.ParseRetryAfter(tc.in, serverNow)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("ParseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// TestParseRetryAfterBeyondInt64 pins that a delay too long for int64 is
// never turned into a short or negative wait.
func TestParseRetryAfterBeyondInt64(t *testing.T) {
	for _, in := range []string{"99999999999999999999", strings.Repeat("9", 400)} {
		got, ok := ratelimit.ParseRetryAfter(in, t0)
		if got < 0 || (ok && got != maxDuration) || (!ok && got != 0) {
			t.Errorf("ParseRetryAfter(%.25q...) = %v, %v: want a saturated wait or no signal", in, got, ok)
		}
	}
}

func TestParseReset(t *testing.T) {
	serverNow := t0.Truncate(time.Second)
	epoch := func(d time.Duration) string { return strconv.FormatInt(serverNow.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"seconds remaining (OneLogin)", "1800", 1800 * time.Second, true},
		{"zero remaining", "0", 0, true},
		{"just below the epoch threshold is relative", "999999999", 999999999 * time.Second, true},
		{"the threshold itself is an epoch (2001, in the past)", "1000000000", 0, true},
		{"epoch in the future (Okta, GitHub)", epoch(42 * time.Second), 42 * time.Second, true},
		{"epoch now", epoch(0), 0, true},
		{"epoch in the past", epoch(-10 * time.Minute), 0, true},
		{"space around", " 30 ", 30 * time.Second, true},
		{"empty", "", 0, false},
		{"negative", "-1", 0, false},
		{"fraction", "1.5", 0, false},
		{"garbage", "later", 0, false},
		{"date is not a reset", httpDate(serverNow), 0, false},
		{"beyond int64", "99999999999999999999", 0, false},
		{"epoch 300 years ahead saturates", "11234567890", maxDuration, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ratelimit.ParseReset(tc.in, ratelimit.ResetAuto, serverNow)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("ParseReset(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// TestParseResetMeasuresAgainstServerClock checks that an epoch reset is
// measured against the clock it is given (the response Date), not the local
// one: a server whose clock is an hour behind still means "in 20 s".
func TestParseResetMeasuresAgainstServerClock(t *testing.T) {
	for _, skew := range []time.Duration{-time.Hour, 0, 3 * time.Hour} {
		serverNow := t0.Add(skew).Truncate(time.Second)
		reset := strconv.FormatInt(serverNow.Unix()+20, 10)
		got, ok := ratelimit.ParseReset(reset, ratelimit.ResetAuto, serverNow)
		if !ok || got != 20*time.Second {
			t.Errorf("skew %v: ParseReset = %v, %v; want 20s, true", skew, got, ok)
		}
	}
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestParseRateLimit(t *testing.T) {
	now := t0
	// The server's clock is 1 h behind: resets must still come out relative
	// to the server's Date, converted onto the local clock.
	serverNow := now.Add(-time.Hour).Truncate(time.Second)
	date := httpDate(serverNow)
	tests := []struct {
		name string
		h    http.Header
		want *revoke.RateLimit
	}{
		{"absent", header("Content-Type", "application/json"), nil},
		{"Okta trio, epoch against Date", header("Date", date, "X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", strconv.FormatInt(serverNow.Unix()+30, 10)),
			&revoke.RateLimit{Limit: 600, Remaining: 0, Reset: now.Add(30 * time.Second)}},
		{"OneLogin trio, seconds remaining", header("Date", date, "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "4999", "X-RateLimit-Reset", "1800"),
			&revoke.RateLimit{Limit: 5000, Remaining: 4999, Reset: now.Add(1800 * time.Second)}},
		{"GitHub lower-case epoch", header("Date", date, "x-ratelimit-limit", "60", "x-ratelimit-remaining", "59", "x-ratelimit-reset", strconv.FormatInt(serverNow.Unix()+5, 10)),
			&revoke.RateLimit{Limit: 60, Remaining: 59, Reset: now.Add(5 * time.Second)}},
		{"only Limit", header("X-Rate-Limit-Limit", "10"), &revoke.RateLimit{Limit: 10, Remaining: -1}},
		{"only Remaining", header("X-RateLimit-Remaining", "3"), &revoke.RateLimit{Limit: -1, Remaining: 3}},
		{"only Reset", header("X-RateLimit-Reset", "60"), &revoke.RateLimit{Limit: -1, Remaining: -1, Reset: now.Add(time.Minute)}},
		{"malformed fields are -1", header("X-Rate-Limit-Limit", "many", "X-Rate-Limit-Remaining", "-4", "X-Rate-Limit-Reset", "30"),
			&revoke.RateLimit{Limit: -1, Remaining: -1, Reset: now.Add(30 * time.Second)}},
		{"malformed counts without reset are absent", header("X-Rate-Limit-Limit", "x", "X-Rate-Limit-Remaining", "y"), nil},
		{"Okta wins over X-RateLimit", header("X-Rate-Limit-Limit", "1", "X-RateLimit-Limit", "2"), &revoke.RateLimit{Limit: 1, Remaining: -1}},
		{"without Date the local clock is used", header("X-Rate-Limit-Reset", strconv.FormatInt(now.Unix()+10, 10)),
			&revoke.RateLimit{Limit: -1, Remaining: -1, Reset: time.Unix(now.Unix()+10, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ratelimit.Read(tc.h, ratelimit.Scheme{}).RateLimit(now)
			switch {
			case tc.want == nil && got == nil:
			case tc.want == nil || got == nil:
				t.Fatalf("ParseRateLimit = %+v; want %+v", got, tc.want)
			case got.Limit != tc.want.Limit || got.Remaining != tc.want.Remaining || !got.Reset.Equal(tc.want.Reset):
				t.Errorf("ParseRateLimit = {Limit:%d Remaining:%d Reset:%v}; want {Limit:%d Remaining:%d Reset:%v}",
					got.Limit, got.Remaining, got.Reset, tc.want.Limit, tc.want.Remaining, tc.want.Reset)
			}
		})
	}
}

func TestServerWait(t *testing.T) {
	now := t0
	serverNow := now.Add(-time.Hour).Truncate(time.Second) // a skewed server clock
	date := httpDate(serverNow)
	at := func(d time.Duration) string { return strconv.FormatInt(serverNow.Add(d).Unix(), 10) }
	tests := []struct {
		name   string
		status int
		h      http.Header
		want   time.Duration
		wantOK bool
	}{
		{"no signal", 429, header("Date", date), 0, false},
		{"Retry-After seconds on 429", 429, header("Retry-After", "3"), 3 * time.Second, true},
		{"Retry-After seconds on 503", 503, header("Retry-After", "4"), 4 * time.Second, true},
		{"Retry-After date against a skewed Date", 503, header("Date", date, "Retry-After", httpDate(serverNow.Add(10*time.Second))), 10 * time.Second, true},
		{"Retry-After date without Date uses local now", 503, header("Retry-After", httpDate(now.Add(time.Hour))), time.Hour - now.Sub(now.Truncate(time.Second)), true},
		{"Retry-After date with a malformed Date uses local now", 503, header("Date", "yesterday", "Retry-After", httpDate(now.Add(time.Hour))), time.Hour - now.Sub(now.Truncate(time.Second)), true},
		{"Retry-After wins over Okta reset", 429, header("Date", date, "Retry-After", "2", "X-Rate-Limit-Reset", at(50*time.Second)), 2 * time.Second, true},
		{"Retry-After wins over X-RateLimit-Reset", 429, header("Retry-After", "2", "X-RateLimit-Reset", "50"), 2 * time.Second, true},
		{"malformed Retry-After falls back to the reset", 429, header("Date", date, "Retry-After", "soon", "X-RateLimit-Reset", "9"), 9 * time.Second, true},
		{"Okta epoch reset plus one second", 429, header("Date", date, "X-Rate-Limit-Reset", at(5*time.Second)), 6 * time.Second, true},
		{"Okta reset in the past still waits one second", 429, header("Date", date, "X-Rate-Limit-Reset", at(-time.Minute)), time.Second, true},
		{"the margin is for epoch resets only", 429, header("X-Rate-Limit-Reset", "5"), 5 * time.Second, true},
		{"OneLogin seconds remaining", 429, header("Date", date, "X-RateLimit-Reset", "7"), 7 * time.Second, true},
		{"epoch X-RateLimit-Reset against Date", 429, header("Date", date, "X-RateLimit-Reset", at(5*time.Second)), 5 * time.Second, true},
		{"Okta reset wins over X-RateLimit-Reset", 429, header("Date", date, "X-Rate-Limit-Reset", at(2*time.Second), "X-RateLimit-Reset", "40"), 3 * time.Second, true},
		{"malformed Okta reset falls back to X-RateLimit-Reset", 429, header("X-Rate-Limit-Reset", "x", "X-RateLimit-Reset", "40"), 40 * time.Second, true},
		{"reset ignored on 503", 503, header("Date", date, "X-Rate-Limit-Reset", at(5*time.Second), "X-RateLimit-Reset", "7"), 0, false},
		{"reset ignored on 502", 502, header("X-RateLimit-Reset", "7"), 0, false},
		{"reset ignored on 200", 200, header("X-RateLimit-Reset", "7"), 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := serverWait(tc.status, tc.h, now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("ServerWait(%d, %v) = %v, %v; want %v, %v", tc.status, tc.h, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
