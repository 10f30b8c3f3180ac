package profile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// testSettings are the common settings plus a few vendor-like ones.
func testSettings() []Setting {
	return append(Common(),
		Setting{Name: "domain", Usage: "domain"},
		Setting{Name: "issuer", Usage: "issuer"},
		Setting{Name: "api_token", Secret: true, Usage: "api token"},
	)
}

const secretValue = "s3cret-value-never-shown"

// fixture runs Resolve with flags args, environment env and config files.
type fixture struct {
	args  []string
	env   map[string]string
	files map[string]string // name → content, in a temp dir; "$DIR" is replaced by it
	stdin string
}

func (f fixture) resolve(t *testing.T) (*Profile, *bytes.Buffer, error) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range f.files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	AddFlags(fs, testSettings())
	var args []string
	for _, a := range f.args {
		args = append(args, strings.ReplaceAll(a, "$DIR", dir))
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return strings.ReplaceAll(f.env[k], "$DIR", dir) }
	warn := &bytes.Buffer{}
	p, err := Resolve(Input{Settings: testSettings(), Flags: fs, Getenv: getenv, Stdin: NewStdin(strings.NewReader(f.stdin)), Warn: warn})
	return p, warn, err
}

func TestPrecedence(t *testing.T) {
	cfg := `{"vendor":"okta","domain":"file.example","issuer":"https://file.example",
	  "profiles":{"staging":{"domain":"staging.example"}}}`
	tests := []struct {
		name     string
		fx       fixture
		setting  string
		want     string
		wantFrom string
	}{
		{"flag beats env and file",
			fixture{args: []string{"--config", "$DIR/c.json", "--domain", "flag.example"}, env: map[string]string{"REVOKE_DOMAIN": "env.example"}, files: map[string]string{"c.json": cfg}},
			"domain", "flag.example", "--domain"},
		{"env beats file",
			fixture{args: []string{"--config", "$DIR/c.json"}, env: map[string]string{"REVOKE_DOMAIN": "env.example"}, files: map[string]string{"c.json": cfg}},
			"domain", "env.example", "REVOKE_DOMAIN"},
		{"file when nothing else",
			fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": cfg}},
			"domain", "file.example", "config "},
		{"config file from REVOKE_CONFIG",
			fixture{env: map[string]string{"REVOKE_CONFIG": "$DIR/c.json"}, files: map[string]string{"c.json": cfg}},
			"vendor", "okta", "config "},
		{"named profile overlays the top level",
			fixture{args: []string{"--config", "$DIR/c.json", "--profile", "staging"}, files: map[string]string{"c.json": cfg}},
			"domain", "staging.example", "profile staging"},
		{"named profile keeps the rest of the top level",
			fixture{args: []string{"--config", "$DIR/c.json"}, env: map[string]string{"REVOKE_PROFILE": "staging"}, files: map[string]string{"c.json": cfg}},
			"issuer", "https://file.example", "config "},
		{"unset is empty",
			fixture{},
			"domain", "", ""},
		{"a boolean from the file",
			fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"insecure_http": true}`}},
			"insecure_http", "true", "config "},
		{"a boolean flag",
			fixture{args: []string{"--insecure-http"}},
			"insecure_http", "true", "--insecure-http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.fx.resolve(t)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := p.Lookup(tt.setting)
			if v.Value != tt.want || !strings.Contains(v.From, tt.wantFrom) {
				t.Errorf("%s = %q from %q, want %q from %q", tt.setting, v.Value, v.From, tt.want, tt.wantFrom)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	tests := []struct {
		name     string
		fx       fixture
		want     string
		wantFrom string
	}{
		{"from the variable", fixture{env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}}, secretValue, "REVOKE_CLIENT_SECRET"},
		{"from a file named by the variable", fixture{env: map[string]string{"REVOKE_CLIENT_SECRET_FILE": "$DIR/s"}, files: map[string]string{"s": secretValue + "\n"}}, secretValue, "REVOKE_CLIENT_SECRET_FILE"},
		{"from a file named by the flag, CRLF trimmed", fixture{args: []string{"--client-secret-file", "$DIR/s"}, files: map[string]string{"s": secretValue + "\r\n"}}, secretValue, "--client-secret-file"},
		{"the flag beats the variable", fixture{args: []string{"--client-secret-file", "$DIR/s"}, env: map[string]string{"REVOKE_CLIENT_SECRET": "other-secret-value"}, files: map[string]string{"s": secretValue}}, secretValue, "--client-secret-file"},
		{"the variable beats the config file", fixture{args: []string{"--config", "$DIR/c.json"}, env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}, files: map[string]string{"c.json": `{"client_secret_file":"s"}`, "s": "file-secret-value"}}, secretValue, "REVOKE_CLIENT_SECRET"},
		{"the config file's path is relative to it", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"client_secret_file":"s"}`, "s": secretValue + "\n"}}, secretValue, "config "},
		{"standard input", fixture{args: []string{"--client-secret-file", "-"}, stdin: secretValue + "\n"}, secretValue, "--client-secret-file"},
		{"inner white space is kept for the SDK to judge", fixture{env: map[string]string{"REVOKE_CLIENT_SECRET": " padded "}}, " padded ", "REVOKE_CLIENT_SECRET"},
		{"unset", fixture{}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.fx.resolve(t)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Secret(ClientSecret)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || !strings.Contains(p.SecretFrom(ClientSecret), tt.wantFrom) {
				t.Errorf("secret = %q from %q, want %q from %q", got, p.SecretFrom(ClientSecret), tt.want, tt.wantFrom)
			}
			for _, row := range p.Sources([]string{ClientSecret}) {
				if strings.Contains(strings.Join(row[:], " "), secretValue) {
					t.Errorf("Sources shows the secret: %q", row)
				}
			}
		})
	}
}

// TestRefusals covers every setting mistake Resolve or a later read
// refuses; none may repeat a secret.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name string
		fx   fixture
		read string // a secret to read after Resolve succeeds
		want string
	}{
		{"missing config file", fixture{args: []string{"--config", "$DIR/nope.json"}}, "", "does not exist"},
		{"config not JSON", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"domain": ` + secretValue}}, "", "not a JSON object"},
		{"config not an object", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `["x"]`}}, "", "not a JSON object"},
		{"unknown config key", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"domian":"x"}`}}, "", `unknown setting "domian"`},
		{"secret in the config file", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"client_secret":"` + secretValue + `"}`}}, "", "holds a secret"},
		{"secret in a config profile", fixture{args: []string{"--config", "$DIR/c.json", "--profile", "p"}, files: map[string]string{"c.json": `{"profiles":{"p":{"api_token":"` + secretValue + `"}}}`}}, "", "holds a secret"},
		{"config names itself", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"config":"x"}`}}, "", "cannot be set in a config file"},
		{"value not a scalar", fixture{args: []string{"--config", "$DIR/c.json"}, files: map[string]string{"c.json": `{"domain":{"a":1}}`}}, "", "not a string"},
		{"unknown profile", fixture{args: []string{"--config", "$DIR/c.json", "--profile", "prod"}, files: map[string]string{"c.json": `{"profiles":{"staging":{}}}`}}, "", `has no profile "prod": it has "staging"`},
		{"profile without a config file", fixture{args: []string{"--profile", "prod"}}, "", "none is given"},
		{"both secret variables", fixture{env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue, "REVOKE_CLIENT_SECRET_FILE": "/x"}}, "", "both REVOKE_CLIENT_SECRET and REVOKE_CLIENT_SECRET_FILE"},
		{"empty secret file flag", fixture{args: []string{"--client-secret-file="}}, "", "is empty"},
		{"bad boolean", fixture{env: map[string]string{"REVOKE_INSECURE_HTTP": "yes please"}}, "", "not true or false"},
		{"missing secret file", fixture{args: []string{"--client-secret-file", "$DIR/nope"}}, ClientSecret, "reading the secret"},
		{"empty secret file", fixture{args: []string{"--client-secret-file", "$DIR/s"}, files: map[string]string{"s": "\n"}}, ClientSecret, "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.fx.resolve(t)
			if err == nil && tt.read != "" {
				_, err = p.Secret(tt.read)
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !usage.Is(err) {
				t.Errorf("%T is not a usage error: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secretValue) {
				t.Errorf("error repeats the secret: %q", err)
			}
		})
	}
}

func TestStdinHasOneReader(t *testing.T) {
	s := NewStdin(strings.NewReader(secretValue))
	if _, err := s.Claim("the token list"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Claim("--client-secret-file"); err == nil || !strings.Contains(err.Error(), "already reads it") {
		t.Errorf("second claim: %v, want a refusal", err)
	}
}

func TestWorldReadableSecretWarns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	if err := os.WriteFile(path, []byte(secretValue), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // past the umask
		t.Fatal(err)
	}
	p, warn, err := fixture{args: []string{"--client-secret-file", path}}.resolve(t)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Secret(ClientSecret); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(warn.String(), "chmod 600") {
		t.Errorf("no warning for a world-readable secret file: %q", warn)
	}
}

func TestRequire(t *testing.T) {
	p, _, err := fixture{}.resolve(t)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Require("domain", "the org")
	if err == nil || !strings.Contains(err.Error(), "--domain") || !strings.Contains(err.Error(), "REVOKE_DOMAIN") {
		t.Errorf("Require: %v, want the flag and the variable named", err)
	}
	_, err = p.RequireSecret("api_token", "the API token")
	if err == nil || !strings.Contains(err.Error(), "REVOKE_API_TOKEN") || !strings.Contains(err.Error(), "--api-token-file") {
		t.Errorf("RequireSecret: %v, want the variable and the file flag named", err)
	}
}

func TestClientAuth(t *testing.T) {
	keyPEM := ecKeyPEM(t)
	tests := []struct {
		name       string
		fx         fixture
		secretAuto string
		wantMethod string
		wantErr    string
	}{
		{"auto: a secret lets the server choose", fixture{args: []string{"--client-id", "app"}, env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}}, "", "", ""},
		{"auto: a secret with the vendor's method", fixture{args: []string{"--client-id", "app"}, env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}}, revoke.MethodClientSecretBasic, revoke.MethodClientSecretBasic, ""},
		{"auto: client ID only is a public client", fixture{args: []string{"--client-id", "app"}}, "", revoke.MethodNone, ""},
		{"auto: a private key", fixture{args: []string{"--client-id", "app", "--private-key-file", "$DIR/k.pem"}, files: map[string]string{"k.pem": keyPEM}}, "", revoke.MethodPrivateKeyJWT, ""},
		{"explicit post", fixture{args: []string{"--client-id", "app", "--auth-method", "client_secret_post"}, env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}}, "", revoke.MethodClientSecretPost, ""},
		{"explicit no_client_auth", fixture{args: []string{"--auth-method", "no_client_auth"}}, "", revoke.MethodNoClientAuth, ""},
		{"nothing set", fixture{}, "", "", "no client credentials"},
		{"post without a secret", fixture{args: []string{"--client-id", "app", "--auth-method", "client_secret_post"}}, "", "", "REVOKE_CLIENT_SECRET"},
		{"unknown method", fixture{args: []string{"--auth-method", "kerberos"}}, "", "", `"kerberos" is not one of`},
		{"private_key_jwt without a key", fixture{args: []string{"--client-id", "app", "--auth-method", "private_key_jwt"}}, "", "", "--private-key-file"},
		{"a key file without a key", fixture{args: []string{"--client-id", "app", "--private-key-file", "$DIR/k.pem"}, files: map[string]string{"k.pem": "not pem"}}, "", "", "no PEM private key"},
		{"tls without a certificate", fixture{args: []string{"--client-id", "app", "--auth-method", "tls_client_auth"}}, "", "", "--tls-cert-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.fx.resolve(t)
			if err != nil {
				t.Fatal(err)
			}
			a, err := p.ClientAuth(tt.secretAuto)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !usage.Is(err) {
					t.Errorf("%T is not a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Method() != tt.wantMethod {
				t.Errorf("method %q, want %q", a.Method(), tt.wantMethod)
			}
			if err := a.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestLoadPrivateKeyRefusesEncrypted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "k.pem")
	enc := "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
	if err := os.WriteFile(path, []byte(enc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadPrivateKey(path)
	if err == nil || !strings.Contains(err.Error(), "encrypted") {
		t.Errorf("err = %v, want a refusal of an encrypted key", err)
	}
	var ue *usage.Error
	if !errors.As(err, &ue) {
		t.Errorf("%T is not a usage error", err)
	}
}

// TestClient: Client is ClientAuth then Options, each error passed on.
func TestClient(t *testing.T) {
	tests := []struct {
		name     string
		fx       fixture
		wantOpts int
		wantErr  string
	}{
		{"both", fixture{args: []string{"--client-id", "app", "--timeout", "5s"}, env: map[string]string{"REVOKE_CLIENT_SECRET": secretValue}}, 1, ""},
		{"no credentials", fixture{args: []string{"--timeout", "5s"}}, 0, "no client credentials"},
		{"a bad timeout", fixture{args: []string{"--client-id", "app", "--timeout", "soon"}}, 0, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _, err := tt.fx.resolve(t)
			if err != nil {
				t.Fatal(err)
			}
			auth, opts, err := p.Client(revoke.MethodClientSecretBasic)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || auth != nil || opts != nil {
					t.Fatalf("Client = %v, %d options, %v; want only an error with %q", auth, len(opts), err, tt.wantErr)
				}
				return
			}
			if err != nil || auth.Method() != revoke.MethodClientSecretBasic || len(opts) != tt.wantOpts {
				t.Fatalf("Client = %v, %d options, %v; want client_secret_basic and %d options", auth, len(opts), err, tt.wantOpts)
			}
		})
	}
}
