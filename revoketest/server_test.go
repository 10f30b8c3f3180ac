package revoketest_test

import (
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
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const reserved = "p@ss:w+rd%/= x"

func newAS(t *testing.T) (*revoketest.Server, *httptest.Server) {
	t.Helper()
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "basic", Secret: reserved, Method: "client_secret_basic"})
	as.AddClient(revoketest.Client{ID: "any", Secret: "s"})
	as.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	srv := httptest.NewServer(as)
	t.Cleanup(srv.Close)
	return as, srv
}

type answer struct {
	status int
	body   map[string]any
	header http.Header
}

func post(t *testing.T, url_, contentType, authz, body string) answer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url_, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &a.body)
	}
	return a
}

func basicRaw(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// TestRevocationEndpoint checks the emulator answers as the real servers in
// the peers reference do.
func TestRevocationEndpoint(t *testing.T) {
	as, srv := newAS(t)
	form := "application/x-www-form-urlencoded"
	encoded := testkit.Basic(url.QueryEscape("basic"), url.QueryEscape(reserved))
	tests := []struct {
		name        string
		contentType string
		authz       string
		body        func(p revoketest.Pair) string
		wantStatus  int
		wantCode    string
		wantDesc    string
		revoked     bool
	}{
		{"RFC-encoded Basic revokes", form, encoded, func(p revoketest.Pair) string { return "token=" + p.AccessToken }, 200, "", "", true},
		{"raw Basic with reserved characters is refused", form, basicRaw("basic", reserved), func(p revoketest.Pair) string { return "token=" + p.AccessToken }, 400, "invalid_request", "client_id and client_secret in the authorization header are not properly encoded", false},
		{"wrong secret", form, testkit.Basic(url.QueryEscape("basic"), url.QueryEscape("nope")), func(p revoketest.Pair) string { return "token=" + p.AccessToken }, 401, "invalid_client", "client authentication failed", false},
		{"Basic and client_secret both", form, encoded, func(p revoketest.Pair) string { return "token=" + p.AccessToken + "&client_secret=x" }, 400, "invalid_request", "client credentials must only be provided using one mechanism", false},
		{"no client authentication", form, "", func(p revoketest.Pair) string { return "token=" + p.AccessToken }, 400, "invalid_request", "no client authentication mechanism provided", false},
		{"missing token", form, encoded, func(revoketest.Pair) string { return "" }, 400, "invalid_request", "missing required parameter 'token'", false},
		{"token twice", form, encoded, func(p revoketest.Pair) string { return "token=" + p.AccessToken + "&token=x" }, 400, "invalid_request", "'token' parameter must not be provided twice", false},
		{"JSON body", "application/json", encoded, func(p revoketest.Pair) string { return `{"token":"` + p.AccessToken + `"}` }, 400, "invalid_request", "only application/x-www-form-urlencoded content-type bodies are supported", false},
		{"unknown token is still 200", form, encoded, func(revoketest.Pair) string { return "token=unknown" }, 200, "", "", false},
		{"hint is not binding", form, encoded, func(p revoketest.Pair) string { return "token=" + p.AccessToken + "&token_type_hint=refresh_token" }, 200, "", "", true},
		{"client_secret_basic-only client may not post", form, "", func(p revoketest.Pair) string {
			return "token=" + p.AccessToken + "&client_id=basic&client_secret=" + url.QueryEscape(reserved)
		}, 401, "invalid_client", "client authentication failed", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := as.Issue("basic", "alice")
			a := post(t, srv.URL+"/revoke", tc.contentType, tc.authz, tc.body(p))
			if a.status != tc.wantStatus {
				t.Fatalf("status = %d, want %d (%v)", a.status, tc.wantStatus, a.body)
			}
			if tc.wantCode != "" && (a.body["error"] != tc.wantCode || a.body["error_description"] != tc.wantDesc) {
				t.Errorf("body = %v, want %s: %s", a.body, tc.wantCode, tc.wantDesc)
			}
			if a.status == 401 && strings.HasPrefix(tc.authz, "Basic") && a.header.Get("WWW-Authenticate") == "" {
				t.Error("401 after Basic lacks WWW-Authenticate")
			}
			if as.Active(p.AccessToken) == tc.revoked {
				t.Errorf("access token active = %v, want %v", as.Active(p.AccessToken), !tc.revoked)
			}
		})
	}
}

func TestGrantSemantics(t *testing.T) {
	as, srv := newAS(t)
	enc := testkit.Basic(url.QueryEscape("any"), url.QueryEscape("s"))
	// Revoking the refresh token ends the access token too.
	p := as.Issue("any", "u")
	post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", enc, "token="+p.RefreshToken)
	if as.Active(p.RefreshToken) || as.Active(p.AccessToken) {
		t.Error("refresh revocation left a token active")
	}
	// Revoking the access token leaves the refresh token (RFC 7009 §2.1 allows either).
	p = as.Issue("any", "u")
	post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", enc, "token="+p.AccessToken)
	if as.Active(p.AccessToken) || !as.Active(p.RefreshToken) {
		t.Error("access revocation: want access inactive, refresh active")
	}
	// Another client's token is refused and stays active.
	other := as.Issue("basic", "u")
	a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", enc, "token="+other.AccessToken)
	if a.status != 400 || a.body["error"] != "unauthorized_client" || !as.Active(other.AccessToken) {
		t.Errorf("other client's token: %d %v active=%v", a.status, a.body, as.Active(other.AccessToken))
	}
	// Public client.
	p = as.Issue("spa", "u")
	if a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", "", "client_id=spa&token="+p.RefreshToken); a.status != 200 || as.Active(p.RefreshToken) {
		t.Errorf("public client: %d active=%v", a.status, as.Active(p.RefreshToken))
	}
	// Introspection reflects the state.
	p = as.Issue("any", "u")
	if a := post(t, srv.URL+"/introspect", "application/x-www-form-urlencoded", enc, "token="+p.AccessToken); a.body["active"] != true || a.body["client_id"] != "any" {
		t.Errorf("introspect active token: %v", a.body)
	}
	if a := post(t, srv.URL+"/introspect", "application/x-www-form-urlencoded", enc, "token=nope"); a.body["active"] != false {
		t.Errorf("introspect unknown token: %v", a.body)
	}
}

func TestAssertionChecks(t *testing.T) {
	as, srv := newAS(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	as.AddClient(revoketest.Client{ID: "jwt", PublicKey: key.Public(), Method: "private_key_jwt"})
	audiences := map[revoke.Audience]string{revoke.AudienceEndpoint: srv.URL + "/revoke", revoke.AudienceIssuer: "https://wrong.example.com", revoke.AudienceTokenEndpoint: srv.URL + "/token"}
	build := func(aud revoke.Audience) (string, string) {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		a, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: "jwt", Subject: "jwt", Audience: jwt.Audience{audiences[aud]},
			ID: fmt.Sprint(now.UnixNano()), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"client_assertion_type": {revoke.ClientAssertionType}, "client_assertion": {a}}
		return form.Encode(), a
	}
	p := as.Issue("jwt", "u")
	body, _ := build(revoke.AudienceEndpoint)
	if a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", "", body+"&token="+p.AccessToken); a.status != 200 {
		t.Fatalf("valid assertion: %d %v", a.status, a.body)
	}
	// Replay of the same assertion (same jti) is refused.
	if a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", "", body+"&token="+p.AccessToken); a.status != 401 || a.body["error_description"] != "client assertion tokens must only be used once" {
		t.Errorf("replayed jti: %d %v", a.status, a.body)
	}
	// Wrong audience.
	body, _ = build(revoke.AudienceIssuer)
	if a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", "", body+"&token=x"); a.status != 401 || a.body["error_description"] != "client assertion audience is invalid" {
		t.Errorf("wrong aud: %d %v", a.status, a.body)
	}
	// Token endpoint as audience is accepted.
	body, _ = build(revoke.AudienceTokenEndpoint)
	if a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", "", body+"&token=x"); a.status != 200 {
		t.Errorf("token endpoint aud: %d %v", a.status, a.body)
	}
}

func TestFaultsAndLog(t *testing.T) {
	as, srv := newAS(t)
	enc := testkit.Basic(url.QueryEscape("any"), url.QueryEscape("s"))
	as.FailNext(1, revoketest.ServiceUnavailable(2e9))
	as.FailNext(1, revoketest.RateLimited(http.Header{"X-Rate-Limit-Reset": {"1700000000"}}))
	as.FailNext(1, revoketest.InvalidClient())
	want := []struct {
		status int
		header string
		value  string
	}{{503, "Retry-After", "2"}, {429, "X-Rate-Limit-Reset", "1700000000"}, {401, "", ""}, {200, "", ""}}
	for i, w := range want {
		a := post(t, srv.URL+"/revoke", "application/x-www-form-urlencoded", enc, "token=t")
		if a.status != w.status || (w.header != "" && a.header.Get(w.header) != w.value) {
			t.Errorf("answer %d: %d %v, want %d %s=%s", i, a.status, a.header, w.status, w.header, w.value)
		}
	}
	reqs := as.Requests()
	if len(reqs) != 4 || reqs[3].Form.Get("token") != "t" || reqs[0].Status != 503 || reqs[3].Status != 200 || reqs[3].Header.Get("Authorization") != enc {
		t.Errorf("log = %+v", reqs)
	}
}

func TestDiscoveryDocument(t *testing.T) {
	_, srv := newAS(t)
	for _, path := range []string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var md map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&md)
		resp.Body.Close()
		if md["issuer"] != srv.URL || md["revocation_endpoint"] != srv.URL+"/revoke" || md["token_endpoint"] != srv.URL+"/token" {
			t.Errorf("%s: %v", path, md)
		}
	}
}
