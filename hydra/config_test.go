package hydra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// TestNewBadInput: every bad configuration is a ConfigError naming the
// field and the fix, and never shows a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	basic := revoke.ClientSecretBasic(clientID, testkit.Secret)
	tests := []struct {
		name      string
		cfg       hydra.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		{"no public URL", hydra.Config{Auth: basic}, nil, "hydra.Config.PublicURL", "is empty", nil},
		{"no scheme", hydra.Config{PublicURL: "auth.example.com", Auth: basic}, nil, "hydra.Config.PublicURL", "not absolute", nil},
		{"endpoint path", hydra.Config{PublicURL: public + "/oauth2/revoke", Auth: basic}, nil, "hydra.Config.PublicURL", "already includes an endpoint path", nil},
		{"/oauth2", hydra.Config{PublicURL: public + "/OAuth2/", Auth: basic}, nil, "hydra.Config.PublicURL", "already includes an endpoint path", nil},
		{"discovery path", hydra.Config{PublicURL: public + "/.well-known/openid-configuration", Auth: basic}, nil, "hydra.Config.PublicURL", "already includes an endpoint path", nil},
		{"admin path", hydra.Config{PublicURL: "http://127.0.0.1:4445/admin", Auth: basic}, nil, "hydra.Config.PublicURL", "hydra.NewAdmin", nil},
		{"query", hydra.Config{PublicURL: public + "/?x=1", Auth: basic}, nil, "hydra.Config.PublicURL", "query", nil},
		{"user info", hydra.Config{PublicURL: "https://admin:" + password + "@auth.example.com", Auth: basic}, nil, "hydra.Config.PublicURL", "user info", nil},
		{"plain http to a remote host", hydra.Config{PublicURL: "http://hydra:4444", Auth: basic}, nil, "hydra.Config.PublicURL", "clear text", revoke.ErrInsecureEndpoint},
		{"bad host", hydra.Config{PublicURL: "https://auth_example.com", Auth: basic}, nil, "hydra.Config.PublicURL", "'_'", nil},
		{"no Auth", hydra.Config{PublicURL: public}, nil, "hydra.Config.Auth", "is nil", nil},
		{"raw Basic", hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasicRaw(clientID, testkit.Secret[3:])}, nil, "hydra.Config.Auth", "revoke.ClientSecretBasic", nil},
		{"NoClientAuth", hydra.Config{PublicURL: public, Auth: revoke.NoClientAuth()}, nil, "hydra.Config.Auth", "revoke.PublicClient", nil},
		{"mutual TLS", hydra.Config{PublicURL: public, Auth: revoke.TLSClientAuth(clientID, testkit.Certificate(t))}, nil, "hydra.Config.Auth", "not one Hydra authenticates", nil},
		{"foreign Auth", hydra.Config{PublicURL: public, Auth: &testkit.ForeignAuth{ClientAuth: revoke.PublicClient(clientID)}}, nil, "hydra.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"short secret", hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, "s3cret7")}, nil, "hydra.Config.Auth (ClientSecretBasic)", "shorter than 8", nil},
		{"ClientCredentials with an empty secret", hydra.Config{PublicURL: public, Auth: revoke.ClientCredentials(clientID, "")}, nil, "hydra.Config.Auth (ClientCredentials)", "secret is empty", nil},
		{"PublicClient with a newline", hydra.Config{PublicURL: public, Auth: revoke.PublicClient(clientID + "\n")}, nil, "hydra.Config.Auth (PublicClient)", "white space", nil},
		{"assertion aimed at the revocation endpoint", hydra.Config{PublicURL: public, Auth: revoke.PrivateKeyJWT(clientID, testkit.ECKey(t), revoke.WithAudience(revoke.AudienceEndpoint))}, nil, "hydra.Config.Auth", "fosite rejects", nil},
		{"issuer audience without an issuer", hydra.Config{PublicURL: public, Auth: revoke.PrivateKeyJWT(clientID, testkit.ECKey(t), revoke.WithAudience(revoke.AudienceIssuer))}, nil, "hydra.Config.Issuer", "is empty", nil},
		{"bad token endpoint", hydra.Config{PublicURL: public, TokenEndpoint: "ftp://x", Auth: basic}, nil, "hydra.Config.TokenEndpoint", "use https", nil},
		{"bad issuer", hydra.Config{PublicURL: public, Issuer: "issuer", Auth: basic}, nil, "hydra.Config.Issuer", "not absolute", nil},
		{"bad option", hydra.Config{PublicURL: public, Auth: basic}, []revoke.Option{revoke.WithMaxResponseBytes(-1)}, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := hydra.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, testkit.Secret, password, "s3cret7")
		})
	}
	// Accepted: loopback http, insecure http on request, a path prefix.
	for _, cfg := range []hydra.Config{
		{PublicURL: "http://localhost:4444", Auth: basic},
		{PublicURL: "https://gw.example.com/hydra/", Auth: revoke.PublicClient(clientID)},
	} {
		if _, err := hydra.New(cfg); err != nil {
			t.Errorf("New(%+v) = %v", cfg, err)
		}
	}
	if _, err := hydra.New(hydra.Config{PublicURL: "http://hydra:4444", Auth: basic}, revoke.WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
}

// TestDiscover reads the fake's discovery document.
func TestDiscover(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := hydratest.Register(mt, public)
	opts := []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
	ctx := context.Background()

	md, err := hydra.FetchMetadata(ctx, public, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if md.Issuer != public || md.RevocationEndpoint != public+"/oauth2/revoke" || md.TokenEndpoint != public+"/oauth2/token" || len(md.AuthMethods()) != 4 {
		t.Errorf("metadata = %+v", md)
	}
	for _, tc := range []struct {
		auth       revoke.ClientAuth
		wantMethod string
	}{
		{revoke.ClientCredentials(clientID, "plainSecretValue1"), "client_secret_basic"},
		{revoke.ClientCredentials(clientID, testkit.Secret), "client_secret_post"},
		{revoke.PrivateKeyJWT(clientID, testkit.ECKey(t)), "private_key_jwt"},
		{revoke.PublicClient(clientID), "none"},
	} {
		r, err := hydra.Discover(ctx, public+"/", tc.auth, opts...)
		if err != nil {
			t.Fatalf("Discover(%v): %v", tc.auth, err)
		}
		if r.AuthMethod() != tc.wantMethod || r.Endpoint() != public+"/oauth2/revoke" || r.TokenEndpoint() != public+"/oauth2/token" {
			t.Errorf("Discover(%v) = %v, token endpoint %q", tc.auth, r, r.TokenEndpoint())
		}
	}
	if n := len(fake.Requests()); n != 5 {
		t.Errorf("%d discovery requests, want 5", n)
	}

	// A document whose issuer is another server's is refused.
	evil := httpmock.NewMockTransport()
	evil.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"https://evil.example.net","revocation_endpoint":"https://evil.example.net/oauth2/revoke"}`))
	_, err = hydra.Discover(ctx, public, revoke.PublicClient(clientID), revoke.WithHTTPClient(&http.Client{Transport: evil}))
	if !errors.Is(err, revoke.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "impersonation") {
		t.Errorf("foreign issuer: %v", err)
	}
	// Metadata listing only private_key_jwt leaves ClientCredentials nothing.
	only := httpmock.NewMockTransport()
	only.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"`+public+`","revocation_endpoint":"`+public+`/oauth2/revoke","token_endpoint_auth_methods_supported":["private_key_jwt"]}`))
	_, err = hydra.Discover(ctx, public, revoke.ClientCredentials(clientID, "plainSecretValue1"), revoke.WithHTTPClient(&http.Client{Transport: only}))
	var ce *revoke.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "private_key_jwt") {
		t.Errorf("private_key_jwt only: %v", err)
	}
	// No revocation endpoint, not JSON, 404.
	for body, want := range map[string]error{
		`{"issuer":"` + public + `"}`: nil,
		`<html>`:                      revoke.ErrUnexpectedResponse,
	} {
		bad := httpmock.NewMockTransport()
		bad.RegisterNoResponder(httpmock.NewStringResponder(200, body))
		_, err := hydra.Discover(ctx, public, revoke.PublicClient(clientID), revoke.WithHTTPClient(&http.Client{Transport: bad}))
		if err == nil || (want != nil && !errors.Is(err, want)) {
			t.Errorf("body %q: %v", body, err)
		}
	}
	missing := httpmock.NewMockTransport()
	missing.RegisterNoResponder(httpmock.NewStringResponder(404, "404 page not found"))
	if _, err := hydra.Discover(ctx, public, revoke.PublicClient(clientID), revoke.WithHTTPClient(&http.Client{Transport: missing})); !errors.Is(err, revoke.ErrNotFound) {
		t.Errorf("404: %v", err)
	}
	if _, err := hydra.Discover(ctx, "http://hydra:4444", revoke.PublicClient(clientID)); !errors.Is(err, revoke.ErrInsecureEndpoint) {
		t.Errorf("insecure: %v", err)
	}
}

// TestSecretHygiene prints every value that holds a secret with every
// verb, JSON and slog, logs calls, and makes a server echo the
// credentials: no secret, token or password appears anywhere.
func TestSecretHygiene(t *testing.T) {
	const (
		password = "url-password-1"
		apiKey   = "ory_pat_SECRETkey0123456789"
	)
	mt := httpmock.NewMockTransport()
	fake := hydratest.Register(mt, public)
	fake.APIKey = apiKey
	fake.AddClient(revoketest.Client{ID: clientID, Secret: testkit.Secret})
	p := fake.Issue(clientID, "alice")
	var logs testkit.Logs
	logger := logs.Logger()
	opts := []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry(), revoke.WithLogger(logger)}
	cfg := hydra.Config{PublicURL: public, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}
	r, err := hydra.New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	acfg := hydra.AdminConfig{AdminURL: public, APIKey: apiKey}
	a, err := hydra.NewAdmin(acfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := a.RevokeSubject(context.Background(), revoke.OpaqueSubject("alice"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{testkit.Secret, url.QueryEscape(testkit.Secret), p.AccessToken, p.RefreshToken, password, apiKey, "Bearer " + apiKey, testkit.HMACSecret}
	var nilCfg *hydra.Config
	var nilACfg *hydra.AdminConfig
	var nilR *hydra.Revoker
	var nilA *hydra.Admin
	values := map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": hydra.Config{}, "nil *Config": nilCfg,
		"Config with user info":      hydra.Config{PublicURL: "https://u:" + password + "@h/?k=" + password, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)},
		"Config with a foreign Auth": hydra.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"AdminConfig":                acfg, "*AdminConfig": &acfg, "zero AdminConfig": hydra.AdminConfig{}, "nil *AdminConfig": nilACfg,
		"AdminConfig with a TokenSource": hydra.AdminConfig{AdminURL: public, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: apiKey})},
		"Revoker":                        *r, "*Revoker": r, "zero Revoker": hydra.Revoker{}, "nil *Revoker": nilR,
		"Admin": *a, "*Admin": a, "zero Admin": hydra.Admin{}, "nil *Admin": nilA,
		"Result": res, "Report": rep, "fake": fake,
	}
	testkit.PrintsNoSecret(t, values, secrets...)
	for _, c := range []struct{ what, got, want string }{
		{"%+v of the Config", fmt.Sprintf("%+v", cfg), `Auth:{Method:"client_secret_basic" ClientID:"my-client"}`},
		{"%#v of the AdminConfig", fmt.Sprintf("%#v", acfg), `APIKey:[REDACTED]`},
		{"%v of the Admin", fmt.Sprintf("%v", a), `{"https://auth.example.com" "Bearer (APIKey)"}`},
		{"%v of the Revoker", fmt.Sprintf("%v", r), `{"https://auth.example.com/oauth2/revoke" "client_secret_basic" "my-client"}`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s = %s; want it to contain %s", c.what, c.got, c.want)
		}
	}
	logger.Info("done", "config", cfg, "admin", acfg, "revoker", r, "report", rep)

	// A server that echoes the credentials into its error and request ID.
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 401, Header: http.Header{"X-Request-Id": {req.Header.Get("Authorization")}},
			Body: fmt.Sprintf(`{"error":"invalid_client","error_description":"header %s body %s","error_hint":%q}`, req.Header.Get("Authorization"), body, req.URL.RawQuery+req.Header.Get("Authorization"))}
	})
	bad, _ := hydra.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
	if err == nil {
		t.Fatal("want an error")
	}
	badA, _ := hydra.NewAdmin(acfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	rep, aerr := badA.RevokeSubject(context.Background(), revoke.OpaqueSubject("alice"))
	if aerr == nil {
		t.Fatal("want an admin error")
	}
	logger.Error("failed", "err", err, "admin_err", aerr, "report", rep)
	testkit.NoLeak(t, "echoed errors", testkit.PrintAll(err)+err.Error()+testkit.PrintAll(aerr)+aerr.Error(), secrets...)
	logs.Check(t, secrets...)
}

// TestDiscoverAuthRules: Discover applies Hydra's rules to every client
// authentication, whatever the metadata lists, and chooses
// revoke.ClientCredentials' method from the list (the revocation
// endpoint's, else the token endpoint's). A method Hydra never takes is
// refused though the metadata lists it; one it takes is used though the
// metadata, whose list is only the token endpoint's, omits it.
func TestDiscoverAuthRules(t *testing.T) {
	const plain = "plainSecretValue1"
	serve := func(members string) []revoke.Option {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(httpmock.NewStringResponder(200, `{"issuer":"`+public+`","revocation_endpoint":"`+public+`/oauth2/revoke","token_endpoint":"`+public+`/oauth2/token",`+members+`}`))
		return []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}
	}
	const (
		basicOnly = `"token_endpoint_auth_methods_supported":["client_secret_basic"]`
		withTLS   = `"token_endpoint_auth_methods_supported":["client_secret_basic","tls_client_auth","self_signed_tls_client_auth"]`
		jwtOnly   = `"token_endpoint_auth_methods_supported":["private_key_jwt"]`
		both      = `"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]`
		revPost   = `"revocation_endpoint_auth_methods_supported":["client_secret_post"],"token_endpoint_auth_methods_supported":["client_secret_basic"]`
	)
	cert := testkit.Certificate(t)
	for _, tc := range []struct {
		name, members string
		auth          revoke.ClientAuth
		want, err     string
	}{
		{"tls_client_auth, basic listed", basicOnly, revoke.TLSClientAuth(clientID, cert), "", `method "tls_client_auth" is not one Hydra authenticates clients with`},
		{"tls_client_auth, listed", withTLS, revoke.TLSClientAuth(clientID, cert), "", `method "tls_client_auth" is not one Hydra authenticates clients with`},
		{"self_signed_tls_client_auth, listed", withTLS, revoke.SelfSignedTLSClientAuth(clientID, cert), "", "is not one Hydra authenticates"},
		{"raw Basic, basic listed", basicOnly, revoke.ClientSecretBasicRaw(clientID, plain), "", "Hydra form-decodes Basic credentials (RFC 6749 §2.3.1)"},
		{"NoClientAuth", basicOnly, revoke.NoClientAuth(), "", "revoke.PublicClient(id)"},
		{"ClientCredentials, neither secret method listed", jwtOnly, revoke.ClientCredentials(clientID, plain), "", `Hydra supports none of client_secret_basic, client_secret_post for revocation (its metadata lists ["private_key_jwt"])`},
		{"ClientCredentials, reserved characters, post listed", both, revoke.ClientCredentials(clientID, testkit.Secret), revoke.MethodClientSecretPost, ""},
		{"ClientCredentials, reserved characters, only basic listed", basicOnly, revoke.ClientCredentials(clientID, testkit.Secret), revoke.MethodClientSecretBasic, ""},
		{"ClientCredentials, the revocation list first", revPost, revoke.ClientCredentials(clientID, plain), revoke.MethodClientSecretPost, ""},
		{"private_key_jwt, not listed: Hydra's rules only", basicOnly, revoke.PrivateKeyJWT(clientID, testkit.ECKey(t)), revoke.MethodPrivateKeyJWT, ""},
		{"public client, not listed", basicOnly, revoke.PublicClient(clientID), revoke.MethodNone, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := hydra.Discover(context.Background(), public, tc.auth, serve(tc.members)...)
			if tc.err != "" {
				testkit.WantConfigError(t, err, "hydra.Config.Auth", tc.err, nil, plain, testkit.Secret)
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
