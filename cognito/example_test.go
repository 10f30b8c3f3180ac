package cognito_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke the refresh token of an oauth2.Token at the hosted endpoint: it
// takes its access token with it. An in-process fake stands in for
// https://myapp.auth.us-east-1.amazoncognito.com.
func Example() {
	fake := cognitotest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "1example23456789", Secret: "secret1example23456789abcdefgh"})
	pair := fake.Issue("1example23456789", "alice")

	r, err := cognito.New(cognito.Config{
		Domain:       srv.URL, // in production: "myapp" with Region "us-east-1", or your custom domain
		ClientID:     "1example23456789",
		ClientSecret: "secret1example23456789abcdefgh",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok := &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken}
	err = revoke.RevokeToken(context.Background(), r, tok)
	fmt.Println(err, fake.Active(pair.RefreshToken), fake.Active(pair.AccessToken))

	// Cognito revokes refresh tokens only: an access token is refused
	// before anything is sent.
	_, err = r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken, Hint: revoke.HintAccessToken})
	fmt.Println(errors.Is(err, revoke.ErrUnsupported))
	// Output:
	// <nil> false false
	// true
}

// The RevokeToken action of the user pools API, for a public app client.
// With token revocation off for the app client, the error says so and how
// to turn it on.
func ExampleNewAPI() {
	fake := cognitotest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "publicclient1"})
	pair := fake.Issue("publicclient1", "bob")

	r, err := cognito.NewAPI(cognito.APIConfig{
		Endpoint: srv.URL, // in production: leave it empty and set Region: "us-east-1"
		ClientID: "publicclient1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	fake.SetTokenRevocation("publicclient1", false)
	_, err = r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken})
	var e *revoke.Error
	fmt.Println(cognito.RevocationDisabled(err), errors.As(err, &e) && e.Code == "UnsupportedOperationException")

	fake.SetTokenRevocation("publicclient1", true)
	res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken})
	fmt.Println(err, res.StatusCode, fake.Active(pair.RefreshToken))
	// Output:
	// true true
	// <nil> 200 false
}
