package entra_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestPrintingNeverShowsSecrets prints every exported type that can hold a
// secret, value and pointer, zero and filled, with every verb, as JSON and
// through slog.
func TestPrintingNeverShowsSecrets(t *testing.T) {
	cert := validCert(t)
	cfg := entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}
	certCfg := entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: cert}
	srcCfg := entra.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: graphToken})}
	tcfg := entra.TokenConfig{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}
	ep := testkit.NewEndpoint(tokenOK, revokedOK)
	g, err := entra.New(cfg, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.RevokeSignInSessions(context.Background(), objectID); err != nil { // caches a token
		t.Fatal(err)
	}
	gc, err := entra.New(certCfg)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := entra.New(srcCfg)
	if err != nil {
		t.Fatal(err)
	}
	src, err := entra.NewTokenSource(tcfg)
	if err != nil {
		t.Fatal(err)
	}
	var (
		zeroCfg   entra.Config
		zeroTCfg  entra.TokenConfig
		zeroG     entra.Graph
		zeroSrc   entra.TokenSource
		zeroCert  entra.Certificate
		nilG      *entra.Graph
		nilSrc    *entra.TokenSource
		nilCfg    *entra.Config
		nilTCfg   *entra.TokenConfig
		nilCert   *entra.Certificate
		keyText   = fmt.Sprintf("%v", cert.Key)
		keyDetail = fmt.Sprintf("%+v", cert.Key)
	)
	values := []struct {
		name   string
		v      any
		showID bool
	}{
		{"Config", cfg, true}, {"*Config", &cfg, true}, {"Config with certificate", certCfg, true}, {"Config with source", srcCfg, false},
		{"TokenConfig", tcfg, true}, {"*TokenConfig", &tcfg, true},
		{"Certificate", *cert, false}, {"*Certificate", cert, false},
		{"*Graph", g, true}, {"Graph", *g, true}, {"*Graph certificate", gc, true}, {"*Graph source", gs, false},
		{"*TokenSource", src, true}, {"TokenSource", *src, true}, {"Graph's source", g.TokenSource(), true},
		{"struct holding a Graph", struct{ G entra.Graph }{*g}, true},
		{"zero Config", zeroCfg, false}, {"zero TokenConfig", zeroTCfg, false}, {"zero Graph", zeroG, false}, {"zero *Graph", &zeroG, false},
		{"zero TokenSource", zeroSrc, false}, {"zero Certificate", zeroCert, false},
		{"nil *Graph", nilG, false}, {"nil *TokenSource", nilSrc, false}, {"nil *Config", nilCfg, false}, {"nil *TokenConfig", nilTCfg, false}, {"nil *Certificate", nilCert, false},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			got := testkit.PrintAll(v.v)
			testkit.NoLeak(t, v.name, got, secret, url.QueryEscape(secret), graphToken, keyText[:60], keyDetail[:60])
			if v.showID && !strings.Contains(got, clientID) {
				t.Errorf("%s printed as %s, want the client ID shown", v.name, got)
			}
		})
	}
	exact := []struct{ got, want string }{
		{fmt.Sprintf("%+v", cfg), `{Tenant:"` + tenantID + `" TokenSource:<nil> ClientID:"` + clientID + `" ClientSecret:[REDACTED] Certificate:<nil> GraphURL:"" LoginURL:"" Scope:""}`},
		{fmt.Sprintf("%v", g), `{"https://graph.microsoft.com/v1.0/users" "` + tenantID + `" "Bearer (client credentials, ` + clientID + `, client secret [REDACTED])"}`},
		{fmt.Sprintf("%v", gs), `{"https://graph.microsoft.com/v1.0/users" "" "Bearer (TokenSource oauth2.staticTokenSource)"}`},
		{fmt.Sprintf("%#v", zeroG), `entra.Graph{Endpoint:"", Tenant:"", Auth:""}`},
		{fmt.Sprintf("%v", nilG), `<nil>`},
	}
	for _, e := range exact {
		if e.got != e.want {
			t.Errorf("printed %s, want %s", e.got, e.want)
		}
	}
	if s := fmt.Sprintf("%v", gc); !strings.Contains(s, "certificate x5t#S256=") {
		t.Errorf("certificate Graph printed %s, want its thumbprint", s)
	}
}

// TestErrorsAndLogsNeverCarrySecrets drives failures whose bodies echo the
// client secret, the assertion and the Graph token back, with debug
// logging on, and checks the error strings and every log line.
func TestErrorsAndLogsNeverCarrySecrets(t *testing.T) {
	tests := []struct {
		name    string
		cert    bool
		answers func(assertion string) []testkit.Answer
	}{
		{"token error echoing the secret", false, func(string) []testkit.Answer {
			return []testkit.Answer{testkit.JSONAnswer(401, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided: `+secret+` / `+url.QueryEscape(secret)+`","error_codes":[7000215]}`)}
		}},
		{"token HTML echoing the secret", false, func(string) []testkit.Answer {
			return []testkit.Answer{{Status: 400, Body: "<html>client_secret=" + url.QueryEscape(secret) + "</html>"}}
		}},
		{"Graph error echoing the token", false, func(string) []testkit.Answer {
			return []testkit.Answer{tokenOK, testkit.JSONAnswer(403, `{"error":{"code":"Authorization_RequestDenied","message":"token `+graphToken+` lacks roles","innerError":{"request-id":"`+graphToken+`"}}}`)}
		}},
		{"Graph 200 echoing the token", false, func(string) []testkit.Answer {
			return []testkit.Answer{tokenOK, testkit.Answer{Status: 200, Body: "Bearer " + graphToken}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs testkit.Logs
			logger := logs.Logger()
			ep := testkit.NewEndpoint(tt.answers("")...)
			cfg := entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}
			g, err := entra.New(cfg, ep.Options(revoke.WithLogger(logger))...)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := g.RevokeSubject(context.Background(), revoke.OpaqueSubject(objectID))
			if err == nil {
				t.Fatal("RevokeSubject succeeded, want an error")
			}
			logger.Debug("revocation failed", "err", err, "report", rep, "config", cfg, "graph", g)
			text := testkit.PrintAll(err) + testkit.PrintAll(rep)
			testkit.NoLeak(t, "error", text, secret, url.QueryEscape(secret), graphToken)
			logs.Check(t, secret, url.QueryEscape(secret), graphToken)
		})
	}
	t.Run("certificate assertion echoed", func(t *testing.T) {
		cert := validCert(t)
		mt := &echoAssertion{}
		g, err := entra.New(entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: cert}, revoke.WithHTTPClient(mt.client()), testkit.FastRetry())
		if err != nil {
			t.Fatal(err)
		}
		_, err = g.RevokeSignInSessions(context.Background(), objectID)
		if err == nil || mt.assertion == "" {
			t.Fatalf("err = %v, assertion %q; want a failure echoing the assertion", err, mt.assertion)
		}
		testkit.NoLeak(t, "error", testkit.PrintAll(err), mt.assertion)
		if !strings.Contains(err.Error(), revoke.Redacted) {
			t.Errorf("error = %v, want the echoed assertion replaced", err)
		}
	})
}
