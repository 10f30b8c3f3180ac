package hydratest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestIntrospect: the admin API's POST /admin/oauth2/introspect takes no
// client authentication and answers for any client's token, as Hydra's
// admin port does; with an API key (Ory Network) it wants the key.
func TestIntrospect(t *testing.T) {
	s := fixture()
	live := s.Issue("app", "alice")
	other := s.Issue("other", "bob")
	revoked := s.Issue("app", "alice")
	s.Store.Revoke(revoked.AccessToken, "app") // fosite ends the grant

	tests := []struct {
		name   string
		method string
		form   url.Values
		hdr    http.Header
		status int
		active bool
		body   string
	}{
		{name: "live access token", form: url.Values{"token": {live.AccessToken}}, status: 200, active: true},
		{name: "live refresh token", form: url.Values{"token": {live.RefreshToken}}, status: 200, active: true},
		{name: "another client's token: no client on the admin API", form: url.Values{"token": {other.AccessToken}}, status: 200, active: true},
		{name: "client credentials are ignored", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("other", "wrong"), status: 200, active: true},
		{name: "revoked access token", form: url.Values{"token": {revoked.AccessToken}}, status: 200},
		{name: "refresh token of the revoked grant", form: url.Values{"token": {revoked.RefreshToken}}, status: 200},
		{name: "unknown token", form: url.Values{"token": {"unknown-token-value"}}, status: 200},
		{name: "missing token", form: url.Values{"scope": {""}}, status: 200},
		{name: "a scope the token lacks", form: url.Values{"token": {live.AccessToken}, "scope": {"offline"}}, status: 200},
		{name: "empty body", form: url.Values{}, status: 400, body: testkit.AdapterBody(t, "revoke-400-invalid-request.json")},
		{name: "GET", method: http.MethodGet, status: 405, body: "Method Not Allowed\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp, body := serve(t, s, method, hydratest.IntrospectPath, tt.form, tt.hdr)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.body != "" {
				if body != tt.body {
					t.Errorf("body %q, want %q", body, tt.body)
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if !tt.active {
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
				return
			}
			info, _ := s.Store.Lookup(tt.form.Get("token"))
			if got["active"] != true || got["client_id"] != info.ClientID || got["sub"] != info.Subject || got["iss"] != base || got["token_use"] != info.Type {
				t.Errorf("answer %s: want the active %s of %s", body, info.Type, info.ClientID)
			}
			lifetime := hydratest.AccessTokenLifetime
			if info.Type == "access_token" {
				if got["token_type"] != "Bearer" {
					t.Errorf("token_type %v", got["token_type"])
				}
			} else {
				lifetime = hydratest.RefreshTokenLifetime
				if _, ok := got["token_type"]; ok {
					t.Errorf("token_type for a refresh token: %s", body)
				}
			}
			iat, _ := got["iat"].(float64)
			exp, _ := got["exp"].(float64)
			if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || got["nbf"] != iat || exp != iat+lifetime.Seconds() {
				t.Errorf("iat %v, nbf %v, exp %v", iat, got["nbf"], exp)
			}
		})
	}
	if !s.Active(live.AccessToken) || !s.Active(other.AccessToken) {
		t.Error("introspection changed a token's state")
	}

	// Self-hosted: the admin port serves it, the public port does not,
	// and the public discovery document names no introspection endpoint.
	if resp, _ := serve(t, s.AdminHandler(), http.MethodPost, hydratest.IntrospectPath, url.Values{"token": {live.AccessToken}}, nil); resp.StatusCode != 200 {
		t.Errorf("admin port: %d", resp.StatusCode)
	}
	if resp, _ := serve(t, s.PublicHandler(), http.MethodPost, hydratest.IntrospectPath, url.Values{"token": {live.AccessToken}}, nil); resp.StatusCode != 404 {
		t.Errorf("public port: %d, want 404", resp.StatusCode)
	}
	if _, md := serve(t, s.PublicHandler(), http.MethodGet, hydratest.DiscoveryPath, nil, nil); strings.Contains(md, "introspect") {
		t.Errorf("public discovery names an introspection endpoint: %s", md)
	}

	// Ory Network: the API key.
	s.APIKey = "ory_pat_example_key_0123"
	if resp, body := serve(t, s, http.MethodPost, hydratest.IntrospectPath, url.Values{"token": {live.AccessToken}}, nil); resp.StatusCode != 401 || !strings.Contains(body, "API key is invalid or missing") {
		t.Errorf("without the key: %d %s", resp.StatusCode, body)
	}
	if resp, body := serve(t, s, http.MethodPost, hydratest.IntrospectPath, url.Values{"token": {live.AccessToken}}, http.Header{"Authorization": {"Bearer " + s.APIKey}}); resp.StatusCode != 200 || !strings.Contains(body, `"active":true`) {
		t.Errorf("with the key: %d %s", resp.StatusCode, body)
	}
}
