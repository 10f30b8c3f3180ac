package keycloaktest_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

const (
	base   = "https://sso.example.com"
	realm  = "myrealm"
	revURL = "/realms/myrealm/protocol/openid-connect/revoke"
	secret = "Ws8pTq2rLk5mNv9x"
)

// serve sends one request straight to h at base+target (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, base+target, form, hdr)
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

type fixture struct {
	*keycloaktest.Server
	alice keycloaktest.User
}

func newFixture() fixture {
	s := keycloaktest.New()
	s.AddClient(realm, revoketest.Client{ID: "app", Secret: secret})
	s.AddClient(realm, revoketest.Client{ID: "other", Secret: "other-secret-0123"})
	s.AddClient(realm, revoketest.Client{ID: "spa", Method: keycloaktest.MethodPublic})
	s.AddClient(realm, revoketest.Client{ID: "api", Secret: secret, Method: keycloaktest.MethodBearerOnly})
	s.AddClient(realm, revoketest.Client{ID: "special", Secret: testkit.Secret})
	s.AddClient("disabled", revoketest.Client{ID: "dis-app", Secret: secret})
	s.DisableRealm("disabled")
	alice := s.AddUser(realm, keycloaktest.User{ID: "u-alice", Username: "alice", Email: "Alice@Example.com"})
	return fixture{Server: s, alice: alice}
}

// TestErrorAnswers checks every refusal's status, headers and exact body.
func TestErrorAnswers(t *testing.T) {
	f := newFixture()
	pair := f.Login(realm, "other", f.alice.ID)
	idTok := f.IssueIDToken("app", f.alice.ID)
	tests := []struct {
		name      string
		method    string
		path      string
		form      url.Values
		hdr       http.Header
		status    int
		golden    string
		challenge string
	}{
		{"unknown token", http.MethodPost, revURL, url.Values{"token": {"unknown-token-0123"}}, testkit.BasicHeader("app", secret), 200, "revoke-200-invalid-token.json", ""},
		{"another client's token", http.MethodPost, revURL, url.Values{"token": {pair.RefreshToken}}, testkit.BasicHeader("app", secret), 400, "revoke-400-unmatching-clients.json", ""},
		{"an ID token", http.MethodPost, revURL, url.Values{"token": {idTok}}, testkit.BasicHeader("app", secret), 400, "revoke-400-unsupported-token-type.json", ""},
		{"a repeated parameter", http.MethodPost, revURL, url.Values{"token": {"a", "b"}}, testkit.BasicHeader("app", secret), 400, "revoke-400-duplicated-parameter.json", ""},
		{"no token", http.MethodPost, revURL, url.Values{}, testkit.BasicHeader("app", secret), 400, "revoke-400-token-missing.json", ""},
		{"no client", http.MethodPost, revURL, url.Values{"token": {"t"}}, nil, 400, "revoke-400-missing-client-id.json", ""},
		{"a bearer-only client", http.MethodPost, revURL, url.Values{"token": {"t"}}, testkit.BasicHeader("api", secret), 400, "revoke-400-bearer-only.json", ""},
		{"a wrong secret", http.MethodPost, revURL, url.Values{"token": {"t"}}, testkit.BasicHeader("app", "wrong"), 401, "revoke-401-unauthorized-client.json", ""},
		{"no secret", http.MethodPost, revURL, url.Values{"token": {"t"}, "client_id": {"app"}}, nil, 401, "revoke-401-unauthorized-client.json", ""},
		{"an unknown client", http.MethodPost, revURL, url.Values{"token": {"t"}, "client_id": {"nobody"}}, nil, 401, "revoke-401-invalid-client.json", ""},
		{"a disabled realm", http.MethodPost, "/realms/disabled/protocol/openid-connect/revoke", url.Values{"token": {"t"}}, testkit.BasicHeader("dis-app", secret), 403, "revoke-403-realm-disabled.json", ""},
		{"an unknown realm", http.MethodPost, "/realms/nope/protocol/openid-connect/revoke", url.Values{"token": {"t"}}, nil, 404, "revoke-404-realm.json", ""},
		{"an unreadable Authorization header", http.MethodPost, revURL, url.Values{"token": {"t"}}, http.Header{"Authorization": {"Negotiate abc"}}, 401, "", `Basic realm="myrealm"`},
		{"admin without a token", http.MethodPost, "/admin/realms/myrealm/users/u-alice/logout", nil, nil, 401, "admin-401.json", ""},
		{"admin with a view-only token", http.MethodPost, "/admin/realms/myrealm/users/u-alice/logout", nil, bearer(f.AdminToken(realm, keycloaktest.RoleViewUsers)), 403, "admin-403.json", ""},
		{"admin, unknown user", http.MethodPost, "/admin/realms/myrealm/users/nobody/logout", nil, bearer(f.AdminToken(realm)), 404, "admin-404-user.json", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := serve(t, f, tc.method, tc.path, tc.form, tc.hdr)
			testkit.Want(t, "status", resp.StatusCode, tc.status)
			testkit.Want(t, "WWW-Authenticate", resp.Header.Get("WWW-Authenticate"), tc.challenge)
			if tc.golden == "" {
				testkit.Want(t, "body", body, "")
				return
			}
			testkit.Want(t, "body", body, testkit.AdapterGolden(t, tc.golden))
			testkit.Want(t, "Content-Type", resp.Header.Get("Content-Type"), "application/json")
		})
	}
	if !f.Active(pair.RefreshToken) || !f.Active(idTok) {
		t.Error("a refused request revoked a token")
	}
}

// TestRevocation checks what a revocation does to the token state.
func TestRevocation(t *testing.T) {
	f := newFixture()
	refresh := f.Login(realm, "app", f.alice.ID)
	resp, body := serve(t, f, http.MethodPost, revURL, url.Values{"token": {refresh.RefreshToken}, "token_type_hint": {"bogus"}}, testkit.BasicHeader("app", secret))
	testkit.Want(t, "status", resp.StatusCode, 200)
	testkit.Want(t, "body", body, "")
	testkit.Want(t, "Content-Type", resp.Header.Get("Content-Type"), "")
	testkit.Want(t, "Cache-Control", resp.Header.Get("Cache-Control"), "no-store")
	if f.Active(refresh.RefreshToken) || f.Active(refresh.AccessToken) {
		t.Error("a revoked refresh token left its session's tokens active")
	}
	testkit.Want(t, "sessions", f.Sessions(realm, f.alice.ID), 0)
	_, body = serve(t, f, http.MethodPost, revURL, url.Values{"token": {refresh.RefreshToken}}, testkit.BasicHeader("app", secret))
	testkit.Want(t, "again", body, testkit.AdapterGolden(t, "revoke-200-invalid-token.json"))

	access := f.Login(realm, "app", f.alice.ID)
	serve(t, f, http.MethodPost, revURL, url.Values{"token": {access.AccessToken}}, testkit.BasicHeader("app", secret))
	if f.Active(access.AccessToken) || !f.Active(access.RefreshToken) {
		t.Error("revoking an access token: want it alone inactive")
	}
	_, body = serve(t, f, http.MethodPost, revURL, url.Values{"token": {access.AccessToken}}, testkit.BasicHeader("app", secret))
	testkit.Want(t, "revoked access token again", body, testkit.AdapterGolden(t, "revoke-200-invalid-token.json"))

	offline := f.LoginOffline(realm, "spa", f.alice.ID)
	testkit.Want(t, "offline sessions", f.OfflineSessions(realm, f.alice.ID), 1)
	resp, _ = serve(t, f, http.MethodPost, revURL, url.Values{"token": {offline.RefreshToken}, "client_id": {"spa"}}, nil)
	testkit.Want(t, "status", resp.StatusCode, 200)
	testkit.Want(t, "offline sessions after", f.OfflineSessions(realm, f.alice.ID), 0)

	// A token issued without a session (Store.Issue) works too.
	loose := f.Issue("spa", f.alice.ID)
	serve(t, f, http.MethodPost, revURL, url.Values{"token": {loose.RefreshToken}, "client_id": {"spa"}}, nil)
	if f.Active(loose.RefreshToken) || f.Active(loose.AccessToken) {
		t.Error("Store.Issue tokens survived")
	}
}

// TestClientAuthentication checks Keycloak's rules: Basic decoded (and
// kept when it is not an encoding), LegacyBasic, body credentials (which
// win over Basic), public clients with or without a secret.
func TestClientAuthentication(t *testing.T) {
	enc := url.QueryEscape
	tests := []struct {
		name   string
		legacy bool
		form   url.Values
		hdr    http.Header
		status int
	}{
		{"encoded Basic", false, nil, testkit.BasicHeader("special", enc(testkit.Secret)), 200},
		{"raw Basic that does not decode", false, nil, testkit.BasicHeader("special", testkit.Secret), 200},
		{"raw Basic with '+'", false, nil, testkit.BasicHeader("app", "a+b"), 401},
		{"encoded Basic on Keycloak 19", true, nil, testkit.BasicHeader("special", enc(testkit.Secret)), 401},
		{"raw Basic on Keycloak 19", true, nil, testkit.BasicHeader("special", testkit.Secret), 200},
		{"post", false, url.Values{"client_id": {"special"}, "client_secret": {testkit.Secret}}, nil, 200},
		{"body wins over Basic", false, url.Values{"client_id": {"app"}, "client_secret": {secret}}, testkit.BasicHeader("other", "wrong"), 200},
		{"public client", false, url.Values{"client_id": {"spa"}}, nil, 200},
		{"public client with a secret", false, url.Values{"client_id": {"spa"}, "client_secret": {"anything"}}, nil, 200},
		{"public client over Basic", false, nil, testkit.BasicHeader("spa", ""), 200},
		{"bad base64", false, url.Values{"client_id": {"spa"}}, http.Header{"Authorization": {"Basic !!!"}}, 200},
		{"assertion for a secret client", false, url.Values{"client_id": {"app"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {"a.b.c"}}, nil, 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture()
			f.LegacyBasic = tc.legacy
			form := url.Values{"token": {"unknown-0123456789"}}
			for k, v := range tc.form {
				form[k] = v
			}
			resp, body := serve(t, f, http.MethodPost, revURL, form, tc.hdr)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d (%s), want %d", resp.StatusCode, body, tc.status)
			}
		})
	}
}

// TestJWTClients checks client assertions through the emulator core: the
// audiences Keycloak accepts, and the refusal of the revocation endpoint.
func TestJWTClients(t *testing.T) {
	f := newFixture()
	f.AddClient(realm, revoketest.Client{ID: "jwt-app", Secret: testkit.HMACSecret, Method: keycloaktest.MethodSecretJWT})
	iss := base + "/realms/" + realm
	for _, tc := range []struct {
		aud    string
		status int
	}{
		{iss, 200},
		{iss + "/protocol/openid-connect/token", 200},
		{iss + "/protocol/openid-connect/token/introspect", 200},
		{iss + "/protocol/openid-connect/ext/par/request", 200},
		{iss + "/protocol/openid-connect/ext/ciba/auth", 200},
		{iss + "/protocol/openid-connect/revoke", 400},
		{"https://elsewhere.example.com", 400},
	} {
		form := url.Values{"token": {"unknown-0123456789"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
			"client_assertion": {hs256(t, "jwt-app", tc.aud)}}
		resp, body := serve(t, f, http.MethodPost, revURL, form, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("aud %s: status %d (%s), want %d", tc.aud, resp.StatusCode, body, tc.status)
		}
		if tc.status == 400 && !strings.Contains(body, `"error":"invalid_client"`) {
			t.Errorf("aud %s: body %s", tc.aud, body)
		}
	}
	// Without an assertion, a JWT client is refused.
	resp, body := serve(t, f, http.MethodPost, revURL, url.Values{"token": {"t"}, "client_id": {"jwt-app"}}, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "client_assertion_type is missing") {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
}

// hs256 signs a client assertion with testkit.HMACSecret.
func hs256(t *testing.T, client, aud string) string {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(testkit.HMACSecret)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s, err := jwt.Signed(sig).Claims(jwt.Claims{Issuer: client, Subject: client, Audience: jwt.Audience{aud}, ID: aud,
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestProtocol checks the request rules before any authentication.
func TestProtocol(t *testing.T) {
	f := newFixture()
	resp, _ := serve(t, f, http.MethodGet, revURL, nil, nil)
	testkit.Want(t, "GET", resp.StatusCode, 405)
	testkit.Want(t, "Allow", resp.Header.Get("Allow"), "POST, OPTIONS")
	r := httptest.NewRequest(http.MethodPost, base+revURL, strings.NewReader(`{"token":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	testkit.Want(t, "JSON body", w.Code, 415)
	resp, _ = serve(t, f, http.MethodGet, "/nothing/here", nil, nil)
	testkit.Want(t, "unknown path", resp.StatusCode, 404)
	resp, _ = serve(t, f, http.MethodPost, "/realms/myrealm/protocol/openid-connect/userinfo", url.Values{}, nil)
	testkit.Want(t, "unknown realm path", resp.StatusCode, 404)

	f.RequireHTTPS = true
	r = httptest.NewRequest(http.MethodPost, "http://sso.example.com"+revURL, strings.NewReader("token=t"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	f.ServeHTTP(w, r)
	testkit.Want(t, "http status", w.Code, 403)
	testkit.Want(t, "http body", w.Body.String(), testkit.AdapterGolden(t, "revoke-403-https-required.json"))
	resp, _ = serve(t, f, http.MethodPost, revURL, url.Values{"token": {"t"}, "client_id": {"spa"}}, nil)
	testkit.Want(t, "https", resp.StatusCode, 200)

	big := url.Values{"token": {strings.Repeat("x", revoketest.MaxRequestBytes+1)}}
	resp, _ = serve(t, f, http.MethodPost, revURL, big, nil)
	testkit.Want(t, "oversized", resp.StatusCode, http.StatusRequestEntityTooLarge)
}

// TestMetadata checks the discovery document.
func TestMetadata(t *testing.T) {
	f := newFixture()
	for _, prefix := range []string{"", "/auth"} {
		resp, body := serve(t, f, http.MethodGet, prefix+"/realms/myrealm/.well-known/openid-configuration", nil, nil)
		testkit.Want(t, "status", resp.StatusCode, 200)
		var md map[string]any
		if err := json.Unmarshal([]byte(body), &md); err != nil {
			t.Fatal(err)
		}
		iss := base + prefix + "/realms/myrealm"
		testkit.Want(t, "issuer", md["issuer"], any(iss))
		testkit.Want(t, "revocation_endpoint", md["revocation_endpoint"], any(iss+"/protocol/openid-connect/revoke"))
		if fmt.Sprint(md["revocation_endpoint_auth_methods_supported"]) != "[private_key_jwt client_secret_basic client_secret_post tls_client_auth client_secret_jwt]" {
			t.Errorf("methods %v", md["revocation_endpoint_auth_methods_supported"])
		}
	}
	resp, _ := serve(t, f, http.MethodPost, "/realms/myrealm/.well-known/openid-configuration", url.Values{}, nil)
	testkit.Want(t, "POST metadata", resp.StatusCode, 405)
}

// TestAdminAPI checks the token endpoint, the user search, logout and
// consents.
func TestAdminAPI(t *testing.T) {
	f := newFixture()
	f.AddServiceAccount(realm, revoketest.Client{ID: "revoker", Secret: secret}, keycloaktest.RoleManageUsers)
	resp, body := serve(t, f, http.MethodPost, "/realms/myrealm/protocol/openid-connect/token", url.Values{"grant_type": {"client_credentials"}}, testkit.BasicHeader("revoker", secret))
	testkit.Want(t, "token status", resp.StatusCode, 200)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" || tok.TokenType != "Bearer" {
		t.Fatalf("token answer %s", body)
	}
	resp, body = serve(t, f, http.MethodPost, "/realms/myrealm/protocol/openid-connect/token", url.Values{"grant_type": {"client_credentials"}}, testkit.BasicHeader("app", secret))
	if resp.StatusCode != 400 || !strings.Contains(body, "unauthorized_client") {
		t.Errorf("non-service-account: %d %s", resp.StatusCode, body)
	}
	resp, body = serve(t, f, http.MethodPost, "/realms/myrealm/protocol/openid-connect/token", url.Values{"grant_type": {"password"}}, testkit.BasicHeader("revoker", secret))
	if resp.StatusCode != 400 || !strings.Contains(body, "unsupported_grant_type") {
		t.Errorf("password grant: %d %s", resp.StatusCode, body)
	}
	auth := bearer(tok.AccessToken)

	f.AddUser(realm, keycloaktest.User{ID: "u-al", Username: "al", Email: "al@example.com"})
	for _, tc := range []struct {
		query string
		want  string
	}{
		{"email=alice%40example.com&exact=true", "u-alice"},
		{"email=ALICE%40EXAMPLE.COM&exact=true", "u-alice"},
		{"email=al&exact=false", "u-al u-alice"},
		{"email=al", "u-al u-alice"},
		{"email=al&max=1", "u-al"},
		{"email=nobody%40example.com&exact=true", ""},
	} {
		_, body := serve(t, f, http.MethodGet, "/admin/realms/myrealm/users?"+tc.query, nil, auth)
		var users []struct{ ID string }
		if err := json.Unmarshal([]byte(body), &users); err != nil {
			t.Fatalf("%s: %s", tc.query, body)
		}
		var ids []string
		for _, u := range users {
			ids = append(ids, u.ID)
		}
		testkit.Want(t, tc.query, strings.Join(ids, " "), tc.want)
	}

	web := f.Login(realm, "app", f.alice.ID)
	off := f.LoginOffline(realm, "spa", f.alice.ID)
	_, body = serve(t, f, http.MethodGet, "/admin/realms/myrealm/users/u-alice/consents", nil, auth)
	if !strings.Contains(body, `"clientId":"spa"`) || !strings.Contains(body, `"key":"Offline Token"`) {
		t.Errorf("consents %s", body)
	}
	resp, _ = serve(t, f, http.MethodPost, "/admin/realms/myrealm/users/u-alice/logout", nil, auth)
	testkit.Want(t, "logout", resp.StatusCode, 204)
	if f.Active(web.RefreshToken) || f.Active(off.RefreshToken) {
		t.Error("logout left tokens active")
	}
	testkit.Want(t, "offline sessions outlive the logout", f.OfflineSessions(realm, f.alice.ID), 1)
	resp, _ = serve(t, f, http.MethodDelete, "/admin/realms/myrealm/users/u-alice/consents/spa", nil, auth)
	testkit.Want(t, "revoke consent", resp.StatusCode, 204)
	testkit.Want(t, "offline sessions", f.OfflineSessions(realm, f.alice.ID), 0)
	resp, body = serve(t, f, http.MethodDelete, "/admin/realms/myrealm/users/u-alice/consents/spa", nil, auth)
	if resp.StatusCode != 404 || !strings.Contains(body, "Consent nor offline token not found") {
		t.Errorf("second consent revocation: %d %s", resp.StatusCode, body)
	}
	resp, _ = serve(t, f, http.MethodGet, "/admin/realms/myrealm/groups", nil, auth)
	testkit.Want(t, "unknown admin path", resp.StatusCode, 404)

	// LogoutKeepsOfflineTokens: the offline token survives a logout.
	f.LogoutKeepsOfflineTokens = true
	off = f.LoginOffline(realm, "spa", f.alice.ID)
	serve(t, f, http.MethodPost, "/admin/realms/myrealm/users/u-alice/logout", nil, auth)
	if !f.Active(off.RefreshToken) {
		t.Error("LogoutKeepsOfflineTokens: offline token revoked by the logout")
	}
}

// TestRegister serves the fake behind an httpmock transport, with a path
// prefix, and logs every request with its status.
func TestRegister(t *testing.T) {
	mt := httpmock.NewMockTransport()
	f := keycloaktest.Register(mt, base+"/auth")
	f.AddClient(realm, revoketest.Client{ID: "spa", Method: keycloaktest.MethodPublic})
	f.FailNext(1, revoketest.ServiceUnavailable(0))
	c := &http.Client{Transport: mt}
	for range 2 {
		resp, err := c.PostForm(base+"/auth"+revURL, url.Values{"token": {"t"}, "client_id": {"spa"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	reqs := f.Requests()
	if len(reqs) != 2 || reqs[0].Status != 503 || reqs[1].Status != 200 || reqs[1].Path != "/auth"+revURL {
		t.Errorf("log %+v", reqs)
	}
}

// TestTLSClient checks the X509 authenticator over a real TLS connection:
// a certificate whose subject DN matches, one that does not, none.
func TestTLSClient(t *testing.T) {
	f := keycloaktest.New()
	f.AddRealm("empty")
	srv := httptest.NewUnstartedServer(f)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	f.AddTLSClient(realm, "mtls", "CN=revoke-test-.*")
	cert := testkit.Certificate(t)
	for _, tc := range []struct {
		name  string
		certs []tls.Certificate
		want  int
	}{{"matching certificate", []tls.Certificate{cert}, 200}, {"no certificate", nil, 401}} {
		c := srv.Client()
		tr := c.Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.Certificates = tc.certs
		c.Transport = tr
		resp, err := c.PostForm(srv.URL+revURL, url.Values{"token": {"unknown-0123"}, "client_id": {"mtls"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		testkit.Want(t, tc.name, resp.StatusCode, tc.want)
	}
	resp, err := srv.Client().Get(srv.URL + "/realms/empty/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testkit.Want(t, "AddRealm", resp.StatusCode, 200)
}

// TestPrinting: the fake prints counts only.
func TestPrinting(t *testing.T) {
	f := newFixture()
	p := f.Login(realm, "app", f.alice.ID)
	out := testkit.PrintAll(f.Server)
	testkit.NoLeak(t, "fake", out, secret, testkit.Secret, p.AccessToken, p.RefreshToken)
	if !strings.Contains(out, "realms:2 users:1 sessions:1") {
		t.Errorf("print %s", out)
	}
	var nilS *keycloaktest.Server
	if got := fmt.Sprint(nilS); !strings.Contains(got, "<nil>") {
		t.Errorf("nil prints %s", got)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "fake", f.Server)
	if !strings.Contains(buf.String(), "sessions:1") {
		t.Errorf("slog %s", buf.String())
	}
}

// TestConcurrent exercises the fake from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	f := newFixture()
	tok := f.AdminToken(realm)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := f.AddUser(realm, keycloaktest.User{Username: fmt.Sprint("u", i)})
			p := f.Login(realm, "spa", u.ID)
			f.LoginOffline(realm, "spa", u.ID)
			serve(t, f, http.MethodPost, revURL, url.Values{"token": {p.RefreshToken}, "client_id": {"spa"}}, nil)
			serve(t, f, http.MethodPost, "/admin/realms/myrealm/users/"+u.ID+"/logout", nil, bearer(tok))
			_ = f.Sessions(realm, u.ID) + f.OfflineSessions(realm, u.ID)
		}()
	}
	wg.Wait()
}
