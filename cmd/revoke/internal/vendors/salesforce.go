package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/salesforce"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
)

func salesforceVendor() Vendor {
	return Vendor{
		Name:   "salesforce",
		Title:  "Salesforce (connected apps and external client apps)",
		Docs:   "https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html",
		Limits: "none documented for /services/oauth2/revoke; no rate-limit headers (Sforce-Limit-Info is the REST API's)",
		Verify: "Salesforce's /services/oauth2/introspect authenticates a connected app (its client ID and secret), and this vendor revokes without client credentials",
		Settings: []profile.Setting{
			{Name: Domain, Usage: "the org's login URL: its My Domain (acme.my.salesforce.com), a sandbox (acme--uat.sandbox.my.salesforce.com), an Experience Cloud site with its path (acme.my.site.com/customers), or login.salesforce.com"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			// No default host: a host that does not know a token may answer
			// invalid_token, which the SDK reports as already invalid.
			login, err := p.Require(Domain, "the org's My Domain, e.g. acme.my.salesforce.com; a sandbox's, acme--uat.sandbox.my.salesforce.com; an Experience Cloud site with its path; or login.salesforce.com")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// Salesforce takes no client credentials: the token is the credential.
			return salesforce.New(salesforce.Config{URL: login}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := salesforcetest.New()
			app, user := "3MVG9demo.connected.app", "005DEMO0000alice"
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "salesforce", Domain: base},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(app, user)
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes: []string{
					"Salesforce takes no client credentials: each token is its own credential",
					"revoking a refresh token revokes its access token too: when the refresh token goes first, expect already_invalid for its access token",
				},
			}, nil
		},
	}
}
