package auth0_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the requests sent")

const (
	domain   = "dev-abc.us.auth0.com"
	base     = "https://" + domain
	clientID = "aBcD3fGhIjKlMnOpQrStUvWxYz012345"
	// secret has characters JSON and forms escape; Auth0 takes it in the
	// JSON body unchanged.
	secret = testkit.Secret
	token  = testkit.Token
	userID = "auth0|64f1c0ffee0123456789abcd"
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg auth0.Config, opts ...revoke.Option) *auth0.Revoker {
	t.Helper()
	r, err := auth0.New(cfg, ep.Options(opts...)...)
	if err != nil {
		t.Fatalf("auth0.New(%+v): %v", cfg, err)
	}
	return r
}

// newManagement builds a Management sending to ep with fast retries.
func newManagement(t testing.TB, ep *testkit.Endpoint, cfg auth0.ManagementConfig, opts ...revoke.Option) *auth0.Management {
	t.Helper()
	m, err := auth0.NewManagement(cfg, ep.Options(opts...)...)
	if err != nil {
		t.Fatalf("auth0.NewManagement(%+v): %v", cfg, err)
	}
	return m
}

// render writes one request as the wire goldens show it: request line,
// every header sorted (the SDK version replaced, and each value in
// replace shown by its name), blank line, raw body.
func render(s testkit.Seen, replace map[string]string) string {
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
				v = strings.Replace(v, revoke.Version, "{version}", 1)
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", s.Body)
	out := b.String()
	for value, name := range replace {
		out = strings.ReplaceAll(out, value, name)
	}
	return out
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := testkit.Golden(t, name); got != want {
		t.Errorf("wire differs from testdata/%s (rerun with -update and review the diff):\n%s", name, firstDiff(got, want))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(same lines)"
}
