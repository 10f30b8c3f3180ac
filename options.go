package revoke

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults used when an option is not given.
const (
	DefaultMaxRetries       = 3
	DefaultMinBackoff       = 250 * time.Millisecond
	DefaultMaxBackoff       = 5 * time.Second
	DefaultMaxWait          = 30 * time.Second
	DefaultMaxResponseBytes = 1 << 20
)

// RetryPolicy controls retries of connection failures and of 429, 502, 503
// and 504 answers. Zero fields take the defaults above; negative values are
// rejected by the adapter's constructor.
type RetryPolicy struct {
	// MaxRetries is how many times a request is retried after the first
	// attempt. Default 3. Use WithoutRetry for none.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the jittered exponential backoff used
	// when the server gives no wait signal.
	MinBackoff time.Duration
	MaxBackoff time.Duration
	// MaxWait caps any single wait, including one the server asks for with
	// Retry-After or a rate-limit reset header. When the server asks for
	// more, the call returns at once with ErrRateLimited or ErrUnavailable
	// and Error.RetryAfter set, instead of sleeping. Default 30s.
	MaxWait time.Duration
}

// Options are the settings shared by every adapter, resolved from a list of
// Option values by BuildOptions. Adapters read them; callers use the With*
// functions.
type Options struct {
	// HTTPClient sends requests. Never mutated: the SDK works on a shallow
	// copy so it can refuse redirects. Default: a client with a 30s timeout
	// and its own transport.
	HTTPClient *http.Client
	// Retry is the retry policy; NoRetry disables retries.
	Retry   RetryPolicy
	NoRetry bool
	// Logger receives debug records with secrets redacted. Nil: no logging.
	Logger *slog.Logger
	// UserAgent is sent as User-Agent; default "revoke-go/<Version>".
	UserAgent string
	// AllowInsecureHTTP permits plain http:// to non-loopback hosts.
	AllowInsecureHTTP bool
	// MaxResponseBytes bounds how much of a response body is read.
	MaxResponseBytes int64

	errs []error
}

// Option configures an adapter. Options are shared by every adapter.
type Option func(*Options)

// WithHTTPClient sends requests through c (for proxies, mTLS, custom
// transports, or an httpmock transport in tests). c is not modified.
func WithHTTPClient(c *http.Client) Option {
	return func(o *Options) {
		if c == nil {
			o.errs = append(o.errs, &ConfigError{Field: "WithHTTPClient", Problem: "client is nil: pass an *http.Client or omit the option"})
			return
		}
		o.HTTPClient = c
	}
}

// WithRetry sets the retry policy. Zero fields keep their defaults.
func WithRetry(p RetryPolicy) Option {
	return func(o *Options) {
		if p.MaxRetries < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxWait < 0 {
			o.errs = append(o.errs, &ConfigError{Field: "WithRetry", Problem: fmt.Sprintf("negative value in %+v: use 0 for the default, or WithoutRetry to disable retries", p)})
			return
		}
		o.Retry = p
		o.NoRetry = false
	}
}

// WithoutRetry disables retries: every call makes exactly one attempt.
func WithoutRetry() Option {
	return func(o *Options) { o.NoRetry = true }
}

// WithLogger enables debug logging of requests and retries to l. Tokens,
// secrets, assertions, Authorization headers and query strings are never
// logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *Options) { o.Logger = l }
}

// WithUserAgent replaces the default User-Agent "revoke-go/<Version>".
func WithUserAgent(ua string) Option {
	return func(o *Options) { o.UserAgent = ua }
}

// WithInsecureHTTP permits plain http:// endpoints on non-loopback hosts.
// Loopback hosts (localhost, 127.0.0.0/8, ::1) are always permitted. Only
// use this on a network you trust: credentials travel in clear text.
func WithInsecureHTTP() Option {
	return func(o *Options) { o.AllowInsecureHTTP = true }
}

// WithMaxResponseBytes bounds how much of any response body is read
// (default 1 MiB). The rest is discarded.
func WithMaxResponseBytes(n int64) Option {
	return func(o *Options) {
		if n <= 0 {
			o.errs = append(o.errs, &ConfigError{Field: "WithMaxResponseBytes", Problem: fmt.Sprintf("%d is not positive: pass a byte count such as 1<<20", n)})
			return
		}
		o.MaxResponseBytes = n
	}
}

// BuildOptions applies opts over the defaults and reports the first invalid
// option. Adapters call it in their constructors.
func BuildOptions(opts ...Option) (Options, error) {
	o := Options{}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		opt(&o)
	}
	if len(o.errs) > 0 {
		return Options{}, o.errs[0]
	}
	if o.Retry.MaxRetries == 0 {
		o.Retry.MaxRetries = DefaultMaxRetries
	}
	if o.Retry.MinBackoff == 0 {
		o.Retry.MinBackoff = DefaultMinBackoff
	}
	if o.Retry.MaxBackoff == 0 {
		o.Retry.MaxBackoff = DefaultMaxBackoff
	}
	if o.Retry.MaxBackoff < o.Retry.MinBackoff {
		o.Retry.MaxBackoff = o.Retry.MinBackoff
	}
	if o.Retry.MaxWait == 0 {
		o.Retry.MaxWait = DefaultMaxWait
	}
	if o.NoRetry {
		o.Retry.MaxRetries = 0
	}
	if o.UserAgent == "" {
		o.UserAgent = "revoke-go/" + Version
	}
	if o.MaxResponseBytes == 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	return o, nil
}
