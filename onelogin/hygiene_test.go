package onelogin_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
)

func TestFormattingRedactsSecrets(t *testing.T) {
	cfg := onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}
	r, err := onelogin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ocfg := onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret)}
	o, err := onelogin.NewOIDC(ocfg)
	if err != nil {
		t.Fatal(err)
	}
	values := []struct {
		name string
		v    any
	}{
		{"Config", cfg}, {"*Config", &cfg},
		{"*Revoker", r}, {"Revoker", *r},
		{"OIDCConfig", ocfg}, {"*OIDCConfig", &ocfg},
		{"*OIDCRevoker", o}, {"OIDCRevoker", *o},
		{"struct holding a Revoker", struct{ R onelogin.Revoker }{*r}},
	}
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			got := fmt.Sprintf(verb, v.v)
			assertNoLeak(t, v.name+" printed with "+verb, got, testSecret)
			if verb != "%x" && !strings.Contains(got, testID) {
				t.Errorf("%s printed with %s = %s, want the client ID shown", v.name, verb, got)
			}
		}
	}
	if got, want := fmt.Sprintf("%+v", cfg), `{Subdomain:"acme" BaseURL:"" ClientID:"`+testID+`" ClientSecret:[REDACTED] API:V1}`; got != want {
		t.Errorf("%%+v = %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", r), `onelogin.Revoker{Endpoint:"https://acme.onelogin.com/auth/oauth2/revoke", API:V1, ClientID:"`+testID+`", ClientSecret:[REDACTED]}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%v", o), `{"https://acme.onelogin.com/oidc/2/token/revocation" client_secret_post "`+testID+`"}`; got != want {
		t.Errorf("%%v = %s, want %s", got, want)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, "json.Marshal(Config)", string(b), testSecret)
	if !strings.Contains(string(b), `"client_secret":"[REDACTED]"`) {
		t.Errorf("json = %s, want the secret shown as [REDACTED]", b)
	}
}

// TestErrorsAndLogsNeverCarrySecrets drives failures whose bodies echo the
// token and the client secret back, with debug logging on, and checks the
// error strings and every log line.
func TestErrorsAndLogsNeverCarrySecrets(t *testing.T) {
	echo := fmt.Sprintf(`{"status":{"error":true,"code":400,"type":"bad request","message":"Access Token Missing: got %s with client_secret:%s"}}`, testToken, testSecret)
	html := fmt.Sprintf("<html><body>Bad request for token %s (secret %s)</body></html>", testToken, testSecret)
	oauth := fmt.Sprintf(`{"error":"invalid_request","error_description":"bad token %s for secret %s"}`, testToken, testSecret)
	b64 := base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret))
	authEcho := fmt.Sprintf(`{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure for Basic %s"}`, b64)
	tests := []struct {
		name string
		oidc bool
		api  onelogin.APIVersion
		a    answer
	}{
		{"V1 envelope echo", false, onelogin.V1, jsonAnswer(400, echo)},
		{"V2 envelope echo on 200", false, onelogin.V2, jsonAnswer(200, echo)},
		{"V1 HTML echo", false, onelogin.V1, answer{status: 500, body: html}},
		{"V2 HTML echo on 200", false, onelogin.V2, answer{status: 200, body: html}},
		{"V1 unavailable echo", false, onelogin.V1, answer{status: 503, body: html}},
		{"V2 Authorization header echo", false, onelogin.V2, jsonAnswer(401, authEcho)},
		{"OIDC error echo", true, 0, jsonAnswer(401, oauth)},
		{"OIDC HTML echo", true, 0, answer{status: 400, body: html}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			url := acmeRevoke
			if tt.oidc {
				url = acmeOIDC
			}
			mt, _ := mockEndpoint(t, url, tt.a)
			var r revoke.Revoker
			var cfgAny any
			if tt.oidc {
				cfg := onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret)}
				o, err := onelogin.NewOIDC(cfg, opts(mt, revoke.WithLogger(logger))...)
				if err != nil {
					t.Fatal(err)
				}
				r, cfgAny = o, cfg
			} else {
				cfg := onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: tt.api}
				a, err := onelogin.New(cfg, opts(mt, revoke.WithLogger(logger))...)
				if err != nil {
					t.Fatal(err)
				}
				r, cfgAny = a, cfg
			}
			req := revoke.Request{Token: testToken, Hint: revoke.HintAccessToken}
			_, err := r.Revoke(context.Background(), req)
			if err == nil {
				t.Fatalf("Revoke succeeded, want an error")
			}
			logger.Debug("revocation failed", "err", err, "request", req, "config", cfgAny, "revoker", r)
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), logs.String()} {
				assertNoLeak(t, "error or log", s, testToken, testSecret, b64)
			}
			if !strings.Contains(err.Error(), revoke.Redacted) {
				t.Errorf("error = %v, want the echoed secrets replaced by %s", err, revoke.Redacted)
			}
			if !strings.Contains(logs.String(), "revoke: sending request") {
				t.Errorf("logs = %s, want the pipeline's debug records captured", logs.String())
			}
		})
	}
}
