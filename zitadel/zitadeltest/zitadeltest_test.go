package zitadeltest_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

const base = "https://my-instance-abc123.zitadel.cloud"

// golden reads one of the bodies the adapter's tests serve (../testdata).
func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\n")
}

func serve(h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, base+target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	b, _ := io.ReadAll(w.Result().Body)
	return w.Result(), string(b)
}

func basic(id, secret string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))}}
}

// TestAnswers: zitadel/oidc's statuses and bodies exactly.
func TestAnswers(t *testing.T) {
	s := zitadeltest.New()
	s.AddClient(revoketest.Client{ID: "web@p", Secret: testkit.Secret})
	s.AddClient(revoketest.Client{ID: "spa@p", Method: "none"})
	p := s.Issue("web@p", "alice")
	q := s.Issue("spa@p", "bob")
	enc := basic(url.QueryEscape("web@p"), url.QueryEscape(testkit.Secret))
	for _, tc := range []struct {
		name   string
		method string
		form   url.Values
		hdr    http.Header
		status int
		body   string
	}{
		{"GET", http.MethodGet, nil, nil, 405, ""},
		{"nothing", http.MethodPost, url.Values{"token": {p.AccessToken}}, nil, 401, golden(t, "revoke-401-invalid-authorization.json")},
		{"unknown client", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"nobody"}}, nil, 401, golden(t, "revoke-401-unknown-client.json")},
		{"confidential client_id alone", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_id": {"web@p"}}, nil, 401, golden(t, "revoke-401-invalid-authorization.json")},
		{"Basic not encoded", http.MethodPost, url.Values{"token": {p.AccessToken}}, basic("web@p", "100%"), 401, `{"error":"invalid_client","error_description":"invalid basic auth header"}`},
		{"raw Basic with reserved characters", http.MethodPost, url.Values{"token": {p.AccessToken}}, basic("web@p", "p@ss:w+rd%2F= x"), 401, golden(t, "revoke-401-invalid-secret.json")},
		{"another client's token", http.MethodPost, url.Values{"token": {q.AccessToken}}, enc, 401, golden(t, "revoke-401-wrong-client.json")},
		{"bad assertion", http.MethodPost, url.Values{"token": {p.AccessToken}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {"x"}}, nil, 500,
			`{"error":"server_error","error_description":"parsing of request failed: token contains an invalid number of segments"}`},
		{"refresh token hinted access_token is not found", http.MethodPost, url.Values{"token": {p.RefreshToken}, "token_type_hint": {"access_token"}}, enc, 200, "null"},
		{"access token alone", http.MethodPost, url.Values{"token": {p.AccessToken}}, enc, 200, "null"},
		{"public client, its refresh token", http.MethodPost, url.Values{"token": {q.RefreshToken}, "client_id": {"spa@p"}}, nil, 200, "null"},
		{"unknown token", http.MethodPost, url.Values{"token": {"nope-token-1"}, "client_id": {"spa@p"}}, nil, 200, "null"},
	} {
		resp, body := serve(s, tc.method, zitadeltest.RevokePath, tc.form, tc.hdr)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s: %d %q; want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.body)
		}
	}
	if s.Active(p.AccessToken) || !s.Active(p.RefreshToken) || s.Active(q.RefreshToken) || s.Active(q.AccessToken) {
		t.Error("wrong tokens ended")
	}
	s.FailNext(1, revoketest.ServiceUnavailable(0))
	if resp, _ := serve(s, http.MethodGet, zitadeltest.DiscoveryPath, nil, nil); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if resp, body := serve(s, http.MethodGet, zitadeltest.DiscoveryPath, nil, nil); resp.StatusCode != 200 || !strings.Contains(body, `"issuer":"`+base+`"`) {
		t.Errorf("discovery: %d %s", resp.StatusCode, body)
	}
	if len(s.Requests()) != 14 {
		t.Errorf("%d requests logged", len(s.Requests()))
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(s), testkit.Secret, p.AccessToken)
}
