package keycloak_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// fixture is a fake Keycloak at base with one client per authenticator and
// a user, and the options that reach it.
type fixture struct {
	fake  *keycloaktest.Server
	mt    *httpmock.MockTransport
	opts  []revoke.Option
	alice keycloaktest.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := keycloaktest.Register(mt, base)
	key := testkit.ECKey(t)
	fake.AddClient(realm, revoketest.Client{ID: "special-app", Secret: testkit.Secret})
	fake.AddClient(realm, revoketest.Client{ID: "plain-app", Secret: secret})
	fake.AddClient(realm, revoketest.Client{ID: "plus-app", Secret: "pass+word-0123"})
	fake.AddClient(realm, revoketest.Client{ID: "hmac-app", Secret: testkit.HMACSecret, Method: keycloaktest.MethodSecretJWT})
	fake.AddClient(realm, revoketest.Client{ID: "key-app", PublicKey: key.Public(), Method: keycloaktest.MethodPrivateKeyJWT})
	fake.AddClient(realm, revoketest.Client{ID: "spa", Method: keycloaktest.MethodPublic})
	fake.AddClient(realm, revoketest.Client{ID: "api", Secret: secret, Method: keycloaktest.MethodBearerOnly})
	fake.AddClient("other", revoketest.Client{ID: "other-realm-app", Secret: secret})
	return &fixture{
		fake:  fake,
		mt:    mt,
		opts:  []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()},
		alice: fake.AddUser(realm, keycloaktest.User{Username: "alice", Email: "alice@example.com"}),
	}
}

func (f *fixture) revoker(t *testing.T, auth revoke.ClientAuth) *keycloak.Revoker {
	t.Helper()
	r, err := keycloak.New(keycloak.Config{BaseURL: base, Realm: realm, Auth: auth}, f.opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestEmulatorRoundTrip revokes real tokens with every authenticator:
// a refresh token takes its session's access token with it, and answers
// "already invalid" the second time; an access token goes alone.
func TestEmulatorRoundTrip(t *testing.T) {
	f := newFixture(t)
	key := testkit.ECKey(t)
	f.fake.AddClient(realm, revoketest.Client{ID: "key-app-2", PublicKey: key.Public(), Method: keycloaktest.MethodPrivateKeyJWT})
	tests := []struct {
		name string
		auth revoke.ClientAuth
	}{
		{"Basic, form-encoded special secret", revoke.ClientSecretBasic("special-app", testkit.Secret)},
		{"post, special secret", revoke.ClientSecretPost("special-app", testkit.Secret)},
		{"ClientCredentials, special secret (post)", revoke.ClientCredentials("special-app", testkit.Secret)},
		{"Basic, plain secret", revoke.ClientSecretBasic("plain-app", secret)},
		{"raw Basic, plain secret", revoke.ClientSecretBasicRaw("plain-app", secret)},
		{"raw Basic, a secret that does not decode, kept as sent", revoke.ClientSecretBasicRaw("special-app", testkit.Secret)},
		{"Basic, '+' in the secret", revoke.ClientSecretBasic("plus-app", "pass+word-0123")},
		{"client_secret_jwt", revoke.ClientSecretJWT("hmac-app", testkit.HMACSecret)},
		{"private_key_jwt, issuer audience", revoke.PrivateKeyJWT("key-app-2", key)},
		{"private_key_jwt, token endpoint audience", revoke.PrivateKeyJWT("key-app-2", key, revoke.WithAudience(revoke.AudienceTokenEndpoint))},
		{"public client", revoke.PublicClient("spa")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := f.revoker(t, tc.auth)
			ctx := context.Background()
			p := f.fake.Login(realm, tc.auth.ClientID(), f.alice.ID)
			res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken})
			if err != nil || res.AlreadyInvalid {
				t.Fatalf("revoke refresh token: %+v, %v", res, err)
			}
			if f.fake.Active(p.RefreshToken) || f.fake.Active(p.AccessToken) {
				t.Error("the session's tokens are still active")
			}
			res, err = r.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
			if err != nil || !res.AlreadyInvalid {
				t.Errorf("second revocation: %+v, %v; want already invalid", res, err)
			}
			p = f.fake.Login(realm, tc.auth.ClientID(), f.alice.ID)
			if _, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken, Hint: revoke.HintAccessToken}); err != nil {
				t.Fatal(err)
			}
			if f.fake.Active(p.AccessToken) || !f.fake.Active(p.RefreshToken) {
				t.Error("revoking the access token: want it inactive and the refresh token active")
			}
			p = f.fake.LoginOffline(realm, tc.auth.ClientID(), f.alice.ID)
			if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
				t.Fatal(err)
			}
			if f.fake.Active(p.RefreshToken) || f.fake.Active(p.AccessToken) || f.fake.OfflineSessions(realm, f.alice.ID) != 0 {
				t.Error("offline token survived RevokeToken")
			}
		})
	}
}

// TestEmulatorRefusals drives every refusal of the fake through the
// adapter: each is the documented sentinel, with Keycloak's exact code.
func TestEmulatorRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		setup    func(*keycloaktest.Server) string // returns the token to revoke
		auth     revoke.ClientAuth
		cfg      *keycloak.Config
		kind     error
		code     string
		status   int
		invalid  bool // success with AlreadyInvalid
		stillSet bool // the token must still be active after
	}{
		{"wrong secret", func(s *keycloaktest.Server) string { return s.Login(realm, "plain-app", f.alice.ID).RefreshToken },
			revoke.ClientSecretBasic("plain-app", "wrong-secret-0123"), nil, revoke.ErrInvalidClient, "unauthorized_client", 401, false, true},
		{"unknown client", func(s *keycloaktest.Server) string { return s.Login(realm, "plain-app", f.alice.ID).RefreshToken },
			revoke.ClientSecretPost("nobody", secret), nil, revoke.ErrInvalidClient, "invalid_client", 401, false, true},
		{"client of another realm", func(s *keycloaktest.Server) string { return s.Login(realm, "plain-app", f.alice.ID).RefreshToken },
			revoke.ClientSecretPost("other-realm-app", secret), nil, revoke.ErrInvalidClient, "invalid_client", 401, false, true},
		{"assertion for the revocation endpoint", func(s *keycloaktest.Server) string { return s.Login(realm, "hmac-app", f.alice.ID).RefreshToken },
			revoke.ClientSecretJWT("hmac-app", testkit.HMACSecret, revoke.WithAudience(revoke.AudienceEndpoint)), nil, revoke.ErrInvalidClient, "invalid_client", 400, false, true},
		{"secret for a JWT client", func(s *keycloaktest.Server) string { return s.Login(realm, "hmac-app", f.alice.ID).RefreshToken },
			revoke.ClientSecretPost("hmac-app", testkit.HMACSecret), nil, revoke.ErrInvalidClient, "invalid_client", 400, false, true},
		{"another client's token", func(s *keycloaktest.Server) string { return s.Login(realm, "spa", f.alice.ID).RefreshToken },
			revoke.ClientSecretPost("plain-app", secret), nil, revoke.ErrInvalidRequest, "invalid_request", 400, false, true},
		{"an ID token", func(s *keycloaktest.Server) string { return s.IssueIDToken("plain-app", f.alice.ID) },
			revoke.ClientSecretPost("plain-app", secret), nil, revoke.ErrUnsupportedTokenType, "unsupported_token_type", 400, false, true},
		{"an unknown token", func(*keycloaktest.Server) string { return "never-issued-0123456789" },
			revoke.PublicClient("spa"), nil, nil, "", 200, true, false},
		{"a token of another realm", func(s *keycloaktest.Server) string {
			return s.Login("other", "other-realm-app", f.alice.ID).RefreshToken
		},
			revoke.ClientSecretPost("plain-app", secret), nil, nil, "", 200, true, true},
		{"a bearer-only client", func(s *keycloaktest.Server) string { return s.Login(realm, "api", f.alice.ID).RefreshToken },
			revoke.ClientSecretBasic("api", secret), nil, revoke.ErrInvalidClient, "invalid_client", 400, false, true},
		{"an unknown realm", func(s *keycloaktest.Server) string { return s.Login(realm, "spa", f.alice.ID).RefreshToken },
			revoke.PublicClient("spa"), &keycloak.Config{BaseURL: base, Realm: "nope"}, revoke.ErrNotFound, "Realm does not exist", 404, false, true},
		{"the /auth prefix of Keycloak 16", func(s *keycloaktest.Server) string { return s.Login(realm, "spa", f.alice.ID).RefreshToken },
			revoke.PublicClient("spa"), &keycloak.Config{BaseURL: base + "/auth", Realm: "nope"}, revoke.ErrNotFound, "Realm does not exist", 404, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok := tc.setup(f.fake)
			cfg := keycloak.Config{BaseURL: base, Realm: realm}
			if tc.cfg != nil {
				cfg = *tc.cfg
			}
			cfg.Auth = tc.auth
			r, err := keycloak.New(cfg, f.opts...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := r.Revoke(ctx, revoke.Request{Token: tok})
			switch {
			case tc.invalid:
				if err != nil || !res.AlreadyInvalid {
					t.Fatalf("%+v, %v; want already invalid", res, err)
				}
			default:
				e := testkit.WantError(t, err, tc.kind)
				testkit.Want(t, "Code", e.Code, tc.code)
				testkit.Want(t, "StatusCode", e.StatusCode, tc.status)
			}
			testkit.Want(t, "token still active", f.fake.Active(tok), tc.stillSet)
		})
	}

	t.Run("disabled realm", func(t *testing.T) {
		f := newFixture(t)
		f.fake.DisableRealm(realm)
		_, err := f.revoker(t, revoke.PublicClient("spa")).Revoke(ctx, revoke.Request{Token: token})
		if !errors.Is(err, revoke.ErrForbidden) {
			t.Errorf("%v; want ErrForbidden", err)
		}
	})
	t.Run("legacy Basic (Keycloak 19)", func(t *testing.T) {
		f := newFixture(t)
		f.fake.LegacyBasic = true
		p := f.fake.Login(realm, "special-app", f.alice.ID)
		_, err := f.revoker(t, revoke.ClientSecretBasic("special-app", testkit.Secret)).Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("encoded Basic on Keycloak 19: %v; want ErrInvalidClient", err)
		}
		for _, auth := range []revoke.ClientAuth{revoke.ClientCredentials("special-app", testkit.Secret), revoke.ClientSecretBasicRaw("special-app", testkit.Secret)} {
			if _, err := f.revoker(t, auth).Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil || f.fake.Active(p.RefreshToken) {
				t.Errorf("%s on Keycloak 19: %v", auth.Method(), err)
			}
			p = f.fake.Login(realm, "special-app", f.alice.ID)
		}
	})
	t.Run("raw '+' on Keycloak 20 and later", func(t *testing.T) {
		p := f.fake.Login(realm, "plus-app", f.alice.ID)
		_, err := f.revoker(t, revoke.ClientSecretBasicRaw("plus-app", "pass+word-0123")).Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("raw '+' is decoded to a space: %v; want ErrInvalidClient", err)
		}
	})
	t.Run("HTTPS required", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		fake := keycloaktest.Register(mt, "http://127.0.0.1:8080")
		fake.RequireHTTPS = true
		fake.AddClient(realm, revoketest.Client{ID: "spa", Method: keycloaktest.MethodPublic})
		r, err := keycloak.New(keycloak.Config{BaseURL: "http://127.0.0.1:8080", Realm: realm, Auth: revoke.PublicClient("spa")}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Revoke(ctx, revoke.Request{Token: token})
		if !errors.Is(err, revoke.ErrInsecureEndpoint) {
			t.Errorf("%v; want ErrInsecureEndpoint", err)
		}
	})
	t.Run("outage, then success", func(t *testing.T) {
		p := f.fake.Login(realm, "spa", f.alice.ID)
		f.fake.FailNext(2, revoketest.ServiceUnavailable(0))
		res, err := f.revoker(t, revoke.PublicClient("spa")).Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if err != nil || res.Attempts != 3 || f.fake.Active(p.RefreshToken) {
			t.Errorf("%+v, %v; want success after 3 attempts", res, err)
		}
	})
	t.Run("DPoP proof sent and ignored", func(t *testing.T) {
		p := f.fake.Login(realm, "spa", f.alice.ID)
		r, err := keycloak.New(keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PublicClient("spa")}, append(f.opts, revoke.WithDPoP(testkit.ECKey(t)))...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil || f.fake.Active(p.RefreshToken) {
			t.Errorf("%v", err)
		}
		reqs := f.fake.Requests()
		if reqs[len(reqs)-1].Header.Get("DPoP") == "" {
			t.Error("no proof")
		}
	})
}

// TestDiscover discovers the realm at the fake and revokes with the method
// chosen.
func TestDiscover(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name       string
		auth       revoke.ClientAuth
		wantMethod string
	}{
		{"ClientCredentials, plain secret", revoke.ClientCredentials("plain-app", secret), "client_secret_basic"},
		{"ClientCredentials, special secret", revoke.ClientCredentials("special-app", testkit.Secret), "client_secret_post"},
		{"client_secret_jwt", revoke.ClientSecretJWT("hmac-app", testkit.HMACSecret), "client_secret_jwt"},
		{"public client (not listed, used as given)", revoke.PublicClient("spa"), "none"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := keycloak.Discover(ctx, issuer, tc.auth, f.opts...)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Want(t, "AuthMethod", r.AuthMethod(), tc.wantMethod)
			testkit.Want(t, "Endpoint", r.Endpoint(), endpoint)
			testkit.Want(t, "Issuer", r.Issuer(), issuer)
			p := f.fake.Login(realm, tc.auth.ClientID(), f.alice.ID)
			if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil || f.fake.Active(p.RefreshToken) {
				t.Errorf("revoke: %v", err)
			}
		})
	}
	t.Run("unknown realm", func(t *testing.T) {
		_, err := keycloak.Discover(ctx, base+"/realms/nope", revoke.PublicClient("spa"), f.opts...)
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrNotFound) || e.Op != "keycloak discover" {
			t.Errorf("%v; want ErrNotFound from discovery", err)
		}
	})
	t.Run("issuer mismatch", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.JSONAnswer(200, `{"issuer":"https://evil.example.com/realms/myrealm","revocation_endpoint":"https://evil.example.com/revoke"}`))
		_, err := keycloak.Discover(ctx, issuer, revoke.PublicClient("spa"), ep.Options()...)
		if !errors.Is(err, revoke.ErrUnexpectedResponse) {
			t.Errorf("%v; want ErrUnexpectedResponse", err)
		}
		testkit.Want(t, "URL", ep.Only(t).URL.String(), issuer+"/.well-known/openid-configuration")
	})
	t.Run("no revocation endpoint", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.JSONAnswer(200, `{"issuer":"`+issuer+`"}`))
		_, err := keycloak.Discover(ctx, issuer, revoke.PublicClient("spa"), ep.Options()...)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%v; want a ConfigError", err)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Body: "<html>"})
		_, err := keycloak.Discover(ctx, issuer, revoke.PublicClient("spa"), ep.Options()...)
		if !errors.Is(err, revoke.ErrUnexpectedResponse) {
			t.Errorf("%v; want ErrUnexpectedResponse", err)
		}
	})
	t.Run("refusals before any request", func(t *testing.T) {
		ep := testkit.NewEndpoint()
		var nilCtx context.Context
		for name, call := range map[string]func() error{
			"nil context": func() error {
				_, err := keycloak.Discover(nilCtx, issuer, revoke.PublicClient("spa"), ep.Options()...)
				return err
			},
			"not an issuer": func() error {
				_, err := keycloak.Discover(ctx, base, revoke.PublicClient("spa"), ep.Options()...)
				return err
			},
			"empty issuer": func() error {
				_, err := keycloak.Discover(ctx, "", revoke.PublicClient("spa"), ep.Options()...)
				return err
			},
			"NoClientAuth": func() error {
				_, err := keycloak.Discover(ctx, issuer, revoke.NoClientAuth(), ep.Options()...)
				return err
			},
			"nil auth":   func() error { _, err := keycloak.Discover(ctx, issuer, nil, ep.Options()...); return err },
			"bad option": func() error { _, err := keycloak.Discover(ctx, issuer, nil, revoke.WithTimeout(-1)); return err },
		} {
			var ce *revoke.ConfigError
			if err := call(); !errors.As(err, &ce) {
				t.Errorf("%s: %v; want a ConfigError", name, err)
			}
		}
		if n := len(ep.Requests()); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
}

// TestMutualTLS authenticates with a client certificate over a real TLS
// connection (Keycloak's X509 authenticator), found by discovery through
// mtls_endpoint_aliases.
func TestMutualTLS(t *testing.T) {
	fake := keycloaktest.New()
	srv := httptest.NewUnstartedServer(fake)
	srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	defer srv.Close()
	fake.AddTLSClient(realm, "mtls-app", "CN=revoke-test-client")
	alice := fake.AddUser(realm, keycloaktest.User{Username: "alice"})
	ctx := context.Background()
	opts := []revoke.Option{revoke.WithHTTPClient(srv.Client()), testkit.FastRetry()}

	good := revoke.TLSClientAuth("mtls-app", testkit.Certificate(t))
	r, err := keycloak.Discover(ctx, srv.URL+"/realms/"+realm, good, opts...)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "AuthMethod", r.AuthMethod(), "tls_client_auth")
	p := fake.Login(realm, "mtls-app", alice.ID)
	if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil || fake.Active(p.RefreshToken) {
		t.Fatalf("revoke with a certificate: %v", err)
	}
	reqs := fake.Requests()
	testkit.Want(t, "client_id", reqs[len(reqs)-1].Form.Get("client_id"), "mtls-app")

	// A certificate with another subject is refused.
	other := testkit.Certificate(t)
	fake.AddTLSClient(realm, "strict-app", "CN=somebody-else")
	strict, err := keycloak.New(keycloak.Config{BaseURL: srv.URL, Realm: realm, Auth: revoke.TLSClientAuth("strict-app", other)}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	p = fake.Login(realm, "strict-app", alice.ID)
	_, err = strict.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
	if !errors.Is(err, revoke.ErrInvalidClient) || !fake.Active(p.RefreshToken) {
		t.Errorf("wrong subject DN: %v; want ErrInvalidClient and the token alive", err)
	}
}
