package bulk

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

func TestLines(t *testing.T) {
	t.Parallel()
	type item struct {
		line  int
		token string
		hint  revoke.TokenTypeHint
		code  string // InputError code
	}
	tests := []struct {
		name  string
		input string
		want  []item
	}{
		{"empty", "", nil},
		{"one bare token, no newline", "abc", []item{{line: 1, token: "abc"}}},
		{"CRLF and surrounding space trimmed", "  abc \r\n\tdef\r\n", []item{{line: 1, token: "abc"}, {line: 2, token: "def"}}},
		{"blank lines and comments skipped, numbering kept", "\n# c\n   # indented comment\n\r\nabc\n", []item{{line: 5, token: "abc"}}},
		{"byte order mark", "\ufeffabc\n", []item{{line: 1, token: "abc"}}},
		{"JSON with hint", `{"token":"abc","hint":"refresh_token"}`, []item{{line: 1, token: "abc", hint: revoke.HintRefreshToken}}},
		{"JSON, vendor hint, extra members, padded token", `{"token":"  a b ","hint":"oauth_sts","user":"x"}`, []item{{line: 1, token: "a b", hint: "oauth_sts"}}},
		{"JSON null hint", `{"token":"abc","hint":null}`, []item{{line: 1, token: "abc"}}},
		{"JSON escapes", `{"token":"a\u002Fb"}`, []item{{line: 1, token: "a/b"}}},
		{"space inside a bare token", "abc def", []item{{line: 1, code: CodeBadToken}}},
		{"control character", "abc\x01def", []item{{line: 1, code: CodeBadToken}}},
		{"non-ASCII bare token", "tökén", []item{{line: 1, code: CodeBadToken}}},
		{"control character in JSON token", `{"token":"a\u0000b"}`, []item{{line: 1, code: CodeBadToken}}},
		{"control character in hint", `{"token":"ab","hint":"x\ny"}`, []item{{line: 1, code: CodeBadHint}}},
		{"truncated JSON", `{"token":"abc"`, []item{{line: 1, code: CodeMalformedJSON}}},
		{"JSON with trailing garbage", `{"token":"abc"} x`, []item{{line: 1, code: CodeMalformedJSON}}},
		{"JSON array", `{"token":["abc"]}`, []item{{line: 1, code: CodeBadToken}}},
		{"JSON without token", `{"hint":"access_token"}`, []item{{line: 1, code: CodeEmptyToken}}},
		{"JSON blank token", `{"token":"  "}`, []item{{line: 1, code: CodeEmptyToken}}},
		{"hint not a string", `{"token":"abc","hint":1}`, []item{{line: 1, code: CodeBadHint}}},
		{
			"a too long line is skipped whole",
			"abc\n" + strings.Repeat("y", 3*MaxLineLength) + "\ndef\n",
			[]item{{line: 1, token: "abc"}, {line: 2, code: CodeLineTooLong}, {line: 3, token: "def"}},
		},
		{"a line of exactly the maximum", strings.Repeat("z", MaxLineLength-1) + "\n", []item{{line: 1, token: strings.Repeat("z", MaxLineLength-1)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []item
			for it := range Lines(strings.NewReader(tt.input)) {
				var ie *InputError
				switch {
				case errors.As(it.Err, &ie):
					if ie.Line != it.Line || !errors.Is(it.Err, ErrInvalidInput) || it.Request.Token != "" {
						t.Errorf("bad item %+v", it)
					}
					got = append(got, item{line: it.Line, code: ie.Code})
				case it.Err != nil:
					t.Fatalf("unexpected error %v", it.Err)
				default:
					got = append(got, item{line: it.Line, token: it.Request.Token, hint: it.Request.Hint})
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestLinesStops: breaking out of the sequence stops reading.
func TestLinesStops(t *testing.T) {
	t.Parallel()
	n := 0
	for range Lines(strings.NewReader("a\nb\nc\n")) {
		if n++; n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("read %d items", n)
	}
}

func TestFromChannel(t *testing.T) {
	t.Parallel()
	ch := make(chan revoke.Request, 3)
	ch <- revoke.Request{Token: "a"}
	ch <- revoke.Request{Token: "b"}
	close(ch)
	var got []string
	for r := range FromChannel(ch) {
		got = append(got, r.Token)
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("got %v", got)
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{&revoke.Error{Kind: revoke.ErrRateLimited}, "rate_limited"},
		{&revoke.Error{Kind: revoke.ErrServer}, "server_error"},
		{&revoke.Error{Kind: revoke.ErrRedirect}, "redirect"},
		{&revoke.Error{Kind: errors.New("revoke: gone away")}, "gone_away"},
		{&revoke.Error{Kind: errors.New("revoke: Token abc.DEF leaked")}, "error"},
		{&revoke.Error{Kind: errors.New("not a revoke sentinel")}, "error"},
		{revoke.ErrUnavailable, "unavailable"},
		{&revoke.ConfigError{Field: "x"}, "config"},
		{ErrStillActive, "still_active"},
		{&InputError{Code: "malformed_json"}, "malformed_json"},
		{&InputError{Code: "Bad Code"}, "invalid_input"},
		{scrub(errors.New("token xyz is bad"), "xyz"), "error"},
		{&revoke.Error{Kind: revoke.ErrUnavailable, Err: errors.New("dial tcp")}, "unavailable"},
		{errors.New("x"), "error"},
	}
	for _, tt := range tests {
		if got := Kind(tt.err); got != tt.want {
			t.Errorf("Kind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// TestReadErrorZeroAndNil: a zero or nil *ReadError prints and unwraps
// without panicking.
func TestReadErrorZeroAndNil(t *testing.T) {
	var nilErr *ReadError
	for _, e := range []*ReadError{{}, nilErr, {Line: 3, Err: io.ErrUnexpectedEOF}} {
		msg := e.Error()
		if !strings.HasPrefix(msg, "bulk: ") {
			t.Errorf("Error() = %q", msg)
		}
		_ = e.Unwrap()
	}
	if got := (&ReadError{Line: 3, Err: io.ErrUnexpectedEOF}).Error(); got != "bulk: reading the input after line 3: unexpected EOF" {
		t.Errorf("Error() = %q", got)
	}
}
