package scrub_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke/internal/scrub"
)

// secret holds characters every encoding changes: '/', '+', '=', '<',
// '&', a space, a non-ASCII rune and one outside the BMP.
const secret = "s3cr/t+v=l<u&e é 😀-0123"

// echoes lists the ways servers were seen to echo a value.
func echoes(s string) map[string]string {
	ascii := func(upper bool) string {
		var b strings.Builder
		for _, r := range s {
			if r < 0x80 {
				b.WriteRune(r)
				continue
			}
			enc := func(u rune) {
				h := "0123456789abcdef"
				if upper {
					h = "0123456789ABCDEF"
				}
				b.WriteString(`\u`)
				for sh := 12; sh >= 0; sh -= 4 {
					b.WriteByte(h[(u>>sh)&0xf])
				}
			}
			if r > 0xffff {
				r -= 0x10000
				enc(0xd800 + r>>10)
				enc(0xdc00 + r&0x3ff)
			} else {
				enc(r)
			}
		}
		return b.String()
	}
	js, _ := json.Marshal(s)
	jsInner := string(js[1 : len(js)-1])
	wrapped := func(v string, n int) string {
		var b strings.Builder
		for i := 0; i < len(v); i += n {
			b.WriteString(v[i:min(i+n, len(v))])
			b.WriteString("\r\n ")
		}
		return b.String()
	}
	std := base64.StdEncoding.EncodeToString([]byte(s))
	return map[string]string{
		"raw":                      s,
		"query-escaped":            url.QueryEscape(s),
		"path-escaped":             url.PathEscape(s),
		"lower-case percent hex":   strings.ToLower(url.QueryEscape(s)),
		"HTML-escaped":             html.EscapeString(s),
		"JSON with HTML escaping":  jsInner,
		"JSON with escaped slash":  strings.ReplaceAll(jsInner, "/", `\/`),
		"JSON ASCII lower hex":     ascii(false),
		"JSON ASCII upper hex":     ascii(true),
		"base64 std padded":        std,
		"base64 std raw":           base64.RawStdEncoding.EncodeToString([]byte(s)),
		"base64 url padded":        base64.URLEncoding.EncodeToString([]byte(s)),
		"base64 url raw":           base64.RawURLEncoding.EncodeToString([]byte(s)),
		"in a Basic header, 1 off": base64.StdEncoding.EncodeToString([]byte("i:" + s)),
		"in a Basic header, 2 off": base64.StdEncoding.EncodeToString([]byte("id:" + s)),
		"in a Basic header, 3 off": base64.StdEncoding.EncodeToString([]byte("ida:" + s + ":more")),
		"in base64url, 1 off":      base64.RawURLEncoding.EncodeToString([]byte("{" + s + "}")),
		"white space collapsed":    strings.Join(strings.Fields(s), " "),
		"white space removed":      strings.Join(strings.Fields(s), ""),
		"wrapped at 8 columns":     wrapped(s, 8),
		"base64 wrapped (MIME)":    wrapped(std, 5),
	}
}

func TestScrubEveryEcho(t *testing.T) {
	sc := scrub.New(secret)
	for name, echo := range echoes(secret) {
		t.Run(name, func(t *testing.T) {
			text := "before [" + echo + "] after"
			got := sc.String(text)
			if !strings.Contains(got, scrub.Marker) {
				t.Fatalf("nothing scrubbed from %q: got %q", text, got)
			}
			if !strings.HasPrefix(got, "before [") || !strings.HasSuffix(got, "] after") {
				t.Errorf("text around the secret was damaged: %q", got)
			}
			// What is left must hold no long run of the echo.
			for i := 0; i+8 <= len(echo); i++ {
				if run := echo[i : i+8]; strings.TrimSpace(run) == run && strings.Contains(got, run) {
					t.Errorf("%q survives in %q", run, got)
					break
				}
			}
		})
	}
}

func TestScrubLeavesOtherTextAlone(t *testing.T) {
	sc := scrub.New(secret)
	for _, text := range []string{"", "nothing to see", "s3cr", "invalid_client: client authentication failed", strings.Repeat("abc ", 1000)} {
		if got := sc.String(text); got != text {
			t.Errorf("String(%.40q) = %.40q: changed text without a secret", text, got)
		}
	}
	var zero *scrub.Scrubber
	if got := zero.String("abc " + secret); got != "abc "+secret {
		t.Errorf("a nil Scrubber changed the text: %q", got)
	}
}

func TestScrubSeveralSecretsAndOverlaps(t *testing.T) {
	tok := "tok-0123456789abcdef"
	header := "Basic " + base64.StdEncoding.EncodeToString([]byte("client:"+secret))
	sc := scrub.New(tok, secret, header)
	text := "got " + header + " and " + tok + tok + " and " + url.QueryEscape(secret)
	got := sc.String(text)
	for _, s := range []string{tok, secret, header, url.QueryEscape(secret), header[6:]} {
		if strings.Contains(got, s) {
			t.Errorf("%q survives: %q", s, got)
		}
	}
	if !strings.HasPrefix(got, "got ") || !strings.Contains(got, " and ") {
		t.Errorf("surrounding text lost: %q", got)
	}
}

func TestScrubSkipsNeedlesTooShort(t *testing.T) {
	// A blank or one-letter "secret" must not wipe out ordinary text.
	sc := scrub.New("", " ", "a")
	if got := sc.String("a cat sat"); got != "a cat sat" {
		t.Errorf("String = %q", got)
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"plain", 100, "plain"},
		{"a\r\nb\tc\x1bd", 100, "a b c d"},
		{"  lead and trail  ", 100, "lead and trail"},
		{"abcdef", 3, "abc…"},
		{"aé", 2, "a…"},
		{"ok\xffend", 100, "ok\uFFFDend"},
		{"x\u2028y\u0085z", 100, "x y z"},
	}
	for _, tc := range tests {
		if got := scrub.Line(tc.in, tc.n); got != tc.want {
			t.Errorf("Line(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

// FuzzScrub: a secret of at least 8 bytes, echoed raw or encoded between
// any text, never survives scrubbing; a head of it that ends a text cut
// short never survives Truncated; and the result of Line is a bounded
// single line of valid UTF-8.
//
// Encodings that are found only by decoding the text (every character as
// \u00XX, HTML references, Java's URLEncoder, double URL-encoding) are set
// apart from the text around them by a NUL, which no escape holds: what
// surrounds an echo could otherwise join its first or last characters into
// an escape of its own.
func FuzzScrub(f *testing.F) {
	f.Add("prefix ", "tok-0123456789", " suffix", uint8(0))
	f.Add("", "p@ss:w+rd%/= x", "", uint8(3))
	f.Add("100%", "k+y/<a>&'\"`*~ z=é-0123", "&amp", uint8(4))
	f.Add("&#x", "%41%42%43%44%45%46%47", "\\u", uint8(6))
	f.Add("", "&amp;amp;&lt;\\u0026x", "", uint8(8))
	f.Fuzz(func(t *testing.T, before, sec, after string, enc uint8) {
		if scrub.Len(sec) < 8 || !utf8.ValidString(sec) {
			return
		}
		exact := []string{sec, url.QueryEscape(sec), base64.StdEncoding.EncodeToString([]byte(sec)), base64.RawURLEncoding.EncodeToString([]byte(sec))}
		decoded := []string{unicodeEscaped(sec), htmlReferences(sec), javaURLEncoded(sec), url.QueryEscape(url.QueryEscape(sec))}
		sc := scrub.New(sec)
		var echo, text string
		if i := int(enc) % (len(exact) + len(decoded)); i < len(exact) {
			echo = exact[i]
			text = before + echo + after
		} else {
			if scrub.DecodedLen(sec) < scrub.MinNeedle {
				return // a secret made of escapes is found as written only
			}
			echo = decoded[i-len(exact)]
			text = before + "\x00" + echo + "\x00" + after
		}
		got := sc.String(text)
		if strings.Contains(got, echo) {
			t.Fatalf("echo %q survives in %q", echo, got)
		}
		// Cut the raw secret short at the end of a text.
		if cut := sec[:len(sec)*int(enc)/255]; scrub.Len(cut) >= scrub.MinNeedle {
			if got := sc.Truncated(before + cut); strings.HasSuffix(got, cut) {
				t.Fatalf("head %q survives in %q", cut, got)
			}
		}
		line := scrub.Line(got, 64)
		if len(line) > 64+len("…") || !utf8.ValidString(line) || strings.ContainsAny(line, "\r\n") {
			t.Fatalf("Line = %q", line)
		}
	})
}

// unicodeEscaped writes every character but a letter or digit as \u00XX,
// upper-case, and other runes as \uXXXX (surrogate pairs beyond the BMP).
func unicodeEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04X\u%04X`, 0xd800+r>>10, 0xdc00+r&0x3ff)
		default:
			fmt.Fprintf(&b, `\u%04X`, r)
		}
	}
	return b.String()
}

// htmlReferences writes the XML five as named references and every other
// ASCII punctuation character as a hex reference.
func htmlReferences(s string) string {
	named := map[rune]string{'&': "&amp;", '<': "&lt;", '>': "&gt;", '"': "&quot;", '\'': "&apos;"}
	var b strings.Builder
	for _, r := range s {
		switch {
		case named[r] != "":
			b.WriteString(named[r])
		case r < 0x80 && r > ' ' && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			fmt.Fprintf(&b, "&#x%X;", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// javaURLEncoded is java.net.URLEncoder's form encoding: letters, digits
// and ".-*_" as they are, a space as '+', every other byte as %XX.
func javaURLEncoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(".-*_", c) >= 0:
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
