package dropbox_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
	"github.com/revokekit/revoke/internal/testkit"
)

func fakeDropbox(t *testing.T, cfg dropbox.Config) (*dropboxtest.Server, *dropbox.Revoker) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := dropboxtest.Register(mt, dropbox.DefaultBaseURL)
	fake.AddApp(appKey, appSecret)
	fake.AddApp("pkce-app-key", "")
	r, err := dropbox.New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	return fake, r
}

// TestRoundTrip revokes against the fake and checks the token state.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	t.Run("an access token ends its refresh token", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{})
		pair, other := fake.Issue(appKey, "dbid:1"), fake.Issue(appKey, "dbid:1")
		res, err := r.Revoke(ctx, revoke.Request{Token: pair.AccessToken})
		if err != nil || res.AlreadyInvalid || res.RequestID == "" {
			t.Fatalf("Revoke = %+v, %v", res, err)
		}
		if fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
			t.Error("the pair survived")
		}
		if !fake.Active(other.AccessToken) || !fake.Active(other.RefreshToken) {
			t.Error("another grant was revoked")
		}
		res, err = r.Revoke(ctx, revoke.Request{Token: pair.AccessToken})
		if d, _ := dropbox.Details(res); err != nil || !res.AlreadyInvalid || d.Tag != "invalid_access_token" {
			t.Errorf("second Revoke = %+v, %v", res, err)
		}
	})
	t.Run("a refresh token through the app, and its family", func(t *testing.T) {
		for _, cfg := range []dropbox.Config{{AppKey: appKey, AppSecret: appSecret}, {AppKey: "pkce-app-key"}} {
			fake, r := fakeDropbox(t, cfg)
			pair := fake.Issue(cfg.AppKey, "dbid:2")
			res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
			if d, _ := dropbox.Details(res); err != nil || !d.Exchanged || res.AlreadyInvalid {
				t.Fatalf("%s: Revoke = %+v, %v", cfg.AppKey, res, err)
			}
			if fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
				t.Errorf("%s: the pair survived", cfg.AppKey)
			}
			// Once more: /oauth2/token no longer honours it.
			res, err = r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
			if d, _ := dropbox.Details(res); err != nil || !res.AlreadyInvalid || d.Tag != "invalid_grant" {
				t.Errorf("%s: second Revoke = %+v, %v", cfg.AppKey, res, err)
			}
		}
	})
	t.Run("RevokeToken with an expired access token", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{AppKey: appKey, AppSecret: appSecret})
		pair := fake.Issue(appKey, "dbid:3")
		fake.Expire(pair.AccessToken)
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(pair.RefreshToken) {
			t.Error("the refresh token survived")
		}
		if n := len(fake.Requests()); n != 3 {
			t.Errorf("%d requests, want revoke, exchange, revoke", n)
		}
	})
	t.Run("RevokeToken with an expired access token, no app key", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{})
		pair := fake.Issue(appKey, "dbid:4")
		fake.Expire(pair.AccessToken)
		err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken})
		if !errors.Is(err, revoke.ErrUnsupported) || !fake.Active(pair.RefreshToken) {
			t.Fatalf("RevokeToken = %v; want ErrUnsupported, never a nil over a live refresh token", err)
		}
	})
	t.Run("a refresh token sent as an access token", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{})
		pair := fake.Issue(appKey, "dbid:5")
		res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken})
		// Dropbox cannot tell: invalid_access_token. The hint is how to say.
		if err != nil || !res.AlreadyInvalid || !fake.Active(pair.RefreshToken) {
			t.Fatalf("Revoke = %+v, %v", res, err)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{})
		fake.FailNext(1, dropboxtest.TooManyRequests(0))
		tok := fake.IssueLegacy(appKey, "dbid:6")
		res, err := r.Revoke(ctx, revoke.Request{Token: tok})
		if err != nil || res.Attempts != 2 || fake.Active(tok) {
			t.Fatalf("Revoke = %+v, %v", res, err)
		}
		fake.FailNext(1, dropboxtest.TooManyRequests(5*time.Minute))
		_, err = r.Revoke(ctx, revoke.Request{Token: fake.IssueLegacy(appKey, "dbid:6")})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter != 5*time.Minute || e.Code != "too_many_requests" {
			t.Fatalf("Revoke = %v", err)
		}
	})
	t.Run("wrong app secret", func(t *testing.T) {
		fake, r := fakeDropbox(t, dropbox.Config{AppKey: appKey, AppSecret: "wrong-secret-value"})
		pair := fake.Issue(appKey, "dbid:7")
		_, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
		if !errors.Is(err, revoke.ErrInvalidClient) || !fake.Active(pair.RefreshToken) {
			t.Fatalf("Revoke = %v", err)
		}
		testkit.NoLeak(t, "error", err.Error(), pair.RefreshToken, "wrong-secret-value")
	})
}
