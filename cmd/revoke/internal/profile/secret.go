package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"

	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// maxSecretBytes bounds a secret file.
const maxSecretBytes = 64 << 10

// secretSource is where a secret setting comes from.
type secretSource struct {
	set   bool
	value string // from REVOKE_<NAME> itself
	path  string // a file, "-" for standard input
	from  string // the flag, variable or config file that named it
}

// resolveSecret finds a secret setting: --name-file, then REVOKE_NAME or
// REVOKE_NAME_FILE (not both), then "name_file" in the config file.
func resolveSecret(s Setting, flag func(string) (string, bool), getenv func(string) string, file *configFile) (secretSource, error) {
	if v, ok := flag(s.FileFlag()); ok {
		if v == "" {
			return secretSource{}, usage.Errorf("--%s is empty: pass the path of a file holding the secret, or - for standard input", s.FileFlag())
		}
		return secretSource{set: true, path: v, from: "--" + s.FileFlag()}, nil
	}
	val, path := getenv(s.Env()), getenv(s.FileEnv())
	switch {
	case val != "" && path != "":
		return secretSource{}, usage.Errorf("both %s and %s are set: unset one, so that it is clear which secret is used", s.Env(), s.FileEnv())
	case val != "":
		return secretSource{set: true, value: val, from: s.Env()}, nil
	case path != "":
		return secretSource{set: true, path: path, from: s.FileEnv()}, nil
	}
	if v, ok := file.get(s.FileKey()); ok && v != "" {
		return secretSource{set: true, path: v, from: file.from()}, nil
	}
	return secretSource{}, nil
}

// load reads the secret. A file loses one trailing line end (echo adds
// one); anything else is kept for the SDK to judge, so that a stray space
// is reported rather than silently removed.
func (s secretSource) load(stdin *Stdin, warn io.Writer) (string, error) {
	if !s.set {
		return "", nil
	}
	if s.path == "" {
		return s.value, nil
	}
	var b []byte
	var err error
	if s.path == "-" {
		var r io.Reader
		r, err = stdin.Claim(s.from)
		if err != nil {
			return "", err
		}
		b, err = readAllBounded(r, maxSecretBytes)
	} else {
		checkPermissions(s.path, s.from, warn)
		b, err = readBounded(s.path, maxSecretBytes)
	}
	if err != nil {
		return "", usage.Errorf("%s: reading the secret from %s: %v", s.from, shownPath(s.path), err)
	}
	b = trimLineEnd(b)
	if len(b) == 0 {
		return "", usage.Errorf("%s: %s is empty: it should hold the secret", s.from, shownPath(s.path))
	}
	return string(b), nil
}

// trimLineEnd removes one trailing "\n" or "\r\n".
func trimLineEnd(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// checkPermissions warns when other users may read a secret file.
func checkPermissions(path, from string, warn io.Writer) {
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		fmt.Fprintf(warn, "revoke: warning: %s (%s) can be read by other users (mode %04o): chmod 600 it\n", shownPath(path), from, perm)
	}
}

func shownPath(p string) string {
	if p == "-" {
		return "standard input"
	}
	return strconv.Quote(p)
}

// readAllBounded reads r to its end, refusing more than limit bytes.
func readAllBounded(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("longer than %d bytes", limit)
	}
	return b, nil
}

// Stdin is standard input, which one consumer may use: the token list or
// one secret.
type Stdin struct {
	r     io.Reader
	owner string
}

// NewStdin wraps standard input.
func NewStdin(r io.Reader) *Stdin { return &Stdin{r: r} }

// Claim hands standard input to owner, or explains who already has it.
func (s *Stdin) Claim(owner string) (io.Reader, error) {
	if s == nil || s.r == nil {
		return nil, errors.New("no standard input")
	}
	if s.owner != "" && s.owner != owner {
		return nil, usage.Errorf("%s wants standard input, but %s already reads it: give one of them a file", owner, s.owner)
	}
	s.owner = owner
	return s.r, nil
}

// Owner is who claimed standard input, "" when nobody did.
func (s *Stdin) Owner() string {
	if s == nil {
		return ""
	}
	return s.owner
}
