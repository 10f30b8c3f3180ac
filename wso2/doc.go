// Package wso2 revokes OAuth 2.0 tokens at WSO2 Identity Server, WSO2 API
// Manager (4.x Key Manager) and Asgardeo, whose /oauth2/revoke endpoint
// follows RFC 7009 with its own quirks. It is built on the adapter kit
// (package adapter), as a third-party adapter would be.
//
//	r, err := wso2.New(wso2.Config{
//		BaseURL:      "https://api.asgardeo.io",
//		Tenant:       "myorg",
//		ClientID:     clientID,
//		ClientSecret: secret,
//	})
//	...
//	res, err := r.Revoke(ctx, revoke.Request{Token: tok, Hint: revoke.HintRefreshToken})
//	if d, _ := wso2.Details(res); err == nil && !d.Found() {
//		// nothing matched: already revoked, expired or unknown
//	}
//
// Endpoints:
//
//	POST {BaseURL}/oauth2/revoke            super tenant (WSO2 IS, API Manager)
//	POST {BaseURL}/t/{tenant}/oauth2/revoke tenant or Asgardeo organization
//
// References: https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/,
// https://wso2.com/asgardeo/docs/guides/authentication/oidc/revoke-tokens/,
// https://apim.docs.wso2.com/en/4.0.0/design/api-security/oauth2/token-revocation/
// and the server source, wso2-extensions/identity-inbound-auth-oauth
// (OAuthRevocationEndpoint, BasicAuthClientAuthenticator, OAuth2Service).
// Every fact the adapter relies on is in profile.go; the fake in package
// wso2test follows the same source; docs/vendors/wso2.md has the details.
//
// WSO2's behaviour, which this package and wso2test follow:
//
//   - Basic credentials are NOT form-decoded (RFC 6749 §2.3.1 says they
//     should be): the adapter sends "id:secret" raw, and WSO2 splits the
//     decoded header into exactly two parts, so neither may contain ':'. A
//     secret containing ':' needs client_secret_post (Config.Auth:
//     revoke.ClientSecretPost); revoke.ClientCredentials chooses it.
//   - Credentials in both the Authorization header and the body are refused
//     with 400 invalid_request "Request body and headers contain
//     authorization information". Every revoke.ClientAuth puts them in one
//     place.
//   - Tokens of apps that allow authentication without the client secret
//     (public clients), and implicit-grant tokens of apps with the implicit
//     grant enabled, are revoked with client_id alone (Config.ClientIDOnly;
//     OAuth2Service.revokeTokenByOAuthClient). API Manager's documentation
//     says the same of JWT-grant tokens; the current Identity Server source
//     exempts only the implicit grant, so expect invalid_client there.
//   - 200 is success also when nothing matched. When WSO2 found and revoked a
//     token it adds the RevokedAccessToken, RevokedRefreshToken and
//     AuthorizedUser headers, reported by Details (the two tokens are
//     revoke.Secret values, redacted in every print); RevokeDetails.Found
//     reports whether they came. Their absence is not an error: the token
//     was unknown, expired, already revoked, or the server has the headers
//     switched off (identity.xml EnableRevokeResponseHeaders).
//   - Revoking an access token also revokes its refresh token, and the other
//     way round: WSO2 keeps both in one record.
//   - A failed client authentication is 401 invalid_client with a JSON body
//     labelled Content-Type: text/html; the SDK parses the body whatever the
//     label says.
//   - token_type_hint is access_token or refresh_token; device_secret is
//     refused before sending.
//   - The JSONP "callback" parameter is never sent: Request.Params with it
//     is refused.
package wso2
