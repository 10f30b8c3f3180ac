// Package slack revokes Slack OAuth tokens with the Web API method
// auth.revoke, which the token being revoked authenticates. It is built on
// the adapter kit (package adapter), as a third-party adapter would be.
//
//	r, err := slack.New(slack.Config{})
//	...
//	res, err := r.Revoke(ctx, revoke.Request{Token: "xoxp-…"})
//	if d, _ := slack.Details(res); err == nil && d.Revoked {
//		// revoked now; res.AlreadyInvalid means it had already stopped working
//	}
//
// Endpoint (https://docs.slack.dev/reference/methods/auth.revoke):
//
//	POST https://slack.com/api/auth.revoke
//	Authorization: Bearer <the token to revoke>
//
// Slack's behaviour, which this package and package slacktest follow
// (every fact with its source is in profile.go; docs/vendors/slack.md has
// the table):
//
//   - Every answer is HTTP 200 except rate limits; the body says what
//     happened. {"ok":true,"revoked":true} is success. {"ok":false,…} is
//     never a success: invalid_auth, token_revoked, account_inactive and
//     token_expired mean the token no longer works and are reported as
//     Result.AlreadyInvalid; every other code is an error classified into
//     the root sentinels, with Slack's code in Error.Code.
//   - test=1 (Config.Test, or Request.Params{"test": {"1"}}) is a dry run:
//     {"ok":true,"revoked":false}, reported by Details(res).DryRun.
//   - Rate limits are HTTP 429 with Retry-After (auth.revoke is Tier 3,
//     "50+ per minute"); the kit retries within the retry policy.
//   - The token is the credential: it travels in the Authorization header
//     and is scrubbed, with the header, from everything kept.
//   - Slack documents no way to revoke a rotating token's refresh token
//     through auth.revoke: RevokeToken says so with revoke.ErrUnsupported.
package slack
