package adapter

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
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/bridge"
	"github.com/revokekit/revoke/internal/ratelimit"
)

// maxFreeRetries bounds the early window probes a call may make beyond
// its retry budget: each halves what is unknown of the server's clock.
const maxFreeRetries = 8

// errorBodyBytes bounds how much of an error body is read: it is parsed
// for a few fields and a short excerpt.
const errorBodyBytes = 64 << 10

// Client sends the calls of one adapter through the shared pipeline. It
// holds the resolved options, the HTTP transport and the vendor's
// rate-limit state; it is safe for concurrent use. Create one per adapter
// and share it, so that pacing sees every call.
type Client struct {
	p      Profile
	s      bridge.Settings
	scheme ratelimit.Scheme
	reqIDs []string
	hc     *http.Client
	rc     *retryablehttp.Client
	pace   *pacer
	ua     []string
	nonces nonces

	certMu      sync.Mutex
	certClients map[*tls.Certificate]*retryablehttp.Client

	// deadline is the timeout shared by calls that bring no deadline and
	// no cancellation (see sharedTimeout); bucket caches the last
	// rate-limit bucket key built from a method and path.
	deadline atomic.Pointer[sharedDeadline]
	bucket   atomic.Pointer[bucketKey]
}

// sharedDeadline is a context whose deadline several calls share.
type sharedDeadline struct {
	ctx   context.Context
	until time.Time
	// cancel is never called: the context's own timer releases it at
	// the deadline, when no call can still be using it unexpired.
	cancel context.CancelFunc
}

// bucketKey is a rate-limit bucket key and what it was built from.
type bucketKey struct{ method, path, key string }

// New resolves opts (revoke.WithHTTPClient, revoke.WithRetry, …) for the
// vendor p describes. Option mistakes are *revoke.ConfigError values.
func New(p Profile, opts ...revoke.Option) (*Client, error) {
	s, err := bridge.Resolve(opts, "revoke-go/"+revoke.Version)
	if err != nil {
		return nil, err
	}
	c := &Client{p: p, s: s, scheme: p.RateLimit.scheme(), ua: []string{s.UserAgent}, pace: newPacer()}
	c.reqIDs = p.RequestIDHeaders
	if c.reqIDs == nil {
		c.reqIDs = []string{"X-Request-Id", "X-Correlation-Id"}
	}
	c.hc, err = c.httpClient(nil)
	if err != nil {
		return nil, err
	}
	c.rc = c.retryClient(c.hc)
	return c, nil
}

// httpClient builds the client every attempt goes through: the caller's
// (copied, never modified) or one over http.DefaultTransport looked up per
// request; redirects are refused. cert, when set, is presented for mutual
// TLS (RFC 8705) on a copy of the transport.
func (c *Client) httpClient(cert *tls.Certificate) (*http.Client, error) {
	var hc http.Client
	if c.s.HTTPClient != nil {
		hc = *c.s.HTTPClient
		if cert != nil {
			var base *http.Transport
			switch t := hc.Transport.(type) {
			case nil:
				base, _ = http.DefaultTransport.(*http.Transport)
			case *http.Transport:
				base = t
			}
			if base == nil {
				return nil, &revoke.ConfigError{Field: "WithHTTPClient", Problem: fmt.Sprintf("the client's transport is a %T: mutual TLS needs an *http.Transport (or none) to present the client certificate on; pass such a client, or configure the certificate in your transport and use revoke.PublicClient", hc.Transport)}
			}
			hc.Transport = withCert(base, cert)
		}
	} else {
		hc.Transport = &defaultTransport{idle: c.s.MaxIdleConnsPerHost, cert: cert}
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc, nil
}

func withCert(base *http.Transport, cert *tls.Certificate) *http.Transport {
	t := base.Clone()
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	// Always present the certificate. With Certificates, crypto/tls sends
	// it only when the server's list of acceptable authorities names its
	// issuer, which a self-signed certificate (RFC 8705 §2.2) never has.
	t.TLSClientConfig.Certificates = nil
	t.TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return cert, nil }
	return t
}

// defaultTransport sends through http.DefaultTransport as it is at the
// moment of the request, so that a test's httpmock.Activate() intercepts
// the SDK. When that transport is a *http.Transport, a copy of it with an
// idle pool sized for concurrent callers is used (the stock one keeps two
// idle connections per host, so a busy adapter would open a connection per
// call); the copy is remade if http.DefaultTransport changes. It does not
// implement CloseIdleConnections, so that go-retryablehttp, which closes
// the idle connections of its client after a failed call, cannot empty the
// pool every caller shares.
type defaultTransport struct {
	idle int
	cert *tls.Certificate

	// cur is the copy in use and the transport it copies: read without a
	// lock on every request, replaced under mu when http.DefaultTransport
	// changes.
	cur atomic.Pointer[transportCopy]
	mu  sync.Mutex
}

type transportCopy struct{ src, clone *http.Transport }

func (d *defaultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport.RoundTrip(r)
	}
	if c := d.cur.Load(); c != nil && c.src == t {
		return c.clone.RoundTrip(r)
	}
	return d.copyOf(t).RoundTrip(r)
}

// copyOf returns the copy of t, making it when t is new; one copy is made
// however many requests find t new at once, so no pool is orphaned.
func (d *defaultTransport) copyOf(t *http.Transport) *http.Transport {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c := d.cur.Load(); c != nil && c.src == t {
		return c.clone
	}
	cl := t.Clone()
	cl.MaxIdleConnsPerHost = max(cl.MaxIdleConnsPerHost, d.idle)
	if cl.MaxIdleConns != 0 {
		cl.MaxIdleConns = max(cl.MaxIdleConns, d.idle)
	}
	if d.cert != nil {
		cl = withCert(cl, d.cert)
	}
	d.cur.Store(&transportCopy{src: t, clone: cl})
	return cl
}

func (c *Client) retryClient(hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient: hc,
		// More than the policy allows: a DPoP nonce handshake (RFC 9449
		// §8) and the pacer's early probes of a new window are attempts
		// the policy does not count. checkRetry enforces the policy.
		RetryMax:     c.s.MaxRetries + 1 + maxFreeRetries,
		RetryWaitMin: c.s.MinBackoff,
		RetryWaitMax: c.s.MaxBackoff,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		PrepareRetry: func(req *http.Request) error { return stateOf(req.Context()).prepareRetry(req) },
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, i int) {
			stateOf(req.Context()).requestHook(req, i)
		},
		ErrorHandler: func(resp *http.Response, err error, _ int) (*http.Response, error) { return resp, err },
	}
}

// clientFor returns the retry client for a call's authentication: the
// shared one, or one presenting a client certificate.
func (c *Client) clientFor(auth revoke.ClientAuth) (*retryablehttp.Client, error) {
	cert := authInfo(auth).Certificate
	if cert == nil {
		return c.rc, nil
	}
	c.certMu.Lock()
	defer c.certMu.Unlock()
	if rc := c.certClients[cert]; rc != nil {
		return rc, nil
	}
	hc, err := c.httpClient(cert)
	if err != nil {
		return nil, err
	}
	if c.certClients == nil {
		c.certClients = map[*tls.Certificate]*retryablehttp.Client{}
	}
	rc := c.retryClient(hc)
	c.certClients[cert] = rc
	return rc, nil
}

// AllowInsecureHTTP reports whether revoke.WithInsecureHTTP was given.
func (c *Client) AllowInsecureHTTP() bool { return c.s.AllowInsecureHTTP }

// MaxWait is the retry policy's cap on any single wait.
func (c *Client) MaxWait() time.Duration { return c.s.MaxWait }

// Logger is the logger given with revoke.WithLogger, or nil.
func (c *Client) Logger() *slog.Logger { return c.s.Logger }

// stateKey carries a call's state to the shared retry hooks.
type stateKey struct{}

func stateOf(ctx context.Context) *callState {
	if c, ok := ctx.(*callCtx); ok {
		return c.st
	}
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// callCtx is the context a call's requests carry: the caller's values,
// the call's state for the retry hooks, and the cancellation and deadline
// of Context. It lives inside the callState, so a call allocates no
// context of its own.
type callCtx struct {
	context.Context
	// vals is the caller's context when Context is not derived from it
	// (a shared timeout): values are looked up there first.
	vals context.Context
	st   *callState
}

func (c *callCtx) Value(key any) any {
	if _, ok := key.(stateKey); ok {
		return c.st
	}
	if c.vals != nil {
		if v := c.vals.Value(key); v != nil {
			return v
		}
	}
	return c.Context.Value(key)
}

// timeoutGrain is the fraction of the timeout by which the deadlines of
// calls that share one may differ: each such call gets between 63/64 of
// the timeout and all of it.
const timeoutGrain = 64

// sharedTimeout returns a context that expires the timeout after now, or
// up to 1/64 of it sooner, shared by the calls that start in the same
// 1/64 of the timeout. A context whose Done is nil (context.Background(),
// context.WithoutCancel) can never end a call early, so such calls need
// nothing of their own: one timer serves them all, where a timer, a
// cancellable context and its registration per call cost each call
// about eight allocations (see docs/performance.md).
func (c *Client) sharedTimeout(now time.Time) context.Context {
	if d := c.deadline.Load(); d != nil && d.until.Sub(now) >= c.s.Timeout-c.s.Timeout/timeoutGrain {
		return d.ctx
	}
	until := now.Add(c.s.Timeout)
	ctx, cancel := context.WithDeadline(context.Background(), until)
	c.deadline.Store(&sharedDeadline{ctx: ctx, until: until, cancel: cancel})
	return ctx
}

// bucketOf is the rate-limit bucket of a call with no Bucket of its own:
// its method and path. The key of the last pair is kept, so that an
// adapter calling one endpoint builds it once.
func (c *Client) bucketOf(method, path string) string {
	if k := c.bucket.Load(); k != nil && k.method == method && k.path == path {
		return k.key
	}
	k := &bucketKey{method: method, path: path, key: method + " " + path}
	c.bucket.Store(k)
	return k.key
}

// callState is what one Do call's hooks share.
type callState struct {
	c           *Client
	call        *Call
	ctx         context.Context
	url         *url.URL
	method      string
	bucket      string
	body        []byte
	attempts    int
	secrets     []string
	accessToken string
	// stopWait is the wait the server asked for when it exceeded the cap or
	// the deadline, so the caller learns it through Error.RetryAfter.
	stopWait time.Duration
	// wait is the wait CheckRetry chose for the next attempt.
	wait     time.Duration
	buildErr error
	sentAt   time.Time
	start    time.Time
	slot     bool   // holds a pacing slot for the attempt in flight
	slotSeq  uint64 // the slot's sequence number in its bucket
	// probe is set when the slot probes a new window; freeRetries counts
	// the probes the server refused early, which the retry budget does
	// not count (at most maxFreeRetries).
	probe       bool
	freeRetries int
	// paced is set once the pacer has held the call back.
	paced bool
	req   *http.Request
	// rep is the rate-limit report of repFor, the last answer, read once.
	rep    ratelimit.Report
	repFor *http.Response
	reader bytes.Reader
	// readerUsed is set once reader carries an attempt's body.
	readerUsed bool
	dpopSent   string // the nonce the last proof carried
	// nonceRetried is set once the DPoP nonce handshake has been retried.
	nonceRetried bool
	// params is the attempt's body fields over the kit's template.
	params bridge.Fields
	// sharedSecrets is set while secrets is a slice owned by the
	// authentication, which must be copied before appending.
	sharedSecrets bool
	// cctx is the call's context; resp the Response finish returns;
	// target what the authentication applies itself to; bodyBuf room for
	// the first attempt's body. Kept here, they cost no allocation.
	cctx    callCtx
	resp    Response
	target  bridge.Target
	bodyBuf [192]byte
}

// addSecrets registers values to scrub.
func (st *callState) addSecrets(v ...string) {
	if st.sharedSecrets {
		st.secrets = append(append(make([]string, 0, len(st.secrets)+len(v)), st.secrets...), v...)
		st.sharedSecrets = false
		return
	}
	st.secrets = append(st.secrets, v...)
}

// Do sends call and returns the final answer, or a *revoke.Error (or
// *revoke.ConfigError for a mistake found before sending). A nil context
// is an error, not a panic.
func (c *Client) Do(ctx context.Context, call *Call) (*Response, error) {
	if c == nil {
		return nil, &revoke.ConfigError{Field: "adapter.Client", Problem: "is nil: build the adapter with its New function", Kind: revoke.ErrInvalidRequest}
	}
	if call == nil || call.URL == nil {
		return nil, &revoke.ConfigError{Field: "adapter.Call", Problem: "is nil or has no URL: describe the request", Kind: revoke.ErrInvalidRequest}
	}
	if err := CheckContext(ctx, call.Op); err != nil {
		return nil, err
	}
	if !utf8.ValidString(call.Token) {
		return nil, &revoke.ConfigError{Field: call.Op + ": token", Problem: "is not valid UTF-8: a token is text, so it was damaged on the way (check how it was read or decoded); nothing was sent", Kind: revoke.ErrInvalidRequest}
	}
	now := time.Now()
	st := &callState{c: c, call: call, method: call.Method, url: call.URL, start: now}
	if st.method == "" {
		st.method = http.MethodPost
	}
	if len(call.Query) > 0 {
		u := *call.URL
		q := u.Query()
		for k, v := range call.Query {
			q[k] = v
		}
		u.RawQuery = q.Encode()
		st.url = &u
	}
	st.bucket = call.Bucket
	if st.bucket == "" && !c.s.NoPacing {
		st.bucket = c.bucketOf(st.method, st.url.Path)
	}
	if err := ctx.Err(); err != nil {
		return nil, st.transportError(err)
	}
	base := ctx
	if _, ok := ctx.Deadline(); !ok && c.s.Timeout > 0 && (c.s.HTTPClient == nil || c.s.HTTPClient.Timeout == 0) {
		if ctx.Done() == nil {
			// Nothing can cancel the call but its timeout.
			base, st.cctx.vals = c.sharedTimeout(now), ctx
		} else {
			// A timer that cancels the call, stopped when the call is
			// over, rather than context.WithTimeout: cancelling a
			// request's context as the call returns races net/http's
			// return of the connection to the idle pool, and the lost race
			// closes a good connection. The cause is
			// context.DeadlineExceeded, which the call's error then
			// matches.
			var cancel context.CancelCauseFunc
			base, cancel = context.WithCancelCause(ctx)
			t := time.AfterFunc(c.s.Timeout, func() { cancel(context.DeadlineExceeded) })
			defer t.Stop()
		}
	}
	rc, err := c.clientFor(call.Auth)
	if err != nil {
		return nil, err
	}
	st.cctx.Context, st.cctx.st = base, st
	ctx = &st.cctx
	st.ctx = ctx
	header, body, err := st.build()
	if err != nil {
		return nil, err
	}
	st.body = body
	if err := st.acquire(); err != nil {
		return nil, err
	}
	hreq := (&http.Request{Method: st.method, URL: st.url, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: header, Host: st.url.Host}).WithContext(ctx)
	st.setBody(hreq)
	// Built by hand rather than with retryablehttp.FromRequest and
	// SetBody: each attempt's body is set here and in prepareRetry, where
	// it is rebuilt anyway, which saves the library's body closures.
	resp, err := rc.Do(&retryablehttp.Request{Request: hreq})
	if st.slot {
		st.release(resp, err)
	}
	if st.buildErr != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, st.buildErr
	}
	if err != nil {
		e := st.transportError(err)
		if resp != nil {
			// Interrupted while waiting to retry: keep what the server said.
			e.StatusCode = resp.StatusCode
			e.RetryAfter = st.stopWait
			resp.Body.Close()
		}
		return nil, e
	}
	return st.finish(resp)
}

// setBody gives req the current attempt's body. The body is an
// io.NopCloser around a *bytes.Reader, a reader net/http knows to be in
// memory: it then writes the headers and the body in one write, where any
// other reader costs a flush of the headers on their own (a second write
// system call per request, and a second read for the server).
func (st *callState) setBody(req *http.Request) {
	req.ContentLength = int64(len(st.body))
	if st.body == nil {
		req.Body, req.GetBody = nil, nil
		return
	}
	if !st.readerUsed {
		st.readerUsed = true
		st.reader.Reset(st.body)
		req.Body = io.NopCloser(&st.reader)
		return
	}
	// A retry gets a reader of its own: net/http may still be reading the
	// previous attempt's body (a server that answered before reading it
	// all), and resetting that reader under it is a data race.
	req.Body = io.NopCloser(bytes.NewReader(st.body))
}

// build makes the headers and body of one attempt.
func (st *callState) build() (http.Header, []byte, error) {
	call := st.call
	h := make(http.Header, len(call.Header)+4)
	for k, v := range call.Header {
		h[k] = v // shared, never mutated: Set replaces the slice
	}
	h["User-Agent"] = st.c.ua
	st.accessToken = call.AccessToken
	if call.AccessToken != "" {
		st.addSecrets(call.AccessToken)
	}
	body, err := st.encode(h)
	if err != nil {
		return nil, nil, err
	}
	if call.Authorize != nil {
		if err := call.Authorize(st.ctx, &Attempt{Header: h, Method: st.method, URL: st.url, st: st}); err != nil {
			return nil, nil, st.buildError(err)
		}
	}
	if err := st.addDPoP(h); err != nil {
		return nil, nil, err
	}
	return h, body, nil
}

func (st *callState) buildError(err error) error {
	var re *revoke.Error
	var ce *revoke.ConfigError
	if errors.As(err, &re) || errors.As(err, &ce) {
		return err
	}
	return &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), Kind: revoke.ErrInvalidRequest, Err: scrubbedError{err, st.scrubber()}}
}

// requestHook runs before every attempt: it counts and logs.
func (st *callState) requestHook(req *http.Request, i int) {
	st.attempts = i + 1
	st.req = req
	if i == 0 && !st.paced {
		// A few microseconds before the request leaves: a bound on the
		// server's clock only a little looser (see clockOffset.observe).
		st.sentAt = st.start
	} else {
		st.sentAt = time.Now()
	}
	if l := st.c.s.Logger; l != nil {
		l.LogAttrs(st.ctx, slog.LevelDebug, "revoke: sending request",
			slog.String("op", st.call.Op), slog.String("method", req.Method),
			slog.String("endpoint", endpoint(req.URL)), slog.Int("attempt", st.attempts))
	}
}

// prepareRetry takes a pacing slot and rebuilds headers and body for the
// next attempt (fresh assertions, proofs and bearer tokens).
func (st *callState) prepareRetry(req *http.Request) error {
	if err := st.acquire(); err != nil {
		st.buildErr = err
		return err
	}
	h, body, err := st.build()
	if err != nil {
		st.release(nil, nil)
		st.buildErr = err
		return err
	}
	st.body = body
	req.Header = h
	st.setBody(req)
	return nil
}

// checkRetry decides whether to retry: connection failures, 429, 502, 503
// and 504 only, and only when the wait fits under the cap, the retry
// budget and the deadline. It computes the wait; backoff returns it.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st := stateOf(ctx)
	st.release(resp, err)
	nonce := ""
	if resp != nil {
		if resp.Request == nil {
			// A RoundTripper that leaves it unset (a test double): backoff
			// finds the call's state through it.
			resp.Request = st.req
		}
		nonce = st.learnNonce(resp)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	p := st.c.s
	if err != nil {
		// backoff draws the wait (it gets no response to find this state
		// through); the deadline must fit the longest it can draw.
		if !retryableNetError(err) || st.attempts-st.freeRetries > p.MaxRetries || !fitsDeadline(ctx, backoffCeil(p.MinBackoff, p.MaxBackoff, st.attempts)) {
			return false, err
		}
		st.wait = 0
		st.logRetry(0)
		return true, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		if st.retryDPoPNonce(resp, nonce) {
			st.drainForRetry(resp)
			return true, nil
		}
		if !st.vendorRetryable(resp) {
			return false, nil
		}
	}
	wait, signalled := st.serverWait(resp)
	if !signalled {
		wait = jitter(p.MinBackoff, p.MaxBackoff, st.attempts)
	}
	if wait > p.MaxWait || !fitsDeadline(ctx, wait) || st.attempts-st.freeRetries > p.MaxRetries {
		if signalled {
			st.stopWait = wait // tell the caller through Error.RetryAfter
		}
		return false, nil
	}
	st.wait = wait
	if signalled && !p.NoPacing && resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		// An epoch reset: the pacer, which learned the server's clock,
		// holds the retry in prepareRetry until the window turns, more
		// precisely than reset − Date, whose second-long resolution (and
		// the vendor's margin) would waste most of a short window.
		st.wait = 0
	}
	st.logRetry(resp.StatusCode)
	st.drainForRetry(resp)
	return true, nil
}

// drainForRetry reads what is left of an answer that will be retried, up
// to the read bound, so that its connection goes back to the pool:
// go-retryablehttp drains only 4 KiB before closing the body, and a longer
// error page would cost every retry a new connection.
func (st *callState) drainForRetry(resp *http.Response) {
	if resp != nil && resp.Body != nil {
		drain(resp.Body, st.c.s.MaxResponseBytes)
	}
}

// backoff computes the wait before a retry; retryablehttp sleeps it,
// watching the request's context. After an answer the wait is the one
// checkRetry derived from the server's signals (the answer's request
// carries the call's state); after a connection failure there is no answer
// and the wait is jittered exponential backoff.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.Request != nil {
		if st := stateOf(resp.Request.Context()); st != nil {
			return st.wait
		}
	}
	return jitter(minWait, maxWait, attempt+1)
}

func (st *callState) logRetry(status int) {
	if l := st.c.s.Logger; l != nil {
		l.LogAttrs(st.ctx, slog.LevelDebug, "revoke: retrying",
			slog.String("op", st.call.Op), slog.Int("status", status),
			slog.Duration("wait", st.wait), slog.Int("attempt", st.attempts))
	}
}

// serverWait is the wait the server asked for, spread a little so that
// callers waiting on one window do not all wake in the same instant.
func (st *callState) serverWait(resp *http.Response) (time.Duration, bool) {
	rep := st.report(resp)
	d, ok := ratelimit.ServerWait(resp.StatusCode, resp.Header, rep, st.c.p.RateLimit.ResetMargin, time.Now())
	return d, ok
}

// backoffCeil is the exponential ceiling for retry retryNo (1-based):
// minWait doubled per earlier retry, capped at maxWait.
func backoffCeil(minWait, maxWait time.Duration, retryNo int) time.Duration {
	ceil := minWait
	for i := 1; i < retryNo && ceil < maxWait; i++ {
		ceil *= 2
	}
	return min(ceil, maxWait)
}

// jitter is "full jitter" exponential backoff between minWait and the
// ceiling for retry retryNo.
func jitter(minWait, maxWait time.Duration, retryNo int) time.Duration {
	ceil := backoffCeil(minWait, maxWait, retryNo)
	if ceil <= minWait {
		return minWait
	}
	return minWait + rand.N(ceil-minWait)
}

// fitsDeadline reports whether waiting d still leaves time for an attempt.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
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
	case tlsClientRefused(err):
		return false
	}
	msg := err.Error()
	return !strings.Contains(msg, "unsupported protocol scheme") && !strings.Contains(msg, "server gave HTTP response to HTTPS client")
}

func (st *callState) transportError(err error) *revoke.Error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error repeats the URL, query string included
	}
	if st.ctx != nil && errors.Is(err, context.Canceled) {
		if cause := context.Cause(st.ctx); cause != nil && cause != context.Canceled {
			err = cause // the call's own timeout (WithTimeout)
		}
	}
	kind := revoke.ErrUnavailable
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr):
		kind = revoke.ErrInsecureEndpoint
	case tlsClientRefused(err):
		kind = revoke.ErrInvalidClient
	}
	return &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), Attempts: st.attempts, Kind: kind, Err: scrubbedError{err, st.scrubber()}}
}

// endpoint renders scheme, host and path only: never the query, fragment
// or user info.
func endpoint(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.Scheme + "://" + u.Host + u.EscapedPath()
}

// tlsClientRefused reports a TLS alert by which the server refused the
// client's certificate, or its absence (RFC 8446 §6.2: bad_certificate,
// certificate_required, unknown_ca…): client authentication failed at the
// TLS layer, and retrying cannot help.
func tlsClientRefused(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" || op.Err == nil {
		return false
	}
	return strings.Contains(op.Err.Error(), "certificate")
}

// report reads the rate-limit report of resp, once per answer.
func (st *callState) report(resp *http.Response) ratelimit.Report {
	if st.repFor != resp {
		st.rep, st.repFor = ratelimit.Read(resp.Header, st.c.scheme), resp
	}
	return st.rep
}

// vendorRetryable asks the Profile whether an answer the kit would not
// retry is the vendor's way of throttling. The body is peeked and put
// back for the final answer.
func (st *callState) vendorRetryable(resp *http.Response) bool {
	p := st.c.p
	if p.Retryable == nil || resp.StatusCode < 400 {
		return false
	}
	peek, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyBytes))
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(peek), resp.Body), resp.Body}
	var b ErrorBody
	if p.ParseError != nil {
		b, _ = safeParse(p.ParseError, peek)
	}
	defer func() { _ = recover() }()
	return p.Retryable(resp.StatusCode, b)
}
