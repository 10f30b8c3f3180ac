// Package salesforce revokes OAuth 2.0 access and refresh tokens issued by
// Salesforce (connected apps and external client apps). It is built on the
// adapter kit (package adapter), as a third-party adapter would be.
//
// Revoker sends POST {login URL}/services/oauth2/revoke with the form
// token=… and no client authentication
// (https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html):
//
//	r, err := salesforce.New(salesforce.Config{URL: salesforce.MyDomain("acme")})
//	...
//	err = revoke.RevokeToken(ctx, r, tok)
//
// Salesforce's behaviour, which this package and the fake in
// salesforcetest follow:
//
//   - The endpoint is on every login host: the org's My Domain
//     ({name}.my.salesforce.com), a sandbox
//     ({name}--{sandbox}.sandbox.my.salesforce.com), an Experience Cloud
//     site, and the legacy login.salesforce.com and test.salesforce.com.
//   - No client authentication: the token is the credential
//     (revoke.NoClientAuth). No token_type_hint is documented: the
//     adapter checks hints and does not send them.
//   - 200 is success. Every error is 400: invalid_token (the token was
//     invalid, expired or already revoked) is reported as success with
//     Result.AlreadyInvalid; unsupported_token_type is
//     revoke.ErrUnsupportedTokenType.
//   - Revoking a refresh token revokes its access tokens too; revoking an
//     access token revokes only it. RevokeToken sends the refresh token,
//     then the access token.
//   - Salesforce also accepts GET …/revoke?token=… and a JSONP variant:
//     the adapter never uses them, as they put the token in URLs.
//
// Every fact the package relies on is in profile.go;
// docs/vendors/salesforce.md has the details.
package salesforce
