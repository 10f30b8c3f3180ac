package revoke_test

import "golang.org/x/oauth2"

// oauth2Token builds *oauth2.Token values compactly in tables.
type oauth2Token struct{ access, refresh string }

func (t *oauth2Token) toOAuth2() *oauth2.Token {
	if t == nil {
		return nil
	}
	return &oauth2.Token{AccessToken: t.access, RefreshToken: t.refresh}
}
