package wso2test_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// A unit test of code that revokes WSO2 tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := wso2test.Register(mt, "https://localhost:9443")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
	tok := fake.Issue("app", "alice")

	r, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", ClientID: "app", ClientSecret: "s3cret-value"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})
	d, _ := wso2.Details(res)

	fmt.Println(err, d.Found(), fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))
	// Output: <nil> true false false
}

// The fake over real HTTP, with a tenant, an outage and the request log.
func ExampleServer() {
	fake := wso2test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddTenantClient("wso2.com", revoketest.Client{ID: "app", Secret: "s3cret-value"})
	tok := fake.Issue("app", "bob")
	fake.FailNext(1, revoketest.ServiceUnavailable(0))

	r, err := wso2.New(wso2.Config{BaseURL: srv.URL, Tenant: "wso2.com", ClientID: "app", ClientSecret: "s3cret-value"})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := wso2.Details(res)
	fmt.Println("attempts:", res.Attempts, "user:", d.AuthorizedUser)
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// attempts: 2 user: bob@wso2.com
	// POST /t/wso2.com/oauth2/revoke 503
	// POST /t/wso2.com/oauth2/revoke 200
}
