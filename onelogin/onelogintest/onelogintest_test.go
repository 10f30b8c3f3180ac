package onelogintest_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

const (
	olID     = "0f1e2d3c4b5a6978"
	olSecret = "9a8b7c6d5e4f3a2b1c0d"
	wrong    = "wrong-secret-value"
)

func v1Header(id, secret string) string { return "client_id:" + id + ", client_secret:" + secret }

// serve sends one request straight to the handler.
func serve(h http.Handler, method, path, contentType, authz, body string) *http.Response {
	req := httptest.NewRequest(method, "https://acme.onelogin.com"+path, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func envelope(code int, typ, msg string) string {
	return fmt.Sprintf(`{"status":{"error":%t,"code":%d,"type":%q,"message":%q}}`, code != 200, code, typ, msg)
}

var (
	olSuccess      = envelope(200, "success", "Success")
	olContentType  = envelope(400, "bad request", onelogintest.MsgContentType)
	olTokenMissing = envelope(400, "bad request", "Access Token Missing")
	olAuthMissing  = envelope(400, "bad request", "The authorization information is missing")
	olAuthFailure  = envelope(401, "Unauthorized", "Authentication Failure")
	olNoRoute      = envelope(404, "not found", "No Route Exists")

	oidcUnsupported  = `{"error":"unsupported_token_type","error_description":"revocation of the presented token type is not supported"}` + "\n"
	oidcBadHeader    = `{"error":"invalid_request","error_description":"invalid authorization header value format"}` + "\n"
	oidcAuthFailed   = `{"error":"invalid_request","error_description":"Authentication Failed"}` + "\n"
	oidcUnauthorized = `{"error":"invalid_request","error_description":"Access is unauthorized"}` + "\n"
)

func TestAPIEndpoint(t *testing.T) {
	const path = onelogintest.RevokePath
	type tokens struct{ mine, theirs revoketest.Pair }
	tests := []struct {
		name          string
		method, ctype string
		authz         func() string
		body          func(tokens) string
		status        int
		want          string
		mineRevoked   bool // both tokens of my pair end inactive
		theirsRevoked bool
	}{
		{name: "v1 header", authz: func() string { return v1Header(olID, olSecret) }, status: 200, want: olSuccess, mineRevoked: true},
		{name: "basic (v2)", authz: func() string { return testkit.Basic(olID, olSecret) }, status: 200, want: olSuccess, mineRevoked: true},
		{name: "v1 header with loose spacing", authz: func() string { return "client_id: " + olID + " ,client_secret: " + olSecret + " " }, status: 200, want: olSuccess, mineRevoked: true},
		{name: "json with charset", ctype: "application/json; charset=utf-8", authz: func() string { return v1Header(olID, olSecret) }, status: 200, want: olSuccess, mineRevoked: true},
		{name: "GET", method: http.MethodGet, status: 404, want: olNoRoute},
		{name: "PUT", method: http.MethodPut, authz: func() string { return v1Header(olID, olSecret) }, status: 404, want: olNoRoute},
		{name: "form content type", ctype: "application/x-www-form-urlencoded", authz: func() string { return v1Header(olID, olSecret) }, status: 400, want: olContentType},
		{name: "no content type", ctype: "-", authz: func() string { return v1Header(olID, olSecret) }, status: 400, want: olContentType},
		{name: "no authorization", status: 400, want: olAuthMissing},
		{name: "bearer", authz: func() string { return "Bearer " + olSecret }, status: 400, want: olAuthMissing},
		{name: "form-style credentials", authz: func() string { return "client_id=" + olID + "&client_secret=" + olSecret }, status: 400, want: olAuthMissing},
		{name: "v1 without secret", authz: func() string { return "client_id:" + olID + ", client_secret:" }, status: 400, want: olAuthMissing},
		{name: "v1 keys swapped", authz: func() string { return "client_secret:" + olSecret + ", client_id:" + olID }, status: 400, want: olAuthMissing},
		{name: "basic not base64", authz: func() string { return "Basic !!!" }, status: 400, want: olAuthMissing},
		{name: "basic without colon", authz: func() string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(olID)) }, status: 400, want: olAuthMissing},
		{name: "wrong secret v1", authz: func() string { return v1Header(olID, wrong) }, status: 401, want: olAuthFailure},
		{name: "wrong secret basic", authz: func() string { return testkit.Basic(olID, wrong) }, status: 401, want: olAuthFailure},
		{name: "unknown client", authz: func() string { return v1Header("nobody", olSecret) }, status: 401, want: olAuthFailure},
		{name: "empty object", authz: func() string { return v1Header(olID, olSecret) }, body: func(tokens) string { return `{}` }, status: 400, want: olTokenMissing},
		{name: "empty token", authz: func() string { return v1Header(olID, olSecret) }, body: func(tokens) string { return `{"access_token":""}` }, status: 400, want: olTokenMissing},
		{name: "token not a string", authz: func() string { return v1Header(olID, olSecret) }, body: func(tokens) string { return `{"access_token":42}` }, status: 400, want: olTokenMissing},
		{name: "not JSON", authz: func() string { return v1Header(olID, olSecret) }, body: func(tk tokens) string { return "access_token=" + tk.mine.AccessToken }, status: 400, want: olTokenMissing},
		{name: "other client's token", authz: func() string { return v1Header(olID, olSecret) }, body: func(tk tokens) string { return `{"access_token":"` + tk.theirs.AccessToken + `"}` }, status: 401, want: olAuthFailure},
		{name: "unknown token", authz: func() string { return v1Header(olID, olSecret) }, body: func(tokens) string { return `{"access_token":"never-issued"}` }, status: 200, want: olSuccess},
		{name: "refresh token is not an access token", authz: func() string { return v1Header(olID, olSecret) }, body: func(tk tokens) string { return `{"access_token":"` + tk.mine.RefreshToken + `"}` }, status: 200, want: olSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := onelogintest.New()
			fake.AddAPICredential(olID, olSecret)
			fake.AddAPICredential("other", "other-secret")
			tk := tokens{mine: fake.Issue(olID), theirs: fake.Issue("other")}
			method, ctype, authz, body := http.MethodPost, "application/json", "", `{"access_token":"`+tk.mine.AccessToken+`"}`
			if tt.method != "" {
				method = tt.method
			}
			if tt.ctype == "-" {
				ctype = ""
			} else if tt.ctype != "" {
				ctype = tt.ctype
			}
			if tt.authz != nil {
				authz = tt.authz()
			}
			if tt.body != nil {
				body = tt.body(tk)
			}
			resp := serve(fake, method, path, ctype, authz, body)
			if got := readBody(t, resp); resp.StatusCode != tt.status || got != tt.want {
				t.Errorf("answer = %d %s, want %d %s", resp.StatusCode, got, tt.status, tt.want)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q", ct)
			}
			for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s missing", h)
				}
			}
			if got := !fake.Active(tk.mine.AccessToken) && !fake.Active(tk.mine.RefreshToken); got != tt.mineRevoked {
				t.Errorf("my pair revoked = %v, want %v", got, tt.mineRevoked)
			}
			if fake.Active(tk.mine.AccessToken) != fake.Active(tk.mine.RefreshToken) {
				t.Error("access and refresh token disagree: they live and die together")
			}
			if got := !fake.Active(tk.theirs.AccessToken); got != tt.theirsRevoked {
				t.Errorf("their token revoked = %v, want %v", got, tt.theirsRevoked)
			}
			reqs := fake.Requests()
			if len(reqs) != 1 || reqs[0].Method != method || reqs[0].Path != path || reqs[0].Status != tt.status || string(reqs[0].Body) != body {
				t.Errorf("log = %+v", reqs)
			}
		})
	}
}

// The emulator's bodies are the documented ones: golden copies of the
// documentation live with the adapter, in ../testdata.
func TestBodiesMatchDocumentation(t *testing.T) {
	for file, body := range map[string]string{
		"v1_200_success.json":                  olSuccess,
		"v1_400_content_type.json":             olContentType,
		"v1_400_access_token_missing.json":     olTokenMissing,
		"v1_400_authorization_missing.json":    olAuthMissing,
		"v1_401_authentication_failure.json":   olAuthFailure,
		"v1_404_no_route.json":                 olNoRoute,
		"onelogin_v1_nested_success.json":      olSuccess,
		"onelogin_v1_nested_401.json":          olAuthFailure,
		"oidc_400_unsupported_token_type.json": oidcUnsupported,
		"onelogin_oidc_400.json":               oidcUnsupported,
		"oidc_401_invalid_header.json":         oidcBadHeader,
		"oidc_401_authentication_failed.json":  oidcAuthFailed,
		"oidc_401_access_unauthorized.json":    oidcUnauthorized,
	} {
		doc := []byte(testkit.AdapterGolden(t, file))
		var want, got any
		if err := json.Unmarshal(doc, &want); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: emulator body %s differs from the documentation %s", file, body, doc)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		header, id, secret string
		ok                 bool
	}{
		{"client_id:abc, client_secret:def", "abc", "def", true},
		{"client_id:abc,client_secret:def", "abc", "def", true},
		{"  client_id: abc ,  client_secret: d,e:f  ", "abc", "d,e:f", true},
		{testkit.Basic("abc", "d:e:f"), "abc", "d:e:f", true},
		{"basic " + base64.StdEncoding.EncodeToString([]byte("abc:def")), "abc", "def", true},
		{testkit.Basic("a%20b", "def"), "a%20b", "def", true}, // raw: no form-decoding
		{"", "", "", false},
		{"client_id:abc", "", "", false},
		{"client_id:, client_secret:def", "", "", false},
		{"client_id:abc, client_secret:", "", "", false},
		{"client_id=abc, client_secret=def", "", "", false},
		{"Client_ID:abc, Client_Secret:def", "", "", false},
		{"Bearer abc", "", "", false},
		{"Basic", "", "", false},
		{"Basic " + base64.StdEncoding.EncodeToString([]byte(":def")), "", "", false},
		{"Basic " + base64.StdEncoding.EncodeToString([]byte("abc:")), "", "", false},
		{"Basic not-base64!", "", "", false},
	}
	for _, tt := range tests {
		id, secret, ok := onelogintest.ParseAuthorization(tt.header)
		if id != tt.id || secret != tt.secret || ok != tt.ok {
			t.Errorf("ParseAuthorization(%q) = %q, %q, %v; want %q, %q, %v", tt.header, id, secret, ok, tt.id, tt.secret, tt.ok)
		}
	}
}

func TestRateLimitHeaders(t *testing.T) {
	fake := onelogintest.New()
	fake.AddAPICredential(olID, olSecret)
	fake.RateLimit, fake.RateWindow = 2, 90*time.Second
	tests := []struct {
		status    int
		remaining string
		body      string
	}{
		{200, "1", olSuccess},
		{401, "0", olAuthFailure}, // failed calls count too
		{429, "0", envelope(429, "Too Many Requests", onelogintest.MsgRateLimited)},
	}
	for i, tt := range tests {
		authz := v1Header(olID, olSecret)
		if tt.status == 401 {
			authz = v1Header(olID, wrong)
		}
		p := fake.Issue(olID)
		resp := serve(fake, http.MethodPost, onelogintest.RevokePath, "application/json", authz, `{"access_token":"`+p.AccessToken+`"}`)
		if got := readBody(t, resp); resp.StatusCode != tt.status || got != tt.body {
			t.Errorf("call %d: answer = %d %s, want %d %s", i+1, resp.StatusCode, got, tt.status, tt.body)
		}
		if got := resp.Header.Get("X-RateLimit-Limit"); got != "2" {
			t.Errorf("call %d: X-RateLimit-Limit = %q, want 2", i+1, got)
		}
		if got := resp.Header.Get("X-RateLimit-Remaining"); got != tt.remaining {
			t.Errorf("call %d: X-RateLimit-Remaining = %q, want %s", i+1, got, tt.remaining)
		}
		reset, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Reset"))
		if err != nil || reset < 88 || reset > 90 {
			t.Errorf("call %d: X-RateLimit-Reset = %q, want seconds remaining (88..90)", i+1, resp.Header.Get("X-RateLimit-Reset"))
		}
		if tt.status == 429 && !fake.Active(p.AccessToken) {
			t.Error("a rate-limited call revoked its token")
		}
	}
	// The OIDC endpoint is not metered.
	resp := serve(fake, http.MethodPost, onelogintest.OIDCRevokePath, "application/x-www-form-urlencoded", "", "token=x")
	if resp.Header.Get("X-RateLimit-Limit") != "" || resp.StatusCode == 429 {
		t.Errorf("OIDC answer %d carries rate-limit headers %v", resp.StatusCode, resp.Header)
	}
}

func TestDefaultRateLimit(t *testing.T) {
	fake := onelogintest.New()
	resp := serve(fake, http.MethodPost, onelogintest.RevokePath, "application/json", "", "{}")
	reset, _ := strconv.Atoi(resp.Header.Get("X-RateLimit-Reset"))
	if resp.Header.Get("X-RateLimit-Limit") != strconv.Itoa(onelogintest.DefaultRateLimit) || reset != int(onelogintest.DefaultRateWindow/time.Second) {
		t.Errorf("headers = %v, want the documented 5000 calls per hour", resp.Header)
	}
}

func TestOIDCEndpoint(t *testing.T) {
	const (
		path = onelogintest.OIDCRevokePath
		form = "application/x-www-form-urlencoded"
	)
	both := `{"error":"invalid_request","error_description":"client credentials must be sent in the Authorization header or in the body, not both"}` + "\n"
	type state struct {
		basic, post, spa, apiTok, revoked revoketest.Pair
	}
	tests := []struct {
		name          string
		method, ctype string
		authz         string
		body          func(state) string
		status        int
		want          string
		check         func(*testing.T, *onelogintest.Server, state)
	}{
		{name: "basic revokes an access token only", authz: testkit.Basic("web", olSecret),
			body: func(s state) string { return "token=" + s.basic.AccessToken + "&token_type_hint=access_token" }, status: 200,
			check: func(t *testing.T, f *onelogintest.Server, s state) {
				if f.Active(s.basic.AccessToken) || !f.Active(s.basic.RefreshToken) {
					t.Error("want the access token revoked and the refresh token active")
				}
			}},
		{name: "post revokes a refresh token and its access token", body: func(s state) string {
			return "token=" + s.post.RefreshToken + "&token_type_hint=refresh_token&client_id=post-app&client_secret=" + olSecret
		}, status: 200, check: func(t *testing.T, f *onelogintest.Server, s state) {
			if f.Active(s.post.AccessToken) || f.Active(s.post.RefreshToken) {
				t.Error("want both tokens revoked")
			}
		}},
		{name: "none", body: func(s state) string { return "token=" + s.spa.AccessToken + "&client_id=spa" }, status: 200,
			check: func(t *testing.T, f *onelogintest.Server, s state) {
				if f.Active(s.spa.AccessToken) {
					t.Error("want the token revoked")
				}
			}},
		{name: "header and body secret", authz: testkit.Basic("web", olSecret), body: func(s state) string {
			return "token=" + s.basic.AccessToken + "&client_id=web&client_secret=" + olSecret
		}, status: 400, want: both},
		{name: "header and body client_id", authz: testkit.Basic("web", olSecret), body: func(s state) string { return "token=" + s.basic.AccessToken + "&client_id=web" }, status: 400, want: both},
		{name: "bearer header", authz: "Bearer abc", body: func(s state) string { return "token=" + s.basic.AccessToken }, status: 401, want: oidcBadHeader},
		{name: "basic garbage", authz: "Basic ***", body: func(s state) string { return "token=" + s.basic.AccessToken }, status: 401, want: oidcBadHeader},
		{name: "wrong secret", authz: testkit.Basic("web", wrong), body: func(s state) string { return "token=" + s.basic.AccessToken }, status: 401, want: oidcAuthFailed,
			check: func(t *testing.T, f *onelogintest.Server, s state) {
				if !f.Active(s.basic.AccessToken) {
					t.Error("token revoked despite failed authentication")
				}
			}},
		{name: "basic app using post", body: func(s state) string {
			return "token=" + s.basic.AccessToken + "&client_id=web&client_secret=" + olSecret
		}, status: 401, want: oidcAuthFailed},
		{name: "secret app without secret", body: func(s state) string { return "token=" + s.basic.AccessToken + "&client_id=web" }, status: 401, want: oidcAuthFailed},
		{name: "no credentials", body: func(s state) string { return "token=" + s.basic.AccessToken }, status: 401, want: oidcUnauthorized},
		{name: "unknown token", authz: testkit.Basic("web", olSecret), body: func(state) string { return "token=never-issued" }, status: 400, want: oidcUnsupported},
		{name: "already revoked", authz: testkit.Basic("web", olSecret), body: func(s state) string { return "token=" + s.revoked.RefreshToken }, status: 400, want: oidcUnsupported},
		{name: "another app's token", authz: testkit.Basic("web", olSecret), body: func(s state) string { return "token=" + s.spa.AccessToken }, status: 400, want: oidcUnsupported,
			check: func(t *testing.T, f *onelogintest.Server, s state) {
				if !f.Active(s.spa.AccessToken) {
					t.Error("another app's token was revoked")
				}
			}},
		{name: "API-credential token", authz: testkit.Basic("web", olSecret), body: func(s state) string { return "token=" + s.apiTok.AccessToken }, status: 400, want: oidcUnsupported},
		{name: "missing token", authz: testkit.Basic("web", olSecret), body: func(state) string { return "token_type_hint=access_token" }, status: 400,
			want: `{"error":"invalid_request","error_description":"token is required"}` + "\n"},
		{name: "token twice", authz: testkit.Basic("web", olSecret), body: func(s state) string { return "token=" + s.basic.AccessToken + "&token=x" }, status: 400,
			want: `{"error":"invalid_request","error_description":"'token' parameter must not be provided twice"}` + "\n"},
		{name: "JSON body", ctype: "application/json", authz: testkit.Basic("web", olSecret), body: func(s state) string { return `{"token":"` + s.basic.AccessToken + `"}` }, status: 400,
			want: `{"error":"invalid_request","error_description":"only application/x-www-form-urlencoded content-type bodies are supported"}` + "\n"},
		{name: "GET", method: http.MethodGet, body: func(state) string { return "" }, status: 404,
			want: `{"error":"invalid_request","error_description":"the endpoint accepts only POST"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := onelogintest.New()
			fake.AddApp(revoketest.Client{ID: "web", Secret: olSecret, Method: "client_secret_basic"})
			fake.AddApp(revoketest.Client{ID: "post-app", Secret: olSecret, Method: "client_secret_post"})
			fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
			fake.AddAPICredential(olID, olSecret)
			s := state{basic: fake.Issue("web"), post: fake.Issue("post-app"), spa: fake.Issue("spa"), apiTok: fake.Issue(olID), revoked: fake.Issue("web")}
			fake.Store.Revoke(s.revoked.RefreshToken, "web")
			method, ctype := http.MethodPost, form
			if tt.method != "" {
				method = tt.method
			}
			if tt.ctype != "" {
				ctype = tt.ctype
			}
			resp := serve(fake, method, path, ctype, tt.authz, tt.body(s))
			if got := readBody(t, resp); resp.StatusCode != tt.status || got != tt.want {
				t.Errorf("answer = %d %q, want %d %q", resp.StatusCode, got, tt.status, tt.want)
			}
			if tt.check != nil {
				tt.check(t, fake, s)
			}
			if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Status != tt.status || reqs[0].Path != path {
				t.Errorf("log = %+v", reqs)
			}
		})
	}
}

func TestUnknownPath(t *testing.T) {
	fake := onelogintest.New()
	resp := serve(fake, http.MethodPost, "/api/2/users", "application/json", "", "{}")
	if got := readBody(t, resp); resp.StatusCode != 404 || got != olNoRoute {
		t.Errorf("answer = %d %s, want 404 %s", resp.StatusCode, got, olNoRoute)
	}
}

// TestOversizedRequest: a body past revoketest.MaxRequestBytes is answered
// 413 by the core and never acted on, at both endpoints.
func TestOversizedRequest(t *testing.T) {
	for _, ep := range []struct {
		path, ctype, authz string
		body               func(revoketest.Pair) string
	}{
		{onelogintest.RevokePath, "application/json", v1Header(olID, olSecret), func(p revoketest.Pair) string {
			return `{"access_token":"` + p.AccessToken + `","pad":"` + strings.Repeat("x", revoketest.MaxRequestBytes) + `"}`
		}},
		{onelogintest.OIDCRevokePath, "application/x-www-form-urlencoded", "", func(p revoketest.Pair) string {
			return "client_id=spa&token=" + p.AccessToken + "&pad=" + strings.Repeat("x", revoketest.MaxRequestBytes)
		}},
	} {
		t.Run(ep.path, func(t *testing.T) {
			fake := onelogintest.New()
			fake.AddAPICredential(olID, olSecret)
			fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
			id := olID
			if ep.path == onelogintest.OIDCRevokePath {
				id = "spa"
			}
			p := fake.Issue(id)
			resp := serve(fake, http.MethodPost, ep.path, ep.ctype, ep.authz, ep.body(p))
			readBody(t, resp)
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !fake.Active(p.AccessToken) || !fake.Active(p.RefreshToken) {
				t.Errorf("answer = %d, active = %v; want 413 and the tokens untouched", resp.StatusCode, fake.Active(p.AccessToken))
			}
			if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusRequestEntityTooLarge {
				t.Errorf("log = %d requests, want one answered 413", len(reqs))
			}
		})
	}
}

func TestFaults(t *testing.T) {
	fake := onelogintest.New()
	fake.AddAPICredential(olID, olSecret)
	fake.FailNext(2, revoketest.ServiceUnavailable(3*time.Second))
	p := fake.Issue(olID)
	body := `{"access_token":"` + p.AccessToken + `"}`
	for i := range 3 {
		resp := serve(fake, http.MethodPost, onelogintest.RevokePath, "application/json", v1Header(olID, olSecret), body)
		got := readBody(t, resp)
		if i < 2 && (resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "3" || !fake.Active(p.AccessToken)) {
			t.Errorf("call %d: %d %s, Retry-After %q, want the injected 503", i+1, resp.StatusCode, got, resp.Header.Get("Retry-After"))
		}
		if i == 2 && (resp.StatusCode != 200 || fake.Active(p.AccessToken)) {
			t.Errorf("call 3: %d %s, want the real answer", resp.StatusCode, got)
		}
	}
	reqs := fake.Requests()
	if len(reqs) != 3 || reqs[0].Status != 503 || reqs[2].Status != 200 || reqs[2].Header.Get("Authorization") != v1Header(olID, olSecret) {
		t.Errorf("log = %+v", reqs)
	}
}

// The emulator holds up under concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	fake := onelogintest.New()
	fake.AddAPICredential(olID, olSecret)
	fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
	var wg sync.WaitGroup
	pairs := make([]revoketest.Pair, 40)
	for i := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				pairs[i] = fake.Issue(olID)
				serve(fake, http.MethodPost, onelogintest.RevokePath, "application/json", testkit.Basic(olID, olSecret), `{"access_token":"`+pairs[i].AccessToken+`"}`)
			} else {
				pairs[i] = fake.Issue("spa")
				serve(fake, http.MethodPost, onelogintest.OIDCRevokePath, "application/x-www-form-urlencoded", "", "client_id=spa&token="+pairs[i].RefreshToken)
			}
		}()
	}
	wg.Wait()
	for i, p := range pairs {
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Errorf("pair %d still active", i)
		}
	}
	if n := fake.Log.Len(); n != len(pairs) {
		t.Errorf("logged %d requests, want %d", n, len(pairs))
	}
}

func TestRegister(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := onelogintest.Register(mt, "https://acme.onelogin.com")
	fake.AddAPICredential(olID, olSecret)
	p := fake.Issue(olID)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, "https://acme.onelogin.com/auth/oauth2/revoke", strings.NewReader(`{"access_token":"`+p.AccessToken+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", testkit.Basic(olID, olSecret))
	client := &http.Client{Transport: mt}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if got := readBody(t, resp); resp.StatusCode != 200 || got != olSuccess || fake.Active(p.AccessToken) {
		t.Errorf("answer = %d %s, active %v", resp.StatusCode, got, fake.Active(p.AccessToken))
	}
	// Other hosts are not served.
	if _, err := client.Post("https://other.onelogin.com/auth/oauth2/revoke", "application/json", strings.NewReader("{}")); err == nil {
		t.Error("a request to another host was answered")
	}
	if info, ok := fake.Store.Lookup(p.AccessToken); !ok || info.Kind != onelogintest.KindAPI || info.ClientID != olID {
		t.Errorf("Lookup = %+v, %v", info, ok)
	}
	fake.AddApp(revoketest.Client{ID: "spa", Method: "none"})
	if info, ok := fake.Store.Lookup(fake.Issue("spa").RefreshToken); !ok || info.Kind != onelogintest.KindOIDC || info.Type != "refresh_token" {
		t.Errorf("Lookup = %+v, %v", info, ok)
	}
}
