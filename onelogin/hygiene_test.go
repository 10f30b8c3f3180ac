package onelogin_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

// TestPrintingNeverShowsSecrets prints every exported type that can hold a
// secret, value and pointer, zero and filled, with every verb, as JSON and
// through slog.
func TestPrintingNeverShowsSecrets(t *testing.T) {
	cfg := onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}
	r, err := onelogin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg2 := onelogin.Config{BaseURL: "https://login.acme.com", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}
	r2, err := onelogin.New(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	ocfg := onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret)}
	o, err := onelogin.NewOIDC(ocfg)
	if err != nil {
		t.Fatal(err)
	}
	ocfg2 := onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientCredentials(testID, testSecret), AlreadyRevokedOK: true}
	o2, err := onelogin.NewOIDC(ocfg2)
	if err != nil {
		t.Fatal(err)
	}
	var (
		zeroCfg      onelogin.Config
		zeroOCfg     onelogin.OIDCConfig
		zeroRevoker  onelogin.Revoker
		zeroOIDC     onelogin.OIDCRevoker
		nilRevoker   *onelogin.Revoker
		nilOIDC      *onelogin.OIDCRevoker
		nilCfg       *onelogin.Config
		nilOIDCCfg   *onelogin.OIDCConfig
		v1Header     = "client_id:" + testID + ", client_secret:" + testSecret
		basicEncoded = base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret))
	)
	values := []struct {
		name   string
		v      any
		showID bool
	}{
		{"Config", cfg, true}, {"*Config", &cfg, true}, {"Config V2", cfg2, true},
		{"*Revoker", r, true}, {"Revoker", *r, true}, {"*Revoker V2", r2, true}, {"Revoker V2", *r2, true},
		{"OIDCConfig", ocfg, true}, {"*OIDCConfig", &ocfg, true}, {"OIDCConfig with credentials", ocfg2, true},
		{"*OIDCRevoker", o, true}, {"OIDCRevoker", *o, true}, {"*OIDCRevoker with credentials", o2, true},
		{"struct holding a Revoker", struct{ R onelogin.Revoker }{*r}, true},
		{"struct holding an OIDCRevoker", struct{ O *onelogin.OIDCRevoker }{o}, true},
		{"zero Config", zeroCfg, false}, {"zero *Config", &zeroCfg, false},
		{"zero OIDCConfig", zeroOCfg, false}, {"zero *OIDCConfig", &zeroOCfg, false},
		{"zero Revoker", zeroRevoker, false}, {"zero *Revoker", &zeroRevoker, false},
		{"zero OIDCRevoker", zeroOIDC, false}, {"zero *OIDCRevoker", &zeroOIDC, false},
		{"nil *Revoker", nilRevoker, false}, {"nil *OIDCRevoker", nilOIDC, false},
		{"nil *Config", nilCfg, false}, {"nil *OIDCConfig", nilOIDCCfg, false},
	}
	for _, v := range values {
		t.Run(v.name, func(t *testing.T) {
			got := testkit.PrintAll(v.v)
			testkit.NoLeak(t, v.name, got, testSecret, v1Header, basicEncoded)
			if v.showID && !strings.Contains(got, testID) {
				t.Errorf("%s printed as %s, want the client ID shown", v.name, got)
			}
		})
	}
	exact := []struct{ got, want string }{
		{fmt.Sprintf("%+v", cfg), `{Subdomain:"acme" BaseURL:"" ClientID:"` + testID + `" ClientSecret:[REDACTED] API:V1}`},
		{fmt.Sprintf("%v", zeroCfg), `{"" "" "" "" APIVersion(0)}`},
		{fmt.Sprintf("%#v", r), `onelogin.Revoker{Endpoint:"https://acme.onelogin.com/auth/oauth2/revoke", API:V1, ClientID:"` + testID + `", ClientSecret:[REDACTED]}`},
		{fmt.Sprintf("%#v", zeroRevoker), `onelogin.Revoker{Endpoint:"", API:APIVersion(0), ClientID:"", ClientSecret:""}`},
		{fmt.Sprintf("%v", o), `{"https://acme.onelogin.com/oidc/2/token/revocation" client_secret_post "` + testID + `" false}`},
		{fmt.Sprintf("%v", o2), `{"https://acme.onelogin.com/oidc/2/token/revocation" client_secret_basic "` + testID + `" true}`},
		{fmt.Sprintf("%+v", ocfg2), `{Subdomain:"acme" BaseURL:"" Auth:client_credentials "` + testID + `" AlreadyRevokedOK:true}`},
		{fmt.Sprintf("%v", zeroOCfg), `{"" "" <nil> false}`},
		{fmt.Sprintf("%v", nilRevoker), `<nil>`},
	}
	for _, e := range exact {
		if e.got != e.want {
			t.Errorf("printed %s, want %s", e.got, e.want)
		}
	}
	for _, j := range []struct {
		v    any
		want string
	}{
		{cfg, `{"subdomain":"acme","base_url":"","client_id":"` + testID + `","client_secret":"[REDACTED]","api":"V1"}`},
		{r, `{"endpoint":"https://acme.onelogin.com/auth/oauth2/revoke","api":"V1","client_id":"` + testID + `","client_secret":"[REDACTED]"}`},
		{ocfg, `{"subdomain":"acme","base_url":"","auth":"client_secret_post \"` + testID + `\"","already_revoked_ok":"false"}`},
		{o, `{"endpoint":"https://acme.onelogin.com/oidc/2/token/revocation","auth":"client_secret_post \"` + testID + `\"","already_revoked_ok":"false"}`},
	} {
		b, err := json.Marshal(j.v)
		if err != nil || string(b) != j.want {
			t.Errorf("json = %s, %v; want %s", b, err, j.want)
		}
	}
}

// TestErrorsAndLogsNeverCarrySecrets drives failures whose bodies echo the
// token and the client secret back, in several encodings, with debug
// logging on, and checks the error strings and every log line.
func TestErrorsAndLogsNeverCarrySecrets(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret))
	v1 := "client_id:" + testID + ", client_secret:" + testSecret
	echo := fmt.Sprintf(`{"status":{"error":true,"code":400,"type":"bad request","message":"Access Token Missing: got %s with client_secret:%s"}}`, testToken, testSecret)
	html := fmt.Sprintf("<html><body>Bad request for token %s (secret %s)</body></html>", testToken, testSecret)
	oauth := fmt.Sprintf(`{"error":"invalid_request","error_description":"bad token %s for secret %s"}`, testToken, testSecret)
	authEcho := fmt.Sprintf(`{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure for Basic %s"}`, b64)
	v1Echo := fmt.Sprintf(`{"error":true,"code":401,"type":%q,"message":"Authentication Failure for %s"}`, v1, v1)
	typeEcho := fmt.Sprintf(`{"error":true,"code":400,"type":"bad %s","message":"x"}`, testToken)
	tests := []struct {
		name string
		oidc bool
		api  onelogin.APIVersion
		a    testkit.Answer
	}{
		{"V1 envelope echo", false, onelogin.V1, testkit.JSONAnswer(400, echo)},
		{"V2 envelope echo on 200", false, onelogin.V2, testkit.JSONAnswer(200, echo)},
		{"V1 HTML echo", false, onelogin.V1, testkit.Answer{Status: 500, Body: html}},
		{"V2 HTML echo on 200", false, onelogin.V2, testkit.Answer{Status: 200, Body: html}},
		{"V1 unavailable echo", false, onelogin.V1, testkit.Answer{Status: 503, Body: html}},
		{"V2 Authorization header echo", false, onelogin.V2, testkit.JSONAnswer(401, authEcho)},
		{"V1 Authorization header echo", false, onelogin.V1, testkit.JSONAnswer(401, v1Echo)},
		{"token in the envelope type", false, onelogin.V1, testkit.JSONAnswer(400, typeEcho)},
		{"echo padded past 64 KiB", false, onelogin.V1, testkit.JSONAnswer(401, v1Echo+strings.Repeat(" ", 70<<10))},
		{"OIDC error echo", true, 0, testkit.JSONAnswer(401, oauth)},
		{"OIDC HTML echo", true, 0, testkit.Answer{Status: 400, Body: html}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs testkit.Logs
			logger := logs.Logger()
			ep := testkit.NewEndpoint(tt.a)
			var r revoke.Revoker
			var cfgAny any
			if tt.oidc {
				cfg := onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret)}
				o, err := onelogin.NewOIDC(cfg, ep.Options(revoke.WithLogger(logger))...)
				if err != nil {
					t.Fatal(err)
				}
				r, cfgAny = o, cfg
			} else {
				cfg := onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: tt.api}
				a, err := onelogin.New(cfg, ep.Options(revoke.WithLogger(logger))...)
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
			testkit.NoLeak(t, "error", testkit.PrintAll(err), testToken, testSecret, b64, v1)
			logs.Check(t, testToken, testSecret, b64, v1)
			if !strings.Contains(err.Error(), revoke.Redacted) {
				t.Errorf("error = %v, want the echoed secrets replaced by %s", err, revoke.Redacted)
			}
		})
	}
}
