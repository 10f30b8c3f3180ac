// Package errbody parses RFC 6749 §5.2 error bodies, whatever the
// Content-Type header claims (WSO2 labels JSON text/html), and makes
// excerpts of bodies that fit no known shape. Vendor shapes (Okta's
// errorCode, OneLogin's status envelope, Slack's ok:false) are parsed in
// the vendor packages and handed to the adapter kit.
//
// Fields are returned whole: the kit scrubs them of secrets before it cuts
// them to length, so that a secret cut in half cannot survive.
package errbody

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Body is what an error body said. Fields the body did not carry are empty.
type Body struct {
	Code        string // error
	Description string // error_description (with Hydra's error_hint), or message
	URI         string // error_uri
}

// Parse reads an RFC 6749 §5.2 error as JSON or, as some servers send it,
// form-encoded. ok is false for anything else. It never panics.
func Parse(body []byte) (b Body, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return Body{}, false
	}
	if trimmed[0] == '{' {
		return parseJSON(trimmed)
	}
	return parseForm(trimmed)
}

// Empty reports whether body is empty or white space only.
func Empty(body []byte) bool { return len(bytes.TrimSpace(body)) == 0 }

func parseJSON(data []byte) (Body, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return Body{}, false
	}
	raw, ok := m["error"]
	if t := bytes.TrimSpace(raw); !ok || len(t) == 0 || t[0] != '"' {
		return Body{}, false
	}
	b := Body{Code: Str(raw), Description: Str(m["error_description"]), URI: Str(m["error_uri"])}
	if strings.TrimSpace(b.Code) == "" {
		// {"error":""} names no error: the body is not an RFC 6749 error.
		return Body{}, false
	}
	if b.Description == "" {
		b.Description = Str(m["message"]) // {"statusCode","error","message"}
	}
	if hint := Str(m["error_hint"]); hint != "" && !bytes.Contains([]byte(b.Description), []byte(hint)) {
		if b.Description == "" {
			b.Description = hint
		} else {
			b.Description += " " + hint
		}
	}
	return b, true
}

func parseForm(data []byte) (Body, bool) {
	if !bytes.Contains(data, []byte("error=")) || bytes.ContainsAny(data, "<>\n") {
		return Body{}, false
	}
	v, err := url.ParseQuery(string(data))
	if err != nil || strings.TrimSpace(v.Get("error")) == "" {
		return Body{}, false
	}
	return Body{Code: v.Get("error"), Description: v.Get("error_description"), URI: v.Get("error_uri")}, true
}

// Str decodes a JSON string, or renders a number or boolean; anything else
// is "".
func Str(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// Excerpt returns a bounded, single-line excerpt of an unrecognised body
// (an HTML error page, truncated JSON): runs of white space and control
// characters become one space, each run of invalid UTF-8 one U+FFFD, and
// the result is cut on a rune boundary to at most n bytes, followed by "…"
// when the body had more. It reads only as much of body as the excerpt
// needs and allocates at most n bytes, however large the body. Scrub the
// body before taking an excerpt.
func Excerpt(body []byte, n int) string {
	var b []byte
	gap, invalid := false, false
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			if invalid {
				continue
			}
			invalid = true
		} else {
			invalid = false
			if unicode.IsSpace(r) || unicode.IsControl(r) {
				gap = len(b) > 0
				continue
			}
		}
		need := utf8.RuneLen(r)
		if gap {
			need++
		}
		if len(b)+need > n {
			return string(b) + "…"
		}
		if b == nil {
			b = make([]byte, 0, min(n, len(body)))
		}
		if gap {
			b = append(b, ' ')
			gap = false
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
