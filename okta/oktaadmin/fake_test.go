package oktaadmin

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// newEmulated returns an Admin and a fake over httpmock, on the real clock.
// The fake has user 00u1 and client 0oa1.
func newEmulated(t *testing.T, opts ...revoke.Option) (*Admin, *oktatest.Admin, struct{}) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := oktatest.RegisterAdmin(mt, testDomain)
	fake.AddUser("00u1")
	fake.AddClient("0oa1", "Web App")
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	a, err := New(Config{Domain: testDomain, APIToken: oktatest.APIToken}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return a, fake, struct{}{}
}

func ids(toks []RefreshToken) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.ID
	}
	return out
}

// TestPaginationResume walks four pages of two tokens, stops after the
// second page keeping its cursor, and resumes later from it: every token is
// seen once, in order, and each request is the one the Link header named.
func TestPaginationResume(t *testing.T) {
	a, emu, _ := newEmulated(t)
	var want []string
	for range 7 {
		want = append(want, emu.IssueRefreshToken("00u1", "0oa1").ID)
	}
	ctx := context.Background()
	var seen []string
	var cursor string
	pages := 0
	for page, err := range a.ListUserClientTokenPages(ctx, "00u1", "0oa1", ListOptions{Limit: 2, ExpandScope: true}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		seen = append(seen, ids(page.Items)...)
		if page.Items[0].Embedded == nil || len(page.Items[0].Embedded.Scopes) != 2 {
			t.Errorf("expand=scope was not carried to page %d: %+v", pages, page.Items[0].Embedded)
		}
		if page.RateLimit == nil || page.RateLimit.Limit != oktatest.DefaultLimit {
			t.Errorf("page %d rate limit = %+v", pages, page.RateLimit)
		}
		if pages == 2 {
			cursor = page.NextCursor
			break
		}
	}
	if cursor != want[3] || !slices.Equal(seen, want[:4]) {
		t.Fatalf("after two pages: seen %v, cursor %q; want %v and cursor %s", seen, cursor, want[:4], want[3])
	}
	if n := len(emu.Requests()); n != 2 {
		t.Errorf("%d requests for two pages: breaking must not fetch a third", n)
	}

	// Later, from the saved cursor.
	var cursors []string
	for page, err := range a.ListUserClientTokenPages(ctx, "00u1", "0oa1", ListOptions{Limit: 2, ExpandScope: true, After: cursor}) {
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, ids(page.Items)...)
		cursors = append(cursors, page.NextCursor)
	}
	if !slices.Equal(seen, want) {
		t.Errorf("tokens seen %v, want %v", seen, want)
	}
	if !slices.Equal(cursors, []string{want[5], ""}) {
		t.Errorf("cursors %q, want [%s \"\"]", cursors, want[5])
	}
	reqs := emu.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	wantQueries := []string{
		"expand=scope&limit=2",
		"after=" + want[1] + "&expand=scope&limit=2",
		"after=" + want[3] + "&expand=scope&limit=2",
		"after=" + want[5] + "&expand=scope&limit=2",
	}
	for i, r := range reqs {
		if got := r.Query.Encode(); got != wantQueries[i] {
			t.Errorf("request %d query %s, want %s", i, got, wantQueries[i])
		}
		if r.Path != "/api/v1/users/00u1/clients/0oa1/tokens" || r.Header.Get("Authorization") != "SSWS "+oktatest.APIToken {
			t.Errorf("request %d: %s %s", i, r.Path, r.Header.Get("Authorization"))
		}
	}
	// The item iterator sees the same tokens with the default page size.
	all, err := drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{}))
	if err != nil || !slices.Equal(ids(all), want) {
		t.Errorf("ListUserClientTokens = %v, %v", ids(all), err)
	}
}

// TestIterationStopsOnCancel cancels the context after the first token:
// the next value is the context's error, iteration ends, and no further
// page is requested.
func TestIterationStopsOnCancel(t *testing.T) {
	a, emu, _ := newEmulated(t)
	for range 5 {
		emu.IssueRefreshToken("00u1", "0oa1")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var errs []error
	for tok, err := range a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, tok.ID)
		cancel()
	}
	if len(got) != 1 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("tokens %v, errors %v; want one token then context.Canceled", got, errs)
	}
	if n := len(emu.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// Cancelled between pages: the next page is not requested.
	ctx, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	errs = nil
	pages := 0
	for _, err := range a.ListUserClientTokenPages(ctx, "00u1", "0oa1", ListOptions{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pages++
		cancel2()
	}
	if pages != 1 || len(errs) != 1 || !errors.Is(errs[0], context.Canceled) {
		t.Errorf("pages %d, errors %v", pages, errs)
	}
	if n := len(emu.Requests()); n != 2 {
		t.Errorf("%d requests in all, want 2", n)
	}
}

// TestRevokeAllUserTokensEmulator: three clients, one failing. The report
// lists each with its outcome; the failing client's tokens stay active, the
// others' refresh and access tokens are revoked; another user is untouched.
func TestRevokeAllUserTokensEmulator(t *testing.T) {
	a, emu, _ := newEmulated(t)
	emu.AddUser("00u2")
	emu.AddClient("0oa2", "Mobile App")
	emu.AddClient("0oa3", "Reporting CLI")
	emu.AddClient("0oa4", "Unused")
	var mine, broken []oktatest.Token
	for _, c := range []string{"0oa1", "0oa1", "0oa2", "0oa3"} {
		tok := emu.IssueRefreshToken("00u1", c)
		if c == "0oa2" {
			broken = append(broken, tok)
		} else {
			mine = append(mine, tok)
		}
	}
	other := emu.IssueRefreshToken("00u2", "0oa1")
	emu.FailRevoke("0oa2", oktatest.Fault(500, "E0000009", "Internal Server Error"))

	report, err := a.RevokeAllUserTokens(context.Background(), "00u1")
	if report == nil {
		t.Fatal("nil report")
	}
	type outcome struct {
		id, name string
		ok       bool
	}
	var got []outcome
	for _, c := range report.Clients {
		got = append(got, outcome{c.ClientID, c.ClientName, c.Err == nil})
	}
	want := []outcome{{"0oa1", "Web App", true}, {"0oa2", "Mobile App", false}, {"0oa3", "Reporting CLI", true}}
	if !slices.Equal(got, want) {
		t.Errorf("report %v, want %v", got, want)
	}
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrServer) || re.Code != "E0000009" || !strings.Contains(err.Error(), `client "Mobile App" (0oa2)`) {
		t.Errorf("error = %v", err)
	}
	if f := report.Failed(); len(f) != 1 || !errors.Is(f[0].Err, revoke.ErrServer) {
		t.Errorf("Failed() = %+v", f)
	}
	for _, tok := range mine {
		if emu.Store.Active(tok.Pair.RefreshToken) || emu.Store.Active(tok.Pair.AccessToken) {
			t.Errorf("token %s of %s is still active", tok.ID, tok.ClientID)
		}
	}
	for _, tok := range append(broken, other) {
		if !emu.Store.Active(tok.Pair.RefreshToken) || !emu.Store.Active(tok.Pair.AccessToken) {
			t.Errorf("token %s of %s/%s was revoked", tok.ID, tok.UserID, tok.ClientID)
		}
	}
	// Once the fault is gone, a second run finishes the job.
	emu.FailRevoke("0oa2", revoketest.Fault{})
	report, err = a.RevokeAllUserTokens(context.Background(), "00u1")
	if err != nil || len(report.Clients) != 1 || report.Clients[0].ClientID != "0oa2" {
		t.Errorf("second run: %+v, %v", report, err)
	}
	if emu.Active(broken[0].ID) {
		t.Error("the formerly failing client's token is still active")
	}
}

func TestSessionsAndGrantsEmulator(t *testing.T) {
	a, emu, _ := newEmulated(t)
	ctx := context.Background()
	tok := emu.IssueRefreshToken("00u1", "0oa1")
	emu.AddSession("00u1")
	emu.AddSession("00u1")
	no := false
	if _, err := a.ClearUserSessions(ctx, "00u1", SessionOptions{ForgetDevices: &no}); err != nil {
		t.Fatal(err)
	}
	if emu.Sessions("00u1") != 0 || emu.DevicesForgotten("00u1") || !emu.Active(tok.ID) {
		t.Errorf("after clearing sessions only: sessions %d, devices forgotten %v, token active %v", emu.Sessions("00u1"), emu.DevicesForgotten("00u1"), emu.Active(tok.ID))
	}
	if _, err := a.ClearUserSessions(ctx, "00u1", SessionOptions{OAuthTokens: true}); err != nil {
		t.Fatal(err)
	}
	if emu.Active(tok.ID) || emu.Store.Active(tok.Pair.AccessToken) || !emu.DevicesForgotten("00u1") {
		t.Errorf("oauthTokens=true must revoke the tokens; forgetDevices absent means Okta's default, true")
	}

	emu.AddClient("0oa2", "Other")
	emu.AddGrant("00u1", "0oa1", "okta.users.read")
	emu.AddGrant("00u1", "0oa2", "okta.users.read")
	if _, err := a.RevokeUserClientGrants(ctx, "00u1", "0oa1"); err != nil {
		t.Fatal(err)
	}
	if emu.Grants("00u1", "0oa1") != 0 || emu.Grants("00u1", "0oa2") != 1 {
		t.Errorf("grants after revoking one client's: %d, %d", emu.Grants("00u1", "0oa1"), emu.Grants("00u1", "0oa2"))
	}
	clients, err := a.ListUserClients(ctx, "00u1")
	if err != nil || len(clients) != 1 || clients[0].ClientID != "0oa2" {
		t.Errorf("clients with grants = %+v, %v", clients, err)
	}
	if _, err := a.RevokeUserGrants(ctx, "00u1"); err != nil || emu.Grants("00u1", "") != 0 {
		t.Errorf("RevokeUserGrants: %v, %d left", err, emu.Grants("00u1", ""))
	}
}

func TestAuthServerLevelEmulator(t *testing.T) {
	a, emu, _ := newEmulated(t)
	ctx := context.Background()
	emu.AddAuthServer("aus9")
	emu.AddUser("00u2")
	emu.AddClient("0oa2", "Other")
	var custom []string
	for _, u := range []string{"00u1", "00u2", "00u1"} {
		custom = append(custom, emu.IssueRefreshTokenAt("aus9", u, "0oa1").ID)
	}
	dflt := emu.IssueRefreshToken("00u1", "0oa2")

	clients, err := a.ListAuthServerClients(ctx, "aus9")
	if err != nil || len(clients) != 1 || clients[0].ClientID != "0oa1" || clients[0].ClientName != "Web App" {
		t.Errorf("aus9 clients = %+v, %v", clients, err)
	}
	toks, err := drain(a.ListAuthServerClientTokens(ctx, "aus9", "0oa1", ListOptions{Limit: 1}))
	if err != nil || !slices.Equal(ids(toks), custom) {
		t.Errorf("aus9 tokens = %v, %v; want %v", ids(toks), err, custom)
	}
	if _, err := a.RevokeAuthServerClientToken(ctx, "aus9", "0oa1", custom[0]); err != nil {
		t.Fatal(err)
	}
	got, err := a.GetAuthServerClientToken(ctx, "aus9", "0oa1", custom[0], false)
	if err != nil || got.Status != StatusRevoked || got.UserID != "00u1" || got.ClientID != "0oa1" || !strings.HasSuffix(got.Issuer, "/oauth2/aus9") {
		t.Errorf("revoked token = %+v, %v", got, err)
	}
	if _, err := a.RevokeAuthServerClientTokens(ctx, "aus9", "0oa1"); err != nil {
		t.Fatal(err)
	}
	for _, id := range custom {
		if emu.Active(id) {
			t.Errorf("token %s still active", id)
		}
	}
	if !emu.Active(dflt.ID) {
		t.Error("a token of another authorization server was revoked")
	}
	_, err = a.GetAuthServerClientToken(ctx, "aus9", "0oa2", dflt.ID, false)
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrNotFound) || re.Code != "E0000007" || !strings.Contains(re.Description, dflt.ID) {
		t.Errorf("token of another server: %v", err)
	}
	_, err = a.ListAuthServerClients(ctx, "ausNope")
	if !errors.Is(err, revoke.ErrNotFound) {
		t.Errorf("unknown server: %v", err)
	}
}

func TestUserTokenOperationsEmulator(t *testing.T) {
	a, emu, _ := newEmulated(t)
	ctx := context.Background()
	t1 := emu.IssueRefreshToken("00u1", "0oa1", "openid", "offline_access", "profile")
	t2 := emu.IssueRefreshToken("00u1", "0oa1")
	got, err := a.GetUserClientToken(ctx, "00u1", "0oa1", t1.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != t1.ID || got.Status != StatusActive || !got.Created.Equal(t1.Created) || !got.ExpiresAt.Equal(t1.ExpiresAt) ||
		!slices.Equal(got.Scopes, t1.Scopes) || got.Embedded == nil || len(got.Embedded.Scopes) != 3 || got.Links["revoke"].Href == "" {
		t.Errorf("token = %+v", got)
	}
	if _, err := a.RevokeUserClientToken(ctx, "00u1", "0oa1", t1.ID); err != nil {
		t.Fatal(err)
	}
	if emu.Active(t1.ID) || emu.Store.Active(t1.Pair.AccessToken) || !emu.Active(t2.ID) {
		t.Error("revoking one token must revoke it and its access token only")
	}
	toks, err := drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{}))
	if err != nil || !slices.Equal(ids(toks), []string{t2.ID}) {
		t.Errorf("tokens after revoking one: %v, %v", ids(toks), err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		desc string
	}{
		{"unknown user", func() error { _, err := a.ListUserClients(ctx, "00uNobody"); return err }, "00uNobody (User)"},
		{"unknown client", func() error { _, err := a.RevokeUserClientTokens(ctx, "00u1", "0oaNope"); return err }, "0oaNope (AppInstance)"},
		{"unknown token", func() error { _, err := a.RevokeUserClientToken(ctx, "00u1", "0oa1", "oarNope"); return err }, "oarNope (Token)"},
	} {
		err := tc.call()
		var re *revoke.Error
		if !errors.As(err, &re) || !errors.Is(err, revoke.ErrNotFound) || re.Code != "E0000007" || !strings.Contains(re.Description, tc.desc) || re.RequestID == "" {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestBearerScopesEmulator: a Bearer token is checked for the operation's
// scope; an unknown one is refused.
func TestBearerScopesEmulator(t *testing.T) {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "App")
	emu.IssueRefreshToken("00u1", "0oa1")
	emu.AddBearer("reader-token", "okta.users.read")
	newBearer := func(tok string) *Admin {
		a, err := New(Config{Domain: testDomain, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	ctx := context.Background()
	reader := newBearer("reader-token")
	if _, err := reader.ListUserClients(ctx, "00u1"); err != nil {
		t.Errorf("read with okta.users.read: %v", err)
	}
	_, err := reader.RevokeUserClientTokens(ctx, "00u1", "0oa1")
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrForbidden) || re.Code != "E0000006" || re.StatusCode != 403 {
		t.Errorf("revoke with okta.users.read only: %v", err)
	}
	_, err = newBearer("stolen-token").ListUserClients(ctx, "00u1")
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) || re.Code != "E0000011" {
		t.Errorf("unknown bearer: %v", err)
	}
	reqs := emu.Requests()
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer reader-token" {
		t.Errorf("Authorization = %q", got)
	}
}

// TestServiceAppTokenSourceEmulator: the token source gets an access token
// with a private_key_jwt assertion whose aud is the token URL and whose jti
// is fresh every time, caches it, and refreshes it after expiry.
func TestServiceAppTokenSourceEmulator(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "App")
	emu.IssueRefreshToken("00u1", "0oa1")
	emu.AddServiceApp("0oaService", key.Public(), "okta.users.read", "okta.users.manage")
	emu.SetServiceAppDPoP("0oaService", false) // Bearer tokens: see dpop_test.go for DPoP
	hc := revoke.WithHTTPClient(&http.Client{Transport: mt})
	src, err := ServiceAppTokenSource(ServiceAppConfig{Domain: "dev-1234.okta.com", ClientID: "0oaService", Key: key, KeyID: "k1",
		Scopes: []string{"okta.users.read", "okta.users.manage"}, DisableDPoP: true}, hc)
	if err != nil {
		t.Fatal(err)
	}
	if src.TokenURL() != testDomain+"/oauth2/v1/token" {
		t.Errorf("TokenURL = %s", src.TokenURL())
	}
	now := time.Now()
	src.cache.now = func() time.Time { return now }
	a, err := New(Config{Domain: testDomain, TokenSource: src}, hc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 2 {
		if _, err := a.ListUserClients(ctx, "00u1"); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(2 * time.Hour) // past expires_in
	if _, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1"); err != nil {
		t.Fatal(err)
	}
	var tokenReqs, apiAuth []string
	var jtis []string
	for _, r := range emu.Requests() {
		if r.Path != oktatest.ServiceTokenPath {
			apiAuth = append(apiAuth, r.Header.Get("Authorization"))
			continue
		}
		tokenReqs = append(tokenReqs, r.Form.Get("grant_type")+" "+r.Form.Get("scope")+" "+r.Form.Get("client_assertion_type"))
		tok, err := jwt.ParseSigned(r.Form.Get("client_assertion"), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			t.Fatal(err)
		}
		var c jwt.Claims
		if err := tok.Claims(key.Public(), &c); err != nil {
			t.Fatal(err)
		}
		if c.Issuer != "0oaService" || c.Subject != "0oaService" || !slices.Equal([]string(c.Audience), []string{testDomain + "/oauth2/v1/token"}) || tok.Headers[0].KeyID != "k1" {
			t.Errorf("assertion claims %+v, kid %q", c, tok.Headers[0].KeyID)
		}
		jtis = append(jtis, c.ID)
	}
	wantReq := "client_credentials okta.users.read okta.users.manage " + revoke.ClientAssertionType
	if !slices.Equal(tokenReqs, []string{wantReq, wantReq}) {
		t.Errorf("token requests %q: want two (one cached use, one refresh)", tokenReqs)
	}
	if len(jtis) != 2 || jtis[0] == jtis[1] || jtis[0] == "" {
		t.Errorf("jtis %q: want two fresh ones", jtis)
	}
	if len(apiAuth) != 3 || apiAuth[0] != apiAuth[1] || apiAuth[1] == apiAuth[2] || !strings.HasPrefix(apiAuth[0], "Bearer oat_") {
		t.Errorf("API Authorization headers %q: want the cached token twice, then the refreshed one", apiAuth)
	}
}

func TestServiceAppTokenSourceErrors(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		disable bool // ServiceAppConfig.DisableDPoP, for an app that requires DPoP
		scopes  []string
		kind    error
		want    string
	}{
		{"DPoP required but disabled", true, []string{"okta.users.read"}, revoke.ErrInvalidClient, "leave oktaadmin.ServiceAppConfig.DisableDPoP false"},
		{"scope not granted", false, []string{"okta.apps.manage"}, revoke.ErrInvalidRequest, "invalid_scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			emu := oktatest.RegisterAdmin(mt, testDomain)
			emu.AddUser("00u1")
			emu.AddServiceApp("0oaService", key.Public(), "okta.users.read")
			hc := revoke.WithHTTPClient(&http.Client{Transport: mt})
			src, err := ServiceAppTokenSource(ServiceAppConfig{Domain: testDomain, ClientID: "0oaService", Key: key, Scopes: tc.scopes, DisableDPoP: tc.disable}, hc)
			if err != nil {
				t.Fatal(err)
			}
			a, err := New(Config{Domain: testDomain, TokenSource: src}, hc)
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.ListUserClients(context.Background(), "00u1")
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %v mentioning %q", err, tc.kind, tc.want)
			}
			for _, r := range emu.Requests() {
				if r.Path != oktatest.ServiceTokenPath {
					t.Errorf("API request %s sent without a token", r.Path)
				}
			}
		})
	}
	for _, tc := range []struct {
		name  string
		cfg   ServiceAppConfig
		field string
	}{
		{"no scopes", ServiceAppConfig{Domain: testDomain, ClientID: "c", Key: key}, "oktaadmin.ServiceAppConfig.Scopes"},
		{"scope with space", ServiceAppConfig{Domain: testDomain, ClientID: "c", Key: key, Scopes: []string{"okta.users.read okta.users.manage"}}, "oktaadmin.ServiceAppConfig.Scopes"},
		{"no key", ServiceAppConfig{Domain: testDomain, ClientID: "c", Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.Key"},
		{"typed-nil key", ServiceAppConfig{Domain: testDomain, ClientID: "c", Key: (*ecdsa.PrivateKey)(nil), Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.Key (PrivateKeyJWT)"},
		{"zero key", ServiceAppConfig{Domain: testDomain, ClientID: "c", Key: &ecdsa.PrivateKey{}, Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.Key (PrivateKeyJWT)"},
		{"no client", ServiceAppConfig{Domain: testDomain, Key: key, Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.ClientID"},
		{"blank client", ServiceAppConfig{Domain: testDomain, ClientID: " \t", Key: key, Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.ClientID"},
		{"user info in domain", ServiceAppConfig{Domain: "https://me:hunter2-password@dev.okta.com", ClientID: "c", Key: key, Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.Domain"},
		{"bad domain", ServiceAppConfig{Domain: "http://dev.okta.com", ClientID: "c", Key: key, Scopes: []string{"s"}}, "oktaadmin.ServiceAppConfig.Domain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ServiceAppTokenSource(tc.cfg)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Errorf("error = %v, want a ConfigError on %s", err, tc.field)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2-password") {
				t.Errorf("error %q repeats the password", err)
			}
		})
	}
	// The key never prints.
	cfg := ServiceAppConfig{Domain: testDomain, ClientID: "c", Key: key, Scopes: []string{"s"}}
	src, err := ServiceAppTokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	secret := key.D.String()
	for _, v := range []any{cfg, &cfg, src} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, secret) || strings.Contains(out, key.D.Text(16)) {
				t.Errorf("%T printed with %s shows the private key", v, verb)
			}
		}
	}
}

// TestServiceAppSourceZeroAndNil: a zero ServiceAppSource or a nil pointer
// neither blocks nor panics: TokenContext returns a *revoke.ConfigError,
// and so does a nil context. An Admin given such a source sends nothing.
func TestServiceAppSourceZeroAndNil(t *testing.T) {
	var zero ServiceAppSource
	var nilSrc *ServiceAppSource
	for name, src := range map[string]*ServiceAppSource{"zero": &zero, "nil": nilSrc} {
		done := make(chan error, 2)
		go func() {
			_, err := src.TokenContext(context.Background())
			done <- err
			_, err = src.Token()
			done <- err
		}()
		for range 2 {
			select {
			case err := <-done:
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "ServiceAppTokenSource") {
					t.Errorf("%s source: %v, want a ConfigError", name, err)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s source blocked", name)
			}
		}
		if src.TokenURL() != "" {
			t.Errorf("%s source: TokenURL %q", name, src.TokenURL())
		}
		mt := httpmock.NewMockTransport()
		a, err := New(Config{Domain: testDomain, TokenSource: src}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.RevokeUserGrants(context.Background(), "00u1"); !errors.Is(err, revoke.ErrInvalidRequest) || mt.GetTotalCallCount() != 0 {
			t.Errorf("%s source through an Admin: %v after %d requests", name, err, mt.GetTotalCallCount())
		}
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	src, err := ServiceAppTokenSource(ServiceAppConfig{Domain: testDomain, ClientID: "0oaService", Key: key, Scopes: []string{"okta.users.read"}})
	if err != nil {
		t.Fatal(err)
	}
	var nilCtx context.Context
	if _, err := src.TokenContext(nilCtx); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil context: %v", err)
	}
}
