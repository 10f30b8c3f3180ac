package auth0_test

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"errors"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestNewBadInput: every configuration mistake is a *revoke.ConfigError
// from New naming the field, and no secret or password is repeated.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	var nilEC *ecdsa.PrivateKey
	var nilRSA *rsa.PrivateKey
	tests := []struct {
		name      string
		cfg       auth0.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		{"empty domain", auth0.Config{ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "is empty", nil},
		{"white-space domain", auth0.Config{Domain: "  ", ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "is empty", nil},
		{"domain with a newline", auth0.Config{Domain: domain + "\n", ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "white space or a control character", nil},
		{"domain with user info", auth0.Config{Domain: "https://admin:" + password + "@" + domain, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "user info", nil},
		{"domain with user info, no scheme", auth0.Config{Domain: "admin:" + password + "@" + domain, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "", nil},
		{"domain with a query", auth0.Config{Domain: base + "?x=" + password, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "has a query", nil},
		{"domain with a fragment", auth0.Config{Domain: base + "#" + password, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "fragment", nil},
		{"domain with the endpoint path", auth0.Config{Domain: base + "/oauth/revoke", ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "has a path", nil},
		{"plain http", auth0.Config{Domain: "http://" + domain, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "clear text", revoke.ErrInsecureEndpoint},
		{"bad host", auth0.Config{Domain: "dev_abc..auth0.com", ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "host", nil},
		{"ftp scheme", auth0.Config{Domain: "ftp://" + domain, ClientID: clientID, ClientSecret: secret}, nil, "auth0.Config.Domain", "not supported", nil},
		{"no credentials", auth0.Config{Domain: domain}, nil, "auth0.Config.ClientID", "is empty", nil},
		{"client ID only", auth0.Config{Domain: domain, ClientID: clientID}, nil, "auth0.Config.ClientSecret", "revoke.PublicClient", nil},
		{"white-space client ID", auth0.Config{Domain: domain, ClientID: " ", ClientSecret: secret}, nil, "auth0.Config.ClientID", "only white space", nil},
		{"client ID with a tab", auth0.Config{Domain: domain, ClientID: "abc\tdef", ClientSecret: secret}, nil, "auth0.Config.ClientID", "control character", nil},
		{"short secret", auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: "short"}, nil, "auth0.Config.ClientSecret", "shorter than 8", nil},
		{"secret with a trailing newline", auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: password + "\n"}, nil, "auth0.Config.ClientSecret", "leading or trailing white space", nil},
		{"secret with a control character", auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: "hunter2\x00password"}, nil, "auth0.Config.ClientSecret", "control character", nil},
		{"white-space secret", auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: "        "}, nil, "auth0.Config.ClientSecret", "only white space", nil},
		{"Auth and ClientSecret", auth0.Config{Domain: domain, ClientSecret: password, Auth: revoke.ClientSecretPost(clientID, secret)}, nil, "auth0.Config.ClientSecret", "not both", nil},
		{"ClientID differs from Auth", auth0.Config{Domain: domain, ClientID: password, Auth: revoke.ClientSecretPost(clientID, secret)}, nil, "auth0.Config.ClientID", "differs", nil},
		{"client_secret_basic", auth0.Config{Domain: domain, Auth: revoke.ClientSecretBasic(clientID, password)}, nil, "auth0.Config.Auth", "JSON body", nil},
		{"NoClientAuth", auth0.Config{Domain: domain, Auth: revoke.NoClientAuth()}, nil, "auth0.Config.Auth", "revoke.PublicClient", nil},
		{"client_secret_jwt", auth0.Config{Domain: domain, Auth: revoke.ClientSecretJWT(clientID, testkit.HMACSecret)}, nil, "auth0.Config.Auth", "not a method Auth0 offers", nil},
		{"mutual TLS", auth0.Config{Domain: domain, Auth: revoke.TLSClientAuth(clientID, testkit.Certificate(t))}, nil, "auth0.Config.Auth", "not one Auth0's /oauth/revoke documents", nil},
		{"short secret in Auth", auth0.Config{Domain: domain, Auth: revoke.ClientSecretPost(clientID, "short")}, nil, "auth0.Config.Auth (ClientSecretPost)", "shorter than 8", nil},
		{"typed-nil ECDSA key", auth0.Config{Domain: domain, Auth: revoke.PrivateKeyJWT(clientID, nilEC)}, nil, "auth0.Config.Auth (PrivateKeyJWT)", "", nil},
		{"typed-nil RSA key", auth0.Config{Domain: domain, Auth: revoke.PrivateKeyJWT(clientID, nilRSA)}, nil, "auth0.Config.Auth (PrivateKeyJWT)", "", nil},
		{"nil key", auth0.Config{Domain: domain, Auth: revoke.PrivateKeyJWT(clientID, nil)}, nil, "auth0.Config.Auth (PrivateKeyJWT)", "", nil},
		{"empty client ID in PublicClient", auth0.Config{Domain: domain, Auth: revoke.PublicClient("")}, nil, "auth0.Config.Auth (PublicClient)", "client ID is empty", nil},
		{"client ID longer than Auth0's", auth0.Config{Domain: domain, Auth: revoke.PublicClient(strings.Repeat("a", 65))}, nil, "auth0.Config.Auth", "at most 64", nil},
		{"foreign ClientAuth", auth0.Config{Domain: domain, Auth: &testkit.ForeignAuth{ClientAuth: revoke.ClientSecretPost(clientID, password)}}, nil, "auth0.Config.Auth", "not a client authentication built by the revoke package", nil},
		{"bad option", auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret}, []revoke.Option{revoke.WithTimeout(-1)}, "WithTimeout", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth0.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, password, secret, testkit.HMACSecret)
		})
	}
}

// TestNewAccepts: the domain spellings Auth0 users write.
func TestNewAccepts(t *testing.T) {
	for domainIn, want := range map[string]string{
		domain:                           base + "/oauth/revoke",
		base:                             base + "/oauth/revoke",
		base + "/":                       base + "/oauth/revoke",
		"DEV-ABC.us.auth0.com":           base + "/oauth/revoke",
		"mytenant.eu.auth0.com":          "https://mytenant.eu.auth0.com/oauth/revoke",
		"login.example.com":              "https://login.example.com/oauth/revoke",
		"https://login.example.com:8443": "https://login.example.com:8443/oauth/revoke",
		"http://localhost:3000":          "http://localhost:3000/oauth/revoke",
		"http://[::1]:3000/":             "http://[::1]:3000/oauth/revoke",
	} {
		r, err := auth0.New(auth0.Config{Domain: domainIn, ClientID: clientID, ClientSecret: secret})
		if err != nil {
			t.Errorf("New(%q): %v", domainIn, err)
			continue
		}
		testkit.Want(t, "Endpoint() of "+domainIn, r.Endpoint(), want)
	}
	r, err := auth0.New(auth0.Config{Domain: "http://" + domain, ClientID: clientID, ClientSecret: secret}, revoke.WithInsecureHTTP())
	if err != nil || r.Endpoint() != "http://"+domain+"/oauth/revoke" {
		t.Errorf("WithInsecureHTTP: %v, %v", r, err)
	}
	// ClientID may repeat Auth's.
	if _, err := auth0.New(auth0.Config{Domain: domain, ClientID: clientID, Auth: revoke.PublicClient(clientID)}); err != nil {
		t.Errorf("ClientID equal to Auth's: %v", err)
	}
}

// TestNewManagementBadInput: every configuration mistake of a Management
// is a *revoke.ConfigError naming the field, and no token is repeated.
func TestNewManagementBadInput(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testkit.APIToken})
	tests := []struct {
		name      string
		cfg       auth0.ManagementConfig
		wantField string
		wantText  string
	}{
		{"nothing", auth0.ManagementConfig{}, "auth0.ManagementConfig.Domain", "is empty"},
		{"no credential", auth0.ManagementConfig{Domain: domain}, "auth0.ManagementConfig", "neither APIToken nor TokenSource"},
		{"both credentials", auth0.ManagementConfig{Domain: domain, APIToken: testkit.APIToken, TokenSource: ts}, "auth0.ManagementConfig", "both"},
		{"short token", auth0.ManagementConfig{Domain: domain, APIToken: "eyJ"}, "auth0.ManagementConfig.APIToken", "shorter than 8"},
		{"token with its scheme", auth0.ManagementConfig{Domain: domain, APIToken: "Bearer " + testkit.APIToken}, "auth0.ManagementConfig.APIToken", `starts with "Bearer "`},
		{"token with a newline", auth0.ManagementConfig{Domain: domain, APIToken: testkit.APIToken + "\n"}, "auth0.ManagementConfig.APIToken", "white space or a control character"},
		{"domain with user info", auth0.ManagementConfig{Domain: "https://u:" + testkit.APIToken + "@" + domain, APIToken: testkit.APIToken}, "auth0.ManagementConfig.Domain", "user info"},
		{"domain with the API path", auth0.ManagementConfig{Domain: base + "/api/v2", APIToken: testkit.APIToken}, "auth0.ManagementConfig.Domain", "has a path"},
		{"plain http", auth0.ManagementConfig{Domain: "http://" + domain, APIToken: testkit.APIToken}, "auth0.ManagementConfig.Domain", "clear text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := auth0.NewManagement(tc.cfg)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, nil, testkit.APIToken)
		})
	}
}

// FuzzNew feeds arbitrary domains and credentials to New: it never panics,
// every refusal is a ConfigError that does not repeat the secret, and
// whatever it accepts ends in /oauth/revoke with no query, fragment or
// user info.
func FuzzNew(f *testing.F) {
	for _, s := range [][3]string{
		{domain, clientID, secret}, {base + "/", clientID, secret}, {"http://localhost:3000", "a", secret},
		{base + "/oauth/revoke", clientID, secret}, {base + "?x=1", clientID, secret}, {"https://u:p@h", clientID, secret},
		{"dev..auth0.com", clientID, secret}, {domain, "id\n", secret}, {domain, clientID, "short"}, {"%", "", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, d, id, sec string) {
		r, err := auth0.New(auth0.Config{Domain: d, ClientID: id, ClientSecret: sec})
		if err != nil {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field == "" || ce.Problem == "" {
				t.Fatalf("error %T %v is not a complete ConfigError", err, err)
			}
			if len(sec) >= 8 && !strings.Contains(d, sec) && !strings.Contains(id, sec) {
				testkit.NoLeak(t, "error", err.Error(), sec)
			}
			return
		}
		u, perr := url.Parse(r.Endpoint())
		if perr != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Path != "/oauth/revoke" {
			t.Fatalf("accepted %q as %q", d, r.Endpoint())
		}
	})
}
