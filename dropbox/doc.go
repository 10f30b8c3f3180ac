// Package dropbox revokes Dropbox OAuth tokens with POST
// /2/auth/token/revoke, which the token being revoked authenticates. It is
// built on the adapter kit (package adapter), as a third-party adapter
// would be.
//
//	r, err := dropbox.New(dropbox.Config{})
//	...
//	res, err := r.Revoke(ctx, revoke.Request{Token: accessToken})
//	// the access token, its refresh token and the refresh token's other
//	// access tokens no longer work
//
// Endpoint (https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke):
//
//	POST https://api.dropboxapi.com/2/auth/token/revoke
//	Authorization: Bearer <the access token to revoke>
//	(no body)
//
// Dropbox's behaviour, which this package and package dropboxtest follow
// (every fact with its source is in profile.go; docs/vendors/dropbox.md has
// the table):
//
//   - 200 is success, with the body null [Inf]. "If there is a
//     corresponding refresh token for the access token, this disables that
//     refresh token, as well as any other access tokens for that refresh
//     token": one call ends the whole grant.
//   - Dropbox revokes through an access token only. A refresh token is
//     revoked by exchanging it at /oauth2/token for a fresh access token
//     and revoking that (revoke.HintRefreshToken, with Config.AppKey);
//     without the app's key it is refused with revoke.ErrUnsupported.
//   - 401 with the AuthError tag invalid_access_token or
//     expired_access_token means the token no longer works:
//     Result.AlreadyInvalid. RevokeToken then goes on with the refresh
//     token, which may still work, or says it cannot.
//   - Errors are {"error_summary":…,"error":{".tag":…}}: the tag is
//     Error.Code, the summary Error.Description. 400 bodies are plain text.
//     429 carries Retry-After, which the kit honours.
package dropbox
