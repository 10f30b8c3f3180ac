package salesforce

import (
	"strconv"
	"strings"

	"github.com/revokekit/revoke/internal/redact"
)

// shownURL is a configured URL as it may be printed: user info, query and
// fragment are replaced by the redaction marker, as they may hold
// credentials. It works on text that does not parse.
func shownURL(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	} else if strings.HasPrefix(raw, "//") {
		prefix, rest = "//", raw[2:]
	}
	tail := ""
	if j := strings.IndexAny(rest, "?#"); j >= 0 {
		rest, tail = rest[:j], rest[j:j+1]+redact.Marker
	}
	authority, path := rest, ""
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		authority, path = rest[:j], rest[j:]
	}
	if k := strings.LastIndex(authority, "@"); k >= 0 {
		authority = redact.Marker + "@" + authority[k+1:]
	}
	return prefix + authority + path + tail
}

// quote bounds a value repeated in an error.
func quote(s string) string {
	const limit = 200
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
