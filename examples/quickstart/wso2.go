package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// wso2Scenarios starts the WSO2 fake and revokes with raw Basic (a secret
// full of reserved characters, sent unencoded as WSO2 requires),
// client_secret_post, ClientIDOnly on an implicit-grant token, and a
// tenant path.
func wso2Scenarios(context.Context) ([]scenario, func(), error) {
	wso2Fake := wso2test.New()
	wso2Srv := httptest.NewServer(wso2Fake)
	cleanup := wso2Srv.Close
	var out []scenario
	// WSO2: every reserved character but ':', which its Basic cannot carry.
	const wso2Secret = "p@ss w+rd%/=&?#"
	wso2Fake.AddClient(revoketest.Client{ID: "wso2-basic-app", Secret: wso2Secret})
	wso2Fake.AddClient(revoketest.Client{ID: "wso2-post-app", Secret: "sec:ret-value"})
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
		{"wso2", revoke.MethodClientSecretPost, wso2.Config{Auth: revoke.ClientSecretPost("wso2-post-app", "sec:ret-value")},
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
