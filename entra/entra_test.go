package entra_test

import (
	"context"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // checking the x5t header
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestWireSecret asserts both requests exactly: the client credentials
// grant with a client secret, then revokeSignInSessions.
func TestWireSecret(t *testing.T) {
	tests := []struct {
		name, golden string
		subject      revoke.Subject
		wantURL      string
	}{
		{"object ID", "revoke_object_id.txt", revoke.OpaqueSubject(objectID), revokeURL},
		{"userPrincipalName", "revoke_upn.txt", revoke.EmailSubject(upn), "https://graph.microsoft.com/v1.0/users/alice@contoso.com/revokeSignInSessions"},
		{"userPrincipalName with an apostrophe", "revoke_upn_apostrophe.txt", revoke.EmailSubject("o'brien@contoso.com"), "https://graph.microsoft.com/v1.0/users/o%27brien@contoso.com/revokeSignInSessions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tokenOK, revokedOK)
			rep, err := newGraph(t, ep).RevokeSubject(context.Background(), tt.subject)
			if err != nil {
				t.Fatalf("RevokeSubject: %v", err)
			}
			if len(rep.Steps) != 1 || rep.Vendor != "entra" || rep.Subject != tt.subject {
				t.Fatalf("report = %+v, want one step for %v", rep, tt.subject)
			}
			st := rep.Steps[0]
			if st.Action != entra.ActionRevokeSignInSessions || st.Status != revoke.StepAccepted || st.Note != entra.StepNote || st.Err != nil ||
				st.Result == nil || st.Result.StatusCode != 200 || st.Result.Attempts != 1 || st.Result.RequestID != "7d4e2c1a-0000-4000-8000-000000000001" {
				t.Errorf("step = %+v (result %+v), want accepted with the note, 200, the request-id", st, st.Result)
			}
			for _, want := range []string{"few minutes", "guest", "access tokens"} {
				if !strings.Contains(st.Note, want) {
					t.Errorf("note %q does not mention %q", st.Note, want)
				}
			}
			reqs := ep.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want the token request and the revocation", len(reqs))
			}
			tok, rev := reqs[0], reqs[1]
			testkit.Want(t, "token method", tok.Method, http.MethodPost)
			testkit.Want(t, "token URL", tok.URL.String(), tokenURL)
			testkit.Header(t, tok.Header, "Content-Type", "application/x-www-form-urlencoded")
			testkit.Header(t, tok.Header, "Accept", "application/json")
			testkit.Header(t, tok.Header, "Authorization", "")
			testkit.Want(t, "token body", string(tok.Body), "client_id="+clientID+"&client_secret="+url.QueryEscape(secret)+"&grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default")
			testkit.Want(t, "revoke method", rev.Method, http.MethodPost)
			testkit.Want(t, "revoke URL", rev.URL.String(), tt.wantURL)
			testkit.Header(t, rev.Header, "Authorization", "Bearer "+graphToken)
			testkit.Header(t, rev.Header, "Accept", "application/json")
			testkit.Header(t, rev.Header, "Content-Type", "")
			testkit.Want(t, "revoke body", string(rev.Body), "")
			if len(rev.Header) != 3 {
				t.Errorf("revoke headers = %v, want exactly Accept, Authorization and User-Agent", rev.Header)
			}
			wantWire(t, "token_secret.txt", tok)
			wantWire(t, tt.golden, rev)
		})
	}
}

// TestWireCertificate asserts the token request of a certificate
// credential and its client assertion: header (alg, typ, x5t#S256 or x5t)
// and claims, as Microsoft documents them.
func TestWireCertificate(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		name := map[bool]string{false: "PS256 x5t#S256", true: "legacy RS256 x5t"}[legacy]
		t.Run(name, func(t *testing.T) {
			cert := validCert(t)
			cert.LegacyX5T = legacy
			ep := testkit.NewEndpoint(tokenOK, revokedOK)
			g, err := entra.New(entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: cert}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now().Add(-time.Second)
			if _, err := g.RevokeSignInSessions(context.Background(), objectID); err != nil {
				t.Fatal(err)
			}
			tok := ep.Requests()[0]
			form := tok.Form(t)
			if len(form) != 5 || form.Get("grant_type") != "client_credentials" || form.Get("client_id") != clientID ||
				form.Get("scope") != entra.DefaultScope || form.Get("client_assertion_type") != revoke.ClientAssertionType || form.Get("client_secret") != "" {
				t.Errorf("form = %v, want grant_type, client_id, scope, client_assertion_type, client_assertion", form)
			}
			testkit.Header(t, tok.Header, "Authorization", "")
			golden := map[bool]string{false: "token_certificate.txt", true: "token_certificate_legacy.txt"}[legacy]
			wantWire(t, golden, tok)

			alg, header := jose.PS256, "x5t#S256"
			s256 := sha256.Sum256(cert.Certificate.Raw)
			thumb := base64.RawURLEncoding.EncodeToString(s256[:])
			if legacy {
				s1 := sha1.Sum(cert.Certificate.Raw) //nolint:gosec // x5t is SHA-1
				alg, header, thumb = jose.RS256, "x5t", base64.RawURLEncoding.EncodeToString(s1[:])
			}
			parsed, err := jwt.ParseSigned(form.Get("client_assertion"), []jose.SignatureAlgorithm{alg})
			if err != nil {
				t.Fatalf("assertion: %v", err)
			}
			h := parsed.Headers[0]
			if h.Algorithm != string(alg) || h.ExtraHeaders["typ"] != "JWT" || h.ExtraHeaders[jose.HeaderKey(header)] != thumb || len(h.ExtraHeaders) != 2 || h.KeyID != "" || h.JSONWebKey != nil {
				t.Errorf("assertion header = %+v, want alg %s, typ JWT, %s %s and nothing else", h, alg, header, thumb)
			}
			var c jwt.Claims
			if err := parsed.Claims(cert.Key.Public().(*rsa.PublicKey), &c); err != nil {
				t.Fatalf("assertion signature: %v", err)
			}
			if c.Issuer != clientID || c.Subject != clientID || len(c.Audience) != 1 || c.Audience[0] != tokenURL || len(c.ID) != 36 || c.IssuedAt == nil || c.NotBefore == nil || c.Expiry == nil {
				t.Errorf("claims = %+v, want iss = sub = client ID, aud the token URL, a GUID jti, iat, nbf, exp", c)
			}
			if iat := c.IssuedAt.Time(); iat.Before(before.Truncate(time.Second)) || c.Expiry.Time().Sub(iat) != 5*time.Minute || !c.NotBefore.Time().Equal(iat) {
				t.Errorf("times iat %v nbf %v exp %v, want nbf = iat = now and exp five minutes on", iat, c.NotBefore.Time(), c.Expiry.Time())
			}
		})
	}
}

// TestWireTokenSource sends a caller's token and makes no token request.
func TestWireTokenSource(t *testing.T) {
	ep := testkit.NewEndpoint(revokedOK)
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: graphToken, TokenType: "Bearer"})
	g, err := entra.New(entra.Config{TokenSource: src}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.RevokeSignInSessions(context.Background(), upn); err != nil {
		t.Fatal(err)
	}
	got := ep.Only(t)
	testkit.Want(t, "URL", got.URL.String(), "https://graph.microsoft.com/v1.0/users/alice@contoso.com/revokeSignInSessions")
	testkit.Header(t, got.Header, "Authorization", "Bearer "+graphToken)
}

// TestSovereignCloud derives the scope from GraphURL.
func TestSovereignCloud(t *testing.T) {
	ep := testkit.NewEndpoint(tokenOK, revokedOK)
	g, err := entra.New(entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret, GraphURL: "https://graph.microsoft.us", LoginURL: "https://login.microsoftonline.us"}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.RevokeSignInSessions(context.Background(), objectID); err != nil {
		t.Fatal(err)
	}
	reqs := ep.Requests()
	testkit.Want(t, "token URL", reqs[0].URL.String(), "https://login.microsoftonline.us/"+tenantID+"/oauth2/v2.0/token")
	testkit.Want(t, "scope", reqs[0].Form(t).Get("scope"), "https://graph.microsoft.us/.default")
	testkit.Want(t, "revoke URL", reqs[1].URL.String(), "https://graph.microsoft.us/v1.0/users/"+objectID+"/revokeSignInSessions")
	testkit.Want(t, "Endpoint", g.Endpoint(), "https://graph.microsoft.us/v1.0/users")
}

// TestRevokeAnswers classifies every answer revokeSignInSessions can give.
func TestRevokeAnswers(t *testing.T) {
	graphErr := func(status int, code, msg string) testkit.Answer {
		a := testkit.JSONAnswer(status, `{"error":{"code":"`+code+`","message":"`+msg+`","innerError":{"date":"2025-02-09T09:09:30","request-id":"body-request-id","client-request-id":"body-request-id"}}}`)
		return a
	}
	throttled := graphErr(429, "TooManyRequests", "Too many requests.")
	throttled.Header.Set("Retry-After", "0")
	longThrottle := graphErr(429, "TooManyRequests", "Too many requests.")
	longThrottle.Header.Set("Retry-After", "120")
	tests := []struct {
		name      string
		answers   []testkit.Answer
		kind      error
		status    int
		code      string
		desc      string
		attempts  int
		requestID string
	}{
		{name: "200 value true", answers: []testkit.Answer{revokedOK}, status: 200, attempts: 1, requestID: "7d4e2c1a-0000-4000-8000-000000000001"},
		{name: "204 (known issue)", answers: []testkit.Answer{{Status: 204}}, status: 204, attempts: 1},
		{name: "200 empty", answers: []testkit.Answer{{Status: 200}}, status: 200, attempts: 1},
		{name: "200 value false", answers: []testkit.Answer{testkit.JSONAnswer(200, `{"value":false}`)}, kind: revoke.ErrUnexpectedResponse, status: 200, desc: "value\":false}: Graph did not reset", attempts: 1},
		{name: "200 HTML", answers: []testkit.Answer{{Status: 200, Body: "<html>proxy</html>"}}, kind: revoke.ErrUnexpectedResponse, status: 200, desc: "not confirmed", attempts: 1},
		{name: "200 value not boolean", answers: []testkit.Answer{testkit.JSONAnswer(200, `{"value":"true"}`)}, kind: revoke.ErrUnexpectedResponse, status: 200, desc: "not confirmed", attempts: 1},
		{name: "403 Authorization_RequestDenied", answers: []testkit.Answer{graphErr(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")}, kind: revoke.ErrForbidden, status: 403, code: "Authorization_RequestDenied", desc: "User.RevokeSessions.All", attempts: 1, requestID: "body-request-id"},
		{name: "403 without a body", answers: []testkit.Answer{{Status: 403}}, kind: revoke.ErrForbidden, status: 403, desc: "User.RevokeSessions.All", attempts: 1},
		{name: "404 Request_ResourceNotFound", answers: []testkit.Answer{graphErr(404, "Request_ResourceNotFound", "Resource 'x' does not exist or one of its queried reference-property objects are not present.")}, kind: revoke.ErrNotFound, status: 404, code: "Request_ResourceNotFound", desc: "not always equals", attempts: 1},
		{name: "400 Request_BadRequest", answers: []testkit.Answer{graphErr(400, "Request_BadRequest", "Invalid object identifier.")}, kind: revoke.ErrInvalidRequest, status: 400, code: "Request_BadRequest", attempts: 1},
		{name: "429 retried", answers: []testkit.Answer{throttled, throttled, revokedOK}, status: 200, attempts: 3, requestID: "7d4e2c1a-0000-4000-8000-000000000001"},
		{name: "429 longer than the retry cap", answers: []testkit.Answer{longThrottle}, kind: revoke.ErrRateLimited, status: 429, code: "TooManyRequests", attempts: 1},
		{name: "503 retried", answers: []testkit.Answer{{Status: 503}, revokedOK}, status: 200, attempts: 2, requestID: "7d4e2c1a-0000-4000-8000-000000000001"},
		{name: "500", answers: []testkit.Answer{graphErr(500, "generalException", "An unspecified error has occurred.")}, kind: revoke.ErrServer, status: 500, code: "generalException", attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(append([]testkit.Answer{tokenOK}, tt.answers...)...)
			rep, err := newGraph(t, ep).RevokeSubject(context.Background(), revoke.OpaqueSubject(objectID))
			if rep == nil || len(rep.Steps) != 1 {
				t.Fatalf("report = %+v, want one step", rep)
			}
			st := rep.Steps[0]
			if tt.kind == nil {
				if err != nil || st.Status != revoke.StepAccepted || st.Result.StatusCode != tt.status || st.Result.Attempts != tt.attempts || st.Result.RequestID != tt.requestID {
					t.Fatalf("err = %v, step %+v result %+v; want accepted, %d, %d attempts, request ID %q", err, st, st.Result, tt.status, tt.attempts, tt.requestID)
				}
				return
			}
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) || st.Status != revoke.StepFailed || st.Err != err {
				t.Fatalf("err = %v, step %+v; want a failed step matching %v", err, st, tt.kind)
			}
			if re.StatusCode != tt.status || re.Code != tt.code || !strings.Contains(re.Description, tt.desc) || re.Attempts != tt.attempts || re.Op != "entra revoke sign-in sessions" || re.Endpoint != revokeURL {
				t.Errorf("error = %+v, want status %d, code %q, description with %q, %d attempts, the op and endpoint", re, tt.status, tt.code, tt.desc, tt.attempts)
			}
			if tt.requestID != "" && re.RequestID != tt.requestID {
				t.Errorf("RequestID = %q, want %q", re.RequestID, tt.requestID)
			}
			if tt.kind == revoke.ErrRateLimited && re.RetryAfter != 120*time.Second {
				t.Errorf("RetryAfter = %v, want 2m0s", re.RetryAfter)
			}
		})
	}
}

// TestTokenErrors classifies the token endpoint's errors, with Entra's
// trace ID as the request ID and a hint per AADSTS code.
func TestTokenErrors(t *testing.T) {
	aad := func(status int, code string, aadsts, msg string) testkit.Answer {
		return testkit.JSONAnswer(status, `{"error":"`+code+`","error_description":"AADSTS`+aadsts+`: `+msg+`\r\nTrace ID: 255d1aef-8c98-452f-ac51-23d051240864\r\nCorrelation ID: fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7\r\nTimestamp: 2016-01-09 02:02:12Z","error_codes":[`+aadsts+`],"timestamp":"2016-01-09 02:02:12Z","trace_id":"255d1aef-8c98-452f-ac51-23d051240864","correlation_id":"fb3d2015-bc17-4bb9-bb85-30c5cf1aaaa7"}`)
	}
	tests := []struct {
		name   string
		answer testkit.Answer
		kind   error
		status int
		code   string
		hint   string
	}{
		{"wrong secret", aad(401, "invalid_client", "7000215", "Invalid client secret provided."), revoke.ErrInvalidClient, 401, "invalid_client", "Secret ID"},
		{"unknown tenant", aad(400, "invalid_request", "90002", "Tenant 'x' not found."), revoke.ErrInvalidRequest, 400, "invalid_request", "check Tenant"},
		{"unknown application", aad(400, "unauthorized_client", "700016", "Application with identifier 'x' was not found in the directory 'y'."), revoke.ErrUnauthorizedClient, 400, "unauthorized_client", "check ClientID"},
		{"invalid scope (documented)", testkit.JSONAnswer(400, testkit.Golden(t, "token_400_invalid_scope.json")), revoke.ErrInvalidRequest, 400, "invalid_scope", "AADSTS70011"},
		{"no access_token", testkit.JSONAnswer(200, `{"token_type":"Bearer","expires_in":3599}`), revoke.ErrUnexpectedResponse, 200, "", "no access_token"},
		{"HTML", testkit.Answer{Status: 500, Body: "<html>down</html>"}, revoke.ErrServer, 500, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tt.answer)
			rep, err := newGraph(t, ep).RevokeSubject(context.Background(), revoke.OpaqueSubject(objectID))
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) || rep == nil || rep.Steps[0].Status != revoke.StepFailed {
				t.Fatalf("err = %v, report %+v; want a failed step matching %v", err, rep, tt.kind)
			}
			if re.Op != "entra token" || re.StatusCode != tt.status || re.Code != tt.code || !strings.Contains(re.Description, tt.hint) || re.Endpoint != tokenURL {
				t.Errorf("error = %+v, want op entra token, status %d, code %q, %q in the description", re, tt.status, tt.code, tt.hint)
			}
			if tt.code != "" && tt.code != "invalid_scope" && re.RequestID != "255d1aef-8c98-452f-ac51-23d051240864" {
				t.Errorf("RequestID = %q, want the trace_id", re.RequestID)
			}
			if strings.Contains(re.Description, "Trace ID") {
				t.Errorf("description %q repeats the trace lines", re.Description)
			}
			if len(ep.Requests()) != 1 {
				t.Errorf("%d requests, want only the token request", len(ep.Requests()))
			}
		})
	}
}

// TestTokenCache reuses one token for calls, fetches again when it is
// about to expire, and lets concurrent callers share one fetch.
func TestTokenCache(t *testing.T) {
	t.Run("reused", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenOK, revokedOK)
		g := newGraph(t, ep)
		for range 3 {
			if _, err := g.RevokeSignInSessions(context.Background(), objectID); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(ep.Requests()); n != 4 {
			t.Errorf("%d requests, want 1 token request and 3 revocations", n)
		}
	})
	t.Run("about to expire", func(t *testing.T) {
		short := testkit.JSONAnswer(200, `{"token_type":"Bearer","expires_in":"30","access_token":"`+graphToken+`"}`)
		ep := testkit.NewEndpoint(short, revokedOK, short, revokedOK)
		g := newGraph(t, ep)
		for range 2 {
			if _, err := g.RevokeSignInSessions(context.Background(), objectID); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(ep.Requests()); n != 4 {
			t.Errorf("%d requests, want a token request before each revocation", n)
		}
	})
	t.Run("concurrent", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenOK, revokedOK)
		src, err := entra.NewTokenSource(entra.TokenConfig{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				tok, err := src.TokenContext(context.Background())
				if err != nil || tok.AccessToken != graphToken || time.Until(tok.Expiry) < 59*time.Minute {
					t.Errorf("TokenContext = %v, %v", tok, err)
				}
			})
		}
		wg.Wait()
		if n := len(ep.Requests()); n != 1 {
			t.Errorf("%d token requests, want 1", n)
		}
		testkit.Want(t, "TokenURL", src.TokenURL(), tokenURL)
	})
	t.Run("context cancelled while waiting", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenOK)
		src, err := entra.NewTokenSource(entra.TokenConfig{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := src.TokenContext(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

// TestRefusedTokenIsReplaced: a token Graph refuses (401) before its
// expiry is dropped, and the call made once more with a new one; a
// caller's TokenSource gets no second call.
func TestRefusedTokenIsReplaced(t *testing.T) {
	unauth := testkit.JSONAnswer(401, `{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired."}}`)
	second := testkit.JSONAnswer(200, `{"token_type":"Bearer","expires_in":3599,"access_token":"second-graph-token-value"}`)
	t.Run("own source", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenOK, unauth, second, revokedOK)
		res, err := newGraph(t, ep).RevokeSignInSessions(context.Background(), objectID)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("RevokeSignInSessions = %+v, %v; want success with the second token", res, err)
		}
		reqs := ep.Requests()
		if len(reqs) != 4 {
			t.Fatalf("%d requests, want token, revoke, token, revoke", len(reqs))
		}
		testkit.Header(t, reqs[3].Header, "Authorization", "Bearer second-graph-token-value")
	})
	t.Run("twice refused", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenOK, unauth, second, unauth)
		_, err := newGraph(t, ep).RevokeSignInSessions(context.Background(), objectID)
		var re *revoke.Error
		if !errors.Is(err, revoke.ErrInvalidClient) || !errors.As(err, &re) || re.Code != "InvalidAuthenticationToken" || !strings.Contains(re.Description, "audience") {
			t.Errorf("err = %v, want InvalidAuthenticationToken as ErrInvalidClient with the hint", err)
		}
		if n := len(ep.Requests()); n != 4 {
			t.Errorf("%d requests, want 4: one more try only", n)
		}
	})
	t.Run("caller's source", func(t *testing.T) {
		ep := testkit.NewEndpoint(unauth)
		g, err := entra.New(entra.Config{TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: graphToken})}, ep.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := g.RevokeSignInSessions(context.Background(), objectID); !errors.Is(err, revoke.ErrInvalidClient) {
			t.Errorf("err = %v, want ErrInvalidClient", err)
		}
		if n := len(ep.Requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// TestTokenSourceFailures: a caller's source that fails, returns nothing,
// a token of another type, or panics, is reported without a request.
func TestTokenSourceFailures(t *testing.T) {
	retrieve := &oauth2.RetrieveError{Response: &http.Response{StatusCode: 401}, ErrorCode: "invalid_client", ErrorDescription: "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x"}
	tests := []struct {
		name string
		src  oauth2.TokenSource
		kind error
	}{
		{"oauth2 retrieve error", errSource{retrieve}, revoke.ErrInvalidClient},
		{"network error", errSource{errors.New("dial tcp: connection refused")}, revoke.ErrUnavailable},
		{"no token", oauth2.StaticTokenSource(&oauth2.Token{}), revoke.ErrInvalidRequest},
		{"nil token", nilSource{}, revoke.ErrInvalidRequest},
		{"token with a newline", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "abc\ndef-ghi-jkl"}), revoke.ErrInvalidRequest},
		{"mac token", oauth2.StaticTokenSource(&oauth2.Token{AccessToken: graphToken, TokenType: "MAC"}), revoke.ErrInvalidRequest},
		{"panicking source", panicSource{}, revoke.ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(revokedOK)
			g, err := entra.New(entra.Config{TokenSource: tt.src}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := g.RevokeSubject(context.Background(), revoke.OpaqueSubject(objectID))
			if !errors.Is(err, tt.kind) || rep == nil || rep.Steps[0].Status != revoke.StepFailed {
				t.Errorf("err = %v, report %+v; want a failed step matching %v", err, rep, tt.kind)
			}
			if strings.Contains(testkit.PrintAll(err), "Trace ID") {
				t.Errorf("err = %v repeats the trace lines", err)
			}
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

type errSource struct{ err error }

func (s errSource) Token() (*oauth2.Token, error) { return nil, s.err }

type nilSource struct{}

func (nilSource) Token() (*oauth2.Token, error) { return nil, nil }

type panicSource struct{}

func (panicSource) Token() (*oauth2.Token, error) { panic("boom") }
