package slack_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/slack"
)

func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg slack.Config, opts ...revoke.Option) *slack.Revoker {
	t.Helper()
	return testkit.Build(t, slack.New, cfg, ep.Options(opts...)...)
}

// slackAnswer is an HTTP 200 Slack answer with its headers.
func slackAnswer(body string) testkit.Answer {
	a := testkit.JSONAnswer(200, body)
	a.Header.Set("Content-Type", "application/json; charset=utf-8")
	a.Header.Set("X-Slack-Req-Id", "8c1a6e2b0d7f4e3a")
	return a
}

// TestWire asserts the exact request for each mode: method, URL, every
// header (the token as a Bearer credential), and the body byte for byte,
// against testdata/wire.txt.
func TestWire(t *testing.T) {
	tests := []struct {
		name     string
		cfg      slack.Config
		req      revoke.Request
		answer   string
		wantURL  string
		wantBody string
	}{
		{"revoke", slack.Config{}, revoke.Request{Token: token}, `{"ok":true,"revoked":true}`, "https://slack.com/api/auth.revoke", ""},
		{"revoke, hint access_token", slack.Config{}, revoke.Request{Token: token, Hint: revoke.HintAccessToken}, `{"ok":true,"revoked":true}`, "https://slack.com/api/auth.revoke", ""},
		{"dry run from Config.Test", slack.Config{Test: true}, revoke.Request{Token: token}, `{"ok":true,"revoked":false}`, "https://slack.com/api/auth.revoke", "test=1"},
		{"dry run from Params", slack.Config{}, revoke.Request{Token: token, Params: url.Values{"test": {"true"}}}, `{"ok":true,"revoked":false}`, "https://slack.com/api/auth.revoke", "test=1"},
		{"Params test=0 overrides Config.Test", slack.Config{Test: true}, revoke.Request{Token: token, Params: url.Values{"test": {"0"}}}, `{"ok":true,"revoked":true}`, "https://slack.com/api/auth.revoke", ""},
		{"GovSlack", slack.Config{BaseURL: "https://slack-gov.com/api/"}, revoke.Request{Token: token}, `{"ok":true,"revoked":true}`, "https://slack-gov.com/api/auth.revoke", ""},
		{"a proxy", slack.Config{BaseURL: "proxy.example.com/slack"}, revoke.Request{Token: "xoxp-1234-5678-abcd"}, `{"ok":true,"revoked":true}`, "https://proxy.example.com/slack/auth.revoke", ""},
	}
	var golden testkit.Transcript
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(slackAnswer(tc.answer))
			res, err := newRevoker(t, ep, tc.cfg).Revoke(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			d, ok := slack.Details(res)
			if !ok || d.DryRun != (tc.wantBody != "") || d.Revoked == d.DryRun {
				t.Errorf("details %+v, %v", d, ok)
			}
			testkit.Want(t, "RequestID", res.RequestID, "8c1a6e2b0d7f4e3a")
			s := ep.Only(t)
			testkit.Want(t, "method", s.Method, http.MethodPost)
			testkit.Want(t, "URL", s.URL.String(), tc.wantURL)
			testkit.Header(t, s.Header, "Authorization", "Bearer "+tc.req.Token)
			testkit.Header(t, s.Header, "Accept", "application/json")
			testkit.Header(t, s.Header, "User-Agent", "revoke-go/"+revoke.Version)
			testkit.Want(t, "body", string(s.Body), tc.wantBody)
			wantHeaders := 3
			if tc.wantBody != "" {
				testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
				wantHeaders++
			}
			if len(s.Header) != wantHeaders {
				t.Errorf("headers %v, want %d", s.Header, wantHeaders)
			}
			golden.Add(tc.name, testkit.Render(s))
		})
	}
	golden.Check(t, "wire.txt")
}

// TestAnswers classifies every answer Slack documents, and a few it may
// send: success, dry run, already invalid, each error family, rate
// limits, outages and bodies that fit no shape. {"ok":false} is never a
// success.
func TestAnswers(t *testing.T) {
	tests := []struct {
		name     string
		cfg      slack.Config
		answers  []testkit.Answer
		wantKind error  // nil: success
		wantAI   string // the code reported as already invalid
		revoked  bool
		dryRun   bool
		code     string
		desc     string
		retry    time.Duration
		attempts int
	}{
		{name: "revoked", answers: []testkit.Answer{slackAnswer(`{"ok":true,"revoked":true}`)}, revoked: true, attempts: 1},
		{name: "revoked, with a warning", answers: []testkit.Answer{slackAnswer(`{"ok":true,"revoked":true,"warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]}}`)}, revoked: true, attempts: 1},
		{name: "dry run", cfg: slack.Config{Test: true}, answers: []testkit.Answer{slackAnswer(`{"ok":true,"revoked":false}`)}, dryRun: true, attempts: 1},
		{name: "dry run without revoked", cfg: slack.Config{Test: true}, answers: []testkit.Answer{slackAnswer(`{"ok":true}`)}, dryRun: true, attempts: 1},
		{name: "ok but not revoked", answers: []testkit.Answer{slackAnswer(`{"ok":true,"revoked":false}`)}, wantKind: revoke.ErrUnexpectedResponse, desc: "did not say revoked: true", attempts: 1},
		{name: "ok without revoked", answers: []testkit.Answer{slackAnswer(`{"ok":true}`)}, wantKind: revoke.ErrUnexpectedResponse, desc: "did not say revoked: true", attempts: 1},
		{name: "invalid_auth: dead, or a live token from a disallowed IP", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"invalid_auth"}`)}, wantKind: revoke.ErrInvalidToken, code: "invalid_auth", desc: "outside the workspace's allowed ranges", attempts: 1},
		{name: "invalid_auth, no IP restrictions", cfg: slack.Config{InvalidAuthIsAlreadyInvalid: true}, answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"invalid_auth"}`)}, wantAI: "invalid_auth", attempts: 1},
		{name: "token_revoked", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"token_revoked"}`)}, wantAI: "token_revoked", attempts: 1},
		{name: "account_inactive", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"account_inactive"}`)}, wantAI: "account_inactive", attempts: 1},
		{name: "token_expired", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"token_expired"}`)}, wantAI: "token_expired", attempts: 1},
		{name: "invalid_auth in test mode", cfg: slack.Config{Test: true, InvalidAuthIsAlreadyInvalid: true}, answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"invalid_auth"}`)}, wantAI: "invalid_auth", dryRun: true, attempts: 1},
		{name: "not_authed", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"not_authed"}`)}, wantKind: revoke.ErrInvalidRequest, code: "not_authed", desc: "No authentication token provided.", attempts: 1},
		{name: "invalid_form_data", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"invalid_form_data"}`)}, wantKind: revoke.ErrInvalidRequest, code: "invalid_form_data", attempts: 1},
		{name: "invalid_arguments with messages", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"invalid_arguments","response_metadata":{"messages":["[ERROR] must be a boolean [json-pointer:/test]"]}}`)},
			wantKind: revoke.ErrInvalidRequest, code: "invalid_arguments", desc: "must be a boolean", attempts: 1},
		{name: "not_bearer_token", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"not_bearer_token"}`)}, wantKind: revoke.ErrUnsupportedTokenType, code: "not_bearer_token", attempts: 1},
		{name: "not_allowed_token_type", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"not_allowed_token_type"}`)}, wantKind: revoke.ErrUnsupportedTokenType, code: "not_allowed_token_type", attempts: 1},
		{name: "missing_scope", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"missing_scope","needed":"admin","provided":"identify"}`)}, wantKind: revoke.ErrForbidden, code: "missing_scope", desc: "needed: admin", attempts: 1},
		{name: "ekm_access_denied", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"ekm_access_denied"}`)}, wantKind: revoke.ErrForbidden, code: "ekm_access_denied", attempts: 1},
		{name: "internal_error", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"internal_error"}`)}, wantKind: revoke.ErrServer, code: "internal_error", attempts: 1},
		{name: "fatal_error", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"fatal_error"}`)}, wantKind: revoke.ErrServer, code: "fatal_error", attempts: 1},
		{name: "service_unavailable", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"service_unavailable"}`)}, wantKind: revoke.ErrUnavailable, code: "service_unavailable", attempts: 1},
		{name: "team_added_to_org", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"team_added_to_org"}`)}, wantKind: revoke.ErrUnavailable, code: "team_added_to_org", attempts: 1},
		{name: "ratelimited with HTTP 200", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"ratelimited"}`)}, wantKind: revoke.ErrRateLimited, code: "ratelimited", attempts: 1},
		{name: "an unknown code", answers: []testkit.Answer{slackAnswer(`{"ok":false,"error":"method_deprecated"}`)}, wantKind: revoke.ErrUnexpectedResponse, code: "method_deprecated", attempts: 1},
		{name: "ok false without a code", answers: []testkit.Answer{slackAnswer(`{"ok":false}`)}, wantKind: revoke.ErrUnexpectedResponse, desc: "without an error code", attempts: 1},
		{name: "ok is not a boolean", answers: []testkit.Answer{slackAnswer(`{"ok":"true","revoked":true}`)}, wantKind: revoke.ErrUnexpectedResponse, desc: "envelope", attempts: 1},
		{name: "an HTML page with HTTP 200", answers: []testkit.Answer{{Status: 200, Body: "<html>maintenance</html>"}}, wantKind: revoke.ErrUnexpectedResponse, desc: "envelope", attempts: 1},
		{name: "an empty 200", answers: []testkit.Answer{{Status: 200}}, wantKind: revoke.ErrUnexpectedResponse, desc: "envelope", attempts: 1},
		{name: "429 beyond the cap", answers: []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"30"}, "Content-Type": {"application/json"}}, Body: `{"ok":false,"error":"ratelimited"}`}},
			wantKind: revoke.ErrRateLimited, code: "ratelimited", retry: 30 * time.Second, attempts: 1},
		{name: "429 then revoked", answers: []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"0"}}, Body: `{"ok":false,"error":"ratelimited"}`}, slackAnswer(`{"ok":true,"revoked":true}`)}, revoked: true, attempts: 2},
		{name: "503 then revoked", answers: []testkit.Answer{{Status: 503}, slackAnswer(`{"ok":true,"revoked":true}`)}, revoked: true, attempts: 2},
		{name: "500 HTML", answers: []testkit.Answer{{Status: 500, Body: "<h1>oops " + token + "</h1>"}}, wantKind: revoke.ErrServer, attempts: 1},
		{name: "404 unknown method", answers: []testkit.Answer{testkit.JSONAnswer(404, `{"ok":false,"error":"unknown_method","req_method":"auth.revoke"}`)}, wantKind: revoke.ErrNotFound, code: "unknown_method", attempts: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			res, err := newRevoker(t, ep, tc.cfg).Revoke(context.Background(), revoke.Request{Token: token})
			if tc.wantKind == nil {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				d, ok := slack.Details(res)
				if !ok {
					t.Fatal("no slack.Details")
				}
				testkit.Want(t, "AlreadyInvalid", res.AlreadyInvalid, tc.wantAI != "")
				testkit.Want(t, "Details.Error", d.Error, tc.wantAI)
				testkit.Want(t, "Details.Revoked", d.Revoked, tc.revoked)
				testkit.Want(t, "Details.DryRun", d.DryRun, tc.dryRun)
				testkit.Want(t, "Attempts", res.Attempts, tc.attempts)
				return
			}
			e := testkit.WantError(t, err, tc.wantKind)
			testkit.Want(t, "Code", e.Code, tc.code)
			if all := e.Description + " " + strings.Join(e.Causes, "; "); !strings.Contains(all, tc.desc) {
				t.Errorf("description and causes %q lack %q", all, tc.desc)
			}
			if e.RetryAfter < tc.retry {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tc.retry)
			}
			testkit.Want(t, "Attempts", e.Attempts, tc.attempts)
			testkit.Want(t, "Op", e.Op, "slack revoke")
			testkit.NoLeak(t, "error", err.Error(), token)
		})
	}
}

// TestEchoedTokenIsScrubbed: Slack's answers never carry the token, but a
// proxy's might, raw, percent-encoded or inside the header it was sent in.
func TestEchoedTokenIsScrubbed(t *testing.T) {
	for _, body := range []string{
		`{"ok":false,"error":"` + token + `"}`,
		`{"ok":false,"error":"invalid_arguments","response_metadata":{"messages":["Authorization: Bearer ` + token + `"]}}`,
		`<html>bad token ` + url.QueryEscape(token) + `</html>`,
	} {
		ep := testkit.NewEndpoint(slackAnswer(body))
		_, err := newRevoker(t, ep, slack.Config{}).Revoke(context.Background(), revoke.Request{Token: token})
		if err == nil {
			t.Fatalf("%s: no error", body)
		}
		testkit.NoLeak(t, "error", testkit.PrintAll(err), token, "Bearer "+token)
	}
}
