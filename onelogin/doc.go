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
// Both are built on the public adapter kit (package adapter), and return
// errors that match the sentinels of package revoke with errors.Is, so
// callers handle OneLogin like every other vendor:
//
//	_, err := r.Revoke(ctx, revoke.Request{Token: tok})
//	switch {
//	case errors.Is(err, revoke.ErrInvalidClient):        // fix the credentials
//	case errors.Is(err, revoke.ErrUnsupportedTokenType): // OIDC: possibly already revoked
//	}
//
// For tests, package onelogintest emulates both endpoints with real token
// state: onelogintest.New for httptest.NewServer, onelogintest.Register
// for an httpmock transport.
package onelogin
