package wso2_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// postSecret holds ':' (client_secret_post carries it; Basic cannot).
const postSecret = "sec:ret-value"

// TestEmulatorRoundTrip revokes through the adapter against the WSO2 fake
// over real HTTP in every mode, checking token state and the details.
func TestEmulatorRoundTrip(t *testing.T) {
	fake := wso2test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "basic-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: postSecret})
	fake.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	fake.AddClient(revoketest.Client{ID: "implicit-app", Secret: "never-sent-secret"})
	fake.AddTenantClient("wso2.com", revoketest.Client{ID: "tenant-app", Secret: secret})

	newR := func(t *testing.T, cfg wso2.Config) *wso2.Revoker {
		t.Helper()
		cfg.BaseURL = srv.URL
		r, err := wso2.New(cfg, testkit.FastRetry())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ctx := context.Background()

	t.Run("raw Basic, access token takes its refresh token", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("basic-app", "alice")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Error("a token of the pair is still active")
		}
		d := details(t, res)
		if !d.Found() || d.RevokedAccessToken.Reveal() != p.AccessToken || d.RevokedRefreshToken.Reveal() != p.RefreshToken || d.AuthorizedUser != "alice@carbon.super" {
			t.Errorf("details = %+v (AT %v RT %v)", d, d.RevokedAccessToken.Reveal() == p.AccessToken, d.RevokedRefreshToken.Reveal() == p.RefreshToken)
		}
		// Again: 200, nothing found.
		res, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if err != nil || details(t, res).Found() || details(t, res).AuthorizedUser != "" {
			t.Errorf("second revoke = %+v, %v; want 200 and nothing found", res, err)
		}
	})
	t.Run("client_secret_post with ':' in the secret, both tokens", func(t *testing.T) {
		r := newR(t, wso2.Config{Auth: revoke.ClientSecretPost("post-app", postSecret)})
		p := fake.Issue("post-app", "bob")
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Error("a token is still active")
		}
	})
	t.Run("ClientCredentials with ':' in the secret", func(t *testing.T) {
		r := newR(t, wso2.Config{Auth: revoke.ClientCredentials("post-app", postSecret)})
		p := fake.Issue("post-app", "bob")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) {
			t.Error("token still active")
		}
	})
	t.Run("ClientIDOnly on an implicit-grant token", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "implicit-app", ClientIDOnly: true})
		at := fake.IssueImplicit("implicit-app", "carol")
		res, err := r.Revoke(ctx, revoke.Request{Token: at, Hint: revoke.HintAccessToken})
		if err != nil {
			t.Fatal(err)
		}
		d := details(t, res)
		if fake.Active(at) || d.RevokedAccessToken.Reveal() != at || d.RevokedRefreshToken != "" || d.AuthorizedUser != "carol@carbon.super" {
			t.Errorf("implicit token: active %v, details %+v", fake.Active(at), d)
		}
		// The same client cannot revoke an ordinary token without its secret.
		p := fake.Issue("implicit-app", "carol")
		_, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 401 || e.Description != wso2test.DescAuthFailed {
			t.Errorf("secret-less revoke of an ordinary token: %v", err)
		}
		if !fake.Active(p.AccessToken) {
			t.Error("ordinary token revoked without the secret")
		}
	})
	t.Run("ClientIDOnly for a public client", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "spa", ClientIDOnly: true})
		p := fake.Issue("spa", "dave")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) {
			t.Error("token still active")
		}
	})
	t.Run("tenant path", func(t *testing.T) {
		r := newR(t, wso2.Config{Tenant: "wso2.com", ClientID: "tenant-app", ClientSecret: secret})
		p := fake.Issue("tenant-app", "erin")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || details(t, res).AuthorizedUser != "erin@wso2.com" {
			t.Errorf("tenant revoke: active %v, user %q", fake.Active(p.AccessToken), details(t, res).AuthorizedUser)
		}
		// The tenant's app does not exist in the super tenant.
		wrong := newR(t, wso2.Config{ClientID: "tenant-app", ClientSecret: secret})
		if _, err := wrong.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("tenant app at the super tenant: %v", err)
		}
	})
	t.Run("another client's access token", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("post-app", "frank")
		_, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if !errors.Is(err, revoke.ErrUnauthorizedClient) || !fake.Active(p.AccessToken) {
			t.Errorf("err = %v, active = %v; want unauthorized_client and the token untouched", err, fake.Active(p.AccessToken))
		}
	})
	t.Run("another client's refresh token is not found", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("post-app", "gina")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken})
		if err != nil || details(t, res).Found() || !fake.Active(p.RefreshToken) {
			t.Errorf("res = %+v, err = %v, active = %v; want 200, nothing found, the token untouched", res, err, fake.Active(p.RefreshToken))
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "basic-app", ClientSecret: "wrong-secret"})
		_, err := r.Revoke(ctx, revoke.Request{Token: token})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.Code != "invalid_client" || e.Description != wso2test.DescAuthFailed || e.Excerpt != "" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("encoded Basic would fail, so New refuses it", func(t *testing.T) {
		// What the fake says to RFC 6749 §2.3.1 encoding, for the record:
		// it does not decode, so the secret does not match.
		_, err := wso2.New(wso2.Config{BaseURL: srv.URL, Auth: revoke.ClientSecretBasic("basic-app", secret)})
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "ClientSecretBasicRaw") {
			t.Errorf("New = %v", err)
		}
	})
	t.Run("outage then success", func(t *testing.T) {
		r := newR(t, wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("basic-app", "hal")
		fake.FailNext(1, revoketest.ServiceUnavailable(0))
		res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if err != nil || res.Attempts != 2 || fake.Active(p.AccessToken) {
			t.Errorf("res = %+v, err = %v; want success after 2 attempts", res, err)
		}
	})
}

// TestRevokeTokenPair: revoke.RevokeToken revokes the refresh token, then
// the access token; WSO2 ends both with the first call and answers 200,
// finding nothing, to the second.
func TestRevokeTokenPair(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := wso2test.Register(mt, base)
	fake.AddClient(revoketest.Client{ID: "app", Secret: secret})
	p := fake.Issue("app", "alice")
	r, err := wso2.New(wso2.Config{BaseURL: base, ClientID: "app", ClientSecret: secret}, revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
		t.Error("a token of the pair is still active")
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	if reqs[0].Form.Get("token") != p.RefreshToken || reqs[0].Form.Get("token_type_hint") != "refresh_token" ||
		reqs[1].Form.Get("token") != p.AccessToken || reqs[1].Form.Get("token_type_hint") != "access_token" {
		t.Error("want the refresh token, then the access token")
	}
	if reqs[0].Status != 200 || reqs[1].Status != 200 {
		t.Errorf("statuses %d, %d; want 200, 200", reqs[0].Status, reqs[1].Status)
	}
}
