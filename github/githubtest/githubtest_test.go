package githubtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke/github/githubtest"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	app    = "Iv1.8a61f9b3a7aba766"
	secret = "0123456789abcdef0123456789abcdef01234567"
)

// do sends one request to the fake and returns the answer.
func do(t *testing.T, h http.Handler, method, path, authz, body string, hdr ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(method, "https://api.github.com"+path, strings.NewReader(body))
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func message(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Message string `json:"message"`
		Doc     string `json:"documentation_url"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("body %q is not GitHub's error JSON: %v", b, err)
	}
	if e.Doc == "" {
		t.Errorf("body %q has no documentation_url", b)
	}
	return e.Message
}

// TestTokenEndpoint: the fake's answers to DELETE .../token.
func TestTokenEndpoint(t *testing.T) {
	fake := githubtest.New()
	fake.AddApp(app, secret)
	tok := fake.Issue(app, "octocat")
	if !strings.HasPrefix(tok, "gho_") || len(tok) != 40 || !fake.Active(tok) {
		t.Fatalf("Issue = %q", tok)
	}
	path := "/applications/" + app + "/token"
	body := `{"access_token":"` + tok + `"}`
	tests := []struct {
		name, method, path, authz, body string
		status                          int
		msg                             string
	}{
		{"no credentials", http.MethodDelete, path, "", body, 404, githubtest.MsgNotFound},
		{"wrong secret", http.MethodDelete, path, testkit.Basic(app, "wrong-secret"), body, 404, githubtest.MsgNotFound},
		{"another app in the path", http.MethodDelete, "/applications/Iv1.other/token", testkit.Basic(app, secret), body, 404, githubtest.MsgNotFound},
		{"bearer token", http.MethodDelete, path, "Bearer " + tok, body, 404, githubtest.MsgNotFound},
		{"no body", http.MethodDelete, path, testkit.Basic(app, secret), "", 422, githubtest.MsgMissingToken},
		{"no access_token", http.MethodDelete, path, testkit.Basic(app, secret), `{"token":"x"}`, 422, githubtest.MsgMissingToken},
		{"unknown token", http.MethodDelete, path, testkit.Basic(app, secret), `{"access_token":"gho_nope"}`, 404, githubtest.MsgNotFound},
		{"POST is another endpoint", http.MethodPost, path, testkit.Basic(app, secret), body, 404, githubtest.MsgNotFound},
		{"unknown path", http.MethodDelete, "/applications/" + app + "/tokens", testkit.Basic(app, secret), body, 404, githubtest.MsgNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := do(t, fake, tc.method, tc.path, tc.authz, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if got := message(t, resp); got != tc.msg {
				t.Errorf("message %q, want %q", got, tc.msg)
			}
			if resp.Header.Get("X-GitHub-Request-Id") == "" {
				t.Error("no request ID")
			}
			if !fake.Active(tok) {
				t.Fatal("token revoked by a refused request")
			}
		})
	}
	resp := do(t, fake, http.MethodDelete, path, testkit.Basic(app, secret), body, "X-GitHub-Api-Version", "2022-11-28")
	if resp.StatusCode != 204 || fake.Active(tok) {
		t.Fatalf("deletion: status %d, active %v", resp.StatusCode, fake.Active(tok))
	}
	for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset", "X-RateLimit-Resource"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s", h)
		}
	}
	if resp := do(t, fake, http.MethodDelete, path, testkit.Basic(app, secret), body); resp.StatusCode != 404 {
		t.Errorf("second deletion: %d, want 404", resp.StatusCode)
	}
	fake.BadCredentialsStatus = 401
	if resp := do(t, fake, http.MethodDelete, path, testkit.Basic(app, "wrong"), body); resp.StatusCode != 401 || message(t, resp) != githubtest.MsgBadCredentials {
		t.Errorf("wrong secret with BadCredentialsStatus 401: %d", resp.StatusCode)
	}
	if resp := do(t, fake, http.MethodDelete, path, testkit.Basic(app, secret), body, "X-GitHub-Api-Version", "2099-01-01"); resp.StatusCode != 400 {
		t.Errorf("unsupported API version: %d, want 400", resp.StatusCode)
	}
}

// TestGrantEndpoint: deleting a grant ends every token of that user for
// the app, refresh tokens included, and nothing else.
func TestGrantEndpoint(t *testing.T) {
	fake := githubtest.New()
	fake.AddApp(app, secret)
	fake.AddApp("Iv1.other", secret)
	a, pair := fake.Issue(app, "octocat"), fake.IssuePair(app, "octocat")
	other, otherApp := fake.Issue(app, "hubot"), fake.Issue("Iv1.other", "octocat")
	if !strings.HasPrefix(pair.AccessToken, "ghu_") || !strings.HasPrefix(pair.RefreshToken, "ghr_") {
		t.Fatalf("IssuePair = %v", pair)
	}
	// A refresh token does not find the grant.
	if resp := do(t, fake, http.MethodDelete, "/applications/"+app+"/grant", testkit.Basic(app, secret), `{"access_token":"`+pair.RefreshToken+`"}`); resp.StatusCode != 404 {
		t.Fatalf("grant by refresh token: %d, want 404", resp.StatusCode)
	}
	resp := do(t, fake, http.MethodDelete, "/applications/"+app+"/grant", testkit.Basic(app, secret), `{"access_token":"`+pair.AccessToken+`"}`)
	if resp.StatusCode != 204 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if fake.Active(a) || fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
		t.Error("a token of the grant survived")
	}
	if !fake.Active(other) || !fake.Active(otherApp) {
		t.Error("a token outside the grant was revoked")
	}
	// Deleting one token of a pair leaves its refresh token [Inf].
	p2 := fake.IssuePair(app, "octocat")
	do(t, fake, http.MethodDelete, "/applications/"+app+"/token", testkit.Basic(app, secret), `{"access_token":"`+p2.AccessToken+`"}`)
	if fake.Active(p2.AccessToken) || !fake.Active(p2.RefreshToken) {
		t.Error("token deletion: want the access token gone and the refresh token alive")
	}
}

// TestCredentialsEndpoint: /credentials/revoke on github.com and on
// Enterprise Server.
func TestCredentialsEndpoint(t *testing.T) {
	fake := githubtest.New()
	fake.AddApp(app, secret)
	pat, oauth, pair := fake.IssuePAT("octocat"), fake.Issue(app, "octocat"), fake.IssuePair(app, "hubot")
	body, _ := json.Marshal(map[string][]string{"credentials": {pat, oauth, pair.RefreshToken, "ghp_unknownButWellFormed0123456789ab"}})
	if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "Bearer "+pat, string(body)); resp.StatusCode != 403 || message(t, resp) != githubtest.MsgMustNotAuthenticate {
		t.Fatalf("authenticated: %d", resp.StatusCode)
	}
	for _, b := range []string{"", `{"credentials":[]}`, `{"credentials":"x"}`, `{"credentials":[` + strings.Repeat(`"ghp_x",`, 1000) + `"ghp_x"]}`} {
		if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", b); resp.StatusCode != 422 {
			t.Errorf("body %.40q: %d, want 422", b, resp.StatusCode)
		}
	}
	if !fake.Active(pat) {
		t.Fatal("revoked by a refused request")
	}
	resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", string(body))
	if resp.StatusCode != 202 || resp.Header.Get("X-RateLimit-Limit") != "60" {
		t.Fatalf("status %d, limit %q", resp.StatusCode, resp.Header.Get("X-RateLimit-Limit"))
	}
	if fake.Active(pat) || fake.Active(oauth) || fake.Active(pair.RefreshToken) || fake.Active(pair.AccessToken) {
		t.Error("a listed credential survived (or the refresh token's access token)")
	}

	ghes := githubtest.New()
	ghes.Enterprise, ghes.PathPrefix = true, "/api/v3"
	admin, leaked := ghes.IssuePAT("admin"), ghes.IssuePAT("octocat")
	body, _ = json.Marshal(map[string][]string{"credentials": {leaked}})
	if resp := do(t, ghes, http.MethodPost, "/credentials/revoke", "Bearer "+admin, string(body)); resp.StatusCode != 404 {
		t.Errorf("without the prefix: %d, want 404", resp.StatusCode)
	}
	if resp := do(t, ghes, http.MethodPost, "/api/v3/credentials/revoke", "", string(body)); resp.StatusCode != 401 {
		t.Errorf("Enterprise unauthenticated: %d, want 401", resp.StatusCode)
	}
	if resp := do(t, ghes, http.MethodPost, "/api/v3/credentials/revoke", "Bearer "+admin, string(body)); resp.StatusCode != 202 || ghes.Active(leaked) {
		t.Errorf("Enterprise authenticated: %d, active %v", resp.StatusCode, ghes.Active(leaked))
	}
}

// TestRateLimits: the window, its headers, the refusal over it, and its
// reset.
func TestRateLimits(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	fake := githubtest.New()
	fake.CredentialsLimit, fake.Window = 2, time.Minute
	fake.Now = func() time.Time { return now }
	body := `{"credentials":["ghp_unknownButWellFormed0123456789ab"]}`
	for i, want := range []int{202, 202, 403} {
		resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", body)
		if resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i+1, resp.StatusCode, want)
		}
		wantRemaining := strconv.Itoa(max(1-i, 0))
		if got := resp.Header.Get("X-RateLimit-Remaining"); got != wantRemaining {
			t.Errorf("request %d: remaining %s, want %s", i+1, got, wantRemaining)
		}
		if got := resp.Header.Get("X-RateLimit-Reset"); got != "1800000060" {
			t.Errorf("reset %s", got)
		}
		if want == 403 && !strings.Contains(message(t, resp), "API rate limit exceeded") {
			t.Error("no rate-limit message")
		}
	}
	now = now.Add(time.Minute)
	if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", body); resp.StatusCode != 202 {
		t.Errorf("after the reset: %d", resp.StatusCode)
	}
	fake.RateLimitStatus = 429
	do(t, fake, http.MethodPost, "/credentials/revoke", "", body)
	if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", body); resp.StatusCode != 429 {
		t.Errorf("RateLimitStatus 429: %d", resp.StatusCode)
	}
	fake.FailNext(1, githubtest.SecondaryRateLimit(90*time.Second))
	resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", body)
	if resp.StatusCode != 403 || resp.Header.Get("Retry-After") != "90" || !strings.Contains(message(t, resp), "secondary rate limit") {
		t.Errorf("secondary: %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fake.FailNext(1, githubtest.Spammed())
	if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", body); resp.StatusCode != 422 {
		t.Errorf("spammed: %d", resp.StatusCode)
	}
	if n := len(fake.Requests()); n != 8 {
		t.Errorf("%d requests logged, want 8", n)
	}
}

// TestOversizedBody: a body over revoketest.MaxRequestBytes is 413 and
// never acted on.
func TestOversizedBody(t *testing.T) {
	fake := githubtest.New()
	pat := fake.IssuePAT("octocat")
	big := `{"credentials":["` + pat + `"],"pad":"` + strings.Repeat("x", 1<<20) + `"}`
	if resp := do(t, fake, http.MethodPost, "/credentials/revoke", "", big); resp.StatusCode != 413 || !fake.Active(pat) {
		t.Errorf("status %d, active %v", resp.StatusCode, fake.Active(pat))
	}
}

// TestPrinting: the fake never prints a secret or a token.
func TestPrinting(t *testing.T) {
	fake := githubtest.New()
	fake.AddApp(app, secret)
	tok := fake.Issue(app, "octocat")
	do(t, fake, http.MethodDelete, "/applications/"+app+"/token", testkit.Basic(app, secret), `{"access_token":"`+tok+`"}`)
	testkit.NoLeak(t, "fake", testkit.PrintAll(fake), secret, tok)
	testkit.NoLeak(t, "requests", testkit.PrintAll(fake.Requests()), secret, tok)
}
