package cognitotest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

const (
	hostedBase = "https://myapp.auth.us-east-1.amazoncognito.com"
	apiBase    = "https://cognito-idp.us-east-1.amazonaws.com"
	secret     = "appsecret0123456789abcdef"
)

func newFake() *cognitotest.Server {
	s := cognitotest.New()
	s.AddClient(revoketest.Client{ID: "app", Secret: secret})
	s.AddClient(revoketest.Client{ID: "spa"})
	return s
}

func hosted(t *testing.T, h http.Handler, form url.Values, authz string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, hostedBase+cognitotest.RevokePath, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	return testkit.Do(t, h, r)
}

func action(t *testing.T, h http.Handler, body string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, apiBase+"/", strings.NewReader(body))
	r.Header.Set("Content-Type", cognitotest.ContentType)
	r.Header.Set("X-Amz-Target", cognitotest.Target)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	return testkit.Do(t, h, r)
}

// TestHosted checks /oauth2/revoke: every refusal's status and exact body,
// and what a revocation does to the token state.
func TestHosted(t *testing.T) {
	s := newFake()
	p := s.Issue("app", "alice")
	other := s.Issue("spa", "bob")
	tests := []struct {
		name   string
		form   url.Values
		authz  string
		status int
		body   string
	}{
		{"no token", url.Values{}, testkit.Basic("app", secret), 400, testkit.AdapterBody(t, "revoke-400-invalid-request.json")},
		{"no client", url.Values{"token": {p.RefreshToken}}, "", 401, testkit.AdapterBody(t, "revoke-401-invalid-client.json")},
		{"wrong secret", url.Values{"token": {p.RefreshToken}}, testkit.Basic("app", "wrong"), 401, testkit.AdapterBody(t, "revoke-401-invalid-client.json")},
		{"client_id for a client with a secret", url.Values{"token": {p.RefreshToken}, "client_id": {"app"}}, "", 401, testkit.AdapterBody(t, "revoke-401-invalid-client.json")},
		{"an access token", url.Values{"token": {p.AccessToken}}, testkit.Basic("app", secret), 400, testkit.AdapterBody(t, "revoke-400-unsupported-token-type.json")},
		{"an unknown token", url.Values{"token": {"unknown-0123"}}, testkit.Basic("app", secret), 200, ""},
		{"another client's token", url.Values{"token": {other.RefreshToken}}, testkit.Basic("app", secret), 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := hosted(t, s, tc.form, tc.authz)
			testkit.Want(t, "status", resp.StatusCode, tc.status)
			testkit.Want(t, "body", body, tc.body)
		})
	}
	if !s.Active(p.RefreshToken) || !s.Active(other.RefreshToken) {
		t.Fatal("a refusal revoked a token")
	}
	resp, body := hosted(t, s, url.Values{"token": {p.RefreshToken}}, testkit.Basic("app", secret))
	if resp.StatusCode != 200 || body != "" || s.Active(p.RefreshToken) || s.Active(p.AccessToken) {
		t.Errorf("revocation: %d %q", resp.StatusCode, body)
	}
	resp, _ = hosted(t, s, url.Values{"token": {other.RefreshToken}, "client_id": {"spa"}}, "")
	if resp.StatusCode != 200 || s.Active(other.RefreshToken) {
		t.Errorf("public client: %d", resp.StatusCode)
	}
	s.SetTokenRevocation("spa", false)
	p = s.Issue("spa", "carol")
	resp, body = hosted(t, s, url.Values{"token": {p.RefreshToken}, "client_id": {"spa"}}, "")
	if resp.StatusCode != 400 || body != testkit.AdapterBody(t, "revoke-400-invalid-request.json") || !s.Active(p.RefreshToken) {
		t.Errorf("revocation disabled: %d %s", resp.StatusCode, body)
	}
	// Protocol: GET, and a JSON body.
	resp, _ = testkit.Do(t, s, httptest.NewRequest(http.MethodGet, hostedBase+cognitotest.RevokePath, nil))
	testkit.Want(t, "GET", resp.StatusCode, 405)
	r := httptest.NewRequest(http.MethodPost, hostedBase+cognitotest.RevokePath, strings.NewReader(`{"token":"x"}`))
	r.Header.Set("Content-Type", "application/json")
	resp, _ = testkit.Do(t, s, r)
	testkit.Want(t, "JSON", resp.StatusCode, 400)
	resp, _ = testkit.Do(t, s, httptest.NewRequest(http.MethodGet, hostedBase+"/login", nil))
	testkit.Want(t, "other path", resp.StatusCode, 404)
}

// TestAction checks the RevokeToken action: exceptions, headers, success.
func TestAction(t *testing.T) {
	s := newFake()
	p := s.Issue("app", "alice")
	js := func(tok, id, sec string) string {
		if sec == "" {
			return fmt.Sprintf(`{"Token":%q,"ClientId":%q}`, tok, id)
		}
		return fmt.Sprintf(`{"Token":%q,"ClientId":%q,"ClientSecret":%q}`, tok, id, sec)
	}
	tests := []struct {
		name string
		body string
		hdr  map[string]string
		exc  string
		want string // exact body when set
	}{
		{"no token", `{"ClientId":"app"}`, nil, "InvalidParameterException", testkit.AdapterBody(t, "api-400-invalid-parameter.json")},
		{"no client ID", fmt.Sprintf(`{"Token":%q}`, p.RefreshToken), nil, "InvalidParameterException", ""},
		{"wrong target", js(p.RefreshToken, "app", secret), map[string]string{"X-Amz-Target": "AWSCognitoIdentityProviderService.GlobalSignOut"}, "UnknownOperationException", ""},
		{"wrong content type", js(p.RefreshToken, "app", secret), map[string]string{"Content-Type": "application/json"}, "SerializationException", ""},
		{"not JSON", "token=x", nil, "SerializationException", ""},
		{"unknown client", js(p.RefreshToken, "nobody", ""), nil, "NotAuthorizedException", ""},
		{"missing secret", js(p.RefreshToken, "app", ""), nil, "NotAuthorizedException", ""},
		{"wrong secret", js(p.RefreshToken, "app", "wrong"), nil, "NotAuthorizedException", testkit.AdapterBody(t, "api-400-not-authorized.json")},
		{"an access token", js(p.AccessToken, "app", secret), nil, "UnsupportedTokenTypeException", testkit.AdapterBody(t, "api-400-unsupported-token-type.json")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := action(t, s, tc.body, tc.hdr)
			testkit.Want(t, "status", resp.StatusCode, 400)
			if !strings.Contains(body, `"__type":"`+tc.exc+`"`) || !strings.HasPrefix(resp.Header.Get("X-Amzn-ErrorType"), tc.exc+":") {
				t.Errorf("body %s, X-Amzn-ErrorType %q; want %s", body, resp.Header.Get("X-Amzn-ErrorType"), tc.exc)
			}
			if tc.want != "" {
				testkit.Want(t, "body", body, tc.want)
			}
			if resp.Header.Get("X-Amzn-RequestId") == "" {
				t.Error("no request ID")
			}
		})
	}
	if !s.Active(p.RefreshToken) {
		t.Fatal("a refusal revoked the token")
	}
	resp, body := action(t, s, js(p.RefreshToken, "app", secret), nil)
	if resp.StatusCode != 200 || body != "{}" || resp.Header.Get("Content-Type") != cognitotest.ContentType || s.Active(p.AccessToken) {
		t.Errorf("revocation: %d %s", resp.StatusCode, body)
	}
	s.SetTokenRevocation("app", false)
	p = s.Issue("app", "bob")
	_, body = action(t, s, js(p.RefreshToken, "app", secret), nil)
	testkit.Want(t, "disabled", body, testkit.AdapterBody(t, "api-400-unsupported-operation.json"))
	s.SetTokenRevocation("nobody", true) // unknown clients are ignored
}

// TestFaults checks the throttling answer and the request log, over two
// hosts registered on one transport.
func TestFaults(t *testing.T) {
	mt := httpmock.NewMockTransport()
	s := cognitotest.Register(mt, hostedBase)
	s.Register(mt, apiBase)
	s.AddClient(revoketest.Client{ID: "spa"})
	s.FailNext(1, cognitotest.TooManyRequests())
	c := &http.Client{Transport: mt}
	req, _ := http.NewRequest(http.MethodPost, apiBase+"/", strings.NewReader(`{"Token":"t","ClientId":"spa"}`))
	req.Header.Set("Content-Type", cognitotest.ContentType)
	req.Header.Set("X-Amz-Target", cognitotest.Target)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	testkit.Want(t, "status", resp.StatusCode, 400)
	testkit.Want(t, "body", string(b), testkit.AdapterBody(t, "api-400-too-many-requests.json"))
	resp, err = c.PostForm(hostedBase+cognitotest.RevokePath, url.Values{"token": {"t"}, "client_id": {"spa"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[0].Status != 400 || reqs[1].Status != 200 || reqs[1].Path != cognitotest.RevokePath {
		t.Errorf("log %+v", reqs)
	}
	big := strings.Repeat("x", revoketest.MaxRequestBytes+1)
	resp, err = c.PostForm(hostedBase+cognitotest.RevokePath, url.Values{"token": {big}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	testkit.Want(t, "oversized", resp.StatusCode, http.StatusRequestEntityTooLarge)
}

// TestPrinting: the fake prints counts only.
func TestPrinting(t *testing.T) {
	s := newFake()
	p := s.Issue("app", "alice")
	out := testkit.PrintAll(s)
	testkit.NoLeak(t, "fake", out, secret, p.RefreshToken)
	if !strings.Contains(out, "clients:2") {
		t.Errorf("print %s", out)
	}
	var nilS *cognitotest.Server
	if !strings.Contains(fmt.Sprint(nilS), "<nil>") {
		t.Error("nil print")
	}
}

// TestConcurrent exercises the fake from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	s := newFake()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := s.Issue("spa", fmt.Sprint(i))
			if i%2 == 0 {
				hosted(t, s, url.Values{"token": {p.RefreshToken}, "client_id": {"spa"}}, "")
			} else {
				action(t, s, fmt.Sprintf(`{"Token":%q,"ClientId":"spa"}`, p.RefreshToken), nil)
			}
			s.SetTokenRevocation("app", i%3 != 0)
		}()
	}
	wg.Wait()
}
