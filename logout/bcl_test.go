package logout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestBackChannelLogout(t *testing.T) {
	k := keys(t)
	now := time.Now()
	good := func() map[string]any { return bclClaims(now) }
	typed := map[jose.HeaderKey]any{jose.HeaderType: "logout+jwt"}
	signed := func(key testKey, c map[string]any, hdr map[jose.HeaderKey]any) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request { return bclRequest(sign(t, key, c, hdr)) }
	}
	const sub, sid = "248289761001", "08a5019c-17e1-4977-8f42-65a12843ea02"
	type want struct {
		subject Subject
		sid     string
	}

	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		reason string // the logged refusal reason
		called *want  // nil: the callback must not be called
	}{
		// Accepted.
		{name: "sub and sid", req: signed(k.rsa1, good(), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "sub only", req: signed(k.rsa1, with(good(), "sid", nil), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, ""}},
		{name: "sid only", req: signed(k.rsa1, with(good(), "sub", nil), typed), status: 200,
			called: &want{Subject{}, sid}},
		{name: "no typ header", req: signed(k.rsa1, good(), nil), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "typ application/logout+jwt", req: signed(k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: "application/logout+jwt"}), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "typ JWT (Keycloak)", req: signed(k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: "JWT"}), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "aud array with the client_id", req: signed(k.es256, with(good(), "aud", []string{"other-client", testClientID}), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "event value with members", req: signed(k.ed, with(good(), "events", map[string]any{BackChannelLogoutEvent: map[string]any{"x": 1}}), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "other events alongside", req: signed(k.ps, with(good(), "events", map[string]any{
			BackChannelLogoutEvent: map[string]any{}, "https://schemas.openid.net/secevent/caep/event-type/session-revoked": map[string]any{}}), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},
		{name: "ES512", req: signed(k.es512, good(), typed), status: 200,
			called: &want{Subject{Format: FormatIssSub, Iss: testIssuer, Sub: sub}, sid}},

		// 405
		{name: "GET", req: func(t *testing.T) *http.Request {
			r := bclRequest(sign(t, k.rsa1, good(), typed))
			r.Method = http.MethodGet
			return r
		}, status: 405, reason: "method GET"},

		// 400: the request.
		{name: "wrong content type (JSON)", req: func(t *testing.T) *http.Request {
			r := bclRequest(sign(t, k.rsa1, good(), typed))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, status: 400, reason: "wrong content type"},
		{name: "no logout_token", req: func(t *testing.T) *http.Request {
			r := bclRequest("")
			r.Body = http.NoBody
			r.ContentLength = 0
			return r
		}, status: 400, reason: "not exactly one logout_token"},
		{name: "two logout_tokens", req: func(t *testing.T) *http.Request {
			tok := sign(t, k.rsa1, good(), typed)
			form := url.Values{"logout_token": {tok, tok}}.Encode()
			r := bclRequest("")
			r.Body = http.NoBody
			r2, _ := http.NewRequest(http.MethodPost, r.URL.String(), strings.NewReader(form))
			r2.Header = r.Header
			return r2
		}, status: 400, reason: "not exactly one logout_token"},
		{name: "token in the query only", req: func(t *testing.T) *http.Request {
			r, _ := http.NewRequest(http.MethodPost, "https://app.example.com/bcl?logout_token="+sign(t, k.rsa1, good(), typed), strings.NewReader(""))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, status: 400, reason: "not exactly one logout_token"},
		{name: "body over 64 KiB", req: func(t *testing.T) *http.Request {
			return bclRequest(sign(t, k.rsa1, with(good(), "pad", strings.Repeat("a", MaxBodyBytes)), typed))
		}, status: 400, reason: "body too large"},

		// 400: the logout token.
		{name: "empty token", req: func(*testing.T) *http.Request { return bclRequest("") }, status: 400, reason: "no token"},
		{name: "not a JWT", req: func(*testing.T) *http.Request { return bclRequest("not-a-jwt") }, status: 400, reason: "malformed JWT"},
		{name: "alg none", req: func(t *testing.T) *http.Request { return bclRequest(unsigned(t, "rsa1", good())) }, status: 400, reason: "signature algorithm not allowed"},
		{name: "HS256 with the RSA public key PEM as secret", req: func(t *testing.T) *http.Request {
			return bclRequest(signHMAC(t, rsaPublicPEM(t, k.rsa1), "rsa1", good()))
		}, status: 400, reason: "signature algorithm not allowed"},
		{name: "HS256 with the RSA public key DER as secret", req: func(t *testing.T) *http.Request {
			return bclRequest(signHMAC(t, rsaPublicDER(t, k.rsa1), "rsa1", good()))
		}, status: 400, reason: "signature algorithm not allowed"},
		{name: "wrong signature", req: signed(k.rsa2.withKID("rsa1"), good(), typed), status: 400, reason: "signature does not verify"},
		{name: "typ at+jwt", req: signed(k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: "at+jwt"}), status: 400, reason: "typ is neither logout+jwt nor JWT"},
		{name: "typ secevent+jwt", req: signed(k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: "secevent+jwt"}), status: 400, reason: "typ is neither logout+jwt nor JWT"},
		{name: "typ not a string", req: signed(k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: 7}), status: 400, reason: "typ is neither logout+jwt nor JWT"},
		{name: "wrong issuer", req: signed(k.rsa1, with(good(), "iss", otherIssuer), typed), status: 400, reason: "iss is not a configured issuer"},
		{name: "wrong audience", req: signed(k.rsa1, with(good(), "aud", "another-client"), typed), status: 400, reason: "aud does not contain"},
		{name: "expired", req: signed(k.rsa1, with(good(), "iat", now.Add(-10*time.Minute).Unix(), "exp", now.Add(-time.Minute).Unix()), typed), status: 400, reason: "expired"},
		{name: "exp missing", req: signed(k.rsa1, with(good(), "exp", nil), typed), status: 400, reason: "exp missing"},
		{name: "iat in the future", req: signed(k.rsa1, with(good(), "iat", now.Add(time.Minute).Unix()), typed), status: 400, reason: "iat in the future"},
		{name: "iat missing", req: signed(k.rsa1, with(good(), "iat", nil), typed), status: 400, reason: "iat missing"},
		{name: "jti missing", req: signed(k.rsa1, with(good(), "jti", nil), typed), status: 400, reason: "jti missing"},
		{name: "events missing", req: signed(k.rsa1, with(good(), "events", nil), typed), status: 400, reason: "events missing"},
		{name: "events as an array (old drafts)", req: signed(k.rsa1, with(good(), "events", []string{BackChannelLogoutEvent}), typed), status: 400, reason: "events is not a JSON object"},
		{name: "events without the logout event", req: signed(k.rsa1, with(good(), "events", map[string]any{"http://schemas.openid.net/event/other": map[string]any{}}), typed), status: 400, reason: "events lacks the back-channel logout event"},
		{name: "logout event not an object", req: signed(k.rsa1, with(good(), "events", map[string]any{BackChannelLogoutEvent: true}), typed), status: 400, reason: "the back-channel logout event is not a JSON object"},
		{name: "logout event null", req: signed(k.rsa1, with(good(), "events", map[string]any{BackChannelLogoutEvent: nil}), typed), status: 400, reason: "the back-channel logout event is not a JSON object"},
		{name: "nonce present", req: signed(k.rsa1, with(good(), "nonce", "n-0S6_WzA2Mj"), typed), status: 400, reason: "nonce present"},
		{name: "neither sub nor sid", req: signed(k.rsa1, with(good(), "sub", nil, "sid", nil), typed), status: 400, reason: "neither sub nor sid"},
		{name: "sub empty", req: signed(k.rsa1, with(good(), "sub", "", "sid", nil), typed), status: 400, reason: "sub is not a non-empty string"},
		{name: "sub a number", req: signed(k.rsa1, with(good(), "sub", 248289761001), typed), status: 400, reason: "sub is not a non-empty string"},
		{name: "sid a number", req: signed(k.rsa1, with(good(), "sid", 8), typed), status: 400, reason: "sid is not a non-empty string"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rec, logs := newBCL(t, nil)
			w := serve(h, tc.req(t))
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s; log %s", w.Code, tc.status, w.Body, logs)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if tc.reason != "" && !strings.Contains(logs.String(), `"reason":"`+tc.reason) {
				t.Errorf("logged reason is not %q:\n%s", tc.reason, logs)
			}
			calls := rec.calls()
			if tc.called == nil {
				if len(calls) != 0 {
					t.Fatalf("callback called %d times, want none", len(calls))
				}
				if tc.status == 405 && w.Header().Get("Allow") != "POST" {
					t.Errorf("Allow = %q, want POST", w.Header().Get("Allow"))
				}
				var body errorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error != "invalid_request" || body.Description == "" {
					t.Errorf("body %q, want {\"error\":\"invalid_request\",\"error_description\":...}", w.Body)
				}
				if w.Header().Get("Content-Type") != "application/json" {
					t.Errorf("Content-Type = %q", w.Header().Get("Content-Type"))
				}
				return
			}
			if w.Body.Len() != 0 {
				t.Errorf("200 with a body: %q", w.Body)
			}
			if len(calls) != 1 {
				t.Fatalf("callback called %d times, want 1", len(calls))
			}
			e := calls[0]
			if e.Subject != tc.called.subject || e.SessionID != tc.called.sid {
				t.Errorf("subject %+v sid %q, want %+v %q", e.Subject, e.SessionID, tc.called.subject, tc.called.sid)
			}
			if e.Kind != BackChannelLogout || e.Issuer != testIssuer || e.JWTID == "" || e.IssuedAt.Unix() != now.Unix() {
				t.Errorf("event = %+v", e)
			}
		})
	}
}

func TestBackChannelLogoutReplay(t *testing.T) {
	k := keys(t)
	h, rec, logs := newBCL(t, nil)
	tok := sign(t, k.rsa1, bclClaims(time.Now()), nil)
	if w := serve(h, bclRequest(tok)); w.Code != 200 {
		t.Fatalf("first: status %d", w.Code)
	}
	w := serve(h, bclRequest(tok))
	if w.Code != 400 || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("replay: status %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
	if !strings.Contains(logs.String(), `"reason":"jti replayed"`) {
		t.Fatalf("log: %s", logs)
	}
	if n := len(rec.calls()); n != 1 {
		t.Fatalf("callback called %d times, want 1", n)
	}
}

func TestBackChannelLogoutCallbackErrors(t *testing.T) {
	k := keys(t)
	tests := []struct {
		name   string
		ret    func(ctx context.Context, e Event) error
		status int
		code   string
	}{
		{"no session here is a logout", func(context.Context, Event) error { return ErrUnknownSubject }, 200, ""},
		{"cannot revoke", func(context.Context, Event) error { return fmt.Errorf("x: %w", ErrCannotRevoke) }, 400, "logout_failed"},
		{"forbidden", func(context.Context, Event) error { return ErrForbidden }, 400, "logout_failed"},
		{"other error", func(context.Context, Event) error { return errors.New("session store hunter2 down") }, 500, "server_error"},
		{"deadline", func(ctx context.Context, _ Event) error { <-ctx.Done(); return ctx.Err() }, 503, "temporarily_unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rec, _ := newBCL(t, func(c *Config) { c.CallbackTimeout = 50 * time.Millisecond })
			rec.ret = tc.ret
			w := serve(h, bclRequest(sign(t, k.rsa1, bclClaims(time.Now()), nil)))
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("Cache-Control %q", w.Header().Get("Cache-Control"))
			}
			if tc.code == "" {
				if w.Body.Len() != 0 {
					t.Fatalf("body %q, want empty", w.Body)
				}
				return
			}
			var body errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error != tc.code {
				t.Fatalf("body %q, want error %q", w.Body, tc.code)
			}
			if strings.Contains(w.Body.String(), "hunter2") {
				t.Fatalf("callback error echoed: %q", w.Body)
			}
		})
	}
}

// A callback that ignores its context: the handler still answers at the
// deadline.
func TestBackChannelLogoutCallbackDeadline(t *testing.T) {
	k := keys(t)
	release := make(chan struct{})
	defer close(release)
	h, rec, _ := newBCL(t, func(c *Config) { c.CallbackTimeout = 100 * time.Millisecond })
	rec.ret = func(ctx context.Context, _ Event) error { <-release; return nil }
	done := make(chan int, 1)
	go func() { done <- serve(h, bclRequest(sign(t, k.rsa1, bclClaims(time.Now()), nil))).Code }()
	select {
	case code := <-done:
		if code != 503 {
			t.Fatalf("status %d, want 503", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler hangs on a callback that ignores its context")
	}
}
