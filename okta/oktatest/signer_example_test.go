package oktatest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/logout"
	"github.com/revokekit/revoke/okta/oktatest"
)

// Play Okta calling an application's Universal Logout endpoint: the Signer
// publishes its key as a JWKS and sends a signed Global Token Revocation
// request; sending the same request again is a replay the app refuses.
func ExampleNewSigner() {
	okta := oktatest.NewSigner()
	keys := httptest.NewServer(okta.JWKS()) // Okta's /oauth2/v1/keys
	defer keys.Close()
	okta.Issuer = "https://dev-123456.okta.com"

	gtr, err := logout.NewGlobalTokenRevocationHandler(logout.Config{
		Issuers:  []logout.Issuer{{Issuer: okta.Issuer, JWKSURL: keys.URL}},
		Audience: "http://127.0.0.1/logout", // set below to the app's URL
		Callback: func(_ context.Context, e logout.Event) error {
			fmt.Println("end the sessions of", e.Subject)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	app := httptest.NewServer(gtr)
	defer app.Close()
	// The JWT's aud is the endpoint's public URL; the app here is on a
	// random port, so the request goes there with the configured aud.
	req, err := okta.UniversalLogoutRequest(context.Background(), "http://127.0.0.1/logout", revoke.EmailSubject("alice@example.com"))
	if err != nil {
		fmt.Println(err)
		return
	}
	req.URL.Host = app.Listener.Addr().String()
	req.Host = ""
	status, err := okta.Send(req)
	fmt.Println(status, err)
	status, _ = okta.Send(req)
	fmt.Println("replayed:", status, http.StatusText(status))
	// Output:
	// end the sessions of email:alice@example.com
	// 204 <nil>
	// replayed: 401 Unauthorized
}
