package salesforce_test

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
	"github.com/revokekit/revoke/salesforce"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the requests sent")

const (
	org   = "https://acme.my.salesforce.com"
	token = testkit.Token
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg salesforce.Config, opts ...revoke.Option) *salesforce.Revoker {
	t.Helper()
	r, err := salesforce.New(cfg, ep.Options(opts...)...)
	if err != nil {
		t.Fatalf("salesforce.New(%+v): %v", cfg, err)
	}
	return r
}

// render writes one request as the wire golden shows it: request line,
// every header sorted (the SDK version replaced), blank line, raw body.
func render(s testkit.Seen) string {
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
	return b.String()
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

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
