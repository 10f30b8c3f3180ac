package zitadel

// This file holds every fact about ZITADEL the package relies on, with its
// source. The rest of the package only uses them.
//
// Sources: the documentation,
// https://zitadel.com/docs/apis/openidoauth/endpoints#revocation_endpoint
// and https://zitadel.com/docs/apis/openidoauth/authn-methods, and the
// OpenID provider library ZITADEL is built on, github.com/zitadel/oidc
// (pkg/op/token_revocation.go: ParseTokenRevocationRequest, Revoke,
// RevocationError; pkg/op/verifier_jwt_profile.go: VerifyJWTAssertion;
// pkg/oidc/verifier.go; pkg/op/token_request.go: AuthorizeClientIDSecret).

import (
	"net/http"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Operation names, as errors and logs show them.
const (
	opRevoke   = "zitadel revoke"
	opDiscover = "zitadel discover"
)

// Paths on the instance's domain.
const (
	revokePath    = "/oauth/v2/revoke"
	discoveryPath = "/.well-known/openid-configuration"
)

// hints are the values ZITADEL documents. zitadel/oidc reads the hint
// once: anything but access_token makes it look the token up as a refresh
// token first; access_token skips that lookup.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// authRules are ZITADEL's rules for client authentication. Methods are
// those ZITADEL documents at the revocation endpoint: Basic with the
// credentials form-decoded (url.QueryUnescape, as RFC 6749 §2.3.1 says, so
// raw Basic is refused), client_secret_post, client_id alone for
// applications whose method is none (PKCE), and private_key_jwt ("JWT with
// private key"). zitadel/oidc verifies client assertions with the
// application's registered public keys only, so client_secret_jwt is
// refused; there is no mutual TLS method. revoke.ClientCredentials
// resolves to Basic or Post (Credentials), from those the instance lists
// in revocation_endpoint_auth_methods_supported when discovered; an
// explicit method is checked against these rules only.
var authRules = adapter.AuthRules{
	Vendor:  "ZITADEL",
	Methods: []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone, revoke.MethodPrivateKeyJWT},
	Advice:  "use revoke.ClientSecretBasic, revoke.ClientSecretPost, revoke.PrivateKeyJWT or revoke.PublicClient, as the application's authentication method says",
	Refused: map[string]string{
		revoke.MethodNoClientAuth:    "revoke.NoClientAuth sends no client_id, and ZITADEL always identifies the application: use revoke.PublicClient(id) for an application with authentication method None (PKCE)",
		revoke.MethodClientSecretJWT: "ZITADEL verifies client assertions with the application's registered keys only, so client_secret_jwt cannot work: use revoke.PrivateKeyJWT with a key of the application (authentication method JWT), or its client secret with revoke.ClientSecretBasic",
	},
	DecodesBasic: true,
	Credentials:  []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost},
}

// audience is ZITADEL's rule for a client assertion's "aud":
// VerifyJWTAssertion checks that the audience contains the issuer
// (oidc.CheckAudience(request, v.Issuer)). The instance's issuer is
// https://{domain}, without a trailing slash.
const audience = revoke.AudienceIssuer

// acceptJSON is the fixed request header.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// profile is what the adapter kit needs to know about ZITADEL. Its error
// bodies are RFC 6749 §5.2 JSON ({"error","error_description"}, which the
// kit parses), with status 401 for invalid_client, 500 for server_error
// and 400 for anything else (RevocationError). ZITADEL documents no
// rate-limit or request-ID headers at this endpoint.
var profile = adapter.Profile{
	Name:     "zitadel",
	Classify: classify,
}

// assertionFailures are the messages of zitadel/oidc's JWT verification
// errors (pkg/oidc/verifier.go). VerifyJWTAssertion returns them as plain
// errors, which RevocationError turns into 500 server_error with the
// message as error_description [V-src zitadel/oidc; ZITADEL's own server
// may answer invalid_client instead]: the adapter reads both as a failed
// client authentication.
var assertionFailures = []string{
	"audience is not valid", "token has expired", "issuedat of token", "invalid signature",
	"signature does not match", "signature algorithm not supported", "delegation not allowed",
	"parsing of request failed", "does not contain a signature", "contains multiple signatures",
	"error fetching keys",
}

// classify maps ZITADEL's answers whose RFC 6749 code misleads:
//
//   - 500 server_error carrying a JWT verification message: the client
//     assertion was refused (its audience, signature or times), which is
//     revoke.ErrInvalidClient, not a server failure;
//   - invalid_client "token was not issued for this client" (zitadel/oidc's
//     example storage; ZITADEL's own storage lets any client of the
//     token's audience revoke it [3p]): the client authenticated but may
//     not revoke this token, revoke.ErrUnauthorizedClient.
func classify(status int, b adapter.ErrorBody) error {
	desc := strings.ToLower(b.Description)
	switch {
	case b.Code == "server_error" && status == http.StatusInternalServerError:
		for _, m := range assertionFailures {
			if strings.Contains(desc, m) {
				return revoke.ErrInvalidClient
			}
		}
	case b.Code == "invalid_client" && strings.Contains(desc, "not issued for this client"):
		return revoke.ErrUnauthorizedClient
	}
	return nil
}
