package onelogintest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// A test of your own code that revokes OneLogin tokens, with no network:
// the fake answers on an httpmock transport and keeps token state.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := onelogintest.Register(mt, "https://acme.onelogin.com")
	fake.AddAPICredential("0123abcd", "api-secret")
	fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})

	client := revoke.WithHTTPClient(&http.Client{Transport: mt})
	api, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V1}, client)
	if err != nil {
		fmt.Println(err)
		return
	}
	oidc, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PublicClient("spa")}, client)
	if err != nil {
		fmt.Println(err)
		return
	}

	ctx := context.Background()
	apiTok := fake.Issue("0123abcd")
	userTok := fake.Issue("spa")
	_, err1 := api.Revoke(ctx, revoke.Request{Token: apiTok.AccessToken})
	_, err2 := oidc.Revoke(ctx, revoke.Request{Token: userTok.AccessToken, Hint: revoke.HintAccessToken})
	fmt.Println(err1, err2)
	fmt.Println("API token active:", fake.Active(apiTok.AccessToken))
	fmt.Println("user access token active:", fake.Active(userTok.AccessToken))
	fmt.Println("user refresh token active:", fake.Active(userTok.RefreshToken))
	fmt.Println("requests:", len(fake.Requests()))
	// Output:
	// <nil> <nil>
	// API token active: false
	// user access token active: false
	// user refresh token active: true
	// requests: 2
}

// The same emulator as an http.Handler, over real HTTP, with an injected
// outage that the SDK retries through.
func ExampleNew() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredential("0123abcd", "api-secret")
	fake.FailNext(1, revoketest.ServiceUnavailable(0))
	pair := fake.Issue("0123abcd")

	r, err := onelogin.New(onelogin.Config{BaseURL: srv.URL, ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V2})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("attempts:", res.Attempts, "limit:", res.RateLimit.Limit, "remaining:", res.RateLimit.Remaining)
	for _, q := range fake.Requests() {
		fmt.Println(q.Method, q.Path, q.Status)
	}
	// Output:
	// attempts: 2 limit: 5000 remaining: 4999
	// POST /auth/oauth2/revoke 503
	// POST /auth/oauth2/revoke 200
}

// ParseAuthorization reads both Authorization formats of
// /auth/oauth2/revoke.
func ExampleParseAuthorization() {
	for _, h := range []string{"client_id:0123abcd, client_secret:api-secret", "Basic MDEyM2FiY2Q6YXBpLXNlY3JldA==", "Bearer x"} {
		id, secret, ok := onelogintest.ParseAuthorization(h)
		fmt.Printf("%q %q %v\n", id, secret, ok)
	}
	// Output:
	// "0123abcd" "api-secret" true
	// "0123abcd" "api-secret" true
	// "" "" false
}
