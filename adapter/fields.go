package adapter

import (
	"fmt"
	"log/slog"
	"strings"

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
//	func (s *Sessions) fields() adapter.Fields {
//		if s == nil {
//			return nil
//		}
//		return adapter.Fields{{"Endpoint", strconv.Quote(adapter.Endpoint(s.url))}}
//	}
//	func (s Sessions) Format(f fmt.State, verb rune)  { s.fields().Print(f, verb, "sessions.Sessions") }
//	func (s *Sessions) LogValue() slog.Value          { return s.fields().LogValue() }
//	func (s Sessions) MarshalJSON() ([]byte, error)   { return s.fields().MarshalJSON() }
//
// A pointer receiver on fields and LogValue lets a nil pointer log as an
// empty group; Format and MarshalJSON keep value receivers, so values
// print like pointers.
type Fields [][2]string

// Print is the body of a Format method: it writes the fields for every
// verb, with field names for %+v and the type name for %#v, so that no
// verb reaches a field's raw value.
func (fs Fields) Print(f fmt.State, verb rune, typeName string) {
	redact.Format(f, verb, typeName, fs)
}

// LogValue renders the fields as a slog group, keyed by their names in
// snake case (PublicURL logs as public_url), quoted values unquoted. Nil
// Fields, as a nil pointer's fields method returns them, log as an empty
// group.
func (fs Fields) LogValue() slog.Value { return redact.Log(fs.snake()) }

// MarshalJSON renders the fields as a JSON object of strings, keyed like
// LogValue.
func (fs Fields) MarshalJSON() ([]byte, error) { return redact.JSON(fs.snake()) }

// snake returns fs with each name in snake case.
func (fs Fields) snake() [][2]string {
	out := make([][2]string, len(fs))
	for i, f := range fs {
		out[i] = [2]string{snakeCase(f[0]), f[1]}
	}
	return out
}

// snakeCase writes a Go name in snake case, keeping initialisms whole:
// PublicURL is public_url, APIToken api_token, ClientID client_id,
// LegacyX5T legacy_x5t, DisableDPoP disable_dpop.
func snakeCase(name string) string {
	name = strings.ReplaceAll(name, "DPoP", "Dpop") // RFC 9449's spelling
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if isUpper(c) {
			// A digit belongs to the initialism it stands in (X5T).
			prevLower := i > 0 && 'a' <= name[i-1] && name[i-1] <= 'z'
			nextLower := i > 0 && !prevLower && name[i-1] != '_' && i+1 < len(name) && 'a' <= name[i+1] && name[i+1] <= 'z'
			if prevLower || nextLower {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
