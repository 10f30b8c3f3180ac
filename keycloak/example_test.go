package keycloak_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2/clientcredentials"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a refresh token at a realm; revoking it again is reported as
// already invalid. An in-process fake stands in for https://sso.example.com.
func Example() {
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("myrealm", revoketest.Client{ID: "my-app", Secret: "p@ss w+rd%/="})
	alice := fake.AddUser("myrealm", keycloaktest.User{Username: "alice"})
	tok := fake.Login("myrealm", "my-app", alice.ID)

	r, err := keycloak.New(keycloak.Config{
		BaseURL: srv.URL, // in production: "https://sso.example.com"
		Realm:   "myrealm",
		Auth:    revoke.ClientSecretBasic("my-app", "p@ss w+rd%/="), // form-encoded, as Keycloak 20+ decodes
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	res, err := r.Revoke(ctx, revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})
	fmt.Println(err, res.AlreadyInvalid, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken))

	// Keycloak answers 200 {"error":"invalid_token"} the second time.
	res, err = r.Revoke(ctx, revoke.Request{Token: tok.RefreshToken})
	fmt.Println(err, res.AlreadyInvalid)
	// Output:
	// <nil> false false false
	// <nil> true
}

// Discover reads the realm's metadata and chooses the method for
// revoke.ClientCredentials from revocation_endpoint_auth_methods_supported.
func ExampleDiscover() {
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("myrealm", revoketest.Client{ID: "my-app", Secret: "Ws8pTq2rLk5mNv9x"})

	r, err := keycloak.Discover(context.Background(), srv.URL+"/realms/myrealm", revoke.ClientCredentials("my-app", "Ws8pTq2rLk5mNv9x"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.AuthMethod(), r.Endpoint() == srv.URL+"/realms/myrealm/protocol/openid-connect/revoke")
	// Output: client_secret_basic true
}

// Another client's token is refused, with a hint naming the fix.
func ExampleRevoker_Revoke_unmatchingClients() {
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("myrealm", revoketest.Client{ID: "my-app", Secret: "Ws8pTq2rLk5mNv9x"})
	fake.AddClient("myrealm", revoketest.Client{ID: "other-app", Secret: "Qr7vBn3mXc1zLk8j"})
	tok := fake.Login("myrealm", "other-app", fake.AddUser("myrealm", keycloaktest.User{Username: "bob"}).ID)

	r, _ := keycloak.New(keycloak.Config{BaseURL: srv.URL, Realm: "myrealm", Auth: revoke.ClientSecretPost("my-app", "Ws8pTq2rLk5mNv9x")})
	_, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken})
	var e *revoke.Error
	fmt.Println(errors.Is(err, revoke.ErrInvalidRequest), errors.As(err, &e) && e.StatusCode == 400)
	fmt.Println(e.Description)
	// Output:
	// true true
	// Unmatching clients (the token was issued to another client (its azp claim): revoke it with that client's credentials)
}

// End everything a user holds: every session, and the offline tokens that
// outlive a logout. The admin token comes from the client credentials grant
// of a service account with realm-management's manage-users role.
func ExampleAdmin_RevokeSubject() {
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient("myrealm", revoketest.Client{ID: "web", Secret: "Ws8pTq2rLk5mNv9x"})
	fake.AddClient("myrealm", revoketest.Client{ID: "mobile", Method: keycloaktest.MethodPublic})
	fake.AddServiceAccount("myrealm", revoketest.Client{ID: "revoker", Secret: "Zt4yHb6nQw2eRu8i"}, keycloaktest.RoleManageUsers)
	alice := fake.AddUser("myrealm", keycloaktest.User{Username: "alice", Email: "alice@example.com"})
	web := fake.Login("myrealm", "web", alice.ID)
	offline := fake.LoginOffline("myrealm", "mobile", alice.ID)

	ctx := context.Background()
	admin, err := keycloak.NewAdmin(keycloak.AdminConfig{
		BaseURL: srv.URL,
		Realm:   "myrealm",
		TokenSource: (&clientcredentials.Config{
			ClientID:     "revoker",
			ClientSecret: "Zt4yHb6nQw2eRu8i",
			TokenURL:     srv.URL + "/realms/myrealm/protocol/openid-connect/token",
		}).TokenSource(ctx),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := admin.RevokeSubject(ctx, revoke.EmailSubject("alice@example.com"))
	for _, s := range report.Steps {
		fmt.Println(s.Action, s.Target == alice.ID || s.Target == "mobile", s.Status)
	}
	fmt.Println(err, fake.Active(web.RefreshToken), fake.Active(offline.RefreshToken), fake.OfflineSessions("myrealm", alice.ID))
	// Output:
	// find user by email true done
	// log out false done
	// revoke offline tokens true done
	// <nil> false false 0
}
