package vendors

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
)

// buildVerifier resolves env and builds the vendor's Revoker and Verifier.
func buildVerifier(t *testing.T, vendor string, env map[string]string) (string, error) {
	t.Helper()
	v, ok := Lookup(vendor)
	if !ok || v.Verifier == nil {
		t.Fatalf("no vendor %s with a Verifier", vendor)
	}
	p, err := profile.Resolve(profile.Input{
		Settings: append(profile.Common(), Settings()...),
		Getenv:   func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Revoker(context.Background(), p)
	if err != nil {
		return "", err
	}
	ver, err := v.Verifier(context.Background(), p, r)
	if err != nil {
		return "", err
	}
	i, ok := ver.(*Introspector)
	if !ok {
		t.Fatalf("%s: Verifier is a %T", vendor, ver)
	}
	return i.Endpoint(), nil
}

// TestVerifyEndpoints: without discovery metadata (the server answers 404
// to it), each vendor's --verify introspects at the endpoint its
// documentation names, beside the revocation endpoint the same settings
// give; with metadata, at the endpoint the metadata names.
func TestVerifyEndpoints(t *testing.T) {
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Metadata only for the realm "listed", which names its own
		// introspection endpoint.
		if r.URL.Path == "/realms/listed/.well-known/openid-configuration" {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{
				"issuer":                 srvURL + "/realms/listed",
				"revocation_endpoint":    srvURL + "/realms/listed/protocol/openid-connect/revoke",
				"introspection_endpoint": srvURL + "/elsewhere/introspect",
			})
			return
		}
		// Hydra's Revoker discovers its revocation endpoint: metadata
		// without an introspection endpoint, as Hydra's public port has
		// none.
		if r.URL.Path == "/.well-known/openid-configuration" {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{
				"issuer":                                srvURL,
				"revocation_endpoint":                   srvURL + "/oauth2/revoke",
				"token_endpoint":                        srvURL + "/oauth2/token",
				"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
			})
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	srvURL = srv.URL
	creds := map[string]string{envClientID: "app", envClientSecret: "client-secret-value-0123456789"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range creds {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	u := srv.URL
	tests := []struct {
		vendor string
		env    map[string]string
		want   string
	}{
		{"okta", with("REVOKE_DOMAIN", u), u + "/oauth2/v1/introspect"},
		{"okta", with("REVOKE_DOMAIN", u, "REVOKE_AUTH_SERVER", "default"), u + "/oauth2/default/v1/introspect"},
		{"okta", with("REVOKE_ISSUER", u+"/oauth2/aus1example"), u + "/oauth2/aus1example/v1/introspect"},
		{"keycloak", with("REVOKE_BASE_URL", u, "REVOKE_REALM", "demo"), u + "/realms/demo/protocol/openid-connect/token/introspect"},
		{"keycloak", with("REVOKE_BASE_URL", u+"/auth", "REVOKE_REALM", "demo"), u + "/auth/realms/demo/protocol/openid-connect/token/introspect"},
		{"keycloak", with("REVOKE_BASE_URL", u, "REVOKE_REALM", "listed"), u + "/elsewhere/introspect"},
		{"zitadel", with("REVOKE_DOMAIN", u), u + "/oauth/v2/introspect"},
		{"hydra", map[string]string{"REVOKE_BASE_URL": u, "REVOKE_ADMIN_URL": u + "/admin-port", envClientID: "app", envClientSecret: "client-secret-value-0123456789"}, u + "/admin-port/admin/oauth2/introspect"},
		{"pingfederate", with("REVOKE_BASE_URL", u), u + "/as/introspect.oauth2"},
		{"pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_BASE_URL", u), u + "/" + demoEnv + "/as/introspect"},
		{"pingam", with("REVOKE_BASE_URL", u+"/am", "REVOKE_REALM", "alpha/customers"), u + "/am/oauth2/realms/root/realms/alpha/realms/customers/introspect"},
		{"pingam", with("REVOKE_BASE_URL", u+"/am"), u + "/am/oauth2/realms/root/introspect"},
		{"onelogin", with("REVOKE_BASE_URL", u, "REVOKE_API", "oidc"), u + "/oidc/2/token/introspection"},
		{"generic", with("REVOKE_ENDPOINT", u+"/revoke", "REVOKE_INTROSPECTION_ENDPOINT", u+"/introspect"), u + "/introspect"},
	}
	for _, tt := range tests {
		got, err := buildVerifier(t, tt.vendor, tt.env)
		if err != nil {
			t.Errorf("%s %v: %v", tt.vendor, tt.env, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s %v: introspection at %s, want %s", tt.vendor, tt.env, got, tt.want)
		}
	}
}

// TestIntrospectionEndpointMTLS: a client that presents a certificate
// introspects at the metadata's RFC 8705 alias.
func TestIntrospectionEndpointMTLS(t *testing.T) {
	var srvURL string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"issuer":                 srvURL,
			"revocation_endpoint":    srvURL + "/revoke",
			"introspection_endpoint": srvURL + "/introspect",
			"token_endpoint":         srvURL + "/token",
			"mtls_endpoint_aliases":  map[string]string{"introspection_endpoint": srvURL + "/mtls/introspect", "token_endpoint": srvURL + "/mtls/token"},
		})
	}))
	defer srv.Close()
	srvURL = srv.URL
	ctx := context.Background()
	ep, tok := introspectionEndpoint(ctx, srv.URL, "documented", revoke.TLSClientAuth("app", tls.Certificate{}), nil)
	if ep != srv.URL+"/mtls/introspect" || tok != srv.URL+"/mtls/token" {
		t.Errorf("with a certificate: %s, %s; want the mTLS aliases", ep, tok)
	}
	ep, tok = introspectionEndpoint(ctx, srv.URL, "documented", revoke.ClientSecretBasic("app", "client-secret-value-0123456789"), nil)
	if ep != srv.URL+"/introspect" || tok != srv.URL+"/token" {
		t.Errorf("with a secret: %s, %s; want the metadata's endpoints", ep, tok)
	}
	ep, _ = introspectionEndpoint(ctx, srv.URL+"/nowhere", "documented", revoke.ClientSecretBasic("app", "client-secret-value-0123456789"), nil)
	if ep != "documented" {
		t.Errorf("without metadata: %s, want the documented endpoint", ep)
	}
}

// TestIntrospectorHints: HintRequired asks about a token without a hint
// as a refresh token, then as an access token when that says inactive;
// AccessTokensOnly trusts an inactive answer only for a token hinted
// access_token, and sends no token hinted otherwise.
func TestIntrospectorHints(t *testing.T) {
	var asked []string
	active := map[string]string{"live-refresh": "refresh_token", "live-access": ""}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		hint := r.PostForm.Get("token_type_hint")
		asked = append(asked, r.PostForm.Get("token")+"/"+hint)
		w.Header().Set("Content-Type", "application/json")
		// As PingFederate: a token is looked up as the hint says, an
		// access token without one.
		want, ok := active[r.PostForm.Get("token")]
		if hint == "access_token" {
			hint = ""
		}
		json.NewEncoder(w).Encode(map[string]bool{"active": ok && want == hint})
	}))
	defer srv.Close()
	auth := revoke.ClientSecretBasic("app", "client-secret-value-0123456789")
	newI := func(cfg IntrospectorConfig) *Introspector {
		cfg.Endpoint, cfg.Auth = srv.URL+"/introspect", auth
		i, err := NewIntrospector(cfg, revoke.WithInsecureHTTP())
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	tests := []struct {
		name   string
		cfg    IntrospectorConfig
		req    revoke.Request
		active bool
		err    string
		asked  []string
	}{
		{"hint required: live refresh token", IntrospectorConfig{HintRequired: true}, revoke.Request{Token: "live-refresh"}, true, "", []string{"live-refresh/refresh_token"}},
		{"hint required: live access token", IntrospectorConfig{HintRequired: true}, revoke.Request{Token: "live-access"}, true, "", []string{"live-access/refresh_token", "live-access/"}},
		{"hint required: inactive both ways", IntrospectorConfig{HintRequired: true}, revoke.Request{Token: "gone"}, false, "", []string{"gone/refresh_token", "gone/"}},
		{"hint required: a hint is sent as given", IntrospectorConfig{HintRequired: true}, revoke.Request{Token: "live-refresh", Hint: revoke.HintAccessToken}, false, "", []string{"live-refresh/access_token"}},
		{"plain: one ask", IntrospectorConfig{}, revoke.Request{Token: "live-refresh"}, false, "", []string{"live-refresh/"}},
		{"access tokens only: hinted access token", IntrospectorConfig{AccessTokensOnly: true}, revoke.Request{Token: "gone", Hint: revoke.HintAccessToken}, false, "", []string{"gone/access_token"}},
		{"access tokens only: active is active", IntrospectorConfig{AccessTokensOnly: true}, revoke.Request{Token: "live-access"}, true, "", []string{"live-access/"}},
		{"access tokens only: inactive without the hint proves nothing", IntrospectorConfig{AccessTokensOnly: true}, revoke.Request{Token: "gone"}, false, "access tokens only", []string{"gone/"}},
		{"access tokens only: a refresh token is not sent", IntrospectorConfig{AccessTokensOnly: true}, revoke.Request{Token: "live-refresh", Hint: revoke.HintRefreshToken}, false, "access tokens only", nil},
	}
	for _, tt := range tests {
		asked = nil
		got, err := newI(tt.cfg).Verify(context.Background(), tt.req)
		if got != tt.active || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: active %t, error %v; want %t, %q", tt.name, got, err, tt.active, tt.err)
		}
		if err != nil && !errors.Is(err, revoke.ErrUnsupported) {
			t.Errorf("%s: error %v is not revoke.ErrUnsupported", tt.name, err)
		}
		if strings.Join(asked, " ") != strings.Join(tt.asked, " ") {
			t.Errorf("%s: asked %v, want %v", tt.name, asked, tt.asked)
		}
		if err != nil && strings.Contains(err.Error(), tt.req.Token) {
			t.Errorf("%s: the error holds the token", tt.name)
		}
	}
}
