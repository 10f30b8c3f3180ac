package testkit

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke"
)

// update is the -update flag of every test binary that imports the kit:
// CheckGolden rewrites the golden files instead of comparing with them.
var update = flag.Bool("update", false, "rewrite the golden files in testdata from what the tests produce")

// Wire is how Render writes the parts of a request that change from run to
// run. An empty placeholder leaves its part as sent.
type Wire struct {
	// Version stands for revoke.Version in the User-Agent header.
	Version string
	// Assertion stands for the value of a client_assertion form field.
	Assertion string
	// Proof stands for the value of a DPoP header.
	Proof string
	// Names shows each of its keys, wherever it stands in the rendering,
	// as the key's value.
	Names map[string]string
}

// Braces is the Wire of most goldens: {version}, {assertion} and {proof}.
var Braces = Wire{Version: "{version}", Assertion: "{assertion}", Proof: "{proof}"}

// Render writes s as the wire goldens show it, with Braces.
func Render(s Seen) string { return Braces.Render(s) }

// Render writes s as the wire goldens show it: the method and URL, every
// header sorted by name (one line per value), a blank line, the raw body
// and a newline, with w's placeholders.
func (w Wire) Render(s Seen) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", s.Method, s.URL)
	keys := make([]string, 0, len(s.Header))
	for k := range s.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range s.Header[k] {
			switch {
			case k == "User-Agent" && w.Version != "":
				v = strings.ReplaceAll(v, revoke.Version, w.Version)
			case k == "Dpop" && w.Proof != "":
				v = w.Proof
			}
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	body := string(s.Body)
	if w.Assertion != "" {
		parts := strings.Split(body, "&")
		for i, p := range parts {
			if strings.HasPrefix(p, "client_assertion=") {
				parts[i] = "client_assertion=" + w.Assertion
			}
		}
		body = strings.Join(parts, "&")
	}
	fmt.Fprintf(&b, "\n%s\n", body)
	out := b.String()
	for value, name := range w.Names {
		out = strings.ReplaceAll(out, value, name)
	}
	return out
}

// CheckGolden compares got with testdata/<name>, relative to the test's
// package directory, and shows the first line that differs. With -update
// it writes got to the file instead (making its directory).
func CheckGolden(t testing.TB, name, got string) {
	t.Helper()
	if *update {
		path := filepath.Join("testdata", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := Golden(t, name); got != want {
		t.Errorf("testdata/%s differs (rerun with -update and review the diff):\n%s", name, FirstDiff(got, want))
	}
}

// FirstDiff shows the first line where two texts differ.
func FirstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		gl, wl := "(end of text)", "(end of text)"
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

// Transcript collects rendered requests (see Render), each under a
// heading, for one golden file. Add to it from sequential subtests only.
type Transcript struct{ b strings.Builder }

// Add appends "== heading", the rendered request and a blank line.
func (tr *Transcript) Add(heading, rendered string) {
	fmt.Fprintf(&tr.b, "== %s\n%s\n", heading, rendered)
}

// String is the transcript so far.
func (tr *Transcript) String() string { return tr.b.String() }

// Check compares the transcript with testdata/<name> (see CheckGolden),
// unless t has already failed: a partial transcript says nothing.
func (tr *Transcript) Check(t testing.TB, name string) {
	t.Helper()
	if !t.Failed() {
		CheckGolden(t, name, tr.String())
	}
}

// HintName is how wire tables name a hint: the hint, or "no hint".
func HintName(h revoke.TokenTypeHint) string {
	if h == revoke.HintNone {
		return "no hint"
	}
	return string(h)
}

// Hints are the hints of RFC 7009 wire tables: none, access_token,
// refresh_token.
var Hints = []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken}

// AssertionClaims decodes a client assertion (ES256, RS256 or HS256)
// without verifying its signature; it fails the test if it does not parse.
func AssertionClaims(t testing.TB, assertion string) jwt.Claims {
	t.Helper()
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.HS256})
	if err != nil {
		t.Fatalf("client assertion does not parse: %v", err)
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		t.Fatal(err)
	}
	return c
}
