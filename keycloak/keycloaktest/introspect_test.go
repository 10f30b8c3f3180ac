package keycloaktest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

const introURL = "/realms/myrealm/protocol/openid-connect/token/introspect"

// TestIntrospect: the realm's introspection endpoint authenticates the
// client as the revocation endpoint does, refuses public clients, and
// answers RFC 7662 as AccessTokenIntrospectionProvider does: the token's
// claims while it is active, whichever client of the realm asks;
// {"active":false} once it is revoked or its session ended, or for a token
// of another realm.
func TestIntrospect(t *testing.T) {
	f := newFixture()
	f.AddClient("elsewhere", revoketest.Client{ID: "far-app", Secret: secret})
	live := f.Login(realm, "app", f.alice.ID)
	offline := f.LoginOffline(realm, "app", f.alice.ID)
	other := f.Login(realm, "other", f.alice.ID)
	ended := f.Login(realm, "app", f.alice.ID)
	f.Store.Revoke(ended.RefreshToken, "")
	revokedAT := f.Login(realm, "app", f.alice.ID)
	f.Store.Revoke(revokedAT.AccessToken, "")
	far := f.Login("elsewhere", "far-app", "u-far")
	basicApp := testkit.BasicHeader("app", secret)

	tests := []struct {
		name   string
		method string
		form   url.Values
		hdr    http.Header
		status int
		// active answers: the token's type and owner
		typ, owner string
		lifetime   time.Duration
		code, desc string
	}{
		{name: "live access token", form: url.Values{"token": {live.AccessToken}}, hdr: basicApp, status: 200, typ: "Bearer", owner: "app", lifetime: keycloaktest.AccessTokenLifetime},
		{name: "live refresh token, no hint", form: url.Values{"token": {live.RefreshToken}}, hdr: basicApp, status: 200, typ: "Refresh", owner: "app", lifetime: keycloaktest.RefreshTokenLifetime},
		{name: "live refresh token, hint", form: url.Values{"token": {live.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: basicApp, status: 200, typ: "Refresh", owner: "app", lifetime: keycloaktest.RefreshTokenLifetime},
		{name: "offline token", form: url.Values{"token": {offline.RefreshToken}}, hdr: basicApp, status: 200, typ: "Offline", owner: "app", lifetime: keycloaktest.OfflineTokenLifetime},
		{name: "client_secret_post", form: url.Values{"token": {live.AccessToken}, "client_id": {"app"}, "client_secret": {secret}}, status: 200, typ: "Bearer", owner: "app", lifetime: keycloaktest.AccessTokenLifetime},
		{name: "another client's token: Keycloak answers any confidential client of the realm", form: url.Values{"token": {other.AccessToken}}, hdr: basicApp, status: 200, typ: "Bearer", owner: "other", lifetime: keycloaktest.AccessTokenLifetime},
		{name: "a bearer-only client may introspect", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("api", secret), status: 200, typ: "Bearer", owner: "app", lifetime: keycloaktest.AccessTokenLifetime},
		{name: "refresh token of an ended session", form: url.Values{"token": {ended.RefreshToken}}, hdr: basicApp, status: 200},
		{name: "access token of an ended session", form: url.Values{"token": {ended.AccessToken}}, hdr: basicApp, status: 200},
		{name: "revoked access token", form: url.Values{"token": {revokedAT.AccessToken}}, hdr: basicApp, status: 200},
		{name: "unknown token", form: url.Values{"token": {"unknown-token-0123"}}, hdr: basicApp, status: 200},
		{name: "another realm's token", form: url.Values{"token": {far.AccessToken}}, hdr: basicApp, status: 200},
		{name: "wrong secret", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("app", "wrong-secret-value"), status: 401, code: "unauthorized_client", desc: keycloaktest.DescBadCredentials},
		{name: "unknown client", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("nobody", secret), status: 401, code: "invalid_client", desc: keycloaktest.DescBadCredentials},
		{name: "another realm's client", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("far-app", secret), status: 401, code: "invalid_client", desc: keycloaktest.DescBadCredentials},
		{name: "no client", form: url.Values{"token": {live.AccessToken}}, status: 400, code: "invalid_client", desc: keycloaktest.DescMissingClientID},
		{name: "public client", form: url.Values{"token": {live.AccessToken}, "client_id": {"spa"}}, status: 403, code: "invalid_request", desc: keycloaktest.DescClientNotAllowed},
		{name: "no token", form: url.Values{"token_type_hint": {"access_token"}}, hdr: basicApp, status: 400, code: "invalid_request", desc: keycloaktest.DescIntrospectTokenMissing},
		{name: "unsupported hint", form: url.Values{"token": {live.AccessToken}, "token_type_hint": {"id_token"}}, hdr: basicApp, status: 400, code: "invalid_request", desc: keycloaktest.DescIntrospectUnsupportedType},
		{name: "repeated parameter", form: url.Values{"token": {live.AccessToken, live.RefreshToken}}, hdr: basicApp, status: 400, code: "invalid_request", desc: keycloaktest.DescDuplicated},
		{name: "GET", method: http.MethodGet, hdr: basicApp, status: 405, code: "HTTP 405 Method Not Allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp, body := serve(t, f, method, introURL, tt.form, tt.hdr)
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
				if tt.status == 405 && resp.Header.Get("Allow") != "POST, OPTIONS" {
					t.Errorf("Allow %q", resp.Header.Get("Allow"))
				}
			case tt.typ == "":
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
			default:
				if got["active"] != true || got["token_type"] != tt.typ || got["typ"] != tt.typ || got["client_id"] != tt.owner || got["azp"] != tt.owner {
					t.Errorf("answer %s: want active %s token of %s", body, tt.typ, tt.owner)
				}
				if got["sub"] != f.alice.ID || got["username"] != "alice" || got["iss"] != base+"/realms/"+realm {
					t.Errorf("answer %s: want sub %s, username alice, the realm's issuer", body, f.alice.ID)
				}
				iat, _ := got["iat"].(float64)
				exp, _ := got["exp"].(float64)
				if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || exp != iat+tt.lifetime.Seconds() {
					t.Errorf("iat %v, exp %v: want now and iat+%v", iat, exp, tt.lifetime)
				}
			}
		})
	}
	for _, tok := range []string{live.AccessToken, live.RefreshToken, other.AccessToken, offline.RefreshToken} {
		if !f.Active(tok) {
			t.Error("introspection changed a token's state")
		}
	}
}

// TestIntrospectAdvertised: the realm's metadata, and its mTLS aliases,
// name the introspection endpoint the fake serves.
func TestIntrospectAdvertised(t *testing.T) {
	f := newFixture()
	_, body := serve(t, f, http.MethodGet, "/auth/realms/myrealm/.well-known/openid-configuration", nil, nil)
	var md struct {
		Introspection string            `json:"introspection_endpoint"`
		Methods       []string          `json:"introspection_endpoint_auth_methods_supported"`
		Aliases       map[string]string `json:"mtls_endpoint_aliases"`
	}
	if err := json.Unmarshal([]byte(body), &md); err != nil {
		t.Fatal(err)
	}
	want := base + "/auth" + introURL
	if md.Introspection != want || md.Aliases["introspection_endpoint"] != want || len(md.Methods) == 0 {
		t.Errorf("metadata names %q (alias %q, methods %v), want %s", md.Introspection, md.Aliases["introspection_endpoint"], md.Methods, want)
	}
	pair := f.Login(realm, "app", f.alice.ID)
	resp, got := serve(t, f, http.MethodPost, "/auth"+introURL, url.Values{"token": {pair.AccessToken}}, testkit.BasicHeader("app", secret))
	if resp.StatusCode != 200 || !json.Valid([]byte(got)) {
		t.Errorf("the advertised endpoint answers %d %s", resp.StatusCode, got)
	}
}
