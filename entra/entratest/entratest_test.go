package entratest_test

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke/entra/entratest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const (
	appID  = "11112222-bbbb-3333-cccc-4444dddd5555"
	secret = "app-secret-value-0123"
	userID = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func do(t *testing.T, method, u, ct, authz, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if len(b) > 0 {
		_ = json.Unmarshal(b, &a.body)
	}
	return a
}

func newServer(t *testing.T) (*entratest.Server, *httptest.Server, *x509.Certificate) {
	key := testkit.RSAKey(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "app"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	fake := entratest.New()
	fake.AddApp(entratest.App{ClientID: appID, Secret: secret, Certificate: cert, Permissions: []string{entratest.PermissionRevokeSessions}})
	fake.AddUser(entratest.User{ID: userID, UserPrincipalName: "alice@contoso.com"})
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv, cert
}

func assertion(t *testing.T, header map[jose.HeaderKey]any, aud string, exp time.Time) string {
	opts := (&jose.SignerOptions{}).WithType("JWT")
	for k, v := range header {
		opts = opts.WithHeader(k, v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.PS256, Key: testkit.RSAKey(t)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := jwt.Signed(s).Claims(jwt.Claims{Issuer: appID, Subject: appID, Audience: jwt.Audience{aud}, ID: "jti-1", Expiry: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(time.Now())}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestTokenEndpoint covers the documented and inferred answers of the
// emulated token endpoint.
func TestTokenEndpoint(t *testing.T) {
	_, srv, cert := newServer(t)
	tokenURL := srv.URL + "/" + entratest.TenantID + "/oauth2/v2.0/token"
	sum := sha256.Sum256(cert.Raw)
	thumb := base64.RawURLEncoding.EncodeToString(sum[:])
	form := func(kv ...string) string {
		v := url.Values{"grant_type": {"client_credentials"}, "client_id": {appID}, "scope": {entratest.GraphScope}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v.Encode()
	}
	const formCT = "application/x-www-form-urlencoded"
	const jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	tests := []struct {
		name        string
		method, url string
		ct, authz   string
		body        string
		status      int
		code        string
		aadsts      float64
	}{
		{"secret", "POST", tokenURL, formCT, "", form("client_secret", secret), 200, "", 0},
		{"secret by domain", "POST", srv.URL + "/contoso.onmicrosoft.com/oauth2/v2.0/token", formCT, "", form("client_secret", secret), 200, "", 0},
		{"own scope", "POST", tokenURL, formCT, "", form("client_secret", secret, "scope", srv.URL+"/.default"), 200, "", 0},
		{"Basic", "POST", tokenURL, formCT, testkit.Basic(appID, url.QueryEscape(secret)), form("client_id", ""), 200, "", 0},
		{"certificate", "POST", tokenURL, formCT, "", form("client_assertion_type", jwtBearer, "client_assertion", assertion(t, map[jose.HeaderKey]any{"x5t#S256": thumb}, tokenURL, time.Now().Add(time.Minute))), 200, "", 0},
		{"GET", "GET", tokenURL, "", "", "", 405, "invalid_request", 900561},
		{"JSON body", "POST", tokenURL, "application/json", "", `{"grant_type":"client_credentials"}`, 400, "invalid_request", 900144},
		{"unknown tenant", "POST", srv.URL + "/fabrikam.com/oauth2/v2.0/token", formCT, "", form("client_secret", secret), 400, "invalid_request", 90002},
		{"password grant", "POST", tokenURL, formCT, "", form("client_secret", secret, "grant_type", "password"), 400, "unsupported_grant_type", 70003},
		{"no client_id", "POST", tokenURL, formCT, "", form("client_secret", secret, "client_id", ""), 400, "invalid_request", 900144},
		{"unknown app", "POST", tokenURL, formCT, "", form("client_secret", secret, "client_id", "nobody"), 400, "unauthorized_client", 700016},
		{"bad scope", "POST", tokenURL, formCT, "", form("client_secret", secret, "scope", "https://foo.microsoft.com/.default"), 400, "invalid_scope", 70011},
		{"wrong secret", "POST", tokenURL, formCT, "", form("client_secret", "wrong"), 401, "invalid_client", 7000215},
		{"no credential", "POST", tokenURL, formCT, "", form(), 401, "invalid_client", 7000218},
		{"both credentials", "POST", tokenURL, formCT, "", form("client_secret", secret, "client_assertion", "x"), 400, "invalid_request", 90023},
		{"assertion without x5t", "POST", tokenURL, formCT, "", form("client_assertion_type", jwtBearer, "client_assertion", assertion(t, nil, tokenURL, time.Now().Add(time.Minute))), 401, "invalid_client", 700027},
		{"assertion of another certificate", "POST", tokenURL, formCT, "", form("client_assertion_type", jwtBearer, "client_assertion", assertion(t, map[jose.HeaderKey]any{"x5t#S256": "AAAA"}, tokenURL, time.Now().Add(time.Minute))), 401, "invalid_client", 700027},
		{"assertion for another audience", "POST", tokenURL, formCT, "", form("client_assertion_type", jwtBearer, "client_assertion", assertion(t, map[jose.HeaderKey]any{"x5t#S256": thumb}, "https://login.microsoftonline.com/x/oauth2/v2.0/token", time.Now().Add(time.Minute))), 401, "invalid_client", 700027},
		{"expired assertion", "POST", tokenURL, formCT, "", form("client_assertion_type", jwtBearer, "client_assertion", assertion(t, map[jose.HeaderKey]any{"x5t#S256": thumb}, tokenURL, time.Now().Add(-time.Hour))), 401, "invalid_client", 700024},
		{"assertion without type", "POST", tokenURL, formCT, "", form("client_assertion", "x"), 400, "invalid_request", 50027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, tt.method, tt.url, tt.ct, tt.authz, tt.body)
			if a.status != tt.status {
				t.Fatalf("status = %d (%v), want %d", a.status, a.body, tt.status)
			}
			if tt.status == 200 {
				if a.body["token_type"] != "Bearer" || a.body["expires_in"] != float64(3599) || a.body["access_token"] == "" {
					t.Errorf("body = %v", a.body)
				}
				return
			}
			codes, _ := a.body["error_codes"].([]any)
			desc, _ := a.body["error_description"].(string)
			if a.body["error"] != tt.code || len(codes) != 1 || codes[0] != tt.aadsts || !strings.Contains(desc, "\r\nTrace ID: ") || a.body["trace_id"] == "" || a.header.Get("x-ms-request-id") == "" {
				t.Errorf("answer = %v %v, want %s AADSTS%v in Entra's shape", a.header, a.body, tt.code, tt.aadsts)
			}
		})
	}
}

// TestGraphEndpoint covers the emulated revokeSignInSessions answers.
func TestGraphEndpoint(t *testing.T) {
	fake, srv, _ := newServer(t)
	fake.AddApp(entratest.App{ClientID: "reader", Secret: secret, Permissions: []string{"User.Read.All"}})
	tok := func(id string) string {
		a := do(t, "POST", srv.URL+"/"+entratest.TenantID+"/oauth2/v2.0/token", "application/x-www-form-urlencoded", "",
			url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {entratest.GraphScope}}.Encode())
		s, _ := a.body["access_token"].(string)
		return s
	}
	writer, reader := tok(appID), tok("reader")
	revokeURL := srv.URL + "/v1.0/users/" + userID + "/revokeSignInSessions"
	tests := []struct {
		name   string
		method string
		url    string
		authz  string
		status int
		code   string
	}{
		{"no token", "POST", revokeURL, "", 401, "InvalidAuthenticationToken"},
		{"unknown token", "POST", revokeURL, "Bearer nope", 401, "InvalidAuthenticationToken"},
		{"no permission", "POST", revokeURL, "Bearer " + reader, 403, "Authorization_RequestDenied"},
		{"GET", "GET", revokeURL, "Bearer " + writer, 405, "Request_BadRequest"},
		{"unknown user", "POST", srv.URL + "/v1.0/users/bob@contoso.com/revokeSignInSessions", "Bearer " + writer, 404, "Request_ResourceNotFound"},
		{"unknown route", "POST", srv.URL + "/v1.0/me/revokeSignInSessions", "Bearer " + writer, 400, "BadRequest"},
		{"by UPN", "POST", srv.URL + "/v1.0/users/ALICE@contoso.com/revokeSignInSessions", "Bearer " + writer, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := do(t, tt.method, tt.url, "", tt.authz, "")
			if a.status != tt.status || a.header.Get("request-id") == "" || a.header.Get("client-request-id") == "" {
				t.Fatalf("answer = %d %v %v, want %d with request IDs", a.status, a.header, a.body, tt.status)
			}
			if tt.status == 200 {
				if a.body["value"] != true || !strings.HasSuffix(a.body["@odata.context"].(string), "$metadata#Edm.Boolean") {
					t.Errorf("body = %v", a.body)
				}
				return
			}
			e, _ := a.body["error"].(map[string]any)
			inner, _ := e["innerError"].(map[string]any)
			if e["code"] != tt.code || e["message"] == "" || inner["request-id"] != a.header.Get("request-id") || inner["date"] == "" {
				t.Errorf("body = %v, want Graph's shape with code %s", a.body, tt.code)
			}
		})
	}
	big := do(t, "POST", revokeURL, "application/json", "Bearer "+writer, strings.Repeat("x", revoketest.MaxRequestBytes+1))
	if big.status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", big.status)
	}
	if n := len(fake.Requests()); n < len(tests)+3 {
		t.Errorf("%d requests logged", n)
	}
}

func TestSignInUnknownUserPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SignIn of an unknown user did not panic")
		}
	}()
	entratest.New().SignIn("nobody", appID)
}
