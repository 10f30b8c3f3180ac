// Package zitadel revokes OAuth 2.0 tokens at ZITADEL (ZITADEL Cloud and
// self-hosted instances). It is built on the adapter kit (package
// adapter), as a third-party adapter would be.
//
// Revoker sends POST https://{instance}/oauth/v2/revoke
// (https://zitadel.com/docs/apis/openidoauth/endpoints#revocation_endpoint):
//
//	r, err := zitadel.New(zitadel.Config{
//		Domain: "my-instance-abc123.zitadel.cloud",
//		Auth:   revoke.ClientSecretBasic(clientID, secret),
//	})
//	// or, reading /.well-known/openid-configuration:
//	r, err = zitadel.Discover(ctx, "my-instance-abc123.zitadel.cloud", revoke.PrivateKeyJWT(clientID, key, revoke.WithKeyID(keyID)))
//	...
//	err = revoke.RevokeToken(ctx, r, tok)
//
// ZITADEL's behaviour, from its documentation and the library it is built
// on (github.com/zitadel/oidc, pkg/op/token_revocation.go), which this
// package and the fake in zitadeltest follow:
//
//   - Client authentication is the application's method: Basic (the
//     credentials RFC 6749 §2.3.1 form-encoded: ZITADEL decodes them, so
//     revoke.ClientSecretBasicRaw is refused), Post, None (client_id alone,
//     PKCE applications; a confidential application sending client_id
//     without its secret gets 401 invalid_client "invalid authorization"),
//     or private_key_jwt, whose assertion must name the issuer,
//     https://{instance}, in "aud".
//   - Errors are RFC 6749 JSON: invalid_client is 401, server_error 500,
//     everything else 400. A refused client assertion comes back from
//     zitadel/oidc as 500 server_error with the verification message
//     ("audience is not valid: …"): the adapter reports it as
//     revoke.ErrInvalidClient.
//   - Success is 200 with the body JSON null, also for a token that is
//     unknown, expired or already revoked.
//   - Revoking a refresh token revokes its access tokens; revoking an
//     access token revokes only it. Hint access_token skips the
//     refresh-token lookup.
//
// Every fact the package relies on is in profile.go;
// docs/vendors/zitadel.md has the details.
package zitadel
