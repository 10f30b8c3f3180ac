package oktatest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
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

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

const oktaBase = "https://dev-1.okta.com"

func oktaB64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// serve sends one request to h as if it arrived at base+path over HTTPS.
func oktaServe(h http.Handler, method, base, path string, form url.Values, hdr http.Header) *http.Response {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, base+path, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func oktaBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signAssertion builds an RFC 7523 client assertion for clientID with
// audience aud, signed by key, as the body parameters carry it.
func signAssertion(t *testing.T, key *ecdsa.PrivateKey, clientID, aud string) url.Values {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	var jti [12]byte
	_, _ = rand.Read(jti[:])
	claims := jwt.Claims{Issuer: clientID, Subject: clientID, Audience: jwt.Audience{aud}, ID: base64.RawURLEncoding.EncodeToString(jti[:]),
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}
	a, err := jwt.Signed(sig).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"client_assertion_type": {revoke.ClientAssertionType}, "client_assertion": {a}}
}

func newOktaFixture(t *testing.T) (*oktatest.Server, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	o := oktatest.New()
	o.AddClient(revoketest.Client{ID: "web", Secret: "p@ss w+rd/="})
	o.AddClient(revoketest.Client{ID: "post-only", Secret: "post-secret", Method: "client_secret_post"})
	o.AddClient(revoketest.Client{ID: "svc", PublicKey: key.Public(), Method: "private_key_jwt"})
	o.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	return o, key
}

// TestOktaErrorAnswers checks every error the fake gives against
// Okta's documented bodies, byte for byte.
func TestOktaErrorAnswers(t *testing.T) {
	o, key := newOktaFixture(t)
	revokeURL := oktaBase + "/oauth2/default/v1/revoke"
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	withForm := func(extra url.Values) url.Values {
		f := url.Values{"token": {"tok"}}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	goodJWT := signAssertion(t, key, "svc", revokeURL)
	issuerJWT := signAssertion(t, key, "svc", oktaBase+"/oauth2/default")
	badType := signAssertion(t, key, "svc", revokeURL)
	badType.Set("client_assertion_type", "urn:wrong")
	tests := []struct {
		name   string
		form   url.Values
		hdr    http.Header
		status int
		golden string
	}{
		{"missing token", url.Values{}, basicWeb, 400, "revoke-400-missing-token.json"},
		{"no credentials", withForm(nil), nil, 401, "revoke-401-no-creds.json"},
		{"Basic and client_secret", withForm(url.Values{"client_id": {"web"}, "client_secret": {"x"}}), basicWeb, 400, "revoke-400-multiple-creds.json"},
		{"Basic and assertion", withForm(goodJWT), basicWeb, 400, "revoke-400-multiple-creds.json"},
		{"client_secret and assertion", withForm(url.Values{"client_secret": {"x"}, "client_assertion": goodJWT["client_assertion"], "client_assertion_type": goodJWT["client_assertion_type"]}), nil, 400, "revoke-400-multiple-creds.json"},
		{"bad assertion type", withForm(badType), nil, 400, "revoke-400-assertion-type.json"},
		{"issuer as audience", withForm(issuerJWT), nil, 401, "revoke-401-assertion-audience.json"},
		{"wrong secret", withForm(nil), http.Header{"Authorization": {"Basic " + oktaB64("web:nope")}}, 401, "revoke-401-invalid-secret.json"},
		{"raw Basic of a secret that needs encoding", withForm(nil), http.Header{"Authorization": {"Basic " + oktaB64("web:p@ss w+rd/=")}}, 401, "revoke-401-invalid-secret.json"},
		{"unknown client", withForm(nil), http.Header{"Authorization": {"Basic " + oktaB64("ghost:x")}}, 401, "revoke-401-invalid-client-id.json"},
		{"unknown public client", withForm(url.Values{"client_id": {"ghost"}}), nil, 401, "revoke-401-invalid-client-id.json"},
		{"confidential client without secret", withForm(url.Values{"client_id": {"web"}}), nil, 401, "revoke-401-invalid-secret.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/default/v1/revoke", tc.form, tc.hdr)
			body := oktaBody(t, resp)
			if resp.StatusCode != tc.status || body != testkit.AdapterGolden(t, tc.golden) {
				t.Errorf("answer = %d %s; want %d %s", resp.StatusCode, body, tc.status, testkit.AdapterGolden(t, tc.golden))
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			checkOktaRateHeaders(t, resp.Header)
		})
	}
}

func checkOktaRateHeaders(t *testing.T, h http.Header) {
	t.Helper()
	for _, k := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "Date", "X-Okta-Request-Id"} {
		if h.Get(k) == "" {
			t.Errorf("response lacks %s", k)
		}
	}
}

// TestOktaRevocationSemantics covers who may revoke what and what it takes
// with it.
func TestOktaRevocationSemantics(t *testing.T) {
	o, key := newOktaFixture(t)
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	post := func(path string, form url.Values, hdr http.Header) (int, string) {
		resp := oktaServe(o, http.MethodPost, oktaBase, path, form, hdr)
		return resp.StatusCode, oktaBody(t, resp)
	}
	ok := func(name, path string, form url.Values, hdr http.Header) {
		t.Helper()
		if status, body := post(path, form, hdr); status != http.StatusOK || body != "" {
			t.Errorf("%s: answer %d %q, want 200 with an empty body", name, status, body)
		}
	}

	p := o.IssueFor("default", "web", "alice")
	ok("revoke access token", "/oauth2/default/v1/revoke", url.Values{"token": {p.AccessToken}, "token_type_hint": {"access_token"}}, basicWeb)
	if o.Active(p.AccessToken) || !o.Active(p.RefreshToken) {
		t.Error("revoking an access token must leave its refresh token active (Okta)")
	}
	ok("revoke refresh token", "/oauth2/default/v1/revoke", url.Values{"token": {p.RefreshToken}}, basicWeb)
	if o.Active(p.RefreshToken) {
		t.Error("refresh token still active")
	}

	q := o.IssueFor("default", "web", "bob")
	ok("refresh token first", "/oauth2/default/v1/revoke", url.Values{"token": {q.RefreshToken}, "token_type_hint": {"refresh_token"}}, basicWeb)
	if o.Active(q.AccessToken) {
		t.Error("revoking a refresh token must revoke its access token")
	}

	// Tokens of another authorization server or client: 200, untouched.
	org := o.IssueFor("", "web", "carol")
	ok("token of another server", "/oauth2/default/v1/revoke", url.Values{"token": {org.RefreshToken}}, basicWeb)
	spaTok := o.IssueFor("default", "spa", "dave")
	ok("token of another client", "/oauth2/default/v1/revoke", url.Values{"token": {spaTok.RefreshToken}}, basicWeb)
	if !o.Active(org.RefreshToken) || !o.Active(spaTok.RefreshToken) {
		t.Error("a token of another server or client was revoked")
	}
	ok("unknown token", "/oauth2/v1/revoke", url.Values{"token": {"never-issued"}}, basicWeb)

	// Org server, public client both ways, private_key_jwt with aud = URL.
	ok("org token at the org server", "/oauth2/v1/revoke", url.Values{"token": {org.RefreshToken}}, basicWeb)
	ok("public client, Okta's Basic base64(client_id)", "/oauth2/default/v1/revoke", url.Values{"token": {spaTok.AccessToken}}, http.Header{"Authorization": {"Basic " + oktaB64("spa")}})
	ok("public client, client_id in the body", "/oauth2/default/v1/revoke", url.Values{"token": {spaTok.RefreshToken}, "client_id": {"spa"}}, nil)
	svc := o.IssueFor("aus9custom", "svc", "erin")
	f := signAssertion(t, key, "svc", oktaBase+"/oauth2/aus9custom/v1/revoke")
	f.Set("token", svc.RefreshToken)
	ok("private_key_jwt on a custom server", "/oauth2/aus9custom/v1/revoke", f, nil)
	if o.Active(org.RefreshToken) || o.Active(spaTok.AccessToken) || o.Active(spaTok.RefreshToken) || o.Active(svc.RefreshToken) {
		t.Error("a revoked token is still active")
	}
	// Replaying the same assertion fails: jti is single use.
	f.Set("token", "x")
	if status, _ := post("/oauth2/aus9custom/v1/revoke", f, nil); status != http.StatusUnauthorized {
		t.Errorf("replayed assertion: status %d, want 401", status)
	}
	// client_secret_post only client authenticating with Basic fails.
	if status, body := post("/oauth2/v1/revoke", url.Values{"token": {"x"}}, http.Header{"Authorization": {"Basic " + oktaB64("post-only:post-secret")}}); status != http.StatusUnauthorized || !strings.Contains(body, "invalid_client") {
		t.Errorf("method mismatch: %d %s", status, body)
	}
}

// TestOktaRouting covers unknown servers, methods, content types, hints and
// metadata.
func TestOktaRouting(t *testing.T) {
	o, _ := newOktaFixture(t)
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	tests := []struct {
		name       string
		method     string
		path       string
		form       url.Values
		hdr        http.Header
		wantStatus int
		wantInBody string
	}{
		{"unknown authorization server", http.MethodPost, "/oauth2/ausMissing/v1/revoke", url.Values{"token": {"t"}}, basicWeb, 404, `"errorCode":"E0000007"`},
		{"unknown path", http.MethodGet, "/oauth2/v1/keys", nil, nil, 404, `"errorSummary":"Not found: Resource not found: /oauth2/v1/keys (Resource)"`},
		{"GET on revoke", http.MethodGet, "/oauth2/v1/revoke", nil, nil, 405, `"errorCode":"E0000022"`},
		{"JSON body", http.MethodPost, "/oauth2/v1/revoke", nil, http.Header{"Content-Type": {"application/json"}}, 400, `"error":"invalid_request"`},
		{"unknown hint", http.MethodPost, "/oauth2/default/v1/revoke", url.Values{"token": {"t"}, "token_type_hint": {"id_token"}}, basicWeb, 400, "token_type_hint"},
		{"oauth_sts on a custom server", http.MethodPost, "/oauth2/default/v1/revoke", url.Values{"token": {"t"}, "token_type_hint": {"oauth_sts"}}, basicWeb, 400, "token_type_hint"},
		{"oauth_sts on the org server", http.MethodPost, "/oauth2/v1/revoke", url.Values{"token": {"t"}, "token_type_hint": {"oauth_sts"}}, basicWeb, 200, ""},
		{"org metadata", http.MethodGet, "/.well-known/openid-configuration", nil, nil, 200, `"revocation_endpoint":"https://dev-1.okta.com/oauth2/v1/revoke"`},
		{"default metadata", http.MethodGet, "/oauth2/default/.well-known/oauth-authorization-server", nil, nil, 200, `"issuer":"https://dev-1.okta.com/oauth2/default"`},
		{"management API without Admin", http.MethodGet, "/api/v1/users/00u1/clients", nil, nil, 404, `"errorCode":"E0000007"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := oktaServe(o, tc.method, oktaBase, tc.path, tc.form, tc.hdr)
			body := oktaBody(t, resp)
			if resp.StatusCode != tc.wantStatus || !strings.Contains(body, tc.wantInBody) {
				t.Errorf("answer = %d %s; want %d containing %s", resp.StatusCode, body, tc.wantStatus, tc.wantInBody)
			}
			checkOktaRateHeaders(t, resp.Header)
		})
	}
}

// TestOktaRateLimit spends a window, gets Okta's 429 with E0000047, and
// recovers when the window turns.
func TestOktaRateLimit(t *testing.T) {
	o, _ := newOktaFixture(t)
	now := time.Date(2026, 3, 4, 5, 6, 20, 0, time.UTC)
	o.Now = func() time.Time { return now }
	o.RateLimit = 2
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	wantReset := strconv.FormatInt(time.Date(2026, 3, 4, 5, 7, 0, 0, time.UTC).Unix(), 10)
	for i, want := range []struct {
		status    int
		remaining string
	}{{200, "1"}, {200, "0"}, {429, "0"}} {
		resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/v1/revoke", url.Values{"token": {"t"}}, basicWeb)
		body := oktaBody(t, resp)
		h := resp.Header
		if resp.StatusCode != want.status || h.Get("X-Rate-Limit-Limit") != "2" || h.Get("X-Rate-Limit-Remaining") != want.remaining || h.Get("X-Rate-Limit-Reset") != wantReset {
			t.Errorf("request %d: %d limit=%s remaining=%s reset=%s; want %d, 2, %s, %s", i+1, resp.StatusCode,
				h.Get("X-Rate-Limit-Limit"), h.Get("X-Rate-Limit-Remaining"), h.Get("X-Rate-Limit-Reset"), want.status, want.remaining, wantReset)
		}
		if h.Get("Date") != now.Format(http.TimeFormat) {
			t.Errorf("Date = %q", h.Get("Date"))
		}
		if want.status == 429 {
			var got, doc oktatest.Error
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			_ = json.Unmarshal([]byte(testkit.AdapterGolden(t, "revoke-429-e0000047.json")), &doc)
			if got.ErrorCode != doc.ErrorCode || got.ErrorSummary != doc.ErrorSummary || got.ErrorLink != doc.ErrorLink || got.ErrorID == "" || got.ErrorCauses == nil || len(got.ErrorCauses) != 0 {
				t.Errorf("429 body = %s; want the shape of %+v", body, doc)
			}
		}
	}
	now = now.Add(40 * time.Second) // 05:07:00, a new window
	resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/v1/revoke", url.Values{"token": {"t"}}, basicWeb)
	if resp.StatusCode != 200 || resp.Header.Get("X-Rate-Limit-Remaining") != "1" {
		t.Errorf("after the window turned: %d remaining %s", resp.StatusCode, resp.Header.Get("X-Rate-Limit-Remaining"))
	}
}

// TestOktaFaultsAndAdmin checks fault injection (with rate headers kept)
// and delegation of everything else to Admin.
func TestOktaFaultsAndAdmin(t *testing.T) {
	o, _ := newOktaFixture(t)
	o.FailNext(1, revoketest.ServiceUnavailable(2*time.Second))
	resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/v1/revoke", url.Values{"token": {"t"}}, nil)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "2" || resp.Header.Get("X-Rate-Limit-Limit") == "" {
		t.Errorf("fault = %d %v", resp.StatusCode, resp.Header)
	}
	var seen []string
	o.Admin = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		w.WriteHeader(http.StatusNoContent)
	})
	for _, p := range []string{"/api/v1/users/00u1/clients/0oa1/tokens", "/oauth2/v1/token"} {
		resp := oktaServe(o, http.MethodDelete, oktaBase, p, nil, nil)
		if resp.StatusCode != http.StatusNoContent {
			t.Errorf("%s: status %d, want Admin's 204", p, resp.StatusCode)
		}
	}
	if strings.Join(seen, ",") != "DELETE /api/v1/users/00u1/clients/0oa1/tokens,DELETE /oauth2/v1/token" {
		t.Errorf("Admin saw %q", seen)
	}
	if n := len(o.Requests()); n != 3 {
		t.Errorf("log has %d requests, want 3", n)
	}
}

// TestOktaDiscovery: generic.Discover finds the revocation endpoint of the
// default server through the emulator's metadata, and revokes there.
func TestOktaDiscovery(t *testing.T) {
	mt := httpmock.NewMockTransport()
	o := oktatest.Register(mt, oktaBase)
	o.AddClient(revoketest.Client{ID: "web", Secret: "s3cret-value"})
	p := o.IssueFor("default", "web", "alice")
	r, err := generic.Discover(context.Background(), oktaBase+"/oauth2/default", revoke.ClientCredentials("web", "s3cret-value"), revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Endpoint() != oktaBase+"/oauth2/default/v1/revoke" {
		t.Errorf("endpoint = %s", r.Endpoint())
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if o.Active(p.AccessToken) {
		t.Error("token still active")
	}
}

// A unit test of code that revokes Okta tokens: the fake answers on an
// httpmock transport, with no listener, and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := oktatest.Register(mt, "https://dev-123.okta.com")
	fake.AddClient(revoketest.Client{ID: "0oa1example", Secret: "s3cret-value"})
	tok := fake.IssueFor("default", "0oa1example", "alice")

	// The code under test, given an HTTP client that uses mt.
	r, _ := okta.New(okta.Config{Domain: "dev-123.okta.com", AuthorizationServerID: "default", ClientID: "0oa1example", ClientSecret: "s3cret-value"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	_, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})

	fmt.Println(err, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken))
	fmt.Println(fake.Requests()[0].Path)
	// Output:
	// <nil> false false
	// /oauth2/default/v1/revoke
}

// TestOversizedRequest: a body over revoketest.MaxRequestBytes is answered
// 413 and never acted on, and still logged.
func TestOversizedRequest(t *testing.T) {
	o, _ := newOktaFixture(t)
	p := o.IssueFor("default", "web", "alice")
	big := url.Values{"token": {p.RefreshToken}, "pad": {strings.Repeat("x", revoketest.MaxRequestBytes)}}
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/default/v1/revoke", big, basicWeb)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
	if !o.Active(p.RefreshToken) {
		t.Error("an oversized request was acted on")
	}
	if reqs := o.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusRequestEntityTooLarge {
		t.Errorf("log = %d requests", len(reqs))
	}
}

// TestDeviceSecretState: a device secret is an active token of its own kind
// until revoked with its hint.
func TestDeviceSecretState(t *testing.T) {
	o, _ := newOktaFixture(t)
	ds := o.IssueDeviceSecret("web", "alice")
	if info, ok := o.Lookup(ds); !ok || !info.Active || info.Kind != oktatest.KindDeviceSecret || info.ClientID != "web" || info.Subject != "alice" {
		t.Fatalf("device secret = %+v, %v", info, ok)
	}
	basicWeb := http.Header{"Authorization": {"Basic " + oktaB64("web:"+url.QueryEscape("p@ss w+rd/="))}}
	resp := oktaServe(o, http.MethodPost, oktaBase, "/oauth2/v1/revoke", url.Values{"token": {ds}, "token_type_hint": {"device_secret"}}, basicWeb)
	if resp.StatusCode != http.StatusOK || o.Active(ds) {
		t.Errorf("status %d, active %v", resp.StatusCode, o.Active(ds))
	}
}
