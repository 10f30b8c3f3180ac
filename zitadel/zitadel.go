package zitadel

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker
// (https://zitadel.com/docs/apis/openidoauth/endpoints#revocation_endpoint).
//
// Config holds a client authentication, which prints redacted: every fmt
// verb, slog and encoding/json show its method and client ID only, and
// user info or a query written into a URL never prints.
type Config struct {
	// Domain is the instance's domain: "my-instance-abc123.zitadel.cloud"
	// (ZITADEL Cloud), a custom domain such as "auth.example.com", or a URL
	// with its scheme, e.g. "http://localhost:8080" for a local instance.
	// https is assumed without a scheme; /oauth/v2/revoke is appended.
	// Plain http is refused except to a loopback address (or with
	// revoke.WithInsecureHTTP); user info, a query and a fragment are
	// refused.
	Domain string
	// Auth authenticates the application, as its authentication method in
	// ZITADEL says: revoke.ClientSecretBasic ("Basic"; ZITADEL form-decodes
	// the credentials, so revoke.ClientSecretBasicRaw is refused),
	// revoke.ClientSecretPost ("Post"), revoke.PublicClient ("None", PKCE
	// applications: a confidential application sending client_id alone gets
	// invalid_client "invalid authorization"), revoke.PrivateKeyJWT
	// ("JWT", with the key ID ZITADEL gave the key: revoke.WithKeyID), or
	// revoke.ClientCredentials (Basic, or Post when form-encoding would
	// change the secret).
	Auth revoke.ClientAuth
	// Issuer is the instance's issuer, the "aud" ZITADEL requires in a
	// client assertion. Empty means the Domain's URL (https://{Domain}),
	// which is ZITADEL's issuer; Discover reads it from the metadata.
	Issuer string
}

// fields is what a Config prints: the client authentication shows its
// method and client ID only, and a URL no user info or query. A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"Auth", redact.Auth(c.Auth)},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb:
// credentials, and any user info or query in a URL, never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "zitadel.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one ZITADEL instance. It is safe for
// concurrent use; create one with New or Discover and share it. A zero or
// nil Revoker returns a *revoke.ConfigError from Revoke.
//
// Revoke revokes one access or refresh token: POST
// https://{Domain}/oauth/v2/revoke with token, the hint when given, and the
// client authentication.
//
// Revoking a refresh token also revokes the access tokens issued with it;
// revoking an access token revokes only that token. Hint access_token
// makes ZITADEL skip the refresh-token lookup; refresh_token (or none)
// looks the token up as a refresh token first. Other hints are refused.
//
// A nil error means ZITADEL answered 200 (its body is JSON null), which it
// also does for a token that is unknown, expired or already revoked:
// Result.AlreadyInvalid stays false, as ZITADEL never says. Failures are
// *revoke.Error values: 401 invalid_client is revoke.ErrInvalidClient (also
// a client assertion ZITADEL refused, whether it answered invalid_client or
// 500 server_error), 400 invalid_request revoke.ErrInvalidRequest, another
// 500 revoke.ErrServer.
//
// RevokeToken revokes both tokens of t: the refresh token (which ends the
// access tokens issued with it), then the access token, which may have
// come from another grant (adapter.RefreshThenAccess).
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "zitadel.Revoker", Build: "zitadel.New or zitadel.Discover", Pair: adapter.RefreshThenAccess, Vendor: "ZITADEL"}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use; no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := instanceBase(c, "zitadel.Config.Domain", cfg.Domain)
	if err != nil {
		return nil, err
	}
	issuer := cfg.Issuer
	if issuer == "" {
		issuer = base.String()
	}
	return newRevoker(c, adapter.JoinPath(base, revokePath), cfg.Auth, issuer, nil)
}

// instanceBase checks an instance domain or URL.
func instanceBase(c *adapter.Client, field, raw string) (*url.URL, error) {
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	for _, suffix := range []string{"/oauth/v2/revoke", "/oauth/v2", "/oauth", "/.well-known/openid-configuration"} {
		if strings.HasSuffix(lower, suffix) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s already includes an endpoint path: pass only the instance's domain (e.g. my-instance-abc123.zitadel.cloud); /oauth/v2/revoke is appended", redact.Bounded(adapter.Endpoint(base)))}
		}
	}
	return base, nil
}

// newRevoker checks the authentication against ZITADEL's rules and builds
// the Revoker. listed is what the metadata lists, from which
// revoke.ClientCredentials is chosen; nil without metadata.
func newRevoker(c *adapter.Client, endpoint *url.URL, auth revoke.ClientAuth, issuer string, listed []string) (*Revoker, error) {
	const field = "zitadel.Config.Auth"
	a, err := c.ChooseAuth(field, auth, authRules, listed)
	if err != nil {
		return nil, err
	}
	if _, err := c.URL("zitadel.Config.Issuer", issuer); err != nil {
		return nil, err
	}
	info := adapter.DescribeAuth(a)
	if info.AudienceValue == "" && info.Audience == revoke.AudienceTokenEndpoint {
		return nil, &revoke.ConfigError{Field: field, Problem: "the client assertion's audience rule is revoke.AudienceTokenEndpoint, but ZITADEL requires its issuer in \"aud\": drop revoke.WithAudience (the default is the issuer)"}
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:       opRevoke,
		URL:      endpoint,
		Auth:     a,
		Issuer:   issuer,
		Audience: audience,
		Hints:    hints,
		Header:   acceptJSON,
	})), nil
}

// Metadata is the part of ZITADEL's OpenID Connect Discovery document the
// package uses.
type Metadata struct {
	Issuer                                 string   `json:"issuer"`
	RevocationEndpoint                     string   `json:"revocation_endpoint"`
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
}

// Discover reads the instance's OpenID Connect Discovery document at
// https://{domain}/.well-known/openid-configuration, checks that its issuer
// is the instance's URL (RFC 8414 §3.3), and returns a Revoker for its
// revocation_endpoint with its issuer as the client assertion audience.
// revoke.ClientCredentials chooses Basic or Post from
// revocation_endpoint_auth_methods_supported, and is refused when it lists
// neither; an explicit method is checked against ZITADEL's rules only, as
// in New.
func Discover(ctx context.Context, domain string, auth revoke.ClientAuth, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	md, err := fetchMetadata(ctx, c, domain)
	if err != nil {
		return nil, err
	}
	endpoint, err := c.URL("zitadel.Discover: revocation_endpoint", md.RevocationEndpoint)
	if err != nil {
		return nil, &revoke.ConfigError{Field: "zitadel.Discover", Problem: fmt.Sprintf("the metadata of %s has no usable revocation_endpoint (%v): configure zitadel.New with the domain", redact.Bounded(domain), err)}
	}
	return newRevoker(c, endpoint, auth, md.Issuer, md.RevocationEndpointAuthMethodsSupported)
}

// FetchMetadata reads and checks the instance's discovery document as
// Discover does.
func FetchMetadata(ctx context.Context, domain string, opts ...revoke.Option) (*Metadata, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return fetchMetadata(ctx, c, domain)
}

func fetchMetadata(ctx context.Context, c *adapter.Client, domain string) (*Metadata, error) {
	if err := adapter.CheckContext(ctx, "zitadel.Discover"); err != nil {
		return nil, err
	}
	base, err := instanceBase(c, "zitadel.Discover domain", domain)
	if err != nil {
		return nil, err
	}
	var md Metadata
	if err := c.FetchMetadata(ctx, adapter.Discovery{Op: opDiscover, URL: adapter.JoinPath(base, discoveryPath), Issuer: base.String()}, &md); err != nil {
		return nil, err
	}
	return &md, nil
}
