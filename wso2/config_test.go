package wso2_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
)

// TestNewBadInput checks that every bad configuration is a ConfigError
// naming the field and the fix, and never shows a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	good := func(c wso2.Config) wso2.Config {
		if c.BaseURL == "" {
			c.BaseURL = base
		}
		return c
	}
	tests := []struct {
		name      string
		cfg       wso2.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		// BaseURL.
		{"no base URL", wso2.Config{ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "is empty", nil},
		{"base URL without a scheme", wso2.Config{BaseURL: "is.example.com", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "not absolute", nil},
		{"base URL host and port without a scheme", wso2.Config{BaseURL: "localhost:9443", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "not absolute", nil},
		{"base URL with the endpoint path", wso2.Config{BaseURL: base + "/oauth2/revoke", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "already includes the endpoint path", nil},
		{"base URL with /oauth2", wso2.Config{BaseURL: base + "/OAuth2/", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "already includes the endpoint path", nil},
		{"base URL with a tenant endpoint path", wso2.Config{BaseURL: base + "/t/wso2.com/oauth2/revoke", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "already includes the endpoint path", nil},
		{"base URL with a query", wso2.Config{BaseURL: base + "/?tenant=x", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "query", nil},
		{"base URL with a fragment", wso2.Config{BaseURL: base + "/#x", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "fragment", nil},
		{"base URL with white space", wso2.Config{BaseURL: base + " ", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "white space", nil},
		{"base URL with user info", wso2.Config{BaseURL: "https://admin:" + password + "@is.example.com:9443", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "user info", nil},
		{"base URL with a bad host", wso2.Config{BaseURL: "https://is_example.com", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "'_'", nil},
		{"base URL scheme ftp", wso2.Config{BaseURL: "ftp://is.example.com", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "use https", nil},
		{"plain http to a remote host", wso2.Config{BaseURL: "http://is.example.com:9763", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL", "clear text", revoke.ErrInsecureEndpoint},
		{"tenant in base URL is a relative segment", wso2.Config{BaseURL: "https://api.asgardeo.io/t/..", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL (the tenant after /t/)", "relative path segment", nil},
		{"tenant in base URL with a bad character", wso2.Config{BaseURL: "https://api.asgardeo.io/t/my@org", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.BaseURL (the tenant after /t/)", "'@'", nil},
		// Tenant.
		{"tenant with slash", good(wso2.Config{Tenant: "t/wso2.com", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "'/'", nil},
		{"tenant with space", good(wso2.Config{Tenant: "my org", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "space or control character", nil},
		{"tenant with a newline", good(wso2.Config{Tenant: "myorg\n", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "space or control character", nil},
		{"tenant with '@'", good(wso2.Config{Tenant: "my@org", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "'@'", nil},
		{"tenant with '%'", good(wso2.Config{Tenant: "%2F", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "'%'", nil},
		{"tenant dot dot", good(wso2.Config{Tenant: "..", ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "relative path segment", nil},
		{"tenant too long", good(wso2.Config{Tenant: strings.Repeat("a", 300), ClientID: clientID, ClientSecret: secret}), nil, "wso2.Config.Tenant", "more than 256", nil},
		{"tenant twice", wso2.Config{BaseURL: "https://api.asgardeo.io/t/a", Tenant: "b", ClientID: clientID, ClientSecret: secret}, nil, "wso2.Config.Tenant", "already ends in a tenant path", nil},
		// ClientID and ClientSecret (raw Basic).
		{"missing client ID", good(wso2.Config{ClientSecret: secret}), nil, "wso2.Config.ClientID", "is empty", nil},
		{"white-space client ID", good(wso2.Config{ClientID: " \t ", ClientSecret: secret}), nil, "wso2.Config.ClientID", "only white space", nil},
		{"client ID with a control character", good(wso2.Config{ClientID: "app\x00x", ClientSecret: secret}), nil, "wso2.Config.ClientID", "control character", nil},
		{"client ID with a trailing newline", good(wso2.Config{ClientID: clientID + "\n", ClientSecret: secret}), nil, "wso2.Config.ClientID", "white space", nil},
		{"empty secret", good(wso2.Config{ClientID: clientID}), nil, "wso2.Config.ClientSecret", "ClientIDOnly", nil},
		{"white-space secret", good(wso2.Config{ClientID: clientID, ClientSecret: "          "}), nil, "wso2.Config.ClientSecret", "only white space", nil},
		{"secret with a control character", good(wso2.Config{ClientID: clientID, ClientSecret: "secret\x7fvalue"}), nil, "wso2.Config.ClientSecret", "control character", nil},
		{"secret with a trailing newline", good(wso2.Config{ClientID: clientID, ClientSecret: secret + "\n"}), nil, "wso2.Config.ClientSecret", "white space", nil},
		{"short secret", good(wso2.Config{ClientID: clientID, ClientSecret: "s3cret7"}), nil, "wso2.Config.ClientSecret", "shorter than 8", nil},
		{"client ID with ':'", good(wso2.Config{ClientID: "a:b", ClientSecret: secret}), nil, "wso2.Config.ClientID", "revoke.ClientSecretPost", nil},
		{"secret with ':'", good(wso2.Config{ClientID: clientID, ClientSecret: "pass:word"}), nil, "wso2.Config.ClientSecret", "revoke.ClientSecretPost", nil},
		// Auth.
		{"raw Basic Auth with ':' in the secret", good(wso2.Config{Auth: revoke.ClientSecretBasicRaw(clientID, "pass:word")}), nil, "wso2.Config.Auth", "revoke.ClientSecretPost", nil},
		{"raw Basic Auth with ':' in the client ID", good(wso2.Config{Auth: revoke.ClientSecretBasicRaw("a:b", secret)}), nil, "wso2.Config.Auth", "revoke.ClientSecretPost", nil},
		{"encoded Basic Auth", good(wso2.Config{Auth: revoke.ClientSecretBasic(clientID, secret)}), nil, "wso2.Config.Auth", "revoke.ClientSecretBasicRaw", nil},
		{"JWT Auth", good(wso2.Config{Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}), nil, "wso2.Config.Auth", "generic.New", nil},
		{"NoClientAuth", good(wso2.Config{Auth: revoke.NoClientAuth()}), nil, "wso2.Config.Auth", "revoke.PublicClient", nil},
		{"foreign Auth", good(wso2.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}}), nil, "wso2.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"foreign Auth wrapping nil", good(wso2.Config{Auth: &testkit.ForeignAuth{}}), nil, "wso2.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"ClientCredentials with a short secret", good(wso2.Config{Auth: revoke.ClientCredentials(clientID, "short")}), nil, "wso2.Config.Auth (ClientCredentials)", "shorter than 8", nil},
		{"post Auth with a white-space secret", good(wso2.Config{Auth: revoke.ClientSecretPost(clientID, "         ")}), nil, "wso2.Config.Auth (ClientSecretPost)", "only white space", nil},
		{"post Auth with a control character in the ID", good(wso2.Config{Auth: revoke.ClientSecretPost("app\x01", secret)}), nil, "wso2.Config.Auth (ClientSecretPost)", "control character", nil},
		{"post Auth with an empty secret", good(wso2.Config{Auth: revoke.ClientSecretPost(clientID, "")}), nil, "wso2.Config.Auth (ClientSecretPost)", "secret is empty", nil},
		{"raw Basic Auth with a short secret", good(wso2.Config{Auth: revoke.ClientSecretBasicRaw(clientID, "1234567")}), nil, "wso2.Config.Auth (ClientSecretBasicRaw)", "shorter than 8", nil},
		{"PublicClient with a white-space ID", good(wso2.Config{Auth: revoke.PublicClient("  ")}), nil, "wso2.Config.Auth (PublicClient)", "only white space", nil},
		{"secret and Auth", good(wso2.Config{ClientSecret: secret, Auth: revoke.ClientSecretPost(clientID, secret)}), nil, "wso2.Config.ClientSecret", "not both", nil},
		{"client ID differs from Auth", good(wso2.Config{ClientID: "x", Auth: revoke.ClientSecretPost(clientID, secret)}), nil, "wso2.Config.ClientID", "differs", nil},
		// ClientIDOnly.
		{"ClientIDOnly with secret", good(wso2.Config{ClientID: clientID, ClientSecret: secret, ClientIDOnly: true}), nil, "wso2.Config.ClientIDOnly", "never sends a secret", nil},
		{"ClientIDOnly with Auth", good(wso2.Config{Auth: revoke.PublicClient(clientID), ClientIDOnly: true}), nil, "wso2.Config.ClientIDOnly", "Auth", nil},
		{"ClientIDOnly without client ID", good(wso2.Config{ClientIDOnly: true}), nil, "wso2.Config.ClientID", "is empty", nil},
		{"ClientIDOnly with a white-space client ID", good(wso2.Config{ClientID: "   ", ClientIDOnly: true}), nil, "wso2.Config.ClientID", "only white space", nil},
		{"ClientIDOnly with a control character", good(wso2.Config{ClientID: "sp\x01a", ClientIDOnly: true}), nil, "wso2.Config.ClientID", "control character", nil},
		// Options.
		{"bad option", good(wso2.Config{ClientID: clientID, ClientSecret: secret}), []revoke.Option{revoke.WithMaxResponseBytes(-1)}, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wso2.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, secret, "pass:word", password, testkit.HMACSecret, "s3cret7", "1234567")
		})
	}
}

// TestNewAccepts: valid configurations that are easy to get wrong.
func TestNewAccepts(t *testing.T) {
	for _, cfg := range []wso2.Config{
		{BaseURL: base, ClientID: clientID, ClientSecret: "12345678"},                                     // exactly MinSecretBytes
		{BaseURL: base, ClientID: clientID, Auth: revoke.PublicClient(clientID)},                          // ClientID equal to Auth's
		{BaseURL: base, Auth: revoke.ClientSecretPost("a:b", secret)},                                     // ':' in the ID is fine in the body
		{BaseURL: "http://localhost:9763", Tenant: "carbon.super", ClientID: "app", ClientSecret: secret}, // loopback http
		{BaseURL: base, Tenant: "My_Org-1.example", ClientID: "app", ClientSecret: secret},
	} {
		if _, err := wso2.New(cfg); err != nil {
			t.Errorf("New(%+v) = %v", cfg, err)
		}
	}
	if _, err := wso2.New(wso2.Config{BaseURL: "http://is.example.com:9763", ClientID: "app", ClientSecret: secret}, revoke.WithInsecureHTTP()); err != nil {
		t.Errorf("New with WithInsecureHTTP: %v", err)
	}
}

// TestSecretHygiene prints every value that holds a secret (zero and
// filled, value and pointer, nil pointers) with every verb, JSON and slog,
// logs a revocation, and makes a server echo the credentials: no secret,
// token or password appears anywhere, and nothing panics.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	mt := httpmock.NewMockTransport()
	fake := wso2test.Register(mt, base)
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	p := fake.Issue(clientID, "alice")
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret}
	r, err := wso2.New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry(), revoke.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
	if err != nil || !details(t, res).Found() {
		t.Fatalf("revoke: %+v, %v", res, err)
	}
	d := details(t, res)
	secrets := []string{secret, url.QueryEscape(secret), p.AccessToken, p.RefreshToken, testkit.Basic(clientID, secret), password, testkit.Secret, testkit.HMACSecret}

	var nilCfg *wso2.Config
	var nilR *wso2.Revoker
	var nilD *wso2.RevokeDetails
	postCfg := wso2.Config{BaseURL: base, Auth: revoke.ClientSecretPost(clientID, testkit.Secret)}
	values := map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": wso2.Config{}, "nil *Config": nilCfg,
		"Config with Auth": postCfg, "Config with a JWT Auth": wso2.Config{Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)},
		"Config with a foreign Auth":        wso2.Config{Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, testkit.Secret)}},
		"Config with user info and a query": wso2.Config{BaseURL: "https://admin:" + password + "@is.example.com/?k=" + password + "#" + password},
		"Revoker":                           *r, "*Revoker": r, "zero Revoker": wso2.Revoker{}, "nil *Revoker": nilR,
		"RevokeDetails": d, "*RevokeDetails": &d, "zero RevokeDetails": wso2.RevokeDetails{}, "nil *RevokeDetails": nilD,
		"Result": res, "*Result": *res,
	}
	testkit.PrintsNoSecret(t, values, secrets...)
	// What prints is still useful.
	for _, c := range []struct{ what, got, want string }{
		{"%+v of the result", fmt.Sprintf("%+v", res), `RevokedAccessToken:[REDACTED]`},
		{"%+v of the result", fmt.Sprintf("%+v", res), `AuthorizedUser:"alice@carbon.super"`},
		{"%+v of the details", fmt.Sprintf("%+v", d), `Found:true`},
		{"%#v of the Config", fmt.Sprintf("%#v", cfg), `wso2.Config{BaseURL:"https://is.example.com:9443", Tenant:"", ClientID:"` + clientID + `", ClientSecret:[REDACTED]`},
		{"%v of the Revoker", fmt.Sprintf("%v", r), `{"https://is.example.com:9443/oauth2/revoke" "client_secret_basic" "` + clientID + `"}`},
		{"%+v of a Config with a post Auth", fmt.Sprintf("%+v", postCfg), `Auth:{Method:"client_secret_post" ClientID:"` + clientID + `"}`},
		{"%v of a Config with user info", fmt.Sprintf("%v", wso2.Config{BaseURL: "https://u:" + password + "@h/p?q#f"}), `"https://[REDACTED]@h/p?[REDACTED]"`},
		{"%v of the zero Revoker", fmt.Sprintf("%v", wso2.Revoker{}), `{"" "" ""}`},
		{"%v of a nil *Revoker", fmt.Sprintf("%v", nilR), `<nil>`},
		{"JSON of the details", string(testkit.Must(d.MarshalJSON())), `"revoked_access_token":"[REDACTED]"`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s = %s; want it to contain %s", c.what, c.got, c.want)
		}
	}
	logger.Info("revoked", "result", res, "details", d, "config", cfg, "revoker", r)

	// A server that echoes the credentials and the token into its error,
	// and into the header WSO2 fills with the user.
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 401, Header: http.Header{"X-Request-Id": {req.Header.Get("Authorization")}},
			Body: fmt.Sprintf(`{"error":"invalid_client","error_description":"header %s body %s"}`, req.Header.Get("Authorization"), body)}
	})
	bad, err := wso2.New(cfg, revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	_, err = bad.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
	if err == nil {
		t.Fatal("want an error")
	}
	logger.Error("failed", "err", err)
	testkit.NoLeak(t, "echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	logs.Check(t, secrets...)
}

// FuzzNew feeds arbitrary base URLs, tenants and credentials to New: it
// never panics, every refusal is a complete ConfigError without the
// secret, and whatever it accepts ends in /oauth2/revoke with at most the
// one tenant asked for and no query, fragment or user info.
func FuzzNew(f *testing.F) {
	for _, s := range [][4]string{
		{base, "", clientID, secret}, {base + "/", "wso2.com", clientID, secret}, {"https://api.asgardeo.io/t/org", "", "app", secret},
		{"https://x/t/a", "b", "app", secret}, {base, "a/b", "app", secret}, {base, "..", "app", secret},
		{"http://localhost:9763", "carbon.super", "app", secret}, {base + "/oauth2/revoke", "", "app", secret},
		{"https://gw/is/", "t", "app", secret}, {base + "?x", "", "app", secret}, {base, "%2F", "app", secret},
		{"https://u:p@h", "", "app", secret}, {base, "", "a:b", secret}, {base, "", "app", "x:y-secret"}, {base, "", "app\n", secret},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, baseURL, tenant, id, sec string) {
		// A distinctive prefix, so that a secret found in an error was
		// echoed, not ordinary wording ("is empty") that happens to match.
		sec = "Zq9" + sec
		r, err := wso2.New(wso2.Config{BaseURL: baseURL, Tenant: tenant, ClientID: id, ClientSecret: sec})
		if err != nil {
			testkit.WantConfigError(t, err, "", "", nil, sec)
			return
		}
		u, err := url.Parse(r.Endpoint())
		if err != nil {
			t.Fatalf("Endpoint %q does not parse: %v", r.Endpoint(), err)
		}
		if !strings.HasSuffix(u.Path, "/oauth2/revoke") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Endpoint %q", r.Endpoint())
		}
		if tenant != "" && !strings.HasSuffix(u.Path, "/t/"+tenant+"/oauth2/revoke") {
			t.Fatalf("Endpoint %q lacks tenant %q", r.Endpoint(), tenant)
		}
		if strings.Contains(id, ":") || strings.Contains(sec, ":") || len(sec) < revoke.MinSecretBytes {
			t.Fatalf("accepted raw Basic credentials WSO2 cannot take (id %q, secret of %d bytes)", id, len(sec))
		}
		testkit.NoLeak(t, "Revoker", testkit.PrintAll(r), sec)
	})
}

// BenchmarkRevoke measures one revocation through the adapter, reading
// WSO2's response headers, against an in-memory transport.
func BenchmarkRevoke(b *testing.B) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Header: http.Header{"RevokedAccessToken": {"at-value-1"}, "RevokedRefreshToken": {"rt-value-1"}, "AuthorizedUser": {"alice@carbon.super"}}})
	r := newRevoker(b, ep, wso2.Config{BaseURL: base, ClientID: clientID, ClientSecret: secret})
	ctx := context.Background()
	req := revoke.Request{Token: token}
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Revoke(ctx, req)
		if d, _ := wso2.Details(res); err != nil || !d.Found() {
			b.Fatal(res, err)
		}
	}
}
