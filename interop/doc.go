// Package interop proves the revoke SDK against two real RFC 7009
// authorization servers that this project did not write: panva's
// oidc-provider (Node.js, run by run.sh) and ory/fosite (Go, composed in
// process by the tests), including DPoP (RFC 9449) and mutual TLS
// (RFC 8705) at oidc-provider.
//
// The package has no exported API; everything lives in its tests. It is a
// separate module so that importers of github.com/revokekit/revoke never
// download fosite or anything from npm. Run it with:
//
//	bash interop/run.sh
package interop
