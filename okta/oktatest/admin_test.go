package oktatest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

var adminT0 = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// adminFixture is an emulator with a fixed clock, user 00u1 and clients
// 0oa1 ("Web App") and 0oa2 ("Mobile").
func adminFixture() (*oktatest.Admin, *time.Time) {
	now := adminT0
	o := oktatest.NewAdmin("api-token-1234")
	o.Now = func() time.Time { return now }
	o.AddUser("00u1")
	o.AddClient("0oa1", "Web App")
	o.AddClient("0oa2", "Mobile")
	return o, &now
}

// call sends one request straight to the handler.
func call(o http.Handler, method, target, authz string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "https://org.example.com"+target, nil)
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	w := httptest.NewRecorder()
	o.ServeHTTP(w, r)
	return w
}

const sswsAuth = "SSWS api-token-1234"

type oktaErr struct {
	ErrorCode, ErrorSummary, ErrorLink, ErrorID string
	ErrorCauses                                 []struct{ ErrorSummary string }
}

func decodeErr(t *testing.T, w *httptest.ResponseRecorder) oktaErr {
	t.Helper()
	var e oktaErr
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("body %q is not an Okta error: %v", w.Body.String(), err)
	}
	if e.ErrorLink != e.ErrorCode || e.ErrorID == "" || e.ErrorCauses == nil || w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("error body %s lacks Okta's shape", w.Body.String())
	}
	return e
}

func TestOktaAdminAuthentication(t *testing.T) {
	o, _ := adminFixture()
	o.AddBearer("reader", "okta.users.read")
	o.AddBearer("as-admin", "okta.authorizationServers.manage")
	for _, tc := range []struct {
		name, method, path, authz string
		status                    int
		code                      string
	}{
		{"no credential", "GET", "/api/v1/users/00u1/clients", "", 401, "E0000011"},
		{"wrong API token", "GET", "/api/v1/users/00u1/clients", "SSWS nope", 401, "E0000011"},
		{"basic scheme", "GET", "/api/v1/users/00u1/clients", "Basic YTpi", 401, "E0000011"},
		{"API token", "GET", "/api/v1/users/00u1/clients", sswsAuth, 200, ""},
		{"scheme is case-insensitive", "GET", "/api/v1/users/00u1/clients", "ssws api-token-1234", 200, ""},
		{"unknown bearer", "GET", "/api/v1/users/00u1/clients", "Bearer nope", 401, "E0000011"},
		{"read scope reads", "GET", "/api/v1/users/00u1/clients", "Bearer reader", 200, ""},
		{"read scope cannot revoke", "DELETE", "/api/v1/users/00u1/grants", "Bearer reader", 403, "E0000006"},
		{"user scope cannot read servers", "GET", "/api/v1/authorizationServers/default/clients", "Bearer reader", 403, "E0000006"},
		{"manage scope reads too", "GET", "/api/v1/authorizationServers/default/clients", "Bearer as-admin", 200, ""},
		{"manage scope revokes", "DELETE", "/api/v1/authorizationServers/default/clients/0oa1/tokens", "Bearer as-admin", 204, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := call(o, tc.method, tc.path, tc.authz)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if tc.code != "" {
				if e := decodeErr(t, w); e.ErrorCode != tc.code {
					t.Errorf("errorCode %s, want %s", e.ErrorCode, tc.code)
				}
			}
		})
	}
}

func TestOktaAdminNotFound(t *testing.T) {
	o, _ := adminFixture()
	for _, tc := range []struct{ method, path, summary string }{
		{"GET", "/api/v1/users/00uX/clients", "Not found: Resource not found: 00uX (User)"},
		{"DELETE", "/api/v1/users/00u1/clients/0oaX/tokens", "Not found: Resource not found: 0oaX (AppInstance)"},
		{"GET", "/api/v1/users/00u1/clients/0oa1/tokens/oarX", "Not found: Resource not found: oarX (Token)"},
		{"GET", "/api/v1/authorizationServers/ausX/clients", "Not found: Resource not found: ausX (AuthorizationServer)"},
		{"GET", "/api/v1/nothing/here", "Not found: Resource not found: /api/v1/nothing/here (Endpoint)"},
		{"PUT", "/api/v1/users/00u1/grants", "Not found: Resource not found: /api/v1/users/00u1/grants (Endpoint)"},
	} {
		w := call(o, tc.method, tc.path, sswsAuth)
		if w.Code != 404 {
			t.Errorf("%s %s: status %d", tc.method, tc.path, w.Code)
			continue
		}
		if e := decodeErr(t, w); e.ErrorCode != "E0000007" || e.ErrorSummary != tc.summary {
			t.Errorf("%s %s: %+v", tc.method, tc.path, e)
		}
	}
}

func TestOktaAdminRateLimit(t *testing.T) {
	o, now := adminFixture()
	bucket := "DELETE " + oktatest.UserGrantsPath
	o.SetRateLimit(bucket, 2, 30*time.Second)
	*now = adminT0.Add(300 * time.Millisecond)
	reset := strconv.FormatInt(adminT0.Add(31*time.Second).Unix(), 10) // rounded up to the second
	for i, want := range []struct {
		status    int
		remaining string
	}{{204, "1"}, {204, "0"}, {429, "0"}} {
		w := call(o, "DELETE", "/api/v1/users/00u1/grants", sswsAuth)
		h := w.Header()
		if w.Code != want.status || h.Get("X-Rate-Limit-Limit") != "2" || h.Get("X-Rate-Limit-Remaining") != want.remaining || h.Get("X-Rate-Limit-Reset") != reset {
			t.Errorf("request %d: %d, headers %v", i, w.Code, h)
		}
		if h.Get("Date") != adminT0.Format(http.TimeFormat) || h.Get("X-Okta-Request-Id") == "" {
			t.Errorf("request %d: Date %q, request id %q", i, h.Get("Date"), h.Get("X-Okta-Request-Id"))
		}
		if want.status == 429 {
			if e := decodeErr(t, w); e.ErrorCode != "E0000047" || e.ErrorSummary != "API call exceeded rate limit due to too many requests." {
				t.Errorf("429 body %+v", e)
			}
		}
	}
	// Other buckets are separate; the default limit applies to them.
	if w := call(o, "GET", "/api/v1/users/00u1/clients", sswsAuth); w.Code != 200 || w.Header().Get("X-Rate-Limit-Limit") != strconv.Itoa(oktatest.DefaultLimit) {
		t.Errorf("other bucket: %d %v", w.Code, w.Header())
	}
	*now = adminT0.Add(31 * time.Second)
	if w := call(o, "DELETE", "/api/v1/users/00u1/grants", sswsAuth); w.Code != 204 || w.Header().Get("X-Rate-Limit-Remaining") != "1" {
		t.Errorf("after the reset: %d %v", w.Code, w.Header())
	}
	var buckets []string
	for _, r := range o.Requests() {
		buckets = append(buckets, r.Bucket)
	}
	if buckets[0] != bucket || buckets[3] != "GET "+oktatest.UserClientsPath {
		t.Errorf("logged buckets %q", buckets)
	}
}

func TestOktaAdminPagination(t *testing.T) {
	o, _ := adminFixture()
	var ids []string
	for range 45 {
		ids = append(ids, o.IssueRefreshToken("00u1", "0oa1").ID)
	}
	o.IssueRefreshToken("00u1", "0oa2") // another client's: never listed
	list := func(query string) ([]map[string]any, []string) {
		t.Helper()
		w := call(o, "GET", "/api/v1/users/00u1/clients/0oa1/tokens"+query, sswsAuth)
		if w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		var page []map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		return page, w.Header().Values("Link")
	}
	page, links := list("")
	if len(page) != 20 || len(links) != 2 ||
		links[0] != `<https://org.example.com/api/v1/users/00u1/clients/0oa1/tokens>; rel="self"` ||
		links[1] != `<https://org.example.com/api/v1/users/00u1/clients/0oa1/tokens?after=`+ids[19]+`>; rel="next"` {
		t.Errorf("default page: %d tokens, links %q", len(page), links)
	}
	page, links = list("?limit=20&after=" + ids[19] + "&expand=scope")
	if page[0]["id"] != ids[20] || len(page) != 20 || !strings.Contains(links[1], "after="+ids[39]+"&expand=scope&limit=20") {
		t.Errorf("second page starts %v, links %q", page[0]["id"], links)
	}
	if _, ok := page[0]["_embedded"]; !ok {
		t.Error("expand=scope did not embed the scopes")
	}
	page, links = list("?limit=20&after=" + ids[39])
	if len(page) != 5 || len(links) != 1 {
		t.Errorf("last page: %d tokens, links %q", len(page), links)
	}
	if page, _ = list("?limit=500"); len(page) != 45 {
		t.Errorf("limit=500 gave %d tokens: Okta clamps to 200", len(page))
	}
	for _, q := range []string{"?limit=abc", "?after=nope"} {
		w := call(o, "GET", "/api/v1/users/00u1/clients/0oa1/tokens"+q, sswsAuth)
		if e := decodeErr(t, w); w.Code != 400 || e.ErrorCode != "E0000001" || len(e.ErrorCauses) != 1 {
			t.Errorf("%s: %d %+v", q, w.Code, e)
		}
	}
	// Revoked tokens leave the list but not GET.
	w := call(o, "DELETE", "/api/v1/users/00u1/clients/0oa1/tokens/"+ids[0], sswsAuth)
	if w.Code != 204 {
		t.Fatal(w.Code)
	}
	if page, _ = list("?limit=1"); page[0]["id"] != ids[1] {
		t.Errorf("first listed after revoking the first: %v", page[0]["id"])
	}
	w = call(o, "GET", "/api/v1/users/00u1/clients/0oa1/tokens/"+ids[0], sswsAuth)
	var tok map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &tok)
	if w.Code != 200 || tok["status"] != "REVOKED" || tok["clientId"] != "0oa1" || tok["userId"] != "00u1" {
		t.Errorf("GET revoked token: %d %v", w.Code, tok)
	}
	// Authorization-server listing without a limit is one page.
	w = call(o, "GET", "/api/v1/authorizationServers/default/clients/0oa1/tokens", sswsAuth)
	var all []map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &all)
	if len(all) != 44 || len(w.Header().Values("Link")) != 1 {
		t.Errorf("AS list: %d tokens, links %q", len(all), w.Header().Values("Link"))
	}
}

func TestOktaAdminLinkBase(t *testing.T) {
	o, _ := adminFixture()
	o.LinkBase = "https://evil.example.com/"
	o.IssueRefreshToken("00u1", "0oa1")
	o.IssueRefreshToken("00u1", "0oa1")
	w := call(o, "GET", "/api/v1/users/00u1/clients/0oa1/tokens?limit=1", sswsAuth)
	if links := w.Header().Values("Link"); len(links) != 2 || !strings.HasPrefix(links[1], "<https://evil.example.com/api/v1/") {
		t.Errorf("links %q", links)
	}
}

func TestOktaAdminFaults(t *testing.T) {
	o, _ := adminFixture()
	tok := o.IssueRefreshToken("00u1", "0oa1")
	o.FailRevoke("0oa1", oktatest.Fault(500, "E0000009", "Internal Server Error"))
	for _, path := range []string{"/api/v1/users/00u1/clients/0oa1/tokens", "/api/v1/users/00u1/clients/0oa1/tokens/" + tok.ID,
		"/api/v1/authorizationServers/default/clients/0oa1/tokens", "/api/v1/authorizationServers/default/clients/0oa1/tokens/" + tok.ID} {
		w := call(o, "DELETE", path, sswsAuth)
		if e := decodeErr(t, w); w.Code != 500 || e.ErrorCode != "E0000009" {
			t.Errorf("DELETE %s: %d %+v", path, w.Code, e)
		}
	}
	if !o.Active(tok.ID) {
		t.Error("a failed revocation revoked the token")
	}
	if w := call(o, "GET", "/api/v1/users/00u1/clients/0oa1/tokens", sswsAuth); w.Code != 200 {
		t.Errorf("listing is not a revocation: %d", w.Code)
	}
	o.FailRevoke("0oa1", revoketest.Fault{})
	if w := call(o, "DELETE", "/api/v1/users/00u1/clients/0oa1/tokens", sswsAuth); w.Code != 204 || o.Active(tok.ID) {
		t.Errorf("after clearing the fault: %d, active %v", w.Code, o.Active(tok.ID))
	}
	o.FailNext(1, revoketest.ServiceUnavailable(2*time.Second))
	if w := call(o, "GET", "/api/v1/users/00u1/clients", sswsAuth); w.Code != 503 || w.Header().Get("Retry-After") != "2" {
		t.Errorf("queued fault: %d %v", w.Code, w.Header())
	}
	if w := call(o, "GET", "/api/v1/users/00u1/clients", sswsAuth); w.Code != 200 {
		t.Errorf("after the queued fault: %d", w.Code)
	}
}

func TestOktaAdminSessions(t *testing.T) {
	for _, tc := range []struct {
		query              string
		status             int
		tokensRevoked      bool
		devicesForgotten   bool
		sessionsAfterClear int
	}{
		{"", 204, false, true, 0},
		{"?oauthTokens=true", 204, true, true, 0},
		{"?oauthTokens=false&forgetDevices=false", 204, false, false, 0},
		{"?oauthTokens=yes", 400, false, false, 2},
		{"?forgetDevices=1", 400, false, false, 2},
	} {
		t.Run(tc.query, func(t *testing.T) {
			o, _ := adminFixture()
			tok := o.IssueRefreshToken("00u1", "0oa1")
			o.AddSession("00u1")
			o.AddSession("00u1")
			w := call(o, "DELETE", "/api/v1/users/00u1/sessions"+tc.query, sswsAuth)
			if w.Code != tc.status || o.Active(tok.ID) == tc.tokensRevoked || o.DevicesForgotten("00u1") != tc.devicesForgotten || o.Sessions("00u1") != tc.sessionsAfterClear {
				t.Errorf("status %d, token active %v, devices forgotten %v, sessions %d", w.Code, o.Active(tok.ID), o.DevicesForgotten("00u1"), o.Sessions("00u1"))
			}
		})
	}
}

// TestOktaAdminWithOkta combines the admin emulator with the Okta /revoke
// emulator: they share the Store, /api/v1/ goes to the admin, and a token
// revoked through either is inactive at both.
func TestOktaAdminWithOkta(t *testing.T) {
	mt := httpmock.NewMockTransport()
	okta := oktatest.Register(mt, "https://dev-1.okta.com")
	admin := oktatest.NewAdmin("tok-1234")
	admin.Store = okta.Store
	okta.Admin = admin
	admin.AddUser("00u1")
	admin.AddClient("0oa1", "Web")
	t1 := admin.IssueRefreshToken("00u1", "0oa1")
	t2 := admin.IssueRefreshToken("00u1", "0oa1")
	hc := &http.Client{Transport: mt}
	req, _ := http.NewRequestWithContext(context.Background(), "DELETE", "https://dev-1.okta.com/api/v1/users/00u1/clients/0oa1/tokens/"+t1.ID, nil)
	req.Header.Set("Authorization", "SSWS tok-1234")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 204 || okta.Active(t1.Pair.RefreshToken) || okta.Active(t1.Pair.AccessToken) {
		t.Errorf("revoked through the admin API: %d; the /revoke emulator still sees the token", resp.StatusCode)
	}
	// Revoked at the Store (as /revoke does): the admin lists it no more.
	okta.Store.Revoke(t2.Pair.RefreshToken, "")
	req, _ = http.NewRequestWithContext(context.Background(), "GET", "https://dev-1.okta.com/api/v1/users/00u1/clients", nil)
	req.Header.Set("Authorization", "SSWS tok-1234")
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "[]\n" {
		t.Errorf("clients after every token was revoked: %s", body)
	}
	if n := len(okta.Requests()); n != 2 {
		t.Errorf("the Okta emulator logged %d requests, want 2", n)
	}
}

func TestOktaAdminTokenEndpoint(t *testing.T) {
	o, _ := adminFixture()
	post := func(form url.Values) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "https://org.example.com/oauth2/v1/token", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		o.ServeHTTP(w, r)
		return w
	}
	for _, tc := range []struct {
		name string
		form url.Values
		code string
	}{
		{"wrong grant", url.Values{"grant_type": {"password"}}, "unsupported_grant_type"},
		{"no client authentication", url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read"}}, "invalid_request"},
		{"bogus assertion", url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {"x.y.z"}}, "invalid_client"},
	} {
		w := post(tc.form)
		var e struct{ Error string }
		_ = json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code < 400 || e.Error != tc.code {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
	}
}

func TestOktaAdminPrintsNoSecret(t *testing.T) {
	o, _ := adminFixture()
	o.IssueRefreshToken("00u1", "0oa1")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, o); strings.Contains(out, "api-token-1234") || !strings.Contains(out, "tokens:1") {
			t.Errorf("%s: %s", verb, out)
		}
	}
}

func TestOktaAdminIssuePanicsOnUnknownUser(t *testing.T) {
	o, _ := adminFixture()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "add the user") {
			t.Errorf("recovered %v", r)
		}
	}()
	o.IssueRefreshToken("00uNobody", "0oa1")
}

func TestOktaAdminRequestLog(t *testing.T) {
	o, now := adminFixture()
	call(o, "GET", "/api/v1/users/00u1/clients?x=1", sswsAuth)
	*now = adminT0.Add(time.Minute)
	call(o, "DELETE", "/api/v1/users/00u1/sessions?oauthTokens=true", "")
	reqs := o.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if r := reqs[0]; r.Method != "GET" || r.Path != "/api/v1/users/00u1/clients" || r.Query.Get("x") != "1" || r.Status != 200 || !r.At.Equal(adminT0) || r.Bucket != "GET "+oktatest.UserClientsPath {
		t.Errorf("first record %+v", r)
	}
	if r := reqs[1]; r.Status != 401 || !r.At.Equal(adminT0.Add(time.Minute)) || r.Bucket != "DELETE "+oktatest.UserSessionsPath {
		t.Errorf("second record %+v", r)
	}
	if toks := o.Tokens("00u1", ""); len(toks) != 0 {
		t.Errorf("tokens %v", toks)
	}
}

// ExampleRegisterAdmin puts the admin fake behind an httpmock
// transport and checks what code under test did.
func ExampleRegisterAdmin() {
	mt := httpmock.NewMockTransport()
	fake := oktatest.RegisterAdmin(mt, "https://dev-1.okta.com")
	fake.AddUser("00u1")
	fake.AddClient("0oa1", "Web")
	tok := fake.IssueRefreshToken("00u1", "0oa1")

	// ... code under test, e.g. oktaadmin.New(...).RevokeAllUserTokens ...
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, "https://dev-1.okta.com/api/v1/users/00u1/clients/0oa1/tokens", nil)
	req.Header.Set("Authorization", "SSWS "+oktatest.APIToken)
	resp, err := (&http.Client{Transport: mt}).Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	fmt.Println(resp.StatusCode, fake.Active(tok.ID), fake.Store.Active(tok.Pair.AccessToken))
	for _, r := range fake.Requests() {
		fmt.Println(r.Bucket, r.Status)
	}
	// Output:
	// 204 false false
	// DELETE /api/v1/users/{userId}/clients/{clientId}/tokens 204
}
