// Package errbody parses the error bodies of every vendor this module talks
// to, whatever the Content-Type header claims (WSO2 labels JSON text/html).
//
// Shapes understood (see shared reference vendors.md §5):
//   - RFC 6749 §5.2 JSON {"error","error_description","error_uri"} (plus Hydra's
//     "error_hint"), or the same fields form-encoded;
//   - Okta {"errorCode","errorSummary","errorLink","errorId","errorCauses"};
//   - OneLogin {"status":{"error","code","type","message"}} and the flat form;
//   - Microsoft Graph {"error":{"code","message"}}; GitHub and Auth0 management
//     {"message",...}; Slack {"ok":false,"error"}; X {"errors":[{"code","message"}]}.
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

// Shape names the body layout Parse recognised.
type Shape string

// Recognised shapes.
const (
	ShapeNone     Shape = ""         // empty or unrecognised body
	ShapeOAuth    Shape = "oauth"    // RFC 6749 JSON
	ShapeForm     Shape = "form"     // RFC 6749 fields form-encoded
	ShapeOkta     Shape = "okta"     // Okta management error
	ShapeOneLogin Shape = "onelogin" // OneLogin status envelope (nested or flat)
	ShapeGraph    Shape = "graph"    // {"error":{"code","message"}}
	ShapeMessage  Shape = "message"  // {"message": ...}
	ShapeSlack    Shape = "slack"    // {"ok":false,"error":...}
	ShapeErrors   Shape = "errors"   // {"errors":[{"code","message"}]}
)

// Body is what an error body said. Fields the body did not carry are zero.
type Body struct {
	Shape       Shape
	Code        string   // error / errorCode / envelope type / graph code
	Description string   // error_description / errorSummary / message
	URI         string   // error_uri / errorLink / documentation_url
	RequestID   string   // errorId
	Causes      []string // errorCauses[].errorSummary
	// OneLogin envelope fields.
	EnvelopeError  bool // the envelope's "error" boolean
	EnvelopeStatus int  // the envelope's "code"
	// Empty is true when the body was empty or whitespace.
	Empty bool
}

// MaxField bounds each string field kept from a body.
const MaxField = 512

// Parse reads body in any of the known shapes. It never panics and never
// fails: an unrecognised body yields Shape "" (see Excerpt).
func Parse(body []byte) Body {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return Body{Empty: true}
	}
	if trimmed[0] == '{' {
		if b, ok := parseJSON(trimmed); ok {
			return b
		}
		return Body{}
	}
	if b, ok := parseForm(trimmed); ok {
		return b
	}
	return Body{}
}

func parseJSON(data []byte) (Body, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return Body{}, false
	}
	// Okta management error.
	if raw, ok := m["errorCode"]; ok {
		b := Body{Shape: ShapeOkta, Code: str(raw), Description: str(m["errorSummary"]), URI: str(m["errorLink"]), RequestID: str(m["errorId"])}
		var causes []struct {
			ErrorSummary string `json:"errorSummary"`
		}
		if json.Unmarshal(m["errorCauses"], &causes) == nil {
			for i, c := range causes {
				if i == 16 {
					break
				}
				if c.ErrorSummary != "" {
					b.Causes = append(b.Causes, clip(c.ErrorSummary))
				}
			}
		}
		return b, true
	}
	// OneLogin nested envelope.
	if raw, ok := m["status"]; ok && len(bytes.TrimSpace(raw)) > 0 && bytes.TrimSpace(raw)[0] == '{' {
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			if b, ok := oneLogin(inner); ok {
				return b, true
			}
		}
	}
	if raw, ok := m["error"]; ok {
		t := bytes.TrimSpace(raw)
		switch {
		case len(t) > 0 && t[0] == '"':
			if okRaw, isSlack := m["ok"]; isSlack && string(bytes.TrimSpace(okRaw)) == "false" {
				return Body{Shape: ShapeSlack, Code: str(raw)}, true
			}
			b := Body{Shape: ShapeOAuth, Code: str(raw), Description: str(m["error_description"]), URI: str(m["error_uri"])}
			if b.Description == "" {
				b.Description = str(m["message"]) // Auth0 management {"statusCode","error","message"}
			}
			if hint := str(m["error_hint"]); hint != "" && b.Description != "" && !strings.Contains(b.Description, hint) {
				b.Description = clip(b.Description + " " + hint)
			}
			return b, true
		case len(t) > 0 && (t[0] == 't' || t[0] == 'f'):
			// OneLogin flat envelope {"error":bool,"code","type","message"}.
			if b, ok := oneLogin(m); ok {
				return b, true
			}
		case len(t) > 0 && t[0] == '{':
			var g struct {
				Code    any    `json:"code"`
				Message string `json:"message"`
			}
			if json.Unmarshal(t, &g) == nil {
				return Body{Shape: ShapeGraph, Code: clip(anyString(g.Code)), Description: clip(g.Message)}, true
			}
		}
	}
	if raw, ok := m["errors"]; ok {
		var list []struct {
			Code    any    `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
			return Body{Shape: ShapeErrors, Code: clip(anyString(list[0].Code)), Description: clip(list[0].Message)}, true
		}
	}
	if raw, ok := m["message"]; ok {
		return Body{Shape: ShapeMessage, Description: str(raw), URI: str(m["documentation_url"])}, true
	}
	return Body{}, false
}

func oneLogin(m map[string]json.RawMessage) (Body, bool) {
	var isErr bool
	if json.Unmarshal(m["error"], &isErr) != nil {
		return Body{}, false
	}
	var code int
	_ = json.Unmarshal(m["code"], &code)
	return Body{Shape: ShapeOneLogin, EnvelopeError: isErr, EnvelopeStatus: code, Code: str(m["type"]), Description: str(m["message"])}, true
}

func parseForm(data []byte) (Body, bool) {
	if !bytes.Contains(data, []byte("error=")) || bytes.ContainsAny(data, "<>\n") {
		return Body{}, false
	}
	v, err := url.ParseQuery(string(data))
	if err != nil || v.Get("error") == "" {
		return Body{}, false
	}
	return Body{Shape: ShapeForm, Code: clip(v.Get("error")), Description: clip(v.Get("error_description")), URI: clip(v.Get("error_uri"))}, true
}

// str decodes a JSON string (or renders a number/bool) bounded to MaxField.
func str(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return clip(s)
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		return clip(anyString(v))
	}
	return ""
}

func anyString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// clip bounds s to MaxField bytes on a rune boundary and drops control
// characters so a hostile body cannot forge log lines.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) <= MaxField {
		return s
	}
	cut := MaxField
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Excerpt returns a bounded, single-line excerpt of an unrecognised body
// (an HTML error page, truncated JSON): runs of whitespace and control
// characters become one space, each run of invalid UTF-8 one U+FFFD, and the
// result is cut on a rune boundary to at most n bytes, followed by "…" when
// the body had more. It reads only as much of body as the excerpt needs and
// allocates at most n bytes, however large the body.
func Excerpt(body []byte, n int) string {
	var b strings.Builder
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
				gap = b.Len() > 0
				continue
			}
		}
		need := utf8.RuneLen(r)
		if gap {
			need++
		}
		if b.Len()+need > n {
			return b.String() + "…"
		}
		if b.Len() == 0 {
			b.Grow(min(n, len(body)))
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
