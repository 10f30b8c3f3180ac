package generic_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
)

// Configure the endpoint and the client authentication explicitly.
func ExampleNew() {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "my-app", Secret: "p@ss:w+rd%/= x"})
	srv := httptest.NewServer(as)
	defer srv.Close()
	tok := as.Issue("my-app", "alice")

	r, err := generic.New(generic.Config{
		Endpoint: srv.URL + "/revoke",
		Auth:     revoke.ClientSecretBasic("my-app", "p@ss:w+rd%/= x"), // RFC 6749 §2.3.1 encoding
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken, Hint: revoke.HintAccessToken}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("active:", as.Active(tok.AccessToken))
	// Output:
	// active: false
}

// Find the revocation endpoint and the authentication method from the
// server's RFC 8414 metadata.
func ExampleDiscover() {
	as := revoketest.NewServer()
	as.AuthMethods = []string{"client_secret_post"}
	as.AddClient(revoketest.Client{ID: "my-app", Secret: "s3cr3t"})
	srv := httptest.NewServer(as)
	defer srv.Close()

	r, err := generic.Discover(context.Background(), srv.URL, revoke.ClientCredentials("my-app", "s3cr3t-value"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("method:", r.AuthMethod())
	fmt.Println("endpoint is the advertised one:", r.Endpoint() == srv.URL+"/revoke")
	// Output:
	// method: client_secret_post
	// endpoint is the advertised one: true
}

// A configuration mistake is reported by New, before any request.
func ExampleNew_insecure() {
	_, err := generic.New(generic.Config{
		Endpoint: "http://auth.example.com/revoke",
		Auth:     revoke.PublicClient("spa"),
	})
	fmt.Println(err)
	// Output:
	// revoke: generic.Config.Endpoint: plain http to auth.example.com would send credentials in clear text: use https, or revoke.WithInsecureHTTP() on a network you trust
}
