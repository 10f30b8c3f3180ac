package salesforce

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// MyDomain returns the login URL of the org whose My Domain name is name:
// MyDomain("acme") is "https://acme.my.salesforce.com".
func MyDomain(name string) string { return "https://" + name + ".my.salesforce.com" }

// Sandbox returns the login URL of a sandbox with enhanced domains:
// Sandbox("acme", "uat") is "https://acme--uat.sandbox.my.salesforce.com".
func Sandbox(myDomain, sandbox string) string {
	return "https://" + myDomain + "--" + sandbox + ".sandbox.my.salesforce.com"
}

// Config configures a Revoker
// (https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html).
// Salesforce's revocation endpoint takes no client credentials, so there
// are none to configure.
type Config struct {
	// URL is where the org's users log in: its My Domain URL
	// (MyDomain("acme"), "https://acme.my.salesforce.com"), a sandbox
	// (Sandbox("acme", "uat")), an Experience Cloud site with its path
	// prefix ("https://acme.my.site.com/customers"), or the legacy Login
	// and Test hosts. https is assumed without a scheme;
	// /services/oauth2/revoke is appended. Plain http is refused except to
	// a loopback address (or with revoke.WithInsecureHTTP); user info, a
	// query and a fragment are refused.
	URL string
}

// fields is what a Config prints: user info or a query written into the
// URL never prints (a Config holds no credential otherwise). A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{{"URL", strconv.Quote(redact.URL(c.URL))}}
}

// Format implements fmt.Formatter with the fields, with any verb: user
// info or a query in the URL never prints.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "salesforce.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one Salesforce login host. It is safe for
// concurrent use; create one with New and share it. A zero or nil Revoker
// returns a *revoke.ConfigError from Revoke.
//
// Revoke revokes one access or refresh token: POST
// {URL}/services/oauth2/revoke with the form token=… and nothing else, no
// client authentication. The token always travels in the body: the GET
// ?token= and JSONP variants Salesforce also serves would put it in URLs
// and logs, and are never used. Request.Hint is checked (access_token or
// refresh_token) but not sent, as Salesforce documents no hint; any
// Request.Params is refused.
//
// Revoking a refresh token also revokes every access token issued with it;
// revoking an access token revokes only that token.
//
// A nil error means the token does not work any more: Salesforce answered
// 200, or 400 invalid_token (the token was already invalid, expired or
// revoked), which sets Result.AlreadyInvalid. 400 unsupported_token_type is
// an error matching revoke.ErrUnsupportedTokenType.
//
// RevokeToken revokes both tokens of t: the refresh token, which ends
// every access token issued with it, then the access token
// (adapter.RefreshThenAccess). The second call normally answers 400
// invalid_token, reported as success; it is kept because the access token
// may come from another refresh token (with refresh token rotation, a
// stale one in t would otherwise leave it alive).
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "salesforce.Revoker", Build: "salesforce.New", EndpointOnly: true, Pair: adapter.RefreshThenAccess, Vendor: "Salesforce"}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "salesforce.Config.URL"
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
			Problem: "is empty: pass the org's login URL, e.g. salesforce.MyDomain(\"acme\") for https://acme.my.salesforce.com, a sandbox's, an Experience Cloud site's, or salesforce.Login"}
	}
	base, err := c.BaseURL(field, cfg.URL)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	if strings.HasSuffix(lower, "/services/oauth2/revoke") || strings.HasSuffix(lower, "/services/oauth2") || strings.HasSuffix(lower, "/services") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s already includes the endpoint path: pass only the login URL (e.g. https://acme.my.salesforce.com, or salesforce.MyDomain(\"acme\")); /services/oauth2/revoke is appended", redact.Bounded(adapter.Endpoint(base)))}
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:       op,
		URL:      adapter.JoinPath(base, revokePath),
		Auth:     revoke.NoClientAuth(),
		Hints:    hints,
		OmitHint: true,
		NoParams: true,
		Header:   acceptJSON,
		Check:    check,
	})), nil
}
