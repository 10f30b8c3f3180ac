package keycloak

// This file holds every fact about Keycloak the package relies on, with its
// source. The rest of the package only uses them.
//
// Sources: the server source, keycloak/keycloak —
// TokenRevocationEndpoint (services/src/main/java/org/keycloak/protocol/oidc/endpoints),
// ClientIdAndSecretAuthenticator, JWTClientValidator and
// X509ClientAuthenticator (services/.../authentication/authenticators/client),
// BasicAuthHelper (core/.../util), UserResource (services/.../resources/admin)
// — and the documentation:
// https://www.keycloak.org/docs/latest/securing_apps/#_token_revocation_endpoint,
// https://www.keycloak.org/docs-api/latest/rest-api/index.html#_users,
// https://www.keycloak.org/docs/latest/upgrading/#jwt-client-authentication-aligned-with-the-latest-oidc-specification.

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Operation names, in errors and logs.
const (
	opRevoke   = "keycloak revoke"
	opDiscover = "keycloak discover"
	opFind     = "keycloak admin: find user by email"
	opLogout   = "keycloak admin: log out user"
	opConsents = "keycloak admin: list offline tokens"
	opOffline  = "keycloak admin: revoke offline tokens"
)

// URL layout. Keycloak 17 and later (Quarkus) serve the realms at the root;
// Keycloak 16 and older (WildFly) under /auth, which BaseURL then includes.
var (
	// realmsSegment precedes the realm name in every realm URL:
	// {base}/realms/{realm} is the realm's issuer.
	realmsSegment = "realms"
	// revokePath and tokenPath follow the issuer
	// (OIDCLoginProtocolService: /protocol/openid-connect/revoke, /token).
	revokePath = []string{"protocol", "openid-connect", "revoke"}
	tokenPath  = []string{"protocol", "openid-connect", "token"}
	// wellKnownPath follows the issuer: OpenID Connect Discovery §4.
	wellKnownPath = []string{".well-known", "openid-configuration"}
	// adminPath precedes the realm name in admin REST API URLs:
	// {base}/admin/realms/{realm}/users/...
	adminPath = []string{"admin", "realms"}
)

// hints are the RFC 7009 registered token_type_hint values. Keycloak never
// reads token_type_hint (TokenRevocationEndpoint decodes the token and
// looks at its "typ"), so sending one is harmless; device_secret and
// vendor values are refused before sending, as Keycloak has no such
// tokens.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// reservedParams carry the token or the client authentication: the SDK
// sets them, Request.Params may not (in any letter case).
var reservedParams = []string{"token", "token_type_hint", "client_id", "client_secret", "client_assertion", "client_assertion_type"}

// discoveredMethods is what Keycloak advertises as
// revocation_endpoint_auth_methods_supported (the methods of its client
// authenticators, the same list as for the token endpoint). It stands in
// when a metadata document lists none.
var discoveredMethods = []string{
	revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost,
	revoke.MethodTLSClientAuth, revoke.MethodClientSecretJWT,
}

// credentialsMethods resolves revoke.ClientCredentials for New: Basic,
// unless RFC 6749 §2.3.1 form-encoding would change the ID or secret, in
// which case client_secret_post, which every Keycloak version reads
// unchanged. Keycloak form-decodes Basic credentials since version 20
// (keycloak#11908, keycloak#14347: BasicAuthHelper.RFC6749.parseHeader);
// older versions take them raw; recent versions keep a value that does not
// decode as it was sent. A secret that encoding leaves alone works in all
// of them, and Keycloak generates such secrets (32 letters and digits).
var credentialsMethods = []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodClientSecretJWT}

// authRules are the methods of Keycloak's client authenticators: secrets
// in Basic or the body (ClientIdAndSecretAuthenticator), client_secret_jwt
// (JWTClientSecretAuthenticator), private_key_jwt (JWTClientAuthenticator),
// tls_client_auth (X509ClientAuthenticator), and public clients.
// revoke.ClientCredentials resolves among credentialsMethods, from those
// the realm lists when discovered; an explicit method is checked against
// these rules only: Keycloak's list omits "none", which it accepts.
// Keycloak takes raw Basic credentials too (see credentialsMethods).
var authRules = adapter.AuthRules{
	Vendor: "Keycloak",
	Methods: []string{
		revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodClientSecretJWT,
		revoke.MethodPrivateKeyJWT, revoke.MethodTLSClientAuth, revoke.MethodNone,
	},
	Advice: "use client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, tls_client_auth or a public client",
	Refused: map[string]string{
		revoke.MethodNoClientAuth:            "revoke.NoClientAuth sends no client_id, and Keycloak always identifies the client (400 invalid_client \"Missing client_id parameter\"): use revoke.PublicClient(id) for a public client",
		revoke.MethodSelfSignedTLSClientAuth: "Keycloak's X509 client authenticator matches the certificate's subject DN against the client's setting and has no self-signed mode: use revoke.TLSClientAuth with a certificate whose subject DN the client allows",
	},
	Credentials: credentialsMethods,
}

// acceptJSON is the fixed request header: Keycloak answers in JSON.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// Keycloak's texts (TokenRevocationEndpoint, ClientIdAndSecretAuthenticator,
// UserResource), matched exactly.
const (
	descUnmatching     = "Unmatching clients"
	descDuplicated     = "duplicated parameter"
	descHTTPSRequired  = "HTTPS required"
	descRealmDisabled  = "Realm not enabled"
	descBearerOnly     = "Bearer-only not allowed"
	offlineGrantKey    = "Offline Token" // UserResource.getConsents additionalGrants key
	codeInvalidToken   = "invalid_token"
	codeUnauthorized   = "unauthorized_client"
	codeInvalidRequest = "invalid_request"
)

// profile is what the adapter kit needs to know about Keycloak. Keycloak
// sends no rate-limit headers and no request-ID header, so the kit's
// defaults stand. Its OAuth errors are RFC 6749 §5.2 JSON; its admin API
// also answers with an ErrorRepresentation, {"errorMessage": "..."}.
var profile = adapter.Profile{
	Name:       "keycloak",
	ParseError: parseError,
	Classify:   classify,
}

// parseError reads the admin API's ErrorRepresentation
// ({"errorMessage":"...","field":"...","params":[...]}). RFC 6749 bodies
// are left to the kit.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	var e struct {
		ErrorMessage string `json:"errorMessage"`
		Field        string `json:"field"`
	}
	if json.Unmarshal(body, &e) != nil || e.ErrorMessage == "" {
		return adapter.ErrorBody{}, false
	}
	b := adapter.ErrorBody{Description: e.ErrorMessage}
	if e.Field != "" {
		b.Causes = []string{"field " + e.Field}
	}
	return b, true
}

// classify maps the Keycloak answers whose RFC 6749 code would mislead:
//
//   - unauthorized_client is what Keycloak answers when client
//     authentication fails: 401 "Invalid client or Invalid client
//     credentials" (ClientIdAndSecretAuthenticator), 400 "Client
//     authentication with signed JWT failed: ..." (older
//     JWTClientAuthenticator). The client did not authenticate:
//     revoke.ErrInvalidClient. (Another client's token is invalid_request
//     "Unmatching clients", never unauthorized_client.)
//   - 403 invalid_request "HTTPS required": the realm requires TLS and
//     Keycloak saw plain http (TokenRevocationEndpoint.checkSsl):
//     revoke.ErrInsecureEndpoint.
func classify(status int, b adapter.ErrorBody) error {
	switch {
	case b.Code == codeUnauthorized:
		return revoke.ErrInvalidClient
	case status == http.StatusForbidden && b.Code == codeInvalidRequest && strings.EqualFold(b.Description, descHTTPSRequired):
		return revoke.ErrInsecureEndpoint
	}
	return nil
}

// Constant hints appended to what Keycloak said. They name the likely cause
// and the fix; none repeats server text.
const (
	hintUnmatching    = "the token was issued to another client (its azp claim): revoke it with that client's credentials"
	hintTokenType     = "Keycloak revokes refresh, offline and access tokens only; an ID token, for one, cannot be revoked"
	hintDuplicated    = "a parameter was sent twice"
	hintHTTPS         = "Keycloak saw plain http: use https, or, behind a TLS-terminating proxy, make Keycloak trust its forwarded headers (proxy-headers)"
	hintRealmDisabled = "enable the realm, or use another"
	hintBearerOnly    = "the client is bearer-only and cannot revoke: use the confidential or public client the token was issued to"
	hintClientAuth    = "check the client ID and credentials, and that the client's authenticator (Credentials tab: client secret, signed JWT, X509) matches Config.Auth"
	hintNotFound      = "check Realm, and BaseURL's path prefix: Keycloak 17 and later serve /realms/... at the root, Keycloak 16 and older under /auth"
	hintAdminAuth     = "the admin token was refused: check the TokenSource (client credentials of a service-account client of this realm or of master)"
	hintAdminRole     = "the admin token lacks a role: give the service account realm-management's manage-users role"
	hintNoUser        = "no user with this ID in the realm"
)
