package wso2

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// RevokeDetails is what WSO2 said about a successful revocation, read from
// the RevokedAccessToken, RevokedRefreshToken and AuthorizedUser headers
// of its 200 answer (OAuth2Service.addRevokeResponseHeaders). Read it from
// a Result with Details.
//
// The two tokens are secrets: RevokeDetails prints them "[REDACTED]" with
// every fmt verb, slog and encoding/json; call Reveal on them for the
// value.
type RevokeDetails struct {
	// RevokedAccessToken is the access token WSO2 revoked: the one sent, or
	// the access token of the refresh token sent (WSO2 keeps both in one
	// record and revokes both).
	RevokedAccessToken revoke.Secret
	// RevokedRefreshToken is the refresh token WSO2 revoked; empty for an
	// implicit-grant token, which has none.
	RevokedRefreshToken revoke.Secret
	// AuthorizedUser is the user the tokens were issued to, as
	// "name@tenant-domain" (e.g. "alice@carbon.super").
	AuthorizedUser string
}

// Found reports whether WSO2 said it found and revoked a token: any of its
// three headers came. A 200 without them means nothing matched (the token
// was unknown, expired, already revoked, or another client's refresh
// token), or the server has the headers switched off (identity.xml
// EnableRevokeResponseHeaders=false). Either way the token does not work
// now, so it is not an error. With only the token headers switched off
// (OAuth.EnableRevokeTokenHeadersInResponse=false) AuthorizedUser alone
// still says a token was revoked.
func (d RevokeDetails) Found() bool {
	return d.RevokedAccessToken != "" || d.RevokedRefreshToken != "" || d.AuthorizedUser != ""
}

// Details returns the WSO2 details of a Result from Revoker.Revoke. ok is
// false when res is nil or did not come from this package. A Result from
// this package always carries them, empty when WSO2 sent none of its
// headers (see RevokeDetails.Found).
func Details(res *revoke.Result) (d RevokeDetails, ok bool) {
	return adapter.VendorDetails[RevokeDetails](res)
}

// fields is what a RevokeDetails prints: the tokens show as
// revoke.Redacted when set (or "" when WSO2 sent none); AuthorizedUser and
// Found print as they are. A nil *RevokeDetails has none.
func (d *RevokeDetails) fields() adapter.Fields {
	if d == nil {
		return nil
	}
	return adapter.Fields{
		{"RevokedAccessToken", redact.Quoted(d.RevokedAccessToken.Reveal())},
		{"RevokedRefreshToken", redact.Quoted(d.RevokedRefreshToken.Reveal())},
		{"AuthorizedUser", strconv.Quote(d.AuthorizedUser)},
		{"Found", strconv.FormatBool(d.Found())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// tokens never print.
func (d RevokeDetails) Format(f fmt.State, verb rune) {
	d.fields().Print(f, verb, "wso2.RevokeDetails")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *RevokeDetails logs as an empty group.
func (d *RevokeDetails) LogValue() slog.Value { return d.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (d RevokeDetails) MarshalJSON() ([]byte, error) { return d.fields().MarshalJSON() }

// readDetails reads WSO2's headers from a 2xx answer. The tokens are kept
// as sent (they are what the caller revoked, and never print);
// AuthorizedUser is server text, so it is scrubbed of the call's secrets
// and bounded like everything else the kit keeps.
func readDetails(r *adapter.Response) RevokeDetails {
	d := RevokeDetails{
		RevokedAccessToken:  revoke.Secret(headerValue(r.Header, HeaderRevokedAccessToken)),
		RevokedRefreshToken: revoke.Secret(headerValue(r.Header, HeaderRevokedRefreshToken)),
	}
	if u := headerValue(r.Header, HeaderAuthorizedUser); u != "" {
		d.AuthorizedUser = r.Scrub(u)
	}
	return d
}

// headerValue reads a response header whatever its letter case, also when
// the map key was not canonicalised (a transport or test double may keep
// WSO2's spelling): the first non-empty value.
func headerValue(h http.Header, name string) string {
	for _, v := range h.Values(name) {
		if v != "" {
			return v
		}
	}
	var keys []string
	for k := range h {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys) // one answer, one reading
	for _, k := range keys {
		for _, v := range h[k] {
			if v != "" {
				return v
			}
		}
	}
	return ""
}
