package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
)

func googleVendor() Vendor {
	return Vendor{
		Name:   "google",
		Title:  "Google",
		Docs:   "https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke",
		Limits: "none documented for /revoke; no rate-limit headers",
		Verify: "Google has no RFC 7662 introspection (its tokeninfo endpoint is another protocol)",
		Settings: []profile.Setting{
			{Name: Endpoint, Usage: "revocation endpoint URL (generic: instead of discovery; google: a proxy or a fake)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// Google takes no client credentials.
			return google.New(google.Config{Endpoint: p.Get(Endpoint)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := googletest.New()
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "google", Endpoint: base + "/revoke"},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue("demo.apps.googleusercontent.com", "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes:  []string{"Google revokes every token the client holds for the user at once: expect already_invalid for the second token of each pair"},
			}, nil
		},
	}
}
