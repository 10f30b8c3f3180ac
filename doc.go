// Package revoke revokes OAuth 2.0 tokens (RFC 7009) at every major identity
// vendor through one interface.
//
// The root package owns the vocabulary every caller touches: the [Revoker]
// interface, [Request] and [Result], the typed [Error] with its sentinels,
// client authentication ([ClientAuth]: [ClientSecretBasic],
// [ClientSecretBasicRaw], [ClientSecretPost], [PublicClient],
// [PrivateKeyJWT], [ClientSecretJWT]) and the [Option]s shared by every
// adapter. Vendor quirks live in one adapter package per vendor:
//
//   - generic: any RFC 7009 server, configured or discovered (RFC 8414)
//   - okta: Okta org and custom authorization servers, and the Okta
//     token-management admin API
//   - onelogin: OneLogin API-credential tokens (v1 header, v2 Basic) and OIDC
//   - wso2: WSO2 Identity Server, API Manager and Asgardeo
//   - revoketest: faithful emulators of each vendor for tests and demos
//
// Every adapter shares one request pipeline: POST with bounded response
// reads, no redirects, plain http refused except to loopback, retries only
// on connection failures, 429, 502, 503 and 504, waits that honour
// Retry-After (RFC 9110 §10.2.3) and the vendors' rate-limit reset headers,
// capped and bounded by the context deadline. Tokens, secrets and
// assertions never appear in errors, logs or printed values.
//
// A nil error from Revoke means the server acknowledged the request, which
// per RFC 7009 §2.2 includes tokens that were already invalid. An error of
// kind [ErrUnavailable] means the token may still be valid (RFC 7009
// §2.2.1): retry later.
package revoke
