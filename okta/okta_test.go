package okta_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

const (
	org      = "https://dev-123.okta.com"
	clientID = "0oa1example"
	// secret has characters RFC 6749 §2.3.1 form-encoding changes, to tell
	// encoded from raw Basic apart.
	secret = "s3cr3t+/=:x"
	token  = "eyJ.access-token-value.sig"
	hmac   = "a-32-byte-long-shared-secret-val"
)

var fastRetry = testkit.FastRetry()

func keys(t *testing.T) (*ecdsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	return testkit.ECKey(t), testkit.RSAKey(t)
}

// captured is what one request carried on the wire.
type captured struct {
	method, url, contentType, accept, authz, ua string
	form                                        url.Values
}

// mockRevoke registers a responder for POST rawURL on a fresh transport that
// records every request and answers status, body and hdr.
func mockRevoke(t *testing.T, rawURL string, status int, body string, hdr http.Header) (*httpmock.MockTransport, *[]captured) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var got []captured
	mt.RegisterResponder(http.MethodPost, rawURL, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		if err != nil {
			t.Errorf("body %q is not form-encoded: %v", b, err)
		}
		got = append(got, captured{r.Method, r.URL.String(), r.Header.Get("Content-Type"), r.Header.Get("Accept"), r.Header.Get("Authorization"), r.Header.Get("User-Agent"), form})
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range hdr {
			resp.Header[k] = v
		}
		return resp, nil
	})
	return mt, &got
}

func newRevoker(t *testing.T, mt *httpmock.MockTransport, cfg okta.Config, opts ...revoke.Option) *okta.Revoker {
	t.Helper()
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), fastRetry}, opts...)
	r, err := okta.New(cfg, opts...)
	if err != nil {
		t.Fatalf("okta.New(%+v): %v", cfg, err)
	}
	return r
}

// checkAssertion verifies a client assertion as Okta does: signature with
// the client's key, iss = sub = client_id, aud = the URL called, a jti and a
// short lifetime.
func checkAssertion(t *testing.T, assertion string, key any, wantAud string) {
	t.Helper()
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.HS256})
	if err != nil {
		t.Fatalf("client_assertion is not a JWS: %v", err)
	}
	var c jwt.Claims
	if err := tok.Claims(key, &c); err != nil {
		t.Fatalf("client_assertion signature: %v", err)
	}
	if c.Issuer != clientID || c.Subject != clientID {
		t.Errorf("iss, sub = %q, %q; want %q", c.Issuer, c.Subject, clientID)
	}
	if len(c.Audience) != 1 || c.Audience[0] != wantAud {
		t.Errorf("aud = %q, want exactly [%q]", c.Audience, wantAud)
	}
	if c.ID == "" || c.Expiry == nil || c.IssuedAt == nil {
		t.Fatalf("claims lack jti, exp or iat: %+v", c)
	}
	if life := c.Expiry.Time().Sub(c.IssuedAt.Time()); life <= 0 || life > revoke.MaxAssertionLifetime {
		t.Errorf("assertion lifetime %s is out of (0, %s]", life, revoke.MaxAssertionLifetime)
	}
}

// TestWireShape asserts the exact request for every client authentication
// method, on the org and custom authorization servers, with every hint.
func TestWireShape(t *testing.T) {
	ec, rk := keys(t)
	auths := []struct {
		name      string
		cfg       okta.Config
		wantAuthz string
		wantForm  url.Values // client authentication part of the form
		verifyKey any        // non-nil: the form carries a client assertion
		alg       jose.SignatureAlgorithm
	}{
		{
			name:      "client_secret_basic (RFC 6749 form-encoded)",
			cfg:       okta.Config{ClientID: clientID, ClientSecret: secret},
			wantAuthz: testkit.Basic(clientID, url.QueryEscape(secret)),
		},
		{
			name:     "client_secret_post",
			cfg:      okta.Config{Auth: revoke.ClientSecretPost(clientID, secret)},
			wantForm: url.Values{"client_id": {clientID}, "client_secret": {secret}},
		},
		{
			name:      "client_secret_jwt",
			cfg:       okta.Config{Auth: revoke.ClientSecretJWT(clientID, hmac)},
			verifyKey: []byte(hmac), alg: jose.HS256,
		},
		{
			name:      "private_key_jwt ES256",
			cfg:       okta.Config{Auth: revoke.PrivateKeyJWT(clientID, ec, revoke.WithKeyID("k1"))},
			verifyKey: ec.Public(), alg: jose.ES256,
		},
		{
			name:      "private_key_jwt RS256",
			cfg:       okta.Config{Auth: revoke.PrivateKeyJWT(clientID, rk)},
			verifyKey: rk.Public(), alg: jose.RS256,
		},
		{
			name:     "public client (none): client_id in the body only",
			cfg:      okta.Config{Auth: revoke.PublicClient(clientID)},
			wantForm: url.Values{"client_id": {clientID}},
		},
	}
	servers := []struct {
		name, asID, path string
	}{
		{"org", "", "/oauth2/v1/revoke"},
		{"default", "default", "/oauth2/default/v1/revoke"},
		{"custom", "aus8w23example1d7", "/oauth2/aus8w23example1d7/v1/revoke"},
	}
	hints := []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken, revoke.HintDeviceSecret}
	for _, a := range auths {
		for _, s := range servers {
			for _, hint := range hints {
				t.Run(fmt.Sprintf("%s/%s/%s", a.name, s.name, hint), func(t *testing.T) {
					wantURL := org + s.path
					mt, got := mockRevoke(t, wantURL, http.StatusOK, "", nil)
					cfg := a.cfg
					cfg.Domain, cfg.AuthorizationServerID = "dev-123.okta.com", s.asID
					r := newRevoker(t, mt, cfg)
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil {
						t.Fatalf("Revoke: %v", err)
					}
					if res.StatusCode != http.StatusOK || res.Attempts != 1 {
						t.Errorf("result = %+v, want 200 after 1 attempt", res)
					}
					if len(*got) != 1 {
						t.Fatalf("%d requests, want 1", len(*got))
					}
					c := (*got)[0]
					if c.method != http.MethodPost || c.url != wantURL {
						t.Errorf("request = %s %s, want POST %s", c.method, c.url, wantURL)
					}
					if c.contentType != "application/x-www-form-urlencoded" || c.accept != "application/json" {
						t.Errorf("Content-Type, Accept = %q, %q", c.contentType, c.accept)
					}
					if c.ua != "revoke-go/"+revoke.Version {
						t.Errorf("User-Agent = %q", c.ua)
					}
					if c.authz != a.wantAuthz {
						t.Errorf("Authorization = %q, want %q", c.authz, a.wantAuthz)
					}
					want := url.Values{"token": {token}}
					if hint != "" {
						want.Set("token_type_hint", string(hint))
					}
					for k, v := range a.wantForm {
						want[k] = v
					}
					form := c.form
					if a.verifyKey != nil {
						checkAssertion(t, form.Get("client_assertion"), a.verifyKey, wantURL)
						if form.Get("client_assertion_type") != revoke.ClientAssertionType {
							t.Errorf("client_assertion_type = %q", form.Get("client_assertion_type"))
						}
						form = cloneWithout(form, "client_assertion", "client_assertion_type")
					}
					if form.Encode() != want.Encode() {
						t.Errorf("form = %s, want %s", form.Encode(), want.Encode())
					}
				})
			}
		}
	}
}

func cloneWithout(v url.Values, keys ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// TestAssertionIsFreshPerAttempt checks that a retried request carries a
// new client assertion (Okta rejects a replayed jti).
func TestAssertionIsFreshPerAttempt(t *testing.T) {
	ec, _ := keys(t)
	mt := httpmock.NewMockTransport()
	var jtis []string
	mt.RegisterResponder(http.MethodPost, org+"/oauth2/default/v1/revoke", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		f, _ := url.ParseQuery(string(b))
		tok, err := jwt.ParseSigned(f.Get("client_assertion"), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			t.Fatalf("assertion: %v", err)
		}
		var c jwt.Claims
		_ = tok.UnsafeClaimsWithoutVerification(&c)
		jtis = append(jtis, c.ID)
		if len(jtis) == 1 {
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, ""), nil
		}
		return httpmock.NewStringResponse(http.StatusOK, ""), nil
	})
	r := newRevoker(t, mt, okta.Config{Domain: org, AuthorizationServerID: "default", Auth: revoke.PrivateKeyJWT(clientID, ec)})
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if res.Attempts != 2 || len(jtis) != 2 || jtis[0] == jtis[1] {
		t.Errorf("attempts = %d, jtis = %q: want two attempts with distinct jti", res.Attempts, jtis)
	}
}

// TestEndpointDerivation covers every accepted way to name the server.
func TestEndpointDerivation(t *testing.T) {
	tests := []struct {
		name                     string
		cfg                      okta.Config
		wantEndpoint, wantIssuer string
		wantASID                 string
	}{
		{"bare domain", okta.Config{Domain: "dev-123.okta.com"}, org + "/oauth2/v1/revoke", org, ""},
		{"domain with scheme and slash", okta.Config{Domain: "https://dev-123.okta.com/"}, org + "/oauth2/v1/revoke", org, ""},
		{"domain in capitals", okta.Config{Domain: "Dev-123.OKTA.com"}, org + "/oauth2/v1/revoke", org, ""},
		{"custom domain", okta.Config{Domain: "login.example.com"}, "https://login.example.com/oauth2/v1/revoke", "https://login.example.com", ""},
		{"default AS", okta.Config{Domain: "dev-123.okta.com", AuthorizationServerID: "default"}, org + "/oauth2/default/v1/revoke", org + "/oauth2/default", "default"},
		{"custom AS", okta.Config{Domain: org, AuthorizationServerID: "aus8w23example1d7"}, org + "/oauth2/aus8w23example1d7/v1/revoke", org + "/oauth2/aus8w23example1d7", "aus8w23example1d7"},
		{"org issuer", okta.Config{Issuer: org}, org + "/oauth2/v1/revoke", org, ""},
		{"org issuer with slash", okta.Config{Issuer: org + "/"}, org + "/oauth2/v1/revoke", org, ""},
		{"default issuer", okta.Config{Issuer: org + "/oauth2/default"}, org + "/oauth2/default/v1/revoke", org + "/oauth2/default", "default"},
		{"custom issuer with slash", okta.Config{Issuer: org + "/oauth2/aus8w23example1d7/"}, org + "/oauth2/aus8w23example1d7/v1/revoke", org + "/oauth2/aus8w23example1d7", "aus8w23example1d7"},
		{"issuer and matching AS ID", okta.Config{Issuer: org + "/oauth2/default", AuthorizationServerID: "default"}, org + "/oauth2/default/v1/revoke", org + "/oauth2/default", "default"},
		{"loopback http (emulator)", okta.Config{Domain: "http://127.0.0.1:8080"}, "http://127.0.0.1:8080/oauth2/v1/revoke", "http://127.0.0.1:8080", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.ClientID, tc.cfg.ClientSecret = clientID, secret
			r, err := okta.New(tc.cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if r.Endpoint() != tc.wantEndpoint || r.Issuer() != tc.wantIssuer || r.AuthorizationServerID() != tc.wantASID {
				t.Errorf("endpoint, issuer, AS = %q, %q, %q; want %q, %q, %q", r.Endpoint(), r.Issuer(), r.AuthorizationServerID(), tc.wantEndpoint, tc.wantIssuer, tc.wantASID)
			}
			if r.AuthMethod() != revoke.MethodClientSecretBasic || r.ClientID() != clientID {
				t.Errorf("method, client = %q, %q", r.AuthMethod(), r.ClientID())
			}
		})
	}
}

// TestNewBadInput checks that every bad configuration is a ConfigError
// naming the field and the fix, never a panic, and never shows the secret.
func TestNewBadInput(t *testing.T) {
	ec, _ := keys(t)
	creds := func(c okta.Config) okta.Config {
		if c.Auth == nil && c.ClientID == "" && c.ClientSecret == "" {
			c.ClientID, c.ClientSecret = clientID, secret
		}
		return c
	}
	tests := []struct {
		name      string
		cfg       okta.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		{"no domain or issuer", okta.Config{}, nil, "okta.Config.Domain", "dev-123.okta.com", nil},
		{"domain and issuer", okta.Config{Domain: "dev-123.okta.com", Issuer: org}, nil, "okta.Config.Issuer", "not both", nil},
		{"domain with space", okta.Config{Domain: "dev-123 .okta.com"}, nil, "okta.Config.Domain", "white space", nil},
		{"domain with trailing newline", okta.Config{Domain: "dev-123.okta.com\n"}, nil, "okta.Config.Domain", "white space", nil},
		{"domain with bad character", okta.Config{Domain: "dev_123.okta.com"}, nil, "okta.Config.Domain", "'_'", nil},
		{"domain with empty label", okta.Config{Domain: "dev-123..okta.com"}, nil, "okta.Config.Domain", "empty label", nil},
		{"domain with path", okta.Config{Domain: "https://dev-123.okta.com/oauth2/default"}, nil, "okta.Config.Domain", "AuthorizationServerID", nil},
		{"domain with other path", okta.Config{Domain: "dev-123.okta.com/app"}, nil, "okta.Config.Domain", "only the host", nil},
		{"domain with query", okta.Config{Domain: "dev-123.okta.com/?x=1"}, nil, "okta.Config.Domain", "query", nil},
		{"domain with user info", okta.Config{Domain: "https://user:pw@dev-123.okta.com"}, nil, "okta.Config.Domain", "user info", nil},
		{"domain with fragment", okta.Config{Domain: "dev-123.okta.com#x"}, nil, "okta.Config.Domain", "fragment", nil},
		{"domain with ftp scheme", okta.Config{Domain: "ftp://dev-123.okta.com"}, nil, "okta.Config.Domain", "scheme", nil},
		{"plain http to a remote host", okta.Config{Domain: "http://dev-123.okta.com"}, nil, "okta.Config.Domain", "clear text", revoke.ErrInsecureEndpoint},
		{"AS ID with slash", okta.Config{Domain: org, AuthorizationServerID: "oauth2/default"}, nil, "okta.Config.AuthorizationServerID", "contains '/'", nil},
		{"AS ID with space", okta.Config{Domain: org, AuthorizationServerID: "my server"}, nil, "okta.Config.AuthorizationServerID", "' '", nil},
		{"AS ID with dot dot", okta.Config{Domain: org, AuthorizationServerID: ".."}, nil, "okta.Config.AuthorizationServerID", "'.'", nil},
		{"AS ID with query", okta.Config{Domain: org, AuthorizationServerID: "default?x"}, nil, "okta.Config.AuthorizationServerID", "'?'", nil},
		{"AS ID with percent", okta.Config{Domain: org, AuthorizationServerID: "a%2Fb"}, nil, "okta.Config.AuthorizationServerID", "'%'", nil},
		{"issuer without scheme", okta.Config{Issuer: "dev-123.okta.com/oauth2/default"}, nil, "okta.Config.Issuer", "not a URL", nil},
		{"issuer with non-Okta path", okta.Config{Issuer: org + "/oauth2/default/v1"}, nil, "okta.Config.Issuer", "not an Okta issuer path", nil},
		{"issuer contradicting AS ID", okta.Config{Issuer: org + "/oauth2/default", AuthorizationServerID: "aus1"}, nil, "okta.Config.AuthorizationServerID", "contradicts", nil},
		{"org issuer with AS ID", okta.Config{Issuer: org, AuthorizationServerID: "default"}, nil, "okta.Config.AuthorizationServerID", "org authorization server", nil},
		{"missing client ID", okta.Config{Domain: org, ClientSecret: secret}, nil, "okta.Config.ClientID", "is empty", nil},
		{"empty secret", okta.Config{Domain: org, ClientID: clientID}, nil, "okta.Config.ClientSecret", "revoke.PublicClient", nil},
		{"secret with trailing newline", okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret + "\n"}, nil, "okta.Config.ClientSecret", "white space", nil},
		{"secret and Auth", okta.Config{Domain: org, ClientSecret: secret, Auth: revoke.PublicClient(clientID)}, nil, "okta.Config.ClientSecret", "not both", nil},
		{"client ID differs from Auth", okta.Config{Domain: org, ClientID: "other", Auth: revoke.PublicClient(clientID)}, nil, "okta.Config.ClientID", "differs", nil},
		{"invalid Auth", okta.Config{Domain: org, Auth: revoke.ClientSecretPost(clientID, "")}, nil, "okta.Config.Auth (ClientSecretPost)", "secret is empty", nil},
		{"issuer audience", okta.Config{Domain: org, AuthorizationServerID: "default", Auth: revoke.PrivateKeyJWT(clientID, ec, revoke.WithAudience(revoke.AudienceIssuer))}, nil, "okta.Config.Auth", org + "/oauth2/default\"", nil},
		{"token endpoint audience", okta.Config{Domain: org, Auth: revoke.ClientSecretJWT(clientID, hmac, revoke.WithAudience(revoke.AudienceTokenEndpoint))}, nil, "okta.Config.Auth", "/oauth2/v1/token", nil},
		{"fixed wrong audience", okta.Config{Domain: org, Auth: revoke.PrivateKeyJWT(clientID, ec, revoke.WithAudienceValue("https://elsewhere"))}, nil, "okta.Config.Auth", "The audience claim", nil},
		{"bad option", okta.Config{Domain: org}, []revoke.Option{revoke.WithHTTPClient(nil)}, "WithHTTPClient", "nil", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := okta.New(creds(tc.cfg), tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, secret, hmac)
		})
	}
}

// TestAudienceEndpointExplicit accepts the explicit default and a fixed
// audience equal to the revoke URL.
func TestAudienceEndpointExplicit(t *testing.T) {
	ec, _ := keys(t)
	for _, auth := range []revoke.ClientAuth{
		revoke.PrivateKeyJWT(clientID, ec, revoke.WithAudience(revoke.AudienceEndpoint)),
		revoke.PrivateKeyJWT(clientID, ec, revoke.WithAudienceValue(org+"/oauth2/default/v1/revoke")),
		revoke.ClientCredentials(clientID, secret),
	} {
		if _, err := okta.New(okta.Config{Domain: org, AuthorizationServerID: "default", Auth: auth}); err != nil {
			t.Errorf("New with %v: %v", auth, err)
		}
	}
}

func golden(t *testing.T, name string) string { t.Helper(); return testkit.Golden(t, name) }

// TestErrorMapping serves Okta's documented error bodies and checks the
// classification and every field of the resulting *revoke.Error.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		file      string
		status    int
		wantKind  error
		wantCode  string
		wantDesc  string
		wantReqID string
	}{
		{"revoke-400-missing-token.json", 400, revoke.ErrInvalidRequest, "invalid_request", "The `token` parameter is required.", "req-1"},
		{"revoke-400-assertion-type.json", 400, revoke.ErrInvalidRequest, "invalid_request", "The `client_assertion_type` is invalid.", "req-1"},
		{"revoke-400-multiple-creds.json", 400, revoke.ErrInvalidRequest, "invalid_request", "Can't supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a `client_assertion` in the post body.", "req-1"},
		{"revoke-401-no-creds.json", 401, revoke.ErrInvalidClient, "invalid_client", "No client credentials found", "req-1"},
		{"revoke-401-invalid-secret.json", 401, revoke.ErrInvalidClient, "invalid_client", "The client secret supplied for a confidential client is invalid.", "req-1"},
		{"revoke-401-invalid-client-id.json", 401, revoke.ErrInvalidClient, "invalid_client", "Invalid value for the `client_id` parameter", "req-1"},
		{"revoke-401-assertion-audience.json", 401, revoke.ErrInvalidClient, "invalid_client", "The audience claim for client_assertion must be the endpoint invoked for the request.", "req-1"},
		{"revoke-429-e0000047.json", 429, revoke.ErrRateLimited, "E0000047", "You exceeded the maximum number of requests. Try again in a while.", "sampleQPivGUj_ND5v78vbYWW"},
		{"revoke-429-e0000047-management.json", 429, revoke.ErrRateLimited, "E0000047", "API call exceeded rate limit due to too many requests.", "sampleQPivGUj_ND5v78vbYWW"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			endpoint := org + "/oauth2/default/v1/revoke"
			mt, got := mockRevoke(t, endpoint, tc.status, golden(t, tc.file), http.Header{
				"Content-Type": {"application/json"}, "X-Okta-Request-Id": {"req-1"}})
			r := newRevoker(t, mt, okta.Config{Domain: org, AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret}, revoke.WithoutRetry())
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			e := testkit.WantError(t, err, tc.wantKind)
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.RequestID != tc.wantReqID {
				t.Errorf("error = {%d %q %q %q}; want {%d %q %q %q}", e.StatusCode, e.Code, e.Description, e.RequestID, tc.status, tc.wantCode, tc.wantDesc, tc.wantReqID)
			}
			if e.Op != "okta revoke" || e.Endpoint != endpoint || e.Attempts != 1 {
				t.Errorf("op, endpoint, attempts = %q, %q, %d", e.Op, e.Endpoint, e.Attempts)
			}
			if len(*got) != 1 {
				t.Errorf("%d requests, want 1", len(*got))
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows a secret", err)
			}
		})
	}
}

// TestRateLimitReported reads Okta's three headers into Result.RateLimit,
// with the reset measured against the response Date.
func TestRateLimitReported(t *testing.T) {
	serverNow := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	reset := serverNow.Add(42 * time.Second)
	mt, _ := mockRevoke(t, org+"/oauth2/v1/revoke", http.StatusOK, "", http.Header{
		"Date":                   {serverNow.Format(http.TimeFormat)},
		"X-Rate-Limit-Limit":     {"600"},
		"X-Rate-Limit-Remaining": {"599"},
		"X-Rate-Limit-Reset":     {strconv.FormatInt(reset.Unix(), 10)},
		"X-Okta-Request-Id":      {"reqid-42"},
	})
	r := newRevoker(t, mt, okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret})
	before := time.Now()
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	rl := res.RateLimit
	if rl == nil || rl.Limit != 600 || rl.Remaining != 599 {
		t.Fatalf("RateLimit = %+v, want limit 600, remaining 599", rl)
	}
	// 42s after the local time the response arrived, whatever the server
	// clock says.
	if d := rl.Reset.Sub(before); d < 41*time.Second || d > 43*time.Second {
		t.Errorf("Reset is %s after the request, want about 42s", d)
	}
	if res.RequestID != "reqid-42" {
		t.Errorf("RequestID = %q", res.RequestID)
	}
}

// TestRateLimitedBeyondCap: a 429 whose reset is further away than the
// retry cap returns at once with ErrRateLimited and the server's wait
// (reset − Date + 1s, as Okta recommends) instead of sleeping.
func TestRateLimitedBeyondCap(t *testing.T) {
	serverNow := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	hdr := http.Header{
		"Content-Type":           {"application/json"},
		"Date":                   {serverNow.Format(http.TimeFormat)},
		"X-Rate-Limit-Limit":     {"600"},
		"X-Rate-Limit-Remaining": {"0"},
		"X-Rate-Limit-Reset":     {strconv.FormatInt(serverNow.Add(10*time.Second).Unix(), 10)},
	}
	tests := []struct {
		name string
		opts []revoke.Option
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"over MaxWait", []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: 5 * time.Second})},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }},
		{"over the context deadline", []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: time.Minute})},
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 2*time.Second)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt, got := mockRevoke(t, org+"/oauth2/v1/revoke", http.StatusTooManyRequests, golden(t, "revoke-429-e0000047.json"), hdr)
			r := newRevoker(t, mt, okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, tc.opts...)
			ctx, cancel := tc.ctx()
			defer cancel()
			start := time.Now()
			_, err := r.Revoke(ctx, revoke.Request{Token: token})
			e := testkit.WantError(t, err, revoke.ErrRateLimited)
			if e.RetryAfter != 11*time.Second || e.Code != "E0000047" || e.StatusCode != 429 || e.Attempts != 1 {
				t.Errorf("error = %+v; want RetryAfter 11s, E0000047, 429, 1 attempt", e)
			}
			if len(*got) != 1 {
				t.Errorf("%d requests, want 1 (no retry)", len(*got))
			}
			if el := time.Since(start); el > time.Second {
				t.Errorf("returned after %s: it slept", el)
			}
		})
	}
}

// TestRetryOn503 retries a 503 without a wait signal with short backoff.
func TestRetryOn503(t *testing.T) {
	mt := httpmock.NewMockTransport()
	n := 0
	mt.RegisterResponder(http.MethodPost, org+"/oauth2/v1/revoke", func(*http.Request) (*http.Response, error) {
		n++
		if n < 3 {
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, "<html>busy</html>"), nil
		}
		return httpmock.NewStringResponse(http.StatusOK, ""), nil
	})
	r := newRevoker(t, mt, okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret})
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil || res.Attempts != 3 || n != 3 {
		t.Fatalf("res, err, requests = %+v, %v, %d; want success on the third attempt", res, err, n)
	}
}

// TestEmulatorRoundTrip revokes through the adapter against the Okta
// emulator over real HTTP, for every authentication method, on the org and
// default authorization servers.
func TestEmulatorRoundTrip(t *testing.T) {
	ec, _ := keys(t)
	fake := oktatest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "basic-app", Secret: secret, Method: "client_secret_basic"})
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: secret, Method: "client_secret_post"})
	fake.AddClient(revoketest.Client{ID: "hmac-app", Secret: hmac, Method: "client_secret_jwt"})
	fake.AddClient(revoketest.Client{ID: "key-app", PublicKey: ec.Public(), Method: "private_key_jwt"})
	fake.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	cases := []struct {
		name string
		cfg  okta.Config
	}{
		{"basic", okta.Config{ClientID: "basic-app", ClientSecret: secret}},
		{"post", okta.Config{Auth: revoke.ClientSecretPost("post-app", secret)}},
		{"client_secret_jwt", okta.Config{Auth: revoke.ClientSecretJWT("hmac-app", hmac)}},
		{"private_key_jwt", okta.Config{Auth: revoke.PrivateKeyJWT("key-app", ec, revoke.WithKeyID("k1"))}},
		{"public", okta.Config{Auth: revoke.PublicClient("spa")}},
	}
	for _, c := range cases {
		for _, asID := range []string{"", "default"} {
			t.Run(c.name+"/"+asID, func(t *testing.T) {
				cfg := c.cfg
				cfg.Domain, cfg.AuthorizationServerID = srv.URL, asID
				r, err := okta.New(cfg, fastRetry)
				if err != nil {
					t.Fatal(err)
				}
				id := r.ClientID()
				p := fake.IssueFor(asID, id, "alice")
				// Access token first: its refresh token stays active.
				res, err := r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken})
				if err != nil {
					t.Fatalf("revoke access token: %v", err)
				}
				if fake.Active(p.AccessToken) || !fake.Active(p.RefreshToken) {
					t.Errorf("after revoking the access token: access %v, refresh %v; want false, true", fake.Active(p.AccessToken), fake.Active(p.RefreshToken))
				}
				if res.RateLimit == nil || res.RateLimit.Limit != oktatest.DefaultRateLimit || res.RequestID == "" {
					t.Errorf("result = %+v, want rate limit and request id", res)
				}
				// The refresh token takes its access token with it.
				q := fake.IssueFor(asID, id, "bob")
				if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{RefreshToken: q.RefreshToken}); err != nil {
					t.Fatalf("revoke refresh token: %v", err)
				}
				if fake.Active(q.AccessToken) || fake.Active(q.RefreshToken) {
					t.Error("revoking the refresh token left a token active")
				}
				// Unknown tokens are a success too.
				if _, err := r.Revoke(context.Background(), revoke.Request{Token: "never-issued"}); err != nil {
					t.Errorf("unknown token: %v", err)
				}
			})
		}
	}
}

// TestEmulatorDeviceSecret revokes a device secret with its hint.
func TestEmulatorDeviceSecret(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := oktatest.Register(mt, org)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	ds := fake.IssueDeviceSecret(clientID, "alice")
	r := newRevoker(t, mt, okta.Config{Domain: org, AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: ds, Hint: revoke.HintDeviceSecret}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(ds) {
		t.Error("device secret still active")
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Form.Get("token_type_hint") != "device_secret" {
		t.Errorf("requests = %+v", reqs)
	}
}

// TestEmulatorErrorsThroughAdapter drives the emulator's error answers
// through the adapter's classification.
func TestEmulatorErrorsThroughAdapter(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := oktatest.Register(mt, org)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	fake.RateLimit = 1
	fake.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 10, 0, time.UTC) }

	wrong := newRevoker(t, mt, okta.Config{Domain: org, ClientID: clientID, ClientSecret: "wrong-secret"}, revoke.WithoutRetry())
	_, err := wrong.Revoke(context.Background(), revoke.Request{Token: token})
	var e *revoke.Error
	if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.Description != oktatest.DescInvalidSecret {
		t.Fatalf("wrong secret: %v", err)
	}
	// The window of one request is spent: 429 E0000047, wait until the
	// next minute (50s) plus one second.
	good := newRevoker(t, mt, okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret})
	_, err = good.Revoke(context.Background(), revoke.Request{Token: token})
	if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.Code != "E0000047" || e.RetryAfter != 51*time.Second || e.RequestID == "" {
		t.Fatalf("rate limited: %v (%+v)", err, e)
	}
}

// TestSecretHygiene prints every exported value that holds a secret with
// every verb, logs a failing call with slog, and checks that no secret or
// token appears anywhere.
func TestSecretHygiene(t *testing.T) {
	ec, _ := keys(t)
	var logs testkit.Logs
	logger := logs.Logger()
	configs := []struct {
		cfg  okta.Config
		sent string // the secret this configuration sends, which the server echoes
	}{
		{okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, secret},
		{okta.Config{Domain: org, Auth: revoke.ClientSecretPost(clientID, secret)}, secret},
		{okta.Config{Domain: org, Auth: revoke.ClientSecretJWT(clientID, hmac)}, hmac},
		{okta.Config{Domain: org, Auth: revoke.PrivateKeyJWT(clientID, ec)}, ""},
	}
	var printed []string
	for _, c := range configs {
		// A hostile or careless server echoes the credentials and the token.
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodPost, org+"/oauth2/v1/revoke", func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			f, _ := url.ParseQuery(string(b))
			echo := fmt.Sprintf("bad client %s assertion %s header %s token %s", c.sent, f.Get("client_assertion"), r.Header.Get("Authorization"), f.Get("token"))
			return httpmock.NewJsonResponse(http.StatusUnauthorized, map[string]string{"error": "invalid_client", "error_description": echo})
		})
		r := newRevoker(t, mt, c.cfg, revoke.WithLogger(logger), revoke.WithoutRetry())
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			printed = append(printed, fmt.Sprintf(verb, r), fmt.Sprintf(verb, *r), fmt.Sprintf(verb, c.cfg), fmt.Sprintf(verb, &c.cfg))
		}
		logger.Info("configured", "revoker", r, "config", c.cfg)
		_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
		if err == nil {
			t.Fatal("want an error")
		}
		logger.Error("revoke failed", "err", err)
		printed = append(printed, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}
	printed = append(printed, logs.String())
	for _, p := range printed {
		for _, s := range []string{secret, url.QueryEscape(secret), hmac, token, ec.D.String(), "eyJhbGciOi", testkit.Basic(clientID, url.QueryEscape(secret))} {
			if strings.Contains(p, s) {
				t.Errorf("output shows a secret %q:\n%s", s, p)
			}
		}
	}
	if !strings.Contains(printed[0], "client_secret_basic") || !strings.Contains(fmt.Sprintf("%#v", configs[0].cfg), `ClientSecret:[REDACTED]`) {
		t.Errorf("redacted prints lost their useful parts: %s / %#v", printed[0], configs[0].cfg)
	}
}

// FuzzNew feeds arbitrary domains, issuers and server IDs to New: it never
// panics, and whatever it accepts yields an https (or loopback http)
// endpoint on one of Okta's two revoke paths, on the host it was given.
func FuzzNew(f *testing.F) {
	for _, s := range [][3]string{
		{"dev-123.okta.com", "", ""}, {"https://dev-123.okta.com/", "default", ""}, {"", "", org + "/oauth2/default"},
		{"dev-123.okta.com/oauth2/default", "", ""}, {"http://127.0.0.1:8080", "aus1", ""}, {"d", "a/b", ""},
		{"", "", "https://x.okta.com/oauth2/"}, {"xn--bcher-kva.example", "default", ""}, {"[::1]:9", "", ""},
		{"dev-123.okta.com%2F..", "", ""}, {"", "x", "https://a.b/oauth2/x"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, domain, asID, issuer string) {
		r, err := okta.New(okta.Config{Domain: domain, AuthorizationServerID: asID, Issuer: issuer, ClientID: clientID, ClientSecret: secret})
		if err != nil {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field == "" || ce.Problem == "" {
				t.Fatalf("error %T %q is not a complete ConfigError", err, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error shows the secret: %q", err)
			}
			return
		}
		u, err := url.Parse(r.Endpoint())
		if err != nil {
			t.Fatalf("Endpoint %q does not parse: %v", r.Endpoint(), err)
		}
		if u.Scheme != "https" && u.Scheme != "http" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Endpoint %q", r.Endpoint())
		}
		want := "/oauth2/v1/revoke"
		if id := r.AuthorizationServerID(); id != "" {
			want = "/oauth2/" + id + "/v1/revoke"
		}
		if u.Path != want || u.RawPath != "" || !strings.HasPrefix(r.Issuer(), u.Scheme+"://"+u.Host) {
			t.Fatalf("Endpoint %q, issuer %q: want path %q", r.Endpoint(), r.Issuer(), want)
		}
	})
}

// BenchmarkRevoke measures one revocation through the adapter against an
// in-memory transport (client_secret_basic).
func BenchmarkRevoke(b *testing.B) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, org+"/oauth2/default/v1/revoke", httpmock.NewStringResponder(http.StatusOK, ""))
	r, err := okta.New(okta.Config{Domain: org, AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := revoke.Request{Token: token, Hint: revoke.HintRefreshToken}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Revoke(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRevokeEmulator measures a revocation the Okta emulator serves
// (authentication, state, rate-limit headers) behind httpmock.
func BenchmarkRevokeEmulator(b *testing.B) {
	mt := httpmock.NewMockTransport()
	fake := oktatest.Register(mt, org)
	fake.RateLimit = 1 << 30
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	r, err := okta.New(okta.Config{Domain: org, AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		p := fake.Issue(clientID, "alice")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil {
			b.Fatal(err)
		}
	}
}
