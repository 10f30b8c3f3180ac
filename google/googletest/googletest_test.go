package googletest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/google/googletest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

func post(t *testing.T, c *http.Client, target, contentType, body string) (int, http.Header, string) {
	t.Helper()
	resp, err := c.Post(target, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, strings.TrimSpace(string(b))
}

// TestAnswers: every answer the fake gives, with the state it leaves.
func TestAnswers(t *testing.T) {
	fake := googletest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	p := fake.Issue("client-1", "alice")
	q := fake.Issue("client-1", "alice")
	other := fake.Issue("client-2", "alice")
	const form = "application/x-www-form-urlencoded"
	const invalidToken = `{"error":"invalid_token","error_description":"Token expired or revoked"}`
	tests := []struct {
		name, path, ct, body string
		wantStatus           int
		wantBody             string
	}{
		{"no token", "/revoke", form, "", 400, `{"error":"invalid_request","error_description":"Bad Request"}`},
		{"JSON body", "/revoke", "application/json", `{"token":"` + p.AccessToken + `"}`, 400, `{"error":"invalid_request","error_description":"Bad Request"}`},
		{"unknown token", "/revoke", form, "token=unknown-token", 400, invalidToken},
		{"access token", "/revoke", form, url.Values{"token": {p.AccessToken}}.Encode(), 200, `{}`},
		{"the grant's refresh token, now revoked", "/revoke", form, url.Values{"token": {p.RefreshToken}}.Encode(), 400, invalidToken},
		{"another grant's token, in the query, legacy path", "/o/oauth2/revoke?token=" + url.QueryEscape(other.RefreshToken), "", "", 200, `{}`},
	}
	for _, tc := range tests {
		status, hdr, body := post(t, srv.Client(), srv.URL+tc.path, tc.ct, tc.body)
		if status != tc.wantStatus || body != tc.wantBody {
			t.Errorf("%s: %d %s; want %d %s", tc.name, status, body, tc.wantStatus, tc.wantBody)
		}
		if ct := hdr.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", tc.name, ct)
		}
		if hdr.Get("X-RateLimit-Limit") != "" || hdr.Get("X-Rate-Limit-Limit") != "" {
			t.Errorf("%s: rate-limit headers Google does not send", tc.name)
		}
	}
	for name, v := range map[string]string{"access": p.AccessToken, "refresh": p.RefreshToken, "same grant": q.RefreshToken, "other client": other.AccessToken} {
		if fake.Active(v) {
			t.Errorf("%s token active", name)
		}
	}
	resp, err := srv.Client().Get(srv.URL + "/revoke?token=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("GET: %d", resp.StatusCode)
	}
	if status, _, _ := post(t, srv.Client(), srv.URL+"/token", form, ""); status != 404 {
		t.Errorf("unknown path: %d", status)
	}
	reqs := fake.Requests()
	if len(reqs) != len(tests)+2 || reqs[3].Status != 200 || reqs[3].Form.Get("token") != p.AccessToken {
		t.Errorf("log: %d requests, %+v", len(reqs), reqs[3])
	}
}

// TestRegisterFaultsAndLimits: behind httpmock, with an injected fault;
// an oversized body is 413 and never acted on.
func TestRegisterFaultsAndLimits(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := googletest.Register(mt, "https://oauth2.googleapis.com")
	fake.FailNext(1, revoketest.ServiceUnavailable(0))
	p := fake.Issue("c", "u")
	c := &http.Client{Transport: mt}
	body := url.Values{"token": {p.AccessToken}}.Encode()
	if status, _, _ := post(t, c, "https://oauth2.googleapis.com/revoke", "application/x-www-form-urlencoded", body); status != 503 || !fake.Active(p.AccessToken) {
		t.Errorf("fault: %d", status)
	}
	big := body + "&pad=" + strings.Repeat("x", revoketest.MaxRequestBytes)
	if status, _, _ := post(t, c, "https://oauth2.googleapis.com/revoke", "application/x-www-form-urlencoded", big); status != 413 || !fake.Active(p.AccessToken) {
		t.Errorf("oversized: %d", status)
	}
	if status, _, _ := post(t, c, "https://oauth2.googleapis.com/revoke", "application/x-www-form-urlencoded", body); status != 200 || fake.Active(p.AccessToken) {
		t.Errorf("revoke: %d", status)
	}
}

// TestConcurrent: the fake is safe for concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	fake := googletest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := fake.Issue("c", "u")
			post(t, srv.Client(), srv.URL+"/revoke", "application/x-www-form-urlencoded", url.Values{"token": {p.RefreshToken}}.Encode())
			if fake.Active(p.AccessToken) {
				t.Error("survived")
			}
		}()
	}
	wg.Wait()
}

// TestGoldenAnswers: the fake's error bodies are the ones the adapter's
// tests serve (google/testdata).
func TestGoldenAnswers(t *testing.T) {
	fake := googletest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	for file, body := range map[string]string{
		"revoke-400-invalid-token.json":   "token=unknown-token",
		"revoke-400-invalid-request.json": "",
	} {
		want := []byte(testkit.AdapterGolden(t, file))
		status, _, got := post(t, srv.Client(), srv.URL+googletest.RevokePath, "application/x-www-form-urlencoded", body)
		var g, w any
		if status != 400 || json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal(want, &w) != nil || !reflect.DeepEqual(g, w) {
			t.Errorf("%s: %d %s; want 400 %s", file, status, got, want)
		}
	}
}
