package github_test

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
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the requests sent")

// Test values: GitHub client IDs and secrets as GitHub shapes them.
const (
	clientID = "Iv1.8a61f9b3a7aba766"
	secret   = "0123456789abcdef0123456789abcdef01234567"
	token    = testkit.Token
	pat      = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	pat2     = "ghp_26C7e42F292c6912E7710c838347Ae178B4b"
	gho      = "gho_16C7e42F292c6912E7710c838347Ae178B4a"
	ghesBase = "https://ghe.example.com/api/v3"
)

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
				t.Errorf("wire differs from testdata/%s at line %d (rerun with -update and review the diff):\n got: %s\nwant: %s", name, i+1, gl, wl)
				return
			}
		}
	}
}
