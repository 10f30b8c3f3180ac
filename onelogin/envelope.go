package onelogin

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// envelope is OneLogin's status object, which the v1 documentation shows
// nested, {"status":{"error","code","type","message"}}, and the OpenAPI
// description (schema Error) shows flat, {"error","code","type","message"}.
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
type envelope struct {
	Nested bool // found under "status"
	// HasError reports whether the "error" boolean was present; the
	// OpenAPI schema makes only code and message required.
	HasError bool
	Error    bool
	Code     int // 0 when absent
	Type     string
	Message  string
}

// failed reports whether the envelope describes a failure: its "error" is
// true, or its code is present and not 2xx (a contradictory envelope is a
// failure, never a success).
func (e envelope) failed() bool {
	return e.Error || (e.Code != 0 && (e.Code < 200 || e.Code > 299))
}

// bodyKind is what parseEnvelope found.
type bodyKind int

const (
	bodyOther    bodyKind = iota // not a OneLogin envelope (HTML, truncated JSON, another shape)
	bodyEmpty                    // empty or whitespace only
	bodyEnvelope                 // a nested or flat envelope
)

// maxText bounds each string kept from an envelope.
const maxText = 512

// parseEnvelope reads a OneLogin status envelope in either shape. It never
// panics and never fails: anything else is bodyOther. An object is an
// envelope when it has a boolean "error" or a numeric "code" between 100 and
// 599; a string "error" (the RFC 6749 shape) is not an envelope.
func parseEnvelope(body []byte) (envelope, bodyKind) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return envelope{}, bodyEmpty
	}
	if trimmed[0] != '{' {
		return envelope{}, bodyOther
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(trimmed, &top) != nil {
		return envelope{}, bodyOther
	}
	if raw, ok := top["status"]; ok {
		var inner map[string]json.RawMessage
		if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &inner) == nil {
			if env, ok := envelopeFields(inner); ok {
				env.Nested = true
				return env, bodyEnvelope
			}
		}
	}
	if env, ok := envelopeFields(top); ok {
		return env, bodyEnvelope
	}
	return envelope{}, bodyOther
}

func envelopeFields(m map[string]json.RawMessage) (envelope, bool) {
	var env envelope
	if raw, ok := m["error"]; ok {
		if json.Unmarshal(raw, &env.Error) != nil {
			return envelope{}, false // {"error":"invalid_request"} is the OAuth shape
		}
		env.HasError = true
	}
	if raw, ok := m["code"]; ok {
		code, ok := statusCode(raw)
		if !ok {
			return envelope{}, false
		}
		env.Code = code
	}
	if !env.HasError && env.Code == 0 {
		return envelope{}, false
	}
	env.Type = text(m["type"])
	env.Message = text(m["message"])
	return env, true
}

// statusCode reads an HTTP status sent as a JSON number or numeric string.
func statusCode(raw json.RawMessage) (int, bool) {
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, false
		}
		f = float64(n)
	}
	if f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, false
	}
	return int(f), true
}

// text decodes a JSON string (a number or boolean is rendered), as a single
// bounded line: control characters become spaces and runs of white space
// collapse, so a hostile body cannot forge log lines.
func text(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		s = strconv.FormatBool(x)
	default:
		return ""
	}
	return oneLine(s, maxText)
}

// oneLine makes s a single line of valid UTF-8 of at most n bytes (plus an
// ellipsis when cut).
func oneLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// normalize lower-cases a message and collapses its white space, for
// matching OneLogin's documented messages.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
