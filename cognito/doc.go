// Package cognito revokes refresh tokens of Amazon Cognito user pools, at
// the hosted /oauth2/revoke endpoint (Revoker) or with the RevokeToken
// action of the user pools API (APIRevoker). It is built on the adapter
// kit (package adapter), as a third-party adapter would be.
//
//	r, err := cognito.New(cognito.Config{
//		Domain:       "myapp", // or "auth.example.com"
//		Region:       "us-east-1",
//		ClientID:     clientID,
//		ClientSecret: secret, // "" for a public app client
//	})
//	...
//	err = revoke.RevokeToken(ctx, r, tok) // the refresh token of tok
//	if cognito.RevocationDisabled(err) {
//		// EnableTokenRevocation is off for the app client
//	}
//
// Endpoints:
//
//	POST https://{prefix}.auth.{region}.amazoncognito.com/oauth2/revoke   Revoker (or a custom domain)
//	POST https://cognito-idp.{region}.amazonaws.com/                      APIRevoker (X-Amz-Target: AWSCognitoIdentityProviderService.RevokeToken)
//
// References: https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html,
// https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html.
// Every fact the package relies on is in profile.go; the fake in package
// cognitotest follows the same documentation; docs/vendors/cognito.md has
// the details.
//
// Cognito's behaviour, which this package and cognitotest follow:
//
//   - Refresh tokens only. Revoking one revokes the access and ID tokens
//     issued from it; an access token gets unsupported_token_type. Both
//     revokers implement revoke.TokenRevoker by revoking the refresh token
//     alone (adapter.RefreshOnly), and refuse Hint access_token before
//     sending, with revoke.ErrUnsupported.
//   - Token revocation is a per-app-client setting, EnableTokenRevocation
//     (on by default for new app clients; turn it on with
//     UpdateUserPoolClient). Off, the endpoint answers 400 invalid_request
//     (the answer to a missing token too) and the action
//     UnsupportedOperationException; the error says how to turn it on, and
//     RevocationDisabled recognises both.
//   - The endpoint: form token (and client_id for a public app client),
//     Basic "client_id:client_secret" for an app client with a secret, as
//     Cognito documents it (not form-encoded); 200 with an empty body for
//     a revoked token and for an invalid one; 400 invalid_request, 400
//     unsupported_token_type, 401 invalid_client.
//   - The action: AWS JSON 1.1, {"Token","ClientId","ClientSecret"} (the
//     secret travels in the body and is scrubbed like any credential), no
//     IAM signature; 200 {}. Exceptions come as
//     {"__type":"…Exception","message":"…"} and in the X-Amzn-ErrorType
//     header, all HTTP 400 but InternalErrorException (500).
//   - Throttling is TooManyRequestsException (or ThrottlingException) with
//     HTTP 400: retried with backoff within the retry policy, like a 429,
//     then revoke.ErrRateLimited, Temporary. A 429 (the hosted endpoint's
//     limit, or a gateway's) is retried too.
package cognito
