package keycloak_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// staticSource is a token source giving one Bearer token.
type staticSource string

func (s staticSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}

// funcSource is a token source calling a function.
type funcSource func() (*oauth2.Token, error)

func (f funcSource) Token() (*oauth2.Token, error) { return f() }

// ptrSource is a token source with a pointer receiver, to make a typed
// nil.
type ptrSource struct{ tok string }

func (p *ptrSource) Token() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: p.tok}, nil }

const adminBase = base + "/admin/realms/" + realm

// TestAdminWire asserts the exact requests of a user-level revocation by
// email: the search, the logout, the consents listing and one consent
// revocation, against testdata/wire-admin.txt.
func TestAdminWire(t *testing.T) {
	ep := testkit.NewEndpoint(
		testkit.JSONAnswer(200, `[{"id":"9a1e2b3c-0000-4000-8000-000000000001","username":"alice","email":"alice@example.com"}]`),
		testkit.Answer{Status: 204},
		testkit.JSONAnswer(200, `[{"clientId":"web","additionalGrants":[]},{"clientId":"https://mobile.example.com/app","additionalGrants":[{"client":"c1","key":"Offline Token"}]}]`),
		testkit.Answer{Status: 204},
	)
	a, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "Endpoint", a.Endpoint(), adminBase)
	report, err := a.RevokeSubject(context.Background(), revoke.EmailSubject("Alice@Example.com"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range report.Steps {
		got = append(got, fmt.Sprintf("%s|%s|%s", s.Action, s.Target, s.Status))
	}
	testkit.Want(t, "steps", strings.Join(got, "; "),
		"find user by email|9a1e2b3c-0000-4000-8000-000000000001|done; log out||done; revoke offline tokens|https://mobile.example.com/app|done")
	testkit.Want(t, "vendor", report.Vendor, "keycloak")
	reqs := ep.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	wantLines := []string{
		"GET " + adminBase + "/users?briefRepresentation=true&email=Alice%40Example.com&exact=true&max=3",
		"POST " + adminBase + "/users/9a1e2b3c-0000-4000-8000-000000000001/logout",
		"GET " + adminBase + "/users/9a1e2b3c-0000-4000-8000-000000000001/consents",
		"DELETE " + adminBase + "/users/9a1e2b3c-0000-4000-8000-000000000001/consents/https:%2F%2Fmobile.example.com%2Fapp",
	}
	var golden strings.Builder
	for i, s := range reqs {
		testkit.Want(t, "request line", s.Method+" "+s.URL.String(), wantLines[i])
		testkit.Header(t, s.Header, "Authorization", "Bearer "+testkit.APIToken)
		testkit.Header(t, s.Header, "Accept", "application/json")
		testkit.Want(t, "body", string(s.Body), "")
		golden.WriteString(testkit.Render(s) + "\n")
	}
	testkit.CheckGolden(t, "wire-admin.txt", golden.String())
}

// adminFixture is a fake Keycloak with a service account, and an Admin
// whose tokens come from the client credentials grant at the fake.
type adminFixture struct {
	*fixture
	admin *keycloak.Admin
}

func newAdminFixture(t *testing.T, opts ...revoke.Option) *adminFixture {
	t.Helper()
	f := newFixture(t)
	f.fake.AddServiceAccount(realm, revoketest.Client{ID: "revoker", Secret: "Zt4yHb6nQw2eRu8i"}, keycloaktest.RoleManageUsers)
	src := serviceAccount(f, "Zt4yHb6nQw2eRu8i")
	a, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: src}, append(f.opts, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &adminFixture{fixture: f, admin: a}
}

// serviceAccount is the client credentials source of the fixture's
// service account, through its transport.
func serviceAccount(f *fixture, secret string) oauth2.TokenSource {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: f.mt})
	return (&clientcredentials.Config{ClientID: "revoker", ClientSecret: secret, TokenURL: tokenURL}).TokenSource(ctx)
}

func steps(r *revoke.Report) string {
	if r == nil {
		return "<nil report>"
	}
	var out []string
	for _, s := range r.Steps {
		out = append(out, s.Action+":"+string(s.Status))
	}
	return strings.Join(out, ", ")
}

// TestRevokeSubject ends everything a user holds, named each way Keycloak
// can use: every online session (and its tokens) and every offline token,
// while another user's tokens stay.
func TestRevokeSubject(t *testing.T) {
	for _, tc := range []struct {
		name          string
		subject       func(u keycloaktest.User) revoke.Subject
		keepOffline   bool
		wantSteps     string
		wantOfflineOK bool
	}{
		{"opaque", func(u keycloaktest.User) revoke.Subject { return revoke.OpaqueSubject(u.ID) }, false,
			"log out:done, revoke offline tokens:done, revoke offline tokens:done", false},
		{"iss_sub", func(u keycloaktest.User) revoke.Subject { return revoke.IssSubSubject(issuer+"/", u.ID) }, false,
			"log out:done, revoke offline tokens:done, revoke offline tokens:done", false},
		{"email", func(u keycloaktest.User) revoke.Subject { return revoke.EmailSubject(u.Email) }, false,
			"find user by email:done, log out:done, revoke offline tokens:done, revoke offline tokens:done", false},
		{"offline tokens outliving the logout", func(u keycloaktest.User) revoke.Subject { return revoke.OpaqueSubject(u.ID) }, true,
			"log out:done, revoke offline tokens:done, revoke offline tokens:done", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newAdminFixture(t)
			f.fake.LogoutKeepsOfflineTokens = tc.keepOffline
			bob := f.fake.AddUser(realm, keycloaktest.User{Username: "bob", Email: "bob@example.com"})
			web1 := f.fake.Login(realm, "plain-app", f.alice.ID)
			web2 := f.fake.Login(realm, "spa", f.alice.ID)
			off1 := f.fake.LoginOffline(realm, "spa", f.alice.ID)
			off2 := f.fake.LoginOffline(realm, "plain-app", f.alice.ID)
			loose := f.fake.Issue("plain-app", f.alice.ID)
			bobs := f.fake.Login(realm, "spa", bob.ID)

			report, err := f.admin.RevokeSubject(context.Background(), tc.subject(f.alice))
			if err != nil {
				t.Fatalf("RevokeSubject: %v (%s)", err, steps(report))
			}
			testkit.Want(t, "steps", steps(report), tc.wantSteps)
			if len(report.Failed()) != 0 || len(report.Done()) != len(report.Steps) {
				t.Errorf("report: failed %v, done %v", report.Failed(), report.Done())
			}
			for name, tok := range map[string]string{"web1": web1.RefreshToken, "web1 access": web1.AccessToken, "web2": web2.RefreshToken,
				"offline 1": off1.RefreshToken, "offline 2": off2.RefreshToken, "offline access": off2.AccessToken, "loose": loose.RefreshToken} {
				if f.fake.Active(tok) {
					t.Errorf("%s token survived", name)
				}
			}
			if !f.fake.Active(bobs.RefreshToken) {
				t.Error("another user's token was revoked")
			}
			testkit.Want(t, "sessions", f.fake.Sessions(realm, f.alice.ID), 0)
			testkit.Want(t, "offline sessions", f.fake.OfflineSessions(realm, f.alice.ID), 0)
			testkit.Want(t, "subject", report.Subject, tc.subject(f.alice))
		})
	}
	t.Run("no offline tokens", func(t *testing.T) {
		f := newAdminFixture(t)
		f.fake.Login(realm, "spa", f.alice.ID)
		report, err := f.admin.RevokeSubject(context.Background(), revoke.OpaqueSubject(f.alice.ID))
		if err != nil {
			t.Fatal(err)
		}
		testkit.Want(t, "steps", steps(report), "log out:done, revoke offline tokens:skipped")
		testkit.Want(t, "note", report.Steps[1].Note, "the user holds no offline tokens")
	})
	t.Run("LogoutUser", func(t *testing.T) {
		f := newAdminFixture(t)
		p := f.fake.Login(realm, "spa", f.alice.ID)
		res, err := f.admin.LogoutUser(context.Background(), f.alice.ID)
		if err != nil || res.StatusCode != 204 || f.fake.Active(p.RefreshToken) {
			t.Errorf("%+v, %v", res, err)
		}
	})
}

// TestRevokeSubjectFailures: every refusal and failure is reported, typed,
// with the steps that could not run skipped.
func TestRevokeSubjectFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("refused subjects", func(t *testing.T) {
		f := newAdminFixture(t)
		for name, s := range map[string]revoke.Subject{
			"empty":                 {},
			"unknown format":        {Format: "phone_number", ID: "x"},
			"opaque with a slash":   revoke.OpaqueSubject("a/b"),
			"opaque too long":       revoke.OpaqueSubject(strings.Repeat("x", 300)),
			"iss of another realm":  revoke.IssSubSubject(base+"/realms/other", f.alice.ID),
			"iss of another server": revoke.IssSubSubject("https://accounts.google.com", f.alice.ID),
			"not an email":          revoke.EmailSubject("alice"),
			"opaque with a newline": revoke.OpaqueSubject(f.alice.ID + "\n"),
		} {
			report, err := f.admin.RevokeSubject(ctx, s)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("%s: %v; want a ConfigError matching ErrInvalidRequest", name, err)
			}
			if report != nil {
				t.Errorf("%s: report %v; want none: the subject is refused before any request", name, steps(report))
			}
		}
		if n := len(f.fake.Requests()); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
	t.Run("unknown email", func(t *testing.T) {
		f := newAdminFixture(t)
		report, err := f.admin.RevokeSubject(ctx, revoke.EmailSubject("nobody@example.com"))
		if !errors.Is(err, revoke.ErrNotFound) {
			t.Errorf("%v; want ErrNotFound", err)
		}
		testkit.Want(t, "steps", steps(report), "find user by email:failed")
	})
	t.Run("shared email", func(t *testing.T) {
		f := newAdminFixture(t)
		f.fake.AddUser(realm, keycloaktest.User{Username: "alice2", Email: "ALICE@example.com"})
		report, err := f.admin.RevokeSubject(ctx, revoke.EmailSubject("alice@example.com"))
		if !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(err.Error(), "2 users") {
			t.Errorf("%v; want ErrInvalidRequest naming 2 users", err)
		}
		testkit.Want(t, "steps", steps(report), "find user by email:failed")
	})
	t.Run("unknown user", func(t *testing.T) {
		f := newAdminFixture(t)
		report, err := f.admin.RevokeSubject(ctx, revoke.OpaqueSubject("no-such-user"))
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrNotFound) || e.Op != "keycloak admin: log out user" || !strings.Contains(e.Description, "no user with this ID") {
			t.Errorf("%v; want ErrNotFound from the logout with a hint", err)
		}
		testkit.Want(t, "steps", steps(report), "log out:failed, revoke offline tokens:skipped")
	})
	t.Run("admin token without manage-users", func(t *testing.T) {
		f := newFixture(t)
		a, err := keycloak.NewAdmin(keycloak.AdminConfig{Issuer: issuer, TokenSource: staticSource(f.fake.AdminToken(realm, keycloaktest.RoleViewUsers))}, f.opts...)
		if err != nil {
			t.Fatal(err)
		}
		p := f.fake.Login(realm, "spa", f.alice.ID)
		report, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(f.alice.ID))
		if !errors.Is(err, revoke.ErrForbidden) || !strings.Contains(err.Error(), "manage-users") {
			t.Errorf("%v; want ErrForbidden naming manage-users", err)
		}
		testkit.Want(t, "steps", steps(report), "log out:failed, revoke offline tokens:skipped")
		if !f.fake.Active(p.RefreshToken) {
			t.Error("a refused logout revoked a token")
		}
	})
	t.Run("master realm admin token", func(t *testing.T) {
		f := newFixture(t)
		a, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(f.fake.AdminToken(keycloaktest.MasterRealm))}, f.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(f.alice.ID)); err != nil {
			t.Error(err)
		}
	})
	t.Run("admin token of another realm", func(t *testing.T) {
		f := newFixture(t)
		a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(f.fake.AdminToken("other"))}, f.opts...)
		_, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(f.alice.ID))
		if !errors.Is(err, revoke.ErrInvalidClient) || !strings.Contains(err.Error(), "TokenSource") {
			t.Errorf("%v; want ErrInvalidClient naming the TokenSource", err)
		}
	})
	t.Run("service account with a wrong secret", func(t *testing.T) {
		f := newAdminFixture(t)
		a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: serviceAccount(f.fixture, "wrong-secret-0123")}, f.opts...)
		report, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(f.alice.ID))
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidClient) || e.StatusCode != 401 || e.Code != "unauthorized_client" {
			t.Errorf("%#v; want ErrInvalidClient from the token endpoint", err)
		}
		testkit.Want(t, "steps", steps(report), "log out:failed, revoke offline tokens:skipped")
		testkit.NoLeak(t, "error", testkit.PrintAll(err)+err.Error(), "wrong-secret-0123")
	})
	t.Run("consents listing fails after the logout", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 204}, testkit.JSONAnswer(500, `{"error":"unknown_error"}`))
		a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
		report, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("u1-0123"))
		if !errors.Is(err, revoke.ErrServer) {
			t.Errorf("%v; want ErrServer", err)
		}
		testkit.Want(t, "steps", steps(report), "log out:done, revoke offline tokens:failed")
	})
	t.Run("one offline revocation fails", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 204},
			testkit.JSONAnswer(200, `[{"clientId":"a","additionalGrants":[{"key":"Offline Token"}]},{"clientId":"b","additionalGrants":[{"key":"Offline Token"}]}]`),
			testkit.JSONAnswer(404, `{"error":"Consent nor offline token not found"}`), testkit.Answer{Status: 204})
		a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
		report, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("u1-0123"))
		if !errors.Is(err, revoke.ErrNotFound) {
			t.Errorf("%v; want ErrNotFound", err)
		}
		testkit.Want(t, "steps", steps(report), "log out:done, revoke offline tokens:failed, revoke offline tokens:done")
	})
	t.Run("an ErrorRepresentation", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.JSONAnswer(400, `{"errorMessage":"User is read only!","field":"username"}`))
		a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
		_, err := a.LogoutUser(ctx, "u1-0123")
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrInvalidRequest) || e.Description != "User is read only!" || len(e.Causes) != 1 || e.Causes[0] != "field username" {
			t.Errorf("%#v", err)
		}
	})
	t.Run("answers that are not JSON", func(t *testing.T) {
		for _, answers := range [][]testkit.Answer{
			{{Status: 200, Body: "<html>"}},
			{{Status: 204}, {Status: 200, Body: "not json"}},
		} {
			ep := testkit.NewEndpoint(answers...)
			a, _ := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
			subject := revoke.OpaqueSubject("u1-0123")
			if len(answers) == 1 {
				subject = revoke.EmailSubject("a@example.com")
			}
			if _, err := a.RevokeSubject(ctx, subject); !errors.Is(err, revoke.ErrUnexpectedResponse) {
				t.Errorf("%v; want ErrUnexpectedResponse", err)
			}
		}
	})
}

// TestAdminTokenSources: each kind of token the source returns is sent,
// or refused with a typed error, never a panic.
func TestAdminTokenSources(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		src       oauth2.TokenSource
		opts      []revoke.Option
		wantAuthz string // "" when refused
		wantKind  error
	}{
		{"Bearer", staticSource(testkit.APIToken), nil, "Bearer " + testkit.APIToken, nil},
		{"lower-case bearer", funcSource(func() (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: testkit.APIToken, TokenType: "bearer"}, nil
		}), nil, "Bearer " + testkit.APIToken, nil},
		{"DPoP, with a proof", funcSource(func() (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: testkit.APIToken, TokenType: "DPoP"}, nil
		}),
			[]revoke.Option{revoke.WithDPoP(testkit.ECKey(t))}, "DPoP " + testkit.APIToken, nil},
		{"MAC", funcSource(func() (*oauth2.Token, error) {
			return &oauth2.Token{AccessToken: testkit.APIToken, TokenType: "mac"}, nil
		}), nil, "", revoke.ErrInvalidRequest},
		{"no token", funcSource(func() (*oauth2.Token, error) { return nil, nil }), nil, "", revoke.ErrInvalidRequest},
		{"empty token", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{}, nil }), nil, "", revoke.ErrInvalidRequest},
		{"token with a newline", funcSource(func() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: "abc\ndef-0123"}, nil }), nil, "", revoke.ErrInvalidRequest},
		{"network failure", funcSource(func() (*oauth2.Token, error) { return nil, errors.New("dial tcp: connection refused") }), nil, "", revoke.ErrUnavailable},
		{"token endpoint 500", funcSource(func() (*oauth2.Token, error) {
			return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: 500}, ErrorCode: "server_error"}
		}), nil, "", revoke.ErrServer},
		{"token endpoint invalid_scope", funcSource(func() (*oauth2.Token, error) {
			return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: 400}, ErrorCode: "invalid_scope", ErrorDescription: "Invalid scopes: x\n" + strings.Repeat("y", 600)}
		}), nil, "", revoke.ErrInvalidRequest},
		{"a panicking source", funcSource(func() (*oauth2.Token, error) { panic("boom") }), nil, "", revoke.ErrInvalidRequest},
		{"a classified error", funcSource(func() (*oauth2.Token, error) { return nil, &revoke.Error{Kind: revoke.ErrRateLimited} }), nil, "", revoke.ErrRateLimited},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
			a, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: tc.src}, ep.Options(tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = a.LogoutUser(ctx, "u1-0123")
			if tc.wantKind != nil {
				if !errors.Is(err, tc.wantKind) {
					t.Fatalf("%v; want %v", err, tc.wantKind)
				}
				var re *revoke.Error
				var ce *revoke.ConfigError
				if !errors.As(err, &re) && !errors.As(err, &ce) {
					t.Errorf("%T is not a revoke error", err)
				}
				if n := len(ep.Requests()); n != 0 {
					t.Errorf("%d requests sent", n)
				}
				if len(err.Error()) > 1000 {
					t.Errorf("error is %d bytes long", len(err.Error()))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := ep.Only(t)
			testkit.Want(t, "Authorization", s.Header.Get("Authorization"), tc.wantAuthz)
			if strings.HasPrefix(tc.wantAuthz, "DPoP") {
				c, _ := claims(t, s.Header.Get("Dpop"))
				if c["ath"] == nil || c["htm"] != "POST" {
					t.Errorf("proof claims %v; want ath and htm POST", c)
				}
			}
		})
	}
}

// TestNewAdminBadInput: every mistake is a ConfigError naming the field.
func TestNewAdminBadInput(t *testing.T) {
	var typedNil *ptrSource
	tests := []struct {
		name      string
		cfg       keycloak.AdminConfig
		wantField string
		wantText  string
	}{
		{"no TokenSource", keycloak.AdminConfig{BaseURL: base, Realm: realm}, "keycloak.AdminConfig.TokenSource", "is nil"},
		{"typed-nil TokenSource", keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: typedNil}, "keycloak.AdminConfig.TokenSource", "nil *keycloak_test.ptrSource"},
		{"nil func TokenSource", keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: funcSource(nil)}, "keycloak.AdminConfig.TokenSource", "nil"},
		{"no realm", keycloak.AdminConfig{BaseURL: base, TokenSource: staticSource(testkit.APIToken)}, "keycloak.AdminConfig.Realm", "is empty"},
		{"no base", keycloak.AdminConfig{Realm: realm, TokenSource: staticSource(testkit.APIToken)}, "keycloak.AdminConfig.BaseURL", "is empty"},
		{"base with user info", keycloak.AdminConfig{BaseURL: "https://u:pw-0123456@h", Realm: realm, TokenSource: staticSource(testkit.APIToken)}, "keycloak.AdminConfig.BaseURL", "user info"},
		{"base with the admin path", keycloak.AdminConfig{BaseURL: adminBase, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, "keycloak.AdminConfig.BaseURL", "realm path"},
		{"issuer and realm", keycloak.AdminConfig{Issuer: issuer, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, "keycloak.AdminConfig.Issuer", "together"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := keycloak.NewAdmin(tc.cfg)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(ce.Field, tc.wantField) || !strings.Contains(ce.Problem, tc.wantText) {
				t.Errorf("%v; want field %s and text %q", err, tc.wantField, tc.wantText)
			}
			testkit.NoLeak(t, "error", err.Error(), "pw-0123456")
		})
	}
	if _, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource("x")}, revoke.WithTimeout(0)); !errors.As(err, new(*revoke.ConfigError)) {
		t.Errorf("bad option: %v", err)
	}
}

// TestAdminNilAndZero: nothing panics, every failure is typed.
func TestAdminNilAndZero(t *testing.T) {
	ep := testkit.NewEndpoint()
	a, err := keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: base, Realm: realm, TokenSource: staticSource(testkit.APIToken)}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	var nilCtx context.Context
	var nilA *keycloak.Admin
	var zero keycloak.Admin
	for name, call := range map[string]func() error{
		"nil context":         func() error { _, err := a.RevokeSubject(nilCtx, revoke.OpaqueSubject("u1")); return err },
		"nil context, logout": func() error { _, err := a.LogoutUser(nilCtx, "u1"); return err },
		"nil Admin": func() error {
			_, err := nilA.RevokeSubject(context.Background(), revoke.OpaqueSubject("u1"))
			return err
		},
		"zero Admin": func() error {
			_, err := zero.RevokeSubject(context.Background(), revoke.OpaqueSubject("u1"))
			return err
		},
		"nil Admin, logout":      func() error { _, err := nilA.LogoutUser(context.Background(), "u1"); return err },
		"zero Admin, logout":     func() error { _, err := zero.LogoutUser(context.Background(), "u1"); return err },
		"empty user ID":          func() error { _, err := a.LogoutUser(context.Background(), ""); return err },
		"user ID with a slash":   func() error { _, err := a.LogoutUser(context.Background(), "../x"); return err },
		"user ID with a newline": func() error { _, err := a.LogoutUser(context.Background(), "u1\n"); return err },
	} {
		var ce *revoke.ConfigError
		if err := call(); !errors.As(err, &ce) {
			t.Errorf("%s: %v; want a ConfigError", name, err)
		}
	}
	if r, err := nilA.RevokeSubject(context.Background(), revoke.OpaqueSubject("u1")); r != nil || !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil Admin: report %v, %v; want no report and a ConfigError", r, err)
	}
	_ = nilA.Endpoint() + zero.Endpoint()
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
