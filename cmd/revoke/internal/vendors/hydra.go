package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/revoketest"
)

// AdminURL is the setting of an admin API's base URL.
const AdminURL = "admin_url"

// hydraIntrospectPath is Hydra's introspection endpoint, on the admin API
// (https://www.ory.sh/docs/reference/api#tag/oAuth2/operation/introspectOAuth2Token).
const hydraIntrospectPath = "/admin/oauth2/introspect"

func hydraVendor() Vendor {
	return Vendor{
		Name:   "hydra",
		Title:  "Ory Hydra and Ory Network",
		Docs:   "https://www.ory.sh/docs/reference/api#tag/oAuth2/operation/revokeOAuth2Token",
		Limits: "Ory Network: per project and plan (https://www.ory.sh/docs/guides/rate-limits); self-hosted: none",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (hydra: the public URL; a custom domain, a gateway prefix or a fake)"},
			{Name: Issuer, Usage: "issuer URL: the revocation endpoint is discovered from its RFC 8414 / OpenID Connect metadata"},
			{Name: AdminURL, Usage: "admin API base URL, for revoke user"},
			{Name: APIToken, Secret: true, Usage: "file holding the management API token for revoke user (- for standard input); or set REVOKE_API_TOKEN"},
		},
		Revoker: func(ctx context.Context, p *profile.Profile) (revoke.Revoker, error) {
			public, err := p.Require(BaseURL, "Hydra's public URL")
			if err != nil {
				return nil, err
			}
			auth, opts, err := p.Client("")
			if err != nil {
				return nil, err
			}
			return hydra.Discover(ctx, public, auth, opts...)
		},
		Verify: "RFC 7662 on the admin API (--admin-url, " + hydraIntrospectPath + "): Hydra serves no introspection on its public port, " +
			"and its admin API takes no client authentication (self-hosted: protect the port on the network; Ory Network: the project API key in REVOKE_API_TOKEN)",
		Verifier: func(_ context.Context, p *profile.Profile, _ revoke.Revoker) (bulk.Verifier, error) {
			admin, err := p.Require(AdminURL, "Hydra's admin URL: --verify introspects on the admin API ("+hydraIntrospectPath+"), as Hydra's public port has no introspection")
			if err != nil {
				return nil, err
			}
			key, err := p.Secret(APIToken) // Ory Network's API key; none for a self-hosted admin port
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// The SDK's admin client checks the URL and the key as revoke
			// user does; its base URL is where the introspection goes.
			if _, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: admin, APIKey: key}, opts...); err != nil {
				return nil, err
			}
			c, err := adapter.New(adapter.Profile{Name: "hydra admin"}, opts...)
			if err != nil {
				return nil, err
			}
			base, err := c.BaseURL("--admin-url", admin)
			if err != nil {
				return nil, err
			}
			return NewIntrospector(IntrospectorConfig{Vendor: "hydra", Endpoint: adapter.JoinPath(base, hydraIntrospectPath).String(),
				Auth: revoke.NoClientAuth(), Bearer: key}, opts...)
		},
		SubjectHelp: "the subject (sub) Hydra knows the user by, or --iss with --sub",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			admin, err := p.Require(AdminURL, "Hydra's admin URL")
			if err != nil {
				return nil, err
			}
			key, err := p.Secret(APIToken) // Ory Network's API key; none for a self-hosted admin port
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return hydra.NewAdmin(hydra.AdminConfig{AdminURL: admin, APIKey: key, Issuer: p.Get(Issuer)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := hydratest.New()
			id, secret := "demo-client", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			srv.Login("alice")
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "hydra", BaseURL: base, AdminURL: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Subject: "alice",
				Active:  srv.Active,
			}, nil
		},
	}
}
