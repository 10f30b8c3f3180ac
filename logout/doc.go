// Package logout is the receiving end of logout: http.Handlers that a Go web
// application mounts so that an identity provider can end a user's sessions
// there.
//
// Two protocols are served, each by its own handler:
//
//   - [GlobalTokenRevocationHandler]: Global Token Revocation
//     (draft-parecki-oauth-global-token-revocation-06), which Okta Universal
//     Logout uses to call applications. The identity provider POSTs a JSON
//     body {"sub_id": {...}} naming the user with an RFC 9493 subject
//     identifier, authenticated by a signed JWT in the Authorization header.
//   - [BackChannelLogoutHandler]: OpenID Connect Back-Channel Logout 1.0. The
//     OpenID Provider POSTs a form with a signed logout_token naming the user
//     (sub) and/or the session (sid).
//
// Both handlers verify the JWT against the issuer's JSON Web Key Set, refuse
// replays, and then call one application callback with an [Event] naming the
// subject, bounded by a deadline. The application ends its sessions there,
// and may revoke the tokens it holds (with the revoke package's adapters).
//
// Safety defaults: only asymmetric signature algorithms are accepted (never
// "none", never HMAC); JWKS documents are fetched over https (plain http only
// to loopback), without following redirects, read up to 1 MiB, refreshed at
// most once per interval when a token names an unknown key, and concurrent
// refreshes collapse into one fetch. Request bodies are read up to 64 KiB.
// No token or JWT ever appears in a response body, an error or a log line;
// responses say what class of thing went wrong, never what the token held.
// The replay cache lives in each handler: the package has no global state.
package logout
