package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/revokekit/revoke/spotify"
)

const (
	leakedToken  = "at_LEAKED-token-value-0001"
	leakedSecret = "s3cret-client-value-0001"
)

// run runs the command in-process.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), Env{
		Program: "revoke",
		Args:    args,
		Stdin:   strings.NewReader(stdin),
		Stdout:  &out,
		Stderr:  &errb,
		Getenv:  func(k string) string { return env[k] },
	})
	return code, out.String(), errb.String()
}

// TestUsageRefusals: every way of calling the command wrong exits 2, says
// what to do instead, sends nothing and never repeats a secret.
func TestUsageRefusals(t *testing.T) {
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens.txt")
	if err := os.WriteFile(tokens, []byte(leakedToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	generic := []string{"--vendor", "generic", "--endpoint", "http://127.0.0.1:1/revoke", "--client-id", "app"}
	pingCfg := filepath.Join(dir, "ping.json")
	if err := os.WriteFile(pingCfg, []byte(`{"vendor":"ping","base_url":"https://pf.example.com"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	secretEnv := map[string]string{"REVOKE_CLIENT_SECRET": leakedSecret}
	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  string
	}{
		{"client secret as a flag", nil, "", []string{"token", "--client-secret", leakedSecret}, "REVOKE_CLIENT_SECRET"},
		{"client secret as a flag with =", nil, "", []string{"token", "--client-secret=" + leakedSecret}, "--client-secret-file"},
		{"client secret flag on another command", nil, "", []string{"discover", "--client-secret", leakedSecret}, "refused and not used"},
		{"API token as a flag", nil, "", []string{"user", "--api-token", leakedSecret}, "REVOKE_API_TOKEN"},
		{"fingerprint key as a flag", nil, "", []string{"token", "--fingerprint-key", leakedSecret}, "REVOKE_FINGERPRINT_KEY"},
		{"private key as a flag", nil, "", []string{"token", "--private-key", leakedSecret}, "--private-key-file"},
		{"token as a flag", nil, "", []string{"token", "--token", leakedToken}, "revoke token -"},
		{"token as an argument", nil, "", []string{"token", leakedToken}, "hidden prompt"},
		{"token as an argument after -", nil, "", []string{"token", "-", leakedToken}, "no token (or file) as an argument"},
		{"- and --file", nil, "", append([]string{"token", "-", "--file", tokens}, generic...), "not both"},
		{"no vendor", nil, leakedToken, []string{"token"}, "no vendor is set"},
		{"unknown vendor", nil, leakedToken, []string{"token", "--vendor", "acme-idp"}, `unknown vendor "acme-idp"`},
		{"unknown vendor from the environment", map[string]string{"REVOKE_VENDOR": "acme-idp"}, leakedToken, []string{"token"}, "REVOKE_VENDOR: unknown vendor"},
		{"missing config file", nil, leakedToken, []string{"token", "--config", filepath.Join(dir, "nope.json")}, "does not exist"},
		{"a setting the vendor does not read", secretEnv, leakedToken, append([]string{"token", "--subdomain", "acme"}, generic...), "--subdomain is not a setting of vendor generic"},
		{"vendor setting missing", secretEnv, leakedToken, []string{"token", "--vendor", "okta", "--client-id", "app"}, "REVOKE_DOMAIN"},
		{"no credentials", nil, leakedToken, []string{"token", "--vendor", "generic", "--endpoint", "http://127.0.0.1:1/revoke"}, "no client credentials"},
		{"missing token file", secretEnv, "", append([]string{"token", "--file", filepath.Join(dir, "nope.txt")}, generic...), "--file"},
		{"concurrency out of range", secretEnv, leakedToken, append([]string{"token", "-c", "0"}, generic...), "--concurrency 0"},
		{"bad hint", secretEnv, leakedToken, append([]string{"token", "--hint", "access token"}, generic...), "not a token type hint"},
		{"journal without a fingerprint key", secretEnv, leakedToken, append([]string{"token", "--journal", filepath.Join(dir, "j")}, generic...), "REVOKE_FINGERPRINT_KEY"},
		{"short fingerprint key", map[string]string{"REVOKE_CLIENT_SECRET": leakedSecret, "REVOKE_FINGERPRINT_KEY": "short"}, leakedToken, append([]string{"token", "--journal", filepath.Join(dir, "j")}, generic...), "at least 16"},
		{"verify without introspection", secretEnv, leakedToken, []string{"token", "--verify", "--vendor", "wso2", "--base-url", "https://127.0.0.1:1", "--client-id", "app"}, "--verify: vendor wso2 has no introspection (RFC 7662) in this CLI: WSO2 Identity Server authenticates /oauth2/introspect as a user"},
		{"verify with OneLogin API credentials", secretEnv, leakedToken, []string{"token", "--verify", "--vendor", "onelogin", "--api", "v2", "--base-url", "http://127.0.0.1:1", "--client-id", "app"}, "OneLogin introspects only the end-user tokens of OpenID Connect apps (--api oidc"},
		{"secret on stdin and tokens on stdin", nil, leakedToken, append([]string{"token", "--client-secret-file", "-"}, generic...), "already reads it"},
		{"short secret refused by the SDK", map[string]string{"REVOKE_CLIENT_SECRET": "short"}, leakedToken, append([]string{"token", "--auth-method", "client_secret_post"}, generic...), "shorter than"},
		{"user without a subject", nil, "", []string{"user", "--vendor", "okta"}, "no user given"},
		{"user with two subjects", nil, "", []string{"user", "--id", "00u1", "--email", "a@example.com"}, "more than one user"},
		{"user with a bad email", nil, "", []string{"user", "--email", "not-an-address", "--vendor", "okta"}, "not an email address"},
		{"user --iss without --sub", nil, "", []string{"user", "--iss", "https://idp.example"}, "go together"},
		{"user at a vendor without it", nil, "", []string{"user", "--vendor", "wso2", "00u1"}, "no user-level revocation"},
		{"discover without an issuer", nil, "", []string{"discover"}, "no issuer"},
		{"emulate an unknown vendor", nil, "", []string{"emulate", "acme-idp"}, "unknown vendor"},
		{"emulate on a bad port", nil, "", []string{"emulate", "generic", "--port", "70000"}, "not a port number"},
		{"unknown command", nil, "", []string{"revokee"}, "unknown command"},
		{"unknown flag", nil, "", []string{"token", "--fast"}, "unknown flag"},
		{"bad timeout", secretEnv, leakedToken, append([]string{"token", "--timeout", "soon"}, generic...), "not a positive duration"},
		{"ping without a product", secretEnv, leakedToken, []string{"token", "--vendor", "ping"}, "pick one: pingfederate (PingFederate), pingone (PingOne) or pingam (PingAM"},
		{"ping product misspelled", secretEnv, leakedToken, []string{"token", "--vendor", "ping-one"}, `unknown vendor "ping-one": Ping Identity's authorization servers are three vendors`},
		{"ping product from the config file", nil, "", []string{"profile", "--config", pingCfg}, "pingfederate (PingFederate), pingone (PingOne) or pingam"},
		{"forgerock is pingam", nil, leakedToken, []string{"token", "--vendor", "forgerock"}, "--vendor pingam"},
		{"emulate ping without a product", nil, "", []string{"emulate", "ping"}, "pingfederate (PingFederate), pingone (PingOne) or pingam"},
		{"a setting of another Ping product", secretEnv, leakedToken, []string{"token", "--vendor", "pingone", "--realm", "alpha", "--client-id", "app"}, "--realm is not a setting of vendor pingone, which reads --environment-id, --region, --domain, --base-url"},
		{"pingone without a region", secretEnv, leakedToken, []string{"token", "--vendor", "pingone", "--environment-id", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "--client-id", "app"}, "com (North America), eu (Europe)"},
		{"pingone in an unknown region", secretEnv, leakedToken, []string{"token", "--vendor", "pingone", "--environment-id", "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", "--region", "us", "--client-id", "app"}, `--region: "us" is not a PingOne region`},
		{"pingone custom domain with a region", secretEnv, leakedToken, []string{"token", "--vendor", "pingone", "--domain", "auth.example.com", "--region", "eu", "--client-id", "app"}, "--domain and --region are both set"},
		{"pingam without a base URL", secretEnv, leakedToken, []string{"token", "--vendor", "pingam", "--realm", "alpha", "--client-id", "app"}, "REVOKE_BASE_URL"},
		{"salesforce without a domain", nil, leakedToken, []string{"token", "--vendor", "salesforce"}, "My Domain"},
		{"emulate spotify", nil, "", []string{"emulate", "spotify"}, "nothing is ever sent to Spotify"},
		{"a setting for spotify", nil, leakedToken, []string{"token", "--vendor", "spotify", "--domain", "api.spotify.com"}, "which reads no setting"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tt.env, tt.stdin, tt.args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, ExitUsage, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr does not say %q:\n%s", tt.want, stderr)
			}
			for _, s := range []string{leakedToken, leakedSecret} {
				if strings.Contains(stdout+stderr, s) {
					t.Errorf("output repeats a secret %q:\n%s%s", s, stdout, stderr)
				}
			}
		})
	}
}

// TestSpotify: revoke token --vendor spotify sends nothing and fails each
// token as unsupported (exit 1), saying what to do instead.
func TestSpotify(t *testing.T) {
	code, stdout, stderr := run(t, nil, leakedToken+"\n", "token", "--vendor", "spotify", "-")
	if code != ExitFailed {
		t.Errorf("exit %d, want %d\n%s", code, ExitFailed, stderr)
	}
	for _, want := range []string{`"status":"failed","kind":"unsupported"`, spotify.AccountAppsURL} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout does not say %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, leakedToken) {
		t.Errorf("output repeats the token:\n%s%s", stdout, stderr)
	}
}

func TestRefuseSecretArgs(t *testing.T) {
	tests := []struct {
		args []string
		bad  bool
	}{
		{[]string{"token", "--client-secret-file", "x"}, false},
		{[]string{"token", "--api-token-file=x"}, false},
		{[]string{"token", "--client-secret", "x"}, true},
		{[]string{"token", "--client-secret=x"}, true},
		{[]string{"user", "--api-token=x"}, true},
		{[]string{"token", "--", "--client-secret"}, false},
		{[]string{"token", "-"}, false},
	}
	for _, tt := range tests {
		err := refuseSecretArgs(tt.args)
		if (err != nil) != tt.bad {
			t.Errorf("refuseSecretArgs(%q) = %v, want refused %t", tt.args, err, tt.bad)
		}
		if err != nil && strings.Contains(err.Error(), "=x") {
			t.Errorf("message repeats the value: %v", err)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"token", "--file", "tokens.txt"}, "token --file tokens.txt"},
		{[]string{"--file", "my tokens.txt"}, "--file 'my tokens.txt'"},
		{[]string{"--journal", "it's.journal"}, `--journal 'it'\''s.journal'`},
		{[]string{""}, "''"},
		{[]string{"--issuer=https://idp.example/x?y"}, "'--issuer=https://idp.example/x?y'"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestWithArg(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"token", "--file", "t"}, "token --file t --journal j"},
		{[]string{"token", "--journal", "old"}, "token --journal j"},
		{[]string{"token", "--journal=old"}, "token --journal=j"},
		{[]string{"token", "--", "x"}, "token --journal j -- x"},
	}
	for _, tt := range tests {
		if got := strings.Join(withArg(tt.in, "--journal", "j"), " "); got != tt.want {
			t.Errorf("withArg(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestVendorsAndHelp(t *testing.T) {
	code, out, _ := run(t, nil, "", "vendors")
	if code != 0 || !strings.Contains(out, "okta") || !strings.Contains(out, "generic") {
		t.Errorf("vendors: exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"pingone — PingOne\n  commands: token, --verify, emulate\n  settings: --environment-id --region --domain --base-url\n",
		"pingam — PingAM, ForgeRock Access Management, PingOne Advanced Identity Cloud\n  commands: token, --verify, emulate\n  settings: --base-url --realm\n",
		"pingfederate — PingFederate\n  commands: token, --verify, emulate\n  settings: --base-url\n",
		"okta — Okta\n  commands: token, user, --verify, emulate\n",
		"wso2 — WSO2 Identity Server, API Manager, Asgardeo\n  commands: token, emulate\n  settings: --base-url --tenant\n  --verify: none: WSO2 Identity Server authenticates /oauth2/introspect",
		"salesforce — Salesforce",
		"spotify — Spotify (no revocation API",
		"  commands: token\n  settings: none\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("vendors does not say %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, nil, "", "token", "--help")
	if code != 0 || !strings.Contains(out, "--client-secret-file") || strings.Contains(out, "--client-secret ") {
		t.Errorf("token --help: exit %d\n%s", code, out)
	}
}
