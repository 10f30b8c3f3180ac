package oktaadmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// TestGlobalTokenRevocationWire checks the exact request for each subject
// format Okta takes.
func TestGlobalTokenRevocationWire(t *testing.T) {
	for _, tc := range []struct {
		name    string
		subject revoke.Subject
		body    string
	}{
		{"opaque", revoke.OpaqueSubject("00u1dnq5S0CfjlkpABCD"), `{"sub_id":{"format":"opaque","id":"00u1dnq5S0CfjlkpABCD"}}`},
		{"iss_sub", revoke.IssSubSubject("https://idp.example.com", "00u5t60iloOHN9pBi0g7"), `{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"00u5t60iloOHN9pBi0g7"}}`},
		{"iss_sub SAML NameID", revoke.IssSubSubject("https://idp.example.com", "user@example.com"), `{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"user@example.com"}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
			a, err := New(Config{Domain: "dev-1234.okta.com", APIToken: testToken}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			res, err := a.GlobalTokenRevocation(context.Background(), tc.subject)
			if err != nil || res.StatusCode != 204 {
				t.Fatalf("%v, %v", res, err)
			}
			r := ep.Only(t)
			testkit.Want(t, "method", r.Method, http.MethodPost)
			testkit.Want(t, "URL", r.URL.String(), testDomain+"/oauth2/v1/global-token-revocation")
			testkit.Want(t, "body", string(r.Body), tc.body)
			testkit.Header(t, r.Header, "Authorization", "SSWS "+testToken)
			testkit.Header(t, r.Header, "Content-Type", "application/json")
			testkit.Header(t, r.Header, "Accept", "application/json")
			testkit.Header(t, r.Header, "User-Agent", "revoke-go/"+revoke.Version)
			testkit.Header(t, r.Header, "DPoP", "")
		})
	}
}

// TestGlobalTokenRevocationErrors checks how Okta's documented answers
// (spec: 400 with no content, 403, 429; the draft's 404) are classified.
func TestGlobalTokenRevocationErrors(t *testing.T) {
	for _, tc := range []struct {
		answer testkit.Answer
		kind   error
		code   string
		desc   string
	}{
		{testkit.Answer{Status: 400}, revoke.ErrInvalidRequest, "", "Okta refused the request with no reason"},
		{testkit.JSONAnswer(403, golden(t, "error_403.json")), revoke.ErrForbidden, "E0000006", "You do not have permission"},
		{testkit.JSONAnswer(404, golden(t, "error_404.json")), revoke.ErrNotFound, "E0000007", "Not found"},
		{testkit.JSONAnswer(429, golden(t, "error_429.json")), revoke.ErrRateLimited, "E0000047", "API call exceeded rate limit"},
		{testkit.Answer{Status: 200}, revoke.ErrUnexpectedResponse, "", "where its spec documents 204"},
	} {
		t.Run(fmt.Sprint(tc.answer.Status), func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			a, err := New(Config{Domain: "dev-1234.okta.com", APIToken: testToken}, ep.Options(revoke.WithoutRetry())...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.GlobalTokenRevocation(context.Background(), revoke.OpaqueSubject("00u1"))
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, tc.kind) || re.Code != tc.code || !strings.Contains(re.Description, tc.desc) ||
				re.Op != "okta admin globalTokenRevocation" || re.Endpoint != testDomain+"/oauth2/v1/global-token-revocation" {
				t.Errorf("err = %#v", err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Error("the error repeats the API token")
			}
		})
	}
}

// TestUserLevelBadInput: every argument mistake is a *revoke.ConfigError
// naming the method and the field, before any request.
func TestUserLevelBadInput(t *testing.T) {
	mt := httpmock.NewMockTransport()
	a := newTestAdmin(t, mt)
	ctx := context.Background()
	var nilCtx context.Context
	var zero Admin
	for _, tc := range []struct {
		name  string
		call  func() error
		field string
	}{
		{"GTR email", func() error { _, err := a.GlobalTokenRevocation(ctx, revoke.EmailSubject("a@example.com")); return err }, "oktaadmin.Admin.GlobalTokenRevocation: Subject.Format"},
		{"GTR empty id", func() error { _, err := a.GlobalTokenRevocation(ctx, revoke.OpaqueSubject("")); return err }, "oktaadmin.Admin.GlobalTokenRevocation: Subject.ID"},
		{"GTR unknown format", func() error {
			_, err := a.GlobalTokenRevocation(ctx, revoke.Subject{Format: "phone_number"})
			return err
		}, "oktaadmin.Admin.GlobalTokenRevocation: Subject.Format"},
		{"GTR nil context", func() error { _, err := a.GlobalTokenRevocation(nilCtx, revoke.OpaqueSubject("00u1")); return err }, "oktaadmin.Admin.GlobalTokenRevocation: ctx"},
		{"GTR zero Admin", func() error { _, err := zero.GlobalTokenRevocation(ctx, revoke.OpaqueSubject("00u1")); return err }, "oktaadmin.Admin.GlobalTokenRevocation"},
		{"CloseSession path", func() error { _, err := a.CloseSession(ctx, "102a/../b"); return err }, "oktaadmin.Admin.CloseSession: sessionID"},
		{"CloseSession empty", func() error { _, err := a.CloseSession(ctx, ""); return err }, "oktaadmin.Admin.CloseSession: sessionID"},
		{"RevokeSubject bad email", func() error { _, err := a.RevokeSubject(ctx, revoke.EmailSubject("not an address")); return err }, "oktaadmin.Admin.RevokeSubject: Subject.Email"},
		{"RevokeSubject login with slash", func() error { _, err := a.RevokeSubject(ctx, revoke.EmailSubject("a/b@example.com")); return err }, "oktaadmin.Admin.RevokeSubject: login"},
		{"RevokeSubject id with path", func() error { _, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00u1/..")); return err }, "oktaadmin.Admin.RevokeSubject: Subject.ID"},
		{"RevokeSubject foreign issuer", func() error {
			_, err := a.RevokeSubject(ctx, revoke.IssSubSubject("https://idp.example.com", "u1"))
			return err
		}, "oktaadmin.Admin.RevokeSubject: Subject.Iss"},
		{"RevokeSubject nil context", func() error { _, err := a.RevokeSubject(nilCtx, revoke.OpaqueSubject("00u1")); return err }, "oktaadmin.Admin.RevokeSubject: ctx"},
		{"RevokeSubject nil Admin", func() error {
			_, err := (*Admin)(nil).RevokeSubject(ctx, revoke.OpaqueSubject("00u1"))
			return err
		}, "oktaadmin.Admin.RevokeSubject"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("err = %v (field %q), want a ConfigError on %s matching ErrInvalidRequest", err, fieldOf(ce), tc.field)
			}
		})
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func fieldOf(ce *revoke.ConfigError) string {
	if ce == nil {
		return ""
	}
	return ce.Field
}

// subjectOrg is a fake org with user 00u1 (login alice@example.com) holding
// tokens at three clients and two sessions, and user 00u2 (bob) with a token
// and a session.
func subjectOrg(t *testing.T, cfg Config) (*Admin, *oktatest.Admin) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.SetUserLogin("00u1", "alice@example.com")
	emu.SetUserLogin("00u2", "bob@example.com")
	for _, c := range []struct{ id, name string }{{"0oaWeb", "Web"}, {"0oaMobile", "Mobile"}, {"0oaCLI", "CLI"}} {
		emu.AddClient(c.id, c.name)
		emu.IssueRefreshToken("00u1", c.id)
	}
	emu.IssueRefreshToken("00u2", "0oaWeb")
	emu.AddSession("00u1")
	emu.AddSession("00u1")
	emu.AddSession("00u2")
	cfg.Domain, cfg.APIToken = "dev-1234.okta.com", oktatest.APIToken
	a, err := New(cfg, revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry())
	if err != nil {
		t.Fatal(err)
	}
	return a, emu
}

type stepView struct {
	action, target string
	status         revoke.StepStatus
}

func steps(rep *revoke.Report) []stepView {
	var out []stepView
	for _, s := range rep.Steps {
		out = append(out, stepView{s.Action, s.Target, s.Status})
	}
	return out
}

func requests(emu *oktatest.Admin) []string {
	var out []string
	for _, r := range emu.Requests() {
		q := ""
		if len(r.Query) > 0 {
			q = "?" + r.Query.Encode()
		}
		out = append(out, fmt.Sprintf("%s %s%s %d", r.Method, r.Path, q, r.Status))
	}
	return out
}

// activeTokens counts the user's active refresh tokens at the fake.
func activeTokens(emu *oktatest.Admin, userID string) int {
	n := 0
	for _, tok := range emu.Tokens(userID, "") {
		if emu.Active(tok.ID) {
			n++
		}
	}
	return n
}

// TestRevokeSubject runs the composite and Global Token Revocation against
// the fake, for each subject format: the steps, the requests in order, and
// the state after.
func TestRevokeSubject(t *testing.T) {
	for _, tc := range []struct {
		name     string
		gtr      bool
		subject  func(emu *oktatest.Admin) revoke.Subject
		steps    []stepView
		requests []string
	}{
		{"opaque", false, func(*oktatest.Admin) revoke.Subject { return revoke.OpaqueSubject("00u1") },
			[]stepView{{ActionRefreshTokens, "0oaWeb", revoke.StepDone}, {ActionRefreshTokens, "0oaMobile", revoke.StepDone}, {ActionRefreshTokens, "0oaCLI", revoke.StepDone}, {ActionSessions, "", revoke.StepDone}},
			[]string{"GET /api/v1/users/00u1/clients 200", "DELETE /api/v1/users/00u1/clients/0oaWeb/tokens 204", "DELETE /api/v1/users/00u1/clients/0oaMobile/tokens 204",
				"DELETE /api/v1/users/00u1/clients/0oaCLI/tokens 204", "DELETE /api/v1/users/00u1/sessions?oauthTokens=true 204"}},
		{"email", false, func(*oktatest.Admin) revoke.Subject { return revoke.EmailSubject("Alice@Example.com") },
			[]stepView{{ActionFindUser, "Alice@Example.com", revoke.StepDone}, {ActionRefreshTokens, "0oaWeb", revoke.StepDone}, {ActionRefreshTokens, "0oaMobile", revoke.StepDone}, {ActionRefreshTokens, "0oaCLI", revoke.StepDone}, {ActionSessions, "", revoke.StepDone}},
			[]string{"GET /api/v1/users/Alice@Example.com 200", "GET /api/v1/users/00u1/clients 200", "DELETE /api/v1/users/00u1/clients/0oaWeb/tokens 204", "DELETE /api/v1/users/00u1/clients/0oaMobile/tokens 204",
				"DELETE /api/v1/users/00u1/clients/0oaCLI/tokens 204", "DELETE /api/v1/users/00u1/sessions?oauthTokens=true 204"}},
		{"iss_sub of this org", false, func(*oktatest.Admin) revoke.Subject {
			return revoke.IssSubSubject(testDomain+"/oauth2/default", "alice@example.com")
		},
			[]stepView{{ActionFindUser, "alice@example.com", revoke.StepDone}, {ActionRefreshTokens, "0oaWeb", revoke.StepDone}, {ActionRefreshTokens, "0oaMobile", revoke.StepDone}, {ActionRefreshTokens, "0oaCLI", revoke.StepDone}, {ActionSessions, "", revoke.StepDone}},
			nil},
		{"GTR opaque", true, func(*oktatest.Admin) revoke.Subject { return revoke.OpaqueSubject("00u1") },
			[]stepView{{ActionGlobalTokenRevocation, "", revoke.StepDone}},
			[]string{"POST /oauth2/v1/global-token-revocation 204"}},
		{"GTR email", true, func(*oktatest.Admin) revoke.Subject { return revoke.EmailSubject("alice@example.com") },
			[]stepView{{ActionFindUser, "alice@example.com", revoke.StepDone}, {ActionGlobalTokenRevocation, "", revoke.StepDone}},
			[]string{"GET /api/v1/users/alice@example.com 200", "POST /oauth2/v1/global-token-revocation 204"}},
		{"GTR iss_sub of another IdP", true, func(emu *oktatest.Admin) revoke.Subject {
			emu.LinkIdPSubject("00u1", "https://idp.example.com", "alice-at-idp")
			return revoke.IssSubSubject("https://idp.example.com", "alice-at-idp")
		},
			[]stepView{{ActionGlobalTokenRevocation, "", revoke.StepDone}},
			[]string{"POST /oauth2/v1/global-token-revocation 204"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, emu := subjectOrg(t, Config{UseGlobalTokenRevocation: tc.gtr})
			s := tc.subject(emu)
			rep, err := a.RevokeSubject(context.Background(), s)
			if err != nil || rep.Err() != nil {
				t.Fatalf("err = %v, report err = %v", err, rep.Err())
			}
			if rep.Vendor != "okta" || rep.Subject != s || !slices.Equal(steps(rep), tc.steps) {
				t.Errorf("report %s %v steps %+v, want %+v", rep.Vendor, rep.Subject, steps(rep), tc.steps)
			}
			if tc.requests != nil && !slices.Equal(requests(emu), tc.requests) {
				t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(requests(emu), "\n"), strings.Join(tc.requests, "\n"))
			}
			for _, st := range rep.Steps {
				if st.Result == nil || st.Result.StatusCode == 0 || st.Err != nil {
					t.Errorf("step %s %s: result %v, err %v", st.Action, st.Target, st.Result, st.Err)
				}
			}
			if tc.steps[0].action == ActionFindUser && rep.Steps[0].Note != "user 00u1" {
				t.Errorf("find-user note %q", rep.Steps[0].Note)
			}
			if n := activeTokens(emu, "00u1"); n != 0 {
				t.Errorf("%d of alice's refresh tokens still active", n)
			}
			if n := emu.Sessions("00u1"); n != 0 {
				t.Errorf("alice has %d sessions left", n)
			}
			if activeTokens(emu, "00u2") != 1 || emu.Sessions("00u2") != 1 {
				t.Error("bob's token or session was touched")
			}
		})
	}
}

// TestRevokeSubjectFailures: a failing client does not stop the others or
// the session step; the report's error joins the failures, typed; an
// unknown user stops after the lookup; a client list that cannot be read
// is a failed step, and the session step still runs.
func TestRevokeSubjectFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("one client fails", func(t *testing.T) {
		a, emu := subjectOrg(t, Config{})
		emu.FailRevoke("0oaMobile", oktatest.Fault(403, "E0000006", "You do not have permission to perform the requested action"))
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00u1"))
		want := []stepView{{ActionRefreshTokens, "0oaWeb", revoke.StepDone}, {ActionRefreshTokens, "0oaMobile", revoke.StepFailed}, {ActionRefreshTokens, "0oaCLI", revoke.StepDone}, {ActionSessions, "", revoke.StepDone}}
		if !slices.Equal(steps(rep), want) {
			t.Errorf("steps %+v", steps(rep))
		}
		var re *revoke.Error
		if !errors.Is(err, revoke.ErrForbidden) || !errors.As(err, &re) || re.Code != "E0000006" || err != rep.Err() || len(rep.Failed()) != 1 || len(rep.Done()) != 3 {
			t.Errorf("err = %v", err)
		}
		if rep.Steps[1].Note != "Mobile" {
			t.Errorf("note %q", rep.Steps[1].Note)
		}
		// oauthTokens=true took the failing client's tokens with it.
		if activeTokens(emu, "00u1") != 0 || emu.Sessions("00u1") != 0 {
			t.Error("alice keeps tokens or sessions")
		}
	})
	t.Run("two fail", func(t *testing.T) {
		a, emu := subjectOrg(t, Config{})
		emu.FailRevoke("0oaWeb", oktatest.Fault(403, "E0000006", "You do not have permission to perform the requested action"))
		emu.FailRevoke("0oaCLI", oktatest.Fault(404, "E0000007", "Not found: Resource not found: 0oaCLI (AppInstance)"))
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00u1"))
		if !errors.Is(err, revoke.ErrForbidden) || !errors.Is(err, revoke.ErrNotFound) || len(rep.Failed()) != 2 {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unknown login", func(t *testing.T) {
		a, emu := subjectOrg(t, Config{})
		rep, err := a.RevokeSubject(ctx, revoke.EmailSubject("mallory@example.com"))
		if !errors.Is(err, revoke.ErrNotFound) || !slices.Equal(steps(rep), []stepView{{ActionFindUser, "mallory@example.com", revoke.StepFailed}}) {
			t.Errorf("steps %+v, err %v", steps(rep), err)
		}
		if len(emu.Requests()) != 1 {
			t.Errorf("requests %v", requests(emu))
		}
	})
	t.Run("unknown user, Global Token Revocation", func(t *testing.T) {
		a, _ := subjectOrg(t, Config{UseGlobalTokenRevocation: true})
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00uNobody"))
		if !errors.Is(err, revoke.ErrNotFound) || !slices.Equal(steps(rep), []stepView{{ActionGlobalTokenRevocation, "", revoke.StepFailed}}) {
			t.Errorf("steps %+v, err %v", steps(rep), err)
		}
	})
	t.Run("client list unavailable", func(t *testing.T) {
		a, emu := subjectOrg(t, Config{})
		emu.FailNext(5, revoketest.ServiceUnavailable(0))
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00u1"))
		want := []stepView{{ActionRefreshTokens, "", revoke.StepFailed}, {ActionSessions, "", revoke.StepDone}}
		if !slices.Equal(steps(rep), want) || !errors.Is(err, revoke.ErrUnavailable) {
			t.Errorf("steps %+v, err %v", steps(rep), err)
		}
		if activeTokens(emu, "00u1") != 0 {
			t.Error("the session step did not revoke the tokens")
		}
	})
	t.Run("no clients", func(t *testing.T) {
		a, emu := subjectOrg(t, Config{})
		emu.AddUser("00u3")
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00u3"))
		want := []stepView{{ActionRefreshTokens, "", revoke.StepSkipped}, {ActionSessions, "", revoke.StepDone}}
		if err != nil || !slices.Equal(steps(rep), want) {
			t.Errorf("steps %+v, err %v", steps(rep), err)
		}
	})
	t.Run("the user is not there", func(t *testing.T) {
		a, _ := subjectOrg(t, Config{})
		rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("00uNobody"))
		want := []stepView{{ActionRefreshTokens, "", revoke.StepFailed}, {ActionSessions, "", revoke.StepFailed}}
		if !errors.Is(err, revoke.ErrNotFound) || !slices.Equal(steps(rep), want) {
			t.Errorf("steps %+v, err %v", steps(rep), err)
		}
	})
}

// TestRevokeSubjectWithDPoP: RevokeSubject and CloseSession through a
// DPoP-bound service app token, with the scopes each step needs.
func TestRevokeSubjectWithDPoP(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{Scopes: []string{"okta.users.read", "okta.users.manage", "okta.sessions.manage", "okta.universalLogout.manage"}})
	ctx := context.Background()
	o.emu.SetUserLogin("00u1", "alice@example.com")
	sessions := o.emu.SessionIDs("00u1")
	if _, err := o.admin.CloseSession(ctx, sessions[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := o.admin.CloseSession(ctx, sessions[0]); !errors.Is(err, revoke.ErrNotFound) {
		t.Errorf("closing it again: %v", err)
	}
	rep, err := o.admin.RevokeSubject(ctx, revoke.EmailSubject("alice@example.com"))
	if err != nil || len(rep.Done()) != 3 {
		t.Fatalf("%+v, %v", steps(rep), err)
	}
	gtr := *o.admin
	gtr.gtr = true
	o.emu.AddSession("00u1")
	if _, err := gtr.RevokeSubject(ctx, revoke.OpaqueSubject("00u1")); err != nil || o.emu.Sessions("00u1") != 0 {
		t.Fatalf("GTR: %v, %d sessions", err, o.emu.Sessions("00u1"))
	}
	for _, r := range o.emu.Requests() {
		if r.Path != oktatest.ServiceTokenPath && !strings.HasPrefix(r.Header.Get("Authorization"), "DPoP ") {
			t.Errorf("%s %s sent %q", r.Method, r.Path, strings.SplitN(r.Header.Get("Authorization"), " ", 2)[0])
		}
	}
	assertNoSecrets(t, o, nil)
}
