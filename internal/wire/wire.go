// Package wire is the request pipeline every adapter shares: endpoint
// validation, retries on go-retryablehttp with capped, deadline-aware waits
// that honour each vendor's rate-limit signal, bounded body reads, no
// redirects, secret-free logging and classification of failures into
// *revoke.Error.
package wire

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
)

// excerptBytes bounds the body excerpt kept in an error.
const excerptBytes = 256

// drainBytes bounds how much of an unread body is discarded to let the
// connection be reused; past it the connection is closed instead.
const drainBytes = 64 << 10

// Client sends calls for one adapter. It is safe for concurrent use.
type Client struct {
	opts revoke.Options
	hc   *http.Client
	rc   *retryablehttp.Client
	ua   []string
}

// stateKey carries a call's state to the shared retry hooks.
type stateKey struct{}

func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// New builds a Client from resolved options. The caller's *http.Client is
// copied, never modified; the copy refuses redirects.
func New(o revoke.Options) *Client {
	var hc http.Client
	if o.HTTPClient != nil {
		hc = *o.HTTPClient
	} else {
		hc = http.Client{Timeout: 30 * time.Second, Transport: cleanhttp.DefaultPooledTransport()}
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &Client{opts: o, hc: &hc, ua: []string{o.UserAgent}}
	// One retryablehttp client serves every call; per-call state travels in
	// the request context. Waiting happens in checkRetry, where that state
	// is reachable, so Backoff is always zero.
	c.rc = &retryablehttp.Client{
		HTTPClient: &hc,
		RetryMax:   o.Retry.MaxRetries,
		CheckRetry: checkRetry,
		Backoff:    func(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 },
		PrepareRetry: func(req *http.Request) error {
			return stateOf(req.Context()).prepareRetry(req)
		},
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, i int) {
			stateOf(req.Context()).requestHook(req, i)
		},
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) { return resp, err },
	}
	return c
}

// Options returns the resolved options.
func (c *Client) Options() revoke.Options { return c.opts }

// Call is one logical request, possibly sent several times.
type Call struct {
	// Op names the operation in errors and logs, e.g. "okta revoke".
	Op string
	// Method is the HTTP method; URL the validated endpoint.
	Method string
	URL    *url.URL
	// Build fills in headers and returns the body for one attempt. It runs
	// once per attempt so client assertions are fresh on every retry. It may
	// be nil for a body-less request.
	Build func(ctx context.Context, h http.Header) ([]byte, error)
	// Secrets are scrubbed from anything kept from the response (error
	// descriptions, excerpts), in case a server echoes them.
	Secrets []string
	// OK reports whether a status is success. Default: any 2xx.
	OK func(status int) bool
	// KeepBody returns the success body (bounded) in Response.Body.
	KeepBody bool
	// Classify may adjust a classified error with vendor knowledge.
	Classify func(e *revoke.Error, b errbody.Body, h http.Header)
	// Header adds fixed headers (Accept, Content-Type) before Build runs.
	Header http.Header
}

// Response is a successful answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Attempts   int
	RateLimit  *revoke.RateLimit
}

// callState is what one Do call's hooks share.
type callState struct {
	c        *Client
	call     *Call
	ctx      context.Context
	body     []byte
	attempts int
	// stopWait is the wait the server asked for when it exceeded the cap or
	// the deadline, so the caller learns it through Error.RetryAfter.
	stopWait time.Duration
	buildErr error
	start    time.Time
}

// Do sends call with retries and returns the response or a *revoke.Error.
func (c *Client) Do(ctx context.Context, call *Call) (*Response, error) {
	if ctx == nil {
		return nil, &revoke.Error{Op: call.Op, Kind: revoke.ErrInvalidRequest, Err: errors.New("nil context: pass context.Background() or a request context")}
	}
	if err := ctx.Err(); err != nil {
		return nil, c.transportError(call, 0, err)
	}
	st := &callState{c: c, call: call, start: time.Now()}
	ctx = context.WithValue(ctx, stateKey{}, st)
	st.ctx = ctx
	header := st.freshHeader()
	body, err := st.build(header)
	if err != nil {
		return nil, err
	}
	st.body = body
	// Built by hand: the URL was parsed and validated once, at construction.
	hreq := (&http.Request{Method: call.Method, URL: call.URL, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Host: call.URL.Host}).WithContext(ctx)
	rreq, err := retryablehttp.FromRequest(hreq)
	if err == nil && body != nil {
		err = rreq.SetBody(retryablehttp.ReaderFunc(st.reader))
	}
	if err != nil {
		return nil, &revoke.Error{Op: call.Op, Endpoint: endpoint(call.URL), Kind: revoke.ErrInvalidRequest, Err: err}
	}
	rc := c.rc
	resp, err := rc.Do(rreq)
	if st.buildErr != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, st.buildErr
	}
	if err != nil {
		e := c.transportError(call, st.attempts, err)
		if resp != nil {
			// Interrupted while waiting to retry: keep what the server said.
			e.StatusCode = resp.StatusCode
			e.RetryAfter = st.stopWait
			resp.Body.Close()
		}
		return nil, e
	}
	return c.finish(st, resp)
}

func (st *callState) freshHeader() http.Header {
	h := make(http.Header, len(st.call.Header)+2)
	for k, v := range st.call.Header {
		h[k] = v // shared, never mutated: Set replaces the slice
	}
	h["User-Agent"] = st.c.ua
	return h
}

func (st *callState) build(h http.Header) ([]byte, error) {
	if st.call.Build == nil {
		return nil, nil
	}
	body, err := st.call.Build(st.ctx, h)
	if err != nil {
		var re *revoke.Error
		var ce *revoke.ConfigError
		if errors.As(err, &re) || errors.As(err, &ce) {
			return nil, err
		}
		return nil, &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.call.URL), Kind: revoke.ErrInvalidRequest, Err: err}
	}
	return body, nil
}

func (st *callState) reader() (io.Reader, error) {
	if st.body == nil {
		return http.NoBody, nil
	}
	return bytes.NewReader(st.body), nil
}

// requestHook runs before every attempt: it counts and logs.
func (st *callState) requestHook(req *http.Request, i int) {
	st.attempts = i + 1
	if l := st.c.opts.Logger; l != nil {
		l.LogAttrs(st.ctx, slog.LevelDebug, "revoke: sending request",
			slog.String("op", st.call.Op), slog.String("method", req.Method),
			slog.String("endpoint", endpoint(req.URL)), slog.Int("attempt", st.attempts))
	}
}

// prepareRetry rebuilds headers and body for the next attempt.
func (st *callState) prepareRetry(req *http.Request) error {
	if st.call.Build == nil {
		return nil
	}
	h := st.freshHeader()
	body, err := st.build(h)
	if err != nil {
		st.buildErr = err
		return err
	}
	st.body = body
	req.Header = h
	req.ContentLength = int64(len(body))
	return nil
}

// checkRetry decides whether to retry: connection failures, 429, 502, 503
// and 504 only, and only when the wait fits under the cap, the retry budget
// and the deadline. When it retries it waits here, draining the response
// first so the connection can be reused.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := stateOf(ctx)
	retryNo := st.attempts // the retry about to be made, if any (1-based)
	var wait time.Duration
	if err != nil {
		if !retryableNetError(err) || st.attempts > st.c.opts.Retry.MaxRetries {
			return false, err
		}
		wait = st.jitter(retryNo)
		if !st.fitsDeadline(ctx, wait) {
			return false, err
		}
	} else {
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		default:
			return false, nil
		}
		var signalled bool
		wait, signalled = ServerWait(resp.StatusCode, resp.Header, time.Now())
		if !signalled {
			wait = st.jitter(retryNo)
		}
		if wait > st.c.opts.Retry.MaxWait || !st.fitsDeadline(ctx, wait) || st.attempts > st.c.opts.Retry.MaxRetries {
			if signalled {
				st.stopWait = wait // tell the caller through Error.RetryAfter
			}
			return false, nil
		}
		drain(resp.Body)
	}
	if l := st.c.opts.Logger; l != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		l.LogAttrs(ctx, slog.LevelDebug, "revoke: retrying",
			slog.String("op", st.call.Op), slog.Int("status", status),
			slog.Duration("wait", wait), slog.Int("attempt", st.attempts))
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-t.C:
		}
	}
	return true, nil
}

// jitter is "full jitter" exponential backoff between MinBackoff and the
// exponential ceiling, capped at MaxBackoff.
func (st *callState) jitter(retryNo int) time.Duration {
	p := st.c.opts.Retry
	ceil := p.MinBackoff
	for i := 1; i < retryNo && ceil < p.MaxBackoff; i++ {
		ceil *= 2
	}
	if ceil > p.MaxBackoff {
		ceil = p.MaxBackoff
	}
	if ceil <= p.MinBackoff {
		return p.MinBackoff
	}
	return p.MinBackoff + rand.N(ceil-p.MinBackoff)
}

// fitsDeadline reports whether waiting d still leaves time for an attempt.
func (st *callState) fitsDeadline(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || time.Now().Add(d).Before(dl)
}

func retryableNetError(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalid):
		return false
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	}
	if strings.Contains(err.Error(), "unsupported protocol scheme") || strings.Contains(err.Error(), "http: server gave HTTP response to HTTPS client") {
		return false
	}
	return true
}

// finish reads the final response and turns it into a Response or an error.
func (c *Client) finish(st *callState, resp *http.Response) (*Response, error) {
	defer resp.Body.Close()
	call := st.call
	ok := call.OK
	if ok == nil {
		ok = func(s int) bool { return s >= 200 && s < 300 }
	}
	now := time.Now()
	rl := ParseRateLimit(resp.Header, now)
	if l := c.opts.Logger; l != nil {
		l.LogAttrs(st.ctx, slog.LevelDebug, "revoke: response",
			slog.String("op", call.Op), slog.Int("status", resp.StatusCode),
			slog.Int("attempts", st.attempts), slog.Duration("elapsed", time.Since(st.start)))
	}
	if ok(resp.StatusCode) {
		out := &Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: st.attempts, RateLimit: rl}
		if call.KeepBody {
			body, truncated, err := c.readBounded(resp.Body, c.opts.MaxResponseBytes)
			if err != nil {
				return nil, c.transportError(call, st.attempts, err)
			}
			if truncated {
				return nil, &revoke.Error{Op: call.Op, Endpoint: endpoint(call.URL), StatusCode: resp.StatusCode, Attempts: st.attempts, Kind: revoke.ErrUnexpectedResponse,
					Description: fmt.Sprintf("response body exceeds the %d-byte limit (raise it with revoke.WithMaxResponseBytes)", c.opts.MaxResponseBytes)}
			}
			out.Body = body
		} else {
			drain(resp.Body)
		}
		return out, nil
	}
	body, _, err := c.readBounded(resp.Body, min(c.opts.MaxResponseBytes, errorBodyBytes))
	if err != nil && st.ctx.Err() != nil {
		err = st.ctx.Err() // the deadline or cancellation cut the body short
	}
	if err != nil && len(body) == 0 {
		return nil, c.transportError(call, st.attempts, err)
	}
	e := ClassifyResponse(call.Op, call.URL, resp.StatusCode, resp.Header, body, call.Secrets)
	e.Attempts = st.attempts
	e.Err = err // nil, or why the body is incomplete (a deadline, a reset)
	if e.RetryAfter == 0 {
		e.RetryAfter = st.stopWait
	}
	if e.RetryAfter == 0 && (e.Kind == revoke.ErrRateLimited || e.Kind == revoke.ErrUnavailable) {
		if d, ok := ServerWait(resp.StatusCode, resp.Header, now); ok {
			e.RetryAfter = d
		}
	}
	if call.Classify != nil {
		call.Classify(e, errbody.Parse(body), resp.Header)
	}
	return nil, e
}

// errorBodyBytes bounds how much of an error body is read: it is parsed
// for a few fields of at most errbody.MaxField bytes and a short excerpt.
const errorBodyBytes = 64 << 10

// readBounded reads at most limit bytes, then drains a little more so the
// connection can be reused; truncated reports a longer body.
func (c *Client) readBounded(r io.Reader, limit int64) ([]byte, bool, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		drain(r)
		return body[:limit], true, nil
	}
	return body, false, err
}

func drain(r io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, drainBytes))
}

// ClassifyResponse turns an error response into a *revoke.Error: the body is
// parsed in any known shape, the sentinel chosen from the error code (so
// invalid_client matches ErrInvalidClient on 400 or 401), then from the
// status; 429 is always ErrRateLimited and 502/503/504 ErrUnavailable.
// Secrets are scrubbed from everything kept.
func ClassifyResponse(op string, u *url.URL, status int, h http.Header, body []byte, secrets []string) *revoke.Error {
	b := errbody.Parse(body)
	e := &revoke.Error{
		Op: op, Endpoint: endpoint(u), StatusCode: status,
		Code: scrub(b.Code, secrets), Description: scrub(b.Description, secrets), URI: scrub(b.URI, secrets),
		RequestID: b.RequestID,
	}
	for _, cause := range b.Causes {
		e.Causes = append(e.Causes, scrub(cause, secrets))
	}
	if e.RequestID == "" {
		for _, k := range [...]string{"X-Okta-Request-Id", "X-Request-Id", "X-Correlation-Id"} {
			if v := h.Get(k); v != "" {
				e.RequestID = errbody.Excerpt([]byte(v), 128)
				break
			}
		}
	}
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind = revoke.ErrRateLimited
	case status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		e.Kind = revoke.ErrUnavailable
	case status >= 300 && status < 400:
		e.Kind = revoke.ErrRedirect
		loc := "(no Location header)"
		if l, err := url.Parse(h.Get("Location")); err == nil && l.Host != "" {
			loc = "to host " + l.Host
		} else if err == nil && h.Get("Location") != "" {
			loc = "to a path on the same host"
		}
		e.Description = "the server redirected " + loc + "; redirects are not followed so credentials never leave for another place: configure the final endpoint URL"
	default:
		e.Kind = revoke.ClassifyCode(b.Code)
		if e.Kind == nil {
			e.Kind = revoke.ClassifyStatus(status)
		}
	}
	if b.Shape == errbody.ShapeNone && !b.Empty && e.Kind != revoke.ErrRedirect {
		e.Excerpt = scrub(errbody.Excerpt(body, excerptBytes), secrets)
	}
	return e
}

func (c *Client) transportError(call *Call, attempts int, err error) *revoke.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error repeats the URL, query string included
	}
	kind := revoke.ErrUnavailable
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) {
		kind = revoke.ErrInsecureEndpoint
	}
	return &revoke.Error{Op: call.Op, Endpoint: endpoint(call.URL), Attempts: attempts, Kind: kind, Err: err}
}

// scrub replaces every secret in s with [REDACTED].
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 && strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, revoke.Redacted)
		}
	}
	return s
}

// Scrub is scrub for adapters that keep response text themselves.
func Scrub(s string, secrets ...string) string { return scrub(s, secrets) }

// endpoint renders scheme, host and path only: never the query, fragment or
// user info.
func endpoint(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// Endpoint is endpoint for adapters.
func Endpoint(u *url.URL) string { return endpoint(u) }

// ValidateEndpoint parses raw as an absolute http(s) URL for field and
// refuses plain http to a non-loopback host unless allowInsecure.
func ValidateEndpoint(field, raw string, allowInsecure bool) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass an absolute https URL such as https://auth.example.com/oauth2/revoke"}
	}
	u, err := url.Parse(raw)
	shown := redactUserinfo(raw) // never repeat a password written into the URL
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the raw URL
		}
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a valid URL (%v): pass an absolute https URL", shown, err)}
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not absolute: include the scheme and host, e.g. https://%s", shown, strings.TrimPrefix(shown, "//"))}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("scheme %q is not supported: use https", u.Scheme)}
	}
	if u.User != nil {
		return nil, &revoke.ConfigError{Field: field, Problem: "the URL contains user info (credentials): pass credentials through the ClientAuth, not the URL"}
	}
	if u.Fragment != "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "the URL has a fragment (#...): remove it"}
	}
	if u.Scheme == "http" && !allowInsecure && !IsLoopback(u.Hostname()) {
		return nil, &revoke.ConfigError{Field: field, Kind: revoke.ErrInsecureEndpoint,
			Problem: fmt.Sprintf("plain http to %s would send credentials in clear text: use https, or revoke.WithInsecureHTTP() on a network you trust", u.Host)}
	}
	return u, nil
}

// redactUserinfo hides the user info of a raw URL, which may not parse.
func redactUserinfo(raw string) string {
	prefix, rest := "", raw
	if i := strings.Index(raw, "://"); i >= 0 {
		prefix, rest = raw[:i+3], raw[i+3:]
	} else if strings.HasPrefix(raw, "//") {
		prefix, rest = "//", raw[2:]
	}
	authority := rest
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		authority = rest[:j]
	}
	if k := strings.LastIndex(authority, "@"); k >= 0 {
		return prefix + revoke.Redacted + "@" + rest[k+1:]
	}
	return raw
}

// IsLoopback reports whether host is localhost or a loopback IP.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
