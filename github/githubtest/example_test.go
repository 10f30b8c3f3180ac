package githubtest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
)

// A unit test of code that revokes GitHub tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := githubtest.Register(mt, "https://api.github.com")
	fake.AddApp("Iv1.8a61f9b3a7aba766", "0123456789abcdef0123456789abcdef01234567")
	tok := fake.Issue("Iv1.8a61f9b3a7aba766", "octocat")

	r, err := github.New(github.Config{ClientID: "Iv1.8a61f9b3a7aba766", ClientSecret: "0123456789abcdef0123456789abcdef01234567"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok})
	fmt.Println(err, fake.Active(tok))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false
	// DELETE /applications/Iv1.8a61f9b3a7aba766/token 204
}
