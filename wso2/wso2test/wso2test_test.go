package wso2test_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2/wso2test"
)

const (
	base      = "https://is.example.com:9443"
	appSecret = "p@ss w+rd%/="
)

// serve sends one request straight to h at base+target (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, base+target, form, hdr)
}

func basic(cred string) http.Header {
	return http.Header{"Authorization": {"Basic " + base64.StdEncoding.EncodeToString([]byte(cred))}}
}

func newFixture() *wso2test.Server {
	s := wso2test.New()
	s.AddClient(revoketest.Client{ID: "app", Secret: appSecret})
	s.AddClient(revoketest.Client{ID: "other", Secret: "other-secret"})
	s.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	s.AddClient(revoketest.Client{ID: "jwt-app", Secret: "unused-secret"})
	s.AddTenantClient("wso2.com", revoketest.Client{ID: "tenant-app", Secret: "tenant-secret"})
	return s
}

// TestErrorAnswers checks each error answer's status, headers and body
// against what the WSO2 source writes (the goldens in ../testdata).
func TestErrorAnswers(t *testing.T) {
	s := newFixture()
	other := s.Issue("other", "bob")
	good := basic("app:" + appSecret)
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
		{"repeated parameter before the JSONP callback", "/oauth2/revoke", url.Values{"token": {"t"}, "callback": {"a", "b"}}, good, 400, "revoke-400-repeated-params.json", "", false},
		{"missing token", "/oauth2/revoke", url.Values{}, good, 400, "revoke-400-missing-token.json", "application/json", false},
		{"missing token without credentials", "/oauth2/revoke", url.Values{"token": {""}}, nil, 400, "revoke-400-missing-token.json", "application/json", false},
		{"credentials in header and body", "/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"app"}, "client_secret": {appSecret}}, good, 400, "revoke-400-both-credentials.json", "application/json", false},
		{"no credentials", "/oauth2/revoke", url.Values{"token": {"t"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"wrong secret", "/oauth2/revoke", url.Values{"token": {"t"}}, basic("app:nope"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"form-encoded Basic is not decoded", "/oauth2/revoke", url.Values{"token": {"t"}}, basic("app:" + url.QueryEscape(appSecret)), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"three parts", "/oauth2/revoke", url.Values{"token": {"t"}}, basic("app:p@ss:w"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"double space", "/oauth2/revoke", url.Values{"token": {"t"}}, http.Header{"Authorization": {"Basic  " + base64.StdEncoding.EncodeToString([]byte("app:"+appSecret))}}, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"bad base64", "/oauth2/revoke", url.Values{"token": {"t"}}, http.Header{"Authorization": {"Basic !!!"}}, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"client_id alone for a confidential client", "/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"app"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"client_id alone of an unknown client", "/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"nobody"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"public client at another tenant", "/t/wso2.com/oauth2/revoke", url.Values{"token": {"t"}, "client_id": {"spa"}}, nil, 401, "revoke-401-invalid-client.json", "text/html", true},
		{"tenant app at the super tenant", "/oauth2/revoke", url.Values{"token": {"t"}}, basic("tenant-app:tenant-secret"), 401, "revoke-401-invalid-client.json", "text/html", true},
		{"another client's access token", "/oauth2/revoke", url.Values{"token": {other.AccessToken}}, good, 401, "revoke-401-unauthorized-client.json", "application/json", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := serve(t, s, http.MethodPost, tc.path, tc.form, tc.hdr)
			if want := testkit.AdapterBody(t, tc.golden); resp.StatusCode != tc.status || body != want {
				t.Errorf("answer = %d %s; want %d %s", resp.StatusCode, body, tc.status, want)
			}
			testkit.Header(t, resp.Header, "Content-Type", tc.contentType)
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
	if !s.Active(other.AccessToken) {
		t.Error("another client's token was revoked")
	}
}

// TestSuccess covers the headers only a found token brings, their
// configuration switches, and the secret-less exceptions.
func TestSuccess(t *testing.T) {
	s := newFixture()
	good := basic("app:" + appSecret)
	post := func(path string, form url.Values, hdr http.Header) *http.Response {
		t.Helper()
		resp, body := serve(t, s, http.MethodPost, path, form, hdr)
		if resp.StatusCode != 200 || body != "" {
			t.Fatalf("answer %d %q, want 200 with an empty body", resp.StatusCode, body)
		}
		for k, v := range map[string]string{"Cache-Control": "no-store", "Pragma": "no-cache", "Content-Type": "application/json", "Content-Length": "0"} {
			testkit.Header(t, resp.Header, k, v)
		}
		return resp
	}
	headers := func(resp *http.Response) [3]string {
		return [3]string{resp.Header.Get("RevokedAccessToken"), resp.Header.Get("RevokedRefreshToken"), resp.Header.Get("AuthorizedUser")}
	}

	p := s.Issue("app", "alice")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {p.RefreshToken}, "token_type_hint": {"refresh_token"}}, good)); got != [3]string{p.AccessToken, p.RefreshToken, "alice@carbon.super"} {
		t.Errorf("refresh token headers = %q", got)
	}
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) {
		t.Error("pair still active")
	}
	if got := headers(post("/oauth2/revoke", url.Values{"token": {p.RefreshToken}}, good)); got != [3]string{} {
		t.Errorf("already revoked: headers %q, want none", got)
	}
	if got := headers(post("/oauth2/revoke", url.Values{"token": {"unknown"}}, good)); got != [3]string{} {
		t.Errorf("unknown token: headers %q, want none", got)
	}
	// Lowercase scheme, and the Java split quirk: a trailing ':' is dropped.
	q := s.Issue("app", "bob")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {q.AccessToken}}, http.Header{"Authorization": {"basic " + base64.StdEncoding.EncodeToString([]byte("app:"+appSecret+":"))}})); got != [3]string{q.AccessToken, q.RefreshToken, "bob@carbon.super"} {
		t.Errorf("access token headers = %q", got)
	}
	// client_secret_post.
	r := s.Issue("app", "carol")
	post("/oauth2/revoke", url.Values{"token": {r.AccessToken}, "client_id": {"app"}, "client_secret": {appSecret}}, nil)
	// Another client's refresh token is simply not found.
	o := s.Issue("other", "dave")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {o.RefreshToken}}, good)); got != [3]string{} || !s.Active(o.RefreshToken) {
		t.Errorf("another client's refresh token: headers %q, active %v", got, s.Active(o.RefreshToken))
	}
	// Secret-less: public client, implicit and JWT-grant tokens.
	sp := s.Issue("spa", "erin")
	post("/oauth2/revoke", url.Values{"token": {sp.AccessToken}, "client_id": {"spa"}}, nil)
	imp := s.IssueImplicit("app", "frank")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {imp}, "client_id": {"app"}}, nil)); got != [3]string{imp, "", "frank@carbon.super"} {
		t.Errorf("implicit token headers = %q", got)
	}
	jwtTok := s.IssueKind("jwt-app", "gina", wso2test.KindJWTGrant)
	if got := headers(post("/oauth2/revoke", url.Values{"token": {jwtTok.AccessToken}, "client_id": {"jwt-app"}}, nil)); got != [3]string{jwtTok.AccessToken, jwtTok.RefreshToken, "gina@carbon.super"} {
		t.Errorf("JWT-grant token headers = %q", got)
	}
	// Tenant path.
	tp := s.Issue("tenant-app", "hal")
	if got := headers(post("/t/wso2.com/oauth2/revoke", url.Values{"token": {tp.AccessToken}}, basic("tenant-app:tenant-secret"))); got != [3]string{tp.AccessToken, tp.RefreshToken, "hal@wso2.com"} {
		t.Errorf("tenant headers = %q", got)
	}
	for _, tok := range []string{r.AccessToken, sp.AccessToken, imp, jwtTok.AccessToken, tp.RefreshToken} {
		if s.Active(tok) {
			t.Errorf("token %.3s… still active", tok)
		}
	}

	// Configuration switches.
	s.DisableTokenHeaders = true
	u := s.Issue("app", "ivy")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {u.AccessToken}}, good)); got != [3]string{"", "", "ivy@carbon.super"} {
		t.Errorf("token headers disabled: %q", got)
	}
	s.DisableRevokeResponseHeaders = true
	v := s.Issue("app", "jay")
	if got := headers(post("/oauth2/revoke", url.Values{"token": {v.AccessToken}}, good)); got != [3]string{} || s.Active(v.AccessToken) {
		t.Errorf("all headers disabled: %q, active %v", got, s.Active(v.AccessToken))
	}
}

// TestIssueImplicit: an implicit-grant token has no refresh token the fake
// would ever find, revoke or name.
func TestIssueImplicit(t *testing.T) {
	s := newFixture()
	at := s.IssueImplicit("app", "kim")
	info, ok := s.Lookup(at)
	if !ok || !info.Active || info.Type != "access_token" || info.Kind != wso2test.KindImplicit {
		t.Fatalf("implicit token = %+v, %v", info, ok)
	}
	if info.Sibling != "" {
		t.Error("the implicit grant issued a refresh token")
	}
	if n := len(s.Tokens(func(t revoketest.TokenInfo) bool { return t.Subject == "kim" })); n != 1 {
		t.Errorf("%d tokens issued for the implicit grant, want 1", n)
	}
}

// TestProtocol covers JSONP, methods, content types, paths, faults, the
// request bound and the log.
func TestProtocol(t *testing.T) {
	s := newFixture()
	good := basic("app:" + appSecret)
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
		{"tenant path too deep", http.MethodPost, "/t/a/b/oauth2/revoke", url.Values{}, nil, 404, "404 page not found\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := serve(t, s, tc.method, tc.path, tc.form, tc.hdr)
			if resp.StatusCode != tc.status || body != tc.body || (tc.contentType != "" && resp.Header.Get("Content-Type") != tc.contentType) {
				t.Errorf("answer = %d %q (%s); want %d %q (%s)", resp.StatusCode, body, resp.Header.Get("Content-Type"), tc.status, tc.body, tc.contentType)
			}
		})
	}
	s.FailNext(1, revoketest.ServiceUnavailable(time.Second))
	if resp, _ := serve(t, s, http.MethodPost, "/oauth2/revoke", url.Values{"token": {"t"}}, good); resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	reqs := s.Requests()
	if n := len(reqs); n != len(tests)+1 {
		t.Fatalf("log has %d requests, want %d", n, len(tests)+1)
	}
	if last := reqs[len(reqs)-1]; last.Status != 503 || last.Method != http.MethodPost || last.Path != "/oauth2/revoke" || last.Form.Get("token") != "t" {
		t.Errorf("last record = %+v", last)
	}
}

// TestOversizedRequest: a body over revoketest.MaxRequestBytes is 413,
// logged, and never acted on, even when its first bytes hold a valid
// revocation.
func TestOversizedRequest(t *testing.T) {
	s := newFixture()
	p := s.Issue("app", "lee")
	form := url.Values{"token": {p.AccessToken}, "pad": {strings.Repeat("x", revoketest.MaxRequestBytes)}}
	resp, _ := serve(t, s, http.MethodPost, "/oauth2/revoke", form, basic("app:"+appSecret))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
	if !s.Active(p.AccessToken) {
		t.Error("the oversized request revoked the token")
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusRequestEntityTooLarge {
		t.Errorf("log = %+v, want the 413 recorded", reqs)
	}
}

// TestRegister is the unit-test entry point: a fake behind an httpmock
// transport, driven by a plain RFC 7009 client configured for raw Basic.
func TestRegister(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := wso2test.Register(mt, base)
	fake.AddClient(revoketest.Client{ID: "app", Secret: "s3cret-value"})
	p := fake.Issue("app", "alice")
	r, err := generic.New(generic.Config{Endpoint: base + "/oauth2/revoke", Auth: revoke.ClientSecretBasicRaw("app", "s3cret-value")}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
		t.Error("still active")
	}
	// Requests to other hosts are not the fake's.
	if _, err := (&http.Client{Transport: mt}).Post("https://other.example.com/oauth2/revoke", "application/x-www-form-urlencoded", nil); err == nil {
		t.Error("the fake answered another host")
	}
}

// TestConcurrent revokes from many goroutines at once: run with -race.
func TestConcurrent(t *testing.T) {
	s := newFixture()
	srv := httptest.NewServer(s)
	defer srv.Close()
	pairs := make([]revoketest.Pair, 32)
	for i := range pairs {
		pairs[i] = s.Issue("app", "user")
	}
	errs := make(chan error, len(pairs))
	for _, p := range pairs {
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth2/revoke", strings.NewReader(url.Values{"token": {p.AccessToken}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth("app", appSecret)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			errs <- err
		}()
	}
	for range pairs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, p := range pairs {
		if s.Active(p.AccessToken) || s.Active(p.RefreshToken) {
			t.Fatal("a token survived")
		}
	}
}
