package wso2_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
)

// Revoke an access token at a tenant and read what WSO2 says it revoked.
// An in-process emulator stands in for https://localhost:9443.
func Example() {
	fake := revoketest.NewWSO2()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddTenantClient("wso2.com", revoketest.Client{ID: "9TQ5RKeaaTfFyJQJ", Secret: "p@ss w+rd%/="})
	tok := fake.Issue("9TQ5RKeaaTfFyJQJ", "alice")

	r, err := wso2.New(wso2.Config{
		BaseURL:      srv.URL, // in production: "https://localhost:9443" or "https://api.asgardeo.io"
		Tenant:       "wso2.com",
		ClientID:     "9TQ5RKeaaTfFyJQJ",
		ClientSecret: "p@ss w+rd%/=", // sent raw: WSO2 does not form-decode Basic
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken, Hint: revoke.HintAccessToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("found:", res.Vendor.Found())
	fmt.Println("user:", res.Vendor.AuthorizedUser)
	fmt.Println("revoked refresh token is ours:", res.Vendor.RevokedRefreshToken.Reveal() == tok.RefreshToken)
	fmt.Printf("printed: %v\n", res.Vendor.RevokedAccessToken)

	// Revoking again succeeds, but WSO2 found nothing.
	res, _ = r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})
	fmt.Println("found again:", res.Vendor.Found())
	// Output:
	// found: true
	// user: alice@wso2.com
	// revoked refresh token is ours: true
	// printed: [REDACTED]
	// found again: false
}

// Tokens from the implicit grant (and apps that allow authentication
// without the secret) are revoked with the client ID alone.
func ExampleConfig_clientIDOnly() {
	fake := revoketest.NewWSO2()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "spa-client", Secret: "not-in-the-browser"})
	at := fake.IssueImplicit("spa-client", "bob")

	r, _ := wso2.New(wso2.Config{BaseURL: srv.URL, ClientID: "spa-client", ClientIDOnly: true})
	_, err := r.Revoke(context.Background(), revoke.Request{Token: at})
	fmt.Println(err, fake.Active(at), r.AuthMethod())
	// Output: <nil> false none
}

// A secret containing ':' cannot travel in WSO2's Basic header: New says
// so and names the fix.
func ExampleNew_colonInSecret() {
	_, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", ClientID: "app", ClientSecret: "a:b"})
	fmt.Println(err)
	r, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", Auth: revoke.ClientSecretPost("app", "a:b")})
	fmt.Println(r.AuthMethod(), err)
	// Output:
	// revoke: wso2.Config.ClientSecret: contains ':', which WSO2's Basic authentication cannot carry (it splits "id:secret" into exactly two parts and does not decode): set Auth: revoke.ClientSecretPost(id, secret) instead of ClientID and ClientSecret
	// client_secret_post <nil>
}
