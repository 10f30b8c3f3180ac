package auth0_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
)

var mgmtCfg = auth0.ManagementConfig{Domain: domain, APIToken: testkit.APIToken}

// TestManagementWire asserts every Management API request byte for byte
// against testdata/management-wire.txt: method, URL (the user ID
// path-escaped), every header and the JSON body.
func TestManagementWire(t *testing.T) {
	ids := []string{"rt_0123456789abcdef", "rt_fedcba9876543210"}
	tests := []struct {
		name   string
		answer testkit.Answer
		call   func(m *auth0.Management) (*revoke.Result, error)
		want   int
	}{
		{"RevokeUserRefreshTokens", testkit.Answer{Status: 202}, func(m *auth0.Management) (*revoke.Result, error) {
			return m.RevokeUserRefreshTokens(context.Background(), userID)
		}, 202},
		{"RevokeUserRefreshTokens ForClient", testkit.Answer{Status: 202}, func(m *auth0.Management) (*revoke.Result, error) {
			return m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForClient(clientID))
		}, 202},
		{"RevokeUserRefreshTokens ForClient ForAudience", testkit.Answer{Status: 202}, func(m *auth0.Management) (*revoke.Result, error) {
			return m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForAudience("https://api.example.com/"), auth0.ForClient(clientID))
		}, 202},
		{"RevokeRefreshTokenIDs", testkit.Answer{Status: 202}, func(m *auth0.Management) (*revoke.Result, error) {
			return m.RevokeRefreshTokenIDs(context.Background(), ids)
		}, 202},
		{"DeleteUserSessions", testkit.Answer{Status: 204}, func(m *auth0.Management) (*revoke.Result, error) {
			return m.DeleteUserSessions(context.Background(), userID)
		}, 204},
		{"FindUsersByEmail", testkit.JSONAnswer(200, `[{"user_id":"auth0|1","email":"a+b@example.com"},{"user_id":"google-oauth2|2","email":"a+b@example.com"}]`), func(m *auth0.Management) (*revoke.Result, error) {
			found, res, err := m.FindUsersByEmail(context.Background(), "a+b@example.com")
			if err == nil && fmt.Sprint(found) != "[auth0|1 google-oauth2|2]" {
				return nil, fmt.Errorf("found %v", found)
			}
			return res, err
		}, 200},
	}
	var golden testkit.Transcript
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			m := newManagement(t, ep, mgmtCfg)
			res, err := tc.call(m)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.want || res.Attempts != 1 {
				t.Errorf("result = %+v; want %d after 1 attempt", res, tc.want)
			}
			s := ep.Only(t)
			testkit.Header(t, s.Header, "Authorization", "Bearer "+testkit.APIToken)
			testkit.Header(t, s.Header, "Accept", "application/json")
			golden.Add(tc.name, testkit.Render(s))
		})
	}
	golden.Check(t, "management-wire.txt")
}

// TestManagementArgumentRefusals: bad arguments are refused before
// sending, naming the argument, matching revoke.ErrInvalidRequest.
func TestManagementArgumentRefusals(t *testing.T) {
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("rt_%d", i)
	}
	tests := []struct {
		name      string
		call      func(m *auth0.Management) error
		wantField string
		wantText  string
	}{
		{"empty user ID", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), "")
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: userID", "is empty"},
		{"user ID with a control character", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), "auth0|1\x00")
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: userID", "control character"},
		{"user ID too long for a path", func(m *auth0.Management) error {
			_, err := m.DeleteUserSessions(context.Background(), "auth0|"+strings.Repeat("1", 251))
			return err
		}, "auth0.Management.DeleteUserSessions: userID", "more than 256"},
		{"user ID with a slash", func(m *auth0.Management) error {
			_, err := m.DeleteUserSessions(context.Background(), "auth0|1/../../clients")
			return err
		}, "auth0.Management.DeleteUserSessions: userID", "would change the request path"},
		{"user ID with a space", func(m *auth0.Management) error {
			_, err := m.DeleteUserSessions(context.Background(), "auth0|1 2")
			return err
		}, "auth0.Management.DeleteUserSessions: userID", "space or control character"},
		{"user ID too long", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), "auth0|"+strings.Repeat("1", 295))
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: userID", "at most 300"},
		{"audience without client", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForAudience("https://api"))
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: ForAudience", "needs ForClient"},
		{"empty client", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForClient(""))
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: ForClient", "is empty"},
		{"client too long", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForClient(strings.Repeat("c", 65)))
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: ForClient", "at most 64"},
		{"audience too long", func(m *auth0.Management) error {
			_, err := m.RevokeUserRefreshTokens(context.Background(), userID, auth0.ForClient(clientID), auth0.ForAudience(strings.Repeat("a", 601)))
			return err
		}, "auth0.Management.RevokeUserRefreshTokens: ForAudience", "at most 600"},
		{"no IDs", func(m *auth0.Management) error {
			_, err := m.RevokeRefreshTokenIDs(context.Background(), nil)
			return err
		}, "auth0.Management.RevokeRefreshTokenIDs: ids", "is empty"},
		{"101 IDs", func(m *auth0.Management) error {
			_, err := m.RevokeRefreshTokenIDs(context.Background(), many)
			return err
		}, "auth0.Management.RevokeRefreshTokenIDs: ids", "split the list into batches"},
		{"repeated ID", func(m *auth0.Management) error {
			_, err := m.RevokeRefreshTokenIDs(context.Background(), []string{"rt_1", "rt_2", "rt_1"})
			return err
		}, "auth0.Management.RevokeRefreshTokenIDs: ids[2]", "repeats ids[0]"},
		{"ID too long (a token value?)", func(m *auth0.Management) error {
			_, err := m.RevokeRefreshTokenIDs(context.Background(), []string{token + token})
			return err
		}, "auth0.Management.RevokeRefreshTokenIDs: ids[0]", "at most 30"},
		{"ID with a newline", func(m *auth0.Management) error {
			_, err := m.RevokeRefreshTokenIDs(context.Background(), []string{"rt_1\n"})
			return err
		}, "auth0.Management.RevokeRefreshTokenIDs: ids[0]", "white space"},
		{"not an email", func(m *auth0.Management) error {
			_, _, err := m.FindUsersByEmail(context.Background(), "alice")
			return err
		}, "auth0.Management.FindUsersByEmail: email", "not an email address"},
		{"unknown subject format", func(m *auth0.Management) error {
			_, err := m.RevokeSubject(context.Background(), revoke.Subject{Format: "phone_number"})
			return err
		}, "Subject.Format", "not a format the SDK knows"},
		{"empty opaque subject", func(m *auth0.Management) error {
			_, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(""))
			return err
		}, "Subject.ID", "is empty"},
		{"opaque subject with a slash", func(m *auth0.Management) error {
			_, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject("auth0|1/2"))
			return err
		}, "Subject.ID", "would change the request path"},
		{"iss_sub of another issuer", func(m *auth0.Management) error {
			_, err := m.RevokeSubject(context.Background(), revoke.IssSubSubject("https://other.eu.auth0.com/", userID))
			return err
		}, "Subject.Iss", "not this tenant's issuer https://dev-abc.us.auth0.com/"},
		{"nil context", func(m *auth0.Management) error {
			var ctx context.Context
			_, err := m.RevokeSubject(ctx, revoke.OpaqueSubject(userID))
			return err
		}, "auth0.Management.RevokeSubject: context", "is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			m := newManagement(t, ep, mgmtCfg)
			err := tc.call(m)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.wantField || !strings.Contains(ce.Problem, tc.wantText) {
				t.Errorf("error = %T %q; want a ConfigError on %q saying %q", err, err, tc.wantField, tc.wantText)
			}
			if !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("errors.Is(%q, ErrInvalidRequest) = false", err)
			}
			testkit.NoLeak(t, "error", fmt.Sprint(err), testkit.APIToken, token)
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

// TestManagementErrorMapping serves the Management API's error answers
// (testdata/management-*.json) and checks the classification and fields.
func TestManagementErrorMapping(t *testing.T) {
	tests := []struct {
		file     string
		status   int
		wantKind error
		wantCode string
		wantDesc string
	}{
		{"management-400-invalid-body.json", 400, revoke.ErrInvalidRequest, "invalid_body", "Payload validation error: 'Too many items (101), max 100' on property ids (Array of refresh token IDs to revoke)."},
		{"management-401-invalid-token.json", 401, revoke.ErrInvalidClient, "Unauthorized", "Invalid token"},
		{"management-401-expired-token.json", 401, revoke.ErrInvalidClient, "Unauthorized", "Expired token received for JSON Web Token validation"},
		{"management-403-insufficient-scope.json", 403, revoke.ErrForbidden, "insufficient_scope", "Insufficient scope, expected any of: delete:sessions"},
		{"management-404-inexistent-user.json", 404, revoke.ErrNotFound, "inexistent_user", "The user does not exist."},
		{"management-429-too-many-requests.json", 429, revoke.ErrRateLimited, "too_many_requests", "Global limit has been reached"},
		{"management-500.json", 500, revoke.ErrServer, "Internal Server Error", "Internal Server Error"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: tc.status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: testkit.Golden(t, tc.file)})
			m := newManagement(t, ep, mgmtCfg, revoke.WithoutRetry())
			_, err := m.DeleteUserSessions(context.Background(), userID)
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %T %v, want a *revoke.Error", err, err)
			}
			if !errors.Is(err, tc.wantKind) || e.StatusCode != tc.status || e.Code != tc.wantCode || e.Description != tc.wantDesc || e.Excerpt != "" {
				t.Errorf("error = {%v %d %q %q excerpt %q}; want {%v %d %q %q}", e.Kind, e.StatusCode, e.Code, e.Description, e.Excerpt, tc.wantKind, tc.status, tc.wantCode, tc.wantDesc)
			}
			if e.Op != "auth0 delete user sessions" || e.Endpoint != base+"/api/v2/users/auth0%7C64f1c0ffee0123456789abcd/sessions" {
				t.Errorf("op, endpoint = %q, %q", e.Op, e.Endpoint)
			}
			testkit.NoLeak(t, "error", err.Error(), testkit.APIToken)
		})
	}
}

// TestRevokeSubjectSteps: the steps and their statuses, from what Auth0
// answers: 202 is accepted with a note, 204 done, a failure is reported
// and the next step still attempted.
func TestRevokeSubjectSteps(t *testing.T) {
	forbidden := testkit.Answer{Status: 403, Header: http.Header{"Content-Type": {"application/json"}}, Body: `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: delete:refresh_tokens","errorCode":"insufficient_scope"}`}
	tests := []struct {
		name      string
		answers   []testkit.Answer
		want      string // action:status, …
		wantErrIs error
	}{
		{"accepted then done", []testkit.Answer{{Status: 202}, {Status: 204}}, "revoke refresh tokens:accepted end sessions:done", nil},
		{"both accepted", []testkit.Answer{{Status: 202}, {Status: 202}}, "revoke refresh tokens:accepted end sessions:accepted", nil},
		{"200 is done", []testkit.Answer{{Status: 200}, {Status: 200}}, "revoke refresh tokens:done end sessions:done", nil},
		{"first forbidden, second done", []testkit.Answer{forbidden, {Status: 204}}, "revoke refresh tokens:failed end sessions:done", revoke.ErrForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			m := newManagement(t, ep, mgmtCfg)
			rep, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
			if rep == nil {
				t.Fatalf("no report: %v", err)
			}
			var got []string
			for _, s := range rep.Steps {
				got = append(got, s.Action+":"+string(s.Status))
				if s.Status == revoke.StepAccepted && !strings.Contains(s.Note, "asynchronously") {
					t.Errorf("accepted step note = %q", s.Note)
				}
				if s.Target != "" {
					t.Errorf("target = %q, want empty for one user", s.Target)
				}
			}
			testkit.Want(t, "steps", strings.Join(got, " "), tc.want)
			if tc.wantErrIs == nil && err != nil || tc.wantErrIs != nil && !errors.Is(err, tc.wantErrIs) {
				t.Errorf("err = %v, want %v", err, tc.wantErrIs)
			}
			if err != rep.Err() && (err == nil || rep.Err() == nil || err.Error() != rep.Err().Error()) {
				t.Errorf("err %v is not report.Err() %v", err, rep.Err())
			}
			testkit.Want(t, "vendor", rep.Vendor, "auth0")
			reqs := ep.Requests()
			if len(reqs) != 2 || reqs[0].Method != http.MethodPost || reqs[0].URL.Path != "/api/v2/refresh-tokens/revoke" || string(reqs[0].Body) != `{"user_id":"`+userID+`"}` ||
				reqs[1].Method != http.MethodDelete || reqs[1].URL.EscapedPath() != "/api/v2/users/auth0%7C64f1c0ffee0123456789abcd/sessions" {
				t.Errorf("requests = %v", reqs)
			}
		})
	}
}

// TestRevokeSubjectIssSub: a token's iss and sub name the user when iss is
// the tenant's issuer, with or without the trailing slash.
func TestRevokeSubjectIssSub(t *testing.T) {
	for _, iss := range []string{base + "/", base} {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 202}, testkit.Answer{Status: 204})
		m := newManagement(t, ep, mgmtCfg)
		rep, err := m.RevokeSubject(context.Background(), revoke.IssSubSubject(iss, userID))
		if err != nil || len(rep.Done()) != 2 {
			t.Fatalf("iss %q: %+v, %v", iss, rep, err)
		}
		if got := string(ep.Requests()[0].Body); got != `{"user_id":"`+userID+`"}` {
			t.Errorf("body = %s", got)
		}
	}
}

// TestRevokeSubjectEmail: an email subject is resolved to every user with
// that address, each revoked, each step naming its user; no user is a
// failed step, never a silent success.
func TestRevokeSubjectEmail(t *testing.T) {
	ep := testkit.NewEndpoint(
		testkit.JSONAnswer(200, `[{"user_id":"auth0|1","email":"alice@example.com"},{"user_id":"google-oauth2|2","email":"alice@example.com"}]`),
		testkit.Answer{Status: 202}, testkit.Answer{Status: 204}, testkit.Answer{Status: 202}, testkit.Answer{Status: 204},
	)
	m := newManagement(t, ep, mgmtCfg)
	rep, err := m.RevokeSubject(context.Background(), revoke.EmailSubject("alice@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range rep.Steps {
		got = append(got, fmt.Sprintf("%s[%s]:%s", s.Action, s.Target, s.Status))
	}
	want := "find users by email[alice@example.com]:done revoke refresh tokens[auth0|1]:accepted end sessions[auth0|1]:done revoke refresh tokens[google-oauth2|2]:accepted end sessions[google-oauth2|2]:done"
	testkit.Want(t, "steps", strings.Join(got, " "), want)
	testkit.Want(t, "note", rep.Steps[0].Note, "2 user(s): auth0|1, google-oauth2|2")
	if q := ep.Requests()[0].URL; q.Path != "/api/v2/users-by-email" || q.Query().Get("email") != "alice@example.com" {
		t.Errorf("lookup = %v", q)
	}

	for name, answer := range map[string]testkit.Answer{
		"no user":      testkit.JSONAnswer(200, `[]`),
		"not an array": testkit.JSONAnswer(200, `{"users":[]}`),
		"no user_id":   testkit.JSONAnswer(200, `[{"email":"alice@example.com"}]`),
		"forbidden":    {Status: 403, Body: `{"statusCode":403,"error":"Forbidden","message":"Insufficient scope, expected any of: read:users","errorCode":"insufficient_scope"}`},
		"bad user_id":  testkit.JSONAnswer(200, `[{"user_id":"auth0|a/b"}]`),
	} {
		t.Run(name, func(t *testing.T) {
			ep := testkit.NewEndpoint(answer)
			m := newManagement(t, ep, mgmtCfg)
			rep, err := m.RevokeSubject(context.Background(), revoke.EmailSubject("alice@example.com"))
			if err == nil || rep == nil || len(rep.Failed()) != 1 || len(rep.Done()) > 1 {
				t.Fatalf("report %+v, err %v; want one failed step", rep, err)
			}
			if len(ep.Requests()) != 1 {
				t.Errorf("%d requests, want only the lookup", len(ep.Requests()))
			}
			var want error = revoke.ErrUnexpectedResponse
			switch name {
			case "no user":
				want = revoke.ErrNotFound
			case "forbidden":
				want = revoke.ErrForbidden
			case "bad user_id":
				want = revoke.ErrInvalidRequest
			}
			if !errors.Is(err, want) {
				t.Errorf("err = %v, want %v", err, want)
			}
		})
	}
}

// countingSource hands out numbered tokens and counts the calls.
type countingSource struct {
	n   atomic.Int32
	typ string
	err error
}

func (s *countingSource) Token() (*oauth2.Token, error) {
	n := s.n.Add(1)
	if s.err != nil {
		return nil, s.err
	}
	return &oauth2.Token{AccessToken: fmt.Sprintf("mgmt-access-token-%d", n), TokenType: s.typ}, nil
}

// TestTokenSource: a TokenSource's token is fetched for every attempt and
// sent as Bearer; its failures are classified and never leak.
func TestTokenSource(t *testing.T) {
	src := &countingSource{}
	ep := testkit.NewEndpoint(testkit.JSONAnswer(503, `{"statusCode":503,"error":"Service Unavailable","message":"down"}`), testkit.Answer{Status: 202})
	m := newManagement(t, ep, auth0.ManagementConfig{Domain: domain, TokenSource: src})
	res, err := m.RevokeUserRefreshTokens(context.Background(), userID)
	if err != nil || res.Attempts != 2 {
		t.Fatalf("%+v, %v", res, err)
	}
	reqs := ep.Requests()
	testkit.Header(t, reqs[0].Header, "Authorization", "Bearer mgmt-access-token-1")
	testkit.Header(t, reqs[1].Header, "Authorization", "Bearer mgmt-access-token-2")

	retrieve := &oauth2.RetrieveError{Response: &http.Response{StatusCode: 403}, ErrorCode: "access_denied", ErrorDescription: `Client is not authorized to access "https://dev-abc.us.auth0.com/api/v2/".`}
	for name, tc := range map[string]struct {
		src  *countingSource
		want error
	}{
		"token endpoint refuses":  {&countingSource{err: retrieve}, revoke.ErrForbidden},
		"token endpoint 401":      {&countingSource{err: &oauth2.RetrieveError{Response: &http.Response{StatusCode: 401}, ErrorCode: "invalid_client"}}, revoke.ErrInvalidClient},
		"network failure":         {&countingSource{err: errors.New("dial tcp: connection refused")}, revoke.ErrUnavailable},
		"DPoP token":              {&countingSource{typ: "DPoP"}, revoke.ErrInvalidRequest},
		"classified error passes": {&countingSource{err: &revoke.Error{Kind: revoke.ErrRateLimited}}, revoke.ErrRateLimited},
	} {
		t.Run(name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: 202})
			m := newManagement(t, ep, auth0.ManagementConfig{Domain: domain, TokenSource: tc.src})
			_, err := m.DeleteUserSessions(context.Background(), userID)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if len(ep.Requests()) != 0 {
				t.Errorf("sent without a token")
			}
		})
	}
	ep = testkit.NewEndpoint()
	m = newManagement(t, ep, auth0.ManagementConfig{Domain: domain, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{})})
	if _, err := m.DeleteUserSessions(context.Background(), userID); !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), "no access token") {
		t.Errorf("empty token: %v", err)
	}
}

// TestManagementZeroValues: a zero or nil Management never panics and
// never sends.
func TestManagementZeroValues(t *testing.T) {
	var zero auth0.Management
	var nilM *auth0.Management
	for name, m := range map[string]*auth0.Management{"zero": &zero, "nil": nilM} {
		errs := []error{}
		_, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
		errs = append(errs, err)
		_, err = m.RevokeUserRefreshTokens(context.Background(), userID)
		errs = append(errs, err)
		_, err = m.RevokeRefreshTokenIDs(context.Background(), []string{"rt_1"})
		errs = append(errs, err)
		_, err = m.DeleteUserSessions(context.Background(), userID)
		errs = append(errs, err)
		_, _, err = m.FindUsersByEmail(context.Background(), "a@example.com")
		errs = append(errs, err)
		for i, err := range errs {
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("%s Management, call %d: %v", name, i, err)
			}
		}
		testkit.Want(t, name+" Domain()", m.Domain(), "")
	}
	ep := testkit.NewEndpoint()
	m := newManagement(t, ep, mgmtCfg)
	testkit.Want(t, "Domain()", m.Domain(), base+"/api/v2")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := m.RevokeSubject(ctx, revoke.OpaqueSubject(userID))
	if !errors.Is(err, context.Canceled) || rep == nil || len(rep.Failed()) != 2 {
		t.Errorf("cancelled: %+v, %v", rep, err)
	}
}
