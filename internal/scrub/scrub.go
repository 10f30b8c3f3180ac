// Package scrub removes secrets from text a server sent back, in every
// encoding a server is known to echo them in, before anything is cut to
// length.
//
// A server may echo a token or a credential in an error description, an
// HTML error page or a header: as sent, URL- or form-encoded, in base64
// (standard or URL alphabet, padded or not, and inside a longer base64 run
// such as a Basic header), JSON-escaped (with or without HTML escaping,
// "\/" for "/", \uXXXX for non-ASCII), HTML-escaped, or with its white
// space normalised or wrapped over lines. Matching ignores white space in
// both the secret and the text, so the last two need no variants.
package scrub

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Marker replaces every secret found.
const Marker = "[REDACTED]"

// MinNeedle is the shortest pattern searched for: a shorter one would match
// ordinary text. Secrets are refused at construction below 8 bytes, so
// every variant of an accepted secret is at least this long.
const MinNeedle = 6

// Scrubber finds the secrets of one call in text. The zero value scrubs
// nothing. It is built only on the error path, so building it may cost.
type Scrubber struct {
	needles [][]byte
}

// New returns a Scrubber for secrets and all their encodings.
func New(secrets ...string) *Scrubber {
	s := &Scrubber{}
	seen := map[string]bool{}
	add := func(v string) {
		n := skeleton(v)
		if len(n) < MinNeedle || seen[string(n)] {
			return
		}
		seen[string(n)] = true
		s.needles = append(s.needles, n)
	}
	for _, sec := range secrets {
		if len(strings.TrimSpace(sec)) == 0 {
			continue
		}
		for _, v := range variants(sec) {
			add(v)
		}
	}
	// Longest first, so a secret inside another (a token inside a header)
	// does not leave the rest of the longer one behind.
	sortByLenDesc(s.needles)
	return s
}

func sortByLenDesc(n [][]byte) {
	for i := 1; i < len(n); i++ {
		for j := i; j > 0 && len(n[j]) > len(n[j-1]); j-- {
			n[j], n[j-1] = n[j-1], n[j]
		}
	}
}

// variants lists the encodings of secret a server may echo.
func variants(secret string) []string {
	out := []string{secret}
	for _, v := range []string{url.QueryEscape(secret), url.PathEscape(secret)} {
		out = append(out, v, lowerHex(v))
	}
	out = append(out, html.EscapeString(secret))
	out = append(out, jsonVariants(secret)...)
	raw := []byte(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out = append(out, enc.EncodeToString(raw))
	}
	out = append(out, base64Cores(raw)...)
	return out
}

// lowerHex lower-cases the hex digits of percent escapes.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonVariants lists the ways a JSON encoder may escape secret inside a
// string literal, quotes removed: with or without HTML escaping of <, >
// and &, with or without "\/" for "/", with non-ASCII runes as they are or
// as \uXXXX in either letter case.
func jsonVariants(secret string) []string {
	var bases []string
	if b, err := json.Marshal(secret); err == nil { // HTML-safe escaping
		bases = append(bases, string(b[1:len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(secret) == nil {
		plain := strings.TrimSuffix(buf.String(), "\n")
		bases = append(bases, plain[1:len(plain)-1])
	}
	var out []string
	for _, b := range bases {
		for _, v := range []string{b, asciiEscape(b, false), asciiEscape(b, true)} {
			out = append(out, v, strings.ReplaceAll(v, "/", `\/`))
		}
	}
	return out
}

// asciiEscape writes every non-ASCII rune as \uXXXX (UTF-16 surrogates
// above the BMP), as Java and many other encoders do.
func asciiEscape(s string, upper bool) string {
	const lowerDigits, upperDigits = "0123456789abcdef", "0123456789ABCDEF"
	digits := lowerDigits
	if upper {
		digits = upperDigits
	}
	var b strings.Builder
	unit := func(u rune) {
		b.WriteString(`\u`)
		for shift := 12; shift >= 0; shift -= 4 {
			b.WriteByte(digits[(u>>shift)&0xf])
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			unit(0xd800 + (r >> 10))
			unit(0xdc00 + (r & 0x3ff))
		default:
			unit(r)
		}
	}
	return b.String()
}

// base64Cores lists, for each alphabet and for the secret starting 1 and 2
// bytes into a longer base64 run, the characters that encode only the
// secret's bytes: a substring that appears whatever surrounds the secret.
func base64Cores(raw []byte) []string {
	var out []string
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for shift := 1; shift <= 2; shift++ {
			padded := append(make([]byte, shift), raw...)
			s := enc.EncodeToString(padded)
			// Characters 0..k-1 depend on the padding bytes; the final
			// partial group depends on what follows the secret.
			start := (shift*8 + 5) / 6
			end := (len(padded) * 8) / 6
			if end-start >= MinNeedle {
				out = append(out, s[start:end])
			}
		}
		// Aligned, followed by more bytes: drop the final partial group.
		s := enc.EncodeToString(raw)
		if end := (len(raw) * 8) / 6; end >= MinNeedle {
			out = append(out, s[:end])
		}
	}
	return out
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// skeleton removes white space.
func skeleton(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			out = append(out, s[i])
		}
	}
	return out
}

// String replaces every secret in text with Marker.
func (s *Scrubber) String(text string) string {
	if s == nil || len(s.needles) == 0 || text == "" {
		return text
	}
	out, changed := s.scrub([]byte(text))
	if !changed {
		return text
	}
	return string(out)
}

// Bytes is String for a byte slice; it returns b itself when nothing
// matched.
func (s *Scrubber) Bytes(b []byte) []byte {
	if s == nil || len(s.needles) == 0 || len(b) == 0 {
		return b
	}
	out, _ := s.scrub(b)
	return out
}

// scrub matches the needles against the text with its white space removed
// and replaces the original spans, white space included.
func (s *Scrubber) scrub(text []byte) ([]byte, bool) {
	skel := make([]byte, 0, len(text))
	pos := make([]int32, 0, len(text))
	for i, c := range text {
		if !isSpace(c) {
			skel = append(skel, c)
			pos = append(pos, int32(i))
		}
	}
	// covered marks skeleton positions already redacted.
	covered := make([]bool, len(skel))
	var spans [][2]int
	for _, n := range s.needles {
		for from := 0; from+len(n) <= len(skel); {
			i := bytes.Index(skel[from:], n)
			if i < 0 {
				break
			}
			i += from
			j := i + len(n)
			if !covered[i] || !covered[j-1] {
				for k := i; k < j; k++ {
					covered[k] = true
				}
				spans = append(spans, [2]int{int(pos[i]), int(pos[j-1]) + 1})
			}
			from = i + 1
		}
	}
	if len(spans) == 0 {
		return text, false
	}
	spans = merge(spans)
	out := make([]byte, 0, len(text))
	last := 0
	for _, sp := range spans {
		out = append(out, text[last:sp[0]]...)
		out = append(out, Marker...)
		last = sp[1]
	}
	return append(out, text[last:]...), true
}

// merge sorts spans and joins those that overlap or touch.
func merge(spans [][2]int) [][2]int {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j][0] < spans[j-1][0]; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp[0] <= last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// Line makes s a single line of valid UTF-8 of at most n bytes, followed by
// "…" when it was cut: control characters become spaces, runs of white
// space one space, invalid UTF-8 U+FFFD. Scrub before calling it.
func Line(s string, n int) string {
	if !needsLine(s, n) {
		return s
	}
	var b strings.Builder
	gap := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == ' ' || r == '\u2028' || r == '\u2029' {
			gap = b.Len() > 0
			continue
		}
		need := utf8.RuneLen(r)
		if gap {
			need++
		}
		if b.Len()+need > n {
			return b.String() + "…"
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// needsLine reports whether Line would change s.
func needsLine(s string, n int) bool {
	if len(s) > n || !utf8.ValidString(s) {
		return true
	}
	prevSpace := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return true
		}
		if r == ' ' {
			if prevSpace {
				return true
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return prevSpace && s != ""
}
