// Package onelogin revokes OneLogin tokens.
//
// OneLogin has two revocation endpoints for two kinds of token, and this
// package has one Revoker for each:
//
//   - New returns a *Revoker for tokens minted with API credentials (the
//     client_id and client_secret of Developers > API Credentials). It calls
//     POST https://<subdomain>.onelogin.com/auth/oauth2/revoke with a JSON
//     body {"access_token":"…"} and reads OneLogin's status envelope.
//     Revoking an access token also revokes its refresh token.
//     https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
//   - NewOIDC returns an *OIDCRevoker for end-user tokens issued to an OpenID
//     Connect app. It calls POST https://<subdomain>.onelogin.com/oidc/2/token/revocation
//     with an RFC 7009 form and the app's Token Endpoint Authentication
//     Method (Basic, POST or None/PKCE).
//     https://developers.onelogin.com/openid-connect/api/revoke-token
//
// For user-level revocation ("this laptop was stolen"), NewAdmin returns an
// *Admin, which implements revoke.SubjectRevoker with Log User Out, PUT
// https://<subdomain>.onelogin.com/api/1/users/<id>/logout
// (https://developers.onelogin.com/api-docs/1/users/log-user-out), and
// resolves email subjects with List Users v2
// (https://developers.onelogin.com/api-docs/2/users/list-users). It ends the
// user's OneLogin session, not sessions in third-party applications. Its API
// access tokens come from a *TokenSource (NewTokenSource), Generate Tokens
// v2 (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
//
// All are built on the public adapter kit (package adapter), and return
// errors that match the sentinels of package revoke with errors.Is, so
// callers handle OneLogin like every other vendor:
//
//	_, err := r.Revoke(ctx, revoke.Request{Token: tok})
//	switch {
//	case errors.Is(err, revoke.ErrInvalidClient):        // fix the credentials
//	case errors.Is(err, revoke.ErrUnsupportedTokenType): // OIDC: possibly already revoked
//	}
//
// For tests, package onelogintest emulates these endpoints with real token
// and session state: onelogintest.New for httptest.NewServer, onelogintest.Register
// for an httpmock transport.
package onelogin
