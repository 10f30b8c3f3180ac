// Package oktawire holds Okta's wire facts, shared by the /revoke adapter
// (package okta), the management-API client (okta/oktaadmin) and the fakes
// (okta/oktatest): the rate-limit and request-ID headers, the error-body
// shape and codes, the token type hints, the management API's path
// templates, and the rules for an org domain. Everything Okta-specific that
// the adapter kit needs to know is in this one file.
package oktawire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/errbody"
)

// Headers Okta sends on every answer
// (https://developer.okta.com/docs/reference/rl-best-practices/).
const (
	HeaderLimit     = "X-Rate-Limit-Limit"
	HeaderRemaining = "X-Rate-Limit-Remaining"
	HeaderReset     = "X-Rate-Limit-Reset" // epoch seconds
	HeaderRequestID = "X-Okta-Request-Id"
)

// ResetMargin is added to a wait for X-Rate-Limit-Reset after a 429: the
// header has one-second resolution, and Okta recommends one second more.
const ResetMargin = time.Second

// Profile describes Okta to the adapter kit. Name is the operation prefix
// ("okta").
func Profile(name string) adapter.Profile {
	return adapter.Profile{
		Name: name,
		RateLimit: adapter.RateLimitHeaders{
			Limit: HeaderLimit, Remaining: HeaderRemaining, Reset: HeaderReset,
			ResetFormat: adapter.ResetEpoch, ResetMargin: ResetMargin,
		},
		RequestIDHeaders: []string{HeaderRequestID},
		ParseError:       ParseError,
		Classify:         Classify,
	}
}

// Okta's error codes the SDK classifies
// (https://developer.okta.com/docs/reference/error-codes/).
const (
	CodeRateLimited  = "E0000047" // API call exceeded rate limit
	CodeForbidden    = "E0000006" // You do not have permission
	CodeNotFound     = "E0000007" // Not found
	CodeInvalidToken = "E0000011" // Invalid token provided (management API credential)
)

// ParseError reads Okta's own error shape (the Error schema of its OpenAPI
// specs), which the management API uses for every error and /revoke for
// 429:
//
//	{"errorCode":"E0000047","errorSummary":"…","errorLink":"E0000047",
//	 "errorId":"oae…","errorCauses":[{"errorSummary":"…"}]}
//
// ok is false for any other body (the RFC 6749 shape /revoke uses for 400
// and 401 is then read by the kit). Fields are returned whole: the kit
// scrubs them of secrets, then cuts them to length.
func ParseError(body []byte) (adapter.ErrorBody, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return adapter.ErrorBody{}, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(trimmed, &m) != nil {
		return adapter.ErrorBody{}, false
	}
	code := errbody.Str(m["errorCode"])
	if code == "" {
		return adapter.ErrorBody{}, false
	}
	b := adapter.ErrorBody{
		Code:        code,
		Description: errbody.Str(m["errorSummary"]),
		URI:         errbody.Str(m["errorLink"]),
		RequestID:   errbody.Str(m["errorId"]),
	}
	var causes []map[string]json.RawMessage
	if json.Unmarshal(m["errorCauses"], &causes) == nil {
		for _, c := range causes {
			if s := errbody.Str(c["errorSummary"]); s != "" {
				b.Causes = append(b.Causes, s)
			}
		}
	}
	return b, true
}

// Classify maps Okta's error codes to the SDK's sentinels, or returns nil
// to keep the kit's classification (RFC 6749 codes, then the status).
func Classify(_ int, b adapter.ErrorBody) error {
	switch b.Code {
	case CodeRateLimited:
		return revoke.ErrRateLimited
	case CodeForbidden:
		return revoke.ErrForbidden
	case CodeNotFound:
		return revoke.ErrNotFound
	case CodeInvalidToken:
		return revoke.ErrInvalidClient
	}
	return nil
}

// HintOAuthSTS is the token_type_hint Okta's org authorization server also
// accepts (TokenTypeHintRevokeOrgAs), for tokens from its OAuth 2.0
// security token service.
const HintOAuthSTS revoke.TokenTypeHint = "oauth_sts"

// Token type hints each kind of authorization server documents for /revoke:
// TokenTypeHintRevokeOrgAs and TokenTypeHintRevokeCustomAs in Okta's OAuth
// OpenAPI spec.
var (
	OrgHints    = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken, revoke.HintDeviceSecret, HintOAuthSTS}
	CustomHints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken, revoke.HintDeviceSecret}
)

// Management API path templates, as Okta's OpenAPI spec writes them.
// "METHOD " + template is a rate-limit bucket key.
const (
	UserClientsPath      = "/api/v1/users/{userId}/clients"
	UserClientTokensPath = "/api/v1/users/{userId}/clients/{clientId}/tokens"
	UserClientTokenPath  = "/api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}"
	UserClientGrantsPath = "/api/v1/users/{userId}/clients/{clientId}/grants"
	UserGrantsPath       = "/api/v1/users/{userId}/grants"
	UserSessionsPath     = "/api/v1/users/{userId}/sessions"
	ASClientsPath        = "/api/v1/authorizationServers/{authServerId}/clients"
	ASClientTokensPath   = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens"
	ASClientTokenPath    = "/api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}"
	// UserPath retrieves a user by ID, login or login shortname (getUser).
	UserPath = "/api/v1/users/{id}"
	// SessionPath is one Okta session (revokeSession).
	SessionPath = "/api/v1/sessions/{sessionId}"
	// OrgTokenPath is the org authorization server's token endpoint, where
	// service apps get access tokens for the management API.
	OrgTokenPath = "/oauth2/v1/token"
	// GlobalTokenRevocationPath is the org authorization server's Global
	// Token Revocation endpoint (Universal Logout; operation
	// globalTokenRevocation of Okta's OAuth spec).
	GlobalTokenRevocationPath = "/oauth2/v1/global-token-revocation"
)

// Okta's Global Token Revocation takes these RFC 9493 subject formats
// (schema sub_id of Okta's OAuth spec): opaque (an Okta user ID) and
// iss_sub (a user of a third-party identity provider).
var GlobalTokenRevocationFormats = []revoke.SubjectFormat{revoke.FormatOpaque, revoke.FormatIssSub}

// OrgBase parses an Okta org domain for the management API or a service
// app: a host ("dev-123456.okta.com"), with or without https:// and a
// trailing slash, and no path. The Admin Console domain
// ("dev-123456-admin.okta.com") is refused with the right one.
func OrgBase(c *adapter.Client, field, domain string) (*url.URL, error) {
	if domain == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass your Okta org domain, e.g. dev-123456.okta.com"}
	}
	u, err := c.BaseURL(field, domain)
	if err != nil {
		return nil, err
	}
	if u.Path != "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("has the path %q: pass only the org domain, e.g. %s (the management API lives at its root)", u.Path, u.Host)}
	}
	host := u.Hostname()
	for _, suffix := range [...]string{"-admin.okta.com", "-admin.oktapreview.com", "-admin.okta-emea.com"} {
		if strings.HasSuffix(host, suffix) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s is the Admin Console domain: use the org domain without \"-admin\" (%s)", host, strings.Replace(host, "-admin.", ".", 1))}
		}
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}
