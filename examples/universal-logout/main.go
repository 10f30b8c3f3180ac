// Command universal-logout is a small web application that Okta can sign
// users out of. It keeps sessions (a session cookie names the user and the
// tokens the app holds for them) and mounts the two receiving ends of
// package logout:
//
//	POST /global-token-revocation  Okta Universal Logout: Global Token
//	                               Revocation, draft-parecki-oauth-global-token-revocation-06
//	POST /backchannel-logout       OpenID Connect Back-Channel Logout 1.0
//
// When Okta calls either one, the app ends the user's sessions (every
// session of the user for Universal Logout; the one Okta session named by
// sid for Back-Channel Logout) and revokes the tokens those sessions held
// at Okta with revoke.RevokeToken (refresh token first: Okta revokes its
// access tokens with it).
//
// Run it for a self-contained demo against the Okta fakes on loopback: the
// Okta org (package okta/oktatest) issues tokens to the app and plays Okta's
// side of both protocols with a signing key it publishes as a JWKS.
//
//	go run ./examples/universal-logout
//
// In a real app, the OpenID Connect sign-in callback creates the session
// (App.SignIn with the user's email, iss and sub from the ID token, its sid
// and the tokens), and the app is configured in Okta with the endpoint URL
// (Applications > the app > Authentication > Logout > "Okta system or admin
// initiates logout", Signed JWT) and the backchannel_logout_uri.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/logout"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "universal-logout:", err)
		os.Exit(1)
	}
}

// Paths the app serves.
const (
	GTRPath = "/global-token-revocation"
	BCLPath = "/backchannel-logout"
	MePath  = "/me"
)

// CookieName is the session cookie.
const CookieName = "session"

// Config configures an App.
type Config struct {
	// BaseURL is the app's external URL, e.g. https://app.example.com. The
	// Global Token Revocation endpoint's URL, BaseURL + GTRPath, is the aud
	// Okta signs.
	BaseURL string
	// Issuer is the Okta org (https://{domain}), iss of the JWTs Okta signs
	// and of the ID tokens; JWKSURL is where its keys are
	// (https://{domain}/oauth2/v1/keys).
	Issuer, JWKSURL string
	// ClientID is the app's client ID at Okta, the aud of logout tokens.
	ClientID string
	// Revoker revokes the tokens the app holds (an *okta.Revoker).
	Revoker revoke.Revoker
	// Logger receives one record per logout; nil discards them.
	Logger *slog.Logger
}

// User is someone who can sign in to the app.
type User struct {
	// Email is how Okta names the user by default in Universal Logout.
	Email string
	// Iss and Sub name the user as Okta's ID tokens do (iss_sub).
	Iss, Sub string
}

// session is one signed-in browser.
type session struct {
	user   User
	device string
	sid    string        // the Okta session (the ID token's sid)
	token  *oauth2.Token // what the app holds for the user
}

// App is the web application.
type App struct {
	revoker revoke.Revoker
	logger  *slog.Logger
	mux     *http.ServeMux

	mu       sync.Mutex
	users    []User
	sessions map[string]*session // cookie value → session
}

// NewApp builds the app and its two logout handlers.
func NewApp(cfg Config) (*App, error) {
	if cfg.Revoker == nil {
		return nil, &revoke.ConfigError{Field: "Config.Revoker", Problem: "is nil: pass an okta.Revoker for the app's client"}
	}
	a := &App{revoker: cfg.Revoker, logger: cfg.Logger, sessions: map[string]*session{}, mux: http.NewServeMux()}
	if a.logger == nil {
		a.logger = slog.New(slog.DiscardHandler)
	}
	issuers := []logout.Issuer{{Issuer: cfg.Issuer, JWKSURL: cfg.JWKSURL}}
	gtr, err := logout.NewGlobalTokenRevocationHandler(logout.Config{
		Issuers: issuers, Audience: strings.TrimRight(cfg.BaseURL, "/") + GTRPath, Callback: a.endSessions, Logger: a.logger,
	})
	if err != nil {
		return nil, err
	}
	bcl, err := logout.NewBackChannelLogoutHandler(logout.Config{
		Issuers: issuers, Audience: cfg.ClientID, Callback: a.endSessions, Logger: a.logger,
	})
	if err != nil {
		return nil, err
	}
	a.mux.Handle(GTRPath, gtr)
	a.mux.Handle(BCLPath, bcl)
	a.mux.HandleFunc("GET "+MePath, a.me)
	return a, nil
}

// ServeHTTP implements http.Handler.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// AddUser registers a user of the app.
func (a *App) AddUser(u User) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.users = append(a.users, u)
}

// SignIn starts a session for u on device, as the OpenID Connect callback
// does, holding tok; sid is the ID token's sid. It returns the cookie.
func (a *App) SignIn(u User, device, sid string, tok *oauth2.Token) *http.Cookie {
	var b [18]byte
	_, _ = rand.Read(b[:])
	id := base64.RawURLEncoding.EncodeToString(b[:])
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[id] = &session{user: u, device: device, sid: sid, token: tok}
	return &http.Cookie{Name: CookieName, Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
}

// me answers who the session cookie signs in, or 401.
func (a *App) me(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(CookieName)
	a.mu.Lock()
	var s *session
	if err == nil {
		s = a.sessions[c.Value]
	}
	a.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	if s == nil {
		http.Error(w, "not signed in", http.StatusUnauthorized)
		return
	}
	fmt.Fprintf(w, "signed in as %s on %s\n", s.user.Email, s.device)
}

// endSessions is the callback of both handlers: it ends the sessions the
// event names, then revokes the tokens they held at Okta.
func (a *App) endSessions(ctx context.Context, e logout.Event) error {
	a.mu.Lock()
	var ended []*session
	for id, s := range a.sessions {
		if matches(s, e) {
			ended = append(ended, s)
			delete(a.sessions, id)
		}
	}
	known := len(ended) > 0
	for _, u := range a.users {
		known = known || matches(&session{user: u}, logout.Event{Kind: logout.GlobalTokenRevocation, Subject: e.Subject, Issuer: e.Issuer})
	}
	a.mu.Unlock()
	if !known {
		// Global Token Revocation answers 404; Back-Channel Logout 200.
		return logout.ErrUnknownSubject
	}
	var errs []error
	for _, s := range ended {
		// The session is over here already; the tokens must stop working
		// at Okta too.
		if err := revoke.RevokeToken(ctx, a.revoker, s.token); err != nil {
			errs = append(errs, err)
		}
	}
	a.logger.LogAttrs(ctx, slog.LevelInfo, "logout", slog.String("kind", e.Kind.String()), slog.String("subject", e.Subject.String()),
		slog.Int("sessions", len(ended)), slog.Int("revocation_failures", len(errs)))
	// A failure answers 500 (never repeated to the caller), so that Okta
	// knows the tokens may still work.
	return errors.Join(errs...)
}

// matches reports whether the event names the session: Global Token
// Revocation by the subject (email, iss_sub, or opaque: the Okta user ID);
// Back-Channel Logout by sid and/or the token's iss and sub.
func matches(s *session, e logout.Event) bool {
	sub := e.Subject
	bySubject := false
	switch sub.Format {
	case logout.FormatEmail:
		bySubject = strings.EqualFold(s.user.Email, sub.Email)
	case logout.FormatIssSub:
		bySubject = s.user.Iss == sub.Iss && s.user.Sub == sub.Sub
	case logout.FormatOpaque:
		bySubject = s.user.Sub == sub.ID
	}
	if e.Kind == logout.BackChannelLogout && e.SessionID != "" {
		return s.sid == e.SessionID && (sub.IsZero() || bySubject)
	}
	return bySubject
}

// ---- the demo ----

const (
	clientID     = "0oaUniversalLogoutApp"
	clientSecret = "demo-client-secret-0123456789"
)

// demoSession is one browser of the demo.
type demoSession struct {
	user   User
	device string
	sid    string
	cookie *http.Cookie
	pair   revoketest.Pair
}

// run starts the Okta fakes and the app on loopback, signs alice in on a
// laptop and bob on a laptop and a phone, has Okta log alice out
// everywhere (Universal Logout) and bob's phone session out (Back-Channel
// Logout), shows that a replayed call and one signed by another key are
// refused, and prints the sessions and tokens before and after.
func run(ctx context.Context, out io.Writer) error {
	// Okta: the org authorization server (/oauth2/v1/revoke) and its keys.
	org := oktatest.New()
	org.AddClient(revoketest.Client{ID: clientID, Secret: clientSecret})
	signer := oktatest.NewSigner()
	oktaMux := http.NewServeMux()
	oktaMux.Handle("/oauth2/v1/keys", signer.JWKS())
	oktaMux.Handle("/", org)
	oktaSrv := httptest.NewServer(oktaMux)
	defer oktaSrv.Close()
	signer.Issuer = oktaSrv.URL

	revoker, err := okta.New(okta.Config{Domain: oktaSrv.URL, ClientID: clientID, ClientSecret: clientSecret})
	if err != nil {
		return err
	}

	// The app, on a loopback listener whose URL is known before it serves.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	app, err := NewApp(Config{BaseURL: base, Issuer: oktaSrv.URL, JWKSURL: oktaSrv.URL + "/oauth2/v1/keys", ClientID: clientID, Revoker: revoker})
	if err != nil {
		ln.Close()
		return err
	}
	appSrv := &httptest.Server{Listener: ln, Config: &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}}
	appSrv.Start()
	defer appSrv.Close()

	alice := User{Email: "alice@example.com", Iss: oktaSrv.URL, Sub: "00ualice000000000001"}
	bob := User{Email: "bob@example.com", Iss: oktaSrv.URL, Sub: "00ubob00000000000002"}
	app.AddUser(alice)
	app.AddUser(bob)
	var browsers []*demoSession
	for i, b := range []struct {
		u      User
		device string
	}{{alice, "laptop"}, {bob, "laptop"}, {bob, "phone"}} {
		pair := org.IssueFor("", clientID, b.u.Sub)
		sid := fmt.Sprintf("102demoOktaSession%07d", i+1)
		cookie := app.SignIn(b.u, b.device, sid, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken, TokenType: "Bearer"})
		browsers = append(browsers, &demoSession{user: b.u, device: b.device, sid: sid, cookie: cookie, pair: pair})
	}

	fmt.Fprintf(out, "Okta fake at %s, app at %s\n\nBefore:\n", oktaSrv.URL, base)
	if err := table(ctx, out, base, org, browsers); err != nil {
		return err
	}

	fmt.Fprintln(out)
	// What Okta sends; built once so that it can be sent again below.
	req, err := signer.UniversalLogoutRequest(ctx, base+GTRPath, revoke.EmailSubject(alice.Email))
	if err != nil {
		return err
	}
	status, err := signer.Send(req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Okta Universal Logout of %s: POST %s -> HTTP %d\n", alice.Email, GTRPath, status)
	replayed, err := signer.Send(req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "The same request sent again (a replay): HTTP %d\n", replayed)

	impostor := oktatest.NewSigner()
	impostor.Issuer = signer.Issuer
	forged, err := impostor.UniversalLogout(ctx, base+GTRPath, revoke.EmailSubject(bob.Email))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "A request for %s signed by another key: HTTP %d\n", bob.Email, forged)

	bcl, err := signer.BackChannelLogout(ctx, base+BCLPath, clientID, bob.Sub, browsers[2].sid)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Back-Channel Logout of %s's phone session: POST %s -> HTTP %d\n", bob.Email, BCLPath, bcl)

	fmt.Fprintln(out, "\nAfter:")
	if err := table(ctx, out, base, org, browsers); err != nil {
		return err
	}
	want := []bool{false, true, false} // signed in after: alice's laptop, bob's laptop, bob's phone
	for i, b := range browsers {
		in, err := signedIn(ctx, base, b.cookie)
		if err != nil {
			return err
		}
		if in != want[i] || org.Active(b.pair.RefreshToken) != want[i] || org.Active(b.pair.AccessToken) != want[i] {
			return fmt.Errorf("%s's %s session: signed in %v, tokens active %v; want %v", b.user.Email, b.device, in, org.Active(b.pair.RefreshToken), want[i])
		}
	}
	if status != http.StatusNoContent || replayed != http.StatusUnauthorized || forged != http.StatusUnauthorized || bcl != http.StatusOK {
		return fmt.Errorf("unexpected answers: universal logout %d, replay %d, forged %d, back-channel %d", status, replayed, forged, bcl)
	}
	fmt.Fprintln(out, "\nalice is signed out everywhere and her tokens are revoked at Okta; bob keeps his laptop session.")
	return nil
}

// table prints each browser's app session and its tokens' state at Okta.
func table(ctx context.Context, out io.Writer, base string, org *oktatest.Server, browsers []*demoSession) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  USER\tDEVICE\tAPP SESSION\tTOKENS AT OKTA")
	for _, b := range browsers {
		in, err := signedIn(ctx, base, b.cookie)
		if err != nil {
			return err
		}
		session, tokens := "ended", "revoked"
		if in {
			session = "signed in"
		}
		if org.Active(b.pair.RefreshToken) || org.Active(b.pair.AccessToken) {
			tokens = "active"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", b.user.Email, b.device, session, tokens)
	}
	return tw.Flush()
}

// signedIn asks the app whether the cookie still signs someone in.
func signedIn(ctx context.Context, base string, cookie *http.Cookie) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+MePath, nil)
	if err != nil {
		return false, err
	}
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode == http.StatusOK, nil
}
