package cognitotest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/revoketest"
)

// One fake user pool behind both of Cognito's hosts: a token revoked
// through the API is gone everywhere.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := cognitotest.Register(mt, "https://myapp.auth.us-east-1.amazoncognito.com")
	fake.Register(mt, "https://cognito-idp.us-east-1.amazonaws.com")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "appsecret0123456789abcdef"})
	tok := fake.Issue("app", "alice")

	opts := revoke.WithHTTPClient(&http.Client{Transport: mt})
	api, err := cognito.NewAPI(cognito.APIConfig{Region: "us-east-1", ClientID: "app", ClientSecret: "appsecret0123456789abcdef"}, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = api.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken))

	hosted, _ := cognito.New(cognito.Config{Domain: "myapp", Region: "us-east-1", ClientID: "app", ClientSecret: "appsecret0123456789abcdef"}, opts)
	res, err := hosted.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, res.StatusCode) // Cognito answers 200 for a revoked token too
	for _, r := range fake.Requests() {
		fmt.Println(r.Method, r.Path, r.Status)
	}
	// Output:
	// <nil> false false
	// <nil> 200
	// POST / 200
	// POST /oauth2/revoke 200
}
