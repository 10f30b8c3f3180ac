package oktaadmin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/okta/oktatest"
)

// An Admin with an API token, against the emulator served on loopback: an
// emulator URL is plain http, which loopback hosts may use. For a real org,
// pass its domain ("dev-123456.okta.com") and a token from
// Security > API > Tokens.
func ExampleNewAdmin() {
	emu := oktatest.NewAdmin("00example-api-token")
	emu.AddUser("00ub0oNGTSWTBKOLGLNR")
	emu.AddClient("0oabskvc6442nkvQO0h7", "Expense App")
	emu.IssueRefreshToken("00ub0oNGTSWTBKOLGLNR", "0oabskvc6442nkvQO0h7")
	srv := httptest.NewServer(emu)
	defer srv.Close()

	admin, err := oktaadmin.New(oktaadmin.Config{Domain: srv.URL, APIToken: "00example-api-token"})
	if err != nil {
		log.Fatal(err)
	}
	clients, err := admin.ListUserClients(context.Background(), "00ub0oNGTSWTBKOLGLNR")
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range clients {
		fmt.Println(c.ClientID, c.ClientName)
	}
	// Output:
	// 0oabskvc6442nkvQO0h7 Expense App
}

// Revoke every refresh token a user holds, client by client, and report
// what happened to each. Here the emulator makes one client fail.
func ExampleAdmin_RevokeAllUserTokens() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.AddUser("00u1")
	for _, c := range []struct{ id, name string }{{"0oaWeb", "Web"}, {"0oaMobile", "Mobile"}, {"0oaCLI", "CLI"}} {
		emu.AddClient(c.id, c.name)
		emu.IssueRefreshToken("00u1", c.id)
	}
	emu.FailRevoke("0oaMobile", oktatest.Fault(403, "E0000006", "You do not have permission to perform the requested action"))

	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	report, err := admin.RevokeAllUserTokens(context.Background(), "00u1")
	for _, c := range report.Clients {
		outcome := "revoked"
		if c.Err != nil {
			outcome = "FAILED"
		}
		fmt.Printf("%-6s %s\n", c.ClientName, outcome)
	}
	fmt.Println("forbidden:", errors.Is(err, revoke.ErrForbidden))
	// Output:
	// Web    revoked
	// Mobile FAILED
	// CLI    revoked
	// forbidden: true
}

// Walk a user's tokens page by page and keep the cursor, so that a job that
// stops (a deadline, a deploy) can continue later where it left off.
func ExampleAdmin_ListUserClientTokenPages() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web")
	for range 5 {
		emu.IssueRefreshToken("00u1", "0oa1")
	}
	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	var cursor string
	for page, err := range admin.ListUserClientTokenPages(ctx, "00u1", "0oa1", oktaadmin.ListOptions{Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("first run:", len(page.Items), "tokens")
		cursor = page.NextCursor
		break // stop after one page, keeping the cursor
	}
	for page, err := range admin.ListUserClientTokenPages(ctx, "00u1", "0oa1", oktaadmin.ListOptions{Limit: 2, After: cursor}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("resumed:", len(page.Items), "tokens, more:", page.NextCursor != "")
	}
	// Output:
	// first run: 2 tokens
	// resumed: 2 tokens, more: true
	// resumed: 1 tokens, more: false
}

// Use an API Services app instead of an API token: the client credentials
// grant with a private_key_jwt assertion (aud = the org's token URL, a new
// jti each time), Bearer tokens fetched per request and refreshed before
// they expire. The emulator plays the org's token endpoint.
func ExampleServiceAppTokenSource() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web")
	emu.IssueRefreshToken("00u1", "0oa1")
	// In the Admin Console: the service app's public key (kid "key-1"),
	// granted scopes okta.users.read and okta.users.manage.
	emu.AddServiceApp("0oaServiceApp", key.Public(), "okta.users.read", "okta.users.manage")
	client := revoke.WithHTTPClient(&http.Client{Transport: mt})

	src, err := oktaadmin.ServiceAppTokenSource(oktaadmin.ServiceAppConfig{
		Domain:   "dev-123456.okta.com",
		ClientID: "0oaServiceApp",
		Key:      key,
		KeyID:    "key-1",
		Scopes:   []string{"okta.users.read", "okta.users.manage"},
	}, client)
	if err != nil {
		log.Fatal(err)
	}
	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", TokenSource: src}, client)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := admin.RevokeUserClientTokens(context.Background(), "00u1", "0oa1"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("token URL:", src.TokenURL())
	fmt.Printf("%v\n", admin)
	// Output:
	// token URL: https://dev-123456.okta.com/oauth2/v1/token
	// {"https://dev-123456.okta.com" Bearer (TokenSource *oktaadmin.ServiceAppSource)}
}

// Errors carry Okta's errorCode, errorSummary and errorId, and classify with
// errors.Is.
func ExampleAdmin_GetUserClientToken_errors() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web")
	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	_, err = admin.GetUserClientToken(context.Background(), "00u1", "0oa1", "oarUnknown", false)
	var e *revoke.Error
	if errors.As(err, &e) {
		fmt.Println(errors.Is(err, revoke.ErrNotFound), e.StatusCode, e.Code, e.Description)
	}
	_, err = admin.GetUserClientToken(context.Background(), "00u1", "0oa1", "oar1/../..", false)
	fmt.Println(err)
	// Output:
	// true 404 E0000007 Not found: Resource not found: oarUnknown (Token)
	// revoke: oktaadmin.Admin.GetUserClientToken: tokenID: contains '/' at byte 4, which would change the request path: pass the bare identifier, e.g. oar579Mcp7OUsNTlo0g3
}
