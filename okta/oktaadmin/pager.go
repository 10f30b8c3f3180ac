package oktaadmin

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// MaxListLimit is the largest page size Okta accepts for token lists.
//
// Okta reference: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserOAuth/#tag/UserOAuth/operation/listRefreshTokensForUserAndClient
const MaxListLimit = 200

// ListOptions are the query parameters of the token lists.
//
// Okta reference: https://developer.okta.com/docs/api/#pagination
type ListOptions struct {
	// Limit is the page size, 1 to MaxListLimit (limit). Zero sends no
	// limit, leaving Okta's default: 20 for a user's tokens; for an
	// authorization server's tokens the spec's default is -1 (Okta's
	// choice).
	Limit int
	// ExpandScope includes each token's scope objects in
	// RefreshToken.Embedded (expand=scope).
	ExpandScope bool
	// After resumes a listing after the page whose Page.NextCursor it is
	// (after). It is opaque: pass it back unchanged.
	After string
}

// query validates o and renders its query parameters. dflt describes what
// Limit 0 means for the operation.
func (o ListOptions) query(method, dflt string) (url.Values, error) {
	if o.Limit < 0 || o.Limit > MaxListLimit {
		return nil, &revoke.ConfigError{Field: "oktaadmin.Admin." + method + ": ListOptions.Limit", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%d is out of range: use 1 to %d, or 0 for %s", o.Limit, MaxListLimit, dflt)}
	}
	if strings.IndexFunc(o.After, unicode.IsControl) >= 0 {
		return nil, &revoke.ConfigError{Field: "oktaadmin.Admin." + method + ": ListOptions.After", Kind: revoke.ErrInvalidRequest,
			Problem: "contains a control character: pass Page.NextCursor back unchanged"}
	}
	q := url.Values{}
	if o.ExpandScope {
		q.Set("expand", "scope")
	}
	if o.After != "" {
		q.Set("after", o.After)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	return q, nil
}

// Page is one page of a list, as Okta's Link-header pagination delivers it.
//
// Okta reference: https://developer.okta.com/docs/api/#pagination
type Page[T any] struct {
	// Items are the page's entries, in Okta's order.
	Items []T
	// NextCursor is the "after" value of the Link rel="next" header: pass it
	// as ListOptions.After to continue after this page, now or later. It is
	// empty on the last page.
	NextCursor string
	// RateLimit is what the response said about its rate-limit bucket, or
	// nil.
	RateLimit *revoke.RateLimit
	// Attempts is 1 plus the number of retries it took to fetch the page.
	Attempts int
	// RequestID is Okta's X-Okta-Request-Id for the page.
	RequestID string
}

// failPages yields err and stops.
func failPages[T any](err error) iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) { yield(nil, err) }
}

// listPages fetches first and then every page its Link rel="next" headers
// lead to, one request per page, as the consumer asks for them. It stops
// with a *revoke.Error, without another request, when a next link leads to
// a page already fetched or repeats a cursor already followed (a server
// that loops), and after a.maxPages pages (a server that links on without
// end).
func listPages[T any](a *Admin, ctx context.Context, op operation, first *url.URL) iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) {
		seen := map[string]bool{}
		cursors := map[string]bool{}
		if c := first.Query().Get("after"); c != "" {
			cursors[c] = true
		}
		pages := 0
		for u := first; u != nil; {
			seen[pageKey(u)] = true
			resp, err := a.send(ctx, op, u, true)
			if err != nil {
				yield(nil, err)
				return
			}
			pages++
			page := &Page[T]{RateLimit: resp.RateLimit, Attempts: resp.Attempts, RequestID: resp.RequestID}
			if err := decodeBody(op, u, resp, &page.Items); err != nil {
				yield(nil, err)
				return
			}
			next, err := a.nextPage(op, u, resp.Header)
			stop := func(why string) error {
				return &revoke.Error{Op: op.opName(), Endpoint: adapter.Endpoint(u), StatusCode: resp.StatusCode, Attempts: resp.Attempts, RequestID: resp.RequestID,
					Kind: revoke.ErrUnexpectedResponse, Description: why}
			}
			if err == nil && next != nil {
				cursor := next.Query().Get("after")
				switch {
				case seen[pageKey(next)]:
					err = stop("the Link rel=\"next\" header leads back to a page already fetched: stopping instead of looping")
				case cursor != "" && cursors[cursor]:
					err = stop("the Link rel=\"next\" header repeats a cursor already followed: stopping instead of looping")
				case pages >= a.maxPages:
					err = stop(fmt.Sprintf("stopped after %d pages, the most one iteration fetches (Config.MaxPages), although the server links to more: "+
						"raise Config.MaxPages if the list really is that long, or resume later from the last Page.NextCursor", pages))
				default:
					page.NextCursor = cursor
					if cursor != "" {
						cursors[cursor] = true
					}
				}
			}
			if !yield(page, nil) {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			u = next
		}
	}
}

// pageKey identifies a page: its path and its query parameters in key
// order, so that a link that only reorders the query is the same page.
func pageKey(u *url.URL) string {
	return u.EscapedPath() + "?" + u.Query().Encode()
}

// pageItems flattens pages into their items, stopping with the context's
// error as soon as ctx is done.
func pageItems[T any](ctx context.Context, op operation, pages iter.Seq2[*Page[T], error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		for page, err := range pages {
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if err := ctx.Err(); err != nil {
					yield(zero, ctxError(op, nil, err))
					return
				}
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// collect gathers every item of every page.
func collect[T any](pages iter.Seq2[*Page[T], error]) ([]T, error) {
	var out []T
	for page, err := range pages {
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
	}
	if out == nil {
		out = []T{}
	}
	return out, nil
}

// nextPage returns the URL of the next page from the Link headers of a
// response to cur, or nil on the last page. A next link to another scheme or
// host than the org's is refused: the credentials go only to the org.
func (a *Admin) nextPage(op operation, cur *url.URL, h http.Header) (*url.URL, error) {
	target, ok := linkNext(h.Values("Link"))
	if !ok {
		return nil, nil
	}
	refuse := func(why string) error {
		return &revoke.Error{Op: op.opName(), Endpoint: adapter.Endpoint(cur), Kind: revoke.ErrUnexpectedResponse,
			Description: "the Link rel=\"next\" header " + why + ": not followed, so the credentials never leave for another place"}
	}
	ref, err := url.Parse(target)
	if err != nil {
		return nil, refuse("is not a valid URI reference")
	}
	next := cur.ResolveReference(ref)
	next.Fragment, next.RawFragment = "", ""
	switch {
	case next.User != nil:
		return nil, refuse("carries user info")
	case !strings.EqualFold(next.Scheme, a.base.Scheme):
		return nil, refuse(fmt.Sprintf("switches the scheme from %s to %s", a.base.Scheme, next.Scheme))
	case !sameHost(next, a.base):
		return nil, refuse(fmt.Sprintf("points to host %q, not the org %q", next.Host, a.base.Host))
	}
	next.Scheme, next.Host = a.base.Scheme, a.base.Host
	return next, nil
}

// sameHost compares hosts case-insensitively, with default ports made
// explicit.
func sameHost(a, b *url.URL) bool {
	return strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}

// linkNext returns the target of the first link whose relation types include
// "next" in the given Link header field values (RFC 8288 §3):
//
//	Link       = #link-value
//	link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
//	link-param = token BWS [ "=" BWS ( token / quoted-string ) ]
//
// Several links may share a field, separated by commas (which may also
// appear inside the URI and in quoted strings); rel may list several
// space-separated relation types, compared case-insensitively; only the
// first rel parameter of a link counts (RFC 8288 §3.3). Malformed link-values
// are skipped. The target is returned as written, unresolved.
func linkNext(values []string) (string, bool) {
	for _, v := range values {
		if t, ok := findLink(v, "next"); ok {
			return t, true
		}
	}
	return "", false
}

func findLink(s, rel string) (string, bool) {
	i, n := 0, len(s)
	for i < n {
		for i < n && (isOWS(s[i]) || s[i] == ',') {
			i++
		}
		if i >= n {
			break
		}
		if s[i] != '<' {
			i = skipTo(s, i, ",")
			continue
		}
		end := strings.IndexByte(s[i+1:], '>')
		if end < 0 {
			return "", false
		}
		target := strings.TrimSpace(s[i+1 : i+1+end])
		i += end + 2
		relSeen, match := false, false
		for {
			for i < n && isOWS(s[i]) {
				i++
			}
			if i >= n || s[i] == ',' {
				break
			}
			if s[i] != ';' {
				i = skipTo(s, i, ";,")
				continue
			}
			i++
			for i < n && isOWS(s[i]) {
				i++
			}
			start := i
			for i < n && isTokenChar(s[i]) {
				i++
			}
			name := s[start:i]
			for i < n && isOWS(s[i]) {
				i++
			}
			value := ""
			if i < n && s[i] == '=' {
				i++
				for i < n && isOWS(s[i]) {
					i++
				}
				if i < n && s[i] == '"' {
					value, i = quotedString(s, i)
				} else {
					start := i
					for i < n && s[i] != ';' && s[i] != ',' && !isOWS(s[i]) {
						i++
					}
					value = s[start:i]
				}
			}
			if strings.EqualFold(name, "rel") && !relSeen {
				relSeen = true
				for _, r := range strings.Fields(value) {
					if strings.EqualFold(r, rel) {
						match = true
					}
				}
			}
		}
		if match && target != "" {
			return target, true
		}
	}
	return "", false
}

// quotedString reads the quoted-string starting at s[i] == '"' and returns
// its unescaped content and the index after the closing quote (or the end).
func quotedString(s string, i int) (string, int) {
	var b strings.Builder
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), i + 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), i
}

// skipTo advances from i, past quoted strings, to the next byte in stops
// (or the end). It always advances at least one byte.
func skipTo(s string, i int, stops string) int {
	if i < len(s) && s[i] == '"' {
		_, i = quotedString(s, i)
	} else {
		i++
	}
	for i < len(s) && strings.IndexByte(stops, s[i]) < 0 {
		if s[i] == '"' {
			_, i = quotedString(s, i)
			continue
		}
		i++
	}
	return i
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// isTokenChar reports whether c is an RFC 9110 tchar.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// ctxError reports a cancelled or expired context the way the adapter kit
// does: errors.Is(err, context.Canceled) sees through it.
func ctxError(op operation, u *url.URL, err error) error {
	return &revoke.Error{Op: op.opName(), Endpoint: adapter.Endpoint(u), Kind: revoke.ErrUnavailable, Err: err}
}
