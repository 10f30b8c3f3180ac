// Package scrub removes secrets from text a server sent back, in every
// encoding a server is known to echo them in, before anything is cut to
// length.
//
// A server may echo a token or a credential in an error description, an
// HTML error page or a header: as sent; URL- or form-encoded (either hex
// case, '*' and '~' escaped or not, a space as '+' or %20); in base64
// (standard or URL alphabet, padded or not, and inside a longer base64 run
// such as a Basic header); JSON-escaped by any encoder (\uXXXX for any
// character, in either case, as ASP.NET, Gson and PHP write '+', '<', '&',
// quotes and more; "\/" for "/"); HTML-escaped (named, decimal or hex
// character references); any of these nested (double URL-encoding, JSON
// in a URL, HTML around JSON); or with its white space normalised or
// wrapped over lines.
//
// Matching ignores white space in both the secret and the text, so white
// space needs no variants. The common spelled-out encodings are matched as
// they are; in addition escapes are decoded, up to maxPasses layers deep,
// and the secret is looked for in the decoded text, whose matches are
// mapped back to the text the server sent. Text known to be cut short at
// its end (a body read to a bound) is scrubbed with Truncated, which also
// removes a trailing head of a secret.
package scrub

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Marker replaces every secret found.
const Marker = "[REDACTED]"

// MinNeedle is the shortest pattern searched for: a shorter one would match
// ordinary text. Secrets are refused at construction below 8 bytes (white
// space not counted), so every variant of an accepted secret is at least
// this long. It is also the shortest head of a secret that Truncated
// removes from the end of a text cut short.
const MinNeedle = 6

// maxPasses bounds how many layers of escapes are decoded: a value
// URL-encoded twice, or JSON-escaped inside a URL, takes two; a third
// covers one more wrapping (HTML around JSON in a URL). Each pass costs
// one copy of the text.
const maxPasses = 3

// Scrubber finds the secrets of one call in text. The zero value scrubs
// nothing. It is built only on the error path, so building it may cost.
type Scrubber struct {
	// raw are matched in the text with its white space removed: each
	// secret, its common spelled-out encodings and its base64 forms.
	raw needles
	// dec are matched in the text with its escapes decoded and its white
	// space removed: every variant, decoded the same way.
	dec needles
	// all is raw and dec together, for text in which decoding changes
	// nothing (most text), where one search serves both.
	all needles
}

// New returns a Scrubber for secrets and all their encodings.
func New(secrets ...string) *Scrubber {
	var raw, dec, all [][]byte
	rawSeen, decSeen, allSeen := map[string]bool{}, map[string]bool{}, map[string]bool{}
	add := func(set *[][]byte, seen map[string]bool, n []byte) {
		if len(n) < MinNeedle || seen[string(n)] {
			return
		}
		seen[string(n)] = true
		*set = append(*set, n)
		if !allSeen[string(n)] {
			allSeen[string(n)] = true
			all = append(all, n)
		}
	}
	for _, sec := range secrets {
		if len(strings.TrimSpace(sec)) == 0 {
			continue
		}
		for _, v := range variants(sec) {
			// As written, so that it is found even where decoding would
			// run the text before it into its first characters (a stray
			// "%" right before it), and decoded, which finds it in every
			// other encoding. Every level of decoding is kept, not only
			// the last: the text is decoded at most maxPasses times, so
			// an echo wrapped in more layers than v is decoded fewer
			// times past v than v is. A secret made mostly of escapes
			// may decode to too little to look for: it is found as
			// written only.
			add(&raw, rawSeen, skeleton([]byte(v)))
			for _, l := range decodeLevels([]byte(v), false) {
				add(&dec, decSeen, skeleton(l))
			}
		}
	}
	return &Scrubber{raw: newNeedles(raw), dec: newNeedles(dec), all: newNeedles(all)}
}

// needles is a set of patterns searched for in one pass over a text: a
// bitset of their first two bytes rules out almost every position at the
// cost of one load, so the time a search takes hardly depends on how many
// patterns, and so variants of secrets, there are.
type needles struct {
	list  [][]byte // sorted by key
	keys  []uint16 // key(list[i])
	first *[1 << 16 / 64]uint64
}

func key(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func newNeedles(list [][]byte) needles {
	if len(list) == 0 {
		return needles{}
	}
	slices.SortStableFunc(list, func(x, y []byte) int { return int(key(x)) - int(key(y)) })
	ns := needles{list: list, keys: make([]uint16, len(list)), first: new([1 << 16 / 64]uint64)}
	for i, n := range list {
		k := key(n)
		ns.keys[i] = k
		ns.first[k/64] |= 1 << (k % 64)
	}
	return ns
}

// find appends to spans the matches of the needles in view, in order,
// overlapping and touching ones joined; with cut, also the longest head of
// each needle that ends the view.
func (ns *needles) find(view []byte, cut bool, spans []span) []span {
	if len(ns.list) == 0 {
		return spans
	}
	first := len(spans)
	for i := 0; i+MinNeedle <= len(view); i++ {
		k := key(view[i:])
		if ns.first[k/64]&(1<<(k%64)) == 0 {
			continue
		}
		j, _ := slices.BinarySearch(ns.keys, k)
		for ; j < len(ns.keys) && ns.keys[j] == k; j++ {
			n := ns.list[j]
			if !bytes.HasPrefix(view[i:], n) {
				continue
			}
			end := i + len(n) - 1
			if last := len(spans) - 1; last >= first && i <= spans[last].b+1 {
				spans[last].b = max(spans[last].b, end)
			} else {
				spans = append(spans, span{a: i, b: end})
			}
		}
	}
	if cut {
		for _, n := range ns.list {
			if i := head(view, n); i >= 0 {
				spans = append(spans, span{a: i, toEnd: true})
			}
		}
	}
	return spans
}

// variants lists the encodings of secret a server may echo as they are
// written: as it is, URL-, form-, HTML- and JSON-escaped the way Go does
// it, and in base64. Decoding finds every other way of escaping it.
func variants(secret string) []string {
	out := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), html.EscapeString(secret)}
	if b, err := json.Marshal(secret); err == nil { // HTML-safe escaping
		out = append(out, string(b[1:len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(secret) == nil {
		plain := strings.TrimSuffix(buf.String(), "\n")
		out = append(out, plain[1:len(plain)-1])
	}
	raw := []byte(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out = append(out, enc.EncodeToString(raw))
	}
	return append(out, base64Cores(raw)...)
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

// class tells white space and the bytes that start an escape apart from
// the rest, for the loops that run over every byte of a text.
var class = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\f\v") {
		t[c] = space
	}
	for _, c := range []byte(starters) {
		t[c] = starter
	}
	return t
}()

const (
	space = 1 + iota
	starter
)

func isSpace(c byte) bool { return class[c] == space }

func isStarter(c byte) bool { return class[c] == starter }

// indexStarter is bytes.IndexAny(b, starters), without building a set on
// every call.
func indexStarter(b []byte) int {
	for i, c := range b {
		if class[c] == starter {
			return i
		}
	}
	return -1
}

// Len is the number of bytes of s that matching looks at: those that are
// not white space. A secret needs MinSecretBytes of them (see package
// revoke) to be told apart from ordinary text.
func Len(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if !isSpace(s[i]) {
			n++
		}
	}
	return n
}

// skeleton returns b with its white space removed: b itself when it has
// none.
func skeleton(b []byte) []byte {
	i := 0
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b)
	for ; i < len(b); i++ {
		if !isSpace(b[i]) {
			out = append(out, b[i])
		}
	}
	return out
}

// String replaces every secret in text with Marker.
func (s *Scrubber) String(text string) string {
	return s.str(text, false)
}

// Bytes is String for a byte slice; it returns b itself when nothing
// matched.
func (s *Scrubber) Bytes(b []byte) []byte {
	return s.bytes(b, false)
}

// Truncated is String for text known to be cut short at its end, such as
// a body read up to a bound: the cut may have fallen inside a secret, so a
// head of a secret (in any of the encodings String finds, from MinNeedle
// bytes on, the cut possibly inside an escape) that runs to the end of the
// text is replaced with Marker too, together with what follows it.
func (s *Scrubber) Truncated(text string) string {
	return s.str(text, true)
}

// TruncatedBytes is Truncated for a byte slice; it returns b itself when
// nothing matched.
func (s *Scrubber) TruncatedBytes(b []byte) []byte {
	return s.bytes(b, true)
}

func (s *Scrubber) str(text string, cut bool) string {
	if s == nil || len(s.all.list) == 0 || text == "" {
		return text
	}
	out, changed := s.scrub([]byte(text), cut)
	if !changed {
		return text
	}
	return string(out)
}

func (s *Scrubber) bytes(b []byte, cut bool) []byte {
	if s == nil || len(s.all.list) == 0 || len(b) == 0 {
		return b
	}
	out, _ := s.scrub(b, cut)
	return out
}

// span is a match: its first and last byte, or, with toEnd, a head of a
// secret running to the end of the text.
type span struct {
	a, b  int
	toEnd bool
}

// scrub finds the needles in the text with its white space removed, and
// in the text with its escapes decoded and its white space removed, maps
// the matches back to the text and replaces them, white space included.
// It allocates a few copies of the text at most (one per view) and a
// little per match, never a table per byte.
func (s *Scrubber) scrub(text []byte, cut bool) ([]byte, bool) {
	levels := decodeLevels(text, cut)
	skel := skeleton(text)
	fromSkel := func(p []point) {
		if len(skel) < len(text) {
			mapSkeleton(text, p)
		}
	}
	var spans []span
	if len(levels) == 1 {
		// Decoding changes nothing: one view serves both kinds of needle.
		spans = s.all.find(skel, cut, nil)
		mapSpans(spans, fromSkel)
	} else {
		spans = s.raw.find(skel, cut, nil)
		mapSpans(spans, fromSkel)
		last := levels[len(levels)-1]
		decSkel := skeleton(last)
		dec := s.dec.find(decSkel, cut, nil)
		mapSpans(dec, func(p []point) {
			if len(decSkel) < len(last) {
				mapSkeleton(last, p)
			}
			for k := len(levels) - 1; k >= 1; k-- {
				mapPass(levels[k-1], p)
			}
		})
		spans = append(spans, dec...)
	}
	if len(spans) == 0 {
		return text, false
	}
	for i := range spans {
		if spans[i].toEnd {
			spans[i].b = len(text) - 1
		}
	}
	spans = merge(spans)
	out := make([]byte, 0, len(text))
	next := 0
	for _, sp := range spans {
		out = append(out, text[next:sp.a]...)
		out = append(out, Marker...)
		next = sp.b + 1
	}
	return append(out, text[next:]...), true
}

// head returns where the longest proper prefix of n, of MinNeedle bytes
// or more, that ends view starts, or -1.
func head(view, n []byte) int {
	for i := max(0, len(view)-len(n)+1); i <= len(view)-MinNeedle; i++ {
		j := bytes.IndexByte(view[i:len(view)-MinNeedle+1], n[0])
		if j < 0 {
			return -1
		}
		i += j
		if bytes.HasPrefix(n, view[i:]) {
			return i
		}
	}
	return -1
}

// point is a position to map from a view to the text it came from: the
// first or the last byte of a match.
type point struct {
	pos  int
	last bool
	ref  *int
}

// mapSpans maps spans from a view to the text through mapTo, which maps
// sorted points, in place, to the positions they came from.
func mapSpans(spans []span, mapTo func([]point)) {
	if len(spans) == 0 {
		return
	}
	p := make([]point, 0, 2*len(spans))
	for i := range spans {
		sp := &spans[i]
		p = append(p, point{pos: sp.a, ref: &sp.a})
		if !sp.toEnd {
			p = append(p, point{pos: sp.b, last: true, ref: &sp.b})
		}
	}
	sortPoints(p)
	mapTo(p)
	for _, q := range p {
		*q.ref = q.pos
	}
}

func sortPoints(p []point) {
	slices.SortFunc(p, func(x, y point) int { return x.pos - y.pos })
}

// mapSkeleton maps sorted positions in skeleton(src) to positions in src.
func mapSkeleton(src []byte, p []point) {
	k, q := 0, 0
	for i := 0; i < len(src) && k < len(p); i++ {
		if isSpace(src[i]) {
			continue
		}
		for k < len(p) && p[k].pos == q {
			p[k].pos = i
			k++
		}
		q++
	}
}

// mapPass maps sorted positions in the output of one decoding pass over
// src to positions in src: a first byte to the first byte of what it was
// decoded from, a last byte to the last.
func mapPass(src []byte, p []point) {
	var buf [utf8.UTFMax]byte
	k, q := 0, 0
	for i := 0; i < len(src) && k < len(p); {
		m, n := 1, 1
		if isStarter(src[i]) {
			if dm, dn := unescape(src, i, &buf); dn > 0 {
				m, n = dm, dn
			}
		}
		for k < len(p) && p[k].pos < q+m {
			if p[k].last {
				p[k].pos = i + n - 1
			} else {
				p[k].pos = i
			}
			k++
		}
		q += m
		i += n
	}
	// A match ending inside a multi-byte rune and another starting in it
	// may have swapped places.
	sortPoints(p)
}

// merge sorts spans and joins those that overlap or touch.
func merge(spans []span) []span {
	slices.SortFunc(spans, func(x, y span) int { return x.a - y.a })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		if sp.a <= last.b+1 {
			last.b = max(last.b, sp.b)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// ---- decoding escapes ----

// starters begin every escape decoded: a percent escape, a JSON (or
// JavaScript) escape and an HTML character reference.
const starters = `%\&`

// decodeLevels returns text followed by the result of each decoding pass
// that changed something, at most maxPasses of them. With cut, each pass
// drops an escape cut short at the end.
func decodeLevels(text []byte, cut bool) [][]byte {
	levels := [][]byte{text}
	cur := text
	for range maxPasses {
		if indexStarter(cur) < 0 {
			break
		}
		next, changed := decodePass(cur, cut)
		if !changed {
			break
		}
		levels = append(levels, next)
		cur = next
	}
	return levels
}

// decodePass decodes every escape in src once. White space, escaped or
// not, is kept (and is removed with the rest before matching), so that no
// escape is ever read across it. With cut, an escape cut short at the end
// is dropped.
func decodePass(src []byte, cut bool) ([]byte, bool) {
	out := make([]byte, 0, len(src))
	changed := false
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(src); {
		j := indexStarter(src[i:])
		if j < 0 {
			out = append(out, src[i:]...)
			break
		}
		out = append(out, src[i:i+j]...)
		i += j
		m, n := unescape(src, i, &buf)
		if n == 0 {
			if cut && partial(src[i:]) {
				return out, true
			}
			out = append(out, src[i])
			i++
			continue
		}
		out = append(out, buf[:m]...)
		i += n
		changed = true
	}
	return out, changed
}

// unescape decodes the escape at src[i] into buf[:m], n being its length
// in src; n is 0 when src[i] starts none.
func unescape(src []byte, i int, buf *[utf8.UTFMax]byte) (m, n int) {
	s := src[i:]
	switch s[0] {
	case '%':
		if len(s) >= 3 && isHex(s[1]) && isHex(s[2]) {
			buf[0] = unhex(s[1])<<4 | unhex(s[2])
			return 1, 3
		}
	case '\\':
		if len(s) < 2 {
			return 0, 0
		}
		switch c := s[1]; c {
		case 'u':
			if r, n := jsonRune(s); n > 0 {
				return utf8.EncodeRune(buf[:], r), n
			}
		case 'x': // JavaScript, Python
			if len(s) >= 4 && isHex(s[2]) && isHex(s[3]) {
				buf[0] = unhex(s[2])<<4 | unhex(s[3])
				return 1, 4
			}
		case '/', '"', '\\', '\'':
			buf[0] = c
			return 1, 2
		case 'n', 'r', 't', 'f':
			buf[0] = ' ' // white space, removed before matching
			return 1, 2
		case 'b':
			buf[0] = '\b'
			return 1, 2
		}
	case '&':
		if r, n := entity(s); n > 0 {
			return utf8.EncodeRune(buf[:], r), n
		}
	}
	return 0, 0
}

// jsonRune decodes a \uXXXX escape at the start of s, and the low
// surrogate's escape after a high surrogate's. A lone surrogate is not
// decoded.
func jsonRune(s []byte) (rune, int) {
	u, ok := hex4(s)
	switch {
	case !ok:
		return 0, 0
	case u >= 0xd800 && u < 0xdc00:
		if lo, ok := hex4(s[6:]); ok && lo >= 0xdc00 && lo < 0xe000 {
			return 0x10000 + (u-0xd800)<<10 + (lo - 0xdc00), 12
		}
		return 0, 0
	case u >= 0xdc00 && u < 0xe000:
		return 0, 0
	}
	return u, 6
}

// hex4 reads `\uXXXX` at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	var u rune
	for _, c := range s[2:6] {
		if !isHex(c) {
			return 0, false
		}
		u = u<<4 | rune(unhex(c))
	}
	return u, true
}

// entities are the HTML named character references for ASCII characters
// that encoders write (the XML five, in either case where HTML allows it,
// and HTML5's names for punctuation).
var entities = map[string]rune{
	"quot": '"', "QUOT": '"', "amp": '&', "AMP": '&', "lt": '<', "LT": '<', "gt": '>', "GT": '>', "apos": '\'',
	"plus": '+', "sol": '/', "bsol": '\\', "equals": '=', "grave": '`', "ast": '*', "midast": '*', "num": '#',
	"percnt": '%', "excl": '!', "quest": '?', "commat": '@', "colon": ':', "semi": ';', "comma": ',',
	"period": '.', "lpar": '(', "rpar": ')', "lsqb": '[', "lbrack": '[', "rsqb": ']', "rbrack": ']',
	"lcub": '{', "lbrace": '{', "rcub": '}', "rbrace": '}', "verbar": '|', "vert": '|', "lowbar": '_',
	"dollar": '$', "Hat": '^', "Tab": '\t', "NewLine": '\n', "nbsp": '\u00a0',
}

// maxEntity is the longest reference decoded: "&#x" and 8 digits.
const maxEntity = 11

// entity decodes an HTML character reference at the start of s: named (see
// entities), decimal or hex, with its ';'.
func entity(s []byte) (rune, int) {
	end := bytes.IndexByte(s[:min(len(s), maxEntity+1)], ';')
	if end < 2 {
		return 0, 0
	}
	name := s[1:end]
	if name[0] != '#' {
		if r, ok := entities[string(name)]; ok {
			return r, end + 1
		}
		return 0, 0
	}
	digits, base := name[1:], rune(10)
	if len(digits) > 0 && (digits[0] == 'x' || digits[0] == 'X') {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, 0
	}
	var r rune
	for _, c := range digits {
		if base == 10 && (c < '0' || c > '9') || !isHex(c) {
			return 0, 0
		}
		r = r*base + rune(unhex(c))
	}
	if r == 0 || r > utf8.MaxRune || r >= 0xd800 && r < 0xe000 {
		return 0, 0
	}
	return r, end + 1
}

// maxPartial is the longest escape a cut can leave incomplete: a high
// surrogate's \uXXXX and 5 bytes of its low one's, or "&#x" and 8 digits.
const maxPartial = 11

// partial reports whether s, the end of a text cut short, is the start of
// an escape that the cut left incomplete.
func partial(s []byte) bool {
	if len(s) > maxPartial {
		return false
	}
	switch s[0] {
	case '%':
		return len(s) == 1 || len(s) == 2 && isHex(s[1])
	case '\\':
		switch {
		case len(s) == 1:
			return true
		case s[1] == 'x':
			return len(s) <= 3 && allHex(s[2:])
		case s[1] != 'u':
			return false
		case len(s) < 6:
			return allHex(s[2:])
		}
		// A high surrogate, complete, and the start of its low one.
		u, ok := hex4(s)
		if !ok || u < 0xd800 || u >= 0xdc00 {
			return false
		}
		rest := s[6:]
		return len(rest) == 0 || rest[0] == '\\' && (len(rest) == 1 || rest[1] == 'u' && allHex(rest[2:]))
	case '&':
		name := s[1:]
		switch {
		case len(name) == 0:
			return true
		case name[0] == '#':
			d := name[1:]
			if len(d) > 0 && (d[0] == 'x' || d[0] == 'X') {
				d = d[1:]
			}
			return len(d) <= 8 && allHex(d)
		}
		for e := range entities {
			if strings.HasPrefix(e, string(name)) {
				return true
			}
		}
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func allHex(s []byte) bool {
	for _, c := range s {
		if !isHex(c) {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
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
