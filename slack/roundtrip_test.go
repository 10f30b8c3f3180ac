package slack_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

func fakeSlack(t *testing.T, cfg slack.Config) (*slacktest.Server, *slack.Revoker) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := slacktest.Register(mt, "https://slack.com")
	r, err := slack.New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	return fake, r
}

// TestRoundTrip revokes against the fake and checks the token state.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	t.Run("user and bot tokens", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		user, bot, bystander := fake.IssueUserToken("U0123"), fake.IssueBotToken("B0456"), fake.IssueUserToken("U0789")
		for _, tok := range []string{user, bot} {
			res, err := r.Revoke(ctx, revoke.Request{Token: tok})
			d, _ := slack.Details(res)
			if err != nil || !d.Revoked || res.AlreadyInvalid || fake.Active(tok) {
				t.Fatalf("Revoke = %+v, %v, details %+v; active %v", res, err, d, fake.Active(tok))
			}
			if res.RequestID == "" {
				t.Error("no request ID")
			}
		}
		if !fake.Active(bystander) {
			t.Error("another token was revoked")
		}
		// Again: Slack says the token is revoked.
		res, err := r.Revoke(ctx, revoke.Request{Token: user})
		d, _ := slack.Details(res)
		if err != nil || !res.AlreadyInvalid || d.Error != "token_revoked" || d.Revoked {
			t.Errorf("second Revoke = %+v, %v, %+v; want already invalid", res, err, d)
		}
	})
	t.Run("already invalid, every way", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		expired, inactive := fake.IssueUserToken("U1"), fake.IssueUserToken("U2")
		fake.Expire(expired)
		fake.Deactivate(inactive)
		for tok, code := range map[string]string{expired: "token_expired", inactive: "account_inactive"} {
			res, err := r.Revoke(ctx, revoke.Request{Token: tok})
			d, _ := slack.Details(res)
			if err != nil || !res.AlreadyInvalid || d.Error != code {
				t.Errorf("Revoke = %+v, %v, %+v; want already invalid with %s", res, err, d, code)
			}
		}
		// invalid_auth may be a live token called from a disallowed IP
		// address: an error, unless the caller says there is no IP
		// restriction.
		if res, err := r.Revoke(ctx, revoke.Request{Token: "xoxp-never-issued-0123"}); !errors.Is(err, revoke.ErrInvalidToken) || res != nil {
			t.Errorf("unknown token: %+v, %v; want an error matching ErrInvalidToken", res, err)
		}
		_, trusting := fakeSlack(t, slack.Config{InvalidAuthIsAlreadyInvalid: true})
		res, err := trusting.Revoke(ctx, revoke.Request{Token: "xoxp-never-issued-0123"})
		if d, _ := slack.Details(res); err != nil || !res.AlreadyInvalid || d.Error != "invalid_auth" {
			t.Errorf("unknown token, InvalidAuthIsAlreadyInvalid: %+v, %v; want already invalid", res, err)
		}
	})
	t.Run("dry run", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{Test: true})
		tok := fake.IssueUserToken("U0123")
		res, err := r.Revoke(ctx, revoke.Request{Token: tok})
		d, _ := slack.Details(res)
		if err != nil || !d.DryRun || d.Revoked || !fake.Active(tok) {
			t.Fatalf("dry run = %+v, %v, %+v; active %v", res, err, d, fake.Active(tok))
		}
		if f := fake.Requests()[0].Form; f.Get("test") != "1" {
			t.Errorf("form %v", f)
		}
		// One real call through Params.
		if _, err := r.Revoke(ctx, revoke.Request{Token: tok, Params: url.Values{"test": {"0"}}}); err != nil || fake.Active(tok) {
			t.Errorf("real call: %v, active %v", err, fake.Active(tok))
		}
	})
	t.Run("refresh token as bearer", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		pair := fake.Issue("slack-app", "U0123")
		_, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken})
		if !errors.Is(err, revoke.ErrUnsupportedTokenType) {
			t.Errorf("Revoke(refresh token) = %v; want ErrUnsupportedTokenType, never a success", err)
		}
	})
	t.Run("RevokeToken, rotating pair", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		pair := fake.Issue("slack-app", "U0123")
		err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken})
		if !errors.Is(err, revoke.ErrUnsupported) || fake.Active(pair.AccessToken) {
			t.Errorf("RevokeToken = %v, access active %v", err, fake.Active(pair.AccessToken))
		}
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("rate limited, retried", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		fake.FailNext(1, slacktest.RateLimited(0))
		tok := fake.IssueUserToken("U0123")
		res, err := r.Revoke(ctx, revoke.Request{Token: tok})
		if err != nil || res.Attempts != 2 || fake.Active(tok) {
			t.Fatalf("Revoke = %+v, %v", res, err)
		}
	})
	t.Run("rate limited past the cap", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		fake.FailNext(1, slacktest.RateLimited(45*time.Second))
		_, err := r.Revoke(ctx, revoke.Request{Token: fake.IssueUserToken("U0123")})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter != 45*time.Second || e.Code != "ratelimited" {
			t.Fatalf("Revoke = %v", err)
		}
	})
	t.Run("injected Slack errors", func(t *testing.T) {
		fake, r := fakeSlack(t, slack.Config{})
		for code, kind := range map[string]error{"internal_error": revoke.ErrServer, "service_unavailable": revoke.ErrUnavailable, "no_permission": revoke.ErrForbidden} {
			fake.FailNext(1, slacktest.Error(code))
			tok := fake.IssueUserToken("U0123")
			if _, err := r.Revoke(ctx, revoke.Request{Token: tok}); !errors.Is(err, kind) || !fake.Active(tok) {
				t.Errorf("%s: %v", code, err)
			}
		}
		fake.FailNext(1, revoketest.ServiceUnavailable(0))
		if _, err := r.Revoke(ctx, revoke.Request{Token: fake.IssueUserToken("U0123")}); err != nil {
			t.Errorf("503 then success: %v", err)
		}
	})
}
