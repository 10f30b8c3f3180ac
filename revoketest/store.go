// Package revoketest provides faithful emulators of authorization servers
// (an RFC 7009 server and vendor servers) with real token state, for tests
// and demos. Each emulator is an http.Handler: serve it with
// httptest.NewServer, or register it on an *httpmock.MockTransport with its
// Register method.
//
// Emulators keep state (issued tokens, whether each is active), a log of
// every request received, and a queue of injected faults (the next N answers
// are 503, 429 or invalid_client).
//
// Clients registered for mutual TLS (RFC 8705 §2: tls_client_auth,
// self_signed_tls_client_auth) authenticate by the certificate of the TLS
// connection; Server.StartTLS serves a Server with the listener for them
// published as mtls_endpoint_aliases (RFC 8705 §5).
package revoketest

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"
)

// Pair is an access token and its refresh token, issued together.
type Pair struct {
	AccessToken  string
	RefreshToken string
}

// TokenInfo is the state of one issued token.
type TokenInfo struct {
	Value    string
	Type     string // "access_token" or "refresh_token"
	ClientID string
	Subject  string
	Active   bool
	Sibling  string // the other token of the pair
	// Kind lets vendor emulators mark special tokens (e.g. "implicit",
	// "jwt") that change how they may be revoked.
	Kind string
}

// Store holds issued tokens. It is safe for concurrent use. Revoking a
// refresh token also deactivates its access token; revoking an access token
// leaves the refresh token active unless CascadeAccess is set (the Okta
// behaviour; OneLogin and oidc-provider revoke the whole grant).
type Store struct {
	mu     sync.Mutex
	tokens map[string]*TokenInfo
	issued map[string]time.Time // token → when it was issued
	// CascadeAccess makes revoking an access token also revoke its refresh
	// token.
	CascadeAccess bool
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{tokens: map[string]*TokenInfo{}, issued: map[string]time.Time{}}
}

// randToken returns an unguessable token value with a readable prefix.
func randToken(prefix string) string {
	var b [18]byte
	_, _ = rand.Read(b[:])
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// Issue creates an active access and refresh token pair for clientID.
func (s *Store) Issue(clientID, subject string) Pair {
	return s.IssueKind(clientID, subject, "")
}

// IssueKind is Issue with a vendor-specific kind label.
func (s *Store) IssueKind(clientID, subject, kind string) Pair {
	p := Pair{AccessToken: randToken("at_"), RefreshToken: randToken("rt_")}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued[p.AccessToken], s.issued[p.RefreshToken] = now, now
	s.tokens[p.AccessToken] = &TokenInfo{Value: p.AccessToken, Type: "access_token", ClientID: clientID, Subject: subject, Active: true, Sibling: p.RefreshToken, Kind: kind}
	s.tokens[p.RefreshToken] = &TokenInfo{Value: p.RefreshToken, Type: "refresh_token", ClientID: clientID, Subject: subject, Active: true, Sibling: p.AccessToken, Kind: kind}
	return p
}

// IssueAccess creates an active access token with no refresh token, as the
// implicit and client credentials grants issue (RFC 6749 §4.2.2, §4.4.3).
func (s *Store) IssueAccess(clientID, subject, kind string) string {
	tok := randToken("at_")
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued[tok] = now
	s.tokens[tok] = &TokenInfo{Value: tok, Type: "access_token", ClientID: clientID, Subject: subject, Active: true, Kind: kind}
	return tok
}

// Active reports whether token was issued and not revoked.
func (s *Store) Active(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[token]
	return t != nil && t.Active
}

// Lookup returns a copy of the token's state.
func (s *Store) Lookup(token string) (TokenInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[token]
	if t == nil {
		return TokenInfo{}, false
	}
	return *t, true
}

// RevokeOutcome says what Revoke did.
type RevokeOutcome struct {
	Found        bool
	WrongClient  bool
	Revoked      []TokenInfo // tokens made inactive by this call
	AlreadyEnded bool
}

// Revoke deactivates token if clientID owns it ("" skips the ownership
// check). Refresh tokens take their access token with them.
func (s *Store) Revoke(token, clientID string) RevokeOutcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[token]
	if t == nil {
		return RevokeOutcome{}
	}
	if clientID != "" && t.ClientID != clientID {
		return RevokeOutcome{Found: true, WrongClient: true}
	}
	if !t.Active {
		return RevokeOutcome{Found: true, AlreadyEnded: true}
	}
	out := RevokeOutcome{Found: true}
	t.Active = false
	out.Revoked = append(out.Revoked, *t)
	if sib := s.tokens[t.Sibling]; sib != nil && sib.Active && (t.Type == "refresh_token" || s.CascadeAccess) {
		sib.Active = false
		out.Revoked = append(out.Revoked, *sib)
	}
	return out
}

// RevokeWhere deactivates every active token for which match is true and
// returns how many it deactivated.
func (s *Store) RevokeWhere(match func(TokenInfo) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.tokens {
		if t.Active && match(*t) {
			t.Active = false
			n++
		}
	}
	return n
}

// Tokens returns copies of every token for which match is true (all when
// match is nil).
func (s *Store) Tokens(match func(TokenInfo) bool) []TokenInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []TokenInfo
	for _, t := range s.tokens {
		if match == nil || match(*t) {
			out = append(out, *t)
		}
	}
	return out
}

// Fault is one injected answer.
type Fault struct {
	Status int
	Header http.Header
	Body   string
}

// ServiceUnavailable is a 503 with Retry-After in whole seconds (0 omits it).
func ServiceUnavailable(retryAfter time.Duration) Fault {
	f := Fault{Status: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"application/json"}},
		Body: `{"error":"temporarily_unavailable","error_description":"The server is temporarily unavailable."}`}
	if retryAfter > 0 {
		f.Header.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	return f
}

// RateLimited is a 429 carrying the given rate-limit headers, e.g.
// {"Retry-After": {"1"}} or Okta's X-Rate-Limit-* trio.
func RateLimited(h http.Header) Fault {
	if h == nil {
		h = http.Header{}
	}
	h = h.Clone()
	h.Set("Content-Type", "application/json")
	return Fault{Status: http.StatusTooManyRequests, Header: h, Body: `{"error":"slow_down","error_description":"Too many requests."}`}
}

// InvalidClient is a 401 invalid_client answer.
func InvalidClient() Fault {
	return Fault{Status: http.StatusUnauthorized, Header: http.Header{"Content-Type": {"application/json"}},
		Body: `{"error":"invalid_client","error_description":"client authentication failed"}`}
}

// Faults is a queue of injected answers, consumed one per request.
type Faults struct {
	mu    sync.Mutex
	queue []Fault
}

// FailNext makes the next n requests answer f instead of being handled.
func (q *Faults) FailNext(n int, f Fault) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := 0; i < n; i++ {
		q.queue = append(q.queue, f)
	}
}

// Serve writes the next queued fault and reports whether there was one.
func (q *Faults) Serve(w http.ResponseWriter) bool {
	q.mu.Lock()
	if len(q.queue) == 0 {
		q.mu.Unlock()
		return false
	}
	f := q.queue[0]
	q.queue = q.queue[1:]
	q.mu.Unlock()
	for k, v := range f.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write([]byte(f.Body))
	return true
}

// RecordedRequest is one request an emulator received.
type RecordedRequest struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Form is the parsed form body (form-encoded requests only).
	Form url.Values
	// Body is the raw body.
	Body []byte
	// Status is what the emulator answered.
	Status int
	// PeerCertificates are the certificates the client presented on the
	// TLS connection (RFC 8705), leaf first, as Server records them; nil
	// over plain HTTP or when none was presented.
	PeerCertificates []*x509.Certificate
}

// Log records requests. It is safe for concurrent use.
type Log struct {
	mu   sync.Mutex
	reqs []RecordedRequest
}

// Add appends a record.
func (l *Log) Add(r RecordedRequest) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
}

// Requests returns a copy of every recorded request, oldest first.
func (l *Log) Requests() []RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]RecordedRequest(nil), l.reqs...)
}

// Len returns how many requests were recorded.
func (l *Log) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.reqs)
}

// Responder adapts h to an httpmock.Responder, so an emulator can stand
// behind a *httpmock.MockTransport without a network listener.
func Responder(h http.Handler) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		resp := rec.Result()
		resp.Request = req
		return resp, nil
	}
}

// RegisterHandler registers h for every method and path under baseURL on mt.
func RegisterHandler(mt *httpmock.MockTransport, baseURL string, h http.Handler) {
	re := regexp.MustCompile("^" + regexp.QuoteMeta(strings.TrimRight(baseURL, "/")) + "(/|\\?|$)")
	for _, m := range [...]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions} {
		mt.RegisterRegexpResponder(m, re, Responder(h))
	}
}
