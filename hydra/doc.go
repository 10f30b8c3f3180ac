// Package hydra revokes OAuth 2.0 tokens at Ory Hydra and Ory Network
// (Ory OAuth2 & OpenID Connect), and ends everything a subject holds
// through Hydra's admin API. It is built on the adapter kit (package
// adapter), as a third-party adapter would be.
//
// Revoker sends POST {public}/oauth2/revoke
// (https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2Token):
//
//	r, err := hydra.New(hydra.Config{
//		PublicURL: "https://auth.example.com", // or https://{slug}.projects.oryapis.com
//		Auth:      revoke.ClientSecretBasic(clientID, secret),
//	})
//	// or, reading /.well-known/openid-configuration:
//	r, err = hydra.Discover(ctx, "https://auth.example.com", revoke.ClientCredentials(clientID, secret))
//	...
//	err = revoke.RevokeToken(ctx, r, tok)
//
// Admin ends a subject's consent sessions (and every token issued under
// them) and login sessions
// (https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2ConsentSessions):
//
//	a, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: "http://127.0.0.1:4445"})
//	report, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("alice"))
//
// Hydra's behaviour, from fosite (github.com/ory/fosite) and Hydra's
// source, which this package and the fake in hydratest follow:
//
//   - Client authentication is the client's token_endpoint_auth_method:
//     client_secret_basic (the credentials RFC 6749 §2.3.1 form-encoded:
//     fosite decodes them, so revoke.ClientSecretBasicRaw is refused),
//     client_secret_post, private_key_jwt, or none (client_id alone).
//     Hydra hashes client secrets and cannot verify client_secret_jwt;
//     other fosite servers can.
//   - A client assertion's "aud" must be the token endpoint: fosite
//     rejects the revocation endpoint. The adapter uses the token
//     endpoint by default (PublicURL + /oauth2/token, or the metadata's
//     token_endpoint with Discover).
//   - Success is 200 with an empty body, also for a token that is unknown,
//     expired, already revoked, or missing: fosite collapses those into
//     200 and never says which. Errors are 400 invalid_request, 401
//     invalid_client (with WWW-Authenticate after Basic) and 400
//     unauthorized_client (another client's token), RFC 6749 JSON; Hydra's
//     admin API adds error_hint and error_debug, read as error causes.
//   - Revoking either token of a grant ends both (fosite revokes the
//     access and refresh tokens of the authorization request). RevokeToken
//     still sends the refresh token, then the access token.
//   - token_type_hint only says where fosite looks first; the adapter
//     sends access_token or refresh_token as given.
//   - The admin API answers 204 to both DELETEs, also for a subject
//     without sessions (older releases may answer 404 "Unable to locate
//     the requested resource", reported as nothing to revoke). Revoking
//     consent sessions revokes their tokens; revoking login sessions
//     revokes no token.
//
// Every fact the package relies on is in profile.go; docs/vendors/hydra.md
// has the details.
package hydra
