package salesforce

// This file holds every fact about Salesforce the package relies on, with
// its source. The rest of the package only uses them.
//
// Sources: "Revoke OAuth Tokens" in the Mobile SDK Developer Guide,
// https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html,
// and Salesforce Help, "Revoke OAuth Tokens Programmatically",
// https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_revoke_token.htm.

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// op names the revocation in errors and logs.
const op = "salesforce revoke"

// revokePath is the revocation endpoint on every Salesforce login host: a
// My Domain, a sandbox, an Experience Cloud site (after its path prefix),
// login.salesforce.com and test.salesforce.com.
const revokePath = "/services/oauth2/revoke"

// Login hosts.
const (
	// Login is the legacy production login host. Salesforce recommends
	// the org's My Domain URL (MyDomain); login.salesforce.com revokes the
	// same tokens.
	Login = "https://login.salesforce.com"
	// Test is the legacy sandbox login host; prefer Sandbox.
	Test = "https://test.salesforce.com"
)

// hints: Salesforce documents no token_type_hint, only token. The hints a
// caller passes (revoke.RevokeToken passes them) are checked and not sent.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// Salesforce's revocation endpoint takes no client authentication: the
// token itself is the credential (revoke.NoClientAuth).

// acceptJSON asks for JSON errors.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// Error codes Salesforce answers, always with 400: "unsupported_token_type
// — Token type not supported", "invalid_token — Token was invalid".
const (
	codeInvalidToken     = "invalid_token"
	codeUnsupportedToken = "unsupported_token_type"
)

// profile is what the adapter kit needs to know about Salesforce. The
// OAuth endpoints send no rate-limit headers (Sforce-Limit-Info is the
// REST API's). Error bodies are RFC 6749 §5.2 JSON, which the kit parses;
// parseError also reads them form-encoded [Inf].
var profile = adapter.Profile{
	Name:       "salesforce",
	ParseError: parseError,
}

// parseError reads an error body written as a form
// ("error=invalid_token&error_description=…"), which the RFC 6749 parser
// does not [Inf: the documentation names the codes, not the encoding].
func parseError(body []byte) (adapter.ErrorBody, bool) {
	s := strings.TrimSpace(string(body))
	if s == "" || strings.HasPrefix(s, "{") || strings.ContainsAny(s, " \n<") {
		return adapter.ErrorBody{}, false
	}
	v, err := url.ParseQuery(s)
	if err != nil || v.Get("error") == "" {
		return adapter.ErrorBody{}, false
	}
	return adapter.ErrorBody{Code: v.Get("error"), Description: v.Get("error_description")}, true
}

// check judges Salesforce's answer: 200 is success; invalid_token means the
// token was already invalid, expired or revoked, which is a success
// reported with Result.AlreadyInvalid; anything else fails as the kit
// classifies it (unsupported_token_type is revoke.ErrUnsupportedTokenType).
func check(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	if r.StatusCode >= 400 && r.StatusCode < 500 {
		if b, ok := r.ErrorBody(); ok && b.Code == codeInvalidToken {
			return adapter.AlreadyInvalid
		}
	}
	return r.Fail()
}
