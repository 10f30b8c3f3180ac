package auth0_test

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestWireMatrix asserts the exact request for every authentication mode,
// domain spelling and hint: method, URL, every header and the JSON body,
// byte for byte, against testdata/wire-matrix.txt. A client assertion
// differs every time: it is shown as {client_assertion} and its claims are
// checked instead.
func TestWireMatrix(t *testing.T) {
	key := testkit.ECKey(t)
	auths := []struct {
		name       string
		cfg        auth0.Config
		wantMethod string
		wantJSON   string // with {token} and {client_assertion} placeholders
		wantAud    string // "" for no assertion; a path is appended to the base
	}{
		{"ClientID and ClientSecret", auth0.Config{ClientID: clientID, ClientSecret: secret}, "client_secret_post",
			`{"client_id":"` + clientID + `","token":"{token}","client_secret":"p@ss:w+rd%/= x"}`, ""},
		{"ClientSecretPost", auth0.Config{Auth: revoke.ClientSecretPost(clientID, secret)}, "client_secret_post",
			`{"client_id":"` + clientID + `","token":"{token}","client_secret":"p@ss:w+rd%/= x"}`, ""},
		{"ClientCredentials sends client_secret_post", auth0.Config{Auth: revoke.ClientCredentials(clientID, secret)}, "client_secret_post",
			`{"client_id":"` + clientID + `","token":"{token}","client_secret":"p@ss:w+rd%/= x"}`, ""},
		{"PrivateKeyJWT", auth0.Config{Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithKeyID("kid-1"))}, "private_key_jwt",
			`{"client_id":"` + clientID + `","token":"{token}","client_assertion_type":"urn:ietf:params:oauth:client-assertion-type:jwt-bearer","client_assertion":"{client_assertion}"}`, "/"},
		{"PrivateKeyJWT with AudienceTokenEndpoint", auth0.Config{Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudience(revoke.AudienceTokenEndpoint))}, "private_key_jwt",
			`{"client_id":"` + clientID + `","token":"{token}","client_assertion_type":"urn:ietf:params:oauth:client-assertion-type:jwt-bearer","client_assertion":"{client_assertion}"}`, "/oauth/token"},
		{"PublicClient", auth0.Config{Auth: revoke.PublicClient(clientID)}, "none",
			`{"client_id":"` + clientID + `","token":"{token}"}`, ""},
	}
	domains := []struct {
		name, domain, wantBase string
	}{
		{"tenant domain", domain, base},
		{"with scheme and trailing slash", base + "/", base},
		{"upper-case", "https://DEV-ABC.us.Auth0.com", base},
		{"custom domain", "login.example.com", "https://login.example.com"},
		{"loopback over plain http", "http://127.0.0.1:8443", "http://127.0.0.1:8443"},
	}
	var golden testkit.Transcript
	for _, a := range auths {
		for _, d := range domains {
			for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintRefreshToken} {
				name := fmt.Sprintf("%s | %s | %s", a.name, d.name, testkit.HintName(hint))
				t.Run(name, func(t *testing.T) {
					ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}})
					cfg := a.cfg
					cfg.Domain = d.domain
					r := newRevoker(t, ep, cfg)
					wantURL := d.wantBase + "/oauth/revoke"
					testkit.Want(t, "Endpoint()", r.Endpoint(), wantURL)
					testkit.Want(t, "AuthMethod()", r.AuthMethod(), a.wantMethod)
					testkit.Want(t, "ClientID()", r.ClientID(), clientID)
					res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
					if err != nil {
						t.Fatalf("Revoke: %v", err)
					}
					if res.StatusCode != 200 || res.Attempts != 1 || res.AlreadyInvalid {
						t.Errorf("result = %+v; want 200 after 1 attempt", res)
					}
					s := ep.Only(t)
					testkit.Want(t, "method", s.Method, http.MethodPost)
					testkit.Want(t, "URL", s.URL.String(), wantURL)
					testkit.Header(t, s.Header, "Content-Type", "application/json")
					testkit.Header(t, s.Header, "Accept", "application/json")
					testkit.Header(t, s.Header, "Authorization", "")
					replace := map[string]string{token: "{token}"}
					if a.wantAud != "" {
						assertion, _ := s.JSON(t)["client_assertion"].(string)
						checkAssertion(t, assertion, key, d.wantBase+a.wantAud)
						replace[assertion] = "{client_assertion}"
					}
					body := string(s.Body)
					for v, n := range replace {
						body = strings.ReplaceAll(body, v, n)
					}
					testkit.Want(t, "body", body, a.wantJSON)
					delete(replace, token) // the golden shows the token as sent
					golden.Add(name, testkit.Wire{Version: "{version}", Names: replace}.Render(s))
				})
			}
		}
	}
	golden.Check(t, "wire-matrix.txt")
}

// checkAssertion verifies a client assertion as Auth0 does: signed by the
// client's key, iss and sub the client ID, aud the tenant URL with a
// trailing slash, a jti, and a lifetime within Auth0's 5 minutes.
func checkAssertion(t *testing.T, assertion string, key *ecdsa.PrivateKey, wantAud string) {
	t.Helper()
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("assertion: %v", err)
	}
	var c jwt.Claims
	if err := tok.Claims(key.Public(), &c); err != nil {
		t.Fatalf("assertion signature: %v", err)
	}
	if c.Issuer != clientID || c.Subject != clientID || len(c.Audience) != 1 || c.Audience[0] != wantAud || c.ID == "" {
		t.Errorf("claims iss=%q sub=%q aud=%v jti=%q; want the client ID twice and aud %q", c.Issuer, c.Subject, c.Audience, c.ID, wantAud)
	}
	if c.Expiry == nil || c.IssuedAt == nil || c.Expiry.Time().Sub(c.IssuedAt.Time()) > 5*time.Minute {
		t.Errorf("lifetime iat=%v exp=%v; Auth0 accepts at most 5 minutes", c.IssuedAt, c.Expiry)
	}
}

// TestAudienceValue: a fixed audience overrides Auth0's rule.
func TestAudienceValue(t *testing.T) {
	key := testkit.ECKey(t)
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, auth0.Config{Domain: domain, Auth: revoke.PrivateKeyJWT(clientID, key, revoke.WithAudienceValue("https://login.example.com/"))})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
		t.Fatal(err)
	}
	assertion, _ := ep.Only(t).JSON(t)["client_assertion"].(string)
	checkAssertion(t, assertion, key, "https://login.example.com/")
}

// TestRequestRefusals: every request Auth0 cannot honour is refused before
// anything is sent, naming the field, and never repeating the token.
func TestRequestRefusals(t *testing.T) {
	const jwtToken = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2lnbmF0dXJl"
	const jweToken = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn"
	tests := []struct {
		name      string
		req       revoke.Request
		wantKind  error
		wantField string
		wantText  string
	}{
		{"access_token hint", revoke.Request{Token: token, Hint: revoke.HintAccessToken}, revoke.ErrUnsupported, "auth0 revoke: Request.Hint", "Auth0 revokes refresh tokens only"},
		{"JWT without a hint", revoke.Request{Token: jwtToken}, revoke.ErrUnsupported, "auth0 revoke: Request.Token", "is a JWT"},
		{"JWE without a hint", revoke.Request{Token: jweToken}, revoke.ErrUnsupported, "auth0 revoke: Request.Token", "is a JWT"},
		{"device_secret hint", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Hint", `"device_secret" is not a token type Auth0 revokes`},
		{"control character in a hint", revoke.Request{Token: token, Hint: "refresh\ntoken"}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Hint", "a hint of 13 bytes"},
		{"Params", revoke.Request{Token: token, Params: url.Values{"audience": {"x"}}}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Params", "leave Params empty"},
		{"client_id in Params", revoke.Request{Token: token, Hint: revoke.HintRefreshToken, Params: url.Values{"client_id": {"other"}}}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Params", "leave Params empty"},
		{"empty token", revoke.Request{}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "v1.abcd"}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Token", "shorter than"},
		{"token with a newline", revoke.Request{Token: token + "\n"}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Token", "white space or a control character"},
		{"token with a space", revoke.Request{Token: "v1.tok en-value-123"}, revoke.ErrInvalidRequest, "auth0 revoke: Request.Token", "white space or a control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, tc.wantField, tc.wantText, tc.wantKind, token, secret, jwtToken, jweToken)
		})
	}
	// A JWT the caller says is a refresh token is sent as told.
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: jwtToken, Hint: revoke.HintRefreshToken}); err != nil {
		t.Fatal(err)
	}
	if got := ep.Only(t).JSON(t)["token"]; got != jwtToken {
		t.Errorf("token sent = %v", got)
	}
}

// TestRevokeToken: Auth0 revokes refresh tokens only, so an oauth2.Token
// is revoked by its refresh token alone, and one without a refresh token is
// refused as unsupported without a request.
func TestRevokeToken(t *testing.T) {
	tests := []struct {
		name      string
		tok       *oauth2.Token
		wantSent  []string
		wantKind  error
		wantInErr string
	}{
		{"refresh and access tokens", &oauth2.Token{AccessToken: "eyJ.access.token", RefreshToken: "v1.refresh-token-value"}, []string{"v1.refresh-token-value"}, nil, ""},
		{"refresh token only", &oauth2.Token{RefreshToken: "v1.refresh-token-value"}, []string{"v1.refresh-token-value"}, nil, ""},
		{"access token only", &oauth2.Token{AccessToken: "eyJ.access.token"}, nil, revoke.ErrUnsupported, "Auth0 revokes refresh tokens only"},
		{"empty token", &oauth2.Token{}, nil, revoke.ErrInvalidRequest, "nothing to revoke"},
		{"nil token", nil, nil, revoke.ErrInvalidRequest, "is nil"},
	}
	for _, tc := range tests {
		for _, via := range []string{"method", "revoke.RevokeToken"} {
			t.Run(tc.name+" via "+via, func(t *testing.T) {
				ep := testkit.NewEndpoint()
				r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
				var err error
				if via == "method" {
					err = r.RevokeToken(context.Background(), tc.tok)
				} else {
					err = revoke.RevokeToken(context.Background(), r, tc.tok)
				}
				if tc.wantKind == nil && err != nil {
					t.Fatalf("RevokeToken: %v", err)
				}
				if tc.wantKind != nil && (!errors.Is(err, tc.wantKind) || !strings.Contains(err.Error(), tc.wantInErr)) {
					t.Errorf("err = %v; want %v saying %q", err, tc.wantKind, tc.wantInErr)
				}
				var sent []string
				for _, s := range ep.Requests() {
					sent = append(sent, s.JSON(t)["token"].(string))
				}
				testkit.Want(t, "tokens sent", fmt.Sprint(sent), fmt.Sprint(tc.wantSent))
			})
		}
	}
	var nilR *auth0.Revoker
	if err := nilR.RevokeToken(context.Background(), &oauth2.Token{RefreshToken: token}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil Revoker: %v", err)
	}
}

// TestErrorMapping serves Auth0's error answers and checks every field of
// the error.
func TestErrorMapping(t *testing.T) {
	jsonHdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name     string
		answer   testkit.Answer
		wantKind error
		wantCode string
		wantDesc string
		wantExc  string
	}{
		{"400 invalid_request", testkit.Answer{Status: 400, Header: jsonHdr, Body: testkit.Golden(t, "revoke-400-invalid-request.json")}, revoke.ErrInvalidRequest, "invalid_request", "Missing required parameter: token", ""},
		{"401 invalid_client", testkit.Answer{Status: 401, Header: jsonHdr, Body: testkit.Golden(t, "revoke-401-invalid-client.json")}, revoke.ErrInvalidClient, "invalid_client", "client authentication failed", ""},
		{"401 access_denied", testkit.Answer{Status: 401, Header: jsonHdr, Body: `{"error":"access_denied","error_description":"Unauthorized"}`}, revoke.ErrInvalidClient, "access_denied", "Unauthorized", ""},
		{"403 without a body", testkit.Answer{Status: 403}, revoke.ErrForbidden, "", "", ""},
		{"500 HTML page", testkit.Answer{Status: 500, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><body>Oops</body></html>"}, revoke.ErrServer, "", "", "<html><body>Oops</body></html>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret}, revoke.WithoutRetry())
			_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			e := testkit.WantError(t, err, tc.wantKind)
			if e.StatusCode != tc.answer.Status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != tc.wantExc {
				t.Errorf("error = {%d %q %q excerpt %q}; want {%d %q %q %q}", e.StatusCode, e.Code, e.Description, e.Excerpt, tc.answer.Status, tc.wantCode, tc.wantDesc, tc.wantExc)
			}
			if e.Op != "auth0 revoke" || e.Endpoint != base+"/oauth/revoke" || e.Attempts != 1 {
				t.Errorf("op, endpoint, attempts = %q, %q, %d", e.Op, e.Endpoint, e.Attempts)
			}
			testkit.NoLeak(t, "error", err.Error(), token, secret)
		})
	}
}

// TestRateLimitHeaders: Auth0's X-RateLimit-* headers on a success are
// reported, and its request ID is read.
func TestRateLimitHeaders(t *testing.T) {
	reset := time.Now().Add(30 * time.Second).Unix()
	ep := testkit.NewEndpoint(testkit.Answer{Status: 200, Header: http.Header{
		"X-Ratelimit-Limit": {"30"}, "X-Ratelimit-Remaining": {"29"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)},
		"X-Auth0-Requestid": {"b1d7c0ffee"},
	}})
	r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if res.RateLimit == nil || res.RateLimit.Limit != 30 || res.RateLimit.Remaining != 29 || res.RateLimit.Reset.Unix() != reset {
		t.Errorf("RateLimit = %+v; want 30/29 resetting at %d", res.RateLimit, reset)
	}
	testkit.Want(t, "RequestID", res.RequestID, "b1d7c0ffee")
}

// TestRetryAfterReset: a 429 carrying only Auth0's X-RateLimit-Reset
// (epoch seconds, no Retry-After) is retried once the reset has passed.
func TestRetryAfterReset(t *testing.T) {
	reset := time.Now().Unix() + 1
	ep := testkit.NewEndpoint(
		testkit.Answer{Status: 429, Header: http.Header{
			"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"30"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)},
		}, Body: `{"error":"too_many_requests","error_description":"Global limit has been reached"}`},
		testkit.Answer{Status: 200},
	)
	r, err := auth0.New(auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret},
		revoke.WithHTTPClient(ep.Client()), revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxWait: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", res.Attempts)
	}
	if now := time.Now(); now.Unix() < reset {
		t.Errorf("retried at %v (after %v), before the reset at %d", now, now.Sub(start), reset)
	}

	// With a cap shorter than the reset, the caller learns how long to wait.
	ep = testkit.NewEndpoint(testkit.Answer{Status: 429, Header: http.Header{
		"X-Ratelimit-Limit": {"30"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(time.Now().Unix()+30, 10)},
	}, Body: `{"error":"too_many_requests","error_description":"Global limit has been reached"}`})
	r = newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
	_, err = r.Revoke(context.Background(), revoke.Request{Token: token})
	var e *revoke.Error
	if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &e) || e.RetryAfter < 25*time.Second || len(ep.Requests()) != 1 {
		t.Errorf("err = %v (requests %d); want ErrRateLimited with RetryAfter about 30s after one request", err, len(ep.Requests()))
	}
}

// TestRetries: 503 is retried with the same request.
func TestRetries(t *testing.T) {
	testkit.Retried(t, buildRevoker, revoke.Request{Token: token}, testkit.JSONAnswer(503, `{"error":"temporarily_unavailable"}`), testkit.Answer{Status: 200})
}

// TestRedirectNotFollowed: a redirect is an error and the credentials
// never leave for its target.
func TestRedirectNotFollowed(t *testing.T) {
	testkit.NoRedirect(t, buildRevoker, revoke.Request{Token: token})
}

// buildRevoker builds a Revoker with a client secret, sending to ep.
func buildRevoker(t *testing.T, ep *testkit.Endpoint) revoke.Revoker {
	return newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
}

// TestNilContextAndZeroValues: nothing panics and every misuse is a
// *revoke.ConfigError.
func TestNilContextAndZeroValues(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := newRevoker(t, ep, auth0.Config{Domain: domain, ClientID: clientID, ClientSecret: secret})
	testkit.Misuse(t, r, ep, revoke.Request{Token: token})
	var zero auth0.Revoker
	if err := zero.RevokeToken(context.Background(), &oauth2.Token{RefreshToken: token}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("zero Revoker RevokeToken: %v", err)
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
