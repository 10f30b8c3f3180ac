package ping_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a user's tokens at PingAM (or PingOne Advanced Identity Cloud).
// PingAM wants client_id in the body even with Basic: the adapter sends
// both. An in-process fake stands in for https://am.example.com.
func Example() {
	fake := pingtest.NewAM()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: "mySecret-value"})
	tok := fake.Issue("myClient", "bjensen")

	r, err := ping.NewAM(ping.AMConfig{
		BaseURL: srv.URL + "/am", // in production: "https://am.example.com:8443/am"
		Realm:   "alpha",
		Auth:    revoke.ClientSecretBasic("myClient", "mySecret-value"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	rec := fake.Requests()[0]
	fmt.Println(err, fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))
	fmt.Println("Basic:", rec.Header.Get("Authorization") != "", "client_id:", rec.Form.Get("client_id"))
	// Output:
	// <nil> false false
	// Basic: true client_id: myClient
}

// PingOne's endpoint is regional.
func ExampleNewOne() {
	r, err := ping.NewOne(ping.OneConfig{
		EnvironmentID: "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6",
		Region:        ping.RegionEurope,
		Auth:          revoke.PublicClient("my-spa"),
	})
	fmt.Println(r.Endpoint(), err)
	// Output: https://auth.pingone.eu/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/revoke <nil>
}

// PingFederate's endpoint is /as/revoke_token.oauth2.
func ExampleNewFederate() {
	r, err := ping.NewFederate(ping.FederateConfig{BaseURL: "https://pf.example.com:9031", Auth: revoke.ClientCredentials("web", "p@ss:word-1")})
	fmt.Println(r.Product(), r.Endpoint(), r.AuthMethod(), err)
	// Output: pingfederate https://pf.example.com:9031/as/revoke_token.oauth2 client_secret_post <nil>
}
