package vendors

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// Ping Identity's three authorization servers are three vendors, named as
// package ping names its products (ping.Federate, ping.One, ping.AM, which
// its errors print): each has its own hosts, settings, documentation and
// fake, so --vendor picks the product, revoke vendors lists each with what
// it reads, and a setting of another product (--realm with pingone) is
// refused like any foreign flag.

// EnvironmentID is the PingOne environment ID setting.
const EnvironmentID = "environment_id"

// pingRegions are PingOne's regions, by the top-level domain of
// auth.pingone.{region}, with their names for messages.
var pingRegions = []struct {
	region ping.Region
	name   string
}{
	{ping.RegionNorthAmerica, "North America"},
	{ping.RegionEurope, "Europe"},
	{ping.RegionCanada, "Canada"},
	{ping.RegionAustralia, "Australia"},
	{ping.RegionSingapore, "Singapore"},
	{ping.RegionAsiaPacific, "Asia-Pacific, legacy"},
}

// pingRegionList renders the regions for messages: "com (North America),
// eu (Europe), …".
func pingRegionList() string {
	var out []string
	for _, r := range pingRegions {
		out = append(out, string(r.region)+" ("+r.name+")")
	}
	return strings.Join(out, ", ")
}

// PingProducts names the Ping Identity vendors, for messages about a
// vendor name that is none of them.
func PingProducts() string {
	return string(ping.Federate) + " (PingFederate), " + string(ping.One) + " (PingOne) or " +
		string(ping.AM) + " (PingAM, ForgeRock AM, PingOne Advanced Identity Cloud)"
}

// pingLimits: none of the products documents a rate limit or rate-limit
// headers at its revocation endpoint (ping/profile.go).
const pingLimits = "none documented at the revocation endpoint, and no rate-limit headers: set --concurrency to what the server can take"

func pingFederateVendor() Vendor {
	return Vendor{
		Name:   string(ping.Federate),
		Title:  "PingFederate",
		Docs:   "https://docs.pingidentity.com/pingfederate/latest/developers_reference_guide/pf_token_revoc_endpoint.html",
		Limits: pingLimits,
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (pingfederate: the runtime engine, e.g. https://pf.example.com:9031, with any proxy prefix)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			base, err := p.Require(BaseURL, "PingFederate's runtime engine, e.g. https://pf.example.com:9031")
			if err != nil {
				return nil, err
			}
			auth, opts, err := p.Client("")
			if err != nil {
				return nil, err
			}
			return ping.NewFederate(ping.FederateConfig{BaseURL: base, Auth: auth}, opts...)
		},
		Verify: "RFC 7662 at /as/introspect.oauth2 (from the metadata), with the same client authentication as the revocation; " +
			"PingFederate answers for access tokens only a client allowed the Access Token Validation grant type, and finds a refresh token " +
			"only with the hint refresh_token, so a token without a hint is asked about as a refresh token, then as an access token",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			return pingVerifier(ctx, p, r, "/as/revoke_token.oauth2", "/as/introspect.oauth2")
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := pingtest.NewFederate()
			id, secret := "demo-client", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			srv.AllowAccessTokenValidation(id)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: string(ping.Federate), BaseURL: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes: []string{
					"revoking a refresh token ends its grant's access tokens too; the demo access tokens are reference tokens, which PingFederate revokes directly (a JWT access token only when its access token manager has \"Enable Token Revocation\")",
					"the demo client also has the Access Token Validation grant type, which PingFederate requires of a client that introspects access tokens (--verify)",
				},
			}, nil
		},
	}
}

func pingOneVendor() Vendor {
	return Vendor{
		Name:   string(ping.One),
		Title:  "PingOne",
		Docs:   "https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html",
		Limits: pingLimits,
		Settings: []profile.Setting{
			{Name: EnvironmentID, Usage: "PingOne environment ID, a UUID (Settings → Environment Properties)"},
			{Name: Region, Usage: "PingOne region, the domain of auth.pingone.{region}: " + pingRegionList()},
			{Name: Domain, Usage: "PingOne custom domain, e.g. auth.example.com, instead of --environment-id and --region"},
			{Name: BaseURL, Usage: "replaces https://auth.pingone.{region} (a proxy or a fake), with --environment-id"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			cfg, err := pingOneConfig(p)
			if err != nil {
				return nil, err
			}
			// PingOne takes only the application's tokenEndpointAuthMethod;
			// client credentials mean CLIENT_SECRET_BASIC, the default of
			// new applications.
			if cfg.Auth, err = p.ClientAuth(""); err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return ping.NewOne(cfg, opts...)
		},
		Verify: "RFC 7662 at …/as/introspect (from the environment's metadata), with the application's own authentication, as at revocation",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			return pingVerifier(ctx, p, r, "/as/revoke", "/as/introspect")
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			env := "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"
			srv := pingtest.NewOne(env)
			id, secret := "5f1c7c2e-8d3b-4b6a-9e21-0000000000de", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret, Method: revoke.MethodClientSecretBasic})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: string(ping.One), BaseURL: base, EnvironmentID: env, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes: []string{
					"the demo application's tokenEndpointAuthMethod is CLIENT_SECRET_BASIC, which PingOne enforces: --auth-method client_secret_post is refused with invalid_client, as PingOne would",
					"against a real environment, leave out --base-url and set --region, the domain of auth.pingone.{region}: " + pingRegionList(),
					"PingOne revokes only tokens with a session: client_credentials tokens and tokens for the PingOne API fail as unsupported_token_type",
				},
			}, nil
		},
	}
}

// pingOneConfig reads PingOne's host settings: --environment-id with
// --region (or --base-url), or --domain alone. Every mistake is a usage
// error in the CLI's terms, before the SDK's (which names Go fields).
func pingOneConfig(p *profile.Profile) (ping.OneConfig, error) {
	cfg := ping.OneConfig{
		EnvironmentID: p.Get(EnvironmentID),
		Region:        ping.Region(strings.ToLower(p.Get(Region))),
		CustomDomain:  p.Get(Domain),
		AuthURL:       p.Get(BaseURL),
	}
	if cfg.CustomDomain != "" {
		for _, name := range []string{EnvironmentID, Region, BaseURL} {
			if v, ok := p.Lookup(name); ok && v.Value != "" {
				return cfg, usage.Errorf("%s and %s are both set: a PingOne custom domain replaces https://auth.pingone.{region}/{environment}; set the domain alone, or --environment-id with --region and no domain", fromOf(p, Domain), v.From)
			}
		}
		return cfg, nil
	}
	if _, err := p.Require(EnvironmentID, "the PingOne environment's ID, a UUID shown in Settings → Environment Properties; or --domain for a custom domain"); err != nil {
		return cfg, err
	}
	if cfg.AuthURL != "" {
		if cfg.Region != "" {
			return cfg, usage.Errorf("%s and %s are both set: --base-url replaces https://auth.pingone.{region}; set one of them", fromOf(p, BaseURL), fromOf(p, Region))
		}
		return cfg, nil
	}
	if cfg.Region == "" {
		_, err := p.Require(Region, "the PingOne region, the domain of auth.pingone.{region}: "+pingRegionList())
		return cfg, err
	}
	for _, r := range pingRegions {
		if cfg.Region == r.region {
			return cfg, nil
		}
	}
	return cfg, usage.Errorf("%s: %s is not a PingOne region: use %s", fromOf(p, Region), strconv.Quote(p.Get(Region)), pingRegionList())
}

func pingAMVendor() Vendor {
	return Vendor{
		Name:   string(ping.AM),
		Title:  "PingAM, ForgeRock Access Management, PingOne Advanced Identity Cloud",
		Docs:   "https://docs.pingidentity.com/pingam/8/am-oauth2/oauth2-token-revoke-endpoint.html",
		Limits: pingLimits,
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (pingam: with its deployment path, e.g. https://am.example.com:8443/am; /am when it has none)"},
			{Name: Realm, Usage: "PingAM realm under the root realm: alpha, alpha/customers; empty for the root realm"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			base, err := p.Require(BaseURL, "AM's URL with its deployment path, e.g. https://am.example.com:8443/am, or https://<tenant>.forgeblocks.com/am for Advanced Identity Cloud")
			if err != nil {
				return nil, err
			}
			auth, opts, err := p.Client("")
			if err != nil {
				return nil, err
			}
			// The realm may be empty: the root realm.
			return ping.NewAM(ping.AMConfig{BaseURL: base, Realm: p.Get(Realm), Auth: auth}, opts...)
		},
		Verify: "RFC 7662 at the realm's …/introspect (from its metadata), with the same client authentication as the revocation " +
			"(client_id in the body too); a client introspects its own tokens",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			return pingVerifier(ctx, p, r, "/token/revoke", "/introspect")
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := pingtest.NewAM()
			realm, id, secret := "alpha", "demo-client", demoSecret("demo-secret-")
			srv.AddClient(realm, revoketest.Client{ID: id, Secret: secret})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: string(ping.AM), BaseURL: base + "/am", Realm: realm, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "bjensen")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes: []string{
					"PingAM requires client_id in the body whatever the authentication: it is sent with the Basic credentials, as AM's own example does",
					"revoking a refresh token ends its grant's access tokens too: when it goes first, its access token answers 200 all the same",
				},
			}, nil
		},
	}
}

// pingVerifier builds --verify for a Ping product: RFC 7662 beside the
// revocation endpoint (its path revokePath becomes introspectPath), or
// where the server's metadata says, with the revocation's client
// authentication and client assertion audience.
func pingVerifier(ctx context.Context, p *profile.Profile, r revoke.Revoker, revokePath, introspectPath string) (bulk.Verifier, error) {
	pr, ok := r.(*ping.Revoker)
	if !ok {
		return nil, fmt.Errorf("ping: --verify: the revoker is a %T, not a ping.Revoker", r)
	}
	product := string(pr.Product())
	auth, opts, err := p.Client("")
	if err != nil {
		return nil, err
	}
	documented, err := documentedEndpoint(product, pr.Endpoint(), revokePath, introspectPath)
	if err != nil {
		return nil, err
	}
	// PingFederate looks a token up as the hint says, an access token
	// without one.
	cfg := IntrospectorConfig{Vendor: product, Auth: auth, Methods: sameMethods(auth, r), HintRequired: pr.Product() == ping.Federate}
	// The issuer, for discovery: PingFederate's base URL, PingOne's …/as,
	// PingAM's realm path, each the revocation endpoint without its path.
	issuer := strings.TrimSuffix(strings.TrimSuffix(pr.Endpoint(), revokePath), "/")
	switch pr.Product() {
	case ping.One:
		issuer = pr.Audience() // …/as, the issuer, PingOne's "aud"
		cfg.Issuer, cfg.Audience = pr.Audience(), revoke.AudienceIssuer
	default:
		// PingFederate and PingAM take their token endpoint as "aud".
		cfg.Issuer, cfg.TokenEndpoint, cfg.Audience = issuer, pr.Audience(), revoke.AudienceTokenEndpoint
	}
	// The audience stays the revocation's, which the server took.
	cfg.Endpoint, _ = introspectionEndpoint(ctx, issuer, documented, auth, opts)
	if pr.Product() == ping.AM {
		// PingAM wants client_id in the body whatever the authentication,
		// as at revocation; the methods that put it there themselves do.
		switch auth.Method() {
		case revoke.MethodClientSecretPost, revoke.MethodNone, revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth:
		default:
			if m := sameMethods(auth, r); len(m) == 0 || m[0] != revoke.MethodClientSecretPost {
				cfg.Params = url.Values{"client_id": {pr.ClientID()}}
			}
		}
	}
	return NewIntrospector(cfg, opts...)
}

// fromOf names where a setting comes from: --region, REVOKE_REGION, config
// profile.json.
func fromOf(p *profile.Profile, name string) string {
	if v, ok := p.Lookup(name); ok {
		return v.From
	}
	return "--" + profile.Setting{Name: name}.Flag()
}
