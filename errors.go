package revoke

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors. Every error returned by a Revoker in this module is a
// *Error (or wraps one) whose Is method matches the sentinel that classifies
// it, so callers branch with errors.Is regardless of vendor:
//
//	if errors.Is(err, revoke.ErrInvalidClient) { /* fix credentials */ }
//
// Classification follows the server's error code, not the HTTP status:
// invalid_client is ErrInvalidClient whether the vendor said 400 or 401.
var (
	// ErrInvalidClient: client authentication failed (RFC 6749 §5.2
	// invalid_client; OneLogin "Authentication Failure").
	ErrInvalidClient = errors.New("revoke: invalid client")
	// ErrInvalidRequest: the request was malformed (RFC 6749 §5.2).
	ErrInvalidRequest = errors.New("revoke: invalid request")
	// ErrUnauthorizedClient: the client may not revoke this token
	// (RFC 6749 §5.2 unauthorized_client).
	ErrUnauthorizedClient = errors.New("revoke: unauthorized client")
	// ErrUnsupportedTokenType: the server cannot revoke this type of token
	// (RFC 7009 §2.2.1). Some vendors (OneLogin OIDC) also answer this for a
	// token that was already revoked.
	ErrUnsupportedTokenType = errors.New("revoke: unsupported token type")
	// ErrInvalidToken: the server says the token is invalid, expired or
	// already revoked (Google, Salesforce). The token does not work either way.
	ErrInvalidToken = errors.New("revoke: invalid token")
	// ErrRateLimited: the server answered 429, and either the retries ran
	// out or it asked to wait longer than the retry cap allows. RetryAfter
	// on the *Error says how long to wait.
	ErrRateLimited = errors.New("revoke: rate limited")
	// ErrUnavailable: the server could not be reached or answered 502, 503
	// or 504. Per RFC 7009 §2.2.1 the token may still be valid: retry later.
	ErrUnavailable = errors.New("revoke: server unavailable")
	// ErrInsecureEndpoint: the endpoint is plain http to a non-loopback
	// host. Use https, or WithInsecureHTTP for a trusted network.
	ErrInsecureEndpoint = errors.New("revoke: insecure endpoint")
	// ErrRedirect: the server answered with a redirect, which is never
	// followed (credentials would go to another place).
	ErrRedirect = errors.New("revoke: redirect not followed")
	// ErrNotFound: the resource does not exist (HTTP 404; Okta E0000007).
	ErrNotFound = errors.New("revoke: not found")
	// ErrForbidden: the credentials lack permission (HTTP 403; Okta E0000006).
	ErrForbidden = errors.New("revoke: forbidden")
	// ErrServer: the server failed (HTTP 500 or another 5xx not retried).
	ErrServer = errors.New("revoke: server error")
	// ErrUnexpectedResponse: the server's answer fits no documented shape.
	ErrUnexpectedResponse = errors.New("revoke: unexpected response")
	// ErrUnsupported: the vendor offers no way to do what was asked (Spotify
	// has no revocation endpoint; Auth0 revokes refresh tokens only).
	ErrUnsupported = errors.New("revoke: unsupported by the vendor")
)

// Error is a failed revocation or admin call. It carries everything the
// server said that is safe to show, and nothing secret: no token, client
// secret, assertion or Authorization header ever appears in it. Any response
// excerpt it keeps has had the request's secrets scrubbed out.
type Error struct {
	// Op names the operation, e.g. "okta revoke" or "okta list user tokens".
	Op string
	// Endpoint is the scheme, host and path called (never the query).
	Endpoint string
	// StatusCode is the HTTP status, or 0 if no response was received.
	StatusCode int
	// Code is the RFC 6749 "error" value, or the vendor's own code (Okta
	// "E0000047", OneLogin's envelope type).
	Code string
	// Description is the server's human-readable explanation.
	Description string
	// URI is the RFC 6749 error_uri or Okta errorLink.
	URI string
	// RequestID is the vendor's request or trace ID (Okta errorId,
	// X-Request-Id), for support tickets.
	RequestID string
	// Causes lists detail messages (Okta errorCauses).
	Causes []string
	// RetryAfter is how long the server asked the caller to wait, when it
	// said so (Retry-After or a rate-limit reset header).
	RetryAfter time.Duration
	// Attempts is 1 plus the number of retries made.
	Attempts int
	// Excerpt is a bounded, secret-scrubbed excerpt of a response body that
	// fits no known error shape (an HTML error page, truncated JSON).
	Excerpt string
	// Kind is the sentinel this error matches with errors.Is.
	Kind error
	// Err is the underlying cause, if any (a network error, a context
	// error). errors.Is(err, context.DeadlineExceeded) sees through it.
	Err error
}

// Error implements error. The message names the operation, the endpoint, the
// status and what the server said.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.kindText())
	if e.Op != "" {
		b.WriteString(": ")
		b.WriteString(e.Op)
	}
	if e.Endpoint != "" {
		b.WriteString(" ")
		b.WriteString(e.Endpoint)
	}
	if e.StatusCode != 0 {
		b.WriteString(": HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
	}
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if len(e.Causes) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(e.Causes, "; "))
		b.WriteString(")")
	}
	if e.Excerpt != "" {
		b.WriteString(": body: ")
		b.WriteString(strconv.Quote(e.Excerpt))
	}
	if e.RetryAfter > 0 {
		b.WriteString(": retry after ")
		b.WriteString(e.RetryAfter.String())
	}
	if e.Attempts > 1 {
		b.WriteString(" (after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts)")
	}
	if e.RequestID != "" {
		b.WriteString(" [request id ")
		b.WriteString(e.RequestID)
		b.WriteString("]")
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) kindText() string {
	if e.Kind != nil {
		return e.Kind.Error()
	}
	return "revoke: error"
}

// Is reports whether target is the sentinel this error is classified as.
func (e *Error) Is(target error) bool {
	return e.Kind != nil && target == e.Kind
}

// Unwrap returns the underlying cause (network or context error), if any.
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether retrying the same request later may succeed
// (rate limiting, unavailability, network failure).
func (e *Error) Temporary() bool {
	return e.Kind == ErrRateLimited || e.Kind == ErrUnavailable
}

// ConfigError reports a bad configuration or argument detected before any
// request is sent. Its message names the field and how to fix it.
type ConfigError struct {
	// Field names the offending setting, e.g. "okta.Config.Domain".
	Field string
	// Problem says what is wrong and how to fix it.
	Problem string
	// Kind is an optional sentinel (ErrInsecureEndpoint) matched by errors.Is.
	Kind error
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("revoke: %s: %s", e.Field, e.Problem)
}

// Is matches e.Kind.
func (e *ConfigError) Is(target error) bool { return e.Kind != nil && target == e.Kind }
