package logout

import (
	"errors"
	"strconv"
	"time"

	"github.com/revokekit/revoke"
)

// Errors the application's callback returns (wrapped or not) to choose the
// answer the identity provider gets. Any other non-nil error is a server
// failure: 500, with nothing of the error in the response.
var (
	// ErrUnknownSubject: the application has no such user. Global Token
	// Revocation answers 404 (draft-parecki-oauth-global-token-revocation-06
	// §3.4.2). Back-Channel Logout answers 200: a user with no session here
	// is logged out (OpenID Connect Back-Channel Logout 1.0 §2.7).
	ErrUnknownSubject = errors.New("logout: unknown subject")
	// ErrCannotRevoke: the user exists but the application cannot log them
	// out. Global Token Revocation answers 422 (draft §3.4.2, "Unable to
	// Process Request"); Back-Channel Logout answers 400, which §2.8 asks for
	// when the logout failed.
	ErrCannotRevoke = errors.New("logout: cannot revoke")
	// ErrForbidden: the authenticated caller may not log out this subject
	// (for example a tenant's identity provider naming another tenant's
	// user; draft §6.1 and §6.2 ask servers to scope callers this way).
	// Global Token Revocation answers 403 (draft §3.4.2); Back-Channel Logout
	// answers 400 (§2.8).
	ErrForbidden = errors.New("logout: caller may not log out this subject")
	// ErrReplayCacheFull is returned by a [MemoryReplayCache] that holds as
	// many unexpired JWT IDs as its capacity allows. The handlers then fail
	// closed with 503 rather than forget an ID and allow its replay.
	ErrReplayCacheFull = errors.New("logout: replay cache full")
)

// Kind says which protocol delivered an [Event].
type Kind int

// The protocols.
const (
	// GlobalTokenRevocation: draft-parecki-oauth-global-token-revocation-06
	// (Okta Universal Logout).
	GlobalTokenRevocation Kind = iota + 1
	// BackChannelLogout: OpenID Connect Back-Channel Logout 1.0.
	BackChannelLogout
)

// String returns "global_token_revocation" or "backchannel_logout".
func (k Kind) String() string {
	switch k {
	case GlobalTokenRevocation:
		return "global_token_revocation"
	case BackChannelLogout:
		return "backchannel_logout"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// SubjectFormat is an RFC 9493 §3.2 Identifier Format name: the SDK's
// revoke.SubjectFormat, so that what a logout handler receives is what a
// revoke.SubjectRevoker takes.
type SubjectFormat = revoke.SubjectFormat

// The subject identifier formats the handlers accept (RFC 9493 §3.2.2,
// §3.2.3, §3.2.4). Global Token Revocation requests naming any other format
// are refused with 400 (draft §3.4.2: "an unrecognized or unsupported type of
// subject identifier").
const (
	// FormatEmail: {"format":"email","email":"user@example.com"}
	// (RFC 9493 §3.2.2). Subject.Email is set.
	FormatEmail = revoke.FormatEmail
	// FormatIssSub: {"format":"iss_sub","iss":"…","sub":"…"} (RFC 9493
	// §3.2.3). Subject.Iss and Subject.Sub are set. Back-Channel Logout
	// events with a sub claim use this format too, with the logout token's
	// iss and sub.
	FormatIssSub = revoke.FormatIssSub
	// FormatOpaque: {"format":"opaque","id":"…"} (RFC 9493 §3.2.4).
	// Subject.ID is set.
	FormatOpaque = revoke.FormatOpaque
)

// Subject identifies the user whose sessions end: an RFC 9493 §3 subject
// identifier, the SDK's revoke.Subject, so an event can be handed straight
// to a revoke.SubjectRevoker (end at the application what the identity
// provider ended). Only the fields of its Format are set.
//
// A Back-Channel Logout token that names only a session (sid, no sub) gives
// the zero Subject (Format "", IsZero true): end the session
// [Event].SessionID names.
type Subject = revoke.Subject

// Event is one verified logout request, handed to the application's
// callback. It carries what the identity provider said, never the JWT that
// said it.
type Event struct {
	// Kind is the protocol that delivered the request.
	Kind Kind
	// Issuer is the iss of the verified JWT: the identity provider that
	// asked. Use it to scope what that caller may log out (draft §6.1).
	Issuer string
	// Subject is the user whose sessions end. For Global Token Revocation it
	// is the request's sub_id; for Back-Channel Logout it is {iss_sub, iss,
	// sub} when the logout token has a sub claim, and zero otherwise.
	Subject Subject
	// SessionID is the Back-Channel Logout sid claim (§2.4): end only the
	// sessions established with this OP session. Empty when absent and for
	// Global Token Revocation, which ends every session of the subject.
	SessionID string
	// JWTID is the jti of the verified JWT, for audit records. It is an
	// identifier, not a credential.
	JWTID string
	// IssuedAt is the iat of the verified JWT. A session that began after
	// this instant was not meant by the request.
	IssuedAt time.Time
}
