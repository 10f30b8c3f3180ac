package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
)

// DefaultRevokeTimeout bounds how long a logout's token revocation may take,
// retries included.
const DefaultRevokeTimeout = 3 * time.Second

// Session is what the application keeps server-side for a signed-in user.
type Session struct {
	UserID string
	Token  *oauth2.Token
}

// SessionStore holds sessions by the opaque ID kept in the session cookie.
type SessionStore interface {
	// Take removes the session and returns it, so that two concurrent
	// logouts cannot both revoke (or both miss) the same tokens.
	Take(id string) (Session, bool)
}

// MemoryStore is an in-memory SessionStore, safe for concurrent use.
type MemoryStore struct {
	mu       sync.Mutex
	sessions map[string]Session
}

// Put stores s under id.
func (m *MemoryStore) Put(id string, s Session) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sessions == nil {
		m.sessions = map[string]Session{}
	}
	m.sessions[id] = s
}

// Take implements SessionStore.
func (m *MemoryStore) Take(id string) (Session, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	delete(m.sessions, id)
	return s, ok
}

// Len reports how many sessions are stored.
func (m *MemoryStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions)
}

// LogoutHandler ends the local session at once and revokes the session's
// refresh and access tokens at the identity provider in the background.
//
// The user is never kept waiting on the provider: the session is deleted,
// the cookie cleared and the redirect sent before revocation starts. The
// revocation runs on a context detached from the request
// (context.WithoutCancel), so a browser that closes the connection does not
// abort it, bounded by Timeout. Failures are logged, without any token,
// because after a local logout nobody else will notice them: a vendor
// outage (revoke.ErrUnavailable) means the tokens may still be valid until
// they expire (RFC 7009 §2.2.1).
type LogoutHandler struct {
	// Sessions holds the server-side sessions.
	Sessions SessionStore
	// Revoker revokes at the identity provider: okta.New, wso2.New,
	// generic.New, ... Required.
	Revoker revoke.Revoker
	// CookieName is the session cookie's name (default "session").
	CookieName string
	// RedirectTo is where the browser goes after logout (default "/").
	RedirectTo string
	// Timeout bounds the revocation (default DefaultRevokeTimeout).
	Timeout time.Duration
	// Logger receives one record per revocation (default slog.Default()).
	Logger *slog.Logger

	inflight sync.WaitGroup
}

// ServeHTTP handles POST /logout. Logout is POST-only so that a link or an
// image on another site cannot sign the user out.
func (h *LogoutHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "use POST to log out", http.StatusMethodNotAllowed)
		return
	}
	name := h.CookieName
	if name == "" {
		name = "session"
	}
	var sess Session
	found := false
	if c, err := r.Cookie(name); err == nil && c.Value != "" {
		sess, found = h.Sessions.Take(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	to := h.RedirectTo
	if to == "" {
		to = "/"
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusSeeOther)

	if found && sess.Token != nil && (sess.Token.AccessToken != "" || sess.Token.RefreshToken != "") {
		h.inflight.Add(1)
		go h.revoke(context.WithoutCancel(r.Context()), sess)
	}
}

// revoke revokes the session's tokens, refresh token first, and logs the
// outcome. Errors from revoke never contain tokens or credentials.
func (h *LogoutHandler) revoke(ctx context.Context, sess Session) {
	defer h.inflight.Done()
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = DefaultRevokeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	logger := h.Logger
	if logger == nil {
		logger = slog.Default()
	}
	start := time.Now()
	err := revoke.RevokeToken(ctx, h.Revoker, sess.Token)
	attrs := []slog.Attr{slog.String("user", sess.UserID), slog.Duration("elapsed", time.Since(start))}
	if err != nil {
		attrs = append(attrs, slog.Any("error", err),
			slog.Bool("retry_later", errors.Is(err, revoke.ErrUnavailable) || errors.Is(err, revoke.ErrRateLimited) || errors.Is(err, context.DeadlineExceeded)))
		logger.LogAttrs(ctx, slog.LevelWarn, "logout: token revocation failed; the tokens may stay valid until they expire", attrs...)
		return
	}
	logger.LogAttrs(ctx, slog.LevelInfo, "logout: tokens revoked", attrs...)
}

// Wait blocks until every revocation started by ServeHTTP has finished. Call
// it after http.Server.Shutdown so that no revocation is cut short.
func (h *LogoutHandler) Wait() { h.inflight.Wait() }
