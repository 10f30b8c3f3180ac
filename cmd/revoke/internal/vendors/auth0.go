package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/revoketest"
)

func auth0Vendor() Vendor {
	return Vendor{
		Name:   "auth0",
		Title:  "Auth0",
		Docs:   "https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token",
		Limits: "per tenant, reported in X-RateLimit-*; refresh tokens only (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy)",
		Verify: "Auth0 has no RFC 7662 introspection endpoint",
		Settings: []profile.Setting{
			{Name: Domain, Usage: "the org or tenant domain, e.g. dev-123.okta.com, dev-abc.us.auth0.com, acme.my.salesforce.com (Salesforce My Domain); a PingOne custom domain"},
			{Name: APIToken, Secret: true, Usage: "file holding the management API token for revoke user (- for standard input); or set REVOKE_API_TOKEN"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			domain, err := p.Require(Domain, "the tenant domain, e.g. dev-abc.us.auth0.com")
			if err != nil {
				return nil, err
			}
			auth, opts, err := p.Client(revoke.MethodClientSecretPost)
			if err != nil {
				return nil, err
			}
			return auth0.New(auth0.Config{Domain: domain, Auth: auth}, opts...)
		},
		SubjectHelp: "a user ID (auth0|…) or an email address",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			domain, err := p.Require(Domain, "the tenant domain, e.g. dev-abc.us.auth0.com")
			if err != nil {
				return nil, err
			}
			tok, err := p.RequireSecret(APIToken, "a Management API token with delete:refresh_tokens, delete:sessions and read:users")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: tok}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := auth0test.New()
			id, secret := "demo-client-id", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			user := "auth0|demo-alice"
			srv.AddUser(user, "alice@example.com")
			srv.StartSession(user)
			srv.Issue(id, user)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "auth0", Domain: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret, APIToken: srv.ManagementToken()},
				Tokens:   tokens(n, func() string { return srv.Issue(id, user).RefreshToken }),
				Subject:  "alice@example.com",
				Active:   srv.Active,
				Notes:    []string{"Auth0 revokes refresh tokens only: the demo tokens are refresh tokens"},
			}, nil
		},
	}
}
