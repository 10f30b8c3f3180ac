package googletest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
)

// A unit test of code that revokes Google tokens: the fake answers on an
// httpmock transport and tells whether the grant died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := googletest.Register(mt, "https://oauth2.googleapis.com")
	tok := fake.Issue("123-abc.apps.googleusercontent.com", "alice@example.com")

	r, err := google.New(google.Config{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})
	fmt.Println(err, fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false false
	// POST /revoke 200
}
