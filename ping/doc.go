// Package ping revokes OAuth 2.0 tokens at Ping Identity's three
// authorization servers, each with its constructor and one Revoker type:
//
//	NewFederate  PingFederate           POST {base}/as/revoke_token.oauth2
//	NewOne       PingOne                POST https://auth.pingone.{region}/{envID}/as/revoke
//	NewAM        PingAM, ForgeRock AM,  POST {base}/oauth2/realms/root/realms/{realm}/token/revoke
//	             PingOne Advanced Identity Cloud
//
// It is built on the adapter kit (package adapter), as a third-party
// adapter would be:
//
//	r, err := ping.NewOne(ping.OneConfig{
//		EnvironmentID: "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
//		Region:        ping.RegionEurope,
//		Auth:          revoke.ClientSecretBasic(appID, secret),
//	})
//	...
//	err = revoke.RevokeToken(ctx, r, tok)
//
// The products' behaviour, from their documentation (links in profile.go),
// which this package and the fakes in pingtest follow:
//
//   - All three take a form POST of token and an optional token_type_hint
//     (access_token or refresh_token), the token only in the body.
//     Revoking a refresh token revokes its grant and the grant's access
//     tokens; revoking an access token leaves the refresh token.
//     RevokeToken sends the refresh token, then the access token.
//   - PingFederate authenticates the client as configured: client secret
//     by Basic or POST, a public client's client_id, private_key_jwt,
//     client_secret_jwt, a TLS client certificate. Only internally managed
//     reference access tokens can be revoked directly; JWT access tokens
//     only when the access token manager has "Enable Token Revocation"
//     (otherwise they end with their refresh token).
//   - PingOne uses the application's tokenEndpointAuthMethod, and only
//     that: CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT,
//     PRIVATE_KEY_JWT or NONE. Only tokens for a custom resource that
//     carry a session (sid) can be revoked: not tokens for the PingOne API,
//     not client_credentials tokens. A client assertion's "aud" may be the
//     issuer (…/as, the adapter's default), the token endpoint or the
//     endpoint called.
//   - PingAM requires client_id in the body whatever the authentication:
//     with Basic (or a client assertion) the adapter sends both the header
//     and client_id, as PingAM's own example does. This is the one vendor
//     where both are sent. A failed client authentication is 400
//     invalid_client (not 401); success is 200 with the body {}.
//   - Errors are RFC 6749 JSON and are classified by their code, whatever
//     the status. PingOne's platform errors ({"id","code","message"}) are
//     read too.
//
// Where the documentation is silent (whether Basic credentials are
// form-decoded, what a server answers for a token it cannot revoke), the
// adapter takes the reading that works either way, and profile.go marks the
// fact [Inf]. docs/vendors/ping.md has the details.
package ping
