package generic_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const (
	endpoint = "https://auth.example.com/oauth2/revoke"
	token    = "tok-3f9a.secret-value"
	// secret has every character RFC 6749 §2.3.1 form-encoding changes.
	secret = "p@ss:w+rd%/= x"
)

// captured is what one mocked request carried on the wire.
type captured struct {
	method, path, contentType, authz, ua string
	form                                 url.Values
	rawBody                              string
}

// mockEndpoint registers a responder on a fresh transport that records the
// request and answers status with body.
func mockEndpoint(t *testing.T, status int, body string, hdr http.Header) (*httpmock.MockTransport, *[]captured) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var got []captured
	mt.RegisterResponder(http.MethodPost, endpoint, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		if err != nil {
			t.Errorf("body is not form-encoded: %v", err)
		}
		got = append(got, captured{r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.Header.Get("User-Agent"), form, string(b)})
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range hdr {
			resp.Header[k] = v
		}
		return resp, nil
	})
	return mt, &got
}

func newRevoker(t *testing.T, mt *httpmock.MockTransport, auth revoke.ClientAuth, opts ...revoke.Option) *generic.Revoker {
	t.Helper()
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}),
		revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxWait: 50 * time.Millisecond})}, opts...)
	r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: auth, Issuer: "https://auth.example.com", TokenEndpoint: "https://auth.example.com/oauth2/token"}, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return r
}

// TestWireShape asserts the exact request every client authentication
// method puts on the wire.
func TestWireShape(t *testing.T) {
	tests := []struct {
		name      string
		auth      revoke.ClientAuth
		hint      revoke.TokenTypeHint
		wantAuthz string
		wantForm  url.Values
	}{
		{
			name: "client_secret_basic form-encodes id and secret (RFC 6749 §2.3.1)",
			auth: revoke.ClientSecretBasic("my client", secret), hint: revoke.HintRefreshToken,
			wantAuthz: testkit.Basic("my+client", "p%40ss%3Aw%2Brd%25%2F%3D+x"),
			wantForm:  url.Values{"token": {token}, "token_type_hint": {"refresh_token"}},
		},
		{
			name: "client_secret_basic raw sends the secret as is",
			auth: revoke.ClientSecretBasicRaw("client-1", secret), hint: revoke.HintAccessToken,
			wantAuthz: testkit.Basic("client-1", secret),
			wantForm:  url.Values{"token": {token}, "token_type_hint": {"access_token"}},
		},
		{
			name:     "client_secret_post puts credentials in the body only",
			auth:     revoke.ClientSecretPost("client-1", secret),
			wantForm: url.Values{"token": {token}, "client_id": {"client-1"}, "client_secret": {secret}},
		},
		{
			name: "none sends only client_id",
			auth: revoke.PublicClient("spa-1"), hint: revoke.HintDeviceSecret,
			wantForm: url.Values{"token": {token}, "token_type_hint": {"device_secret"}, "client_id": {"spa-1"}},
		},
		{
			name:      "ClientCredentials defaults to client_secret_basic",
			auth:      revoke.ClientCredentials("client-1", secret),
			wantAuthz: testkit.Basic("client-1", "p%40ss%3Aw%2Brd%25%2F%3D+x"),
			wantForm:  url.Values{"token": {token}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt, got := mockEndpoint(t, 200, "", nil)
			r := newRevoker(t, mt, tc.auth)
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: tc.hint})
			if err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if res.StatusCode != 200 || res.Attempts != 1 {
				t.Errorf("result = %+v, want status 200 after 1 attempt", res)
			}
			if len(*got) != 1 {
				t.Fatalf("%d requests, want 1", len(*got))
			}
			c := (*got)[0]
			if c.method != http.MethodPost || c.path != "/oauth2/revoke" {
				t.Errorf("request = %s %s, want POST /oauth2/revoke", c.method, c.path)
			}
			if c.contentType != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q", c.contentType)
			}
			if c.authz != tc.wantAuthz {
				t.Errorf("Authorization = %q, want %q", c.authz, tc.wantAuthz)
			}
			if c.ua != "revoke-go/"+revoke.Version {
				t.Errorf("User-Agent = %q", c.ua)
			}
			if c.form.Encode() != tc.wantForm.Encode() {
				t.Errorf("form = %s, want %s", c.form.Encode(), tc.wantForm.Encode())
			}
		})
	}
}

// TestBasicDecodesToSecret proves the RFC-encoded Basic header round-trips
// through a decoding server (the emulator), while the raw form does not.
func TestBasicDecodesToSecret(t *testing.T) {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "c1", Secret: secret})
	mt := httpmock.NewMockTransport()
	as.Register(mt, "https://as.example.com")
	for _, tc := range []struct {
		auth    revoke.ClientAuth
		wantErr error
	}{
		{revoke.ClientSecretBasic("c1", secret), nil},
		{revoke.ClientSecretBasicRaw("c1", secret), revoke.ErrInvalidRequest},
	} {
		r, err := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke", Auth: tc.auth}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		p := as.Issue("c1", "u")
		_, err = r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
		if !errors.Is(err, tc.wantErr) && !(err == nil && tc.wantErr == nil) {
			t.Errorf("%v: err = %v, want %v", tc.auth, err, tc.wantErr)
		}
		if as.Active(p.AccessToken) == (tc.wantErr == nil) {
			t.Errorf("%v: token active = %v after revoke", tc.auth, as.Active(p.AccessToken))
		}
	}
}

// verifyAssertion checks a client assertion's signature and claims.
func verifyAssertion(t *testing.T, form url.Values, key any, alg jose.SignatureAlgorithm, wantAud, wantKid string) jwt.Claims {
	t.Helper()
	if got := form.Get("client_assertion_type"); got != revoke.ClientAssertionType {
		t.Fatalf("client_assertion_type = %q", got)
	}
	if form.Has("client_secret") || form.Has("client_id") {
		t.Errorf("assertion request also sent client_id/client_secret: %v", form)
	}
	tok, err := jwt.ParseSigned(form.Get("client_assertion"), []jose.SignatureAlgorithm{alg})
	if err != nil {
		t.Fatalf("parse assertion: %v", err)
	}
	if h := tok.Headers[0]; h.KeyID != wantKid || h.Algorithm != string(alg) {
		t.Errorf("header kid=%q alg=%q, want %q %q", h.KeyID, h.Algorithm, wantKid, alg)
	}
	var c jwt.Claims
	if err := tok.Claims(key, &c); err != nil {
		t.Fatalf("signature does not verify: %v", err)
	}
	if c.Issuer != "client-1" || c.Subject != "client-1" {
		t.Errorf("iss/sub = %q/%q", c.Issuer, c.Subject)
	}
	if len(c.Audience) != 1 || c.Audience[0] != wantAud {
		t.Errorf("aud = %v, want %q", c.Audience, wantAud)
	}
	if c.ID == "" || c.Expiry == nil || c.IssuedAt == nil {
		t.Fatalf("missing jti/exp/iat: %+v", c)
	}
	if life := c.Expiry.Time().Sub(c.IssuedAt.Time()); life <= 0 || life > revoke.MaxAssertionLifetime {
		t.Errorf("lifetime %v out of (0, 5m]", life)
	}
	return c
}

func TestJWTAssertions(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	hmac := "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name    string
		auth    revoke.ClientAuth
		verify  any
		alg     jose.SignatureAlgorithm
		wantAud string
		kid     string
	}{
		{"RS256 default, audience = URL called", revoke.PrivateKeyJWT("client-1", rsaKey, revoke.WithKeyID("k1")), rsaKey.Public(), jose.RS256, endpoint, "k1"},
		{"PS256, audience = token endpoint", revoke.PrivateKeyJWT("client-1", rsaKey, revoke.WithAlgorithm("PS256"), revoke.WithAudience(revoke.AudienceTokenEndpoint)), rsaKey.Public(), jose.PS256, "https://auth.example.com/oauth2/token", ""},
		{"ES256, audience = issuer", revoke.PrivateKeyJWT("client-1", ecKey, revoke.WithAudience(revoke.AudienceIssuer)), ecKey.Public(), jose.ES256, "https://auth.example.com", ""},
		{"EdDSA, fixed audience", revoke.PrivateKeyJWT("client-1", edKey, revoke.WithAudienceValue("urn:aud")), edKey.Public(), jose.EdDSA, "urn:aud", ""},
		{"crypto.Signer from a KMS", revoke.PrivateKeyJWT("client-1", opaque{ecKey}), ecKey.Public(), jose.ES256, endpoint, ""},
		{"client_secret_jwt HS256", revoke.ClientSecretJWT("client-1", hmac), []byte(hmac), jose.HS256, endpoint, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt, got := mockEndpoint(t, 200, "", nil)
			r := newRevoker(t, mt, tc.auth)
			for i := 0; i < 2; i++ {
				if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
					t.Fatalf("Revoke: %v", err)
				}
			}
			c1 := verifyAssertion(t, (*got)[0].form, tc.verify, tc.alg, tc.wantAud, tc.kid)
			c2 := verifyAssertion(t, (*got)[1].form, tc.verify, tc.alg, tc.wantAud, tc.kid)
			if c1.ID == c2.ID {
				t.Errorf("jti reused across requests: %q", c1.ID)
			}
			if (*got)[0].authz != "" {
				t.Errorf("Authorization header sent with an assertion: %q", (*got)[0].authz)
			}
		})
	}
}

// opaque hides the concrete key type, as a KMS-backed signer does.
type opaque struct{ k *ecdsa.PrivateKey }

func (o opaque) Public() crypto.PublicKey { return o.k.Public() }
func (o opaque) Sign(r io.Reader, d []byte, op crypto.SignerOpts) ([]byte, error) {
	return o.k.Sign(r, d, op)
}

// TestFreshAssertionPerRetry proves a retried request carries a new jti, so
// servers that refuse replayed assertions (oidc-provider) accept the retry.
func TestFreshAssertionPerRetry(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	mt := httpmock.NewMockTransport()
	var jtis []string
	calls := 0
	mt.RegisterResponder(http.MethodPost, endpoint, func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		f, _ := url.ParseQuery(string(b))
		tok, err := jwt.ParseSigned(f.Get("client_assertion"), []jose.SignatureAlgorithm{jose.ES256})
		if err != nil {
			t.Fatalf("attempt %d: %v", calls, err)
		}
		var c jwt.Claims
		_ = tok.Claims(key.Public(), &c)
		jtis = append(jtis, c.ID)
		if r.ContentLength != int64(len(b)) {
			t.Errorf("Content-Length %d, body %d bytes", r.ContentLength, len(b))
		}
		calls++
		if calls == 1 {
			return httpmock.NewStringResponse(503, ""), nil
		}
		return httpmock.NewStringResponse(200, ""), nil
	})
	r := newRevoker(t, mt, revoke.PrivateKeyJWT("client-1", key))
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 || len(jtis) != 2 || jtis[0] == jtis[1] {
		t.Errorf("attempts=%d jtis=%v, want 2 distinct", res.Attempts, jtis)
	}
}

func TestBadInput(t *testing.T) {
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	good := revoke.ClientSecretBasic("id", "s3cr3t-value")
	tests := []struct {
		name   string
		cfg    generic.Config
		opts   []revoke.Option
		want   string
		wantIs error
	}{
		{"empty endpoint", generic.Config{Auth: good}, nil, "Endpoint: is empty", nil},
		{"relative endpoint", generic.Config{Endpoint: "/oauth2/revoke", Auth: good}, nil, "is not absolute", nil},
		{"scheme-less endpoint", generic.Config{Endpoint: "auth.example.com/revoke", Auth: good}, nil, "is not absolute", nil},
		{"plain http to a remote host", generic.Config{Endpoint: "http://auth.example.com/revoke", Auth: good}, nil, "WithInsecureHTTP", revoke.ErrInsecureEndpoint},
		{"credentials in the URL", generic.Config{Endpoint: "https://u:p@auth.example.com/revoke", Auth: good}, nil, "user info", nil},
		{"nil auth", generic.Config{Endpoint: endpoint}, nil, "Auth: is nil", nil},
		{"basic with empty secret", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretBasic("id", "")}, nil, "client secret is empty", nil},
		{"post with empty secret", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretPost("id", "")}, nil, "client secret is empty", nil},
		{"basic with empty id", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretBasic("", "s3cr3t-value")}, nil, "client ID is empty", nil},
		{"raw basic with ':' in id", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretBasicRaw("a:b", "s3cr3t-value")}, nil, "contains ':'", nil},
		{"RSA key under 2048 bits", generic.Config{Endpoint: endpoint, Auth: revoke.PrivateKeyJWT("id", weak)}, nil, "1024 bits", nil},
		{"nil key", generic.Config{Endpoint: endpoint, Auth: revoke.PrivateKeyJWT("id", nil)}, nil, "key is nil", nil},
		{"algorithm that does not fit the key", generic.Config{Endpoint: endpoint, Auth: revoke.PrivateKeyJWT("id", mustEC(t), revoke.WithAlgorithm("RS256"))}, nil, "does not fit", nil},
		{"assertion lifetime over 5 minutes", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretJWT("id", "0123456789abcdef0123456789abcdef", revoke.WithLifetime(time.Hour))}, nil, "at most 5m0s", nil},
		{"client_secret_jwt with a non-HMAC algorithm", generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretJWT("id", "0123456789abcdef0123456789abcdef", revoke.WithAlgorithm("RS256"))}, nil, "not an HMAC", nil},
		{"negative retry count", generic.Config{Endpoint: endpoint, Auth: good}, []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MaxRetries: -1})}, "negative value", nil},
		{"negative wait cap", generic.Config{Endpoint: endpoint, Auth: good}, []revoke.Option{revoke.WithRetry(revoke.RetryPolicy{MaxWait: -time.Second})}, "negative value", nil},
		{"nil HTTP client", generic.Config{Endpoint: endpoint, Auth: good}, []revoke.Option{revoke.WithHTTPClient(nil)}, "client is nil", nil},
		{"zero response limit", generic.Config{Endpoint: endpoint, Auth: good}, []revoke.Option{revoke.WithMaxResponseBytes(0)}, "not positive", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := generic.New(tc.cfg, tc.opts...)
			if err == nil {
				t.Fatalf("New succeeded (%v), want error containing %q", r, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *revoke.ConfigError", err)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
			}
			if strings.Contains(err.Error(), "p@ss") {
				t.Errorf("error leaks a secret: %q", err)
			}
		})
	}
}

func mustEC(t *testing.T) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestBadRequest(t *testing.T) {
	mt, got := mockEndpoint(t, 200, "", nil)
	r := newRevoker(t, mt, revoke.ClientSecretBasic("id", "s3cr3t-value"))
	tests := []struct {
		name string
		req  revoke.Request
		want string
	}{
		{"empty token", revoke.Request{}, "Request.Token: is empty"},
		{"token shorter than any vendor issues", revoke.Request{Token: "t"}, "is 1 bytes long"},
		{"token with a trailing newline", revoke.Request{Token: token + "\n"}, "stray newline"},
		{"hint that is no token type", revoke.Request{Token: token, Hint: "id token\r\n"}, "not a token type name"},
		{"params override the token", revoke.Request{Token: token, Params: url.Values{"token": {"x"}}}, `"token" is set by the SDK`},
		{"params override the token in capitals", revoke.Request{Token: token, Params: url.Values{"TOKEN": {"x"}}}, `"TOKEN" is set by the SDK`},
		{"params override auth", revoke.Request{Token: token, Params: url.Values{"client_secret": {"x"}}}, `"client_secret" is set by the SDK`},
		{"params override the hint in mixed case", revoke.Request{Token: token, Params: url.Values{"Token_Type_Hint": {"x"}}}, `"Token_Type_Hint" is set by the SDK`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Revoke(context.Background(), tc.req)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("err = %T %v: want a *revoke.ConfigError matching revoke.ErrInvalidRequest", err, err)
			}
		})
	}
	if len(*got) != 0 {
		t.Errorf("%d requests sent for bad input, want 0", len(*got))
	}
}

func TestExtraParams(t *testing.T) {
	mt, got := mockEndpoint(t, 200, "", nil)
	r := newRevoker(t, mt, revoke.ClientSecretBasic("id", "s3cr3t-value"))
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Params: url.Values{"resource": {"https://api"}}}); err != nil {
		t.Fatal(err)
	}
	if f := (*got)[0].form; f.Get("resource") != "https://api" || f.Get("token") != token {
		t.Errorf("form = %v", f)
	}
}

// TestErrorMapping: the sentinel follows the error code, not the status.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		header   http.Header
		want     error
		code     string
		desc     string
		attempts int
	}{
		{401, `{"error":"invalid_client","error_description":"client authentication failed"}`, http.Header{"Www-Authenticate": {"Basic"}}, revoke.ErrInvalidClient, "invalid_client", "client authentication failed", 1},
		{400, `{"error":"invalid_client","error_description":"bad secret"}`, nil, revoke.ErrInvalidClient, "invalid_client", "bad secret", 1},
		{400, `{"error":"invalid_request","error_description":"missing required parameter 'token'"}`, nil, revoke.ErrInvalidRequest, "invalid_request", "missing required parameter 'token'", 1},
		{400, `{"error":"unsupported_token_type","error_description":"revocation of the presented token type is not supported"}`, nil, revoke.ErrUnsupportedTokenType, "unsupported_token_type", "revocation of the presented token type is not supported", 1},
		{400, `{"error":"unauthorized_client"}`, nil, revoke.ErrUnauthorizedClient, "unauthorized_client", "", 1},
		{400, `{"error":"invalid_token","error_description":"Token expired or revoked"}`, nil, revoke.ErrInvalidToken, "invalid_token", "Token expired or revoked", 1},
		{400, "error=invalid_request&error_description=form+encoded", nil, revoke.ErrInvalidRequest, "invalid_request", "form encoded", 1},
		{500, `{"error":"server_error"}`, nil, revoke.ErrServer, "server_error", "", 1},
		{503, `{"error":"temporarily_unavailable"}`, nil, revoke.ErrUnavailable, "temporarily_unavailable", "", 4},
		// A vendor's own error shape is its adapter's business: through the
		// generic adapter, Okta's 429 body is an excerpt, and the status
		// still classifies it.
		{429, `{"errorCode":"E0000047","errorSummary":"You exceeded the maximum number of requests. Try again in a while.","errorLink":"E0000047","errorId":"sampleQPivGUj_ND5v78vbYWW","errorCauses":[]}`, nil, revoke.ErrRateLimited, "", "", 4},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			mt, _ := mockEndpoint(t, tc.status, tc.body, tc.header)
			r := newRevoker(t, mt, revoke.ClientSecretBasic("id", secret))
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not *revoke.Error", err)
			}
			if e.StatusCode != tc.status || e.Code != tc.code || e.Description != tc.desc || e.Attempts != tc.attempts {
				t.Errorf("got status=%d code=%q desc=%q attempts=%d", e.StatusCode, e.Code, e.Description, e.Attempts)
			}
			if e.Endpoint != endpoint || e.Op != "generic revoke" {
				t.Errorf("endpoint=%q op=%q", e.Endpoint, e.Op)
			}
			for _, s := range []string{token, secret} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error leaks %q: %s", s, err)
				}
			}
		})
	}
}

// TestHTMLErrorPage: an unexpected body becomes a typed error with a
// bounded excerpt; a server echoing the token has it scrubbed.
func TestHTMLErrorPage(t *testing.T) {
	page := "<html><body><h1>400 Bad Request</h1><p>token " + token + " rejected</p>" + strings.Repeat("x", 4096) + "</body></html>"
	mt, _ := mockEndpoint(t, 400, page, http.Header{"Content-Type": {"text/html"}})
	r := newRevoker(t, mt, revoke.ClientSecretBasic("id", secret))
	_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	e := testkit.WantError(t, err, revoke.ErrInvalidRequest)
	if !strings.HasPrefix(e.Excerpt, "<html><body><h1>400 Bad Request</h1>") || len(e.Excerpt) > 300 {
		t.Errorf("excerpt = %q (%d bytes)", e.Excerpt, len(e.Excerpt))
	}
	if strings.Contains(err.Error(), token) || !strings.Contains(e.Excerpt, revoke.Redacted) {
		t.Errorf("token not scrubbed from excerpt: %q", e.Excerpt)
	}
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name       string
		docs       map[string]string // path → body (404 when absent)
		auth       revoke.ClientAuth
		wantMethod string
		wantErr    string
	}{
		{"RFC 8414 first, basic preferred", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://as.example.com","revocation_endpoint":"https://as.example.com/revoke","revocation_endpoint_auth_methods_supported":["client_secret_post","client_secret_basic"]}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "client_secret_basic", ""},
		{"falls back to openid-configuration, post only", map[string]string{
			"/.well-known/openid-configuration": `{"issuer":"https://as.example.com","revocation_endpoint":"https://as.example.com/revoke","revocation_endpoint_auth_methods_supported":["client_secret_post"]}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "client_secret_post", ""},
		{"no methods listed means client_secret_basic", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://as.example.com","revocation_endpoint":"https://as.example.com/revoke"}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "client_secret_basic", ""},
		{"explicit method kept", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://as.example.com","revocation_endpoint":"https://as.example.com/revoke","revocation_endpoint_auth_methods_supported":["client_secret_basic"]}`,
		}, revoke.PublicClient("spa"), "none", ""},
		{"only private_key_jwt: credentials cannot be chosen", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://as.example.com","revocation_endpoint":"https://as.example.com/revoke","revocation_endpoint_auth_methods_supported":["private_key_jwt"]}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "", "supports none of client_secret_basic"},
		{"no revocation endpoint", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://as.example.com","token_endpoint":"https://as.example.com/token"}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "", "advertises no revocation_endpoint"},
		{"issuer mismatch", map[string]string{
			"/.well-known/oauth-authorization-server": `{"issuer":"https://evil.example.com","revocation_endpoint":"https://evil.example.com/revoke"}`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "", "does not match the requested issuer"},
		{"no metadata at all", map[string]string{}, revoke.ClientCredentials("c", "s3cr3t-value"), "", "no metadata for issuer"},
		{"metadata not JSON", map[string]string{
			"/.well-known/oauth-authorization-server": `<html>`,
		}, revoke.ClientCredentials("c", "s3cr3t-value"), "", "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var paths []string
			mt.RegisterRegexpResponder(http.MethodGet, regexp.MustCompile(`^https://as\.example\.com/`), func(r *http.Request) (*http.Response, error) {
				paths = append(paths, r.URL.Path)
				if r.Header.Get("Accept") != "application/json" {
					t.Errorf("Accept = %q", r.Header.Get("Accept"))
				}
				if b, ok := tc.docs[r.URL.Path]; ok {
					return httpmock.NewStringResponse(200, b), nil
				}
				return httpmock.NewStringResponse(404, "not found"), nil
			})
			r, err := generic.Discover(context.Background(), "https://as.example.com", tc.auth,
				revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithoutRetry())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.AuthMethod() != tc.wantMethod || r.Endpoint() != "https://as.example.com/revoke" {
				t.Errorf("method=%q endpoint=%q", r.AuthMethod(), r.Endpoint())
			}
			if paths[0] != "/.well-known/oauth-authorization-server" {
				t.Errorf("first path = %q", paths[0])
			}
		})
	}
}

// TestDiscoverChecksListedMethods: an explicit method that presents
// credentials must be one the server lists in
// revocation_endpoint_auth_methods_supported (RFC 8414 §2; RFC 8705 §2
// registers the certificate methods like any other) when it lists any;
// with no list, RFC 8414's default chooses ClientCredentials' method only,
// and an explicit method is used as given.
func TestDiscoverChecksListedMethods(t *testing.T) {
	// A TLS server, so that a certificate method can be built: the
	// transport that presents the certificate is an *http.Transport.
	var listed atomic.Value // the JSON list, or "" for none
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/oauth-authorization-server" {
			http.NotFound(w, r)
			return
		}
		d := `{"issuer":"https://` + r.Host + `","revocation_endpoint":"https://` + r.Host + `/revoke"`
		if m, _ := listed.Load().(string); m != "" {
			d += `,"revocation_endpoint_auth_methods_supported":` + m
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, d+`}`)
	}))
	defer srv.Close()
	cert := testkit.Certificate(t)
	key := testkit.ECKey(t)
	tests := []struct {
		name       string
		methods    string // the JSON list, or "" for none
		auth       revoke.ClientAuth
		wantMethod string
		wantErr    string
	}{
		{"tls_client_auth, only basic listed", `["client_secret_basic"]`, revoke.TLSClientAuth("c", cert), "",
			`method "tls_client_auth" is not one the server lists for its revocation endpoint (revocation_endpoint_auth_methods_supported ["client_secret_basic"], RFC 8414 §2)`},
		{"self_signed_tls_client_auth, tls_client_auth listed", `["client_secret_basic","tls_client_auth"]`, revoke.SelfSignedTLSClientAuth("c", cert), "", `"self_signed_tls_client_auth" is not one the server lists`},
		{"private_key_jwt not listed", `["client_secret_basic","client_secret_post"]`, revoke.PrivateKeyJWT("c", key), "", `"private_key_jwt" is not one the server lists`},
		{"post not listed", `["client_secret_basic"]`, revoke.ClientSecretPost("c", "s3cr3t-value"), "", `"client_secret_post" is not one the server lists`},
		{"tls_client_auth listed", `["client_secret_basic","tls_client_auth"]`, revoke.TLSClientAuth("c", cert), revoke.MethodTLSClientAuth, ""},
		{"private_key_jwt listed", `["private_key_jwt"]`, revoke.PrivateKeyJWT("c", key), revoke.MethodPrivateKeyJWT, ""},
		{"nothing listed: tls_client_auth as given", "", revoke.TLSClientAuth("c", cert), revoke.MethodTLSClientAuth, ""},
		{"nothing listed: post as given", "", revoke.ClientSecretPost("c", "s3cr3t-value"), revoke.MethodClientSecretPost, ""},
		{"empty list: private_key_jwt as given", `[]`, revoke.PrivateKeyJWT("c", key), revoke.MethodPrivateKeyJWT, ""},
		{"public client, not listed", `["client_secret_basic"]`, revoke.PublicClient("spa"), revoke.MethodNone, ""},
		{"no client authentication, not listed", `["client_secret_basic"]`, revoke.NoClientAuth(), revoke.MethodNoClientAuth, ""},
		{"ClientCredentials, nothing listed: RFC 8414 default", "", revoke.ClientCredentials("c", secret), revoke.MethodClientSecretBasic, ""},
		{"ClientCredentials, reserved characters, post listed", `["client_secret_basic","client_secret_post"]`, revoke.ClientCredentials("c", secret), revoke.MethodClientSecretPost, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			listed.Store(tc.methods)
			r, err := generic.Discover(context.Background(), srv.URL, tc.auth, revoke.WithHTTPClient(srv.Client()), revoke.WithoutRetry())
			if tc.wantErr != "" {
				testkit.WantConfigError(t, err, "generic.Config.Auth", tc.wantErr, nil, secret, "s3cr3t-value")
				if !strings.Contains(err.Error(), "generic.New") {
					t.Errorf("err = %v; want the fix, generic.New", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.AuthMethod() != tc.wantMethod {
				t.Errorf("AuthMethod() = %q, want %q", r.AuthMethod(), tc.wantMethod)
			}
		})
	}
}

func TestMetadataURLs(t *testing.T) {
	u, _ := url.Parse("https://as.example.com/tenant/a/")
	got := generic.MetadataURLs(u)
	want := []string{"https://as.example.com/.well-known/oauth-authorization-server/tenant/a", "https://as.example.com/tenant/a/.well-known/openid-configuration"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("url %d = %s, want %s", i, got[i], want[i])
		}
	}
}

// TestDiscoverEmulator discovers the emulator over a real socket and revokes.
func TestRoundTripEmulator(t *testing.T) {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "c1", Secret: secret})
	mt := httpmock.NewMockTransport()
	as.Register(mt, "https://as.example.com")
	r, err := generic.Discover(context.Background(), "https://as.example.com", revoke.ClientCredentials("c1", secret), revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	p := as.Issue("c1", "alice")
	if err := revoke.RevokeToken(context.Background(), r, oauth2Token(p)); err != nil {
		t.Fatal(err)
	}
	if as.Active(p.AccessToken) || as.Active(p.RefreshToken) {
		t.Error("tokens still active after RevokeToken")
	}
	reqs := as.Requests()
	last2 := reqs[len(reqs)-2:]
	if last2[0].Form.Get("token_type_hint") != "refresh_token" || last2[1].Form.Get("token_type_hint") != "access_token" {
		t.Errorf("order = %q then %q, want refresh then access", last2[0].Form.Get("token_type_hint"), last2[1].Form.Get("token_type_hint"))
	}
}

// TestEndpointQueryNeverPrinted: an endpoint whose query carries a key
// (some gateways want one) prints, logs and marshals with the query
// redacted, every way.
func TestEndpointQueryNeverPrinted(t *testing.T) {
	const key = "KEY-0123456789abcdef"
	r, err := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke?api_key=" + key, Auth: revoke.PublicClient("app")})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("r", "revoker", r, "value", *r)
	b, _ := json.Marshal(r)
	out := testkit.PrintAll(r) + testkit.PrintAll(*r) + logs.String() + string(b)
	testkit.NoLeak(t, "generic.Revoker", out, key)
	if !strings.Contains(string(b), "https://as.example.com/revoke") {
		t.Errorf("JSON %s lost the endpoint", b)
	}
}
