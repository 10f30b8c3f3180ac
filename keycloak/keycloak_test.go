package keycloak_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak"
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg keycloak.Config, opts ...revoke.Option) *keycloak.Revoker {
	t.Helper()
	return testkit.Build(t, keycloak.New, cfg, ep.Options(opts...)...)
}

// TestWireMatrix asserts the exact request for every secret-based and
// public authentication, URL layout and hint: method, URL, every header,
// the Basic encoding and the body, byte for byte, against
// testdata/wire-matrix.txt.
func TestWireMatrix(t *testing.T) {
	auths := []struct {
		name       string
		auth       revoke.ClientAuth
		wantMethod string
		// wantBasic is the id and secret the Basic header carries as sent.
		wantBasic *[2]string
		wantForm  url.Values
	}{
		{"client_secret_basic, form-encoded", revoke.ClientSecretBasic(clientID, testkit.Secret), "client_secret_basic",
			&[2]string{clientID, url.QueryEscape(testkit.Secret)}, nil},
		{"client_secret_basic, raw", revoke.ClientSecretBasicRaw(clientID, secret), "client_secret_basic", &[2]string{clientID, secret}, nil},
		{"client_secret_post", revoke.ClientSecretPost(clientID, testkit.Secret), "client_secret_post", nil,
			url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}},
		{"ClientCredentials, plain secret: Basic", revoke.ClientCredentials(clientID, secret), "client_secret_basic", &[2]string{clientID, secret}, nil},
		{"ClientCredentials, secret encoding changes: post", revoke.ClientCredentials(clientID, testkit.Secret), "client_secret_post", nil,
			url.Values{"client_id": {clientID}, "client_secret": {testkit.Secret}}},
		{"public client", revoke.PublicClient(clientID), "none", nil, url.Values{"client_id": {clientID}}},
	}
	layouts := []struct {
		name    string
		cfg     keycloak.Config
		wantURL string
	}{
		{"BaseURL and Realm", keycloak.Config{BaseURL: base, Realm: realm}, endpoint},
		{"BaseURL with a trailing slash", keycloak.Config{BaseURL: base + "/", Realm: realm}, endpoint},
		{"host without a scheme", keycloak.Config{BaseURL: "sso.example.com", Realm: realm}, endpoint},
		{"upper-case host", keycloak.Config{BaseURL: "https://SSO.Example.COM", Realm: realm}, endpoint},
		{"Keycloak 16 /auth prefix", keycloak.Config{BaseURL: base + "/auth", Realm: realm}, base + "/auth/realms/myrealm/protocol/openid-connect/revoke"},
		{"Issuer", keycloak.Config{Issuer: issuer}, endpoint},
		{"Issuer with /auth and a trailing slash", keycloak.Config{Issuer: base + "/auth/realms/myrealm/"}, base + "/auth/realms/myrealm/protocol/openid-connect/revoke"},
		{"loopback over plain http", keycloak.Config{BaseURL: "http://127.0.0.1:8080", Realm: "master"}, "http://127.0.0.1:8080/realms/master/protocol/openid-connect/revoke"},
	}
	var cases []testkit.FormCase[*keycloak.Revoker]
	for _, a := range auths {
		for _, l := range layouts {
			cfg := l.cfg
			cfg.Auth = a.auth
			cases = append(cases, testkit.FormCase[*keycloak.Revoker]{
				Name: a.name + " | " + l.name,
				New: func(opts ...revoke.Option) (*keycloak.Revoker, error) {
					return keycloak.New(cfg, opts...)
				},
				URL: l.wantURL, Method: a.wantMethod, Basic: a.wantBasic, Form: a.wantForm,
			})
		}
	}
	testkit.FormMatrix(t, testkit.FormWire{
		ClientID: clientID, Token: token,
		Header:     map[string]string{"Accept": "application/json", "User-Agent": "revoke-go/" + revoke.Version},
		TokenFirst: true, Golden: "wire-matrix.txt",
	}, cases)
}

// claims decodes a client assertion's claims without verifying them, and
// reports whether "aud" is a single string, as Keycloak 26 requires.
func claims(t *testing.T, assertion string) (map[string]any, bool) {
	t.Helper()
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		t.Fatalf("assertion has %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	_, single := c["aud"].(string)
	return c, single
}

// TestClientAssertions checks the assertion audience rule: the realm's
// issuer by default, alone and as a string; the token endpoint or the
// revocation endpoint when asked. The request is recorded in
// testdata/wire-jwt.txt with the assertion as a placeholder.
func TestClientAssertions(t *testing.T) {
	key := testkit.ECKey(t)
	tests := []struct {
		name       string
		auth       revoke.ClientAuth
		wantMethod string
		wantAud    string
	}{
		{"private_key_jwt, default audience", revoke.PrivateKeyJWT(clientID, key, revoke.WithKeyID("k1")), "private_key_jwt", issuer},
		{"client_secret_jwt, default audience", revoke.ClientSecretJWT(clientID, testkit.HMACSecret), "client_secret_jwt", issuer},
		{"private_key_jwt, token endpoint", revoke.PrivateKeyJWT(clientID, key, revoke.WithAudience(revoke.AudienceTokenEndpoint)), "private_key_jwt", tokenURL},
		{"private_key_jwt, the URL called", revoke.PrivateKeyJWT(clientID, key, revoke.WithAudience(revoke.AudienceEndpoint)), "private_key_jwt", endpoint},
		{"private_key_jwt, fixed value", revoke.PrivateKeyJWT(clientID, key, revoke.WithAudienceValue("https://frontend.example.com/realms/myrealm")), "private_key_jwt", "https://frontend.example.com/realms/myrealm"},
		{"private_key_jwt, issuer of a /auth server", revoke.PrivateKeyJWT(clientID, key), "private_key_jwt", ""},
	}
	var golden testkit.Transcript
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			cfg := keycloak.Config{BaseURL: base, Realm: realm, Auth: tc.auth}
			want := tc.wantAud
			if want == "" {
				cfg.BaseURL, want = base+"/auth", base+"/auth/realms/myrealm"
			}
			r := newRevoker(t, ep, cfg)
			testkit.Want(t, "AuthMethod()", r.AuthMethod(), tc.wantMethod)
			if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: revoke.HintRefreshToken}); err != nil {
				t.Fatal(err)
			}
			s := ep.Only(t)
			form := s.Form(t)
			testkit.Want(t, "client_assertion_type", form.Get("client_assertion_type"), revoke.ClientAssertionType)
			testkit.Want(t, "client_id sent", form.Has("client_id"), false)
			c, single := claims(t, form.Get("client_assertion"))
			testkit.Want(t, "aud", c["aud"], any(want))
			testkit.Want(t, "aud is one string", single, true)
			testkit.Want(t, "iss", c["iss"], any(clientID))
			testkit.Want(t, "sub", c["sub"], any(clientID))
			if c["jti"] == "" || c["exp"] == nil {
				t.Errorf("claims %v lack jti or exp", c)
			}
			testkit.Want(t, "Authorization", s.Header.Get("Authorization"), "")
			golden.Add(fmt.Sprintf("%s (aud %s)", tc.name, want), testkit.Render(s))
		})
	}
	golden.Check(t, "wire-jwt.txt")
}

// TestRequestRefusals checks that what Keycloak cannot take is refused
// before anything is sent, with a ConfigError naming the field, and no
// token repeated.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name      string
		req       revoke.Request
		wantField string
		wantText  string
	}{
		{"empty token", revoke.Request{}, "keycloak revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "abc"}, "keycloak revoke: Request.Token", "shorter"},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "keycloak revoke: Request.Token", "white space"},
		{"token with a space", revoke.Request{Token: "tok en-0123456789"}, "keycloak revoke: Request.Token", "white space"},
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "keycloak revoke: Request.Hint", "not access_token or refresh_token"},
		{"vendor hint", revoke.Request{Token: token, Hint: "id_token"}, "keycloak revoke: Request.Hint", "not access_token or refresh_token"},
		{"token param", revoke.Request{Token: token, Params: url.Values{"TOKEN": {"x"}}}, "keycloak revoke: Request.Params", "may not be overridden"},
		{"hint param", revoke.Request{Token: token, Params: url.Values{"Token_Type_Hint": {"x"}}}, "keycloak revoke: Request.Params", "may not be overridden"},
		{"client_secret param", revoke.Request{Token: token, Params: url.Values{"client_secret": {"x"}}}, "keycloak revoke: Request.Params", "may not be overridden"},
		{"client_assertion param", revoke.Request{Token: token, Params: url.Values{"Client_Assertion": {"x"}}}, "keycloak revoke: Request.Params", "may not be overridden"},
		{"repeated param", revoke.Request{Token: token, Params: url.Values{"scope": {"a", "b"}}}, "keycloak revoke: Request.Params", "duplicated parameter"},
		{"empty param name", revoke.Request{Token: token, Params: url.Values{"": {"a"}}}, "keycloak revoke: Request.Params", "empty name"},
		{"param name with a control character", revoke.Request{Token: token, Params: url.Values{"a\nb": {"a"}}}, "keycloak revoke: Request.Params", "control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretPost(clientID, secret)})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.wantField, tc.wantText, revoke.ErrInvalidRequest, token)
		})
	}
	// Extra parameters Keycloak's client policies may read are sent.
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient(clientID)})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Params: url.Values{"ui_locales": {"de"}}}); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "body", string(ep.Only(t).Body), "token="+url.QueryEscape(token)+"&ui_locales=de&client_id="+clientID)
}

// TestAnswers classifies every documented answer of the revocation
// endpoint, from the bodies in testdata.
func TestAnswers(t *testing.T) {
	type want struct {
		kind           error
		alreadyInvalid bool
		code, desc     string
		attempts       int
	}
	tests := []struct {
		name    string
		answers []testkit.Answer
		want    want
	}{
		{"200 empty: revoked", []testkit.Answer{{Status: 200}}, want{attempts: 1}},
		{"200 empty with a JSON content type", []testkit.Answer{testkit.JSONAnswer(200, "")}, want{attempts: 1}},
		{"200 invalid_token: already invalid", []testkit.Answer{testkit.JSONAnswer(200, golden(t, "revoke-200-invalid-token.json"))}, want{alreadyInvalid: true, attempts: 1}},
		{"200 invalid_token labelled text/plain", []testkit.Answer{{Status: 200, Body: golden(t, "revoke-200-invalid-token.json"), Header: http.Header{"Content-Type": {"text/plain"}}}}, want{alreadyInvalid: true, attempts: 1}},
		{"200 with an empty JSON object", []testkit.Answer{testkit.JSONAnswer(200, "{}")}, want{attempts: 1}},
		{"200 with another error", []testkit.Answer{testkit.JSONAnswer(200, `{"error":"invalid_request","error_description":"odd"}`)},
			want{kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "odd", attempts: 1}},
		{"200 with an unknown error code", []testkit.Answer{testkit.JSONAnswer(200, `{"error":"weird"}`)},
			want{kind: revoke.ErrUnexpectedResponse, code: "weird", attempts: 1}},
		{"200 with a proxy's login page", []testkit.Answer{{Status: 200, Body: "<html>Sign in</html>", Header: http.Header{"Content-Type": {"text/html"}}}},
			want{kind: revoke.ErrUnexpectedResponse, desc: "Keycloak answers a revocation with an empty body or a JSON error, never this: check that the URL reaches Keycloak and not a proxy's page", attempts: 1}},
		{"400 Unmatching clients", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-unmatching-clients.json"))},
			want{kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "Unmatching clients (the token was issued to another client (its azp claim): revoke it with that client's credentials)", attempts: 1}},
		{"400 unsupported_token_type", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-unsupported-token-type.json"))},
			want{kind: revoke.ErrUnsupportedTokenType, code: "unsupported_token_type", desc: "Unsupported token type (Keycloak revokes refresh, offline and access tokens only; an ID token, for one, cannot be revoked)", attempts: 1}},
		{"400 duplicated parameter", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-duplicated-parameter.json"))},
			want{kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "duplicated parameter (a parameter was sent twice)", attempts: 1}},
		{"400 Token not provided", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-token-missing.json"))},
			want{kind: revoke.ErrInvalidRequest, code: "invalid_request", desc: "Token not provided", attempts: 1}},
		{"400 Missing client_id parameter", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-missing-client-id.json"))},
			want{kind: revoke.ErrInvalidClient, code: "invalid_client", desc: "Missing client_id parameter (check the client ID and credentials, and that the client's authenticator (Credentials tab: client secret, signed JWT, X509) matches Config.Auth)", attempts: 1}},
		{"400 Bearer-only not allowed", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-bearer-only.json"))},
			want{kind: revoke.ErrInvalidClient, code: "invalid_client", desc: "Bearer-only not allowed (the client is bearer-only and cannot revoke: use the confidential or public client the token was issued to)", attempts: 1}},
		{"400 signed JWT failed (Keycloak 22)", []testkit.Answer{testkit.JSONAnswer(400, `{"error":"unauthorized_client","error_description":"Client authentication with client secret signed JWT failed: Token audience doesn't match domain."}`)},
			want{kind: revoke.ErrInvalidClient, code: "unauthorized_client", attempts: 1}},
		{"401 unauthorized_client: wrong secret", []testkit.Answer{testkit.JSONAnswer(401, golden(t, "revoke-401-unauthorized-client.json"))},
			want{kind: revoke.ErrInvalidClient, code: "unauthorized_client", desc: "Invalid client or Invalid client credentials (check the client ID and credentials, and that the client's authenticator (Credentials tab: client secret, signed JWT, X509) matches Config.Auth)", attempts: 1}},
		{"401 invalid_client: unknown client", []testkit.Answer{testkit.JSONAnswer(401, golden(t, "revoke-401-invalid-client.json"))},
			want{kind: revoke.ErrInvalidClient, code: "invalid_client", attempts: 1}},
		{"401 Basic challenge without a body", []testkit.Answer{{Status: 401, Header: http.Header{"Www-Authenticate": {`Basic realm="myrealm"`}}}},
			want{kind: revoke.ErrInvalidClient, attempts: 1}},
		{"403 HTTPS required", []testkit.Answer{testkit.JSONAnswer(403, golden(t, "revoke-403-https-required.json"))},
			want{kind: revoke.ErrInsecureEndpoint, code: "invalid_request", desc: "HTTPS required (Keycloak saw plain http: use https, or, behind a TLS-terminating proxy, make Keycloak trust its forwarded headers (proxy-headers))", attempts: 1}},
		{"403 Realm not enabled", []testkit.Answer{testkit.JSONAnswer(403, golden(t, "revoke-403-realm-disabled.json"))},
			want{kind: revoke.ErrForbidden, code: "access_denied", desc: "Realm not enabled (enable the realm, or use another)", attempts: 1}},
		{"404 unknown realm", []testkit.Answer{testkit.JSONAnswer(404, golden(t, "revoke-404-realm.json"))},
			want{kind: revoke.ErrNotFound, code: "Realm does not exist", attempts: 1}},
		{"404 without a body (wrong /auth prefix)", []testkit.Answer{{Status: 404}},
			want{kind: revoke.ErrNotFound, desc: "check Realm, and BaseURL's path prefix: Keycloak 17 and later serve /realms/... at the root, Keycloak 16 and older under /auth", attempts: 1}},
		{"405", []testkit.Answer{{Status: 405}}, want{kind: revoke.ErrInvalidRequest, attempts: 1}},
		{"500", []testkit.Answer{testkit.JSONAnswer(500, `{"error":"unknown_error"}`)}, want{kind: revoke.ErrServer, code: "unknown_error", attempts: 1}},
		{"503 three times, then 200", []testkit.Answer{{Status: 503}, {Status: 503}, {Status: 503}, {Status: 200}}, want{attempts: 4}},
		{"503 until the retries run out", []testkit.Answer{{Status: 503}}, want{kind: revoke.ErrUnavailable, attempts: 4}},
		{"429 with Retry-After, then already invalid", []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"0"}}}, testkit.JSONAnswer(200, golden(t, "revoke-200-invalid-token.json"))},
			want{alreadyInvalid: true, attempts: 2}},
		{"302 is not followed", []testkit.Answer{{Status: 302, Header: http.Header{"Location": {"https://login.example.com/"}}}}, want{kind: revoke.ErrRedirect, attempts: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretBasic(clientID, secret)})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			w := tc.want
			if w.kind == nil {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				testkit.Want(t, "AlreadyInvalid", res.AlreadyInvalid, w.alreadyInvalid)
				testkit.Want(t, "Attempts", res.Attempts, w.attempts)
				return
			}
			e := testkit.WantError(t, err, w.kind)
			testkit.Want(t, "Code", e.Code, w.code)
			if w.desc != "" {
				testkit.Want(t, "Description", e.Description, w.desc)
			}
			testkit.Want(t, "Attempts", e.Attempts, w.attempts)
			testkit.Want(t, "Op", e.Op, "keycloak revoke")
			testkit.Want(t, "Endpoint", e.Endpoint, endpoint)
			testkit.NoLeak(t, "error", testkit.PrintAll(err)+err.Error(), token, secret)
		})
	}
}

// golden is a testdata error body without its final newline.
func golden(t *testing.T, name string) string {
	t.Helper()
	return strings.TrimRight(testkit.Golden(t, name), "\n")
}

// TestRevokeToken checks the pair rule: the refresh token, then the access
// token; both attempted; an already invalid access token is success.
func TestRevokeToken(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 200}, testkit.JSONAnswer(200, golden(t, "revoke-200-invalid-token.json")))
	r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient(clientID)})
	err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: "access-0123456789", RefreshToken: "refresh-0123456789"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := ep.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	testkit.Want(t, "first", reqs[0].Form(t).Get("token"), "refresh-0123456789")
	testkit.Want(t, "first hint", reqs[0].Form(t).Get("token_type_hint"), "refresh_token")
	testkit.Want(t, "second", reqs[1].Form(t).Get("token"), "access-0123456789")

	for _, tc := range []struct {
		name string
		tok  *oauth2.Token
		kind error
	}{
		{"nil token", nil, revoke.ErrInvalidRequest},
		{"empty token", &oauth2.Token{}, revoke.ErrInvalidRequest},
	} {
		if err := r.RevokeToken(context.Background(), tc.tok); !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		}
	}
	// Only an access token: one call.
	ep = testkit.NewEndpoint()
	r = newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient(clientID)})
	if err := r.RevokeToken(context.Background(), &oauth2.Token{AccessToken: "access-0123456789"}); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "hint", ep.Only(t).Form(t).Get("token_type_hint"), "access_token")
}

// TestDPoP checks that revoke.WithDPoP adds a proof of possession for the
// revocation endpoint: htm POST, htu the endpoint, no ath (no access token
// is presented).
func TestDPoP(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient(clientID)}, revoke.WithDPoP(testkit.ECKey(t)))
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: revoke.HintRefreshToken}); err != nil {
		t.Fatal(err)
	}
	s := ep.Only(t)
	proof := s.Header.Get("Dpop")
	if proof == "" {
		t.Fatal("no DPoP proof")
	}
	c, _ := claims(t, proof)
	testkit.Want(t, "htm", c["htm"], any("POST"))
	testkit.Want(t, "htu", c["htu"], any(endpoint))
	if _, ok := c["ath"]; ok {
		t.Error("proof binds an access token")
	}
	testkit.CheckGolden(t, "wire-dpop.txt", testkit.Render(s))
}

// TestNilContextAndZeroValues: nothing panics, every failure is typed.
func TestNilContextAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient(clientID)})
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	var nilR *keycloak.Revoker
	var zero keycloak.Revoker
	var ce *revoke.ConfigError
	for name, rv := range map[string]*keycloak.Revoker{"nil": nilR, "zero": &zero} {
		if err := rv.RevokeToken(context.Background(), &oauth2.Token{RefreshToken: token}); !errors.As(err, &ce) {
			t.Errorf("%s Revoker RevokeToken: %v", name, err)
		}
		_ = rv.Endpoint() + rv.AuthMethod() + rv.ClientID() + rv.Issuer()
	}
	if len(ep.Requests()) != 0 {
		t.Error("a request was sent")
	}
}
