package vendors

import (
	"context"
	"fmt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
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
			auth, opts, err := p.Client("")
			if err != nil {
				return nil, err
			}
			return zitadel.New(zitadel.Config{Domain: domain, Auth: auth, Issuer: p.Get(Issuer)}, opts...)
		},
		Verify: "RFC 7662 at /oauth/v2/introspect (from the instance's metadata), with the same client authentication as the revocation: " +
			"Basic or private_key_jwt of a confidential application; a public (PKCE) application cannot introspect. " +
			"ZITADEL introspects access tokens only and answers inactive for every refresh token, so only a token given with the hint " +
			"access_token (--hint access_token, or JSON lines {\"token\":…,\"hint\":\"access_token\"}) can be verified inactive; " +
			"the check of any other token is reported failed",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			z, ok := r.(*zitadel.Revoker)
			if !ok {
				return nil, fmt.Errorf("zitadel: --verify: the revoker is a %T, not a zitadel.Revoker", r)
			}
			// ZITADEL wants the issuer as a client assertion's "aud".
			// ZITADEL's introspection answers inactive for every refresh
			// token (internal/api/oidc/introspect.go verifies access tokens
			// only): an inactive answer proves nothing without the hint.
			return besideRevocation(ctx, p, r, "", z.Endpoint(), z.Issuer(), "/oauth/v2/revoke", "/oauth/v2/introspect",
				IntrospectorConfig{Vendor: "zitadel", Audience: revoke.AudienceIssuer, AccessTokensOnly: true})
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
				Notes: []string{
					"the fake introspects as ZITADEL does, access tokens only: with --verify, give the access tokens the hint access_token " +
						"(--hint access_token, or JSON lines {\"token\":…,\"hint\":\"access_token\"}); the check of any other token is reported failed, never verified",
				},
			}, nil
		},
	}
}
