package hydratest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/revoketest"
)

// A unit test of code that revokes Hydra tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := hydratest.Register(mt, "https://auth.example.com")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
	tok := fake.Issue("app", "alice")

	r, err := hydra.New(hydra.Config{PublicURL: "https://auth.example.com", Auth: revoke.ClientSecretBasic("app", "s3cret-value")},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
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
	// POST /oauth2/revoke 200
}
