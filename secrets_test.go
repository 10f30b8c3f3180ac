package revoke_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	tokenValue  = "tok-SECRET-3f9a81"
	secretValue = "p@ss:w+rd%/= x"
)

// printAll renders v with every verb a careless caller might use.
func printAll(v any) string { return testkit.PrintAll(v) }

func TestSecretReveal(t *testing.T) {
	s := revoke.Secret(tokenValue)
	if s.Reveal() != tokenValue || s.String() != revoke.Redacted || revoke.Secret("").String() != "" {
		t.Errorf("Reveal=%q String=%q", s.Reveal(), s.String())
	}
	if got := fmt.Sprintf("%#v", revoke.Request{Token: tokenValue, Hint: "access_token"}); got != `revoke.Request{Token:[REDACTED], Hint:"access_token", Params:[]}` {
		t.Errorf("%%#v = %s", got)
	}
}

// TestErrorsAndLogsCarryNoSecret drives failures through the pipeline with a
// logger attached, against servers that echo the secret or the token back,
// and checks every error string, every print of the error and the log.
func TestErrorsAndLogsCarryNoSecret(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	const hmacSecret = secretValue + "-long-enough-for-hmac-256-bits"
	auths := []struct {
		auth   revoke.ClientAuth
		secret string // what the auth must never reveal ("" for a key)
	}{
		{revoke.ClientSecretBasic("client", secretValue), secretValue},
		{revoke.ClientSecretBasicRaw("client", secretValue), secretValue},
		{revoke.ClientSecretPost("client", secretValue), secretValue},
		{revoke.ClientSecretJWT("client", hmacSecret), hmacSecret},
		{revoke.PrivateKeyJWT("client", key), ""},
	}
	for _, a := range auths {
		bodies := []struct {
			status int
			body   string
		}{
			{401, `{"error":"invalid_client","error_description":"bad secret ` + a.secret + `"}`},
			{401, `{"error":"invalid_client","error_description":"bad header {AUTHZ} / {CRED}"}`},
			{400, `<html>token ` + tokenValue + ` not accepted</html>`},
			{503, `{"error":"temporarily_unavailable","error_description":"try later"}`},
			{302, ``},
		}
		for _, b := range bodies {
			var logs bytes.Buffer
			mt := httpmock.NewMockTransport()
			var assertions, secretsSent []string
			mt.RegisterResponder(http.MethodPost, "https://as.example.com/revoke?q=1", func(r *http.Request) (*http.Response, error) {
				raw, _ := io.ReadAll(r.Body)
				f, _ := url.ParseQuery(string(raw))
				if v := f.Get("client_assertion"); v != "" {
					assertions = append(assertions, v)
				}
				authz := r.Header.Get("Authorization")
				if authz != "" {
					secretsSent = append(secretsSent, authz, strings.TrimPrefix(authz, "Basic "))
				}
				body := strings.NewReplacer("{AUTHZ}", authz, "{CRED}", strings.TrimPrefix(authz, "Basic ")).Replace(b.body)
				resp := httpmock.NewStringResponse(b.status, body)
				resp.Header.Set("Location", "https://elsewhere.example.net/x?token="+tokenValue)
				return resp, nil
			})
			r, err := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke?q=1", Auth: a.auth},
				revoke.WithHTTPClient(&http.Client{Transport: mt}),
				revoke.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: tokenValue})
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("status %d: err = %v (%T), want *revoke.Error", b.status, err, err)
			}
			if logs.Len() == 0 {
				t.Fatal("logger received nothing")
			}
			secrets := append(append([]string{tokenValue, "q=1"}, assertions...), secretsSent...)
			if a.secret != "" {
				secrets = append(secrets, a.secret)
			}
			for _, where := range []string{err.Error(), printAll(err), printAll(e), logs.String()} {
				for _, s := range secrets {
					if strings.Contains(where, s) {
						t.Errorf("status %d, %s: leaks %q in %s", b.status, a.auth.Method(), s, where)
					}
				}
			}
		}
	}
}

// TestNoLoggingByDefault: without WithLogger nothing is written anywhere we
// can observe (go-retryablehttp would log to stderr by default).
func TestNoLoggingByDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer slog.SetDefault(old)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodPost, "https://as.example.com/revoke", httpmock.NewStringResponder(503, ""))
	r, _ := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke", Auth: revoke.PublicClient("spa")},
		revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond}))
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: tokenValue}); !errors.Is(err, revoke.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("default logger received: %s", buf.String())
	}
}

func TestRevokeToken(t *testing.T) {
	type call struct {
		token string
		hint  revoke.TokenTypeHint
	}
	fail := errors.New("boom")
	tests := []struct {
		name      string
		tok       *oauth2Token
		failOn    string
		wantCalls []call
		wantErr   string
	}{
		{"both tokens, refresh first", &oauth2Token{"at", "rt"}, "", []call{{"rt", revoke.HintRefreshToken}, {"at", revoke.HintAccessToken}}, ""},
		{"access attempted after refresh fails", &oauth2Token{"at", "rt"}, "rt", []call{{"rt", revoke.HintRefreshToken}, {"at", revoke.HintAccessToken}}, "boom"},
		{"both fail, both reported", &oauth2Token{"at", "rt"}, "*", []call{{"rt", revoke.HintRefreshToken}, {"at", revoke.HintAccessToken}}, "boom\nboom"},
		{"access only", &oauth2Token{"at", ""}, "", []call{{"at", revoke.HintAccessToken}}, ""},
		{"refresh only", &oauth2Token{"", "rt"}, "", []call{{"rt", revoke.HintRefreshToken}}, ""},
		{"empty token", &oauth2Token{"", ""}, "", nil, "neither an access token nor a refresh token"},
		{"nil token", nil, "", nil, "token: is nil"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []call
			r := revoke.RevokerFunc(func(_ context.Context, req revoke.Request) (*revoke.Result, error) {
				calls = append(calls, call{req.Token, req.Hint})
				if tc.failOn == "*" || tc.failOn == req.Token {
					return nil, fail
				}
				return &revoke.Result{StatusCode: 200, Attempts: 1}, nil
			})
			err := revoke.RevokeToken(context.Background(), r, tc.tok.toOAuth2())
			if fmt.Sprint(calls) != fmt.Sprint(tc.wantCalls) {
				t.Errorf("calls = %v, want %v", calls, tc.wantCalls)
			}
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			if tc.failOn != "" && !errors.Is(err, fail) {
				t.Errorf("errors.Is(err, fail) = false for %v", err)
			}
		})
	}
	if err := revoke.RevokeToken(context.Background(), nil, (&oauth2Token{"a", ""}).toOAuth2()); err == nil || !strings.Contains(err.Error(), "Revoker: is nil") || !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil revoker: %v", err)
	}
}

func TestErrorIsAndUnwrap(t *testing.T) {
	e := &revoke.Error{Kind: revoke.ErrInvalidClient, StatusCode: 400, Code: "invalid_client", Op: "revoke", Endpoint: "https://as/revoke", Attempts: 2, RequestID: "req-1", Err: context.DeadlineExceeded}
	if !errors.Is(e, revoke.ErrInvalidClient) || errors.Is(e, revoke.ErrInvalidRequest) || !errors.Is(e, context.DeadlineExceeded) {
		t.Error("Is/Unwrap mismatch")
	}
	want := "revoke: invalid client: revoke https://as/revoke: HTTP 400: invalid_client (after 2 attempts) [request id req-1]: context deadline exceeded"
	if e.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", e.Error(), want)
	}
	if !(&revoke.Error{Kind: revoke.ErrRateLimited}).Temporary() || (&revoke.Error{Kind: revoke.ErrInvalidClient}).Temporary() {
		t.Error("Temporary mismatch")
	}
}
