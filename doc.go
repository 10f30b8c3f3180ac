// Package revoke revokes OAuth 2.0 tokens (RFC 7009) at every major identity
// vendor through one interface.
//
// The root package owns the vocabulary every caller touches: the [Revoker]
// interface, [Request] and [Result], [RevokeToken] for an *oauth2.Token, the
// typed [Error] with its sentinels and [ConfigError], client authentication
// ([ClientAuth]: [ClientSecretBasic], [ClientSecretBasicRaw],
// [ClientSecretPost], [PublicClient], [NoClientAuth], [PrivateKeyJWT],
// [ClientSecretJWT], [TLSClientAuth], [SelfSignedTLSClientAuth],
// [ClientCredentials]), proof of possession ([WithDPoP], RFC 9449),
// user-level revocation ([SubjectRevoker], [Subject], [Report]) and the
// [Option]s shared by every adapter.
//
// Vendor quirks live in one folder per vendor, each with its fake beside it
// in <vendor>/<vendor>test: generic (any RFC 7009 server, configured or
// discovered through RFC 8414 metadata), okta and okta/oktaadmin, onelogin,
// wso2, auth0, cognito, dropbox, entra, github, google, hydra, keycloak,
// ping, salesforce, slack, spotify and zitadel. Every adapter is built on
// package adapter, the public kit that sends a call with retries and pacing,
// reads bounded, scrubs secrets and classifies the answer; a third-party
// adapter uses it exactly as these do. Package revoketest is the fakes'
// shared core and an RFC 7009 + RFC 7662 server; package logout serves the
// receiving end of logout; package bulk revokes many tokens at the vendor's
// rate, resumably.
//
// Every call is a POST (or the vendor's documented method) with bounded
// response reads, no redirects, plain http refused except to loopback,
// retries only on connection failures, 429, 502, 503 and 504, waits that
// honour Retry-After (RFC 9110 §10.2.3) and the vendors' rate-limit reset
// headers, capped and bounded by the context deadline. Tokens, secrets,
// assertions and proofs never appear in errors, logs or printed values.
//
// A nil error from Revoke means the server acknowledged the request, which
// per RFC 7009 §2.2 includes tokens that were already invalid. An error of
// kind [ErrUnavailable] means the token may still be valid (RFC 7009
// §2.2.1): retry later.
package revoke
