package zitadel_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

// TestEmulatorRoundTrip revokes through the adapter against the ZITADEL
// fake over real HTTP in every mode, checking token state.
func TestEmulatorRoundTrip(t *testing.T) {
	fake := zitadeltest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key := testkit.RSAKey(t)
	fake.AddClient(revoketest.Client{ID: "web@proj", Secret: testkit.Secret})
	fake.AddClient(revoketest.Client{ID: "api@proj", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "spa@proj", Method: revoke.MethodNone})
	ctx := context.Background()
	newR := func(t *testing.T, auth revoke.ClientAuth, opts ...revoke.Option) *zitadel.Revoker {
		t.Helper()
		r, err := zitadel.New(zitadel.Config{Domain: srv.URL, Auth: auth}, append(opts, testkit.FastRetry())...)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, tc := range []struct {
		name string
		auth revoke.ClientAuth
	}{
		{"Basic, form-encoded", revoke.ClientSecretBasic("web@proj", testkit.Secret)},
		{"Post", revoke.ClientSecretPost("web@proj", testkit.Secret)},
		{"private_key_jwt, aud = issuer", revoke.PrivateKeyJWT("api@proj", key, revoke.WithKeyID("k1"))},
		{"None", revoke.PublicClient("spa@proj")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newR(t, tc.auth)
			p := fake.Issue(tc.auth.ClientID(), "alice")
			// The access token alone: its refresh token lives on.
			if _, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken}); err != nil {
				t.Fatal(err)
			}
			if fake.Active(p.AccessToken) || !fake.Active(p.RefreshToken) {
				t.Errorf("after the access token: active %v %v; want false true", fake.Active(p.AccessToken), fake.Active(p.RefreshToken))
			}
			q := fake.Issue(tc.auth.ClientID(), "alice")
			if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: q.AccessToken, RefreshToken: q.RefreshToken}); err != nil {
				t.Fatal(err)
			}
			if fake.Active(q.AccessToken) || fake.Active(q.RefreshToken) {
				t.Error("a token of the pair survived")
			}
		})
	}
	t.Run("Discover", func(t *testing.T) {
		r, err := zitadel.Discover(ctx, srv.URL, revoke.PrivateKeyJWT("api@proj", key))
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue("api@proj", "bob")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil || fake.Active(p.AccessToken) {
			t.Errorf("err = %v, active = %v", err, fake.Active(p.AccessToken))
		}
	})
	t.Run("confidential application sending client_id alone", func(t *testing.T) {
		r := newR(t, revoke.PublicClient("web@proj"))
		_, err := r.Revoke(ctx, revoke.Request{Token: token})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.Description != zitadeltest.DescInvalidAuthorization || e.StatusCode != 401 {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("assertion with the wrong audience: 500 read as invalid client", func(t *testing.T) {
		r := newR(t, revoke.PrivateKeyJWT("api@proj", key, revoke.WithAudienceValue(srv.URL+"/oauth/v2/token")))
		p := fake.Issue("api@proj", "carol")
		_, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 500 || e.Code != "server_error" || !fake.Active(p.AccessToken) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("instance without private_key_jwt", func(t *testing.T) {
		fake.DisablePrivateKeyJWT = true
		defer func() { fake.DisablePrivateKeyJWT = false }()
		r := newR(t, revoke.PrivateKeyJWT("api@proj", key))
		if _, err := r.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("another application's token", func(t *testing.T) {
		r := newR(t, revoke.PublicClient("spa@proj"))
		p := fake.Issue("web@proj", "dave")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); !errors.Is(err, revoke.ErrUnauthorizedClient) || !fake.Active(p.RefreshToken) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("wrong secret, outage", func(t *testing.T) {
		r := newR(t, revoke.ClientSecretBasic("web@proj", "wrong-secret"))
		if _, err := r.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("err = %v", err)
		}
		fake.FailNext(1, revoketest.ServiceUnavailable(0))
		r = newR(t, revoke.PublicClient("spa@proj"))
		if res, err := r.Revoke(ctx, revoke.Request{Token: token}); err != nil || res.Attempts != 2 {
			t.Errorf("res = %+v, err = %v", res, err)
		}
	})
}
