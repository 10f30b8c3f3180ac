package entra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/entra/entratest"
)

// End everything Alice holds in an Entra tenant. The emulator stands in for
// login.microsoftonline.com and graph.microsoft.com; in production leave
// GraphURL and LoginURL empty.
func ExampleGraph_RevokeSubject() {
	fake := entratest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp(entratest.App{ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", Secret: "app-secret-value", Permissions: []string{entra.PermissionRevokeSessions}})
	fake.AddUser(entratest.User{ID: "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", UserPrincipalName: "alice@contoso.com"})
	laptop := fake.SignIn("00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "mail-app")

	g, err := entra.New(entra.Config{
		Tenant:       "contoso.onmicrosoft.com",
		ClientID:     "11112222-bbbb-3333-cccc-4444dddd5555",
		ClientSecret: "app-secret-value",
		GraphURL:     srv.URL, // omit in production
		LoginURL:     srv.URL, // omit in production
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := g.RevokeSubject(context.Background(), revoke.OpaqueSubject("00aa00aa-bb11-cc22-dd33-44ee44ee44ee"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range report.Steps {
		fmt.Println(s.Action+":", s.Status, s.Result.StatusCode)
	}
	fmt.Println("refresh token works:", fake.Active(laptop.RefreshToken))
	fmt.Println("access token works until it expires:", fake.Active(laptop.AccessToken))
	// Output:
	// revoke sign-in sessions: accepted 200
	// refresh token works: false
	// access token works until it expires: true
}

// Without User.RevokeSessions.All, Graph answers 403 Authorization_RequestDenied.
func ExampleGraph_RevokeSignInSessions_forbidden() {
	fake := entratest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp(entratest.App{ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", Secret: "app-secret-value", Permissions: []string{"User.Read.All"}})
	fake.AddUser(entratest.User{ID: "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", UserPrincipalName: "alice@contoso.com"})

	g, err := entra.New(entra.Config{Tenant: entratest.TenantID, ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", ClientSecret: "app-secret-value", GraphURL: srv.URL, LoginURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = g.RevokeSignInSessions(context.Background(), "alice@contoso.com")
	var re *revoke.Error
	if errors.Is(err, revoke.ErrForbidden) && errors.As(err, &re) {
		fmt.Println(re.StatusCode, re.Code)
	}
	// Output:
	// 403 Authorization_RequestDenied
}

// Configuration mistakes are reported by New, naming the field and the fix.
func ExampleNew_configError() {
	_, err := entra.New(entra.Config{Tenant: "common", ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", ClientSecret: "app-secret-value"})
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		fmt.Println(ce.Field)
		fmt.Println(ce.Problem)
	}
	// Output:
	// entra.Config.Tenant
	// "common" is a multi-tenant alias, which the client credentials grant cannot use: pass the directory (tenant) ID or a verified domain of the tenant whose users you revoke
}

// A token source of Graph tokens on its own, for other Graph calls: the
// client credentials grant with a client secret, cached until a minute
// before expiry.
func ExampleNewTokenSource() {
	fake := entratest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp(entratest.App{ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", Secret: "app-secret-value"})

	src, err := entra.NewTokenSource(entra.TokenConfig{
		Tenant:       entratest.TenantID,
		ClientID:     "11112222-bbbb-3333-cccc-4444dddd5555",
		ClientSecret: "app-secret-value",
		LoginURL:     srv.URL, // omit in production
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	first, err := src.TokenContext(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	second, _ := src.TokenContext(context.Background())
	fmt.Println(first.Type(), first.AccessToken == second.AccessToken, len(fake.Requests()))
	// Output:
	// Bearer true 1
}
