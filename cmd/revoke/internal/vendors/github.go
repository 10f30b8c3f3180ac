package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
)

func githubVendor() Vendor {
	return Vendor{
		Name:   "github",
		Title:  "GitHub OAuth apps and GitHub Apps",
		Docs:   "https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-token",
		Limits: "per app, reported in x-ratelimit-* (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api)",
		Verify: "GitHub has no RFC 7662 introspection (its check-a-token API, POST /applications/{client_id}/token, is another protocol)",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix, GitHub Enterprise's /api/v3, or a fake)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			id, err := p.Require(profile.ClientID, "the app's client ID")
			if err != nil {
				return nil, err
			}
			secret, err := p.RequireSecret(profile.ClientSecret, "one of the app's client secrets")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return github.New(github.Config{ClientID: id, ClientSecret: secret, BaseURL: p.Get(BaseURL)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := githubtest.New()
			id, secret := "Ov23liDemoClient", demoSecret("")
			srv.AddApp(id, secret)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "github", BaseURL: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens:   tokens(2*n, func() string { return srv.Issue(id, "octocat") }),
				Active:   srv.Active,
			}, nil
		},
	}
}
