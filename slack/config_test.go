package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

// TestNewBadInput: every bad configuration is a *revoke.ConfigError naming
// the field and the fix, and never repeats a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	tests := []struct {
		name     string
		cfg      slack.Config
		opts     []revoke.Option
		wantText string
		wantKind error
	}{
		{"user info", slack.Config{BaseURL: "https://bot:" + password + "@slack.com/api"}, nil, "user info", nil},
		{"a query", slack.Config{BaseURL: "https://slack.com/api?token=" + password}, nil, "query", nil},
		{"a fragment", slack.Config{BaseURL: "https://slack.com/api#x"}, nil, "fragment", nil},
		{"white space", slack.Config{BaseURL: " https://slack.com/api"}, nil, "white space", nil},
		{"a control character", slack.Config{BaseURL: "https://slack.com/api\n"}, nil, "white space or a control character", nil},
		{"plain http to a remote host", slack.Config{BaseURL: "http://slack.com/api"}, nil, "clear text", revoke.ErrInsecureEndpoint},
		{"slack.com without /api", slack.Config{BaseURL: "https://slack.com"}, nil, "not the Web API root", nil},
		{"api.slack.com", slack.Config{BaseURL: "https://api.slack.com"}, nil, "not the Web API root", nil},
		{"GovSlack without /api", slack.Config{BaseURL: "slack-gov.com"}, nil, "not the Web API root", nil},
		{"the method", slack.Config{BaseURL: "https://proxy.example.com/api/auth.revoke"}, nil, "already includes the method", nil},
		{"a bad host", slack.Config{BaseURL: "https://slack_com/api"}, nil, "'_'", nil},
		{"bad option", slack.Config{}, []revoke.Option{revoke.WithTimeout(-1)}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := slack.New(tc.cfg, tc.opts...)
			field := "" // a bad option: any field
			if tc.wantText != "" {
				field = "slack.Config.BaseURL"
			}
			testkit.WantConfigError(t, err, field, tc.wantText, tc.wantKind, password)
		})
	}
	for _, ok := range []string{"", "https://slack.com/api", "slack.com/api/", "https://slack-gov.com/api", "http://127.0.0.1:8080/api", "https://proxy.example.com"} {
		if _, err := slack.New(slack.Config{BaseURL: ok}); err != nil {
			t.Errorf("New(%q): %v", ok, err)
		}
	}
}

// TestRequestRefusals: every request auth.revoke cannot take is refused
// before anything is sent, never repeating the token.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		req   revoke.Request
		field string
		text  string
		kind  error
	}{
		{"empty token", revoke.Request{}, "Request.Token", "is empty", revoke.ErrInvalidRequest},
		{"short token", revoke.Request{Token: "xoxp-12"}, "Request.Token", "shorter than", revoke.ErrInvalidRequest},
		{"token with a newline", revoke.Request{Token: token + "\r\n"}, "Request.Token", "white space", revoke.ErrInvalidRequest},
		{"token with a space", revoke.Request{Token: "xoxp-1234 5678"}, "Request.Token", "white space", revoke.ErrInvalidRequest},
		{"token with a control character", revoke.Request{Token: "xoxp-1234\x005678"}, "Request.Token", "control character", revoke.ErrInvalidRequest},
		{"hint refresh_token", revoke.Request{Token: token, Hint: revoke.HintRefreshToken}, "Request.Hint", "cannot authenticate", revoke.ErrUnsupported},
		{"hint device_secret", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "Request.Hint", "not a hint auth.revoke takes", revoke.ErrInvalidRequest},
		{"another parameter", revoke.Request{Token: token, Params: url.Values{"token": {"other-token-value"}}}, "Request.Params", "only \"test\"", revoke.ErrInvalidRequest},
		{"test twice", revoke.Request{Token: token, Params: url.Values{"test": {"1", "0"}}}, "Request.Params", "exactly one value", revoke.ErrInvalidRequest},
		{"test with a bad value", revoke.Request{Token: token, Params: url.Values{"test": {"yes"}}}, "Request.Params", "must be \"1\"", revoke.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(slackAnswer(`{"ok":true,"revoked":true}`))
			_, err := newRevoker(t, ep, slack.Config{}).Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, "slack revoke: "+tc.field, tc.text, tc.kind, tc.req.Token, "other-token-value")
		})
	}
}

// TestRevokeToken: the access token is revoked in one call; a refresh
// token is never claimed revoked.
func TestRevokeToken(t *testing.T) {
	ctx := context.Background()
	t.Run("access token alone", func(t *testing.T) {
		ep := testkit.NewEndpoint(slackAnswer(`{"ok":true,"revoked":true}`))
		if err := revoke.RevokeToken(ctx, newRevoker(t, ep, slack.Config{}), &oauth2.Token{AccessToken: token}); err != nil {
			t.Fatal(err)
		}
		testkit.Header(t, ep.Only(t).Header, "Authorization", "Bearer "+token)
	})
	t.Run("rotating pair", func(t *testing.T) {
		ep := testkit.NewEndpoint(slackAnswer(`{"ok":true,"revoked":true}`))
		err := revoke.RevokeToken(ctx, newRevoker(t, ep, slack.Config{}), &oauth2.Token{AccessToken: token, RefreshToken: "xoxe-1-refresh-value"})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnsupported) || !strings.Contains(e.Description, "the access token was revoked") || e.Op != "slack revoke (refresh token)" {
			t.Fatalf("RevokeToken = %v; want ErrUnsupported saying the access token was revoked", err)
		}
		testkit.Header(t, ep.Only(t).Header, "Authorization", "Bearer "+token)
		testkit.NoLeak(t, "error", err.Error(), token, "xoxe-1-refresh-value")
	})
	t.Run("rotating pair, access token expired", func(t *testing.T) {
		ep := testkit.NewEndpoint(slackAnswer(`{"ok":false,"error":"token_expired"}`))
		err := revoke.RevokeToken(ctx, newRevoker(t, ep, slack.Config{}), &oauth2.Token{AccessToken: token, RefreshToken: "xoxe-1-refresh-value"})
		if !errors.Is(err, revoke.ErrUnsupported) || !strings.Contains(err.Error(), "no longer worked (token_expired)") {
			t.Fatalf("RevokeToken = %v", err)
		}
	})
	t.Run("access token fails", func(t *testing.T) {
		ep := testkit.NewEndpoint(slackAnswer(`{"ok":false,"error":"internal_error"}`))
		err := revoke.RevokeToken(ctx, newRevoker(t, ep, slack.Config{}), &oauth2.Token{AccessToken: token, RefreshToken: "xoxe-1-refresh-value"})
		if !errors.Is(err, revoke.ErrServer) {
			t.Fatalf("RevokeToken = %v; want the access token's error", err)
		}
	})
	t.Run("refresh token alone", func(t *testing.T) {
		ep := testkit.NewEndpoint()
		err := revoke.RevokeToken(ctx, newRevoker(t, ep, slack.Config{}), &oauth2.Token{RefreshToken: "xoxe-1-refresh-value"})
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrUnsupported) || !strings.Contains(ce.Problem, "oauth.v2.access") {
			t.Fatalf("RevokeToken = %v", err)
		}
		if len(ep.Requests()) != 0 {
			t.Error("a request was sent")
		}
	})
}

// TestZeroAndNil: zero values, nil pointers and nil contexts are errors,
// never panics.
func TestZeroAndNil(t *testing.T) {
	var zero slack.Revoker
	var nilR *slack.Revoker
	var nilCtx context.Context
	ok := newRevoker(t, testkit.NewEndpoint(testkit.Answer{Status: 500}), slack.Config{})
	for name, call := range map[string]func() error{
		"zero Revoke":             func() error { _, err := zero.Revoke(context.Background(), revoke.Request{Token: token}); return err },
		"nil Revoke":              func() error { _, err := nilR.Revoke(context.Background(), revoke.Request{Token: token}); return err },
		"nil RevokeToken":         func() error { return nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"zero RevokeToken":        func() error { return zero.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"nil context":             func() error { _, err := ok.Revoke(nilCtx, revoke.Request{Token: token}); return err },
		"nil context RevokeToken": func() error { return ok.RevokeToken(nilCtx, &oauth2.Token{AccessToken: token}) },
		"nil token":               func() error { return ok.RevokeToken(context.Background(), nil) },
		"empty token":             func() error { return ok.RevokeToken(context.Background(), &oauth2.Token{}) },
	} {
		err := call()
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %T %v; want a ConfigError matching ErrInvalidRequest", name, err, err)
		}
	}
	if nilR.Endpoint() != "" || zero.Endpoint() != "" || nilR.Test() {
		t.Error("zero values report settings")
	}
	if _, ok := slack.Details(nil); ok {
		t.Error("Details(nil)")
	}
}

// TestPrinting prints every exported type with every verb, as JSON and
// through slog: a password in BaseURL never shows, and the fake never
// prints a token.
func TestPrinting(t *testing.T) {
	const password = "hunter2-password"
	cfg := slack.Config{BaseURL: "https://bot:" + password + "@slack.com/api?token=" + password, Test: true}
	r, err := slack.New(slack.Config{Test: true})
	if err != nil {
		t.Fatal(err)
	}
	fake := slacktest.New()
	tok := fake.IssueUserToken("U0123")
	var nilR *slack.Revoker
	var nilCfg *slack.Config
	var nilFake *slacktest.Server
	for _, v := range []any{cfg, &cfg, r, *r, slack.Config{}, slack.Revoker{}, nilR, nilCfg, fake, nilFake, &slacktest.Server{}, slack.RevokeDetails{Revoked: true}} {
		testkit.NoLeak(t, fmt.Sprintf("%T", v), testkit.PrintAll(v), password, tok)
	}
	testkit.Want(t, "%+v", fmt.Sprintf("%+v", cfg), `{BaseURL:"https://[REDACTED]@slack.com/api?[REDACTED]" Test:true InvalidAuthIsAlreadyInvalid:false}`)
	testkit.Want(t, "%#v", fmt.Sprintf("%#v", r), `slack.Revoker{Endpoint:"https://slack.com/api/auth.revoke", Test:true}`)
	b, _ := json.Marshal(r)
	testkit.Want(t, "JSON", string(b), `{"endpoint":"https://slack.com/api/auth.revoke","test":true}`)
}
