package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// Tenant is the WSO2 tenant domain setting.
const Tenant = "tenant"

func wso2Vendor() Vendor {
	return Vendor{
		Name:   "wso2",
		Title:  "WSO2 Identity Server, API Manager, Asgardeo",
		Docs:   "https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/",
		Limits: "none documented for /oauth2/revoke: set --concurrency to what the server can take",
		Verify: "WSO2 Identity Server authenticates /oauth2/introspect as a user with application-management permission " +
			"(or a bearer token with an internal scope), not as the client that revokes; the CLI does not ask for an administrator's credentials only to check",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix or a fake)"},
			{Name: Tenant, Usage: "WSO2 tenant domain or Asgardeo organization; empty for the super tenant"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			base, err := p.Require(BaseURL, "the server's root URL, e.g. https://localhost:9443 or https://api.asgardeo.io")
			if err != nil {
				return nil, err
			}
			// WSO2 does not form-decode Basic credentials: raw Basic.
			auth, err := p.ClientAuth(profile.MethodClientSecretBasicRaw)
			if err != nil {
				return nil, err
			}
			return wso2.New(wso2.Config{BaseURL: base, Tenant: p.Get(Tenant), Auth: auth}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := wso2test.New()
			id, secret := "demo_client_id", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "wso2", BaseURL: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes:  []string{"revoking either token of a pair revokes both, as WSO2 does"},
			}, nil
		},
	}
}
