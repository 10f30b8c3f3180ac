package wso2_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
)

const (
	base     = "https://is.example.com:9443"
	clientID = "9TQ5RKeaaTfFyJQJDsjoZfjxRHca"
	// secret has every reserved character except ':' — WSO2 takes it raw.
	secret = "p@ss w+rd%/=&?#"
	token  = "a0d210c7-a3de-7d54-8e03-f1986e9a5c39"
)

var fastRetry = revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxWait: 50 * time.Millisecond})

type captured struct {
	method, url, contentType, authz string
	form                            url.Values
}

// mockRevoke registers POST rawURL on a fresh transport, recording every
// request and answering status, body and hdr (header keys kept exactly as
// given, as a raw transport may deliver them).
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
		got = append(got, captured{r.Method, r.URL.String(), r.Header.Get("Content-Type"), r.Header.Get("Authorization"), form})
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range hdr {
			resp.Header[k] = v
		}
		return resp, nil
	})
	return mt, &got
}

func newRevoker(t *testing.T, mt *httpmock.MockTransport, cfg wso2.Config, opts ...revoke.Option) *wso2.Revoker {
	t.Helper()
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), fastRetry}, opts...)
	r, err := wso2.New(cfg, opts...)
	if err != nil {
		t.Fatalf("wso2.New(%+v): %v", cfg, err)
	}
	return r
}

func rawBasic(id, pw string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+pw))
}

// TestWireShape asserts the exact request for every authentication mode,
// tenant layout and hint.
func TestWireShape(t *testing.T) {
	auths := []struct {
		name      string
		cfg       wso2.Config
		wantAuthz string
		wantForm  url.Values
	}{
		{"raw Basic from ClientID and ClientSecret", wso2.Config{ClientID: clientID, ClientSecret: secret}, rawBasic(clientID, secret), nil},
		{"raw Basic from Auth", wso2.Config{Auth: revoke.ClientSecretBasicRaw(clientID, secret)}, rawBasic(clientID, secret), nil},
		{"client_secret_post", wso2.Config{Auth: revoke.ClientSecretPost(clientID, secret)}, "", url.Values{"client_id": {clientID}, "client_secret": {secret}}},
		{"client_secret_post with ':' in the secret", wso2.Config{Auth: revoke.ClientSecretPost(clientID, "a:b")}, "", url.Values{"client_id": {clientID}, "client_secret": {"a:b"}}},
		{"ClientIDOnly", wso2.Config{ClientID: clientID, ClientIDOnly: true}, "", url.Values{"client_id": {clientID}}},
		{"PublicClient", wso2.Config{Auth: revoke.PublicClient(clientID)}, "", url.Values{"client_id": {clientID}}},
	}
	layouts := []struct {
		name, baseURL, tenant, wantURL string
	}{
		{"super tenant", base, "", base + "/oauth2/revoke"},
		{"super tenant, trailing slash", base + "/", "", base + "/oauth2/revoke"},
		{"tenant", base, "wso2.com", base + "/t/wso2.com/oauth2/revoke"},
		{"Asgardeo organization", "https://api.asgardeo.io", "myorg", "https://api.asgardeo.io/t/myorg/oauth2/revoke"},
		{"Asgardeo base with /t/org", "https://api.asgardeo.io/t/myorg", "", "https://api.asgardeo.io/t/myorg/oauth2/revoke"},
		{"behind a path prefix", "https://gw.example.com/is/", "carbon.super", "https://gw.example.com/is/t/carbon.super/oauth2/revoke"},
	}
	hints := []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken}
	for _, a := range auths {
		for _, l := range layouts {
			for _, hint := range hints {
				t.Run(fmt.Sprintf("%s/%s/%s", a.name, l.name, hint), func(t *testing.T) {
					mt, got := mockRevoke(t, l.wantURL, http.StatusOK, "", nil)
					cfg := a.cfg
					cfg.BaseURL, cfg.Tenant = l.baseURL, l.tenant
					r := newRevoker(t, mt, cfg)
					if r.Endpoint() != l.wantURL {
						t.Errorf("Endpoint() = %s, want %s", r.Endpoint(), l.wantURL)
					}
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil {
						t.Fatalf("Revoke: %v", err)
					}
					if res.StatusCode != 200 || res.Attempts != 1 || res.Vendor.Found() {
						t.Errorf("result = %+v; want 200, 1 attempt, nothing found", res)
					}
					if len(*got) != 1 {
						t.Fatalf("%d requests, want 1", len(*got))
					}
					c := (*got)[0]
					if c.method != http.MethodPost || c.url != l.wantURL || c.contentType != "application/x-www-form-urlencoded" {
						t.Errorf("request = %s %s (%s)", c.method, c.url, c.contentType)
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
					if c.form.Encode() != want.Encode() {
						t.Errorf("form = %s, want %s", c.form.Encode(), want.Encode())
					}
					if c.form.Has("callback") {
						t.Error("callback sent")
					}
				})
			}
		}
	}
}

// TestRequestRefusals: WSO2 has no device secrets, and JSONP is refused.
func TestRequestRefusals(t *testing.T) {
	mt, got := mockRevoke(t, base+"/oauth2/revoke", 200, "", nil)
	r := newRevoker(t, mt, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
	for _, req := range []revoke.Request{
		{Token: token, Hint: revoke.HintDeviceSecret},
		{Token: token, Params: url.Values{"callback": {"cb"}}},
		{Token: ""},
		{Token: token, Params: url.Values{"client_id": {"other"}}},
	} {
		if _, err := r.Revoke(context.Background(), req); err == nil {
			t.Errorf("Revoke(%v) succeeded, want a refusal", req)
		}
	}
	if len(*got) != 0 {
		t.Errorf("%d requests sent, want none", len(*got))
	}
}

// TestVendorHeaders reads WSO2's revoked-token headers, however the
// transport spells their keys.
func TestVendorHeaders(t *testing.T) {
	tests := []struct {
		name      string
		hdr       http.Header
		wantAT    string
		wantRT    string
		wantUser  string
		wantFound bool
	}{
		{"WSO2's spelling (uncanonicalised)", http.Header{"RevokedAccessToken": {"at-1"}, "RevokedRefreshToken": {"rt-1"}, "AuthorizedUser": {"admin@carbon.super"}}, "at-1", "rt-1", "admin@carbon.super", true},
		{"canonical keys", http.Header{"Revokedaccesstoken": {"at-2"}, "Authorizeduser": {"bob@wso2.com"}}, "at-2", "", "bob@wso2.com", true},
		{"AuthorizedUser only (token headers disabled)", http.Header{"AuthorizedUser": {"carol@carbon.super"}}, "", "", "carol@carbon.super", false},
		{"nothing found", http.Header{"Cache-Control": {"no-store"}}, "", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mt, _ := mockRevoke(t, base+"/oauth2/revoke", 200, "", tc.hdr)
			r := newRevoker(t, mt, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if err != nil {
				t.Fatal(err)
			}
			v := res.Vendor
			if v.RevokedAccessToken.Reveal() != tc.wantAT || v.RevokedRefreshToken.Reveal() != tc.wantRT || v.AuthorizedUser != tc.wantUser || v.Found() != tc.wantFound {
				t.Errorf("vendor = {%q %q %q found=%v}; want {%q %q %q found=%v}", v.RevokedAccessToken.Reveal(), v.RevokedRefreshToken.Reveal(), v.AuthorizedUser, v.Found(), tc.wantAT, tc.wantRT, tc.wantUser, tc.wantFound)
			}
		})
	}
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestErrorMapping serves WSO2's error answers (body, status and headers as
// the server source writes them) and checks every field of the error.
func TestErrorMapping(t *testing.T) {
	tests := []struct {
		file     string
		status   int
		hdr      http.Header
		wantKind error
		wantCode string
		wantDesc string
	}{
		{"revoke-401-invalid-client.json", 401, http.Header{"Content-Type": {"text/html"}, "Www-Authenticate": {"Basic realm=localhost"}}, revoke.ErrInvalidClient, "invalid_client", "Client Authentication failed."},
		{"revoke-401-unauthorized-client.json", 401, http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {"Basic realm=localhost"}}, revoke.ErrUnauthorizedClient, "unauthorized_client", "Client Authentication failed."},
		{"revoke-400-missing-token.json", 400, http.Header{"Content-Type": {"application/json"}}, revoke.ErrInvalidRequest, "invalid_request", "Invalid revocation request"},
		{"revoke-400-both-credentials.json", 400, http.Header{"Content-Type": {"application/json"}}, revoke.ErrInvalidRequest, "invalid_request", "Request body and headers contain authorization information"},
		{"revoke-400-repeated-params.json", 400, nil, revoke.ErrInvalidRequest, "invalid_request", "Invalid request with repeated parameters."},
		{"revoke-400-token-binding.json", 400, http.Header{"Content-Type": {"application/json"}}, revoke.ErrInvalidRequest, "access_denied", "Valid token binding value not present in the request."},
		{"revoke-400-server-error.json", 400, http.Header{"Content-Type": {"application/json"}}, revoke.ErrServer, "server_error", "Error occurred while revoking authorization grant for applications"},
		{"revoke-500-db-down.json", 500, nil, revoke.ErrServer, "server_error", "Internal Server Error."},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			mt, got := mockRevoke(t, base+"/t/wso2.com/oauth2/revoke", tc.status, golden(t, tc.file), tc.hdr)
			r := newRevoker(t, mt, wso2.Config{BaseURL: base, Tenant: "wso2.com", ClientID: clientID, ClientSecret: secret}, revoke.WithoutRetry())
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if err == nil {
				t.Fatalf("Revoke = %+v, want an error", res)
			}
			if !errors.Is(err, tc.wantKind) {
				t.Errorf("errors.Is(%q, %v) = false", err, tc.wantKind)
			}
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T is not a *revoke.Error", err)
			}
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != "" {
				t.Errorf("error = {%d %q %q excerpt %q}; want {%d %q %q}", e.StatusCode, e.Code, e.Description, e.Excerpt, tc.status, tc.wantCode, tc.wantDesc)
			}
			if e.Op != "wso2 revoke" || e.Endpoint != base+"/t/wso2.com/oauth2/revoke" || e.Attempts != 1 || len(*got) != 1 {
				t.Errorf("op, endpoint, attempts, requests = %q, %q, %d, %d", e.Op, e.Endpoint, e.Attempts, len(*got))
			}
		})
	}
}

// TestNewBadInput checks every bad configuration is a ConfigError naming the
// field and the fix, and never shows the secret.
func TestNewBadInput(t *testing.T) {
	tests := []struct {
		name      string
		cfg       wso2.Config
		wantField string
		wantText  string
		wantKind  error
	}{
		{"no base URL", wso2.Config{ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "is empty", nil},
		{"relative base URL", wso2.Config{BaseURL: "is.example.com", ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "not absolute", nil},
		{"base URL with the endpoint path", wso2.Config{BaseURL: base + "/oauth2/revoke", ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "already includes the endpoint path", nil},
		{"base URL with query", wso2.Config{BaseURL: base + "/?tenant=x", ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "query", nil},
		{"base URL with whitespace", wso2.Config{BaseURL: base + " ", ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "whitespace", nil},
		{"plain http to a remote host", wso2.Config{BaseURL: "http://is.example.com:9763", ClientID: clientID, ClientSecret: secret}, "wso2.Config.BaseURL", "clear text", revoke.ErrInsecureEndpoint},
		{"tenant with slash", wso2.Config{BaseURL: base, Tenant: "t/wso2.com", ClientID: clientID, ClientSecret: secret}, "wso2.Config.Tenant", "contains '/'", nil},
		{"tenant with space", wso2.Config{BaseURL: base, Tenant: "my org", ClientID: clientID, ClientSecret: secret}, "wso2.Config.Tenant", "' '", nil},
		{"tenant dot dot", wso2.Config{BaseURL: base, Tenant: "..", ClientID: clientID, ClientSecret: secret}, "wso2.Config.Tenant", "not a tenant name", nil},
		{"tenant twice", wso2.Config{BaseURL: "https://api.asgardeo.io/t/a", Tenant: "b", ClientID: clientID, ClientSecret: secret}, "wso2.Config.Tenant", "already ends in a tenant path", nil},
		{"missing client ID", wso2.Config{BaseURL: base, ClientSecret: secret}, "wso2.Config.ClientID", "is empty", nil},
		{"empty secret", wso2.Config{BaseURL: base, ClientID: clientID}, "wso2.Config.ClientSecret", "ClientIDOnly", nil},
		{"client ID with ':'", wso2.Config{BaseURL: base, ClientID: "a:b", ClientSecret: secret}, "wso2.Config.ClientID", "revoke.ClientSecretPost", nil},
		{"secret with ':'", wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: "pa:ss"}, "wso2.Config.ClientSecret", "revoke.ClientSecretPost", nil},
		{"secret with newline", wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret + "\n"}, "wso2.Config.ClientSecret", "whitespace", nil},
		{"raw Basic Auth with ':' in the secret", wso2.Config{BaseURL: base, Auth: revoke.ClientSecretBasicRaw(clientID, "pa:ss")}, "wso2.Config.Auth", "revoke.ClientSecretPost", nil},
		{"encoded Basic Auth", wso2.Config{BaseURL: base, Auth: revoke.ClientSecretBasic(clientID, secret)}, "wso2.Config.Auth", "revoke.ClientSecretBasicRaw", nil},
		{"JWT Auth", wso2.Config{BaseURL: base, Auth: revoke.ClientSecretJWT(clientID, "a-32-byte-long-shared-secret-val")}, "wso2.Config.Auth", "generic.New", nil},
		{"ClientCredentials Auth", wso2.Config{BaseURL: base, Auth: revoke.ClientCredentials(clientID, secret)}, "wso2.Config.Auth", "leaves the method open", nil},
		{"secret and Auth", wso2.Config{BaseURL: base, ClientSecret: secret, Auth: revoke.ClientSecretPost(clientID, secret)}, "wso2.Config.ClientSecret", "not both", nil},
		{"client ID differs from Auth", wso2.Config{BaseURL: base, ClientID: "x", Auth: revoke.ClientSecretPost(clientID, secret)}, "wso2.Config.ClientID", "differs", nil},
		{"ClientIDOnly with secret", wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret, ClientIDOnly: true}, "wso2.Config.ClientIDOnly", "never sends a secret", nil},
		{"ClientIDOnly with Auth", wso2.Config{BaseURL: base, Auth: revoke.PublicClient(clientID), ClientIDOnly: true}, "wso2.Config.ClientIDOnly", "Auth", nil},
		{"ClientIDOnly without client ID", wso2.Config{BaseURL: base, ClientIDOnly: true}, "wso2.Config.ClientID", "is empty", nil},
		{"invalid Auth", wso2.Config{BaseURL: base, Auth: revoke.ClientSecretPost(clientID, "")}, "ClientSecretPost", "secret is empty", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := wso2.New(tc.cfg)
			if err == nil {
				t.Fatalf("New returned %v and no error", r)
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %q is not a *revoke.ConfigError", err, err)
			}
			if ce.Field != tc.wantField || !strings.Contains(ce.Problem, tc.wantText) {
				t.Errorf("error = %q; want field %q and text %q", err, tc.wantField, tc.wantText)
			}
			if tc.wantKind != nil && !errors.Is(err, tc.wantKind) {
				t.Errorf("errors.Is(%q, %v) = false", err, tc.wantKind)
			}
			for _, s := range []string{secret, "pa:ss"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q shows a secret", err)
				}
			}
		})
	}
}

// TestEmulatorRoundTrip revokes through the adapter against the WSO2
// emulator over real HTTP in every mode, checking state and the headers.
func TestEmulatorRoundTrip(t *testing.T) {
	fake := revoketest.NewWSO2()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "basic-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: "se:cret"})
	fake.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	fake.AddClient(revoketest.Client{ID: "implicit-app", Secret: "never-sent"})
	fake.AddTenantClient("wso2.com", revoketest.Client{ID: "tenant-app", Secret: secret})

	newR := func(cfg wso2.Config) *wso2.Revoker {
		cfg.BaseURL = srv.URL
		r, err := wso2.New(cfg, fastRetry)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ctx := context.Background()

	t.Run("raw Basic, access token takes its refresh token", func(t *testing.T) {
		r := newR(wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("basic-app", "alice")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Error("a token of the pair is still active")
		}
		v := res.Vendor
		if !v.Found() || v.RevokedAccessToken.Reveal() != p.AccessToken || v.RevokedRefreshToken.Reveal() != p.RefreshToken || v.AuthorizedUser != "alice@carbon.super" {
			t.Errorf("vendor = %+v (AT %v RT %v)", v, v.RevokedAccessToken.Reveal() == p.AccessToken, v.RevokedRefreshToken.Reveal() == p.RefreshToken)
		}
		// Again: 200, nothing found.
		res, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if err != nil || res.Vendor.Found() || res.Vendor.AuthorizedUser != "" {
			t.Errorf("second revoke = %+v, %v; want 200 and nothing found", res, err)
		}
	})
	t.Run("client_secret_post with ':' in the secret, refresh token", func(t *testing.T) {
		r := newR(wso2.Config{Auth: revoke.ClientSecretPost("post-app", "se:cret")})
		p := fake.Issue("post-app", "bob")
		if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
			t.Error("a token is still active")
		}
	})
	t.Run("ClientIDOnly on an implicit-grant token", func(t *testing.T) {
		r := newR(wso2.Config{ClientID: "implicit-app", ClientIDOnly: true})
		at := fake.IssueImplicit("implicit-app", "carol")
		res, err := r.Revoke(ctx, revoke.Request{Token: at, Hint: revoke.HintAccessToken})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Active(at) || res.Vendor.RevokedAccessToken.Reveal() != at || res.Vendor.RevokedRefreshToken != "" {
			t.Errorf("implicit token: active %v, vendor %+v", fake.Active(at), res.Vendor)
		}
		// The same client cannot revoke an ordinary token without its secret.
		p := fake.Issue("implicit-app", "carol")
		_, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 401 || e.Description != "Client Authentication failed." {
			t.Errorf("secret-less revoke of an ordinary token: %v", err)
		}
		if !fake.Active(p.AccessToken) {
			t.Error("ordinary token revoked without the secret")
		}
	})
	t.Run("ClientIDOnly for a public client", func(t *testing.T) {
		r := newR(wso2.Config{ClientID: "spa", ClientIDOnly: true})
		p := fake.Issue("spa", "dave")
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) {
			t.Error("token still active")
		}
	})
	t.Run("tenant path", func(t *testing.T) {
		r := newR(wso2.Config{Tenant: "wso2.com", ClientID: "tenant-app", ClientSecret: secret})
		p := fake.Issue("tenant-app", "erin")
		res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.AccessToken) || res.Vendor.AuthorizedUser != "erin@wso2.com" {
			t.Errorf("tenant revoke: active %v, user %q", fake.Active(p.AccessToken), res.Vendor.AuthorizedUser)
		}
		// The tenant's app does not exist in the super tenant.
		wrong := newR(wso2.Config{ClientID: "tenant-app", ClientSecret: secret})
		if _, err := wrong.Revoke(ctx, revoke.Request{Token: "x"}); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("tenant app at the super tenant: %v", err)
		}
	})
	t.Run("another client's access token", func(t *testing.T) {
		r := newR(wso2.Config{ClientID: "basic-app", ClientSecret: secret})
		p := fake.Issue("post-app", "frank")
		_, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
		if !errors.Is(err, revoke.ErrUnauthorizedClient) || !fake.Active(p.AccessToken) {
			t.Errorf("err = %v, active = %v; want unauthorized_client and the token untouched", err, fake.Active(p.AccessToken))
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		r := newR(wso2.Config{ClientID: "basic-app", ClientSecret: "wrong"})
		_, err := r.Revoke(ctx, revoke.Request{Token: token})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.Code != "invalid_client" || e.Description != "Client Authentication failed." || e.Excerpt != "" {
			t.Errorf("err = %v", err)
		}
	})
}

// TestSecretHygiene prints the adapter's values and a Result carrying
// WSO2's token headers with every verb, logs them with slog, and checks
// that no secret or token appears.
func TestSecretHygiene(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := revoketest.RegisterWSO2(mt, base)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	p := fake.Issue(clientID, "alice")
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg := wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret}
	r := newRevoker(t, mt, cfg, revoke.WithLogger(logger))
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
	if err != nil || !res.Vendor.Found() {
		t.Fatalf("revoke: %+v, %v", res, err)
	}
	var printed []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		printed = append(printed, fmt.Sprintf(verb, r), fmt.Sprintf(verb, *r), fmt.Sprintf(verb, cfg), fmt.Sprintf(verb, &cfg),
			fmt.Sprintf(verb, res), fmt.Sprintf(verb, *res), fmt.Sprintf(verb, res.Vendor))
	}
	logger.Info("revoked", "result", res, "vendor", res.Vendor, "config", cfg, "revoker", r)
	js, _ := json.Marshal(res)
	printed = append(printed, string(js))

	// A server that echoes the credentials and the token into its error.
	echo := httpmock.NewMockTransport()
	echo.RegisterResponder(http.MethodPost, base+"/oauth2/revoke", func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		return httpmock.NewStringResponse(401, fmt.Sprintf(`{"error":"invalid_client","error_description":"header %s body %s"}`, req.Header.Get("Authorization"), b)), nil
	})
	bad := newRevoker(t, echo, cfg, revoke.WithLogger(logger), revoke.WithoutRetry())
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err == nil {
		t.Fatal("want an error")
	}
	logger.Error("failed", "err", err)
	printed = append(printed, err.Error(), fmt.Sprintf("%#v", err), logs.String())

	for _, out := range printed {
		for _, s := range []string{secret, url.QueryEscape(secret), p.AccessToken, p.RefreshToken, rawBasic(clientID, secret)} {
			if strings.Contains(out, s) {
				t.Errorf("output shows a secret %q:\n%s", s, out)
			}
		}
	}
	if !strings.Contains(fmt.Sprintf("%+v", res), "RevokedAccessToken:[REDACTED]") || !strings.Contains(fmt.Sprintf("%+v", res), "AuthorizedUser:\"alice@carbon.super\"") {
		t.Errorf("%%+v of the result lost its useful parts: %+v", res)
	}
}

// FuzzNew feeds arbitrary base URLs and tenants to New: it never panics,
// and whatever it accepts ends in /oauth2/revoke with at most one tenant
// segment and no query.
func FuzzNew(f *testing.F) {
	for _, s := range [][2]string{
		{base, ""}, {base + "/", "wso2.com"}, {"https://api.asgardeo.io/t/org", ""}, {"https://x/t/a", "b"},
		{base, "a/b"}, {base, ".."}, {"http://localhost:9763", "carbon.super"}, {base + "/oauth2/revoke", ""},
		{"https://gw/is/", "t"}, {base + "?x", ""}, {base, "%2F"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, baseURL, tenant string) {
		r, err := wso2.New(wso2.Config{BaseURL: baseURL, Tenant: tenant, ClientID: clientID, ClientSecret: secret})
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
		if !strings.HasSuffix(u.Path, "/oauth2/revoke") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Endpoint %q", r.Endpoint())
		}
		if tenant != "" && !strings.HasSuffix(u.Path, "/t/"+tenant+"/oauth2/revoke") {
			t.Fatalf("Endpoint %q lacks tenant %q", r.Endpoint(), tenant)
		}
	})
}

// BenchmarkRevoke measures one revocation through the adapter, reading
// WSO2's response headers, against an in-memory transport.
func BenchmarkRevoke(b *testing.B) {
	mt := httpmock.NewMockTransport()
	resp := httpmock.NewStringResponder(http.StatusOK, "").HeaderSet(http.Header{"RevokedAccessToken": {"at"}, "RevokedRefreshToken": {"rt"}, "AuthorizedUser": {"alice@carbon.super"}})
	mt.RegisterResponder(http.MethodPost, base+"/oauth2/revoke", resp)
	r, err := wso2.New(wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := revoke.Request{Token: token}
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Revoke(ctx, req)
		if err != nil || !res.Vendor.Found() {
			b.Fatal(res, err)
		}
	}
}
