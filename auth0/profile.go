package auth0

// This file holds every fact about Auth0 the package relies on, with its
// source. The rest of the package only uses them. Facts marked [Inf] are
// inferred rather than documented; the code accepts both readings.
//
// Sources:
//   - Authentication API, Revoke Refresh Token:
//     https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token
//     and https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens
//   - Private Key JWT assertions:
//     https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-private-key-jwt
//   - Management API: https://auth0.com/docs/api/management/v2/refresh-tokens/revoke-refresh-tokens,
//     https://auth0.com/docs/api/management/v2/users/delete-sessions-for-user,
//     https://auth0.com/docs/api/management/v2/users-by-email/get-users-by-email,
//     https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens
//   - Rate limits: https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Operation names, as errors and logs show them.
const (
	opRevoke          = "auth0 revoke"
	opRevokeTokens    = "auth0 revoke user refresh tokens"
	opRevokeTokenIDs  = "auth0 revoke refresh tokens by id"
	opDeleteSessions  = "auth0 delete user sessions"
	opFindUsersByMail = "auth0 find users by email"
)

// Endpoint paths, below https://{domain}.
var (
	// revokePath is the Authentication API's refresh-token revocation
	// endpoint.
	revokePath = []string{"oauth", "revoke"}
	// tokenPath is the token endpoint, a client assertion audience with
	// revoke.AudienceTokenEndpoint.
	tokenPath = []string{"oauth", "token"}
	// managementPath is the Management API v2 root; its identifier (the
	// audience of a Management API access token) is the same URL with a
	// trailing slash.
	managementPath = []string{"api", "v2"}
)

// Management API resources, below managementPath, and the rate-limit
// buckets their calls share (the user ID is part of the sessions path, but
// Auth0 limits the endpoint, not each user).
const (
	bulkRevokeResource = "refresh-tokens/revoke"
	usersResource      = "users"
	sessionsResource   = "sessions"
	usersByEmail       = "users-by-email"

	bucketBulkRevoke     = "POST /api/v2/refresh-tokens/revoke"
	bucketDeleteSessions = "DELETE /api/v2/users/{id}/sessions"
	bucketUsersByEmail   = "GET /api/v2/users-by-email"
)

// Limits of POST /api/v2/refresh-tokens/revoke, from its reference: at
// most 100 IDs, each 1–30 characters; user_id 1–300, client_id 1–64,
// audience 1–600.
const (
	MaxRefreshTokenIDs = 100
	maxTokenIDLen      = 30
	maxUserIDLen       = 300
	maxClientIDLen     = 64
	maxAudienceLen     = 600
)

// Management API scopes each operation needs (documented on each method):
// delete:refresh_tokens, delete:sessions, read:users.

// authMethods are the client authentication methods /oauth/revoke takes:
// the secret in the body, a private_key_jwt assertion, or client_id alone
// for a public (native or single-page) application. revoke.ClientCredentials
// resolves to client_secret_post.
var authMethods = []string{revoke.MethodClientSecretPost, revoke.MethodPrivateKeyJWT, revoke.MethodNone}

// clientAudience is Auth0's rule for a private_key_jwt assertion's "aud":
// "the URL of the Auth0 tenant or custom domain that receives the
// assertion", with the trailing slash, e.g. https://dev-abc.us.auth0.com/.
// It is the tenant's issuer identifier, so the adapter passes it as the
// issuer and uses revoke.AudienceIssuer.
const clientAudience = revoke.AudienceIssuer

// jsonHeader is the fixed header of every call: Auth0 answers in JSON.
var jsonHeader = http.Header{"Accept": {"application/json"}}

// Rate limits: both APIs send X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset (epoch seconds) on every answer, and Retry-After with a
// 429 (go-auth0 prefers Retry-After and falls back to the reset). Auth0's
// request ID travels in X-Auth0-RequestId [Inf: seen on Auth0's answers,
// not documented]; X-Request-Id is read too.
var rateLimit = adapter.RateLimitHeaders{
	Limit:       "X-RateLimit-Limit",
	Remaining:   "X-RateLimit-Remaining",
	Reset:       "X-RateLimit-Reset",
	ResetFormat: adapter.ResetEpoch,
}

var requestIDHeaders = []string{"X-Auth0-RequestId", "X-Request-Id"}

// profile is what the adapter kit needs to know about Auth0. The
// Authentication API answers errors in the RFC 6749 shape, which the kit
// reads itself; the Management API answers
// {"statusCode":403,"error":"Forbidden","message":"…","errorCode":"insufficient_scope"},
// which parseError reads.
var profile = adapter.Profile{
	Name:             "auth0",
	RateLimit:        rateLimit,
	RequestIDHeaders: requestIDHeaders,
	ParseError:       parseError,
	Classify:         classify,
}

// managementError is the Management API's error body.
type managementError struct {
	StatusCode json.RawMessage `json:"statusCode"`
	Error      any             `json:"error"`
	Message    any             `json:"message"`
	ErrorCode  any             `json:"errorCode"`
}

// parseError reads the Management API's error shape. An RFC 6749 body
// ({"error","error_description"}) has no "message" and no "statusCode",
// and is left to the kit.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	var m managementError
	if err := json.Unmarshal(body, &m); err != nil {
		return adapter.ErrorBody{}, false
	}
	msg, hasMsg := m.Message.(string)
	if len(m.StatusCode) == 0 && !hasMsg {
		return adapter.ErrorBody{}, false
	}
	code, _ := m.ErrorCode.(string)
	if code == "" {
		code, _ = m.Error.(string)
	}
	return adapter.ErrorBody{Code: code, Description: msg}, true
}

// Management API error codes (errorCode), as Auth0 sends them.
const (
	codeInsufficientScope = "insufficient_scope"
	codeInexistentUser    = "inexistent_user"
	codeTooManyRequests   = "too_many_requests"
	codeInvalidBody       = "invalid_body"
	codeInvalidQuery      = "invalid_query_string"
	codeInvalidURI        = "invalid_uri"
)

// classify maps Auth0's codes to root sentinels. The Authentication API's
// RFC 6749 codes (invalid_request, invalid_client) are the kit's; for the
// Management API: 401 (a missing, invalid or expired Management API token)
// is revoke.ErrInvalidClient, 403 insufficient_scope revoke.ErrForbidden,
// 404 inexistent_user revoke.ErrNotFound, 429 too_many_requests
// revoke.ErrRateLimited, 400 invalid_body / invalid_query_string /
// invalid_uri revoke.ErrInvalidRequest. The Management API's "error" text
// ("Unauthorized", "Forbidden", "Not Found") stands in for a missing
// errorCode and is classified by the status.
func classify(status int, b adapter.ErrorBody) error {
	switch b.Code {
	case codeInsufficientScope:
		return revoke.ErrForbidden
	case codeInexistentUser:
		return revoke.ErrNotFound
	case codeTooManyRequests:
		return revoke.ErrRateLimited
	case codeInvalidBody, codeInvalidQuery, codeInvalidURI:
		return revoke.ErrInvalidRequest
	}
	switch status {
	case http.StatusUnauthorized:
		return revoke.ErrInvalidClient
	case http.StatusForbidden:
		return revoke.ErrForbidden
	case http.StatusNotFound:
		return revoke.ErrNotFound
	}
	return nil
}

// looksLikeJWT reports a token in JWS or JWE compact serialization whose
// first segment is a JSON header ("eyJ" is base64url for `{"`). Auth0
// issues refresh tokens as opaque strings and access and ID tokens as JWTs
// (or JWE for access tokens without an API audience) [Inf: Auth0 documents
// access and ID tokens as JWTs and refresh tokens as opaque credentials,
// not the refresh token's exact format]. /oauth/revoke answers 200 for any
// token it does not revoke, so a JWT sent there would "succeed" and stay
// valid.
func looksLikeJWT(token string) bool {
	n := strings.Count(token, ".")
	return (n == 2 || n == 4) && strings.HasPrefix(token, "eyJ")
}

// acceptedNote says what an accepted (202) Management API answer means.
func acceptedNote(what string) string {
	return "Auth0 accepted the request (HTTP 202) and " + what + " asynchronously; it documents no bound on the delay"
}
