// Package redact renders values that hold secrets so that no fmt verb can
// reveal them. Every exported type in this module that holds a token, a
// secret or a key formats itself through Format.
//
// fmt does not call a Formatter on unexported struct fields, so a type with
// a secret in an unexported field must implement fmt.Formatter itself; this
// package keeps those implementations identical.
package redact

import (
	"fmt"
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
