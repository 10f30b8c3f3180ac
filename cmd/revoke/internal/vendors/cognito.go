package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/revoketest"
)

// Region is the region setting: an AWS region (Cognito), a PingOne region.
const Region = "region"

func cognitoVendor() Vendor {
	return Vendor{
		Name:   "cognito",
		Title:  "Amazon Cognito user pools",
		Docs:   "https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html",
		Limits: "per user pool and account (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html); refresh tokens only",
		Verify: "Cognito has no introspection endpoint",
		Settings: []profile.Setting{
			{Name: Domain, Usage: "the org or tenant domain, e.g. dev-123.okta.com, dev-abc.us.auth0.com"},
			{Name: Region, Usage: "AWS region of the Cognito user pool, e.g. us-east-1 (with a domain prefix); PingOne region, e.g. com, eu (auth.pingone.{region})"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			domain, err := p.Require(Domain, "the user pool domain: a prefix with --region, or a custom domain")
			if err != nil {
				return nil, err
			}
			id, err := p.Require(profile.ClientID, "the app client ID")
			if err != nil {
				return nil, err
			}
			secret, err := p.Secret(profile.ClientSecret) // none for a public app client
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return cognito.New(cognito.Config{Domain: domain, Region: p.Get(Region), ClientID: id, ClientSecret: secret}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := cognitotest.New()
			id, secret := "demo1client2id3", demoSecret("")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "cognito", Domain: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens:   tokens(n, func() string { return srv.Issue(id, "alice").RefreshToken }),
				Active:   srv.Active,
				Notes:    []string{"Cognito revokes refresh tokens only, with the access tokens minted from them: the demo tokens are refresh tokens"},
			}, nil
		},
	}
}
