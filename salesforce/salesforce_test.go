package salesforce_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/salesforce"
)

// TestWireMatrix asserts the exact request for every kind of login host
// and hint, byte for byte, against testdata/wire-matrix.txt: a POST with
// token alone, no Authorization header, no hint.
func TestWireMatrix(t *testing.T) {
	layouts := []struct {
		name, url, want string
	}{
		{"My Domain", salesforce.MyDomain("acme"), org + "/services/oauth2/revoke"},
		{"My Domain, bare host", "acme.my.salesforce.com", org + "/services/oauth2/revoke"},
		{"sandbox", salesforce.Sandbox("acme", "uat"), "https://acme--uat.sandbox.my.salesforce.com/services/oauth2/revoke"},
		{"Experience Cloud site", "https://acme.my.site.com/customers/", "https://acme.my.site.com/customers/services/oauth2/revoke"},
		{"login.salesforce.com", salesforce.Login, "https://login.salesforce.com/services/oauth2/revoke"},
		{"test.salesforce.com", salesforce.Test, "https://test.salesforce.com/services/oauth2/revoke"},
		{"loopback", "http://127.0.0.1:8443", "http://127.0.0.1:8443/services/oauth2/revoke"},
	}
	var golden testkit.Transcript
	for _, l := range layouts {
		for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken} {
			name := fmt.Sprintf("%s | %s", l.name, testkit.HintName(hint))
			t.Run(name, func(t *testing.T) {
				ep := testkit.NewEndpoint()
				r := newRevoker(t, ep, salesforce.Config{URL: l.url})
				testkit.Want(t, "Endpoint()", r.Endpoint(), l.want)
				res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
				if err != nil || res.StatusCode != 200 || res.AlreadyInvalid {
					t.Fatalf("Revoke = %+v, %v", res, err)
				}
				s := ep.Only(t)
				testkit.Want(t, "request", s.Method+" "+s.URL.String(), "POST "+l.want)
				testkit.Want(t, "query", s.URL.RawQuery, "")
				testkit.Header(t, s.Header, "Authorization", "")
				testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
				testkit.Want(t, "body", string(s.Body), "token="+url.QueryEscape(token))
				golden.Add(name, testkit.Render(s))
			})
		}
	}
	golden.Check(t, "wire-matrix.txt")
}

// TestRequestRefusals: requests Salesforce would misread, or that would
// leak the token, are refused before sending.
func TestRequestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		req   revoke.Request
		field string
		text  string
	}{
		{"JSONP callback", revoke.Request{Token: token, Params: url.Values{"callback": {"cb"}}}, "salesforce revoke: Request.Params", "no parameters besides the token"},
		{"any parameter", revoke.Request{Token: token, Params: url.Values{"format": {"json"}}}, "salesforce revoke: Request.Params", "no parameters besides the token"},
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "salesforce revoke: Request.Hint", "access_token, refresh_token"},
		{"empty token", revoke.Request{}, "salesforce revoke: Request.Token", "is empty"},
		{"token with a newline", revoke.Request{Token: token + "\r\n"}, "salesforce revoke: Request.Token", "white space"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, salesforce.Config{URL: org})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.field, tc.text, revoke.ErrInvalidRequest, token)
		})
	}
}

// TestAnswers: how each of Salesforce's answers (testdata/README.md)
// becomes a result or an error.
func TestAnswers(t *testing.T) {
	for _, tc := range []struct {
		name        string
		answer      testkit.Answer
		wantAlready bool
		wantKind    error
		wantCode    string
		wantDesc    string
	}{
		{"200", testkit.Answer{Status: 200}, false, nil, "", ""},
		{"400 invalid_token", testkit.JSONAnswer(400, testkit.Golden(t, "revoke-400-invalid-token.json")), true, nil, "", ""},
		{"400 invalid_token, form-encoded", testkit.Answer{Status: 400, Body: "error=invalid_token&error_description=invalid+token"}, true, nil, "", ""},
		{"400 unsupported_token_type", testkit.JSONAnswer(400, testkit.Golden(t, "revoke-400-unsupported-token-type.json")), false, revoke.ErrUnsupportedTokenType, "unsupported_token_type", "unsupported token type"},
		{"400 unsupported_token_type, form-encoded", testkit.Answer{Status: 400, Body: "error=unsupported_token_type"}, false, revoke.ErrUnsupportedTokenType, "unsupported_token_type", ""},
		{"500 HTML", testkit.Answer{Status: 500, Body: "<html><body>An internal server error has occurred</body></html>"}, false, revoke.ErrServer, "", ""},
		{"403", testkit.JSONAnswer(403, `{"error":"access_denied","error_description":"IP restricted"}`), false, revoke.ErrForbidden, "access_denied", "IP restricted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			r := newRevoker(t, ep, salesforce.Config{URL: org}, revoke.WithoutRetry())
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if tc.wantKind == nil {
				if err != nil || res.AlreadyInvalid != tc.wantAlready || res.StatusCode != tc.answer.Status {
					t.Errorf("Revoke = %+v, %v; want AlreadyInvalid %v", res, err, tc.wantAlready)
				}
				return
			}
			var e *revoke.Error
			if !errors.As(err, &e) || !errors.Is(err, tc.wantKind) || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Op != "salesforce revoke" {
				t.Errorf("err = %#v; want %v %q %q", err, tc.wantKind, tc.wantCode, tc.wantDesc)
			}
			testkit.NoLeak(t, "error", err.Error(), token)
		})
	}
}

// TestRevokeToken: the refresh token, then the access token, whose 400
// invalid_token is a success.
func TestRevokeToken(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 200}, testkit.JSONAnswer(400, testkit.Golden(t, "revoke-400-invalid-token.json")))
	r := newRevoker(t, ep, salesforce.Config{URL: org})
	if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: "access-token-1", RefreshToken: "refresh-token-1"}); err != nil {
		t.Fatal(err)
	}
	reqs := ep.Requests()
	if len(reqs) != 2 || string(reqs[0].Body) != "token=refresh-token-1" || string(reqs[1].Body) != "token=access-token-1" {
		t.Errorf("requests = %v", reqs)
	}
}

// TestNewBadInput: every bad URL is a ConfigError naming the field.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	for _, tc := range []struct {
		name, url, text string
		kind            error
	}{
		{"empty", "", "is empty: pass the org's login URL, e.g. salesforce.MyDomain", nil},
		{"endpoint path", org + "/services/oauth2/revoke", "already includes the endpoint path", nil},
		{"/services/oauth2", org + "/services/oauth2/", "already includes the endpoint path", nil},
		{"query", org + "?token=x", "query", nil},
		{"fragment", org + "#x", "fragment", nil},
		{"user info", "https://admin:" + password + "@acme.my.salesforce.com", "user info", nil},
		{"plain http", "http://acme.my.salesforce.com", "clear text", revoke.ErrInsecureEndpoint},
		{"bad host", "https://acme_corp.my.salesforce.com", "'_'", nil},
		{"white space", " " + org, "white space", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := salesforce.New(salesforce.Config{URL: tc.url})
			testkit.WantConfigError(t, err, "salesforce.Config.URL", tc.text, tc.kind, password)
		})
	}
	if _, err := salesforce.New(salesforce.Config{URL: org}, revoke.WithRetry(revoke.RetryPolicy{MaxRetries: -1})); err == nil {
		t.Error("bad option accepted")
	}
}

// TestZeroValues: misuse is an error, never a panic, and a cancelled or
// nil context stops the call.
func TestZeroValues(t *testing.T) {
	var zero salesforce.Revoker
	var nilR *salesforce.Revoker
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, salesforce.Config{URL: org})
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	for name, err := range map[string]error{
		"nil pair":   nilR.RevokeToken(context.Background(), &oauth2.Token{RefreshToken: "refresh-token-1"}),
		"empty pair": r.RevokeToken(context.Background(), &oauth2.Token{}),
	} {
		if !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if zero.Endpoint() != "" || nilR.Endpoint() != "" || len(ep.Requests()) != 0 {
		t.Error("zero values misbehave")
	}
	// The kit's retries and redirect refusal apply.
	build := func(t *testing.T, ep *testkit.Endpoint) revoke.Revoker {
		return newRevoker(t, ep, salesforce.Config{URL: org})
	}
	testkit.Retried(t, build, revoke.Request{Token: token}, testkit.Answer{Status: 503}, testkit.Answer{Status: 200})
	testkit.NoRedirect(t, build, revoke.Request{Token: token})
}
