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

// FuzzParse checks, for any body, that Parse never panics and keeps only
// bounded, single-line, valid UTF-8 text: every field at most MaxField
// bytes plus the ellipsis, at most 16 causes, nothing at all when no shape
// was recognised, and Empty exactly for blank bodies. Excerpt is bounded
// the same way. The golden vendor bodies seed the corpus, beside
// testdata/fuzz/FuzzParse.
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
	known := map[errbody.Shape]bool{
		errbody.ShapeNone: true, errbody.ShapeOAuth: true, errbody.ShapeForm: true, errbody.ShapeOkta: true, errbody.ShapeOneLogin: true,
		errbody.ShapeGraph: true, errbody.ShapeMessage: true, errbody.ShapeSlack: true, errbody.ShapeErrors: true,
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		orig := bytes.Clone(body)
		b := errbody.Parse(body)
		if !bytes.Equal(body, orig) {
			t.Fatalf("Parse modified its input")
		}
		if !known[b.Shape] {
			t.Fatalf("Parse returned unknown shape %q", b.Shape)
		}
		blank := len(bytes.TrimSpace(body)) == 0
		if b.Empty != blank || (b.Empty && b.Shape != errbody.ShapeNone) {
			t.Fatalf("Empty = %v, Shape = %q for a body that is blank: %v", b.Empty, b.Shape, blank)
		}
		fields := append([]string{b.Code, b.Description, b.URI, b.RequestID}, b.Causes...)
		if b.Shape == errbody.ShapeNone && (strings.Join(fields, "") != "" || b.EnvelopeError || b.EnvelopeStatus != 0) {
			t.Fatalf("no shape recognised but fields kept: %#v", b)
		}
		if len(b.Causes) > 16 {
			t.Fatalf("kept %d causes; want at most 16", len(b.Causes))
		}
		for _, s := range fields {
			if len(s) > errbody.MaxField+len("…") {
				t.Fatalf("field of %d bytes exceeds MaxField: %.40q...", len(s), s)
			}
			if !utf8.ValidString(s) {
				t.Fatalf("field is not valid UTF-8: %q", s)
			}
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Fatalf("field holds a control character: %q", s)
			}
		}
		if b2 := errbody.Parse(body); b2.Shape != b.Shape || b2.Code != b.Code || b2.Description != b.Description {
			t.Fatalf("Parse is not deterministic: %#v then %#v", b, b2)
		}
		ex := errbody.Excerpt(body, 256)
		if len(ex) > 256+len("…") || !utf8.ValidString(ex) || strings.ContainsAny(ex, "\r\n") {
			t.Fatalf("Excerpt = %d bytes %q: not a bounded single line", len(ex), ex)
		}
	})
}
