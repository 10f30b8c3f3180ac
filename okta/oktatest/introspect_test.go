package oktatest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// TestOktaIntrospect: /v1/introspect of the org and of a custom
// authorization server authenticates the client as /v1/revoke does and
// answers RFC 7662: the documented members for a live token of the
// client's, {"active":false} for a revoked, unknown, foreign or other
// server's token.
func TestOktaIntrospect(t *testing.T) {
	o, key := newOktaFixture(t)
	o.AddClient(revoketest.Client{ID: "other", Secret: "other-secret"})
	org := o.IssueFor("", "web", "alice@example.com")
	custom := o.IssueFor("default", "web", "alice@example.com")
	revoked := o.IssueFor("", "web", "alice@example.com")
	o.Store.Revoke(revoked.RefreshToken, "web")
	foreign := o.IssueFor("", "other", "bob@example.com")
	svcTok := o.IssueFor("", "svc", "carol@example.com")
	unbound := o.Issue("web", "alice@example.com")
	spa := o.IssueFor("", "spa", "dave@example.com")

	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	orgURL := oktaBase + oktatest.OrgIntrospectPath
	tests := []struct {
		name   string
		method string
		path   string
		form   url.Values
		hdr    http.Header
		status int
		active bool
		iss    string
		code   string
	}{
		{name: "live access token, org", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}}, hdr: basicWeb, status: 200, active: true, iss: oktaBase},
		{name: "live refresh token, hint", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: basicWeb, status: 200, active: true, iss: oktaBase},
		{name: "live token, custom server", path: oktatest.IntrospectPath("default"), form: url.Values{"token": {custom.AccessToken}}, hdr: basicWeb, status: 200, active: true, iss: oktaBase + "/oauth2/default"},
		{name: "unbound token, any server", path: oktatest.IntrospectPath("default"), form: url.Values{"token": {unbound.AccessToken}}, hdr: basicWeb, status: 200, active: true, iss: oktaBase + "/oauth2/default"},
		{name: "client_secret_post", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}, "client_id": {"web"}, "client_secret": {"p@ss w+rd/="}}, status: 200, active: true, iss: oktaBase},
		{name: "private_key_jwt, aud the URL called", path: oktatest.OrgIntrospectPath, form: merge(url.Values{"token": {svcTok.AccessToken}}, signAssertion(t, key, "svc", orgURL)), status: 200, active: true, iss: oktaBase},
		{name: "public client", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {spa.AccessToken}, "client_id": {"spa"}}, status: 200, active: true, iss: oktaBase},
		{name: "revoked refresh token", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {revoked.RefreshToken}}, hdr: basicWeb, status: 200},
		{name: "its access token, revoked with it", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {revoked.AccessToken}}, hdr: basicWeb, status: 200},
		{name: "unknown token", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {"no-such-token"}}, hdr: basicWeb, status: 200},
		{name: "another client's token", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {foreign.AccessToken}}, hdr: basicWeb, status: 200},
		{name: "another server's token", path: oktatest.IntrospectPath("default"), form: url.Values{"token": {org.AccessToken}}, hdr: basicWeb, status: 200},
		{name: "org token at a custom server", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {custom.AccessToken}}, hdr: basicWeb, status: 200},
		{name: "wrong secret", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}}, hdr: http.Header{"Authorization": {"Basic " + oktaB64("web:wrong")}}, status: 401, code: "invalid_client"},
		{name: "unknown client", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}, "client_id": {"nobody"}, "client_secret": {"x-secret"}}, status: 401, code: "invalid_client"},
		{name: "no credentials", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}}, status: 401, code: "invalid_client"},
		{name: "assertion for the issuer", path: oktatest.OrgIntrospectPath, form: merge(url.Values{"token": {svcTok.AccessToken}}, signAssertion(t, key, "svc", oktaBase)), status: 401, code: "invalid_client"},
		{name: "no token", path: oktatest.OrgIntrospectPath, form: url.Values{"token_type_hint": {"access_token"}}, hdr: basicWeb, status: 400, code: "invalid_request"},
		{name: "bad hint", path: oktatest.OrgIntrospectPath, form: url.Values{"token": {org.AccessToken}, "token_type_hint": {"oauth_sts"}}, hdr: basicWeb, status: 400, code: "invalid_request"},
		{name: "GET", method: http.MethodGet, path: oktatest.OrgIntrospectPath, hdr: basicWeb, status: 405, code: "E0000022"},
		{name: "PUT", method: http.MethodPut, path: oktatest.IntrospectPath("default"), form: url.Values{"token": {org.AccessToken}}, hdr: basicWeb, status: 405, code: "E0000022"},
		{name: "unknown authorization server", path: oktatest.IntrospectPath("aus-none"), form: url.Values{"token": {org.AccessToken}}, hdr: basicWeb, status: 404, code: "E0000007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp := oktaServe(o, method, oktaBase, tt.path, tt.form, tt.hdr)
			body := oktaBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if resp.Header.Get("X-Rate-Limit-Remaining") == "" {
				t.Error("no X-Rate-Limit-Remaining: introspection counts against the rate limit")
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			if tt.status != 200 {
				code := got["error"]
				if code == nil {
					code = got["errorCode"]
				}
				if code != tt.code {
					t.Errorf("error %v, want %s: %s", code, tt.code, body)
				}
				return
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
			}
			if !tt.active {
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
				return
			}
			if got["active"] != true || got["token_type"] != "Bearer" || got["iss"] != tt.iss {
				t.Errorf("answer %s: want active, Bearer, iss %s", body, tt.iss)
			}
			tok := tt.form.Get("token")
			info, _ := o.Store.Lookup(tok)
			if got["client_id"] != info.ClientID || got["sub"] != info.Subject || got["username"] != info.Subject {
				t.Errorf("answer %s: want client_id %s, sub and username %s", body, info.ClientID, info.Subject)
			}
			iat, _ := got["iat"].(float64)
			exp, _ := got["exp"].(float64)
			lifetime := oktatest.AccessTokenLifetime
			if info.Type == "refresh_token" {
				lifetime = oktatest.RefreshTokenLifetime
			}
			if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || exp != iat+lifetime.Seconds() {
				t.Errorf("iat %v, exp %v: want now and iat+%v", iat, exp, lifetime)
			}
		})
	}
	// Introspection reveals, and changes, nothing: every token is as it was.
	for _, tok := range []string{org.AccessToken, org.RefreshToken, custom.AccessToken, foreign.AccessToken, svcTok.AccessToken} {
		if !o.Active(tok) {
			t.Error("a token introspected is no longer active")
		}
	}
}

// TestOktaMetadataAdvertisesIntrospection: each authorization server's
// metadata names the introspection endpoint the fake serves.
func TestOktaMetadataAdvertisesIntrospection(t *testing.T) {
	o := oktatest.New()
	for _, tc := range []struct{ meta, want string }{
		{"/.well-known/openid-configuration", oktaBase + oktatest.OrgIntrospectPath},
		{"/.well-known/oauth-authorization-server", oktaBase + oktatest.OrgIntrospectPath},
		{"/oauth2/default/.well-known/openid-configuration", oktaBase + oktatest.IntrospectPath("default")},
	} {
		resp := oktaServe(o, http.MethodGet, oktaBase, tc.meta, nil, nil)
		var md map[string]any
		if err := json.Unmarshal([]byte(oktaBody(t, resp)), &md); err != nil {
			t.Fatal(err)
		}
		if md["introspection_endpoint"] != tc.want {
			t.Errorf("%s: introspection_endpoint %v, want %s", tc.meta, md["introspection_endpoint"], tc.want)
		}
		ep, _ := md["introspection_endpoint"].(string)
		u, _ := url.Parse(ep)
		probe := oktaServe(o, http.MethodPost, oktaBase, u.Path, url.Values{"token": {"x"}}, nil)
		if probe.StatusCode == http.StatusNotFound {
			t.Errorf("%s: the advertised endpoint %s answers 404", tc.meta, ep)
		}
	}
}

func merge(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
