package entra_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/entra/entratest"
	"github.com/revokekit/revoke/internal/testkit"
)

// emulator serves a fresh entratest.Server over real HTTP (httptest) or an
// httpmock transport, and returns it with the Config URLs and options.
type emulator struct {
	name  string
	start func(t *testing.T) (*entratest.Server, entra.Config, []revoke.Option)
}

var emulators = []emulator{
	{"httptest", func(t *testing.T) (*entratest.Server, entra.Config, []revoke.Option) {
		fake := entratest.New()
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		return fake, entra.Config{GraphURL: srv.URL, LoginURL: srv.URL}, []revoke.Option{revoke.WithHTTPClient(srv.Client()), testkit.FastRetry()}
	}},
	{"httpmock", func(t *testing.T) (*entratest.Server, entra.Config, []revoke.Option) {
		mt := httpmock.NewMockTransport()
		fake := entratest.Register(mt)
		return fake, entra.Config{}, []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
	}},
}

const (
	bobID   = "11bb11bb-cc22-dd33-ee44-55ff55ff55ff"
	guestID = "22cc22cc-dd33-ee44-ff55-66aa66aa66aa"
)

// setup registers an app with each credential, Alice, Bob and a guest.
func setup(t *testing.T, fake *entratest.Server) *entra.Certificate {
	cert := validCert(t)
	fake.AddApp(entratest.App{ClientID: clientID, Secret: secret, Certificate: cert.Certificate, Permissions: []string{entratest.PermissionRevokeSessions}})
	fake.AddApp(entratest.App{ClientID: "readonly-app-0000-0000-000000000000", Secret: secret, Permissions: []string{"User.Read.All"}})
	fake.AddUser(entratest.User{ID: objectID, UserPrincipalName: upn})
	fake.AddUser(entratest.User{ID: bobID, UserPrincipalName: "bob@contoso.com"})
	fake.AddUser(entratest.User{ID: guestID, UserPrincipalName: "carol_fabrikam.com#EXT#@contoso.onmicrosoft.com", Guest: true})
	return cert
}

func TestRoundTrip(t *testing.T) {
	for _, em := range emulators {
		creds := map[string]func(c *entra.Config, cert *entra.Certificate){
			"secret":      func(c *entra.Config, _ *entra.Certificate) { c.ClientSecret = secret },
			"certificate": func(c *entra.Config, cert *entra.Certificate) { c.Certificate = cert },
			"legacy x5t": func(c *entra.Config, cert *entra.Certificate) {
				l := *cert
				l.LegacyX5T = true
				c.Certificate = &l
			},
		}
		for credName, set := range creds {
			t.Run(em.name+"/"+credName, func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				cert := setup(t, fake)
				cfg.Tenant, cfg.ClientID = entratest.Domain, clientID
				set(&cfg, cert)
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				alice := fake.SignIn(objectID, "mail-app")
				aliceWeb := fake.SignIn(objectID, "web-app")
				bob := fake.SignIn(bobID, "mail-app")
				rep, err := g.RevokeSubject(ctx, revoke.OpaqueSubject(strings.ToUpper(objectID)))
				if err != nil || rep.Steps[0].Status != revoke.StepAccepted {
					t.Fatalf("RevokeSubject = %+v, %v", rep, err)
				}
				if fake.Active(alice.RefreshToken) || fake.Active(aliceWeb.RefreshToken) {
					t.Error("Alice's refresh tokens still work")
				}
				if !fake.Active(alice.AccessToken) {
					t.Error("Alice's access token stopped working: Entra's run until they expire")
				}
				if !fake.Active(bob.RefreshToken) {
					t.Error("Bob's refresh token was revoked")
				}
				if since := time.Since(fake.SignInSessionsValidFrom(objectID)); since < 0 || since > time.Minute {
					t.Errorf("signInSessionsValidFromDateTime is %v ago", since)
				}
				// By userPrincipalName, in another case; the token is reused.
				if _, err := g.RevokeSubject(ctx, revoke.EmailSubject("BOB@contoso.com")); err != nil {
					t.Fatal(err)
				}
				if fake.Active(bob.RefreshToken) {
					t.Error("Bob's refresh token still works")
				}
				tokenRequests := 0
				for _, r := range fake.Requests() {
					if strings.HasSuffix(r.Path, "/oauth2/v2.0/token") {
						tokenRequests++
					}
				}
				if tokenRequests != 1 {
					t.Errorf("%d token requests, want 1", tokenRequests)
				}
				// A guest: Graph accepts, and their sessions live on, as
				// the step's note says.
				carol := fake.SignIn(guestID, "mail-app")
				rep, err = g.RevokeSubject(ctx, revoke.OpaqueSubject(guestID))
				if err != nil || !strings.Contains(rep.Steps[0].Note, "guest") || !fake.Active(carol.RefreshToken) {
					t.Errorf("guest: %+v, %v, refresh active %v", rep, err, fake.Active(carol.RefreshToken))
				}
				// Nobody.
				rep, err = g.RevokeSubject(ctx, revoke.EmailSubject("nobody@contoso.com"))
				var re *revoke.Error
				if !errors.Is(err, revoke.ErrNotFound) || !errors.As(err, &re) || re.Code != "Request_ResourceNotFound" || re.RequestID == "" || rep.Steps[0].Status != revoke.StepFailed {
					t.Errorf("unknown user: %+v, %v", rep, err)
				}
			})
		}
	}
}

func TestRoundTripFailures(t *testing.T) {
	for _, em := range emulators {
		t.Run(em.name, func(t *testing.T) {
			ctx := context.Background()
			t.Run("no permission", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, "readonly-app-0000-0000-000000000000", secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				alice := fake.SignIn(objectID, "mail-app")
				_, err = g.RevokeSignInSessions(ctx, objectID)
				if !errors.Is(err, revoke.ErrForbidden) || !strings.Contains(err.Error(), entra.PermissionRevokeSessions) {
					t.Errorf("err = %v, want ErrForbidden naming the permission", err)
				}
				if !fake.Active(alice.RefreshToken) {
					t.Error("revoked without the permission")
				}
			})
			t.Run("wrong secret", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, clientID, "wrong-secret-value"
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				_, err = g.RevokeSignInSessions(ctx, objectID)
				var re *revoke.Error
				if !errors.Is(err, revoke.ErrInvalidClient) || !errors.As(err, &re) || re.Op != "entra token" || !strings.Contains(re.Description, "Secret ID") || len(re.RequestID) != 36 {
					t.Errorf("err = %v, want the token endpoint's invalid_client with the hint and trace ID", err)
				}
			})
			t.Run("unregistered certificate", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				key := testkit.RSAKey(t)
				other := &entra.Certificate{Certificate: rsaCert(t, key, time.Now().Add(-time.Minute), time.Now().Add(time.Hour)), Key: key}
				cfg.Tenant, cfg.ClientID, cfg.Certificate = entratest.TenantID, clientID, other
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				_, err = g.RevokeSignInSessions(ctx, objectID)
				if !errors.Is(err, revoke.ErrInvalidClient) || !strings.Contains(err.Error(), "AADSTS700027") || !strings.Contains(err.Error(), "Certificates & secrets") {
					t.Errorf("err = %v, want AADSTS700027 as ErrInvalidClient with the hint", err)
				}
			})
			t.Run("unknown tenant", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = "fabrikam.onmicrosoft.com", clientID, secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := g.RevokeSignInSessions(ctx, objectID); !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), "check Tenant") {
					t.Errorf("err = %v, want AADSTS90002 as ErrInvalidRequest with the hint", err)
				}
			})
			t.Run("throttled, retried", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, clientID, secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := g.RevokeSignInSessions(ctx, objectID); err != nil { // token cached
					t.Fatal(err)
				}
				fake.FailNext(2, entratest.Throttled(0))
				res, err := g.RevokeSignInSessions(ctx, objectID)
				if err != nil || res.Attempts != 3 {
					t.Errorf("RevokeSignInSessions = %+v, %v; want success after 3 attempts", res, err)
				}
			})
			t.Run("throttled past the cap", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				fake.ThrottleLimit, fake.ThrottleWindow = 1, time.Hour
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, clientID, secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := g.RevokeSignInSessions(ctx, objectID); err != nil {
					t.Fatal(err)
				}
				_, err = g.RevokeSignInSessions(ctx, bobID)
				var re *revoke.Error
				if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &re) || re.RetryAfter < 59*time.Minute || !re.Temporary() {
					t.Errorf("err = %v, want ErrRateLimited with RetryAfter about an hour", err)
				}
			})
			t.Run("propagation", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				fake.Propagation = 50 * time.Millisecond
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, clientID, secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				alice := fake.SignIn(objectID, "mail-app")
				if _, err := g.RevokeSignInSessions(ctx, objectID); err != nil {
					t.Fatal(err)
				}
				if !fake.Active(alice.RefreshToken) {
					t.Error("revoked before the propagation delay")
				}
				time.Sleep(60 * time.Millisecond)
				if fake.Active(alice.RefreshToken) {
					t.Error("still active after the propagation delay")
				}
			})
			t.Run("204 known issue", func(t *testing.T) {
				fake, cfg, opts := em.start(t)
				setup(t, fake)
				fake.Answer204 = true
				cfg.Tenant, cfg.ClientID, cfg.ClientSecret = entratest.TenantID, clientID, secret
				g, err := entra.New(cfg, opts...)
				if err != nil {
					t.Fatal(err)
				}
				res, err := g.RevokeSignInSessions(ctx, objectID)
				if err != nil || res.StatusCode != 204 {
					t.Errorf("RevokeSignInSessions = %+v, %v; want 204 accepted", res, err)
				}
			})
		})
	}
}
