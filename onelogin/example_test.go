package onelogin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a token minted with API credentials. The emulator stands in for
// https://acme.onelogin.com; in production set Subdomain: "acme" instead of
// BaseURL.
func ExampleNew() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredential("0123abcd", "api-secret")
	pair := fake.Issue("0123abcd")

	r, err := onelogin.New(onelogin.Config{
		BaseURL:      srv.URL, // or Subdomain: "acme"
		ClientID:     "0123abcd",
		ClientSecret: "api-secret",
		API:          onelogin.V2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: pair.AccessToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, _ := onelogin.Details(res)
	fmt.Println("status:", res.StatusCode, st.Message)
	fmt.Println("access token active:", fake.Active(pair.AccessToken))
	fmt.Println("refresh token active:", fake.Active(pair.RefreshToken))
	// Output:
	// status: 200 Success
	// access token active: false
	// refresh token active: false
}

// Revoke an end-user refresh token issued to an OpenID Connect app whose
// Token Endpoint Authentication Method is Basic.
func ExampleNewOIDC() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp(revoketest.Client{ID: "web-app", Secret: "app-secret", Method: "client_secret_basic"})
	pair := fake.Issue("web-app")

	r, err := onelogin.NewOIDC(onelogin.OIDCConfig{
		BaseURL: srv.URL, // or Subdomain: "acme"
		Auth:    revoke.ClientSecretBasic("web-app", "app-secret"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refresh token active:", fake.Active(pair.RefreshToken))
	fmt.Println("access token active:", fake.Active(pair.AccessToken))

	// OneLogin answers a second revocation with unsupported_token_type.
	_, err = r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
	fmt.Println("already revoked:", errors.Is(err, revoke.ErrUnsupportedTokenType))
	// Output:
	// refresh token active: false
	// access token active: false
	// already revoked: true
}

// With AlreadyRevokedOK, OneLogin's "may already have been revoked" answer
// is a success that says so, and revoke.RevokeToken is idempotent.
func ExampleOIDCConfig_alreadyRevokedOK() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
	pair := fake.Issue("spa")

	r, err := onelogin.NewOIDC(onelogin.OIDCConfig{BaseURL: srv.URL, Auth: revoke.PublicClient("spa"), AlreadyRevokedOK: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	if _, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken}); err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(ctx, revoke.Request{Token: pair.AccessToken})
	fmt.Println(err, res.StatusCode, res.AlreadyInvalid)
	// Output:
	// <nil> 400 true
}

// Configuration mistakes are reported by New, naming the field.
func ExampleNew_configError() {
	_, err := onelogin.New(onelogin.Config{Subdomain: "acme.onelogin.com", ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V1})
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field)
		fmt.Println(ce.Problem)
	}
	// Output:
	// onelogin.Config.Subdomain
	// "acme.onelogin.com" is a host name: pass only the subdomain "acme"
}

// Failures are classified for errors.Is, whatever shape OneLogin used.
func ExampleRevoker_Revoke_errors() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredential("0123abcd", "api-secret")

	r, err := onelogin.New(onelogin.Config{BaseURL: srv.URL, ClientID: "0123abcd", ClientSecret: "wrong-secret", API: onelogin.V1})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: fake.Issue("0123abcd").AccessToken})
	var re *revoke.Error
	if errors.Is(err, revoke.ErrInvalidClient) && errors.As(err, &re) {
		fmt.Println("check the API credential:", re.StatusCode, re.Description)
	}
	// Output:
	// check the API credential: 401 Authentication Failure
}

// Revoker implements revoke.TokenRevoker: the access token takes its
// refresh token with it, in one call.
func ExampleRevoker_RevokeToken() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredential("0123abcd", "api-secret")
	pair := fake.Issue("0123abcd")

	r, err := onelogin.New(onelogin.Config{BaseURL: srv.URL, ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V2})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, oauth2Token(pair))
	fmt.Println(err, fake.Active(pair.AccessToken), fake.Active(pair.RefreshToken), len(fake.Requests()))
	// Output:
	// <nil> false false 1
}
