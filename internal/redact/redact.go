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
)

// Marker is what a secret prints as.
const Marker = "[REDACTED]"

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
