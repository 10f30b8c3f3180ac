package google

// This file holds every fact about Google the package relies on, with its
// source. The rest of the package only uses them. Facts marked [3p] come
// from third-party accounts of Google's answers, [Inf] are inferred; the
// code accepts both readings.
//
// Sources: "Revoking a token" in Using OAuth 2.0 for Web Server
// Applications, https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke,
// and the same section for installed applications,
// https://developers.google.com/identity/protocols/oauth2/native-app#tokenrevoke.

import (
	"net/http"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// DefaultEndpoint is Google's revocation endpoint. It takes the token as a
// form parameter (or in the query) and no client authentication.
const DefaultEndpoint = "https://oauth2.googleapis.com/revoke"

// LegacyEndpoint is the older endpoint older documentation and libraries
// use; it takes the same request [3p]. Config.Endpoint may name it.
const LegacyEndpoint = "https://accounts.google.com/o/oauth2/revoke"

// op names the revocation in errors and logs.
const op = "google revoke"

// hints are accepted for the caller's convenience and never sent: Google
// documents no token_type_hint and finds the token either way.
var hints = []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken}

// codeInvalidToken is the error Google answers with 400 for a token that
// is expired, already revoked or unknown:
// {"error":"invalid_token","error_description":"Token expired or revoked"}
// [3p: captured from real answers; Google documents only "an HTTP status
// code 400 is returned along with an error code"]. Every 400 invalid_token
// is read as "already invalid", whatever its description.
const codeInvalidToken = "invalid_token"

// acceptJSON is the fixed request header: Google answers errors in JSON.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// profile is what the adapter kit needs to know about Google's endpoint:
// it sends no rate-limit or request-ID headers there and answers errors in
// the RFC 6749 §5.2 shape, so the kit's defaults stand.
var profile = adapter.Profile{Name: "google"}

// check reads Google's answer: 200 is success; 400 invalid_token means the
// token was already invalid (expired, revoked or never valid), which is
// success with Result.AlreadyInvalid; anything else fails as the kit
// classifies it (400 invalid_request is revoke.ErrInvalidRequest).
func check(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	if r.StatusCode == http.StatusBadRequest {
		if b, ok := r.ErrorBody(); ok && b.Code == codeInvalidToken {
			return adapter.AlreadyInvalid
		}
	}
	return r.Fail()
}
