package revoketest_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
)

const wso2Base = "https://is.example.com:9443"

func wso2Golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "wso2", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wso2Basic(cred string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(cred))}}
}

func newWSO2Fixture() *revoketest.WSO2 {
	w := revoketest.NewWSO2()
	w.AddClient(revoketest.Client{ID: "app", Secret: "p@ss w+rd%/="})
	w.AddClient(revoketest.Client{ID: "other", Secret: "other-secret"})
	w.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	w.AddClient(revoketest.Client{ID: "jwt-app", Secret: "unused"})
	w.AddTenantClient("wso2.com", revoketest.Client{ID: "tenant-app", Secret: "tenant-secret"})
	return w
}

// TestWSO2ErrorAnswers checks each error answer's status, headers and
// body against what the WSO2 source writes.
func TestWSO2ErrorAnswers(t *testing.T) {
	w := newWSO2Fixture()
	other := w.Issue("other", "bob")
	good := wso2Basic("app:p@ss w+rd%/=")
	tests := []struct {
		name        string
		path        string
		form        url.Values
		hdr         http.Header
		status      int
		golden      string
		contentType string
		challenge   bool
	}{
		{"repeated parameter", "/oauth2/revoke", url.Values{"token": {"a", "b"}}, good, 400, "revoke-400-repeated-params.json", "", false},
		{"missing token", "/oauth2/revoke", url.Values{}, good, 400, "revoke-400-missing-token.json", "application/json", false},
		{"missing token without credentials", "/oauth2/revoke", url.Values{"token": {""}}, nil, 400, "revoke-400-missing-token.json", "application/json", false},
		{"credentials in header and body", "/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"app"}, "client_secret": {"p@ss w+rd%/="}}, good, 400, "revoke-400-both-credentials.json", "application/json", false},
		{"no credentials", "/oauth2/revoke", url.Values{"token": {"t"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"wrong secret", "/oauth2/revoke", url.Values{"token": {"t"}}, wso2Basic("app:nope"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"form-encoded Basic is not decoded", "/oauth2/revoke", url.Values{"token": {"t"}}, wso2Basic("app:" + url.QueryEscape("p@ss w+rd%/=")), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"three parts", "/oauth2/revoke", url.Values{"token": {"t"}}, wso2Basic("app:p@ss:w"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"double space", "/oauth2/revoke", url.Values{"token": {"t"}}, http.Header{"Authorization": {"Basic  " + base64.StdEncoding.EncodeToString([]byte("app:p@ss w+rd%/="))}}, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"bad base64", "/oauth2/revoke", url.Values{"token": {"t"}}, http.Header{"Authorization": {"Basic !!!"}}, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"client_id alone for a confidential client", "/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"app"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"tenant app at the super tenant", "/oauth2/revoke", url.Values{"token": {"t"}}, wso2Basic("tenant-app:tenant-secret"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"another client's access token", "/oauth2/revoke", url.Values{"token": {other.AccessToken}}, good, 401, "revoke-401-unauthorized-client.json", "application/json", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := oktaServe(w, http.MethodPost, wso2Base, tc.path, tc.form, tc.hdr)
			body := oktaBody(t, resp)
			if resp.StatusCode != tc.status || body != trimNL(wso2Golden(t, tc.golden)) {
				t.Errorf("answer = %d %s; want %d %s", resp.StatusCode, body, tc.status, wso2Golden(t, tc.golden))
			}
			if tc.contentType != "" && resp.Header.Get("Content-Type") != tc.contentType {
				t.Errorf("Content-Type = %q, want %q", resp.Header.Get("Content-Type"), tc.contentType)
			}
			if got := resp.Header.Get("Www-Authenticate"); (got == "Basic realm=is.example.com") != tc.challenge {
				t.Errorf("WWW-Authenticate = %q, want challenge %v", got, tc.challenge)
			}
			for _, h := range []string{"RevokedAccessToken", "RevokedRefreshToken", "AuthorizedUser"} {
				if resp.Header.Get(h) != "" {
					t.Errorf("error answer carries %s", h)
				}
			}
		})
	}
	if !w.Active(other.AccessToken) {
		t.Error("another client's token was revoked")
	}
}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

// TestWSO2Success covers the headers only a found token brings, their
// configuration switches, and the secret-less exceptions.
func TestWSO2Success(t *testing.T) {
	w := newWSO2Fixture()
	good := wso2Basic("app:p@ss w+rd%/=")
	post := func(path string, form url.Values, hdr http.Header) *http.Response {
		t.Helper()
		resp := oktaServe(w, http.MethodPost, wso2Base, path, form, hdr)
		if body := oktaBody(t, resp); resp.StatusCode != 200 || body != "" {
			t.Fatalf("answer %d %q, want 200 with an empty body", resp.StatusCode, body)
		}
		for k, v := range map[string]string{"Cache-Control": "no-store", "Pragma": "no-cache", "Content-Type": "application/json", "Content-Length": "0"} {
			if resp.Header.Get(k) != v {
				t.Errorf("%s = %q, want %q", k, resp.Header.Get(k), v)
			}
		}
		return resp
	}
	headers := func(resp *http.Response) [3]string {
		return [3]string{resp.Header.Get("RevokedAccessToken"), resp.Header.Get("RevokedRefreshToken"), resp.Header.Get("AuthorizedUser")}
	}

	p := w.Issue("app", "alice")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {p.RefreshToken}, "token_type_hint": {"refresh_token"}}, good)); got != [3]string{p.AccessToken, p.RefreshToken, "alice@carbon.super"} {
		t.Errorf("refresh token headers = %q", got)
	}
	if w.Active(p.AccessToken) || w.Active(p.RefreshToken) {
		t.Error("pair still active")
	}
	if got := headers(post("/oauth2/revoke", url.Values{"token": {p.RefreshToken}}, good)); got != [3]string{} {
		t.Errorf("already revoked: headers %q, want none", got)
	}
	if got := headers(post("/oauth2/revoke", url.Values{"token": {"unknown"}}, wso2Basic("app:p@ss w+rd%/="))); got != [3]string{} {
		t.Errorf("unknown token: headers %q, want none", got)
	}
	// Lowercase scheme, client_secret_post, and the Java split quirk.
	q := w.Issue("app", "bob")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {q.AccessToken}}, http.Header{"Authorization": {"basic " + base64.StdEncoding.EncodeToString([]byte("app:p@ss w+rd%/=:"))}})); got != [3]string{q.AccessToken, q.RefreshToken, "bob@carbon.super"} {
		t.Errorf("access token headers = %q", got)
	}
	r := w.Issue("app", "carol")
	post("/oauth2/revoke", url.Values{"token": {r.AccessToken}, "client_id": {"app"}, "client_secret": {"p@ss w+rd%/="}}, nil)
	// Another client's refresh token is simply not found.
	o := w.Issue("other", "dave")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {o.RefreshToken}}, good)); got != [3]string{} || !w.Active(o.RefreshToken) {
		t.Errorf("another client's refresh token: headers %q, active %v", got, w.Active(o.RefreshToken))
	}
	// Secret-less: public client, implicit and JWT-grant tokens.
	s := w.Issue("spa", "erin")
	post("/oauth2/revoke", url.Values{"token": {s.AccessToken}, "client_id": {"spa"}}, nil)
	imp := w.IssueImplicit("app", "frank")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {imp}, "client_id": {"app"}}, nil)); got != [3]string{imp, "", "frank@carbon.super"} {
		t.Errorf("implicit token headers = %q", got)
	}
	jwtTok := w.IssueKind("jwt-app", "gina", revoketest.WSO2KindJWTGrant)
	post("/oauth2/revoke", url.Values{"token": {jwtTok.AccessToken}, "client_id": {"jwt-app"}}, nil)
	// Tenant path.
	tp := w.Issue("tenant-app", "hal")
	if got := headers(post("/t/wso2.com/oauth2/revoke", url.Values{"token": {tp.AccessToken}}, wso2Basic("tenant-app:tenant-secret"))); got[2] != "hal@wso2.com" {
		t.Errorf("tenant headers = %q", got)
	}
	for _, tok := range []string{r.AccessToken, s.AccessToken, imp, jwtTok.AccessToken, tp.RefreshToken} {
		if w.Active(tok) {
			t.Errorf("token %s still active", tok[:3])
		}
	}

	// Configuration switches.
	w.DisableTokenHeaders = true
	u := w.Issue("app", "ivy")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {u.AccessToken}}, good)); got != [3]string{"", "", "ivy@carbon.super"} {
		t.Errorf("token headers disabled: %q", got)
	}
	w.DisableRevokeResponseHeaders = true
	v := w.Issue("app", "jay")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {v.AccessToken}}, good)); got != [3]string{} || w.Active(v.AccessToken) {
		t.Errorf("all headers disabled: %q, active %v", got, w.Active(v.AccessToken))
	}
}

// TestWSO2Protocol covers JSONP, methods, content types, paths and faults.
func TestWSO2Protocol(t *testing.T) {
	w := newWSO2Fixture()
	good := wso2Basic("app:p@ss w+rd%/=")
	tests := []struct {
		name, method, path string
		form               url.Values
		hdr                http.Header
		status             int
		body, contentType  string
	}{
		{"JSONP success", http.MethodPost, "/oauth2/revoke", url.Values{"token": {"t"}, "callback": {"cb"}}, good, 200, "cb();", "application/javascript"},
		{"JSONP error has no description", http.MethodPost, "/oauth2/revoke", url.Values{"token": {"t"}, "callback": {"cb"}}, nil, 401, `cb({"error":"invalid_client"});`, "application/javascript"},
		{"GET", http.MethodGet, "/oauth2/revoke", nil, nil, 405, "", ""},
		{"JSON body", http.MethodPost, "/oauth2/revoke", nil, http.Header{"Content-Type": {"application/json"}}, 415, "", ""},
		{"unknown path", http.MethodPost, "/oauth2/token", url.Values{}, nil, 404, "404 page not found\n", ""},
		{"empty tenant", http.MethodPost, "/t//oauth2/revoke", url.Values{}, nil, 404, "404 page not found\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := oktaServe(w, tc.method, wso2Base, tc.path, tc.form, tc.hdr)
			body := oktaBody(t, resp)
			if resp.StatusCode != tc.status || body != tc.body || (tc.contentType != "" && resp.Header.Get("Content-Type") != tc.contentType) {
				t.Errorf("answer = %d %q (%s); want %d %q (%s)", resp.StatusCode, body, resp.Header.Get("Content-Type"), tc.status, tc.body, tc.contentType)
			}
		})
	}
	w.FailNext(1, revoketest.ServiceUnavailable(time.Second))
	if resp := oktaServe(w, http.MethodPost, wso2Base, "/oauth2/revoke", url.Values{"token": {"t"}}, good); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if n := len(w.Requests()); n != len(tests)+1 {
		t.Errorf("log has %d requests, want %d", n, len(tests)+1)
	}
}

// TestRegisterWSO2 is the unit-test entry point: a fake behind an httpmock
// transport, driven by a plain RFC 7009 client configured for raw Basic.
func TestRegisterWSO2(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := revoketest.RegisterWSO2(mt, wso2Base)
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret"})
	p := fake.Issue("app", "alice")
	r, err := generic.New(generic.Config{Endpoint: wso2Base + "/oauth2/revoke", Auth: revoke.ClientSecretBasicRaw("app", "s3cret")}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
		t.Error("still active")
	}
}

// A unit test of code that revokes WSO2 tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegisterWSO2() {
	mt := httpmock.NewMockTransport()
	fake := revoketest.RegisterWSO2(mt, "https://localhost:9443")
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret"})
	tok := fake.Issue("app", "alice")

	r, _ := wso2.New(wso2.Config{BaseURL: "https://localhost:9443", ClientID: "app", ClientSecret: "s3cret"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.AccessToken})

	fmt.Println(err, res.Vendor.Found(), fake.Active(tok.AccessToken), fake.Active(tok.RefreshToken))
	// Output: <nil> true false false
}
