package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
)

// oktaWSO2Scenarios starts the Okta and WSO2 emulators and revokes through
// their adapters: Okta with client_secret_basic, private_key_jwt and a
// public client on the org and the "default" authorization servers; WSO2
// with raw Basic (a secret full of reserved characters, sent unencoded as
// WSO2 requires), client_secret_post, ClientIDOnly on an implicit-grant
// token, and a tenant path.
func oktaWSO2Scenarios(context.Context) ([]scenario, func(), error) {
	oktaFake := revoketest.NewOkta()
	oktaSrv := httptest.NewServer(oktaFake)
	wso2Fake := revoketest.NewWSO2()
	wso2Srv := httptest.NewServer(wso2Fake)
	cleanup := func() { wso2Srv.Close(); oktaSrv.Close() }

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	const oktaSecret = "kX9fO2mJ7q-Lr4_tW8zYb1cN5vE3hA6d"
	oktaFake.AddClient(revoketest.Client{ID: "0oa-web", Secret: oktaSecret, Method: revoke.MethodClientSecretBasic})
	oktaFake.AddClient(revoketest.Client{ID: "0oa-service", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	oktaFake.AddClient(revoketest.Client{ID: "0oa-spa", Method: revoke.MethodNone})
	var out []scenario
	for _, m := range []struct {
		name string
		cfg  okta.Config
	}{
		{revoke.MethodClientSecretBasic, okta.Config{ClientID: "0oa-web", ClientSecret: oktaSecret}},
		{revoke.MethodPrivateKeyJWT, okta.Config{Auth: revoke.PrivateKeyJWT("0oa-service", key, revoke.WithKeyID("key-1"))}},
		{"none (public)", okta.Config{Auth: revoke.PublicClient("0oa-spa")}},
	} {
		for _, as := range []struct{ id, label string }{{"", "org AS"}, {"default", "default AS"}} {
			cfg := m.cfg
			cfg.Domain, cfg.AuthorizationServerID = oktaSrv.URL, as.id
			r, err := okta.New(cfg)
			if err != nil {
				return nil, cleanup, fmt.Errorf("okta %s (%s): %w", m.name, as.label, err)
			}
			id, asID := r.ClientID(), as.id
			for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintAccessToken} {
				out = append(out, scenario{vendor: "okta (" + as.label + ")", method: m.name, revoker: r, hint: hint, active: oktaFake.Active,
					issue: pick(func() revoketest.Pair { return oktaFake.IssueFor(asID, id, "alice") }, hint)})
			}
		}
	}

	// WSO2: every reserved character but ':', which its Basic cannot carry.
	const wso2Secret = "p@ss w+rd%/=&?#"
	wso2Fake.AddClient(revoketest.Client{ID: "wso2-basic-app", Secret: wso2Secret})
	wso2Fake.AddClient(revoketest.Client{ID: "wso2-post-app", Secret: "se:cret"})
	wso2Fake.AddClient(revoketest.Client{ID: "wso2-implicit-app", Secret: "not-in-the-browser"})
	wso2Fake.AddTenantClient("wso2.com", revoketest.Client{ID: "wso2-tenant-app", Secret: wso2Secret})
	for _, m := range []struct {
		vendor, method string
		cfg            wso2.Config
		issue          func() string
		hint           revoke.TokenTypeHint
	}{
		{"wso2", "client_secret_basic (raw)", wso2.Config{ClientID: "wso2-basic-app", ClientSecret: wso2Secret},
			pick(func() revoketest.Pair { return wso2Fake.Issue("wso2-basic-app", "bob") }, revoke.HintRefreshToken), revoke.HintRefreshToken},
		{"wso2", revoke.MethodClientSecretPost, wso2.Config{Auth: revoke.ClientSecretPost("wso2-post-app", "se:cret")},
			pick(func() revoketest.Pair { return wso2Fake.Issue("wso2-post-app", "bob") }, revoke.HintAccessToken), revoke.HintAccessToken},
		{"wso2", "ClientIDOnly (implicit grant)", wso2.Config{ClientID: "wso2-implicit-app", ClientIDOnly: true},
			func() string { return wso2Fake.IssueImplicit("wso2-implicit-app", "bob") }, revoke.HintAccessToken},
		{"wso2 (tenant wso2.com)", "client_secret_basic (raw)", wso2.Config{Tenant: "wso2.com", ClientID: "wso2-tenant-app", ClientSecret: wso2Secret},
			pick(func() revoketest.Pair { return wso2Fake.Issue("wso2-tenant-app", "carol") }, revoke.HintAccessToken), revoke.HintAccessToken},
	} {
		cfg := m.cfg
		cfg.BaseURL = wso2Srv.URL
		r, err := wso2.New(cfg)
		if err != nil {
			return nil, cleanup, fmt.Errorf("wso2 %s: %w", m.method, err)
		}
		out = append(out, scenario{vendor: m.vendor, method: m.method, revoker: r, hint: m.hint, active: wso2Fake.Active, issue: m.issue})
	}
	return out, cleanup, nil
}
