package onelogin

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// This file holds everything the SDK knows about how OneLogin answers: its
// rate-limit headers, its status envelope (the one parser of it, used by
// the kit for error bodies and by Revoker for success bodies) and its error
// codes and messages.

// profile is OneLogin's adapter.Profile, shared by Revoker, OIDCRevoker,
// TokenSource and Admin.
//
//   - Rate limit: X-RateLimit-Limit, X-RateLimit-Remaining and
//     X-RateLimit-Reset, the last in seconds remaining in the window, not an
//     epoch time
//     (https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit).
//   - Request ID: OneLogin documents none; the kit's default headers
//     (X-Request-Id, X-Correlation-Id) are read.
//   - Error bodies: the status envelope (parseError), then the kit's
//     RFC 6749 §5.2 parser, which reads the OpenID Connect endpoint's errors.
//   - Classification: classify.
var profile = adapter.Profile{
	Name: "onelogin",
	RateLimit: adapter.RateLimitHeaders{
		Limit:       "X-RateLimit-Limit",
		Remaining:   "X-RateLimit-Remaining",
		Reset:       "X-RateLimit-Reset",
		ResetFormat: adapter.ResetSeconds,
	},
	ParseError: parseError,
	Classify:   classify,
}

// envelope is OneLogin's status object, which the v1 documentation shows
// nested, {"status":{"error","code","type","message"}}, and the OpenAPI
// description (schema Error) shows flat, {"error","code","type","message"}.
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
//
// Type and Message are kept whole, as the server sent them: the kit scrubs
// them of secrets before it bounds them, and so does Revoker for a success.
type envelope struct {
	Nested bool // found under "status"
	// HasError reports whether the "error" boolean was present; the
	// OpenAPI schema makes only code and message required.
	HasError bool
	Error    bool
	Code     int // 0 when absent
	Type     string
	Message  string
	// Trailing is set when something other than white space follows the
	// envelope's JSON value (padding or junk, or a body cut at the kit's
	// bound).
	Trailing bool
}

// failed reports whether the envelope describes a failure: its "error" is
// true, or its code is present and not 2xx (a contradictory envelope is a
// failure, never a success).
func (e envelope) failed() bool {
	return e.Error || (e.Code != 0 && (e.Code < 200 || e.Code > 299))
}

// bodyKind is what parseEnvelope found.
type bodyKind int

const (
	bodyOther    bodyKind = iota // not a OneLogin envelope (HTML, truncated JSON, another shape)
	bodyEmpty                    // empty or white space only
	bodyEnvelope                 // a nested or flat envelope
)

// parseEnvelope reads a OneLogin status envelope in either shape. It never
// panics and never fails: anything else is bodyOther. An object is an
// envelope when it has a boolean "error" or a numeric "code" between 100 and
// 599; a string "error" (the RFC 6749 shape) is not an envelope. Only the
// first JSON value is read: whatever follows it (white space, padding, the
// rest of a body the kit cut at its bound) sets Trailing and is otherwise
// ignored, so a 401 envelope padded past the kit's 64 KiB bound is still
// read as the 401 envelope it is.
func parseEnvelope(body []byte) (envelope, bodyKind) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return envelope{}, bodyEmpty
	}
	if trimmed[0] != '{' {
		return envelope{}, bodyOther
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	var top map[string]json.RawMessage
	if dec.Decode(&top) != nil {
		return envelope{}, bodyOther
	}
	trailing := int(dec.InputOffset()) < len(trimmed)
	if raw, ok := top["status"]; ok {
		var inner map[string]json.RawMessage
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &inner) == nil {
			if env, ok := envelopeFields(inner); ok {
				env.Nested, env.Trailing = true, trailing
				return env, bodyEnvelope
			}
		}
	}
	if env, ok := envelopeFields(top); ok {
		env.Trailing = trailing
		return env, bodyEnvelope
	}
	return envelope{}, bodyOther
}

func envelopeFields(m map[string]json.RawMessage) (envelope, bool) {
	var env envelope
	if raw, ok := m["error"]; ok {
		if json.Unmarshal(raw, &env.Error) != nil {
			return envelope{}, false // {"error":"invalid_request"} is the OAuth shape
		}
		env.HasError = true
	}
	if raw, ok := m["code"]; ok {
		code, ok := statusCode(raw)
		if !ok {
			return envelope{}, false
		}
		env.Code = code
	}
	if !env.HasError && env.Code == 0 {
		return envelope{}, false
	}
	env.Type = text(m["type"])
	env.Message = text(m["message"])
	return env, true
}

// statusCode reads an HTTP status sent as a JSON number or numeric string.
func statusCode(raw json.RawMessage) (int, bool) {
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, false
		}
		f = float64(n)
	}
	if f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, false
	}
	return int(f), true
}

// text decodes a JSON string; a number or boolean is rendered, anything
// else is "". It does not cut: the kit scrubs, then bounds.
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		// A validation message, {"attribute":"id","description":"ID is
		// incorrect"}
		// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
		attr, _ := x["attribute"].(string)
		desc, _ := x["description"].(string)
		switch {
		case attr != "" && desc != "":
			return attr + ": " + desc
		case desc != "":
			return desc
		}
	}
	return ""
}

// parseError is the Profile's parser: a status envelope, with its type as
// the code and its message as the description. ok is false for any other
// body, which the kit then reads as RFC 6749 §5.2 or excerpts.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	env, kind := parseEnvelope(body)
	if kind != bodyEnvelope {
		return adapter.ErrorBody{}, false
	}
	return adapter.ErrorBody{Code: env.Type, Description: env.Message}, true
}

// Messages OneLogin documents for /auth/oauth2/revoke, normalized
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
const (
	msgContentType  = "content type is not specified"
	msgTokenMissing = "access token missing"
	msgAuthMissing  = "the authorization information is missing"
	msgAuthFailure  = "authentication failure"
	msgNoRoute      = "no route exists"
)

// Messages OneLogin documents for its resource APIs, normalized
// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
const (
	// msgAuthIncorrect: 400, the Authorization header is missing or not
	// "bearer:<access_token>".
	msgAuthIncorrect = "authorization information is incorrect"
	// msgInsufficient: 401, the access token's API credential lacks the
	// scope the call needs (Manage users or Manage All for a logout).
	msgInsufficient = "insufficient permission"
	// msgNotAuthorizedUser: 403, the credential may not act on this user.
	msgNotAuthorizedUser = "user is not authorized to access this user"
)

// oauthCodes are the RFC 6749 §5.2 and RFC 7009 §2.2.1 error codes: a body
// carrying one is classified by its code, never by OneLogin's messages.
var oauthCodes = map[string]bool{
	"invalid_request": true, "invalid_client": true, "invalid_grant": true, "unauthorized_client": true,
	"unsupported_grant_type": true, "invalid_scope": true, "unsupported_token_type": true,
	"server_error": true, "temporarily_unavailable": true, "access_denied": true, "invalid_token": true, "slow_down": true,
}

// classify maps what OneLogin said to a root sentinel, or returns nil to
// keep the kit's classification (RFC 6749 codes, then the HTTP status):
//
//   - OpenID Connect endpoint: a failed client authentication is 401 with
//     the non-standard error "invalid_request" (not "invalid_client")
//     (https://developers.onelogin.com/openid-connect/api/revoke-token):
//     revoke.ErrInvalidClient.
//   - API endpoint envelopes, by their documented message: "Access Token
//     Missing" and the Content-Type message are revoke.ErrInvalidRequest;
//     "The authorization information is missing" (a missing or malformed
//     Authorization header, sent as 400) and "Authentication Failure" are
//     revoke.ErrInvalidClient; "No Route Exists" is revoke.ErrNotFound.
//   - Resource API envelopes
//     (https://developers.onelogin.com/api-docs/1/users/log-user-out):
//     "Authorization Information is incorrect" (400, a malformed
//     "bearer:<token>" header) is revoke.ErrInvalidClient, like
//     "Authentication Failure" (401, an invalid or expired access token);
//     "Insufficient Permission" (401, the API credential lacks the scope)
//     and "user is not authorized to access this User" (403) are
//     revoke.ErrForbidden.
//
// b is unscrubbed: only its code and message are compared, never kept.
func classify(status int, b adapter.ErrorBody) error {
	if status == http.StatusUnauthorized && b.Code == "invalid_request" {
		return revoke.ErrInvalidClient
	}
	if oauthCodes[b.Code] {
		return nil
	}
	return messageKind(b.Description)
}

// messageKind classifies one of OneLogin's documented messages, or returns
// nil.
func messageKind(message string) error {
	msg := normalize(message)
	switch {
	case strings.HasPrefix(msg, msgTokenMissing), strings.HasPrefix(msg, msgContentType):
		return revoke.ErrInvalidRequest
	case strings.HasPrefix(msg, msgAuthMissing), strings.HasPrefix(msg, msgAuthFailure), strings.HasPrefix(msg, msgAuthIncorrect):
		return revoke.ErrInvalidClient
	case strings.HasPrefix(msg, msgInsufficient), strings.HasPrefix(msg, msgNotAuthorizedUser):
		return revoke.ErrForbidden
	case strings.HasPrefix(msg, msgNoRoute):
		return revoke.ErrNotFound
	}
	return nil
}

// envelopeKind classifies an error envelope that arrived with a 2xx status,
// where the envelope's code, an HTTP status, says what happened: by its
// documented message first, then by that code.
func envelopeKind(env envelope) error {
	if k := messageKind(env.Message); k != nil {
		return k
	}
	switch c := env.Code; {
	case c == 0:
		return revoke.ErrUnexpectedResponse
	case c == http.StatusBadRequest || c == http.StatusMethodNotAllowed || c == http.StatusUnsupportedMediaType || c == http.StatusUnprocessableEntity:
		return revoke.ErrInvalidRequest
	case c == http.StatusUnauthorized:
		return revoke.ErrInvalidClient
	case c == http.StatusForbidden:
		return revoke.ErrForbidden
	case c == http.StatusNotFound || c == http.StatusGone:
		return revoke.ErrNotFound
	case c == http.StatusTooManyRequests:
		return revoke.ErrRateLimited
	case c == http.StatusBadGateway || c == http.StatusServiceUnavailable || c == http.StatusGatewayTimeout:
		return revoke.ErrUnavailable
	case c >= 500:
		return revoke.ErrServer
	}
	return revoke.ErrUnexpectedResponse
}

// normalize lower-cases a message and collapses its white space, for
// matching OneLogin's documented messages.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// Hints added to the descriptions of OneLogin's errors.
const (
	// notFoundHint explains a 404 from OneLogin.
	notFoundHint = "the route or method is wrong: OneLogin answers 404 \"No Route Exists\" to a path it does not serve or a method other than POST; the SDK always POSTs, so check that BaseURL is only the scheme and host of your OneLogin API (https://<subdomain>.onelogin.com)"
	// authMissingHint explains OneLogin's 400 about the Authorization header.
	authMissingHint = "the Authorization header is missing or malformed: check Config.API (V1 sends \"client_id:<id>, client_secret:<secret>\", V2 HTTP Basic)"
	// rateLimitNote explains a 429 without a message.
	rateLimitNote = "OneLogin rate limit reached (X-RateLimit-Reset is the number of seconds until the window resets)"
	// alreadyRevokedNote is added to the OpenID Connect endpoint's
	// unsupported_token_type answer.
	alreadyRevokedNote = "(OneLogin answers unsupported_token_type also when the token was already revoked or is unknown)"
	// notConfirmed is the description of a 2xx answer without an envelope.
	notConfirmed = "without a OneLogin status envelope: the revocation is not confirmed"
)

// joinText appends a hint to a description.
func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "("):
		return a + " " + b
	}
	return a + ": " + b
}
