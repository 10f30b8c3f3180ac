package zitadel_test

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
	hints := []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken}
	var golden strings.Builder
	for _, a := range auths {
		for _, l := range layouts {
			for _, hint := range hints {
				name := fmt.Sprintf("%s | %s | %s", a.name, l.name, cmpOr(string(hint), "no hint"))
				t.Run(name, func(t *testing.T) {
					ep := testkit.NewEndpoint(testkit.JSONAnswer(200, "null"))
					r := newRevoker(t, ep, zitadel.Config{Domain: l.domain, Auth: a.auth})
					testkit.Want(t, "Endpoint()", r.Endpoint(), l.wantURL)
					testkit.Want(t, "Issuer()", r.Issuer(), l.wantAud)
					testkit.Want(t, "AuthMethod()", r.AuthMethod(), a.wantMethod)
					testkit.Want(t, "ClientID()", r.ClientID(), clientID)
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil || res.StatusCode != 200 || res.AlreadyInvalid {
						t.Fatalf("Revoke = %+v, %v", res, err)
					}
					s := ep.Only(t)
					testkit.Want(t, "request", s.Method+" "+s.URL.String(), "POST "+l.wantURL)
					testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
					if a.wantBasic == nil {
						testkit.Header(t, s.Header, "Authorization", "")
					} else {
						testkit.Header(t, s.Header, "Authorization", testkit.Basic(a.wantBasic[0], a.wantBasic[1]))
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
						if c.Issuer != clientID || c.Subject != clientID || len(c.Audience) != 1 || c.Audience[0] != l.wantAud {
							t.Errorf("assertion claims = %+v; want iss=sub=client, aud=[%s]", c, l.wantAud)
						}
						want.Set("client_assertion", form.Get("client_assertion"))
					}
					testkit.Want(t, "form", form.Encode(), want.Encode())
					fmt.Fprintf(&golden, "== %s\n%s\n", name, render(s))
				})
			}
		}
	}
	if !t.Failed() {
		checkGolden(t, "wire-matrix.txt", golden.String())
	}
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
		ep := testkit.NewEndpoint()
		r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
		_, err := r.Revoke(context.Background(), tc.req)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(ce.Problem, tc.text) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v; want %s saying %q", tc.name, err, tc.field, tc.text)
		}
		if len(ep.Requests()) != 0 {
			t.Errorf("%s: a request was sent", tc.name)
		}
		testkit.NoLeak(t, tc.name, fmt.Sprint(err), token)
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
			var e *revoke.Error
			if !errors.As(err, &e) || !errors.Is(err, tc.wantKind) {
				t.Fatalf("err = %v; want %v", err, tc.wantKind)
			}
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
	ep := testkit.NewEndpoint(testkit.Answer{Status: 503, Header: http.Header{"Retry-After": {"0"}}}, testkit.JSONAnswer(200, "null"))
	r := newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
	if res, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil || res.Attempts != 2 {
		t.Errorf("retry: %+v, %v", res, err)
	}
	ep = testkit.NewEndpoint(testkit.Answer{Status: 307, Header: http.Header{"Location": {"https://evil.example.net/"}}})
	r = newRevoker(t, ep, zitadel.Config{Domain: instance, Auth: revoke.PublicClient(clientID)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); !errors.Is(err, revoke.ErrRedirect) {
		t.Errorf("redirect: %v", err)
	}
	var nilCtx context.Context
	var zero zitadel.Revoker
	var nilR *zitadel.Revoker
	for name, err := range map[string]error{
		"nil context":  second(r.Revoke(nilCtx, revoke.Request{Token: token})),
		"zero Revoker": second(zero.Revoke(context.Background(), revoke.Request{Token: token})),
		"nil Revoker":  second(nilR.Revoke(context.Background(), revoke.Request{Token: token})),
		"nil pair":     nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-1"}),
	} {
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, s := range []string{zero.Endpoint(), zero.AuthMethod(), zero.ClientID(), zero.Issuer(), nilR.Endpoint(), nilR.AuthMethod(), nilR.ClientID(), nilR.Issuer()} {
		if s != "" {
			t.Errorf("zero accessor = %q", s)
		}
	}
}

func second(_ *revoke.Result, err error) error { return err }
