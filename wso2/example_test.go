package wso2_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// Revoke an access token at a tenant and read what WSO2 says it revoked.
// An in-process fake stands in for https://localhost:9443.
func Example() {
	fake := wso2test.New()
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
	d, _ := wso2.Details(res)
	fmt.Println("found:", d.Found())
	fmt.Println("user:", d.AuthorizedUser)
	fmt.Println("revoked refresh token is ours:", d.RevokedRefreshToken.Reveal() == tok.RefreshToken)
	fmt.Printf("printed: %v\n", d.RevokedAccessToken)

	// Revoking again succeeds, but WSO2 found nothing.
	res, _ = r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})
	d, _ = wso2.Details(res)
	fmt.Println("found again:", d.Found())
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
	fake := wso2test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "spa-client", Secret: "not-in-the-browser"})
	at := fake.IssueImplicit("spa-client", "bob")

	r, err := wso2.New(wso2.Config{BaseURL: srv.URL, ClientID: "spa-client", ClientIDOnly: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: at})
	fmt.Println(err, fake.Active(at), r.AuthMethod())
	// Output: <nil> false none
}

// A secret containing ':' cannot travel in WSO2's Basic header: New says
// so and names the fix.
func ExampleNew_colonInSecret() {
	_, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", ClientID: "app", ClientSecret: "pass:word"})
	fmt.Println(err)
	r, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", Auth: revoke.ClientSecretPost("app", "pass:word")})
	fmt.Println(r.AuthMethod(), err)
	// Output:
	// revoke: wso2.Config.ClientSecret: contains ':', which WSO2's Basic authentication cannot carry (it splits "id:secret" into exactly two parts and does not decode): set Auth: revoke.ClientSecretPost(id, secret) instead of ClientID and ClientSecret
	// client_secret_post <nil>
}

// Details reads WSO2's answer from a Result; the tokens it names never
// print.
func ExampleDetails() {
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
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	d, ok := wso2.Details(res)
	fmt.Println(ok, d.Found(), d.RevokedAccessToken.Reveal() == tok.AccessToken)
	fmt.Printf("%+v\n", d)
	// Output:
	// true true true
	// {RevokedAccessToken:[REDACTED] RevokedRefreshToken:[REDACTED] AuthorizedUser:"alice@carbon.super" Found:true}
}

// A failed client authentication: WSO2's JSON body is labelled text/html,
// and is read all the same.
func ExampleRevoker_Revoke_invalidClient() {
	mt := httpmock.NewMockTransport()
	fake := wso2test.Register(mt, "https://localhost:9443")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})

	r, err := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", ClientID: "app", ClientSecret: "wrong-secret"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: "a0d210c7-a3de-7d54-8e03-f1986e9a5c39"})
	fmt.Println(errors.Is(err, revoke.ErrInvalidClient))
	fmt.Println(err)
	// Output:
	// true
	// revoke: invalid client: wso2 revoke https://localhost:9443/oauth2/revoke: HTTP 401: invalid_client: Client Authentication failed.
}
