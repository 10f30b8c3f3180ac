package auth0_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// TestSecretHygiene prints every value of this package that holds a secret
// (zero and filled, value and pointer, nil pointers) with every verb, JSON
// and slog, logs calls, and makes a server echo the credentials: no secret,
// token or password appears anywhere, and nothing panics.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	fake, opt := fakeTenant(t)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	p := fake.Issue(clientID, userID)
	mgmtToken := fake.ManagementToken()
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret}
	r, err := auth0.New(cfg, opt, revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	mcfg := auth0.ManagementConfig{Domain: domain, APIToken: mgmtToken}
	m, err := auth0.NewManagement(mcfg, opt, revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
	if err != nil {
		t.Fatal(err)
	}
	tsCfg := auth0.ManagementConfig{Domain: domain, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: mgmtToken})}
	tsM, err := auth0.NewManagement(tsCfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{secret, url.QueryEscape(secret), p.AccessToken, p.RefreshToken, mgmtToken, password, testkit.HMACSecret, testkit.APIToken}

	var nilCfg *auth0.Config
	var nilR *auth0.Revoker
	var nilMCfg *auth0.ManagementConfig
	var nilM *auth0.Management
	key := testkit.ECKey(t)
	values := map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": auth0.Config{}, "nil *Config": nilCfg,
		"Config with a post Auth":         auth0.Config{Auth: revoke.ClientSecretPost(clientID, testkit.Secret)},
		"Config with a JWT Auth":          auth0.Config{Auth: revoke.PrivateKeyJWT(clientID, key)},
		"Config with an HMAC Auth":        auth0.Config{Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)},
		"Config with a foreign Auth":      auth0.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"Config with user info and query": auth0.Config{Domain: "https://admin:" + password + "@" + domain + "/?k=" + password + "#" + password},
		"Revoker":                         *r, "*Revoker": r, "zero Revoker": auth0.Revoker{}, "nil *Revoker": nilR,
		"ManagementConfig": mcfg, "*ManagementConfig": &mcfg, "zero ManagementConfig": auth0.ManagementConfig{}, "nil *ManagementConfig": nilMCfg,
		"ManagementConfig with a source":  tsCfg,
		"ManagementConfig with user info": auth0.ManagementConfig{Domain: "https://u:" + password + "@" + domain, APIToken: testkit.APIToken},
		"Management":                      *m, "*Management": m, "zero Management": auth0.Management{}, "nil *Management": nilM,
		"Management with a source": tsM,
		"Result":                   res, "Report": rep, "*Report": *rep,
	}
	testkit.PrintsNoSecret(t, values, secrets...)
	for _, c := range []struct{ what, got, want string }{
		{"%#v of the Config", fmt.Sprintf("%#v", cfg), `auth0.Config{Domain:"dev-abc.us.auth0.com", ClientID:"` + clientID + `", ClientSecret:[REDACTED], Auth:<nil>}`},
		{"%v of the Revoker", fmt.Sprintf("%v", r), `{"https://dev-abc.us.auth0.com/oauth/revoke" "client_secret_post" "` + clientID + `"}`},
		{"%+v of a Management", fmt.Sprintf("%+v", m), `{API:"https://dev-abc.us.auth0.com/api/v2" Auth:"Bearer (APIToken)"}`},
		{"%+v of a Management with a source", fmt.Sprintf("%+v", tsM), `Auth:"Bearer (TokenSource oauth2.staticTokenSource)"`},
		{"%v of a Config with user info", fmt.Sprintf("%v", auth0.Config{Domain: "https://u:" + password + "@h/p?q#f"}), `"https://[REDACTED]@h/p?[REDACTED]"`},
		{"%+v of a ManagementConfig", fmt.Sprintf("%+v", mcfg), `{Domain:"dev-abc.us.auth0.com" TokenSource:<nil> APIToken:[REDACTED]}`},
		{"%v of a nil *Revoker", fmt.Sprintf("%v", nilR), `<nil>`},
		{"JSON of the Config", string(testkit.Must(cfg.MarshalJSON())), `"client_secret":"[REDACTED]"`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s = %s; want it to contain %s", c.what, c.got, c.want)
		}
	}
	logger.Info("done", "result", res, "config", cfg, "revoker", r, "management", m, "mconfig", mcfg)

	// A server that echoes everything it received into its errors and its
	// request-ID header.
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 401, Header: http.Header{"X-Auth0-RequestId": {req.Header.Get("Authorization") + body}},
			Body: fmt.Sprintf(`{"statusCode":401,"error":"Unauthorized","message":"header %s body %s"}`, req.Header.Get("Authorization"), body)}
	})
	badR, _ := auth0.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	_, err1 := badR.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	badM, _ := auth0.NewManagement(mcfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	rep2, err2 := badM.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
	if err1 == nil || err2 == nil {
		t.Fatal("want errors")
	}
	logger.Error("failed", "err1", err1, "err2", err2, "report", rep2)
	testkit.NoLeak(t, "echoed errors", testkit.PrintAll(err1)+err1.Error()+testkit.PrintAll(err2)+err2.Error()+testkit.PrintAll(rep2), secrets...)
	logs.Check(t, secrets...)
}
