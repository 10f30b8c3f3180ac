package onelogin_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

const (
	apiToken = "a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3"
	userID   = "56781966"
	logoutAt = "https://acme.onelogin.com/api/1/users/56781966/logout"
)

var (
	tokenAnswer  = testkit.JSONAnswer(200, `{"access_token":"`+apiToken+`","created_at":"2015-11-11T03:36:18.714Z","expires_in":36000,"refresh_token":"628x9x0xx447xx4x421x517x4x474x33x2065x4x1xx523xxxxx6x7x20","token_type":"bearer","account_id":555555}`)
	logoutOK     = testkit.JSONAnswer(200, `{"status":{"code":200,"error":false,"message":"Success","type":"success"}}`)
	usersAnswer  = testkit.JSONAnswer(200, `[{"id":56781966,"email":"Alice@Acme.com","username":"alice"},{"id":56781967,"email":"alice@acme.com.evil","username":"x"}]`)
	twoUsers     = testkit.JSONAnswer(200, `[{"id":56781966,"email":"alice@acme.com"},{"id":56781970,"email":"ALICE@acme.com"}]`)
	noUsers      = testkit.JSONAnswer(200, `[]`)
	authFailure  = testkit.JSONAnswer(401, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}`)
	insufficient = testkit.JSONAnswer(401, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Insufficient Permission"}}`)
)

// newAdmin builds an Admin for acme.onelogin.com with its own token source.
func newAdmin(t *testing.T, ep *testkit.Endpoint, api onelogin.APIVersion, more ...revoke.Option) *onelogin.Admin {
	t.Helper()
	a, err := onelogin.NewAdmin(onelogin.AdminConfig{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: api}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAdminWire asserts every request exactly: the token request of each
// API version, the email search and the logout.
func TestAdminWire(t *testing.T) {
	for _, api := range []onelogin.APIVersion{onelogin.V1, onelogin.V2} {
		t.Run(api.String(), func(t *testing.T) {
			ep := testkit.NewEndpoint(tokenAnswer, usersAnswer, logoutOK)
			rep, err := newAdmin(t, ep, api).RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com"))
			if err != nil {
				t.Fatalf("RevokeSubject: %v", err)
			}
			if len(rep.Steps) != 2 || rep.Vendor != "onelogin" {
				t.Fatalf("report = %+v, want the search and one logout", rep)
			}
			find, out := rep.Steps[0], rep.Steps[1]
			if find.Action != onelogin.ActionFindUsers || find.Target != "alice@acme.com" || find.Status != revoke.StepDone || find.Note != "1 user(s): 56781966" {
				t.Errorf("search step = %+v", find)
			}
			if out.Action != onelogin.ActionLogOut || out.Target != userID || out.Status != revoke.StepDone || out.Note != onelogin.LogOutNote || out.Result.StatusCode != 200 {
				t.Errorf("logout step = %+v", out)
			}
			if st, ok := onelogin.Details(out.Result); !ok || st.Message != "Success" {
				t.Errorf("Details = %+v, %v", st, ok)
			}
			if !strings.Contains(out.Note, "third-party") {
				t.Errorf("note %q does not say third-party sessions stay", out.Note)
			}
			reqs := ep.Requests()
			if len(reqs) != 3 {
				t.Fatalf("%d requests, want token, search, logout", len(reqs))
			}
			tok, find2, logout := reqs[0], reqs[1], reqs[2]
			testkit.Want(t, "token method", tok.Method, http.MethodPost)
			testkit.Want(t, "token URL", tok.URL.String(), "https://acme.onelogin.com/auth/oauth2/v2/token")
			testkit.Header(t, tok.Header, "Content-Type", "application/json")
			testkit.Header(t, tok.Header, "Accept", "application/json")
			wantAuth := testkit.Basic(testID, testSecret)
			if api == onelogin.V1 {
				wantAuth = "client_id:" + testID + ", client_secret:" + testSecret
			}
			testkit.Header(t, tok.Header, "Authorization", wantAuth)
			testkit.Want(t, "token body", string(tok.Body), `{"grant_type":"client_credentials"}`)
			testkit.Want(t, "search method", find2.Method, http.MethodGet)
			testkit.Want(t, "search URL", find2.URL.String(), "https://acme.onelogin.com/api/2/users?email=alice%40acme.com")
			testkit.Header(t, find2.Header, "Authorization", "Bearer "+apiToken)
			testkit.Want(t, "search body", string(find2.Body), "")
			testkit.Want(t, "logout method", logout.Method, http.MethodPut)
			testkit.Want(t, "logout URL", logout.URL.String(), logoutAt)
			testkit.Header(t, logout.Header, "Authorization", "bearer:"+apiToken)
			testkit.Header(t, logout.Header, "Accept", "application/json")
			testkit.Header(t, logout.Header, "Content-Type", "")
			testkit.Want(t, "logout body", string(logout.Body), "")
			if len(logout.Header) != 3 {
				t.Errorf("logout headers = %v, want exactly Accept, Authorization, User-Agent", logout.Header)
			}
			wantWire(t, "token_"+strings.ToLower(api.String())+".txt", tok)
			wantWire(t, "users_by_email.txt", find2)
			wantWire(t, "logout.txt", logout)
		})
	}
}

// TestLogOutAnswers classifies every documented logout answer.
func TestLogOutAnswers(t *testing.T) {
	envelope := func(status int, typ, msg string) testkit.Answer {
		return testkit.JSONAnswer(status, `{"status":{"error":true,"code":`+strconv.Itoa(status)+`,"type":"`+typ+`","message":"`+msg+`"}}`)
	}
	limited := envelope(429, "Too Many Requests", "Rate Limit Exceeded")
	limited.Header.Set("X-RateLimit-Reset", "1200")
	tests := []struct {
		name     string
		answers  []testkit.Answer
		kind     error
		status   int
		desc     string
		requests int
	}{
		{"200 envelope", []testkit.Answer{logoutOK}, nil, 200, "", 2},
		{"200 empty", []testkit.Answer{{Status: 200}}, nil, 200, "", 2},
		{"200 error envelope", []testkit.Answer{testkit.JSONAnswer(200, `{"status":{"error":true,"code":403,"type":"forbidden","message":"user is not authorized to access this User"}}`)}, revoke.ErrForbidden, 200, "error envelope", 2},
		{"200 HTML", []testkit.Answer{{Status: 200, Body: "<html/>"}}, revoke.ErrUnexpectedResponse, 200, "not confirmed", 2},
		{"400 authorization incorrect", []testkit.Answer{envelope(400, "bad request", "Authorization Information is incorrect")}, revoke.ErrInvalidClient, 400, "Authorization Information is incorrect", 2},
		{"400 id incorrect", []testkit.Answer{testkit.JSONAnswer(400, `{"status":{"error":true,"code":400,"type":"bad request","message":{"attribute":"id","description":"ID is incorrect"}}}`)}, revoke.ErrInvalidRequest, 400, "id: ID is incorrect", 2},
		{"401 insufficient permission", []testkit.Answer{insufficient}, revoke.ErrForbidden, 401, "Manage users or Manage All", 2},
		{"401 authentication failure, retried with a new token", []testkit.Answer{authFailure, tokenAnswer, logoutOK}, nil, 200, "", 4},
		{"401 authentication failure twice", []testkit.Answer{authFailure, tokenAnswer, authFailure}, revoke.ErrInvalidClient, 401, "Authentication Failure", 4},
		{"403", []testkit.Answer{envelope(403, "forbidden", "user is not authorized to access this User")}, revoke.ErrForbidden, 403, "may not manage this user", 2},
		{"404", []testkit.Answer{envelope(404, "not found", "User not found")}, revoke.ErrNotFound, 404, "no user with this ID", 2},
		{"429", []testkit.Answer{limited}, revoke.ErrRateLimited, 429, "Rate Limit Exceeded", 2},
		{"503 retried", []testkit.Answer{{Status: 503}, logoutOK}, nil, 200, "", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(append([]testkit.Answer{tokenAnswer}, tt.answers...)...)
			res, err := newAdmin(t, ep, onelogin.V2).LogOutUser(context.Background(), userID)
			if n := len(ep.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if tt.kind == nil {
				if err != nil || res.StatusCode != tt.status {
					t.Fatalf("LogOutUser = %+v, %v; want %d", res, err, tt.status)
				}
				return
			}
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) || re.StatusCode != tt.status || !strings.Contains(re.Description, tt.desc) || re.Op != "onelogin log user out" {
				t.Fatalf("err = %v, want %v, status %d, %q", err, tt.kind, tt.status, tt.desc)
			}
			if tt.kind == revoke.ErrRateLimited && re.RetryAfter != 20*time.Minute {
				t.Errorf("RetryAfter = %v, want 20m (X-RateLimit-Reset counts seconds)", re.RetryAfter)
			}
		})
	}
}

// TestEmailSubjects resolves addresses exactly, and reports no match as a
// failure.
func TestEmailSubjects(t *testing.T) {
	t.Run("two users", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenAnswer, twoUsers, logoutOK, logoutOK)
		rep, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com"))
		if err != nil || len(rep.Steps) != 3 || rep.Steps[1].Target != "56781966" || rep.Steps[2].Target != "56781970" || len(rep.Done()) != 3 {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		if got := ep.Requests()[3].URL.String(); got != "https://acme.onelogin.com/api/1/users/56781970/logout" {
			t.Errorf("second logout URL = %s", got)
		}
	})
	t.Run("nobody", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenAnswer, noUsers)
		rep, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), revoke.EmailSubject("nobody@acme.com"))
		if !errors.Is(err, revoke.ErrNotFound) || rep == nil || len(rep.Steps) != 1 || rep.Steps[0].Status != revoke.StepFailed {
			t.Fatalf("report = %+v, %v; want one failed search", rep, err)
		}
	})
	t.Run("only loose matches", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenAnswer, testkit.JSONAnswer(200, `[{"id":1,"email":"alice@acme.com.evil"}]`))
		if _, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com")); !errors.Is(err, revoke.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	for name, body := range map[string]string{"not an array": `{"status":{"error":false,"code":200}}`, "bad id": `[{"id":"abc","email":"alice@acme.com"}]`, "HTML": `<html/>`} {
		t.Run(name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tokenAnswer, testkit.JSONAnswer(200, body))
			rep, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com"))
			if !errors.Is(err, revoke.ErrUnexpectedResponse) || len(rep.Steps) != 1 {
				t.Fatalf("report = %+v, %v; want ErrUnexpectedResponse", rep, err)
			}
		})
	}
	t.Run("search without Read users", func(t *testing.T) {
		ep := testkit.NewEndpoint(tokenAnswer, insufficient)
		_, _, err := newAdmin(t, ep, onelogin.V2).FindUsersByEmail(context.Background(), "alice@acme.com")
		if !errors.Is(err, revoke.ErrForbidden) || !strings.Contains(err.Error(), "Read users") {
			t.Fatalf("err = %v, want ErrForbidden naming Read users", err)
		}
	})
}

// TestTokenSourceAnswers classifies the token endpoint's answers.
func TestTokenSourceAnswers(t *testing.T) {
	tests := []struct {
		name   string
		answer testkit.Answer
		kind   error
		desc   string
	}{
		{"401 envelope", authFailure, revoke.ErrInvalidClient, "check the API credential"},
		{"400 grant type", testkit.JSONAnswer(400, `{"status":{"error":true,"code":400,"type":"bad request","message":"grant_type is incorrect/absent"}}`), revoke.ErrInvalidRequest, "grant_type"},
		{"401 OAuth", testkit.JSONAnswer(401, `{"error":"invalid_client","error_description":"bad"}`), revoke.ErrInvalidClient, "bad"},
		{"500 (deleted owner)", testkit.Answer{Status: 500}, revoke.ErrServer, "was deleted"},
		{"200 error envelope", testkit.JSONAnswer(200, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure"}}`), revoke.ErrInvalidClient, "Authentication Failure"},
		{"200 without access_token", testkit.JSONAnswer(200, `{"status":{"error":false,"code":200,"type":"success","message":"Success"},"data":[]}`), revoke.ErrUnexpectedResponse, "no access_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tt.answer)
			src, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.TokenContext(context.Background())
			var re *revoke.Error
			if !errors.Is(err, tt.kind) || !errors.As(err, &re) || re.Op != "onelogin token" || !strings.Contains(re.Description, tt.desc) {
				t.Errorf("err = %v, want %v with %q", err, tt.kind, tt.desc)
			}
		})
	}
}

// TestTokenSourceCache reuses one token, fetches again near expiry, and
// lets concurrent callers share one fetch.
func TestTokenSourceCache(t *testing.T) {
	ep := testkit.NewEndpoint(tokenAnswer)
	src, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			tok, err := src.Token()
			if err != nil || tok.AccessToken != apiToken || time.Until(tok.Expiry) < 9*time.Hour || !strings.EqualFold(tok.Type(), "bearer") {
				t.Errorf("Token = %+v, %v", tok, err)
			}
		})
	}
	wg.Wait()
	if n := len(ep.Requests()); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
	testkit.Want(t, "TokenURL", src.TokenURL(), "https://acme.onelogin.com/auth/oauth2/v2/token")

	short := testkit.JSONAnswer(200, `{"access_token":"`+apiToken+`","expires_in":30,"token_type":"bearer"}`)
	ep2 := testkit.NewEndpoint(short)
	src2, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, ep2.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := src2.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(ep2.Requests()); n != 2 {
		t.Errorf("%d token requests for a token expiring in 30s, want 2", n)
	}
}

// TestAdminTokenSource sends a caller's token and checks what it returns.
func TestAdminTokenSource(t *testing.T) {
	ep := testkit.NewEndpoint(logoutOK)
	a, err := onelogin.NewAdmin(onelogin.AdminConfig{BaseURL: "https://login.acme.com", TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: apiToken, TokenType: "bearer"})}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LogOutUser(context.Background(), userID); err != nil {
		t.Fatal(err)
	}
	got := ep.Only(t)
	testkit.Want(t, "URL", got.URL.String(), "https://login.acme.com/api/1/users/56781966/logout")
	testkit.Header(t, got.Header, "Authorization", "bearer:"+apiToken)
	testkit.Want(t, "BaseURL", a.BaseURL(), "https://login.acme.com")

	// A refused token from a caller's source is not retried.
	ep = testkit.NewEndpoint(authFailure)
	a, _ = onelogin.NewAdmin(onelogin.AdminConfig{Subdomain: "acme", TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: apiToken})}, ep.Options()...)
	if _, err := a.LogOutUser(context.Background(), userID); !errors.Is(err, revoke.ErrInvalidClient) || len(ep.Requests()) != 1 {
		t.Errorf("err = %v after %d requests, want ErrInvalidClient after 1", err, len(ep.Requests()))
	}
	for name, src := range map[string]oauth2.TokenSource{
		"empty":   oauth2.StaticTokenSource(&oauth2.Token{}),
		"mac":     oauth2.StaticTokenSource(&oauth2.Token{AccessToken: apiToken, TokenType: "mac"}),
		"failing": failingSource{},
		"panic":   panickingSource{},
	} {
		ep := testkit.NewEndpoint(logoutOK)
		a, err := onelogin.NewAdmin(onelogin.AdminConfig{Subdomain: "acme", TokenSource: src}, ep.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := a.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
		if err == nil || rep == nil || rep.Steps[0].Status != revoke.StepFailed || len(ep.Requests()) != 0 {
			t.Errorf("%s source: %+v, %v, %d requests", name, rep, err, len(ep.Requests()))
		}
	}
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("no network") }

type panickingSource struct{}

func (panickingSource) Token() (*oauth2.Token, error) { panic("boom") }
