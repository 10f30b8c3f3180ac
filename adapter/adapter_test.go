package adapter_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

const base = "https://as.example.com"

func mustURL(t testing.TB, c *adapter.Client, raw string) *url.URL {
	t.Helper()
	u, err := c.URL("test", raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func newClient(t testing.TB, p adapter.Profile, opts ...revoke.Option) *adapter.Client {
	t.Helper()
	c, err := adapter.New(p, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWireShape asserts what each body kind and each client
// authentication put on the wire.
func TestWireShape(t *testing.T) {
	key := testkit.ECKey(t)
	tests := []struct {
		name      string
		call      func(u *url.URL) *adapter.Call
		method    string
		ctype     string
		authz     string
		body      string
		bodyCheck func(t *testing.T, s testkit.Seen)
	}{
		{"form with Basic", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", URL: u, Body: adapter.Form(url.Values{"token": {testkit.Token}, "b": {"2", "1"}}), Auth: revoke.ClientSecretBasic("id", testkit.Secret)}
		}, "POST", "application/x-www-form-urlencoded", "Basic aWQ6cCU0MHNzJTNBdyUyQnJkJTI1JTJGJTNEK3g=", "b=2&b=1&token=tok-3f9a.SECRET-value-0001", nil},
		{"form with post credentials appended", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", URL: u, Body: adapter.Form(url.Values{"token": {"a b&c"}}), Auth: revoke.ClientSecretPost("id", testkit.Secret)}
		}, "POST", "application/x-www-form-urlencoded", "", "token=a+b%26c&client_id=id&client_secret=p%40ss%3Aw%2Brd%25%2F%3D+x", nil},
		{"JSON fields with a public client", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", URL: u, Body: adapter.JSONFields(url.Values{"token": {`q"\<>&`}}), Auth: revoke.PublicClient("app")}
		}, "POST", "application/json", "", `{"token":"q\"\\<>&","client_id":"app"}`, nil},
		{"JSON value, DELETE, raw Basic", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", Method: "DELETE", URL: u, Body: adapter.JSON(map[string]any{"access_token": "x/<y>"}), Auth: revoke.ClientSecretBasicRaw("id", "s3cr3t-value")}
		}, "DELETE", "application/json", testkit.Basic("id", "s3cr3t-value"), `{"access_token":"x/<y>"}`, nil},
		{"no body, no auth, query", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", Method: "GET", URL: u, Query: url.Values{"limit": {"5"}}}
		}, "GET", "", "", "", nil},
		{"raw body", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", URL: u, Body: adapter.Raw("text/plain", []byte("hello"))}
		}, "POST", "text/plain", "", "hello", nil},
		{"private_key_jwt assertion in a form", func(u *url.URL) *adapter.Call {
			return &adapter.Call{Op: "op", URL: u, Body: adapter.Form(url.Values{"token": {testkit.Token}}), Auth: revoke.PrivateKeyJWT("id", key)}
		}, "POST", "application/x-www-form-urlencoded", "", "", func(t *testing.T, s testkit.Seen) {
			f := s.Form(t)
			testkit.Want(t, "client_assertion_type", f.Get("client_assertion_type"), revoke.ClientAssertionType)
			if parts := strings.Split(f.Get("client_assertion"), "."); len(parts) != 3 {
				t.Errorf("client_assertion is not a compact JWS")
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			c := newClient(t, adapter.Profile{}, ep.Options(revoke.WithUserAgent("ua/1"))...)
			call := tc.call(mustURL(t, c, base+"/x"))
			hdr := http.Header{"Accept": {"application/json"}}
			call.Header = hdr
			if _, err := c.Do(context.Background(), call); err != nil {
				t.Fatal(err)
			}
			s := ep.Only(t)
			testkit.Want(t, "method", s.Method, tc.method)
			testkit.Header(t, s.Header, "Content-Type", tc.ctype)
			testkit.Header(t, s.Header, "Authorization", tc.authz)
			testkit.Header(t, s.Header, "User-Agent", "ua/1")
			testkit.Header(t, s.Header, "Accept", "application/json")
			if tc.bodyCheck != nil {
				tc.bodyCheck(t, s)
			} else {
				testkit.Want(t, "body", string(s.Body), tc.body)
			}
			if len(hdr) != 1 {
				t.Errorf("the call's fixed header was modified: %v", hdr)
			}
			if tc.name == "no body, no auth, query" {
				testkit.Want(t, "query", s.URL.RawQuery, "limit=5")
			}
		})
	}
}

// TestRevocation checks the RFC 7009 helper: the form, hints, params and
// every refusal, which must be typed and send nothing.
func TestRevocation(t *testing.T) {
	ep := testkit.NewEndpoint()
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	rv := &adapter.Revocation{Op: "x revoke", URL: mustURL(t, c, base+"/revoke"), Auth: revoke.ClientSecretBasic("id", testkit.Secret),
		Hints: []revoke.TokenTypeHint{revoke.HintAccessToken, "oauth_sts"}}
	res, err := c.Revoke(context.Background(), rv, revoke.Request{Token: testkit.Token, Hint: "oauth_sts", Params: url.Values{"resource": {"https://api"}}})
	if err != nil || res.StatusCode != 200 || res.Attempts != 1 {
		t.Fatalf("Revoke = %+v, %v", res, err)
	}
	testkit.Want(t, "body", string(ep.Only(t).Body), "token=tok-3f9a.SECRET-value-0001&token_type_hint=oauth_sts&resource=https%3A%2F%2Fapi")
	// SendClientID: client_id in the body beside Basic.
	withID := *rv
	withID.SendClientID = true
	if _, err := c.Revoke(context.Background(), &withID, revoke.Request{Token: testkit.Token}); err != nil {
		t.Fatal(err)
	}
	if reqs := ep.Requests(); len(reqs) != 2 || string(reqs[1].Body) != "token=tok-3f9a.SECRET-value-0001&client_id=id" || reqs[1].Header.Get("Authorization") == "" {
		t.Errorf("SendClientID: %q", reqs[len(reqs)-1].Body)
	}

	bad := []struct {
		name string
		req  revoke.Request
		want string
	}{
		{"empty token", revoke.Request{}, "is empty"},
		{"short token", revoke.Request{Token: "abc"}, "shorter than any token"},
		{"newline in token", revoke.Request{Token: testkit.Token + "\n"}, "stray newline"},
		{"undocumented hint", revoke.Request{Token: testkit.Token, Hint: revoke.HintRefreshToken}, "use one of access_token, oauth_sts"},
		{"TOKEN in params", revoke.Request{Token: testkit.Token, Params: url.Values{"TOKEN": {"x"}}}, "in any letter case"},
		{"Client_Secret in params", revoke.Request{Token: testkit.Token, Params: url.Values{"Client_Secret": {"x"}}}, "in any letter case"},
		{"empty param name", revoke.Request{Token: testkit.Token, Params: url.Values{"": {"x"}}}, "empty name"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Revoke(context.Background(), rv, tc.req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %T %v; want a ConfigError matching ErrInvalidRequest with %q", err, err, tc.want)
			}
			testkit.NoLeak(t, "error", fmt.Sprint(err), testkit.Token)
		})
	}
	if n := len(ep.Requests()); n != 2 {
		t.Errorf("%d requests sent; bad input must send nothing", n)
	}
	// JSON bodies refuse what JSON would alter.
	rv.JSON = true
	_, err = c.Revoke(context.Background(), rv, revoke.Request{Token: "tok-\xff\xfe-0123456789"})
	if !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("invalid UTF-8 in a JSON body: err = %v", err)
	}
}

// TestCheck covers what a Check can say.
func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		answer  testkit.Answer
		check   func(r *adapter.Response) error
		wantErr error
		already bool
	}{
		{"default: 2xx", testkit.Answer{Status: 204}, nil, nil, false},
		{"default: 400 invalid_client", testkit.JSONAnswer(400, `{"error":"invalid_client"}`), nil, revoke.ErrInvalidClient, false},
		{"already invalid on 400 invalid_token", testkit.JSONAnswer(400, `{"error":"invalid_token"}`), func(r *adapter.Response) error {
			if b, ok := r.ErrorBody(); ok && b.Code == "invalid_token" {
				return adapter.AlreadyInvalid
			}
			return adapter.DefaultCheck(r)
		}, nil, true},
		{"200 with ok:false is a failure", testkit.JSONAnswer(200, `{"ok":false,"error":"invalid_auth"}`), func(r *adapter.Response) error {
			var b struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			if json.Unmarshal(r.Body, &b) == nil && !b.OK {
				e := r.Fail()
				e.Kind, e.Code = revoke.ErrInvalidToken, r.Scrub(b.Error)
				return e
			}
			return nil
		}, revoke.ErrInvalidToken, false},
		{"a plain error from a Check is typed", testkit.Answer{Status: 200, Body: "weird"}, func(*adapter.Response) error {
			return errors.New("no envelope")
		}, revoke.ErrUnexpectedResponse, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			c := newClient(t, adapter.Profile{}, ep.Options()...)
			resp, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base), ReadBody: true, Check: tc.check})
			if tc.wantErr == nil {
				if err != nil || resp.AlreadyInvalid != tc.already || resp.Result().AlreadyInvalid != tc.already {
					t.Fatalf("Do = %+v, %v", resp, err)
				}
				return
			}
			var e *revoke.Error
			if !errors.Is(err, tc.wantErr) || !errors.As(err, &e) || e.Op != "op" || e.Attempts != 1 {
				t.Fatalf("err = %#v, want %v", err, tc.wantErr)
			}
		})
	}
}

// TestScrubBeforeCut: whatever part of a response an error keeps, every
// secret the call sent is removed before the text is cut, in every
// encoding, so that no prefix of a long secret survives.
func TestScrubBeforeCut(t *testing.T) {
	long := "tok-" + strings.Repeat("Zq9", 300) // 904 bytes, longer than any kept field
	key := testkit.RSAKey(t)
	var assertion string
	tests := []struct {
		name   string
		token  string
		auth   revoke.ClientAuth
		answer func(sent testkit.Seen) testkit.Answer
	}{
		{"a 900-byte token in error_description", long, nil, func(testkit.Seen) testkit.Answer {
			return testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"bad token `+long+`"}`)
		}},
		{"a 900-byte token across the excerpt boundary", long, nil, func(testkit.Seen) testkit.Answer {
			return testkit.Answer{Status: 400, Body: "<html>" + strings.Repeat("x", 200) + long + "</html>"}
		}},
		{"an RSA-2048 client assertion echoed", testkit.Token, revoke.PrivateKeyJWT("id", key), func(s testkit.Seen) testkit.Answer {
			assertion = s.Form(t).Get("client_assertion")
			return testkit.JSONAnswer(401, `{"error":"invalid_client","error_description":"assertion `+assertion+` rejected"}`)
		}},
		{"the token URL-encoded in a request ID", "tok/with+chars=0123456789", nil, func(testkit.Seen) testkit.Answer {
			return testkit.Answer{Status: 500, Header: http.Header{"X-Request-Id": {url.QueryEscape("tok/with+chars=0123456789") + strings.Repeat("r", 300)}}}
		}},
		{"the secret base64-encoded in an excerpt", testkit.Token, revoke.ClientSecretPost("id", testkit.Secret), func(testkit.Seen) testkit.Answer {
			return testkit.Answer{Status: 502, Body: "echo " + base64.StdEncoding.EncodeToString([]byte(testkit.Secret))}
		}},
		{"the Basic header echoed JSON-escaped", testkit.Token, revoke.ClientSecretBasic("id", "se/cr<et>-0123"), func(s testkit.Seen) testkit.Answer {
			js, _ := json.Marshal(s.Header.Get("Authorization"))
			return testkit.JSONAnswer(401, `{"error":"invalid_client","error_description":`+string(js)+`}`)
		}},
		{"the token with its white space normalised in a cause", testkit.Token, nil, func(testkit.Seen) testkit.Answer {
			return testkit.JSONAnswer(400, `{"code":"E1","causes":["`+strings.Join(strings.Split(testkit.Token, "-"), "-\n ")+`"]}`)
		}},
	}
	profile := adapter.Profile{ParseError: func(b []byte) (adapter.ErrorBody, bool) {
		var e struct {
			Code   string   `json:"code"`
			Causes []string `json:"causes"`
		}
		if json.Unmarshal(b, &e) != nil || e.Code == "" {
			return adapter.ErrorBody{}, false
		}
		return adapter.ErrorBody{Code: e.Code, Causes: e.Causes}, true
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			ep.MT.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				s := testkit.Seen{Method: r.Method, URL: r.URL, Header: r.Header}
				s.Body = readAll(r)
				a := tc.answer(s)
				resp := &http.Response{StatusCode: a.Status, Header: http.Header{}, Body: httpBody(a.Body), Request: r}
				for k, v := range a.Header {
					resp.Header[k] = v
				}
				return resp, nil
			})
			c := newClient(t, profile, revoke.WithHTTPClient(ep.Client()), revoke.WithoutRetry())
			auth := tc.auth
			_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base), Auth: auth}, revoke.Request{Token: tc.token})
			if err == nil {
				t.Fatal("no error")
			}
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("%T", err)
			}
			everything := testkit.PrintAll(err) + testkit.PrintAll(e) + e.Error()
			secrets := []string{tc.token, testkit.Secret, "se/cr<et>-0123", assertion, base64.StdEncoding.EncodeToString([]byte(testkit.Secret))}
			for _, s := range secrets {
				if len(s) < 8 {
					continue
				}
				// No run of 12 bytes of any secret may survive: that is
				// what cutting before scrubbing leaked.
				for i := 0; i+12 <= len(s); i += 4 {
					if strings.Contains(everything, s[i:i+12]) {
						t.Fatalf("a piece of a secret survives (%q at %d): %.400s", s[i:i+12], i, everything)
					}
				}
			}
			if !strings.Contains(everything, revoke.Redacted) {
				t.Errorf("nothing was redacted; was the echo kept at all? %.300s", e.Error())
			}
		})
	}
}

// TestErrorTextBounded: however much a server sends, what an error keeps
// is bounded.
func TestErrorTextBounded(t *testing.T) {
	huge := strings.Repeat("é", 200_000)
	ep := testkit.NewEndpoint(testkit.Answer{Status: 400, Header: http.Header{"X-Request-Id": {huge}, "Location": {huge}},
		Body: `{"error":"` + huge + `","error_description":"` + huge + `","error_uri":"` + huge + `"}`})
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base)})
	if n := len(err.Error()); n > 3000 {
		t.Errorf("error text is %d bytes", n)
	}
}

func TestNilAndZero(t *testing.T) {
	var nilClient *adapter.Client
	if _, err := nilClient.Do(context.Background(), &adapter.Call{}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil client: %v", err)
	}
	c := newClient(t, adapter.Profile{})
	if _, err := c.Do(context.Background(), nil); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil call: %v", err)
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := c.Do(nil, &adapter.Call{Op: "op", URL: mustURL(t, c, base)}); !errors.Is(err, revoke.ErrInvalidRequest) { //nolint:staticcheck
		t.Errorf("nil context: %v", err)
	}
	if _, err := c.Revoke(context.Background(), &adapter.Revocation{}, revoke.Request{Token: testkit.Token}); err == nil {
		t.Error("zero Revocation accepted")
	}
	if _, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base), Auth: fakeAuth{}}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("foreign ClientAuth: %v", err)
	}
}

type fakeAuth struct{ revoke.ClientAuth }

func TestURLValidation(t *testing.T) {
	c := newClient(t, adapter.Profile{})
	tests := []struct {
		raw, want string
		insecure  bool
	}{
		{"", "is empty", false},
		{"/relative", "not absolute", false},
		{"ftp://x.example.com", "not supported", false},
		{"https://user:hunter2-password@x.example.com/r", "user info", false},
		{"https://user:hunter2-password/x@x.example.com/r", "user info", false},
		{"https://user:hunter2-password?x@x.example.com/r", "user info", false},
		{"https://user:hunter2-password#x@x.example.com/r", "user info", false},
		{"https://x.example.com/r#frag", "fragment", false},
		{"http://x.example.com/r", "clear text", true},
		{"http://foo.localhost/r", "clear text", true},
		{"https://x.example.com/r\n", "white space", false},
	}
	for _, tc := range tests {
		_, err := c.URL("F", tc.raw)
		if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, revoke.ErrInsecureEndpoint) != tc.insecure {
			t.Errorf("URL(%q) = %v; want %q (insecure %v)", tc.raw, err, tc.want, tc.insecure)
		}
		testkit.NoLeak(t, "URL error", fmt.Sprint(err), "hunter2-password")
	}
	for _, ok := range []string{"http://localhost:8080/r", "http://127.0.0.1/r", "http://[::1]:9/r", "https://x.example.com/r?q=1"} {
		if _, err := c.URL("F", ok); err != nil {
			t.Errorf("URL(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"dev-123.okta.com/path?x=1", "host_with_underscore.com", "a..b.com", "user:p4ssw0rd-xyz@host.com", "host.com/?api_key=p4ssw0rd-xyz", "host.com /?api_key=p4ssw0rd-xyz",
		"https:/user:p4ssw0rd-xyz@host.com", "HTTPS:/user:p4ssw0rd-xyz@host.com/x", "https:user:p4ssw0rd-xyz@host.com"} {
		_, err := c.BaseURL("F", bad)
		if err == nil {
			t.Errorf("BaseURL(%q) accepted", bad)
		}
		testkit.NoLeak(t, "BaseURL error", fmt.Sprint(err), "p4ssw0rd-xyz")
	}
	if u, err := c.BaseURL("F", "Dev-123.Okta.com/"); err != nil || u.String() != "https://dev-123.okta.com" {
		t.Errorf("BaseURL = %v, %v", u, err)
	}
	// A host with a port is not a scheme without slashes.
	if u, err := c.BaseURL("F", "auth.example.com:8443/am"); err != nil || u.String() != "https://auth.example.com:8443/am" {
		t.Errorf("BaseURL(host:port/path) = %v, %v", u, err)
	}
}

func TestCheckHelpers(t *testing.T) {
	for _, v := range []string{"", "   ", " x", "x\n", "a\x00b"} {
		if adapter.CheckCredential("F", v, "the ID") == nil {
			t.Errorf("CheckCredential(%q) accepted", v)
		}
	}
	if adapter.CheckSecret("F", "short", "the secret") == nil {
		t.Error("short secret accepted")
	}
	for _, v := range []string{"", ".", "..", "a/b", "a?b", "a#b", "a%2f", "a b", strings.Repeat("x", 300), "\xff"} {
		if adapter.CheckSegment("F", v, "00u1") == nil {
			t.Errorf("CheckSegment(%q) accepted", v)
		}
	}
	if err := adapter.CheckSegment("F", "00ub0oNGTSWTBKOLGLNR", "00u1"); err != nil {
		t.Error(err)
	}
}

func TestCheckAuth(t *testing.T) {
	c := newClient(t, adapter.Profile{})
	a, err := c.CheckAuth("F", revoke.ClientCredentials("id", "p@ss:w+rd/0123"), []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost})
	if err != nil || a.Method() != revoke.MethodClientSecretPost {
		t.Errorf("a secret that form-encoding changes, with post listed: %v, %v", a, err)
	}
	a, err = c.CheckAuth("F", revoke.ClientCredentials("id", "plain-secret-0123"), []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost})
	if err != nil || a.Method() != revoke.MethodClientSecretBasic {
		t.Errorf("plain secret: %v, %v", a, err)
	}
	if _, err := c.CheckAuth("F", revoke.PublicClient("id"), []string{revoke.MethodClientSecretBasic}); err == nil {
		t.Error("a method the server does not list was accepted")
	}
	if _, err := c.CheckAuth("F", nil, nil); err == nil || !strings.Contains(err.Error(), "F: is nil") {
		t.Errorf("nil: %v", err)
	}
	info := adapter.DescribeAuth(revoke.ClientSecretBasicRaw("id", "se:cret-0123"))
	if !info.RawBasic || !info.BasicHasExtraColon || info.Method != revoke.MethodClientSecretBasic || info.ClientID != "id" {
		t.Errorf("DescribeAuth = %+v", info)
	}
	info = adapter.DescribeAuth(revoke.PrivateKeyJWT("id", testkit.ECKey(t), revoke.WithAudience(revoke.AudienceIssuer)))
	if info.Audience != revoke.AudienceIssuer || !info.InBody {
		t.Errorf("DescribeAuth = %+v", info)
	}
}

// TestFreshCredentialsPerAttempt: an assertion, like a DPoP proof, is
// signed anew for every attempt, retries included.
func TestFreshCredentialsPerAttempt(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 503}, testkit.Answer{Status: 503}, testkit.Answer{Status: 200})
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base), Auth: revoke.ClientSecretJWT("id", testkit.HMACSecret)}, revoke.Request{Token: testkit.Token})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range ep.Requests() {
		a := r.Form(t).Get("client_assertion")
		if seen[a] {
			t.Error("an assertion was sent twice")
		}
		seen[a] = true
	}
	if len(seen) != 3 {
		t.Errorf("%d attempts", len(seen))
	}
}

func readAll(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b := make([]byte, 0, 512)
	buf := make([]byte, 512)
	for {
		n, err := r.Body.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			return b
		}
	}
}

// TestAssertionHeaders: WithHeader adds a protected header to every
// assertion (Entra's x5t#S256); the headers the SDK controls are refused.
func TestAssertionHeaders(t *testing.T) {
	ep := testkit.NewEndpoint()
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	auth := revoke.PrivateKeyJWT("id", testkit.ECKey(t), revoke.WithHeader("x5t#S256", "thumb-0123"), revoke.WithKeyID("k1"))
	if _, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base), Auth: auth}, revoke.Request{Token: testkit.Token}); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(ep.Only(t).Form(t).Get("client_assertion"), ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil || h["x5t#S256"] != "thumb-0123" || h["kid"] != "k1" || h["alg"] != "ES256" {
		t.Errorf("header = %v (%v)", h, err)
	}
	for _, name := range []string{"alg", "typ", "kid", "crit", ""} {
		if err := revoke.PrivateKeyJWT("id", testkit.ECKey(t), revoke.WithHeader(name, "x")).Validate(); err == nil {
			t.Errorf("WithHeader(%q) accepted", name)
		}
	}
}

// TestFieldsKeys: Fields log and marshal under snake-case keys that keep
// initialisms whole, with quoted values unquoted; nil Fields are empty.
func TestFieldsKeys(t *testing.T) {
	fs := adapter.Fields{{"PublicURL", `"https://h/x"`}, {"APIToken", revoke.Redacted}, {"ClientID", `"app"`},
		{"AuthorizationServerID", `""`}, {"InvalidAuthIsAlreadyInvalid", "true"}, {"Endpoint", `"e"`}, {"TLSCert", `"c"`}, {"LegacyX5T", "false"}, {"DPoPKey", `""`}, {"DisableDPoP", "true"}}
	js, err := fs.MarshalJSON()
	want := `{"public_url":"https://h/x","api_token":"` + revoke.Redacted + `","client_id":"app","authorization_server_id":"","invalid_auth_is_already_invalid":"true","endpoint":"e","tls_cert":"c","legacy_x5t":"false","dpop_key":"","disable_dpop":"true"}`
	if err != nil || string(js) != want {
		t.Errorf("MarshalJSON = %s, %v\nwant %s", js, err, want)
	}
	if got := fs.LogValue().Group(); len(got) != len(fs) || got[0].Key != "public_url" || got[0].Value.String() != "https://h/x" || got[6].Key != "tls_cert" {
		t.Errorf("LogValue = %v", got)
	}
	var none adapter.Fields
	if js, _ := none.MarshalJSON(); string(js) != "{}" || len(none.LogValue().Group()) != 0 {
		t.Errorf("nil Fields = %s, %v", js, none.LogValue())
	}
}
