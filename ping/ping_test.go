package ping_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/ping"
)

// wireCase is one configuration of one product.
type wireCase struct {
	name       string
	build      func(opts ...revoke.Option) (*ping.Revoker, error)
	wantURL    string
	wantMethod string
	wantBasic  *[2]string // as sent
	wantForm   url.Values // besides token and hint
	wantAud    string     // for assertions
}

func wireCases(t *testing.T) []wireCase {
	key := testkit.ECKey(t)
	post := url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}
	pub := url.Values{"client_id": {clientID}}
	jwt := url.Values{"client_assertion_type": {revoke.ClientAssertionType}}
	jwtAM := url.Values{"client_assertion_type": {revoke.ClientAssertionType}, "client_id": {clientID}}
	enc := &[2]string{clientID, url.QueryEscape(testkit.Secret)}
	raw := &[2]string{clientID, "mySecret-value"}
	fed := func(base string, a revoke.ClientAuth) func(...revoke.Option) (*ping.Revoker, error) {
		return func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewFederate(ping.FederateConfig{BaseURL: base, Auth: a}, o...)
		}
	}
	one := func(cfg ping.OneConfig) func(...revoke.Option) (*ping.Revoker, error) {
		return func(o ...revoke.Option) (*ping.Revoker, error) { return ping.NewOne(cfg, o...) }
	}
	am := func(base, realm string, a revoke.ClientAuth) func(...revoke.Option) (*ping.Revoker, error) {
		return func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: base, Realm: realm, Auth: a}, o...)
		}
	}
	pfURL := pfBase + "/as/revoke_token.oauth2"
	oneURL := "https://auth.pingone.eu/" + envID + "/as/revoke"
	amURL := amBase + "/oauth2/realms/root/realms/alpha/token/revoke"
	return []wireCase{
		{"PingFederate | client_secret_basic, form-encoded", fed(pfBase, revoke.ClientSecretBasic(clientID, testkit.Secret)), pfURL, "client_secret_basic", enc, nil, ""},
		{"PingFederate | raw Basic", fed(pfBase+"/", revoke.ClientSecretBasicRaw(clientID, "mySecret-value")), pfURL, "client_secret_basic", raw, nil, ""},
		{"PingFederate | client_secret_post", fed(pfBase, revoke.ClientSecretPost(clientID, testkit.Secret)), pfURL, "client_secret_post", nil, post, ""},
		{"PingFederate | ClientCredentials: post for reserved characters", fed(pfBase, revoke.ClientCredentials(clientID, testkit.Secret)), pfURL, "client_secret_post", nil, post, ""},
		{"PingFederate | public client", fed(pfBase, revoke.PublicClient(clientID)), pfURL, "none", nil, pub, ""},
		{"PingFederate | private_key_jwt", fed(pfBase, revoke.PrivateKeyJWT(clientID, key)), pfURL, "private_key_jwt", nil, jwt, pfBase + "/as/token.oauth2"},
		{"PingFederate | behind a path prefix", fed("https://gw.example.com/pf", revoke.PublicClient(clientID)), "https://gw.example.com/pf/as/revoke_token.oauth2", "none", nil, pub, ""},
		{"PingOne | EU, client_secret_basic", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}), oneURL, "client_secret_basic", enc, nil, ""},
		{"PingOne | North America, client_secret_post", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionNorthAmerica, Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}), "https://auth.pingone.com/" + envID + "/as/revoke", "client_secret_post", nil, post, ""},
		{"PingOne | Australia, NONE", one(ping.OneConfig{EnvironmentID: strings.ToUpper(envID), Region: ping.RegionAustralia, Auth: revoke.PublicClient(clientID)}), "https://auth.pingone.com.au/" + envID + "/as/revoke", "none", nil, pub, ""},
		{"PingOne | Singapore, PRIVATE_KEY_JWT", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionSingapore, Auth: revoke.PrivateKeyJWT(clientID, key)}), "https://auth.pingone.sg/" + envID + "/as/revoke", "private_key_jwt", nil, jwt, "https://auth.pingone.sg/" + envID + "/as"},
		{"PingOne | Canada, CLIENT_SECRET_JWT", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionCanada, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}), "https://auth.pingone.ca/" + envID + "/as/revoke", "client_secret_jwt", nil, jwt, "https://auth.pingone.ca/" + envID + "/as"},
		{"PingOne | legacy Asia-Pacific, ClientCredentials: Basic", one(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionAsiaPacific, Auth: revoke.ClientCredentials(clientID, "mySecret-value")}), "https://auth.pingone.asia/" + envID + "/as/revoke", "client_secret_basic", raw, nil, ""},
		{"PingOne | custom domain", one(ping.OneConfig{CustomDomain: "Auth.Example.com", Auth: revoke.PrivateKeyJWT(clientID, key)}), "https://auth.example.com/as/revoke", "private_key_jwt", nil, jwt, "https://auth.example.com/as"},
		{"PingAM | Basic and client_id in the body", am(amBase, "alpha", revoke.ClientSecretBasic(clientID, testkit.Secret)), amURL, "client_secret_basic", enc, pub, ""},
		{"PingAM | raw Basic and client_id", am(amBase, "/alpha/", revoke.ClientSecretBasicRaw(clientID, "mySecret-value")), amURL, "client_secret_basic", raw, pub, ""},
		{"PingAM | client_secret_post", am(amBase, "alpha", revoke.ClientSecretPost(clientID, testkit.Secret)), amURL, "client_secret_post", nil, post, ""},
		{"PingAM | public client", am(amBase, "alpha", revoke.PublicClient(clientID)), amURL, "none", nil, pub, ""},
		{"PingAM | JWT profile and client_id", am(amBase, "alpha", revoke.PrivateKeyJWT(clientID, key)), amURL, "private_key_jwt", nil, jwtAM, amBase + "/oauth2/realms/root/realms/alpha/access_token"},
		{"PingAM | root realm, default /am", am("https://am.example.com", "", revoke.PublicClient(clientID)), "https://am.example.com/am/oauth2/realms/root/token/revoke", "none", nil, pub, ""},
		{"PingAM | Advanced Identity Cloud sub-realm", am("https://openam-acme.forgeblocks.com/am", "alpha/customers", revoke.ClientSecretBasic(clientID, testkit.Secret)), "https://openam-acme.forgeblocks.com/am/oauth2/realms/root/realms/alpha/realms/customers/token/revoke", "client_secret_basic", enc, pub, ""},
		{"PingAM | openam deployment, loopback", am("http://localhost:8080/openam", "root", revoke.ClientSecretPost(clientID, testkit.Secret)), "http://localhost:8080/openam/oauth2/realms/root/token/revoke", "client_secret_post", nil, post, ""},
	}
}

// TestWireMatrix asserts the exact request of every product,
// configuration and hint, byte for byte, against testdata/wire-matrix.txt.
// PingAM gets client_id in the body with every method.
func TestWireMatrix(t *testing.T) {
	var cases []testkit.FormCase[*ping.Revoker]
	for _, c := range wireCases(t) {
		fc := testkit.FormCase[*ping.Revoker]{Name: c.name, New: c.build, URL: c.wantURL, Method: c.wantMethod, Basic: c.wantBasic, Form: c.wantForm, Aud: c.wantAud}
		if c.wantAud != "" {
			fc.Check = func(t *testing.T, r *ping.Revoker, _ *revoke.Result, _ testkit.Seen) {
				testkit.Want(t, "Audience()", r.Audience(), c.wantAud)
			}
		}
		cases = append(cases, fc)
	}
	testkit.FormMatrix(t, testkit.FormWire{
		ClientID: clientID, Token: token, Answer: testkit.JSONAnswer(200, "{}"),
		Header: map[string]string{"Accept": "application/json"}, Golden: "wire-matrix.txt",
	}, cases)
}

// TestRequestRefusals: what the products would misread is refused before
// sending, on both of PingAM's paths.
func TestRequestRefusals(t *testing.T) {
	builders := map[string]func(...revoke.Option) (*ping.Revoker, error){
		"pingfederate": func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewFederate(ping.FederateConfig{BaseURL: pfBase, Auth: revoke.PublicClient(clientID)}, o...)
		},
		"pingone": func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewOne(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.PublicClient(clientID)}, o...)
		},
		"pingam": func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: amBase, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, o...)
		},
		"pingam (post)": func(o ...revoke.Option) (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: amBase, Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}, o...)
		},
	}
	for product, build := range builders {
		op := strings.Fields(product)[0] + " revoke"
		for _, tc := range []struct {
			name  string
			req   revoke.Request
			field string
		}{
			{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, op + ": Request.Hint"},
			{"empty token", revoke.Request{}, op + ": Request.Token"},
			{"short token", revoke.Request{Token: "short"}, op + ": Request.Token"},
			{"client_id in Params", revoke.Request{Token: token, Params: url.Values{"client_id": {"x"}}}, op + ": Request.Params"},
		} {
			t.Run(product+", "+tc.name, func(t *testing.T) {
				ep := testkit.NewEndpoint()
				r, err := build(ep.Options()...)
				if err != nil {
					t.Fatal(err)
				}
				_, err = r.Revoke(context.Background(), tc.req)
				testkit.WantRefused(t, ep, err, tc.field, "", revoke.ErrInvalidRequest, token, testkit.Secret)
			})
		}
	}
}

// TestErrorMapping serves each product's error answers
// (testdata/README.md): the code decides, whatever the status.
func TestErrorMapping(t *testing.T) {
	for _, tc := range []struct {
		file        string
		status      int
		product     string
		wantKind    error
		wantCode    string
		wantDesc    string
		wantRequest string
	}{
		{"pingam-400-invalid-client.json", 400, "pingam", revoke.ErrInvalidClient, "invalid_client", "Client authentication failed", ""},
		{"pingam-400-missing-client-id.json", 400, "pingam", revoke.ErrInvalidRequest, "invalid_request", "Missing parameter, 'client_id'", ""},
		{"pingam-500-server-error.json", 500, "pingam", revoke.ErrServer, "server_error", "Failed to revoke access token", ""},
		{"pingfederate-401-invalid-client.json", 401, "pingfederate", revoke.ErrInvalidClient, "invalid_client", "Invalid client or client credentials.", ""},
		{"pingfederate-400-unsupported-token-type.json", 400, "pingfederate", revoke.ErrUnsupportedTokenType, "unsupported_token_type", "The token cannot be revoked.", ""},
		{"pingfederate-400-unauthorized-client.json", 400, "pingfederate", revoke.ErrUnauthorizedClient, "unauthorized_client", "The token was not issued to this client.", ""},
		{"pingone-404-not-found.json", 404, "pingone", revoke.ErrNotFound, "NOT_FOUND", "The requested resource was not found.", "5fbc6b1f-0b5e-4b55-9a61-c7a1a0d2f0b1"},
		{"pingone-400-invalid-data.json", 400, "pingone", revoke.ErrInvalidRequest, "INVALID_DATA", "The request could not be completed. One or more validation errors were in the request.", "1e6ab0ae-9c4a-4a0c-b0d3-3b1c2f1d5e77"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.JSONAnswer(tc.status, testkit.Golden(t, tc.file)))
			var r *ping.Revoker
			var err error
			opts := ep.Options(revoke.WithoutRetry())
			switch tc.product {
			case "pingam":
				r, err = ping.NewAM(ping.AMConfig{BaseURL: amBase, Realm: "alpha", Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, opts...)
			case "pingfederate":
				r, err = ping.NewFederate(ping.FederateConfig{BaseURL: pfBase, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, opts...)
			default:
				r, err = ping.NewOne(ping.OneConfig{EnvironmentID: envID, Region: ping.RegionEurope, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, opts...)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: token})
			e := testkit.WantError(t, err, tc.wantKind)
			if e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.RequestID != tc.wantRequest || e.Op != tc.product+" revoke" || e.Excerpt != "" {
				t.Errorf("error = %+v", e)
			}
			testkit.NoLeak(t, "error", err.Error(), token, testkit.Secret)
		})
	}
}

// TestRevokeTokenAndZeroValues: the pair order, the kit's policies, and
// misuse without panics.
func TestRevokeTokenAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 503}, testkit.JSONAnswer(200, "{}"))
	r, err := ping.NewAM(ping.AMConfig{BaseURL: amBase, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-1", RefreshToken: "refresh-token-1"}); err != nil {
		t.Fatal(err)
	}
	reqs := ep.Requests()
	if len(reqs) != 3 || reqs[0].Form(t).Get("token") != "refresh-token-1" || testkit.Render(reqs[0]) != testkit.Render(reqs[1]) || reqs[2].Form(t).Get("token") != "access-token-1" {
		t.Errorf("want the refresh token (retried once), then the access token; got %d requests", len(reqs))
	}
	federate := func(t *testing.T, ep *testkit.Endpoint) *ping.Revoker {
		return testkit.Build(t, ping.NewFederate, ping.FederateConfig{BaseURL: pfBase, Auth: revoke.PublicClient(clientID)}, ep.Options()...)
	}
	testkit.NoRedirect(t, func(t *testing.T, ep *testkit.Endpoint) revoke.Revoker { return federate(t, ep) }, revoke.Request{Token: token})
	ep = testkit.NewEndpoint()
	r = federate(t, ep)
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	var nilCtx context.Context
	var zero ping.Revoker
	var nilR *ping.Revoker
	am, _ := ping.NewAM(ping.AMConfig{BaseURL: amBase, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)})
	for name, err := range map[string]error{
		"nil context (AM)":  second(am.Revoke(nilCtx, revoke.Request{Token: token})),
		"nil Revoker, pair": nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-token-1"}),
	} {
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, s := range []string{string(zero.Product()), zero.Audience(), string(nilR.Product()), nilR.Audience()} {
		if s != "" {
			t.Errorf("zero accessor = %q", s)
		}
	}
	if r.Product() != ping.Federate || am.Product() != ping.AM {
		t.Error("Product()")
	}
}

func second(_ *revoke.Result, err error) error { return err }
