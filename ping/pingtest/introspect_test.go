package pingtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// introCase is one introspection request and what the answer must say:
// an error (status and code), {"active":false}, or an active token's
// members (want, each compared; lifetime, exp after iat).
type introCase struct {
	name     string
	method   string
	target   string
	form     url.Values
	hdr      http.Header
	status   int
	code     string
	active   bool
	want     map[string]any
	lifetime time.Duration
}

func checkIntrospection(t *testing.T, h http.Handler, cases []introCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodPost
			}
			resp, body := serve(t, h, method, tc.target, tc.form, tc.hdr)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.status == http.StatusMethodNotAllowed {
				if resp.Header.Get("Allow") != http.MethodPost {
					t.Errorf("Allow %q", resp.Header.Get("Allow"))
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			switch {
			case tc.status != 200:
				if got["error"] != tc.code {
					t.Errorf("answer %s, want error %s", body, tc.code)
				}
			case !tc.active:
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
			default:
				if got["active"] != true {
					t.Errorf("answer %s, want active", body)
				}
				for k, v := range tc.want {
					if v == nil {
						if _, ok := got[k]; ok {
							t.Errorf("answer %s has %s", body, k)
						}
					} else if got[k] != v {
						t.Errorf("%s %v, want %v (%s)", k, got[k], v, body)
					}
				}
				if tc.lifetime > 0 {
					iat, _ := got["iat"].(float64)
					exp, _ := got["exp"].(float64)
					if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || exp != iat+tc.lifetime.Seconds() {
						t.Errorf("iat %v, exp %v, want now and iat+%v", iat, exp, tc.lifetime)
					}
				}
			}
		})
	}
}

// TestFederateIntrospect: /as/introspect.oauth2 looks a token up as the
// hint says (an access token without one), answers access tokens to the
// clients with the Access Token Validation grant type, and a refresh token
// to its client with {"active":true} alone.
func TestFederateIntrospect(t *testing.T) {
	s := pingtest.NewFederate()
	s.AddClient(revoketest.Client{ID: "web", Secret: testkit.Secret})
	s.AddClient(revoketest.Client{ID: "other", Secret: "other-secret-value"})
	s.AddClient(revoketest.Client{ID: "rs", Method: "none"}) // a validating client without a secret
	s.AllowAccessTokenValidation("web")
	s.AllowAccessTokenValidation("rs")
	p := s.Issue("web", "alice")
	q := s.Issue("other", "bob")
	gone := s.Issue("web", "alice")
	s.Store.Revoke(gone.RefreshToken, "web")
	j := s.IssueJWT("web", "carol")
	auth := basic("web", testkit.Secret)
	path := pingtest.FederateIntrospectPath
	access := func(owner, sub string) map[string]any {
		return map[string]any{"token_type": "Bearer", "client_id": owner, "sub": sub}
	}
	checkIntrospection(t, s, []introCase{
		{name: "live access token", target: path, form: url.Values{"token": {p.AccessToken}}, hdr: auth, status: 200, active: true, want: access("web", "alice"), lifetime: pingtest.FederateAccessTokenLifetime},
		{name: "hint access_token", target: path, form: url.Values{"token": {p.AccessToken}, "token_type_hint": {"access_token"}}, hdr: auth, status: 200, active: true, want: access("web", "alice"), lifetime: pingtest.FederateAccessTokenLifetime},
		{name: "JWT access token", target: path, form: url.Values{"token": {j.AccessToken}}, hdr: auth, status: 200, active: true, want: access("web", "carol"), lifetime: pingtest.FederateAccessTokenLifetime},
		{name: "validator without a secret, another client's access token", target: path, form: url.Values{"token": {q.AccessToken}, "client_id": {"rs"}}, status: 200, active: true, want: access("other", "bob"), lifetime: pingtest.FederateAccessTokenLifetime},
		{name: "live refresh token, hinted: active alone", target: path, form: url.Values{"token": {p.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"client_id": nil, "token_type": nil, "exp": nil}},
		{name: "live refresh token without the hint is not found", target: path, form: url.Values{"token": {p.RefreshToken}}, hdr: auth, status: 200},
		{name: "another client's refresh token", target: path, form: url.Values{"token": {q.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: auth, status: 200},
		{name: "revoked refresh token", target: path, form: url.Values{"token": {gone.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: auth, status: 200},
		{name: "access token revoked with it", target: path, form: url.Values{"token": {gone.AccessToken}}, hdr: auth, status: 200},
		{name: "unknown token", target: path, form: url.Values{"token": {"unknown-token-1"}}, hdr: auth, status: 200},
		{name: "no Access Token Validation grant type", target: path, form: url.Values{"token": {q.AccessToken}}, hdr: basic("other", "other-secret-value"), status: 400, code: "unauthorized_client"},
		{name: "wrong secret", target: path, form: url.Values{"token": {p.AccessToken}}, hdr: basic("web", "wrong-secret"), status: 401, code: "invalid_client"},
		{name: "unknown client", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"nobody"}}, status: 401, code: "invalid_client"},
		{name: "no token", target: path, form: url.Values{"token_type_hint": {"access_token"}}, hdr: auth, status: 400, code: "invalid_request"},
		{name: "another hint", target: path, form: url.Values{"token": {p.AccessToken}, "token_type_hint": {"id_token"}}, hdr: auth, status: 400, code: "invalid_request"},
		{name: "GET", method: http.MethodGet, target: path, hdr: auth, status: 405},
	})
	if resp, _ := serve(t, s, http.MethodPost, path, url.Values{"token": {p.AccessToken}}, basic("web", "wrong-secret")); resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate after Basic")
	}
	if !s.Active(p.AccessToken) || !s.Active(p.RefreshToken) || !s.Active(q.AccessToken) {
		t.Error("introspection changed a token's state")
	}
}

// TestOneIntrospect: /{envID}/as/introspect (and /as/introspect on a
// custom domain) answers the application a token was issued to.
func TestOneIntrospect(t *testing.T) {
	s := pingtest.NewOne(env)
	s.AddClient(revoketest.Client{ID: "app", Secret: testkit.Secret, Method: "client_secret_basic"})
	s.AddClient(revoketest.Client{ID: "other", Secret: "other-secret-value", Method: "client_secret_post"})
	p := s.Issue("app", "alice")
	q := s.Issue("other", "bob")
	gone := s.Issue("app", "alice")
	s.Store.Revoke(gone.RefreshToken, "app")
	auth := basic("app", testkit.Secret)
	path := "/" + env + "/as/introspect"
	iss := pingBase + "/" + env + "/as"
	checkIntrospection(t, s, []introCase{
		{name: "live access token", target: path, form: url.Values{"token": {p.AccessToken}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"token_type": "Bearer", "client_id": "app", "sub": "alice", "iss": iss}, lifetime: pingtest.OneAccessTokenLifetime},
		{name: "live refresh token", target: path, form: url.Values{"token": {p.RefreshToken}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"client_id": "app", "token_type": nil, "iss": iss}, lifetime: pingtest.OneRefreshTokenLifetime},
		{name: "custom domain", target: "/as/introspect", form: url.Values{"token": {p.AccessToken}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"client_id": "app", "iss": pingBase + "/as"}, lifetime: pingtest.OneAccessTokenLifetime},
		{name: "another application's token", target: path, form: url.Values{"token": {q.AccessToken}}, hdr: auth, status: 200},
		{name: "revoked refresh token", target: path, form: url.Values{"token": {gone.RefreshToken}}, hdr: auth, status: 200},
		{name: "unknown token", target: path, form: url.Values{"token": {"unknown-token-1"}}, hdr: auth, status: 200},
		{name: "the application's method only", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"app"}, "client_secret": {testkit.Secret}}, status: 401, code: "invalid_client"},
		{name: "wrong secret", target: path, form: url.Values{"token": {p.AccessToken}}, hdr: basic("app", "wrong-secret"), status: 401, code: "invalid_client"},
		{name: "no token", target: path, form: url.Values{"token_type_hint": {"access_token"}}, hdr: auth, status: 400, code: "invalid_request"},
		{name: "GET", method: http.MethodGet, target: path, hdr: auth, status: 405},
	})
	if resp, _ := serve(t, s, http.MethodPost, "/00000000-0000-0000-0000-000000000000/as/introspect", url.Values{"token": {p.AccessToken}}, auth); resp.StatusCode != 404 {
		t.Errorf("another environment: %d", resp.StatusCode)
	}
}

// TestAMIntrospect: the realm's /introspect answers a client of the realm
// about its own tokens.
func TestAMIntrospect(t *testing.T) {
	s := pingtest.NewAM()
	s.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: testkit.Secret})
	s.AddClient("alpha", revoketest.Client{ID: "other", Secret: "other-secret-value"})
	s.AddClient("", revoketest.Client{ID: "rootClient", Secret: testkit.Secret})
	p := s.Issue("myClient", "bjensen")
	q := s.Issue("other", "scarter")
	gone := s.Issue("myClient", "bjensen")
	s.Store.Revoke(gone.RefreshToken, "myClient")
	auth := basic("myClient", testkit.Secret)
	path := "/am/oauth2/realms/root/realms/alpha/introspect"
	iss := pingBase + "/am/oauth2/realms/root/realms/alpha"
	checkIntrospection(t, s, []introCase{
		{name: "live access token, client_id in the body too", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"myClient"}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"token_type": "Bearer", "client_id": "myClient", "sub": "bjensen", "user_id": "bjensen", "realm": "/alpha", "iss": iss}, lifetime: pingtest.AMAccessTokenLifetime},
		{name: "Basic alone", target: path, form: url.Values{"token": {p.AccessToken}}, hdr: auth, status: 200, active: true,
			want: map[string]any{"client_id": "myClient"}, lifetime: pingtest.AMAccessTokenLifetime},
		{name: "live refresh token, POST credentials", target: path, form: url.Values{"token": {p.RefreshToken}, "client_id": {"myClient"}, "client_secret": {testkit.Secret}}, status: 200, active: true,
			want: map[string]any{"client_id": "myClient", "token_type": nil}, lifetime: pingtest.AMRefreshTokenLifetime},
		{name: "another client's token", target: path, form: url.Values{"token": {q.AccessToken}, "client_id": {"myClient"}}, hdr: auth, status: 200},
		{name: "revoked refresh token", target: path, form: url.Values{"token": {gone.RefreshToken}, "client_id": {"myClient"}}, hdr: auth, status: 200},
		{name: "unknown token", target: path, form: url.Values{"token": {"unknown-token-1"}, "client_id": {"myClient"}}, hdr: auth, status: 200},
		{name: "wrong secret", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"myClient"}}, hdr: basic("myClient", "wrong-secret"), status: 400, code: "invalid_client"},
		{name: "a client of another realm", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"rootClient"}}, hdr: basic("rootClient", testkit.Secret), status: 400, code: "invalid_client"},
		{name: "client_id not the Basic one", target: path, form: url.Values{"token": {p.AccessToken}, "client_id": {"other"}}, hdr: auth, status: 400, code: "invalid_request"},
		{name: "no token", target: path, form: url.Values{"client_id": {"myClient"}}, hdr: auth, status: 400, code: "invalid_request"},
		{name: "GET", method: http.MethodGet, target: path, hdr: auth, status: 405},
	})
	// The root realm.
	r := s.Issue("rootClient", "admin")
	resp, body := serve(t, s, http.MethodPost, "/am/oauth2/realms/root/introspect", url.Values{"token": {r.AccessToken}}, basic("rootClient", testkit.Secret))
	if resp.StatusCode != 200 || !json.Valid([]byte(body)) {
		t.Fatalf("root realm: %d %s", resp.StatusCode, body)
	}
	var got map[string]any
	_ = json.Unmarshal([]byte(body), &got)
	if got["active"] != true || got["realm"] != "/" {
		t.Errorf("root realm: %s", body)
	}
}
