package dropbox_test

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
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestNewBadInput: every bad configuration is a *revoke.ConfigError naming
// the field and the fix, and never repeats a secret or a password.
func TestNewBadInput(t *testing.T) {
	const password = "hunter2-password"
	tests := []struct {
		name      string
		cfg       dropbox.Config
		wantField string
		wantText  string
		wantKind  error
	}{
		{"user info", dropbox.Config{BaseURL: "https://u:" + password + "@api.dropboxapi.com"}, "dropbox.Config.BaseURL", "user info", nil},
		{"a query", dropbox.Config{BaseURL: "https://api.dropboxapi.com?authorization=" + password}, "dropbox.Config.BaseURL", "query", nil},
		{"a fragment", dropbox.Config{BaseURL: "https://api.dropboxapi.com#x"}, "dropbox.Config.BaseURL", "fragment", nil},
		{"white space", dropbox.Config{BaseURL: "https://api.dropboxapi.com\t"}, "dropbox.Config.BaseURL", "white space", nil},
		{"plain http to a remote host", dropbox.Config{BaseURL: "http://api.dropboxapi.com"}, "dropbox.Config.BaseURL", "clear text", revoke.ErrInsecureEndpoint},
		{"the content host", dropbox.Config{BaseURL: "https://content.dropboxapi.com"}, "dropbox.Config.BaseURL", "file content only", nil},
		{"the web host", dropbox.Config{BaseURL: "www.dropbox.com"}, "dropbox.Config.BaseURL", "web host", nil},
		{"the endpoint path", dropbox.Config{BaseURL: "https://api.dropboxapi.com/2/auth/token/revoke"}, "dropbox.Config.BaseURL", "already includes an endpoint path", nil},
		{"the version path", dropbox.Config{BaseURL: "https://api.dropboxapi.com/2"}, "dropbox.Config.BaseURL", "already includes an endpoint path", nil},
		{"the token path", dropbox.Config{BaseURL: "https://api.dropboxapi.com/oauth2"}, "dropbox.Config.BaseURL", "already includes an endpoint path", nil},
		{"a secret without a key", dropbox.Config{AppSecret: "w4zt8y2vq1hj6kd"}, "dropbox.Config.AppSecret", "without AppKey", nil},
		{"a white-space key", dropbox.Config{AppKey: "   "}, "dropbox.Config.AppKey", "only white space", nil},
		{"a key with a newline", dropbox.Config{AppKey: appKey + "\n"}, "dropbox.Config.AppKey", "white space", nil},
		{"a key with a control character", dropbox.Config{AppKey: "s2x9\x01k1"}, "dropbox.Config.AppKey", "control character", nil},
		{"a key with ':'", dropbox.Config{AppKey: "s2x9:k1"}, "dropbox.Config.AppKey", "':'", nil},
		{"a short secret", dropbox.Config{AppKey: appKey, AppSecret: "w4zt8y2"}, "dropbox.Config.AppSecret", "shorter than 8", nil},
		{"a white-space secret", dropbox.Config{AppKey: appKey, AppSecret: "          "}, "dropbox.Config.AppSecret", "only white space", nil},
		{"a secret with a newline", dropbox.Config{AppKey: appKey, AppSecret: appSecret + "\n"}, "dropbox.Config.AppSecret", "white space", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dropbox.New(tc.cfg)
			testkit.WantConfigError(t, err, tc.wantField, tc.wantText, tc.wantKind, password, appSecret, "w4zt8y2")
		})
	}
	if _, err := dropbox.New(dropbox.Config{}, revoke.WithMaxResponseBytes(-1)); err == nil {
		t.Error("a bad option was accepted")
	}
}

// TestRequestRefusals: what auth/token/revoke cannot take is refused
// before anything is sent, never repeating the token.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name  string
		cfg   dropbox.Config
		req   revoke.Request
		field string
		text  string
		kind  error
	}{
		{"empty token", dropbox.Config{}, revoke.Request{}, "Request.Token", "is empty", revoke.ErrInvalidRequest},
		{"short token", dropbox.Config{}, revoke.Request{Token: "sl.abc"}, "Request.Token", "shorter than", revoke.ErrInvalidRequest},
		{"token with a newline", dropbox.Config{}, revoke.Request{Token: token + "\n"}, "Request.Token", "white space", revoke.ErrInvalidRequest},
		{"refresh token without the app key", dropbox.Config{}, revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken}, "Request.Hint", "Config.AppKey", revoke.ErrUnsupported},
		{"device_secret", dropbox.Config{}, revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "Request.Hint", "not a hint Dropbox takes", revoke.ErrInvalidRequest},
		{"parameters", dropbox.Config{}, revoke.Request{Token: token, Params: url.Values{"x": {"1"}}}, "Request.Params", "no arguments", revoke.ErrInvalidRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(revoked)
			_, err := newRevoker(t, ep, tc.cfg).Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, ep, err, "dropbox revoke: "+tc.field, tc.text, tc.kind, tc.req.Token)
		})
	}
}

// TestRevokeToken: one call for a pair; the refresh token is never left
// alive behind a nil.
func TestRevokeToken(t *testing.T) {
	ctx := context.Background()
	auth := func(tag string) testkit.Answer {
		return dbx(401, `{"error_summary": "`+tag+`/..", "error": {".tag": "`+tag+`"}}`)
	}
	withApp := dropbox.Config{AppKey: appKey, AppSecret: appSecret}
	tests := []struct {
		name     string
		cfg      dropbox.Config
		tok      *oauth2.Token
		answers  []testkit.Answer
		wantKind error // nil: success
		requests []string
	}{
		{"a pair: one call with the access token", dropbox.Config{}, &oauth2.Token{AccessToken: token, RefreshToken: refresh}, []testkit.Answer{revoked}, nil, []string{"Bearer " + token}},
		{"a legacy token", dropbox.Config{}, &oauth2.Token{AccessToken: token}, []testkit.Answer{revoked}, nil, []string{"Bearer " + token}},
		{"an expired legacy token", dropbox.Config{}, &oauth2.Token{AccessToken: token}, []testkit.Answer{auth("expired_access_token")}, nil, []string{"Bearer " + token}},
		{"an expired access token, the refresh token alive, no app key", dropbox.Config{}, &oauth2.Token{AccessToken: token, RefreshToken: refresh}, []testkit.Answer{auth("expired_access_token")}, revoke.ErrUnsupported, []string{"Bearer " + token}},
		{"an expired access token, the refresh token revoked through the app", withApp, &oauth2.Token{AccessToken: token, RefreshToken: refresh}, []testkit.Answer{auth("expired_access_token"), freshAnswer, revoked}, nil,
			[]string{"Bearer " + token, testkit.Basic(appKey, appSecret), "Bearer " + fresh}},
		{"an invalid access token, the refresh token dead too", withApp, &oauth2.Token{AccessToken: token, RefreshToken: refresh}, []testkit.Answer{auth("invalid_access_token"), dbx(400, `{"error":"invalid_grant"}`)}, nil,
			[]string{"Bearer " + token, testkit.Basic(appKey, appSecret)}},
		{"a refresh token alone, through the app", withApp, &oauth2.Token{RefreshToken: refresh}, []testkit.Answer{freshAnswer, revoked}, nil, []string{testkit.Basic(appKey, appSecret), "Bearer " + fresh}},
		{"a refresh token alone, no app key", dropbox.Config{}, &oauth2.Token{RefreshToken: refresh}, nil, revoke.ErrUnsupported, nil},
		{"the access token fails", dropbox.Config{}, &oauth2.Token{AccessToken: token, RefreshToken: refresh}, []testkit.Answer{dbx(500, "")}, revoke.ErrServer, []string{"Bearer " + token}},
		{"nil token", dropbox.Config{}, nil, nil, revoke.ErrInvalidRequest, nil},
		{"empty token", dropbox.Config{}, &oauth2.Token{}, nil, revoke.ErrInvalidRequest, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(append(tc.answers, dbx(500, ""))...)
			err := revoke.RevokeToken(ctx, newRevoker(t, ep, tc.cfg, testkit.FastRetry()), tc.tok)
			if tc.wantKind == nil && err != nil || tc.wantKind != nil && !errors.Is(err, tc.wantKind) {
				t.Fatalf("RevokeToken = %v; want %v", err, tc.wantKind)
			}
			if err != nil {
				testkit.NoLeak(t, "error", err.Error(), token, refresh, fresh, appSecret)
			}
			seen := ep.Requests()
			if len(seen) < len(tc.requests) || (tc.wantKind != revoke.ErrServer && len(seen) != len(tc.requests)) {
				t.Fatalf("%d requests, want %d", len(seen), len(tc.requests))
			}
			for i, authz := range tc.requests {
				testkit.Header(t, seen[i].Header, "Authorization", authz)
			}
		})
	}
	// The error for an expired access token says what to do.
	ep := testkit.NewEndpoint(auth("expired_access_token"))
	err := newRevoker(t, ep, dropbox.Config{}).RevokeToken(ctx, &oauth2.Token{AccessToken: token, RefreshToken: refresh})
	var e *revoke.Error
	if !errors.As(err, &e) || e.Op != "dropbox revoke (refresh token)" || !strings.Contains(e.Description, "(expired_access_token)") || !strings.Contains(e.Description, "Config.AppKey") || e.StatusCode != 401 {
		t.Errorf("error = %#v", err)
	}
}

// TestZeroAndNil: zero values, nil pointers and nil contexts are errors,
// never panics.
func TestZeroAndNil(t *testing.T) {
	var zero dropbox.Revoker
	var nilR *dropbox.Revoker
	var nilCtx context.Context
	ok := newRevoker(t, testkit.NewEndpoint(testkit.Answer{Status: 500}), dropbox.Config{AppKey: appKey})
	for name, call := range map[string]func() error{
		"zero Revoke":      func() error { _, err := zero.Revoke(context.Background(), revoke.Request{Token: token}); return err },
		"nil Revoke":       func() error { _, err := nilR.Revoke(context.Background(), revoke.Request{Token: token}); return err },
		"zero RevokeToken": func() error { return zero.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"nil RevokeToken":  func() error { return nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"nil context":      func() error { _, err := ok.Revoke(nilCtx, revoke.Request{Token: token}); return err },
		"nil context refresh": func() error {
			_, err := ok.Revoke(nilCtx, revoke.Request{Token: refresh, Hint: revoke.HintRefreshToken})
			return err
		},
		"nil context pair": func() error { return ok.RevokeToken(nilCtx, &oauth2.Token{AccessToken: token, RefreshToken: refresh}) },
	} {
		err := call()
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %T %v; want a ConfigError matching ErrInvalidRequest", name, err, err)
		}
	}
	if nilR.Endpoint() != "" || nilR.TokenEndpoint() != "" || nilR.AppKey() != "" || zero.Endpoint() != "" {
		t.Error("zero values report settings")
	}
	if _, ok := dropbox.Details(nil); ok {
		t.Error("Details(nil)")
	}
}

// TestPrinting prints every exported type that can hold a secret, with
// every verb, as JSON and through slog.
func TestPrinting(t *testing.T) {
	const password = "hunter2-password"
	cfg := dropbox.Config{BaseURL: "https://u:" + password + "@api.dropboxapi.com", AppKey: appKey, AppSecret: appSecret}
	r, err := dropbox.New(dropbox.Config{AppKey: appKey, AppSecret: appSecret})
	if err != nil {
		t.Fatal(err)
	}
	pkce, err := dropbox.New(dropbox.Config{AppKey: appKey})
	if err != nil {
		t.Fatal(err)
	}
	fake := dropboxtest.New()
	fake.AddApp(appKey, appSecret)
	pair := fake.Issue(appKey, "dbid:1")
	var nilR *dropbox.Revoker
	var nilCfg *dropbox.Config
	var nilFake *dropboxtest.Server
	basic := strings.TrimPrefix(testkit.Basic(appKey, appSecret), "Basic ")
	for _, v := range []any{cfg, &cfg, r, *r, pkce, dropbox.Config{}, dropbox.Revoker{}, nilR, nilCfg, struct{ R dropbox.Revoker }{*r}, fake, nilFake, &dropboxtest.Server{}} {
		got := testkit.PrintAll(v)
		testkit.NoLeak(t, fmt.Sprintf("%T", v), got, password, appSecret, basic, pair.AccessToken, pair.RefreshToken)
	}
	testkit.Want(t, "%+v", fmt.Sprintf("%+v", cfg), `{BaseURL:"https://[REDACTED]@api.dropboxapi.com" AppKey:"`+appKey+`" AppSecret:[REDACTED]}`)
	testkit.Want(t, "%#v", fmt.Sprintf("%#v", r), `dropbox.Revoker{Endpoint:"https://api.dropboxapi.com/2/auth/token/revoke", TokenEndpoint:"https://api.dropboxapi.com/oauth2/token", AppKey:"`+appKey+`", AppSecret:[REDACTED]}`)
	testkit.Want(t, "%v pkce", fmt.Sprintf("%v", pkce), `{"https://api.dropboxapi.com/2/auth/token/revoke" "https://api.dropboxapi.com/oauth2/token" "`+appKey+`" ""}`)
	b, _ := json.Marshal(cfg)
	testkit.Want(t, "JSON", string(b), `{"base_url":"https://[REDACTED]@api.dropboxapi.com","app_key":"`+appKey+`","app_secret":"[REDACTED]"}`)
}
