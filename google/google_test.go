package google_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/internal/testkit"
)

// token is a Google-shaped token: '/' is form-encoded on the wire.
const token = "1//0gSECRET-refresh_token-value"

func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg google.Config, opts ...revoke.Option) *google.Revoker {
	t.Helper()
	return testkit.Build(t, google.New, cfg, ep.Options(opts...)...)
}

// TestWire asserts the exact request for each endpoint and hint: method,
// URL, every header (no Authorization), and the form body byte for byte,
// against testdata/wire.txt. Hints are never sent.
func TestWire(t *testing.T) {
	var golden testkit.Transcript
	for _, ep := range []struct{ name, endpoint, want string }{
		{"default endpoint", "", "https://oauth2.googleapis.com/revoke"},
		{"legacy endpoint", google.LegacyEndpoint, "https://accounts.google.com/o/oauth2/revoke"},
		{"loopback proxy", "http://127.0.0.1:8080/google/revoke", "http://127.0.0.1:8080/google/revoke"},
	} {
		for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken} {
			name := fmt.Sprintf("%s | %s", ep.name, testkit.HintName(hint))
			t.Run(name, func(t *testing.T) {
				e := testkit.NewEndpoint(testkit.JSONAnswer(200, `{}`))
				r := newRevoker(t, e, google.Config{Endpoint: ep.endpoint})
				testkit.Want(t, "Endpoint()", r.Endpoint(), ep.want)
				res, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: hint})
				if err != nil {
					t.Fatal(err)
				}
				if res.StatusCode != 200 || res.AlreadyInvalid || res.Attempts != 1 {
					t.Errorf("result = %+v", res)
				}
				s := e.Only(t)
				testkit.Want(t, "method", s.Method, http.MethodPost)
				testkit.Want(t, "URL", s.URL.String(), ep.want)
				testkit.Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
				testkit.Header(t, s.Header, "Accept", "application/json")
				testkit.Header(t, s.Header, "Authorization", "")
				testkit.Want(t, "body", string(s.Body), "token="+url.QueryEscape(token))
				golden.Add(name, testkit.Render(s))
			})
		}
	}
	golden.Check(t, "wire.txt")
}

// TestAnswers: what each of Google's answers means.
func TestAnswers(t *testing.T) {
	jsonHdr := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	tests := []struct {
		name        string
		answer      testkit.Answer
		wantInvalid bool
		wantKind    error
		wantCode    string
		wantDesc    string
	}{
		{"200", testkit.Answer{Status: 200}, false, nil, "", ""},
		{"400 invalid_token: already invalid", testkit.Answer{Status: 400, Header: jsonHdr, Body: testkit.Golden(t, "revoke-400-invalid-token.json")}, true, nil, "", ""},
		{"400 invalid_token, other text", testkit.JSONAnswer(400, `{"error":"invalid_token","error_description":"Invalid Value"}`), true, nil, "", ""},
		{"400 invalid_request", testkit.Answer{Status: 400, Header: jsonHdr, Body: testkit.Golden(t, "revoke-400-invalid-request.json")}, false, revoke.ErrInvalidRequest, "invalid_request", "Bad Request"},
		{"400 unsupported_token_type", testkit.JSONAnswer(400, `{"error":"unsupported_token_type"}`), false, revoke.ErrUnsupportedTokenType, "unsupported_token_type", ""},
		{"401 invalid_token is not a 400", testkit.JSONAnswer(401, `{"error":"invalid_token"}`), false, revoke.ErrInvalidToken, "invalid_token", ""},
		{"400 HTML", testkit.Answer{Status: 400, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html>Error 400 (Bad Request)</html>"}, false, revoke.ErrInvalidRequest, "", ""},
		{"500", testkit.Answer{Status: 500}, false, revoke.ErrServer, "", ""},
		{"429", testkit.Answer{Status: 429, Header: http.Header{"Retry-After": {"120"}}}, false, revoke.ErrRateLimited, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := testkit.NewEndpoint(tc.answer)
			r := newRevoker(t, e, google.Config{})
			res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
			if tc.wantKind == nil {
				if err != nil || res.AlreadyInvalid != tc.wantInvalid || res.StatusCode != tc.answer.Status {
					t.Errorf("Revoke = %+v, %v; want success, AlreadyInvalid %v", res, err, tc.wantInvalid)
				}
				return
			}
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, tc.wantKind) || re.Code != tc.wantCode || re.Description != tc.wantDesc || re.Op != "google revoke" {
				t.Errorf("err = %v; want %v %q %q", err, tc.wantKind, tc.wantCode, tc.wantDesc)
			}
			testkit.NoLeak(t, "error", fmt.Sprint(err), token)
		})
	}
}

// TestRequestRefusals: hints other than access_token and refresh_token,
// any Params and bad tokens are refused before sending.
func TestRequestRefusals(t *testing.T) {
	tests := []struct {
		name      string
		req       revoke.Request
		wantField string
		wantText  string
	}{
		{"device_secret", revoke.Request{Token: token, Hint: revoke.HintDeviceSecret}, "google revoke: Request.Hint", "access_token, refresh_token"},
		{"id_token", revoke.Request{Token: token, Hint: "id_token"}, "google revoke: Request.Hint", "not a token_type_hint this vendor documents"},
		{"Params", revoke.Request{Token: token, Params: url.Values{"client_id": {"x"}}}, "google revoke: Request.Params", ""},
		{"harmless Params", revoke.Request{Token: token, Params: url.Values{"foo": {"x"}}}, "google revoke: Request.Params", "takes no parameters"},
		{"empty token", revoke.Request{}, "google revoke: Request.Token", "is empty"},
		{"short token", revoke.Request{Token: "ya29.a"}, "google revoke: Request.Token", "shorter than"},
		{"token with a newline", revoke.Request{Token: token + "\n"}, "google revoke: Request.Token", "white space"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := testkit.NewEndpoint()
			r := newRevoker(t, e, google.Config{})
			_, err := r.Revoke(context.Background(), tc.req)
			testkit.WantRefused(t, e, err, tc.wantField, tc.wantText, revoke.ErrInvalidRequest, token)
		})
	}
}

// TestRevokeToken: one call ends the grant: the refresh token when there
// is one, else the access token; an answer that the token was already
// invalid is success.
func TestRevokeToken(t *testing.T) {
	tests := []struct {
		name     string
		tok      *oauth2.Token
		answer   testkit.Answer
		wantSent []string
		wantKind error
	}{
		{"both tokens", &oauth2.Token{AccessToken: "ya29.access-token", RefreshToken: token}, testkit.Answer{Status: 200}, []string{token}, nil},
		{"access token only", &oauth2.Token{AccessToken: "ya29.access-token"}, testkit.Answer{Status: 200}, []string{"ya29.access-token"}, nil},
		{"already revoked", &oauth2.Token{AccessToken: "ya29.access-token", RefreshToken: token}, testkit.JSONAnswer(400, `{"error":"invalid_token","error_description":"Token expired or revoked"}`), []string{token}, nil},
		{"empty", &oauth2.Token{}, testkit.Answer{Status: 200}, nil, revoke.ErrInvalidRequest},
		{"nil", nil, testkit.Answer{Status: 200}, nil, revoke.ErrInvalidRequest},
	}
	for _, tc := range tests {
		for _, via := range []string{"method", "revoke.RevokeToken"} {
			t.Run(tc.name+" via "+via, func(t *testing.T) {
				e := testkit.NewEndpoint(tc.answer)
				r := newRevoker(t, e, google.Config{})
				var err error
				if via == "method" {
					err = r.RevokeToken(context.Background(), tc.tok)
				} else {
					err = revoke.RevokeToken(context.Background(), r, tc.tok)
				}
				if tc.wantKind == nil && err != nil || tc.wantKind != nil && !errors.Is(err, tc.wantKind) {
					t.Errorf("err = %v, want %v", err, tc.wantKind)
				}
				var sent []string
				for _, s := range e.Requests() {
					sent = append(sent, s.Form(t).Get("token"))
				}
				testkit.Want(t, "sent", fmt.Sprint(sent), fmt.Sprint(tc.wantSent))
			})
		}
	}
}

// TestNewBadInput: the only setting is the endpoint; its mistakes are
// refused at New without repeating a password.
func TestNewBadInput(t *testing.T) {
	const password = "proxy-password-1"
	tests := []struct {
		name, endpoint, wantText string
		wantKind                 error
	}{
		{"user info", "https://u:" + password + "@proxy.example.com/revoke", "user info", nil},
		{"plain http", "http://proxy.example.com/revoke", "clear text", revoke.ErrInsecureEndpoint},
		{"relative", "/revoke", "not absolute", nil},
		{"no scheme", "oauth2.googleapis.com/revoke", "not absolute", nil},
		{"query", "https://oauth2.googleapis.com/revoke?token=" + password, "has a query", nil},
		{"fragment", "https://oauth2.googleapis.com/revoke#x", "fragment", nil},
		{"white space", " https://oauth2.googleapis.com/revoke", "white space", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := google.New(google.Config{Endpoint: tc.endpoint})
			testkit.WantConfigError(t, err, "google.Config.Endpoint", tc.wantText, tc.wantKind, password)
		})
	}
	if _, err := google.New(google.Config{}, revoke.WithTimeout(-1)); err == nil {
		t.Error("a bad option was accepted")
	}
	if r, err := google.New(google.Config{Endpoint: "http://proxy.internal/revoke"}, revoke.WithInsecureHTTP()); err != nil || r.Endpoint() != "http://proxy.internal/revoke" {
		t.Errorf("WithInsecureHTTP: %v, %v", r, err)
	}
}

// TestNilContextAndZeroValues: nothing panics and every misuse is a
// *revoke.ConfigError.
func TestNilContextAndZeroValues(t *testing.T) {
	e := testkit.NewEndpoint()
	r := newRevoker(t, e, google.Config{})
	testkit.Misuse(t, r, e, revoke.Request{Token: token})
	var nilCtx context.Context
	var zero google.Revoker
	var nilR *google.Revoker
	for name, call := range map[string]func() error{
		"nil RevokeToken":     func() error { return nilR.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"zero RevokeToken":    func() error { return zero.RevokeToken(context.Background(), &oauth2.Token{AccessToken: token}) },
		"nil ctx RevokeToken": func() error { return r.RevokeToken(nilCtx, &oauth2.Token{AccessToken: token}) },
	} {
		var ce *revoke.ConfigError
		if err := call(); !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if len(e.Requests()) != 0 || zero.Endpoint() != "" || nilR.Endpoint() != "" {
		t.Error("zero values misbehave")
	}
}

// TestPrinting: every value prints without panicking or repeating what a
// configured endpoint holds in its user info or query.
func TestPrinting(t *testing.T) {
	const password = "proxy-password-1"
	r, err := google.New(google.Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := google.Config{Endpoint: "https://u:" + password + "@proxy.example.com/revoke?k=" + password}
	var nilCfg *google.Config
	var nilR *google.Revoker
	testkit.PrintsNoSecret(t, map[string]any{
		"Config": cfg, "*Config": &cfg, "zero Config": google.Config{}, "nil *Config": nilCfg,
		"Revoker": *r, "*Revoker": r, "zero Revoker": google.Revoker{}, "nil *Revoker": nilR,
	}, password)
	testkit.Want(t, "%+v", fmt.Sprintf("%+v", r), `{Endpoint:"https://oauth2.googleapis.com/revoke"}`)
	testkit.Want(t, "%v of cfg", fmt.Sprintf("%v", cfg), `{"https://[REDACTED]@proxy.example.com/revoke?[REDACTED]"}`)
}
