package google_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
)

// Revoke a Google grant: one call ends the access and the refresh token.
// An in-process fake stands in for https://oauth2.googleapis.com.
func Example() {
	fake := googletest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	tok := fake.Issue("123-abc.apps.googleusercontent.com", "alice@example.com")

	r, err := google.New(google.Config{Endpoint: srv.URL + "/revoke"}) // in production: google.Config{}
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	fmt.Println("error:", err)
	fmt.Println("active:", fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))

	// Google answers 400 invalid_token for a token already revoked: the SDK
	// reports success, with AlreadyInvalid.
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})
	fmt.Println("again:", err, res.AlreadyInvalid)
	// Output:
	// error: <nil>
	// active: false false
	// again: <nil> true
}
