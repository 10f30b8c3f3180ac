package scrub_test

import (
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/scrub"
)

// tricky holds every character some encoder escapes and another does not:
// the HTML-sensitive ones, '+', '/', '=', '*', '~', a backtick, a space
// and a non-ASCII rune.
const tricky = "k+y/<a>&'\"`*~ z=é-0123"

// moreEchoes are encodings of tricky that servers write and that no single
// variant of the secret spells out: each encoder escapes its own set of
// characters, in its own letter case.
var moreEchoes = []struct{ name, echo string }{
	{"ASP.NET JSON, upper-case \\u00XX", `k\u002By/\u003Ca\u003E\u0026\u0027\u0022\u0060*~ z=\u00E9-0123`},
	{"ASP.NET JSON, lower-case \\u00xx", `k\u002by/\u003ca\u003e\u0026\u0027\u0022\u0060*~ z=\u00e9-0123`},
	{"Gson JSON (= and ' escaped)", `k+y/\u003ca\u003e\u0026\u0027\"` + "`" + `*~ z\u003dé-0123`},
	{"PHP JSON_HEX_* (\\/ and upper hex)", `k+y\/\u003Ca\u003E\u0026\u0027\u0022` + "`" + `*~ z=\u00e9-0123`},
	{"every character as \\u00XX", `\u006b\u002b\u0079\u002f\u003c\u0061\u003e\u0026\u0027\u0022\u0060\u002a\u007e\u0020\u007a\u003d\u00e9\u002d\u0030\u0031\u0032\u0033`},
	{"HTML named entities", "k+y/&lt;a&gt;&amp;&apos;&quot;`*~ z=é-0123"},
	{"HTML named entities, upper case", "k+y/&LT;a&GT;&AMP;'&QUOT;`*~ z=é-0123"},
	{"HTML5 named entities for punctuation", "k&plus;y&sol;&lt;a&gt;&amp;&apos;&quot;&grave;&ast;~ z&equals;é-0123"},
	{"HTML hex entities (.NET HtmlEncoder)", "k&#x2B;y&#x2F;&#x3C;a&#x3E;&#x26;&#x27;&#x22;&#x60;*~ z&#x3D;&#xE9;-0123"},
	{"HTML decimal entities with zeros (PHP)", "k+y/&lt;a&gt;&amp;&#039;&quot;`*~ z=&#233;-0123"},
	{"Java URLEncoder (* raw, ~ escaped, space as +)", "k%2By%2F%3Ca%3E%26%27%22%60*%7E+z%3D%C3%A9-0123"},
	{"lower-case percent hex, space as %20", "k%2by%2f%3ca%3e%26%27%22%60%2a~%20z%3d%c3%a9-0123"},
	{"double URL-encoded", url.QueryEscape(url.QueryEscape(tricky))},
	{"double URL-encoded, path style", url.PathEscape(url.PathEscape(tricky))},
	{"ASP.NET JSON inside a URL", url.QueryEscape(`k\u002By/\u003Ca\u003E\u0026\u0027\u0022\u0060*~ z=\u00E9-0123`)},
	{"JSON inside HTML", `k+y/\u003ca\u003e\u0026&#39;\&quot;` + "`" + `*~ z=é-0123`},
	{"HTML inside JSON", `k+y/\u0026lt;a\u0026gt;\u0026amp;'\"` + "`" + `*~ z=é-0123`},
	{"white space wrapped inside escapes' neighbours", "k\\u002By/\r\n \\u003Ca\\u003E&amp; '\"`*~ z=\\u00E9-0123"},
}

// TestScrubMoreEncodings: each encoding of a secret is replaced by exactly
// one Marker, and nothing around it changes.
func TestScrubMoreEncodings(t *testing.T) {
	sc := scrub.New(tricky)
	for _, tc := range moreEchoes {
		t.Run(tc.name, func(t *testing.T) {
			text := "before [" + tc.echo + "] after"
			if got, want := sc.String(text), "before ["+scrub.Marker+"] after"; got != want {
				t.Errorf("String(%q)\n = %q\nwant %q", text, got, want)
			}
		})
	}
}

// TestScrubEncodedBase64: a base64 value URL- or HTML-encoded (its '+', '/'
// and '=' escaped) is found like the value itself.
func TestScrubEncodedBase64(t *testing.T) {
	header := "Basic " + base64.StdEncoding.EncodeToString([]byte("client:p>ss+w?rd~??")) // "...A+c3...ZH4/Pw=="
	sc := scrub.New(header, header[len("Basic "):])
	b64 := header[len("Basic "):]
	for _, echo := range []string{
		url.QueryEscape(b64),
		strings.NewReplacer("%2B", "%2b", "%2F", "%2f", "%3D", "%3d").Replace(url.QueryEscape(b64)),
		strings.NewReplacer("+", "&#43;", "/", "&#47;", "=", "&#61;").Replace(b64),
		strings.NewReplacer("+", `\u002B`, "=", `\u003D`).Replace(b64),
	} {
		text := "authorization=" + echo + "&x=1"
		if got, want := sc.String(text), "authorization="+scrub.Marker+"&x=1"; got != want {
			t.Errorf("String(%q) = %q; want %q", text, got, want)
		}
	}
}

// TestScrubEscapesAreNotSecrets: decoding escapes to look for secrets
// never changes text that holds none, and never redacts the text around
// an escape that only looks like a secret once decoded.
func TestScrubEscapesAreNotSecrets(t *testing.T) {
	sc := scrub.New(tricky, "tok-0123456789")
	for _, text := range []string{
		`100% &amp; \u0026 %2B &#x27; &bogus; &#xZZ; \uZZZZ \ud83d %`,
		`&#x6B;`,
		strings.Repeat(`%25`, 1000),
		`k+y/<a>&'"` + "`" + `*~ z=é-012`, // one byte short
	} {
		if got := sc.String(text); got != text {
			t.Errorf("String(%.60q) = %.60q: changed text without a secret", text, got)
		}
	}
	// An escape split across the secret's edge still yields one Marker.
	if got, want := sc.String(`[tok-012345678\u0039]`), "["+scrub.Marker+"]"; got != want {
		t.Errorf("String = %q; want %q", got, want)
	}
}

// TestScrubTruncated: text known to be cut short at its end also loses a
// trailing head of a secret, from scrub.MinNeedle bytes on, in any
// encoding, wherever the cut falls (inside an escape, a rune or a base64
// group).
func TestScrubTruncated(t *testing.T) {
	long := "tok-" + strings.Repeat("Zq9", 300)
	sc := scrub.New(long, tricky)
	aspnet := moreEchoes[0].echo
	b64 := base64.StdEncoding.EncodeToString([]byte(long))
	tests := []struct{ name, text, want string }{
		{"raw head", "bad token: " + long[:200], "bad token: " + scrub.Marker},
		{"whole secret then a head", long + " and " + long[:50], scrub.Marker + " and " + scrub.Marker},
		{"head wrapped over lines", "bad token: " + long[:40] + "\r\n " + long[40:90], "bad token: " + scrub.Marker},
		{"trailing white space after the head", "x " + long[:30] + "  \n", "x " + scrub.Marker},
		{"exactly MinNeedle bytes", "x " + long[:scrub.MinNeedle], "x " + scrub.Marker},
		{"one byte short of MinNeedle", "x " + long[:scrub.MinNeedle-1], "x " + long[:scrub.MinNeedle-1]},
		{"no head at the end", "x " + long[:30] + " y", "x " + long[:30] + " y"},
		{"base64 head", "echo " + b64[:41], "echo " + scrub.Marker},
		{"URL-encoded head cut inside an escape", "t=" + url.QueryEscape(tricky)[:17], "t=" + scrub.Marker},
		{"URL-encoded head cut after %", "t=" + url.QueryEscape(tricky)[:16], "t=" + scrub.Marker},
		{"ASP.NET head cut inside an escape", "d: " + aspnet[:25], "d: " + scrub.Marker},
		{"ASP.NET head cut after the backslash", "d: " + aspnet[:29], "d: " + scrub.Marker},
		{"HTML head cut inside an entity", "<p>" + "k+y/&lt;a&g", "<p>" + scrub.Marker},
		{"HTML head cut inside a numeric entity", "<p>" + "k&#x2B;y&#x2F;&#x3C;a&#x3", "<p>" + scrub.Marker},
		{"double URL-encoded head cut inside the inner escape", "t=" + url.QueryEscape(url.QueryEscape(tricky))[:22], "t=" + scrub.Marker},
		{"head cut inside a UTF-8 rune", "x " + tricky[:len(tricky)-len("-0123")-1], "x " + scrub.Marker},
		{"head cut inside \\u00e9", "x " + `k+y/\u003ca\u003e\u0026\u0027\"` + "`*~ z=\\u00", "x " + scrub.Marker},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := sc.Truncated(tc.text); got != tc.want {
				t.Errorf("Truncated(%q)\n = %q\nwant %q", tc.text, got, tc.want)
			}
			if got := string(sc.TruncatedBytes([]byte(tc.text))); got != tc.want {
				t.Errorf("TruncatedBytes(%q)\n = %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
	// Text read whole keeps what only looks like the start of a secret.
	if text := "expected a token like " + long[:12]; sc.String(text) != text {
		t.Errorf("String(%q) = %q; a head is redacted only from text cut short", text, sc.String(text))
	}
	var zero *scrub.Scrubber
	if got := zero.Truncated("abc " + long[:20]); got != "abc "+long[:20] {
		t.Errorf("a nil Scrubber changed the text: %q", got)
	}
}

// TestScrubSecretsThatLookEscaped: a secret holding what looks like an
// escape ("%41", "&amp;", "\b") is found as sent and in every encoding,
// however many layers deep, though decoding the text also decodes what is
// in the secret.
func TestScrubSecretsThatLookEscaped(t *testing.T) {
	for _, sec := range []string{`0\\b0000`, `p%41ss&amp;w\u0041d`, `a%25252541bcdef`, `tok\"quoted\"-01`} {
		sc := scrub.New(sec)
		js, _ := json.Marshal(sec)
		q := url.QueryEscape
		for name, echo := range map[string]string{
			"raw":                        sec,
			"URL-encoded":                q(sec),
			"URL-encoded twice":          q(q(sec)),
			"URL-encoded three times":    q(q(q(sec))),
			"URL-encoded four times":     q(q(q(q(sec)))),
			"JSON":                       string(js[1 : len(js)-1]),
			"JSON, URL-encoded":          q(string(js[1 : len(js)-1])),
			"HTML":                       html.EscapeString(sec),
			"HTML, URL-encoded twice":    q(q(html.EscapeString(sec))),
			"every character as \\u00XX": unicodeEscaped(sec),
		} {
			text := "[" + echo + "]"
			if got, want := sc.String(text), "["+scrub.Marker+"]"; got != want {
				t.Errorf("secret %q %s: String(%q) = %q; want %q", sec, name, text, got, want)
			}
		}
	}
}
