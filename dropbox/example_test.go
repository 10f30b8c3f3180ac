package dropbox_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
)

// Revoke an access token: Dropbox ends its refresh token with it. An
// in-process fake stands in for https://api.dropboxapi.com.
func Example() {
	fake := dropboxtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	pair := fake.Issue("s2x9k1pq7m3n0ab", "dbid:AAH4f99T0taONIb")

	r, err := dropbox.New(dropbox.Config{BaseURL: srv.URL}) // in production: dropbox.Config{}
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken})
	fmt.Println(res.StatusCode, err, fake.Active(pair.AccessToken), fake.Active(pair.RefreshToken))

	// Again: 401 invalid_access_token, reported as already invalid.
	res, err = r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken})
	d, _ := dropbox.Details(res)
	fmt.Println(err, res.AlreadyInvalid, d.Tag)
	// Output:
	// 200 <nil> false false
	// <nil> true invalid_access_token
}

// An oauth2.Token whose access token has expired: with the app's key,
// RevokeToken exchanges the refresh token for a fresh access token and
// revokes that; without, it says the refresh token may still work.
func ExampleRevoker_RevokeToken() {
	mt := httpmock.NewMockTransport()
	fake := dropboxtest.Register(mt, dropbox.DefaultBaseURL)
	fake.AddApp("s2x9k1pq7m3n0ab", "w4zt8y2vq1hj6kd")
	client := revoke.WithHTTPClient(&http.Client{Transport: mt})

	pair := fake.Issue("s2x9k1pq7m3n0ab", "dbid:AAH4f99T0taONIb")
	fake.Expire(pair.AccessToken)
	tok := &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken}

	bare, _ := dropbox.New(dropbox.Config{}, client)
	err := revoke.RevokeToken(context.Background(), bare, tok)
	fmt.Println(errors.Is(err, revoke.ErrUnsupported), fake.Active(pair.RefreshToken))

	withApp, _ := dropbox.New(dropbox.Config{AppKey: "s2x9k1pq7m3n0ab", AppSecret: "w4zt8y2vq1hj6kd"}, client)
	err = revoke.RevokeToken(context.Background(), withApp, tok)
	fmt.Println(err, fake.Active(pair.RefreshToken))
	// Output:
	// true true
	// <nil> false
}
