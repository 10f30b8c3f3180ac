package okta_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a user's tokens at the "default" custom authorization server. A
// fake Okta org (package oktatest) stands in for https://dev-123.okta.com.
func Example() {
	fake := oktatest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "0oa1example", Secret: "s3cret-value"})
	tok := fake.IssueFor("default", "0oa1example", "alice")

	r, err := okta.New(okta.Config{
		Domain:                srv.URL, // in production: "dev-123.okta.com"
		AuthorizationServerID: "default",
		ClientID:              "0oa1example",
		ClientSecret:          "s3cret-value",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Refresh token first, then the access token.
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	fmt.Println("error:", err)
	fmt.Println("refresh token active:", fake.Active(tok.RefreshToken))
	fmt.Println("access token active:", fake.Active(tok.AccessToken))
	// Output:
	// error: <nil>
	// refresh token active: false
	// access token active: false
}

// The issuer of the tokens (their "iss" claim) selects the authorization
// server; a domain alone selects the org authorization server.
func ExampleNew() {
	for _, cfg := range []okta.Config{
		{Domain: "dev-123.okta.com"},
		{Domain: "https://dev-123.okta.com/", AuthorizationServerID: "default"},
		{Issuer: "https://dev-123.okta.com/oauth2/aus8w23example1d7"},
	} {
		cfg.ClientID, cfg.ClientSecret = "0oa1example", "s3cret-value"
		r, err := okta.New(cfg)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(r.Endpoint())
	}
	// Output:
	// https://dev-123.okta.com/oauth2/v1/revoke
	// https://dev-123.okta.com/oauth2/default/v1/revoke
	// https://dev-123.okta.com/oauth2/aus8w23example1d7/v1/revoke
}

// private_key_jwt: the assertion's audience is the revoke URL, the only
// value Okta accepts. Asking for the issuer is refused up front.
func ExampleNew_privateKeyJWT() {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	r, err := okta.New(okta.Config{
		Domain:                "dev-123.okta.com",
		AuthorizationServerID: "default",
		Auth:                  revoke.PrivateKeyJWT("0oa1service", key, revoke.WithKeyID("key-1")),
	})
	fmt.Println(r.AuthMethod(), err)

	_, err = okta.New(okta.Config{
		Domain: "dev-123.okta.com",
		Auth:   revoke.PrivateKeyJWT("0oa1service", key, revoke.WithAudience(revoke.AudienceIssuer)),
	})
	var ce *revoke.ConfigError
	fmt.Println(errors.As(err, &ce), ce.Field)
	// Output:
	// private_key_jwt <nil>
	// true okta.Config.Auth
}

// Okta's errors classify with errors.Is whatever their shape: here a wrong
// client secret, then a spent rate-limit window answered with E0000047.
func ExampleRevoker_Revoke_errors() {
	fake := oktatest.New()
	fake.RateLimit = 1
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "0oa1example", Secret: "s3cret-value"})

	wrong, _ := okta.New(okta.Config{Domain: srv.URL, ClientID: "0oa1example", ClientSecret: "wrong-secret"}, revoke.WithoutRetry())
	right, _ := okta.New(okta.Config{Domain: srv.URL, ClientID: "0oa1example", ClientSecret: "s3cret-value"}, revoke.WithoutRetry())
	for _, r := range []*okta.Revoker{wrong, right} {
		_, err := r.Revoke(context.Background(), revoke.Request{Token: "some-token"})
		var e *revoke.Error
		errors.As(err, &e)
		fmt.Println(errors.Is(err, revoke.ErrInvalidClient), errors.Is(err, revoke.ErrRateLimited), e.StatusCode, e.Code)
	}
	// Output:
	// true false 401 invalid_client
	// false true 429 E0000047
}
