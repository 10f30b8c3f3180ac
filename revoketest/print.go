package revoketest

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/revokekit/revoke/internal/redact"
)

// The emulators hold client secrets, tokens and the requests they
// received, credentials included. Like every value of this module that
// can hold a secret, they print, log and marshal with the secrets left
// out; the fields themselves stay readable for assertions.

func (c Client) fields() [][2]string {
	return [][2]string{{"ID", strconv.Quote(c.ID)}, {"Secret", redact.Quoted(c.Secret)}, {"Method", strconv.Quote(c.Method)}}
}

// Format implements fmt.Formatter with the secret redacted.
func (c Client) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoketest.Client", c.fields())
}

// LogValue implements slog.LogValuer with the secret redacted.
func (c Client) LogValue() slog.Value { return redact.Log(c.fields()) }

// MarshalJSON implements json.Marshaler with the secret redacted.
func (c Client) MarshalJSON() ([]byte, error) { return redact.JSON(c.fields()) }

// Format implements fmt.Formatter: the registry prints its size only.
func (cs *Clients) Format(f fmt.State, verb rune) {
	n := 0
	if cs != nil {
		cs.mu.Lock()
		n = len(cs.clients)
		cs.mu.Unlock()
	}
	redact.Format(f, verb, "revoketest.Clients", [][2]string{{"Clients", strconv.Itoa(n)}})
}

func (p Pair) fields() [][2]string {
	return [][2]string{{"AccessToken", redact.Quoted(p.AccessToken)}, {"RefreshToken", redact.Quoted(p.RefreshToken)}}
}

// Format implements fmt.Formatter with the tokens redacted.
func (p Pair) Format(f fmt.State, verb rune) { redact.Format(f, verb, "revoketest.Pair", p.fields()) }

// LogValue implements slog.LogValuer with the tokens redacted.
func (p Pair) LogValue() slog.Value { return redact.Log(p.fields()) }

// MarshalJSON implements json.Marshaler with the tokens redacted.
func (p Pair) MarshalJSON() ([]byte, error) { return redact.JSON(p.fields()) }

func (t TokenInfo) fields() [][2]string {
	return [][2]string{{"Value", redact.Quoted(t.Value)}, {"Type", strconv.Quote(t.Type)}, {"ClientID", strconv.Quote(t.ClientID)},
		{"Subject", strconv.Quote(t.Subject)}, {"Active", strconv.FormatBool(t.Active)}, {"Sibling", redact.Quoted(t.Sibling)}, {"Kind", strconv.Quote(t.Kind)}}
}

// Format implements fmt.Formatter with the tokens redacted.
func (t TokenInfo) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoketest.TokenInfo", t.fields())
}

// LogValue implements slog.LogValuer with the tokens redacted.
func (t TokenInfo) LogValue() slog.Value { return redact.Log(t.fields()) }

// MarshalJSON implements json.Marshaler with the tokens redacted.
func (t TokenInfo) MarshalJSON() ([]byte, error) { return redact.JSON(t.fields()) }

func (o RevokeOutcome) fields() [][2]string {
	return [][2]string{{"Found", strconv.FormatBool(o.Found)}, {"WrongClient", strconv.FormatBool(o.WrongClient)},
		{"Revoked", strconv.Itoa(len(o.Revoked))}, {"AlreadyEnded", strconv.FormatBool(o.AlreadyEnded)}}
}

// Format implements fmt.Formatter: the revoked tokens print as a count.
func (o RevokeOutcome) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoketest.RevokeOutcome", o.fields())
}

// LogValue implements slog.LogValuer without the tokens.
func (o RevokeOutcome) LogValue() slog.Value { return redact.Log(o.fields()) }

// MarshalJSON implements json.Marshaler without the tokens.
func (o RevokeOutcome) MarshalJSON() ([]byte, error) { return redact.JSON(o.fields()) }

func (r RecordedRequest) fields() [][2]string {
	return [][2]string{{"Method", strconv.Quote(r.Method)}, {"Path", strconv.Quote(r.Path)}, {"Query", redact.Keys(r.Query)},
		{"Header", redact.HeaderNames(r.Header)}, {"Form", redact.Keys(r.Form)}, {"Body", strconv.Itoa(len(r.Body)) + " bytes"},
		{"Status", strconv.Itoa(r.Status)}}
}

// Format implements fmt.Formatter: header, query and form values, which
// carry credentials and tokens, never print.
func (r RecordedRequest) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoketest.RecordedRequest", r.fields())
}

// LogValue implements slog.LogValuer without credentials.
func (r RecordedRequest) LogValue() slog.Value { return redact.Log(r.fields()) }

// MarshalJSON implements json.Marshaler without credentials.
func (r RecordedRequest) MarshalJSON() ([]byte, error) { return redact.JSON(r.fields()) }

// Format implements fmt.Formatter: the log prints its length only.
func (l *Log) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "revoketest.Log", [][2]string{{"Requests", strconv.Itoa(l.Len())}})
}

// Format implements fmt.Formatter: the store prints its size only.
func (s *Store) Format(f fmt.State, verb rune) {
	n := 0
	if s != nil {
		s.mu.Lock()
		n = len(s.tokens)
		s.mu.Unlock()
	}
	redact.Format(f, verb, "revoketest.Store", [][2]string{{"Tokens", strconv.Itoa(n)}})
}

// Format implements fmt.Formatter: the emulator prints its counts only.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	redact.Format(f, verb, "revoketest.Server", [][2]string{{"Store", fmt.Sprint(s.Store)}, {"Clients", fmt.Sprint(s.Clients)}, {"Requests", strconv.Itoa(s.Log.Len())}})
}
