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
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// oktaScenarios starts the Okta fake and revokes with client_secret_basic,
// private_key_jwt and a public client on the org and the "default"
// authorization servers.
func oktaScenarios(context.Context) ([]scenario, func(), error) {
	oktaFake := oktatest.New()
	oktaSrv := httptest.NewServer(oktaFake)
	cleanup := oktaSrv.Close

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

	return out, cleanup, nil
}
