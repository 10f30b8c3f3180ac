package onelogin_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/onelogin"
)

const acmeOIDC = "https://acme.onelogin.com/oidc/2/token/revocation"

func TestOIDCWireShape(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testID+":"+testSecret))
	auths := []struct {
		name       string
		auth       revoke.ClientAuth
		method     string
		wantHeader string // Authorization, "" for none
		wantForm   url.Values
	}{
		{"basic", revoke.ClientSecretBasic(testID, testSecret), "client_secret_basic", basic, url.Values{}},
		{"basic raw", revoke.ClientSecretBasicRaw(testID, testSecret), "client_secret_basic", basic, url.Values{}},
		{"client credentials mean basic", revoke.ClientCredentials(testID, testSecret), "client_secret_basic", basic, url.Values{}},
		{"post", revoke.ClientSecretPost(testID, testSecret), "client_secret_post", "", url.Values{"client_id": {testID}, "client_secret": {testSecret}}},
		{"none (PKCE)", revoke.PublicClient(testID), "none", "", url.Values{"client_id": {testID}}},
	}
	hints := []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken}
	for _, a := range auths {
		for _, hint := range hints {
			t.Run(a.name+"/"+string(hint), func(t *testing.T) {
				mt, rc := mockEndpoint(t, acmeOIDC, answer{status: 200})
				r, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: a.auth}, opts(mt)...)
				if err != nil {
					t.Fatal(err)
				}
				if r.AuthMethod() != a.method {
					t.Errorf("AuthMethod() = %q, want %q", r.AuthMethod(), a.method)
				}
				res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken, Hint: hint})
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if res.StatusCode != 200 || res.Attempts != 1 {
					t.Errorf("result = %+v", res)
				}
				reqs := rc.requests()
				if len(reqs) != 1 {
					t.Fatalf("%d requests, want 1", len(reqs))
				}
				got := reqs[0]
				if got.Method != http.MethodPost || got.URL != acmeOIDC {
					t.Errorf("request = %s %s, want POST %s", got.Method, got.URL, acmeOIDC)
				}
				assertHeader(t, got.Header, "Content-Type", "application/x-www-form-urlencoded")
				assertHeader(t, got.Header, "Accept", "application/json")
				if a.wantHeader == "" {
					if v, ok := got.Header["Authorization"]; ok {
						t.Errorf("Authorization = %q, want none: credentials go in one place only", v)
					}
				} else {
					assertHeader(t, got.Header, "Authorization", a.wantHeader)
				}
				form, err := url.ParseQuery(string(got.Body))
				if err != nil {
					t.Fatalf("body %q is not a form: %v", got.Body, err)
				}
				want := url.Values{"token": {testToken}}
				for k, v := range a.wantForm {
					want[k] = v
				}
				if hint != "" {
					want.Set("token_type_hint", string(hint))
				}
				if !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want exactly %v", form, want)
				}
			})
		}
	}
}

func TestOIDCErrorMapping(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		kind        error
		code        string
		description string
		attempts    int
		excerpt     bool
	}{
		{"unsupported token type (maybe already revoked)", 400, golden(t, "oidc_400_unsupported_token_type.json"), revoke.ErrUnsupportedTokenType, "unsupported_token_type",
			"revocation of the presented token type is not supported (OneLogin answers unsupported_token_type also when the token was already revoked or is unknown)", 1, false},
		{"401 invalid header is a client error", 401, golden(t, "oidc_401_invalid_header.json"), revoke.ErrInvalidClient, "invalid_request", "invalid authorization header value format", 1, false},
		{"401 authentication failed is a client error", 401, golden(t, "oidc_401_authentication_failed.json"), revoke.ErrInvalidClient, "invalid_request", "Authentication Failed", 1, false},
		{"401 access unauthorized is a client error", 401, golden(t, "oidc_401_access_unauthorized.json"), revoke.ErrInvalidClient, "invalid_request", "Access is unauthorized", 1, false},
		{"400 invalid_request stays a request error", 400, `{"error":"invalid_request","error_description":"token is required"}`, revoke.ErrInvalidRequest, "invalid_request", "token is required", 1, false},
		{"401 invalid_client", 401, `{"error":"invalid_client"}`, revoke.ErrInvalidClient, "invalid_client", "", 1, false},
		{"500 HTML", 500, golden(t, "html_500.html"), revoke.ErrServer, "", "", 1, true},
		{"502 until retries run out", 502, golden(t, "html_502.html"), revoke.ErrUnavailable, "", "", 4, true},
		{"400 truncated JSON", 400, golden(t, "truncated.json"), revoke.ErrInvalidRequest, "", "", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, rc := mockEndpoint(t, acmeOIDC, jsonAnswer(tt.status, tt.body))
			r, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic(testID, testSecret)}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: testToken, Hint: revoke.HintRefreshToken})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			var re *revoke.Error
			if !errors.As(err, &re) {
				t.Fatalf("err is %T, want *revoke.Error", err)
			}
			if re.StatusCode != tt.status || re.Code != tt.code || re.Description != tt.description || re.Attempts != tt.attempts || re.Op != "onelogin oidc revoke" {
				t.Errorf("error = {Status:%d Code:%q Description:%q Attempts:%d Op:%q}, want {%d %q %q %d onelogin oidc revoke}",
					re.StatusCode, re.Code, re.Description, re.Attempts, re.Op, tt.status, tt.code, tt.description, tt.attempts)
			}
			if tt.excerpt != (re.Excerpt != "") {
				t.Errorf("Excerpt = %q, want one: %v", re.Excerpt, tt.excerpt)
			}
			if n := len(rc.requests()); n != tt.attempts {
				t.Errorf("%d requests, want %d", n, tt.attempts)
			}
		})
	}
}

func TestOIDCRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name string
		req  revoke.Request
		want string
	}{
		{"device secret hint", revoke.Request{Token: testToken, Hint: revoke.HintDeviceSecret}, "OneLogin accepts token_type_hint access_token or refresh_token"},
		{"unknown hint", revoke.Request{Token: testToken, Hint: "id_token"}, "unknown token type hint"},
		{"empty token", revoke.Request{Hint: revoke.HintAccessToken}, "Request.Token is empty"},
		{"params overriding credentials", revoke.Request{Token: testToken, Params: url.Values{"client_id": {"other"}}}, `"client_id" is set by the SDK`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt, rc := mockEndpoint(t, acmeOIDC, answer{status: 200})
			r, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret)}, opts(mt)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if n := len(rc.requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestNewOIDCBadInput(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		cfg   onelogin.OIDCConfig
		field string
		want  string
	}{
		{"no auth", onelogin.OIDCConfig{Subdomain: "acme"}, "onelogin.OIDCConfig.Auth", "is nil: pass the app's Token Endpoint Authentication Method"},
		{"empty secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic(testID, "")}, "onelogin.OIDCConfig.Auth (ClientSecretBasic)", "client secret is empty"},
		{"empty post secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, "")}, "onelogin.OIDCConfig.Auth (ClientSecretPost)", "client secret is empty"},
		{"missing client ID", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PublicClient("")}, "onelogin.OIDCConfig.Auth (PublicClient)", "client ID is empty"},
		{"private_key_jwt", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PrivateKeyJWT(testID, key)}, "onelogin.OIDCConfig.Auth", "Basic, POST or None (PKCE), not private_key_jwt"},
		{"client_secret_jwt", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretJWT(testID, "a-32-byte-long-shared-secret-val")}, "onelogin.OIDCConfig.Auth", "not client_secret_jwt"},
		{"neither subdomain nor base URL", onelogin.OIDCConfig{Auth: revoke.PublicClient("spa")}, "onelogin.OIDCConfig.Subdomain", "neither Subdomain nor BaseURL"},
		{"both", onelogin.OIDCConfig{Subdomain: "acme", BaseURL: "https://x.example", Auth: revoke.PublicClient("spa")}, "onelogin.OIDCConfig.Subdomain", "not both"},
		{"bad subdomain", onelogin.OIDCConfig{Subdomain: "acme!", Auth: revoke.PublicClient("spa")}, "onelogin.OIDCConfig.Subdomain", `contains '!'`},
		{"base URL is the endpoint", onelogin.OIDCConfig{BaseURL: "https://acme.onelogin.com/oidc/2/token/revocation", Auth: revoke.PublicClient("spa")}, "onelogin.OIDCConfig.BaseURL", "already ends with the endpoint path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := onelogin.NewOIDC(tt.cfg)
			if err == nil || r != nil {
				t.Fatalf("NewOIDC = %v, %v; want an error", r, err)
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(ce.Problem, tt.want) {
				t.Errorf("err = %v, want a ConfigError for %s containing %q", err, tt.field, tt.want)
			}
			assertNoLeak(t, "error", err.Error(), testSecret)
		})
	}
}
