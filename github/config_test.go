package github_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestNewBadInput: every bad configuration is a *revoke.ConfigError naming
// the field and the fix, and never repeats a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	ok := func(c github.Config) github.Config {
		if c.ClientID == "" {
			c.ClientID = clientID
		}
		if c.ClientSecret == "" {
			c.ClientSecret = secret
		}
		return c
	}
	tests := []struct {
		name      string
		cfg       github.Config
		opts      []revoke.Option
		wantField string
		wantText  string
		wantKind  error
	}{
		{"no client ID", github.Config{ClientSecret: secret}, nil, "github.Config.ClientID", "is empty", nil},
		{"white-space client ID", ok(github.Config{ClientID: "   "}), nil, "github.Config.ClientID", "only white space", nil},
		{"client ID with a trailing newline", ok(github.Config{ClientID: clientID + "\n"}), nil, "github.Config.ClientID", "white space", nil},
		{"client ID with a control character", ok(github.Config{ClientID: "Iv1.\x00abc"}), nil, "github.Config.ClientID", "control character", nil},
		{"client ID with a slash", ok(github.Config{ClientID: "Iv1/abc"}), nil, "github.Config.ClientID", "'/'", nil},
		{"client ID with '%'", ok(github.Config{ClientID: "Iv1%2Fabc"}), nil, "github.Config.ClientID", "'%'", nil},
		{"client ID with '?'", ok(github.Config{ClientID: "Iv1?x=1"}), nil, "github.Config.ClientID", "'?'", nil},
		{"client ID with an inner space", ok(github.Config{ClientID: "Iv1 abc"}), nil, "github.Config.ClientID", "space", nil},
		{"client ID ..", ok(github.Config{ClientID: ".."}), nil, "github.Config.ClientID", "relative path segment", nil},
		{"client ID with ':'", ok(github.Config{ClientID: "Iv1:abc"}), nil, "github.Config.ClientID", "':'", nil},
		{"client ID too long", ok(github.Config{ClientID: strings.Repeat("a", 300)}), nil, "github.Config.ClientID", "more than 256", nil},
		{"no secret", github.Config{ClientID: clientID}, nil, "github.Config.ClientSecret", "is empty", nil},
		{"white-space secret", ok(github.Config{ClientSecret: "          "}), nil, "github.Config.ClientSecret", "only white space", nil},
		{"secret with a trailing newline", ok(github.Config{ClientSecret: secret + "\n"}), nil, "github.Config.ClientSecret", "white space", nil},
		{"secret with a control character", ok(github.Config{ClientSecret: "0123\x7f456789"}), nil, "github.Config.ClientSecret", "control character", nil},
		{"short secret", ok(github.Config{ClientSecret: "abc1234"}), nil, "github.Config.ClientSecret", "shorter than 8", nil},
		{"base URL with user info", ok(github.Config{BaseURL: "https://admin:" + password + "@api.github.com"}), nil, "github.Config.BaseURL", "user info", nil},
		{"base URL with a query", ok(github.Config{BaseURL: "https://api.github.com/?token=" + password}), nil, "github.Config.BaseURL", "query", nil},
		{"base URL with a fragment", ok(github.Config{BaseURL: "https://api.github.com/#x"}), nil, "github.Config.BaseURL", "fragment", nil},
		{"base URL with white space", ok(github.Config{BaseURL: "https://api.github.com "}), nil, "github.Config.BaseURL", "white space", nil},
		{"plain http to a remote host", ok(github.Config{BaseURL: "http://ghe.example.com/api/v3"}), nil, "github.Config.BaseURL", "clear text", revoke.ErrInsecureEndpoint},
		{"ftp", ok(github.Config{BaseURL: "ftp://ghe.example.com"}), nil, "github.Config.BaseURL", "use https", nil},
		{"bad host", ok(github.Config{BaseURL: "https://ghe_example.com"}), nil, "github.Config.BaseURL", "'_'", nil},
		{"the web host", ok(github.Config{BaseURL: "https://github.com"}), nil, "github.Config.BaseURL", "https://api.github.com", nil},
		{"the web host, www", ok(github.Config{BaseURL: "www.github.com"}), nil, "github.Config.BaseURL", "web host", nil},
		{"an endpoint path", ok(github.Config{BaseURL: "https://api.github.com/applications/" + clientID + "/token"}), nil, "github.Config.BaseURL", "already includes an endpoint path", nil},
		{"bad option", ok(github.Config{}), []revoke.Option{revoke.WithMaxResponseBytes(-1)}, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := github.New(tc.cfg, tc.opts...)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, secret, password, "0123\x7f456789", "abc1234")
		})
	}
}

// TestNewCredentialRevokerBadInput does the same for
// NewCredentialRevoker.
func TestNewCredentialRevokerBadInput(t *testing.T) {
	const password = "hunter2-password"
	tests := []struct {
		name      string
		cfg       github.CredentialsConfig
		wantField string
		wantText  string
	}{
		{"a token for github.com", github.CredentialsConfig{Token: testkit.APIToken}, "github.CredentialsConfig.Token", "leave Token empty"},
		{"a token for github.com, explicit", github.CredentialsConfig{BaseURL: "https://API.github.com", Token: testkit.APIToken}, "github.CredentialsConfig.Token", "403"},
		{"a short token", github.CredentialsConfig{BaseURL: ghesBase, Token: "short12"}, "github.CredentialsConfig.Token", "shorter than 8"},
		{"a token with a newline", github.CredentialsConfig{BaseURL: ghesBase, Token: testkit.APIToken + "\n"}, "github.CredentialsConfig.Token", "white space"},
		{"base URL with user info", github.CredentialsConfig{BaseURL: "https://u:" + password + "@ghe.example.com/api/v3"}, "github.CredentialsConfig.BaseURL", "user info"},
		{"base URL with the endpoint", github.CredentialsConfig{BaseURL: ghesBase + "/credentials/revoke"}, "github.CredentialsConfig.BaseURL", "already includes an endpoint path"},
		{"the web host", github.CredentialsConfig{BaseURL: "github.com"}, "github.CredentialsConfig.BaseURL", "web host"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := github.NewCredentialRevoker(tc.cfg)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, nil, testkit.APIToken, password, "short12")
		})
	}
}

// TestRequestRefusals: every request GitHub's app endpoints cannot take is
// refused before anything is sent, naming the field and what to use
// instead, never repeating the token.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name     string
		req      revoke.Request
		field    string
		text     string
		wantKind error
	}{
		{"empty token", revoke.Request{}, "Request.Token", "is empty", revoke.ErrInvalidRequest},
		{"short token", revoke.Request{Token: "gho_123"}, "Request.Token", "shorter than", revoke.ErrInvalidRequest},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "Request.Token", "white space", revoke.ErrInvalidRequest},
		{"token with a space", revoke.Request{Token: "gho_abc def0123"}, "Request.Token", "white space", revoke.ErrInvalidRequest},
		{"token not UTF-8", revoke.Request{Token: "gho_\xff\xfe0123456789"}, "Request.Token", "UTF-8", revoke.ErrInvalidRequest},
		{"refresh token", revoke.Request{Token: "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c34E1ccbF66C46812d16D5B1A9Dc86A1498"}, "Request.Token", "ghr_", revoke.ErrUnsupported},
		{"classic PAT", revoke.Request{Token: pat}, "Request.Token", "personal access token", revoke.ErrUnsupported},
		{"fine-grained PAT", revoke.Request{Token: "github_pat_11ABCDEFG0abcdefghijklmn_opqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"}, "Request.Token", "personal access token", revoke.ErrUnsupported},
		{"installation token", revoke.Request{Token: "ghs_16C7e42F292c6912E7710c838347Ae178B4a"}, "Request.Token", "/installation/token", revoke.ErrUnsupported},
		{"hint refresh_token", revoke.Request{Token: token, Hint: revoke.HintRefreshToken}, "Request.Hint", "access tokens only", revoke.ErrUnsupported},
		{"hint device_secret", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "Request.Hint", "not a hint GitHub takes", revoke.ErrInvalidRequest},
		{"any parameter", revoke.Request{Token: token, Params: url.Values{"scope": {"repo"}}}, "Request.Params", "leave Params empty", revoke.ErrInvalidRequest},
	}
	for _, tc := range tests {
		for _, op := range []string{"token", "grant"} {
			t.Run(tc.name+" ("+op+")", func(t *testing.T) {
				ep := testkit.NewEndpoint(ghAnswer(204, ""))
				r := newRevoker(t, ep, github.Config{})
				call := r.Revoke
				if op == "grant" {
					call = r.RevokeGrant
				}
				_, err := call(context.Background(), tc.req)
				testkit.WantRefused(t, ep, err, "github revoke "+op+": "+tc.field, tc.text, tc.wantKind, tc.req.Token, secret)
			})
		}
	}
}

// TestCredentialRefusals: a malformed credential is reported by index,
// never by value, and nothing is sent.
func TestCredentialRefusals(t *testing.T) {
	long := make([]string, 1500)
	for i := range long {
		long[i] = pat
	}
	long[1234] = "sk_live_" + strings.Repeat("x", 30)
	tests := []struct {
		name   string
		tokens []string
		field  string
		text   string
	}{
		{"empty list", nil, "github revoke credentials: tokens", "is empty"},
		{"an empty credential", []string{pat, ""}, "github revoke credentials: tokens[1]", "is empty"},
		{"a short credential", []string{pat, pat2, "ghp_123"}, "github revoke credentials: tokens[2]", "shorter than"},
		{"a credential with a newline", []string{pat + "\n"}, "github revoke credentials: tokens[0]", "white space"},
		{"another vendor's token", []string{pat, "xoxb-1234567890-abcdefghijklmnop"}, "github revoke credentials: tokens[1]", "does not start with a GitHub token prefix"},
		{"a cut credential", []string{"ghp_16C7e42F29"}, "github revoke credentials: tokens[0]", "is not a whole GitHub token"},
		{"a credential with a dash", []string{"gho_16C7e42F292c6912-7710c838347Ae178B4a"}, "github revoke credentials: tokens[0]", "is not a whole GitHub token"},
		{"far down a long list", long, "github revoke credentials: tokens[1234]", "does not start with a GitHub token prefix"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(ghAnswer(202, "{}"))
			cr := newCredentialRevoker(t, ep, github.CredentialsConfig{})
			report, err := cr.RevokeCredentials(context.Background(), tc.tokens)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(ce.Problem, tc.text) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Fatalf("RevokeCredentials = %v, %v; want a ConfigError on %q saying %q", report, err, tc.field, tc.text)
			}
			testkit.NoLeak(t, "error", err.Error(), append([]string{"sk_live_", "xoxb-1234567890", "16C7e42F29"}, tc.tokens...)...)
			if n := len(ep.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
	// One credential at a time, through revoke.Revoker.
	for _, req := range []revoke.Request{
		{Token: "not-a-github-token"},
		{Token: pat, Hint: revoke.HintDeviceSecret},
		{Token: pat, Params: url.Values{"x": {"y"}}},
	} {
		ep := testkit.NewEndpoint(ghAnswer(202, "{}"))
		_, err := newCredentialRevoker(t, ep, github.CredentialsConfig{}).Revoke(context.Background(), req)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(ce.Field, "github revoke credentials: Request.") {
			t.Errorf("Revoke(%v) = %v; want a ConfigError", req, err)
		}
		if len(ep.Requests()) != 0 {
			t.Error("a request was sent")
		}
	}
}

// TestZeroAndNil: zero values, nil pointers and nil contexts are errors,
// never panics.
func TestZeroAndNil(t *testing.T) {
	ctx := context.Background()
	var zero github.Revoker
	var nilR *github.Revoker
	var zeroCR github.CredentialRevoker
	var nilCR *github.CredentialRevoker
	tok := &oauth2.Token{AccessToken: token}
	var nilCtx context.Context
	calls := map[string]func() error{
		"zero Revoke":                  func() error { _, err := zero.Revoke(ctx, revoke.Request{Token: token}); return err },
		"zero RevokeGrant":             func() error { _, err := zero.RevokeGrant(ctx, revoke.Request{Token: token}); return err },
		"zero RevokeToken":             func() error { return zero.RevokeToken(ctx, tok) },
		"nil Revoke":                   func() error { _, err := nilR.Revoke(ctx, revoke.Request{Token: token}); return err },
		"nil RevokeGrant":              func() error { _, err := nilR.RevokeGrant(ctx, revoke.Request{Token: token}); return err },
		"nil RevokeToken":              func() error { return nilR.RevokeToken(ctx, tok) },
		"nil Grants Revoke":            func() error { _, err := nilR.Grants().Revoke(ctx, revoke.Request{Token: token}); return err },
		"nil Grants RevokeToken":       func() error { return revoke.RevokeToken(ctx, nilR.Grants(), tok) },
		"zero CredentialRevoker":       func() error { _, err := zeroCR.Revoke(ctx, revoke.Request{Token: pat}); return err },
		"zero RevokeCredentials":       func() error { _, err := zeroCR.RevokeCredentials(ctx, []string{pat}); return err },
		"nil CredentialRevoker":        func() error { _, err := nilCR.Revoke(ctx, revoke.Request{Token: pat}); return err },
		"nil RevokeCredentials":        func() error { _, err := nilCR.RevokeCredentials(ctx, []string{pat}); return err },
		"nil context Revoke":           func() error { _, err := mustRevoker(t).Revoke(nilCtx, revoke.Request{Token: token}); return err },
		"nil context RevokeToken":      func() error { return mustRevoker(t).RevokeToken(nilCtx, tok) },
		"nil context RevokeCredential": func() error { _, err := mustCR(t).Revoke(nilCtx, revoke.Request{Token: pat}); return err },
		"nil context RevokeCredentials": func() error {
			_, err := mustCR(t).RevokeCredentials(nilCtx, []string{pat})
			return err
		},
		"nil token":           func() error { return mustRevoker(t).RevokeToken(ctx, nil) },
		"empty token":         func() error { return mustRevoker(t).RevokeToken(ctx, &oauth2.Token{}) },
		"refresh token alone": func() error { return mustRevoker(t).RevokeToken(ctx, &oauth2.Token{RefreshToken: "ghr_abc"}) },
		"Grants, refresh token alone": func() error {
			return revoke.RevokeToken(ctx, mustRevoker(t).Grants(), &oauth2.Token{RefreshToken: "ghr_abc"})
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error = %T %v, want a *revoke.ConfigError", err, err)
			}
			want := revoke.ErrInvalidRequest
			if strings.Contains(name, "refresh token alone") {
				want = revoke.ErrUnsupported
			}
			if !errors.Is(err, want) {
				t.Errorf("error %q does not match %v", err, want)
			}
		})
	}
	if zero.Endpoint() != "" || nilR.Endpoint() != "" || nilR.GrantEndpoint() != "" || nilR.ClientID() != "" || nilCR.Endpoint() != "" {
		t.Error("a zero or nil value reports an endpoint")
	}
	if _, ok := github.Details(nil); ok {
		t.Error("Details(nil) ok")
	}
	if _, ok := github.Details(&revoke.Result{Vendor: "other"}); ok {
		t.Error("Details of another vendor ok")
	}
	var nilReport *github.CredentialsReport
	if nilReport.Accepted() != 0 || nilReport.NotAccepted([]string{pat}) != nil {
		t.Error("nil report")
	}
}

// mustRevoker is a Revoker whose calls must never reach the network.
func mustRevoker(t *testing.T) *github.Revoker {
	return newRevoker(t, testkit.NewEndpoint(testkit.Answer{Status: 500}), github.Config{})
}

func mustCR(t *testing.T) *github.CredentialRevoker {
	return newCredentialRevoker(t, testkit.NewEndpoint(testkit.Answer{Status: 500}), github.CredentialsConfig{})
}
