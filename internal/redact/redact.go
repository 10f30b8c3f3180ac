// Package redact renders values that hold secrets so that no fmt verb can
// reveal them. Every exported type in this module that holds a token, a
// secret or a key formats itself through Format.
//
// fmt does not call a Formatter on unexported struct fields, so a type with
// a secret in an unexported field must implement fmt.Formatter itself; this
// package keeps those implementations identical.
package redact

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/revokekit/revoke/internal/bridge"
)

// Marker is what a secret prints as.
const Marker = "[REDACTED]"

// Key renders a private key (or any value held as a secret): Marker when
// set, "<nil>" when not.
func Key(k any) string {
	if k == nil {
		return "<nil>"
	}
	return Marker
}

// IfSet returns "" for an empty secret and Marker otherwise.
func IfSet(s string) string {
	if s == "" {
		return ""
	}
	return Marker
}

// Quoted returns `""` for an empty secret and Marker otherwise, for fields
// printed next to quoted strings.
func Quoted(s string) string {
	if s == "" {
		return `""`
	}
	return Marker
}

// Format prints a struct-like value whose fields are already rendered
// safely: %#v with the type name and field names, %+v with field names,
// every other verb with the values only.
func Format(f fmt.State, verb rune, typeName string, fields [][2]string) {
	sharp := verb == 'v' && f.Flag('#')
	plus := sharp || (verb == 'v' && f.Flag('+'))
	var b strings.Builder
	if sharp {
		b.WriteString(typeName)
	}
	b.WriteString("{")
	for i, fd := range fields {
		if i > 0 {
			if sharp {
				b.WriteString(", ")
			} else {
				b.WriteString(" ")
			}
		}
		if plus {
			b.WriteString(fd[0])
			b.WriteString(":")
		}
		b.WriteString(fd[1])
	}
	b.WriteString("}")
	_, _ = f.Write([]byte(b.String()))
}

// Log renders the same fields as a slog group, with quoted values
// unquoted.
func Log(fields [][2]string) slog.Value {
	attrs := make([]slog.Attr, 0, len(fields))
	for _, f := range fields {
		attrs = append(attrs, slog.String(f[0], unquote(f[1])))
	}
	return slog.GroupValue(attrs...)
}

// JSON renders the same fields as a JSON object, with quoted values
// unquoted.
func JSON(fields [][2]string) ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f[0])
		v, _ := json.Marshal(unquote(f[1]))
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

func unquote(s string) string {
	if u, err := strconv.Unquote(s); err == nil {
		return u
	}
	return s
}

// HeaderNames lists a header's names only: values may be credentials.
func HeaderNames(h http.Header) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return "[" + strings.Join(names, " ") + "]"
}

// Keys lists the keys of a form or query only: values may be secrets.
func Keys(v url.Values) string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	return "[" + strings.Join(names, " ") + "]"
}

// maxBounded bounds a value Bounded repeats.
const maxBounded = 200

// Bounded quotes a caller's or a server's value for an error message, cut
// to 200 bytes on a rune boundary and marked "…" when it was longer.
func Bounded(s string) string {
	if len(s) > maxBounded {
		cut := maxBounded
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// URL is a configured URL as it may be printed: its user info, query and
// fragment, which may hold credentials, are replaced by Marker. It works
// on text that does not parse, and on a scheme-relative "//host/…".
func URL(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	} else if strings.HasPrefix(raw, "//") {
		prefix, rest = "//", raw[2:]
	}
	tail := ""
	if j := strings.IndexAny(rest, "?#"); j >= 0 {
		rest, tail = rest[:j], rest[j:j+1]+Marker
	}
	authority, path := rest, ""
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		authority, path = rest[:j], rest[j:]
	}
	if k := strings.LastIndex(authority, "@"); k >= 0 {
		authority = Marker + "@" + authority[k+1:]
	}
	return prefix + authority + path + tail
}

// Auth renders a client authentication (a revoke.ClientAuth) by its method
// and client ID only: {Method:"client_secret_basic" ClientID:"app"}. A nil
// one is "<nil>"; one the revoke package did not build, whose own printing
// is unknown, is its Go type alone.
func Auth(a any) string {
	if a == nil {
		return "<nil>"
	}
	info := authInfo(a)
	if info.Method == "" && info.ClientID == "" {
		return fmt.Sprintf("%T", a)
	}
	return "{Method:" + strconv.Quote(AuthMethod(a)) + " ClientID:" + strconv.Quote(info.ClientID) + "}"
}

// AuthMethod names a client authentication's method for printing, without
// resolving it: the RFC 8414 name, "client_credentials" for
// revoke.ClientCredentials before a method is chosen, and "" for nil or a
// value the revoke package did not build.
func AuthMethod(a any) string {
	info := authInfo(a)
	if info.Method == "" && info.ClientID != "" {
		return "client_credentials"
	}
	return info.Method
}

func authInfo(a any) bridge.AuthInfo {
	if b, ok := a.(bridge.Auth); ok {
		return b.AuthInfo()
	}
	return bridge.AuthInfo{}
}

// Type renders a value that may hold secrets, such as an
// oauth2.TokenSource, by its Go type alone; nil is "<nil>".
func Type(v any) string {
	if v == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T", v)
}

// TypeIfSet is Type with "" for nil, for slog and JSON.
func TypeIfSet(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%T", v)
}
