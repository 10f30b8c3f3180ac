package cognito_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/internal/testkit"
)

func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg cognito.Config, opts ...revoke.Option) *cognito.Revoker {
	t.Helper()
	return testkit.Build(t, cognito.New, cfg, ep.Options(opts...)...)
}

func newAPI(t testing.TB, ep *testkit.Endpoint, cfg cognito.APIConfig, opts ...revoke.Option) *cognito.APIRevoker {
	t.Helper()
	return testkit.Build(t, cognito.NewAPI, cfg, ep.Options(opts...)...)
}

// TestWireHosted asserts the exact request to /oauth2/revoke for both kinds
// of app client, every way of naming the domain, with and without the
// refresh_token hint (never sent), against testdata/wire-hosted.txt.
func TestWireHosted(t *testing.T) {
	clients := []struct {
		name         string
		id, secret   string
		wantMethod   string
		wantAuthz    string
		wantClientID bool
	}{
		{"app client with a secret", clientID, secret, "client_secret_basic", testkit.Basic(clientID, secret), false},
		{"app client with '+' in the secret (sent raw)", clientID, "abc+def_0123456789", "client_secret_basic", testkit.Basic(clientID, "abc+def_0123456789"), false},
		{"public app client", clientID, "", "none", "", true},
	}
	domains := []struct {
		name           string
		domain, region string
		wantURL        string
	}{
		{"prefix and region", prefix, region, endpoint},
		{"full host", host, "", endpoint},
		{"full host and its region", host, region, endpoint},
		{"URL with a trailing slash", "https://" + host + "/", "", endpoint},
		{"custom domain", "auth.example.com", "", "https://auth.example.com/oauth2/revoke"},
		{"custom domain URL, upper case", "https://Auth.Example.com", "eu-west-2", "https://auth.example.com/oauth2/revoke"},
		{"GovCloud prefix", "gov-app", "us-gov-west-1", "https://gov-app.auth.us-gov-west-1.amazoncognito.com/oauth2/revoke"},
		{"loopback over plain http", "http://127.0.0.1:9229", "", "http://127.0.0.1:9229/oauth2/revoke"},
	}
	var golden testkit.Transcript
	for _, c := range clients {
		for _, d := range domains {
			for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintRefreshToken} {
				name := fmt.Sprintf("%s | %s | %s", c.name, d.name, testkit.HintName(hint))
				t.Run(name, func(t *testing.T) {
					ep := testkit.NewEndpoint()
					r := newRevoker(t, ep, cognito.Config{Domain: d.domain, Region: d.region, ClientID: c.id, ClientSecret: c.secret})
					testkit.Want(t, "Endpoint()", r.Endpoint(), d.wantURL)
					testkit.Want(t, "AuthMethod()", r.AuthMethod(), c.wantMethod)
					testkit.Want(t, "ClientID()", r.ClientID(), clientID)
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil {
						t.Fatal(err)
					}
					if res.StatusCode != 200 || res.Attempts != 1 || res.AlreadyInvalid {
						t.Errorf("result %+v", res)
					}
					s := ep.Only(t)
					testkit.Want(t, "request", s.Method+" "+s.URL.String(), "POST "+d.wantURL)
					testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
					testkit.Header(t, s.Header, "Accept", "application/json")
					testkit.Header(t, s.Header, "Authorization", c.wantAuthz)
					want := "token=" + url.QueryEscape(token)
					if c.wantClientID {
						want += "&client_id=" + clientID // as Cognito's example orders them
					}
					testkit.Want(t, "body", string(s.Body), want)
					golden.Add(name, testkit.Render(s))
				})
			}
		}
	}
	golden.Check(t, "wire-hosted.txt")
}

// TestWireAPI asserts the exact RevokeToken request: target, content type,
// JSON members in the reference's order, the secret only when there is
// one, against testdata/wire-api.txt.
func TestWireAPI(t *testing.T) {
	tests := []struct {
		name     string
		cfg      cognito.APIConfig
		wantURL  string
		wantBody string
	}{
		{"confidential, region", cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: secret}, apiURL,
			`{"Token":"` + token + `","ClientId":"` + clientID + `","ClientSecret":"` + secret + `"}`},
		{"public, region", cognito.APIConfig{Region: "eu-central-1", ClientID: clientID}, "https://cognito-idp.eu-central-1.amazonaws.com/",
			`{"Token":"` + token + `","ClientId":"` + clientID + `"}`},
		{"FIPS endpoint", cognito.APIConfig{Endpoint: "https://cognito-idp-fips.us-east-1.amazonaws.com", ClientID: clientID}, "https://cognito-idp-fips.us-east-1.amazonaws.com/",
			`{"Token":"` + token + `","ClientId":"` + clientID + `"}`},
		{"endpoint with a slash and a region", cognito.APIConfig{Endpoint: "https://vpce-0123.cognito-idp.us-east-1.vpce.amazonaws.com/", Region: region, ClientID: clientID}, "https://vpce-0123.cognito-idp.us-east-1.vpce.amazonaws.com/",
			`{"Token":"` + token + `","ClientId":"` + clientID + `"}`},
	}
	var golden testkit.Transcript
	for _, tc := range tests {
		for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintRefreshToken} {
			name := tc.name + " | " + testkit.HintName(hint)
			t.Run(name, func(t *testing.T) {
				ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Body: "{}", Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"req-0001"}}})
				r := newAPI(t, ep, tc.cfg)
				testkit.Want(t, "Endpoint()", r.Endpoint(), tc.wantURL)
				res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
				if err != nil {
					t.Fatal(err)
				}
				testkit.Want(t, "RequestID", res.RequestID, "req-0001")
				s := ep.Only(t)
				testkit.Want(t, "request", s.Method+" "+s.URL.String(), "POST "+tc.wantURL)
				testkit.Header(t, s.Header, "X-Amz-Target", "AWSCognitoIdentityProviderService.RevokeToken")
				testkit.Header(t, s.Header, "Content-Type", "application/x-amz-json-1.1")
				testkit.Header(t, s.Header, "Authorization", "")
				testkit.Want(t, "body", string(s.Body), tc.wantBody)
				golden.Add(name, testkit.Render(s))
			})
		}
	}
	golden.Check(t, "wire-api.txt")
}

// TestRequestRefusals: what Cognito cannot take is refused before sending,
// by both revokers.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name     string
		req      revoke.Request
		field    string
		text     string
		kind     error
		apiField string // when the API says it differently
		apiText  string
	}{
		{"access token hint", revoke.Request{Token: token, Hint: revoke.HintAccessToken}, "Request.Hint", "refresh tokens only", revoke.ErrUnsupported, "", ""},
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "Request.Hint", "refresh_token", revoke.ErrInvalidRequest, "", "not refresh_token"},
		{"empty token", revoke.Request{}, "Request.Token", "is empty", revoke.ErrInvalidRequest, "", ""},
		{"short token", revoke.Request{Token: "abc"}, "Request.Token", "shorter", revoke.ErrInvalidRequest, "", ""},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "Request.Token", "white space", revoke.ErrInvalidRequest, "", ""},
		{"token with a slash", revoke.Request{Token: "abc/def+0123456789"}, "Request.Token", "[A-Za-z0-9-_=.]+", revoke.ErrInvalidRequest, "", ""},
		{"params", revoke.Request{Token: token, Params: url.Values{"scope": {"x"}}}, "Request.Params", "no parameters", revoke.ErrInvalidRequest, "", "no parameters"},
		{"client_id param", revoke.Request{Token: token, Params: url.Values{"client_id": {"x"}}}, "Request.Params", "", revoke.ErrInvalidRequest, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, kind := range []string{"hosted", "api"} {
				ep := testkit.NewEndpoint()
				var err error
				op := "cognito revoke"
				text := tc.text
				if kind == "hosted" {
					_, err = newRevoker(t, ep, cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: secret}).Revoke(context.Background(), tc.req)
				} else {
					op = "cognito RevokeToken"
					if tc.apiText != "" {
						text = tc.apiText
					}
					_, err = newAPI(t, ep, cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: secret}).Revoke(context.Background(), tc.req)
				}
				testkit.WantRefused(t, ep, err, op+": "+tc.field, text, tc.kind, token, secret)
			}
		})
	}
}

// TestHostedAnswers classifies every documented answer of /oauth2/revoke.
func TestHostedAnswers(t *testing.T) {
	tests := []struct {
		name     string
		answers  []testkit.Answer
		kind     error
		code     string
		desc     string
		disabled bool
		attempts int
	}{
		{"200 empty", []testkit.Answer{{Status: 200}}, nil, "", "", false, 1},
		{"400 invalid_request: revocation disabled", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-invalid-request.json"))},
			revoke.ErrInvalidRequest, "invalid_request", "Cognito answers invalid_request when the token is missing, which the SDK never sends, or when token revocation is disabled for this app client: enable it with UpdateUserPoolClient and EnableTokenRevocation=true (pass the client's full current settings: omitted ones are reset), or in the console's app client settings (new app clients have it on by default)", true, 1},
		{"400 unsupported_token_type", []testkit.Answer{testkit.JSONAnswer(400, golden(t, "revoke-400-unsupported-token-type.json"))},
			revoke.ErrUnsupportedTokenType, "unsupported_token_type", "Cognito revokes refresh tokens only; revoking one also revokes the access and ID tokens issued from it", false, 1},
		{"401 invalid_client", []testkit.Answer{testkit.JSONAnswer(401, golden(t, "revoke-401-invalid-client.json"))},
			revoke.ErrInvalidClient, "invalid_client", "check ClientID and ClientSecret (an app client with a secret needs it; a public client sends none)", false, 1},
		{"400 with a description", []testkit.Answer{testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"oops"}`)},
			revoke.ErrInvalidRequest, "invalid_request", "oops (Cognito answers invalid_request", true, 1},
		{"429, then 200", []testkit.Answer{{Status: 429, Header: http.Header{"Retry-After": {"0"}}}, {Status: 200}}, nil, "", "", false, 2},
		{"503 three times, then 200", []testkit.Answer{{Status: 503}, {Status: 503}, {Status: 503}, {Status: 200}}, nil, "", "", false, 4},
		{"500 HTML", []testkit.Answer{{Status: 500, Body: "<html>oops</html>"}}, revoke.ErrServer, "", "", false, 1},
		{"404 HTML (wrong domain)", []testkit.Answer{{Status: 404, Body: "<html>Not Found</html>"}}, revoke.ErrNotFound, "", "", false, 1},
		{"302 (a login page)", []testkit.Answer{{Status: 302, Header: http.Header{"Location": {"/login"}}}}, revoke.ErrRedirect, "", "", false, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			r := newRevoker(t, ep, cognito.Config{Domain: prefix, Region: region, ClientID: clientID, ClientSecret: secret})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			checkAnswer(t, res, err, tc.kind, tc.code, tc.desc, tc.attempts, "cognito revoke", endpoint)
			testkit.Want(t, "RevocationDisabled", cognito.RevocationDisabled(err), tc.disabled)
		})
	}
}

// TestAPIAnswers classifies every documented exception of RevokeToken, from
// the body or the X-Amzn-ErrorType header alone.
func TestAPIAnswers(t *testing.T) {
	aws := func(status int, body, errType string) testkit.Answer {
		a := testkit.Answer{Status: status, Body: body, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"req-0002"}}}
		if errType != "" {
			a.Header.Set("X-Amzn-Errortype", errType+":http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/")
		}
		return a
	}
	exc := func(name, msg string) string { return fmt.Sprintf(`{"__type":%q,"message":%q}`, name, msg) }
	tests := []struct {
		name     string
		answers  []testkit.Answer
		kind     error
		code     string
		desc     string
		disabled bool
		invalid  bool
		attempts int
	}{
		{"200 {}", []testkit.Answer{aws(200, "{}", "")}, nil, "", "", false, false, 1},
		{"UnsupportedOperationException", []testkit.Answer{aws(400, golden(t, "api-400-unsupported-operation.json"), "UnsupportedOperationException")},
			revoke.ErrUnsupported, "UnsupportedOperationException", "Token revocation is not enabled for this app client. (token revocation is disabled for this app client: enable it with UpdateUserPoolClient", true, false, 1},
		{"UnsupportedTokenTypeException", []testkit.Answer{aws(400, golden(t, "api-400-unsupported-token-type.json"), "UnsupportedTokenTypeException")},
			revoke.ErrUnsupportedTokenType, "UnsupportedTokenTypeException", "Unsupported token type. (Cognito revokes refresh tokens only", false, false, 1},
		{"NotAuthorizedException: secret", []testkit.Answer{aws(400, golden(t, "api-400-not-authorized.json"), "")},
			revoke.ErrInvalidClient, "NotAuthorizedException", "Unable to verify secret for client (check ClientID and ClientSecret", false, false, 1},
		{"UnauthorizedException", []testkit.Answer{aws(400, exc("UnauthorizedException", "Unauthorized"), "")}, revoke.ErrInvalidClient, "UnauthorizedException", "", false, false, 1},
		{"NotAuthorizedException: already revoked", []testkit.Answer{aws(400, exc("NotAuthorizedException", "Refresh Token has been revoked"), "")}, nil, "", "", false, true, 1},
		{"NotAuthorizedException: invalid refresh token", []testkit.Answer{aws(400, exc("NotAuthorizedException", "Invalid Refresh Token"), "")}, nil, "", "", false, true, 1},
		{"TooManyRequestsException, HTTP 400: retried, then given up", []testkit.Answer{aws(400, golden(t, "api-400-too-many-requests.json"), "TooManyRequestsException")},
			revoke.ErrRateLimited, "TooManyRequestsException", "Rate exceeded (Cognito throttled the request (HTTP 400) on every attempt", false, false, 4},
		{"TooManyRequestsException, HTTP 400, then 200", []testkit.Answer{aws(400, golden(t, "api-400-too-many-requests.json"), "TooManyRequestsException"), aws(200, "{}", "")}, nil, "", "", false, false, 2},
		{"TooManyRequestsException, HTTP 429: retried", []testkit.Answer{aws(429, golden(t, "api-400-too-many-requests.json"), ""), aws(200, "{}", "")}, nil, "", "", false, false, 2},
		{"ThrottlingException, then 200", []testkit.Answer{aws(400, exc("ThrottlingException", "Rate exceeded"), ""), aws(200, "{}", "")}, nil, "", "", false, false, 2},
		{"ForbiddenException (WAF)", []testkit.Answer{aws(400, exc("ForbiddenException", "Request not allowed due to WAF block."), "")}, revoke.ErrForbidden, "ForbiddenException", "Request not allowed due to WAF block. (AWS WAF refused the request", false, false, 1},
		{"InvalidParameterException", []testkit.Answer{aws(400, golden(t, "api-400-invalid-parameter.json"), "")}, revoke.ErrInvalidRequest, "InvalidParameterException", "", false, false, 1},
		{"ResourceNotFoundException", []testkit.Answer{aws(400, exc("ResourceNotFoundException", "User pool client x does not exist."), "")}, revoke.ErrNotFound, "ResourceNotFoundException", "", false, false, 1},
		{"InternalErrorException", []testkit.Answer{aws(500, exc("InternalErrorException", "Internal error"), "")}, revoke.ErrServer, "InternalErrorException", "", false, false, 1},
		{"namespaced __type", []testkit.Answer{aws(400, exc("com.amazonaws.cognito.identity.idp.model#UnsupportedOperationException", "off"), "")}, revoke.ErrUnsupported, "UnsupportedOperationException", "", true, false, 1},
		{"Message spelled with a capital", []testkit.Answer{aws(400, `{"__type":"InvalidParameterException","Message":"bad"}`, "")}, revoke.ErrInvalidRequest, "InvalidParameterException", "bad", false, false, 1},
		{"exception in the header only", []testkit.Answer{aws(400, "", "UnsupportedOperationException")}, revoke.ErrUnsupported, "UnsupportedOperationException", "", true, false, 1},
		{"header only, throttled", []testkit.Answer{aws(400, "", "TooManyRequestsException")}, revoke.ErrRateLimited, "TooManyRequestsException", "", false, false, 1},
		{"header only, unknown exception", []testkit.Answer{aws(400, "", "SomethingNewException")}, revoke.ErrInvalidRequest, "SomethingNewException", "", false, false, 1},
		{"503, then 200", []testkit.Answer{aws(503, "", ""), aws(200, "{}", "")}, nil, "", "", false, false, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			r := newAPI(t, ep, cognito.APIConfig{Region: region, ClientID: clientID, ClientSecret: secret})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if tc.invalid {
				if err != nil || !res.AlreadyInvalid {
					t.Fatalf("%+v, %v; want already invalid", res, err)
				}
				return
			}
			checkAnswer(t, res, err, tc.kind, tc.code, tc.desc, tc.attempts, "cognito RevokeToken", apiURL)
			testkit.Want(t, "RevocationDisabled", cognito.RevocationDisabled(err), tc.disabled)
			var e *revoke.Error
			if errors.As(err, &e) {
				testkit.Want(t, "RequestID", e.RequestID, "req-0002")
				testkit.Want(t, "Temporary", e.Temporary(), tc.kind == revoke.ErrRateLimited)
			}
		})
	}
}

// checkAnswer checks a result or a *revoke.Error against what is wanted;
// desc is a prefix of the description.
func checkAnswer(t *testing.T, res *revoke.Result, err, kind error, code, desc string, attempts int, op, ep string) {
	t.Helper()
	if kind == nil {
		if err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		testkit.Want(t, "Attempts", res.Attempts, attempts)
		testkit.Want(t, "AlreadyInvalid", res.AlreadyInvalid, false)
		return
	}
	e := testkit.WantError(t, err, kind)
	testkit.Want(t, "Code", e.Code, code)
	if !strings.HasPrefix(e.Description, desc) {
		t.Errorf("Description = %q, want it to start with %q", e.Description, desc)
	}
	testkit.Want(t, "Attempts", e.Attempts, attempts)
	testkit.Want(t, "Op", e.Op, op)
	testkit.Want(t, "Endpoint", e.Endpoint, ep)
	testkit.NoLeak(t, "error", testkit.PrintAll(err)+err.Error(), token, secret)
}

// golden is a testdata error body without its final newline.
func golden(t *testing.T, name string) string {
	t.Helper()
	return strings.TrimRight(testkit.Golden(t, name), "\n")
}

// TestRevokeToken checks the pair rule of both revokers: the refresh token
// alone; a token without one is ErrUnsupported.
func TestRevokeToken(t *testing.T) {
	for _, kind := range []string{"hosted", "api"} {
		t.Run(kind, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			var r revoke.Revoker
			if kind == "hosted" {
				r = newRevoker(t, ep, cognito.Config{Domain: prefix, Region: region, ClientID: clientID})
			} else {
				r = newAPI(t, ep, cognito.APIConfig{Region: region, ClientID: clientID})
			}
			ctx := context.Background()
			if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: "access.token-0123", RefreshToken: token}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(ep.Only(t).Body), token) {
				t.Errorf("body %s lacks the refresh token", ep.Only(t).Body)
			}
			err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: "access.token-0123"})
			if !errors.Is(err, revoke.ErrUnsupported) || !strings.Contains(err.Error(), "Amazon Cognito revokes refresh tokens only") {
				t.Errorf("access token only: %v; want ErrUnsupported", err)
			}
			if err := r.(revoke.TokenRevoker).RevokeToken(ctx, nil); !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("nil token: %v", err)
			}
			if n := len(ep.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

// TestNilContextAndZeroValues: nothing panics, every failure is typed.
func TestNilContextAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint()
	h := newRevoker(t, ep, cognito.Config{Domain: prefix, Region: region, ClientID: clientID})
	a := newAPI(t, ep, cognito.APIConfig{Region: region, ClientID: clientID})
	var nilCtx context.Context
	var nilH *cognito.Revoker
	var nilA *cognito.APIRevoker
	ctx := context.Background()
	tok := &oauth2.Token{RefreshToken: token}
	for name, call := range map[string]func() error{
		"hosted, nil context":       func() error { _, err := h.Revoke(nilCtx, revoke.Request{Token: token}); return err },
		"api, nil context":          func() error { _, err := a.Revoke(nilCtx, revoke.Request{Token: token}); return err },
		"nil Revoker":               func() error { _, err := nilH.Revoke(ctx, revoke.Request{Token: token}); return err },
		"zero Revoker":              func() error { _, err := (&cognito.Revoker{}).Revoke(ctx, revoke.Request{Token: token}); return err },
		"nil APIRevoker":            func() error { _, err := nilA.Revoke(ctx, revoke.Request{Token: token}); return err },
		"zero APIRevoker":           func() error { _, err := (&cognito.APIRevoker{}).Revoke(ctx, revoke.Request{Token: token}); return err },
		"nil Revoker, pair":         func() error { return nilH.RevokeToken(ctx, tok) },
		"zero Revoker, pair":        func() error { return (&cognito.Revoker{}).RevokeToken(ctx, tok) },
		"nil APIRevoker, pair":      func() error { return nilA.RevokeToken(ctx, tok) },
		"zero APIRevoker, pair":     func() error { return (&cognito.APIRevoker{}).RevokeToken(ctx, tok) },
		"hosted, nil context, pair": func() error { return h.RevokeToken(nilCtx, tok) },
	} {
		var ce *revoke.ConfigError
		if err := call(); !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v; want a ConfigError matching ErrInvalidRequest", name, err)
		}
	}
	_ = nilH.Endpoint() + nilH.ClientID() + nilH.AuthMethod() + nilA.Endpoint() + nilA.ClientID()
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if cognito.RevocationDisabled(nil) || cognito.RevocationDisabled(errors.New("x")) {
		t.Error("RevocationDisabled of a non-revoke error")
	}
}
