package salesforce_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/salesforce"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
)

// Revoke a user's Salesforce tokens on logout. An in-process fake stands
// in for https://acme.my.salesforce.com.
func Example() {
	fake := salesforcetest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	tok := fake.Issue("3MVG9-connected-app", "005xx0000012345")

	r, err := salesforce.New(salesforce.Config{URL: srv.URL}) // in production: salesforce.MyDomain("acme")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	fmt.Println(err, fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))

	// Revoking again: Salesforce answers 400 invalid_token, a success.
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, res.StatusCode, res.AlreadyInvalid)
	// Output:
	// <nil> false false
	// <nil> 400 true
}

// The login URLs of an org and of its sandbox.
func ExampleSandbox() {
	fmt.Println(salesforce.MyDomain("acme"))
	fmt.Println(salesforce.Sandbox("acme", "uat"))
	// Output:
	// https://acme.my.salesforce.com
	// https://acme--uat.sandbox.my.salesforce.com
}
