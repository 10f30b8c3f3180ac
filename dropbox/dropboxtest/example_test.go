package dropboxtest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
)

// A unit test of code that revokes Dropbox tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := dropboxtest.Register(mt, "https://api.dropboxapi.com")
	pair := fake.Issue("s2x9k1pq7m3n0ab", "dbid:AAH4f99T0taONIb")

	r, err := dropbox.New(dropbox.Config{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken})
	fmt.Println(err, fake.Active(pair.AccessToken), fake.Active(pair.RefreshToken))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false false
	// POST /2/auth/token/revoke 200
}
