package ping

// This file holds every fact about the three Ping Identity products the
// package relies on, with its source. The rest of the package only uses
// them.
//
// Sources:
//   - PingFederate: "Token revocation endpoint",
//     https://docs.pingidentity.com/pingfederate/latest/developers_reference_guide/pf_token_revoc_endpoint.html
//   - PingOne: "Token Revocation",
//     https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html;
//     "Token endpoint authentication methods",
//     https://docs.pingidentity.com/pingone/applications/p1_token_endpoint_authentication_methods.html;
//     "Create a private key JWT",
//     https://developer.pingidentity.com/pingone-api/auth/auth-config-options/create-a-private-key-jwt.html;
//     regional domains, https://docs.pingidentity.com/pingone/developer_tools/p1_ip_address_domain_reference.html;
//     custom domains, https://developer.pingidentity.com/pingone-api/platform/custom-domains.html
//   - PingAM, ForgeRock Access Management and PingOne Advanced Identity
//     Cloud: "/oauth2/token/revoke",
//     https://docs.pingidentity.com/pingam/8/am-oauth2/oauth2-token-revoke-endpoint.html
//     and https://docs.pingidentity.com/pingoneaic/am-oauth2/oauth2-token-revoke-endpoint.html

import (
	"encoding/json"
	"net/http"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Product names one of the three Ping Identity authorization servers.
type Product string

// The products, as Revoker.Product reports them and errors name them.
const (
	// Federate is PingFederate (self-managed).
	Federate Product = "pingfederate"
	// One is PingOne (SaaS), whose authorization service is
	// auth.pingone.{region}.
	One Product = "pingone"
	// AM is PingAM, ForgeRock Access Management, and PingOne Advanced
	// Identity Cloud (formerly ForgeRock Identity Cloud), which runs AM.
	AM Product = "pingam"
)

// ---- PingFederate ----

// federatePath is PingFederate's revocation endpoint ("This endpoint
// accepts only the HTTP POST method"; the token "only in the message
// body").
const federatePath = "/as/revoke_token.oauth2"

// federateTokenPath is PingFederate's token endpoint, the default "aud" of
// a client assertion [Inf: PingFederate documents the token endpoint for
// JWT client authentication at the token endpoint; the adapter sends the
// same at revocation, overridable with revoke.WithAudience].
const federateTokenPath = "/as/token.oauth2"

// federateMethods: client secret by Basic or POST parameters, a public
// client's client_id, private_key_jwt and client_secret_jwt, and a client
// TLS certificate (tls_client_auth), per the client's configuration.
var federateMethods = []string{
	revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone,
	revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretJWT, revoke.MethodTLSClientAuth,
}

// ---- PingOne ----

// Region is a PingOne region, by the top-level domain of its hosts
// (auth.pingone.{Region}).
type Region string

// PingOne's regions.
const (
	RegionNorthAmerica Region = "com"
	RegionEurope       Region = "eu"
	RegionCanada       Region = "ca"
	RegionAustralia    Region = "com.au"
	RegionSingapore    Region = "sg"
	// RegionAsiaPacific is the legacy .asia region, for existing
	// environments only.
	RegionAsiaPacific Region = "asia"
)

var regions = []Region{RegionNorthAmerica, RegionEurope, RegionCanada, RegionAustralia, RegionSingapore, RegionAsiaPacific}

// PingOne paths, after https://auth.pingone.{region}/{envID} (or a custom
// domain, which drops the environment ID): the issuer is …/as, the token
// endpoint …/as/token, the revocation endpoint …/as/revoke.
const (
	oneIssuerPath = "/as"
	oneRevokePath = "/as/revoke"
	oneTokenPath  = "/as/token"
)

// oneMethods are the application's tokenEndpointAuthMethod values:
// CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, CLIENT_SECRET_JWT,
// PRIVATE_KEY_JWT and NONE. PingOne enforces the configured one.
var oneMethods = []string{
	revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodClientSecretJWT,
	revoke.MethodPrivateKeyJWT, revoke.MethodNone,
}

// oneAudience: PingOne accepts as a client assertion's "aud" the token
// endpoint, the issuer (…/as) or the endpoint called. The adapter sends
// the issuer, the direction of draft-ietf-oauth-rfc7523bis.
const oneAudience = revoke.AudienceIssuer

// ---- PingAM ----

// AM paths after the deployment's base URL ({host}/am): the realm path
// /oauth2/realms/root[/realms/{sub-realm}…], then /token/revoke. The
// token endpoint is …/access_token.
const (
	amRealmsRoot  = "/oauth2/realms/root"
	amRevokePath  = "/token/revoke"
	amTokenPath   = "/access_token"
	amDefaultPath = "/am"
)

// amMethods: client_secret_basic, client_secret_post, a public client's
// client_id, the JWT profile (private_key_jwt; client_secret_jwt [Inf])
// and mutual TLS. client_id is required in the body whatever the method:
// the documentation's example sends Basic credentials and client_id.
var amMethods = []string{
	revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone,
	revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretJWT,
	revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth,
}

// amAudience is AM's rule for a client assertion's "aud": the access token
// endpoint of the realm [Inf].
const amAudience = revoke.AudienceTokenEndpoint

// ---- shared ----

// hints: all three products document access_token and refresh_token.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// credentialsMethods resolves revoke.ClientCredentials: Basic, or POST
// when RFC 6749 §2.3.1 form-encoding would change the ID or secret. None
// of the products documents whether it form-decodes Basic credentials
// [Inf]; with POST the secret arrives unchanged either way.
var credentialsMethods = []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost}

// acceptJSON is the fixed request header.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// Profiles: none of the products documents rate-limit headers at the
// revocation endpoint.
var (
	federateProfile = adapter.Profile{Name: string(Federate)}
	oneProfile      = adapter.Profile{Name: string(One), ParseError: parsePingOneError}
	amProfile       = adapter.Profile{Name: string(AM)}
)

// parsePingOneError reads the PingOne platform's error shape, which
// PingOne's edge answers for an unknown environment and other non-OAuth
// failures: {"id":"…","code":"NOT_FOUND","message":"…","details":[{"code",
// "message","target"}]}. The OAuth errors themselves are RFC 6749 JSON,
// which the kit parses.
func parsePingOneError(body []byte) (adapter.ErrorBody, bool) {
	var e struct {
		ID      string `json:"id"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"details"`
	}
	if json.Unmarshal(body, &e) != nil || e.Code == "" || e.Message == "" {
		return adapter.ErrorBody{}, false
	}
	b := adapter.ErrorBody{Code: e.Code, Description: e.Message, RequestID: e.ID}
	for _, d := range e.Details {
		if d.Message != "" {
			b.Causes = append(b.Causes, d.Message)
		}
	}
	return b, true
}
