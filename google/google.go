// Package google revokes OAuth 2.0 tokens issued by Google
// (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke).
// It is built on the adapter kit (package adapter), as a third-party
// adapter would be.
//
//	r, err := google.New(google.Config{}) // no credentials: Google wants none
//	...
//	err = revoke.RevokeToken(ctx, r, tok) // one call ends the whole grant
//
// Google's behaviour, which this package and the fake in googletest follow:
//
//   - POST https://oauth2.googleapis.com/revoke with the form token=…, and
//     no client authentication at all (revoke.NoClientAuth).
//   - Revoking an access token or a refresh token ends the grant: both
//     stop working, and the user is asked for consent again. Revoker
//     implements revoke.TokenRevoker with one call (the refresh token when
//     there is one).
//   - 200 is success. 400 {"error":"invalid_token","error_description":
//     "Token expired or revoked"} means the token was already invalid: the
//     call succeeds with Result.AlreadyInvalid set. Other 400s (a
//     malformed request) are errors matching revoke.ErrInvalidRequest.
//   - Google documents no token_type_hint: access_token and refresh_token
//     are accepted and never sent; other hints and Request.Params are
//     refused before sending.
//
// Every fact the package relies on is in profile.go; docs/vendors/google.md
// has the details.
package google

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker. The zero value revokes at Google's
// endpoint: Google takes no credentials.
//
// Endpoint may hold credentials of a proxy in its user info, which is
// refused at New and never printed: every fmt verb, slog and encoding/json
// show it redacted.
type Config struct {
	// Endpoint overrides DefaultEndpoint, for a proxy, LegacyEndpoint or a
	// fake (googletest). It must be an absolute https URL, or http to a
	// loopback address (or with revoke.WithInsecureHTTP); user info and a
	// fragment are refused.
	Endpoint string
}

// fields is what a Config prints: Endpoint without the user info, query
// or fragment, which may hold a proxy's credentials. A nil *Config has
// none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{{"Endpoint", strconv.Quote(redact.URL(c.Endpoint))}}
}

// Format implements fmt.Formatter with the fields, with any verb: user
// info, a query or a fragment in Endpoint never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "google.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes Google OAuth 2.0 tokens. It is safe for concurrent use;
// create one with New and share it. A zero or nil Revoker returns a
// *revoke.ConfigError from Revoke.
//
// Revoke revokes a Google access or refresh token, and with it the whole
// grant: POST {Endpoint} with the form token=… and no client
// authentication
// (https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke).
//
// A nil error means Google answered 200, or 400 invalid_token ("Token
// expired or revoked"): the token was already invalid, reported as
// Result.AlreadyInvalid. Hints access_token and refresh_token are accepted
// and not sent; other hints and any Request.Params are refused before
// sending. Other failures are *revoke.Error values: 400 invalid_request
// matches revoke.ErrInvalidRequest, 429 revoke.ErrRateLimited, 5xx
// revoke.ErrUnavailable or revoke.ErrServer.
//
// RevokeToken ends the grant of an oauth2.Token with one call: its refresh
// token when it has one, else its access token. Google revokes the other
// token of the grant with it, so a second call would only answer
// invalid_token.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "google.Revoker", Build: "google.New", EndpointOnly: true, Pair: adapter.OneCall, Vendor: "Google"}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := c.URL("google.Config.Endpoint", endpoint)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, &revoke.ConfigError{Field: "google.Config.Endpoint", Problem: "has a query (?...): pass the endpoint URL alone; the token travels in the form body"}
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:       op,
		URL:      u,
		Auth:     revoke.NoClientAuth(),
		Hints:    hints,
		OmitHint: true,
		NoParams: true,
		Header:   acceptJSON,
		Check:    check,
	})), nil
}
