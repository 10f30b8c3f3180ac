package auth0test_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/revoketest"
)

// A unit test of code that revokes Auth0 refresh tokens: the fake answers
// on an httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := auth0test.Register(mt, "https://dev-abc.us.auth0.com")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
	tok := fake.Issue("app", "auth0|alice")

	r, err := auth0.New(auth0.Config{Domain: "dev-abc.us.auth0.com", ClientID: "app", ClientSecret: "s3cret-value"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken))
	// Output: <nil> false true
}

// The Management API side: a user's sessions and refresh tokens, and the
// request log.
func ExampleServer_management() {
	mt := httpmock.NewMockTransport()
	fake := auth0test.Register(mt, "https://dev-abc.us.auth0.com")
	tok := fake.Issue("app", "auth0|bob")
	fake.StartSession("auth0|bob")

	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: "dev-abc.us.auth0.com", APIToken: fake.ManagementToken()},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = m.RevokeSubject(context.Background(), revoke.OpaqueSubject("auth0|bob"))
	fmt.Println(err, fake.Active(tok.RefreshToken), len(fake.Sessions("auth0|bob")))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false 0
	// POST /api/v2/refresh-tokens/revoke 202
	// DELETE /api/v2/users/auth0|bob/sessions 204
}
