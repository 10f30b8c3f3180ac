package github_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// fakeGitHub starts a fake at https://api.github.com on a mock transport
// with the test app registered.
func fakeGitHub(t *testing.T) (*githubtest.Server, []revoke.Option) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := githubtest.Register(mt, github.DefaultBaseURL)
	fake.AddApp(clientID, secret)
	return fake, []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
}

func mustNew(t *testing.T, cfg github.Config, opts []revoke.Option) *github.Revoker {
	t.Helper()
	if cfg.ClientID == "" {
		cfg.ClientID, cfg.ClientSecret = clientID, secret
	}
	r, err := github.New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRoundTrip revokes against the fake and checks the token state.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	t.Run("token", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		r := mustNew(t, github.Config{}, opts)
		tok, other := fake.Issue(clientID, "octocat"), fake.Issue(clientID, "octocat")
		res, err := r.Revoke(ctx, revoke.Request{Token: tok})
		if err != nil || res.StatusCode != 204 || res.AlreadyInvalid {
			t.Fatalf("Revoke = %+v, %v; want 204", res, err)
		}
		if fake.Active(tok) || !fake.Active(other) {
			t.Errorf("after Revoke: revoked token active %v, other token active %v; want false, true", fake.Active(tok), fake.Active(other))
		}
		d, ok := github.Details(res)
		if !ok || d.RateLimitResource != "core" || d.RateLimitUsed != 1 || res.RateLimit == nil || res.RateLimit.Limit != 5000 || res.RateLimit.Remaining != 4999 {
			t.Errorf("details %+v, %v, rate limit %+v", d, ok, res.RateLimit)
		}
		if res.RequestID == "" {
			t.Error("no request ID")
		}
		// Again: GitHub no longer knows it.
		_, err = r.Revoke(ctx, revoke.Request{Token: tok})
		if !errors.Is(err, revoke.ErrNotFound) || !strings.Contains(err.Error(), "NotFoundIsAlreadyInvalid") {
			t.Errorf("second Revoke = %v; want ErrNotFound naming the option", err)
		}
		lenient := mustNew(t, github.Config{ClientID: clientID, ClientSecret: secret, NotFoundIsAlreadyInvalid: true}, opts)
		res, err = lenient.Revoke(ctx, revoke.Request{Token: tok})
		if err != nil || !res.AlreadyInvalid || res.StatusCode != 404 {
			t.Errorf("second Revoke with NotFoundIsAlreadyInvalid = %+v, %v; want already invalid", res, err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		tok := fake.Issue(clientID, "octocat")
		r := mustNew(t, github.Config{ClientID: clientID, ClientSecret: "wrong-secret-0123456789"}, opts)
		_, err := r.Revoke(ctx, revoke.Request{Token: tok})
		if !errors.Is(err, revoke.ErrNotFound) || !strings.Contains(err.Error(), "client ID or secret is wrong") {
			t.Errorf("Revoke = %v; want ErrNotFound explaining both readings", err)
		}
		fake.BadCredentialsStatus = http.StatusUnauthorized
		_, err = r.Revoke(ctx, revoke.Request{Token: tok})
		if !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("Revoke with 401 = %v; want ErrInvalidClient", err)
		}
		if !fake.Active(tok) {
			t.Error("token revoked with a wrong secret")
		}
	})
	t.Run("another app's token", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		fake.AddApp("Iv1.other", "other-secret-0123456789")
		tok := fake.Issue("Iv1.other", "octocat")
		_, err := mustNew(t, github.Config{}, opts).Revoke(ctx, revoke.Request{Token: tok})
		if !errors.Is(err, revoke.ErrNotFound) || !fake.Active(tok) {
			t.Errorf("Revoke = %v, active %v; want ErrNotFound and the token alive", err, fake.Active(tok))
		}
	})
	t.Run("grant", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		r := mustNew(t, github.Config{}, opts)
		a, b, pair := fake.Issue(clientID, "octocat"), fake.Issue(clientID, "octocat"), fake.IssuePair(clientID, "octocat")
		bystander := fake.Issue(clientID, "hubot")
		if _, err := r.RevokeGrant(ctx, revoke.Request{Token: a}); err != nil {
			t.Fatal(err)
		}
		for name, tok := range map[string]string{"a": a, "b": b, "pair access": pair.AccessToken, "pair refresh": pair.RefreshToken} {
			if fake.Active(tok) {
				t.Errorf("%s still active after the grant was deleted", name)
			}
		}
		if !fake.Active(bystander) {
			t.Error("another user's token was revoked")
		}
	})
	t.Run("RevokeToken, access token alone", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		r := mustNew(t, github.Config{}, opts)
		a, b := fake.Issue(clientID, "octocat"), fake.Issue(clientID, "octocat")
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: a}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(a) || !fake.Active(b) {
			t.Error("RevokeToken of an access token alone must delete that token only")
		}
		if got := fake.Requests(); len(got) != 1 || !strings.HasSuffix(got[0].Path, "/token") {
			t.Errorf("requests %v, want one token deletion", got)
		}
	})
	t.Run("RevokeToken, GitHub App pair", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		r := mustNew(t, github.Config{}, opts)
		pair := fake.IssuePair(clientID, "octocat")
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
			t.Error("the pair survived RevokeToken")
		}
		if got := fake.Requests(); len(got) != 1 || !strings.HasSuffix(got[0].Path, "/grant") {
			t.Errorf("requests %v, want one grant deletion", got)
		}
	})
	t.Run("Grants and RevokeToken", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		g := mustNew(t, github.Config{}, opts).Grants()
		a, b := fake.Issue(clientID, "octocat"), fake.Issue(clientID, "octocat")
		if err := revoke.RevokeToken(ctx, g, &oauth2.Token{AccessToken: a}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(a) || fake.Active(b) {
			t.Error("Grants().RevokeToken must delete the grant")
		}
	})
	t.Run("Enterprise Server", func(t *testing.T) {
		fake := githubtest.New()
		fake.PathPrefix = "/api/v3"
		fake.AddApp(clientID, secret)
		srv := httptest.NewServer(fake)
		defer srv.Close()
		r := mustNew(t, github.Config{ClientID: clientID, ClientSecret: secret, BaseURL: srv.URL + "/api/v3"}, nil)
		tok := fake.Issue(clientID, "octocat")
		if _, err := r.Revoke(ctx, revoke.Request{Token: tok}); err != nil || fake.Active(tok) {
			t.Fatalf("Revoke = %v, active %v", err, fake.Active(tok))
		}
		if got := fake.Requests()[0].Path; got != "/api/v3/applications/"+clientID+"/token" {
			t.Errorf("path %s", got)
		}
	})
	t.Run("rate limit: the pacer holds the call back", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		fake.AppLimit = 1
		r := mustNew(t, github.Config{}, opts)
		a, b := fake.Issue(clientID, "octocat"), fake.Issue(clientID, "octocat")
		if _, err := r.Revoke(ctx, revoke.Request{Token: a}); err != nil {
			t.Fatal(err)
		}
		_, err := r.Revoke(ctx, revoke.Request{Token: b})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter < 50*time.Minute || e.StatusCode != 0 {
			t.Fatalf("second Revoke = %v; want ErrRateLimited with an hour's RetryAfter and nothing sent", err)
		}
		if n := len(fake.Requests()); n != 1 {
			t.Errorf("%d requests reached GitHub, want 1", n)
		}
		// A Revoker that has not seen the window learns it from the 403.
		fresh := mustNew(t, github.Config{}, opts)
		_, err = fresh.Revoke(ctx, revoke.Request{Token: b})
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.StatusCode != 403 || e.RetryAfter < 50*time.Minute {
			t.Fatalf("fresh Revoke = %v; want GitHub's 403 as ErrRateLimited", err)
		}
		if !fake.Active(b) {
			t.Error("revoked over the limit")
		}
	})
	t.Run("secondary rate limit", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		fake.FailNext(1, githubtest.SecondaryRateLimit(2*time.Minute))
		tok := fake.Issue(clientID, "octocat")
		_, err := mustNew(t, github.Config{}, opts).Revoke(ctx, revoke.Request{Token: tok})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter != 2*time.Minute {
			t.Fatalf("Revoke = %v; want ErrRateLimited after 2m", err)
		}
	})
	t.Run("429 retried", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		fake.FailNext(1, revoketest.RateLimited(http.Header{"Retry-After": {"0"}}))
		tok := fake.Issue(clientID, "octocat")
		res, err := mustNew(t, github.Config{}, opts).Revoke(ctx, revoke.Request{Token: tok})
		if err != nil || res.Attempts != 2 || fake.Active(tok) {
			t.Fatalf("Revoke = %+v, %v; want success on the second attempt", res, err)
		}
	})
}

// TestCredentialsRoundTrip revokes leaked credentials against the fake,
// in batches, within and past the hour's budget.
func TestCredentialsRoundTrip(t *testing.T) {
	ctx := context.Background()
	issue := func(fake *githubtest.Server, n int) []string {
		out := make([]string, n)
		for i := range out {
			switch i % 3 {
			case 0:
				out[i] = fake.IssuePAT("octocat")
			case 1:
				out[i] = fake.Issue(clientID, "octocat")
			default:
				out[i] = fake.IssuePair(clientID, "hubot").RefreshToken
			}
		}
		return out
	}
	t.Run("three batches", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		tokens := issue(fake, 2500)
		cr, err := github.NewCredentialRevoker(github.CredentialsConfig{}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		report, err := cr.RevokeCredentials(ctx, tokens)
		if err != nil {
			t.Fatal(err)
		}
		if report.Accepted() != 2500 || len(report.Batches) != 3 || report.Batches[2].First != 2000 || report.Batches[2].Count != 500 {
			t.Errorf("report: accepted %d, batches %+v", report.Accepted(), report.Batches)
		}
		for i, tok := range tokens {
			if fake.Active(tok) {
				t.Fatalf("tokens[%d] still active", i)
			}
		}
		for _, rec := range fake.Requests() {
			if rec.Header.Get("Authorization") != "" {
				t.Error("an Authorization header was sent to /credentials/revoke")
			}
		}
		if len(report.NotAccepted(tokens)) != 0 {
			t.Error("NotAccepted after full success")
		}
		testkit.NoLeak(t, "report", testkit.PrintAll(report), tokens[:5]...)
	})
	t.Run("past the hour's budget", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		fake.CredentialsLimit = 2
		tokens := issue(fake, 3500)
		cr, err := github.NewCredentialRevoker(github.CredentialsConfig{}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		report, err := cr.RevokeCredentials(ctx, tokens)
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter < 50*time.Minute {
			t.Fatalf("RevokeCredentials = %v; want ErrRateLimited with RetryAfter", err)
		}
		for _, want := range []string{"batch 3 of 4 (credentials 2000 to 2999) was not sent", "batches 1 to 2 (2000 credentials) were accepted", "batches 4 to 4 were not sent"} {
			if !strings.Contains(e.Description, want) {
				t.Errorf("description %q lacks %q", e.Description, want)
			}
		}
		if report.Accepted() != 2000 || report.Batches[2].Sent() || report.Batches[3].Sent() || !report.Batches[1].Sent() {
			t.Errorf("report %+v", report.Batches)
		}
		rest := report.NotAccepted(tokens)
		if len(rest) != 1500 || rest[0] != tokens[2000] {
			t.Errorf("NotAccepted: %d credentials", len(rest))
		}
		if n := len(fake.Requests()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
		if fake.Active(tokens[1999]) || !fake.Active(tokens[2000]) {
			t.Error("token state does not match the report")
		}
		testkit.NoLeak(t, "error", err.Error(), rest[:10]...)
	})
	t.Run("Enterprise Server authenticates", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		fake := githubtest.Register(mt, ghesBase)
		fake.PathPrefix, fake.Enterprise = "/api/v3", true
		admin := fake.IssuePAT("site-admin")
		leaked := fake.IssuePAT("octocat")
		opts := []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
		cr, err := github.NewCredentialRevoker(github.CredentialsConfig{BaseURL: ghesBase, Token: admin}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cr.Revoke(ctx, revoke.Request{Token: leaked}); err != nil || fake.Active(leaked) {
			t.Fatalf("Revoke = %v, active %v", err, fake.Active(leaked))
		}
		anon, err := github.NewCredentialRevoker(github.CredentialsConfig{BaseURL: ghesBase}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		other := fake.IssuePAT("hubot")
		if _, err := anon.Revoke(ctx, revoke.Request{Token: other}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("unauthenticated Revoke on Enterprise = %v; want ErrInvalidClient", err)
		}
	})
	t.Run("an Authorization header added by the transport", func(t *testing.T) {
		fake, opts := fakeGitHub(t)
		_ = opts
		mt := httpmock.NewMockTransport()
		fake.Register(mt, github.DefaultBaseURL)
		meddling := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+testkit.APIToken)
			return mt.RoundTrip(r)
		})}
		cr, err := github.NewCredentialRevoker(github.CredentialsConfig{}, revoke.WithHTTPClient(meddling))
		if err != nil {
			t.Fatal(err)
		}
		_, err = cr.Revoke(ctx, revoke.Request{Token: fake.IssuePAT("octocat")})
		if !errors.Is(err, revoke.ErrForbidden) || !strings.Contains(err.Error(), "adds one") {
			t.Errorf("Revoke = %v; want ErrForbidden explaining the header", err)
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
