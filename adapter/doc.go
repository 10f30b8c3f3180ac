// Package adapter is the kit for building a vendor adapter on the SDK's
// shared request pipeline. Every adapter in this module is built on it,
// exactly as a third party would build one.
//
// An adapter describes its vendor's call; the kit does the rest:
//
//   - An adapter's constructor resolves the caller's revoke.Options with
//     New, giving a Client that holds the retry policy, the HTTP transport
//     and the vendor's rate-limit state. Share one Client per adapter.
//   - Each call is a Call: method, URL and query, fixed headers, a body
//     (Form, JSONFields, JSON or none), a revoke.ClientAuth, the secrets to
//     scrub, and a Check that says what the vendor's answer means (for
//     vendors such as Slack, 200 {"ok":false} is a failure).
//   - A Profile holds what is the same for every call to one vendor: which
//     headers carry its rate limit and request ID, how to read its error
//     body, and how to classify its error codes.
//   - RFC 7009 endpoints need only a Revocation: the kit builds the form,
//     checks the hint and the extra parameters, applies the client
//     authentication and returns a *revoke.Result.
//   - An adapter's revoker type holds a Revoker, a Client bound to its
//     Revocation, and delegates to it: Revoke, the accessors, and printing
//     without credentials, all safe on nil and zero values.
//   - Discovery and Client.FetchMetadata read RFC 8414 / OpenID Connect
//     Discovery metadata and refuse a document naming another issuer.
//   - For management APIs, SourceToken takes an access token from an
//     oauth2.TokenSource, SourceError classifies its failure, TokenCache
//     keeps the token of a client credentials grant, and
//     Response.AccessToken reads the grant's answer.
//
// The kit retries connection failures, 429, 502, 503 and 504 with waits
// from Retry-After and the vendor's reset headers (capped by the retry
// policy's MaxWait and the context deadline; past the cap it returns at
// once with Error.RetryAfter set); paces every caller of one Client when
// the vendor's rate-limit window is spent, so that a shared adapter draws
// no avoidable 429; reads bodies with a bound and drains them so
// connections are reused; refuses redirects and plain http except to
// loopback; scrubs every secret the call sent, in every encoding a server
// may echo, from everything it keeps, before cutting it to length; and
// logs through slog with nothing secret. Every error it returns is a
// *revoke.Error or a *revoke.ConfigError.
//
// See the README section "Writing an adapter" for a complete adapter of a
// non-RFC endpoint, and ExampleClient_Do.
package adapter
