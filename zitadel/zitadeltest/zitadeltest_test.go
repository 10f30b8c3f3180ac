package zitadeltest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

const base = "https://my-instance-abc123.zitadel.cloud"

// serve sends one request straight to h at base+target (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, base+target, form, hdr)
}

// TestAnswers: zitadel/oidc's statuses and bodies exactly.
func TestAnswers(t *testing.T) {
	s := zitadeltest.New()
	s.AddClient(revoketest.Client{ID: "web@p", Secret: testkit.Secret})
	s.AddClient(revoketest.Client{ID: "spa@p", Method: "none"})
	p := s.Issue("web@p", "alice")
	q := s.Issue("spa@p", "bob")
	enc := testkit.BasicHeader(url.QueryEscape("web@p"), url.QueryEscape(testkit.Secret))
	for _, tc := range []struct {
		name   string
		method string
		form   url.Values
		hdr    http.Header
		status int
		body   string
	}{
		{"GET", http.MethodGet, nil, nil, 405, ""},
		{"nothing", http.MethodPost, url.Values{"token": {p.AccessToken}}, nil, 401, testkit.AdapterBody(t, "revoke-401-invalid-authorization.json")},
		{"unknown client", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"nobody"}}, nil, 401, testkit.AdapterBody(t, "revoke-401-unknown-client.json")},
		{"confidential client_id alone", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"web@p"}}, nil, 401, testkit.AdapterBody(t, "revoke-401-invalid-authorization.json")},
		{"Basic not encoded", http.MethodPost, url.Values{"token": {p.AccessToken}}, testkit.BasicHeader("web@p", "100%"), 401, `{"error":"invalid_client","error_description":"invalid basic auth header"}`},
		{"raw Basic with reserved characters", http.MethodPost, url.Values{"token": {p.AccessToken}}, testkit.BasicHeader("web@p", "p@ss:w+rd%2F= x"), 401, testkit.AdapterBody(t, "revoke-401-invalid-secret.json")},
		{"another client's token", http.MethodPost, url.Values{"token": {q.AccessToken}}, enc, 401, testkit.AdapterBody(t, "revoke-401-wrong-client.json")},
		{"bad assertion", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {"x"}}, nil, 500,
			`{"error":"server_error","error_description":"parsing of request failed: token contains an invalid number of segments"}`},
		{"refresh token hinted access_token is not found", http.MethodPost, url.Values{"token": {p.RefreshToken}, "token_type_hint": {"access_token"}}, enc, 200, "null"},
		{"access token alone", http.MethodPost, url.Values{"token": {p.AccessToken}}, enc, 200, "null"},
		{"public client, its refresh token", http.MethodPost, url.Values{"token": {q.RefreshToken}, "client_id": {"spa@p"}}, nil, 200, "null"},
		{"unknown token", http.MethodPost, url.Values{"token": {"nope-token-1"}, "client_id": {"spa@p"}}, nil, 200, "null"},
	} {
		resp, body := serve(t, s, tc.method, zitadeltest.RevokePath, tc.form, tc.hdr)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s: %d %q; want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.body)
		}
	}
	if s.Active(p.AccessToken) || !s.Active(p.RefreshToken) || s.Active(q.RefreshToken) || s.Active(q.AccessToken) {
		t.Error("wrong tokens ended")
	}
	s.FailNext(1, revoketest.ServiceUnavailable(0))
	if resp, _ := serve(t, s, http.MethodGet, zitadeltest.DiscoveryPath, nil, nil); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if resp, body := serve(t, s, http.MethodGet, zitadeltest.DiscoveryPath, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `"issuer":"`+base+`"`) {
		t.Errorf("discovery: %d %s", resp.StatusCode, body)
	}
	if len(s.Requests()) != 14 {
		t.Errorf("%d requests logged", len(s.Requests()))
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(s), testkit.Secret, p.AccessToken)
}
