package onelogintest

import (
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- POST /auth/oauth2/v2/token ----

// token answers Generate Tokens v2
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens):
// a JSON body {"grant_type":"client_credentials"} with the credential in
// the Authorization header (HTTP Basic, or the v1
// "client_id:<id>, client_secret:<secret>"), or a form with grant_type,
// client_id and client_secret. The answer is RFC 6749 §5.1 with OneLogin's
// extra members; the same token set comes back until it expires or is
// revoked. Inferred: a wrong credential is 401 "Authentication Failure" and
// a missing one 400 "The authorization information is missing", in the
// status envelope.
func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte, form url.Values) {
	if r.Method != http.MethodPost {
		writeStatus(w, http.StatusNotFound, "not found", MsgNoRoute)
		return
	}
	var grant, id, secret string
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case "application/json":
		var req struct {
			GrantType string `json:"grant_type"`
		}
		_ = json.Unmarshal(body, &req)
		grant = req.GrantType
	case "application/x-www-form-urlencoded":
		grant, id, secret = form.Get("grant_type"), form.Get("client_id"), form.Get("client_secret")
	default:
		writeStatus(w, http.StatusBadRequest, "bad request", MsgContentType)
		return
	}
	if grant != "client_credentials" {
		writeStatus(w, http.StatusBadRequest, "bad request", MsgGrantType)
		return
	}
	if id == "" {
		var ok bool
		if id, secret, ok = ParseAuthorization(r.Header.Get("Authorization")); !ok {
			writeStatus(w, http.StatusBadRequest, "bad request", MsgAuthMissing)
			return
		}
	}
	if !s.checkAPICredential(id, secret) {
		writeStatus(w, http.StatusUnauthorized, "Unauthorized", MsgAuthFailure)
		return
	}
	now := time.Now()
	s.mu.Lock()
	pair, ok := s.current[id]
	if !ok || !s.Store.Active(pair.AccessToken) || !now.Before(s.expiry[pair.AccessToken]) {
		pair = s.Store.IssueKind(id, "", KindAPI)
		s.current[id] = pair
		s.expiry[pair.AccessToken] = now.Add(APITokenLifetime)
	}
	left := s.expiry[pair.AccessToken].Sub(now)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": pair.AccessToken, "refresh_token": pair.RefreshToken, "token_type": "bearer",
		"expires_in": int(left / time.Second), "created_at": now.UTC().Format(time.RFC3339Nano), "account_id": 555555,
	})
}

// bearer authenticates a resource API call: "bearer:<token>" (the v1
// form) or "Bearer <token>" (v2, and what OneLogin's SDKs send everywhere),
// for an active API access token whose credential holds one of scopes. ok
// is false once the answer is written.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, scopes ...string) bool {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	tok, ok := strings.CutPrefix(h, "bearer:")
	if !ok && len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		tok, ok = h[7:], true
	}
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		writeStatus(w, http.StatusBadRequest, "bad request", MsgAuthIncorrect)
		return false
	}
	info, found := s.Store.Lookup(tok)
	s.mu.Lock()
	exp := s.expiry[tok]
	scope := s.scopes[info.ClientID]
	s.mu.Unlock()
	if !found || !info.Active || info.Kind != KindAPI || info.Type != "access_token" || !time.Now().Before(exp) {
		writeStatus(w, http.StatusUnauthorized, "Unauthorized", MsgAuthFailure)
		return false
	}
	for _, sc := range scopes {
		if scope == sc {
			return true
		}
	}
	writeStatus(w, http.StatusUnauthorized, "Unauthorized", MsgInsufficient)
	return false
}

// ---- PUT /api/1/users/{id}/logout ----

// logOut answers Log User Out
// (https://developers.onelogin.com/api-docs/1/users/log-user-out): it
// ends every OneLogin session of the user, and nothing else.
func (s *Server) logOut(w http.ResponseWriter, r *http.Request, rawID string) {
	if !s.countCall(w.Header()) {
		writeStatus(w, http.StatusTooManyRequests, "Too Many Requests", MsgRateLimited)
		return
	}
	if r.Method != http.MethodPut {
		writeStatus(w, http.StatusNotFound, "not found", MsgNoRoute)
		return
	}
	if !s.bearer(w, r, ScopeManageUsers, ScopeManageAll) {
		return
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		writeJSONStatus(w, http.StatusBadRequest, map[string]any{"status": map[string]any{"error": true, "code": 400, "type": "bad request",
			"message": map[string]string{"attribute": "id", "description": MsgIDIncorrect}}})
		return
	}
	s.mu.Lock()
	u, ok := s.users[id]
	if ok && !u.Protected {
		for sess, owner := range s.sessions {
			if owner == id {
				delete(s.sessions, sess)
			}
		}
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeStatus(w, http.StatusNotFound, "not found", MsgUserNotFound)
	case u.Protected:
		writeStatus(w, http.StatusForbidden, "forbidden", MsgNotAuthorizedUser)
	default:
		writeStatus(w, http.StatusOK, "success", "Success")
	}
}

// ---- GET /api/2/users ----

// listUsers answers List Users v2 filtered by email
// (https://developers.onelogin.com/api-docs/2/users/list-users): a JSON
// array of the users whose email matches, case aside. Inferred: its error
// bodies are the status envelope, as the v1 API's.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	if !s.countCall(w.Header()) {
		writeStatus(w, http.StatusTooManyRequests, "Too Many Requests", MsgRateLimited)
		return
	}
	if r.Method != http.MethodGet {
		writeStatus(w, http.StatusNotFound, "not found", MsgNoRoute)
		return
	}
	if !s.bearer(w, r, ScopeReadUsers, ScopeManageUsers, ScopeReadAll, ScopeManageAll) {
		return
	}
	email := r.URL.Query().Get("email")
	s.mu.Lock()
	var ids []int64
	for id, u := range s.users {
		if email == "" || strings.EqualFold(u.Email, email) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := []map[string]any{}
	for _, id := range ids {
		u := s.users[id]
		out = append(out, map[string]any{"id": u.ID, "email": u.Email, "username": u.Username, "status": 1, "state": 1})
	}
	s.mu.Unlock()
	w.Header().Set("Total-Pages", "1")
	w.Header().Set("Current-Page", "1")
	writeJSONStatus(w, http.StatusOK, out)
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache, no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
