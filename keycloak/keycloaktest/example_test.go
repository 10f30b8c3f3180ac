package keycloaktest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// A unit test of code that revokes Keycloak tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := keycloaktest.Register(mt, "https://sso.example.com")
	fake.AddClient("myrealm", revoketest.Client{ID: "app", Secret: "s3cret-value"})
	alice := fake.AddUser("myrealm", keycloaktest.User{Username: "alice"})
	tok := fake.Login("myrealm", "app", alice.ID)

	r, err := keycloak.New(keycloak.Config{BaseURL: "https://sso.example.com", Realm: "myrealm", Auth: revoke.ClientSecretBasic("app", "s3cret-value")},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken), fake.Sessions("myrealm", alice.ID))
	// Output: <nil> false false 0
}

// The fake over real HTTP, with an outage and the request log.
func ExampleServer() {
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("myrealm", revoketest.Client{ID: "spa", Method: keycloaktest.MethodPublic})
	tok := fake.Login("myrealm", "spa", fake.AddUser("myrealm", keycloaktest.User{Username: "bob"}).ID)
	fake.FailNext(1, revoketest.ServiceUnavailable(0))

	r, err := keycloak.New(keycloak.Config{BaseURL: srv.URL, Realm: "myrealm", Auth: revoke.PublicClient("spa")})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("attempts:", res.Attempts)
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// attempts: 2
	// POST /realms/myrealm/protocol/openid-connect/revoke 503
	// POST /realms/myrealm/protocol/openid-connect/revoke 200
}
