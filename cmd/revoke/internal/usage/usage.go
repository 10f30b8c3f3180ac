// Package usage is the error type of a command called the wrong way: a
// refused secret on the command line, an unknown vendor, a missing
// setting. The command exits with status 2 for it, and its message says
// what to do instead.
package usage

import (
	"errors"
	"fmt"

	"github.com/revokekit/revoke"
)

// Error is a usage mistake. Its message never repeats a secret.
type Error struct {
	// Msg says what is wrong and how to do it instead.
	Msg string
}

// Error implements error.
func (e *Error) Error() string { return e.Msg }

// Errorf formats a usage error.
func Errorf(format string, a ...any) error {
	return &Error{Msg: fmt.Sprintf(format, a...)}
}

// Is reports whether err is a usage mistake: an *Error, or a
// *revoke.ConfigError (a setting the SDK refused before sending anything).
func Is(err error) bool {
	var ue *Error
	var ce *revoke.ConfigError
	return errors.As(err, &ue) || errors.As(err, &ce)
}
