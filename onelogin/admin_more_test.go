package onelogin_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// TestNewAdminBadInput: every mistake is a *revoke.ConfigError naming the
// field, from NewAdmin or NewTokenSource, before any request.
func TestNewAdminBadInput(t *testing.T) {
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: apiToken})
	tests := []struct {
		name  string
		cfg   onelogin.AdminConfig
		field string
		want  string
	}{
		{"nothing", onelogin.AdminConfig{}, "onelogin.AdminConfig.Subdomain", "neither Subdomain nor BaseURL"},
		{"no credential", onelogin.AdminConfig{Subdomain: "acme"}, "onelogin.AdminConfig.TokenSource", "neither TokenSource nor ClientID"},
		{"both", onelogin.AdminConfig{Subdomain: "acme", TokenSource: src, ClientID: testID}, "onelogin.AdminConfig.TokenSource", "both"},
		{"source and API", onelogin.AdminConfig{Subdomain: "acme", TokenSource: src, API: onelogin.V2}, "onelogin.AdminConfig.TokenSource", "both"},
		{"no API version", onelogin.AdminConfig{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret}, "onelogin.AdminConfig.API", "not a known API version"},
		{"no secret", onelogin.AdminConfig{Subdomain: "acme", ClientID: testID, API: onelogin.V2}, "onelogin.AdminConfig.ClientSecret", "is empty"},
		{"short secret", onelogin.AdminConfig{Subdomain: "acme", ClientID: testID, ClientSecret: "short", API: onelogin.V1}, "onelogin.AdminConfig.ClientSecret", "shorter"},
		{"colon in V2 ID", onelogin.AdminConfig{Subdomain: "acme", ClientID: "a:b", ClientSecret: testSecret, API: onelogin.V2}, "onelogin.AdminConfig.ClientID", "':'"},
		{"host as subdomain", onelogin.AdminConfig{Subdomain: "acme.onelogin.com", TokenSource: src}, "onelogin.AdminConfig.Subdomain", "host name"},
		{"BaseURL with API path", onelogin.AdminConfig{BaseURL: "https://acme.onelogin.com/api/1", TokenSource: src}, "onelogin.AdminConfig.BaseURL", "endpoint path"},
		{"BaseURL with token path", onelogin.AdminConfig{BaseURL: "https://acme.onelogin.com/auth/oauth2/v2/token", TokenSource: src}, "onelogin.AdminConfig.BaseURL", "endpoint path"},
		{"BaseURL with password", onelogin.AdminConfig{BaseURL: "https://u:hunter2-pass@acme.onelogin.com", TokenSource: src}, "onelogin.AdminConfig.BaseURL", "'@'"},
		{"nil *TokenSource", onelogin.AdminConfig{Subdomain: "acme", TokenSource: (*onelogin.TokenSource)(nil)}, "onelogin.AdminConfig.TokenSource", "nil or zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			a, err := onelogin.NewAdmin(tt.cfg, ep.Options()...)
			if a != nil {
				t.Errorf("NewAdmin = %v; want no Admin", a)
			}
			testkit.WantRefused(t, ep, err, tt.field, tt.want, nil, testSecret, "hunter2-pass")
		})
	}
	if _, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret}); !isConfigError(err, "onelogin.Config.API") {
		t.Errorf("NewTokenSource without API = %v", err)
	}
}

// TestAdminBadSubjects: subjects OneLogin cannot address are refused
// before sending.
func TestAdminBadSubjects(t *testing.T) {
	tests := []struct {
		name  string
		s     revoke.Subject
		field string
		want  string
	}{
		{"iss_sub", revoke.IssSubSubject("https://acme.onelogin.com/oidc/2", userID), "Subject.Format", "sub claim"},
		{"unknown format", revoke.Subject{Format: "account"}, "Subject.Format", "not a format"},
		{"opaque not a number", revoke.OpaqueSubject("alice"), "Subject.ID", "positive integer"},
		{"opaque zero", revoke.OpaqueSubject("0"), "Subject.ID", "positive integer"},
		{"opaque leading zero", revoke.OpaqueSubject("056781966"), "Subject.ID", "positive integer"},
		{"opaque negative", revoke.OpaqueSubject("-1"), "Subject.ID", "positive integer"},
		{"opaque too big", revoke.OpaqueSubject("99999999999999999999"), "Subject.ID", "positive integer"},
		{"opaque email", revoke.OpaqueSubject("alice@acme.com"), "Subject.ID", "revoke.EmailSubject"},
		{"opaque path", revoke.OpaqueSubject("1/../2"), "Subject.ID", "'/'"},
		{"email wildcard", revoke.EmailSubject("*@acme.com"), "Subject.Email", "wildcard"},
		{"email negation", revoke.EmailSubject("!alice@acme.com"), "Subject.Email", "negation"},
		{"not an email", revoke.EmailSubject("alice"), "Subject.Email", "not an email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			rep, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), tt.s)
			if rep != nil {
				t.Errorf("RevokeSubject reported %+v; want no report", rep)
			}
			testkit.WantRefused(t, ep, err, tt.field, tt.want, revoke.ErrInvalidRequest)
		})
	}
	ep := testkit.NewEndpoint()
	a := newAdmin(t, ep, onelogin.V2)
	for _, id := range []string{"", "x", "1.5", " 1", "1e3"} {
		if _, err := a.LogOutUser(context.Background(), id); !isConfigError(err, "onelogin.Admin.LogOutUser: userID") {
			t.Errorf("LogOutUser(%q) = %v", id, err)
		}
	}
	for _, e := range []string{"", "alice", "a*@acme.com"} {
		if _, _, err := a.FindUsersByEmail(context.Background(), e); !isConfigError(err, "onelogin.Admin.FindUsersByEmail: email") {
			t.Errorf("FindUsersByEmail(%q) = %v", e, err)
		}
	}
	if len(ep.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

// TestAdminZeroValues: zero values, nil pointers and nil contexts never
// panic.
func TestAdminZeroValues(t *testing.T) {
	ctx := context.Background()
	for name, a := range map[string]*onelogin.Admin{"nil": nil, "zero": {}} {
		if _, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(userID)); !isConfigError(err, "onelogin.Admin.RevokeSubject") {
			t.Errorf("%s RevokeSubject = %v", name, err)
		}
		if _, err := a.LogOutUser(ctx, userID); !isConfigError(err, "onelogin.Admin.LogOutUser") {
			t.Errorf("%s LogOutUser = %v", name, err)
		}
		if _, _, err := a.FindUsersByEmail(ctx, "alice@acme.com"); !isConfigError(err, "onelogin.Admin.FindUsersByEmail") {
			t.Errorf("%s FindUsersByEmail = %v", name, err)
		}
		if a.BaseURL() != "" {
			t.Errorf("%s BaseURL = %q", name, a.BaseURL())
		}
	}
	for name, s := range map[string]*onelogin.TokenSource{"nil": nil, "zero": {}} {
		if _, err := s.Token(); !isConfigError(err, "onelogin.TokenSource") || s.TokenURL() != "" {
			t.Errorf("%s TokenSource: %v", name, err)
		}
	}
	ep := testkit.NewEndpoint()
	a := newAdmin(t, ep, onelogin.V2)
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := a.RevokeSubject(nil, revoke.OpaqueSubject(userID)); !isConfigError(err, "onelogin.Admin.RevokeSubject: context") { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context = %v", err)
	}
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := a.LogOutUser(nil, userID); !isConfigError(err, "onelogin.Admin.LogOutUser: context") { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context = %v", err)
	}
	//lint:ignore SA1012 a nil context is what this test passes
	if _, _, err := a.FindUsersByEmail(nil, "alice@acme.com"); !isConfigError(err, "onelogin.Admin.FindUsersByEmail: context") { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context = %v", err)
	}
	src, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := src.TokenContext(nil); !isConfigError(err, "onelogin.TokenSource.TokenContext: ctx") { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context = %v", err)
	}
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := src.TokenContext(ctx2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context = %v", err)
	}
	if len(ep.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

func isConfigError(err error, field string) bool {
	var ce *revoke.ConfigError
	return errors.As(err, &ce) && ce.Field == field
}

// TestAdminPrintingNeverShowsSecrets prints every new type that can hold a
// secret or a token, with every verb, as JSON and through slog.
func TestAdminPrintingNeverShowsSecrets(t *testing.T) {
	ep := testkit.NewEndpoint(tokenAnswer, logoutOK)
	cfg := onelogin.AdminConfig{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}
	a, err := onelogin.NewAdmin(cfg, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.LogOutUser(context.Background(), userID); err != nil { // caches a token
		t.Fatal(err)
	}
	src, err := onelogin.NewTokenSource(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: onelogin.V2})
	if err != nil {
		t.Fatal(err)
	}
	srcCfg := onelogin.AdminConfig{Subdomain: "acme", TokenSource: src}
	a2, err := onelogin.NewAdmin(srcCfg)
	if err != nil {
		t.Fatal(err)
	}
	var (
		zeroCfg   onelogin.AdminConfig
		zeroAdmin onelogin.Admin
		zeroSrc   onelogin.TokenSource
		nilAdmin  *onelogin.Admin
		nilSrc    *onelogin.TokenSource
		nilCfg    *onelogin.AdminConfig
		v1        = "client_id:" + testID + ", client_secret:" + testSecret
		basic     = base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret))
	)
	values := []struct {
		name   string
		v      any
		showID bool
	}{
		{"AdminConfig", cfg, true}, {"*AdminConfig", &cfg, true}, {"AdminConfig with source", srcCfg, false},
		{"*Admin", a, true}, {"Admin", *a, true}, {"*Admin with source", a2, true},
		{"*TokenSource", src, true}, {"TokenSource", *src, true},
		{"zero AdminConfig", zeroCfg, false}, {"zero Admin", zeroAdmin, false}, {"zero *Admin", &zeroAdmin, false}, {"zero TokenSource", zeroSrc, false},
		{"nil *Admin", nilAdmin, false}, {"nil *TokenSource", nilSrc, false}, {"nil *AdminConfig", nilCfg, false},
	}
	for _, v := range values {
		got := testkit.PrintAll(v.v)
		testkit.NoLeak(t, v.name, got, testSecret, v1, basic, apiToken)
		if v.showID && !strings.Contains(got, testID) {
			t.Errorf("%s printed as %s, want the client ID", v.name, got)
		}
	}
	for _, e := range []struct{ got, want string }{
		{fmt.Sprintf("%+v", cfg), `{Subdomain:"acme" BaseURL:"" TokenSource:<nil> ClientID:"` + testID + `" ClientSecret:[REDACTED] API:V1}`},
		{fmt.Sprintf("%v", a), `{"https://acme.onelogin.com" "bearer (API credential ` + testID + `, V1)"}`},
		{fmt.Sprintf("%v", src), `{"https://acme.onelogin.com/auth/oauth2/v2/token" V2 "` + testID + `" [REDACTED]}`},
		{fmt.Sprintf("%#v", zeroAdmin), `onelogin.Admin{BaseURL:"", Auth:""}`},
	} {
		if e.got != e.want {
			t.Errorf("printed %s, want %s", e.got, e.want)
		}
	}
}

// TestAdminErrorsNeverCarrySecrets: answers echoing the token or the
// credential never reach an error.
func TestAdminErrorsNeverCarrySecrets(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(testID + ":" + testSecret))
	for name, answers := range map[string][]testkit.Answer{
		"token error echoing the credential": {testkit.JSONAnswer(401, `{"status":{"error":true,"code":401,"type":"Unauthorized","message":"Authentication Failure for Basic `+basic+` / `+testSecret+`"}}`)},
		"logout error echoing the token":     {tokenAnswer, testkit.JSONAnswer(403, `{"status":{"error":true,"code":403,"type":"bearer:`+apiToken+`","message":"token `+apiToken+`"}}`)},
		"search HTML echoing the token":      {tokenAnswer, {Status: 200, Body: "<html>Bearer " + apiToken + "</html>"}},
	} {
		t.Run(name, func(t *testing.T) {
			ep := testkit.NewEndpoint(answers...)
			rep, err := newAdmin(t, ep, onelogin.V2).RevokeSubject(context.Background(), revoke.EmailSubject("alice@acme.com"))
			if err == nil {
				t.Fatal("RevokeSubject succeeded")
			}
			testkit.NoLeak(t, "error", testkit.PrintAll(err)+testkit.PrintAll(rep), testSecret, basic, apiToken)
		})
	}
}

// TestAdminRoundTrip runs against the emulator, over httptest and httpmock.
func TestAdminRoundTrip(t *testing.T) {
	starts := map[string]func(t *testing.T) (*onelogintest.Server, string, []revoke.Option){
		"httptest": func(t *testing.T) (*onelogintest.Server, string, []revoke.Option) {
			fake := onelogintest.New()
			srv := httptest.NewServer(fake)
			t.Cleanup(srv.Close)
			return fake, srv.URL, []revoke.Option{revoke.WithHTTPClient(srv.Client()), testkit.FastRetry()}
		},
		"httpmock": func(t *testing.T) (*onelogintest.Server, string, []revoke.Option) {
			mt := httpmock.NewMockTransport()
			fake := onelogintest.Register(mt, "https://acme.onelogin.com")
			return fake, "https://acme.onelogin.com", []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
		},
	}
	for name, start := range starts {
		for _, api := range []onelogin.APIVersion{onelogin.V1, onelogin.V2} {
			t.Run(name+"/"+api.String(), func(t *testing.T) {
				ctx := context.Background()
				fake, base, opts := start(t)
				fake.AddAPICredentialScope(testID, testSecret, onelogintest.ScopeManageUsers)
				fake.AddAPICredentialScope("reader-0001", "reader-secret", onelogintest.ScopeReadUsers)
				fake.AddUser(onelogintest.User{ID: 56781966, Email: "alice@acme.com"})
				fake.AddUser(onelogintest.User{ID: 56781967, Email: "bob@acme.com"})
				fake.AddUser(onelogintest.User{ID: 1, Email: "owner@acme.com", Protected: true})
				alice1, alice2, bob := fake.StartSession(56781966), fake.StartSession(56781966), fake.StartSession(56781967)
				a, err := onelogin.NewAdmin(onelogin.AdminConfig{BaseURL: base, ClientID: testID, ClientSecret: testSecret, API: api}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := a.RevokeSubject(ctx, revoke.OpaqueSubject(userID))
				if err != nil || len(rep.Steps) != 1 || rep.Steps[0].Status != revoke.StepDone || rep.Steps[0].Result.RateLimit == nil {
					t.Fatalf("RevokeSubject = %+v, %v", rep, err)
				}
				if fake.SessionActive(alice1) || fake.SessionActive(alice2) || !fake.SessionActive(bob) {
					t.Errorf("sessions after logging Alice out: %v %v %v, want false false true", fake.SessionActive(alice1), fake.SessionActive(alice2), fake.SessionActive(bob))
				}
				if _, err := a.RevokeSubject(ctx, revoke.EmailSubject("BOB@acme.com")); err != nil || fake.SessionActive(bob) {
					t.Errorf("by email: %v, Bob's session active %v", err, fake.SessionActive(bob))
				}
				// The access token is revoked behind the Admin's back: the
				// next call gets a new one and succeeds.
				tokens := fake.Store.Tokens(func(i revoketest.TokenInfo) bool { return i.ClientID == testID && i.Type == "access_token" && i.Active })
				if len(tokens) != 1 {
					t.Fatalf("%d active API tokens, want 1 (reused)", len(tokens))
				}
				r, err := onelogin.New(onelogin.Config{BaseURL: base, ClientID: testID, ClientSecret: testSecret, API: api}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := r.Revoke(ctx, revoke.Request{Token: tokens[0].Value}); err != nil {
					t.Fatal(err)
				}
				if _, err := a.LogOutUser(ctx, userID); err != nil {
					t.Errorf("after the token was revoked: %v", err)
				}
				// Failures.
				if _, err := a.LogOutUser(ctx, "1"); !errors.Is(err, revoke.ErrForbidden) {
					t.Errorf("protected user: %v", err)
				}
				if _, err := a.LogOutUser(ctx, "999"); !errors.Is(err, revoke.ErrNotFound) {
					t.Errorf("unknown user: %v", err)
				}
				if _, err := a.RevokeSubject(ctx, revoke.EmailSubject("nobody@acme.com")); !errors.Is(err, revoke.ErrNotFound) {
					t.Errorf("unknown email: %v", err)
				}
				reader, err := onelogin.NewAdmin(onelogin.AdminConfig{BaseURL: base, ClientID: "reader-0001", ClientSecret: "reader-secret", API: api}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := reader.LogOutUser(ctx, userID); !errors.Is(err, revoke.ErrForbidden) || !strings.Contains(err.Error(), "Insufficient Permission") {
					t.Errorf("read-only credential: %v", err)
				}
				if ids, _, err := reader.FindUsersByEmail(ctx, "alice@acme.com"); err != nil || len(ids) != 1 || ids[0] != userID {
					t.Errorf("read-only search = %v, %v", ids, err)
				}
				wrong, err := onelogin.NewAdmin(onelogin.AdminConfig{BaseURL: base, ClientID: testID, ClientSecret: "wrong-secret-value", API: api}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := wrong.LogOutUser(ctx, userID); !errors.Is(err, revoke.ErrInvalidClient) || !strings.Contains(err.Error(), "onelogin token") {
					t.Errorf("wrong secret: %v", err)
				}
				// Rate limit: the emulator's window, with Reset in seconds.
				fake.RateLimit = 1
				_, err = a.LogOutUser(ctx, userID)
				var re *revoke.Error
				if !errors.Is(err, revoke.ErrRateLimited) || !errors.As(err, &re) || re.RetryAfter <= 0 {
					t.Errorf("rate limited: %v", err)
				}
			})
		}
	}
}
