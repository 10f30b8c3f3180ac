package oktaadmin

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
)

func TestLinkNext(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		want   string // "" for none
	}{
		{"Okta: self and next as two fields", []string{
			`<https://o.okta.com/api/v1/users/u/clients/c/tokens?limit=2>; rel="self"`,
			`<https://o.okta.com/api/v1/users/u/clients/c/tokens?after=oar2&limit=2>; rel="next"`,
		}, "https://o.okta.com/api/v1/users/u/clients/c/tokens?after=oar2&limit=2"},
		{"one field, comma separated", []string{`<https://a/1>; rel="self", <https://a/2>; rel="next"`}, "https://a/2"},
		{"unquoted rel", []string{`<https://a/2>; rel=next`}, "https://a/2"},
		{"upper-case REL and NEXT", []string{`<https://a/2>; REL="NEXT"`}, "https://a/2"},
		{"relation list", []string{`<https://a/2>; rel="prev next"`}, "https://a/2"},
		{"extra params before rel", []string{`<https://a/2>; title="a; b, c"; type=application/json; rel="next"`}, "https://a/2"},
		{"comma and semicolon inside the URI", []string{`<https://a/p;x=1?q=a,b>; rel="self", <https://a/n;y?q=c,d>; rel="next"`}, "https://a/n;y?q=c,d"},
		{"whitespace everywhere", []string{"  <https://a/2>\t ;\trel = \"next\"  ,  "}, "https://a/2"},
		{"escaped quote in title", []string{`<https://a/1>; title="say \"rel=next\"", <https://a/2>; rel="next"`}, "https://a/2"},
		{"first rel counts, later ignored", []string{`<https://a/1>; rel="self"; rel="next", <https://a/2>; rel="next"`}, "https://a/2"},
		{"next-archive is not next", []string{`<https://a/1>; rel="next-archive"`}, ""},
		{"relative reference", []string{`</api/v1/users/u/clients?after=x>; rel="next"`}, "/api/v1/users/u/clients?after=x"},
		{"no next", []string{`<https://a/1>; rel="self"`}, ""},
		{"empty", nil, ""},
		{"garbage before a link", []string{`junk; rel="next", <https://a/2>; rel="next"`}, "https://a/2"},
		{"unterminated URI", []string{`<https://a/2; rel="next"`}, ""},
		{"empty URI", []string{`<>; rel="next"`}, ""},
		{"rel without value", []string{`<https://a/1>; rel, <https://a/2>; rel="next"`}, "https://a/2"},
		{"unterminated quoted string", []string{`<https://a/1>; rel="next`}, "https://a/1"},
		{"link-extension junk after params", []string{`<https://a/1>; rel="self" garbage, <https://a/2>;rel=next`}, "https://a/2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := linkNext(tc.values)
			if ok != (tc.want != "") || got != tc.want {
				t.Errorf("linkNext(%q) = %q, %v; want %q", tc.values, got, ok, tc.want)
			}
		})
	}
}

// FuzzLinkNext checks that the parser never panics or loops, only returns
// text present in its input, and finds the target of a well-formed next
// link whatever surrounds it.
func FuzzLinkNext(f *testing.F) {
	f.Add(`<https://o.okta.com/api/v1/users/u/clients/c/tokens?after=oar2&limit=2>; rel="next"`, "https://x/y?after=1")
	f.Add(`<https://a/1>; rel="self", <https://a/2>; rel="next"`, "/relative?after=a,b")
	f.Add(`<https://a/1>; title="a \" , <b>"; rel=next`, "https://a/p;x=1")
	f.Add(`junk;;;,,,<<>>; rel=`, "")
	f.Add(`<`, "u")
	f.Add(`"`, "\"")
	f.Fuzz(func(t *testing.T, header, target string) {
		got, ok := linkNext([]string{header})
		if ok && (got == "" || !strings.Contains(header, got)) {
			t.Fatalf("linkNext(%q) = %q: not a part of the input", header, got)
		}
		if strings.ContainsAny(target, "<>") || strings.TrimSpace(target) == "" {
			return
		}
		want := strings.TrimSpace(target)
		for _, h := range []string{
			"<" + target + `>; rel="next"`,
			`<https://self>; rel="self", <` + target + `>; title="t, \"x\""; rel="prev next"`,
			`<https://self>;rel=self,<` + target + ">;rel=NEXT;type=x",
		} {
			if got, ok := linkNext([]string{h}); !ok || got != want {
				t.Fatalf("linkNext(%q) = %q, %v; want %q", h, got, ok, want)
			}
			// As a second header field after the fuzzed one, it is found
			// unless the fuzzed field has a next link of its own.
			got, ok := linkNext([]string{header, h})
			if !ok || (got != want && !strings.Contains(header, got)) {
				t.Fatalf("linkNext(%q, %q) = %q, %v", header, h, got, ok)
			}
		}
	})
}

func BenchmarkLinkNext(b *testing.B) {
	values := []string{
		`<https://o.okta.com/api/v1/users/00u1/clients/0oa1/tokens?limit=200&expand=scope>; rel="self"`,
		`<https://o.okta.com/api/v1/users/00u1/clients/0oa1/tokens?after=oar579Mcp7OUsNTlo0g3&limit=200&expand=scope>; rel="next"`,
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := linkNext(values); !ok {
			b.Fatal("no next link")
		}
	}
}

// TestNextLinkRefused checks that a next link to another host or scheme is
// not followed: the page before it is delivered, then the error.
func TestNextLinkRefused(t *testing.T) {
	for _, tc := range []struct{ name, link, why string }{
		{"other host", `<https://evil.example.com/api/v1/users/00u1/clients/0oa1/tokens?after=x>; rel="next"`, `points to host "evil.example.com"`},
		{"other port", `<https://dev-1234.okta.com:8443/api/v1/x?after=x>; rel="next"`, `points to host "dev-1234.okta.com:8443"`},
		{"downgrade to http", `<http://dev-1234.okta.com/api/v1/x?after=x>; rel="next"`, "switches the scheme from https to http"},
		{"scheme-relative to other host", `<//evil.example.com/x>; rel="next"`, `points to host "evil.example.com"`},
		{"user info", `<https://user:pw@dev-1234.okta.com/x>; rel="next"`, "carries user info"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			answer(mt, 200, http.Header{"Link": {tc.link}}, `[{"id":"oar1","status":"ACTIVE"}]`)
			a := newTestAdmin(t, mt)
			var pages []*Page[RefreshToken]
			var lastErr error
			for p, err := range a.ListUserClientTokenPages(context.Background(), "00u1", "0oa1", ListOptions{}) {
				if err != nil {
					lastErr = err
					continue
				}
				pages = append(pages, p)
			}
			if len(pages) != 1 || len(pages[0].Items) != 1 || pages[0].NextCursor != "" {
				t.Errorf("pages = %+v, want the first page without a cursor", pages)
			}
			var re *revoke.Error
			if !errors.As(lastErr, &re) || !errors.Is(lastErr, revoke.ErrUnexpectedResponse) || !strings.Contains(re.Description, tc.why) || !strings.Contains(re.Description, "credentials never leave") {
				t.Errorf("error = %v, want one saying %q", lastErr, tc.why)
			}
			if n := mt.GetTotalCallCount(); n != 1 {
				t.Errorf("%d requests, want 1: the link must not be followed", n)
			}
		})
	}
}

func TestNextLinkSameHostVariants(t *testing.T) {
	for _, link := range []string{
		`</api/v1/users/00u1/clients/0oa1/tokens?after=c2>; rel="next"`,
		`<https://DEV-1234.okta.com:443/api/v1/users/00u1/clients/0oa1/tokens?after=c2>; rel="next"`,
		`<https://dev-1234.okta.com/api/v1/users/00u1/clients/0oa1/tokens?after=c2#frag>; rel="next"`,
	} {
		t.Run(link, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var got []string
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				got = append(got, req.URL.String())
				resp := httpmock.NewStringResponse(200, `[{"id":"oar1"}]`)
				if len(got) == 1 {
					resp.Header.Set("Link", link)
				}
				return resp, nil
			})
			toks, err := drain(newTestAdmin(t, mt).ListUserClientTokens(context.Background(), "00u1", "0oa1", ListOptions{}))
			if err != nil || len(toks) != 2 {
				t.Fatalf("tokens %v, error %v", toks, err)
			}
			if want := testDomain + "/api/v1/users/00u1/clients/0oa1/tokens?after=c2"; len(got) != 2 || got[1] != want {
				t.Errorf("requests = %q, want the second to be %s", got, want)
			}
		})
	}
}

func TestNextLinkLoopStops(t *testing.T) {
	mt := httpmock.NewMockTransport()
	answer(mt, 200, http.Header{"Link": {`<https://dev-1234.okta.com/api/v1/users/00u1/clients/0oa1/tokens?after=same>; rel="next"`}}, `[{"id":"oar1"}]`)
	toks, err := drain(newTestAdmin(t, mt).ListUserClientTokens(context.Background(), "00u1", "0oa1", ListOptions{}))
	if !errors.Is(err, revoke.ErrUnexpectedResponse) || !strings.Contains(err.Error(), "already fetched") {
		t.Errorf("error = %v", err)
	}
	if len(toks) != 2 || mt.GetTotalCallCount() != 2 {
		t.Errorf("%d tokens in %d requests, want 2 in 2", len(toks), mt.GetTotalCallCount())
	}
}

// TestRepeatedCursorStops: a server whose next link repeats a cursor
// already followed, on a URL that differs (another limit, a reordered
// query), is stopped with a clear error instead of looping.
func TestRepeatedCursorStops(t *testing.T) {
	mt := httpmock.NewMockTransport()
	n := 0
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		n++
		resp := httpmock.NewStringResponse(200, `[{"id":"oar1"}]`)
		// after=c1, then after=c2, then c1 again with another limit.
		links := []string{"after=c1&limit=2", "limit=2&after=c2", "after=c1&limit=3"}
		if n <= len(links) {
			resp.Header.Set("Link", `</api/v1/users/00u1/clients/0oa1/tokens?`+links[n-1]+`>; rel="next"`)
		}
		return resp, nil
	})
	var cursors []string
	var lastErr error
	for p, err := range newTestAdmin(t, mt).ListUserClientTokenPages(context.Background(), "00u1", "0oa1", ListOptions{Limit: 2}) {
		if err != nil {
			lastErr = err
			continue
		}
		cursors = append(cursors, p.NextCursor)
	}
	var re *revoke.Error
	if !errors.As(lastErr, &re) || !errors.Is(lastErr, revoke.ErrUnexpectedResponse) || !strings.Contains(re.Description, "repeats a cursor") {
		t.Errorf("error = %v, want one about a repeated cursor", lastErr)
	}
	if !slices.Equal(cursors, []string{"c1", "c2", ""}) || n != 3 {
		t.Errorf("cursors %q after %d requests; want c1, c2, then the page whose link repeats c1, without a cursor, after 3", cursors, n)
	}
}

// TestMaxPagesStops: a server that links on without end, with a new cursor
// every time, is stopped after Config.MaxPages pages, without another
// request, with a clear error; DefaultMaxPages applies when MaxPages is 0.
func TestMaxPagesStops(t *testing.T) {
	endless := func(n *int) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			*n++
			resp := httpmock.NewStringResponse(200, `[{"id":"oar`+strconv.Itoa(*n)+`"}]`)
			resp.Header.Set("Link", `</api/v1/authorizationServers/aus1/clients/0oa1/tokens?after=c`+strconv.Itoa(*n)+`>; rel="next"`)
			return resp, nil
		}
	}
	mt := httpmock.NewMockTransport()
	n := 0
	mt.RegisterNoResponder(endless(&n))
	a, err := New(Config{Domain: testDomain, APIToken: testToken, MaxPages: 5}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	toks, err := drain(a.ListAuthServerClientTokens(context.Background(), "aus1", "0oa1", ListOptions{}))
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrUnexpectedResponse) || !strings.Contains(re.Description, "stopped after 5 pages") || !strings.Contains(re.Description, "MaxPages") {
		t.Errorf("error = %v, want one saying it stopped after 5 pages", err)
	}
	if len(toks) != 5 || n != 5 {
		t.Errorf("%d tokens in %d requests, want 5 in 5", len(toks), n)
	}
	// ListUserClients (no ListOptions) is bounded too.
	n = 0
	if _, err := a.ListUserClients(context.Background(), "00u1"); !errors.Is(err, revoke.ErrUnexpectedResponse) || n != 5 {
		t.Errorf("ListUserClients: %v after %d requests", err, n)
	}

	// The default is generous and documented.
	mt = httpmock.NewMockTransport()
	n = 0
	mt.RegisterNoResponder(endless(&n))
	a, err = New(Config{Domain: testDomain, APIToken: testToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, err := range a.ListAuthServerClientTokenPages(context.Background(), "aus1", "0oa1", ListOptions{}) {
		if err != nil {
			if !strings.Contains(err.Error(), "stopped after "+strconv.Itoa(DefaultMaxPages)+" pages") {
				t.Errorf("error = %v", err)
			}
			break
		}
		pages++
	}
	if pages != DefaultMaxPages || n != DefaultMaxPages {
		t.Errorf("%d pages in %d requests, want %d", pages, n, DefaultMaxPages)
	}

	if _, err := New(Config{Domain: testDomain, APIToken: testToken, MaxPages: -1}); err == nil || !strings.Contains(err.Error(), "MaxPages") {
		t.Errorf("negative MaxPages: %v", err)
	}
}

// TestZeroAndNilAdmin: every method of a nil or zero Admin returns a
// *revoke.ConfigError, never panics; iterators yield it once.
func TestZeroAndNilAdmin(t *testing.T) {
	var zero Admin
	var nilA *Admin
	ctx := context.Background()
	for name, a := range map[string]*Admin{"zero": &zero, "nil": nilA} {
		errs := map[string]error{}
		_, errs["ListUserClients"] = a.ListUserClients(ctx, "u")
		_, errs["RevokeUserGrants"] = a.RevokeUserGrants(ctx, "00u1")
		_, errs["GetUserClientToken"] = a.GetUserClientToken(ctx, "00u1", "0oa1", "oar1", false)
		_, errs["ClearUserSessions"] = a.ClearUserSessions(ctx, "00u1", SessionOptions{})
		_, errs["RevokeAllUserTokens"] = a.RevokeAllUserTokens(ctx, "00u1")
		_, errs["ListUserClientTokens"] = drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{}))
		_, errs["ListAuthServerClientTokenPages"] = drain(a.ListAuthServerClientTokenPages(ctx, "aus1", "0oa1", ListOptions{}))
		for m, err := range errs {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(ce.Problem, "oktaadmin.New") {
				t.Errorf("%s Admin: %s: %v, want a ConfigError", name, m, err)
			}
		}
		if a.Domain() != "" {
			t.Errorf("%s Admin: Domain() = %q", name, a.Domain())
		}
		if _, ok := a.RateLimit("GET x"); ok {
			t.Errorf("%s Admin: RateLimit reports something", name)
		}
	}
}
