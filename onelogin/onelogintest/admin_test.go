package onelogintest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin/onelogintest"
)

// token gets an API access token from the emulator.
func token(t *testing.T, s *onelogintest.Server, id, secret string) string {
	t.Helper()
	resp := serve(s, "POST", onelogintest.TokenPath, "application/json", testkit.Basic(id, secret), `{"grant_type":"client_credentials"}`)
	var body map[string]any
	if err := json.Unmarshal([]byte(readBody(t, resp)), &body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %d %v", resp.StatusCode, body)
	}
	tok, _ := body["access_token"].(string)
	return tok
}

func TestTokenEndpoint(t *testing.T) {
	s := onelogintest.New()
	s.AddAPICredential(olID, olSecret)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {olID}, "client_secret": {olSecret}}.Encode()
	tests := []struct {
		name, method, ct, authz, body string
		status                        int
		want                          string
	}{
		{"Basic", "POST", "application/json", testkit.Basic(olID, olSecret), `{"grant_type":"client_credentials"}`, 200, ""},
		{"v1 header", "POST", "application/json", v1Header(olID, olSecret), `{"grant_type":"client_credentials"}`, 200, ""},
		{"form", "POST", "application/x-www-form-urlencoded", "", form, 200, ""},
		{"wrong grant", "POST", "application/json", testkit.Basic(olID, olSecret), `{"grant_type":"password"}`, 400, envelope(400, "bad request", onelogintest.MsgGrantType)},
		{"no credential", "POST", "application/json", "", `{"grant_type":"client_credentials"}`, 400, olAuthMissing},
		{"wrong secret", "POST", "application/json", testkit.Basic(olID, wrong), `{"grant_type":"client_credentials"}`, 401, olAuthFailure},
		{"text body", "POST", "text/plain", testkit.Basic(olID, olSecret), `grant_type`, 400, olContentType},
		{"GET", "GET", "", testkit.Basic(olID, olSecret), "", 404, olNoRoute},
	}
	var first string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(s, tt.method, onelogintest.TokenPath, tt.ct, tt.authz, tt.body)
			body := readBody(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d %s, want %d", resp.StatusCode, body, tt.status)
			}
			if tt.status != 200 {
				if body != tt.want {
					t.Errorf("body = %s, want %s", body, tt.want)
				}
				return
			}
			var b map[string]any
			_ = json.Unmarshal([]byte(body), &b)
			tok, _ := b["access_token"].(string)
			if tok == "" || b["token_type"] != "bearer" || b["expires_in"].(float64) < 35990 || b["refresh_token"] == "" {
				t.Errorf("body = %v", b)
			}
			// The same token set until it expires or is revoked.
			if first == "" {
				first = tok
			} else if tok != first {
				t.Errorf("a new token %s, want the same %s", tok, first)
			}
		})
	}
}

func TestLogOutEndpoint(t *testing.T) {
	s := onelogintest.New()
	s.AddAPICredentialScope(olID, olSecret, onelogintest.ScopeManageUsers)
	s.AddAPICredentialScope("reader", olSecret, onelogintest.ScopeReadUsers)
	s.AddUser(onelogintest.User{ID: 42, Email: "alice@acme.com"})
	s.AddUser(onelogintest.User{ID: 7, Email: "owner@acme.com", Protected: true})
	sess := s.StartSession(42)
	tok, reader := token(t, s, olID, olSecret), token(t, s, "reader", olSecret)
	tests := []struct {
		name, method, path, authz string
		status                    int
		want                      string
	}{
		{"no token", "PUT", "/api/1/users/42/logout", "", 400, envelope(400, "bad request", onelogintest.MsgAuthIncorrect)},
		{"malformed", "PUT", "/api/1/users/42/logout", "token " + tok, 400, envelope(400, "bad request", onelogintest.MsgAuthIncorrect)},
		{"unknown token", "PUT", "/api/1/users/42/logout", "bearer:nope", 401, olAuthFailure},
		{"reader", "PUT", "/api/1/users/42/logout", "bearer:" + reader, 401, envelope(401, "Unauthorized", onelogintest.MsgInsufficient)},
		{"not an integer", "PUT", "/api/1/users/abc/logout", "bearer:" + tok, 400, `{"status":{"code":400,"error":true,"message":{"attribute":"id","description":"ID is incorrect"},"type":"bad request"}}`},
		{"unknown user", "PUT", "/api/1/users/99/logout", "bearer:" + tok, 404, envelope(404, "not found", onelogintest.MsgUserNotFound)},
		{"protected user", "PUT", "/api/1/users/7/logout", "bearer:" + tok, 403, envelope(403, "forbidden", onelogintest.MsgNotAuthorizedUser)},
		{"POST", "POST", "/api/1/users/42/logout", "bearer:" + tok, 404, olNoRoute},
		{"logged out", "PUT", "/api/1/users/42/logout", "bearer:" + tok, 200, olSuccess},
		{"RFC 6750 form", "PUT", "/api/1/users/42/logout", "Bearer " + tok, 200, olSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.status == 200 && tt.name == "logged out" && !s.SessionActive(sess) {
				t.Fatal("session ended before the logout")
			}
			resp := serve(s, tt.method, tt.path, "", tt.authz, "")
			if body := readBody(t, resp); resp.StatusCode != tt.status || body != tt.want {
				t.Errorf("answer = %d %s, want %d %s", resp.StatusCode, body, tt.status, tt.want)
			}
			if resp.Header.Get("X-RateLimit-Reset") == "" {
				t.Error("no rate-limit headers")
			}
		})
	}
	if s.SessionActive(sess) {
		t.Error("session still open after the logout")
	}
}

func TestListUsersEndpoint(t *testing.T) {
	s := onelogintest.New()
	s.AddAPICredentialScope(olID, olSecret, onelogintest.ScopeReadUsers)
	s.AddAPICredentialScope("auth-only", olSecret, onelogintest.ScopeAuthOnly)
	s.AddUser(onelogintest.User{ID: 42, Email: "alice@acme.com"})
	s.AddUser(onelogintest.User{ID: 43, Email: "Alice@Acme.com"})
	s.AddUser(onelogintest.User{ID: 44, Email: "bob@acme.com"})
	tok := token(t, s, olID, olSecret)
	resp := serve(s, "GET", "/api/2/users?email=ALICE%40acme.com", "", "Bearer "+tok, "")
	var users []map[string]any
	if err := json.Unmarshal([]byte(readBody(t, resp)), &users); err != nil || resp.StatusCode != 200 || len(users) != 2 || users[0]["id"] != float64(42) || users[1]["id"] != float64(43) {
		t.Errorf("answer = %d %v, want users 42 and 43", resp.StatusCode, users)
	}
	resp = serve(s, "GET", "/api/2/users?email=nobody%40acme.com", "", "Bearer "+tok, "")
	if body := strings.TrimSpace(readBody(t, resp)); body != "[]" {
		t.Errorf("no match = %s, want []", body)
	}
	resp = serve(s, "GET", "/api/2/users?email=alice%40acme.com", "", "Bearer "+token(t, s, "auth-only", olSecret), "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("auth-only scope: %d, want 401", resp.StatusCode)
	}
}

func TestStartSessionUnknownUserPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	onelogintest.New().StartSession(1)
}
