package adapter

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
	"github.com/revokekit/revoke/internal/ratelimit"
	"github.com/revokekit/revoke/internal/scrub"
)

// Bounds on what is kept from a response, applied after scrubbing.
const (
	maxField     = 512 // a code, description or URI
	maxExcerpt   = 256 // an excerpt of a body that fits no known shape
	maxCauses    = 16
	maxRequestID = 128
)

// Response is the final answer to a Call, as its Check sees it and as Do
// returns it on success.
type Response struct {
	// StatusCode and Header are the answer's.
	StatusCode int
	Header     http.Header
	// Body is the answer's body, read up to a bound: always for an answer
	// that is not 2xx (64 KiB), and for a 2xx answer when Call.ReadBody is
	// set (the MaxResponseBytes bound). It is the server's text, unscrubbed:
	// never put it in an error; use Fail, Scrub or Excerpt.
	Body []byte
	// Truncated is true when the body was longer than the bound. Text
	// taken from a truncated body (or from one the connection or the
	// deadline cut short) may end in the head of a secret that the cut
	// fell in: Scrub, Excerpt, ErrorBody and Fail then also redact such a
	// head.
	Truncated bool
	// Attempts is 1 plus the number of retries made.
	Attempts int
	// RateLimit is the vendor's rate-limit report, or nil.
	RateLimit *revoke.RateLimit
	// RequestID is the vendor's request ID (from the Profile's headers or
	// the error body), scrubbed and bounded.
	RequestID string
	// AlreadyInvalid is set on a success the Check reported with
	// AlreadyInvalid.
	AlreadyInvalid bool

	st *callState
	sc *scrub.Scrubber
	// cut is set when reading the body failed part way.
	cut bool
}

// Result turns a successful answer into the caller's *revoke.Result.
func (r *Response) Result() *revoke.Result {
	return &revoke.Result{StatusCode: r.StatusCode, Attempts: r.Attempts, RateLimit: r.RateLimit, RequestID: r.RequestID, AlreadyInvalid: r.AlreadyInvalid}
}

// Scrub removes every secret the call sent from s, in any encoding, and
// makes it one bounded line: use it for any server text an adapter keeps.
// When the body was truncated, s may have been cut inside a secret, so a
// head of a secret at the end of s is removed too.
func (r *Response) Scrub(s string) string {
	return scrub.Line(r.scrubString(s), maxField)
}

// Excerpt is a scrubbed, bounded, single-line excerpt of the body, for an
// answer that fits no documented shape.
func (r *Response) Excerpt() string {
	sc := r.scrubber()
	if r.cutShort() {
		return errbody.Excerpt(sc.TruncatedBytes(r.Body), maxExcerpt)
	}
	return errbody.Excerpt(sc.Bytes(r.Body), maxExcerpt)
}

// scrubString scrubs text taken from the body. Text from a body cut short
// is scrubbed as such: a field that ran to the end of the body ends where
// the cut fell, perhaps inside a secret, and any other field ending in the
// head of a secret shows that head, so it goes too.
func (r *Response) scrubString(s string) string {
	if r.cutShort() {
		return r.scrubber().Truncated(s)
	}
	return r.scrubber().String(s)
}

// cutShort reports whether the body read ends before the body did: cut by
// the read bound, the connection or the deadline.
func (r *Response) cutShort() bool { return r.Truncated || r.cut }

func (r *Response) scrubber() *scrub.Scrubber {
	if r.sc == nil {
		r.sc = r.st.scrubber()
	}
	return r.sc
}

// ErrorBody parses the body with the Profile's parser, then as RFC 6749
// §5.2. ok is false when neither recognises it. Fields are scrubbed and
// bounded.
func (r *Response) ErrorBody() (ErrorBody, bool) {
	b, ok := r.parse()
	if !ok {
		return ErrorBody{}, false
	}
	return r.clean(b), true
}

func (r *Response) parse() (ErrorBody, bool) {
	if p := r.st.c.p.ParseError; p != nil {
		if b, ok := safeParse(p, r.Body); ok {
			return b, true
		}
	}
	if b, ok := errbody.Parse(r.Body); ok {
		return ErrorBody{Code: b.Code, Description: b.Description, URI: b.URI}, true
	}
	return ErrorBody{}, false
}

// safeParse runs a vendor parser, turning a panic into "not this shape".
func safeParse(p func([]byte) (ErrorBody, bool), body []byte) (b ErrorBody, ok bool) {
	defer func() {
		if recover() != nil {
			b, ok = ErrorBody{}, false
		}
	}()
	return p(body)
}

func (r *Response) clean(b ErrorBody) ErrorBody {
	out := ErrorBody{Code: r.Scrub(b.Code), Description: r.Scrub(b.Description), URI: r.Scrub(b.URI),
		RequestID: scrub.Line(r.scrubString(b.RequestID), maxRequestID)}
	for i, c := range b.Causes {
		if i == maxCauses {
			break
		}
		if c = r.Scrub(c); c != "" {
			out.Causes = append(out.Causes, c)
		}
	}
	return out
}

// Fail classifies the answer as a failure, the way the kit does by
// default: the body is parsed in the vendor's shape or RFC 6749's; the
// sentinel comes from the vendor's Classify, then the RFC 6749 / RFC 7009
// code, then the status (429 is always revoke.ErrRateLimited, 502, 503 and
// 504 revoke.ErrUnavailable); everything kept is scrubbed, then bounded. A
// Check may adjust the returned error before returning it.
func (r *Response) Fail() *revoke.Error {
	st := r.st
	e := &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), StatusCode: r.StatusCode, Attempts: r.Attempts, RequestID: r.RequestID}
	raw, parsed := r.parse()
	var b ErrorBody
	if parsed {
		b = r.clean(raw)
		e.Code, e.Description, e.URI, e.Causes = b.Code, b.Description, b.URI, b.Causes
		if b.RequestID != "" {
			e.RequestID = b.RequestID
		}
	}
	switch s := r.StatusCode; {
	case s == http.StatusTooManyRequests:
		e.Kind = revoke.ErrRateLimited
	case s == http.StatusBadGateway || s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout:
		e.Kind = revoke.ErrUnavailable
	case s >= 300 && s < 400:
		e.Kind = revoke.ErrRedirect
		e.Description = redirectText(r.Header.Get("Location"))
		return e
	}
	if e.Kind == nil && st.c.p.Classify != nil {
		e.Kind = st.c.p.Classify(r.StatusCode, b)
	}
	if e.Kind == nil {
		e.Kind = classifyCode(b.Code)
	}
	if e.Kind == nil {
		e.Kind = classifyStatus(r.StatusCode)
	}
	if !parsed && !errbody.Empty(r.Body) {
		e.Excerpt = r.Excerpt()
	}
	if e.Kind == revoke.ErrRateLimited || e.Kind == revoke.ErrUnavailable {
		e.RetryAfter = st.stopWait
		if e.RetryAfter == 0 {
			rep := ratelimit.Read(r.Header, st.c.scheme)
			if d, ok := ratelimit.ServerWait(r.StatusCode, r.Header, rep, st.c.p.RateLimit.ResetMargin, time.Now()); ok {
				e.RetryAfter = d
			}
		}
	}
	return e
}

func redirectText(location string) string {
	where := "(no Location header)"
	if l, err := url.Parse(location); err == nil && l.Host != "" {
		where = "to host " + scrub.Line(l.Host, maxField)
	} else if err == nil && location != "" {
		where = "to a path on the same host"
	}
	return "the server redirected " + where + "; redirects are not followed so credentials never leave for another place: configure the final endpoint URL"
}

// classifyCode maps an RFC 6749 §5.2 / RFC 7009 §2.2.1 error code to its
// sentinel, or nil.
func classifyCode(code string) error {
	switch code {
	case "invalid_client":
		return revoke.ErrInvalidClient
	case "invalid_request":
		return revoke.ErrInvalidRequest
	case "unauthorized_client":
		return revoke.ErrUnauthorizedClient
	case "unsupported_token_type":
		return revoke.ErrUnsupportedTokenType
	case "invalid_token", "invalid_grant":
		return revoke.ErrInvalidToken
	case "slow_down", "temporarily_unavailable":
		return revoke.ErrUnavailable
	case "server_error":
		return revoke.ErrServer
	case "access_denied":
		return revoke.ErrForbidden
	case "invalid_dpop_proof":
		// RFC 9449 §5: the proof of possession failed, as a client
		// authentication does.
		return revoke.ErrInvalidClient
	}
	return nil
}

// classifyStatus maps an HTTP status to its sentinel when the body named
// no known code.
func classifyStatus(status int) error {
	switch {
	case status == 401:
		return revoke.ErrInvalidClient
	case status == 400 || status == 405 || status == 413 || status == 415 || status == 422:
		return revoke.ErrInvalidRequest
	case status == 403:
		return revoke.ErrForbidden
	case status == 404 || status == 410:
		return revoke.ErrNotFound
	case status == 429:
		return revoke.ErrRateLimited
	case status == 502 || status == 503 || status == 504:
		return revoke.ErrUnavailable
	case status >= 300 && status < 400:
		return revoke.ErrRedirect
	case status >= 500:
		return revoke.ErrServer
	}
	return revoke.ErrUnexpectedResponse
}

// DefaultCheck is the Check used when a Call has none: any 2xx is success,
// anything else fails as Response.Fail classifies it.
func DefaultCheck(r *Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	return r.Fail()
}

// finish reads the final answer and judges it.
func (st *callState) finish(resp *http.Response) (*Response, error) {
	defer resp.Body.Close()
	c := st.c
	st.resp = Response{StatusCode: resp.StatusCode, Header: resp.Header, Attempts: st.attempts, st: st}
	out := &st.resp
	if l := c.s.Logger; l != nil {
		l.LogAttrs(st.ctx, slog.LevelDebug, "revoke: response",
			slog.String("op", st.call.Op), slog.Int("status", resp.StatusCode),
			slog.Int("attempts", st.attempts), slog.Duration("elapsed", time.Since(st.start)))
	}
	if resp.StatusCode < 200 {
		// A 101 Switching Protocols hands over the connection as the body,
		// which no deadline governs: never read it.
		return nil, &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), StatusCode: resp.StatusCode, Attempts: st.attempts,
			Kind: revoke.ErrUnexpectedResponse, Description: "the server answered with an informational status as its final answer; a revocation endpoint never switches protocols"}
	}
	if rep := st.report(resp); rep.Present() {
		out.RateLimit = rep.RateLimit(time.Now())
	}
	success := resp.StatusCode >= 200 && resp.StatusCode < 300
	var bodyErr error
	switch {
	case !success:
		// The caller's MaxResponseBytes bounds error bodies too, however
		// small. The bound, the connection or the deadline may cut a body
		// inside an echoed secret: every text taken from a body cut short
		// is then scrubbed as such (see scrubString).
		out.Body, out.Truncated, bodyErr = readBounded(resp.Body, min(c.s.MaxResponseBytes, errorBodyBytes), c.s.MaxResponseBytes)
		out.cut = bodyErr != nil
	case st.call.ReadBody:
		var err error
		out.Body, out.Truncated, err = readBounded(resp.Body, c.s.MaxResponseBytes, c.s.MaxResponseBytes)
		if err != nil {
			return nil, st.readError(resp.StatusCode, err)
		}
		if out.Truncated {
			return nil, &revoke.Error{Op: st.call.Op, Endpoint: endpoint(st.url), StatusCode: resp.StatusCode, Attempts: st.attempts, Kind: revoke.ErrUnexpectedResponse,
				Description: fmt.Sprintf("response body exceeds the %d-byte limit (raise it with revoke.WithMaxResponseBytes)", c.s.MaxResponseBytes)}
		}
	case resp.ContentLength != 0:
		drain(resp.Body, c.s.MaxResponseBytes)
	}
	out.RequestID = st.requestID(resp.Header, out)
	check := st.call.Check
	if check == nil {
		check = DefaultCheck
	}
	err := check(out)
	switch {
	case err == nil:
		return out, nil
	case errors.Is(err, AlreadyInvalid):
		out.AlreadyInvalid = true
		return out, nil
	}
	var e *revoke.Error
	if !errors.As(err, &e) {
		var ce *revoke.ConfigError
		if errors.As(err, &ce) {
			return nil, err
		}
		e = out.Fail()
		e.Kind = revoke.ErrUnexpectedResponse
		e.Err = scrubbedError{err, out.scrubber()}
	}
	if e.Attempts == 0 {
		e.Attempts = st.attempts
	}
	if e.Op == "" {
		e.Op = st.call.Op
	}
	if e.Endpoint == "" {
		e.Endpoint = endpoint(st.url)
	}
	if e.RequestID == "" {
		e.RequestID = out.RequestID
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = st.stopWait
	}
	if e.Err == nil && bodyErr != nil {
		// The body was cut short: by the deadline, or by the connection.
		if st.ctx.Err() != nil {
			bodyErr = st.ctx.Err()
		}
		e.Err = scrubbedError{bodyErr, out.scrubber()}
	}
	return nil, e
}

func (st *callState) readError(status int, err error) *revoke.Error {
	if st.ctx.Err() != nil {
		err = st.ctx.Err()
	}
	e := st.transportError(err)
	e.StatusCode = status
	return e
}

// requestID reads the vendor's request-ID header, scrubbed and bounded.
func (st *callState) requestID(h http.Header, r *Response) string {
	for _, k := range st.c.reqIDs {
		if v := h.Get(k); v != "" {
			return scrub.Line(r.scrubber().String(v), maxRequestID)
		}
	}
	return ""
}

// readBounded reads at most limit bytes, then drains up to drainLimit more
// so the connection can be reused; truncated reports a longer body.
func readBounded(r io.Reader, limit, drainLimit int64) ([]byte, bool, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		drain(r, drainLimit)
		return body[:limit], true, nil
	}
	return body, false, err
}

// drain discards up to limit bytes so the connection can be reused; past
// it the connection is closed instead.
func drain(r io.Reader, limit int64) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, limit))
}

// scrubber builds the scrubber for every secret the call sent.
func (st *callState) scrubber() *scrub.Scrubber {
	secrets := append([]string{st.call.Token}, st.call.Secrets...)
	return scrub.New(append(secrets, st.secrets...)...)
}

// scrubbedError is a cause whose text is scrubbed of the call's secrets;
// errors.Is and errors.As still see the original.
type scrubbedError struct {
	err error
	sc  *scrub.Scrubber
}

func (e scrubbedError) Error() string { return e.sc.String(e.err.Error()) }
func (e scrubbedError) Unwrap() error { return e.err }
