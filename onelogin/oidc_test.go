package onelogin_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

// TestOIDCWire asserts the exact request of every Token Endpoint
// Authentication Method with every hint, against golden files for the
// refresh-token case.
func TestOIDCWire(t *testing.T) {
	basic := testkit.Basic(testID, testSecret)
	auths := []struct {
		name, golden string
		auth         revoke.ClientAuth
		method       string
		wantHeader   string // Authorization, "" for none
		wantForm     url.Values
	}{
		{"basic", "oidc_basic.txt", revoke.ClientSecretBasic(testID, testSecret), "client_secret_basic", basic, url.Values{}},
		{"basic form-encodes", "oidc_basic_encoded.txt", revoke.ClientSecretBasic("client id", testkit.Secret), "client_secret_basic",
			testkit.Basic(url.QueryEscape("client id"), url.QueryEscape(testkit.Secret)), url.Values{}},
		{"basic raw", "oidc_basic_raw.txt", revoke.ClientSecretBasicRaw(testID, testkit.Secret), "client_secret_basic", testkit.Basic(testID, testkit.Secret), url.Values{}},
		{"client credentials mean basic", "oidc_credentials.txt", revoke.ClientCredentials(testID, testSecret), "client_secret_basic", basic, url.Values{}},
		{"post", "oidc_post.txt", revoke.ClientSecretPost(testID, testkit.Secret), "client_secret_post", "", url.Values{"client_id": {testID}, "client_secret": {testkit.Secret}}},
		{"none (PKCE)", "oidc_none.txt", revoke.PublicClient(testID), "none", "", url.Values{"client_id": {testID}}},
	}
	hints := []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintNone, revoke.HintAccessToken}
	for _, a := range auths {
		for _, hint := range hints {
			t.Run(a.name+"/"+string(hint), func(t *testing.T) {
				ep := testkit.NewEndpoint()
				r := newOIDC(t, ep, a.auth, false)
				testkit.Want(t, "AuthMethod()", r.AuthMethod(), a.method)
				res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken, Hint: hint})
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if res.StatusCode != 200 || res.Attempts != 1 || res.AlreadyInvalid {
					t.Errorf("result = %+v", res)
				}
				if _, ok := onelogin.Details(res); ok {
					t.Error("an OIDC result carries an API envelope")
				}
				got := ep.Only(t)
				testkit.Want(t, "method", got.Method, http.MethodPost)
				testkit.Want(t, "URL", got.URL.String(), acmeOIDC)
				testkit.Header(t, got.Header, "Content-Type", "application/x-www-form-urlencoded")
				testkit.Header(t, got.Header, "Accept", "application/json")
				testkit.Header(t, got.Header, "User-Agent", "revoke-go/"+revoke.Version)
				if a.wantHeader == "" {
					if v, ok := got.Header["Authorization"]; ok {
						t.Errorf("Authorization = %q, want none: credentials go in one place only", v)
					}
				} else {
					testkit.Header(t, got.Header, "Authorization", a.wantHeader)
				}
				want := url.Values{"token": {testToken}}
				for k, v := range a.wantForm {
					want[k] = v
				}
				if hint != "" {
					want.Set("token_type_hint", string(hint))
				}
				if form := got.Form(t); !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want exactly %v", form, want)
				}
				if hint == revoke.HintRefreshToken {
					wantWire(t, a.golden, got)
				}
			})
		}
	}
}

func TestOIDCErrorMapping(t *testing.T) {
	padding := strings.Repeat("junk", 70<<8) // 70 KiB
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
		{"unsupported token type (maybe already revoked)", 400, testkit.Golden(t, "oidc_400_unsupported_token_type.json"), revoke.ErrUnsupportedTokenType, "unsupported_token_type",
			"revocation of the presented token type is not supported (OneLogin answers unsupported_token_type also when the token was already revoked or is unknown)", 1, false},
		{"compact unsupported token type", 400, testkit.Golden(t, "onelogin_oidc_400.json"), revoke.ErrUnsupportedTokenType, "unsupported_token_type",
			"revocation of the presented token type is not supported (OneLogin answers unsupported_token_type also when the token was already revoked or is unknown)", 1, false},
		{"401 invalid header is a client error", 401, testkit.Golden(t, "oidc_401_invalid_header.json"), revoke.ErrInvalidClient, "invalid_request", "invalid authorization header value format", 1, false},
		{"401 authentication failed is a client error", 401, testkit.Golden(t, "oidc_401_authentication_failed.json"), revoke.ErrInvalidClient, "invalid_request", "Authentication Failed", 1, false},
		{"401 access unauthorized is a client error", 401, testkit.Golden(t, "oidc_401_access_unauthorized.json"), revoke.ErrInvalidClient, "invalid_request", "Access is unauthorized", 1, false},
		{"401 padded past 64 KiB is a client error", 401, testkit.Golden(t, "oidc_401_authentication_failed.json") + padding, revoke.ErrInvalidClient, "", "", 1, true},
		{"401 padded with white space past 64 KiB", 401, testkit.Golden(t, "oidc_401_authentication_failed.json") + strings.Repeat(" ", 70<<10), revoke.ErrInvalidClient, "invalid_request", "Authentication Failed", 1, false},
		{"400 invalid_request stays a request error", 400, `{"error":"invalid_request","error_description":"token is required"}`, revoke.ErrInvalidRequest, "invalid_request", "token is required", 1, false},
		{"400 with OneLogin's 401 message stays a request error", 400, `{"error":"invalid_request","error_description":"Authentication Failed"}`, revoke.ErrInvalidRequest, "invalid_request", "Authentication Failed", 1, false},
		{"401 invalid_client", 401, `{"error":"invalid_client"}`, revoke.ErrInvalidClient, "invalid_client", "", 1, false},
		{"500 HTML", 500, testkit.Golden(t, "html_500.html"), revoke.ErrServer, "", "", 1, true},
		{"500 with 100 KiB of HTML", 500, "<html>" + strings.Repeat("x", 100<<10), revoke.ErrServer, "", "", 1, true},
		{"502 until retries run out", 502, testkit.Golden(t, "html_502.html"), revoke.ErrUnavailable, "", "", 4, true},
		{"400 truncated JSON", 400, testkit.Golden(t, "truncated.json"), revoke.ErrInvalidRequest, "", "", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(tt.status, tt.body))
			r := newOIDC(t, ep, revoke.ClientSecretBasic(testID, testSecret), false)
			_, err := r.Revoke(context.Background(), revoke.Request{Token: testToken, Hint: revoke.HintRefreshToken})
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			var re *revoke.Error
			if !errors.As(err, &re) {
				t.Fatalf("err is %T, want *revoke.Error", err)
			}
			if re.StatusCode != tt.status || re.Code != tt.code || re.Description != tt.description || re.Attempts != tt.attempts || re.Op != "onelogin oidc revoke" || re.Endpoint != acmeOIDC {
				t.Errorf("error = {Status:%d Code:%q Description:%q Attempts:%d Op:%q Endpoint:%q}, want {%d %q %q %d onelogin oidc revoke %s}",
					re.StatusCode, re.Code, re.Description, re.Attempts, re.Op, re.Endpoint, tt.status, tt.code, tt.description, tt.attempts, acmeOIDC)
			}
			if tt.excerpt != (re.Excerpt != "") || len(re.Excerpt) > 260 {
				t.Errorf("Excerpt = %q, want one (bounded): %v", re.Excerpt, tt.excerpt)
			}
			if n := len(ep.Requests()); n != tt.attempts {
				t.Errorf("%d requests, want %d", n, tt.attempts)
			}
		})
	}
}

// TestOIDCAlreadyRevokedOK: OneLogin's "may already have been revoked"
// answer is a success with Result.AlreadyInvalid, the way every vendor
// reports it, and nothing else is.
func TestOIDCAlreadyRevokedOK(t *testing.T) {
	tests := []struct {
		name    string
		answer  testkit.Answer
		ok      bool
		kind    error
		retries int
	}{
		{"unsupported_token_type", testkit.JSONAnswer(400, testkit.Golden(t, "oidc_400_unsupported_token_type.json")), true, nil, 1},
		{"unsupported_token_type on 401 is not", testkit.JSONAnswer(401, testkit.Golden(t, "oidc_400_unsupported_token_type.json")), false, revoke.ErrUnsupportedTokenType, 1},
		{"invalid_request", testkit.JSONAnswer(400, `{"error":"invalid_request"}`), false, revoke.ErrInvalidRequest, 1},
		{"authentication failed", testkit.JSONAnswer(401, testkit.Golden(t, "oidc_401_authentication_failed.json")), false, revoke.ErrInvalidClient, 1},
		{"429 naming unsupported_token_type", testkit.JSONAnswer(429, testkit.Golden(t, "oidc_400_unsupported_token_type.json")), false, revoke.ErrRateLimited, 4},
		{"500", testkit.Answer{Status: 500}, false, revoke.ErrServer, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tt.answer)
			r := newOIDC(t, ep, revoke.PublicClient("spa-client"), true)
			res, err := r.Revoke(context.Background(), revoke.Request{Token: testToken, Hint: revoke.HintAccessToken})
			if tt.ok {
				if err != nil || !res.AlreadyInvalid || res.StatusCode != 400 || res.Attempts != 1 {
					t.Errorf("= %+v, %v; want success with AlreadyInvalid and status 400", res, err)
				}
				return
			}
			var re *revoke.Error
			if res != nil || !errors.Is(err, tt.kind) || !errors.As(err, &re) {
				t.Errorf("= %+v, %v; want %v", res, err, tt.kind)
			}
			if n := len(ep.Requests()); n != tt.retries {
				t.Errorf("%d requests, want %d", n, tt.retries)
			}
		})
	}
}

func TestOIDCRejectsBadRequests(t *testing.T) {
	tests := []struct {
		name  string
		req   revoke.Request
		field string
		want  string
	}{
		{"device secret hint", revoke.Request{Token: testToken, Hint: revoke.HintDeviceSecret}, "onelogin oidc revoke: Request.Hint", `"device_secret" is not a token_type_hint this vendor documents: use one of access_token, refresh_token`},
		{"unknown hint", revoke.Request{Token: testToken, Hint: "id_token"}, "onelogin oidc revoke: Request.Hint", "is not a token_type_hint this vendor documents"},
		{"empty token", revoke.Request{Hint: revoke.HintAccessToken}, "onelogin oidc revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "abcdefg"}, "onelogin oidc revoke: Request.Token", "shorter than any token"},
		{"token with a space", revoke.Request{Token: "tok en-value-0001"}, "onelogin oidc revoke: Request.Token", "white space"},
		{"params overriding credentials", revoke.Request{Token: testToken, Params: url.Values{"client_id": {"other-client"}}}, "onelogin oidc revoke: Request.Params", `"client_id" is set by the SDK`},
		{"params overriding the token in another case", revoke.Request{Token: testToken, Params: url.Values{"TOKEN": {"other-token-0001"}}}, "onelogin oidc revoke: Request.Params", "may not be overridden"},
		{"params overriding the secret in another case", revoke.Request{Token: testToken, Params: url.Values{"Client_Secret": {"other-secret"}}}, "onelogin oidc revoke: Request.Params", "in any letter case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newOIDC(t, ep, revoke.ClientSecretPost(testID, testSecret), false)
			_, err := r.Revoke(context.Background(), tt.req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(ce.Problem, tt.want) {
				t.Fatalf("err = %v, want a ConfigError for %s containing %q", err, tt.field, tt.want)
			}
			testkit.NoLeak(t, "error", testkit.PrintAll(err), tt.req.Token, testSecret)
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestOIDCExtraParams(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newOIDC(t, ep, revoke.ClientSecretBasic(testID, testSecret), false)
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: testToken, Params: url.Values{"b": {"2"}, "a": {"1"}}}); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "body", string(ep.Only(t).Body), "token="+url.QueryEscape(testToken)+"&a=1&b=2")
}

func TestNewOIDCBadInput(t *testing.T) {
	key := testkit.ECKey(t)
	tests := []struct {
		name  string
		cfg   onelogin.OIDCConfig
		field string
		want  string
	}{
		{"no auth", onelogin.OIDCConfig{Subdomain: "acme"}, "onelogin.OIDCConfig.Auth", "is nil: pass the app's Token Endpoint Authentication Method"},
		{"empty secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic(testID, "")}, "onelogin.OIDCConfig.Auth (ClientSecretBasic)", "client secret is empty"},
		{"white-space secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic(testID, "          ")}, "onelogin.OIDCConfig.Auth (ClientSecretBasic)", "only white space"},
		{"short secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic(testID, "short")}, "onelogin.OIDCConfig.Auth (ClientSecretBasic)", "shorter than 8"},
		{"secret with a control character", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasicRaw(testID, "s3cr3t\x00value")}, "onelogin.OIDCConfig.Auth (ClientSecretBasicRaw)", "control character"},
		{"empty post secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, "")}, "onelogin.OIDCConfig.Auth (ClientSecretPost)", "client secret is empty"},
		{"post secret with a newline", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost(testID, testSecret+"\n")}, "onelogin.OIDCConfig.Auth (ClientSecretPost)", "white space"},
		{"white-space client ID", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasic("   ", testSecret)}, "onelogin.OIDCConfig.Auth (ClientSecretBasic)", "client ID is only white space"},
		{"client ID with a control character", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretPost("web\x01app", testSecret)}, "onelogin.OIDCConfig.Auth (ClientSecretPost)", "client ID contains a control character"},
		{"missing client ID", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PublicClient("")}, "onelogin.OIDCConfig.Auth (PublicClient)", "client ID is empty"},
		{"white-space public client ID", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PublicClient("\t")}, "onelogin.OIDCConfig.Auth (PublicClient)", "client ID is only white space"},
		{"client credentials with a white-space ID", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientCredentials(" ", testSecret)}, "onelogin.OIDCConfig.Auth (ClientCredentials)", "client ID is only white space"},
		{"client credentials with a short secret", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientCredentials(testID, "1234")}, "onelogin.OIDCConfig.Auth (ClientCredentials)", "shorter than 8"},
		{"raw Basic ID with a colon", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretBasicRaw("a:b", testSecret)}, "onelogin.OIDCConfig.Auth (ClientSecretBasicRaw)", "contains ':'"},
		{"private_key_jwt", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.PrivateKeyJWT(testID, key)}, "onelogin.OIDCConfig.Auth", "Basic, POST or None (PKCE), not private_key_jwt"},
		{"client_secret_jwt", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.ClientSecretJWT(testID, testkit.HMACSecret)}, "onelogin.OIDCConfig.Auth", "not client_secret_jwt"},
		{"tls_client_auth", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.TLSClientAuth(testID, tls.Certificate{})}, "onelogin.OIDCConfig.Auth", "not tls_client_auth"},
		{"no client authentication", onelogin.OIDCConfig{Subdomain: "acme", Auth: revoke.NoClientAuth()}, "onelogin.OIDCConfig.Auth", "not no_client_auth"},
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
			testkit.NoLeak(t, "error", testkit.PrintAll(err), testSecret, testkit.HMACSecret)
		})
	}
}
