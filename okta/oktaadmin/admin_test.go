package oktaadmin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
)

const (
	testDomain = "https://dev-1234.okta.com"
	testToken  = "00SECRETapiTOKENvalue1234567890abcdef"
)

// recorder captures every request a MockTransport receives and answers
// them with a fixed response.
type recorder struct {
	mu     sync.Mutex
	reqs   []*http.Request
	bodies [][]byte
}

func (r *recorder) all() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// answer makes mt answer every request with status, header and body, and
// records the requests.
func answer(mt *httpmock.MockTransport, status int, header http.Header, body string) *recorder {
	rec := &recorder{}
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		var b []byte
		if req.Body != nil {
			b, _ = io.ReadAll(req.Body)
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, req)
		rec.bodies = append(rec.bodies, b)
		rec.mu.Unlock()
		resp := httpmock.NewStringResponse(status, body)
		for k, v := range header {
			resp.Header[k] = v
		}
		if body != "" && resp.Header.Get("Content-Type") == "" {
			resp.Header.Set("Content-Type", "application/json")
		}
		resp.Request = req
		return resp, nil
	})
	return rec
}

// newTestAdmin returns an Admin for testDomain with an API token, sending
// through mt.
func newTestAdmin(t *testing.T, mt *httpmock.MockTransport, opts ...revoke.Option) *Admin {
	t.Helper()
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt})}, opts...)
	a, err := New(Config{Domain: "dev-1234.okta.com", APIToken: testToken}, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "admin", name))
	if err != nil {
		t.Fatalf("reading golden body: %v", err)
	}
	return string(b)
}

func drain[T any](seq func(func(T, error) bool)) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// opCall is one call of one operation with the request it must produce.
type opCall struct {
	name  string
	op    operation
	call  func(ctx context.Context, a *Admin) error
	path  string
	query url.Values
	body  string // the success body to answer
}

func opCalls(t *testing.T) []opCall {
	tokenBody := golden(t, "get_refresh_token.json")
	yes, no := true, false
	ignore := func(_ any, err error) error { return err }
	return []opCall{
		{"ListUserClients", opListUserClients, func(ctx context.Context, a *Admin) error { return ignore(a.ListUserClients(ctx, "00u1")) },
			"/api/v1/users/00u1/clients", url.Values{}, golden(t, "list_user_clients.json")},
		{"ListUserClientTokens all options", opListUserClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{Limit: 50, ExpandScope: true, After: "cur sor+/="})))
		}, "/api/v1/users/00u1/clients/0oa1/tokens", url.Values{"limit": {"50"}, "expand": {"scope"}, "after": {"cur sor+/="}}, golden(t, "list_refresh_tokens.json")},
		{"ListUserClientTokens defaults", opListUserClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{})))
		}, "/api/v1/users/00u1/clients/0oa1/tokens", url.Values{}, "[]"},
		{"GetUserClientToken expand", opGetUserClientToken, func(ctx context.Context, a *Admin) error {
			return ignore(a.GetUserClientToken(ctx, "00u1", "0oa1", "oar1", true))
		}, "/api/v1/users/00u1/clients/0oa1/tokens/oar1", url.Values{"expand": {"scope"}}, tokenBody},
		{"GetUserClientToken", opGetUserClientToken, func(ctx context.Context, a *Admin) error {
			return ignore(a.GetUserClientToken(ctx, "00u1", "0oa1", "oar1", false))
		}, "/api/v1/users/00u1/clients/0oa1/tokens/oar1", url.Values{}, tokenBody},
		{"RevokeUserClientToken", opRevokeUserClientToken, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeUserClientToken(ctx, "00u1", "0oa1", "oar1"))
		}, "/api/v1/users/00u1/clients/0oa1/tokens/oar1", url.Values{}, ""},
		{"RevokeUserClientTokens", opRevokeUserClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeUserClientTokens(ctx, "00u1", "0oa1"))
		}, "/api/v1/users/00u1/clients/0oa1/tokens", url.Values{}, ""},
		{"RevokeUserClientGrants", opRevokeUserClientGrants, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeUserClientGrants(ctx, "00u1", "0oa1"))
		}, "/api/v1/users/00u1/clients/0oa1/grants", url.Values{}, ""},
		{"RevokeUserGrants", opRevokeUserGrants, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeUserGrants(ctx, "00u1"))
		}, "/api/v1/users/00u1/grants", url.Values{}, ""},
		{"ClearUserSessions defaults", opRevokeUserSessions, func(ctx context.Context, a *Admin) error {
			return ignore(a.ClearUserSessions(ctx, "00u1", SessionOptions{}))
		}, "/api/v1/users/00u1/sessions", url.Values{"oauthTokens": {"false"}}, ""},
		{"ClearUserSessions tokens, keep devices", opRevokeUserSessions, func(ctx context.Context, a *Admin) error {
			return ignore(a.ClearUserSessions(ctx, "00u1", SessionOptions{OAuthTokens: true, ForgetDevices: &no}))
		}, "/api/v1/users/00u1/sessions", url.Values{"oauthTokens": {"true"}, "forgetDevices": {"false"}}, ""},
		{"ClearUserSessions forget devices", opRevokeUserSessions, func(ctx context.Context, a *Admin) error {
			return ignore(a.ClearUserSessions(ctx, "00u1", SessionOptions{ForgetDevices: &yes}))
		}, "/api/v1/users/00u1/sessions", url.Values{"oauthTokens": {"false"}, "forgetDevices": {"true"}}, ""},
		{"ListAuthServerClients", opListAuthServerClients, func(ctx context.Context, a *Admin) error {
			return ignore(a.ListAuthServerClients(ctx, "aus1"))
		}, "/api/v1/authorizationServers/aus1/clients", url.Values{}, golden(t, "list_as_clients.json")},
		{"ListAuthServerClientTokens", opListAuthServerClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(drain(a.ListAuthServerClientTokens(ctx, "aus1", "0oa1", ListOptions{Limit: 200})))
		}, "/api/v1/authorizationServers/aus1/clients/0oa1/tokens", url.Values{"limit": {"200"}}, golden(t, "list_refresh_tokens.json")},
		{"ListAuthServerClientTokens defaults", opListAuthServerClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(drain(a.ListAuthServerClientTokens(ctx, "default", "0oa1", ListOptions{})))
		}, "/api/v1/authorizationServers/default/clients/0oa1/tokens", url.Values{}, "[]"},
		{"GetAuthServerClientToken expand", opGetAuthServerClientToken, func(ctx context.Context, a *Admin) error {
			return ignore(a.GetAuthServerClientToken(ctx, "aus1", "0oa1", "oar1", true))
		}, "/api/v1/authorizationServers/aus1/clients/0oa1/tokens/oar1", url.Values{"expand": {"scope"}}, tokenBody},
		{"RevokeAuthServerClientToken", opRevokeAuthServerClientToken, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeAuthServerClientToken(ctx, "aus1", "0oa1", "oar1"))
		}, "/api/v1/authorizationServers/aus1/clients/0oa1/tokens/oar1", url.Values{}, ""},
		{"RevokeAuthServerClientTokens", opRevokeAuthServerClientTokens, func(ctx context.Context, a *Admin) error {
			return ignore(a.RevokeAuthServerClientTokens(ctx, "aus1", "0oa1"))
		}, "/api/v1/authorizationServers/aus1/clients/0oa1/tokens", url.Values{}, ""},
		{"CloseSession", opRevokeSession, func(ctx context.Context, a *Admin) error {
			return ignore(a.CloseSession(ctx, "102GALFOoKNSrmCsT4WP4bJsQ"))
		}, "/api/v1/sessions/102GALFOoKNSrmCsT4WP4bJsQ", url.Values{}, ""},
		{"find user by login", opGetUser, func(ctx context.Context, a *Admin) error {
			_, _, err := a.userID(ctx, "RevokeSubject", "isaac.brock+it@example.com")
			return err
		}, "/api/v1/users/isaac.brock+it@example.com", url.Values{}, golden(t, "get_user.json")},
	}
}

// TestOperationsWireShape checks every operation's method, path, query and
// headers, and that the documented success status is success.
func TestOperationsWireShape(t *testing.T) {
	for _, tc := range opCalls(t) {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			rec := answer(mt, tc.op.status, nil, tc.body)
			a := newTestAdmin(t, mt)
			if err := tc.call(context.Background(), a); err != nil {
				t.Fatalf("call: %v", err)
			}
			reqs := rec.all()
			if len(reqs) != 1 {
				t.Fatalf("sent %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tc.op.method {
				t.Errorf("method = %s, want %s", r.Method, tc.op.method)
			}
			if r.URL.Scheme != "https" || r.URL.Host != "dev-1234.okta.com" {
				t.Errorf("sent to %s://%s, want https://dev-1234.okta.com", r.URL.Scheme, r.URL.Host)
			}
			if r.URL.EscapedPath() != tc.path {
				t.Errorf("path = %s, want %s", r.URL.EscapedPath(), tc.path)
			}
			if got := r.URL.Query(); !equalValues(got, tc.query) {
				t.Errorf("query = %v, want %v", got, tc.query)
			}
			want := map[string]string{"Authorization": "SSWS " + testToken, "Accept": "application/json", "User-Agent": "revoke-go/" + revoke.Version, "Content-Type": ""}
			for k, v := range want {
				if got := r.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
			if len(rec.bodies[0]) != 0 {
				t.Errorf("request body = %q, want none", rec.bodies[0])
			}
		})
	}
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// TestOperationsErrorStatuses checks every operation against the spec's
// error answers (golden bodies) and an undocumented success status.
func TestOperationsErrorStatuses(t *testing.T) {
	for _, tc := range opCalls(t) {
		for _, e := range []struct {
			status     int
			body       string
			kind       error
			code, desc string
			requestID  string
		}{
			{403, golden(t, "error_403.json"), revoke.ErrForbidden, "E0000006", "You do not have permission to perform the requested action", "sampleNUSD_8fdkFd8fs8SDBK"},
			{404, golden(t, "error_404.json"), revoke.ErrNotFound, "E0000007", "Not found: {0}", "sampleMlLvGUj_YD5v16vkYWY"},
			{401, `{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oaeX","errorCauses":[]}`, revoke.ErrInvalidClient, "E0000011", "Invalid token provided", "oaeX"},
		} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, e.status), func(t *testing.T) {
				mt := httpmock.NewMockTransport()
				answer(mt, e.status, nil, e.body)
				err := tc.call(context.Background(), newTestAdmin(t, mt, revoke.WithoutRetry()))
				var re *revoke.Error
				if !errors.As(err, &re) {
					t.Fatalf("error %v (%T) is not a *revoke.Error", err, err)
				}
				if !errors.Is(err, e.kind) || re.StatusCode != e.status || re.Code != e.code || re.Description != e.desc || re.URI != e.code || re.RequestID != e.requestID {
					t.Errorf("error = %+v, want kind %v status %d code %s description %q URI %s request id %s", re, e.kind, e.status, e.code, e.desc, e.code, e.requestID)
				}
				if re.Op != tc.op.opName() || !strings.HasPrefix(re.Endpoint, testDomain+"/api/v1/") {
					t.Errorf("Op = %q, Endpoint = %q", re.Op, re.Endpoint)
				}
			})
		}
		t.Run(tc.name+"/undocumented success status", func(t *testing.T) {
			other := http.StatusOK
			if tc.op.status == http.StatusOK {
				other = http.StatusNoContent
			}
			mt := httpmock.NewMockTransport()
			answer(mt, other, nil, "")
			err := tc.call(context.Background(), newTestAdmin(t, mt))
			if !errors.Is(err, revoke.ErrUnexpectedResponse) {
				t.Errorf("status %d for an operation documented as %d: error = %v, want ErrUnexpectedResponse", other, tc.op.status, err)
			}
		})
	}
}

func TestErrorCausesAndRequestIDHeader(t *testing.T) {
	mt := httpmock.NewMockTransport()
	answer(mt, 400, http.Header{"X-Okta-Request-Id": {"reqABC"}},
		`{"errorCode":"E0000001","errorSummary":"Api validation failed: limit","errorLink":"E0000001","errorCauses":[{"errorSummary":"limit: must be at most 200"},{"errorSummary":"second"}]}`)
	_, err := newTestAdmin(t, mt).RevokeUserGrants(context.Background(), "00u1")
	var re *revoke.Error
	if !errors.As(err, &re) {
		t.Fatalf("error = %v", err)
	}
	if !slices.Equal(re.Causes, []string{"limit: must be at most 200", "second"}) || re.RequestID != "reqABC" || re.Code != "E0000001" || !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("error = %+v", re)
	}
	if !strings.Contains(err.Error(), "limit: must be at most 200") {
		t.Errorf("message %q lacks the causes", err.Error())
	}
}

func TestDecodeGoldenBodies(t *testing.T) {
	mt := httpmock.NewMockTransport()
	answer(mt, 200, nil, golden(t, "list_refresh_tokens.json"))
	a := newTestAdmin(t, mt)
	toks, err := drain(a.ListUserClientTokens(context.Background(), "00u1", "0oa1", ListOptions{ExpandScope: true}))
	if err != nil || len(toks) != 1 {
		t.Fatalf("tokens = %v, %v", toks, err)
	}
	tok := toks[0]
	created, _ := time.Parse(time.RFC3339, "2023-09-21T19:59:56Z")
	expires, _ := time.Parse(time.RFC3339, "2023-09-28T20:00:38Z")
	if tok.ID != "{refreshTokenId}" || tok.Status != StatusActive || tok.ClientID != "{clientId}" || tok.UserID != "{userId}" ||
		!tok.Created.Equal(created) || !tok.ExpiresAt.Equal(expires) || !slices.Equal(tok.Scopes, []string{"offline_access", "openid"}) {
		t.Errorf("token = %+v", tok)
	}
	if tok.Embedded == nil || len(tok.Embedded.Scopes) != 2 || tok.Embedded.Scopes[0].Name != "openid" || tok.Embedded.Scopes[1].DisplayName != "Keep you signed in to the app" {
		t.Errorf("embedded = %+v", tok.Embedded)
	}
	if l := tok.Links["revoke"]; l.Hints == nil || !slices.Equal(l.Hints.Allow, []string{"DELETE"}) {
		t.Errorf("revoke link = %+v", l)
	}

	mt = httpmock.NewMockTransport()
	answer(mt, 200, nil, golden(t, "get_refresh_token.json"))
	one, err := newTestAdmin(t, mt).GetUserClientToken(context.Background(), "00u5t60iloOHN9pBi0h7", "0oabskvc6442nkvQO0h7", "oar579Mcp7OUsNTlo0g3", false)
	if err != nil || one.ID != "oar579Mcp7OUsNTlo0g3" || one.ClientID != "0oabskvc6442nkvQO0h7" || one.Embedded != nil {
		t.Errorf("token = %+v, %v", one, err)
	}

	mt = httpmock.NewMockTransport()
	answer(mt, 200, nil, golden(t, "list_user_clients.json"))
	clients, err := newTestAdmin(t, mt).ListUserClients(context.Background(), "00u5t60iloOHN9pBi0h7")
	if err != nil || len(clients) != 1 || clients[0].ClientID != "0oabskvc6442nkvQO0h7" || clients[0].ClientName != "My App" || clients[0].ClientURI != "" ||
		!strings.HasSuffix(clients[0].Links["tokens"].Href, "/clients/0oabskvc6442nkvQO0h7/tokens") {
		t.Errorf("clients = %+v, %v", clients, err)
	}
}

func TestDecodeUnexpectedBodies(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"not JSON", "<html>oops</html>"},
		{"object instead of array", `{"id":"x"}`},
		{"bad time", `[{"id":"x","created":"yesterday"}]`},
		{"empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			answer(mt, 200, nil, tc.body)
			_, err := drain(newTestAdmin(t, mt).ListUserClientTokens(context.Background(), "00u1", "0oa1", ListOptions{}))
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrUnexpectedResponse) || re.StatusCode != 200 {
				t.Errorf("error = %v, want ErrUnexpectedResponse with status 200", err)
			}
		})
	}
}

func TestNewConfig(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "at"})
	for _, tc := range []struct {
		name    string
		cfg     Config
		opts    []revoke.Option
		base    string
		field   string // "" for success
		problem string
		kind    error
	}{
		{"bare domain", Config{Domain: "dev-1.okta.com", APIToken: testToken}, nil, "https://dev-1.okta.com", "", "", nil},
		{"scheme and slash", Config{Domain: "https://dev-1.okta.com/", APIToken: testToken}, nil, "https://dev-1.okta.com", "", "", nil},
		{"custom domain with port", Config{Domain: "login.example.com:8443", TokenSource: ts}, nil, "https://login.example.com:8443", "", "", nil},
		{"loopback http", Config{Domain: "http://127.0.0.1:8080/", APIToken: testToken}, nil, "http://127.0.0.1:8080", "", "", nil},
		{"insecure opt-in", Config{Domain: "http://okta.internal", APIToken: testToken}, []revoke.Option{revoke.WithInsecureHTTP()}, "http://okta.internal", "", "", nil},
		{"empty domain", Config{APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "is empty", nil},
		{"whitespace domain", Config{Domain: "dev-1.okta.com\n", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "white space", nil},
		{"plain http", Config{Domain: "http://dev-1.okta.com", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "clear text", revoke.ErrInsecureEndpoint},
		{"path", Config{Domain: "https://dev-1.okta.com/oauth2/default", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "only the org domain", nil},
		{"query", Config{Domain: "https://dev-1.okta.com/?x=1", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "query", nil},
		{"admin console domain", Config{Domain: "dev-1-admin.okta.com", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "dev-1.okta.com", nil},
		{"ftp", Config{Domain: "ftp://dev-1.okta.com", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "scheme", nil},
		{"no credential", Config{Domain: "dev-1.okta.com"}, nil, "", "oktaadmin.Config", "neither", nil},
		{"both credentials", Config{Domain: "dev-1.okta.com", APIToken: testToken, TokenSource: ts}, nil, "", "oktaadmin.Config", "both", nil},
		{"SSWS prefix", Config{Domain: "dev-1.okta.com", APIToken: "SSWS " + testToken}, nil, "", "oktaadmin.Config.APIToken", "SSWS", nil},
		{"newline in token", Config{Domain: "dev-1.okta.com", APIToken: testToken + "\n"}, nil, "", "oktaadmin.Config.APIToken", "newline", nil},
		{"short token", Config{Domain: "dev-1.okta.com", APIToken: "00short"}, nil, "", "oktaadmin.Config.APIToken", "7 bytes long", nil},
		{"whitespace-only token", Config{Domain: "dev-1.okta.com", APIToken: "          "}, nil, "", "oktaadmin.Config.APIToken", "white space", nil},
		{"control character in token", Config{Domain: "dev-1.okta.com", APIToken: "00api\x00token-value"}, nil, "", "oktaadmin.Config.APIToken", "control character", nil},
		{"user info in domain", Config{Domain: "https://admin:hunter2-password@dev-1.okta.com", APIToken: testToken}, nil, "", "oktaadmin.Config.Domain", "user info", nil},
		{"negative MaxPages", Config{Domain: "dev-1.okta.com", APIToken: testToken, MaxPages: -1}, nil, "", "oktaadmin.Config.MaxPages", "negative", nil},
		{"bad option", Config{Domain: "dev-1.okta.com", APIToken: testToken}, []revoke.Option{revoke.WithHTTPClient(nil)}, "", "WithHTTPClient", "nil", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := New(tc.cfg, tc.opts...)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if a.Domain() != tc.base {
					t.Errorf("Domain() = %q, want %q", a.Domain(), tc.base)
				}
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(ce.Problem, tc.problem) {
				t.Fatalf("error = %v, want ConfigError on %s mentioning %q", err, tc.field, tc.problem)
			}
			if tc.kind != nil && !errors.Is(err, tc.kind) {
				t.Errorf("error %v does not match %v", err, tc.kind)
			}
			if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "hunter2-password") {
				t.Errorf("error %q contains a secret", err)
			}
		})
	}
}

// countingSource hands out a new token on every call, as a refreshing
// source would after expiry.
type countingSource struct {
	mu  sync.Mutex
	n   int
	typ string
	err error
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	s.n++
	return &oauth2.Token{AccessToken: fmt.Sprintf("bearer-secret-%d", s.n), TokenType: s.typ}, nil
}

func TestBearerTokenPerRequest(t *testing.T) {
	mt := httpmock.NewMockTransport()
	rec := answer(mt, 204, nil, "")
	src := &countingSource{}
	a, err := New(Config{Domain: testDomain, TokenSource: src}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := a.RevokeUserGrants(context.Background(), "00u1"); err != nil {
			t.Fatal(err)
		}
	}
	reqs := rec.all()
	for i, want := range []string{"Bearer bearer-secret-1", "Bearer bearer-secret-2"} {
		if got := reqs[i].Header.Get("Authorization"); got != want {
			t.Errorf("request %d Authorization = %q, want %q", i, got, want)
		}
	}
}

func TestBearerTokenSourceProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   oauth2.TokenSource
		check func(t *testing.T, err error)
	}{
		{"DPoP token", &countingSource{typ: "DPoP"}, func(t *testing.T, err error) {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != "oktaadmin.Config.TokenSource" || !strings.Contains(ce.Problem, "DPoP") {
				t.Errorf("error = %v", err)
			}
		}},
		{"MAC token", &countingSource{typ: "MAC"}, func(t *testing.T, err error) {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "MAC") {
				t.Errorf("error = %v", err)
			}
		}},
		{"empty token", oauth2.StaticTokenSource(&oauth2.Token{}), func(t *testing.T, err error) {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "no access token") {
				t.Errorf("error = %v", err)
			}
		}},
		{"token endpoint refuses", &countingSource{err: &oauth2.RetrieveError{Response: &http.Response{StatusCode: 401}, Body: []byte("secret body"), ErrorCode: "invalid_client", ErrorDescription: "bad assertion"}},
			func(t *testing.T, err error) {
				var re *revoke.Error
				if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) || re.StatusCode != 401 || re.Description != "bad assertion" || strings.Contains(err.Error(), "secret body") {
					t.Errorf("error = %v", err)
				}
			}},
		{"network failure", &countingSource{err: errors.New("dial tcp: connection refused")}, func(t *testing.T, err error) {
			if !errors.Is(err, revoke.ErrUnavailable) || !strings.Contains(err.Error(), "connection refused") {
				t.Errorf("error = %v", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			answer(mt, 204, nil, "")
			a, err := New(Config{Domain: testDomain, TokenSource: tc.src}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.RevokeUserGrants(context.Background(), "00u1")
			tc.check(t, err)
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent without a usable token", n)
			}
		})
	}
}

// TestBadInput checks that every bad argument is a ConfigError naming the
// method and argument, returned before any request.
func TestBadInput(t *testing.T) {
	type call func(a *Admin, v string) error
	ctx := context.Background()
	ignore := func(_ any, err error) error { return err }
	first := func(seq func(func(RefreshToken, error) bool)) error { _, err := drain(seq); return err }
	methods := []struct {
		method, arg string
		call        call
	}{
		{"ListUserClients", "userID", func(a *Admin, v string) error { return ignore(a.ListUserClients(ctx, v)) }},
		{"ListUserClientTokens", "userID", func(a *Admin, v string) error { return first(a.ListUserClientTokens(ctx, v, "0oa1", ListOptions{})) }},
		{"ListUserClientTokens", "clientID", func(a *Admin, v string) error { return first(a.ListUserClientTokens(ctx, "00u1", v, ListOptions{})) }},
		{"GetUserClientToken", "tokenID", func(a *Admin, v string) error { return ignore(a.GetUserClientToken(ctx, "00u1", "0oa1", v, false)) }},
		{"RevokeUserClientToken", "userID", func(a *Admin, v string) error { return ignore(a.RevokeUserClientToken(ctx, v, "0oa1", "oar1")) }},
		{"RevokeUserClientToken", "clientID", func(a *Admin, v string) error { return ignore(a.RevokeUserClientToken(ctx, "00u1", v, "oar1")) }},
		{"RevokeUserClientToken", "tokenID", func(a *Admin, v string) error { return ignore(a.RevokeUserClientToken(ctx, "00u1", "0oa1", v)) }},
		{"RevokeUserClientTokens", "clientID", func(a *Admin, v string) error { return ignore(a.RevokeUserClientTokens(ctx, "00u1", v)) }},
		{"RevokeUserClientGrants", "clientID", func(a *Admin, v string) error { return ignore(a.RevokeUserClientGrants(ctx, "00u1", v)) }},
		{"RevokeUserGrants", "userID", func(a *Admin, v string) error { return ignore(a.RevokeUserGrants(ctx, v)) }},
		{"ClearUserSessions", "userID", func(a *Admin, v string) error {
			return ignore(a.ClearUserSessions(ctx, v, SessionOptions{OAuthTokens: true}))
		}},
		{"ListAuthServerClients", "authServerID", func(a *Admin, v string) error { return ignore(a.ListAuthServerClients(ctx, v)) }},
		{"ListAuthServerClientTokenPages", "clientID", func(a *Admin, v string) error {
			_, err := drain(a.ListAuthServerClientTokenPages(ctx, "aus1", v, ListOptions{}))
			return err
		}},
		{"ListUserClientTokenPages", "userID", func(a *Admin, v string) error {
			_, err := drain(a.ListUserClientTokenPages(ctx, v, "0oa1", ListOptions{}))
			return err
		}},
		{"ListAuthServerClientTokens", "authServerID", func(a *Admin, v string) error {
			return first(a.ListAuthServerClientTokens(ctx, v, "0oa1", ListOptions{}))
		}},
		{"GetAuthServerClientToken", "clientID", func(a *Admin, v string) error {
			return ignore(a.GetAuthServerClientToken(ctx, "aus1", v, "oar1", true))
		}},
		{"RevokeAuthServerClientToken", "tokenID", func(a *Admin, v string) error { return ignore(a.RevokeAuthServerClientToken(ctx, "aus1", "0oa1", v)) }},
		{"RevokeAuthServerClientTokens", "authServerID", func(a *Admin, v string) error { return ignore(a.RevokeAuthServerClientTokens(ctx, v, "0oa1")) }},
		{"ListUserClients", "userID", func(a *Admin, v string) error { return ignore(a.RevokeAllUserTokens(ctx, v)) }},
	}
	values := []struct{ name, v, problem string }{
		{"empty", "", "is empty"},
		{"slash", "00u1/../../apps", "'/'"},
		{"question mark", "00u1?limit=1", "'?'"},
		{"hash", "00u1#x", "'#'"},
		{"percent", "00u1%2Fx", "'%'"},
		{"backslash", `00u1\x`, `'\\'`},
		{"space", "00u 1", "space or control"},
		{"newline", "00u1\n", "space or control"},
		{"NUL", "00u1\x00", "space or control"},
		{"dot dot", "..", "relative path segment"},
		{"dot", ".", "relative path segment"},
		{"too long", strings.Repeat("a", 300), "300 bytes"},
		{"invalid UTF-8", "00u\xff", "UTF-8"},
	}
	for _, m := range methods {
		for _, v := range values {
			t.Run(m.method+"/"+m.arg+"/"+v.name, func(t *testing.T) {
				mt := httpmock.NewMockTransport()
				a := newTestAdmin(t, mt)
				err := m.call(a, v.v)
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) {
					t.Fatalf("error = %v (%T), want *revoke.ConfigError", err, err)
				}
				if want := "oktaadmin.Admin." + m.method + ": " + m.arg; ce.Field != want {
					t.Errorf("Field = %q, want %q", ce.Field, want)
				}
				if !strings.Contains(ce.Problem, v.problem) {
					t.Errorf("Problem = %q, want it to mention %q", ce.Problem, v.problem)
				}
				if v.v != "" && len(v.v) > 3 && strings.Contains(err.Error(), v.v) {
					t.Errorf("error %q echoes the bad value", err)
				}
				if n := mt.GetTotalCallCount(); n != 0 {
					t.Errorf("%d requests sent for a bad argument", n)
				}
			})
		}
	}
}

func TestBadListOptions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    ListOptions
		as      bool
		problem string
	}{
		{"limit above 200", ListOptions{Limit: 201}, false, "201 is out of range: use 1 to 200, or 0 for 20"},
		{"negative limit", ListOptions{Limit: -1}, false, "-1 is out of range"},
		{"AS limit -1", ListOptions{Limit: -1}, true, "or 0 for Okta's default"},
		{"AS limit above 200", ListOptions{Limit: 1000}, true, "1000 is out of range"},
		{"control character in cursor", ListOptions{After: "abc\r\n"}, false, "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			a := newTestAdmin(t, mt)
			seq := a.ListUserClientTokens(context.Background(), "00u1", "0oa1", tc.opts)
			if tc.as {
				seq = a.ListAuthServerClientTokens(context.Background(), "aus1", "0oa1", tc.opts)
			}
			n := 0
			var err error
			for _, e := range seq {
				n++
				err = e
			}
			var ce *revoke.ConfigError
			if n != 1 || !errors.As(err, &ce) || !strings.Contains(ce.Problem, tc.problem) || !strings.HasPrefix(ce.Field, "oktaadmin.Admin.") {
				t.Errorf("yielded %d values, last error %v; want one ConfigError mentioning %q", n, err, tc.problem)
			}
			if mt.GetTotalCallCount() != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

func TestNilContext(t *testing.T) {
	mt := httpmock.NewMockTransport()
	a := newTestAdmin(t, mt)
	var nilCtx context.Context
	_, err := a.RevokeUserGrants(nilCtx, "00u1")
	if !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), "nil context") {
		t.Errorf("error = %v", err)
	}
	if mt.GetTotalCallCount() != 0 {
		t.Error("a request was sent")
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	mt := httpmock.NewMockTransport()
	a := newTestAdmin(t, mt)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if mt.GetTotalCallCount() != 0 {
		t.Error("a request was sent")
	}
}

// TestRevokeAllUserTokensMock drives RevokeAllUserTokens over httpmock: one
// client fails, the others are revoked, the error joins the failure.
func TestRevokeAllUserTokensMock(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, testDomain+"/api/v1/users/00u1/clients",
		httpmock.NewStringResponder(200, `[{"client_id":"0oaA","client_name":"A"},{"client_id":"0oaB","client_name":"B"},{"client_id":"0oa/C","client_name":"C"}]`))
	mt.RegisterResponder(http.MethodDelete, testDomain+"/api/v1/users/00u1/clients/0oaA/tokens", httpmock.NewStringResponder(204, ""))
	mt.RegisterResponder(http.MethodDelete, testDomain+"/api/v1/users/00u1/clients/0oaB/tokens", httpmock.NewStringResponder(403, golden(t, "error_403.json")))
	a := newTestAdmin(t, mt)
	report, err := a.RevokeAllUserTokens(context.Background(), "00u1")
	if report == nil || len(report.Clients) != 3 {
		t.Fatalf("report = %+v", report)
	}
	if c := report.Clients[0]; c.ClientID != "0oaA" || c.ClientName != "A" || c.Err != nil {
		t.Errorf("client A = %+v", c)
	}
	if c := report.Clients[1]; c.ClientID != "0oaB" || !errors.Is(c.Err, revoke.ErrForbidden) {
		t.Errorf("client B = %+v", c)
	}
	var ce *revoke.ConfigError
	if c := report.Clients[2]; !errors.As(c.Err, &ce) {
		t.Errorf("client with a path-unsafe ID = %+v, want a ConfigError and no request", c)
	}
	if !errors.Is(err, revoke.ErrForbidden) || !errors.As(err, &ce) || !strings.Contains(err.Error(), `client "B" (0oaB)`) {
		t.Errorf("joined error = %v", err)
	}
	if len(report.Revoked()) != 1 || len(report.Failed()) != 2 {
		t.Errorf("Revoked %d, Failed %d", len(report.Revoked()), len(report.Failed()))
	}
	if n := mt.GetTotalCallCount(); n != 3 {
		t.Errorf("%d requests, want 3 (list, A, B)", n)
	}

	mt = httpmock.NewMockTransport()
	answer(mt, 404, nil, golden(t, "error_404.json"))
	report, err = newTestAdmin(t, mt).RevokeAllUserTokens(context.Background(), "00uGone")
	if !errors.Is(err, revoke.ErrNotFound) || report == nil || len(report.Clients) != 0 || report.UserID != "00uGone" {
		t.Errorf("unknown user: report %+v, error %v", report, err)
	}
}

// TestSecretsNeverPrinted prints every exported value holding a secret with
// every verb, and logs them.
func TestSecretsNeverPrinted(t *testing.T) {
	mt := httpmock.NewMockTransport()
	a := newTestAdmin(t, mt)
	cfg := Config{Domain: "dev-1234.okta.com", APIToken: testToken}
	bearer, err := New(Config{Domain: testDomain, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken})})
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{"Config": cfg, "*Config": &cfg, "*Admin": a, "Admin": *a, "bearer *Admin": bearer, "ssws": a.auth, "bearer": bearer.auth}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			if out := fmt.Sprintf(verb, v); strings.Contains(out, testToken) || strings.Contains(out, fmt.Sprintf("%x", testToken)) {
				t.Errorf("%s printed with %s shows the token: %s", name, verb, out)
			}
		}
	}
	if got, want := fmt.Sprintf("%+v", cfg), `{Domain:"dev-1234.okta.com" APIToken:[REDACTED] TokenSource:<nil> MaxPages:0 UseGlobalTokenRevocation:false Auth:"SSWS"}`; got != want {
		t.Errorf("%%+v = %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%#v", a), `oktaadmin.Admin{Domain:"https://dev-1234.okta.com", Auth:SSWS [REDACTED]}`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l.Info("values", "cfg", cfg, "admin", a, "bearer", bearer)
	if strings.Contains(buf.String(), testToken) || !strings.Contains(buf.String(), `"auth":"SSWS`) {
		t.Errorf("slog output: %s", buf.String())
	}
}

// TestSecretsScrubbedFromErrorsAndLogs makes the server echo the credential
// and checks that neither the error nor the debug log carries it.
func TestSecretsScrubbedFromErrorsAndLogs(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"SSWS", Config{Domain: testDomain, APIToken: testToken}},
		{"Bearer", Config{Domain: testDomain, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken})}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
				echo := req.Header.Get("Authorization")
				return httpmock.NewStringResponse(401, fmt.Sprintf(`{"errorCode":"E0000011","errorSummary":"Invalid token provided: %s","errorLink":"E0000011","errorId":"x","errorCauses":[{"errorSummary":"%s"}]}`, echo, echo)), nil
			})
			var buf bytes.Buffer
			a, err := New(tc.cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.RevokeUserGrants(context.Background(), "00u1")
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) {
				t.Fatalf("error = %v", err)
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", re), re.Description, strings.Join(re.Causes, " "), buf.String()} {
				if strings.Contains(s, testToken) {
					t.Errorf("secret leaked: %s", s)
				}
			}
			if !strings.Contains(re.Description, revoke.Redacted) {
				t.Errorf("description %q: want the echoed token replaced by %s", re.Description, revoke.Redacted)
			}
			if !strings.Contains(buf.String(), "okta admin revokeUserGrants") {
				t.Errorf("debug log lacks the operation: %s", buf.String())
			}
		})
	}
}
