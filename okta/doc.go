// Package okta revokes OAuth 2.0 access tokens, refresh tokens and device
// secrets at Okta's /revoke endpoint (RFC 7009), on the org authorization
// server or on a custom one. It is built on the public adapter kit
// (package adapter), exactly as a third-party adapter would be.
//
//	r, err := okta.New(okta.Config{
//		Domain:                "dev-123.okta.com",
//		AuthorizationServerID: "default", // "" for the org authorization server
//		ClientID:              "0oa1example",
//		ClientSecret:          secret,
//	})
//	...
//	_, err = r.Revoke(ctx, revoke.Request{Token: refreshToken, Hint: revoke.HintRefreshToken})
//
// Endpoints (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke,
// https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/customas/revokecustomas):
//
//	POST https://{domain}/oauth2/v1/revoke                          org authorization server
//	POST https://{domain}/oauth2/{authorizationServerId}/v1/revoke  custom ("default" included)
//
// Send a token to the authorization server that issued it: tokens from
// https://{domain}/oauth2/default must be revoked at /oauth2/default/v1/revoke.
// Setting Config.Issuer to the token's "iss" claim does exactly that.
//
// Okta's behaviour, which this package and its fake (package
// okta/oktatest) follow:
//
//   - 200 with an empty body is success, also for a token that is invalid,
//     expired, already revoked or unknown, "so information isn't leaked".
//   - Revoking a refresh token also revokes the access tokens minted from
//     it; revoking an access token leaves its refresh token working
//     (https://developer.okta.com/docs/guides/revoke-tokens/). Revoke the
//     refresh token first; revoke.RevokeToken does.
//   - Client authentication is configured per app: client_secret_basic,
//     client_secret_post, client_secret_jwt, private_key_jwt, or none for
//     public clients. Credentials in more than one place are refused with
//     400 invalid_request.
//   - A client assertion's "aud" must be the exact URL called; Okta answers
//     401 invalid_client "The audience claim for client_assertion must be the
//     endpoint invoked for the request." otherwise
//     (https://support.okta.com/help/s/article/the-audience-claim-for-client-assertion-must-be-the-endpoint-invoked-for-the-request).
//     New refuses any other audience the ClientAuth was configured with.
//   - token_type_hint: access_token, refresh_token and device_secret on
//     every server, and oauth_sts (HintOAuthSTS) on the org authorization
//     server only; other values are refused before sending.
//   - 400 and 401 answers use the RFC 6749 §5.2 JSON shape; 429 uses Okta's
//     own {"errorCode":"E0000047",...} shape. Both classify with errors.Is
//     (revoke.ErrInvalidRequest, revoke.ErrInvalidClient, revoke.ErrRateLimited).
//   - Every answer carries X-Rate-Limit-Limit, X-Rate-Limit-Remaining and
//     X-Rate-Limit-Reset (epoch seconds), reported in Result.RateLimit, and
//     X-Okta-Request-Id, reported in Result.RequestID. The kit paces a
//     shared Revoker when the window is spent; on 429 it waits until the
//     reset, measured against the response Date header, plus one second as
//     Okta recommends (https://developer.okta.com/docs/reference/rl-best-practices/),
//     when that fits the retry policy's MaxWait and the context deadline,
//     and otherwise returns revoke.ErrRateLimited with Error.RetryAfter set.
//
// Admin-side revocation (all tokens of a user, of a client) uses Okta's
// management API, a different API with different credentials and callers:
// it is package okta/oktaadmin.
package okta
