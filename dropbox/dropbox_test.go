package dropbox_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	appKey    = "s2x9k1pq7m3n0ab"
	appSecret = "w4zt8y2vq1hj6kd"
	refresh   = "AbCdEfGhIjKAAAAAAAAAAXyZ0123456789-refresh"
	fresh     = "sl.u.AFreshAccessToken0123456789"
)

func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg dropbox.Config, opts ...revoke.Option) *dropbox.Revoker {
	t.Helper()
	return testkit.Build(t, dropbox.New, cfg, ep.Options(opts...)...)
}

// dbx is a Dropbox answer with its request ID.
func dbx(status int, body string) testkit.Answer {
	a := testkit.JSONAnswer(status, body)
	a.Header.Set("X-Dropbox-Request-Id", "a1b2c3d4e5f60718")
	return a
}

var (
	revoked     = dbx(200, "null")
	freshAnswer = dbx(200, `{"access_token":"`+fresh+`","token_type":"bearer","expires_in":14400}`)
)

// TestWire asserts the exact requests, against testdata/wire.txt: the
// revocation (the token as Bearer, no body, no Content-Type), and the
// refresh-token exchange before it (Basic app credentials, or client_id
// for a PKCE app).
func TestWire(t *testing.T) {
	type want struct {
		url, authz, contentType, body string
	}
	revocation := func(tok string) want {
		return want{"https://api.dropboxapi.com/2/auth/token/revoke", "Bearer " + tok, "", ""}
	}
	tests := []struct {
		name    string
		cfg     dropbox.Config
		req     revoke.Request
		answers []testkit.Answer
		want    []want
	}{
		{"access token", dropbox.Config{}, revoke.Request{Token: token}, []testkit.Answer{revoked}, []want{revocation(token)}},
		{"access token, hint", dropbox.Config{AppKey: appKey, AppSecret: appSecret}, revoke.Request{Token: token, Hint: revoke.HintAccessToken}, []testkit.Answer{revoked}, []want{revocation(token)}},
		{"another host", dropbox.Config{BaseURL: "proxy.example.com/dropbox"}, revoke.Request{Token: token}, []testkit.Answer{revoked},
			[]want{{"https://proxy.example.com/dropbox/2/auth/token/revoke", "Bearer " + token, "", ""}}},
		{"refresh token, app with a secret", dropbox.Config{AppKey: appKey, AppSecret: appSecret}, revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken}, []testkit.Answer{freshAnswer, revoked},
			[]want{{"https://api.dropboxapi.com/oauth2/token", testkit.Basic(appKey, appSecret), "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=" + refresh}, revocation(fresh)}},
		{"refresh token, PKCE app", dropbox.Config{AppKey: appKey}, revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken}, []testkit.Answer{freshAnswer, revoked},
			[]want{{"https://api.dropboxapi.com/oauth2/token", "", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=" + refresh + "&client_id=" + appKey}, revocation(fresh)}},
	}
	var golden strings.Builder
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			res, err := newRevoker(t, ep, tc.cfg).Revoke(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			d, ok := dropbox.Details(res)
			if !ok || d.Exchanged != (len(tc.want) == 2) || res.AlreadyInvalid || res.StatusCode != 200 || res.RequestID != "a1b2c3d4e5f60718" {
				t.Errorf("result %+v, details %+v", res, d)
			}
			seen := ep.Requests()
			if len(seen) != len(tc.want) {
				t.Fatalf("%d requests, want %d", len(seen), len(tc.want))
			}
			fmt.Fprintf(&golden, "== %s\n", tc.name)
			for i, w := range tc.want {
				s := seen[i]
				testkit.Want(t, "method", s.Method, http.MethodPost)
				testkit.Want(t, "URL", s.URL.String(), w.url)
				testkit.Header(t, s.Header, "Authorization", w.authz)
				testkit.Header(t, s.Header, "Content-Type", w.contentType)
				testkit.Header(t, s.Header, "User-Agent", "revoke-go/"+revoke.Version)
				testkit.Want(t, "body", string(s.Body), w.body)
				if w.body == "" && len(s.Header) != 2 {
					t.Errorf("revocation headers %v, want Authorization and User-Agent only", s.Header)
				}
				golden.WriteString(testkit.Render(s))
			}
			golden.WriteString("\n")
		})
	}
	if !t.Failed() {
		testkit.CheckGolden(t, "wire.txt", golden.String())
	}
}

// TestAnswers classifies every answer Dropbox documents for the route and
// its token endpoint.
func TestAnswers(t *testing.T) {
	auth := func(tag string) testkit.Answer {
		return dbx(401, `{"error_summary": "`+tag+`/..", "error": {".tag": "`+tag+`"}}`)
	}
	withApp := dropbox.Config{AppKey: appKey, AppSecret: appSecret}
	tests := []struct {
		name     string
		cfg      dropbox.Config
		req      revoke.Request
		answers  []testkit.Answer
		wantKind error  // nil: success
		wantTag  string // Details.Tag of an already invalid token
		code     string
		desc     string
		excerpt  string
		retry    time.Duration
		attempts int
	}{
		{name: "200 null", answers: []testkit.Answer{revoked}, attempts: 1},
		{name: "200 empty", answers: []testkit.Answer{{Status: 200}}, attempts: 1},
		{name: "invalid_access_token", answers: []testkit.Answer{auth("invalid_access_token")}, wantTag: "invalid_access_token", attempts: 1},
		{name: "expired_access_token", answers: []testkit.Answer{auth("expired_access_token")}, wantTag: "expired_access_token", attempts: 1},
		{name: "user_suspended", answers: []testkit.Answer{auth("user_suspended")}, wantKind: revoke.ErrForbidden, code: "user_suspended", desc: "user_suspended/..", attempts: 1},
		{name: "missing_scope", answers: []testkit.Answer{dbx(401, `{"error_summary": "missing_scope/..", "error": {".tag": "missing_scope", "required_scope": "account_info.read"}}`)}, wantKind: revoke.ErrForbidden, code: "missing_scope", attempts: 1},
		{name: "route_access_denied", answers: []testkit.Answer{auth("route_access_denied")}, wantKind: revoke.ErrForbidden, code: "route_access_denied", attempts: 1},
		{name: "invalid_select_user", answers: []testkit.Answer{dbx(400, `{"error_summary": "invalid_select_user/..", "error": {".tag": "invalid_select_user"}}`)}, wantKind: revoke.ErrInvalidRequest, code: "invalid_select_user", attempts: 1},
		{name: "another 401 tag", answers: []testkit.Answer{auth("other")}, wantKind: revoke.ErrInvalidClient, code: "other", attempts: 1},
		{name: "a 401 with a user message", answers: []testkit.Answer{dbx(401, `{"error_summary": "other/..", "error": {".tag": "other"}, "user_message": {"locale": "en", "text": "Try again later."}}`)}, wantKind: revoke.ErrInvalidClient, desc: "Try again later.", code: "other", attempts: 1},
		{name: "400 plain text", answers: []testkit.Answer{{Status: 400, Header: http.Header{"Content-Type": {"text/plain"}}, Body: `Error in call to API function "auth/token/revoke": request body: could not decode input as JSON`}},
			wantKind: revoke.ErrInvalidRequest, excerpt: "could not decode input as JSON", attempts: 1},
		{name: "403", answers: []testkit.Answer{dbx(403, `{"error_summary": "no_permission/..", "error": {".tag": "no_permission"}}`)}, wantKind: revoke.ErrForbidden, code: "no_permission", attempts: 1},
		{name: "409 (no endpoint error is documented)", answers: []testkit.Answer{dbx(409, `{"error_summary": "other/..", "error": {".tag": "other"}}`)}, wantKind: revoke.ErrUnexpectedResponse, code: "other", attempts: 1},
		{name: "429 past the cap", answers: []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"300"}, "Content-Type": {"application/json"}}, Body: `{"error_summary": "too_many_requests/...", "error": {"reason": {".tag": "too_many_requests"}, "retry_after": 300}}`}},
			wantKind: revoke.ErrRateLimited, code: "too_many_requests", retry: 300 * time.Second, attempts: 1},
		{name: "429 retried", answers: []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"0"}}}, revoked}, attempts: 2},
		{name: "500", answers: []testkit.Answer{{Status: 500, Body: "<html>" + token + "</html>"}}, wantKind: revoke.ErrServer, excerpt: "<html>[REDACTED]</html>", attempts: 1},
		{name: "503 then success", answers: []testkit.Answer{{Status: 503}, revoked}, attempts: 2},
		{name: "refresh: invalid_grant", cfg: withApp, req: revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken},
			answers: []testkit.Answer{dbx(400, `{"error": "invalid_grant", "error_description": "refresh token is malformed"}`)}, wantTag: "invalid_grant", attempts: 1},
		{name: "refresh: invalid_client", cfg: withApp, req: revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken},
			answers: []testkit.Answer{dbx(400, `{"error": "invalid_client", "error_description": "Invalid client_id or client_secret"}`)}, wantKind: revoke.ErrInvalidClient, code: "invalid_client", desc: "Invalid client_id", attempts: 1},
		{name: "refresh: no access_token", cfg: withApp, req: revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken},
			answers: []testkit.Answer{dbx(200, `{"token_type":"bearer","secret":"`+fresh+`"}`)}, wantKind: revoke.ErrUnexpectedResponse, desc: "no usable access_token", attempts: 1},
		{name: "refresh: not JSON", cfg: withApp, req: revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken},
			answers: []testkit.Answer{{Status: 200, Body: "access_token=" + fresh}}, wantKind: revoke.ErrUnexpectedResponse, desc: "no usable access_token", attempts: 1},
		{name: "refresh: the fresh token already invalid", cfg: withApp, req: revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken},
			answers: []testkit.Answer{freshAnswer, auth("invalid_access_token")}, wantTag: "invalid_access_token", attempts: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			req := tc.req
			if req.Token == "" {
				req.Token = token
			}
			res, err := newRevoker(t, ep, tc.cfg).Revoke(context.Background(), req)
			if tc.wantKind == nil {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				d, ok := dropbox.Details(res)
				if !ok {
					t.Fatal("no details")
				}
				testkit.Want(t, "AlreadyInvalid", res.AlreadyInvalid, tc.wantTag != "")
				testkit.Want(t, "Details.Tag", d.Tag, tc.wantTag)
				testkit.Want(t, "Attempts", res.Attempts, tc.attempts)
				return
			}
			e := testkit.WantError(t, err, tc.wantKind)
			testkit.Want(t, "Code", e.Code, tc.code)
			if all := e.Description + " " + strings.Join(e.Causes, "; "); !strings.Contains(all, tc.desc) {
				t.Errorf("description %q lacks %q", all, tc.desc)
			}
			if !strings.Contains(e.Excerpt, tc.excerpt) {
				t.Errorf("excerpt %q lacks %q", e.Excerpt, tc.excerpt)
			}
			if e.RetryAfter < tc.retry {
				t.Errorf("RetryAfter %v, want %v", e.RetryAfter, tc.retry)
			}
			testkit.Want(t, "Attempts", e.Attempts, tc.attempts)
			testkit.NoLeak(t, "error", testkit.PrintAll(err), token, refresh, fresh, appSecret)
		})
	}
}
