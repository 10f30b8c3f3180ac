// Package githubtest is a fake of GitHub's token revocation endpoints with
// real token state, for tests and demos. It is built on the emulator core
// in package revoketest (token store, fault queue, request log).
//
// Serve a Server with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with Register:
//
//	mt := httpmock.NewMockTransport()
//	fake := githubtest.Register(mt, "https://api.github.com")
//	fake.AddApp("Iv1.8a61f9b3a7aba766", "app-secret-0123456789")
//	tok := fake.Issue("Iv1.8a61f9b3a7aba766", "octocat")
//	// ... code under test revokes tok ...
//	if fake.Active(tok) { t.Error("still active") }
//
// It follows GitHub's REST documentation
// (https://docs.github.com/en/rest/apps/oauth-applications,
// https://docs.github.com/en/rest/credentials/revoke,
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api)
// and is independent of package github: it describes the server, so that
// the adapter is tested against it rather than against itself. Where
// GitHub's answer is not documented the fake's is marked [Inf] and can be
// changed with a field.
package githubtest

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Messages GitHub writes in its error bodies' "message".
const (
	// MsgNotFound answers an unknown token, an unknown app, and missing or
	// wrong app credentials.
	MsgNotFound = "Not Found"
	// MsgBadCredentials answers wrong credentials when BadCredentialsStatus
	// is 401.
	MsgBadCredentials = "Bad credentials"
	// MsgMissingToken answers a token or grant deletion without an
	// access_token [Inf: GitHub's schema validation message].
	MsgMissingToken = "Invalid request.\n\n\"access_token\" wasn't supplied."
	// MsgValidationFailed answers a credential list that is empty or too
	// long, and a spammed endpoint.
	MsgValidationFailed = "Validation Failed"
	// MsgMustNotAuthenticate answers an authenticated request to
	// /credentials/revoke on github.com [Inf: GitHub documents the 403,
	// not its message].
	MsgMustNotAuthenticate = "This endpoint must not be called with authentication."
	// MsgRequiresAuthentication answers an unauthenticated request to
	// /credentials/revoke on GitHub Enterprise Server.
	MsgRequiresAuthentication = "Requires authentication"
	// MsgSecondaryRateLimit answers a request over a secondary rate limit.
	MsgSecondaryRateLimit = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)

// Documentation links GitHub puts in "documentation_url".
const (
	DocDeleteToken = "https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token"
	DocDeleteGrant = "https://docs.github.com/rest/apps/oauth-applications#delete-an-app-authorization"
	DocCredentials = "https://docs.github.com/rest/credentials/revoke#revoke-a-list-of-credentials"
	DocRateLimits  = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api"
	DocREST        = "https://docs.github.com/rest"
)

// Token kinds (revoketest.TokenInfo.Kind).
const (
	KindOAuth = "oauth" // gho_: an OAuth app's user token
	KindApp   = "app"   // ghu_ and ghr_: a GitHub App's expiring user token pair
	KindPAT   = "pat"   // ghp_: a personal access token (classic)
)

// MaxCredentials is the most credentials /credentials/revoke takes.
const MaxCredentials = 1000

// APIVersion is the one REST API version the fake serves.
const APIVersion = "2022-11-28"

// Server emulates GitHub's revocation endpoints, under PathPrefix:
//
//	DELETE /applications/{client_id}/token   delete one token (204)
//	DELETE /applications/{client_id}/grant   delete the user's grant and all its tokens (204)
//	POST   /credentials/revoke               revoke exposed credentials (202)
//
// The app endpoints take Basic client_id:client_secret (raw) for the app
// in the path and the JSON body {"access_token":"…"}: missing or wrong
// credentials are BadCredentialsStatus (404 by default, as GitHub hides
// what the caller may not see [3p]); an access token the app did not issue,
// or no longer active, is 404; no access_token is 422.
//
// /credentials/revoke takes {"credentials":[…]} of 1 to MaxCredentials
// strings (else 422), refuses an Authorization header with 403 (github.com)
// or requires one holding an active personal access token (Enterprise),
// revokes every active credential it knows of whatever its owner, and
// answers 202 with {} whatever it found.
//
// Every answer carries x-ratelimit-limit, -remaining, -used, -reset (epoch
// seconds) and -resource ("core"), counted per app for the app endpoints
// and per caller for /credentials/revoke, over Window; a request over the
// limit gets RateLimitStatus with GitHub's message and remaining 0. It
// also carries X-GitHub-Request-Id. An X-GitHub-Api-Version other than
// APIVersion is 400.
type Server struct {
	// Faults queues injected answers (SecondaryRateLimit, Spammed, or
	// revoketest's); Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log

	// PathPrefix is served before every path: "/api/v3" for GitHub
	// Enterprise Server, "" (the default) for github.com.
	PathPrefix string
	// Enterprise makes /credentials/revoke require authentication, as
	// GitHub Enterprise Server does, instead of refusing it.
	Enterprise bool
	// BadCredentialsStatus answers missing or wrong app credentials: 404
	// (the default, with "Not Found") or 401 ("Bad credentials").
	BadCredentialsStatus int
	// AppLimit and CredentialsLimit are the requests allowed per Window
	// (defaults 5,000 and 60); RateLimitStatus answers a request over them
	// (default 403; GitHub also answers 429).
	AppLimit, CredentialsLimit int
	RateLimitStatus            int
	Window                     time.Duration
	// Now is the fake's clock (default time.Now).
	Now func() time.Time

	store *revoketest.Store
	mu    sync.Mutex
	apps  map[string]string // client ID → secret
	// values maps a GitHub-format token to its value in the store.
	values  map[string]string
	windows map[string]*window
	seq     int
}

// window is one rate-limit window.
type window struct {
	start time.Time
	used  int
}

// New returns a fake GitHub with no apps and no tokens.
func New() *Server {
	return &Server{store: revoketest.NewStore(), apps: map[string]string{}, values: map[string]string{}, windows: map[string]*window{}}
}

// Register starts a fake behind mt for every request under baseURL (e.g.
// "https://api.github.com") and returns it.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddApp registers an OAuth app or GitHub App with one client secret.
func (s *Server) AddApp(clientID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps[clientID] = secret
}

// Issue issues an OAuth app user access token (gho_) to user for the app.
func (s *Server) Issue(clientID, user string) string {
	return s.alias(PrefixOf(KindOAuth), s.store.IssueAccess(clientID, user, KindOAuth))
}

// IssuePair issues a GitHub App's expiring user access token (ghu_) and
// its refresh token (ghr_) to user for the app.
func (s *Server) IssuePair(clientID, user string) revoketest.Pair {
	p := s.store.IssueKind(clientID, user, KindApp)
	return revoketest.Pair{AccessToken: s.alias("ghu_", p.AccessToken), RefreshToken: s.alias("ghr_", p.RefreshToken)}
}

// IssuePAT issues a personal access token (classic, ghp_) to user.
func (s *Server) IssuePAT(user string) string {
	return s.alias(PrefixOf(KindPAT), s.store.IssueAccess("", user, KindPAT))
}

// PrefixOf returns the token prefix of a kind's access tokens.
func PrefixOf(kind string) string {
	switch kind {
	case KindOAuth:
		return "gho_"
	case KindApp:
		return "ghu_"
	case KindPAT:
		return "ghp_"
	}
	return ""
}

// alias makes a GitHub-format value for a store token.
func (s *Server) alias(prefix, stored string) string {
	v := prefix + randBase62(36)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[v] = stored
	return v
}

func randBase62(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// lookup returns a token's state by its GitHub value.
func (s *Server) lookup(tok string) (revoketest.TokenInfo, bool) {
	s.mu.Lock()
	stored, ok := s.values[tok]
	s.mu.Unlock()
	if !ok {
		return revoketest.TokenInfo{}, false
	}
	return s.store.Lookup(stored)
}

// Active reports whether tok was issued and is still active.
func (s *Server) Active(tok string) bool {
	info, ok := s.lookup(tok)
	return ok && info.Active
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// SecondaryRateLimit is GitHub's answer to a request over a secondary rate
// limit: 403 with retry-after in seconds and its message
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
func SecondaryRateLimit(retryAfter time.Duration) revoketest.Fault {
	return revoketest.Fault{Status: http.StatusForbidden,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}},
		Body:   errorJSON(MsgSecondaryRateLimit, DocRateLimits, http.StatusForbidden)}
}

// Spammed is GitHub's 422 "Validation failed, or the endpoint has been
// spammed." for a well-formed request.
func Spammed() revoketest.Fault {
	return revoketest.Fault{Status: http.StatusUnprocessableEntity,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   errorJSON(MsgValidationFailed, DocREST, http.StatusUnprocessableEntity)}
}

// errorJSON is GitHub's BasicError body.
func errorJSON(msg, doc string, status int) string {
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
		Doc     string `json:"documentation_url"`
		Status  string `json:"status"`
	}{msg, doc, strconv.Itoa(status)})
	return string(b)
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
	reqID := fmt.Sprintf("C0DE:%04X:%06X", s.seq%0x10000, s.seq)
	s.mu.Unlock()
	rec.Header().Set("X-GitHub-Request-Id", reqID)
	if s.Faults.Serve(rec) {
		return
	}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && v != APIVersion {
		writeError(rec, http.StatusBadRequest, "API version "+v+" is not supported.", "https://docs.github.com/rest/about-the-rest-api/api-versions")
		return
	}
	path, found := strings.CutPrefix(r.URL.Path, s.PathPrefix)
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case !found:
		writeError(rec, http.StatusNotFound, MsgNotFound, DocREST)
	case len(segs) == 3 && segs[0] == "applications" && segs[2] == "token" && r.Method == http.MethodDelete:
		s.deleteToken(rec, r, segs[1], body)
	case len(segs) == 3 && segs[0] == "applications" && segs[2] == "grant" && r.Method == http.MethodDelete:
		s.deleteGrant(rec, r, segs[1], body)
	case len(segs) == 2 && segs[0] == "credentials" && segs[1] == "revoke" && r.Method == http.MethodPost:
		s.revokeCredentials(rec, r, body)
	default:
		writeError(rec, http.StatusNotFound, MsgNotFound, DocREST)
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

func writeError(w http.ResponseWriter, status int, msg, doc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(errorJSON(msg, doc, status)))
}

// spend counts a request against key's window, writes the rate-limit
// headers, and reports whether the request may proceed; when it may not,
// it has answered.
func (s *Server) spend(w http.ResponseWriter, key string, limit int) bool {
	now := s.now()
	win := s.Window
	if win <= 0 {
		win = time.Hour
	}
	s.mu.Lock()
	cur := s.windows[key]
	if cur == nil || !now.Before(cur.start.Add(win)) {
		cur = &window{start: now}
		s.windows[key] = cur
	}
	over := cur.used >= limit
	if !over {
		cur.used++
	}
	used := cur.used
	reset := cur.start.Add(win)
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(limit-used))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt((reset.UnixNano()+int64(time.Second)-1)/int64(time.Second), 10))
	h.Set("X-RateLimit-Resource", "core")
	if over {
		status := s.RateLimitStatus
		if status == 0 {
			status = http.StatusForbidden
		}
		writeError(w, status, "API rate limit exceeded for "+key+".", DocRateLimits)
		return false
	}
	return true
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// authenticateApp checks Basic credentials for the app in the path. When
// they fail it answers and returns false.
func (s *Server) authenticateApp(w http.ResponseWriter, r *http.Request, clientID string) bool {
	id, secret, ok := basic(r.Header.Get("Authorization"))
	s.mu.Lock()
	want, known := s.apps[clientID]
	s.mu.Unlock()
	if ok && known && id == clientID && subtle.ConstantTimeCompare([]byte(want), []byte(secret)) == 1 {
		return true
	}
	if s.BadCredentialsStatus == http.StatusUnauthorized {
		writeError(w, http.StatusUnauthorized, MsgBadCredentials, DocREST)
	} else {
		writeError(w, orDefault(s.BadCredentialsStatus, http.StatusNotFound), MsgNotFound, DocREST)
	}
	return false
}

// basic decodes a Basic Authorization header raw (RFC 7617): the user ID
// ends at the first ':'.
func basic(h string) (id, secret string, ok bool) {
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

// accessToken reads the app endpoints' JSON body; when it has no
// access_token it answers 422 and returns false.
func accessToken(w http.ResponseWriter, body []byte, doc string) (string, bool) {
	var b struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &b) != nil || b.AccessToken == "" {
		writeError(w, http.StatusUnprocessableEntity, MsgMissingToken, doc)
		return "", false
	}
	return b.AccessToken, true
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request, clientID string, body []byte) {
	if !s.spend(w, "app "+clientID, orDefault(s.AppLimit, 5000)) || !s.authenticateApp(w, r, clientID) {
		return
	}
	tok, ok := accessToken(w, body, DocDeleteToken)
	if !ok {
		return
	}
	info, found := s.lookup(tok)
	if !found || !info.Active || info.ClientID != clientID || info.Type != "access_token" {
		writeError(w, http.StatusNotFound, MsgNotFound, DocDeleteToken)
		return
	}
	// One token: a GitHub App refresh token outlives its access token
	// [Inf: GitHub does not say]; the grant deletion ends both.
	s.store.Revoke(info.Value, "")
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deleteGrant(w http.ResponseWriter, r *http.Request, clientID string, body []byte) {
	if !s.spend(w, "app "+clientID, orDefault(s.AppLimit, 5000)) || !s.authenticateApp(w, r, clientID) {
		return
	}
	tok, ok := accessToken(w, body, DocDeleteGrant)
	if !ok {
		return
	}
	info, found := s.lookup(tok)
	if !found || !info.Active || info.ClientID != clientID || info.Type != "access_token" {
		writeError(w, http.StatusNotFound, MsgNotFound, DocDeleteGrant)
		return
	}
	s.store.RevokeWhere(func(t revoketest.TokenInfo) bool { return t.ClientID == clientID && t.Subject == info.Subject })
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) revokeCredentials(w http.ResponseWriter, r *http.Request, body []byte) {
	authz := r.Header.Get("Authorization")
	key := "unauthenticated caller"
	if s.Enterprise && authz != "" {
		key = "authenticated caller"
	}
	if !s.spend(w, key, orDefault(s.CredentialsLimit, 60)) {
		return
	}
	switch {
	case !s.Enterprise && authz != "":
		writeError(w, http.StatusForbidden, MsgMustNotAuthenticate, DocCredentials)
		return
	case s.Enterprise:
		scheme, tok, _ := strings.Cut(authz, " ")
		if !(strings.EqualFold(scheme, "bearer") || strings.EqualFold(scheme, "token")) || !s.Active(strings.TrimSpace(tok)) {
			writeError(w, http.StatusUnauthorized, MsgRequiresAuthentication, DocCredentials)
			return
		}
	}
	var b struct {
		Credentials []string `json:"credentials"`
	}
	if json.Unmarshal(body, &b) != nil || len(b.Credentials) == 0 || len(b.Credentials) > MaxCredentials {
		writeError(w, http.StatusUnprocessableEntity, MsgValidationFailed, DocCredentials)
		return
	}
	for _, c := range b.Credentials {
		if info, ok := s.lookup(c); ok && info.Active {
			s.store.Revoke(info.Value, "")
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte("{}"))
}
