// Package github revokes GitHub OAuth tokens: user access tokens of an
// OAuth app or GitHub App, the user's whole authorization of the app (the
// grant), and, for credentials found exposed, any GitHub token through the
// credential revocation API. It is built on the adapter kit (package
// adapter), as a third-party adapter would be.
//
//	r, err := github.New(github.Config{ClientID: id, ClientSecret: secret})
//	...
//	res, err := r.Revoke(ctx, revoke.Request{Token: "gho_…"})      // one token
//	res, err = r.RevokeGrant(ctx, revoke.Request{Token: "ghu_…"})  // every token of that user for the app
//
//	cr, err := github.NewCredentialRevoker(github.CredentialsConfig{})
//	report, err := cr.RevokeCredentials(ctx, leaked)               // batches of 1,000, 60 requests an hour
//
// Endpoints (https://docs.github.com/en/rest/apps/oauth-applications,
// https://docs.github.com/en/rest/credentials/revoke):
//
//	DELETE {BaseURL}/applications/{client_id}/token   Basic client_id:client_secret, {"access_token":"…"} → 204
//	DELETE {BaseURL}/applications/{client_id}/grant   the same → 204
//	POST   {BaseURL}/credentials/revoke               unauthenticated, {"credentials":[…]} → 202
//
// BaseURL is https://api.github.com, or https://HOST/api/v3 for GitHub
// Enterprise Server. Every call sends Accept: application/vnd.github+json
// and X-GitHub-Api-Version: 2022-11-28.
//
// GitHub's behaviour, which this package and package githubtest follow
// (every fact with its source is in profile.go; docs/vendors/github.md has
// the table):
//
//   - 204 is success. A 404 means either that GitHub does not know the
//     token or that the client ID or secret is wrong [3p]; it is an error
//     matching revoke.ErrNotFound that says so, or Result.AlreadyInvalid
//     with Config.NotFoundIsAlreadyInvalid.
//   - 422 "Validation failed, or the endpoint has been spammed" is
//     revoke.ErrInvalidRequest.
//   - Rate limits come as 403 or 429 with x-ratelimit-remaining: 0 (primary)
//     or retry-after (secondary); both are revoke.ErrRateLimited with
//     RetryAfter. The kit paces every call to x-ratelimit-* (reset in epoch
//     seconds); Details reports x-ratelimit-resource and x-ratelimit-used.
//   - Errors are {"message","documentation_url"} (with "errors" for
//     validation failures): the message is Error.Description, the link
//     Error.URI.
//   - GitHub App refresh tokens (ghr_) cannot be revoked alone through the
//     app endpoints: RevokeToken deletes the grant when the oauth2.Token
//     has one.
//   - /credentials/revoke refuses authentication on github.com (403) and
//     takes at most 1,000 credentials per request and 60 requests per hour;
//     GitHub Enterprise Server requires authentication there.
package github
