package onelogin_test

import (
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke/revoketest"
)

func oauth2Token(p revoketest.Pair) *oauth2.Token {
	return &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}
}
