package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// oneLoginScenarios starts a OneLogin emulator and revokes through both of
// its endpoints: API-credential tokens with the V1 header and V2 Basic, and
// OpenID Connect tokens with Basic, POST and None (PKCE).
func oneLoginScenarios(context.Context) ([]scenario, func(), error) {
	fake := onelogintest.New()
	srv := httptest.NewServer(fake)

	// API credentials: revoking the access token also revokes its refresh
	// token, so "active" looks at both.
	const apiID, apiSecret = "7c1f0e2d9a4b4c3e8f6a5d0b1e2c3f4a", "9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddccbbaa9988"
	fake.AddAPICredential(apiID, apiSecret)
	pairActive := func(tok string) bool {
		info, _ := fake.Store.Lookup(tok)
		return fake.Active(tok) || fake.Active(info.Sibling)
	}
	var out []scenario
	for _, api := range []struct {
		version onelogin.APIVersion
		label   string
	}{
		{onelogin.V1, "V1 client_id:…, client_secret:…"},
		{onelogin.V2, "V2 Basic"},
	} {
		r, err := onelogin.New(onelogin.Config{BaseURL: srv.URL, ClientID: apiID, ClientSecret: apiSecret, API: api.version})
		if err != nil {
			return nil, srv.Close, fmt.Errorf("onelogin %s: %w", api.version, err)
		}
		out = append(out, scenario{vendor: "onelogin (API)", method: api.label, revoker: r, hint: revoke.HintAccessToken, active: pairActive,
			issue: pick(func() revoketest.Pair { return fake.Issue(apiID) }, revoke.HintAccessToken)})
	}

	// OpenID Connect apps, one per Token Endpoint Authentication Method.
	const appSecret = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071"
	fake.AddApp(revoketest.Client{ID: "oidc-basic-app", Secret: appSecret, Method: revoke.MethodClientSecretBasic})
	fake.AddApp(revoketest.Client{ID: "oidc-post-app", Secret: appSecret, Method: revoke.MethodClientSecretPost})
	fake.AddApp(revoketest.Client{ID: "oidc-spa", Method: revoke.MethodNone})
	for _, m := range []struct {
		name string
		auth revoke.ClientAuth
	}{
		{revoke.MethodClientSecretBasic, revoke.ClientSecretBasic("oidc-basic-app", appSecret)},
		{revoke.MethodClientSecretPost, revoke.ClientSecretPost("oidc-post-app", appSecret)},
		{"none (PKCE)", revoke.PublicClient("oidc-spa")},
	} {
		r, err := onelogin.NewOIDC(onelogin.OIDCConfig{BaseURL: srv.URL, Auth: m.auth})
		if err != nil {
			return nil, srv.Close, fmt.Errorf("onelogin oidc %s: %w", m.name, err)
		}
		id := m.auth.ClientID()
		for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintAccessToken} {
			out = append(out, scenario{vendor: "onelogin (OIDC)", method: m.name, revoker: r, hint: hint, active: fake.Active,
				issue: pick(func() revoketest.Pair { return fake.Issue(id) }, hint)})
		}
	}
	return out, srv.Close, nil
}
