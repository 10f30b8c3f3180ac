package wso2

// This file holds every fact about WSO2 the adapter relies on, with its
// source. The rest of the package only uses them.
//
// Sources: the server source, wso2-extensions/identity-inbound-auth-oauth
// (OAuthRevocationEndpoint, OAuth2Service.revokeTokenByOAuthClient and
// addRevokeResponseHeaders, BasicAuthClientAuthenticator,
// InvalidRequestExceptionMapper), and the documentation:
// https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/,
// https://wso2.com/asgardeo/docs/guides/authentication/oidc/revoke-tokens/,
// https://apim.docs.wso2.com/en/4.0.0/design/api-security/oauth2/token-revocation/.

import (
	"net/http"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Response headers WSO2 adds to a 200 when it found and revoked a token
// (OAuth2Service.addRevokeResponseHeaders). identity.xml
// EnableRevokeResponseHeaders=false turns all three off;
// OAuth.EnableRevokeTokenHeadersInResponse=false turns off the two token
// headers and keeps AuthorizedUser. WSO2 writes them in this spelling; the
// adapter reads them whatever the letter case.
const (
	HeaderRevokedAccessToken  = "RevokedAccessToken"
	HeaderRevokedRefreshToken = "RevokedRefreshToken"
	HeaderAuthorizedUser      = "AuthorizedUser"
)

// SuperTenant is the tenant domain WSO2 Identity Server and API Manager
// serve at /oauth2/revoke, without a /t/{tenant} prefix (the Carbon super
// tenant). Config.Tenant may name it explicitly: /t/carbon.super/oauth2/revoke
// reaches the same tenant.
const SuperTenant = "carbon.super"

// op names the revocation in errors and logs.
const op = "wso2 revoke"

// Endpoint layout (OAuthRevocationEndpoint is mounted at /oauth2/revoke,
// and the tenant dispatcher serves /t/{tenant}/... for every tenant and
// Asgardeo organization).
var (
	revokePath = []string{"oauth2", "revoke"}
	// tenantPrefix is the path segment before a tenant domain.
	tenantPrefix = "t"
)

// hints are the token_type_hint values OAuth2Service understands:
// refresh_token makes it look among refresh tokens first, anything else
// among access tokens first; it finds the token either way. WSO2 has no
// device secrets.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// callbackParam is OAuthRevocationEndpoint's JSONP parameter: with it every
// answer becomes "callback(...)" and errors lose error_description. The
// adapter never sends it.
const callbackParam = "callback"

// Client authentication methods WSO2's built-in authenticators handle at
// the revocation endpoint: Basic with the decoded header split on ':' into
// exactly two parts and never form-decoded (BasicAuthClientAuthenticator),
// client_id and client_secret in the body, and client_id alone for apps that
// allow authentication without the secret and for implicit-grant tokens
// (OAuth2Service.revokeTokenByOAuthClient).
//
// credentialsMethods resolves revoke.ClientCredentials to
// client_secret_post: the body carries any secret unchanged, ':' included,
// which raw Basic cannot, and encoded Basic is never decoded.
var credentialsMethods = []string{revoke.MethodClientSecretPost}

// acceptJSON is the fixed request header: WSO2 answers errors in JSON.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// profile is what the adapter kit needs to know about WSO2. WSO2 sends no
// rate-limit headers at /oauth2/revoke and documents no request-ID header,
// so the kit's defaults stand; its error bodies are RFC 6749 §5.2 JSON,
// which the kit parses whatever the Content-Type says (WSO2 labels its
// invalid_client answer text/html).
var profile = adapter.Profile{
	Name:     "wso2",
	Classify: classify,
}

// classify maps the one WSO2 answer whose RFC 6749 code would mislead:
// OAuth2Service.revokeTokenByOAuthClient answers 400 access_denied "Valid
// token binding value not present in the request." when the token is bound
// (token binding) and the request lacks the binding value. The caller must
// send it: that is a request problem, not a permission one.
func classify(status int, b adapter.ErrorBody) error {
	if status == http.StatusBadRequest && b.Code == "access_denied" {
		return revoke.ErrInvalidRequest
	}
	return nil
}
