package vendors

import (
	"context"
	"fmt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// Settings of Okta (and of other vendors with a domain or an API token).
const (
	Domain     = "domain"
	AuthServer = "auth_server"
	APIToken   = "api_token"
)

func oktaVendor() Vendor {
	return Vendor{
		Name:  "okta",
		Title: "Okta",
		Docs:  "https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/#tag/OrgAS/operation/revokeOrgAS",
		Limits: "per org, per minute, on /oauth2/v1: 300 (free developer) to 2,000 (Workforce), and at most 75 concurrent " +
			"requests per org (https://developer.okta.com/docs/reference/rl-global-enduser/)",
		Settings: []profile.Setting{
			{Name: Domain, Usage: "the org domain, e.g. dev-123.okta.com (Okta), or the tenant domain (Auth0)"},
			{Name: Issuer, Usage: "issuer URL: the revocation endpoint is discovered from its RFC 8414 / OpenID Connect metadata"},
			{Name: AuthServer, Usage: "Okta custom authorization server ID (\"default\", \"aus…\"); empty for the org authorization server"},
			{Name: APIToken, Secret: true, Usage: "file holding the management API token for revoke user (- for standard input); or set REVOKE_API_TOKEN"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			auth, opts, err := p.Client(revoke.MethodClientSecretBasic)
			if err != nil {
				return nil, err
			}
			if p.Get(Domain) == "" && p.Get(Issuer) == "" {
				_, err := p.Require(Domain, "the Okta org, e.g. dev-123.okta.com; or set --issuer")
				return nil, err
			}
			return okta.New(okta.Config{Domain: p.Get(Domain), Issuer: p.Get(Issuer), AuthorizationServerID: p.Get(AuthServer), Auth: auth}, opts...)
		},
		Verify: "RFC 7662 at the authorization server's introspection endpoint (/oauth2/v1/introspect, or /oauth2/{id}/v1/introspect for a custom one; " +
			"from its metadata), with the same client authentication as the revocation",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			o, ok := r.(*okta.Revoker)
			if !ok {
				return nil, fmt.Errorf("okta: --verify: the revoker is a %T, not an okta.Revoker", r)
			}
			// /oauth2/v1/revoke → /oauth2/v1/introspect, /oauth2/{id}/v1/revoke → /oauth2/{id}/v1/introspect.
			// A client assertion's "aud" is the URL called, as at /revoke.
			return besideRevocation(ctx, p, r, revoke.MethodClientSecretBasic, o.Endpoint(), o.Issuer(), "/v1/revoke", "/v1/introspect",
				IntrospectorConfig{Vendor: "okta", Audience: revoke.AudienceEndpoint})
		},
		SubjectHelp: "a user ID (00u…), as --id or the argument",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			domain, err := p.Require(Domain, "the Okta org, e.g. dev-123.okta.com")
			if err != nil {
				return nil, err
			}
			tok, err := p.RequireSecret(APIToken, "an Okta API token with okta.users.manage")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			admin, err := oktaadmin.New(oktaadmin.Config{Domain: domain, APIToken: tok}, opts...)
			if err != nil {
				return nil, err
			}
			// oktaadmin gains RevokeSubject in a later version of the SDK.
			sr, ok := any(admin).(revoke.SubjectRevoker)
			if !ok {
				return nil, usage.Errorf("this build's okta/oktaadmin has no user-level revocation (RevokeSubject) yet")
			}
			return sr, nil
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			org := oktatest.New()
			apiToken := demoSecret("00demo-api-token-")
			admin := oktatest.NewAdmin(apiToken)
			admin.Store = org.Store
			org.Admin = admin
			id, secret := "0oa-demo-client", demoSecret("demo-secret-")
			org.AddClient(revoketest.Client{ID: id, Secret: secret})
			user := "00u-demo-alice"
			admin.AddUser(user)
			admin.AddClient(id, "Demo app")
			admin.IssueRefreshToken(user, id, "offline_access")
			admin.AddSession(user)
			return &Emulation{
				Handler:  org,
				Settings: map[string]string{profile.Vendor: "okta", Domain: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret, APIToken: apiToken},
				Tokens: pairs(n, func() (string, string) {
					// Issued to the admin fake's user, so that revoke user
					// ends them as Okta does (oauthTokens=true).
					pr := org.IssueFor("", id, user)
					return pr.AccessToken, pr.RefreshToken
				}),
				Subject: user,
				Active:  org.Active,
				Notes: []string{
					"rate limit: " + itoa(oktatest.DefaultRateLimit) + " requests a minute, with X-Rate-Limit-* headers, as an Okta org answers",
				},
			}, nil
		},
	}
}
