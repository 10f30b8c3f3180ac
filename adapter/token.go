package adapter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
)

// An adapter that calls a vendor's management API with an access token
// gets the token from an oauth2.TokenSource: one the caller passes, or one
// the adapter builds for a client credentials grant. The kit holds what
// every such adapter does the same way; which token types a vendor takes
// and how it classifies a failed grant stay with the adapter.

// TokenCache keeps the one access token of a token source that fetches its
// own (an OAuth 2.0 client credentials grant): callers wait for one fetch
// at a time, each within its own context, and each gets its own copy of
// the token. The zero value is ready once Op and URL are set; do not copy
// a TokenCache after first use. It prints as its fields: the token is not
// one of them.
type TokenCache struct {
	// Op and URL name the token request in the error of a caller whose
	// context ends while it waits for another caller's fetch.
	Op  string
	URL *url.URL
	// Margin is how long before its expiry a cached token is replaced.
	Margin time.Duration
	// KeepUndated keeps a token without an expiry until Forget; by
	// default such a token is fetched again on every call.
	KeepUndated bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	once sync.Once
	sem  chan struct{}
	// tok is guarded by sem. It is an atomic.Pointer rather than a plain
	// pointer so that printing a copy of a TokenCache value (which fmt
	// does field by field, bypassing Format) shows an address, never the
	// token.
	tok atomic.Pointer[oauth2.Token]
}

// Time returns c's clock: Now(), or time.Now() when Now is nil.
func (c *TokenCache) Time() time.Time {
	if c == nil || c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c *TokenCache) lock(ctx context.Context) error {
	c.once.Do(func() { c.sem = make(chan struct{}, 1) })
	select {
	case c.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return &revoke.Error{Op: c.Op, Endpoint: Endpoint(c.URL), Kind: revoke.ErrUnavailable, Err: ctx.Err()}
	}
}

func (c *TokenCache) unlock() { <-c.sem }

// Token returns a copy of the cached token while it is valid for longer
// than Margin, or calls fetch with ctx, caches its token and returns a
// copy. A caller waits for another's fetch only as long as ctx allows;
// then it gets a *revoke.Error matching revoke.ErrUnavailable that wraps
// ctx.Err(). fetch's error is returned as it is, and nothing is cached.
// A nil TokenCache is a *revoke.ConfigError.
func (c *TokenCache) Token(ctx context.Context, fetch func(context.Context) (*oauth2.Token, error)) (*oauth2.Token, error) {
	if c == nil || fetch == nil {
		return nil, &revoke.ConfigError{Field: "adapter.TokenCache", Problem: "is nil or has no fetch function: build the token source with its New function", Kind: revoke.ErrInvalidRequest}
	}
	if err := c.lock(ctx); err != nil {
		return nil, err
	}
	defer c.unlock()
	if t := c.tok.Load(); t != nil && ((c.KeepUndated && t.Expiry.IsZero()) || t.Expiry.After(c.Time().Add(c.Margin))) {
		cp := *t
		return &cp, nil
	}
	tok, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, &revoke.Error{Op: c.Op, Endpoint: Endpoint(c.URL), Kind: revoke.ErrUnexpectedResponse, Description: "the token request returned no token"}
	}
	c.tok.Store(tok)
	cp := *tok
	return &cp, nil
}

// Forget drops the cached token if its access token is accessToken, so
// that the next call fetches a new one: the vendor refused it before its
// expiry (it was revoked). It waits for a fetch under way.
func (c *TokenCache) Forget(accessToken string) {
	if c == nil {
		return
	}
	_ = c.lock(context.Background())
	if t := c.tok.Load(); t != nil && t.AccessToken == accessToken {
		c.tok.Store(nil)
	}
	c.unlock()
}

// tokenContexter is implemented by token sources that fetch with the
// caller's context, as this module's own sources do.
type tokenContexter interface {
	TokenContext(ctx context.Context) (*oauth2.Token, error)
}

// SourceToken takes an access token from src for one attempt: with
// TokenContext(ctx) when src has that method (as the token sources of
// this module do), else with Token(). src's error is returned as it is,
// for the adapter to classify. A token that is missing, or that holds
// white space or a control character and so cannot travel in a header, is
// a *revoke.ConfigError naming field and matching revoke.ErrInvalidRequest;
// so is a nil src, and a src that panics. The token's type is not
// checked: which types a vendor takes (Bearer, DPoP) is its own rule.
func SourceToken(ctx context.Context, field string, src oauth2.TokenSource) (tok *oauth2.Token, err error) {
	if src == nil {
		return nil, &revoke.ConfigError{Field: field, Problem: "is nil: pass a source of access tokens", Kind: revoke.ErrInvalidRequest}
	}
	defer func() {
		if p := recover(); p != nil {
			tok, err = nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("panicked (%T): check the source, and that it was built with its constructor", p), Kind: revoke.ErrInvalidRequest}
		}
	}()
	if tc, ok := src.(tokenContexter); ok {
		tok, err = tc.TokenContext(ctx)
	} else {
		tok, err = src.Token()
	}
	switch {
	case err != nil:
		return nil, err
	case tok == nil || tok.AccessToken == "":
		return nil, &revoke.ConfigError{Field: field, Problem: "returned no access token: check the source's configuration", Kind: revoke.ErrInvalidRequest}
	case !headerSafe(tok.AccessToken):
		return nil, &revoke.ConfigError{Field: field, Problem: "returned an access token with white space or a control character, which cannot travel in a header", Kind: revoke.ErrInvalidRequest}
	}
	return tok, nil
}

// SourceError turns the failure of a token source into the error an
// adapter returns. A *revoke.Error or *revoke.ConfigError passes through
// unchanged. Anything else becomes a *revoke.Error named op that matches
// revoke.ErrUnavailable and wraps err (the token endpoint could not be
// reached), except an *oauth2.RetrieveError, whose text repeats the token
// endpoint's whole answer: its status, error code and description are
// kept instead of it, and classify, when not nil, sets Kind from them (it
// may also rewrite the description or add a hint), as the vendor's codes
// mean.
func SourceError(op string, err error, classify func(e *revoke.Error)) error {
	var re *revoke.Error
	var ce *revoke.ConfigError
	if err == nil || errors.As(err, &re) || errors.As(err, &ce) {
		return err
	}
	e := &revoke.Error{Op: op, Kind: revoke.ErrUnavailable, Err: err}
	var oe *oauth2.RetrieveError
	if errors.As(err, &oe) {
		if oe.Response != nil {
			e.StatusCode = oe.Response.StatusCode
		}
		e.Code, e.Description, e.Err = oe.ErrorCode, oe.ErrorDescription, nil
		if classify != nil {
			classify(e)
		}
	}
	return e
}

// headerSafe reports whether an access token can follow "Bearer " in a
// header as it is.
func headerSafe(tok string) bool {
	return !strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// SetBearer presents an access token on this attempt,
// "Authorization: Bearer <token>", and registers it as a secret.
func (a *Attempt) SetBearer(token string) {
	a.Header.Set("Authorization", "Bearer "+token)
	a.Secret(token)
}

// maxExpiresIn caps expires_in, so that a server's huge value cannot
// overflow a time.Duration.
const maxExpiresIn = 1 << 31

// AccessToken reads an RFC 6749 §5.1 access token response from r's body
// (read with Call.ReadBody): access_token, token_type, and expires_in (a
// number, or a string holding one), which sets Expiry counted from now; a
// missing or non-positive expires_in leaves Expiry zero. A body without an
// access_token, or with one holding white space or a control character,
// which could not travel in a header, is a *revoke.Error matching
// revoke.ErrUnexpectedResponse that names r's call and never repeats the
// body.
func (r *Response) AccessToken(now time.Time) (*oauth2.Token, error) {
	var body struct {
		AccessToken string      `json:"access_token"`
		TokenType   string      `json:"token_type"`
		ExpiresIn   json.Number `json:"expires_in"`
	}
	fail := func(desc string) error {
		e := &revoke.Error{StatusCode: r.StatusCode, Attempts: r.Attempts, RequestID: r.RequestID, Kind: revoke.ErrUnexpectedResponse, Description: desc}
		if r.st != nil {
			e.Op, e.Endpoint = r.st.call.Op, endpoint(r.st.url)
		}
		return e
	}
	if err := json.Unmarshal(r.Body, &body); err != nil || body.AccessToken == "" {
		return nil, fail("the token response has no access_token")
	}
	if !headerSafe(body.AccessToken) {
		return nil, fail("the token response's access_token holds white space or a control character, which cannot travel in a header")
	}
	tok := &oauth2.Token{AccessToken: body.AccessToken, TokenType: body.TokenType}
	if n, err := body.ExpiresIn.Int64(); err == nil && n > 0 {
		tok.Expiry = now.Add(time.Duration(min(n, maxExpiresIn)) * time.Second)
	}
	return tok, nil
}

func (c *TokenCache) fields() [][2]string {
	if c == nil {
		return nil
	}
	return [][2]string{
		{"Op", strconv.Quote(c.Op)}, {"URL", strconv.Quote(endpoint(c.URL))},
		{"Margin", c.Margin.String()}, {"KeepUndated", strconv.FormatBool(c.KeepUndated)},
	}
}

// Format implements fmt.Formatter: a TokenCache prints what it fetches
// for, never the token it holds, with any verb.
func (c *TokenCache) Format(f fmt.State, verb rune) {
	if c == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	redact.Format(f, verb, "adapter.TokenCache", c.fields())
}

// LogValue implements slog.LogValuer without the token.
func (c *TokenCache) LogValue() slog.Value { return redact.Log(c.fields()) }

// MarshalJSON implements json.Marshaler without the token.
func (c *TokenCache) MarshalJSON() ([]byte, error) { return redact.JSON(c.fields()) }
