package hydra_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// TestEmulatorRoundTrip revokes through the adapter against the Hydra fake
// over real HTTP in every mode, checking token state.
func TestEmulatorRoundTrip(t *testing.T) {
	fake := hydratest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key := testkit.ECKey(t)
	fake.AddClient(revoketest.Client{ID: "basic-app", Secret: testkit.Secret, Method: revoke.MethodClientSecretBasic})
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: testkit.Secret, Method: revoke.MethodClientSecretPost})
	fake.AddClient(revoketest.Client{ID: "either-app", Secret: testkit.Secret})
	fake.AddClient(revoketest.Client{ID: "jwt-app", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "spa", Method: revoke.MethodNone})
	ctx := context.Background()

	for _, tc := range []struct {
		name string
		auth revoke.ClientAuth
		hint revoke.TokenTypeHint
	}{
		{"client_secret_basic, encoded secret", revoke.ClientSecretBasic("basic-app", testkit.Secret), revoke.HintRefreshToken},
		{"client_secret_post", revoke.ClientSecretPost("post-app", testkit.Secret), revoke.HintAccessToken},
		{"ClientCredentials", revoke.ClientCredentials("either-app", testkit.Secret), ""},
		{"private_key_jwt, aud = token endpoint", revoke.PrivateKeyJWT("jwt-app", key), revoke.HintAccessToken},
		{"none", revoke.PublicClient("spa"), revoke.HintRefreshToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := hydra.New(hydra.Config{PublicURL: srv.URL, Auth: tc.auth}, testkit.FastRetry())
			if err != nil {
				t.Fatal(err)
			}
			p := fake.Issue(tc.auth.ClientID(), "alice")
			tok := p.AccessToken
			if tc.hint == revoke.HintRefreshToken {
				tok = p.RefreshToken
			}
			res, err := r.Revoke(ctx, revoke.Request{Token: tok, Hint: tc.hint})
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != 200 || fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
				t.Errorf("res = %+v; active %v %v: fosite ends the whole grant", res, fake.Active(p.AccessToken), fake.Active(p.RefreshToken))
			}
			// Again: 200, nothing said.
			if res, err := r.Revoke(ctx, revoke.Request{Token: tok}); err != nil || res.AlreadyInvalid {
				t.Errorf("second revoke = %+v, %v", res, err)
			}
		})
	}
	t.Run("Discover, then RevokeToken", func(t *testing.T) {
		r, err := hydra.Discover(ctx, srv.URL, revoke.ClientCredentials("either-app", testkit.Secret), testkit.FastRetry())
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue("either-app", "bob")
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Error("a token survived")
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		r, _ := hydra.New(hydra.Config{PublicURL: srv.URL, Auth: revoke.ClientSecretBasic("basic-app", "wrong-secret")})
		_, err := r.Revoke(ctx, revoke.Request{Token: token})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 401 || e.Description != hydratest.DescInvalidClient {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("method not registered", func(t *testing.T) {
		r, _ := hydra.New(hydra.Config{PublicURL: srv.URL, Auth: revoke.ClientSecretPost("basic-app", testkit.Secret)})
		if _, err := r.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("assertion aimed at the issuer is rejected", func(t *testing.T) {
		r, err := hydra.New(hydra.Config{PublicURL: srv.URL, Issuer: srv.URL, Auth: revoke.PrivateKeyJWT("jwt-app", key, revoke.WithAudience(revoke.AudienceIssuer))})
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue("jwt-app", "carol")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken}); !errors.Is(err, revoke.ErrInvalidClient) || !fake.Active(p.AccessToken) {
			t.Errorf("err = %v; want invalid_client and the token alive", err)
		}
	})
	t.Run("another client's token", func(t *testing.T) {
		r, _ := hydra.New(hydra.Config{PublicURL: srv.URL, Auth: revoke.PublicClient("spa")})
		p := fake.Issue("basic-app", "dave")
		_, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if !errors.Is(err, revoke.ErrUnauthorizedClient) || !fake.Active(p.AccessToken) {
			t.Errorf("err = %v; want unauthorized_client and the token alive", err)
		}
	})
	t.Run("outage then success", func(t *testing.T) {
		r, _ := hydra.New(hydra.Config{PublicURL: srv.URL, Auth: revoke.PublicClient("spa")}, testkit.FastRetry())
		p := fake.Issue("spa", "erin")
		fake.FailNext(1, revoketest.ServiceUnavailable(0))
		res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if err != nil || res.Attempts != 2 || fake.Active(p.AccessToken) {
			t.Errorf("res = %+v, err = %v", res, err)
		}
	})
}

// TestEmulatorAdmin ends a subject's consents, tokens and login sessions
// through the admin API of the fake.
func TestEmulatorAdmin(t *testing.T) {
	fake := hydratest.New()
	pub := httptest.NewServer(fake.PublicHandler())
	defer pub.Close()
	adm := httptest.NewServer(fake.AdminHandler())
	defer adm.Close()
	ctx := context.Background()
	a, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: adm.URL}, testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}

	web := fake.Issue("web", "alice")
	mobile := fake.Issue("mobile", "alice")
	bobs := fake.Issue("web", "bob")
	fake.Login("alice")
	fake.Login("alice")

	t.Run("ForClient ends one client's grant and keeps the login sessions", func(t *testing.T) {
		rep, err := a.RevokeSubjectWith(ctx, revoke.OpaqueSubject("alice"), hydra.ForClient("mobile"))
		if err != nil || len(rep.Steps) != 2 || rep.Steps[1].Status != revoke.StepSkipped || rep.Steps[0].Target != "mobile" {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		if fake.Active(mobile.AccessToken) || fake.Active(mobile.RefreshToken) || !fake.Active(web.RefreshToken) || fake.LoginSessions("alice") != 2 {
			t.Error("wrong tokens or sessions ended")
		}
	})
	t.Run("RevokeSubject ends everything of the subject only", func(t *testing.T) {
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("alice"))
		if err != nil || len(rep.Done()) != 2 || rep.Vendor != "hydra" {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		if fake.Active(web.AccessToken) || fake.Active(web.RefreshToken) || len(fake.ConsentClients("alice")) != 0 || fake.LoginSessions("alice") != 0 {
			t.Error("alice still holds something")
		}
		if !fake.Active(bobs.AccessToken) || len(fake.ConsentClients("bob")) != 1 {
			t.Error("bob lost his grant")
		}
		// Again: 204, nothing to do, still done.
		rep, err = a.RevokeSubject(ctx, revoke.OpaqueSubject("alice"))
		if err != nil || len(rep.Done()) != 2 {
			t.Errorf("second report = %+v, %v", rep, err)
		}
	})
	t.Run("an older Hydra's 404 for nothing found", func(t *testing.T) {
		fake.NotFoundForUnknownSubject = true
		defer func() { fake.NotFoundForUnknownSubject = false }()
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("nobody"))
		if err != nil || len(rep.Done()) != 2 || !rep.Steps[0].Result.AlreadyInvalid || rep.Steps[0].Note == "" {
			t.Errorf("report = %+v, %v", rep, err)
		}
	})
	t.Run("pointed at the public port", func(t *testing.T) {
		wrong, _ := hydra.NewAdmin(hydra.AdminConfig{AdminURL: pub.URL})
		rep, err := wrong.RevokeSubject(ctx, revoke.OpaqueSubject("bob"))
		if !errors.Is(err, revoke.ErrNotFound) || len(rep.Failed()) != 2 || !fake.Active(bobs.AccessToken) {
			t.Errorf("report = %+v, %v", rep, err)
		}
	})
	t.Run("Ory Network API key", func(t *testing.T) {
		fake.APIKey = testkit.APIToken
		defer func() { fake.APIKey = "" }()
		noKey, _ := hydra.NewAdmin(hydra.AdminConfig{AdminURL: adm.URL})
		if _, err := noKey.RevokeLoginSessions(ctx, "bob"); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("without key: %v", err)
		}
		withKey, _ := hydra.NewAdmin(hydra.AdminConfig{AdminURL: adm.URL, APIKey: testkit.APIToken})
		if _, err := withKey.RevokeConsentSessions(ctx, "bob"); err != nil || fake.Active(bobs.RefreshToken) {
			t.Errorf("with key: %v", err)
		}
	})
	t.Run("one login session by sid", func(t *testing.T) {
		sid := fake.Login("carol")
		fake.Login("carol")
		if _, err := a.RevokeLoginSession(ctx, sid); err != nil || fake.LoginSessions("carol") != 1 {
			t.Errorf("err = %v, sessions = %d", err, fake.LoginSessions("carol"))
		}
		if _, err := a.RevokeLoginSession(ctx, sid); err != nil {
			t.Errorf("unknown sid: %v (Hydra's not-found body means nothing to end)", err)
		}
	})
}
