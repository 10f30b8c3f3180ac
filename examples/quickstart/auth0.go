package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"
	"sync"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/revoketest"
)

// auth0Scenarios starts the Auth0 fake and revokes refresh tokens (Auth0
// revokes nothing else) with client_secret_post, private_key_jwt (the
// assertion's audience is the tenant URL) and a public client, then ends
// everything a user holds through the Management API.
func auth0Scenarios(ctx context.Context) ([]scenario, func(), error) {
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	cleanup := srv.Close
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	const secret = "p@ss:w+rd%/= x"
	fake.AddClient(revoketest.Client{ID: "auth0-web-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "auth0-key-app", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "auth0-spa", Method: revoke.MethodNone})
	var out []scenario
	for _, m := range []struct {
		method string
		cfg    auth0.Config
	}{
		{revoke.MethodClientSecretPost, auth0.Config{ClientID: "auth0-web-app", ClientSecret: secret}},
		{revoke.MethodPrivateKeyJWT, auth0.Config{Auth: revoke.PrivateKeyJWT("auth0-key-app", key, revoke.WithKeyID("k1"))}},
		{"none (public)", auth0.Config{Auth: revoke.PublicClient("auth0-spa")}},
	} {
		cfg := m.cfg
		cfg.Domain = srv.URL
		r, err := auth0.New(cfg)
		if err != nil {
			return nil, cleanup, fmt.Errorf("auth0 %s: %w", m.method, err)
		}
		id := r.ClientID()
		out = append(out, scenario{vendor: "auth0", method: m.method, revoker: r, hint: revoke.HintRefreshToken, active: fake.Active,
			issue: func() string { return fake.Issue(id, "auth0|quickstart-user").RefreshToken }})
	}

	// User level: the Management API revokes every refresh token of the
	// user who holds the token, and ends their sessions.
	mgmt, err := auth0.NewManagement(auth0.ManagementConfig{Domain: srv.URL, APIToken: fake.ManagementToken()})
	if err != nil {
		return nil, cleanup, fmt.Errorf("auth0 management: %w", err)
	}
	var mu sync.Mutex
	users := map[string]string{}
	n := 0
	issue := func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		user := fmt.Sprintf("auth0|quickstart-%d", n)
		fake.StartSession(user)
		rt := fake.Issue("auth0-web-app", user).RefreshToken
		users[rt] = user
		return rt
	}
	subject := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		mu.Lock()
		user := users[req.Token]
		mu.Unlock()
		rep, err := mgmt.RevokeSubject(ctx, revoke.OpaqueSubject(user))
		if err != nil {
			return nil, err
		}
		res := &revoke.Result{}
		for _, s := range rep.Steps {
			if s.Result != nil {
				res.Attempts += s.Result.Attempts
				res.StatusCode = s.Result.StatusCode
			}
		}
		return res, nil
	})
	out = append(out, scenario{vendor: "auth0 (user level)", method: "Management API token", revoker: subject, hint: revoke.HintRefreshToken, active: fake.Active, issue: issue})
	return out, cleanup, nil
}
