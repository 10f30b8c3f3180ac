package onelogin_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

// Test credentials: OneLogin-shaped (hexadecimal ID), and long enough that
// the kit scrubs them from anything it keeps.
const (
	testID     = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	testSecret = "s3cr3t-5ecret-value-0123456789abcdef"
	testToken  = testkit.Token
)

const (
	acmeRevoke = "https://acme.onelogin.com/auth/oauth2/revoke"
	acmeOIDC   = "https://acme.onelogin.com/oidc/2/token/revocation"
)

var update = flag.Bool("update", false, "rewrite the golden requests in testdata/wire")

// newAPI builds a Revoker for acme.onelogin.com sending to ep.
func newAPI(t *testing.T, ep *testkit.Endpoint, api onelogin.APIVersion, more ...revoke.Option) *onelogin.Revoker {
	t.Helper()
	r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: api}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newOIDC builds an OIDCRevoker for acme.onelogin.com sending to ep.
func newOIDC(t *testing.T, ep *testkit.Endpoint, auth revoke.ClientAuth, alreadyRevokedOK bool, more ...revoke.Option) *onelogin.OIDCRevoker {
	t.Helper()
	r, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: auth, AlreadyRevokedOK: alreadyRevokedOK}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wire renders a request as the golden files hold it: the request line,
// every header sorted (the SDK version written as <Version>), a blank
// line, the body.
func wire(s testkit.Seen) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", s.Method, s.URL)
	keys := make([]string, 0, len(s.Header))
	for k := range s.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range s.Header[k] {
			if k == "User-Agent" {
				v = strings.ReplaceAll(v, revoke.Version, "<Version>")
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	b.Write(s.Body)
	b.WriteString("\n")
	return b.String()
}

// wantWire compares a request with testdata/wire/<name>; -update rewrites
// the file.
func wantWire(t *testing.T, name string, s testkit.Seen) {
	t.Helper()
	got := wire(s)
	if *update {
		if err := os.MkdirAll(filepath.Join("testdata", "wire"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "wire", name), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := testkit.Golden(t, filepath.Join("wire", name)); got != want {
		t.Errorf("request differs from testdata/wire/%s:\n--- got\n%s--- want\n%s", name, got, want)
	}
}

// shown renders an error every way a caller might print it.
func shown(err error) string {
	return fmt.Sprintf("%v|%+v|%#v|%s|%q", err, err, err, err, err)
}
