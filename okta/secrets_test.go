package okta_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// TestNoSecretPrinted prints every exported type of okta, oktaadmin and
// oktatest that can hold a secret (a client secret, an API token, a key, a
// cached access token, issued tokens, recorded credentials), as a value and
// as a pointer, zero and filled, with every fmt verb, slog's JSON and text
// handlers (testkit.PrintAll) and encoding/json, and checks that no secret
// appears in any form.
func TestNoSecretPrinted(t *testing.T) {
	ctx := context.Background()
	ec, rk := keys(t)
	const apiToken = "00api-token-SECRET-0123456789"
	mt := httpmock.NewMockTransport()
	org := oktatest.Register(mt, org)
	fakeAdmin := oktatest.NewAdmin(apiToken)
	fakeAdmin.Store = org.Store
	org.Admin = fakeAdmin
	org.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	fakeAdmin.AddUser("00u1")
	fakeAdmin.AddClient("0oa1", "Web")
	fakeAdmin.AddServiceApp("0oaService", ec.Public(), "okta.users.read", "okta.users.manage")
	issued := fakeAdmin.IssueRefreshToken("00u1", "0oa1")
	pair := org.IssueFor("default", clientID, "alice")
	hc := revoke.WithHTTPClient(&http.Client{Transport: mt})

	// The /revoke side, used once so that the fake records credentials.
	cfg := okta.Config{Domain: "dev-123.okta.com", AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret}
	r, err := okta.New(cfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	jwtCfg := okta.Config{Domain: "dev-123.okta.com", Auth: revoke.PrivateKeyJWT(clientID, rk)}
	jwtR, err := okta.New(jwtCfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	hmacCfg := okta.Config{Domain: "dev-123.okta.com", Auth: revoke.ClientSecretJWT(clientID, hmac)}

	// The management side: SSWS, and a service app whose token is cached.
	adminCfg := oktaadmin.Config{Domain: "dev-123.okta.com", APIToken: apiToken}
	admin, err := oktaadmin.New(adminCfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ListUserClients(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	appCfg := oktaadmin.ServiceAppConfig{Domain: "dev-123.okta.com", ClientID: "0oaService", Key: ec, KeyID: "k1", Scopes: []string{"okta.users.read", "okta.users.manage"}}
	src, err := oktaadmin.ServiceAppTokenSource(appCfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	cached, err := src.TokenContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bearerCfg := oktaadmin.Config{Domain: "dev-123.okta.com", TokenSource: src}
	bearer, err := oktaadmin.New(bearerCfg, hc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bearer.ListUserClients(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	staticCfg := oktaadmin.Config{Domain: "dev-123.okta.com", TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: cached.AccessToken})}
	reqs := fakeAdmin.Requests()
	if len(reqs) == 0 {
		t.Fatal("the fake recorded no request")
	}

	var (
		zeroCfg       okta.Config
		zeroR         okta.Revoker
		zeroAdminCfg  oktaadmin.Config
		zeroAdmin     oktaadmin.Admin
		zeroAppCfg    oktaadmin.ServiceAppConfig
		zeroSrc       oktaadmin.ServiceAppSource
		zeroServer    oktatest.Server
		zeroFakeAdmin oktatest.Admin
		zeroToken     oktatest.Token
		zeroRequest   oktatest.Request
	)
	values := map[string]any{
		"okta.Config":                 cfg,
		"*okta.Config":                &cfg,
		"okta.Config jwt":             jwtCfg,
		"okta.Config hmac":            &hmacCfg,
		"okta.Revoker":                *r,
		"*okta.Revoker":               r,
		"*okta.Revoker jwt":           jwtR,
		"zero okta.Config":            zeroCfg,
		"zero okta.Revoker":           zeroR,
		"zero *okta.Revoker":          &zeroR,
		"oktaadmin.Config":            adminCfg,
		"*oktaadmin.Config":           &adminCfg,
		"oktaadmin.Config bearer":     bearerCfg,
		"oktaadmin.Config static":     &staticCfg,
		"oktaadmin.Admin":             *admin,
		"*oktaadmin.Admin":            admin,
		"*oktaadmin.Admin bearer":     bearer,
		"oktaadmin.ServiceAppConfig":  appCfg,
		"*oktaadmin.ServiceAppConfig": &appCfg,
		"oktaadmin.ServiceAppSource":  *src,
		"*oktaadmin.ServiceAppSource": src,
		"zero oktaadmin.Config":       zeroAdminCfg,
		"zero oktaadmin.Admin":        zeroAdmin,
		"zero *oktaadmin.Admin":       &zeroAdmin,
		"zero ServiceAppConfig":       zeroAppCfg,
		"zero ServiceAppSource":       zeroSrc,
		"zero *ServiceAppSource":      &zeroSrc,
		"oktatest.Server":             *org,
		"*oktatest.Server":            org,
		"oktatest.Admin":              *fakeAdmin,
		"*oktatest.Admin":             fakeAdmin,
		"oktatest.Token":              issued,
		"*oktatest.Token":             &issued,
		"oktatest.Request":            reqs[0],
		"*oktatest.Request":           &reqs[len(reqs)-1],
		"[]oktatest.Request":          reqs,
		"zero oktatest.Server":        zeroServer,
		"zero *oktatest.Server":       &zeroServer,
		"zero oktatest.Admin":         zeroFakeAdmin,
		"zero *oktatest.Admin":        &zeroFakeAdmin,
		"zero oktatest.Token":         zeroToken,
		"zero oktatest.Request":       &zeroRequest,
	}
	secrets := []string{secret, url.QueryEscape(secret), hmac, apiToken, cached.AccessToken, pair.AccessToken, pair.RefreshToken,
		issued.Pair.AccessToken, issued.Pair.RefreshToken, ec.D.String(), rk.D.String(), fmt.Sprintf("%x", ec.D.Bytes()),
		testkit.Basic(clientID, url.QueryEscape(secret))}
	for name, v := range values {
		out := testkit.PrintAll(v)
		js, err := json.Marshal(v)
		if err != nil {
			t.Errorf("%s: json.Marshal: %v", name, err)
		}
		testkit.NoLeak(t, name, out+string(js), secrets...)
	}
	// The redacted prints keep their useful parts.
	for name, want := range map[string]string{
		fmt.Sprintf("%+v", cfg):      `ClientSecret:[REDACTED]`,
		fmt.Sprintf("%v", r):         "client_secret_basic",
		fmt.Sprintf("%#v", admin):    `oktaadmin.Admin{Domain:"https://dev-123.okta.com", Auth:SSWS [REDACTED]}`,
		fmt.Sprintf("%+v", *src):     `TokenURL:"https://dev-123.okta.com/oauth2/v1/token"`,
		fmt.Sprintf("%v", issued):    issued.ID,
		fmt.Sprintf("%v", reqs[0]):   "/api/v1/users/00u1/clients",
		fmt.Sprintf("%v", fakeAdmin): "APIToken:[REDACTED]",
	} {
		if !strings.Contains(name, want) {
			t.Errorf("%s lacks %q", name, want)
		}
	}
}
