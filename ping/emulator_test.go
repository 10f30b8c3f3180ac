package ping_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// TestEmulatorFederate revokes against the PingFederate fake.
func TestEmulatorFederate(t *testing.T) {
	fake := pingtest.NewFederate()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key := testkit.ECKey(t)
	fake.AddClient(revoketest.Client{ID: "web", Secret: testkit.Secret})
	fake.AddClient(revoketest.Client{ID: "svc", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "spa", Method: revoke.MethodNone})
	ctx := context.Background()
	for _, auth := range []revoke.ClientAuth{
		revoke.ClientSecretBasic("web", testkit.Secret), revoke.ClientSecretPost("web", testkit.Secret), revoke.ClientCredentials("web", testkit.Secret),
		revoke.PrivateKeyJWT("svc", key), revoke.PublicClient("spa"),
	} {
		r, err := ping.NewFederate(ping.FederateConfig{BaseURL: srv.URL, Auth: auth}, testkit.FastRetry())
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue(auth.ClientID(), "alice")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken}); err != nil || fake.Active(p.AccessToken) || !fake.Active(p.RefreshToken) {
			t.Errorf("%s, access token: %v; the refresh token must live on", auth.Method(), err)
		}
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil || fake.Active(p.RefreshToken) {
			t.Errorf("%s, pair: %v", auth.Method(), err)
		}
	}
	r, _ := ping.NewFederate(ping.FederateConfig{BaseURL: srv.URL, Auth: revoke.ClientSecretBasic("web", testkit.Secret)})
	jwt := fake.IssueJWT("web", "bob")
	if _, err := r.Revoke(ctx, revoke.Request{Token: jwt.AccessToken}); !errors.Is(err, revoke.ErrUnsupportedTokenType) || !fake.Active(jwt.AccessToken) {
		t.Errorf("JWT access token: %v", err)
	}
	if err := r.RevokeToken(ctx, &oauth2.Token{AccessToken: jwt.AccessToken, RefreshToken: jwt.RefreshToken}); err != nil || fake.Active(jwt.AccessToken) {
		t.Errorf("the refresh token ends the JWT: %v", err)
	}
	other := fake.Issue("spa", "carol")
	if _, err := r.Revoke(ctx, revoke.Request{Token: other.AccessToken}); !errors.Is(err, revoke.ErrUnauthorizedClient) {
		t.Errorf("another client's token: %v", err)
	}
	bad, _ := ping.NewFederate(ping.FederateConfig{BaseURL: srv.URL, Auth: revoke.ClientSecretBasic("web", "wrong-secret")})
	if _, err := bad.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
		t.Errorf("wrong secret: %v", err)
	}
}

// TestEmulatorOne revokes against the PingOne fake, by AuthURL and by
// custom domain.
func TestEmulatorOne(t *testing.T) {
	fake := pingtest.NewOne(envID)
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key := testkit.ECKey(t)
	fake.AddClient(revoketest.Client{ID: "basic-app", Secret: testkit.Secret, Method: revoke.MethodClientSecretBasic})
	fake.AddClient(revoketest.Client{ID: "hmac-app", Secret: testkit.HMACSecret, Method: revoke.MethodClientSecretJWT})
	fake.AddClient(revoketest.Client{ID: "key-app", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "spa", Method: revoke.MethodNone})
	ctx := context.Background()
	for _, cfg := range []ping.OneConfig{
		{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.ClientSecretBasic("basic-app", testkit.Secret)},
		{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.ClientSecretJWT("hmac-app", testkit.HMACSecret)},
		{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.PrivateKeyJWT("key-app", key)},
		{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.PrivateKeyJWT("key-app", key, revoke.WithAudience(revoke.AudienceTokenEndpoint))},
		{CustomDomain: srv.URL, Auth: revoke.PublicClient("spa")},
	} {
		r, err := ping.NewOne(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue(cfg.Auth.ClientID(), "alice")
		if err := r.RevokeToken(ctx, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil || fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
	r, _ := ping.NewOne(ping.OneConfig{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.ClientSecretBasic("basic-app", testkit.Secret)})
	cc := fake.IssueClientCredentials("basic-app")
	if _, err := r.Revoke(ctx, revoke.Request{Token: cc}); !errors.Is(err, revoke.ErrUnsupportedTokenType) || !fake.Active(cc) {
		t.Errorf("client_credentials token: %v", err)
	}
	wrongMethod, _ := ping.NewOne(ping.OneConfig{EnvironmentID: envID, AuthURL: srv.URL, Auth: revoke.ClientSecretPost("basic-app", testkit.Secret)})
	if _, err := wrongMethod.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
		t.Errorf("method other than tokenEndpointAuthMethod: %v", err)
	}
	otherEnv, _ := ping.NewOne(ping.OneConfig{EnvironmentID: "00000000-0000-0000-0000-000000000000", AuthURL: srv.URL, Auth: revoke.PublicClient("spa")})
	var e *revoke.Error
	if _, err := otherEnv.Revoke(ctx, revoke.Request{Token: token}); !errors.As(err, &e) || !errors.Is(err, revoke.ErrNotFound) || e.Code != "NOT_FOUND" || e.RequestID == "" {
		t.Errorf("unknown environment: %v", err)
	}
}

// TestEmulatorAM revokes against the PingAM fake: client_id always in the
// body, realms, 400 invalid_client.
func TestEmulatorAM(t *testing.T) {
	fake := pingtest.NewAM()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key := testkit.ECKey(t)
	fake.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: testkit.Secret})
	fake.AddClient("alpha", revoketest.Client{ID: "jwtClient", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient("alpha/customers", revoketest.Client{ID: "public", Method: revoke.MethodNone})
	fake.AddClient("", revoketest.Client{ID: "rootClient", Secret: testkit.Secret})
	ctx := context.Background()
	for _, cfg := range []ping.AMConfig{
		{BaseURL: srv.URL, Realm: "alpha", Auth: revoke.ClientSecretBasic("myClient", testkit.Secret)},
		{BaseURL: srv.URL + "/openam", Realm: "alpha", Auth: revoke.ClientSecretPost("myClient", testkit.Secret)},
		{BaseURL: srv.URL, Realm: "alpha", Auth: revoke.ClientCredentials("myClient", testkit.Secret)},
		{BaseURL: srv.URL, Realm: "alpha", Auth: revoke.PrivateKeyJWT("jwtClient", key)},
		{BaseURL: srv.URL, Realm: "alpha/customers", Auth: revoke.PublicClient("public")},
		{BaseURL: srv.URL, Auth: revoke.ClientSecretBasic("rootClient", testkit.Secret)},
	} {
		r, err := ping.NewAM(cfg)
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue(cfg.Auth.ClientID(), "bjensen")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken})
		if err != nil || res.StatusCode != 200 || fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Errorf("%+v: %+v, %v", cfg, res, err)
		}
	}
	reqs := fake.Requests()
	for _, rec := range reqs {
		if rec.Form.Get("client_id") == "" || rec.Status != 200 {
			t.Errorf("request %+v lacks client_id or failed", rec)
		}
	}
	wrongRealm, _ := ping.NewAM(ping.AMConfig{BaseURL: srv.URL, Realm: "bravo", Auth: revoke.ClientSecretBasic("myClient", testkit.Secret)})
	var e *revoke.Error
	if _, err := wrongRealm.Revoke(ctx, revoke.Request{Token: token}); !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 400 || e.Description != pingtest.DescAMInvalidClient {
		t.Errorf("wrong realm: %v", err)
	}
	fake.FailNext(1, revoketest.ServiceUnavailable(0))
	r, _ := ping.NewAM(ping.AMConfig{BaseURL: srv.URL, Realm: "alpha", Auth: revoke.ClientSecretBasic("myClient", testkit.Secret)}, testkit.FastRetry())
	if res, err := r.Revoke(ctx, revoke.Request{Token: token}); err != nil || res.Attempts != 2 {
		t.Errorf("outage: %+v, %v", res, err)
	}
}
