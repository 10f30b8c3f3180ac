package spotify_test

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/spotify"
)

// Spotify cannot revoke tokens: the error says so, and what to do.
func Example() {
	r, err := spotify.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: "BQDp…", RefreshToken: "AQC…"})
	fmt.Println(errors.Is(err, revoke.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// true
	// revoke: unsupported by the vendor: spotify revoke: Spotify has no token revocation API (spotify/web-api#600, closed as wontfix): the user removes the app at https://www.spotify.com/account/apps/, which invalidates its refresh tokens, and access tokens stay valid until they expire, one hour after issue; delete the tokens you store
}
