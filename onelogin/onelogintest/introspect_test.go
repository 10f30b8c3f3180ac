package onelogintest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// TestOIDCIntrospect: /oidc/2/token/introspection authenticates the app as
// the revocation endpoint does (Basic, POST or None, as registered) and
// answers the app's own tokens.
func TestOIDCIntrospect(t *testing.T) {
	fake := onelogintest.New()
	fake.AddApp(revoketest.Client{ID: "web", Secret: "web-secret-value", Method: "client_secret_basic"})
	fake.AddApp(revoketest.Client{ID: "post", Secret: "post-secret-value", Method: "client_secret_post"})
	fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
	fake.AddAPICredential(olID, olSecret)
	live := fake.Issue("web")
	gone := fake.Issue("web")
	fake.Store.Revoke(gone.RefreshToken, "web")
	postTok := fake.Issue("post")
	spaTok := fake.Issue("spa")
	api := fake.Issue(olID)
	basicWeb := "Basic " + base64.StdEncoding.EncodeToString([]byte("web:web-secret-value"))

	tests := []struct {
		name     string
		method   string
		authz    string
		form     url.Values
		status   int
		active   bool
		lifetime time.Duration
		code     string
		desc     string
	}{
		{name: "live access token, Basic", authz: basicWeb, form: url.Values{"token": {live.AccessToken}, "token_type_hint": {"access_token"}}, status: 200, active: true, lifetime: onelogintest.OIDCAccessTokenLifetime},
		{name: "live refresh token", authz: basicWeb, form: url.Values{"token": {live.RefreshToken}}, status: 200, active: true, lifetime: onelogintest.OIDCRefreshTokenLifetime},
		{name: "POST app", form: url.Values{"token": {postTok.AccessToken}, "client_id": {"post"}, "client_secret": {"post-secret-value"}}, status: 200, active: true, lifetime: onelogintest.OIDCAccessTokenLifetime},
		{name: "PKCE app, client_id alone", form: url.Values{"token": {spaTok.AccessToken}, "client_id": {"spa"}}, status: 200, active: true, lifetime: onelogintest.OIDCAccessTokenLifetime},
		{name: "revoked refresh token", authz: basicWeb, form: url.Values{"token": {gone.RefreshToken}}, status: 200},
		{name: "its access token", authz: basicWeb, form: url.Values{"token": {gone.AccessToken}}, status: 200},
		{name: "another app's token", authz: basicWeb, form: url.Values{"token": {postTok.AccessToken}}, status: 200},
		{name: "an API credential's token", authz: basicWeb, form: url.Values{"token": {api.AccessToken}}, status: 200},
		{name: "unknown token", authz: basicWeb, form: url.Values{"token": {"unknown-token"}}, status: 200},
		{name: "wrong secret", authz: "Basic " + base64.StdEncoding.EncodeToString([]byte("web:"+wrong)), form: url.Values{"token": {live.AccessToken}}, status: 401, code: "invalid_request", desc: "Authentication Failed"},
		{name: "a Basic app in the body", form: url.Values{"token": {live.AccessToken}, "client_id": {"web"}, "client_secret": {"web-secret-value"}}, status: 401, code: "invalid_request", desc: "Authentication Failed"},
		{name: "no credentials", form: url.Values{"token": {live.AccessToken}}, status: 401, code: "invalid_request", desc: "Access is unauthorized"},
		{name: "both places", authz: basicWeb, form: url.Values{"token": {live.AccessToken}, "client_id": {"web"}}, status: 400, code: "invalid_request"},
		{name: "no token", authz: basicWeb, form: url.Values{"token_type_hint": {"access_token"}}, status: 400, code: "invalid_request", desc: "missing required parameter(s). (token)"},
		{name: "GET: as at revocation, the route does not exist", method: http.MethodGet, authz: basicWeb, status: 404, code: "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp := serve(fake, method, onelogintest.OIDCIntrospectPath, "application/x-www-form-urlencoded", tt.authz, tt.form.Encode())
			body := readBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			switch {
			case tt.status != 200:
				if got["error"] != tt.code || (tt.desc != "" && got["error_description"] != tt.desc) {
					t.Errorf("answer %s, want %s %q", body, tt.code, tt.desc)
				}
			case !tt.active:
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
			default:
				info, _ := fake.Store.Lookup(tt.form.Get("token"))
				if got["active"] != true || got["client_id"] != info.ClientID || got["sub"] != info.Subject || got["iss"] != "https://acme.onelogin.com/oidc/2" {
					t.Errorf("answer %s: want the active token of %s", body, info.ClientID)
				}
				if tt := got["token_type"]; (info.Type == "access_token") != (tt == "access_token") {
					t.Errorf("token_type %v for a %s", tt, info.Type)
				}
				iat, _ := got["iat"].(float64)
				exp, _ := got["exp"].(float64)
				if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || exp != iat+tt.lifetime.Seconds() {
					t.Errorf("iat %v, exp %v", iat, exp)
				}
			}
		})
	}
	if !fake.Active(live.AccessToken) || !fake.Active(live.RefreshToken) || !fake.Active(api.AccessToken) {
		t.Error("introspection changed a token's state")
	}
}
