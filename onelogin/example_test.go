package onelogin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"time"

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

// Log a user out of OneLogin ("this laptop was stolen"). The API credential
// needs the Manage users scope; the SDK gets its access tokens itself.
func ExampleAdmin_RevokeSubject() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredentialScope("0123abcd", "api-secret", onelogintest.ScopeManageUsers)
	fake.AddUser(onelogintest.User{ID: 56781966, Email: "alice@acme.com"})
	laptop := fake.StartSession(56781966)

	admin, err := onelogin.NewAdmin(onelogin.AdminConfig{
		BaseURL:      srv.URL, // or Subdomain: "acme"
		ClientID:     "0123abcd",
		ClientSecret: "api-secret",
		API:          onelogin.V2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := admin.RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range report.Steps {
		fmt.Printf("%s %s: %s\n", s.Action, s.Target, s.Status)
	}
	fmt.Println("laptop session open:", fake.SessionActive(laptop))
	// Output:
	// find users by email alice@acme.com: done
	// log out 56781966: done
	// laptop session open: false
}

// LogOutUser by ID, with the status envelope OneLogin answers.
func ExampleAdmin_LogOutUser() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredentialScope("0123abcd", "api-secret", onelogintest.ScopeManageUsers)
	fake.AddUser(onelogintest.User{ID: 56781966, Email: "alice@acme.com"})
	phone := fake.StartSession(56781966)

	admin, err := onelogin.NewAdmin(onelogin.AdminConfig{BaseURL: srv.URL, ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V1})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := admin.LogOutUser(context.Background(), "56781966")
	if err != nil {
		fmt.Println(err)
		return
	}
	st, _ := onelogin.Details(res)
	fmt.Println(res.StatusCode, st.Message, fake.SessionActive(phone))

	_, err = admin.LogOutUser(context.Background(), "404")
	fmt.Println(errors.Is(err, revoke.ErrNotFound))
	// Output:
	// 200 Success false
	// true
}

// A token source of OneLogin API access tokens, for other resource calls.
func ExampleNewTokenSource() {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddAPICredential("0123abcd", "api-secret")

	src, err := onelogin.NewTokenSource(onelogin.Config{BaseURL: srv.URL, ClientID: "0123abcd", ClientSecret: "api-secret", API: onelogin.V2})
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, err := src.TokenContext(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tok.TokenType, time.Until(tok.Expiry).Round(time.Hour), fake.Active(tok.AccessToken))
	// Output:
	// bearer 10h0m0s true
}
