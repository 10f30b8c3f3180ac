package adapter

import (
	"fmt"
	"log/slog"

	"github.com/revokekit/revoke/internal/redact"
)

// Fields is how an adapter type prints: name and value pairs, each value
// already rendered (quote strings with strconv.Quote) and free of secrets
// (a secret shows as revoke.Redacted, or not at all). fmt never calls a
// Formatter on an unexported struct field, so a type that keeps a
// credential in an unexported field (even a revoke.Secret) must implement
// fmt.Formatter itself; Fields makes the three printing methods one line
// each, as the in-tree adapters have them:
//
//	func (s Sessions) fields() adapter.Fields {
//		return adapter.Fields{{"Endpoint", strconv.Quote(adapter.Endpoint(s.url))}}
//	}
//	func (s Sessions) Format(f fmt.State, verb rune)  { s.fields().Print(f, verb, "sessions.Sessions") }
//	func (s Sessions) LogValue() slog.Value           { return s.fields().LogValue() }
//	func (s Sessions) MarshalJSON() ([]byte, error)   { return s.fields().MarshalJSON() }
type Fields [][2]string

// Print is the body of a Format method: it writes the fields for every
// verb, with field names for %+v and the type name for %#v, so that no
// verb reaches a field's raw value.
func (fs Fields) Print(f fmt.State, verb rune, typeName string) {
	redact.Format(f, verb, typeName, fs)
}

// LogValue renders the fields as a slog group.
func (fs Fields) LogValue() slog.Value { return redact.Log(fs) }

// MarshalJSON renders the fields as a JSON object.
func (fs Fields) MarshalJSON() ([]byte, error) { return redact.JSON(fs) }
