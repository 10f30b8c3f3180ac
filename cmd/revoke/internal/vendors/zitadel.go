package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

func zitadelVendor() Vendor {
	return Vendor{
		Name:   "zitadel",
		Title:  "ZITADEL",
		Docs:   "https://zitadel.com/docs/apis/openidoauth/endpoints#revocation_endpoint",
		Limits: "ZITADEL Cloud: per instance (https://zitadel.com/docs/legal/policies/rate-limit-policy)",
		Settings: []profile.Setting{
			{Name: Domain, Usage: "the org or tenant domain, e.g. dev-123.okta.com, dev-abc.us.auth0.com"},
			{Name: Issuer, Usage: "issuer URL: the revocation endpoint is discovered from its RFC 8414 / OpenID Connect metadata"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			domain, err := p.Require(Domain, "the instance domain, e.g. my-instance-abc123.zitadel.cloud")
			if err != nil {
				return nil, err
			}
			auth, err := p.ClientAuth("")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return zitadel.New(zitadel.Config{Domain: domain, Auth: auth, Issuer: p.Get(Issuer)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := zitadeltest.New()
			id, secret := "demo-client@demo", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "zitadel", Domain: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
			}, nil
		},
	}
}
