package adapter

import (
	"net/http"
	"time"

	"github.com/revokekit/revoke/internal/ratelimit"
)

// Profile holds what is the same for every call to one vendor. Its zero
// value describes a plain RFC 6749 server.
type Profile struct {
	// Name names the vendor in operation names, e.g. "okta".
	Name string
	// RateLimit names the headers carrying the vendor's rate limit. The
	// zero value reads X-Rate-Limit-* (Okta's spelling) and then
	// X-RateLimit-*, with ResetAuto.
	RateLimit RateLimitHeaders
	// RequestIDHeaders are the response headers carrying the vendor's
	// request ID, first match wins. Nil means X-Request-Id and
	// X-Correlation-Id.
	RequestIDHeaders []string
	// ParseError reads the vendor's own error-body shape (Okta's
	// errorCode, OneLogin's status envelope). It is tried before the RFC
	// 6749 §5.2 shape; ok false means "not this shape". It must not panic
	// and must not cut fields: the kit scrubs them first, then cuts.
	ParseError func(body []byte) (b ErrorBody, ok bool)
	// Classify maps the vendor's error codes to a root sentinel (such as
	// revoke.ErrRateLimited for Okta's E0000047), or returns nil to keep
	// the kit's classification, which knows the RFC 6749 §5.2 and RFC 7009
	// §2.2.1 codes and, failing those, the HTTP status.
	Classify func(status int, b ErrorBody) error
	// Retryable marks further answers as retried like a 429: a vendor that
	// throttles with another status (Cognito's API answers
	// TooManyRequestsException with 400). It sees the answers the kit
	// does not retry on its own, with the body parsed by ParseError, and
	// must not panic.
	Retryable func(status int, b ErrorBody) bool
}

// RateLimitHeaders names a vendor's rate-limit response headers.
type RateLimitHeaders struct {
	Limit, Remaining, Reset string
	// ResetFormat says how Reset counts.
	ResetFormat ResetFormat
	// ResetMargin is added to a wait for an epoch reset after a 429, for
	// vendors that ask for it (Okta recommends one second). Proactive
	// pacing learns the server's clock from its Date headers instead.
	ResetMargin time.Duration
}

// ResetFormat says how a reset header counts.
type ResetFormat int

const (
	// ResetAuto reads values of 10^9 and more as epoch seconds and smaller
	// ones as seconds remaining.
	ResetAuto ResetFormat = iota
	// ResetEpoch reads epoch seconds (Okta, Auth0, GitHub).
	ResetEpoch
	// ResetSeconds reads seconds remaining (OneLogin).
	ResetSeconds
)

func (h RateLimitHeaders) scheme() ratelimit.Scheme {
	f := ratelimit.ResetAuto
	switch h.ResetFormat {
	case ResetEpoch:
		f = ratelimit.ResetEpoch
	case ResetSeconds:
		f = ratelimit.ResetDelta
	}
	return ratelimit.Scheme{Limit: canonical(h.Limit), Remaining: canonical(h.Remaining), Reset: canonical(h.Reset), Format: f}
}

// canonical is the header name as net/http keys it, so that every answer's
// headers are looked up without canonicalizing the name again.
func canonical(name string) string {
	if name == "" {
		return ""
	}
	return http.CanonicalHeaderKey(name)
}

// ErrorBody is what an error body said, before the kit scrubs it.
type ErrorBody struct {
	// Code is the machine-readable error: RFC 6749 "error", Okta
	// "errorCode", OneLogin's envelope type.
	Code string
	// Description is the human-readable text.
	Description string
	// URI is the RFC 6749 error_uri or a documentation link.
	URI string
	// RequestID is a request ID carried in the body (Okta errorId).
	RequestID string
	// Causes are detail messages (Okta errorCauses); the kit keeps at most
	// 16.
	Causes []string
}
