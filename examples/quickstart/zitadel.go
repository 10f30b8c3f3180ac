package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

// zitadelScenarios starts the ZITADEL fake and revokes with Basic
// (form-encoded), Post, None (PKCE), private_key_jwt (aud = the issuer)
// and discovery.
func zitadelScenarios(ctx context.Context) ([]scenario, func(), error) {
	fake := zitadeltest.New()
	srv := httptest.NewServer(fake)
	cleanup := srv.Close

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, cleanup, err
	}
	const secret = "Zq8~p@ss:w+rd%/= x"
	fake.AddClient(revoketest.Client{ID: "286519478562891234@shop", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "286519478562895678@shop", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "286519478562899012@shop", Method: revoke.MethodNone})
	var out []scenario
	for _, m := range []struct {
		name string
		auth revoke.ClientAuth
		hint revoke.TokenTypeHint
	}{
		{revoke.MethodClientSecretBasic, revoke.ClientSecretBasic("286519478562891234@shop", secret), revoke.HintRefreshToken},
		{revoke.MethodClientSecretPost, revoke.ClientSecretPost("286519478562891234@shop", secret), revoke.HintAccessToken},
		{revoke.MethodPrivateKeyJWT, revoke.PrivateKeyJWT("286519478562895678@shop", key, revoke.WithKeyID("286519478562899999")), revoke.HintRefreshToken},
		{"none (PKCE)", revoke.PublicClient("286519478562899012@shop"), revoke.HintAccessToken},
	} {
		r, err := zitadel.New(zitadel.Config{Domain: srv.URL, Auth: m.auth})
		if err != nil {
			return nil, cleanup, fmt.Errorf("zitadel %s: %w", m.name, err)
		}
		id := m.auth.ClientID()
		out = append(out, scenario{vendor: "zitadel", method: m.name, revoker: r, hint: m.hint, active: fake.Active,
			issue: pick(func() revoketest.Pair { return fake.Issue(id, "alice") }, m.hint)})
	}
	d, err := zitadel.Discover(ctx, srv.URL, revoke.ClientCredentials("286519478562891234@shop", secret))
	if err != nil {
		return nil, cleanup, fmt.Errorf("zitadel discovery: %w", err)
	}
	out = append(out, scenario{vendor: "zitadel (discovered)", method: d.AuthMethod(), revoker: d, hint: revoke.HintRefreshToken, active: fake.Active,
		issue: pick(func() revoketest.Pair { return fake.Issue("286519478562891234@shop", "bob") }, revoke.HintRefreshToken)})
	return out, cleanup, nil
}
