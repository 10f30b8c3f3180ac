package errbody_test

import (
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/errbody"
)

// TestExcerptStripsControlCharacters: an unrecognised body's excerpt lands in
// revoke.Error.Excerpt, an exported field callers log as is; like clip, it
// must not carry terminal escapes or NULs from a hostile or binary body.
func TestExcerptStripsControlCharacters(t *testing.T) {
	got := errbody.Excerpt([]byte("<html>\x1b[2J\x1b]0;pwned\x07 oops\x00\x7f</html>"), 256)
	if strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Errorf("Excerpt kept control characters: %q", got)
	}
}
