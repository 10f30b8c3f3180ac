package slack

// This file holds every fact about Slack the package relies on, with its
// source. The rest of the package only uses them.
//
// Sources:
//   - auth.revoke: https://docs.slack.dev/reference/methods/auth.revoke
//     (formerly https://api.slack.com/methods/auth.revoke)
//   - the Web API's conventions (HTTP 200 with {"ok":…}, Authorization:
//     Bearer, content types): https://docs.slack.dev/apis/web-api/
//   - errors every method may return:
//     https://docs.slack.dev/apis/web-api/#errors
//   - rate limits (429 with Retry-After; auth.revoke is Tier 3, "50+ per
//     minute"): https://docs.slack.dev/apis/web-api/rate-limits
//   - token rotation: https://docs.slack.dev/authentication/using-token-rotation
//
// Facts marked [Inf] are inferred, not documented; [3p] are seen only in
// third-party code. The adapter accepts both readings of each.

import (
	"encoding/json"
	"net/http"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// DefaultBaseURL is the root of Slack's Web API. GovSlack serves the same
// API at https://slack-gov.com/api.
const DefaultBaseURL = "https://slack.com/api"

// method is the Web API method, appended to the base URL.
const method = "auth.revoke"

// op names the revocation in errors and logs.
const op = "slack revoke"

// HeaderRequestID is the response header carrying Slack's request ID
// [3p: Slack's SDKs log it as x-slack-req-id].
const HeaderRequestID = "X-Slack-Req-Id"

// acceptJSON is the fixed request header.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// profile is what the adapter kit needs to know about Slack. Slack sends
// no x-ratelimit-* headers, only Retry-After on a 429, which the kit
// always reads; its errors are {"ok":false,"error":"<code>"}, always with
// HTTP 200 except for rate limits.
var profile = adapter.Profile{
	Name:             "slack",
	RequestIDHeaders: []string{HeaderRequestID},
	ParseError:       parseError,
	Classify:         classify,
}

// envelope is every Slack Web API answer: {"ok":true,…} or
// {"ok":false,"error":"<code>",…}, with auth.revoke's "revoked" on
// success. "needed" and "provided" come with missing_scope;
// response_metadata carries messages (invalid_arguments) and warnings.
type envelope struct {
	OK       *bool  `json:"ok"`
	Revoked  *bool  `json:"revoked"`
	Error    string `json:"error"`
	Needed   string `json:"needed"`
	Provided string `json:"provided"`
	Metadata struct {
		Messages []string `json:"messages"`
	} `json:"response_metadata"`
}

// parseEnvelope reads a Slack answer; ok is false when the body is not
// one (no boolean "ok").
func parseEnvelope(body []byte) (envelope, bool) {
	var e envelope
	if json.Unmarshal(body, &e) != nil || e.OK == nil {
		return envelope{}, false
	}
	return e, true
}

// parseError reads {"ok":false,"error":"<code>"}: the code, Slack's
// documented meaning of it as the description, and any
// response_metadata.messages and needed/provided scopes as causes.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	e, ok := parseEnvelope(body)
	if !ok || *e.OK || e.Error == "" {
		return adapter.ErrorBody{}, false
	}
	b := adapter.ErrorBody{Code: e.Error, Description: meaning[e.Error], Causes: e.Metadata.Messages}
	if e.Needed != "" {
		b.Causes = append(b.Causes, "needed: "+e.Needed)
	}
	if e.Provided != "" {
		b.Causes = append(b.Causes, "provided: "+e.Provided)
	}
	return b, true
}

// alreadyInvalid are the codes that say the token no longer works: the
// revocation's aim is met, and Revoke reports Result.AlreadyInvalid.
//
//   - token_revoked: "Authentication token is for a deleted user or
//     workspace or the app has been removed."
//   - account_inactive: "Authentication token is for a deleted user or
//     workspace."
//   - token_expired: a rotating access token past its expiry
//     (https://docs.slack.dev/authentication/using-token-rotation); its
//     refresh token may still work.
//
// invalid_auth is not among them: "Some aspect of authentication cannot be
// validated. Either the provided token is invalid or the request
// originates from an IP address disallowed from making the request." The
// second reading is a live token, so it counts as already invalid only
// with Config.InvalidAuthIsAlreadyInvalid.
var alreadyInvalid = map[string]bool{"token_revoked": true, "account_inactive": true, "token_expired": true}

// invalidAuthAdvice describes an invalid_auth answer.
const invalidAuthAdvice = "Slack answered invalid_auth: either the token no longer works, or it does and this call came from an IP address outside the workspace's allowed ranges, so it may still be live; call from an allowed address to be sure, or set slack.Config.InvalidAuthIsAlreadyInvalid if the workspace has no IP restrictions"

// kinds maps Slack's codes to root sentinels; an unknown code is
// revoke.ErrUnexpectedResponse with the code kept in Error.Code.
var kinds = map[string]error{
	// The request lacked the token, or was malformed.
	"not_authed":        revoke.ErrInvalidRequest,
	"invalid_arguments": revoke.ErrInvalidRequest,
	"invalid_arg_name":  revoke.ErrInvalidRequest,
	"invalid_array_arg": revoke.ErrInvalidRequest,
	"invalid_charset":   revoke.ErrInvalidRequest,
	"invalid_form_data": revoke.ErrInvalidRequest,
	"invalid_post_type": revoke.ErrInvalidRequest,
	"missing_post_type": revoke.ErrInvalidRequest,
	"invalid_json":      revoke.ErrInvalidRequest,
	"json_not_object":   revoke.ErrInvalidRequest,
	"upgrade_required":  revoke.ErrInvalidRequest,
	// A token auth.revoke cannot take.
	"not_bearer_token":       revoke.ErrUnsupportedTokenType,
	"not_allowed_token_type": revoke.ErrUnsupportedTokenType,
	// The workspace or its admins refuse the call.
	"access_denied":             revoke.ErrForbidden,
	"no_permission":             revoke.ErrForbidden,
	"missing_scope":             revoke.ErrForbidden,
	"org_login_required":        revoke.ErrForbidden,
	"ekm_access_denied":         revoke.ErrForbidden,
	"two_factor_setup_required": revoke.ErrForbidden,
	"accesslimited":             revoke.ErrForbidden,
	"enterprise_is_restricted":  revoke.ErrForbidden,
	// Rate limited: Slack answers 429 with Retry-After.
	"ratelimited": revoke.ErrRateLimited,
	// Slack failed; "It's possible some aspect of the operation succeeded".
	"internal_error": revoke.ErrServer,
	"fatal_error":    revoke.ErrServer,
	// Slack is temporarily unable to serve the workspace: retry later.
	"service_unavailable": revoke.ErrUnavailable,
	"team_added_to_org":   revoke.ErrUnavailable,
	"request_timeout":     revoke.ErrUnavailable,
}

// meaning is Slack's documented meaning of each code, kept as the error's
// description: Slack's answers carry the code alone.
var meaning = map[string]string{
	"not_authed":                "No authentication token provided.",
	"invalid_auth":              "Some aspect of authentication cannot be validated. Either the provided token is invalid or the request originates from an IP address disallowed from making the request.",
	"token_revoked":             "Authentication token is for a deleted user or workspace or the app has been removed.",
	"account_inactive":          "Authentication token is for a deleted user or workspace.",
	"token_expired":             "Authentication token has expired.",
	"not_bearer_token":          "Incompatible token type provided.",
	"not_allowed_token_type":    "The token type used in this request is not allowed.",
	"invalid_arguments":         "The method was called with invalid arguments.",
	"invalid_arg_name":          "The method was passed an argument whose name falls outside the bounds of accepted or expected values.",
	"invalid_array_arg":         "The method was passed an array as an argument.",
	"invalid_charset":           "The method was called via a POST request, but the charset specified in the Content-Type header was invalid.",
	"invalid_form_data":         "The method was called via a POST request with form data, but the form data was either missing or syntactically invalid.",
	"invalid_post_type":         "The method was called via a POST request, but the specified Content-Type was invalid.",
	"missing_post_type":         "The method was called via a POST request and included a data payload, but the request did not include a Content-Type header.",
	"invalid_json":              "The method was called with a JSON body that could not be parsed.",
	"json_not_object":           "The method was called with a JSON body that is not an object.",
	"upgrade_required":          "The client must be upgraded to call this method.",
	"access_denied":             "Access to a resource specified in the request is denied.",
	"no_permission":             "The workspace token used in this request does not have the permissions necessary to complete the request.",
	"missing_scope":             "The token used is not granted the specific scope permissions required to complete this request.",
	"org_login_required":        "The workspace is undergoing an enterprise migration and will not be available until migration is complete.",
	"ekm_access_denied":         "Administrators have suspended the ability to post a message.",
	"two_factor_setup_required": "Two factor setup is required.",
	"accesslimited":             "Access to this method is limited on the current network.",
	"enterprise_is_restricted":  "The method cannot be called from an Enterprise.",
	"ratelimited":               "The request has been ratelimited.",
	"internal_error":            "The server could not complete your operation(s) without encountering an error, likely due to a transient issue on our end. It's possible some aspect of the operation succeeded before the error was raised.",
	"fatal_error":               "The server could not complete your operation(s) without encountering a catastrophic error. It's possible some aspect of the operation succeeded before the error was raised.",
	"service_unavailable":       "The service is temporarily unavailable.",
	"team_added_to_org":         "The workspace associated with your request is currently undergoing migration to an Enterprise Organization. Web API and other platform operations will be intermittently unavailable until the transition is complete.",
	"request_timeout":           "The method was called via a POST request, but the POST data was either missing or truncated.",
}

// classify maps a Slack code to its sentinel, or returns nil to keep the
// kit's classification (by status: 429 ErrRateLimited, 5xx ErrServer or
// ErrUnavailable, an unknown code with HTTP 200 ErrUnexpectedResponse).
func classify(_ int, b adapter.ErrorBody) error {
	return kinds[b.Code]
}

// Descriptions of answers that are not Slack errors.
const (
	// notEnvelope describes a 2xx answer without {"ok":…}.
	notEnvelope = "HTTP 200 without Slack's {\"ok\":…} envelope: the revocation is not confirmed"
	// notRevoked describes {"ok":true} whose "revoked" is false or absent
	// outside test mode.
	notRevoked = "Slack answered ok but did not say revoked: true: the token may still work"
)
