package onelogin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

// TestRevokeWire asserts the exact request on the wire against the golden
// files in testdata/wire, and the Authorization encoding of each API
// version.
func TestRevokeWire(t *testing.T) {
	tests := []struct {
		name, golden string
		api          onelogin.APIVersion
		id, secret   string
		token        string
		wantAuth     string
		wantBody     string
	}{
		{
			name: "V1 header", golden: "api_v1.txt", api: onelogin.V1, id: testID, secret: testSecret, token: testToken,
			wantAuth: "client_id:" + testID + ", client_secret:" + testSecret,
			wantBody: `{"access_token":"` + testToken + `"}`,
		},
		{
			name: "V2 basic", golden: "api_v2.txt", api: onelogin.V2, id: testID, secret: testSecret, token: testToken,
			wantAuth: testkit.Basic(testID, testSecret),
			wantBody: `{"access_token":"` + testToken + `"}`,
		},
		{
			// Raw, not RFC 6749 §2.3.1 form-encoded: "p@ss:w+rd%/= x" stays as is.
			name: "V2 basic is raw", golden: "api_v2_raw.txt", api: onelogin.V2, id: "client.id", secret: testkit.Secret, token: testToken,
			wantAuth: testkit.Basic("client.id", testkit.Secret),
			wantBody: `{"access_token":"` + testToken + `"}`,
		},
		{
			// The token travels byte for byte: no HTML escaping of <, >, &;
			// JSON escaping of " and \ only; non-ASCII as UTF-8.
			name: "token with JSON-special characters", golden: "api_json_special.txt", api: onelogin.V1, id: "client-1", secret: "secret-value", token: `a<b>&"c\d/é`,
			wantAuth: "client_id:client-1, client_secret:secret-value",
			wantBody: `{"access_token":"a<b>&\"c\\d/é"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(200, testkit.Golden(t, "v1_200_success.json")))
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: tt.id, ClientSecret: tt.secret, API: tt.api}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Revoke(context.Background(), revoke.Request{Token: tt.token, Hint: revoke.HintAccessToken})
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			st, ok := onelogin.Details(res)
			if res.StatusCode != 200 || res.Attempts != 1 || res.AlreadyInvalid || !ok || st != (onelogin.Status{Code: 200, Type: "success", Message: "Success"}) {
				t.Errorf("result = %+v, details = %+v %v; want status 200, 1 attempt, envelope 200 success Success", res, st, ok)
			}
			got := ep.Only(t)
			testkit.Want(t, "method", got.Method, http.MethodPost)
			testkit.Want(t, "URL", got.URL.String(), acmeRevoke)
			testkit.Header(t, got.Header, "Authorization", tt.wantAuth)
			testkit.Header(t, got.Header, "Content-Type", "application/json")
			testkit.Header(t, got.Header, "Accept", "application/json")
			testkit.Header(t, got.Header, "User-Agent", "revoke-go/"+revoke.Version)
			for k, v := range got.Header {
				if len(v) != 1 {
					t.Errorf("header %s sent %d times", k, len(v))
				}
			}
			if len(got.Header) != 4 {
				t.Errorf("headers = %v, want exactly Accept, Authorization, Content-Type and User-Agent", got.Header)
			}
			testkit.Want(t, "body", string(got.Body), tt.wantBody)
			if body := got.JSON(t); len(body) != 1 || body["access_token"] != tt.token {
				t.Errorf("decoded body = %v, want exactly the token", body)
			}
			if tt.api == onelogin.V2 {
				id, secret, ok := testkit.DecodeBasic(got.Header.Get("Authorization"))
				if !ok || id != tt.id || secret != tt.secret {
					t.Errorf("Basic decodes to %q, %q, %v; want the raw %q and secret", id, secret, ok, tt.id)
				}
			}
			wantWire(t, tt.golden, got)
		})
	}
}

func TestRevokeSuccessBodies(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		details bool
		want    onelogin.Status
	}{
		{"v1 nested envelope", testkit.Golden(t, "v1_200_success.json"), true, onelogin.Status{Code: 200, Type: "success", Message: "Success"}},
		{"compact nested envelope", testkit.Golden(t, "onelogin_v1_nested_success.json"), true, onelogin.Status{Code: 200, Type: "success", Message: "Success"}},
		{"OpenAPI flat envelope", testkit.Golden(t, "openapi_200_success.json"), true, onelogin.Status{Code: 200, Type: "success", Message: "sucess"}},
		{"empty body", "", false, onelogin.Status{}},
		{"whitespace body", " \n", false, onelogin.Status{}},
		{"envelope with trailing white space", testkit.Golden(t, "v1_200_success.json") + "\n\n  ", true, onelogin.Status{Code: 200, Type: "success", Message: "Success"}},
		{"flat envelope without error flag", `{"code":200,"type":"success","message":"Success"}`, true, onelogin.Status{Code: 200, Type: "success", Message: "Success"}},
		{"error flag only", `{"error":false}`, true, onelogin.Status{}},
		{"nested envelope with data", `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":[]}`, true, onelogin.Status{Code: 200, Type: "success", Message: "Success"}},
		{"message echoing the token is scrubbed", `{"error":false,"code":200,"type":"success","message":"revoked ` + testToken + `"}`, true, onelogin.Status{Code: 200, Type: "success", Message: "revoked " + revoke.Redacted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(200, tt.body))
			r := newAPI(t, ep, onelogin.V2)
			res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			st, ok := onelogin.Details(res)
			if res.StatusCode != 200 || ok != tt.details || st != tt.want {
				t.Errorf("result = %+v, details = %+v %v; want status 200 and %+v %v", res, st, ok, tt.want, tt.details)
			}
		})
	}
	if _, ok := onelogin.Details(nil); ok {
		t.Error("Details(nil) reported an envelope")
	}
}

func TestRevokeErrorMapping(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		kind        error
		code        string
		description string // exact, or a prefix when prefix is set
		prefix      bool
		excerpt     bool
	}{
		{name: "content type", status: 400, body: testkit.Golden(t, "v1_400_content_type.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Content Type is not specified or specified incorrectly. Content-Type header must be set to application/json"},
		{name: "access token missing", status: 400, body: testkit.Golden(t, "v1_400_access_token_missing.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Access Token Missing"},
		{name: "authorization missing is a client error", status: 400, body: testkit.Golden(t, "v1_400_authorization_missing.json"), kind: revoke.ErrInvalidClient, code: "bad request",
			description: "The authorization information is missing: the Authorization header is missing or malformed: check Config.API", prefix: true},
		{name: "authentication failure", status: 401, body: testkit.Golden(t, "v1_401_authentication_failure.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Authentication Failure"},
		{name: "compact authentication failure", status: 401, body: testkit.Golden(t, "onelogin_v1_nested_401.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Authentication Failure"},
		{name: "no route exists", status: 404, body: testkit.Golden(t, "v1_404_no_route.json"), kind: revoke.ErrNotFound, code: "not found",
			description: "No Route Exists: the route or method is wrong", prefix: true},
		{name: "flat 400", status: 400, body: testkit.Golden(t, "openapi_400_bad_request.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Request Failure"},
		{name: "compact flat 400", status: 400, body: testkit.Golden(t, "onelogin_v2_flat_400.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Access Token Missing"},
		{name: "flat 401", status: 401, body: testkit.Golden(t, "openapi_401_unauthorized.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Unauthorized Error"},
		{name: "flat 404", status: 404, body: testkit.Golden(t, "openapi_404_not_found.json"), kind: revoke.ErrNotFound, code: "Not Found",
			description: "No Route Exists: the route or method is wrong", prefix: true},
		{name: "flat envelope without error flag", status: 400, body: `{"code":400,"type":"bad request","message":"Access Token Missing"}`, kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Access Token Missing"},
		{name: "authentication failure sent as 400", status: 400, body: `{"error":true,"code":400,"type":"bad request","message":"Authentication Failure"}`, kind: revoke.ErrInvalidClient, code: "bad request",
			description: "Authentication Failure"},
		{name: "403 envelope", status: 403, body: `{"error":true,"code":403,"type":"forbidden","message":"Forbidden"}`, kind: revoke.ErrForbidden, code: "forbidden",
			description: "Forbidden"},
		{name: "HTTP 200 with an error envelope", status: 200, body: testkit.Golden(t, "v1_401_authentication_failure.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Authentication Failure (HTTP 200 carried an error envelope with code 401)"},
		{name: "HTTP 200 with a flat error envelope", status: 200, body: testkit.Golden(t, "openapi_400_bad_request.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Request Failure (HTTP 200 carried an error envelope with code 400)"},
		{name: "HTTP 200 with authorization missing", status: 200, body: testkit.Golden(t, "v1_400_authorization_missing.json"), kind: revoke.ErrInvalidClient, code: "bad request",
			description: "The authorization information is missing: the Authorization header is missing or malformed", prefix: true},
		{name: "HTTP 200 whose envelope code contradicts error:false", status: 200, body: `{"error":false,"code":403,"type":"forbidden","message":"nope"}`, kind: revoke.ErrForbidden, code: "forbidden",
			description: "nope (HTTP 200 carried an error envelope with code 403)"},
		{name: "HTTP 200 with error:true and no code", status: 200, body: `{"error":true,"message":"odd"}`, kind: revoke.ErrUnexpectedResponse,
			description: "odd (HTTP 200 carried an error envelope)"},
		{name: "HTTP 200 with a 500 envelope", status: 200, body: `{"error":true,"code":500,"type":"error","message":"boom"}`, kind: revoke.ErrServer, code: "error",
			description: "boom (HTTP 200 carried an error envelope with code 500)"},
		{name: "HTTP 200 with HTML", status: 200, body: testkit.Golden(t, "html_500.html"), kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with an empty object", status: 200, body: `{}`, kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with the OAuth shape", status: 200, body: `{"error":"invalid_request"}`, kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with truncated JSON", status: 200, body: testkit.Golden(t, "truncated.json"), kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with a success envelope followed by junk", status: 200, body: testkit.Golden(t, "v1_200_success.json") + "<html>", kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 with a OneLogin status envelope followed by other content: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 204 without a body is a success", status: 204, body: "", kind: nil},
		{name: "HTTP 400 with truncated JSON", status: 400, body: testkit.Golden(t, "truncated.json"), kind: revoke.ErrInvalidRequest, excerpt: true},
		{name: "HTTP 400 with the OAuth shape", status: 400, body: `{"error":"invalid_request","error_description":"Authentication Failure"}`, kind: revoke.ErrInvalidRequest, code: "invalid_request",
			description: "Authentication Failure"},
		{name: "HTTP 500 with HTML", status: 500, body: testkit.Golden(t, "html_500.html"), kind: revoke.ErrServer, excerpt: true},
		{name: "HTTP 404 with HTML", status: 404, body: "<html>not here</html>", kind: revoke.ErrNotFound,
			description: "the route or method is wrong", prefix: true, excerpt: true},
		{name: "HTTP 302", status: 302, body: "", kind: revoke.ErrRedirect, description: "the server redirected (no Location header)", prefix: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(tt.status, tt.body))
			r := newAPI(t, ep, onelogin.V1)
			res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
			if tt.kind == nil {
				if err != nil || res.StatusCode != tt.status {
					t.Fatalf("Revoke = %+v, %v; want success with status %d", res, err, tt.status)
				}
				return
			}
			if err == nil {
				t.Fatalf("Revoke succeeded with %+v, want an error", res)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("errors.Is(err, %v) = false; err = %v", tt.kind, err)
			}
			var re *revoke.Error
			if !errors.As(err, &re) {
				t.Fatalf("err is %T, want *revoke.Error", err)
			}
			if re.StatusCode != tt.status || re.Code != tt.code || re.Attempts != 1 || re.Op != "onelogin revoke" || re.Endpoint != acmeRevoke {
				t.Errorf("error = {Status:%d Code:%q Attempts:%d Op:%q Endpoint:%q}, want {%d %q 1 %q %q}", re.StatusCode, re.Code, re.Attempts, re.Op, re.Endpoint, tt.status, tt.code, "onelogin revoke", acmeRevoke)
			}
			if tt.prefix {
				if !strings.HasPrefix(re.Description, tt.description) {
					t.Errorf("Description = %q, want prefix %q", re.Description, tt.description)
				}
			} else if re.Description != tt.description {
				t.Errorf("Description = %q, want %q", re.Description, tt.description)
			}
			if tt.excerpt != (re.Excerpt != "") {
				t.Errorf("Excerpt = %q, want one: %v", re.Excerpt, tt.excerpt)
			}
			if len(re.Excerpt) > 260 {
				t.Errorf("Excerpt is %d bytes, want it bounded", len(re.Excerpt))
			}
			if strings.ContainsAny(re.Error(), "\n\r") {
				t.Errorf("error message spans lines: %q", re.Error())
			}
		})
	}
}

// TestRevokeReadsErrorsLikeEveryAdapter: OneLogin's error bodies are read
// with the kit's 64 KiB bound and classified by status when no envelope
// says otherwise, however large they are.
func TestRevokeReadsErrorsLikeEveryAdapter(t *testing.T) {
	const kib = 1 << 10
	pad := func(n int, unit string) string { return strings.Repeat(unit, n/len(unit)) }
	tests := []struct {
		name        string
		status      int
		body        string
		opts        []revoke.Option
		kind        error
		code        string
		description string
		excerpt     bool
		attempts    int
	}{
		{name: "500 with a 100 KiB page is a server error", status: 500, body: "<html>" + pad(100*kib, "x") + "</html>",
			kind: revoke.ErrServer, excerpt: true, attempts: 1},
		{name: "500 with a 100 KiB JSON non-envelope", status: 500, body: `{"detail":"` + pad(100*kib, "y") + `"}`,
			kind: revoke.ErrServer, excerpt: true, attempts: 1},
		{name: "401 envelope padded with white space past 64 KiB", status: 401, body: testkit.Golden(t, "v1_401_authentication_failure.json") + pad(70*kib, " "),
			kind: revoke.ErrInvalidClient, code: "Unauthorized", description: "Authentication Failure", attempts: 1},
		{name: "401 envelope padded with junk past 64 KiB", status: 401, body: testkit.Golden(t, "v1_401_authentication_failure.json") + pad(70*kib, "junk"),
			kind: revoke.ErrInvalidClient, code: "Unauthorized", description: "Authentication Failure", attempts: 1},
		{name: "401 flat envelope followed by an HTML page", status: 401, body: testkit.Golden(t, "openapi_401_unauthorized.json") + "<html>" + pad(100*kib, "z") + "</html>",
			kind: revoke.ErrInvalidClient, code: "Unauthorized", description: "Unauthorized Error", attempts: 1},
		{name: "400 access token missing padded past 64 KiB", status: 400, body: testkit.Golden(t, "v1_400_access_token_missing.json") + pad(70*kib, "\n"),
			kind: revoke.ErrInvalidRequest, code: "bad request", description: "Access Token Missing", attempts: 1},
		{name: "401 with a 100 KiB page is a client error", status: 401, body: pad(100*kib, "<p>"),
			kind: revoke.ErrInvalidClient, excerpt: true, attempts: 1},
		{name: "400 page beyond a small response limit", status: 400, body: "<html>" + pad(10*kib, "x") + "</html>", opts: []revoke.Option{revoke.WithMaxResponseBytes(1024)},
			kind: revoke.ErrInvalidRequest, excerpt: true, attempts: 1},
		{name: "503 with a 100 KiB page until retries run out", status: 503, body: pad(100*kib, "d"),
			kind: revoke.ErrUnavailable, excerpt: true, attempts: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: tt.status, Body: tt.body})
			r := newAPI(t, ep, onelogin.V2, tt.opts...)
			_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if re.StatusCode != tt.status || re.Code != tt.code || re.Attempts != tt.attempts || len(ep.Requests()) != tt.attempts {
				t.Errorf("error = {Status:%d Code:%q Attempts:%d} after %d requests, want {%d %q %d}", re.StatusCode, re.Code, re.Attempts, len(ep.Requests()), tt.status, tt.code, tt.attempts)
			}
			if tt.description != "" && re.Description != tt.description {
				t.Errorf("Description = %q, want %q", re.Description, tt.description)
			}
			if tt.excerpt != (re.Excerpt != "") || len(re.Excerpt) > 260 {
				t.Errorf("Excerpt = %q, want one (bounded): %v", re.Excerpt, tt.excerpt)
			}
			if n := len(err.Error()); n > 2048 {
				t.Errorf("error message is %d bytes, want it bounded", n)
			}
		})
	}
	t.Run("success body beyond the limit is not a success", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.JSONAnswer(200, `{"status":{"error":false,"code":200,"type":"success","message":"`+strings.Repeat("s", 4096)+`"}}`))
		r := newAPI(t, ep, onelogin.V2, revoke.WithMaxResponseBytes(1024))
		_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		var re *revoke.Error
		if !errors.Is(err, revoke.ErrUnexpectedResponse) || !errors.As(err, &re) || re.StatusCode != 200 || !strings.Contains(re.Description, "WithMaxResponseBytes") {
			t.Errorf("err = %v, want ErrUnexpectedResponse with status 200 naming WithMaxResponseBytes", err)
		}
	})
}

func TestRevokeRateLimit(t *testing.T) {
	t.Run("reset is seconds remaining", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Body: testkit.Golden(t, "v1_200_success.json"), Header: http.Header{
			"X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Remaining": {"4999"}, "X-Ratelimit-Reset": {"120"},
			// A server clock far from ours must not matter for a relative reset.
			"Date": {time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)},
		}})
		r := newAPI(t, ep, onelogin.V2)
		before := time.Now()
		res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		rl := res.RateLimit
		if rl == nil || rl.Limit != 5000 || rl.Remaining != 4999 {
			t.Fatalf("RateLimit = %+v, want Limit 5000 Remaining 4999", rl)
		}
		if lo, hi := before.Add(119*time.Second), time.Now().Add(121*time.Second); rl.Reset.Before(lo) || rl.Reset.After(hi) {
			t.Errorf("Reset = %v, want about 120s from now (between %v and %v)", rl.Reset, lo, hi)
		}
	})
	t.Run("429 past the cap returns at once with RetryAfter", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 429, Body: `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate Limit Exceeded"}}`,
			Header: http.Header{"X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"3600"}}})
		r := newAPI(t, ep, onelogin.V2, revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: time.Second}))
		start := time.Now()
		_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		var re *revoke.Error
		if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &re) {
			t.Fatalf("err = %v, want ErrRateLimited", err)
		}
		if re.RetryAfter != time.Hour || re.StatusCode != 429 || re.Description != "Rate Limit Exceeded" || re.Code != "Too Many Requests" {
			t.Errorf("error = {RetryAfter:%v Status:%d Code:%q Description:%q}, want {1h0m0s 429 \"Too Many Requests\" \"Rate Limit Exceeded\"}", re.RetryAfter, re.StatusCode, re.Code, re.Description)
		}
		if n := len(ep.Requests()); n != 1 {
			t.Errorf("%d requests, want 1 (no retry past the cap)", n)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("Revoke slept %v", time.Since(start))
		}
		// The window is spent: the same Revoker now waits for it without
		// sending anything, and says how long.
		_, err = r.Revoke(context.Background(), revoke.Request{Token: testToken})
		if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &re) || re.RetryAfter < 59*time.Minute || len(ep.Requests()) != 1 {
			t.Errorf("second call: err = %v after %d requests, want ErrRateLimited with about 1h to wait and nothing sent", err, len(ep.Requests()))
		}
	})
	t.Run("429 without a message says what the reset means", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 429, Body: "", Header: http.Header{"X-Ratelimit-Reset": {"3600"}}})
		r := newAPI(t, ep, onelogin.V2)
		_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		var re *revoke.Error
		if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || !strings.Contains(re.Description, "seconds until the window resets") {
			t.Errorf("err = %v, want ErrRateLimited explaining X-RateLimit-Reset", err)
		}
	})
	t.Run("429 with reset 0 is retried", func(t *testing.T) {
		ep := testkit.NewEndpoint(
			testkit.Answer{Status: 429, Body: `{}`, Header: http.Header{"X-Ratelimit-Reset": {"0"}}},
			testkit.JSONAnswer(200, testkit.Golden(t, "v1_200_success.json")))
		r := newAPI(t, ep, onelogin.V1)
		res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		reqs := ep.Requests()
		if res.Attempts != 2 || len(reqs) != 2 {
			t.Fatalf("attempts = %d, requests = %d, want 2 and 2", res.Attempts, len(reqs))
		}
		for i, q := range reqs {
			if wire.Render(q) != wire.Render(reqs[0]) || q.Header.Get("Authorization") != "client_id:"+testID+", client_secret:"+testSecret {
				t.Errorf("attempt %d sent\n%s\nwant the same request as attempt 1", i+1, wire.Render(q))
			}
		}
	})
}

func TestRevokeRetriesUnavailable(t *testing.T) {
	tests := []struct {
		name      string
		answers   []testkit.Answer
		wantErr   error
		wantTries int
	}{
		{"503 then success", []testkit.Answer{{Status: 503, Body: "<html>down</html>"}, testkit.JSONAnswer(200, testkit.Golden(t, "v1_200_success.json"))}, nil, 2},
		{"502 until retries run out", []testkit.Answer{{Status: 502, Body: testkit.Golden(t, "html_502.html")}}, revoke.ErrUnavailable, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tt.answers...)
			r := newAPI(t, ep, onelogin.V2)
			_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
			if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if n := len(ep.Requests()); n != tt.wantTries {
				t.Errorf("%d requests, want %d", n, tt.wantTries)
			}
			var re *revoke.Error
			if errors.As(err, &re) && (re.Attempts != tt.wantTries || re.StatusCode != 502 || re.Excerpt == "") {
				t.Errorf("error = %+v, want %d attempts, status 502 and an excerpt", re, tt.wantTries)
			}
		})
	}
}

func TestRevokeRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name  string
		req   revoke.Request
		field string
		want  string
	}{
		{"empty token", revoke.Request{}, "onelogin revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "abc"}, "onelogin revoke: Request.Token", "shorter than any token"},
		{"token with a newline", revoke.Request{Token: testToken + "\n"}, "onelogin revoke: Request.Token", "white space or a control character"},
		{"token not UTF-8", revoke.Request{Token: "tok-\xff\xfe-value-0001"}, "onelogin revoke: Request.Token", "is not valid UTF-8"},
		{"params", revoke.Request{Token: testToken, Params: url.Values{"scope": {"x"}}}, "onelogin revoke: Request.Params", "takes only the access token"},
		{"refresh token hint", revoke.Request{Token: testToken, Hint: revoke.HintRefreshToken}, "onelogin revoke: Request.Hint", "takes only access tokens"},
		{"device secret hint", revoke.Request{Token: testToken, Hint: revoke.HintDeviceSecret}, "onelogin revoke: Request.Hint", `"device_secret" is not a hint this endpoint takes`},
		{"unknown hint", revoke.Request{Token: testToken, Hint: "id_token\n"}, "onelogin revoke: Request.Hint", `"id_token\n" is not a hint`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newAPI(t, ep, onelogin.V1)
			_, err := r.Revoke(context.Background(), tt.req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(ce.Problem, tt.want) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Fatalf("err = %#v, want a ConfigError for %s containing %q matching ErrInvalidRequest", err, tt.field, tt.want)
			}
			testkit.NoLeak(t, "error", testkit.PrintAll(err), tt.req.Token, testSecret)
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestRevokeHonoursContext(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newAPI(t, ep, onelogin.V1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.Revoke(ctx, revoke.Request{Token: testToken})
	var re *revoke.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &re) {
		t.Errorf("err = %v, want a *revoke.Error wrapping context.Canceled", err)
	}
	var nilCtx context.Context
	_, err = r.Revoke(nilCtx, revoke.Request{Token: testToken})
	var ce *revoke.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(ce.Field, "context") {
		t.Errorf("nil context: err = %v, want a ConfigError naming the context", err)
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// TestRevokeToken: one call with the access token revokes the pair.
func TestRevokeToken(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.JSONAnswer(200, testkit.Golden(t, "v1_200_success.json")))
	r := newAPI(t, ep, onelogin.V2)
	const refresh = "rt-refresh-token-value-0001"
	if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: testToken, RefreshToken: refresh}); err != nil {
		t.Fatal(err)
	}
	if got := ep.Only(t); string(got.Body) != `{"access_token":"`+testToken+`"}` {
		t.Errorf("body = %s, want the access token only", got.Body)
	}
	tests := []struct {
		name string
		tok  *oauth2.Token
		kind error
	}{
		{"refresh token only", &oauth2.Token{RefreshToken: refresh}, revoke.ErrUnsupported},
		{"nothing", &oauth2.Token{}, revoke.ErrInvalidRequest},
		{"nil", nil, revoke.ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := r.RevokeToken(context.Background(), tt.tok)
			var ce *revoke.ConfigError
			if !errors.Is(err, tt.kind) || !errors.As(err, &ce) {
				t.Errorf("err = %v, want a ConfigError matching %v", err, tt.kind)
			}
			testkit.NoLeak(t, "error", testkit.PrintAll(err), refresh)
			if n := len(ep.Requests()); n != 1 {
				t.Errorf("%d requests in all, want no more than the first", n)
			}
		})
	}
}

// TestZeroValues: revokers not built by their constructors, nil pointers
// and nil contexts give typed errors, never a panic.
func TestZeroValues(t *testing.T) {
	ctx := context.Background()
	var nilCtx context.Context
	var zero onelogin.Revoker
	var zeroOIDC onelogin.OIDCRevoker
	var nilAPI *onelogin.Revoker
	var nilOIDC *onelogin.OIDCRevoker
	req := revoke.Request{Token: testToken}
	calls := []struct {
		name string
		call func() (*revoke.Result, error)
	}{
		{"zero Revoker", func() (*revoke.Result, error) { return zero.Revoke(ctx, req) }},
		{"zero Revoker, nil context", func() (*revoke.Result, error) { return zero.Revoke(nilCtx, req) }},
		{"nil *Revoker", func() (*revoke.Result, error) { return nilAPI.Revoke(ctx, req) }},
		{"nil *Revoker, RevokeToken", func() (*revoke.Result, error) {
			return nil, nilAPI.RevokeToken(ctx, &oauth2.Token{AccessToken: testToken})
		}},
		{"revoke.RevokeToken with a nil *Revoker", func() (*revoke.Result, error) {
			return nil, revoke.RevokeToken(ctx, nilAPI, &oauth2.Token{AccessToken: testToken})
		}},
		{"zero OIDCRevoker", func() (*revoke.Result, error) { return zeroOIDC.Revoke(ctx, req) }},
		{"zero OIDCRevoker, nil context", func() (*revoke.Result, error) { return zeroOIDC.Revoke(nilCtx, req) }},
		{"nil *OIDCRevoker", func() (*revoke.Result, error) { return nilOIDC.Revoke(ctx, req) }},
		{"revoke.RevokeToken with a nil *OIDCRevoker", func() (*revoke.Result, error) {
			return nil, revoke.RevokeToken(ctx, nilOIDC, &oauth2.Token{AccessToken: testToken, RefreshToken: testToken + "-r"})
		}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			res, err := c.call()
			var ce *revoke.ConfigError
			if res != nil || !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("= %v, %v; want a ConfigError matching ErrInvalidRequest", res, err)
			}
		})
	}
	t.Run("built revokers with a nil context", func(t *testing.T) {
		ep := testkit.NewEndpoint()
		for _, r := range []revoke.Revoker{newAPI(t, ep, onelogin.V1), newOIDC(t, ep, revoke.PublicClient("spa-client"), false)} {
			_, err := r.Revoke(nilCtx, req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("%T: err = %v, want a ConfigError", r, err)
			}
		}
		if n := len(ep.Requests()); n != 0 {
			t.Errorf("%d requests sent, want none", n)
		}
	})
	t.Run("accessors", func(t *testing.T) {
		if zero.Endpoint() != "" || nilAPI.Endpoint() != "" || nilAPI.API() != 0 || nilAPI.ClientID() != "" ||
			zeroOIDC.Endpoint() != "" || zeroOIDC.AuthMethod() != "" || nilOIDC.Endpoint() != "" || nilOIDC.AuthMethod() != "" {
			t.Error("an accessor of a zero or nil revoker returned a value")
		}
	})
}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name       string
		sub, base  string
		opts       []revoke.Option
		wantAPI    string
		wantOIDC   string
		wantErrIs  error
		wantErrMsg string
	}{
		{name: "subdomain", sub: "acme", wantAPI: "https://acme.onelogin.com/auth/oauth2/revoke", wantOIDC: "https://acme.onelogin.com/oidc/2/token/revocation"},
		{name: "subdomain is lower-cased", sub: "Acme-EU", wantAPI: "https://acme-eu.onelogin.com/auth/oauth2/revoke", wantOIDC: "https://acme-eu.onelogin.com/oidc/2/token/revocation"},
		{name: "custom domain", base: "https://login.acme.com", wantAPI: "https://login.acme.com/auth/oauth2/revoke", wantOIDC: "https://login.acme.com/oidc/2/token/revocation"},
		{name: "host without scheme means https", base: "Login.Acme.com", wantAPI: "https://login.acme.com/auth/oauth2/revoke", wantOIDC: "https://login.acme.com/oidc/2/token/revocation"},
		{name: "path prefix and trailing slash", base: "https://proxy.example.com/onelogin/", wantAPI: "https://proxy.example.com/onelogin/auth/oauth2/revoke", wantOIDC: "https://proxy.example.com/onelogin/oidc/2/token/revocation"},
		{name: "loopback http", base: "http://127.0.0.1:8080", wantAPI: "http://127.0.0.1:8080/auth/oauth2/revoke", wantOIDC: "http://127.0.0.1:8080/oidc/2/token/revocation"},
		{name: "remote http refused", base: "http://onelogin.internal", wantErrIs: revoke.ErrInsecureEndpoint, wantErrMsg: "WithInsecureHTTP"},
		{name: "remote http allowed by option", base: "http://onelogin.internal", opts: []revoke.Option{revoke.WithInsecureHTTP()},
			wantAPI: "http://onelogin.internal/auth/oauth2/revoke", wantOIDC: "http://onelogin.internal/oidc/2/token/revocation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := onelogin.New(onelogin.Config{Subdomain: tt.sub, BaseURL: tt.base, ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, tt.opts...)
			o, oerr := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: tt.sub, BaseURL: tt.base, Auth: revoke.PublicClient("spa")}, tt.opts...)
			if tt.wantErrIs != nil {
				for _, e := range []error{err, oerr} {
					if !errors.Is(e, tt.wantErrIs) || !strings.Contains(e.Error(), tt.wantErrMsg) {
						t.Errorf("err = %v, want %v mentioning %q", e, tt.wantErrIs, tt.wantErrMsg)
					}
				}
				return
			}
			if err != nil || oerr != nil {
				t.Fatalf("New: %v; NewOIDC: %v", err, oerr)
			}
			if r.Endpoint() != tt.wantAPI || o.Endpoint() != tt.wantOIDC {
				t.Errorf("endpoints = %s, %s; want %s, %s", r.Endpoint(), o.Endpoint(), tt.wantAPI, tt.wantOIDC)
			}
		})
	}
}

func TestNewBadInput(t *testing.T) {
	valid := onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}
	with := func(f func(*onelogin.Config)) onelogin.Config { c := valid; f(&c); return c }
	tests := []struct {
		name  string
		cfg   onelogin.Config
		opts  []revoke.Option
		field string
		want  string
	}{
		{"neither subdomain nor base URL", with(func(c *onelogin.Config) { c.Subdomain = "" }), nil, "onelogin.Config.Subdomain", "neither Subdomain nor BaseURL is set"},
		{"both subdomain and base URL", with(func(c *onelogin.Config) { c.BaseURL = "https://login.acme.com" }), nil, "onelogin.Config.Subdomain", "not both"},
		{"subdomain is a host name", with(func(c *onelogin.Config) { c.Subdomain = "acme.onelogin.com" }), nil, "onelogin.Config.Subdomain", `pass only the subdomain "acme"`},
		{"subdomain is a URL", with(func(c *onelogin.Config) { c.Subdomain = "https://acme.onelogin.com" }), nil, "onelogin.Config.Subdomain", "put it in BaseURL"},
		{"subdomain with a dot", with(func(c *onelogin.Config) { c.Subdomain = "login.acme" }), nil, "onelogin.Config.Subdomain", "single DNS label"},
		{"subdomain with underscore", with(func(c *onelogin.Config) { c.Subdomain = "ac_me" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"subdomain with space", with(func(c *onelogin.Config) { c.Subdomain = "ac me" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"subdomain only white space", with(func(c *onelogin.Config) { c.Subdomain = "   " }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"subdomain with newline", with(func(c *onelogin.Config) { c.Subdomain = "acme\n" }), nil, "onelogin.Config.Subdomain", `"acme\n" contains '\n'`},
		{"subdomain with slash", with(func(c *onelogin.Config) { c.Subdomain = "acme/x" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"subdomain with leading hyphen", with(func(c *onelogin.Config) { c.Subdomain = "-acme" }), nil, "onelogin.Config.Subdomain", "starts or ends with '-'"},
		{"subdomain too long", with(func(c *onelogin.Config) { c.Subdomain = strings.Repeat("a", 64) }), nil, "onelogin.Config.Subdomain", "at most 63"},
		{"subdomain non-ASCII", with(func(c *onelogin.Config) { c.Subdomain = "acmé" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"base URL with query", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://login.acme.com/?x=1" }), nil, "onelogin.Config.BaseURL", "has a query"},
		{"base URL with fragment", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://login.acme.com/#x" }), nil, "onelogin.Config.BaseURL", "fragment"},
		{"base URL is the endpoint", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://acme.onelogin.com/auth/oauth2/revoke" }), nil, "onelogin.Config.BaseURL", "pass the base URL only (e.g. https://acme.onelogin.com)"},
		{"base URL is the OIDC endpoint", with(func(c *onelogin.Config) {
			c.Subdomain, c.BaseURL = "", "https://proxy.example.com/ol/oidc/2/token/revocation/"
		}), nil, "onelogin.Config.BaseURL", "(e.g. https://proxy.example.com/ol)"},
		{"base URL with credentials", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://u:p@login.acme.com" }), nil, "onelogin.Config.BaseURL", "user info"},
		{"base URL ftp", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "ftp://login.acme.com" }), nil, "onelogin.Config.BaseURL", "use https"},
		{"base URL with a space", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://login.acme.com /x" }), nil, "onelogin.Config.BaseURL", "white space"},
		{"API unset", with(func(c *onelogin.Config) { c.API = 0 }), nil, "onelogin.Config.API", "APIVersion(0) is not a known API version: set onelogin.V2"},
		{"API unknown", with(func(c *onelogin.Config) { c.API = 3 }), nil, "onelogin.Config.API", "APIVersion(3) is not a known API version"},
		{"client ID missing", with(func(c *onelogin.Config) { c.ClientID = "" }), nil, "onelogin.Config.ClientID", "is empty"},
		{"client ID only white space", with(func(c *onelogin.Config) { c.ClientID = " \t " }), nil, "onelogin.Config.ClientID", "only white space"},
		{"client ID with control character", with(func(c *onelogin.Config) { c.ClientID = "ab\x00cd" }), nil, "onelogin.Config.ClientID", "control character"},
		{"client ID with tab", with(func(c *onelogin.Config) { c.ClientID = "ab\tcd" }), nil, "onelogin.Config.ClientID", "control character"},
		{"client ID with trailing newline", with(func(c *onelogin.Config) { c.ClientID = testID + "\n" }), nil, "onelogin.Config.ClientID", "white space"},
		{"client secret missing", with(func(c *onelogin.Config) { c.ClientSecret = "" }), nil, "onelogin.Config.ClientSecret", "is empty"},
		{"client secret only white space", with(func(c *onelogin.Config) { c.ClientSecret = "          " }), nil, "onelogin.Config.ClientSecret", "only white space"},
		{"client secret with newline", with(func(c *onelogin.Config) { c.ClientSecret = testSecret + "\n" }), nil, "onelogin.Config.ClientSecret", "white space"},
		{"client secret with DEL", with(func(c *onelogin.Config) { c.ClientSecret = "s3cr3t\x7f-value" }), nil, "onelogin.Config.ClientSecret", "control character"},
		{"client secret too short", with(func(c *onelogin.Config) { c.ClientSecret = "q7z!x2" }), nil, "onelogin.Config.ClientSecret", "shorter than 8"},
		{"V1 client secret too short", with(func(c *onelogin.Config) { c.ClientSecret, c.API = "1234567", onelogin.V1 }), nil, "onelogin.Config.ClientSecret", "shorter than 8"},
		{"V2 client ID with colon", with(func(c *onelogin.Config) { c.ClientID = "a:b" }), nil, "onelogin.Config.ClientID", "contains ':'"},
		{"V1 client ID with comma", with(func(c *onelogin.Config) { c.ClientID, c.API = "a,b", onelogin.V1 }), nil, "onelogin.Config.ClientID", "contains ','"},
		{"bad option", valid, []revoke.Option{revoke.WithHTTPClient(nil)}, "WithHTTPClient", "client is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := onelogin.New(tt.cfg, tt.opts...)
			if r != nil {
				t.Errorf("New returned a Revoker with an error")
			}
			testkit.WantConfigError(t, err, tt.field, tt.want, nil, testSecret, tt.cfg.ClientSecret)
		})
	}
}

// TestLocationErrorsNeverEchoPasswords: no Subdomain or BaseURL error of
// either constructor repeats a password written into the value.
func TestLocationErrorsNeverEchoPasswords(t *testing.T) {
	const password = "p4ssw0rd"
	tests := []struct {
		name, sub, base, field string
	}{
		{"base URL with user info", "", "https://user:p4ssw0rd@host", "BaseURL"},
		{"base URL with user info and the endpoint path", "", "https://user:p4ssw0rd@acme.onelogin.com/auth/oauth2/revoke", "BaseURL"},
		{"base URL with user info and a query", "", "https://user:p4ssw0rd@host/?x=1", "BaseURL"},
		{"base URL with user info and a fragment", "", "https://user:p4ssw0rd@host#frag", "BaseURL"},
		{"base URL with user info and a space", "", "https://user:p4ssw0rd@ho st", "BaseURL"},
		{"base URL with user info and no scheme", "", "user:p4ssw0rd@host", "BaseURL"},
		{"base URL with user info over http", "", "http://user:p4ssw0rd@host", "BaseURL"},
		{"base URL with a password holding '/'", "", "https://user:p4ssw0rd/x@host", "BaseURL"},
		{"base URL with a password holding '#'", "", "https://user:p4ssw0rd#x@host", "BaseURL"},
		{"base URL with a password holding '?'", "", "https://user:p4ssw0rd?x@host", "BaseURL"},
		{"subdomain is a URL with user info", "https://user:p4ssw0rd@host", "", "Subdomain"},
		{"subdomain is a host with user info", "user:p4ssw0rd@acme.onelogin.com", "", "Subdomain"},
		{"subdomain with user info", "user:p4ssw0rd@acme", "", "Subdomain"},
		{"subdomain set and base URL with user info", "acme", "https://user:p4ssw0rd@host", "Subdomain"},
		{"both with user info", "https://user:p4ssw0rd@host", "https://user:p4ssw0rd@host", "Subdomain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := onelogin.New(onelogin.Config{Subdomain: tt.sub, BaseURL: tt.base, ClientID: testID, ClientSecret: testSecret, API: onelogin.V2})
			_, oerr := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: tt.sub, BaseURL: tt.base, Auth: revoke.ClientSecretBasic(testID, testSecret)})
			for i, e := range []error{err, oerr} {
				prefix := [...]string{"onelogin.Config.", "onelogin.OIDCConfig."}[i]
				var ce *revoke.ConfigError
				if !errors.As(e, &ce) || ce.Field != prefix+tt.field {
					t.Errorf("err = %v, want a ConfigError for %s%s", e, prefix, tt.field)
					continue
				}
				testkit.NoLeak(t, "error", testkit.PrintAll(e), password, testSecret)
			}
		})
	}
}

func TestAccessors(t *testing.T) {
	r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1})
	if err != nil {
		t.Fatal(err)
	}
	if r.API() != onelogin.V1 || r.ClientID() != testID || r.API().String() != "V1" || onelogin.V2.String() != "V2" || onelogin.APIVersion(7).String() != "APIVersion(7)" {
		t.Errorf("API() = %v, ClientID() = %q", r.API(), r.ClientID())
	}
	if r.Endpoint() != acmeRevoke {
		t.Errorf("Endpoint() = %q", r.Endpoint())
	}
}
