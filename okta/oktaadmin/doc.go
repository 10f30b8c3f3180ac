// Package oktaadmin calls Okta's management API to find and revoke the
// refresh tokens Okta issued: every token of a user, of a user at one
// client, of a client at one authorization server, or one token by ID; it
// also revokes consent grants, clears a user's sessions or closes one, and
// ends everything a user holds in one call (RevokeSubject, which
// implements revoke.SubjectRevoker, or Okta Universal Logout's Global Token
// Revocation). Use it from incident tooling ("this laptop was stolen: end
// everything Alice holds") and offboarding jobs; use package okta (/revoke)
// when you hold the token itself.
//
//	admin, err := oktaadmin.New(oktaadmin.Config{
//		Domain:   "dev-123456.okta.com",
//		APIToken: os.Getenv("OKTA_API_TOKEN"), // sent as "Authorization: SSWS …"
//	})
//	...
//	report, err := admin.RevokeSubject(ctx, revoke.EmailSubject("alice@example.com"))
//
// A service app (ServiceAppTokenSource) replaces the API token; Okta makes
// new service apps require DPoP (RFC 9449), and the source and the Admin
// handle it: a proof on every request, the nonce handshake, DPoP-bound
// tokens presented with a proof bound to them.
//
// # Why a package of its own
//
// The management API is a different API from /revoke, with different
// credentials and different callers. /revoke (package okta) is OAuth 2.0:
// a client revokes a token it holds, authenticating as that client, from a
// logout handler. The management API is Okta's REST API: an administrator's
// API token (SSWS) or a service app's OAuth access token (Bearer or DPoP,
// scopes okta.users.*, okta.sessions.manage, okta.authorizationServers.*,
// okta.universalLogout.manage) acts on other people's tokens by ID, from
// admin tooling. It is also most of Okta's code (paths,
// pagination, types, service-app tokens). Keeping it apart keeps package
// okta small for the common caller, and keeps the API token and its
// options out of the logout handler's way.
//
// Every call goes through the public adapter kit (package adapter): the
// kit paces calls per rate-limit bucket ("METHOD /path/template"), retries,
// bounds and scrubs what it reads; this package describes each operation
// and supplies the credential for every attempt. Its fake, an Okta org's
// management API with state, is oktatest.Admin (package okta/oktatest).
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/
package oktaadmin
