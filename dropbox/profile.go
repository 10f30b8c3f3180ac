package dropbox

// This file holds every fact about Dropbox the package relies on, with its
// source. The rest of the package only uses them.
//
// Sources:
//   - auth/token/revoke ("Disables the access token used to authenticate
//     the call. If there is a corresponding refresh token for the access
//     token, this disables that refresh token, as well as any other access
//     tokens for that refresh token."):
//     https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke
//     and the SDKs generated from the same spec (dropbox-sdk-java
//     DbxUserAuthRequests.tokenRevoke, SwiftyDropbox AuthRoutes.tokenRevoke).
//   - RPC endpoints, errors and their JSON:
//     https://www.dropbox.com/developers/documentation/http/documentation
//     and https://www.dropbox.com/lp/developers/reference/error-handling-guide
//   - The token endpoint and refresh tokens:
//     https://www.dropbox.com/developers/documentation/http/documentation#oauth2-token
//     and https://developers.dropbox.com/oauth-guide
//
// Facts marked [Inf] are inferred, not documented; [3p] are seen only in
// third-party code or reports. The adapter accepts both readings of each.

import (
	"encoding/json"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// DefaultBaseURL is the host of Dropbox's RPC endpoints and token
// endpoint.
const DefaultBaseURL = "https://api.dropboxapi.com"

// Paths, relative to the base URL. auth/token/revoke is an RPC endpoint
// without arguments: Dropbox's documented call sends no body (and so no
// Content-Type); its SDKs send the JSON null. [3p: Content-Type
// application/json with an empty body is refused, "could not decode input
// as JSON".]
var (
	revokePath = []string{"2", "auth", "token", "revoke"}
	tokenPath  = []string{"oauth2", "token"}
)

// Operation names, in errors and logs.
const (
	opRevoke  = "dropbox revoke"
	opRefresh = "dropbox refresh"
)

// HeaderRequestID is the response header carrying Dropbox's request ID
// (the SDKs' DbxException.getRequestId reads it).
const HeaderRequestID = "X-Dropbox-Request-Id"

// profile is what the adapter kit needs to know about Dropbox: its request
// ID header and its error body. Dropbox sends no rate-limit window headers,
// only Retry-After with a 429 (or a 503), which the kit always reads.
var profile = adapter.Profile{
	Name:             "dropbox",
	RequestIDHeaders: []string{HeaderRequestID},
	ParseError:       parseError,
	Classify:         classify,
}

// parseError reads Dropbox's API error body:
//
//	{"error_summary": "invalid_access_token/...", "error": {".tag": "invalid_access_token"}}
//	{"error_summary": "too_many_requests/...", "error": {"reason": {".tag": "too_many_requests"}, "retry_after": 300}}
//
// with an optional "user_message": {"locale","text"}. The tag is the code,
// error_summary the description, the user message a cause. The token
// endpoint's RFC 6749 body ({"error":"invalid_grant",…}, a string "error")
// is not this shape: the kit reads it as RFC 6749.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	var e struct {
		Summary *string         `json:"error_summary"`
		Error   json.RawMessage `json:"error"`
		User    struct {
			Text string `json:"text"`
		} `json:"user_message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Summary == nil {
		return adapter.ErrorBody{}, false
	}
	var union struct {
		Tag    string `json:".tag"`
		Reason struct {
			Tag string `json:".tag"`
		} `json:"reason"`
	}
	_ = json.Unmarshal(e.Error, &union) // a union, or nothing useful
	b := adapter.ErrorBody{Code: union.Tag, Description: *e.Summary}
	if b.Code == "" {
		b.Code = union.Reason.Tag
	}
	if e.User.Text != "" {
		b.Causes = []string{e.User.Text}
	}
	return b, true
}

// alreadyInvalid are the AuthError tags of a 401 that say the token no
// longer works: revoked, never issued, or expired. Revoke reports them as
// Result.AlreadyInvalid.
var alreadyInvalid = map[string]bool{"invalid_access_token": true, "expired_access_token": true}

// kinds maps Dropbox's error tags to root sentinels:
//
//   - user_suspended: the account is suspended; its tokens may work again
//     when it is reinstated, so the token is not reported as already
//     invalid. missing_scope and route_access_denied: the token may not
//     call this route (auth/token/revoke needs no scope). All
//     revoke.ErrForbidden.
//   - invalid_select_user, invalid_select_admin: a team header the SDK
//     never sends. revoke.ErrInvalidRequest.
//   - too_many_requests, too_many_write_operations (RateLimitReason):
//     revoke.ErrRateLimited, whatever the status.
//
// Other answers keep the kit's classification by status: 400
// ErrInvalidRequest (Dropbox's 400 bodies are plain text), 401
// ErrInvalidClient, 403 ErrForbidden, 409 ErrUnexpectedResponse (the route
// has no endpoint-specific error), 429 ErrRateLimited, 500 ErrServer, 503
// ErrUnavailable.
var kinds = map[string]error{
	"user_suspended":            revoke.ErrForbidden,
	"missing_scope":             revoke.ErrForbidden,
	"route_access_denied":       revoke.ErrForbidden,
	"invalid_select_user":       revoke.ErrInvalidRequest,
	"invalid_select_admin":      revoke.ErrInvalidRequest,
	"too_many_requests":         revoke.ErrRateLimited,
	"too_many_write_operations": revoke.ErrRateLimited,
}

func classify(_ int, b adapter.ErrorBody) error { return kinds[b.Code] }
