// Package keycloak revokes OAuth 2.0 tokens at Keycloak (and Red Hat build
// of Keycloak / RH-SSO), whose per-realm revocation endpoint follows
// RFC 7009 with its own quirks, and ends everything a user holds through
// Keycloak's admin REST API. It is built on the adapter kit (package
// adapter), as a third-party adapter would be.
//
//	r, err := keycloak.New(keycloak.Config{
//		BaseURL: "https://sso.example.com",
//		Realm:   "myrealm",
//		Auth:    revoke.ClientSecretBasic("my-app", secret),
//	})
//	...
//	res, err := r.Revoke(ctx, revoke.Request{Token: refreshToken})
//	if err == nil && res.AlreadyInvalid {
//		// Keycloak said the token was already revoked, expired or unknown
//	}
//
// Endpoints:
//
//	POST {base}/realms/{realm}/protocol/openid-connect/revoke     Revoker
//	GET  {base}/realms/{realm}/.well-known/openid-configuration    Discover
//	POST {base}/admin/realms/{realm}/users/{id}/logout             Admin
//	GET  {base}/admin/realms/{realm}/users?email=…&exact=true      Admin (email subjects)
//	GET  {base}/admin/realms/{realm}/users/{id}/consents           Admin (offline tokens)
//	DELETE {base}/admin/realms/{realm}/users/{id}/consents/{client} Admin (offline tokens)
//
// {base} is the server root: https://host for Keycloak 17 and later,
// https://host/auth for Keycloak 16 and older.
//
// References: https://www.keycloak.org/docs/latest/securing_apps/#_token_revocation_endpoint,
// https://www.keycloak.org/docs-api/latest/rest-api/index.html,
// https://www.keycloak.org/docs/latest/upgrading/#jwt-client-authentication-aligned-with-the-latest-oidc-specification,
// and the server source, keycloak/keycloak (TokenRevocationEndpoint,
// ClientIdAndSecretAuthenticator, JWTClientValidator,
// X509ClientAuthenticator, BasicAuthHelper, UserResource). Every fact the
// package relies on is in profile.go; the fake in package keycloaktest
// follows the same source; docs/vendors/keycloak.md has the details.
//
// Keycloak's behaviour, which this package and keycloaktest follow:
//
//   - 200 with an empty body is success. 200 with
//     {"error":"invalid_token","error_description":"Invalid token"} means
//     the token was already revoked, expired, malformed or its session is
//     gone: success too, reported with Result.AlreadyInvalid.
//   - token_type_hint is never read. The registered hints are sent as
//     given (harmless); others are refused before sending.
//   - Revoking a refresh or offline token ends the client's session in the
//     user session it belongs to (and the access tokens issued in it);
//     revoking an access token puts its ID on a revoked list until it
//     expires. An ID token is 400 unsupported_token_type.
//   - Another client's token is 400 invalid_request "Unmatching clients"
//     (revoke.ErrInvalidRequest, with a hint); a repeated parameter 400
//     invalid_request "duplicated parameter" (refused before sending).
//   - A failed client authentication is 401 unauthorized_client "Invalid
//     client or Invalid client credentials" (revoke.ErrInvalidClient); a
//     missing client_id 400 invalid_client.
//   - Basic credentials are form-decoded (RFC 6749 §2.3.1) since Keycloak
//     20 (keycloak#11908, fixed by keycloak#14347 with
//     BasicAuthHelper.RFC6749); recent releases keep a value that does not
//     decode as it was sent; 19 and older take them raw.
//     revoke.ClientSecretBasic encodes; revoke.ClientCredentials sends
//     client_secret_post when encoding would change the ID or secret, so
//     that every version reads it alike.
//   - Client assertions (private_key_jwt, client_secret_jwt): Keycloak
//     accepts as "aud" the realm's issuer, its token endpoint, its
//     introspection, PAR and CIBA endpoints (JWTClientValidator), a single
//     value unless the server allows several (Keycloak 26: "JWT client
//     authentication aligned with the latest OIDC specification"). It
//     refuses the revocation endpoint (zmartzone/lua-resty-openidc#491,
//     Keycloak 22: "Token audience doesn't match domain"); no release read
//     accepts it. The SDK sends the issuer alone, as
//     draft-ietf-oauth-rfc7523bis recommends; revoke.WithAudience and
//     revoke.WithAudienceValue override it, the revocation endpoint
//     included, for a server that takes it.
//   - tls_client_auth is Keycloak's "X509 Certificate" authenticator: the
//     certificate's subject DN must match the client's pattern, client_id
//     travels in the body. Discover uses mtls_endpoint_aliases.
//   - 403 invalid_request "HTTPS required" (the realm requires TLS and
//     Keycloak saw http, often behind a proxy it does not trust) is
//     revoke.ErrInsecureEndpoint; 403 access_denied "Realm not enabled"
//     revoke.ErrForbidden; an unknown realm 404, revoke.ErrNotFound.
//   - DPoP: Keycloak binds tokens of DPoP clients to a key (RFC 9449). Its
//     revocation endpoint does not ask for a proof today (keycloak#44027
//     asks for an option to require one); its logout endpoint does for a
//     bound refresh token (keycloak#50306). revoke.WithDPoP sends a proof
//     with every request, which Keycloak ignores where it does not check
//     one.
//   - Keycloak sends no rate-limit headers; the kit retries 429, 502, 503
//     and 504 and their Retry-After.
//
// Admin ends everything a user holds (revoke.SubjectRevoker): it logs the
// user out, which ends every session and sets the user's not-before, and
// revokes the user's offline tokens client by client, as offline sessions
// outlive a logout.
package keycloak
