package zitadel_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/zitadel"
)

// TestWireMatrix asserts the exact request for every authentication mode,
// domain layout and hint, byte for byte, against testdata/wire-matrix.txt.
// Client assertions are decoded and their audience checked: the issuer.
func TestWireMatrix(t *testing.T) {
	key := testkit.RSAKey(t)
	auths := []struct {
		name       string
		auth       revoke.ClientAuth
		wantMethod string
		wantBasic  *[2]string
		wantForm   url.Values
		assertion  bool
	}{
		{"client_secret_basic, form-encoded", revoke.ClientSecretBasic(clientID, testkit.Secret), "client_secret_basic", &[2]string{url.QueryEscape(clientID), url.QueryEscape(testkit.Secret)}, nil, false},
		{"client_secret_post", revoke.ClientSecretPost(clientID, testkit.Secret), "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}, false},
		{"ClientCredentials: post for reserved characters", revoke.ClientCredentials(clientID, testkit.Secret), "client_secret_post", nil, url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}, false},
		{"none (PKCE)", revoke.PublicClient(clientID), "none", nil, url.Values{"client_id": {clientID}}, false},
		{"private_key_jwt", revoke.PrivateKeyJWT(clientID, key, revoke.WithKeyID("286519478562899999")), "private_key_jwt", nil, url.Values{"client_assertion_type": {revoke.ClientAssertionType}}, true},
	}
	layouts := []struct {
		name, domain, wantURL, wantAud string
	}{
		{"ZITADEL Cloud, bare domain", instance, base + "/oauth/v2/revoke", base},
		{"URL with a trailing slash", base + "/", base + "/oauth/v2/revoke", base},
		{"custom domain", "Auth.Example.com", "https://auth.example.com/oauth/v2/revoke", "https://auth.example.com"},
		{"local instance over http", "http://localhost:8080", "http://localhost:8080/oauth/v2/revoke", "http://localhost:8080"},
	}
	var cases []testkit.FormCase[*zitadel.Revoker]
	for _, a := range auths {
		for _, l := range layouts {
			c := testkit.FormCase[*zitadel.Revoker]{
				Name: a.name + " | " + l.name,
				New: func(opts ...revoke.Option) (*zitadel.Revoker, error) {
					return zitadel.New(zitadel.Config{Domain: l.domain, Auth: a.auth}, opts...)
				},
				URL: l.wantURL, Method: a.wantMethod, Basic: a.wantBasic, Form: a.wantForm,
				Check: func(t *testing.T, r *zitadel.Revoker, _ *revoke.Result, _ testkit.Seen) {
					testkit.Want(t, "Issuer()", r.Issuer(), l.wantAud)
				},
			}
			if a.assertion {
				c.Aud = l.wantAud // the issuer
			}
			cases = append(cases, c)
		}
	}
	testkit.FormMatrix(t, testkit.FormWire{
		ClientID: clientID, Token: token, Answer: testkit.JSONAnswer(200, "null"),
		Header: map[string]string{"Accept": "application/json"}, TokenFirst: true, Golden: "wire-matrix.txt",
	}, cases)
}

// TestRequestRefusals: requests ZITADEL would misread are refused before
// sending.
func TestRequestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		req   revoke.Request
		field string
		text  string
	}{
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "zitadel revoke: Request.Hint", "access_token, refresh_token"},
		{"empty token", revoke.Request{}, "zitadel revoke: Request.Token", "is empty"},
		{"token with a space", revoke.Request{Token: "tok en-value-123"}, "zitadel revoke: Request.Token", "white space"},
		{"client_secret in Params", revoke.Request{Token: token, Params: url.Values{"client_secret": {"x"}}}, "zitadel revoke: Request.Params", "may not be overridden"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.field, tc.text, revoke.ErrInvalidRequest, token)
		})
	}
}

// TestErrorMapping serves ZITADEL's answers (testdata/README.md).
func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		file     string
		status   int
		wantKind error
		wantCode string
		wantDesc string
	}{
		{"revoke-401-invalid-authorization.json", 401, revoke.ErrInvalidClient, "invalid_client", "invalid authorization"},
		{"revoke-401-invalid-secret.json", 401, revoke.ErrInvalidClient, "invalid_client", "invalid client_id / client_secret"},
		{"revoke-401-unknown-client.json", 401, revoke.ErrInvalidClient, "invalid_client", ""},
		{"revoke-401-wrong-client.json", 401, revoke.ErrUnauthorizedClient, "invalid_client", "token was not issued for this client"},
		{"revoke-401-jwt-not-supported.json", 401, revoke.ErrInvalidClient, "invalid_client", "auth_method private_key_jwt not supported"},
		{"revoke-500-assertion-audience.json", 500, revoke.ErrInvalidClient, "server_error", `audience is not valid: Audience must contain client_id "https://my-instance-abc123.zitadel.cloud"`},
		{"revoke-500-assertion-expired.json", 500, revoke.ErrInvalidClient, "server_error", "token has expired"},
		{"revoke-500-server-error.json", 500, revoke.ErrServer, "server_error", "Errors.Internal"},
		{"revoke-400-invalid-request.json", 400, revoke.ErrInvalidRequest, "invalid_request", "error decoding form"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(tc.status, testkit.Golden(t, tc.file)))
			r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, revoke.WithoutRetry())
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			e := testkit.WantError(t, err, tc.wantKind)
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != "" || e.Op != "zitadel revoke" || e.Attempts != 1 {
				t.Errorf("error = %+v", e)
			}
			testkit.NoLeak(t, "error", err.Error(), token, testkit.Secret)
		})
	}
}

// TestSuccessBodies: 200 with null, an empty body or {} all succeed.
func TestSuccessBodies(t *testing.T) {
	for _, body := range []string{"null", "", "{}"} {
		ep := testkit.NewEndpoint(testkit.JSONAnswer(200, body))
		r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
		if res, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil || res.AlreadyInvalid {
			t.Errorf("body %q: %+v, %v", body, res, err)
		}
	}
}

// TestRetriesRedirectsAndZeroValues: the kit's policies apply, and misuse
// is an error, never a panic.
func TestRetriesRedirectsAndZeroValues(t *testing.T) {
	build := func(t *testing.T, ep *testkit.Endpoint) revoke.Revoker {
		return newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
	}
	testkit.Retried(t, build, revoke.Request{Token: token}, testkit.Answer{Status: 503, Header: http.Header{"Retry-After": {"0"}}}, testkit.JSONAnswer(200, "null"))
	testkit.NoRedirect(t, build, revoke.Request{Token: token})
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	var zero zitadel.Revoker
	var nilR *zitadel.Revoker
	var ce *revoke.ConfigError
	if err := nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-1"}); !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil pair: %v", err)
	}
	if s := zero.Issuer() + nilR.Issuer(); s != "" {
		t.Errorf("zero Issuer = %q", s)
	}
}
