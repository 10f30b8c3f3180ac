package keycloak_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak"
)

// TestNewBadInput checks that every bad configuration is a ConfigError
// naming the field and the fix, and never shows a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	auth := revoke.ClientSecretPost(clientID, secret)
	withBase := func(c keycloak.Config) keycloak.Config {
		if c.BaseURL == "" && c.Issuer == "" {
			c.BaseURL = base
		}
		if c.Realm == "" && c.Issuer == "" {
			c.Realm = realm
		}
		return c
	}
	var typedNilSigner *testkit.Signer
	tests := []struct {
		name      string
		cfg       keycloak.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		// Where the realm is.
		{"nothing", keycloak.Config{Auth: auth}, nil, "keycloak.Config.BaseURL", "is empty", nil},
		{"base URL without a realm", keycloak.Config{BaseURL: base, Auth: auth}, nil, "keycloak.Config.Realm", "is empty", nil},
		{"base URL with user info", keycloak.Config{BaseURL: "https://admin:" + password + "@sso.example.com", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "user info", nil},
		{"base URL with a query", keycloak.Config{BaseURL: base + "/?realm=x", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "query", nil},
		{"base URL with a fragment", keycloak.Config{BaseURL: base + "#x", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "fragment", nil},
		{"base URL with white space", keycloak.Config{BaseURL: base + " ", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "white space", nil},
		{"base URL with a bad host", keycloak.Config{BaseURL: "https://sso_example.com", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "'_'", nil},
		{"base URL scheme ftp", keycloak.Config{BaseURL: "ftp://sso.example.com", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "use https", nil},
		{"plain http to a remote host", keycloak.Config{BaseURL: "http://sso.example.com", Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "clear text", revoke.ErrInsecureEndpoint},
		{"base URL with the realm path", keycloak.Config{BaseURL: issuer, Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "already includes a realm path", nil},
		{"base URL with the endpoint", keycloak.Config{BaseURL: endpoint, Realm: realm, Auth: auth}, nil, "keycloak.Config.BaseURL", "already includes a realm path", nil},
		{"realm with a slash", keycloak.Config{BaseURL: base, Realm: "a/b", Auth: auth}, nil, "keycloak.Config.Realm", "'/'", nil},
		{"realm with a space", keycloak.Config{BaseURL: base, Realm: "my realm", Auth: auth}, nil, "keycloak.Config.Realm", "space or control", nil},
		{"realm with a newline", keycloak.Config{BaseURL: base, Realm: "myrealm\n", Auth: auth}, nil, "keycloak.Config.Realm", "space or control", nil},
		{"realm with '%'", keycloak.Config{BaseURL: base, Realm: "%2F", Auth: auth}, nil, "keycloak.Config.Realm", "'%'", nil},
		{"realm dot dot", keycloak.Config{BaseURL: base, Realm: "..", Auth: auth}, nil, "keycloak.Config.Realm", "relative path segment", nil},
		{"realm too long", keycloak.Config{BaseURL: base, Realm: strings.Repeat("r", 300), Auth: auth}, nil, "keycloak.Config.Realm", "more than 256", nil},
		{"issuer and base URL", keycloak.Config{BaseURL: base, Issuer: issuer, Auth: auth}, nil, "keycloak.Config.Issuer", "together with BaseURL or Realm", nil},
		{"issuer and realm", keycloak.Config{Realm: realm, Issuer: issuer, Auth: auth}, nil, "keycloak.Config.Issuer", "together with BaseURL or Realm", nil},
		{"issuer without /realms/", keycloak.Config{Issuer: base, Auth: auth}, nil, "keycloak.Config.Issuer", "does not end in /realms/{realm}", nil},
		{"issuer of the endpoint", keycloak.Config{Issuer: endpoint, Auth: auth}, nil, "keycloak.Config.Issuer", "does not end in /realms/{realm}", nil},
		{"issuer without a scheme", keycloak.Config{Issuer: "sso.example.com/realms/x", Auth: auth}, nil, "keycloak.Config.Issuer", "not absolute", nil},
		{"issuer with a query", keycloak.Config{Issuer: issuer + "?x=1", Auth: auth}, nil, "keycloak.Config.Issuer", "query", nil},
		{"issuer with user info", keycloak.Config{Issuer: "https://u:" + password + "@sso.example.com/realms/x", Auth: auth}, nil, "keycloak.Config.Issuer", "user info", nil},
		{"issuer with a bad realm", keycloak.Config{Issuer: base + "/realms/..", Auth: auth}, nil, "keycloak.Config.Issuer (the realm after /realms/)", "relative path segment", nil},
		// Auth.
		{"no Auth", withBase(keycloak.Config{}), nil, "keycloak.Config.Auth", "is nil", nil},
		{"NoClientAuth", withBase(keycloak.Config{Auth: revoke.NoClientAuth()}), nil, "keycloak.Config.Auth", "revoke.PublicClient", nil},
		{"self-signed mTLS", withBase(keycloak.Config{Auth: revoke.SelfSignedTLSClientAuth(clientID, testkit.Certificate(t))}), nil, "keycloak.Config.Auth", "revoke.TLSClientAuth", nil},
		{"foreign Auth", withBase(keycloak.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, secret)}}), nil, "keycloak.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"foreign Auth wrapping nil", withBase(keycloak.Config{Auth: &testkit.ForeignAuth{}}), nil, "keycloak.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"Basic with a short secret", withBase(keycloak.Config{Auth: revoke.ClientSecretBasic(clientID, "short")}), nil, "keycloak.Config.Auth (ClientSecretBasic)", "shorter than 8", nil},
		{"Basic with a white-space client ID", withBase(keycloak.Config{Auth: revoke.ClientSecretBasic(" ", secret)}), nil, "keycloak.Config.Auth (ClientSecretBasic)", "only white space", nil},
		{"raw Basic with ':' in the client ID", withBase(keycloak.Config{Auth: revoke.ClientSecretBasicRaw("a:b", secret)}), nil, "keycloak.Config.Auth (ClientSecretBasicRaw)", "':'", nil},
		{"post with a control character in the secret", withBase(keycloak.Config{Auth: revoke.ClientSecretPost(clientID, "secret\x00value")}), nil, "keycloak.Config.Auth (ClientSecretPost)", "control character", nil},
		{"post with a trailing newline in the secret", withBase(keycloak.Config{Auth: revoke.ClientSecretPost(clientID, secret+"\n")}), nil, "keycloak.Config.Auth (ClientSecretPost)", "white space", nil},
		{"ClientCredentials with an empty secret", withBase(keycloak.Config{Auth: revoke.ClientCredentials(clientID, "")}), nil, "keycloak.Config.Auth (ClientCredentials)", "is empty", nil},
		{"client_secret_jwt with a short secret", withBase(keycloak.Config{Auth: revoke.ClientSecretJWT(clientID, secret)}), nil, "keycloak.Config.Auth (ClientSecretJWT)", "", nil},
		{"private_key_jwt with a typed-nil key", withBase(keycloak.Config{Auth: revoke.PrivateKeyJWT(clientID, typedNilSigner)}), nil, "keycloak.Config.Auth (PrivateKeyJWT)", "", nil},
		{"private_key_jwt with a nil key", withBase(keycloak.Config{Auth: revoke.PrivateKeyJWT(clientID, nil)}), nil, "keycloak.Config.Auth (PrivateKeyJWT)", "", nil},
		{"mTLS without a certificate", withBase(keycloak.Config{Auth: revoke.TLSClientAuth(clientID, tls.Certificate{})}), nil, "keycloak.Config.Auth (TLSClientAuth)", "no chain", nil},
		{"PublicClient with an empty ID", withBase(keycloak.Config{Auth: revoke.PublicClient("")}), nil, "keycloak.Config.Auth (PublicClient)", "is empty", nil},
		// Options.
		{"bad option", withBase(keycloak.Config{Auth: auth}), []revoke.Option{revoke.WithMaxResponseBytes(-1)}, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keycloak.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, password, secret, testkit.Secret)
		})
	}
}

// TestNewAccepts checks the method each Auth resolves to, and the URLs.
func TestNewAccepts(t *testing.T) {
	key := testkit.RSAKey(t)
	tests := []struct {
		name       string
		cfg        keycloak.Config
		wantMethod string
		wantIssuer string
	}{
		{"Basic", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretBasic(clientID, secret)}, "client_secret_basic", issuer},
		{"raw Basic with ':' in the secret", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretBasicRaw(clientID, "sec:ret-value")}, "client_secret_basic", issuer},
		{"post", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretPost(clientID, secret)}, "client_secret_post", issuer},
		{"ClientCredentials, plain", keycloak.Config{Issuer: issuer, Auth: revoke.ClientCredentials(clientID, secret)}, "client_secret_basic", issuer},
		{"ClientCredentials, special", keycloak.Config{Issuer: issuer, Auth: revoke.ClientCredentials(clientID, testkit.Secret)}, "client_secret_post", issuer},
		{"client_secret_jwt", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}, "client_secret_jwt", issuer},
		{"private_key_jwt, RSA through a signer", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.PrivateKeyJWT(clientID, testkit.Signer{K: key})}, "private_key_jwt", issuer},
		{"tls_client_auth", keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.TLSClientAuth(clientID, testkit.Certificate(t))}, "tls_client_auth", issuer},
		{"public", keycloak.Config{BaseURL: base + "/auth/", Realm: realm, Auth: revoke.PublicClient(clientID)}, "none", base + "/auth/realms/myrealm"},
		{"non-ASCII realm", keycloak.Config{BaseURL: base, Realm: "réalm", Auth: revoke.PublicClient(clientID)}, "none", base + "/realms/r%C3%A9alm"},
		{"localhost", keycloak.Config{BaseURL: "http://localhost:8080", Realm: "master", Auth: revoke.PublicClient(clientID)}, "none", "http://localhost:8080/realms/master"},
		{"plain http with WithInsecureHTTP", keycloak.Config{BaseURL: "http://keycloak:8080", Realm: realm, Auth: revoke.PublicClient(clientID)}, "none", "http://keycloak:8080/realms/myrealm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := keycloak.New(tc.cfg, revoke.WithInsecureHTTP())
			if err != nil {
				t.Fatal(err)
			}
			testkit.Want(t, "AuthMethod", r.AuthMethod(), tc.wantMethod)
			testkit.Want(t, "Issuer", r.Issuer(), tc.wantIssuer)
			testkit.Want(t, "Endpoint", r.Endpoint(), tc.wantIssuer+"/protocol/openid-connect/revoke")
		})
	}
}

// TestSecretHygiene prints every value of the package that holds a secret
// (zero and filled, value and pointer, nil pointers) with every verb, JSON
// and slog, logs a revocation, and makes a server echo the credentials: no
// secret, token or password appears anywhere, and nothing panics.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := keycloak.Config{BaseURL: base, Realm: realm, Auth: revoke.ClientSecretBasic(clientID, testkit.Secret)}
	ep := testkit.NewEndpoint(testkit.JSONAnswer(200, golden(t, "revoke-200-invalid-token.json")))
	r := newRevoker(t, ep, cfg, revoke.WithLogger(logger))
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil || !res.AlreadyInvalid {
		t.Fatalf("revoke: %+v, %v", res, err)
	}
	secrets := []string{testkit.Secret, url.QueryEscape(testkit.Secret), token, testkit.Basic(clientID, url.QueryEscape(testkit.Secret)), password, testkit.HMACSecret, testkit.APIToken}

	acfg := keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}
	admin, err := keycloak.NewAdmin(acfg)
	if err != nil {
		t.Fatal(err)
	}
	var nilCfg *keycloak.Config
	var nilR *keycloak.Revoker
	var nilACfg *keycloak.AdminConfig
	var nilA *keycloak.Admin
	values := map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": keycloak.Config{}, "nil *Config": nilCfg,
		"Config with a JWT Auth":            keycloak.Config{Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)},
		"Config with a foreign Auth":        keycloak.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"Config with user info and a query": keycloak.Config{BaseURL: "https://admin:" + password + "@sso.example.com/?k=" + password + "#" + password, Issuer: "https://u:" + password + "@h/realms/x?" + password},
		"Revoker":                           *r, "*Revoker": r, "zero Revoker": keycloak.Revoker{}, "nil *Revoker": nilR,
		"AdminConfig": acfg, "*AdminConfig": &acfg, "zero AdminConfig": keycloak.AdminConfig{}, "nil *AdminConfig": nilACfg,
		"Admin": *admin, "*Admin": admin, "zero Admin": keycloak.Admin{}, "nil *Admin": nilA,
		"Result": res, "*Result": *res,
	}
	testkit.PrintsNoSecret(t, values, secrets...)
	for _, c := range []struct{ what, got, want string }{
		{"%#v of the Config", fmt.Sprintf("%#v", cfg), `keycloak.Config{BaseURL:"https://sso.example.com", Realm:"myrealm", Issuer:"", Auth:{Method:"client_secret_basic" ClientID:"my-app"}}`},
		{"%v of the Revoker", fmt.Sprintf("%v", r), `{"` + endpoint + `" "client_secret_basic" "my-app"}`},
		{"%v of a Config with user info", fmt.Sprintf("%v", keycloak.Config{BaseURL: "https://u:" + password + "@h/p?q#f"}), `"https://[REDACTED]@h/p?[REDACTED]"`},
		{"%+v of the AdminConfig", fmt.Sprintf("%+v", acfg), `TokenSource:keycloak_test.staticSource`},
		{"%v of the Admin", fmt.Sprintf("%v", admin), `{"https://sso.example.com/admin/realms/myrealm" "keycloak_test.staticSource"}`},
		{"%v of the zero Revoker", fmt.Sprintf("%v", keycloak.Revoker{}), `{"" "" ""}`},
		{"%v of a nil *Revoker", fmt.Sprintf("%v", nilR), `<nil>`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s = %s; want it to contain %s", c.what, c.got, c.want)
		}
	}
	logger.Info("revoked", "result", res, "config", cfg, "revoker", r, "admin", admin, "admin_config", acfg)

	// A server that echoes the credentials and the token into its error.
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 401, Header: http.Header{"X-Request-Id": {req.Header.Get("Authorization")}},
			Body: fmt.Sprintf(`{"error":"unauthorized_client","error_description":"header %s body %s"}`, req.Header.Get("Authorization"), body)}
	})
	bad, err := keycloak.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: token})
	if !errors.Is(err, revoke.ErrInvalidClient) {
		t.Fatalf("want ErrInvalidClient, got %v", err)
	}
	logger.Error("failed", "err", err)
	testkit.NoLeak(t, "echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	logs.Check(t, secrets...)
}

// FuzzNew feeds arbitrary base URLs, realms and issuers to New: it never
// panics, every refusal is a complete ConfigError, and whatever it accepts
// ends in /realms/{realm}/protocol/openid-connect/revoke with no query,
// fragment or user info.
func FuzzNew(f *testing.F) {
	for _, s := range [][3]string{
		{base, realm, ""}, {base + "/auth", realm, ""}, {"", "", issuer}, {"sso.example.com", "r", ""},
		{base, "a/b", ""}, {base, "..", ""}, {"http://localhost:8080", "master", ""}, {issuer, realm, ""},
		{"", "", base + "/realms/"}, {"", "", base + "/realms/x?y"}, {"https://u:p@h", "r", ""}, {base, "%2F", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, baseURL, realmName, iss string) {
		r, err := keycloak.New(keycloak.Config{BaseURL: baseURL, Realm: realmName, Issuer: iss, Auth: revoke.PublicClient("app")})
		if err != nil {
			testkit.WantConfigError(t, err, "", "", nil)
			return
		}
		u, err := url.Parse(r.Endpoint())
		if err != nil {
			t.Fatalf("Endpoint %q does not parse: %v", r.Endpoint(), err)
		}
		if !strings.HasSuffix(u.Path, "/protocol/openid-connect/revoke") || !strings.Contains(u.Path, "/realms/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Endpoint %q", r.Endpoint())
		}
		if r.Issuer()+"/protocol/openid-connect/revoke" != r.Endpoint() {
			t.Fatalf("Issuer %q and Endpoint %q disagree", r.Issuer(), r.Endpoint())
		}
	})
}
