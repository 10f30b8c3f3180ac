package bulk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/revokekit/revoke"
)

// ErrStillActive is the error of an item that the vendor acknowledged but
// that the Config.Verify check found still active afterwards. Such an item
// is Failed, is not retried within the run, and is retried by a resumed run
// (whatever Config.SkipPermanentFailures says).
var ErrStillActive = errors.New("bulk: token still active after revocation")

// ErrInvalidInput matches every *InputError.
var ErrInvalidInput = errors.New("bulk: invalid input")

// errPanic is the kind of a Revoker or Verifier that panicked.
var errPanic = errors.New("bulk: panic")

// Kind names (see Kind) for errors that are not revoke sentinels, and for
// the reasons a resumed run skips an item.
const (
	// KindStillActive: ErrStillActive.
	KindStillActive = "still_active"
	// KindCanceled: context.Canceled.
	KindCanceled = "canceled"
	// KindDeadlineExceeded: context.DeadlineExceeded, such as a Revoker's
	// own per-call timeout.
	KindDeadlineExceeded = "deadline_exceeded"
	// KindConfig: a *revoke.ConfigError returned by the Revoker (a hint
	// its vendor does not take, for instance).
	KindConfig = "config"
	// KindPanic: the Revoker or the Verifier panicked.
	KindPanic = "panic"
	// KindOther: any other error.
	KindOther = "error"

	// KindDoneBefore: a Skipped item recorded as revoked or already
	// invalid by an earlier run.
	KindDoneBefore = "done_before"
	// KindFailedBefore: a Skipped item whose last recorded failure was
	// permanent, with Config.SkipPermanentFailures.
	KindFailedBefore = "failed_before"
)

// sentinelKinds names the revoke sentinels, in the order they are checked.
var sentinelKinds = []struct {
	err  error
	name string
}{
	{revoke.ErrRateLimited, "rate_limited"},
	{revoke.ErrUnavailable, "unavailable"},
	{revoke.ErrInvalidClient, "invalid_client"},
	{revoke.ErrInvalidRequest, "invalid_request"},
	{revoke.ErrUnauthorizedClient, "unauthorized_client"},
	{revoke.ErrUnsupportedTokenType, "unsupported_token_type"},
	{revoke.ErrInvalidToken, "invalid_token"},
	{revoke.ErrInsecureEndpoint, "insecure_endpoint"},
	{revoke.ErrRedirect, "redirect"},
	{revoke.ErrNotFound, "not_found"},
	{revoke.ErrForbidden, "forbidden"},
	{revoke.ErrServer, "server_error"},
	{revoke.ErrUnexpectedResponse, "unexpected_response"},
	{revoke.ErrUnsupported, "unsupported"},
}

// Kind names the class of err as the journal and Summary.FailedByKind do:
// "rate_limited", "unavailable", "invalid_client" and the other revoke
// sentinels in snake case (ErrServer is "server_error"); "still_active";
// an *InputError's Code; "config" for a *revoke.ConfigError; "canceled" and
// "deadline_exceeded" for context errors; "panic"; "error" for anything
// else. A revoke sentinel added after this package was written is named
// from its text ("revoke: gone away" is "gone_away"). The result is always
// made of lower-case ASCII letters, digits and underscores, never text a
// server sent. Kind(nil) is "".
func Kind(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, ErrStillActive) {
		return KindStillActive
	}
	if errors.Is(err, errPanic) {
		return KindPanic
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return safeName(ie.Code, "invalid_input")
	}
	var re *revoke.Error
	if errors.As(err, &re) && re.Kind != nil {
		return sentinelName(re.Kind)
	}
	for _, s := range sentinelKinds {
		if errors.Is(err, s.err) {
			return s.name
		}
	}
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		return KindConfig
	}
	switch {
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, context.DeadlineExceeded):
		return KindDeadlineExceeded
	}
	return KindOther
}

// sentinelName names a revoke sentinel.
func sentinelName(kind error) string {
	for _, s := range sentinelKinds {
		if kind == s.err {
			return s.name
		}
	}
	text, ok := strings.CutPrefix(kind.Error(), "revoke: ")
	if !ok {
		return KindOther
	}
	return safeName(strings.ReplaceAll(text, " ", "_"), KindOther)
}

// safeName returns s if it is a short snake-case name, else fallback.
func safeName(s, fallback string) string {
	if s == "" || len(s) > 48 {
		return fallback
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return fallback
		}
	}
	return s
}

// temporaryKind reports whether a failure of this kind may succeed later:
// a resumed run retries it even with Config.SkipPermanentFailures.
func temporaryKind(kind string) bool {
	switch kind {
	case "rate_limited", "unavailable", KindDeadlineExceeded, KindStillActive:
		return true
	}
	return false
}

// isTemporary reports whether the engine retries err within the run.
func isTemporary(err error) bool {
	var re *revoke.Error
	if errors.As(err, &re) {
		return re.Temporary()
	}
	// A Revoker's own per-call timeout (the run's context is still alive
	// when this is asked): the vendor may answer next time.
	return errors.Is(err, context.DeadlineExceeded)
}

// isClientError reports whether err condemns every later call of the run:
// the vendor rejected the client, or the endpoint cannot be used.
func isClientError(err error) bool {
	return errors.Is(err, revoke.ErrInvalidClient) ||
		errors.Is(err, revoke.ErrInsecureEndpoint) ||
		errors.Is(err, revoke.ErrRedirect) ||
		errors.Is(err, errPanic)
}

// scrubbedError is an error whose text had the token removed. errors.Is and
// errors.As see the original; its text never shows the token.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string        { return e.msg }
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *scrubbedError) As(target any) bool   { return errors.As(e.err, target) }

// scrub returns err with every occurrence of token removed from its text.
// Errors from this module's adapters never hold the token; a third-party
// Revoker's might.
func scrub(err error, token string) error {
	if err == nil || token == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, token) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(msg, token, redacted), err: err}
}

// redacted replaces a token in error text.
const redacted = "[REDACTED]"

// panicError is a panic of the Revoker or Verifier, turned into an error.
type panicError struct{ who, msg string }

func (e *panicError) Error() string        { return "bulk: the " + e.who + " panicked: " + e.msg }
func (e *panicError) Is(target error) bool { return target == errPanic }

// newPanicError describes the panic value v of who ("Revoker"), without the
// token.
func newPanicError(who string, v any, token string) error {
	msg := fmt.Sprint(v)
	if token != "" {
		msg = strings.ReplaceAll(msg, token, redacted)
	}
	return &panicError{who: who, msg: msg}
}
