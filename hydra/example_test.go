package hydra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke a user's tokens at Hydra, found through its discovery document.
// An in-process fake stands in for https://auth.example.com.
func Example() {
	fake := hydratest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "my-app", Secret: "p@ss:w+rd%/= x"})
	tok := fake.Issue("my-app", "alice")

	// In production: "https://auth.example.com" or https://{slug}.projects.oryapis.com.
	r, err := hydra.Discover(context.Background(), srv.URL, revoke.ClientCredentials("my-app", "p@ss:w+rd%/= x"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("method:", r.AuthMethod())
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken})
	fmt.Println("revoked:", err == nil, "active:", fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))
	// Output:
	// method: client_secret_post
	// revoked: true active: false false
}

// End everything a subject holds: consent sessions with their tokens, then
// login sessions.
func ExampleAdmin_RevokeSubject() {
	fake := hydratest.New()
	admin := httptest.NewServer(fake.AdminHandler()) // Hydra's admin port, 4445
	defer admin.Close()
	web, mobile := fake.Issue("web", "alice"), fake.Issue("mobile", "alice")
	fake.Login("alice")

	a, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: admin.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := a.RevokeSubject(context.Background(), revoke.OpaqueSubject("alice"))
	for _, s := range report.Steps {
		fmt.Println(s.Action+":", s.Status)
	}
	fmt.Println(err, fake.Active(web.RefreshToken), fake.Active(mobile.AccessToken), fake.LoginSessions("alice"))
	// Output:
	// revoke consent sessions and their tokens: done
	// end login sessions: done
	// <nil> false false 0
}

// A raw Basic header would not survive fosite's form-decoding: New says so.
func ExampleNew_rawBasic() {
	_, err := hydra.New(hydra.Config{PublicURL: "https://auth.example.com", Auth: revoke.ClientSecretBasicRaw("app", "s3cret%value")})
	fmt.Println(errors.Is(err, revoke.ErrInvalidRequest), err)
	// Output:
	// false revoke: hydra.Config.Auth: revoke.ClientSecretBasicRaw sends the credentials unencoded, but Hydra form-decodes Basic credentials (RFC 6749 §2.3.1), so a secret holding '%' or '+' would not match: use revoke.ClientSecretBasic
}
