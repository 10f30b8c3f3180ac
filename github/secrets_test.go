package github_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestPrintingNeverShowsSecrets prints every exported type that can hold
// a secret, value and pointer, zero, filled and nil, with every verb, as
// JSON and through slog.
func TestPrintingNeverShowsSecrets(t *testing.T) {
	const password = "hunter2-password"
	cfg := github.Config{ClientID: clientID, ClientSecret: secret, BaseURL: "https://admin:" + password + "@ghe.example.com/api/v3?token=" + password}
	r, err := github.New(github.Config{ClientID: clientID, ClientSecret: secret, BaseURL: ghesBase})
	if err != nil {
		t.Fatal(err)
	}
	ccfg := github.CredentialsConfig{BaseURL: ghesBase, Token: testkit.APIToken}
	cr, err := github.NewCredentialRevoker(ccfg)
	if err != nil {
		t.Fatal(err)
	}
	fake := githubtest.New()
	fake.AddApp(clientID, secret)
	issued := fake.Issue(clientID, "octocat")
	var (
		zeroCfg    github.Config
		nilCfg     *github.Config
		zeroR      github.Revoker
		nilR       *github.Revoker
		zeroCCfg   github.CredentialsConfig
		nilCCfg    *github.CredentialsConfig
		zeroCR     github.CredentialRevoker
		nilCR      *github.CredentialRevoker
		nilFake    *githubtest.Server
		basicB64   = strings.TrimPrefix(testkit.Basic(clientID, secret), "Basic ")
		secretsAll = []string{secret, password, testkit.APIToken, basicB64, issued}
	)
	values := []struct {
		name   string
		v      any
		showID bool
	}{
		{"Config", cfg, true}, {"*Config", &cfg, true},
		{"Revoker", *r, true}, {"*Revoker", r, true},
		{"Grants", r.Grants(), true},
		{"CredentialsConfig", ccfg, false}, {"*CredentialsConfig", &ccfg, false},
		{"CredentialRevoker", *cr, false}, {"*CredentialRevoker", cr, false},
		{"struct holding a Revoker", struct{ R github.Revoker }{*r}, true},
		{"struct holding a *CredentialRevoker", struct{ C *github.CredentialRevoker }{cr}, false},
		{"fake", fake, false},
		{"zero Config", zeroCfg, false}, {"nil *Config", nilCfg, false},
		{"zero Revoker", zeroR, false}, {"zero *Revoker", &zeroR, false}, {"nil *Revoker", nilR, false},
		{"nil Grants", nilR.Grants(), false},
		{"zero CredentialsConfig", zeroCCfg, false}, {"nil *CredentialsConfig", nilCCfg, false},
		{"zero CredentialRevoker", zeroCR, false}, {"nil *CredentialRevoker", nilCR, false},
		{"nil fake", nilFake, false},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			got := testkit.PrintAll(v.v)
			testkit.NoLeak(t, v.name, got, secretsAll...)
			if v.showID && !strings.Contains(got, clientID) {
				t.Errorf("%s printed as %s, want the client ID shown", v.name, got)
			}
		})
	}
	exact := []struct{ got, want string }{
		{fmt.Sprintf("%+v", cfg), `{ClientID:"` + clientID + `" ClientSecret:[REDACTED] BaseURL:"https://[REDACTED]@ghe.example.com/api/v3?[REDACTED]" NotFoundIsAlreadyInvalid:false}`},
		{fmt.Sprintf("%v", zeroCfg), `{"" "" "" false}`},
		{fmt.Sprintf("%#v", r), `github.Revoker{Endpoint:"` + ghesBase + `/applications/` + clientID + `/token", GrantEndpoint:"` + ghesBase + `/applications/` + clientID + `/grant", ClientID:"` + clientID + `", ClientSecret:[REDACTED], NotFoundIsAlreadyInvalid:false}`},
		{fmt.Sprintf("%+v", zeroR), `{Endpoint:"" GrantEndpoint:"" ClientID:"" ClientSecret:"" NotFoundIsAlreadyInvalid:false}`},
		{fmt.Sprintf("%v", nilR), `<nil>`},
		{fmt.Sprintf("%+v", cr), `{Endpoint:"` + ghesBase + `/credentials/revoke" Token:[REDACTED]}`},
		{fmt.Sprintf("%+v", ccfg), `{BaseURL:"` + ghesBase + `" Token:[REDACTED]}`},
	}
	for _, e := range exact {
		if e.got != e.want {
			t.Errorf("printed\n %s\nwant\n %s", e.got, e.want)
		}
	}
	for _, j := range []struct {
		v    any
		want string
	}{
		{cfg, `{"client_id":"` + clientID + `","client_secret":"[REDACTED]","base_url":"https://[REDACTED]@ghe.example.com/api/v3?[REDACTED]","not_found_is_already_invalid":"false"}`},
		{r, `{"endpoint":"` + ghesBase + `/applications/` + clientID + `/token","grant_endpoint":"` + ghesBase + `/applications/` + clientID + `/grant","client_id":"` + clientID + `"}`},
		{cr, `{"endpoint":"` + ghesBase + `/credentials/revoke","token":"[REDACTED]"}`},
		{ccfg, `{"base_url":"` + ghesBase + `","token":"[REDACTED]"}`},
	} {
		b, err := json.Marshal(j.v)
		if err != nil || string(b) != j.want {
			t.Errorf("json = %s, %v; want %s", b, err, j.want)
		}
	}
}

// TestLogsNeverCarrySecrets revokes with debug logging on, through
// failures that echo the secrets, and checks every log line.
func TestLogsNeverCarrySecrets(t *testing.T) {
	var logs testkit.Logs
	logger := logs.Logger()
	ep := testkit.NewEndpoint(
		ghAnswer(502, `{"message":"`+token+`"}`),
		ghAnswer(422, `{"message":"`+secret+` `+token+`"}`),
		ghAnswer(202, "{}"),
	)
	r := newRevoker(t, ep, github.Config{}, revoke.WithLogger(logger))
	_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err == nil {
		t.Fatal("no error")
	}
	cr := newCredentialRevoker(t, ep, github.CredentialsConfig{}, revoke.WithLogger(logger))
	if _, err := cr.RevokeCredentials(context.Background(), []string{pat, pat2}); err != nil {
		t.Fatal(err)
	}
	slog.New(slog.NewTextHandler(&logs, nil)).Info("values", "revoker", r, "credentials", cr, "err", err)
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	logs.Check(t, token, secret, pat, pat2, strings.TrimPrefix(testkit.Basic(clientID, secret), "Basic "))
}
