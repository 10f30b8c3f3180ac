package cognito

// This file holds every fact about Amazon Cognito user pools the package
// relies on, with its source. The rest of the package only uses them.
//
// Sources:
// https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html
// (the /oauth2/revoke endpoint),
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html
// (the RevokeToken action),
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html,
// https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html
// (EnableTokenRevocation), and the AWS JSON 1.1 protocol as the AWS SDKs
// implement it (X-Amz-Target, __type, X-Amzn-ErrorType).

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Operation names, in errors and logs.
const (
	opRevoke = "cognito revoke"
	opAPI    = "cognito RevokeToken"
)

// The hosted endpoint: POST https://{prefix}.auth.{region}.amazoncognito.com/oauth2/revoke,
// or the same path on a custom domain.
var (
	revokePath   = []string{"oauth2", "revoke"}
	hostedSuffix = ".amazoncognito.com"
	// hostedInfix sits between the domain prefix and the region.
	hostedInfix = ".auth."
)

// The RevokeToken action: POST https://cognito-idp.{region}.amazonaws.com/
// with the AWS JSON 1.1 protocol. It takes no IAM signature: Amazon
// Cognito authorizes it with the app client's ID and secret.
const (
	apiHostFormat   = "cognito-idp.%s.amazonaws.com"
	apiTarget       = "AWSCognitoIdentityProviderService.RevokeToken"
	apiContentType  = "application/x-amz-json-1.1"
	errorTypeHeader = "X-Amzn-Errortype"
)

// regionPattern is the shape of an AWS region: us-east-1, eu-central-1,
// ap-southeast-2, us-gov-west-1, cn-north-1, il-central-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// prefixPattern is a Cognito domain prefix: lower-case letters, digits and
// hyphens, not at either end (Amazon Cognito console; CreateUserPoolDomain
// Domain pattern).
var prefixPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// credentialPattern is the pattern of ClientId and ClientSecret in the
// RevokeToken API reference: [\w+]+ (letters, digits, '_' and '+').
// ClientId is at most 128 characters, ClientSecret at most 64.
var credentialPattern = regexp.MustCompile(`^[\w+]+$`)

const (
	maxClientID     = 128
	maxClientSecret = 64
)

// tokenPattern is the pattern of Token in the RevokeToken API reference:
// [A-Za-z0-9-_=.]+. Cognito refresh tokens are JWE compact
// serializations, which fit it.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9\-_=.]+$`)

// Fixed request headers.
var (
	hostedHeader = http.Header{"Accept": {"application/json"}}
	apiHeader    = http.Header{"X-Amz-Target": {apiTarget}}
)

// Exception names of the RevokeToken action (its API reference) and the
// common errors every action may answer.
const (
	excUnsupportedTokenType = "UnsupportedTokenTypeException"
	excUnsupportedOperation = "UnsupportedOperationException"
	excUnauthorized         = "UnauthorizedException"
	excNotAuthorized        = "NotAuthorizedException"
	excTooManyRequests      = "TooManyRequestsException"
	excForbidden            = "ForbiddenException"
	excInternal             = "InternalErrorException"
	excInvalidParameter     = "InvalidParameterException"
	excResourceNotFound     = "ResourceNotFoundException"
	excThrottling           = "ThrottlingException"
)

// hostedProfile is what the adapter kit needs to know about the hosted
// endpoint: RFC 6749 §5.2 error bodies ({"error"[, "error_description"]}),
// no rate-limit headers. The request-ID header is x-amz-cognito-request-id
// [Inf: seen on Cognito's hosted endpoints, not documented], then
// x-amzn-requestid.
var hostedProfile = adapter.Profile{
	Name:             "cognito",
	RequestIDHeaders: []string{"X-Amz-Cognito-Request-Id", "X-Amzn-Requestid"},
}

// apiProfile is what the kit needs to know about the RevokeToken action:
// errors are {"__type":"…Exception","message":"…"}, all client errors HTTP
// 400 (throttling included), the request ID in x-amzn-RequestId.
var apiProfile = adapter.Profile{
	Name:             "cognito-idp",
	RequestIDHeaders: []string{"X-Amzn-Requestid"},
	ParseError:       parseAWSError,
	Classify:         classifyAWS,
	Retryable:        throttled,
}

// throttled marks Cognito's throttling answers, which come as HTTP 400
// (https://docs.aws.amazon.com/cognito/latest/developerguide/limits.html:
// "TooManyRequestsException"; the AWS SDKs retry it and ThrottlingException
// with backoff): the kit retries them like a 429, within the retry policy.
func throttled(status int, b adapter.ErrorBody) bool {
	return status == 400 && (b.Code == "TooManyRequestsException" || b.Code == "ThrottlingException")
}

// parseAWSError reads the AWS JSON 1.1 error shape. __type may carry a
// namespace ("com.amazonaws...#NotAuthorizedException"); message may be
// spelled Message.
func parseAWSError(body []byte) (adapter.ErrorBody, bool) {
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
		Upper   string `json:"Message"`
	}
	if json.Unmarshal(body, &e) != nil || e.Type == "" {
		return adapter.ErrorBody{}, false
	}
	msg := e.Message
	if msg == "" {
		msg = e.Upper
	}
	return adapter.ErrorBody{Code: exceptionName(e.Type), Description: msg}, true
}

// exceptionName strips a namespace ("…#Name") and the X-Amzn-ErrorType
// suffix ("Name:http://internal.amazon.com/…").
func exceptionName(s string) string {
	if i := strings.LastIndexByte(s, '#'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// classifyAWS maps Cognito's exceptions to root sentinels:
//
//   - TooManyRequestsException, ThrottlingException: revoke.ErrRateLimited.
//     Cognito answers them with HTTP 400; throttled marks them retryable, so
//     the kit retries them within the retry policy, and the error after the
//     last attempt is Temporary;
//   - UnsupportedOperationException: token revocation is off for the app
//     client: revoke.ErrUnsupported (see RevocationDisabled);
//   - UnsupportedTokenTypeException: not a refresh token;
//   - NotAuthorizedException, UnauthorizedException: the app client's
//     credentials were not accepted, or the token is not the client's
//     [Inf: the reference documents UnauthorizedException for RevokeToken;
//     Cognito answers NotAuthorizedException to a wrong secret on its other
//     actions]: revoke.ErrInvalidClient;
//   - ForbiddenException (AWS WAF refused the request): revoke.ErrForbidden;
//   - InvalidParameterException: revoke.ErrInvalidRequest;
//   - ResourceNotFoundException: revoke.ErrNotFound;
//   - InternalErrorException: revoke.ErrServer.
func classifyAWS(_ int, b adapter.ErrorBody) error {
	switch b.Code {
	case excTooManyRequests, excThrottling:
		return revoke.ErrRateLimited
	case excUnsupportedOperation:
		return revoke.ErrUnsupported
	case excUnsupportedTokenType:
		return revoke.ErrUnsupportedTokenType
	case excNotAuthorized, excUnauthorized:
		return revoke.ErrInvalidClient
	case excForbidden:
		return revoke.ErrForbidden
	case excInvalidParameter:
		return revoke.ErrInvalidRequest
	case excResourceNotFound:
		return revoke.ErrNotFound
	case excInternal:
		return revoke.ErrServer
	}
	return nil
}

// alreadyRevokedMessages are NotAuthorizedException messages that say the
// refresh token no longer works [Inf: Cognito's wording on InitiateAuth and
// GetTokensFromRefreshToken; RevokeToken is documented to answer 200 for
// such tokens, which the SDK also takes]. Matched in lower case.
var alreadyRevokedMessages = []string{"refresh token has been revoked", "invalid refresh token"}

// Constant hints appended to what Cognito said.
const (
	// hintEnable says how to turn token revocation on.
	hintEnable = "token revocation is disabled for this app client: enable it with UpdateUserPoolClient and EnableTokenRevocation=true (pass the client's full current settings: omitted ones are reset), or in the console's app client settings (new app clients have it on by default)"
	// hintInvalidRequest explains the hosted endpoint's invalid_request,
	// which names two causes; the SDK always sends the token.
	hintInvalidRequest = "Cognito answers invalid_request when the token is missing, which the SDK never sends, or when " + hintEnable
	hintTokenType      = "Cognito revokes refresh tokens only; revoking one also revokes the access and ID tokens issued from it"
	hintClient         = "check ClientID and ClientSecret (an app client with a secret needs it; a public client sends none)"
	hintThrottled      = "Cognito throttled the request (HTTP 400) on every attempt the retry policy allowed: wait and retry; Error.Temporary() is true"
	hintWAF            = "AWS WAF refused the request under the web ACL of the user pool"
)
