package zitadel_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

// TestNewBadInput: every bad configuration is a ConfigError naming the
// field and the fix, and never shows a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	basic := revoke.ClientSecretBasic(clientID, testkit.Secret)
	for _, tc := range []struct {
		name, field, text string
		cfg               zitadel.Config
		kind              error
	}{
		{"no domain", "zitadel.Config.Domain", "is empty", zitadel.Config{Auth: basic}, nil},
		{"endpoint path", "zitadel.Config.Domain", "already includes an endpoint path", zitadel.Config{Domain: base + "/oauth/v2/revoke", Auth: basic}, nil},
		{"/oauth/v2", "zitadel.Config.Domain", "already includes an endpoint path", zitadel.Config{Domain: instance + "/oauth/v2", Auth: basic}, nil},
		{"query", "zitadel.Config.Domain", "query", zitadel.Config{Domain: base + "?x=1", Auth: basic}, nil},
		{"user info", "zitadel.Config.Domain", "user info", zitadel.Config{Domain: "https://u:" + password + "@" + instance, Auth: basic}, nil},
		{"plain http", "zitadel.Config.Domain", "clear text", zitadel.Config{Domain: "http://zitadel.internal:8080", Auth: basic}, revoke.ErrInsecureEndpoint},
		{"bad host", "zitadel.Config.Domain", "'_'", zitadel.Config{Domain: "my_instance.zitadel.cloud", Auth: basic}, nil},
		{"no Auth", "zitadel.Config.Auth", "is nil", zitadel.Config{Domain: instance}, nil},
		{"raw Basic", "zitadel.Config.Auth", "revoke.ClientSecretBasic", zitadel.Config{Domain: instance, Auth: revoke.ClientSecretBasicRaw("app", "secret-value")}, nil},
		{"client_secret_jwt", "zitadel.Config.Auth", "registered keys", zitadel.Config{Domain: instance, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}, nil},
		{"NoClientAuth", "zitadel.Config.Auth", "revoke.PublicClient", zitadel.Config{Domain: instance, Auth: revoke.NoClientAuth()}, nil},
		{"mutual TLS", "zitadel.Config.Auth", "not one ZITADEL", zitadel.Config{Domain: instance, Auth: revoke.SelfSignedTLSClientAuth(clientID, testkit.Certificate(t))}, nil},
		{"foreign", "zitadel.Config.Auth", "not a client authentication built by the revoke package", zitadel.Config{Domain: instance, Auth: testkit.ForeignAuth{ClientAuth: basic}}, nil},
		{"short secret", "zitadel.Config.Auth (ClientSecretPost)", "shorter than 8", zitadel.Config{Domain: instance, Auth: revoke.ClientSecretPost(clientID, "s3cret7")}, nil},
		{"token endpoint audience", "zitadel.Config.Auth", "issuer", zitadel.Config{Domain: instance, Auth: revoke.PrivateKeyJWT(clientID, testkit.ECKey(t), revoke.WithAudience(revoke.AudienceTokenEndpoint))}, nil},
		{"bad issuer", "zitadel.Config.Issuer", "not absolute", zitadel.Config{Domain: instance, Issuer: "my-issuer", Auth: basic}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := zitadel.New(tc.cfg)
			testkit.WantConfigError(t, err, tc.field, tc.text, tc.kind, testkit.Secret, password, "s3cret7", testkit.HMACSecret)
		})
	}
	if _, err := zitadel.New(zitadel.Config{Domain: "http://zitadel.internal:8080", Auth: basic}, revoke.WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
}

// TestDiscover reads the fake's discovery document.
func TestDiscover(t *testing.T) {
	mt := httpmock.NewMockTransport()
	zitadeltest.Register(mt, base)
	opts := []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}
	ctx := context.Background()
	md, err := zitadel.FetchMetadata(ctx, instance, opts...)
	if err != nil || md.Issuer != base || md.RevocationEndpoint != base+"/oauth/v2/revoke" {
		t.Fatalf("metadata = %+v, %v", md, err)
	}
	for auth, want := range map[revoke.ClientAuth]string{
		revoke.ClientCredentials(clientID, testkit.Secret):           "client_secret_post",
		revoke.ClientCredentials("plain-client", "plainSecretValue"): "client_secret_basic",
		revoke.PrivateKeyJWT(clientID, testkit.ECKey(t)):             "private_key_jwt",
	} {
		r, err := zitadel.Discover(ctx, instance, auth, opts...)
		if err != nil || r.AuthMethod() != want || r.Issuer() != base || r.Endpoint() != base+"/oauth/v2/revoke" {
			t.Errorf("Discover(%v) = %v, %v", auth, r, err)
		}
	}
	evil := httpmock.NewMockTransport()
	evil.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"https://evil.example.net","revocation_endpoint":"https://evil.example.net/oauth/v2/revoke"}`))
	if _, err := zitadel.Discover(ctx, instance, revoke.PublicClient(clientID), revoke.WithHTTPClient(&http.Client{Transport: evil})); !errors.Is(err, revoke.ErrUnexpectedResponse) {
		t.Errorf("foreign issuer: %v", err)
	}
	jwtOnly := httpmock.NewMockTransport()
	jwtOnly.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"`+base+`","revocation_endpoint":"`+base+`/oauth/v2/revoke","revocation_endpoint_auth_methods_supported":["private_key_jwt"]}`))
	if _, err := zitadel.Discover(ctx, instance, revoke.ClientCredentials(clientID, testkit.Secret), revoke.WithHTTPClient(&http.Client{Transport: jwtOnly})); err == nil || !strings.Contains(err.Error(), "supports none of client_secret_basic, client_secret_post") {
		t.Errorf("private_key_jwt only: %v", err)
	}
	noEndpoint := httpmock.NewMockTransport()
	noEndpoint.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"`+base+`"}`))
	if _, err := zitadel.Discover(ctx, instance, revoke.PublicClient(clientID), revoke.WithHTTPClient(&http.Client{Transport: noEndpoint})); err == nil {
		t.Error("no revocation endpoint accepted")
	}
	var nilCtx context.Context
	if _, err := zitadel.Discover(nilCtx, instance, revoke.PublicClient(clientID)); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil context: %v", err)
	}
}

// TestSecretHygiene prints every value that holds a secret, logs calls,
// and makes a server echo the credentials.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	mt := httpmock.NewMockTransport()
	fake := zitadeltest.Register(mt, base)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: testkit.Secret})
	p := fake.Issue(clientID, "alice")
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := zitadel.Config{Domain: instance, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}
	r, err := zitadel.New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err != nil || fake.Active(p.AccessToken) {
		t.Fatalf("revoke: %v", err)
	}
	secrets := []string{testkit.Secret, url.QueryEscape(testkit.Secret), p.AccessToken, p.RefreshToken, password, testkit.HMACSecret}
	var nilCfg *zitadel.Config
	var nilR *zitadel.Revoker
	testkit.PrintsNoSecret(t, map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": zitadel.Config{}, "nil *Config": nilCfg,
		"Config with user info": zitadel.Config{Domain: "https://u:" + password + "@h?k=" + password, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)},
		"Config, foreign Auth":  zitadel.Config{Auth: testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"Revoker":               *r, "*Revoker": r, "zero Revoker": zitadel.Revoker{}, "nil *Revoker": nilR,
		"Result": res, "fake": fake,
	}, secrets...)
	if got := fmt.Sprintf("%+v", cfg); !strings.Contains(got, `Auth:{Method:"client_secret_basic" ClientID:"`+clientID+`"}`) {
		t.Errorf("%%+v of the Config = %s", got)
	}
	logger.Info("done", "config", cfg, "revoker", r)
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 500, Body: fmt.Sprintf(`{"error":"server_error","error_description":"invalid signature: %s %s"}`, req.Header.Get("Authorization"), body)}
	})
	bad, _ := zitadel.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
	if !errors.Is(err, revoke.ErrInvalidClient) {
		t.Fatalf("echo: %v", err)
	}
	logger.Error("failed", "err", err)
	testkit.NoLeak(t, "echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	logs.Check(t, secrets...)
}

// TestDiscoverAuthRules: Discover applies ZITADEL's rules to every client
// authentication, whatever the metadata lists, and chooses
// revoke.ClientCredentials' method from
// revocation_endpoint_auth_methods_supported. A method ZITADEL never takes
// is refused though the metadata lists it.
func TestDiscoverAuthRules(t *testing.T) {
	const plain = "plainSecretValue1"
	serve := func(listed string) []revoke.Option {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"`+base+`","revocation_endpoint":"`+base+`/oauth/v2/revoke","revocation_endpoint_auth_methods_supported":`+listed+`}`))
		return []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}
	}
	const (
		basicOnly = `["client_secret_basic"]`
		withTLS   = `["client_secret_basic","tls_client_auth"]`
		withJWT   = `["client_secret_basic","client_secret_jwt"]`
		jwtOnly   = `["private_key_jwt"]`
		both      = `["client_secret_basic","client_secret_post"]`
	)
	cert := testkit.Certificate(t)
	for _, tc := range []struct {
		name, listed string
		auth         revoke.ClientAuth
		want, err    string
	}{
		{"tls_client_auth, basic listed", basicOnly, revoke.TLSClientAuth(clientID, cert), "", `method "tls_client_auth" is not one ZITADEL authenticates clients with`},
		{"tls_client_auth, listed", withTLS, revoke.TLSClientAuth(clientID, cert), "", "is not one ZITADEL authenticates"},
		{"client_secret_jwt, listed", withJWT, revoke.ClientSecretJWT(clientID, testkit.HMACSecret), "", "registered keys only"},
		{"raw Basic, basic listed", basicOnly, revoke.ClientSecretBasicRaw(clientID, plain), "", "ZITADEL form-decodes Basic credentials (RFC 6749 §2.3.1)"},
		{"NoClientAuth", basicOnly, revoke.NoClientAuth(), "", "revoke.PublicClient(id)"},
		{"ClientCredentials, neither secret method listed", jwtOnly, revoke.ClientCredentials(clientID, plain), "", `ZITADEL supports none of client_secret_basic, client_secret_post for revocation (its metadata lists ["private_key_jwt"])`},
		{"ClientCredentials, client_secret_jwt listed: not ZITADEL's", `["client_secret_jwt"]`, revoke.ClientCredentials(clientID, testkit.HMACSecret), "", "supports none of"},
		{"ClientCredentials, reserved characters, post listed", both, revoke.ClientCredentials(clientID, testkit.Secret), revoke.MethodClientSecretPost, ""},
		{"ClientCredentials, reserved characters, only basic listed", basicOnly, revoke.ClientCredentials(clientID, testkit.Secret), revoke.MethodClientSecretBasic, ""},
		{"private_key_jwt, not listed: ZITADEL's rules only", basicOnly, revoke.PrivateKeyJWT(clientID, testkit.ECKey(t)), revoke.MethodPrivateKeyJWT, ""},
		{"public client, not listed", basicOnly, revoke.PublicClient(clientID), revoke.MethodNone, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := zitadel.Discover(context.Background(), instance, tc.auth, serve(tc.listed)...)
			if tc.err != "" {
				testkit.WantConfigError(t, err, "zitadel.Config.Auth", tc.err, nil, plain, testkit.Secret, testkit.HMACSecret)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.AuthMethod() != tc.want {
				t.Errorf("AuthMethod() = %q, want %q", r.AuthMethod(), tc.want)
			}
		})
	}
}
