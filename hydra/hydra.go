package hydra

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
// (https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2Token).
//
// Config holds a client authentication, which prints redacted: every fmt
// verb, slog and encoding/json show its method and client ID only, and
// user info or a query written into a URL never prints.
type Config struct {
	// PublicURL is Hydra's public URL, with its scheme:
	// "https://auth.example.com" (self-hosted, the public port, 4444 by
	// default) or "https://{project-slug}.projects.oryapis.com" (Ory
	// Network), with any path prefix a proxy adds. /oauth2/revoke is
	// appended. Plain http is refused except to a loopback address (or
	// with revoke.WithInsecureHTTP); user info, a query and a fragment are
	// refused.
	PublicURL string
	// Auth authenticates the client, as registered in Hydra
	// (token_endpoint_auth_method): revoke.ClientSecretBasic
	// (client_secret_basic, the default), revoke.ClientSecretPost,
	// revoke.PrivateKeyJWT, revoke.ClientSecretJWT (fosite servers with
	// plain-text secrets; Hydra hashes secrets and cannot verify it),
	// revoke.PublicClient (none), or revoke.ClientCredentials
	// (client_secret_basic, or client_secret_post when form-encoding would
	// change the secret). revoke.ClientSecretBasicRaw is refused: fosite
	// form-decodes Basic credentials (RFC 6749 §2.3.1), so a raw secret
	// holding '%' or '+' would not match.
	Auth revoke.ClientAuth
	// TokenEndpoint is the token endpoint URL, the "aud" fosite requires
	// in a client assertion. Empty means PublicURL + "/oauth2/token",
	// which is right unless Hydra's urls.self.public differs from
	// PublicURL; Discover reads it from the metadata.
	TokenEndpoint string
	// Issuer is Hydra's issuer, used only when a client assertion's
	// audience rule is revoke.AudienceIssuer (which fosite rejects).
	// Optional.
	Issuer string
}

// fields is what a Config prints: Auth shows its method and client ID
// only, and a URL no user info, query or fragment. A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"PublicURL", strconv.Quote(redact.URL(c.PublicURL))},
		{"Auth", redact.Auth(c.Auth)},
		{"TokenEndpoint", strconv.Quote(redact.URL(c.TokenEndpoint))},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb:
// credentials, and any user info or query in a URL, never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "hydra.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one Hydra (or Ory Network) public endpoint. It
// is safe for concurrent use; create one with New or Discover and share
// it. A zero or nil Revoker returns a *revoke.ConfigError from Revoke.
//
// Revoke revokes one access or refresh token: POST {PublicURL}/oauth2/revoke
// with token, the hint when given, and the client authentication.
//
// fosite revokes the whole grant: the access and refresh tokens of one
// authorization request end together, whichever is sent. The hint is sent
// as given (access_token or refresh_token; others are refused): fosite
// reads it only to choose where to look first.
//
// A nil error means Hydra answered 200, which it also does for a token
// that is unknown, expired or already revoked, and for a missing token
// (fosite collapses those into 200): Result.AlreadyInvalid stays false, as
// Hydra never says. Failures are *revoke.Error values: 401 invalid_client
// is revoke.ErrInvalidClient, 400 invalid_request revoke.ErrInvalidRequest,
// 400 unauthorized_client (another client's token) revoke.ErrUnauthorizedClient,
// and a 500 with no body (a storage failure: the token may still be valid)
// revoke.ErrServer.
//
// RevokeToken revokes both tokens of t: the refresh token, then the access
// token (adapter.RefreshThenAccess). fosite ends both with the first call;
// the second normally answers 200 with nothing left to do, and is kept so
// that a stale refresh token (Hydra rotates them) never leaves a live
// access token behind.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "hydra.Revoker", Build: "hydra.New or hydra.Discover", Pair: adapter.RefreshThenAccess, Vendor: "Hydra"}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use; no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "hydra.Config.PublicURL"
	base, err := publicBase(c, field, cfg.PublicURL)
	if err != nil {
		return nil, err
	}
	endpoint := adapter.JoinPath(base, revokePath)
	tokenEndpoint := cfg.TokenEndpoint
	if tokenEndpoint == "" {
		tokenEndpoint = adapter.JoinPath(base, tokenPath).String()
	}
	return newRevoker(c, endpoint, cfg.Auth, tokenEndpoint, cfg.Issuer, nil)
}

// publicBase checks a public URL: scheme required, no query, no endpoint
// path already in it.
func publicBase(c *adapter.Client, field, raw string) (*url.URL, error) {
	// URL insists on a scheme (BaseURL alone would assume https for a bare
	// host) and refuses user info, fragments and white space; BaseURL then
	// refuses a query and a malformed host, and normalises.
	if _, err := c.URL(field, raw); err != nil {
		return nil, err
	}
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	for _, suffix := range []string{"/oauth2/revoke", "/oauth2", "/.well-known/openid-configuration"} {
		if strings.HasSuffix(lower, suffix) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s already includes an endpoint path: pass only Hydra's public URL (e.g. https://auth.example.com or https://{slug}.projects.oryapis.com); the paths are appended", redact.Bounded(adapter.Endpoint(base)))}
		}
	}
	if strings.HasSuffix(lower, "/admin") {
		return nil, &revoke.ConfigError{Field: field, Problem: "ends in /admin, Hydra's admin API: tokens are revoked on the public port (4444 by default); use hydra.NewAdmin for the admin API"}
	}
	return base, nil
}

// newRevoker checks the authentication against Hydra's rules and builds
// the Revoker. listed is what the metadata lists (Metadata.AuthMethods),
// from which revoke.ClientCredentials is chosen; nil without metadata.
func newRevoker(c *adapter.Client, endpoint *url.URL, auth revoke.ClientAuth, tokenEndpoint, issuer string, listed []string) (*Revoker, error) {
	const field = "hydra.Config.Auth"
	a, err := c.ChooseAuth(field, auth, authRules, listed)
	if err != nil {
		return nil, err
	}
	if _, err := c.URL("hydra.Config.TokenEndpoint", tokenEndpoint); err != nil {
		return nil, err
	}
	if issuer != "" {
		if _, err := c.URL("hydra.Config.Issuer", issuer); err != nil {
			return nil, err
		}
	}
	info := adapter.DescribeAuth(a)
	if info.AudienceValue == "" {
		switch info.Audience {
		case revoke.AudienceEndpoint:
			return nil, &revoke.ConfigError{Field: field, Problem: "the client assertion's audience rule is revoke.AudienceEndpoint, the revocation endpoint, which fosite rejects: it accepts the token endpoint only; drop revoke.WithAudience (the default is the token endpoint)"}
		case revoke.AudienceIssuer:
			if issuer == "" {
				return nil, &revoke.ConfigError{Field: "hydra.Config.Issuer", Problem: "is empty, but the client assertion's audience rule is revoke.AudienceIssuer (fosite accepts only the token endpoint): drop revoke.WithAudience, or set Issuer"}
			}
		}
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:            opRevoke,
		URL:           endpoint,
		Auth:          a,
		Issuer:        issuer,
		TokenEndpoint: tokenEndpoint,
		Audience:      audience,
		Hints:         hints,
		Header:        acceptJSON,
	})), nil
}

// Metadata is the part of Hydra's OpenID Connect Discovery document the
// package uses.
type Metadata struct {
	Issuer             string `json:"issuer"`
	TokenEndpoint      string `json:"token_endpoint"`
	RevocationEndpoint string `json:"revocation_endpoint"`
	// RevocationEndpointAuthMethodsSupported is RFC 8414's list, which
	// Hydra does not publish [Inf]; TokenEndpointAuthMethodsSupported is
	// used when it is empty (fosite authenticates clients the same way at
	// both endpoints).
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
	TokenEndpointAuthMethodsSupported      []string `json:"token_endpoint_auth_methods_supported"`
}

// AuthMethods returns the client authentication methods the metadata
// names for revocation: the revocation list, or the token endpoint's.
func (m *Metadata) AuthMethods() []string {
	if m == nil {
		return nil
	}
	if len(m.RevocationEndpointAuthMethodsSupported) > 0 {
		return m.RevocationEndpointAuthMethodsSupported
	}
	return m.TokenEndpointAuthMethodsSupported
}

// Discover reads Hydra's OpenID Connect Discovery document at
// {publicURL}/.well-known/openid-configuration, checks that its issuer is
// publicURL (RFC 8414 §3.3; a trailing slash aside), and returns a Revoker
// for its revocation_endpoint, with its token_endpoint as the client
// assertion audience.
//
// revoke.ClientCredentials chooses client_secret_basic or
// client_secret_post from the methods the metadata lists (see
// Metadata.AuthMethods), and is refused when it lists neither; an
// explicit method is the caller's decision and is checked against Hydra's
// rules only, as in New.
func Discover(ctx context.Context, publicURL string, auth revoke.ClientAuth, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	md, err := fetchMetadata(ctx, c, publicURL)
	if err != nil {
		return nil, err
	}
	endpoint, err := c.URL("hydra.Discover: revocation_endpoint", md.RevocationEndpoint)
	if err != nil {
		return nil, &revoke.ConfigError{Field: "hydra.Discover", Problem: fmt.Sprintf("the metadata of %s has no usable revocation_endpoint (%v): configure hydra.New with the public URL", redact.Bounded(publicURL), err)}
	}
	tokenEndpoint := md.TokenEndpoint
	if tokenEndpoint == "" {
		base, _ := c.BaseURL("hydra.Discover publicURL", publicURL)
		tokenEndpoint = adapter.JoinPath(base, tokenPath).String()
	}
	return newRevoker(c, endpoint, auth, tokenEndpoint, md.Issuer, md.AuthMethods())
}

// FetchMetadata reads and checks Hydra's discovery document as Discover
// does.
func FetchMetadata(ctx context.Context, publicURL string, opts ...revoke.Option) (*Metadata, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return fetchMetadata(ctx, c, publicURL)
}

func fetchMetadata(ctx context.Context, c *adapter.Client, publicURL string) (*Metadata, error) {
	if err := adapter.CheckContext(ctx, "hydra.Discover"); err != nil {
		return nil, err
	}
	base, err := publicBase(c, "hydra.Discover publicURL", publicURL)
	if err != nil {
		return nil, err
	}
	var md Metadata
	if err := c.FetchMetadata(ctx, adapter.Discovery{Op: opDiscover, URL: adapter.JoinPath(base, discoveryPath), Issuer: base.String(),
		Advice: "if Hydra's urls.self.issuer really differs from the public URL, use hydra.New with the public URL"}, &md); err != nil {
		return nil, err
	}
	return &md, nil
}
