package hydratest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const base = "https://auth.example.com"

// serve sends one request straight to h at base+target (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, base+target, form, hdr)
}

func fixture() *hydratest.Server {
	s := hydratest.New()
	s.AddClient(revoketest.Client{ID: "app", Secret: testkit.Secret})
	s.AddClient(revoketest.Client{ID: "other", Secret: "other-secret"})
	s.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	return s
}

// TestRevokeAnswers: fosite's answers, bodies and headers exactly.
func TestRevokeAnswers(t *testing.T) {
	s := fixture()
	p := s.Issue("app", "alice")
	q := s.Issue("other", "bob")
	enc := testkit.BasicHeader("app", url.QueryEscape(testkit.Secret))
	tests := []struct {
		name       string
		method     string
		form       url.Values
		hdr        http.Header
		wantStatus int
		wantBody   string
		wantAuthn  string // WWW-Authenticate
	}{
		{"GET", http.MethodGet, nil, enc, 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json"), ""},
		{"empty body", http.MethodPost, url.Values{}, enc, 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json"), ""},
		{"no client authentication", http.MethodPost, url.Values{"token": {p.AccessToken}}, nil, 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json"), ""},
		{"raw Basic with reserved characters", http.MethodPost, url.Values{"token": {p.AccessToken}}, testkit.BasicHeader("app", testkit.Secret), 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json"), ""},
		{"wrong secret", http.MethodPost, url.Values{"token": {p.AccessToken}}, testkit.BasicHeader("app", "wrong"), 401, testkit.AdapterBody(t, "revoke-401-invalid-client.json"), "Basic"},
		{"confidential client without secret", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"app"}}, nil, 401, testkit.AdapterBody(t, "revoke-401-invalid-client.json"), ""},
		{"both Basic and client_secret", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"app"}, "client_secret": {testkit.Secret}}, enc, 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json"), ""},
		{"another client's token", http.MethodPost, url.Values{"token": {q.AccessToken}}, enc, 400, testkit.AdapterBody(t, "revoke-400-unauthorized-client.json"), ""},
		{"missing token", http.MethodPost, url.Values{"token_type_hint": {"access_token"}}, enc, 200, "", ""},
		{"unknown token", http.MethodPost, url.Values{"token": {"unknown-token-value"}}, enc, 200, "", ""},
		{"success, odd hint ignored", http.MethodPost, url.Values{"token": {p.AccessToken}, "token_type_hint": {"whatever"}}, enc, 200, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := serve(t, s, tc.method, hydratest.RevokePath, tc.form, tc.hdr)
			if resp.StatusCode != tc.wantStatus || body != tc.wantBody || resp.Header.Get("WWW-Authenticate") != tc.wantAuthn {
				t.Errorf("answer = %d %q (WWW-Authenticate %q); want %d %q (%q)", resp.StatusCode, body, resp.Header.Get("WWW-Authenticate"), tc.wantStatus, tc.wantBody, tc.wantAuthn)
			}
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Pragma") != "no-cache" {
				t.Errorf("cache headers = %v", resp.Header)
			}
			if tc.wantBody != "" && resp.Header.Get("Content-Type") != "application/json;charset=UTF-8" {
				t.Errorf("content type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) {
		t.Error("the access token's revocation left part of the grant alive")
	}
	if !s.Active(q.AccessToken) {
		t.Error("another client's token was revoked")
	}
	if n := len(s.Requests()); n != len(tests) {
		t.Errorf("%d requests logged, want %d", n, len(tests))
	}
}

// TestDiscovery: the document names the endpoints at the request's host.
func TestDiscovery(t *testing.T) {
	resp, body := serve(t, hydratest.New(), http.MethodGet, hydratest.DiscoveryPath, nil, nil)
	var md map[string]any
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &md) != nil || md["issuer"] != base || md["revocation_endpoint"] != base+"/oauth2/revoke" || md["token_endpoint"] != base+"/oauth2/token" {
		t.Errorf("discovery = %d %s", resp.StatusCode, body)
	}
	if resp, _ := serve(t, hydratest.New(), http.MethodPost, hydratest.DiscoveryPath, url.Values{}, nil); resp.StatusCode != 405 {
		t.Errorf("POST discovery = %d", resp.StatusCode)
	}
}

// TestAdminAnswers: the admin DELETEs' rules and bodies.
func TestAdminAnswers(t *testing.T) {
	s := fixture()
	p := s.Issue("app", "alice")
	s.Login("alice")
	noSubject := testkit.AdapterBody(t, "admin-400-no-subject.json")
	tests := []struct {
		name, method, target string
		wantStatus           int
		wantBody             string
	}{
		{"no subject", http.MethodDelete, hydratest.ConsentSessionsPath + "?all=true", 400, noSubject},
		{"neither client nor all", http.MethodDelete, hydratest.ConsentSessionsPath + "?subject=alice", 400,
			`{"error":"invalid_request","error_description":"` + hydratest.DescInvalidRequest + `","error_hint":"` + hydratest.HintNoClientOrAll + `","status_code":400}`},
		{"login without subject or sid", http.MethodDelete, hydratest.LoginSessionsPath, 400,
			`{"error":"invalid_request","error_description":"` + hydratest.DescInvalidRequest + `","error_hint":"` + hydratest.HintNoSubjectOrSID + `","status_code":400}`},
		{"GET", http.MethodGet, hydratest.LoginSessionsPath + "?subject=alice", 405, "Method Not Allowed\n"},
		{"another client", http.MethodDelete, hydratest.ConsentSessionsPath + "?subject=alice&client=other", 204, ""},
		{"consents", http.MethodDelete, hydratest.ConsentSessionsPath + "?subject=alice&all=true", 204, ""},
		{"logins", http.MethodDelete, hydratest.LoginSessionsPath + "?subject=alice", 204, ""},
		{"nothing left", http.MethodDelete, hydratest.ConsentSessionsPath + "?subject=alice&all=true", 204, ""},
		{"unknown sid", http.MethodDelete, hydratest.LoginSessionsPath + "?sid=nope", 404, testkit.AdapterBody(t, "admin-404-not-found.json")},
	}
	for _, tc := range tests {
		resp, body := serve(t, s, tc.method, tc.target, nil, nil)
		if resp.StatusCode != tc.wantStatus || body != tc.wantBody {
			t.Errorf("%s: %d %q; want %d %q", tc.name, resp.StatusCode, body, tc.wantStatus, tc.wantBody)
		}
		if tc.name == "another client" && !s.Active(p.AccessToken) {
			t.Error("another client's consent revocation ended alice's app token")
		}
	}
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) || s.LoginSessions("alice") != 0 || len(s.ConsentClients("alice")) != 0 {
		t.Error("alice still holds something")
	}
	s.NotFoundForUnknownSubject = true
	if resp, body := serve(t, s, http.MethodDelete, hydratest.LoginSessionsPath+"?subject=alice", nil, nil); resp.StatusCode != 404 || body != testkit.AdapterBody(t, "admin-404-not-found.json") {
		t.Errorf("old Hydra: %d %q", resp.StatusCode, body)
	}
	s.APIKey = testkit.APIToken
	if resp, body := serve(t, s, http.MethodDelete, hydratest.LoginSessionsPath+"?subject=alice", nil, nil); resp.StatusCode != 401 || body != testkit.AdapterBody(t, "ory-401-generic.json") {
		t.Errorf("no API key: %d %q", resp.StatusCode, body)
	}
	if resp, _ := serve(t, s, http.MethodDelete, hydratest.LoginSessionsPath+"?subject=bob", nil, http.Header{"Authorization": {"Bearer " + testkit.APIToken}}); resp.StatusCode != 404 {
		t.Errorf("with API key: %d", resp.StatusCode)
	}
}

// TestSides: the public and admin handlers serve their own paths only.
func TestSides(t *testing.T) {
	s := fixture()
	if resp, body := serve(t, s.PublicHandler(), http.MethodDelete, hydratest.LoginSessionsPath+"?subject=a", nil, nil); resp.StatusCode != 404 || body != "404 page not found\n" {
		t.Errorf("admin path on the public side: %d %q", resp.StatusCode, body)
	}
	if resp, _ := serve(t, s.AdminHandler(), http.MethodPost, hydratest.RevokePath, url.Values{"token": {"x"}}, nil); resp.StatusCode != 404 {
		t.Errorf("revoke on the admin side: %d", resp.StatusCode)
	}
	if resp, _ := serve(t, s.AdminHandler(), http.MethodDelete, hydratest.LoginSessionsPath+"?subject=a", nil, nil); resp.StatusCode != 204 {
		t.Errorf("admin side: %d", resp.StatusCode)
	}
	s.FailNext(1, revoketest.ServiceUnavailable(0))
	if resp, _ := serve(t, s, http.MethodGet, hydratest.DiscoveryPath, nil, nil); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if out := testkit.PrintAll(s); strings.Contains(out, testkit.Secret) {
		t.Errorf("the fake prints a secret: %s", out)
	}
}
