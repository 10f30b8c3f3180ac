package adapter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// fetcher counts fetches and hands out tok-1, tok-2, … expiring after
// life (none when life is 0).
type fetcher struct {
	n    atomic.Int64
	now  func() time.Time
	life time.Duration
	err  error
}

func (f *fetcher) fetch(context.Context) (*oauth2.Token, error) {
	n := f.n.Add(1)
	if f.err != nil {
		return nil, f.err
	}
	t := &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n), TokenType: "Bearer"}
	if f.life > 0 {
		t.Expiry = f.now().Add(f.life)
	}
	return t, nil
}

// TestTokenCache: a token is reused until Margin before its expiry, a
// token without one only with KeepUndated, a forgotten one is fetched
// again, a failed fetch caches nothing, and each caller gets a copy.
func TestTokenCache(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		life        time.Duration
		keepUndated bool
		steps       []time.Duration // when each call happens, from start
		want        []string        // the access token each call gets
	}{
		{"reused until the margin", time.Hour, false, []time.Duration{0, 58 * time.Minute, 59 * time.Minute, 59*time.Minute + time.Second}, []string{"tok-1", "tok-1", "tok-2", "tok-2"}},
		{"replaced at expiry", 30 * time.Second, false, []time.Duration{0, 0}, []string{"tok-1", "tok-2"}},
		{"undated, fetched each time", 0, false, []time.Duration{0, time.Second}, []string{"tok-1", "tok-2"}},
		{"undated, kept", 0, true, []time.Duration{0, 240 * time.Hour}, []string{"tok-1", "tok-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := start
			clock := func() time.Time { return now }
			f := &fetcher{now: clock, life: tc.life}
			c := &adapter.TokenCache{Op: "op", Margin: time.Minute, KeepUndated: tc.keepUndated, Now: clock}
			for i, at := range tc.steps {
				now = start.Add(at)
				tok, err := c.Token(context.Background(), f.fetch)
				if err != nil {
					t.Fatal(err)
				}
				testkit.Want(t, fmt.Sprintf("token %d", i), tok.AccessToken, tc.want[i])
				tok.AccessToken = "modified by the caller"
			}
		})
	}
	t.Run("forget", func(t *testing.T) {
		f := &fetcher{now: time.Now, life: time.Hour}
		c := &adapter.TokenCache{Margin: time.Minute}
		tok, _ := c.Token(context.Background(), f.fetch)
		c.Forget("another token")
		if again, _ := c.Token(context.Background(), f.fetch); again.AccessToken != tok.AccessToken {
			t.Errorf("forgetting another token dropped %s", tok.AccessToken)
		}
		c.Forget(tok.AccessToken)
		if again, _ := c.Token(context.Background(), f.fetch); again.AccessToken != "tok-2" {
			t.Errorf("after Forget: %s, want tok-2", again.AccessToken)
		}
	})
	t.Run("a failed fetch caches nothing", func(t *testing.T) {
		boom := errors.New("boom")
		f := &fetcher{now: time.Now, life: time.Hour, err: boom}
		c := &adapter.TokenCache{}
		for range 2 {
			if _, err := c.Token(context.Background(), f.fetch); err != boom {
				t.Errorf("err = %v, want the fetch's own", err)
			}
		}
		testkit.Want(t, "fetches", f.n.Load(), int64(2))
		_, err := c.Token(context.Background(), func(context.Context) (*oauth2.Token, error) { return nil, nil })
		if !errors.Is(err, revoke.ErrUnexpectedResponse) {
			t.Errorf("a fetch returning no token: err = %v", err)
		}
	})
}

// TestTokenCacheConcurrency: concurrent callers share one fetch, and a
// caller whose context ends while another fetches stops waiting with a
// typed error.
func TestTokenCacheConcurrency(t *testing.T) {
	u := mustURL(t, newClient(t, adapter.Profile{}), base+"/token")
	c := &adapter.TokenCache{Op: "acme token", URL: u, Margin: time.Minute}
	var fetches atomic.Int64
	release := make(chan struct{})
	fetching := make(chan struct{})
	slow := func(context.Context) (*oauth2.Token, error) {
		if fetches.Add(1) == 1 {
			close(fetching)
		}
		<-release
		return &oauth2.Token{AccessToken: "shared", Expiry: time.Now().Add(time.Hour)}, nil
	}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			tok, err := c.Token(context.Background(), slow)
			if err == nil {
				got[i] = tok.AccessToken
			}
		})
	}
	<-fetching
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Token(ctx, slow)
	var e *revoke.Error
	if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnavailable) || !errors.Is(err, context.Canceled) || e.Op != "acme token" || e.Endpoint != base+"/token" {
		t.Errorf("a cancelled waiter: err = %#v", err)
	}
	close(release)
	wg.Wait()
	testkit.Want(t, "fetches", fetches.Load(), int64(1))
	for i, g := range got {
		testkit.Want(t, fmt.Sprintf("caller %d", i), g, "shared")
	}
}

// TestTokenCacheNilAndPrinting: a nil cache refuses without panicking,
// and no printing ever shows the token it holds.
func TestTokenCacheNilAndPrinting(t *testing.T) {
	var nilCache *adapter.TokenCache
	if _, err := nilCache.Token(context.Background(), (&fetcher{now: time.Now}).fetch); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil cache: err = %v", err)
	}
	if _, err := (&adapter.TokenCache{}).Token(context.Background(), nil); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil fetch: err = %v", err)
	}
	nilCache.Forget("x")
	if d := time.Since(nilCache.Time()); d < 0 || d > time.Minute {
		t.Errorf("nil cache Time = %v", nilCache.Time())
	}
	u := mustURL(t, newClient(t, adapter.Profile{}), base+"/token")
	c := &adapter.TokenCache{Op: "op", URL: u, Margin: time.Minute, KeepUndated: true}
	if _, err := c.Token(context.Background(), func(context.Context) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: testkit.Token, RefreshToken: testkit.Secret}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fields := `{"op" "https://as.example.com/token" 1m0s true}`
	for format, want := range map[string]string{
		"%v": fields, "%s": fields, "%q": fields, "%x": fields,
		"%+v": `{Op:"op" URL:"https://as.example.com/token" Margin:1m0s KeepUndated:true}`,
		"%#v": `adapter.TokenCache{Op:"op", URL:"https://as.example.com/token", Margin:1m0s, KeepUndated:true}`,
	} {
		testkit.Want(t, format, fmt.Sprintf(format, c), want)
	}
	js, _ := json.Marshal(c)
	testkit.Want(t, "JSON", string(js), `{"Op":"op","URL":"https://as.example.com/token","Margin":"1m0s","KeepUndated":"true"}`)
	testkit.Want(t, "nil %v", fmt.Sprintf("%v", nilCache), "<nil>")
	testkit.Want(t, "nil %#v", fmt.Sprintf("%#v", nilCache), "<nil>")
	for _, v := range []any{c, nilCache, &adapter.TokenCache{}} {
		out := testkit.PrintAll(v)
		testkit.NoLeak(t, "TokenCache", out, testkit.Token, testkit.Secret)
		if strings.Contains(out, "PANIC") {
			t.Errorf("printing panicked: %s", out)
		}
	}
}

// contextSource has TokenContext, which SourceToken prefers to Token.
type contextSource struct {
	tok *oauth2.Token
	err error
	ctx context.Context
}

func (s *contextSource) Token() (*oauth2.Token, error) { return nil, errors.New("Token called") }
func (s *contextSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	s.ctx = ctx
	return s.tok, s.err
}

type funcSource func() (*oauth2.Token, error)

func (f funcSource) Token() (*oauth2.Token, error) { return f() }

// TestSourceToken: the context goes to TokenContext when the source has
// it; the source's error comes back as it is; a token that is missing or
// cannot travel in a header, a nil source and a panic are configuration
// errors naming the field.
func TestSourceToken(t *testing.T) {
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "v")
	boom := errors.New("boom")
	const field = "acme.Config.TokenSource"
	tests := []struct {
		name    string
		src     oauth2.TokenSource
		want    string
		err     error
		problem string
	}{
		{"TokenContext", &contextSource{tok: &oauth2.Token{AccessToken: "a", TokenType: "DPoP"}}, "a", nil, ""},
		{"Token", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "b"}, nil }), "b", nil, ""},
		{"the source's error", funcSource(func() (*oauth2.Token, error) { return nil, boom }), "", boom, ""},
		{"the source's error, with a token", &contextSource{tok: &oauth2.Token{AccessToken: "a"}, err: boom}, "", boom, ""},
		{"no token", funcSource(func() (*oauth2.Token, error) { return nil, nil }), "", revoke.ErrInvalidRequest, "returned no access token: check the source's configuration"},
		{"empty token", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{}, nil }), "", revoke.ErrInvalidRequest, "returned no access token: check the source's configuration"},
		{"a newline", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: testkit.Token + "\n"}, nil }), "", revoke.ErrInvalidRequest,
			"returned an access token with white space or a control character, which cannot travel in a header"},
		{"a space", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "a b"}, nil }), "", revoke.ErrInvalidRequest,
			"returned an access token with white space or a control character, which cannot travel in a header"},
		{"a panic", funcSource(func() (*oauth2.Token, error) { panic(testkit.Secret) }), "", revoke.ErrInvalidRequest,
			"panicked (string): check the source, and that it was built with its constructor"},
		{"nil", nil, "", revoke.ErrInvalidRequest, "is nil: pass a source of access tokens"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := adapter.SourceToken(ctx, field, tc.src)
			if tc.err == nil {
				if err != nil || tok.AccessToken != tc.want {
					t.Fatalf("SourceToken = %v, %v; want %s", tok, err, tc.want)
				}
				if cs, ok := tc.src.(*contextSource); ok && cs.ctx != ctx {
					t.Error("TokenContext did not get the caller's context")
				}
				return
			}
			if tok != nil || !errors.Is(err, tc.err) {
				t.Fatalf("SourceToken = %v, %v; want %v", tok, err, tc.err)
			}
			if tc.problem != "" {
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) || ce.Field != field || ce.Problem != tc.problem {
					t.Errorf("err = %#v, want %q on %s", err, tc.problem, field)
				}
				testkit.NoLeak(t, tc.name, err.Error(), testkit.Secret, testkit.Token)
			}
		})
	}
}

// TestSetBearer: the token is presented as a Bearer token and scrubbed
// from what the server echoes.
func TestSetBearer(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.JSONAnswer(401, `{"error":"invalid_token","error_description":"bad token `+testkit.APIToken+`"}`))
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", Method: http.MethodGet, URL: mustURL(t, c, base+"/users"),
		Authorize: func(_ context.Context, a *adapter.Attempt) error { a.SetBearer(testkit.APIToken); return nil }})
	if err == nil {
		t.Fatal("no error for a 401")
	}
	testkit.Header(t, ep.Only(t).Header, "Authorization", "Bearer "+testkit.APIToken)
	testkit.NoLeak(t, "error", fmt.Sprintf("%+v %#v", err, err), testkit.APIToken)
}

// TestAccessToken: an RFC 6749 §5.1 answer becomes an oauth2.Token with
// its expiry counted from now; a body without a usable access_token is a
// typed error naming the call, never repeating the body.
func TestAccessToken(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		body   string
		want   oauth2.Token
		errStr string
	}{
		{"number", `{"access_token":"at","token_type":"Bearer","expires_in":3600}`, oauth2.Token{AccessToken: "at", TokenType: "Bearer", Expiry: now.Add(time.Hour)}, ""},
		{"string", `{"access_token":"at","token_type":"bearer","expires_in":"60"}`, oauth2.Token{AccessToken: "at", TokenType: "bearer", Expiry: now.Add(time.Minute)}, ""},
		{"no expiry", `{"access_token":"at"}`, oauth2.Token{AccessToken: "at"}, ""},
		{"zero expiry", `{"access_token":"at","expires_in":0}`, oauth2.Token{AccessToken: "at"}, ""},
		{"negative expiry", `{"access_token":"at","expires_in":-5}`, oauth2.Token{AccessToken: "at"}, ""},
		{"huge expiry", `{"access_token":"at","expires_in":99999999999999}`, oauth2.Token{AccessToken: "at", Expiry: now.Add((1 << 31) * time.Second)}, ""},
		{"no access_token", `{"token_type":"Bearer","secret":"` + testkit.Secret + `"}`, oauth2.Token{}, "the token response has no access_token"},
		{"not JSON", `access_token=` + testkit.Token, oauth2.Token{}, "the token response has no access_token"},
		{"a control character", `{"access_token":"a\u0000b` + testkit.Token + `"}`, oauth2.Token{}, "the token response's access_token holds white space or a control character, which cannot travel in a header"},
		{"a space", `{"access_token":"a b"}`, oauth2.Token{}, "the token response's access_token holds white space or a control character, which cannot travel in a header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &adapter.Response{StatusCode: 200, Attempts: 2, RequestID: "req-1", Body: []byte(tc.body)}
			tok, err := r.AccessToken(now)
			if tc.errStr == "" {
				if err != nil || tok.AccessToken != tc.want.AccessToken || tok.TokenType != tc.want.TokenType || !tok.Expiry.Equal(tc.want.Expiry) {
					t.Fatalf("AccessToken = %+v, %v; want %+v", tok, err, tc.want)
				}
				return
			}
			var e *revoke.Error
			if tok != nil || !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnexpectedResponse) || e.Description != tc.errStr || e.StatusCode != 200 || e.Attempts != 2 || e.RequestID != "req-1" {
				t.Fatalf("AccessToken = %v, %#v; want %q", tok, err, tc.errStr)
			}
			testkit.NoLeak(t, tc.name, fmt.Sprintf("%v %+v", err, e), testkit.Secret, testkit.Token)
		})
	}
	// From a call, the error names the call.
	ep := testkit.NewEndpoint(testkit.JSONAnswer(200, `{}`))
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	resp, err := c.Do(context.Background(), &adapter.Call{Op: "acme token", URL: mustURL(t, c, base+"/token"), ReadBody: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = resp.AccessToken(now)
	var e *revoke.Error
	if !errors.As(err, &e) || e.Op != "acme token" || e.Endpoint != base+"/token" {
		t.Errorf("err = %#v, want it to name the call", err)
	}
}

// TestSourceError: classified errors pass through; a token endpoint's
// refusal keeps its status, code and description, never the body its text
// repeats, for classify to read; anything else is revoke.ErrUnavailable.
func TestSourceError(t *testing.T) {
	const op = "acme admin token"
	classified := &revoke.Error{Op: "x", Kind: revoke.ErrInvalidClient}
	config := &revoke.ConfigError{Field: "f", Problem: "p"}
	network := errors.New("dial tcp: connection refused")
	refused := &oauth2.RetrieveError{Response: &http.Response{StatusCode: 401}, Body: []byte(`{"client_secret":"` + testkit.Secret + `"}`), ErrorCode: "invalid_client", ErrorDescription: "bad client"}
	classify := func(e *revoke.Error) {
		if e.Code == "invalid_client" {
			e.Kind = revoke.ErrInvalidClient
			e.Description += " (check the client)"
		}
	}
	tests := []struct {
		name     string
		err      error
		classify func(*revoke.Error)
		same     bool
		want     revoke.Error
		wraps    error
	}{
		{"nil", nil, classify, true, revoke.Error{}, nil},
		{"a revoke.Error", classified, classify, true, revoke.Error{}, nil},
		{"a wrapped revoke.Error", fmt.Errorf("source: %w", classified), classify, true, revoke.Error{}, nil},
		{"a ConfigError", config, classify, true, revoke.Error{}, nil},
		{"a network failure", network, classify, false, revoke.Error{Op: op, Kind: revoke.ErrUnavailable}, network},
		{"a refusal", refused, classify, false, revoke.Error{Op: op, StatusCode: 401, Code: "invalid_client", Description: "bad client (check the client)", Kind: revoke.ErrInvalidClient}, nil},
		{"a wrapped refusal, no classify", fmt.Errorf("oauth2: %w", refused), nil, false, revoke.Error{Op: op, StatusCode: 401, Code: "invalid_client", Description: "bad client", Kind: revoke.ErrUnavailable}, nil},
		{"a refusal without a response", &oauth2.RetrieveError{ErrorCode: "server_error"}, classify, false, revoke.Error{Op: op, Code: "server_error", Kind: revoke.ErrUnavailable}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := adapter.SourceError(op, tc.err, tc.classify)
			if tc.same {
				if got != tc.err {
					t.Fatalf("SourceError = %v, want %v unchanged", got, tc.err)
				}
				return
			}
			var e *revoke.Error
			if !errors.As(got, &e) {
				t.Fatalf("SourceError = %#v, want a *revoke.Error", got)
			}
			if e.Op != tc.want.Op || e.StatusCode != tc.want.StatusCode || e.Code != tc.want.Code || e.Description != tc.want.Description || e.Kind != tc.want.Kind || e.Err != tc.wraps {
				t.Errorf("SourceError = %+v, want %+v wrapping %v", *e, tc.want, tc.wraps)
			}
			testkit.NoLeak(t, tc.name, fmt.Sprintf("%v %+v %#v", got, got, got), testkit.Secret)
		})
	}
}

// TestTokenCacheValueCopyPrintsNoToken: fmt prints a copy of a TokenCache
// value field by field, without its Format method (the method has a
// pointer receiver, as the cache holds a lock); the cached token must not
// show with any verb.
func TestTokenCacheValueCopyPrintsNoToken(t *testing.T) {
	const access, refresh = "ACCESS-0123456789abcdef", "REFRESH-0123456789abcdef"
	c := &adapter.TokenCache{Op: "op"}
	if _, err := c.Token(context.Background(), func(context.Context) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: access, RefreshToken: refresh, Expiry: time.Now().Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	copied := reflect.ValueOf(c).Elem().Interface() // a copy, as fmt.Sprint(*c) makes
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		out := fmt.Sprintf(verb, copied)
		if strings.Contains(out, access) || strings.Contains(out, refresh) ||
			strings.Contains(strings.ToLower(out), strings.ToLower(fmt.Sprintf("%x", access))) {
			t.Errorf("%s of a TokenCache value shows the token: %s", verb, out)
		}
	}
}
