package cognito_test

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

const (
	region   = "us-east-1"
	prefix   = "myapp"
	host     = "myapp.auth.us-east-1.amazoncognito.com"
	endpoint = "https://" + host + "/oauth2/revoke"
	apiURL   = "https://cognito-idp.us-east-1.amazonaws.com/"
	// clientID and secret have the shape Cognito generates.
	clientID = "1example23456789abcdefghij"
	secret   = "secret1example23456789abcdefghijklmnopqrstuvwxyz012"
	// token has the characters of a Cognito refresh token (a JWE).
	token = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.SECRET-part.iv_0123.cipher-text.tag_456"
)

// render writes one request as the wire goldens show it: request line,
// every header sorted (the SDK version replaced, a client assertion and a
// DPoP proof replaced by placeholders), blank line, body.
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
			switch k {
			case "User-Agent":
				v = strings.Replace(v, revoke.Version, "{version}", 1)
			case "Dpop":
				v = "{proof}"
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", placeholders(string(s.Body)))
	return b.String()
}

// placeholders replaces the value of client_assertion, which changes with
// every request, by {assertion}.
func placeholders(body string) string {
	parts := strings.Split(body, "&")
	for i, p := range parts {
		if strings.HasPrefix(p, "client_assertion=") {
			parts[i] = "client_assertion={assertion}"
		}
	}
	return strings.Join(parts, "&")
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
