package onelogin_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
)

const acmeRevoke = "https://acme.onelogin.com/auth/oauth2/revoke"

func TestRevokeWireShape(t *testing.T) {
	tests := []struct {
		name       string
		api        onelogin.APIVersion
		id, secret string
		token      string
		wantAuth   string
		wantBody   string
	}{
		{
			name: "V1 header", api: onelogin.V1, id: testID, secret: testSecret, token: testToken,
			wantAuth: "client_id:" + testID + ", client_secret:" + testSecret,
			wantBody: `{"access_token":"` + testToken + `"}`,
		},
		{
			name: "V2 basic", api: onelogin.V2, id: testID, secret: testSecret, token: testToken,
			wantAuth: "Basic " + base64.StdEncoding.EncodeToString([]byte(testID+":"+testSecret)),
			wantBody: `{"access_token":"` + testToken + `"}`,
		},
		{
			// Raw, not RFC 6749 §2.3.1 form-encoded: "p@ss:w+rd" stays as is.
			name: "V2 basic is raw", api: onelogin.V2, id: "client.id", secret: "p@ss:w+rd%/= x", token: "tok",
			wantAuth: "Basic " + base64.StdEncoding.EncodeToString([]byte("client.id:p@ss:w+rd%/= x")),
			wantBody: `{"access_token":"tok"}`,
		},
		{
			// The token travels byte for byte: no HTML escaping of <, >, &.
			name: "token with JSON-special characters", api: onelogin.V1, id: "id", secret: "secret", token: `a<b>&"c\d`,
			wantAuth: "client_id:id, client_secret:secret",
			wantBody: `{"access_token":"a<b>&\"c\\d"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, rc := mockEndpoint(t, acmeRevoke, jsonAnswer(200, golden(t, "v1_200_success.json")))
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: tt.id, ClientSecret: tt.secret, API: tt.api}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Revoke(context.Background(), revoke.Request{Token: tt.token, Hint: revoke.HintAccessToken})
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if res.StatusCode != 200 || res.Attempts != 1 || res.Vendor.Message != "Success" {
				t.Errorf("result = %+v, want status 200, 1 attempt, message Success", res)
			}
			reqs := rc.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			got := reqs[0]
			if got.Method != http.MethodPost || got.URL != acmeRevoke {
				t.Errorf("request = %s %s, want POST %s", got.Method, got.URL, acmeRevoke)
			}
			assertHeader(t, got.Header, "Authorization", tt.wantAuth)
			assertHeader(t, got.Header, "Content-Type", "application/json")
			assertHeader(t, got.Header, "Accept", "application/json")
			assertHeader(t, got.Header, "User-Agent", "revoke-go/"+revoke.Version)
			if string(got.Body) != tt.wantBody {
				t.Errorf("body = %s, want %s", got.Body, tt.wantBody)
			}
		})
	}
}

func TestRevokeSuccessBodies(t *testing.T) {
	tests := []struct {
		name, body, wantMessage string
	}{
		{"v1 nested envelope", golden(t, "v1_200_success.json"), "Success"},
		{"OpenAPI flat envelope", golden(t, "openapi_200_success.json"), "sucess"},
		{"empty body", "", ""},
		{"whitespace body", " \n", ""},
		{"flat envelope without error flag", `{"code":200,"type":"success","message":"Success"}`, "Success"},
		{"nested envelope with data", `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":[]}`, "Success"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, _ := mockEndpoint(t, acmeRevoke, jsonAnswer(200, tt.body))
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if res.StatusCode != 200 || res.Vendor.Message != tt.wantMessage {
				t.Errorf("result = %+v, want status 200 and message %q", res, tt.wantMessage)
			}
		})
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
		{name: "content type", status: 400, body: golden(t, "v1_400_content_type.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Content Type is not specified or specified incorrectly. Content-Type header must be set to application/json"},
		{name: "access token missing", status: 400, body: golden(t, "v1_400_access_token_missing.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Access Token Missing"},
		{name: "authorization missing is a client error", status: 400, body: golden(t, "v1_400_authorization_missing.json"), kind: revoke.ErrInvalidClient, code: "bad request",
			description: "The authorization information is missing: the Authorization header is missing or malformed", prefix: true},
		{name: "authentication failure", status: 401, body: golden(t, "v1_401_authentication_failure.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Authentication Failure"},
		{name: "no route exists", status: 404, body: golden(t, "v1_404_no_route.json"), kind: revoke.ErrNotFound, code: "not found",
			description: "No Route Exists: the route or method is wrong", prefix: true},
		{name: "flat 400", status: 400, body: golden(t, "openapi_400_bad_request.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Request Failure"},
		{name: "flat 401", status: 401, body: golden(t, "openapi_401_unauthorized.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Unauthorized Error"},
		{name: "flat 404", status: 404, body: golden(t, "openapi_404_not_found.json"), kind: revoke.ErrNotFound, code: "Not Found",
			description: "No Route Exists: the route or method is wrong", prefix: true},
		{name: "flat envelope without error flag", status: 400, body: `{"code":400,"type":"bad request","message":"Access Token Missing"}`, kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Access Token Missing"},
		{name: "HTTP 200 with an error envelope", status: 200, body: golden(t, "v1_401_authentication_failure.json"), kind: revoke.ErrInvalidClient, code: "Unauthorized",
			description: "Authentication Failure (HTTP 200 carried an error envelope with code 401)"},
		{name: "HTTP 200 with a flat error envelope", status: 200, body: golden(t, "openapi_400_bad_request.json"), kind: revoke.ErrInvalidRequest, code: "bad request",
			description: "Request Failure (HTTP 200 carried an error envelope with code 400)"},
		{name: "HTTP 200 whose envelope code contradicts error:false", status: 200, body: `{"error":false,"code":403,"type":"forbidden","message":"nope"}`, kind: revoke.ErrForbidden, code: "forbidden",
			description: "nope (HTTP 200 carried an error envelope with code 403)"},
		{name: "HTTP 200 with HTML", status: 200, body: golden(t, "html_500.html"), kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with an empty object", status: 200, body: `{}`, kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with the OAuth shape", status: 200, body: `{"error":"invalid_request"}`, kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 200 with truncated JSON", status: 200, body: golden(t, "truncated.json"), kind: revoke.ErrUnexpectedResponse,
			description: "HTTP 200 without a OneLogin status envelope: the revocation is not confirmed", excerpt: true},
		{name: "HTTP 400 with truncated JSON", status: 400, body: golden(t, "truncated.json"), kind: revoke.ErrInvalidRequest, excerpt: true},
		{name: "HTTP 500 with HTML", status: 500, body: golden(t, "html_500.html"), kind: revoke.ErrServer, excerpt: true},
		{name: "HTTP 404 with HTML", status: 404, body: "<html>not here</html>", kind: revoke.ErrNotFound,
			description: "the route or method is wrong", prefix: true, excerpt: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, _ := mockEndpoint(t, acmeRevoke, jsonAnswer(tt.status, tt.body))
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
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

func TestRevokeRateLimit(t *testing.T) {
	t.Run("reset is seconds remaining", func(t *testing.T) {
		mt, _ := mockEndpoint(t, acmeRevoke, answer{status: 200, body: golden(t, "v1_200_success.json"), header: http.Header{
			"X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Remaining": {"4999"}, "X-Ratelimit-Reset": {"120"},
			// A server clock far from ours must not matter for a relative reset.
			"Date": {time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)},
		}})
		r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, opts(mt)...)
		if err != nil {
			t.Fatal(err)
		}
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
		mt, rc := mockEndpoint(t, acmeRevoke, answer{status: 429, body: `{"status":{"error":true,"code":429,"type":"Too Many Requests","message":"Rate Limit Exceeded"}}`,
			header: http.Header{"X-Ratelimit-Limit": {"5000"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"3600"}}})
		r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2},
			opts(mt, revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: time.Second}))...)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = r.Revoke(context.Background(), revoke.Request{Token: testToken})
		var re *revoke.Error
		if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &re) {
			t.Fatalf("err = %v, want ErrRateLimited", err)
		}
		if re.RetryAfter != time.Hour || re.StatusCode != 429 || re.Description != "Rate Limit Exceeded" {
			t.Errorf("error = {RetryAfter:%v Status:%d Description:%q}, want {1h0m0s 429 \"Rate Limit Exceeded\"}", re.RetryAfter, re.StatusCode, re.Description)
		}
		if n := len(rc.requests()); n != 1 {
			t.Errorf("%d requests, want 1 (no retry past the cap)", n)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("Revoke slept %v", time.Since(start))
		}
	})
	t.Run("429 with reset 0 is retried", func(t *testing.T) {
		mt, rc := mockEndpoint(t, acmeRevoke,
			answer{status: 429, body: `{}`, header: http.Header{"X-Ratelimit-Reset": {"0"}}},
			jsonAnswer(200, golden(t, "v1_200_success.json")))
		r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, opts(mt)...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken})
		if err != nil {
			t.Fatal(err)
		}
		reqs := rc.requests()
		if res.Attempts != 2 || len(reqs) != 2 {
			t.Fatalf("attempts = %d, requests = %d, want 2 and 2", res.Attempts, len(reqs))
		}
		for i, q := range reqs {
			if string(q.Body) != `{"access_token":"`+testToken+`"}` || q.Header.Get("Authorization") != "client_id:"+testID+", client_secret:"+testSecret {
				t.Errorf("attempt %d sent body %s and a different Authorization header", i+1, q.Body)
			}
		}
	})
}

func TestRevokeRetriesUnavailable(t *testing.T) {
	tests := []struct {
		name      string
		answers   []answer
		wantErr   error
		wantTries int
	}{
		{"503 then success", []answer{{status: 503, body: "<html>down</html>"}, jsonAnswer(200, golden(t, "v1_200_success.json"))}, nil, 2},
		{"502 until retries run out", []answer{{status: 502, body: golden(t, "html_502.html")}}, revoke.ErrUnavailable, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, rc := mockEndpoint(t, acmeRevoke, tt.answers...)
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: testToken})
			if !errors.Is(err, tt.wantErr) && !(tt.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if n := len(rc.requests()); n != tt.wantTries {
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
		field string // the ConfigError field, or "" for another error
		want  string
	}{
		{"empty token", revoke.Request{}, "", "Request.Token is empty"},
		{"params", revoke.Request{Token: testToken, Params: url.Values{"scope": {"x"}}}, "onelogin revoke: Request.Params", "takes only the access token"},
		{"unknown hint", revoke.Request{Token: testToken, Hint: "id_token"}, "", "unknown token type hint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, rc := mockEndpoint(t, acmeRevoke, jsonAnswer(200, ""))
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			var ce *revoke.ConfigError
			if tt.field != "" && (!errors.As(err, &ce) || ce.Field != tt.field) {
				t.Errorf("err = %#v, want a ConfigError for %s", err, tt.field)
			}
			if n := len(rc.requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestRevokeHonoursContext(t *testing.T) {
	mt, rc := mockEndpoint(t, acmeRevoke, jsonAnswer(200, ""))
	r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, opts(mt)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = r.Revoke(ctx, revoke.Request{Token: testToken})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
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
		{"subdomain with slash", with(func(c *onelogin.Config) { c.Subdomain = "acme/x" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"subdomain with leading hyphen", with(func(c *onelogin.Config) { c.Subdomain = "-acme" }), nil, "onelogin.Config.Subdomain", "starts or ends with '-'"},
		{"subdomain too long", with(func(c *onelogin.Config) { c.Subdomain = strings.Repeat("a", 64) }), nil, "onelogin.Config.Subdomain", "at most 63"},
		{"subdomain non-ASCII", with(func(c *onelogin.Config) { c.Subdomain = "acmé" }), nil, "onelogin.Config.Subdomain", "only letters, digits and hyphens"},
		{"base URL not absolute", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "login.acme.com" }), nil, "onelogin.Config.BaseURL", "not absolute"},
		{"base URL with query", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://login.acme.com/?x=1" }), nil, "onelogin.Config.BaseURL", "has a query"},
		{"base URL is the endpoint", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://acme.onelogin.com/auth/oauth2/revoke" }), nil, "onelogin.Config.BaseURL", "pass the base URL only (e.g. https://acme.onelogin.com)"},
		{"base URL with credentials", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "https://u:p@login.acme.com" }), nil, "onelogin.Config.BaseURL", "user info"},
		{"base URL ftp", with(func(c *onelogin.Config) { c.Subdomain, c.BaseURL = "", "ftp://login.acme.com" }), nil, "onelogin.Config.BaseURL", "use https"},
		{"API unset", with(func(c *onelogin.Config) { c.API = 0 }), nil, "onelogin.Config.API", "APIVersion(0) is not a known API version: set onelogin.V2"},
		{"API unknown", with(func(c *onelogin.Config) { c.API = 3 }), nil, "onelogin.Config.API", "APIVersion(3) is not a known API version"},
		{"client ID missing", with(func(c *onelogin.Config) { c.ClientID = "" }), nil, "onelogin.Config.ClientID", "is empty"},
		{"client secret missing", with(func(c *onelogin.Config) { c.ClientSecret = "" }), nil, "onelogin.Config.ClientSecret", "is empty"},
		{"client secret with newline", with(func(c *onelogin.Config) { c.ClientSecret = testSecret + "\n" }), nil, "onelogin.Config.ClientSecret", "white space"},
		{"client ID with control character", with(func(c *onelogin.Config) { c.ClientID = "ab\x00cd" }), nil, "onelogin.Config.ClientID", "control character"},
		{"V2 client ID with colon", with(func(c *onelogin.Config) { c.ClientID = "a:b" }), nil, "onelogin.Config.ClientID", "contains ':'"},
		{"V1 client ID with comma", with(func(c *onelogin.Config) { c.ClientID, c.API = "a,b", onelogin.V1 }), nil, "onelogin.Config.ClientID", "contains ','"},
		{"bad option", valid, []revoke.Option{revoke.WithHTTPClient(nil)}, "WithHTTPClient", "client is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := onelogin.New(tt.cfg, tt.opts...)
			if err == nil {
				t.Fatalf("New returned %v, want an error", r)
			}
			if r != nil {
				t.Errorf("New returned a Revoker with an error")
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(ce.Problem, tt.want) {
				t.Errorf("err = %v, want a ConfigError for %s containing %q", err, tt.field, tt.want)
			}
			assertNoLeak(t, "error", err.Error(), testSecret)
		})
	}
}

func TestAccessors(t *testing.T) {
	r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1})
	if err != nil {
		t.Fatal(err)
	}
	if r.API() != onelogin.V1 || r.ClientID() != testID || r.API().String() != "V1" || onelogin.V2.String() != "V2" {
		t.Errorf("API() = %v, ClientID() = %q", r.API(), r.ClientID())
	}
}

func TestRevokeOversizedBodies(t *testing.T) {
	big := "<html>" + strings.Repeat("x", 10_000) + "</html>"
	tests := []struct {
		name   string
		status int
		kind   error
	}{
		{"error page beyond the limit", 400, revoke.ErrUnexpectedResponse},
		{"success body beyond the limit", 200, revoke.ErrUnexpectedResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, _ := mockEndpoint(t, acmeRevoke, answer{status: tt.status, body: big})
			r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, opts(mt, revoke.WithMaxResponseBytes(1024))...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: testToken})
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) || re.StatusCode != tt.status || !strings.Contains(re.Description, "WithMaxResponseBytes") {
				t.Errorf("err = %v, want %v with status %d naming WithMaxResponseBytes", err, tt.kind, tt.status)
			}
			if len(err.Error()) > 1024 {
				t.Errorf("error message is %d bytes, want it bounded", len(err.Error()))
			}
		})
	}
}
