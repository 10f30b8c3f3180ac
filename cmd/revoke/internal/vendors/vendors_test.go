package vendors

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// TestRegistry: every vendor is complete, and says why when it has no
// fake.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range All() {
		if v.Name == "" || v.Name != strings.ToLower(v.Name) || seen[v.Name] {
			t.Errorf("vendor name %q: empty, not lower case, or twice", v.Name)
		}
		seen[v.Name] = true
		if v.Title == "" || v.Limits == "" || !strings.HasPrefix(v.Docs, "https://") {
			t.Errorf("%s: Title, Limits or Docs missing", v.Name)
		}
		if v.Revoker == nil && v.Subject == nil {
			t.Errorf("%s: neither Revoker nor Subject", v.Name)
		}
		if (v.Subject != nil) != (v.SubjectHelp != "") {
			t.Errorf("%s: Subject and SubjectHelp go together", v.Name)
		}
		if v.Verify == "" {
			t.Errorf("%s: no Verify saying what --verify checks, or why there is none", v.Name)
		}
		if v.Verifier != nil && v.Emulate == nil {
			t.Errorf("%s: a Verifier without a fake to test it against", v.Name)
		}
		if v.Emulate == nil && v.NoFake == "" {
			t.Errorf("%s: no Emulate, and no NoFake saying why", v.Name)
		}
		names := map[string]bool{}
		for _, s := range v.Settings {
			if names[s.Name] {
				t.Errorf("%s: setting %s twice", v.Name, s.Name)
			}
			names[s.Name] = true
		}
	}
	for _, name := range []string{"pingfederate", "pingone", "pingam", "salesforce", "spotify"} {
		if _, ok := Lookup(name); !ok {
			t.Errorf("Lookup(%q) finds nothing", name)
		}
	}
}

// build resolves env (REVOKE_* variables) and builds the vendor's Revoker.
func build(t *testing.T, vendor string, env map[string]string) (revoke.Revoker, error) {
	t.Helper()
	v, ok := Lookup(vendor)
	if !ok {
		t.Fatalf("no vendor %s", vendor)
	}
	p, err := profile.Resolve(profile.Input{
		Settings: append(profile.Common(), Settings()...),
		Getenv:   func(k string) string { return env[k] },
	})
	if err != nil {
		t.Fatal(err)
	}
	return v.Revoker(context.Background(), p)
}

const (
	demoEnv         = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"
	envClientID     = "REVOKE_CLIENT_ID"
	envClientSecret = "REVOKE_CLIENT_SECRET"
)

// TestEndpoints: the settings of each new vendor land on the endpoint its
// documentation names.
func TestEndpoints(t *testing.T) {
	creds := map[string]string{envClientID: "app", envClientSecret: "client-secret-value-0123456789"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range creds {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		vendor string
		env    map[string]string
		want   string
	}{
		{"pingfederate", with("REVOKE_BASE_URL", "https://pf.example.com:9031"), "https://pf.example.com:9031/as/revoke_token.oauth2"},
		{"pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_REGION", "eu"), "https://auth.pingone.eu/" + demoEnv + "/as/revoke"},
		{"pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_REGION", "COM.AU"), "https://auth.pingone.com.au/" + demoEnv + "/as/revoke"},
		{"pingone", with("REVOKE_DOMAIN", "auth.example.com"), "https://auth.example.com/as/revoke"},
		{"pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_BASE_URL", "https://proxy.example.com/p1"), "https://proxy.example.com/p1/" + demoEnv + "/as/revoke"},
		{"pingam", with("REVOKE_BASE_URL", "https://am.example.com:8443/am", "REVOKE_REALM", "alpha"), "https://am.example.com:8443/am/oauth2/realms/root/realms/alpha/token/revoke"},
		{"pingam", with("REVOKE_BASE_URL", "https://tenant.forgeblocks.com"), "https://tenant.forgeblocks.com/am/oauth2/realms/root/token/revoke"},
		{"salesforce", map[string]string{"REVOKE_DOMAIN": "acme.my.salesforce.com"}, "https://acme.my.salesforce.com/services/oauth2/revoke"},
		{"salesforce", map[string]string{"REVOKE_DOMAIN": "https://acme.my.site.com/customers"}, "https://acme.my.site.com/customers/services/oauth2/revoke"},
	}
	for _, tt := range tests {
		r, err := build(t, tt.vendor, tt.env)
		if err != nil {
			t.Errorf("%s %v: %v", tt.vendor, tt.env, err)
			continue
		}
		ep, ok := r.(interface{ Endpoint() string })
		if !ok {
			t.Fatalf("%s: %T has no Endpoint", tt.vendor, r)
		}
		if got := ep.Endpoint(); got != tt.want {
			t.Errorf("%s %v: endpoint %s, want %s", tt.vendor, tt.env, got, tt.want)
		}
	}
}

// TestRefusals: each mistake in a new vendor's settings is a usage error
// (exit 2, nothing sent) that names the way out, in the CLI's terms.
func TestRefusals(t *testing.T) {
	secret := map[string]string{envClientID: "app", envClientSecret: "client-secret-value-0123456789"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range secret {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	regions := "com (North America), eu (Europe), ca (Canada), com.au (Australia), sg (Singapore), asia (Asia-Pacific, legacy)"
	tests := []struct {
		name, vendor string
		env          map[string]string
		want         []string
	}{
		{"pingone without an environment", "pingone", with(), []string{"REVOKE_ENVIRONMENT_ID", "--domain"}},
		{"pingone without a region", "pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv), []string{"--region", regions}},
		{"pingone in an unknown region", "pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_REGION", "us-east-1"), []string{`REVOKE_REGION: "us-east-1" is not a PingOne region`, regions}},
		{"pingone custom domain and region", "pingone", with("REVOKE_DOMAIN", "auth.example.com", "REVOKE_REGION", "eu"), []string{"REVOKE_DOMAIN and REVOKE_REGION are both set"}},
		{"pingone custom domain and environment", "pingone", with("REVOKE_DOMAIN", "auth.example.com", "REVOKE_ENVIRONMENT_ID", demoEnv), []string{"REVOKE_DOMAIN and REVOKE_ENVIRONMENT_ID are both set"}},
		{"pingone base URL and region", "pingone", with("REVOKE_ENVIRONMENT_ID", demoEnv, "REVOKE_BASE_URL", "https://proxy.example.com", "REVOKE_REGION", "eu"), []string{"REVOKE_BASE_URL and REVOKE_REGION are both set"}},
		{"pingone environment not a UUID", "pingone", with("REVOKE_ENVIRONMENT_ID", "my-env", "REVOKE_REGION", "eu"), []string{"UUID"}},
		{"pingone without credentials", "pingone", map[string]string{"REVOKE_ENVIRONMENT_ID": demoEnv, "REVOKE_REGION": "eu"}, []string{"no client credentials"}},
		{"pingfederate without a base URL", "pingfederate", with(), []string{"REVOKE_BASE_URL", "pf.example.com:9031"}},
		{"pingam without a base URL", "pingam", with("REVOKE_REALM", "alpha"), []string{"REVOKE_BASE_URL", "/am"}},
		{"pingam with a bad realm", "pingam", with("REVOKE_BASE_URL", "https://am.example.com/am", "REVOKE_REALM", "alpha/../root"), []string{"Realm"}},
		{"salesforce without a domain", "salesforce", nil, []string{"REVOKE_DOMAIN", "My Domain", "login.salesforce.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := build(t, tt.vendor, tt.env)
			if err == nil || !usage.Is(err) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q: %v", w, err)
				}
			}
			if strings.Contains(err.Error(), "client-secret-value") {
				t.Errorf("error repeats the secret: %v", err)
			}
		})
	}
}

// TestSpotify: the Revoker sends nothing and answers every token
// ErrUnsupported, with what to do instead.
func TestSpotify(t *testing.T) {
	r, err := build(t, "spotify", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: "BQDemoSpotifyAccessToken0123"})
	if !errors.Is(err, revoke.ErrUnsupported) || !strings.Contains(err.Error(), "spotify.com/account/apps") {
		t.Errorf("err = %v, want ErrUnsupported with the account apps page", err)
	}
	v, _ := Lookup("spotify")
	if v.Emulate != nil || !strings.Contains(v.NoFake, "nothing is ever sent") {
		t.Errorf("spotify: Emulate %v, NoFake %q", v.Emulate != nil, v.NoFake)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"ping", "pingfederate (PingFederate), pingone (PingOne) or pingam"},
		{"Ping-One", "pingone (PingOne)"},
		{"ping_federate", "pingfederate"},
		{"pingidentity", "pick one"},
		{"forgerock", "--vendor pingam"},
		{"OpenAM", "--vendor pingam"},
		{"acme-idp", ""},
	}
	for _, tt := range tests {
		got := Suggest(tt.name)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
			t.Errorf("Suggest(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
