package errbody_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke/internal/errbody"
)

// FuzzParse checks, for any body, that Parse never panics or modifies its
// input, recognises nothing in a blank body, keeps no field without a code,
// is deterministic, and that Excerpt is a bounded single line of valid
// UTF-8. The golden bodies seed the corpus, beside testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	golden, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range golden {
		body, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		b, ok := errbody.Parse(body)
		if !bytes.Equal(body, orig) {
			t.Fatalf("Parse modified its input")
		}
		if errbody.Empty(body) && ok {
			t.Fatalf("a blank body was recognised: %#v", b)
		}
		if ok && b.Code == "" {
			t.Fatalf("recognised without an error code: %#v", b)
		}
		if !ok && b != (errbody.Body{}) {
			t.Fatalf("not recognised but fields kept: %#v", b)
		}
		if b2, ok2 := errbody.Parse(body); b2 != b || ok2 != ok {
			t.Fatalf("Parse is not deterministic: %#v then %#v", b, b2)
		}
		ex := errbody.Excerpt(body, 256)
		if len(ex) > 256+len("…") || !utf8.ValidString(ex) || strings.ContainsAny(ex, "\r\n") {
			t.Fatalf("Excerpt = %d bytes %q: not a bounded single line", len(ex), ex)
		}
	})
}
