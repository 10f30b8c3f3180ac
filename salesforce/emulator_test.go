package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/salesforce"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
)

// TestEmulatorRoundTrip revokes through the adapter against the Salesforce
// fake over real HTTP, checking token state.
func TestEmulatorRoundTrip(t *testing.T) {
	fake := salesforcetest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	ctx := context.Background()
	r, err := salesforce.New(salesforce.Config{URL: srv.URL}, testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}

	p := fake.Issue("3MVG9-app", "005-alice")
	res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken})
	if err != nil || res.AlreadyInvalid || fake.Active(p.AccessToken) || !fake.Active(p.RefreshToken) {
		t.Errorf("access token: %+v, %v; the refresh token must live on", res, err)
	}
	res, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
	if err != nil || !res.AlreadyInvalid || res.StatusCode != 400 {
		t.Errorf("again: %+v, %v; want AlreadyInvalid from 400 invalid_token", res, err)
	}
	res, err = r.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
	if err != nil || res.AlreadyInvalid || fake.Active(p.RefreshToken) {
		t.Errorf("refresh token: %+v, %v", res, err)
	}

	q := fake.Issue("3MVG9-app", "005-bob")
	if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: q.AccessToken, RefreshToken: q.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(q.AccessToken) || fake.Active(q.RefreshToken) {
		t.Error("a token of the pair survived")
	}
	reqs := fake.Requests()
	if last := reqs[len(reqs)-1]; last.Status != 400 || last.Form.Get("token") != q.AccessToken {
		t.Errorf("the access token's call answered %d; want 400 invalid_token (already ended with its refresh token)", last.Status)
	}
	for _, rec := range reqs {
		if rec.Method != http.MethodPost || len(rec.Query) != 0 || rec.Header.Get("Authorization") != "" {
			t.Errorf("request %+v: want POST, no query, no Authorization", rec)
		}
	}

	odd := fake.IssueAccess("3MVG9-app", "005-carol", salesforcetest.KindUnsupported)
	if _, err := r.Revoke(ctx, revoke.Request{Token: odd}); !errors.Is(err, revoke.ErrUnsupportedTokenType) {
		t.Errorf("unsupported: %v", err)
	}
	fake.FailNext(1, revoketest.ServiceUnavailable(0))
	z := fake.Issue("3MVG9-app", "005-dave")
	if res, err := r.Revoke(ctx, revoke.Request{Token: z.RefreshToken}); err != nil || res.Attempts != 2 || fake.Active(z.AccessToken) {
		t.Errorf("outage: %+v, %v", res, err)
	}
}

// TestSecretHygiene: values print without tokens or URL passwords, and an
// echoing server's error is scrubbed.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	mt := httpmock.NewMockTransport()
	fake := salesforcetest.Register(mt, org)
	p := fake.Issue("3MVG9-app", "005-alice")
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := salesforce.Config{URL: org}
	r, err := salesforce.New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{p.AccessToken, p.RefreshToken, password}
	var nilCfg *salesforce.Config
	var nilR *salesforce.Revoker
	testkit.PrintsNoSecret(t, map[string]any{
		"Config": cfg, "*Config": &cfg, "nil *Config": nilCfg, "Config with user info": salesforce.Config{URL: "https://u:" + password + "@h/?t=" + password},
		"Revoker": *r, "*Revoker": r, "nil *Revoker": nilR, "zero Revoker": salesforce.Revoker{}, "Result": res, "fake": fake,
	}, secrets...)
	if got := fmt.Sprintf("%+v", r); got != `{Endpoint:"https://acme.my.salesforce.com/services/oauth2/revoke"}` {
		t.Errorf("%%+v of the Revoker = %s", got)
	}
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 400, Body: fmt.Sprintf(`{"error":"unsupported_token_type","error_description":"%s"}`, body)}
	})
	bad, _ := salesforce.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger))
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
	if !errors.Is(err, revoke.ErrUnsupportedTokenType) {
		t.Fatalf("echo: %v", err)
	}
	logger.Error("failed", "err", err, "config", cfg, "revoker", r)
	testkit.NoLeak(t, "echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	logs.Check(t, secrets...)
}
