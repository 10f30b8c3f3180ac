package pingtest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

const (
	env      = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"
	pingBase = "https://ping.example.com"
)

// serve sends one request straight to h at pingBase+target (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, pingBase+target, form, hdr)
}

// basic is the form-encoded Basic header Ping products take.
func basic(id, secret string) http.Header {
	return testkit.BasicHeader(url.QueryEscape(id), url.QueryEscape(secret))
}

// answer is one request to a fake and the answer it must give.
type answer struct {
	name   string
	method string
	target string
	form   url.Values
	hdr    http.Header
	status int
	body   string
}

// check sends each request to h, in order, and checks the status and the
// body of each answer.
func check(t *testing.T, h http.Handler, cases []answer) {
	t.Helper()
	for _, tc := range cases {
		resp, body := serve(t, h, tc.method, tc.target, tc.form, tc.hdr)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s: %d %q; want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.body)
		}
	}
}

func TestFederate(t *testing.T) {
	s := pingtest.NewFederate()
	s.AddClient(revoketest.Client{ID: "web", Secret: testkit.Secret})
	p := s.Issue("web", "alice")
	j := s.IssueJWT("web", "bob")
	auth := basic("web", testkit.Secret)
	path := pingtest.FederatePath
	check(t, s, []answer{
		{"GET", http.MethodGet, path, nil, auth, 405, ""},
		{"token in the query", http.MethodPost, path + "?token=x", url.Values{"x": {"1"}}, auth, 400, `{"error":"invalid_request","error_description":"Invalid request."}`},
		{"wrong secret", http.MethodPost, path, url.Values{"token": {p.AccessToken}}, basic("web", "nope-secret"), 401, testkit.AdapterBody(t, "pingfederate-401-invalid-client.json")},
		{"JWT access token", http.MethodPost, path, url.Values{"token": {j.AccessToken}}, auth, 400, testkit.AdapterBody(t, "pingfederate-400-unsupported-token-type.json")},
		{"access token", http.MethodPost, path, url.Values{"token": {p.AccessToken}, "token_type_hint": {"access_token"}}, auth, 200, ""},
		{"JWT's refresh token", http.MethodPost, path, url.Values{"token": {j.RefreshToken}}, auth, 200, ""},
		{"unknown token", http.MethodPost, path, url.Values{"token": {"nope-token"}}, auth, 200, ""},
		{"other path", http.MethodPost, "/as/token.oauth2", url.Values{}, auth, 404, "404 page not found\n"},
	})
	if s.Active(p.AccessToken) || !s.Active(p.RefreshToken) || s.Active(j.AccessToken) {
		t.Error("wrong token state")
	}
	if resp, _ := serve(t, s, http.MethodPost, path, url.Values{"token": {p.AccessToken}}, basic("web", "nope-secret")); resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("no challenge after Basic")
	}
}

func TestOne(t *testing.T) {
	s := pingtest.NewOne(env)
	s.AddClient(revoketest.Client{ID: "app", Secret: testkit.Secret, Method: "client_secret_post"})
	s.AddClient(revoketest.Client{ID: "other", Method: "none"})
	p := s.Issue("app", "alice")
	q := s.Issue("other", "bob")
	cc := s.IssueClientCredentials("app")
	post := func(tok string) url.Values {
		return url.Values{"token": {tok}, "client_id": {"app"}, "client_secret": {testkit.Secret}}
	}
	path := "/" + env + "/as/revoke"
	check(t, s, []answer{
		{"other environment", http.MethodPost, "/00000000-0000-0000-0000-000000000000/as/revoke", post(p.AccessToken), nil, 404, testkit.AdapterBody(t, "pingone-404-not-found.json")},
		{"Basic for a POST app", http.MethodPost, path, url.Values{"token": {p.AccessToken}}, basic("app", testkit.Secret), 401, `{"error":"invalid_client","error_description":"Invalid client or client credentials."}`},
		{"no session", http.MethodPost, path, post(cc), nil, 400, testkit.AdapterBody(t, "pingfederate-400-unsupported-token-type.json")},
		{"another app's token", http.MethodPost, path, post(q.RefreshToken), nil, 400, testkit.AdapterBody(t, "pingfederate-400-unauthorized-client.json")},
		{"refresh token", http.MethodPost, path, post(p.RefreshToken), nil, 200, ""},
		{"custom domain path", http.MethodPost, "/as/revoke", url.Values{"token": {q.AccessToken}, "client_id": {"other"}}, nil, 200, ""},
	})
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) || !s.Active(cc) || s.Active(q.AccessToken) || !s.Active(q.RefreshToken) {
		t.Error("wrong token state")
	}
}

func TestAM(t *testing.T) {
	s := pingtest.NewAM()
	s.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: testkit.Secret})
	p := s.Issue("myClient", "bjensen")
	path := "/am/oauth2/realms/root/realms/alpha/token/revoke"
	auth := basic("myClient", testkit.Secret)
	check(t, s, []answer{
		{"no client_id", http.MethodPost, path, url.Values{"token": {p.AccessToken}}, auth, 400, testkit.AdapterBody(t, "pingam-400-missing-client-id.json")},
		{"wrong realm", http.MethodPost, "/am/oauth2/realms/root/realms/bravo/token/revoke", url.Values{"token": {p.AccessToken}, "client_id": {"myClient"}}, auth, 400, testkit.AdapterBody(t, "pingam-400-invalid-client.json")},
		{"wrong secret", http.MethodPost, path, url.Values{"token": {p.AccessToken}, "client_id": {"myClient"}}, basic("myClient", "nope-secret"), 400, testkit.AdapterBody(t, "pingam-400-invalid-client.json")},
		{"client_id differs from Basic", http.MethodPost, path, url.Values{"token": {p.AccessToken}, "client_id": {"other"}}, auth, 400,
			`{"error_description":"mismatch between client_id in the body and the Authorization header","error":"invalid_request"}`},
		{"Basic and client_id", http.MethodPost, path, url.Values{"token": {p.RefreshToken}, "client_id": {"myClient"}}, auth, 200, "{}"},
		{"bad realm path", http.MethodPost, "/am/oauth2/realms/root/alpha/token/revoke", url.Values{}, auth, 404, "404 page not found\n"},
	})
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) {
		t.Error("the refresh token did not end the grant")
	}
	s.FailNext(1, revoketest.ServiceUnavailable(0))
	if resp, _ := serve(t, s, http.MethodPost, path, url.Values{}, nil); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if n := len(s.Requests()); n != 7 {
		t.Errorf("%d requests logged", n)
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(s), testkit.Secret, p.AccessToken)
}
