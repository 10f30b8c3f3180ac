package auth0_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a user's refresh token. An in-process fake stands in for
// https://dev-abc.us.auth0.com.
func Example() {
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "aBcD3fGhIjKl", Secret: "s3cret-value"})
	tok := fake.Issue("aBcD3fGhIjKl", "auth0|64f1c0ffee")

	r, err := auth0.New(auth0.Config{
		Domain:       srv.URL, // in production: "dev-abc.us.auth0.com"
		ClientID:     "aBcD3fGhIjKl",
		ClientSecret: "s3cret-value",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	fmt.Println("error:", err)
	fmt.Println("refresh token active:", fake.Active(tok.RefreshToken))
	fmt.Println("access token active:", fake.Active(tok.AccessToken), "(a JWT: it expires on its own)")

	// Auth0 cannot revoke an access token: the SDK says so instead of
	// sending a request Auth0 would answer 200 to.
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken})
	fmt.Println(errors.Is(err, revoke.ErrUnsupported))
	// Output:
	// error: <nil>
	// refresh token active: false
	// access token active: true (a JWT: it expires on its own)
	// true
}

// End everything a user holds: their refresh tokens (Auth0 accepts the
// request and applies it asynchronously) and their sessions. The
// Management API token comes from a machine-to-machine application's
// client-credentials grant.
func ExampleManagement_RevokeSubject() {
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "m2m-app", Secret: "m2m-s3cret-value"})
	fake.GrantManagement("m2m-app", auth0test.ScopeDeleteRefreshTokens, auth0test.ScopeDeleteSessions)
	tok := fake.Issue("web-app", "auth0|64f1c0ffee")
	session := fake.StartSession("auth0|64f1c0ffee")

	domain := srv.URL // in production: "https://dev-abc.us.auth0.com"
	cc := clientcredentials.Config{
		ClientID:       "m2m-app",
		ClientSecret:   "m2m-s3cret-value",
		TokenURL:       domain + "/oauth/token",
		EndpointParams: url.Values{"audience": {domain + "/api/v2/"}},
	}
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, TokenSource: cc.TokenSource(context.Background())})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject("auth0|64f1c0ffee"))
	fmt.Println("error:", err)
	for _, s := range report.Steps {
		fmt.Printf("%s: %s (HTTP %d)\n", s.Action, s.Status, s.Result.StatusCode)
	}
	fmt.Println("refresh token active:", fake.Active(tok.RefreshToken))
	fmt.Println("session active:", fake.SessionActive(session))
	// Output:
	// error: <nil>
	// revoke refresh tokens: accepted (HTTP 202)
	// end sessions: done (HTTP 204)
	// refresh token active: false
	// session active: false
}

// Every user with an email address, in any connection, loses their
// refresh tokens and sessions.
func ExampleManagement_RevokeSubject_email() {
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddUser("auth0|1", "alice@example.com")
	fake.AddUser("google-oauth2|2", "alice@example.com")

	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: srv.URL, APIToken: fake.ManagementToken()})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := m.RevokeSubject(context.Background(), revoke.EmailSubject("alice@example.com"))
	fmt.Println("error:", err)
	for _, s := range report.Steps {
		fmt.Printf("%s [%s]: %s\n", s.Action, s.Target, s.Status)
	}
	// Output:
	// error: <nil>
	// find users by email [alice@example.com]: done
	// revoke refresh tokens [auth0|1]: accepted
	// end sessions [auth0|1]: done
	// revoke refresh tokens [google-oauth2|2]: accepted
	// end sessions [google-oauth2|2]: done
}
