package entratest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/entra/entratest"
)

// Serve the emulator for the real hosts on an httpmock transport: the
// Graph needs no URL overrides.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := entratest.Register(mt)
	fake.AddApp(entratest.App{ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", Secret: "app-secret-value", Permissions: []string{entratest.PermissionRevokeSessions}})
	fake.AddUser(entratest.User{ID: "00aa00aa-bb11-cc22-dd33-44ee44ee44ee", UserPrincipalName: "alice@contoso.com"})
	phone := fake.SignIn("00aa00aa-bb11-cc22-dd33-44ee44ee44ee", "teams")

	g, err := entra.New(entra.Config{Tenant: entratest.TenantID, ClientID: "11112222-bbbb-3333-cccc-4444dddd5555", ClientSecret: "app-secret-value"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := g.RevokeSubject(context.Background(), revoke.EmailSubject("alice@contoso.com")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("phone's refresh token works:", fake.Active(phone.RefreshToken))
	fmt.Println("sessions reset:", !fake.SignInSessionsValidFrom("00aa00aa-bb11-cc22-dd33-44ee44ee44ee").IsZero())
	// Output:
	// phone's refresh token works: false
	// sessions reset: true
}
