package slacktest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/slack/slacktest"
)

type reply struct {
	OK      bool   `json:"ok"`
	Revoked *bool  `json:"revoked"`
	Error   string `json:"error"`
}

// call sends one request to the fake and decodes Slack's answer.
func call(t *testing.T, fake *slacktest.Server, method, target, authz, contentType, body string) (*http.Response, reply) {
	t.Helper()
	r := httptest.NewRequest(method, "https://slack.com"+target, strings.NewReader(body))
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	resp, b := testkit.Do(t, fake, r)
	var out reply
	if resp.StatusCode == 200 || resp.StatusCode == 404 || resp.StatusCode == 429 {
		if err := json.Unmarshal([]byte(b), &out); err != nil {
			t.Fatalf("body %q: %v", b, err)
		}
	}
	return resp, out
}

// TestAnswers: every answer of the fake, with the token in each place
// Slack accepts it.
func TestAnswers(t *testing.T) {
	fake := slacktest.New()
	live := func() string { return fake.IssueUserToken("U0123") }
	revoked := live()
	fake.Revoke(revoked, "")
	expired, inactive := live(), live()
	fake.Expire(expired)
	fake.Deactivate(inactive)
	pair := fake.Issue("slack-app", "U0123")
	tests := []struct {
		name, method, target, authz, ct, body string
		ok                                    bool
		code                                  string
		revoked                               bool
	}{
		{"bearer", "POST", slacktest.Path, "Bearer " + live(), "", "", true, "", true},
		{"bearer, lower-case scheme", "POST", slacktest.Path, "bearer " + live(), "", "", true, "", true},
		{"token in the form", "POST", slacktest.Path, "", "application/x-www-form-urlencoded", "token=" + live(), true, "", true},
		{"token in the query", "GET", slacktest.Path + "?token=" + live(), "", "", "", true, "", true},
		{"dry run in the form", "POST", slacktest.Path, "Bearer " + live(), "application/x-www-form-urlencoded", "test=1", true, "", false},
		{"dry run in the query", "GET", slacktest.Path + "?test=true", "Bearer " + live(), "", "", true, "", false},
		{"dry run in JSON", "POST", slacktest.Path, "Bearer " + live(), "application/json", `{"test":true}`, true, "", false},
		{"no token", "POST", slacktest.Path, "", "", "", false, "not_authed", false},
		{"Basic credentials", "POST", slacktest.Path, "Basic eDp5", "", "", false, "not_authed", false},
		{"unknown token", "POST", slacktest.Path, "Bearer xoxp-unknown", "", "", false, "invalid_auth", false},
		{"revoked token", "POST", slacktest.Path, "Bearer " + revoked, "", "", false, "token_revoked", false},
		{"expired token", "POST", slacktest.Path, "Bearer " + expired, "", "", false, "token_expired", false},
		{"deactivated user", "POST", slacktest.Path, "Bearer " + inactive, "", "", false, "account_inactive", false},
		{"refresh token", "POST", slacktest.Path, "Bearer " + pair.RefreshToken, "", "", false, "not_allowed_token_type", false},
		{"payload without a type", "POST", slacktest.Path, "Bearer " + live(), "", "test=1", false, "missing_post_type", false},
		{"payload of another type", "POST", slacktest.Path, "Bearer " + live(), "application/xml", "<x/>", false, "invalid_post_type", false},
		{"a broken form", "POST", slacktest.Path, "Bearer " + live(), "application/x-www-form-urlencoded", "test=%zz", false, "invalid_form_data", false},
		{"broken JSON", "POST", slacktest.Path, "Bearer " + live(), "application/json", "{", false, "invalid_json", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := call(t, fake, tc.method, tc.target, tc.authz, tc.ct, tc.body)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" || resp.Header.Get("X-Slack-Req-Id") == "" {
				t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
			}
			if out.OK != tc.ok || out.Error != tc.code {
				t.Fatalf("answer %+v, want ok %v error %q", out, tc.ok, tc.code)
			}
			if tc.ok && (out.Revoked == nil || *out.Revoked != tc.revoked) {
				t.Errorf("revoked %v, want %v", out.Revoked, tc.revoked)
			}
		})
	}
	if resp, out := call(t, fake, "POST", "/api/auth.test", "Bearer "+live(), "", ""); resp.StatusCode != 404 || out.Error != "unknown_method" {
		t.Errorf("another method: %d %+v", resp.StatusCode, out)
	}
	if resp, _ := call(t, fake, "DELETE", slacktest.Path, "Bearer "+live(), "", ""); resp.StatusCode != 405 {
		t.Errorf("DELETE: %d", resp.StatusCode)
	}
}

// TestState: revocation ends the token and nothing else; a dry run ends
// nothing; a rotating access token's refresh token is left alone.
func TestState(t *testing.T) {
	fake := slacktest.New()
	a, b := fake.IssueUserToken("U1"), fake.IssueBotToken("B1")
	call(t, fake, "POST", slacktest.Path, "Bearer "+a, "application/x-www-form-urlencoded", "test=1")
	if !fake.Active(a) {
		t.Fatal("a dry run revoked the token")
	}
	call(t, fake, "POST", slacktest.Path, "Bearer "+a, "", "")
	if fake.Active(a) || !fake.Active(b) {
		t.Error("state after revoking a")
	}
	pair := fake.Issue("slack-app", "U2")
	call(t, fake, "POST", slacktest.Path, "Bearer "+pair.AccessToken, "", "")
	if fake.Active(pair.AccessToken) || !fake.Active(pair.RefreshToken) {
		t.Error("state after revoking a rotating access token")
	}
	exp := fake.IssueUserToken("U3")
	fake.Expire(exp)
	if fake.Active(exp) {
		t.Error("an expired token is active")
	}
	if n := len(fake.Requests()); n != 3 {
		t.Errorf("%d requests logged", n)
	}
}

// TestFaults: the injected answers have Slack's shape.
func TestFaults(t *testing.T) {
	fake := slacktest.New()
	fake.FailNext(1, slacktest.RateLimited(30*time.Second))
	fake.FailNext(1, slacktest.Error("fatal_error"))
	tok := fake.IssueUserToken("U1")
	resp, out := call(t, fake, "POST", slacktest.Path, "Bearer "+tok, "", "")
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "30" || out.Error != "ratelimited" {
		t.Errorf("rate limit: %d %q %+v", resp.StatusCode, resp.Header.Get("Retry-After"), out)
	}
	if resp, out := call(t, fake, "POST", slacktest.Path, "Bearer "+tok, "", ""); resp.StatusCode != 200 || out.OK || out.Error != "fatal_error" {
		t.Errorf("error fault: %d %+v", resp.StatusCode, out)
	}
	if !fake.Active(tok) {
		t.Error("a fault revoked the token")
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(fake), tok)
	testkit.NoLeak(t, "log", testkit.PrintAll(fake.Requests()), tok)
}
