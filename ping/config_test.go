package ping_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// TestNewBadInput: every bad configuration of every product is a
// ConfigError naming the field and the fix, without a secret.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	basic := revoke.ClientSecretBasic(clientID, testkit.Secret)
	fed := func(c ping.FederateConfig) func() error {
		return func() error { _, err := ping.NewFederate(c); return err }
	}
	one := func(c ping.OneConfig) func() error {
		return func() error { _, err := ping.NewOne(c); return err }
	}
	am := func(c ping.AMConfig) func() error {
		return func() error { _, err := ping.NewAM(c); return err }
	}
	for _, tc := range []struct {
		name, field, text string
		call              func() error
		kind              error
	}{
		{"PF: no URL", "ping.FederateConfig.BaseURL", "is empty", fed(ping.FederateConfig{Auth: basic}), nil},
		{"PF: no scheme", "ping.FederateConfig.BaseURL", "not absolute", fed(ping.FederateConfig{BaseURL: "pf.example.com", Auth: basic}), nil},
		{"PF: endpoint path", "ping.FederateConfig.BaseURL", "already includes an endpoint path", fed(ping.FederateConfig{BaseURL: pfBase + "/as/revoke_token.oauth2", Auth: basic}), nil},
		{"PF: /as", "ping.FederateConfig.BaseURL", "already includes an endpoint path", fed(ping.FederateConfig{BaseURL: pfBase + "/as/", Auth: basic}), nil},
		{"PF: user info", "ping.FederateConfig.BaseURL", "user info", fed(ping.FederateConfig{BaseURL: "https://a:" + password + "@pf.example.com", Auth: basic}), nil},
		{"PF: plain http", "ping.FederateConfig.BaseURL", "clear text", fed(ping.FederateConfig{BaseURL: "http://pf.example.com:9031", Auth: basic}), revoke.ErrInsecureEndpoint},
		{"PF: no Auth", "ping.FederateConfig.Auth", "is nil", fed(ping.FederateConfig{BaseURL: pfBase}), nil},
		{"PF: NoClientAuth", "ping.FederateConfig.Auth", "revoke.PublicClient", fed(ping.FederateConfig{BaseURL: pfBase, Auth: revoke.NoClientAuth()}), nil},
		{"PF: self-signed TLS", "ping.FederateConfig.Auth", "not one PingFederate", fed(ping.FederateConfig{BaseURL: pfBase, Auth: revoke.SelfSignedTLSClientAuth(clientID, testkit.Certificate(t))}), nil},
		{"PF: foreign", "ping.FederateConfig.Auth", "not a client authentication built", fed(ping.FederateConfig{BaseURL: pfBase, Auth: testkit.ForeignAuth{ClientAuth: basic}}), nil},
		{"PF: short secret", "ping.FederateConfig.Auth (ClientSecretPost)", "shorter than 8", fed(ping.FederateConfig{BaseURL: pfBase, Auth: revoke.ClientSecretPost(clientID, "s3cret7")}), nil},
		{"PF: bad token endpoint", "ping.FederateConfig.TokenEndpoint", "not absolute", fed(ping.FederateConfig{BaseURL: pfBase, TokenEndpoint: "/as/token.oauth2", Auth: basic}), nil},
		{"One: nothing", "ping.OneConfig.EnvironmentID", "is empty", one(ping.OneConfig{Auth: basic}), nil},
		{"One: not a UUID", "ping.OneConfig.EnvironmentID", "not a UUID", one(ping.OneConfig{EnvironmentID: "my-env", Region: ping.RegionEurope, Auth: basic}), nil},
		{"One: UUID with a slash", "ping.OneConfig.EnvironmentID", "not a UUID", one(ping.OneConfig{EnvironmentID: "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f/", Region: ping.RegionEurope, Auth: basic}), nil},
		{"One: no region", "ping.OneConfig.Region", "is empty", one(ping.OneConfig{EnvironmentID: envID, Auth: basic}), nil},
		{"One: unknown region", "ping.OneConfig.Region", "not a PingOne region", one(ping.OneConfig{EnvironmentID: envID, Region: "de", Auth: basic}), nil},
		{"One: region and AuthURL", "ping.OneConfig.AuthURL", "set one of them", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, AuthURL: "http://127.0.0.1:1", Auth: basic}), nil},
		{"One: custom domain and region", "ping.OneConfig.CustomDomain", "set only CustomDomain", one(ping.OneConfig{CustomDomain: "auth.example.com", Region: ping.RegionEurope, Auth: basic}), nil},
		{"One: custom domain with a path", "ping.OneConfig.CustomDomain", "has a path", one(ping.OneConfig{CustomDomain: "auth.example.com/as", Auth: basic}), nil},
		{"One: bad AuthURL", "ping.OneConfig.AuthURL", "not absolute", one(ping.OneConfig{EnvironmentID: envID, AuthURL: "auth.pingone.eu", Auth: basic}), nil},
		{"One: TLS", "ping.OneConfig.Auth", "not one PingOne", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.TLSClientAuth(clientID, testkit.Certificate(t))}), nil},
		{"One: NoClientAuth", "ping.OneConfig.Auth", "revoke.PublicClient", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.NoClientAuth()}), nil},
		{"AM: no URL", "ping.AMConfig.BaseURL", "is empty", am(ping.AMConfig{Auth: basic}), nil},
		{"AM: endpoint path", "ping.AMConfig.BaseURL", "already includes an endpoint path", am(ping.AMConfig{BaseURL: amBase + "/oauth2/realms/root/realms/alpha/token/revoke", Auth: basic}), nil},
		{"AM: /oauth2", "ping.AMConfig.BaseURL", "already includes an endpoint path", am(ping.AMConfig{BaseURL: amBase + "/oauth2", Auth: basic}), nil},
		{"AM: query", "ping.AMConfig.BaseURL", "query", am(ping.AMConfig{BaseURL: amBase + "?realm=alpha", Auth: basic}), nil},
		{"AM: realm with '?'", "ping.AMConfig.Realm", "'?'", am(ping.AMConfig{BaseURL: amBase, Realm: "alpha?x", Auth: basic}), nil},
		{"AM: realm with '..'", "ping.AMConfig.Realm", "relative path segment", am(ping.AMConfig{BaseURL: amBase, Realm: "alpha/..", Auth: basic}), nil},
		{"AM: empty sub-realm", "ping.AMConfig.Realm", "is empty", am(ping.AMConfig{BaseURL: amBase, Realm: "alpha//sub", Auth: basic}), nil},
		{"AM: NoClientAuth", "ping.AMConfig.Auth", "revoke.PublicClient", am(ping.AMConfig{BaseURL: amBase, Auth: revoke.NoClientAuth()}), nil},
		{"AM: ClientCredentials, empty secret", "ping.AMConfig.Auth (ClientCredentials)", "secret is empty", am(ping.AMConfig{BaseURL: amBase, Auth: revoke.ClientCredentials(clientID, "")}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.WantConfigError(t, tc.call(), tc.field, tc.text, tc.kind, testkit.Secret, password, "s3cret7")
		})
	}
	if _, err := ping.NewFederate(ping.FederateConfig{BaseURL: "http://pf.internal:9031", Auth: basic}, revoke.WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
}

// TestSecretHygiene: every value that holds a secret prints without it,
// and an echoing server's error is scrubbed, on both of PingAM's paths.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	mt := httpmock.NewMockTransport()
	fake := pingtest.RegisterAM(mt, "https://am.example.com")
	fake.AddClient("alpha", revoketest.Client{ID: clientID, Secret: testkit.Secret})
	p := fake.Issue(clientID, "bjensen")
	var logs testkit.Logs
	logger := logs.Logger()
	amCfg := ping.AMConfig{BaseURL: "https://am.example.com/am", Realm: "alpha", Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}
	r, err := ping.NewAM(amCfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err != nil || fake.Active(p.AccessToken) {
		t.Fatalf("revoke: %v", err)
	}
	fedCfg := ping.FederateConfig{BaseURL: "https://u:" + password + "@pf?x=" + password, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}
	oneCfg := ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}
	secrets := []string{testkit.Secret, url.QueryEscape(testkit.Secret), p.AccessToken, p.RefreshToken, password, testkit.HMACSecret}
	var nilFed *ping.FederateConfig
	var nilOne *ping.OneConfig
	var nilAM *ping.AMConfig
	var nilR *ping.Revoker
	testkit.PrintsNoSecret(t, map[string]any{
		"AMConfig": amCfg, "*AMConfig": &amCfg, "nil *AMConfig": nilAM, "FederateConfig": fedCfg, "*FederateConfig": &fedCfg, "nil *FederateConfig": nilFed,
		"OneConfig": oneCfg, "*OneConfig": &oneCfg, "nil *OneConfig": nilOne, "OneConfig, foreign Auth": ping.OneConfig{Auth: testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"Revoker": *r, "*Revoker": r, "zero Revoker": ping.Revoker{}, "nil *Revoker": nilR, "Result": res, "fake": fake,
		"Federate fake": pingtest.NewFederate(), "One fake": pingtest.NewOne(envID),
	}, secrets...)
	if got := fmt.Sprintf("%+v", r); got != `{Product:"pingam" Endpoint:"https://am.example.com/am/oauth2/realms/root/realms/alpha/token/revoke" AuthMethod:"client_secret_basic" ClientID:"myClient"}` {
		t.Errorf("%%+v = %s", got)
	}
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 400, Body: fmt.Sprintf(`{"error":"invalid_client","error_description":"%s %s"}`, req.Header.Get("Authorization"), body)}
	})
	for _, cfg := range []ping.AMConfig{amCfg, {BaseURL: amCfg.BaseURL, Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}} {
		bad, _ := ping.NewAM(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger))
		_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
		if !errors.Is(err, revoke.ErrInvalidClient) {
			t.Fatalf("echo: %v", err)
		}
		logger.Error("failed", "err", err, "config", cfg)
		testkit.NoLeak(t, "echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	}
	logs.Check(t, secrets...)
}
