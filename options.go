package revoke

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/revokekit/revoke/internal/bridge"
)

// Defaults used when an option is not given.
const (
	// DefaultMaxRetries is how many times a call is retried after its first
	// attempt.
	DefaultMaxRetries = bridge.DefaultMaxRetries
	// DefaultMinBackoff and DefaultMaxBackoff bound the jittered exponential
	// backoff used when the server gives no wait signal.
	DefaultMinBackoff = bridge.DefaultMinBackoff
	DefaultMaxBackoff = bridge.DefaultMaxBackoff
	// DefaultMaxWait caps any single wait, including one the server asks for.
	DefaultMaxWait = bridge.DefaultMaxWait
	// DefaultTimeout bounds a call whose context has no deadline.
	DefaultTimeout = bridge.DefaultTimeout
	// DefaultMaxResponseBytes bounds how much of a response body is read.
	DefaultMaxResponseBytes = bridge.DefaultMaxResponseBytes
)

// RetryPolicy controls retries of connection failures and of 429, 502, 503
// and 504 answers. Zero fields take the defaults; negative values are
// refused by the adapter's constructor.
type RetryPolicy struct {
	// MaxRetries is how many times a request is retried after the first
	// attempt. Default 3. Use WithoutRetry for none.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the jittered exponential backoff used
	// when the server gives no wait signal.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxWait caps any single wait, including one the server asks for with
	// Retry-After or a rate-limit reset header, and a proactive wait for a
	// spent rate-limit window. When the server asks for more, the call
	// returns at once with ErrRateLimited or ErrUnavailable and
	// Error.RetryAfter set, instead of sleeping. Default 30s.
	MaxWait time.Duration
}

// Option configures an adapter. Options are opaque values shared by every
// adapter; build them with the With functions of this package.
type Option interface {
	option()
}

// optionFunc is the one Option implementation. ApplySettings is how the
// adapter kit reads it (see internal/bridge).
type optionFunc func(*bridge.Settings)

func (optionFunc) option() {}

// ApplySettings applies the option. It is not part of the Option contract.
func (f optionFunc) ApplySettings(s *bridge.Settings) { f(s) }

func optionError(field, problem string) optionFunc {
	return func(s *bridge.Settings) {
		s.Errs = append(s.Errs, &ConfigError{Field: field, Problem: problem, Kind: ErrInvalidRequest})
	}
}

// WithHTTPClient sends requests through c (for proxies, custom TLS, or an
// httpmock transport in tests). c is never modified: the SDK works on a
// shallow copy that refuses redirects. Its Timeout, when set, applies to
// each attempt; otherwise each call is bounded as WithTimeout says.
//
// Without this option requests go through http.DefaultTransport, looked up
// for every request, so a test's httpmock.Activate() intercepts them.
func WithHTTPClient(c *http.Client) Option {
	if c == nil {
		return optionError("WithHTTPClient", "client is nil: pass an *http.Client or omit the option")
	}
	return optionFunc(func(s *bridge.Settings) { s.HTTPClient = c })
}

// WithRetry sets the retry policy. Zero fields keep their defaults.
func WithRetry(p RetryPolicy) Option {
	if p.MaxRetries < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxWait < 0 {
		return optionError("WithRetry", fmt.Sprintf("negative value in %+v: use 0 for the default, or WithoutRetry to disable retries", p))
	}
	return optionFunc(func(s *bridge.Settings) {
		s.MaxRetries, s.MinBackoff, s.MaxBackoff, s.MaxWait = p.MaxRetries, p.MinBackoff, p.MaxBackoff, p.MaxWait
		s.NoRetry = false
	})
}

// WithoutRetry disables retries: every call makes exactly one attempt.
func WithoutRetry() Option {
	return optionFunc(func(s *bridge.Settings) { s.NoRetry = true })
}

// WithTimeout bounds each call, all its attempts and waits included, when
// the call's context has no deadline and the client given with
// WithHTTPClient sets no Timeout of its own. Default 30s. Give a context
// with a deadline to bound calls more tightly, or more loosely.
func WithTimeout(d time.Duration) Option {
	if d <= 0 {
		return optionError("WithTimeout", fmt.Sprintf("%s is not positive: pass a duration such as 10*time.Second", d))
	}
	return optionFunc(func(s *bridge.Settings) { s.Timeout = d })
}

// WithLogger enables debug logging of requests and retries to l. Tokens,
// secrets, assertions, proofs, Authorization headers and query strings are
// never logged.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(s *bridge.Settings) { s.Logger = l })
}

// WithUserAgent replaces the default User-Agent "revoke-go/<Version>". A
// value with a control character (CR, LF, NUL, DEL, the C1 controls such as
// U+0085) or invalid UTF-8 is refused: it would corrupt the request.
func WithUserAgent(ua string) Option {
	if !utf8.ValidString(ua) {
		return optionError("WithUserAgent", "is not valid UTF-8: pass a plain product token such as \"myapp/1.2\"")
	}
	for i, r := range ua {
		if unicode.IsControl(r) { // C0, DEL and C1 (U+0080–U+009F)
			return optionError("WithUserAgent", fmt.Sprintf("contains the control character %q at byte %d: a header value may not; pass a plain product token such as \"myapp/1.2\"", r, i))
		}
	}
	return optionFunc(func(s *bridge.Settings) { s.UserAgent = ua })
}

// WithInsecureHTTP permits plain http:// endpoints on non-loopback hosts.
// Loopback addresses (127.0.0.0/8, ::1) and the name "localhost" are
// always permitted. Only use this on a network you trust: credentials
// travel in clear text.
func WithInsecureHTTP() Option {
	return optionFunc(func(s *bridge.Settings) { s.AllowInsecureHTTP = true })
}

// WithMaxResponseBytes bounds how much of any response body is read
// (default 1 MiB). The rest is discarded.
func WithMaxResponseBytes(n int64) Option {
	if n <= 0 {
		return optionError("WithMaxResponseBytes", fmt.Sprintf("%d is not positive: pass a byte count such as 1<<20", n))
	}
	return optionFunc(func(s *bridge.Settings) { s.MaxResponseBytes = n })
}
