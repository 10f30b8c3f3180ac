package auth0test_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const secret = "s3cret-value"

// do sends one request to the fake and returns status, headers and body.
func do(t *testing.T, srv *httptest.Server, method, path, contentType, body string, hdr ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func newFake(t *testing.T) (*auth0test.Server, *httptest.Server) {
	t.Helper()
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	fake.AddClient(revoketest.Client{ID: "app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	return fake, srv
}

// TestRevokeAnswers: /oauth/revoke's answers, status and body, for every
// case the fake distinguishes, with the rate-limit headers on each.
func TestRevokeAnswers(t *testing.T) {
	fake, srv := newFake(t)
	p := fake.Issue("app", "auth0|1")
	other := fake.Issue("spa", "auth0|1")
	tests := []struct {
		name, ct, body       string
		wantStatus           int
		wantBody             string
		wantRTActive, wantAT bool
	}{
		{"missing token", "application/json", `{"client_id":"app","client_secret":"` + secret + `"}`, 400, `{"error":"invalid_request","error_description":"Missing required parameter: token"}`, true, true},
		{"missing client_id", "application/json", `{"token":"` + p.RefreshToken + `"}`, 400, `{"error":"invalid_request","error_description":"Missing required parameter: client_id"}`, true, true},
		{"wrong secret", "application/json", `{"client_id":"app","client_secret":"wrong-secret","token":"` + p.RefreshToken + `"}`, 401, `{"error":"invalid_client","error_description":"client authentication failed"}`, true, true},
		{"not JSON", "application/json", `{`, 400, `{"error":"invalid_request","error_description":"Invalid JSON body"}`, true, true},
		{"not a string", "application/json", `{"client_id":"app","token":1}`, 400, `{"error":"invalid_request","error_description":"Parameter 'token' must be a string"}`, true, true},
		{"other content type", "text/plain", `token=x`, 400, `{"error":"invalid_request","error_description":"Content-Type must be application/json or application/x-www-form-urlencoded"}`, true, true},
		{"another client's token", "application/json", `{"client_id":"app","client_secret":"` + secret + `","token":"` + other.RefreshToken + `"}`, 200, ``, true, true},
		{"an access token", "application/json", `{"client_id":"app","client_secret":"` + secret + `","token":"` + p.AccessToken + `"}`, 200, ``, true, true},
		{"unknown token", "application/json", `{"client_id":"app","client_secret":"` + secret + `","token":"unknown-token"}`, 200, ``, true, true},
		{"the refresh token, as a form", "application/x-www-form-urlencoded", url.Values{"client_id": {"app"}, "client_secret": {secret}, "token": {p.RefreshToken}}.Encode(), 200, ``, false, true},
		{"again", "application/json", `{"client_id":"app","client_secret":"` + secret + `","token":"` + p.RefreshToken + `"}`, 200, ``, false, true},
	}
	for _, tc := range tests {
		status, hdr, body := do(t, srv, http.MethodPost, auth0test.RevokePath, tc.ct, tc.body)
		if status != tc.wantStatus || strings.TrimSpace(body) != tc.wantBody {
			t.Errorf("%s: %d %s; want %d %s", tc.name, status, body, tc.wantStatus, tc.wantBody)
		}
		if fake.Active(p.RefreshToken) != tc.wantRTActive || fake.Active(p.AccessToken) != tc.wantAT || !fake.Active(other.RefreshToken) {
			t.Errorf("%s: state rt=%v at=%v", tc.name, fake.Active(p.RefreshToken), fake.Active(p.AccessToken))
		}
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
			if hdr.Get(h) == "" {
				t.Errorf("%s: no %s", tc.name, h)
			}
		}
		if tc.wantStatus == 200 && hdr.Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %q", tc.name, hdr.Get("Content-Type"))
		}
	}
	// A public client revokes its own token with client_id alone.
	if status, _, _ := do(t, srv, http.MethodPost, auth0test.RevokePath, "application/json", `{"client_id":"spa","token":"`+other.RefreshToken+`"}`); status != 200 || fake.Active(other.RefreshToken) {
		t.Errorf("public client: %d, active %v", status, fake.Active(other.RefreshToken))
	}
	if status, hdr, _ := do(t, srv, http.MethodGet, auth0test.RevokePath, "", ""); status != 405 || hdr.Get("Allow") != "POST" {
		t.Errorf("GET: %d %v", status, hdr)
	}
	if status, _, _ := do(t, srv, http.MethodPost, "/nowhere", "", ""); status != 404 {
		t.Errorf("unknown path: %d", status)
	}
	if n := len(fake.Requests()); n != len(tests)+3 {
		t.Errorf("%d requests logged", n)
	}
}

// TestRateLimit: the window counts every request, and past the limit the
// fake answers 429 with Retry-After and Remaining 0.
func TestRateLimit(t *testing.T) {
	fake, srv := newFake(t)
	fake.RateLimit = 2
	for i, want := range []int{200, 200, 429} {
		status, hdr, body := do(t, srv, http.MethodPost, auth0test.RevokePath, "application/json", `{"client_id":"spa","token":"unknown-token"}`)
		if status != want {
			t.Fatalf("request %d: %d %s", i, status, body)
		}
		reset, _ := strconv.ParseInt(hdr.Get("X-RateLimit-Reset"), 10, 64)
		if hdr.Get("X-RateLimit-Limit") != "2" || hdr.Get("X-RateLimit-Remaining") != strconv.Itoa(max(1-i, 0)) || reset < time.Now().Unix() {
			t.Errorf("request %d: headers %v", i, hdr)
		}
		if want == 429 && (hdr.Get("Retry-After") == "" || !strings.Contains(body, "too_many_requests")) {
			t.Errorf("429 without Retry-After or code: %v %s", hdr, body)
		}
	}
	// The injected 429 has Auth0's headers and no Retry-After.
	f := auth0test.RateLimited(30, time.Unix(2000000000, 0))
	if f.Status != 429 || f.Header.Get("X-RateLimit-Reset") != "2000000000" || f.Header.Get("X-RateLimit-Remaining") != "0" || f.Header.Get("Retry-After") != "" {
		t.Errorf("RateLimited = %+v", f)
	}
}

// TestManagementAnswers: the Management API's authentication, scopes,
// validation and effects.
func TestManagementAnswers(t *testing.T) {
	fake, srv := newFake(t)
	all := "Bearer " + fake.ManagementToken()
	weak := "Bearer " + fake.ManagementToken(auth0test.ScopeReadUsers)
	fake.AddUser("auth0|1", "a@example.com")
	p1, p2 := fake.Issue("app", "auth0|1"), fake.IssueFor("spa", "auth0|1", "https://api/")
	sess := fake.StartSession("auth0|1")
	const ct = "application/json"
	tests := []struct {
		name, method, path, body, authz string
		wantStatus                      int
		wantBody                        string
	}{
		{"no token", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|1"}`, "", 401, `{"error":"Unauthorized","message":"Missing authentication","statusCode":401}`},
		{"bad token", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|1"}`, "Bearer nope", 401, `{"error":"Unauthorized","message":"Invalid token","statusCode":401}`},
		{"missing scope", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|1"}`, weak, 403, `{"error":"Forbidden","errorCode":"insufficient_scope","message":"Insufficient scope, expected any of: delete:refresh_tokens","statusCode":403}`},
		{"nothing", "POST", auth0test.BulkRevokePath, `{}`, all, 400, ""},
		{"ids and user", "POST", auth0test.BulkRevokePath, `{"ids":["x"],"user_id":"auth0|1"}`, all, 400, ""},
		{"audience without client", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|1","audience":"https://api/"}`, all, 400, ""},
		{"too many ids", "POST", auth0test.BulkRevokePath, `{"ids":[` + strings.Repeat(`"x",`, 100) + `"x"]}`, all, 400, ""},
		{"unknown property", "POST", auth0test.BulkRevokePath, `{"user":"auth0|1"}`, all, 400, ""},
		{"unknown user", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|9"}`, all, 404, `{"error":"Not Found","errorCode":"inexistent_user","message":"The user does not exist.","statusCode":404}`},
		{"by id", "POST", auth0test.BulkRevokePath, `{"ids":["` + fake.RefreshTokenID(p1.RefreshToken) + `"]}`, all, 202, ""},
		{"by user, client and audience", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|1","client_id":"spa","audience":"https://api/"}`, all, 202, ""},
		{"sessions, unknown user", "DELETE", "/api/v2/users/auth0%7C9/sessions", "", all, 404, ""},
		{"sessions", "DELETE", "/api/v2/users/auth0%7C1/sessions", "", all, 204, ""},
		{"sessions with GET", "GET", "/api/v2/users/auth0%7C1/sessions", "", all, 404, ""},
		{"by email, missing", "GET", auth0test.UsersByEmailPath, "", weak, 400, ""},
		{"by email", "GET", auth0test.UsersByEmailPath + "?email=a%40example.com", "", weak, 200, `[{"user_id":"auth0|1","email":"a@example.com"}]`},
		{"by email, other case", "GET", auth0test.UsersByEmailPath + "?email=A%40example.com", "", weak, 200, `[]`},
		{"unknown resource", "GET", "/api/v2/clients", "", all, 404, ""},
	}
	for _, tc := range tests {
		status, _, body := do(t, srv, tc.method, tc.path, ct, tc.body, "Authorization", tc.authz)
		if status != tc.wantStatus || (tc.wantBody != "" && !jsonEqual(body, tc.wantBody)) {
			t.Errorf("%s: %d %s; want %d %s", tc.name, status, body, tc.wantStatus, tc.wantBody)
		}
		if status >= 400 && status != 429 {
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil || m["statusCode"] == nil || m["message"] == nil {
				t.Errorf("%s: not Auth0's Management error shape: %s", tc.name, body)
			}
		}
	}
	if fake.Active(p1.RefreshToken) || fake.Active(p2.RefreshToken) || !fake.Active(p1.AccessToken) || fake.SessionActive(sess) {
		t.Error("the effects do not match the answers")
	}
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}

// TestTokenEndpoint: the client-credentials grant issues Management API
// tokens to granted clients for the Management API audience only.
func TestTokenEndpoint(t *testing.T) {
	fake, srv := newFake(t)
	fake.GrantManagement("app", auth0test.ScopeDeleteSessions)
	aud := srv.URL + "/api/v2/"
	form := func(id, audience, grant string) string {
		return url.Values{"grant_type": {grant}, "client_id": {id}, "client_secret": {secret}, "audience": {audience}}.Encode()
	}
	status, _, body := do(t, srv, http.MethodPost, auth0test.TokenPath, "application/x-www-form-urlencoded", form("app", aud, "client_credentials"))
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		Scope       string `json:"scope"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok.TokenType != "Bearer" || tok.Scope != "delete:sessions" {
		t.Fatalf("%d %s", status, body)
	}
	fake.AddUser("auth0|1", "")
	if status, _, body := do(t, srv, http.MethodDelete, "/api/v2/users/auth0%7C1/sessions", "", "", "Authorization", "Bearer "+tok.AccessToken); status != 204 {
		t.Errorf("issued token refused: %d %s", status, body)
	}
	for name, tc := range map[string]struct {
		body   string
		status int
		code   string
	}{
		"wrong audience": {form("app", "https://api.example.com/", "client_credentials"), 403, "access_denied"},
		"not granted":    {form("spa", aud, "client_credentials"), 401, "invalid_client"},
		"other grant":    {form("app", aud, "password"), 400, "unsupported_grant_type"},
	} {
		status, _, body := do(t, srv, http.MethodPost, auth0test.TokenPath, "application/x-www-form-urlencoded", tc.body)
		if status != tc.status || !strings.Contains(body, `"error":"`+tc.code+`"`) {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	fake.AddClient(revoketest.Client{ID: "plain", Secret: secret})
	if status, _, body := do(t, srv, http.MethodPost, auth0test.TokenPath, "application/json", `{"grant_type":"client_credentials","client_id":"plain","client_secret":"`+secret+`","audience":"`+aud+`"}`); status != 403 || !strings.Contains(body, "client-grant") {
		t.Errorf("ungranted: %d %s", status, body)
	}
}

// TestOversizedRequest: a body over revoketest.MaxRequestBytes is 413 and
// never acted on.
func TestOversizedRequest(t *testing.T) {
	fake, srv := newFake(t)
	p := fake.Issue("app", "auth0|1")
	body := `{"client_id":"app","client_secret":"` + secret + `","token":"` + p.RefreshToken + `","pad":"` + strings.Repeat("x", revoketest.MaxRequestBytes) + `"}`
	if status, _, _ := do(t, srv, http.MethodPost, auth0test.RevokePath, "application/json", body); status != 413 || !fake.Active(p.RefreshToken) {
		t.Errorf("status %d, active %v", status, fake.Active(p.RefreshToken))
	}
}

// TestRegisterAndFaults: the fake behind httpmock, with an injected fault
// that still carries the rate-limit headers.
func TestRegisterAndFaults(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := auth0test.Register(mt, "https://dev-abc.us.auth0.com")
	fake.FailNext(1, revoketest.ServiceUnavailable(time.Second))
	c := &http.Client{Transport: mt}
	for _, want := range []int{503, 200} {
		resp, err := c.Post("https://dev-abc.us.auth0.com/oauth/revoke", "application/json", strings.NewReader(`{"client_id":"x","token":"unknown-token"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want == 503 && (resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-RateLimit-Limit") == "") {
			t.Errorf("fault: %d %v", resp.StatusCode, resp.Header)
		}
		if want == 200 && resp.StatusCode != 401 { // unknown client
			t.Errorf("after the fault: %d", resp.StatusCode)
		}
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Status != 503 || reqs[1].Status != 401 || reqs[0].Path != "/oauth/revoke" {
		t.Errorf("log = %+v", reqs)
	}
}

// TestUsersAndSessions: the state helpers.
func TestUsersAndSessions(t *testing.T) {
	fake := auth0test.New()
	if fake.HasUser("auth0|1") {
		t.Fatal("a user out of nowhere")
	}
	s := fake.StartSession("auth0|1")
	if !fake.HasUser("auth0|1") || !fake.SessionActive(s) || len(fake.Sessions("auth0|1")) != 1 {
		t.Error("StartSession")
	}
	p := fake.IssueFor("app", "auth0|2", "https://api/")
	info, _ := fake.Lookup(p.RefreshToken)
	if !fake.HasUser("auth0|2") || info.Kind != "https://api/" || info.Subject != "auth0|2" || len(fake.RefreshTokenID(p.RefreshToken)) > 30 || fake.RefreshTokenID(p.AccessToken) != "" {
		t.Errorf("IssueFor: %+v", info)
	}
}

// TestConcurrent: the fake is safe for concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	fake, srv := newFake(t)
	mgmt := "Bearer " + fake.ManagementToken()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			user := "auth0|" + strconv.Itoa(i)
			p := fake.Issue("app", user)
			fake.StartSession(user)
			do(t, srv, http.MethodPost, auth0test.RevokePath, "application/json", `{"client_id":"app","client_secret":"`+secret+`","token":"`+p.RefreshToken+`"}`)
			do(t, srv, http.MethodDelete, "/api/v2/users/"+url.PathEscape(user)+"/sessions", "", "", "Authorization", mgmt)
			if fake.Active(p.RefreshToken) || len(fake.Sessions(user)) != 0 {
				t.Errorf("user %d survived", i)
			}
		}(i)
	}
	wg.Wait()
}

// TestGoldenAnswers: the fake answers with exactly the bodies the adapter's
// tests serve (auth0/testdata), so that the adapter is tested against what
// the fake says.
func TestGoldenAnswers(t *testing.T) {
	fake, srv := newFake(t)
	weak := "Bearer " + fake.ManagementToken(auth0test.ScopeReadUsers)
	golden := func(name string) string { return testkit.AdapterGolden(t, name) }
	for _, tc := range []struct {
		file, method, path, body string
		hdr                      []string
		status                   int
	}{
		{"revoke-400-invalid-request.json", "POST", auth0test.RevokePath, `{"client_id":"app","client_secret":"` + secret + `"}`, nil, 400},
		{"revoke-401-invalid-client.json", "POST", auth0test.RevokePath, `{"client_id":"app","client_secret":"wrong-secret","token":"some-token"}`, nil, 401},
		{"management-401-invalid-token.json", "DELETE", "/api/v2/users/auth0%7C1/sessions", "", []string{"Authorization", "Bearer nope"}, 401},
		{"management-403-insufficient-scope.json", "DELETE", "/api/v2/users/auth0%7C1/sessions", "", []string{"Authorization", weak}, 403},
		{"management-404-inexistent-user.json", "POST", auth0test.BulkRevokePath, `{"user_id":"auth0|404"}`, []string{"Authorization", "Bearer " + fake.ManagementToken()}, 404},
	} {
		status, _, body := do(t, srv, tc.method, tc.path, "application/json", tc.body, tc.hdr...)
		want := golden(tc.file)
		var w map[string]any
		_ = json.Unmarshal([]byte(want), &w)
		delete(w, "attributes") // Auth0 adds it to 401s; the fake does not
		wb, _ := json.Marshal(w)
		if status != tc.status || !jsonEqual(body, string(wb)) {
			t.Errorf("%s: %d %s; want %d %s", tc.file, status, body, tc.status, wb)
		}
	}
}
