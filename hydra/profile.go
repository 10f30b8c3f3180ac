package hydra

// This file holds every fact about Ory Hydra and Ory Network the package
// relies on, with its source. The rest of the package only uses them.
//
// Sources:
//   - the revocation endpoint, https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2Token,
//     and fosite, the OAuth 2.0 library Hydra is built on
//     (github.com/ory/fosite revoke_handler.go, client_authentication.go,
//     handler/oauth2/revocation.go);
//   - the admin API, https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2ConsentSessions
//     and …/revokeOAuth2LoginSessions, and Hydra's consent/handler.go and
//     persistence/sql/persister_consent.go (github.com/ory/hydra, v2);
//   - discovery, https://www.ory.com/docs/hydra/reference/api (OpenID
//     Connect Discovery at /.well-known/openid-configuration).

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Operation names, as errors and logs show them.
const (
	opRevoke   = "hydra revoke"
	opDiscover = "hydra discover"
	opConsent  = "hydra revoke consent sessions"
	opLogin    = "hydra revoke login sessions"
)

// Paths on the public port (4444 self-hosted; the project URL on Ory
// Network).
const (
	revokePath    = "/oauth2/revoke"
	tokenPath     = "/oauth2/token"
	discoveryPath = "/.well-known/openid-configuration"
)

// Paths on the admin port (4445 self-hosted; the project URL on Ory
// Network). Hydra v2 serves the admin API under /admin.
const (
	consentSessionsPath = "/admin/oauth2/auth/sessions/consent"
	loginSessionsPath   = "/admin/oauth2/auth/sessions/login"
)

// hints are the token types fosite knows. fosite reads the hint only to
// choose which store to search first and ignores a value it does not know
// ("An invalid token type hint value is ignored by the authorization
// server and does not influence the revocation response",
// revoke_handler.go): the adapter sends the hint as given, and refuses
// values fosite does not name, which would be pointless.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// authRules are fosite's rules for client authentication. Methods are
// those fosite's AuthenticateClient handles at the revocation endpoint, the
// same as at the token endpoint. Hydra stores client secrets hashed, so it
// cannot verify client_secret_jwt and its discovery document does not list
// it; other fosite servers with plain-text secrets accept it [Inf]. Hydra
// publishes no revocation_endpoint_auth_methods_supported in its metadata
// [Inf]: the adapter reads it when present, and
// token_endpoint_auth_methods_supported otherwise (Metadata.AuthMethods),
// to choose revoke.ClientCredentials' method; an explicit method is checked
// against these rules only, not against that borrowed list.
//
// fosite form-decodes Basic credentials (RFC 6749 §2.3.1), so encoded Basic
// carries any secret and raw Basic is refused. revoke.ClientCredentials
// resolves to client_secret_basic or client_secret_post (Credentials), the
// kit switching to client_secret_post only when encoding would change the
// values.
var authRules = adapter.AuthRules{
	Vendor: "Hydra",
	Methods: []string{
		revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost,
		revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretJWT, revoke.MethodNone,
	},
	Advice: "use revoke.ClientSecretBasic, revoke.ClientSecretPost, revoke.PrivateKeyJWT or revoke.PublicClient, as the client's token_endpoint_auth_method says",
	Refused: map[string]string{
		revoke.MethodNoClientAuth: "revoke.NoClientAuth sends no client_id, and Hydra always identifies the client: use revoke.PublicClient(id) for a client registered with token_endpoint_auth_method none",
	},
	DecodesBasic: true,
	Credentials:  []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost},
}

// audience is fosite's rule for a client assertion's "aud": the token
// endpoint URL, exactly (fosite compares the claim with its configured
// TokenURL and rejects the revocation endpoint).
const audience = revoke.AudienceTokenEndpoint

// acceptJSON is the fixed request header of every call.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// profile is what the adapter kit needs to know about Hydra. Hydra sends
// no rate-limit headers; Ory Network may, in the X-RateLimit-* spelling
// the kit reads by default [Inf]. Ory Network answers with an
// X-Request-Id header [Inf].
var profile = adapter.Profile{
	Name:       "hydra",
	ParseError: parseError,
}

// parseError reads Hydra's two error shapes:
//
//   - errorOAuth2, RFC 6749 §5.2 with extras: {"error":"invalid_request",
//     "error_description":"…","error_hint":"…","error_debug":"…",
//     "status_code":400}. fosite's revocation endpoint writes only error
//     and error_description (the hint already folded into the
//     description); Hydra's admin API adds error_hint, and error_debug
//     when debug output is exposed. The hint and the debug text become
//     Causes, unless the description already says them.
//   - Ory's generic error, {"error":{"code":401,"status":"Unauthorized",
//     "message":"…","reason":"…","id":"…","request":"…"}}, which Ory
//     Network's edge answers (a bad API key, an unknown project).
func parseError(body []byte) (adapter.ErrorBody, bool) {
	var raw struct {
		Error       json.RawMessage `json:"error"`
		Description string          `json:"error_description"`
		Hint        string          `json:"error_hint"`
		Debug       string          `json:"error_debug"`
		URI         string          `json:"error_uri"`
	}
	if json.Unmarshal(body, &raw) != nil || len(raw.Error) == 0 {
		return adapter.ErrorBody{}, false
	}
	var code string
	if json.Unmarshal(raw.Error, &code) == nil {
		if code == "" {
			return adapter.ErrorBody{}, false
		}
		b := adapter.ErrorBody{Code: code, Description: raw.Description, URI: raw.URI}
		for _, extra := range []string{raw.Hint, raw.Debug} {
			if extra != "" && !strings.Contains(raw.Description, extra) {
				b.Causes = append(b.Causes, extra)
			}
		}
		return b, true
	}
	var generic struct {
		Code    int    `json:"code"`
		Status  string `json:"status"`
		Message string `json:"message"`
		Reason  string `json:"reason"`
		ID      string `json:"id"`
		Request string `json:"request"`
	}
	if json.Unmarshal(raw.Error, &generic) != nil || (generic.Status == "" && generic.Message == "") {
		return adapter.ErrorBody{}, false
	}
	b := adapter.ErrorBody{Code: generic.Status, Description: generic.Message, RequestID: generic.Request}
	if b.RequestID == "" {
		b.RequestID = generic.ID
	}
	if generic.Reason != "" && generic.Reason != generic.Message {
		b.Causes = []string{generic.Reason}
	}
	return b, true
}

// notFoundBody reports a 404 whose body is Hydra's own "not found" error
// ({"error":"Not Found","error_description":"Unable to locate the
// requested resource"}, x.ErrNotFound), as opposed to a 404 for a path the
// server does not serve (the public port, a wrong prefix). Hydra v2
// answers 204 for a subject without sessions (consent/handler.go ignores
// x.ErrNotFound; RevokeSubjectLoginSession does not count rows, see
// ory/hydra#1168), but older releases answered this 404 [Inf]: the
// adapter takes it as "nothing to revoke".
func notFoundBody(b adapter.ErrorBody) bool {
	code := strings.ToLower(strings.ReplaceAll(b.Code, "_", " "))
	return code == "not found" && strings.Contains(strings.ToLower(b.Description), "unable to locate")
}
