// Package spotify tells callers, at run time, that Spotify offers no way
// to revoke an OAuth token: its Revoker returns an error matching
// revoke.ErrUnsupported that says what can be done instead. Nothing is
// ever sent.
//
// Spotify's Web API has no revocation endpoint. The request for one
// (https://github.com/spotify/web-api/issues/600) was closed as "wontfix";
// later requests (#1287, #1306) are open. A user ends an app's access at
// AccountAppsURL, which invalidates the app's refresh tokens; access tokens
// stay valid until they expire, one hour after issue
// (https://github.com/spotify/web-api/issues/1277,
// https://developer.spotify.com/documentation/web-api/concepts/access-token).
//
// The package exists so that code revoking tokens across vendors gets a
// clear, typed answer for Spotify instead of a missing adapter:
//
//	r, _ := spotify.New()
//	err := revoke.RevokeToken(ctx, r, tok)
//	if errors.Is(err, revoke.ErrUnsupported) {
//		// delete the stored tokens; ask the user to remove the app at spotify.AccountAppsURL
//	}
package spotify

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// AccountAppsURL is where a Spotify user removes an app's access to their
// account, which invalidates the app's refresh tokens for that user.
const AccountAppsURL = "https://www.spotify.com/account/apps/"

// Description is the text of the error every call returns.
const Description = "Spotify has no token revocation API (spotify/web-api#600, closed as wontfix): " +
	"the user removes the app at " + AccountAppsURL + ", which invalidates its refresh tokens, " +
	"and access tokens stay valid until they expire, one hour after issue; delete the tokens you store"

// op names the operation in errors.
const op = "spotify revoke"

// Revoker answers every revocation with an error matching
// revoke.ErrUnsupported. It holds nothing, sends nothing, and is safe for
// concurrent use; its zero value and a nil *Revoker work the same.
type Revoker struct{}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// New returns a Revoker. opts are checked as every adapter checks them
// (a mistake is a *revoke.ConfigError), so that code building adapters
// from one list of options treats Spotify like the others; they have no
// effect, as nothing is ever sent.
func New(opts ...revoke.Option) (*Revoker, error) {
	if _, err := adapter.New(adapter.Profile{Name: "spotify"}, opts...); err != nil {
		return nil, err
	}
	return &Revoker{}, nil
}

// Revoke returns a *revoke.Error matching revoke.ErrUnsupported whose
// Description says what to do instead (Description). A nil context is a
// *revoke.ConfigError, as for every adapter.
func (r *Revoker) Revoke(ctx context.Context, _ revoke.Request) (*revoke.Result, error) {
	if err := adapter.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	return nil, unsupported()
}

// RevokeToken implements revoke.TokenRevoker with the same error as
// Revoke, whatever the token holds: Spotify can revoke neither token.
func (r *Revoker) RevokeToken(ctx context.Context, _ *oauth2.Token) error {
	_, err := r.Revoke(ctx, revoke.Request{})
	return err
}

func unsupported() *revoke.Error {
	return &revoke.Error{Op: op, Kind: revoke.ErrUnsupported, Description: Description}
}
