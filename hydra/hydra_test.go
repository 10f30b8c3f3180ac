package hydra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	var cases []testkit.FormCase[*hydra.Revoker]
	for _, a := range auths {
		for _, l := range layouts {
			c := testkit.FormCase[*hydra.Revoker]{
				Name: a.name + " | " + l.name,
				New: func(opts ...revoke.Option) (*hydra.Revoker, error) {
					return hydra.New(hydra.Config{PublicURL: l.publicURL, Auth: a.auth}, opts...)
				},
				URL: l.wantURL, Method: a.wantMethod, Basic: a.wantBasic, Form: a.wantForm,
				Check: func(t *testing.T, r *hydra.Revoker, _ *revoke.Result, _ testkit.Seen) {
					testkit.Want(t, "TokenEndpoint()", r.TokenEndpoint(), l.wantAud)
				},
			}
			if a.assertion {
				c.Aud = l.wantAud // fosite's token endpoint rule
			}
			cases = append(cases, c)
		}
	}
	testkit.FormMatrix(t, testkit.FormWire{
		ClientID: clientID, Token: token,
		Header: map[string]string{"Accept": "application/json"}, TokenFirst: true, Golden: "wire-matrix.txt",
	}, cases)
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
	if aud := testkit.AssertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != "https://auth.example.com/custom/token" {
		t.Errorf("aud = %v; want the configured TokenEndpoint", aud)
	}
	ep = testkit.NewEndpoint()
	r = newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudienceValue("https://aud.example"))})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	if aud := testkit.AssertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != "https://aud.example" {
		t.Errorf("aud = %v; want the fixed value", aud)
	}
	ep = testkit.NewEndpoint()
	r = newRevoker(t, ep, hydra.Config{PublicURL: public, Issuer: public + "/", Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudience(revoke.AudienceIssuer))})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	if aud := testkit.AssertionClaims(t, ep.Only(t).Form(t).Get("client_assertion")).Audience; len(aud) != 1 || aud[0] != public+"/" {
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
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.wantField, tc.wantText, revoke.ErrInvalidRequest, token, testkit.Secret)
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
			e := testkit.WantError(t, err, tc.wantKind)
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
	build := func(t *testing.T, ep *testkit.Endpoint) revoke.Revoker {
		return newRevoker(t, ep, hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)})
	}
	testkit.Retried(t, build, revoke.Request{Token: token}, testkit.JSONAnswer(503, `{"error":"temporarily_unavailable"}`), testkit.Answer{Status: 200})
	testkit.NoRedirect(t, build, revoke.Request{Token: token})
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
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	var nilCtx context.Context
	var zero hydra.Revoker
	var nilR *hydra.Revoker
	if err := nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-value"}); err == nil {
		t.Error("RevokeToken on a nil Revoker succeeded")
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if s := zero.TokenEndpoint() + nilR.TokenEndpoint(); s != "" {
		t.Errorf("zero Revoker TokenEndpoint = %q, want empty", s)
	}
	if _, err := hydra.Discover(nilCtx, public, revoke.PublicClient(clientID)); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("Discover with a nil context: %v", err)
	}
}
