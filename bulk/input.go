package bulk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
)

// Item is one element of a run's input: a request, or the reason an input
// line could not be read as one.
type Item struct {
	// Request is the revocation to make. Its token is a secret: Item
	// prints it redacted, as revoke.Request does.
	Request revoke.Request
	// Line is the 1-based line number of the item in a line input (Lines),
	// 0 for other inputs.
	Line int
	// Err, when not nil, says why the item is not a request. The run
	// reports it as an InvalidInput outcome, sends nothing and goes on; but
	// a *ReadError ends the input and Run returns it.
	Err error
}

// InputError is a malformed input item. Its text names the line and the
// problem, never the line's content.
type InputError struct {
	// Line is the 1-based line number, 0 if the input has none.
	Line int
	// Code names the problem in snake case; it is the item's Outcome.Kind
	// and its "kind" in the journal: "empty_token", "bad_token",
	// "malformed_json", "bad_hint" or "line_too_long".
	Code string
	// Problem says what is wrong, without quoting the input.
	Problem string
}

// Input problem codes, in InputError.Code.
const (
	// CodeEmptyToken: no token, or an empty one.
	CodeEmptyToken = "empty_token"
	// CodeBadToken: a token with characters its line form cannot hold, or
	// a JSON "token" that is not a string.
	CodeBadToken = "bad_token"
	// CodeMalformedJSON: a line that starts with "{" but is not a JSON
	// object.
	CodeMalformedJSON = "malformed_json"
	// CodeBadHint: a JSON "hint" that is not a string or holds a control
	// character.
	CodeBadHint = "bad_hint"
	// CodeLineTooLong: a line longer than MaxLineLength.
	CodeLineTooLong = "line_too_long"
)

// Error implements error.
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("bulk: ")
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// ReadError is a failure to read the input itself (not a malformed line):
// the run stops taking input, finishes what it holds, and Run returns the
// ReadError.
type ReadError struct {
	// Line is the number of the last line read whole.
	Line int
	// Err is the reader's error.
	Err error
}

// Error implements error.
func (e *ReadError) Error() string {
	if e == nil {
		return "bulk: <nil ReadError>"
	}
	cause := "unknown error"
	if e.Err != nil {
		cause = e.Err.Error()
	}
	return "bulk: reading the input after line " + strconv.Itoa(e.Line) + ": " + cause
}

// Unwrap returns the reader's error.
func (e *ReadError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// Requests turns a sequence of requests into a run's input. Run does this
// for you; use it to combine requests with RunItems.
func Requests(seq iter.Seq[revoke.Request]) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for r := range seq {
			if !yield(Item{Request: r}) {
				return
			}
		}
	}
}

// FromChannel returns a sequence of the requests received from ch, which
// ends when ch is closed. A run reads the channel from its own goroutine;
// when the run is cancelled while waiting on an open channel, that
// goroutine ends at the next receive or when ch is closed.
func FromChannel(ch <-chan revoke.Request) iter.Seq[revoke.Request] {
	return func(yield func(revoke.Request) bool) {
		for r := range ch {
			if !yield(r) {
				return
			}
		}
	}
}

// MaxLineLength is the longest input line Lines accepts, in bytes, its line
// end included. A longer line is an InvalidInput item (CodeLineTooLong); the
// run goes on.
const MaxLineLength = 64 << 10

// Lines reads a run's input from r, one token per line, and numbers the
// lines from 1. A line is either:
//
//   - a bare token: printable ASCII without spaces (RFC 6749 §A.12 VSCHAR
//     minus the space), or
//   - a JSON object {"token":"…","hint":"refresh_token"}; "hint" is optional
//     and may be any vendor value; other members are ignored. Use this form
//     for a token with characters a bare line cannot hold.
//
// Surrounding white space (and the CR of CRLF line ends) is trimmed, a
// UTF-8 byte order mark on the first line is dropped, and blank lines and
// lines starting with '#' are skipped. A line that is neither form becomes
// an Item with an *InputError naming the line number and the problem, never
// the content; the run reports it and goes on. A read error ends the
// sequence with an Item holding a *ReadError.
//
// The sequence reads r as it goes and holds one line at a time; it can be
// iterated once.
func Lines(r io.Reader) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		br := bufio.NewReaderSize(r, MaxLineLength)
		for n := 1; ; n++ {
			b, tooLong, err := readLine(br)
			if err != nil && err != io.EOF {
				// A line cut short by a failed read is not a token.
				yield(Item{Line: n - 1, Err: &ReadError{Line: n - 1, Err: err}})
				return
			}
			if err != nil && len(b) == 0 && !tooLong {
				return // the end
			}
			if n == 1 {
				b = bytes.TrimPrefix(b, []byte("\ufeff"))
			}
			var it Item
			if tooLong {
				it = Item{Line: n, Err: &InputError{Line: n, Code: CodeLineTooLong,
					Problem: "the line is longer than " + strconv.Itoa(MaxLineLength) + " bytes"}}
			} else {
				req, skip, ierr := parseLine(b)
				if skip {
					if err != nil {
						return // the last line, blank or a comment
					}
					continue
				}
				it = Item{Request: req, Line: n}
				if ierr != nil {
					ierr.Line = n
					it = Item{Line: n, Err: ierr}
				}
			}
			if !yield(it) || err != nil {
				return
			}
		}
	}
}

// readLine returns the next line without its '\n'. tooLong reports a line
// longer than the buffer; the rest of it has been discarded. err is non-nil
// when the input ended (io.EOF) or failed after this line.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	b, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = br.ReadSlice('\n')
		}
		return nil, true, err
	}
	return bytes.TrimSuffix(b, []byte("\n")), false, err
}

// lineJSON is the JSON form of a line.
type lineJSON struct {
	Token *string `json:"token"`
	Hint  *string `json:"hint"`
}

// parseLine reads one line. skip reports a blank line or a comment.
func parseLine(b []byte) (req revoke.Request, skip bool, ierr *InputError) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] == '#' {
		return revoke.Request{}, true, nil
	}
	if b[0] != '{' {
		for _, c := range b {
			if c <= ' ' || c >= 0x7f {
				return revoke.Request{}, false, &InputError{Code: CodeBadToken,
					Problem: "the token holds a space, a control character or a non-ASCII byte; write such a token as a JSON line {\"token\":\"…\"}"}
			}
		}
		return revoke.Request{Token: string(b)}, false, nil
	}
	var v lineJSON
	if err := json.Unmarshal(b, &v); err != nil {
		// The decoder's message may quote a byte of the line: never pass it on.
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			switch te.Field {
			case "token":
				return revoke.Request{}, false, &InputError{Code: CodeBadToken, Problem: `"token" is not a JSON string`}
			case "hint":
				return revoke.Request{}, false, &InputError{Code: CodeBadHint, Problem: `"hint" is not a JSON string`}
			}
		}
		return revoke.Request{}, false, &InputError{Code: CodeMalformedJSON,
			Problem: `the line starts with "{" but is not a JSON object {"token":"…","hint":"…"}`}
	}
	if v.Token == nil || strings.TrimSpace(*v.Token) == "" {
		return revoke.Request{}, false, &InputError{Code: CodeEmptyToken, Problem: `the JSON line has no "token" or an empty one`}
	}
	tok := strings.TrimSpace(*v.Token)
	if hasControl(tok) {
		return revoke.Request{}, false, &InputError{Code: CodeBadToken, Problem: "the token holds a control character"}
	}
	var hint string
	if v.Hint != nil {
		hint = strings.TrimSpace(*v.Hint)
		if hasControl(hint) {
			return revoke.Request{}, false, &InputError{Code: CodeBadHint, Problem: "the hint holds a control character"}
		}
	}
	return revoke.Request{Token: tok, Hint: revoke.TokenTypeHint(hint)}, false, nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}
