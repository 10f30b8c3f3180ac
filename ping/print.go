package ping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
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

// authString renders a ClientAuth by method and client ID only.
func authString(a revoke.ClientAuth) string {
	if a == nil {
		return "<nil>"
	}
	info := adapter.DescribeAuth(a)
	if info.Method == "" && info.ClientID == "" {
		// Not built by the revoke package: its own printing is unknown.
		return fmt.Sprintf("%T", a)
	}
	return fmt.Sprintf("{Method:%s ClientID:%s}", strconv.Quote(authMethod(a)), strconv.Quote(info.ClientID))
}

// authMethod names a ClientAuth's method for printing, without calling it.
func authMethod(a revoke.ClientAuth) string {
	if a == nil {
		return ""
	}
	info := adapter.DescribeAuth(a)
	if info.Method == "" && info.ClientID != "" {
		return "client_credentials"
	}
	return info.Method
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
