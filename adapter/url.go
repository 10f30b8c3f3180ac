package adapter

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/scrub"
)

// URL parses raw as an absolute http(s) URL for the configuration field
// field: plain http is refused except to a loopback address or "localhost"
// (or with revoke.WithInsecureHTTP); user info is refused and never
// repeated; a fragment is refused.
func (c *Client) URL(field, raw string) (*url.URL, error) {
	return parseURL(field, raw, c.s.AllowInsecureHTTP)
}

func parseURL(field, raw string, allowInsecure bool) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass an absolute https URL such as https://auth.example.com"}
	}
	shown := shownURL(raw) // never repeat a password or query written into the URL
	if strings.TrimSpace(raw) != raw || strings.ContainsFunc(raw, isControlOrSpace) {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains white space or a control character: check for a stray space or newline", shown)}
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the raw URL
		}
		if strings.Contains(raw, "@") {
			// The parser's message may quote any part of the URL, a
			// password included.
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a valid URL and seems to hold user info: pass credentials through the adapter's authentication, never in a URL", shown)}
		}
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a valid URL (%v): pass an absolute https URL", shown, err)}
	}
	if u.User != nil {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains user info (credentials): pass credentials through the adapter's authentication, never in a URL", shown)}
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not absolute: include the scheme and host, e.g. https://%s", shown, strings.TrimPrefix(shown, "//"))}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("scheme %q is not supported: use https", u.Scheme)}
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return nil, &revoke.ConfigError{Field: field, Problem: "the URL has a fragment (#...): remove it"}
	}
	if u.Scheme == "http" && !allowInsecure && !IsLoopback(u.Hostname()) {
		return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInsecureEndpoint,
			Problem: fmt.Sprintf("plain http to %s would send credentials in clear text: use https, or revoke.WithInsecureHTTP() on a network you trust", u.Host)}
	}
	return u, nil
}

// BaseURL parses a vendor base: a host name ("dev-123.okta.com"), or a
// scheme and host with an optional path prefix ("https://login.example.com").
// https is assumed when no scheme is given. A query or fragment is refused.
func (c *Client) BaseURL(field, raw string) (*url.URL, error) {
	s := raw
	if !strings.Contains(s, "://") && strings.TrimSpace(s) != "" {
		if schemeWithoutSlashes(s) {
			// "https:/user:pw@host" would parse as the host "https:" with
			// the rest, password included, in the path. The value is not
			// repeated: it may hold a password.
			return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
				Problem: "has a scheme without \"//\" after it: write https://host (or the host alone)"}
		}
		s = "https://" + s
	}
	u, err := parseURL(field, s, c.s.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q has a query (?...): pass only the scheme, host and any path prefix", shownURL(raw))}
	}
	if err := CheckHost(u.Hostname()); err != nil {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q: %v", shownURL(raw), err)}
	}
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

// schemeWithoutSlashes reports whether s starts with a URL scheme and a
// colon followed by a single slash ("https:/host"), a mistyped absolute
// URL rather than a host.
func schemeWithoutSlashes(s string) bool {
	i := strings.Index(s, ":/")
	if i <= 0 || strings.HasPrefix(s[i:], "://") {
		return false
	}
	for j, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// CheckHost accepts DNS names made of letters, digits and hyphens, and IP
// literals.
func CheckHost(h string) error {
	if h == "" {
		return errors.New("has no host: pass a host name such as auth.example.com")
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	if len(h) > 253 {
		return fmt.Errorf("host is %d characters long, more than a DNS name may have (253)", len(h))
	}
	for _, label := range strings.Split(h, ".") {
		switch {
		case label == "":
			return fmt.Errorf("host %q has an empty label: check for a doubled or trailing dot", h)
		case len(label) > 63:
			return fmt.Errorf("host %q has a label longer than 63 characters", h)
		case strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-"):
			return fmt.Errorf("host %q has a label starting or ending with '-'", h)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("host %q contains %q, which a host name cannot", h, c)
			}
		}
	}
	return nil
}

// shownURL is raw as an error may repeat it: user info redacted, and the
// query and fragment, which may carry credentials, left out.
func shownURL(raw string) string {
	s := redactUserinfo(raw)
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i] + "?" + revoke.Redacted
	}
	return s
}

// redactUserinfo hides the user info of a raw URL, which may not parse:
// everything before the last '@' after the scheme, since a password may
// itself hold '/', '?' or '#'.
func redactUserinfo(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	} else if strings.HasPrefix(raw, "//") {
		prefix, rest = "//", raw[2:]
	}
	if k := strings.LastIndex(rest, "@"); k >= 0 {
		return prefix + revoke.Redacted + "@" + rest[k+1:]
	}
	return raw
}

// IsLoopback reports whether host is a literal loopback address
// (127.0.0.0/8, ::1) or exactly "localhost". Names under .localhost are
// not: they are looked up in DNS.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// JoinPath appends path segments to base's path with exactly one slash
// between them. Segments are used as given: check them first.
func JoinPath(base *url.URL, segs ...string) *url.URL {
	u := *base
	p := strings.TrimRight(u.Path, "/")
	for _, s := range segs {
		p += "/" + strings.Trim(s, "/")
	}
	u.Path, u.RawPath = p, ""
	return &u
}

// Endpoint renders a URL as errors show it: scheme, host and path, never
// the query, fragment or user info.
func Endpoint(u *url.URL) string { return endpoint(u) }

// CheckCredential refuses an empty value, or one with white space at
// either end or a control character, which could not travel in a header
// and is almost always a copy-and-paste mistake. The value itself never
// appears in the error: it may be a secret. what says what to pass.
func CheckCredential(field, value, what string) error {
	switch {
	case value == "":
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass " + what}
	case strings.TrimSpace(value) == "":
		return &revoke.ConfigError{Field: field, Problem: "is only white space: pass " + what}
	case strings.TrimSpace(value) != value:
		return &revoke.ConfigError{Field: field, Problem: "has leading or trailing white space: check for a stray space or newline from the file or variable it came from"}
	case strings.ContainsFunc(value, isControl):
		return &revoke.ConfigError{Field: field, Problem: "contains a control character: check for a stray newline from the file or variable it came from"}
	}
	return nil
}

// CheckSecret is CheckCredential for a secret, which must also be at
// least revoke.MinSecretBytes long, white space not counted, to be
// scrubbed safely from echoed text: the scrubber ignores white space, so
// only the other bytes tell an echoed secret from ordinary text.
func CheckSecret(field, value, what string) error {
	if err := CheckCredential(field, value, what); err != nil {
		return err
	}
	switch n := scrub.Len(value); {
	case n >= revoke.MinSecretBytes:
		return nil
	case n == len(value):
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long, shorter than %d: a secret that short cannot be kept out of echoed error text; pass the real value", n, revoke.MinSecretBytes)}
	default:
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long without its white space (%d with it), shorter than %d: white space does not count, because servers normalise it in echoed error text and the SDK ignores it when keeping the secret out of that text; pass the real value", n, len(value), revoke.MinSecretBytes)}
	}
}

// maxSegment bounds an identifier placed in a URL path.
const maxSegment = 256

// CheckSegment refuses an identifier that cannot be one URL path segment
// as it is: empty, "." or "..", too long, not UTF-8, or holding '/', '?',
// '#', '%', '\', white space or a control character. The value is never
// repeated (a caller may have passed a token by mistake); example shows
// what a valid one looks like.
func CheckSegment(field, value, example string) error {
	switch {
	case value == "":
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass it as the vendor shows it, e.g. " + example}
	case value == "." || value == "..":
		return &revoke.ConfigError{Field: field, Problem: "is a relative path segment: pass it as the vendor shows it, e.g. " + example}
	case len(value) > maxSegment:
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long, more than %d: pass the identifier, not a token or URL", len(value), maxSegment)}
	case !utf8.ValidString(value):
		return &revoke.ConfigError{Field: field, Problem: "is not valid UTF-8: pass it as the vendor shows it, e.g. " + example}
	}
	for i, r := range value {
		switch {
		case strings.ContainsRune(`/?#%\`, r):
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains %q at byte %d, which would change the request path: pass the bare identifier, e.g. %s", r, i, example)}
		case unicode.IsSpace(r) || isControl(r):
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains a space or control character at byte %d: check for stray white space or a newline", i)}
		}
	}
	return nil
}

// isControl matches C0 and C1 controls, DEL, and the replacement rune an
// invalid UTF-8 byte decodes to: a credential holds none of them.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError
}

func isControlOrSpace(r rune) bool { return isControl(r) || unicode.IsSpace(r) }
