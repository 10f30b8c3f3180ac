package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"alice@example.com  laptop  signed in    active",
		"POST /global-token-revocation -> HTTP 204",
		"(a replay): HTTP 401",
		"signed by another key: HTTP 401",
		"POST /backchannel-logout -> HTTP 200",
		"alice@example.com  laptop  ended        revoked",
		"bob@example.com    laptop  signed in    active",
		"bob@example.com    phone   ended        revoked",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), clientSecret) {
		t.Error("the demo printed the client secret")
	}
}

// fixture is an Okta org fake with its signing key, and the app.
type fixture struct {
	org    *oktatest.Server
	signer *oktatest.Signer
	app    *App
	base   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	org := oktatest.New()
	org.AddClient(revoketest.Client{ID: clientID, Secret: clientSecret})
	signer := oktatest.NewSigner()
	mux := http.NewServeMux()
	mux.Handle("/oauth2/v1/keys", signer.JWKS())
	mux.Handle("/", org)
	oktaSrv := httptest.NewServer(mux)
	t.Cleanup(oktaSrv.Close)
	signer.Issuer = oktaSrv.URL
	r, err := okta.New(okta.Config{Domain: oktaSrv.URL, ClientID: clientID, ClientSecret: clientSecret}, revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	app, err := NewApp(Config{BaseURL: base, Issuer: oktaSrv.URL, JWKSURL: oktaSrv.URL + "/oauth2/v1/keys", ClientID: clientID, Revoker: r})
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: app}}
	srv.Start()
	t.Cleanup(srv.Close)
	return &fixture{org: org, signer: signer, app: app, base: base}
}

// login signs u in on device with tokens issued by the org.
func (f *fixture) login(u User, device, sid string) (*http.Cookie, revoketest.Pair) {
	p := f.org.IssueFor("", clientID, u.Sub)
	c := f.app.SignIn(u, device, sid, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, TokenType: "Bearer"})
	return c, p
}

// state is whether a browser is still signed in and its tokens work.
func (f *fixture) state(t *testing.T, c *http.Cookie, p revoketest.Pair) (session, refresh, access bool) {
	t.Helper()
	in, err := signedIn(context.Background(), f.base, c)
	if err != nil {
		t.Fatal(err)
	}
	return in, f.org.Active(p.RefreshToken), f.org.Active(p.AccessToken)
}

// TestUniversalLogout: Okta calls the app for alice; alice's app session
// ends and her tokens stop working at Okta; bob's stay. A replayed call,
// and one signed by another key, are refused.
func TestUniversalLogout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice := User{Email: "alice@example.com", Iss: f.signer.Issuer, Sub: "00ualice"}
	bob := User{Email: "bob@example.com", Iss: f.signer.Issuer, Sub: "00ubob"}
	f.app.AddUser(alice)
	f.app.AddUser(bob)
	aliceLaptop, aliceLaptopTok := f.login(alice, "laptop", "sidA1")
	alicePhone, alicePhoneTok := f.login(alice, "phone", "sidA2")
	bobLaptop, bobTok := f.login(bob, "laptop", "sidB1")

	req, err := f.signer.UniversalLogoutRequest(ctx, f.base+GTRPath, revoke.EmailSubject("Alice@Example.com"))
	if err != nil {
		t.Fatal(err)
	}
	if status, err := f.signer.Send(req); err != nil || status != http.StatusNoContent {
		t.Fatalf("universal logout: %d, %v", status, err)
	}
	for name, b := range map[string]struct {
		c *http.Cookie
		p revoketest.Pair
	}{"alice laptop": {aliceLaptop, aliceLaptopTok}, "alice phone": {alicePhone, alicePhoneTok}} {
		if s, rt, at := f.state(t, b.c, b.p); s || rt || at {
			t.Errorf("%s after logout: session %v, refresh token active %v, access token active %v", name, s, rt, at)
		}
	}
	if s, rt, at := f.state(t, bobLaptop, bobTok); !s || !rt || !at {
		t.Errorf("bob after alice's logout: session %v, refresh token %v, access token %v", s, rt, at)
	}

	// A replay of the same request, JWT and all.
	if status, err := f.signer.Send(req); err != nil || status != http.StatusUnauthorized {
		t.Errorf("replayed request: %d, %v; want 401", status, err)
	}
	// A request signed by a key Okta does not publish.
	impostor := oktatest.NewSigner()
	impostor.Issuer = f.signer.Issuer
	if status, err := impostor.UniversalLogout(ctx, f.base+GTRPath, revoke.EmailSubject(bob.Email)); err != nil || status != http.StatusUnauthorized {
		t.Errorf("request signed by another key: %d, %v; want 401", status, err)
	}
	// The right key, the wrong issuer.
	wrongIss := *f.signer
	wrongIss.Issuer = "https://evil.example.com"
	if status, err := wrongIss.UniversalLogout(ctx, f.base+GTRPath, revoke.EmailSubject(bob.Email)); err != nil || status != http.StatusUnauthorized {
		t.Errorf("request from another issuer: %d, %v; want 401", status, err)
	}
	if s, rt, at := f.state(t, bobLaptop, bobTok); !s || !rt || !at {
		t.Errorf("bob after refused calls: session %v, refresh token %v, access token %v", s, rt, at)
	}

	// Other subjects: an unknown user is 404; bob by iss_sub is logged out.
	if status, _ := f.signer.UniversalLogout(ctx, f.base+GTRPath, revoke.EmailSubject("mallory@example.com")); status != http.StatusNotFound {
		t.Errorf("unknown user: %d, want 404", status)
	}
	if status, _ := f.signer.UniversalLogout(ctx, f.base+GTRPath, revoke.IssSubSubject(bob.Iss, bob.Sub)); status != http.StatusNoContent {
		t.Errorf("bob by iss_sub: %d, want 204", status)
	}
	if s, rt, at := f.state(t, bobLaptop, bobTok); s || rt || at {
		t.Errorf("bob after his logout: session %v, refresh token %v, access token %v", s, rt, at)
	}
}

// TestBackChannelLogout: a logout token with sid ends that session only.
func TestBackChannelLogout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bob := User{Email: "bob@example.com", Iss: f.signer.Issuer, Sub: "00ubob"}
	f.app.AddUser(bob)
	laptop, laptopTok := f.login(bob, "laptop", "sid-laptop")
	phone, phoneTok := f.login(bob, "phone", "sid-phone")

	req, err := f.signer.BackChannelLogoutRequest(ctx, f.base+BCLPath, clientID, bob.Sub, "sid-phone")
	if err != nil {
		t.Fatal(err)
	}
	if status, err := f.signer.Send(req); err != nil || status != http.StatusOK {
		t.Fatalf("back-channel logout: %d, %v", status, err)
	}
	if s, rt, at := f.state(t, phone, phoneTok); s || rt || at {
		t.Errorf("phone: session %v, refresh %v, access %v", s, rt, at)
	}
	if s, rt, at := f.state(t, laptop, laptopTok); !s || !rt || !at {
		t.Errorf("laptop: session %v, refresh %v, access %v", s, rt, at)
	}
	if status, _ := f.signer.Send(req); status != http.StatusBadRequest {
		t.Errorf("replayed logout token: %d, want 400", status)
	}
	// A logout token for another client is refused.
	if status, _ := f.signer.BackChannelLogout(ctx, f.base+BCLPath, "0oaSomeoneElse", bob.Sub, ""); status != http.StatusBadRequest {
		t.Errorf("logout token for another client: %d, want 400", status)
	}
	// sub alone ends every session of the user.
	if status, _ := f.signer.BackChannelLogout(ctx, f.base+BCLPath, clientID, bob.Sub, ""); status != http.StatusOK {
		t.Errorf("logout by sub: %d", status)
	}
	if s, rt, _ := f.state(t, laptop, laptopTok); s || rt {
		t.Errorf("laptop after logout by sub: session %v, refresh %v", s, rt)
	}
}

// TestRevocationFailure: when Okta cannot revoke the tokens, the session
// still ends here and the app answers 500, so that Okta knows.
func TestRevocationFailure(t *testing.T) {
	f := newFixture(t)
	alice := User{Email: "alice@example.com", Iss: f.signer.Issuer, Sub: "00ualice"}
	f.app.AddUser(alice)
	c, p := f.login(alice, "laptop", "sid1")
	f.org.FailNext(10, revoketest.ServiceUnavailable(0))
	status, err := f.signer.UniversalLogout(context.Background(), f.base+GTRPath, revoke.EmailSubject(alice.Email))
	if err != nil || status != http.StatusInternalServerError {
		t.Fatalf("status %d, %v; want 500", status, err)
	}
	if s, rt, _ := f.state(t, c, p); s || !rt {
		t.Errorf("session %v (want ended), refresh token active %v (want still active: Okta was down)", s, rt)
	}
}

func TestNewAppRefusesNoRevoker(t *testing.T) {
	var ce *revoke.ConfigError
	if _, err := NewApp(Config{BaseURL: "https://app.example.com"}); err == nil || !errors.As(err, &ce) || ce.Field != "Config.Revoker" {
		t.Errorf("err = %v", err)
	}
}
