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
// jti each time), tokens fetched per request and refreshed before they
// expire. New service apps require DPoP, and so does the emulator: every
// token request carries a DPoP proof (the first one too), Okta's
// use_dpop_nonce answer is followed by one more request with the nonce, and
// the Admin presents the DPoP-bound token with a fresh proof carrying its
// hash on every call.
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
	tok, err := src.Token()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("token URL:", src.TokenURL())
	fmt.Println("token type:", tok.Type())
	fmt.Printf("%v\n", admin)
	// Output:
	// token URL: https://dev-123456.okta.com/oauth2/v1/token
	// token type: DPoP
	// {"https://dev-123456.okta.com" DPoP (TokenSource *oktaadmin.ServiceAppSource)}
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

// End everything a user holds: every client's refresh tokens, one step per
// client, then the user's Okta sessions with their remaining tokens. An
// email address is looked up as the user's login first.
func ExampleAdmin_RevokeSubject() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.SetUserLogin("00ub0oNGTSWTBKOLGLNR", "alice@example.com")
	for _, c := range []struct{ id, name string }{{"0oaWeb", "Web"}, {"0oaMobile", "Mobile"}} {
		emu.AddClient(c.id, c.name)
		emu.IssueRefreshToken("00ub0oNGTSWTBKOLGLNR", c.id)
	}
	emu.AddSession("00ub0oNGTSWTBKOLGLNR")
	emu.FailRevoke("0oaMobile", oktatest.Fault(403, "E0000006", "You do not have permission to perform the requested action"))

	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	var revoker revoke.SubjectRevoker = admin
	report, err := revoker.RevokeSubject(context.Background(), revoke.EmailSubject("alice@example.com"))
	for _, s := range report.Steps {
		fmt.Printf("%-21s %-9s %-6s %s\n", s.Action, s.Target, s.Status, s.Note)
	}
	fmt.Println("forbidden:", errors.Is(err, revoke.ErrForbidden), "sessions left:", emu.Sessions("00ub0oNGTSWTBKOLGLNR"))
	// Output:
	// find user             alice@example.com done   user 00ub0oNGTSWTBKOLGLNR
	// revoke refresh tokens 0oaWeb    done   Web
	// revoke refresh tokens 0oaMobile failed Mobile
	// end sessions                    done   oauthTokens=true: the user's remaining OAuth 2.0 and OpenID Connect tokens are revoked too
	// forbidden: true sessions left: 0
}

// With Okta Universal Logout, one Global Token Revocation call ends the
// user's sessions and tokens: POST /oauth2/v1/global-token-revocation with
// {"sub_id":{"format":"opaque","id":"00u…"}}. RevokeSubject makes it its
// only step with Config.UseGlobalTokenRevocation.
func ExampleAdmin_GlobalTokenRevocation() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	emu.AddUser("00u1dnq5S0CfjlkpABCD")
	emu.AddClient("0oaWeb", "Web")
	tok := emu.IssueRefreshToken("00u1dnq5S0CfjlkpABCD", "0oaWeb")
	emu.AddSession("00u1dnq5S0CfjlkpABCD")

	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := admin.GlobalTokenRevocation(context.Background(), revoke.OpaqueSubject("00u1dnq5S0CfjlkpABCD"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("HTTP", res.StatusCode, "token active:", emu.Active(tok.ID), "sessions:", emu.Sessions("00u1dnq5S0CfjlkpABCD"))

	// Okta takes opaque and iss_sub subjects only.
	_, err = admin.GlobalTokenRevocation(context.Background(), revoke.EmailSubject("alice@example.com"))
	fmt.Println(errors.Is(err, revoke.ErrInvalidRequest))
	// Output:
	// HTTP 204 token active: false sessions: 0
	// true
}

// Close one Okta session by its ID; a session that is gone is
// revoke.ErrNotFound.
func ExampleAdmin_CloseSession() {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, "https://dev-123456.okta.com")
	laptop := emu.AddSession("00u1")
	emu.AddSession("00u1")

	admin, err := oktaadmin.New(oktaadmin.Config{Domain: "dev-123456.okta.com", APIToken: oktatest.APIToken},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		log.Fatal(err)
	}
	res, err := admin.CloseSession(context.Background(), laptop)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("HTTP", res.StatusCode, "sessions left:", emu.Sessions("00u1"))
	_, err = admin.CloseSession(context.Background(), laptop)
	fmt.Println("again:", errors.Is(err, revoke.ErrNotFound))
	// Output:
	// HTTP 204 sessions left: 1
	// again: true
}
