package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
)

// dropboxScenarios starts the Dropbox fake and revokes an access token
// (which ends its refresh token), and refresh tokens through the app's
// key: exchanged for an access token that is then revoked, for an app with
// a secret and for a PKCE app.
func dropboxScenarios(context.Context) ([]scenario, func(), error) {
	const (
		appKey    = "s2x9k1pq7m3n0ab"
		appSecret = "w4zt8y2vq1hj6kd"
		pkceKey   = "p7k3e9y2m4n0qab"
	)
	fake := dropboxtest.New()
	srv := httptest.NewServer(fake)
	fake.AddApp(appKey, appSecret)
	fake.AddApp(pkceKey, "")
	var out []scenario
	for _, m := range []struct {
		vendor, method string
		cfg            dropbox.Config
		hint           revoke.TokenTypeHint
		app            string
	}{
		{"dropbox", "the token itself (Bearer)", dropbox.Config{}, revoke.HintAccessToken, appKey},
		{"dropbox (refresh token)", "client_secret_basic (raw), then Bearer", dropbox.Config{AppKey: appKey, AppSecret: appSecret}, revoke.HintRefreshToken, appKey},
		{"dropbox (refresh token, PKCE)", "none (public), then Bearer", dropbox.Config{AppKey: pkceKey}, revoke.HintRefreshToken, pkceKey},
	} {
		cfg := m.cfg
		cfg.BaseURL = srv.URL
		r, err := dropbox.New(cfg)
		if err != nil {
			return nil, srv.Close, fmt.Errorf("dropbox %s: %w", m.vendor, err)
		}
		app, hint := m.app, m.hint
		out = append(out, scenario{vendor: m.vendor, method: m.method, revoker: r, hint: hint, active: fake.Active,
			issue: func() string {
				p := fake.Issue(app, "dbid:AAH4f99T0taONIb")
				if hint == revoke.HintRefreshToken {
					return p.RefreshToken
				}
				return p.AccessToken
			}})
	}
	return out, srv.Close, nil
}
