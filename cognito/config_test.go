package cognito_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestNewBadInput checks that every bad configuration of both revokers is
// a ConfigError naming the field and the fix, never showing a secret.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	hosted := []struct {
		name      string
		cfg       cognito.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		{"no domain", cognito.Config{Region: region, ClientID: clientID}, nil, "cognito.Config.Domain", "is empty", nil},
		{"white-space domain", cognito.Config{Domain: "  ", Region: region, ClientID: clientID}, nil, "cognito.Config.Domain", "is empty", nil},
		{"prefix without a region", cognito.Config{Domain: prefix, ClientID: clientID}, nil, "cognito.Config.Region", "domain prefix", nil},
		{"upper-case prefix", cognito.Config{Domain: "MyApp", Region: region, ClientID: clientID}, nil, "cognito.Config.Domain", "not a Cognito domain prefix", nil},
		{"prefix with an underscore", cognito.Config{Domain: "my_app", Region: region, ClientID: clientID}, nil, "cognito.Config.Domain", "not a Cognito domain prefix", nil},
		{"prefix starting with a hyphen", cognito.Config{Domain: "-app", Region: region, ClientID: clientID}, nil, "cognito.Config.Domain", "not a Cognito domain prefix", nil},
		{"bad region", cognito.Config{Domain: prefix, Region: "us-east", ClientID: clientID}, nil, "cognito.Config.Region", "not an AWS region", nil},
		{"region with a space", cognito.Config{Domain: prefix, Region: "us east 1", ClientID: clientID}, nil, "cognito.Config.Region", "not an AWS region", nil},
		{"region disagreeing with the host", cognito.Config{Domain: host, Region: "eu-west-1", ClientID: clientID}, nil, "cognito.Config.Region", "agree", nil},
		{"domain with the endpoint path", cognito.Config{Domain: endpoint, ClientID: clientID}, nil, "cognito.Config.Domain", "already includes the endpoint path", nil},
		{"domain with /oauth2", cognito.Config{Domain: "auth.example.com/oauth2", ClientID: clientID}, nil, "cognito.Config.Domain", "already includes the endpoint path", nil},
		{"domain with user info", cognito.Config{Domain: "https://u:" + password + "@auth.example.com", ClientID: clientID}, nil, "cognito.Config.Domain", "user info", nil},
		{"domain with a query", cognito.Config{Domain: "https://auth.example.com/?x=1", ClientID: clientID}, nil, "cognito.Config.Domain", "query", nil},
		{"domain with a fragment", cognito.Config{Domain: "https://auth.example.com/#x", ClientID: clientID}, nil, "cognito.Config.Domain", "fragment", nil},
		{"domain over plain http", cognito.Config{Domain: "http://auth.example.com", ClientID: clientID}, nil, "cognito.Config.Domain", "clear text", revoke.ErrInsecureEndpoint},
		{"domain with a bad host", cognito.Config{Domain: "auth_x.example.com", ClientID: clientID}, nil, "cognito.Config.Domain", "'_'", nil},
		{"no client ID", cognito.Config{Domain: prefix, Region: region}, nil, "cognito.Config.ClientID", "is empty", nil},
		{"client ID with a newline", cognito.Config{Domain: prefix, Region: region, ClientID: clientID + "\n"}, nil, "cognito.Config.ClientID", "white space", nil},
		{"client ID with a dash", cognito.Config{Domain: prefix, Region: region, ClientID: "my-client"}, nil, "cognito.Config.ClientID", "not an app client ID", nil},
		{"client ID too long", cognito.Config{Domain: prefix, Region: region, ClientID: strings.Repeat("a", 129)}, nil, "cognito.Config.ClientID", "at most 128", nil},
		{"short secret", cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: "abc"}, nil, "cognito.Config.ClientSecret", "shorter than 8", nil},
		{"white-space secret", cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: "         "}, nil, "cognito.Config.ClientSecret", "only white space", nil},
		{"secret with a control character", cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: secret + "\x00"}, nil, "cognito.Config.ClientSecret", "control character", nil},
		{"secret with a slash", cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: "abc/def0123456789"}, nil, "cognito.Config.ClientSecret", "not an app client secret", nil},
		{"secret too long", cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: strings.Repeat("s", 65)}, nil, "cognito.Config.ClientSecret", "at most 64", nil},
		{"bad option", cognito.Config{Domain: prefix, Region: region, ClientID: clientID}, []revoke.Option{revoke.WithHTTPClient(nil)}, "WithHTTPClient", "nil", nil},
	}
	for _, tc := range hosted {
		t.Run("hosted/"+tc.name, func(t *testing.T) {
			_, err := cognito.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, password, "abc/def0123456789", secret)
		})
	}
	api := []struct {
		name      string
		cfg       cognito.APIConfig
		wantField string
		wantText  string
		wantKind  error
	}{
		{"nothing", cognito.APIConfig{}, "cognito.APIConfig.Region", "is empty", nil},
		{"no region", cognito.APIConfig{ClientID: clientID}, "cognito.APIConfig.Region", "is empty", nil},
		{"bad region", cognito.APIConfig{Region: "useast1", ClientID: clientID}, "cognito.APIConfig.Region", "not an AWS region", nil},
		{"endpoint with a path", cognito.APIConfig{Endpoint: "https://cognito-idp.us-east-1.amazonaws.com/x", ClientID: clientID}, "cognito.APIConfig.Endpoint", "has a path", nil},
		{"endpoint without a scheme", cognito.APIConfig{Endpoint: "cognito-idp.us-east-1.amazonaws.com", ClientID: clientID}, "cognito.APIConfig.Endpoint", "not absolute", nil},
		{"endpoint with user info", cognito.APIConfig{Endpoint: "https://u:" + password + "@h", ClientID: clientID}, "cognito.APIConfig.Endpoint", "user info", nil},
		{"endpoint with a query", cognito.APIConfig{Endpoint: "https://h/?a=b", ClientID: clientID}, "cognito.APIConfig.Endpoint", "query", nil},
		{"endpoint over plain http", cognito.APIConfig{Endpoint: "http://cognito.example.com", ClientID: clientID}, "cognito.APIConfig.Endpoint", "clear text", revoke.ErrInsecureEndpoint},
		{"no client ID", cognito.APIConfig{Region: region}, "cognito.APIConfig.ClientID", "is empty", nil},
		{"client ID with a space", cognito.APIConfig{Region: region, ClientID: "a b"}, "cognito.APIConfig.ClientID", "not an app client ID", nil},
		{"short secret", cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: "1234567"}, "cognito.APIConfig.ClientSecret", "shorter than 8", nil},
		{"secret with a quote", cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: `abc"def0123456789`}, "cognito.APIConfig.ClientSecret", "not an app client secret", nil},
	}
	for _, tc := range api {
		t.Run("api/"+tc.name, func(t *testing.T) {
			_, err := cognito.NewAPI(tc.cfg)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, password, `abc"def0123456789`)
		})
	}
}

// TestSecretHygiene prints every value of the package that holds a secret
// with every verb, JSON and slog, logs calls, and makes servers echo the
// credentials: no secret or token appears anywhere, and nothing panics.
func TestSecretHygiene(t *testing.T) {
	const password = "url-password-1"
	var logs testkit.Logs
	logger := logs.Logger()
	cfg := cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: secret}
	acfg := cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: secret}
	ep := testkit.NewEndpoint()
	h := newRevoker(t, ep, cfg, revoke.WithLogger(logger))
	a := newAPI(t, ep, acfg, revoke.WithLogger(logger))
	res, err := h.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{secret, token, testkit.Basic(clientID, secret), password}
	var nilCfg *cognito.Config
	var nilACfg *cognito.APIConfig
	var nilH *cognito.Revoker
	var nilA *cognito.APIRevoker
	values := map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": cognito.Config{}, "nil *Config": nilCfg,
		"Config with user info": cognito.Config{Domain: "https://u:" + password + "@h/?" + password},
		"APIConfig":             acfg, "*APIConfig": &acfg, "zero APIConfig": cognito.APIConfig{}, "nil *APIConfig": nilACfg,
		"APIConfig with user info": cognito.APIConfig{Endpoint: "https://u:" + password + "@h#" + password},
		"Revoker":                  *h, "*Revoker": h, "zero Revoker": cognito.Revoker{}, "nil *Revoker": nilH,
		"APIRevoker": *a, "*APIRevoker": a, "zero APIRevoker": cognito.APIRevoker{}, "nil *APIRevoker": nilA,
		"Result": res,
	}
	testkit.PrintsNoSecret(t, values, secrets...)
	for _, c := range []struct{ what, got, want string }{
		{"%#v of the Config", fmt.Sprintf("%#v", cfg), `cognito.Config{Domain:"myapp", Region:"us-east-1", ClientID:"` + clientID + `", ClientSecret:[REDACTED]}`},
		{"%+v of the APIRevoker", fmt.Sprintf("%+v", a), `{Endpoint:"` + apiURL + `" ClientID:"` + clientID + `" ClientSecret:[REDACTED]}`},
		{"%v of the Revoker", fmt.Sprintf("%v", h), `{"` + endpoint + `" "client_secret_basic" "` + clientID + `"}`},
		{"JSON of the Config", string(testkit.Must(cfg.MarshalJSON())), `"client_secret":"[REDACTED]"`},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s = %s; want it to contain %s", c.what, c.got, c.want)
		}
	}
	logger.Info("revoked", "config", cfg, "api_config", acfg, "revoker", h, "api", a)

	// Servers that echo the whole request into their errors.
	echo := testkit.Echo(func(req *http.Request, body string) testkit.Answer {
		msg := strings.ReplaceAll(fmt.Sprintf("header %s body %s", req.Header.Get("Authorization"), body), `"`, "'")
		if req.Header.Get("X-Amz-Target") != "" {
			return testkit.Answer{Status: 400, Header: http.Header{"X-Amzn-Requestid": {body}},
				Body: fmt.Sprintf(`{"__type":"NotAuthorizedException","message":%q}`, msg)}
		}
		return testkit.Answer{Status: 401, Body: fmt.Sprintf(`{"error":"invalid_client","error_description":%q}`, msg)}
	})
	opts := []revoke.Option{revoke.WithHTTPClient(echo), revoke.WithLogger(logger), revoke.WithoutRetry()}
	badH, _ := cognito.New(cfg, opts...)
	badA, _ := cognito.NewAPI(acfg, opts...)
	for name, call := range map[string]func() error{
		"hosted": func() error { _, err := badH.Revoke(context.Background(), revoke.Request{Token: token}); return err },
		"api":    func() error { _, err := badA.Revoke(context.Background(), revoke.Request{Token: token}); return err },
	} {
		err := call()
		if !errors.Is(err, revoke.ErrInvalidClient) {
			t.Fatalf("%s: %v; want ErrInvalidClient", name, err)
		}
		logger.Error("failed", "err", err)
		testkit.NoLeak(t, name+" echoed error", testkit.PrintAll(err)+err.Error(), secrets...)
	}
	logs.Check(t, secrets...)
}

// FuzzNew feeds arbitrary domains, regions and credentials to New: it
// never panics, every refusal is a complete ConfigError without the
// secret, and whatever it accepts ends in /oauth2/revoke with no query,
// fragment or user info.
func FuzzNew(f *testing.F) {
	for _, s := range [][4]string{
		{prefix, region, clientID, secret}, {host, "", clientID, ""}, {"auth.example.com", "", "a", "abcdefgh"},
		{"https://auth.example.com/", "eu-west-1", clientID, secret}, {"MyApp", region, clientID, ""}, {prefix, "", clientID, ""},
		{"http://127.0.0.1:1", "", "c", ""}, {endpoint, "", "c", ""}, {"https://u:p@h", "", "c", ""}, {prefix, region, "a b", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, domain, reg, id, sec string) {
		if sec != "" {
			sec = "Zq9" + sec // distinctive, so that a match in an error was echoed
		}
		r, err := cognito.New(cognito.Config{Domain: domain, Region: reg, ClientID: id, ClientSecret: sec})
		if err != nil {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field == "" || ce.Problem == "" {
				t.Fatalf("error %T %q is not a complete ConfigError", err, err)
			}
			if sec != "" && strings.Contains(err.Error(), sec) {
				t.Fatalf("error shows the secret: %q", err)
			}
			return
		}
		u, err := url.Parse(r.Endpoint())
		if err != nil || !strings.HasSuffix(u.Path, "/oauth2/revoke") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Endpoint %q", r.Endpoint())
		}
		testkit.NoLeak(t, "Revoker", testkit.PrintAll(r), sec)
	})
}
