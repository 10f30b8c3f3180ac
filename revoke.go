package revoke

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/revokekit/revoke/internal/redact"
)

// Version is the SDK version sent in the User-Agent header as
// "revoke-go/<Version>".
const Version = "0.1.0"

// Revoker makes a token stop working at an authorization server.
//
// Implementations encode one vendor's wire quirks; callers see the same
// contract everywhere: a nil error means the server acknowledged the
// revocation request (which, per RFC 7009 §2.2, includes tokens that were
// already invalid or unknown). A non-nil error is a *Error, or wraps one,
// that can be classified with errors.Is against the sentinel errors of this
// package.
type Revoker interface {
	Revoke(ctx context.Context, req Request) (*Result, error)
}

// RevokerFunc adapts an ordinary function to the Revoker interface, which is
// handy for fakes in tests and for decorators (logging, metrics, fan-out).
type RevokerFunc func(ctx context.Context, req Request) (*Result, error)

// Revoke calls f(ctx, req).
func (f RevokerFunc) Revoke(ctx context.Context, req Request) (*Result, error) {
	return f(ctx, req)
}

// TokenTypeHint is the RFC 7009 §2.1 token_type_hint parameter: a hint about
// the type of the submitted token that may let the server find it faster.
// It carries any registered or vendor value; each adapter checks it against
// what its vendor documents and refuses the others before sending. The
// empty hint sends no parameter.
type TokenTypeHint string

// Token type hints registered for RFC 7009 §2.1, and device_secret
// (OpenID Connect Native SSO 1.0 §4.1), which Okta revokes.
const (
	HintNone         TokenTypeHint = ""
	HintAccessToken  TokenTypeHint = "access_token"
	HintRefreshToken TokenTypeHint = "refresh_token"
	HintDeviceSecret TokenTypeHint = "device_secret"
)

// Request is one revocation.
//
// Token is a secret: it is sent to the vendor and nowhere else. Printing a
// Request with any fmt verb, marshalling it to JSON or logging it with slog
// shows "[REDACTED]" in its place.
type Request struct {
	// Token is the access or refresh token to revoke. Required.
	Token string
	// Hint is the optional RFC 7009 token_type_hint.
	Hint TokenTypeHint
	// Params are extra form parameters a vendor may need. They may not
	// override the token, the hint or any client authentication parameter;
	// an attempt to do so is an error, never a silent override.
	Params url.Values
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s, %q)
// prints the request with its token redacted.
func (r Request) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoke.Request", [][2]string{
		{"Token", redact.IfSet(r.Token)},
		{"Hint", strconv.Quote(string(r.Hint))},
		{"Params", fmt.Sprint(paramKeys(r.Params))},
	})
}

// LogValue implements slog.LogValuer: the token never reaches a log handler.
func (r Request) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("token", redact.IfSet(r.Token)),
		slog.String("hint", string(r.Hint)),
		slog.Any("params", paramKeys(r.Params)),
	)
}

// MarshalJSON implements json.Marshaler with the token redacted, so that a
// Request embedded in an audit record cannot leak it.
func (r Request) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Token  string   `json:"token"`
		Hint   string   `json:"hint,omitempty"`
		Params []string `json:"params,omitempty"`
	}{redact.IfSet(r.Token), string(r.Hint), paramKeys(r.Params)})
}

// Result describes a successful revocation call.
type Result struct {
	// StatusCode is the HTTP status of the final response.
	StatusCode int
	// Attempts is 1 plus the number of retries made.
	Attempts int
	// RateLimit is what the server said about its rate limits, or nil when
	// it sent no rate-limit headers.
	RateLimit *RateLimit
	// RequestID is the vendor's request or trace identifier, when it sent
	// one: quote it in a support ticket.
	RequestID string
	// AlreadyInvalid reports that the server said the token was already
	// invalid, expired, revoked or unknown. The call still succeeded: the
	// token does not work, which is what a revocation is for.
	AlreadyInvalid bool
	// Vendor holds what only one vendor reports, for its package to read:
	// wso2.Details(res), for instance. Nil when the vendor reports nothing
	// more.
	Vendor any
}

// RateLimit is a server's rate-limit report, read from the response headers
// its vendor uses (X-Rate-Limit-* at Okta, X-RateLimit-* at Auth0, GitHub
// and OneLogin).
type RateLimit struct {
	// Limit is the request ceiling for the current window, or -1 if not sent.
	Limit int
	// Remaining is how many requests are left in the window, or -1 if not sent.
	Remaining int
	// Reset is when the window resets, on the local clock (server clock skew
	// is removed using the response Date header). Zero if not sent.
	Reset time.Time
}

// Secret is a string that never prints. Every fmt verb, slog and
// encoding/json show "[REDACTED]" (or "" when empty); call Reveal to get the
// value.
type Secret string

// Redacted is what printing a secret shows.
const Redacted = redact.Marker

// Reveal returns the secret value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer with the value redacted.
func (s Secret) String() string { return redact.IfSet(string(s)) }

// GoString implements fmt.GoStringer with the value redacted.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// Format implements fmt.Formatter so that every verb is redacted.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'q' || (verb == 'v' && f.Flag('#')) {
		fmt.Fprint(f, strconv.Quote(s.String()))
		return
	}
	fmt.Fprint(f, s.String())
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON implements json.Marshaler with the value redacted.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Format implements fmt.Formatter so that %#v of a *Result cannot reach the
// vendor secrets it holds.
func (r Result) Format(f fmt.State, verb rune) {
	rl := "nil"
	if r.RateLimit != nil {
		rl = fmt.Sprintf("{Limit:%d Remaining:%d Reset:%s}", r.RateLimit.Limit, r.RateLimit.Remaining, r.RateLimit.Reset.Format(time.RFC3339))
	}
	redact.Format(f, verb, "revoke.Result", [][2]string{
		{"StatusCode", strconv.Itoa(r.StatusCode)},
		{"Attempts", strconv.Itoa(r.Attempts)},
		{"RateLimit", rl},
		{"RequestID", strconv.Quote(r.RequestID)},
		{"AlreadyInvalid", strconv.FormatBool(r.AlreadyInvalid)},
		{"Vendor", vendorString(r.Vendor)},
	})
}

// paramKeys lists parameter names only: values may be secret.
func paramKeys(v url.Values) []string {
	if len(v) == 0 {
		return nil
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// vendorString prints vendor details with %+v, which reaches the vendor
// type's own redacting Formatter.
func vendorString(v any) string {
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", v)
}
