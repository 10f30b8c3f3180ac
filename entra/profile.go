package entra

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// This file holds everything the SDK knows about how Microsoft Entra ID and
// Microsoft Graph answer: the hosts and paths, the request-ID headers, the
// two error-body shapes (one parser for both) and their codes.

// Default hosts of the global Azure cloud. Sovereign clouds have their own
// (https://learn.microsoft.com/graph/deployments): set Config.GraphURL and
// Config.LoginURL.
const (
	// DefaultGraphURL is Microsoft Graph
	// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
	DefaultGraphURL = "https://graph.microsoft.com"
	// DefaultLoginURL is the Microsoft identity platform's authority host
	// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
	DefaultLoginURL = "https://login.microsoftonline.com"
	// DefaultScope is the client-credentials scope for Microsoft Graph: the
	// resource's ".default" scope, which asks for every application
	// permission an administrator granted
	// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#get-a-token).
	DefaultScope = DefaultGraphURL + "/.default"
)

// Paths, relative to the hosts above.
const (
	// TokenPath is the v2.0 token endpoint under /{tenant}
	// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
	TokenPath = "/oauth2/v2.0/token"
	// GraphVersion is the Graph API version called: v1.0, where
	// revokeSignInSessions is generally available
	// (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
	GraphVersion = "v1.0"
)

// PermissionRevokeSessions is the least-privileged Graph permission that
// allows revokeSignInSessions, as an application permission (granted with
// admin consent) or a delegated one
// (https://learn.microsoft.com/graph/api/user-revokesigninsessions#permissions).
const PermissionRevokeSessions = "User.RevokeSessions.All"

// profile is Entra's adapter.Profile, shared by Graph and TokenSource.
//
//   - Request ID: Graph answers with request-id and client-request-id; the
//     token endpoint with x-ms-request-id
//     (https://learn.microsoft.com/graph/errors).
//   - Rate limit: Graph throttles with 429 and Retry-After, which the kit
//     honours (https://learn.microsoft.com/graph/throttling); it sends no
//     limit headers on these endpoints.
//   - Error bodies: parseError reads both shapes.
//   - Classification: classify.
var profile = adapter.Profile{
	Name:             "entra",
	RequestIDHeaders: []string{"request-id", "client-request-id", "x-ms-request-id"},
	ParseError:       parseError,
	Classify:         classify,
}

// parseError reads the two error shapes Entra uses. ok is false for any
// other body, which the kit then excerpts.
//
//   - Microsoft Graph (https://learn.microsoft.com/graph/errors):
//     {"error":{"code":"Authorization_RequestDenied","message":"…",
//     "innerError":{"code":"…","request-id":"…","date":"…"},"details":[…]}}.
//     Code is error.code, Description error.message, RequestID
//     innerError.request-id; innerError.code and the details' messages are
//     the causes.
//   - The token endpoint, RFC 6749 §5.2 with Entra's members
//     (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response):
//     {"error":"invalid_client","error_description":"AADSTS7000215: …\r\nTrace ID: …",
//     "error_codes":[7000215],"trace_id":"…","correlation_id":"…"}.
//     Description is the first line of error_description (the rest
//     repeats the IDs), RequestID the trace_id, and each error code is a
//     cause "AADSTS<n>".
//
// It never panics, and it does not cut: the kit scrubs, then bounds.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return adapter.ErrorBody{}, false
	}
	var top map[string]json.RawMessage
	if json.NewDecoder(bytes.NewReader(trimmed)).Decode(&top) != nil {
		return adapter.ErrorBody{}, false
	}
	raw, ok := top["error"]
	if !ok {
		return adapter.ErrorBody{}, false
	}
	var graph struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError *struct {
			Code      string `json:"code"`
			RequestID string `json:"request-id"`
		} `json:"innerError"`
		Details []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"details"`
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		if json.Unmarshal(t, &graph) != nil || graph.Code == "" {
			return adapter.ErrorBody{}, false
		}
		b := adapter.ErrorBody{Code: graph.Code, Description: graph.Message}
		if in := graph.InnerError; in != nil {
			b.RequestID = in.RequestID
			if in.Code != "" && in.Code != graph.Code {
				b.Causes = append(b.Causes, in.Code)
			}
		}
		for _, d := range graph.Details {
			if d.Message != "" {
				b.Causes = append(b.Causes, strings.TrimSpace(d.Code+" "+d.Message))
			}
		}
		return b, true
	}
	var token struct {
		Error       string  `json:"error"`
		Description string  `json:"error_description"`
		URI         string  `json:"error_uri"`
		Codes       []int64 `json:"error_codes"`
		TraceID     string  `json:"trace_id"`
	}
	if json.Unmarshal(trimmed, &token) != nil || token.Error == "" {
		return adapter.ErrorBody{}, false
	}
	desc, _, _ := strings.Cut(token.Description, "\n")
	b := adapter.ErrorBody{Code: token.Error, Description: strings.TrimSpace(desc), URI: token.URI, RequestID: token.TraceID}
	for _, c := range token.Codes {
		b.Causes = append(b.Causes, "AADSTS"+strconv.FormatInt(c, 10))
	}
	return b, true
}

// Graph error codes the SDK classifies
// (https://learn.microsoft.com/graph/errors#code-property and the
// Microsoft Entra directory codes Graph returns for users).
const (
	codeRequestDenied   = "Authorization_RequestDenied"
	codeNotFound        = "Request_ResourceNotFound"
	codeNotFoundGeneric = "ResourceNotFound"
	codeInvalidToken    = "InvalidAuthenticationToken"
	codeIdentityMissing = "Authorization_IdentityNotFound"
	codeBadRequest      = "Request_BadRequest"
	codeThrottled       = "Request_ThrottledTemporarily"
	codeTooMany         = "TooManyRequests"
	codeAccessDenied    = "accessDenied"
)

// classify maps Graph's error codes to a root sentinel, or returns nil to
// keep the kit's classification (the RFC 6749 codes of the token endpoint,
// then the HTTP status). b is unscrubbed: only its code is compared.
//
//   - Authorization_RequestDenied, accessDenied: revoke.ErrForbidden (the
//     application lacks User.RevokeSessions.All, or a delegated caller
//     lacks an administrator role).
//   - Request_ResourceNotFound, ResourceNotFound: revoke.ErrNotFound.
//   - InvalidAuthenticationToken, Authorization_IdentityNotFound:
//     revoke.ErrInvalidClient (the Graph token is missing, expired, for
//     another audience, or its application is not in the tenant).
//   - Request_BadRequest: revoke.ErrInvalidRequest.
//   - TooManyRequests, Request_ThrottledTemporarily: revoke.ErrRateLimited.
func classify(status int, b adapter.ErrorBody) error {
	switch b.Code {
	case codeRequestDenied, codeAccessDenied:
		return revoke.ErrForbidden
	case codeNotFound, codeNotFoundGeneric:
		return revoke.ErrNotFound
	case codeInvalidToken, codeIdentityMissing:
		return revoke.ErrInvalidClient
	case codeBadRequest:
		return revoke.ErrInvalidRequest
	case codeTooMany, codeThrottled:
		return revoke.ErrRateLimited
	}
	if status == http.StatusForbidden && b.Code == "" {
		return revoke.ErrForbidden
	}
	return nil
}

// Hints added to the descriptions of Entra's errors.
const (
	hintForbidden = "the application needs the Microsoft Graph application permission " + PermissionRevokeSessions +
		" with admin consent (a delegated token also needs an administrator role such as User Administrator); see https://learn.microsoft.com/graph/api/user-revokesigninsessions#permissions"
	hintNotFound = "no user with this object ID or userPrincipalName in the tenant; a userPrincipalName usually but not always equals the user's email address: look up the object ID (GET /v1.0/users?$filter=mail eq '…') and pass revoke.OpaqueSubject(objectID)"
	hintToken    = "the Graph access token was refused: check Tenant, the token's audience (" + DefaultScope + " for Graph) and its expiry"
	hintTenant   = "check Tenant: it must be the directory (tenant) ID or a verified domain of the tenant where the application is registered"
	hintApp      = "the application (client) ID is not registered in this tenant, or has no service principal there: check ClientID and Tenant"
	hintSecret   = "check ClientSecret: pass the secret's Value, not its Secret ID, and replace an expired secret"
	hintCert     = "check Certificate: upload the certificate (its public part) under the app registration's Certificates & secrets, and sign with its private key"
)

// addHints adds Entra-specific advice to a classified error, matching the
// Graph code or the AADSTS code of the token endpoint.
func addHints(e *revoke.Error) {
	has := func(code string) bool {
		for _, c := range e.Causes {
			if c == code {
				return true
			}
		}
		return strings.HasPrefix(e.Description, code+":")
	}
	switch {
	case has("AADSTS90002"), has("AADSTS900023"):
		e.Description = joinText(e.Description, hintTenant)
	case has("AADSTS700016"):
		e.Description = joinText(e.Description, hintApp)
	case has("AADSTS7000215"), has("AADSTS7000222"):
		e.Description = joinText(e.Description, hintSecret)
	case has("AADSTS700027"), has("AADSTS700023"):
		e.Description = joinText(e.Description, hintCert)
	case e.Code == codeRequestDenied || e.Code == codeAccessDenied || (e.Kind == revoke.ErrForbidden && e.Code == ""):
		e.Description = joinText(e.Description, hintForbidden)
	case e.Code == codeNotFound || e.Code == codeNotFoundGeneric:
		e.Description = joinText(e.Description, hintNotFound)
	case e.Code == codeInvalidToken:
		e.Description = joinText(e.Description, hintToken)
	}
}

// joinText appends a hint to a description.
func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ": " + b
}
