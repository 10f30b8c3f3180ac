package github_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/internal/testkit"
)

// ghAnswer is a GitHub answer with its JSON content type and request ID.
func ghAnswer(status int, body string, kv ...string) testkit.Answer {
	a := testkit.JSONAnswer(status, body)
	a.Header.Set("Content-Type", "application/json; charset=utf-8")
	a.Header.Set("X-GitHub-Request-Id", "C0DE:1:2")
	for i := 0; i+1 < len(kv); i += 2 {
		a.Header.Set(kv[i], kv[i+1])
	}
	return a
}

// TestErrorClassification serves every answer GitHub documents (and the
// ones it sends undocumented) to the token and grant endpoints and checks
// the outcome: the sentinel, the status, what is kept of the body, the
// wait asked for, and that nothing secret is kept.
func TestErrorClassification(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(90*time.Second).Unix(), 10)
	notFound := `{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`
	tests := []struct {
		name     string
		cfg      github.Config
		answers  []testkit.Answer
		wantKind error // nil: success
		wantAI   bool  // Result.AlreadyInvalid
		status   int
		attempts int
		desc     string // a substring of Error.Description
		uri      string
		causes   string // a substring of the joined causes
		excerpt  string
		retry    time.Duration // at least this Error.RetryAfter
	}{
		{name: "204 deleted", answers: []testkit.Answer{ghAnswer(204, "")}, status: 204, attempts: 1},
		{name: "200 is a 2xx too", answers: []testkit.Answer{ghAnswer(200, "{}")}, status: 200, attempts: 1},
		{name: "404 is an error by default", answers: []testkit.Answer{ghAnswer(404, notFound)}, wantKind: revoke.ErrNotFound, status: 404, attempts: 1,
			desc: "Not Found: GitHub answers 404 both when it does not know the token", uri: "https://docs.github.com/rest"},
		{name: "404 with NotFoundIsAlreadyInvalid", cfg: github.Config{NotFoundIsAlreadyInvalid: true}, answers: []testkit.Answer{ghAnswer(404, notFound)}, wantAI: true, status: 404, attempts: 1},
		{name: "401 bad credentials", answers: []testkit.Answer{ghAnswer(401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)},
			wantKind: revoke.ErrInvalidClient, status: 401, attempts: 1, desc: "Bad credentials"},
		{name: "422 missing token", answers: []testkit.Answer{ghAnswer(422, `{"message":"Invalid request.\n\n\"access_token\" wasn't supplied.","documentation_url":"https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token","status":"422"}`)},
			wantKind: revoke.ErrInvalidRequest, status: 422, attempts: 1, desc: `Invalid request. "access_token" wasn't supplied. (GitHub's 422 means`, uri: "https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token"},
		{name: "422 validation errors", answers: []testkit.Answer{ghAnswer(422, `{"message":"Validation Failed","errors":[{"resource":"Token","field":"access_token","code":"invalid","value":"`+token+`"},"is spammy"],"documentation_url":"https://docs.github.com/rest"}`)},
			wantKind: revoke.ErrInvalidRequest, status: 422, attempts: 1, desc: "Validation Failed", causes: "Token.access_token: invalid; is spammy"},
		{name: "403 primary rate limit", answers: []testkit.Answer{ghAnswer(403, `{"message":"API rate limit exceeded for 192.0.2.1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}`,
			"X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset, "X-RateLimit-Resource", "core")},
			wantKind: revoke.ErrRateLimited, status: 403, attempts: 1, desc: `API rate limit exceeded for 192.0.2.1. (GitHub rate-limit resource "core")`, retry: 80 * time.Second},
		{name: "403 with nothing remaining, another message", answers: []testkit.Answer{ghAnswer(403, `{"message":"Forbidden"}`,
			"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset)},
			wantKind: revoke.ErrRateLimited, status: 403, attempts: 1, retry: 80 * time.Second},
		{name: "403 secondary rate limit", answers: []testkit.Answer{ghAnswer(403, `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`, "Retry-After", "30")},
			wantKind: revoke.ErrRateLimited, status: 403, attempts: 1, desc: "secondary rate limit", retry: 30 * time.Second},
		{name: "403 abuse detection (older message)", answers: []testkit.Answer{ghAnswer(403, `{"message":"You have triggered an abuse detection mechanism."}`)},
			wantKind: revoke.ErrRateLimited, status: 403, attempts: 1},
		{name: "429 beyond the retry cap", answers: []testkit.Answer{ghAnswer(429, `{"message":"API rate limit exceeded"}`, "Retry-After", "60")},
			wantKind: revoke.ErrRateLimited, status: 429, attempts: 1, retry: 60 * time.Second},
		{name: "429 then success", answers: []testkit.Answer{ghAnswer(429, `{"message":"slow down"}`, "Retry-After", "0"), ghAnswer(204, "")}, status: 204, attempts: 2},
		{name: "403 forbidden", answers: []testkit.Answer{ghAnswer(403, `{"message":"Resource not accessible by integration"}`)},
			wantKind: revoke.ErrForbidden, status: 403, attempts: 1, desc: "Resource not accessible by integration"},
		{name: "400 unsupported API version", answers: []testkit.Answer{ghAnswer(400, `{"message":"API version 2022-11-28 is not supported.","documentation_url":"https://docs.github.com/rest/about-the-rest-api/api-versions"}`)},
			wantKind: revoke.ErrInvalidRequest, status: 400, attempts: 1, desc: "is not supported"},
		{name: "500", answers: []testkit.Answer{ghAnswer(500, `{"message":"Server Error"}`)}, wantKind: revoke.ErrServer, status: 500, attempts: 1, desc: "Server Error"},
		{name: "502 retried, then 503 HTML", answers: []testkit.Answer{{Status: 502}, {Status: 503, Body: "<html>Unicorn! " + token + "</html>"}},
			wantKind: revoke.ErrUnavailable, status: 503, attempts: 4, excerpt: "<html>Unicorn! [REDACTED]</html>"},
		{name: "redirect", answers: []testkit.Answer{{Status: 301, Header: http.Header{"Location": {"https://elsewhere.example/x"}}}},
			wantKind: revoke.ErrRedirect, status: 301, attempts: 1},
	}
	for _, tc := range tests {
		for _, op := range []string{"token", "grant"} {
			t.Run(tc.name+" ("+op+")", func(t *testing.T) {
				ep := testkit.NewEndpoint(tc.answers...)
				r := newRevoker(t, ep, tc.cfg)
				call := r.Revoke
				if op == "grant" {
					call = r.RevokeGrant
				}
				res, err := call(context.Background(), revoke.Request{Token: token})
				if tc.wantKind == nil {
					if err != nil {
						t.Fatalf("Revoke: %v", err)
					}
					testkit.Want(t, "StatusCode", res.StatusCode, tc.status)
					testkit.Want(t, "Attempts", res.Attempts, tc.attempts)
					testkit.Want(t, "AlreadyInvalid", res.AlreadyInvalid, tc.wantAI)
					if _, ok := github.Details(res); !ok {
						t.Error("no github.Details in the result")
					}
					return
				}
				e := testkit.WantError(t, err, tc.wantKind)
				testkit.Want(t, "StatusCode", e.StatusCode, tc.status)
				testkit.Want(t, "Attempts", e.Attempts, tc.attempts)
				if !strings.Contains(e.Description, tc.desc) {
					t.Errorf("Description = %q, want it to contain %q", e.Description, tc.desc)
				}
				if tc.uri != "" {
					testkit.Want(t, "URI", e.URI, tc.uri)
				}
				if got := strings.Join(e.Causes, "; "); !strings.Contains(got, tc.causes) {
					t.Errorf("Causes = %q, want %q", got, tc.causes)
				}
				testkit.Want(t, "Excerpt", e.Excerpt, tc.excerpt)
				if e.RetryAfter < tc.retry || (tc.retry == 0 && e.RetryAfter != 0 && tc.wantKind != revoke.ErrUnavailable) {
					t.Errorf("RetryAfter = %v, want at least %v", e.RetryAfter, tc.retry)
				}
				if tc.status >= 400 && tc.answers[0].Header.Get("X-GitHub-Request-Id") != "" {
					testkit.Want(t, "RequestID", e.RequestID, "C0DE:1:2")
				}
				wantOp := "github revoke token"
				if op == "grant" {
					wantOp = "github revoke grant"
				}
				testkit.Want(t, "Op", e.Op, wantOp)
				testkit.NoLeak(t, "error", err.Error(), token, secret)
			})
		}
	}
}

// TestCredentialsErrorClassification does the same for
// /credentials/revoke.
func TestCredentialsErrorClassification(t *testing.T) {
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	tests := []struct {
		name     string
		answer   testkit.Answer
		wantKind error
		desc     string
		retry    time.Duration
	}{
		{"202 accepted", ghAnswer(202, "{}"), nil, "", 0},
		{"403 authenticated on github.com", ghAnswer(403, `{"message":"Must not be authenticated"}`), revoke.ErrForbidden, "github.com answers 403 to any authenticated request", 0},
		{"403 out of the hour's 60", ghAnswer(403, `{"message":"API rate limit exceeded for 192.0.2.1."}`, "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset),
			revoke.ErrRateLimited, "API rate limit exceeded", 50 * time.Minute},
		{"422", ghAnswer(422, `{"message":"Validation Failed"}`), revoke.ErrInvalidRequest, "Validation Failed (GitHub's 422", 0},
		{"500", ghAnswer(500, `{"message":"Internal Error"}`), revoke.ErrServer, "Internal Error", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			cr := newCredentialRevoker(t, ep, github.CredentialsConfig{})
			res, err := cr.Revoke(context.Background(), revoke.Request{Token: pat})
			if tc.wantKind == nil {
				if err != nil || res.StatusCode != 202 {
					t.Fatalf("Revoke = %+v, %v; want 202", res, err)
				}
				return
			}
			e := testkit.WantError(t, err, tc.wantKind)
			if !strings.Contains(e.Description, tc.desc) {
				t.Errorf("Description = %q, want it to contain %q", e.Description, tc.desc)
			}
			if e.RetryAfter < tc.retry {
				t.Errorf("RetryAfter = %v, want at least %v", e.RetryAfter, tc.retry)
			}
			testkit.NoLeak(t, "error", err.Error(), pat)
		})
	}
}

// TestEchoedSecretsAreScrubbed: a server that echoes the token, the client
// secret and the Basic header in its message, its causes and an HTML page
// never gets them into an error.
func TestEchoedSecretsAreScrubbed(t *testing.T) {
	b64 := strings.TrimPrefix(testkit.Basic(clientID, secret), "Basic ")
	bodies := []testkit.Answer{
		ghAnswer(404, `{"message":"no token `+token+` for secret `+secret+`","errors":["`+b64+`"]}`),
		ghAnswer(422, `{"message":"bad","errors":[{"resource":"`+token+`","field":"`+secret+`","code":"x"}]}`),
		{Status: 500, Body: "<pre>Authorization: Basic " + b64 + " token=" + token + "</pre>"},
	}
	for i, a := range bodies {
		ep := testkit.NewEndpoint(a)
		_, err := newRevoker(t, ep, github.Config{}).Revoke(context.Background(), revoke.Request{Token: token})
		if err == nil {
			t.Fatalf("answer %d: no error", i)
		}
		testkit.NoLeak(t, "error", err.Error(), token, secret, b64)
		testkit.NoLeak(t, "printed error", testkit.PrintAll(err), token, secret, b64)
	}
	ep := testkit.NewEndpoint(ghAnswer(422, `{"message":"bad credentials `+pat+` and `+pat2+`"}`))
	_, err := newCredentialRevoker(t, ep, github.CredentialsConfig{}).RevokeCredentials(context.Background(), []string{pat, pat2})
	if err == nil {
		t.Fatal("no error")
	}
	testkit.NoLeak(t, "credentials error", err.Error(), pat, pat2)
}
