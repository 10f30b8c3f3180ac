package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/revoketest"
)

// hydraScenarios starts the Ory Hydra fake, its public and admin sides on
// two listeners as self-hosted Hydra serves them, and revokes with
// client_secret_basic (form-encoded), client_secret_post, private_key_jwt
// (aud = the token endpoint), a public client, discovery, and the admin
// API's user-level revocation.
func hydraScenarios(ctx context.Context) ([]scenario, func(), error) {
	fake := hydratest.New()
	pub := httptest.NewServer(fake.PublicHandler())
	adm := httptest.NewServer(fake.AdminHandler())
	cleanup := func() { adm.Close(); pub.Close() }

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	const secret = "p@ss:w+rd%/= x" // fosite form-decodes Basic: every character survives
	fake.AddClient(revoketest.Client{ID: "hydra-web", Secret: secret, Method: revoke.MethodClientSecretBasic})
	fake.AddClient(revoketest.Client{ID: "hydra-post", Secret: secret, Method: revoke.MethodClientSecretPost})
	fake.AddClient(revoketest.Client{ID: "hydra-service", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "hydra-spa", Method: revoke.MethodNone})
	fake.AddClient(revoketest.Client{ID: "hydra-any", Secret: secret}) // basic or post
	var out []scenario
	for _, m := range []struct {
		name string
		auth revoke.ClientAuth
		hint revoke.TokenTypeHint
	}{
		{revoke.MethodClientSecretBasic, revoke.ClientSecretBasic("hydra-web", secret), revoke.HintRefreshToken},
		{revoke.MethodClientSecretPost, revoke.ClientSecretPost("hydra-post", secret), revoke.HintAccessToken},
		{revoke.MethodPrivateKeyJWT, revoke.PrivateKeyJWT("hydra-service", key, revoke.WithKeyID("k1")), revoke.HintAccessToken},
		{"none (public)", revoke.PublicClient("hydra-spa"), revoke.HintRefreshToken},
	} {
		r, err := hydra.New(hydra.Config{PublicURL: pub.URL, Auth: m.auth})
		if err != nil {
			return nil, cleanup, fmt.Errorf("hydra %s: %w", m.name, err)
		}
		id := m.auth.ClientID()
		out = append(out, scenario{vendor: "hydra", method: m.name, revoker: r, hint: m.hint, active: fake.Active,
			issue: pick(func() revoketest.Pair { return fake.Issue(id, "alice") }, m.hint)})
	}
	d, err := hydra.Discover(ctx, pub.URL, revoke.ClientCredentials("hydra-any", secret))
	if err != nil {
		return nil, cleanup, fmt.Errorf("hydra discovery: %w", err)
	}
	out = append(out, scenario{vendor: "hydra (discovered)", method: d.AuthMethod(), revoker: d, hint: revoke.HintRefreshToken, active: fake.Active,
		issue: pick(func() revoketest.Pair { return fake.Issue("hydra-any", "bob") }, revoke.HintRefreshToken)})

	// User-level: the admin API revokes the subject's consent sessions,
	// and every token issued under them, then the login sessions.
	admin, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: adm.URL})
	if err != nil {
		return nil, cleanup, fmt.Errorf("hydra admin: %w", err)
	}
	bySubject := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		info, _ := fake.Lookup(req.Token)
		rep, err := admin.RevokeSubject(ctx, revoke.OpaqueSubject(info.Subject))
		if err != nil {
			return nil, err
		}
		return rep.Steps[0].Result, nil
	})
	out = append(out, scenario{vendor: "hydra (admin, RevokeSubject)", method: "none (admin port)", revoker: bySubject, hint: revoke.HintAccessToken, active: fake.Active,
		issue: func() string {
			fake.Login("carol")
			return fake.Issue("hydra-web", "carol").AccessToken
		}})
	return out, cleanup, nil
}
