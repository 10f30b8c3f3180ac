// Package auth0 revokes OAuth 2.0 refresh tokens at Auth0, and ends
// everything a user holds through the Management API. It is built on the
// adapter kit (package adapter), as a third-party adapter would be.
//
// Revoker sends POST https://{domain}/oauth/revoke
// (https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token):
//
//	r, err := auth0.New(auth0.Config{
//		Domain:       "dev-abc.us.auth0.com",
//		ClientID:     clientID,
//		ClientSecret: secret,
//	})
//	...
//	err = revoke.RevokeToken(ctx, r, tok) // the refresh token: Auth0 revokes nothing else
//
// Management ends a user's refresh tokens and sessions
// (https://auth0.com/docs/api/management/v2):
//
//	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: "dev-abc.us.auth0.com", TokenSource: ts})
//	report, err := m.RevokeSubject(ctx, revoke.OpaqueSubject("auth0|64f1c0ffee"))
//
// Auth0's behaviour, which this package and the fake in auth0test follow:
//
//   - /oauth/revoke takes a JSON body: client_id, the token, and
//     client_secret (client_secret_post) or client_assertion and
//     client_assertion_type (private_key_jwt, "aud" = https://{domain}/),
//     or client_id alone for public applications. Basic authentication is
//     not documented there and is refused at New.
//   - Auth0 revokes refresh tokens only. Access tokens (JWTs) stay valid
//     until they expire: a request hinted access_token, an oauth2.Token
//     without a refresh token, and (unless hinted refresh_token) a token
//     that is a JWT are refused before sending with errors matching
//     revoke.ErrUnsupported, because Auth0 would answer 200 and nothing
//     would be revoked.
//   - 200 is success also for a token that is unknown, already revoked or
//     another application's: Auth0 never says which.
//   - With the tenant setting "Refresh Token Revocation Deletes Grant" on,
//     revoking one refresh token revokes every refresh token of the same
//     user, application and audience.
//   - Both APIs send X-RateLimit-Limit, X-RateLimit-Remaining and
//     X-RateLimit-Reset (epoch seconds), and Retry-After with a 429; the kit
//     paces and retries on them.
//   - The Management API answers 202 to the bulk refresh-token revocation
//     and applies it asynchronously; its errors are
//     {"statusCode","error","message","errorCode"}.
//
// Every fact the package relies on is in profile.go, with its source;
// docs/vendors/auth0.md has the details.
package auth0
