package wire_test

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
	"github.com/revokekit/revoke/internal/wire"
)

// maxDuration is the largest time.Duration: what a wait saturates to.
const maxDuration = time.Duration(1<<63 - 1)

// t0 is a fixed "local now" with sub-second precision, so that tests notice
// when a computation mixes the server's whole-second clock with it.
var t0 = time.Date(2026, time.March, 14, 15, 9, 26, 535_000_000, time.UTC)

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

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
			got, ok := wire.ParseRetryAfter(tc.in, serverNow)
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
		got, ok := wire.ParseRetryAfter(in, t0)
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
			got, ok := wire.ParseReset(tc.in, serverNow)
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
		got, ok := wire.ParseReset(reset, serverNow)
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
			got := wire.ParseRateLimit(tc.h, now)
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
		{"Okta relative reset plus one second", 429, header("X-Rate-Limit-Reset", "5"), 6 * time.Second, true},
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
			got, ok := wire.ServerWait(tc.status, tc.h, now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("ServerWait(%d, %v) = %v, %v; want %v, %v", tc.status, tc.h, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		name          string
		raw           string
		allowInsecure bool
		wantErr       bool
		insecure      bool   // errors.Is(err, revoke.ErrInsecureEndpoint)
		wantIn        string // a phrase the error must contain
	}{
		{name: "https", raw: "https://auth.example.com/oauth2/revoke"},
		{name: "https with port and query", raw: "https://auth.example.com:8443/revoke?tenant=a"},
		{name: "http 127.0.0.1", raw: "http://127.0.0.1:8080/revoke"},
		{name: "http 127.0.0.2 (whole /8)", raw: "http://127.0.0.2/revoke"},
		{name: "http [::1]", raw: "http://[::1]:8080/revoke"},
		{name: "http localhost", raw: "http://localhost:9000/revoke"},
		{name: "http LOCALHOST", raw: "http://LOCALHOST/revoke"},
		{name: "http sub.localhost", raw: "http://auth.localhost/revoke"},
		{name: "http non-loopback with opt-in", raw: "http://auth.internal/revoke", allowInsecure: true},
		{name: "empty", raw: "", wantErr: true, wantIn: "is empty"},
		{name: "blank", raw: "  \t", wantErr: true, wantIn: "is empty"},
		{name: "relative path", raw: "/oauth2/revoke", wantErr: true, wantIn: "not absolute"},
		{name: "scheme-less host and path", raw: "auth.example.com/revoke", wantErr: true, wantIn: "https://auth.example.com/revoke"},
		{name: "scheme-relative", raw: "//auth.example.com/revoke", wantErr: true, wantIn: "https://auth.example.com/revoke"},
		{name: "host:port without scheme", raw: "localhost:8080/revoke", wantErr: true, wantIn: "not absolute"},
		{name: "ftp scheme", raw: "ftp://auth.example.com/revoke", wantErr: true, wantIn: `scheme "ftp"`},
		{name: "user info", raw: "https://client:secret@auth.example.com/revoke", wantErr: true, wantIn: "user info"},
		{name: "fragment", raw: "https://auth.example.com/revoke#x", wantErr: true, wantIn: "fragment"},
		{name: "bad escape", raw: "https://auth.example.com/%zz", wantErr: true, wantIn: "not a valid URL"},
		{name: "http non-loopback", raw: "http://auth.example.com/revoke", wantErr: true, insecure: true, wantIn: "revoke.WithInsecureHTTP()"},
		{name: "http localhost lookalike", raw: "http://localhost.example.com/revoke", wantErr: true, insecure: true},
		{name: "http 10.0.0.1", raw: "http://10.0.0.1/revoke", wantErr: true, insecure: true},
		{name: "http 0.0.0.0", raw: "http://0.0.0.0:8080/revoke", wantErr: true, insecure: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := wire.ValidateEndpoint("test.Endpoint", tc.raw, tc.allowInsecure)
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("ValidateEndpoint(%q) = %v; want success", tc.raw, err)
				}
				if u.String() != tc.raw {
					t.Errorf("ValidateEndpoint(%q) = %q; want the URL unchanged", tc.raw, u)
				}
				return
			}
			if err == nil {
				t.Fatalf("ValidateEndpoint(%q) = %v; want an error", tc.raw, u)
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != "test.Endpoint" {
				t.Errorf("error %v (%T) is not a *revoke.ConfigError for the field", err, err)
			}
			if got := errors.Is(err, revoke.ErrInsecureEndpoint); got != tc.insecure {
				t.Errorf("errors.Is(%v, ErrInsecureEndpoint) = %v; want %v", err, got, tc.insecure)
			}
			if !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("error %q does not contain %q", err, tc.wantIn)
			}
			if strings.Contains(err.Error(), "client:secret") {
				t.Errorf("error %q repeats the user info", err)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost", true},
		{"api.localhost", true},
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"::1", true},
		{"::ffff:127.0.0.1", true},
		{"", false},
		{"localhost.example.com", false},
		{"mylocalhost", false},
		{"128.0.0.1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"10.0.0.1", false},
		{"[::1]", false}, // a Hostname() has no brackets
		{"example.com", false},
	}
	for _, tc := range tests {
		if got := wire.IsLoopback(tc.host); got != tc.want {
			t.Errorf("IsLoopback(%q) = %v; want %v", tc.host, got, tc.want)
		}
	}
}

func TestJoinPath(t *testing.T) {
	tests := []struct {
		base string
		segs []string
		want string
	}{
		{"https://h.example", []string{"revoke"}, "https://h.example/revoke"},
		{"https://h.example/", []string{"/revoke"}, "https://h.example/revoke"},
		{"https://h.example/oauth2/", []string{"/default/", "/v1/revoke/"}, "https://h.example/oauth2/default/v1/revoke"},
		{"https://h.example/t/acme", []string{"oauth2", "revoke"}, "https://h.example/t/acme/oauth2/revoke"},
		{"https://h.example/base?x=1", []string{"revoke"}, "https://h.example/base/revoke?x=1"},
		{"https://h.example", []string{"with space"}, "https://h.example/with%20space"},
	}
	for _, tc := range tests {
		base, err := url.Parse(tc.base)
		if err != nil {
			t.Fatal(err)
		}
		before := base.String()
		got := wire.JoinPath(base, tc.segs...)
		if got.String() != tc.want {
			t.Errorf("JoinPath(%q, %q) = %q; want %q", tc.base, tc.segs, got, tc.want)
		}
		if base.String() != before {
			t.Errorf("JoinPath modified its base: %q became %q", before, base)
		}
	}
}

func TestEndpointOmitsQueryAndUserInfo(t *testing.T) {
	u, err := url.Parse("https://id:pw@auth.example.com:8443/oauth2/re%20voke?token=abc#frag")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wire.Endpoint(u), "https://auth.example.com:8443/oauth2/re%20voke"; got != want {
		t.Errorf("Endpoint = %q; want %q", got, want)
	}
	if got := wire.Endpoint(nil); got != "" {
		t.Errorf("Endpoint(nil) = %q; want empty", got)
	}
}

func TestScrub(t *testing.T) {
	tests := []struct {
		s       string
		secrets []string
		want    string
	}{
		{"token tok_12345 is bad", []string{"tok_12345"}, "token [REDACTED] is bad"},
		{"a tok_12345 b tok_12345", []string{"tok_12345"}, "a [REDACTED] b [REDACTED]"},
		{"s3cr3t and tok_1", []string{"tok_1", "s3cr3t"}, "[REDACTED] and [REDACTED]"},
		{"short abc stays", []string{"abc"}, "short abc stays"}, // too short to scrub safely
		{"nothing here", []string{"", "tok_12345"}, "nothing here"},
	}
	for _, tc := range tests {
		if got := wire.Scrub(tc.s, tc.secrets...); got != tc.want {
			t.Errorf("Scrub(%q, %q) = %q; want %q", tc.s, tc.secrets, got, tc.want)
		}
	}
}

func TestCheckParams(t *testing.T) {
	for _, k := range []string{"token", "token_type_hint", "client_id", "client_secret", "client_assertion", "client_assertion_type"} {
		err := wire.CheckParams("test revoke", url.Values{k: {"x"}})
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), strconv.Quote(k)) {
			t.Errorf("CheckParams(%s) = %v; want a ConfigError naming %q", k, err, k)
		}
	}
	if err := wire.CheckParams("test revoke", url.Values{"resource": {"x"}, "tenant": {"y"}}); err != nil {
		t.Errorf("CheckParams(non-reserved) = %v; want nil", err)
	}
}

func TestClassifyResponse(t *testing.T) {
	const token = "tok_SECRET_9f8e7d6c"
	const secret = "cs_SECRET_1a2b3c4d"
	secrets := []string{token, secret}
	u, _ := url.Parse("https://auth.example.com/oauth2/revoke?tenant=acme")
	long := strings.Repeat("<p>Server exploded</p>\n", 200)
	tests := []struct {
		name        string
		status      int
		h           http.Header
		body        string
		kind        error
		code        string
		desc        string // exact Description, when set
		descHas     string // a phrase Description must contain
		excerpt     bool   // an Excerpt is expected
		requestID   string
		retryAfter  time.Duration
		causesCount int
	}{
		{name: "invalid_client on 401", status: 401, body: `{"error":"invalid_client","error_description":"Client authentication failed."}`,
			kind: revoke.ErrInvalidClient, code: "invalid_client", desc: "Client authentication failed."},
		{name: "invalid_client on 400 (Okta style)", status: 400, body: `{"error":"invalid_client","error_description":"No client credentials found"}`,
			kind: revoke.ErrInvalidClient, code: "invalid_client"},
		{name: "WSO2 invalid_client in text/html", status: 401, h: header("Content-Type", "text/html"), body: `{"error":"invalid_client","error_description":"Client Authentication failed."}`,
			kind: revoke.ErrInvalidClient, code: "invalid_client"},
		{name: "OneLogin 401 invalid_request stays invalid_request", status: 401, body: `{"error":"invalid_request","error_description":"Authentication Failed"}`,
			kind: revoke.ErrInvalidRequest, code: "invalid_request"},
		{name: "unsupported_token_type", status: 400, body: `{"error":"unsupported_token_type","error_description":"revocation of the presented token type is not supported"}`,
			kind: revoke.ErrUnsupportedTokenType, code: "unsupported_token_type"},
		{name: "Google invalid_token", status: 400, body: `{"error":"invalid_token","error_description":"Token expired or revoked"}`,
			kind: revoke.ErrInvalidToken, code: "invalid_token"},
		{name: "unauthorized_client", status: 400, body: `{"error":"unauthorized_client"}`, kind: revoke.ErrUnauthorizedClient, code: "unauthorized_client"},
		{name: "429 Okta E0000047", status: 429, h: header("X-Okta-Request-Id", "hdr-id"),
			body: `{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaeXyz","errorCauses":[]}`,
			kind: revoke.ErrRateLimited, code: "E0000047", desc: "API call exceeded rate limit due to too many requests.", requestID: "oaeXyz"},
		{name: "429 slow_down is still rate limited", status: 429, body: `{"error":"slow_down"}`, kind: revoke.ErrRateLimited, code: "slow_down"},
		{name: "429 without body", status: 429, kind: revoke.ErrRateLimited},
		{name: "503", status: 503, body: `{"error":"temporarily_unavailable"}`, kind: revoke.ErrUnavailable, code: "temporarily_unavailable"},
		{name: "502 HTML page", status: 502, body: "<html><body>Bad Gateway</body></html>", kind: revoke.ErrUnavailable, excerpt: true},
		{name: "504 empty", status: 504, kind: revoke.ErrUnavailable},
		{name: "302 to another host", status: 302, h: header("Location", "https://evil.example.net/steal"), kind: revoke.ErrRedirect, descHas: "to host evil.example.net"},
		{name: "307 to a path", status: 307, h: header("Location", "/elsewhere"), kind: revoke.ErrRedirect, descHas: "to a path on the same host"},
		{name: "301 without Location", status: 301, kind: revoke.ErrRedirect, descHas: "(no Location header)"},
		{name: "303 with HTML body keeps no excerpt", status: 303, h: header("Location", "https://login.example.com/"), body: "<a href=...>See other</a>", kind: revoke.ErrRedirect},
		{name: "400 unknown code falls back to status", status: 400, body: `{"error":"weird_thing"}`, kind: revoke.ErrInvalidRequest, code: "weird_thing"},
		{name: "403 Okta E0000006", status: 403, body: `{"errorCode":"E0000006","errorSummary":"You do not have permission to perform the requested action","errorCauses":[{"errorSummary":"scope okta.users.manage"}]}`,
			kind: revoke.ErrForbidden, code: "E0000006", causesCount: 1},
		{name: "404 Okta E0000007", status: 404, body: `{"errorCode":"E0000007","errorSummary":"Not found: Resource not found: 00u1 (User)"}`, kind: revoke.ErrNotFound, code: "E0000007"},
		{name: "500 plain text", status: 500, body: "Internal Server Error", kind: revoke.ErrServer, excerpt: true},
		{name: "500 server_error", status: 500, body: `{"error":"server_error","error_description":"Internal Server Error."}`, kind: revoke.ErrServer, code: "server_error"},
		{name: "long HTML page is excerpted", status: 500, body: long, kind: revoke.ErrServer, excerpt: true},
		{name: "truncated JSON", status: 400, body: `{"error":`, kind: revoke.ErrInvalidRequest, excerpt: true},
		{name: "418 is unexpected", status: 418, body: "I'm a teapot", kind: revoke.ErrUnexpectedResponse, excerpt: true},
		{name: "request id from header", status: 400, h: header("X-Request-Id", "req-77"), body: `{"error":"invalid_request"}`, kind: revoke.ErrInvalidRequest, code: "invalid_request", requestID: "req-77"},
		{name: "token echoed in description is scrubbed", status: 400, body: `{"error":"invalid_request","error_description":"token ` + token + ` is malformed"}`,
			kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "token [REDACTED] is malformed"},
		{name: "secret echoed in a cause is scrubbed", status: 401, body: `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[{"errorSummary":"secret ` + secret + ` rejected"}]}`,
			kind: revoke.ErrInvalidClient, code: "E0000011", causesCount: 1},
		{name: "token echoed in an HTML excerpt is scrubbed", status: 500, body: "<html>bad token=" + token + " and " + secret + "</html>", kind: revoke.ErrServer, excerpt: true},
		{name: "token echoed in a form body is scrubbed", status: 400, body: "error=invalid_request&error_description=bad+" + token, kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "bad [REDACTED]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := tc.h
			if h == nil {
				h = http.Header{}
			}
			e := wire.ClassifyResponse("test revoke", u, tc.status, h, []byte(tc.body), secrets)
			if !errors.Is(e, tc.kind) {
				t.Errorf("Kind = %v; want %v", e.Kind, tc.kind)
			}
			if e.StatusCode != tc.status || e.Op != "test revoke" || e.Endpoint != "https://auth.example.com/oauth2/revoke" {
				t.Errorf("StatusCode, Op, Endpoint = %d, %q, %q", e.StatusCode, e.Op, e.Endpoint)
			}
			if e.Code != tc.code {
				t.Errorf("Code = %q; want %q", e.Code, tc.code)
			}
			if tc.desc != "" && e.Description != tc.desc {
				t.Errorf("Description = %q; want %q", e.Description, tc.desc)
			}
			if !strings.Contains(e.Description, tc.descHas) {
				t.Errorf("Description = %q; want it to contain %q", e.Description, tc.descHas)
			}
			if got := e.Excerpt != ""; got != tc.excerpt {
				t.Errorf("Excerpt = %q; want one: %v", e.Excerpt, tc.excerpt)
			}
			if len(e.Excerpt) > 256+len("…") || !utf8.ValidString(e.Excerpt) || strings.ContainsAny(e.Excerpt, "\n\r") {
				t.Errorf("Excerpt is not a bounded single line: %d bytes %q", len(e.Excerpt), e.Excerpt)
			}
			if tc.requestID != "" && e.RequestID != tc.requestID {
				t.Errorf("RequestID = %q; want %q", e.RequestID, tc.requestID)
			}
			if len(e.Causes) != tc.causesCount {
				t.Errorf("Causes = %q; want %d", e.Causes, tc.causesCount)
			}
			if e.RetryAfter != tc.retryAfter {
				t.Errorf("RetryAfter = %v; want %v", e.RetryAfter, tc.retryAfter)
			}
			for _, s := range []string{e.Error(), strings.Join(e.Causes, ";"), e.Excerpt} {
				if strings.Contains(s, token) || strings.Contains(s, secret) {
					t.Errorf("a secret survived classification: %q", s)
				}
				if strings.Contains(s, "tenant=acme") {
					t.Errorf("the query string leaked: %q", s)
				}
			}
		})
	}
}

// TestClassifyResponseMatchesErrbody checks that classification keeps what
// the errbody parser found for every shape it knows, so the two never drift.
func TestClassifyResponseMatchesErrbody(t *testing.T) {
	u, _ := url.Parse("https://auth.example.com/revoke")
	bodies := []string{
		`{"error":"invalid_request","error_description":"d","error_uri":"https://e.example/doc"}`,
		`{"errorCode":"E0000047","errorSummary":"s","errorLink":"E0000047","errorId":"id1","errorCauses":[{"errorSummary":"c1"},{"errorSummary":"c2"}]}`,
		`{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}`,
		`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`,
		`{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest"}`,
		`{"ok":false,"error":"invalid_auth"}`,
		`{"errors":[{"code":89,"message":"Invalid or expired token."}]}`,
		"error=invalid_client&error_description=bad",
	}
	for _, body := range bodies {
		b := errbody.Parse([]byte(body))
		e := wire.ClassifyResponse("op", u, 400, http.Header{}, []byte(body), nil)
		if e.Code != b.Code || e.Description != b.Description || e.URI != b.URI || e.RequestID != b.RequestID || strings.Join(e.Causes, "|") != strings.Join(b.Causes, "|") || e.Excerpt != "" {
			t.Errorf("body %s: error %+v does not carry the parsed body %+v", body, e, b)
		}
	}
}
