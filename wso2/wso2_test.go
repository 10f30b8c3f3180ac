package wso2_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/wso2"
)

const (
	base     = "https://is.example.com:9443"
	clientID = "9TQ5RKeaaTfFyJQJDsjoZfjxRHca"
	// secret has every reserved character except ':', which WSO2's Basic
	// cannot carry; WSO2 takes it raw. testkit.Secret, which has ':', is
	// the client_secret_post secret.
	secret = "p@ss w+rd%/=&?#"
	token  = testkit.Token
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg wso2.Config, opts ...revoke.Option) *wso2.Revoker {
	t.Helper()
	return testkit.Build(t, wso2.New, cfg, ep.Options(opts...)...)
}

// details returns the WSO2 details of a result, failing the test when it
// carries none.
func details(t testing.TB, res *revoke.Result) wso2.RevokeDetails {
	t.Helper()
	d, ok := wso2.Details(res)
	if !ok {
		t.Fatalf("result %+v carries no wso2 details", res)
	}
	return d
}

// TestWireMatrix asserts the exact request for every authentication mode,
// URL layout and hint: method, URL, every header, the raw Basic encoding
// and the body, byte for byte, against testdata/wire-matrix.txt.
func TestWireMatrix(t *testing.T) {
	auths := []struct {
		name       string
		cfg        wso2.Config
		wantMethod string
		// wantBasic is the raw id and secret of the Basic header, if any.
		wantBasic *[2]string
		wantForm  url.Values
	}{
		{"raw Basic from ClientID and ClientSecret", wso2.Config{ClientID: clientID, ClientSecret: secret}, "client_secret_basic", &[2]string{clientID, secret}, nil},
		{"raw Basic from Auth", wso2.Config{Auth: revoke.ClientSecretBasicRaw(clientID, secret)}, "client_secret_basic", &[2]string{clientID, secret}, nil},
		{"client_secret_post", wso2.Config{Auth: revoke.ClientSecretPost(clientID, secret)}, "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {secret}}},
		{"client_secret_post with ':' in the secret", wso2.Config{Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}, "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}},
		{"ClientCredentials sends client_secret_post", wso2.Config{Auth: revoke.ClientCredentials(clientID, testkit.Secret)}, "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}},
		{"ClientIDOnly", wso2.Config{ClientID: clientID, ClientIDOnly: true}, "none", nil, url.Values{"client_id": {clientID}}},
		{"PublicClient", wso2.Config{Auth: revoke.PublicClient(clientID)}, "none", nil, url.Values{"client_id": {clientID}}},
	}
	layouts := []struct {
		name, baseURL, tenant, wantURL string
	}{
		{"super tenant", base, "", base + "/oauth2/revoke"},
		{"super tenant, trailing slash", base + "/", "", base + "/oauth2/revoke"},
		{"upper-case host", "https://IS.Example.COM:9443", "", base + "/oauth2/revoke"},
		{"tenant", base, "wso2.com", base + "/t/wso2.com/oauth2/revoke"},
		{"Asgardeo organization", "https://api.asgardeo.io", "myorg", "https://api.asgardeo.io/t/myorg/oauth2/revoke"},
		{"Asgardeo base with /t/org", "https://api.asgardeo.io/t/myorg", "", "https://api.asgardeo.io/t/myorg/oauth2/revoke"},
		{"behind a path prefix", "https://gw.example.com/is/", wso2.SuperTenant, "https://gw.example.com/is/t/carbon.super/oauth2/revoke"},
		{"loopback over plain http", "http://127.0.0.1:9763", "", "http://127.0.0.1:9763/oauth2/revoke"},
	}
	var cases []testkit.FormCase[*wso2.Revoker]
	for _, a := range auths {
		for _, l := range layouts {
			cfg := a.cfg
			cfg.BaseURL, cfg.Tenant = l.baseURL, l.tenant
			cases = append(cases, testkit.FormCase[*wso2.Revoker]{
				Name: a.name + " | " + l.name,
				New: func(opts ...revoke.Option) (*wso2.Revoker, error) {
					return wso2.New(cfg, opts...)
				},
				URL: l.wantURL, Method: a.wantMethod, Basic: a.wantBasic, Form: a.wantForm,
				Check: func(t *testing.T, _ *wso2.Revoker, res *revoke.Result, s testkit.Seen) {
					if details(t, res).Found() {
						t.Errorf("result = %+v; want nothing found", res)
					}
					if a.wantBasic != nil {
						id, sec, ok := testkit.DecodeBasic(s.Header.Get("Authorization"))
						if !ok || id != a.wantBasic[0] || sec != a.wantBasic[1] {
							t.Errorf("Basic decodes to %q, %v (secret as sent: %v); want the raw id and secret", id, ok, sec == a.wantBasic[1])
						}
					}
					if s.Form(t).Has("callback") {
						t.Error("callback sent")
					}
				},
			})
		}
	}
	testkit.FormMatrix(t, testkit.FormWire{
		ClientID: clientID, Token: token,
		Header:     map[string]string{"Accept": "application/json", "User-Agent": "revoke-go/" + revoke.Version},
		TokenFirst: true, Golden: "wire-matrix.txt",
	}, cases)
}

// TestRequestRefusals: every request WSO2 would misread is refused before
// anything is sent, as a *revoke.ConfigError naming the field, matching
// revoke.ErrInvalidRequest, and never repeating the token.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name      string
		req       revoke.Request
		wantField string
		wantText  string
	}{
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "wso2 revoke: Request.Hint", "access_token, refresh_token"},
		{"unknown hint", revoke.Request{Token: token, Hint: "id_token"}, "wso2 revoke: Request.Hint", "not a token_type_hint this vendor documents"},
		{"callback (JSONP)", revoke.Request{Token: token, Params: url.Values{"callback": {"cb"}}}, "wso2 revoke: Request.Params", "JSONP"},
		{"Callback in another case", revoke.Request{Token: token, Params: url.Values{"CallBack": {"cb"}}}, "wso2 revoke: Request.Params", "JSONP"},
		{"empty token", revoke.Request{}, "wso2 revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "abc1234"}, "wso2 revoke: Request.Token", "shorter than"},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "wso2 revoke: Request.Token", "white space or a control character"},
		{"token with a space", revoke.Request{Token: "tok en-value-123"}, "wso2 revoke: Request.Token", "white space or a control character"},
		{"client_id in Params", revoke.Request{Token: token, Params: url.Values{"client_id": {"other"}}}, "wso2 revoke: Request.Params", "may not be overridden"},
		{"client_secret in Params", revoke.Request{Token: token, Params: url.Values{"client_secret": {"x"}}}, "wso2 revoke: Request.Params", "may not be overridden"},
		{"TOKEN in Params", revoke.Request{Token: token, Params: url.Values{"TOKEN": {"other-token-value"}}}, "wso2 revoke: Request.Params", "may not be overridden"},
		{"Token_Type_Hint in Params", revoke.Request{Token: token, Params: url.Values{"Token_Type_Hint": {"refresh_token"}}}, "wso2 revoke: Request.Params", "may not be overridden"},
		{"empty parameter name", revoke.Request{Token: token, Params: url.Values{"": {"x"}}}, "wso2 revoke: Request.Params", "empty name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.wantField, tc.wantText, revoke.ErrInvalidRequest, token, secret)
		})
	}
}

// TestExtraParams: parameters WSO2 does not reserve travel after the hint,
// in key order, before the credentials.
func TestExtraParams(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, wso2.Config{BaseURL: base, Auth: revoke.ClientSecretPost(clientID, secret)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: revoke.HintAccessToken, Params: url.Values{"z": {"2"}, "a": {"1 2"}}}); err != nil {
		t.Fatal(err)
	}
	want := "token=" + url.QueryEscape(token) + "&token_type_hint=access_token&a=1+2&z=2&client_id=" + clientID + "&client_secret=" + url.QueryEscape(secret)
	testkit.Want(t, "body", string(ep.Only(t).Body), want)
}

// TestDetails reads WSO2's revoked-token headers, however the transport
// spells their keys, into Details.
func TestDetails(t *testing.T) {
	tests := []struct {
		name      string
		hdr       http.Header
		wantAT    string
		wantRT    string
		wantUser  string
		wantFound bool
	}{
		{"WSO2's spelling (uncanonicalised)", http.Header{"RevokedAccessToken": {"at-value-1"}, "RevokedRefreshToken": {"rt-value-1"}, "AuthorizedUser": {"admin@carbon.super"}}, "at-value-1", "rt-value-1", "admin@carbon.super", true},
		{"canonical keys", http.Header{"Revokedaccesstoken": {"at-value-2"}, "Authorizeduser": {"bob@wso2.com"}}, "at-value-2", "", "bob@wso2.com", true},
		{"lower-case keys (HTTP/2)", http.Header{"revokedaccesstoken": {"at-value-3"}, "revokedrefreshtoken": {"rt-value-3"}, "authorizeduser": {"eve@wso2.com"}}, "at-value-3", "rt-value-3", "eve@wso2.com", true},
		{"first non-empty value", http.Header{"Revokedaccesstoken": {"", "at-value-4"}}, "at-value-4", "", "", true},
		{"AuthorizedUser only (token headers switched off)", http.Header{"AuthorizedUser": {"carol@carbon.super"}}, "", "", "carol@carbon.super", true},
		{"AuthorizedUser echoing the token is scrubbed", http.Header{"AuthorizedUser": {token + "@carbon.super"}}, "", "", "[REDACTED]@carbon.super", true},
		{"nothing found", http.Header{"Cache-Control": {"no-store"}}, "", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Header: tc.hdr})
			r := newRevoker(t, ep, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := res.Vendor.(wso2.RevokeDetails); !ok {
				t.Errorf("Result.Vendor is %T, want wso2.RevokeDetails", res.Vendor)
			}
			d := details(t, res)
			if d.RevokedAccessToken.Reveal() != tc.wantAT || d.RevokedRefreshToken.Reveal() != tc.wantRT || d.AuthorizedUser != tc.wantUser || d.Found() != tc.wantFound {
				t.Errorf("details = {%q %q %q found=%v}; want {%q %q %q found=%v}", d.RevokedAccessToken.Reveal(), d.RevokedRefreshToken.Reveal(), d.AuthorizedUser, d.Found(), tc.wantAT, tc.wantRT, tc.wantUser, tc.wantFound)
			}
			if res.AlreadyInvalid {
				t.Error("AlreadyInvalid set: WSO2 never says so")
			}
		})
	}
}

// TestDetailsAccessor: Details reports ok only for a WSO2 result.
func TestDetailsAccessor(t *testing.T) {
	d := wso2.RevokeDetails{AuthorizedUser: "a@b"}
	tests := []struct {
		name   string
		res    *revoke.Result
		wantOK bool
		want   wso2.RevokeDetails
	}{
		{"nil result", nil, false, wso2.RevokeDetails{}},
		{"no vendor details", &revoke.Result{StatusCode: 200}, false, wso2.RevokeDetails{}},
		{"another vendor's details", &revoke.Result{Vendor: "other"}, false, wso2.RevokeDetails{}},
		{"value", &revoke.Result{Vendor: d}, true, d},
		{"pointer", &revoke.Result{Vendor: &d}, true, d},
		{"nil pointer", &revoke.Result{Vendor: (*wso2.RevokeDetails)(nil)}, false, wso2.RevokeDetails{}},
	}
	for _, tc := range tests {
		got, ok := wso2.Details(tc.res)
		if ok != tc.wantOK || got != tc.want {
			t.Errorf("%s: Details = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.wantOK)
		}
	}
}

// TestErrorMapping serves WSO2's error answers (body, status and headers as
// the server source writes them; testdata/README.md) and checks every field
// of the error.
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
			ep := testkit.NewEndpoint(testkit.Answer{Status: tc.status, Header: tc.hdr, Body: testkit.Golden(t, tc.file)})
			r := newRevoker(t, ep, wso2.Config{BaseURL: base, Tenant: "wso2.com", ClientID: clientID, ClientSecret: secret}, revoke.WithoutRetry())
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			e := testkit.WantError(t, err, tc.wantKind)
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != "" {
				t.Errorf("error = {%d %q %q excerpt %q}; want {%d %q %q}", e.StatusCode, e.Code, e.Description, e.Excerpt, tc.status, tc.wantCode, tc.wantDesc)
			}
			if e.Op != "wso2 revoke" || e.Endpoint != base+"/t/wso2.com/oauth2/revoke" || e.Attempts != 1 || len(ep.Requests()) != 1 {
				t.Errorf("op, endpoint, attempts, requests = %q, %q, %d, %d", e.Op, e.Endpoint, e.Attempts, len(ep.Requests()))
			}
			testkit.NoLeak(t, "error", err.Error(), token, secret, testkit.Basic(clientID, secret))
		})
	}
}

// TestRetries: WSO2 calls go through the kit's retry policy, and the
// details of the final answer are the ones reported.
func TestRetries(t *testing.T) {
	res := testkit.Retried(t, buildRevoker, revoke.Request{Token: token},
		testkit.JSONAnswer(503, `{"error":"temporarily_unavailable"}`),
		testkit.Answer{Status: 200, Header: http.Header{"AuthorizedUser": {"alice@carbon.super"}}},
	)
	if details(t, res).AuthorizedUser != "alice@carbon.super" {
		t.Errorf("result = %+v; want the final answer's details", res)
	}
}

// TestRedirectNotFollowed: a redirect is an error and the credentials never
// leave for its target.
func TestRedirectNotFollowed(t *testing.T) {
	testkit.NoRedirect(t, buildRevoker, revoke.Request{Token: token})
}

// buildRevoker builds a Revoker with raw Basic credentials, sending to ep.
func buildRevoker(t *testing.T, ep *testkit.Endpoint) revoke.Revoker {
	return newRevoker(t, ep, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
}

// TestNilContextAndZeroValues: nothing panics and every misuse is a
// *revoke.ConfigError.
func TestNilContextAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
}
