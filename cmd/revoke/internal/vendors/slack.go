package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

func slackVendor() Vendor {
	return Vendor{
		Name:   "slack",
		Title:  "Slack",
		Docs:   "https://api.slack.com/methods/auth.revoke",
		Limits: "Web API tier 3, 50+ calls a minute per method and workspace (https://api.slack.com/apis/rate-limits)",
		Verify: "Slack has no RFC 7662 introspection",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix or a fake)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// Each token authenticates its own revocation.
			return slack.New(slack.Config{BaseURL: p.Get(BaseURL)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := slacktest.New()
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "slack", BaseURL: base + "/api"},
				Tokens:   tokens(2*n, func() string { return srv.IssueUserToken("U0DEMO") }),
				Active:   srv.Active,
				Notes:    []string{"Slack takes no client credentials: each token revokes itself"},
			}, nil
		},
	}
}
