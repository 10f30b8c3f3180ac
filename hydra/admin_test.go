package hydra_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/internal/testkit"
)

const adminURL = "http://127.0.0.1:4445"

func newAdmin(t testing.TB, ep *testkit.Endpoint, cfg hydra.AdminConfig, opts ...revoke.Option) *hydra.Admin {
	t.Helper()
	return testkit.Build(t, hydra.NewAdmin, cfg, ep.Options(opts...)...)
}

// TestAdminWire asserts every admin request byte for byte against
// testdata/admin-wire.txt: self-hosted without credentials, Ory Network
// with an API key, a TokenSource, and the client restriction.
func TestAdminWire(t *testing.T) {
	var golden testkit.Transcript
	ctx := context.Background()
	cases := []struct {
		name string
		cfg  hydra.AdminConfig
		call func(a *hydra.Admin) error
		want []string // request lines
	}{
		{"RevokeSubject, self-hosted", hydra.AdminConfig{AdminURL: adminURL}, func(a *hydra.Admin) error {
			_, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("alice@example.com"))
			return err
		}, []string{"DELETE " + adminURL + "/admin/oauth2/auth/sessions/consent?all=true&subject=alice%40example.com", "DELETE " + adminURL + "/admin/oauth2/auth/sessions/login?subject=alice%40example.com"}},
		{"RevokeSubject, Ory Network with an API key", hydra.AdminConfig{AdminURL: "https://eager-shaw-1x2y.projects.oryapis.com", APIKey: testkit.APIToken}, func(a *hydra.Admin) error {
			_, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("6f1c-user"))
			return err
		}, []string{"DELETE https://eager-shaw-1x2y.projects.oryapis.com/admin/oauth2/auth/sessions/consent?all=true&subject=6f1c-user", "DELETE https://eager-shaw-1x2y.projects.oryapis.com/admin/oauth2/auth/sessions/login?subject=6f1c-user"}},
		{"RevokeSubjectWith ForClient, TokenSource", hydra.AdminConfig{AdminURL: adminURL, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "gateway-access-token"})}, func(a *hydra.Admin) error {
			_, err := a.RevokeSubjectWith(ctx, revoke.OpaqueSubject("alice"), hydra.ForClient("my client"))
			return err
		}, []string{"DELETE " + adminURL + "/admin/oauth2/auth/sessions/consent?client=my+client&subject=alice"}},
		{"RevokeLoginSession by sid", hydra.AdminConfig{AdminURL: adminURL}, func(a *hydra.Admin) error {
			_, err := a.RevokeLoginSession(ctx, "sid-123")
			return err
		}, []string{"DELETE " + adminURL + "/admin/oauth2/auth/sessions/login?sid=sid-123"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
			a := newAdmin(t, ep, tc.cfg)
			if err := tc.call(a); err != nil {
				t.Fatal(err)
			}
			reqs := ep.Requests()
			if len(reqs) != len(tc.want) {
				t.Fatalf("%d requests, want %d", len(reqs), len(tc.want))
			}
			for i, s := range reqs {
				testkit.Want(t, "request", s.Method+" "+s.URL.String(), tc.want[i])
				if len(s.Body) != 0 || s.Header.Get("Content-Type") != "" {
					t.Errorf("DELETE carries a body %q or a content type", s.Body)
				}
				golden.Add(fmt.Sprintf("%s #%d", tc.name, i+1), testkit.Render(s))
			}
		})
	}
	golden.Check(t, "admin-wire.txt")
}

// TestAdminAnswers: how each admin answer becomes a step.
func TestAdminAnswers(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		answer     testkit.Answer
		wantStatus revoke.StepStatus
		wantKind   error
		wantNote   string
		wantText   string
	}{
		{"204", testkit.Answer{Status: 204}, revoke.StepDone, nil, "", ""},
		{"older Hydra's 404 for an unknown subject", testkit.JSONAnswer(404, testkit.Golden(t, "admin-404-not-found.json")), revoke.StepDone, nil, "nothing to", ""},
		{"404 from the public port", testkit.Answer{Status: 404, Body: "404 page not found\n", Header: http.Header{"Content-Type": {"text/plain"}}}, revoke.StepFailed, revoke.ErrNotFound, "", "admin API"},
		{"400 with a hint", testkit.JSONAnswer(400, testkit.Golden(t, "admin-400-no-subject.json")), revoke.StepFailed, revoke.ErrInvalidRequest, "", "Query parameter 'subject' is not defined"},
		{"401 from Ory Network", testkit.JSONAnswer(401, testkit.Golden(t, "ory-401-generic.json")), revoke.StepFailed, revoke.ErrInvalidClient, "", "API key"},
		{"403", testkit.JSONAnswer(403, `{"error":{"code":403,"status":"Forbidden","message":"Access credentials are not sufficient to access this resource"}}`), revoke.StepFailed, revoke.ErrForbidden, "", "not sufficient"},
		{"500", testkit.JSONAnswer(500, `{"error":"server_error","error_description":"database unavailable"}`), revoke.StepFailed, revoke.ErrServer, "", "database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answer)
			a := newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL}, revoke.WithoutRetry())
			rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject("alice"))
			if len(rep.Steps) != 2 {
				t.Fatalf("%d steps, want 2", len(rep.Steps))
			}
			for i, st := range rep.Steps {
				if st.Status != tc.wantStatus || (tc.wantNote != "" && !strings.Contains(st.Note, tc.wantNote)) {
					t.Errorf("step %d = %+v; want %s with note %q", i, st, tc.wantStatus, tc.wantNote)
				}
			}
			testkit.Want(t, "step 1 action", rep.Steps[0].Action, hydra.ActionConsentSessions)
			testkit.Want(t, "step 2 action", rep.Steps[1].Action, hydra.ActionLoginSessions)
			if tc.wantKind == nil {
				if err != nil || len(rep.Done()) != 2 {
					t.Errorf("err = %v, done = %d", err, len(rep.Done()))
				}
				return
			}
			if !errors.Is(err, tc.wantKind) || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %v; want %v saying %q", err, tc.wantKind, tc.wantText)
			}
			var e *revoke.Error
			if !errors.As(rep.Steps[0].Err, &e) || e.Op != "hydra revoke consent sessions" || e.Endpoint != adminURL+"/admin/oauth2/auth/sessions/consent" {
				t.Errorf("step 1 error = %#v", rep.Steps[0].Err)
			}
		})
	}
}

// TestRevokeSubjectFormats: only subjects Hydra can know are accepted.
func TestRevokeSubjectFormats(t *testing.T) {
	ctx := context.Background()
	ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
	a := newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL, Issuer: "https://auth.example.com/"})
	for _, tc := range []struct {
		name  string
		s     revoke.Subject
		field string
	}{
		{"email", revoke.EmailSubject("alice@example.com"), "Subject.Format"},
		{"another issuer", revoke.IssSubSubject("https://other.example.com", "alice"), "Subject.Iss"},
		{"invalid", revoke.OpaqueSubject(""), "Subject.ID"},
		{"unknown format", revoke.Subject{Format: "phone_number"}, "Subject.Format"},
	} {
		rep, err := a.RevokeSubject(ctx, tc.s)
		var ce *revoke.ConfigError
		if rep != nil || !errors.As(err, &ce) || ce.Field != tc.field || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: RevokeSubject = %v, %v; want a ConfigError on %s", tc.name, rep, err, tc.field)
		}
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent for refused subjects", n)
	}
	rep, err := a.RevokeSubject(ctx, revoke.IssSubSubject("https://auth.example.com", "alice"))
	if err != nil || len(rep.Done()) != 2 || ep.Requests()[0].URL.Query().Get("subject") != "alice" {
		t.Errorf("iss_sub of this issuer: %v, %v", rep, err)
	}
	// Without Issuer configured, iss_sub is refused.
	b := newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL})
	if _, err := b.RevokeSubject(ctx, revoke.IssSubSubject("https://auth.example.com", "alice")); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("iss_sub without Issuer: %v", err)
	}
}

// TestAdminBadInput: NewAdmin and the operations refuse what Hydra cannot
// take, naming the field.
func TestAdminBadInput(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   hydra.AdminConfig
		opts  []revoke.Option
		field string
		text  string
	}{
		{"no URL", hydra.AdminConfig{}, nil, "hydra.AdminConfig.AdminURL", "is empty"},
		{"remote plain http", hydra.AdminConfig{AdminURL: "http://hydra:4445"}, nil, "hydra.AdminConfig.AdminURL", "clear text"},
		{"admin path", hydra.AdminConfig{AdminURL: adminURL + "/admin"}, nil, "hydra.AdminConfig.AdminURL", "already includes an API path"},
		{"admin path with more", hydra.AdminConfig{AdminURL: adminURL + "/admin/oauth2/auth/sessions/consent"}, nil, "hydra.AdminConfig.AdminURL", "already includes an API path"},
		{"both key and source", hydra.AdminConfig{AdminURL: adminURL, APIKey: testkit.APIToken, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "x"})}, nil, "hydra.AdminConfig", "choose one"},
		{"Bearer prefix", hydra.AdminConfig{AdminURL: adminURL, APIKey: "Bearer " + testkit.APIToken}, nil, "hydra.AdminConfig.APIKey", "the SDK adds the scheme"},
		{"short key", hydra.AdminConfig{AdminURL: adminURL, APIKey: "ory_pat"}, nil, "hydra.AdminConfig.APIKey", "shorter than 8"},
		{"key with a space", hydra.AdminConfig{AdminURL: adminURL, APIKey: "ory_pat SECRET-1"}, nil, "hydra.AdminConfig.APIKey", "white space"},
		{"bad issuer", hydra.AdminConfig{AdminURL: adminURL, Issuer: "x"}, nil, "hydra.AdminConfig.Issuer", "not absolute"},
	} {
		a, err := hydra.NewAdmin(tc.cfg, tc.opts...)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(ce.Problem, tc.text) {
			t.Errorf("%s: NewAdmin = %v, %v; want %s saying %q", tc.name, a, err, tc.field, tc.text)
		}
		if err != nil {
			testkit.NoLeak(t, tc.name, err.Error(), testkit.APIToken, "SECRET-1")
		}
	}
	if _, err := hydra.NewAdmin(hydra.AdminConfig{AdminURL: "http://hydra:4445"}, revoke.WithInsecureHTTP()); err != nil {
		t.Errorf("WithInsecureHTTP: %v", err)
	}
	ctx := context.Background()
	var nilCtx context.Context
	ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
	a := newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL})
	for name, call := range map[string]func() (*revoke.Result, error){
		"empty subject":   func() (*revoke.Result, error) { return a.RevokeConsentSessions(ctx, "") },
		"subject newline": func() (*revoke.Result, error) { return a.RevokeLoginSessions(ctx, "alice\n") },
		"long subject":    func() (*revoke.Result, error) { return a.RevokeConsentSessions(ctx, strings.Repeat("a", 2000)) },
		"empty client":    func() (*revoke.Result, error) { return a.RevokeConsentSessions(ctx, "alice", hydra.ForClient("")) },
		"empty sid":       func() (*revoke.Result, error) { return a.RevokeLoginSession(ctx, "") },
		"nil context":     func() (*revoke.Result, error) { return a.RevokeLoginSessions(nilCtx, "alice") },
		"nil option":      func() (*revoke.Result, error) { return a.RevokeConsentSessions(ctx, "", nil) },
	} {
		if res, err := call(); res != nil || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v, %v", name, res, err)
		}
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	var nilA *hydra.Admin
	var zero hydra.Admin
	for name, call := range map[string]func() error{
		"nil RevokeSubject":  func() error { _, err := nilA.RevokeSubject(ctx, revoke.OpaqueSubject("a")); return err },
		"zero RevokeSubject": func() error { _, err := zero.RevokeSubject(ctx, revoke.OpaqueSubject("a")); return err },
		"nil consent":        func() error { _, err := nilA.RevokeConsentSessions(ctx, "a"); return err },
		"zero login":         func() error { _, err := zero.RevokeLoginSessions(ctx, "a"); return err },
		"zero sid":           func() error { _, err := zero.RevokeLoginSession(ctx, "a"); return err },
		"nil context":        func() error { _, err := a.RevokeSubject(nilCtx, revoke.OpaqueSubject("a")); return err },
	} {
		var ce *revoke.ConfigError
		if err := call(); !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if nilA.AdminURL() != "" || zero.AdminURL() != "" {
		t.Error("zero Admin has a URL")
	}
}

// TestAdminTokenSource: a failing or empty source fails the call before
// anything is sent, without its token in the error.
func TestAdminTokenSource(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: 204})
	a := newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL, TokenSource: failingSource{}})
	if _, err := a.RevokeLoginSessions(context.Background(), "alice"); !errors.Is(err, revoke.ErrInvalidClient) {
		t.Errorf("failing source: %v", err)
	}
	a = newAdmin(t, ep, hydra.AdminConfig{AdminURL: adminURL, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{})})
	if _, err := a.RevokeLoginSessions(context.Background(), "alice"); !errors.Is(err, revoke.ErrInvalidClient) {
		t.Errorf("empty source: %v", err)
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

type failingSource struct{}

func (failingSource) Token() (*oauth2.Token, error) { return nil, errors.New("token endpoint down") }
