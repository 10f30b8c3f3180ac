package dropboxtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke/dropbox/dropboxtest"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	key    = "s2x9k1pq7m3n0ab"
	secret = "w4zt8y2vq1hj6kd"
)

func do(t *testing.T, fake *dropboxtest.Server, path, authz, contentType, body string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://api.dropboxapi.com"+path, strings.NewReader(body))
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return testkit.Do(t, fake, r)
}

// TestRevoke: the answers of /2/auth/token/revoke.
func TestRevoke(t *testing.T) {
	fake := dropboxtest.New()
	pair := fake.Issue(key, "dbid:1")
	expired := fake.IssueLegacy(key, "dbid:2")
	fake.Expire(expired)
	tests := []struct {
		name, authz, ct, body string
		status                int
		want                  string
	}{
		{"no Authorization", "", "", "", 400, `Must provide HTTP header "Authorization"`},
		{"Basic", testkit.Basic(key, secret), "", "", 400, `Expecting "Bearer <oauth2-access-token>"`},
		{"empty body labelled JSON", "Bearer " + pair.AccessToken, "application/json", "", 400, "could not decode input as JSON"},
		{"a body of another type", "Bearer " + pair.AccessToken, "application/x-www-form-urlencoded", "x=1", 400, `Bad HTTP "Content-Type" header`},
		{"a JSON object", "Bearer " + pair.AccessToken, "application/json", "{}", 400, "expected null"},
		{"unknown token", "Bearer sl.unknown-token", "", "", 401, `{"error_summary": "invalid_access_token/...", "error": {".tag": "invalid_access_token"}}`},
		{"a refresh token", "Bearer " + pair.RefreshToken, "", "", 401, `"invalid_access_token"`},
		{"expired token", "Bearer " + expired, "", "", 401, `"expired_access_token"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, fake, dropboxtest.RevokePath, tc.authz, tc.ct, tc.body)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) || resp.Header.Get("X-Dropbox-Request-Id") == "" {
				t.Fatalf("%d %q; want %d with %q", resp.StatusCode, body, tc.status, tc.want)
			}
			if !fake.Active(pair.AccessToken) {
				t.Fatal("revoked by a refused request")
			}
		})
	}
	// Both accepted forms: no body, and null.
	resp, body := do(t, fake, dropboxtest.RevokePath, "Bearer "+pair.AccessToken, "", "")
	if resp.StatusCode != 200 || body != "null" || fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
		t.Errorf("no body: %d %q", resp.StatusCode, body)
	}
	p2 := fake.Issue(key, "dbid:3")
	if resp, _ := do(t, fake, dropboxtest.RevokePath, "Bearer "+p2.AccessToken, "application/json", "null"); resp.StatusCode != 200 || fake.Active(p2.RefreshToken) {
		t.Errorf("null: %d", resp.StatusCode)
	}
	if resp, _ := do(t, fake, "/2/users/get_current_account", "Bearer x", "", ""); resp.StatusCode != 404 {
		t.Errorf("another route: %d", resp.StatusCode)
	}
}

// TestRefreshFamily: /oauth2/token mints access tokens of a refresh token,
// and revoking any of them ends the whole family, and only it.
func TestRefreshFamily(t *testing.T) {
	fake := dropboxtest.New()
	fake.AddApp(key, secret)
	fake.AddApp("pkce-key", "")
	pair, other := fake.Issue(key, "dbid:1"), fake.Issue(key, "dbid:1")
	form := func(v url.Values) string { return v.Encode() }
	refreshForm := form(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {pair.RefreshToken}})
	tests := []struct {
		name, authz, body string
		code              string
	}{
		{"wrong secret", testkit.Basic(key, "wrong"), refreshForm, "invalid_client"},
		{"unknown app", testkit.Basic("nope", secret), refreshForm, "invalid_client"},
		{"no credentials", "", refreshForm, "invalid_client"},
		{"PKCE app with a secret", "", form(url.Values{"client_id": {"pkce-key"}, "client_secret": {"x"}, "grant_type": {"refresh_token"}, "refresh_token": {pair.RefreshToken}}), "invalid_client"},
		{"another grant type", testkit.Basic(key, secret), form(url.Values{"grant_type": {"authorization_code"}}), "unsupported_grant_type"},
		{"no refresh token", testkit.Basic(key, secret), form(url.Values{"grant_type": {"refresh_token"}}), "invalid_request"},
		{"an access token", testkit.Basic(key, secret), form(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {pair.AccessToken}}), "invalid_grant"},
		{"another app's refresh token (PKCE app)", "", form(url.Values{"client_id": {"pkce-key"}, "grant_type": {"refresh_token"}, "refresh_token": {pair.RefreshToken}}), "invalid_grant"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, fake, dropboxtest.TokenPath, tc.authz, "application/x-www-form-urlencoded", tc.body)
			var e struct{ Error string }
			if resp.StatusCode != 400 || json.Unmarshal([]byte(body), &e) != nil || e.Error != tc.code {
				t.Errorf("%d %s; want 400 %s", resp.StatusCode, body, tc.code)
			}
		})
	}
	var minted [2]string
	for i := range minted {
		resp, body := do(t, fake, dropboxtest.TokenPath, testkit.Basic(key, secret), "application/x-www-form-urlencoded", refreshForm)
		var tok struct {
			AccessToken string `json:"access_token"`
			TokenType   string `json:"token_type"`
			ExpiresIn   int    `json:"expires_in"`
		}
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok.TokenType != "bearer" || tok.ExpiresIn != 14400 || !fake.Active(tok.AccessToken) {
			t.Fatalf("refresh: %d %s", resp.StatusCode, body)
		}
		minted[i] = tok.AccessToken
	}
	do(t, fake, dropboxtest.RevokePath, "Bearer "+minted[1], "", "")
	for name, tok := range map[string]string{"first access token": pair.AccessToken, "refresh token": pair.RefreshToken, "minted 0": minted[0], "minted 1": minted[1]} {
		if fake.Active(tok) {
			t.Errorf("%s survived", name)
		}
	}
	if !fake.Active(other.AccessToken) || !fake.Active(other.RefreshToken) {
		t.Error("another grant was revoked")
	}
	if resp, _ := do(t, fake, dropboxtest.TokenPath, testkit.Basic(key, secret), "application/x-www-form-urlencoded", refreshForm); resp.StatusCode != 400 {
		t.Errorf("refresh after revocation: %d", resp.StatusCode)
	}
}

// TestFaults and printing.
func TestFaults(t *testing.T) {
	fake := dropboxtest.New()
	fake.FailNext(1, dropboxtest.TooManyRequests(300*time.Second))
	tok := fake.IssueLegacy(key, "dbid:1")
	resp, body := do(t, fake, dropboxtest.RevokePath, "Bearer "+tok, "", "")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "300" || !strings.Contains(body, `"retry_after": 300`) || !fake.Active(tok) {
		t.Errorf("%d %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests logged", n)
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(fake), tok)
	testkit.NoLeak(t, "log", testkit.PrintAll(fake.Requests()), tok)
}
