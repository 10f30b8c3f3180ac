package hydra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestWireMatrix asserts the exact request for every authentication mode,
// URL layout and hint: method, URL, every header, the Basic encoding and
// the body, byte for byte, against testdata/wire-matrix.txt. Client
// assertions are decoded and their claims checked; the golden shows them
// as {assertion}.
func TestWireMatrix(t *testing.T) {
	key := testkit.ECKey(t)
	auths := []struct {
		name       string
		auth       revoke.ClientAuth
		wantMethod string
		// wantBasic is the encoded id and secret of the Basic header.
		wantBasic *[2]string
		wantForm  url.Values
		assertion bool
	}{
		{"client_secret_basic, form-encoded", revoke.ClientSecretBasic(clientID, testkit.Secret), "client_secret_basic", &[2]string{clientID, url.QueryEscape(testkit.Secret)}, nil, false},
		{"client_secret_post", revoke.ClientSecretPost(clientID, testkit.Secret), "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}, false},
		{"ClientCredentials, reserved characters: post", revoke.ClientCredentials(clientID, testkit.Secret), "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}, false},
		{"ClientCredentials, plain secret: basic", revoke.ClientCredentials(clientID, "plainSecretValue1"), "client_secret_basic", &[2]string{clientID, "plainSecretValue1"}, nil, false},
		{"none", revoke.PublicClient(clientID), "none", nil, url.Values{"client_id": {clientID}}, false},
		{"private_key_jwt", revoke.PrivateKeyJWT(clientID, key, revoke.WithKeyID("k1")), "private_key_jwt", nil, url.Values{"client_assertion_type": {revoke.ClientAssertionType}}, true},
		{"client_secret_jwt", revoke.ClientSecretJWT(clientID, testkit.HMACSecret), "client_secret_jwt", nil, url.Values{"client_assertion_type": {revoke.ClientAssertionType}}, true},
	}
	layouts := []struct {
		name, publicURL, wantURL, wantAud string
	}{
		{"self-hosted", public, public + "/oauth2/revoke", public + "/oauth2/token"},
		{"trailing slash, upper-case host", "https://AUTH.Example.com/", public + "/oauth2/revoke", public + "/oauth2/token"},
		{"Ory Network", "https://eager-shaw-1x2y.projects.oryapis.com", "https://eager-shaw-1x2y.projects.oryapis.com/oauth2/revoke", "https://eager-shaw-1x2y.projects.oryapis.com/oauth2/token"},
		{"behind a path prefix", "https://gw.example.com/hydra", "https://gw.example.com/hydra/oauth2/revoke", "https://gw.example.com/hydra/oauth2/token"},
		{"loopback over plain http", "http://127.0.0.1:4444", "http://127.0.0.1:4444/oauth2/revoke", "http://127.0.0.1:4444/oauth2/token"},
	}
	hints := []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken}
	var golden strings.Builder
	for _, a := range auths {
		for _, l := range layouts {
			for _, hint := range hints {
				name := fmt.Sprintf("%s | %s | %s", a.name, l.name, cmpOr(string(hint), "no hint"))
				t.Run(name, func(t *testing.T) {
					ep := testkit.NewEndpoint()
					r := newRevoker(t, ep, hydra.Config{PublicURL: l.publicURL, Auth: a.auth})
					testkit.Want(t, "Endpoint()", r.Endpoint(), l.wantURL)
					testkit.Want(t, "TokenEndpoint()", r.TokenEndpoint(), l.wantAud)
					testkit.Want(t, "AuthMethod()", r.AuthMethod(), a.wantMethod)
					testkit.Want(t, "ClientID()", r.ClientID(), clientID)
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil {
						t.Fatalf("Revoke: %v", err)
					}
					if res.StatusCode != 200 || res.Attempts != 1 || res.AlreadyInvalid {
						t.Errorf("result = %+v; want 200 after 1 attempt", res)
					}
					s := ep.Only(t)
					testkit.Want(t, "method", s.Method, http.MethodPost)
					testkit.Want(t, "URL", s.URL.String(), l.wantURL)
					testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
					testkit.Header(t, s.Header, "Accept", "application/json")
					authz := s.Header.Get("Authorization")
					if a.wantBasic == nil {
						testkit.Want(t, "Authorization", authz, "")
					} else {
						testkit.Want(t, "Authorization", authz, testkit.Basic(a.wantBasic[0], a.wantBasic[1]))
					}
					form := s.Form(t)
					want := url.Values{"token": {token}}
					if hint != "" {
						want.Set("token_type_hint", string(hint))
					}
					for k, v := range a.wantForm {
						want[k] = v
					}
					if a.assertion {
						c := assertionClaims(t, form.Get("client_assertion"))
						if c.Issuer != clientID || c.Subject != clientID || len(c.Audience) != 1 || c.Audience[0] != l.wantAud || c.ID == "" {
							t.Errorf("assertion claims = %+v; want iss=sub=%s, aud=[%s] (fosite's token endpoint rule), a jti", c, clientID, l.wantAud)
						}
						want.Set("client_assertion", form.Get("client_assertion"))
					}
					testkit.Want(t, "form", form.Encode(), want.Encode())
					if !strings.HasPrefix(string(s.Body), "token=") {
						t.Errorf("body %q does not start with the token", s.Body)
					}
					fmt.Fprintf(&golden, "== %s\n%s\n", name, render(s))
				})
			}
		}
	}
	if !t.Failed() {
		checkGolden(t, "wire-matrix.txt", golden.String())
	}
}

// TestAudienceOverrides: the caller's audience choice wins, except the
// revocation endpoint, which fosite always rejects.
func TestAudienceOverrides(t *testing.T) {
	key := testkit.ECKey(t)
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, TokenEndpoint: "https://auth.example.com/custom/token",
		Auth: revoke.PrivateKeyJWT(clientID, key)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	if aud := assertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != "https://auth.example.com/custom/token" {
		t.Errorf("aud = %v; want the configured TokenEndpoint", aud)
	}
	ep = testkit.NewEndpoint()
	r = newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudienceValue("https://aud.example"))})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	if aud := assertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != "https://aud.example" {
		t.Errorf("aud = %v; want the fixed value", aud)
	}
	ep = testkit.NewEndpoint()
	r = newRevoker(t, ep, hydra.Config{PublicURL: public, Issuer: public + "/", Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudience(revoke.AudienceIssuer))})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	if aud := assertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != public+"/" {
		t.Errorf("aud = %v; want the issuer", aud)
	}
}

// TestRequestRefusals: every request Hydra would misread is refused before
// anything is sent, as a *revoke.ConfigError naming the field, matching
// revoke.ErrInvalidRequest, and never repeating the token.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name      string
		req       revoke.Request
		wantField string
		wantText  string
	}{
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "hydra revoke: Request.Hint", "access_token, refresh_token"},
		{"unknown hint", revoke.Request{Token: token, Hint: "id_token"}, "hydra revoke: Request.Hint", "not a token_type_hint this vendor documents"},
		{"empty token", revoke.Request{}, "hydra revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "abc1234"}, "hydra revoke: Request.Token", "shorter than"},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "hydra revoke: Request.Token", "white space or a control character"},
		{"client_id in Params", revoke.Request{Token: token, Params: url.Values{"client_id": {"other"}}}, "hydra revoke: Request.Params", "may not be overridden"},
		{"Token in Params", revoke.Request{Token: token, Params: url.Values{"Token": {"other-token-value"}}}, "hydra revoke: Request.Params", "may not be overridden"},
		{"client_assertion in Params", revoke.Request{Token: token, Params: url.Values{"CLIENT_ASSERTION": {"x"}}}, "hydra revoke: Request.Params", "may not be overridden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)})
			res, err := r.Revoke(context.Background(), tc.req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.wantField || !strings.Contains(ce.Problem, tc.wantText) {
				t.Fatalf("Revoke = %v, %v; want a ConfigError on %q saying %q", res, err, tc.wantField, tc.wantText)
			}
			if !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("errors.Is(%q, ErrInvalidRequest) = false", err)
			}
			testkit.NoLeak(t, "error", err.Error(), token, testkit.Secret)
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

// TestExtraParams: parameters fosite ignores travel after the hint, in key
// order, before the credentials.
func TestExtraParams(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretPost(clientID, "postSecret1")})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: revoke.HintAccessToken, Params: url.Values{"z": {"2"}, "a": {"1 2"}}}); err != nil {
		t.Fatal(err)
	}
	want := "token=" + url.QueryEscape(token) + "&token_type_hint=access_token&a=1+2&z=2&client_id=" + clientID + "&client_secret=postSecret1"
	testkit.Want(t, "body", string(ep.Only(t).Body), want)
}

// TestErrorMapping serves Hydra's error answers (testdata/README.md) and
// checks every field of the error.
func TestErrorMapping(t *testing.T) {
	fosite := http.Header{"Content-Type": {"application/json;charset=UTF-8"}, "Cache-Control": {"no-store"}}
	tests := []struct {
		file       string
		status     int
		hdr        http.Header
		wantKind   error
		wantCode   string
		wantDesc   string
		wantCauses []string
	}{
		{"revoke-401-invalid-client.json", 401, fosite, revoke.ErrInvalidClient, "invalid_client", "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).", nil},
		{"revoke-400-invalid-request.json", 400, fosite, revoke.ErrInvalidRequest, "invalid_request", "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.", nil},
		{"revoke-400-unauthorized-client.json", 400, fosite, revoke.ErrUnauthorizedClient, "unauthorized_client", "The client is not authorized to request a token using this method.", nil},
		{"revoke-401-legacy-hint.json", 401, fosite, revoke.ErrInvalidClient, "invalid_client", "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).",
			[]string{"The requested OAuth 2.0 Client does not exist.", "sql: no rows in result set"}},
		{"ory-401-generic.json", 401, nil, revoke.ErrInvalidClient, "Unauthorized", "The request could not be authorized", []string{"The provided API key is invalid or missing."}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: tc.status, Header: tc.hdr, Body: testkit.Golden(t, tc.file)})
			r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, revoke.WithoutRetry())
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a *revoke.Error", err)
			}
			if !errors.Is(err, tc.wantKind) {
				t.Errorf("errors.Is(%q, %v) = false", err, tc.wantKind)
			}
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != "" || fmt.Sprint(e.Causes) != fmt.Sprint(tc.wantCauses) {
				t.Errorf("error = {%d %q %q causes %q excerpt %q}; want {%d %q %q %q}", e.StatusCode, e.Code, e.Description, e.Causes, e.Excerpt, tc.status, tc.wantCode, tc.wantDesc, tc.wantCauses)
			}
			if e.Op != "hydra revoke" || e.Endpoint != public+"/oauth2/revoke" || e.Attempts != 1 {
				t.Errorf("op, endpoint, attempts = %q, %q, %d", e.Op, e.Endpoint, e.Attempts)
			}
			testkit.NoLeak(t, "error", err.Error(), token, testkit.Secret)
		})
	}
	// fosite answers a storage failure with 500 and no body: the token may
	// still be valid.
	ep := testkit.NewEndpoint(testkit.Answer{Status: 500})
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.PublicClient(clientID)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); !errors.Is(err, revoke.ErrServer) {
		t.Errorf("500: %v", err)
	}
}

// TestRetriesAndRedirects: calls go through the kit's retry policy, and a
// redirect is never followed.
func TestRetriesAndRedirects(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.JSONAnswer(503, `{"error":"temporarily_unavailable"}`), testkit.Answer{Status: 200})
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)})
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil || res.Attempts != 2 {
		t.Errorf("res = %+v, err = %v; want success after 2 attempts", res, err)
	}
	if reqs := ep.Requests(); len(reqs) != 2 || render(reqs[0]) != render(reqs[1]) {
		t.Error("the retry differs from the first attempt")
	}
	ep = testkit.NewEndpoint(testkit.Answer{Status: 302, Header: http.Header{"Location": {"https://evil.example.net/"}}})
	r = newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); !errors.Is(err, revoke.ErrRedirect) || len(ep.Requests()) != 1 {
		t.Errorf("redirect: %v after %d requests", err, len(ep.Requests()))
	}
}

// TestRevokeTokenOrder: RevokeToken sends the refresh token, then the
// access token, and needs at least one of them.
func TestRevokeTokenOrder(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.PublicClient(clientID)})
	if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: "access-token-value", RefreshToken: "refresh-token-value"}); err != nil {
		t.Fatal(err)
	}
	reqs := ep.Requests()
	if len(reqs) != 2 || reqs[0].Form(t).Get("token") != "refresh-token-value" || reqs[0].Form(t).Get("token_type_hint") != "refresh_token" ||
		reqs[1].Form(t).Get("token") != "access-token-value" || reqs[1].Form(t).Get("token_type_hint") != "access_token" {
		t.Errorf("want the refresh token, then the access token; got %d requests", len(reqs))
	}
	if err := r.RevokeToken(context.Background(), &oauth2.Token{}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("empty token: %v", err)
	}
}

// TestNilContextAndZeroValues: nothing panics and every misuse is a
// *revoke.ConfigError.
func TestNilContextAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.PublicClient(clientID)})
	var nilCtx context.Context
	var zero hydra.Revoker
	var nilR *hydra.Revoker
	for name, call := range map[string]func() (*revoke.Result, error){
		"nil context":  func() (*revoke.Result, error) { return r.Revoke(nilCtx, revoke.Request{Token: token}) },
		"zero Revoker": func() (*revoke.Result, error) { return zero.Revoke(context.Background(), revoke.Request{Token: token}) },
		"nil Revoker":  func() (*revoke.Result, error) { return nilR.Revoke(context.Background(), revoke.Request{Token: token}) },
	} {
		res, err := call()
		var ce *revoke.ConfigError
		if res != nil || !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: Revoke = %v, %v; want a ConfigError matching ErrInvalidRequest", name, res, err)
		}
	}
	if err := nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-value"}); err == nil {
		t.Error("RevokeToken on a nil Revoker succeeded")
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	for _, s := range []string{zero.Endpoint(), zero.AuthMethod(), zero.ClientID(), zero.TokenEndpoint(), nilR.Endpoint(), nilR.AuthMethod(), nilR.ClientID(), nilR.TokenEndpoint()} {
		if s != "" {
			t.Errorf("zero Revoker accessor = %q, want empty", s)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Revoke(ctx, revoke.Request{Token: token}); !errors.Is(err, context.Canceled) || !errors.Is(err, revoke.ErrUnavailable) {
		t.Errorf("cancelled context: %v", err)
	}
	if _, err := hydra.Discover(nilCtx, public, revoke.PublicClient(clientID)); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("Discover with a nil context: %v", err)
	}
}
