// Package dropboxtest is a fake of Dropbox's token revocation endpoint and
// its token endpoint's refresh grant, with real token state, for tests and
// demos. It is built on the emulator core in package revoketest (token
// store, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := dropboxtest.Register(mt, "https://api.dropboxapi.com")
//	fake.AddApp("app-key", "app-secret-value")
//	pair := fake.Issue("app-key", "dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc")
//	// ... code under test revokes pair.AccessToken ...
//	if fake.Active(pair.RefreshToken) { t.Error("still active") }
//
// It follows Dropbox's documentation
// (https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke,
// #oauth2-token, and
// https://www.dropbox.com/lp/developers/reference/error-handling-guide) and
// is independent of package dropbox: it describes the server, so that the
// adapter is tested against it rather than against itself. Where Dropbox's
// answer is not documented the fake's is marked [Inf].
package dropboxtest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Paths the fake serves, relative to its base URL.
const (
	RevokePath = "/2/auth/token/revoke"
	TokenPath  = "/oauth2/token"
)

// Server emulates Dropbox's
//
//	POST /2/auth/token/revoke   revoke the bearer access token, its refresh token and the refresh token's other access tokens
//	POST /oauth2/token          grant_type=refresh_token: a new access token for a refresh token
//
// auth/token/revoke takes the token as Authorization: Bearer (without it:
// 400 in plain text, as Dropbox answers a malformed call). It takes no
// arguments: an empty body, or the JSON null with Content-Type
// application/json; an empty body labelled application/json is 400 "could
// not decode input as JSON" [3p], any other body 400. An unknown, revoked
// or refresh token is 401 invalid_access_token; an expired one (Expire)
// 401 expired_access_token. Success is 200 with the body null [Inf].
//
// /oauth2/token authenticates the app with Basic key:secret (raw) or the
// client_id (and client_secret) form fields, or client_id alone for an app
// registered without a secret (PKCE); a failure is 400 invalid_client
// [Inf: Dropbox's exact status]. A refresh token that is unknown, revoked
// or another app's is 400 invalid_grant.
//
// Every answer carries X-Dropbox-Request-Id.
type Server struct {
	// Store holds the tokens. Revoking through auth/token/revoke ends a
	// token's whole family; Store.Revoke does not.
	*revoketest.Store
	// Faults queues injected answers (TooManyRequests, or revoketest's);
	// Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log

	mu      sync.Mutex
	apps    map[string]string // app key → secret ("" for PKCE)
	family  map[string]string // access token minted by refresh → its refresh token
	expired map[string]bool
	seq     int
}

// New returns a fake Dropbox with no apps and no tokens.
func New() *Server {
	return &Server{Store: revoketest.NewStore(), apps: map[string]string{}, family: map[string]string{}, expired: map[string]bool{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://api.dropboxapi.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddApp registers an app; an empty secret registers a PKCE app, which
// authenticates with its key alone.
func (s *Server) AddApp(key, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps[key] = secret
}

// Issue issues a short-lived access token and its refresh token
// (token_access_type=offline) to account for the app.
func (s *Server) Issue(appKey, account string) revoketest.Pair {
	return s.Store.Issue(appKey, account)
}

// IssueLegacy issues a long-lived access token without a refresh token,
// as apps created before short-lived tokens got.
func (s *Server) IssueLegacy(appKey, account string) string {
	return s.IssueAccess(appKey, account, "legacy")
}

// Expire makes an access token answer expired_access_token, as a
// short-lived token four hours old does. Its refresh token keeps working.
func (s *Server) Expire(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expired[tok] = true
}

// Active reports whether tok works: issued, not revoked, not expired.
func (s *Server) Active(tok string) bool {
	s.mu.Lock()
	exp := s.expired[tok]
	s.mu.Unlock()
	return !exp && s.Store.Active(tok)
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// TooManyRequests is Dropbox's rate-limit answer: 429 with Retry-After in
// seconds and a RateLimitError body
// (https://www.dropbox.com/developers/documentation/http/documentation#error-handling).
func TooManyRequests(retryAfter time.Duration) revoketest.Fault {
	secs := int(retryAfter / time.Second)
	return revoketest.Fault{Status: http.StatusTooManyRequests,
		Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {strconv.Itoa(secs)}},
		Body:   fmt.Sprintf(`{"error_summary": "too_many_requests/...", "error": {"reason": {".tag": "too_many_requests"}, "retry_after": %d}}`, secs)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok {
		return
	}
	s.mu.Lock()
	s.seq++
	rec.Header().Set("X-Dropbox-Request-Id", fmt.Sprintf("%032x", s.seq))
	s.mu.Unlock()
	if s.Faults.Serve(rec) {
		return
	}
	switch {
	case r.URL.Path == RevokePath && r.Method == http.MethodPost:
		s.revoke(rec, r, body)
	case r.URL.Path == TokenPath && r.Method == http.MethodPost:
		s.token(rec, r, form)
	case r.URL.Path == RevokePath || r.URL.Path == TokenPath:
		plain(rec, http.StatusMethodNotAllowed, "Method not allowed")
	default:
		plain(rec, http.StatusNotFound, "Unknown API function: "+strings.TrimPrefix(r.URL.Path, "/2/"))
	}
}

// recorder keeps the status written, for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// plain answers as Dropbox does for a malformed call: text/plain.
func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg))
}

// authError answers 401 with an AuthError tag.
func authError(w http.ResponseWriter, tag string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="Dropbox-API"`)
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = fmt.Fprintf(w, `{"error_summary": "%s/...", "error": {".tag": "%s"}}`, tag, tag)
}

const apiFunction = `Error in call to API function "auth/token/revoke": `

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, body []byte) {
	authz := r.Header.Get("Authorization")
	if authz == "" {
		plain(w, http.StatusBadRequest, apiFunction+`Must provide HTTP header "Authorization" or URL parameter "authorization".`)
		return
	}
	scheme, tok, _ := strings.Cut(authz, " ")
	if !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(tok) == "" {
		plain(w, http.StatusBadRequest, apiFunction+`Invalid authorization value in HTTP header "Authorization": "`+scheme+` …".  Expecting "Bearer <oauth2-access-token>".`)
		return
	}
	tok = strings.TrimSpace(tok)
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	trimmed := strings.TrimSpace(string(body))
	switch {
	case mt == "application/json" && trimmed == "":
		plain(w, http.StatusBadRequest, apiFunction+"request body: could not decode input as JSON")
		return
	case trimmed != "" && mt != "application/json":
		plain(w, http.StatusBadRequest, apiFunction+`Bad HTTP "Content-Type" header: "`+ct+`".  Expecting one of "application/json", "application/json; charset=utf-8", "text/plain; charset=dropbox-cors-hack".`)
		return
	case trimmed != "" && trimmed != "null":
		plain(w, http.StatusBadRequest, apiFunction+"request body: expected null, got value")
		return
	}
	info, known := s.Lookup(tok)
	s.mu.Lock()
	exp := s.expired[tok]
	s.mu.Unlock()
	switch {
	case !known || !info.Active || info.Type != "access_token":
		authError(w, "invalid_access_token")
		return
	case exp:
		authError(w, "expired_access_token")
		return
	}
	s.revokeFamily(info)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte("null"))
}

// revokeFamily revokes an access token, its refresh token, and every other
// access token of that refresh token.
func (s *Server) revokeFamily(info revoketest.TokenInfo) {
	s.mu.Lock()
	refresh := info.Sibling
	if r, ok := s.family[info.Value]; ok {
		refresh = r
	}
	family := map[string]bool{info.Value: true}
	if refresh != "" {
		family[refresh] = true
		for a, r := range s.family {
			if r == refresh {
				family[a] = true
			}
		}
	}
	s.mu.Unlock()
	s.RevokeWhere(func(t revoketest.TokenInfo) bool { return family[t.Value] || (refresh != "" && t.Sibling == refresh) })
}

// token serves grant_type=refresh_token.
func (s *Server) token(w http.ResponseWriter, r *http.Request, form map[string][]string) {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	id, secret, basic := basicAuth(r.Header.Get("Authorization"))
	if !basic {
		id, secret = get("client_id"), get("client_secret")
	}
	s.mu.Lock()
	want, known := s.apps[id]
	s.mu.Unlock()
	if !known || (want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) != 1) || (want == "" && secret != "") {
		oauthError(w, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	if get("grant_type") != "refresh_token" {
		oauthError(w, "unsupported_grant_type", "this fake serves grant_type=refresh_token only")
		return
	}
	refresh := get("refresh_token")
	if refresh == "" {
		oauthError(w, "invalid_request", "No refresh_token provided")
		return
	}
	info, ok := s.Lookup(refresh)
	if !ok || !info.Active || info.Type != "refresh_token" || info.ClientID != id {
		oauthError(w, "invalid_grant", "refresh token is invalid or revoked")
		return
	}
	access := s.IssueAccess(id, info.Subject, "refreshed")
	s.mu.Lock()
	s.family[access] = refresh
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": access, "token_type": "bearer", "expires_in": 14400})
}

func oauthError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// basicAuth decodes a Basic header raw.
func basicAuth(h string) (id, secret string, ok bool) {
	scheme, b64, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "basic") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// counts returns how many apps and tokens the fake holds and how many
// requests it got.
func (s *Server) counts() (apps, tokens, requests int) {
	if s == nil {
		return 0, 0, 0
	}
	s.mu.Lock()
	apps = len(s.apps)
	s.mu.Unlock()
	if s.Store != nil {
		tokens = len(s.Tokens(nil))
	}
	return apps, tokens, s.Log.Len()
}

// Format implements fmt.Formatter: the fake prints its counts only, never
// a token or a secret.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	a, t, r := s.counts()
	fmt.Fprintf(f, "dropboxtest.Server{Apps:%d Tokens:%d Requests:%d}", a, t, r)
}

// LogValue implements slog.LogValuer with counts only.
func (s *Server) LogValue() slog.Value {
	a, t, r := s.counts()
	return slog.GroupValue(slog.Int("apps", a), slog.Int("tokens", t), slog.Int("requests", r))
}

// MarshalJSON implements json.Marshaler with counts only.
func (s *Server) MarshalJSON() ([]byte, error) {
	a, t, r := s.counts()
	return json.Marshal(map[string]int{"apps": a, "tokens": t, "requests": r})
}
