package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/spotify"
)

func spotifyVendor() Vendor {
	return Vendor{
		Name:   "spotify",
		Title:  "Spotify (no revocation API: every token fails as unsupported, nothing is sent)",
		Docs:   "https://github.com/spotify/web-api/issues/600",
		Limits: "none: Spotify has no revocation endpoint, and nothing is sent",
		Verify: "Spotify has no revocation and no introspection",
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			// Every call answers revoke.ErrUnsupported with what to do
			// instead (spotify.Description).
			return spotify.New(opts...)
		},
		// No Emulate: nothing is ever sent to Spotify.
		NoFake: "nothing is ever sent to Spotify, so there is nothing to emulate. " + spotify.Description,
	}
}
