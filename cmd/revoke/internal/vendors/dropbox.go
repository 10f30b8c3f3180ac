package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
)

func dropboxVendor() Vendor {
	return Vendor{
		Name:   "dropbox",
		Title:  "Dropbox",
		Docs:   "https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke",
		Limits: "per app and user, 429 with Retry-After (https://developers.dropbox.com/dbx-performance-guide)",
		Verify: "Dropbox has no RFC 7662 introspection endpoint",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix or a fake)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// The app key and secret are needed for refresh tokens only.
			secret, err := p.Secret(profile.ClientSecret)
			if err != nil {
				return nil, err
			}
			return dropbox.New(dropbox.Config{BaseURL: p.Get(BaseURL), AppKey: p.Get(profile.ClientID), AppSecret: secret}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := dropboxtest.New()
			key, secret := "demoappkey", demoSecret("")
			srv.AddApp(key, secret)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "dropbox", BaseURL: base, profile.ClientID: key},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens:   tokens(2*n, func() string { return srv.Issue(key, "dbid:demo").AccessToken }),
				Active:   srv.Active,
				Notes:    []string{"Dropbox revokes with the token itself; the app key (--client-id) and secret are needed only for refresh tokens"},
			}, nil
		},
	}
}
