package logout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

func TestGlobalTokenRevocation(t *testing.T) {
	k := keys(t)
	now := time.Now()
	good := func() map[string]any { return gtrClaims(now) }
	bearer := func(tok string) func(t *testing.T) *http.Request {
		return func(*testing.T) *http.Request { return gtrRequest(tok, emailBody) }
	}
	signed := func(key testKey, c map[string]any) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request { return gtrRequest(sign(t, key, c, nil), emailBody) }
	}
	withBody := func(body string) func(t *testing.T) *http.Request {
		return func(t *testing.T) *http.Request { return gtrRequest(sign(t, k.rsa1, good(), nil), body) }
	}
	invalidToken := map[string]string{"WWW-Authenticate": `Bearer error="invalid_token"`}

	tests := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		status  int
		headers map[string]string
		subject *Subject // the callback's subject; nil: not called
	}{
		// Accepted: every subject format and every algorithm family.
		{name: "email", req: signed(k.rsa1, good()), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "opaque", req: func(t *testing.T) *http.Request {
			return gtrRequest(sign(t, k.rsa1, good(), nil), `{"sub_id":{"format":"opaque","id":"e193177dfdc52e3dd03f78c"}}`)
		}, status: 204, subject: &Subject{Format: FormatOpaque, ID: "e193177dfdc52e3dd03f78c"}},
		{name: "iss_sub of the caller", req: func(t *testing.T) *http.Request {
			return gtrRequest(sign(t, k.rsa1, good(), nil), `{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"af19c476f1dc4470fa3d0d9a25"}}`)
		}, status: 204, subject: &Subject{Format: FormatIssSub, Iss: testIssuer, Sub: "af19c476f1dc4470fa3d0d9a25"}},
		{name: "extra top-level members ignored", req: withBody(`{"sub_id":{"format":"email","email":"user@example.com"},"reason":"offboarding"}`), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "RS512", req: signed(k.rsa3, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "PS256", req: signed(k.ps, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "ES256", req: signed(k.es256, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "ES384", req: signed(k.es384, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "ES512", req: signed(k.es512, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "EdDSA", req: signed(k.ed, good()), status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "no kid: each key of the type is tried", req: signed(k.es256.withKID(""), good()), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "aud array containing the endpoint", req: signed(k.rsa1, with(good(), "aud", []string{"https://other.example.com", testAudience})), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "lifetime exactly 5 minutes", req: signed(k.rsa1, with(good(), "exp", now.Add(5*time.Minute).Unix())), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "expired within the skew", req: signed(k.rsa1, with(good(), "iat", now.Add(-2*time.Minute).Unix(), "exp", now.Add(-20*time.Second).Unix())), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "iat ahead within the skew", req: signed(k.rsa1, with(good(), "iat", now.Add(20*time.Second).Unix())), status: 204,
			subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "content type with charset", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), emailBody)
			r.Header.Set("Content-Type", "application/json; charset=utf-8")
			return r
		}, status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},
		{name: "bearer scheme in lower case", req: func(t *testing.T) *http.Request {
			r := gtrRequest("", emailBody)
			r.Header.Set("Authorization", "bearer "+sign(t, k.rsa1, good(), nil))
			return r
		}, status: 204, subject: &Subject{Format: FormatEmail, Email: "user@example.com"}},

		// 405
		{name: "GET", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), "")
			r.Method = http.MethodGet
			return r
		}, status: 405, headers: map[string]string{"Allow": "POST"}},
		{name: "PUT", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), emailBody)
			r.Method = http.MethodPut
			return r
		}, status: 405, headers: map[string]string{"Allow": "POST"}},

		// 401: authentication.
		{name: "no Authorization", req: bearer(""), status: 401, headers: map[string]string{"WWW-Authenticate": "Bearer"}},
		{name: "Basic scheme", req: func(*testing.T) *http.Request {
			r := gtrRequest("", emailBody)
			r.SetBasicAuth("client", "secret")
			return r
		}, status: 401, headers: map[string]string{"WWW-Authenticate": "Bearer"}},
		{name: "two Authorization headers", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), emailBody)
			r.Header.Add("Authorization", "Bearer x")
			return r
		}, status: 401},
		{name: "not a JWT", req: bearer("f5641763544a7b24b08e4f74045"), status: 401, headers: invalidToken},
		{name: "alg none", req: func(t *testing.T) *http.Request { return gtrRequest(unsigned(t, "rsa1", good()), emailBody) }, status: 401, headers: invalidToken},
		{name: "HS256 with the RSA public key PEM as secret", req: func(t *testing.T) *http.Request {
			return gtrRequest(signHMAC(t, rsaPublicPEM(t, k.rsa1), "rsa1", good()), emailBody)
		}, status: 401, headers: invalidToken},
		{name: "HS256 with the RSA public key DER as secret", req: func(t *testing.T) *http.Request {
			return gtrRequest(signHMAC(t, rsaPublicDER(t, k.rsa1), "rsa1", good()), emailBody)
		}, status: 401, headers: invalidToken},
		{name: "wrong signature (other key, published kid)", req: signed(k.rsa2.withKID("rsa1"), good()), status: 401, headers: invalidToken},
		{name: "alg of another key type than kid's key", req: signed(k.es256.withKID("rsa1"), good()), status: 401, headers: invalidToken},
		{name: "ES256 header on a P-384 key", req: signed(testKey{kid: "ec384", alg: jose.ES256, priv: k.es256.priv}, good()), status: 401, headers: invalidToken},
		{name: "tampered payload", req: func(t *testing.T) *http.Request {
			tok := sign(t, k.rsa1, good(), nil)
			parts := strings.Split(tok, ".")
			other := strings.Split(sign(t, k.rsa2.withKID("rsa1"), with(good(), "sub", "someone-else"), nil), ".")
			return gtrRequest(parts[0]+"."+other[1]+"."+parts[2], emailBody)
		}, status: 401, headers: invalidToken},
		{name: "unknown issuer", req: signed(k.rsa1, with(good(), "iss", otherIssuer)), status: 401, headers: invalidToken},
		{name: "iss missing", req: signed(k.rsa1, with(good(), "iss", nil)), status: 401, headers: invalidToken},
		{name: "wrong audience", req: signed(k.rsa1, with(good(), "aud", "https://app.example.com/other")), status: 401, headers: invalidToken},
		{name: "audience is the issuer", req: signed(k.rsa1, with(good(), "aud", testIssuer)), status: 401, headers: invalidToken},
		{name: "aud missing", req: signed(k.rsa1, with(good(), "aud", nil)), status: 401, headers: invalidToken},
		{name: "expired", req: signed(k.rsa1, with(good(), "iat", now.Add(-3*time.Minute).Unix(), "exp", now.Add(-time.Minute).Unix())), status: 401, headers: invalidToken},
		{name: "exp missing", req: signed(k.rsa1, with(good(), "exp", nil)), status: 401, headers: invalidToken},
		{name: "exp as a string", req: signed(k.rsa1, with(good(), "exp", fmt.Sprint(now.Add(time.Minute).Unix()))), status: 401, headers: invalidToken},
		{name: "iat in the future", req: signed(k.rsa1, with(good(), "iat", now.Add(2*time.Minute).Unix(), "exp", now.Add(3*time.Minute).Unix())), status: 401, headers: invalidToken},
		{name: "iat missing", req: signed(k.rsa1, with(good(), "iat", nil)), status: 401, headers: invalidToken},
		{name: "exp more than 5 minutes after iat", req: signed(k.rsa1, with(good(), "exp", now.Add(5*time.Minute+time.Second).Unix())), status: 401, headers: invalidToken},
		{name: "exp before iat", req: signed(k.rsa1, with(good(), "iat", now.Unix(), "exp", now.Add(-time.Second).Unix())), status: 401, headers: invalidToken},
		{name: "nbf in the future", req: signed(k.rsa1, with(good(), "nbf", now.Add(2*time.Minute).Unix())), status: 401, headers: invalidToken},
		{name: "jti missing", req: signed(k.rsa1, with(good(), "jti", nil)), status: 401, headers: invalidToken},
		{name: "jti empty", req: signed(k.rsa1, with(good(), "jti", "")), status: 401, headers: invalidToken},
		{name: "a logout token (typ logout+jwt)", req: func(t *testing.T) *http.Request {
			return gtrRequest(sign(t, k.rsa1, good(), map[jose.HeaderKey]any{jose.HeaderType: "logout+jwt"}), emailBody)
		}, status: 401, headers: invalidToken},
		{name: "RSA key under 2048 bits is not accepted from the JWKS", req: signed(k.rsaSmall, good()), status: 401, headers: invalidToken},

		// 400: the request body (after authentication).
		{name: "wrong content type (form)", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), emailBody)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, status: 400},
		{name: "no content type", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), emailBody)
			r.Header.Del("Content-Type")
			return r
		}, status: 400},
		{name: "bad JSON", req: withBody(`{"sub_id":`), status: 400},
		{name: "JSON null", req: withBody(`null`), status: 400},
		{name: "JSON array", req: withBody(`[]`), status: 400},
		{name: "trailing data", req: withBody(emailBody + `{}`), status: 400},
		{name: "sub_id missing", req: withBody(`{"subject":{"format":"email","email":"user@example.com"}}`), status: 400},
		{name: "sub_id not an object", req: withBody(`{"sub_id":"user@example.com"}`), status: 400},
		{name: "format missing", req: withBody(`{"sub_id":{"email":"user@example.com"}}`), status: 400},
		{name: "unknown format", req: withBody(`{"sub_id":{"format":"phone_number","phone_number":"+12065550100"}}`), status: 400},
		{name: "email missing", req: withBody(`{"sub_id":{"format":"email"}}`), status: 400},
		{name: "email empty", req: withBody(`{"sub_id":{"format":"email","email":""}}`), status: 400},
		{name: "email not a string", req: withBody(`{"sub_id":{"format":"email","email":42}}`), status: 400},
		{name: "member the format does not define", req: withBody(`{"sub_id":{"format":"email","email":"user@example.com","id":"x"}}`), status: 400},
		{name: "iss_sub without sub", req: withBody(`{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com"}}`), status: 400},
		{name: "opaque without id", req: withBody(`{"sub_id":{"format":"opaque"}}`), status: 400},
		{name: "body over 64 KiB", req: withBody(`{"sub_id":{"format":"opaque","id":"` + strings.Repeat("a", MaxBodyBytes) + `"}}`), status: 413},
		{name: "body over 64 KiB, no Content-Length", req: func(t *testing.T) *http.Request {
			r := gtrRequest(sign(t, k.rsa1, good(), nil), `{"sub_id":{"format":"opaque","id":"`+strings.Repeat("a", MaxBodyBytes)+`"}}`)
			r.ContentLength = -1
			return r
		}, status: 413},

		// 403
		{name: "iss_sub of another issuer", req: func(t *testing.T) *http.Request {
			return gtrRequest(sign(t, k.rsa1, good(), nil), `{"sub_id":{"format":"iss_sub","iss":"https://evil.example.com","sub":"af19c476"}}`)
		}, status: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rec, logs := newGTR(t, nil)
			w := serve(h, tc.req(t))
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tc.status, w.Body)
			}
			if want, ok := gtrReasons[tc.name]; ok && !strings.Contains(logs.String(), `"reason":"`+want) {
				t.Errorf("logged reason is not %q:\n%s", want, logs)
			}
			if got := w.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			for name, want := range tc.headers {
				if got := w.Header().Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if tc.status == 401 && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			calls := rec.calls()
			if tc.subject == nil {
				if len(calls) != 0 {
					t.Fatalf("callback called %d times, want none", len(calls))
				}
				var body errorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error == "" {
					t.Errorf("error body %q is not {error, error_description}", w.Body)
				}
				return
			}
			if w.Body.Len() != 0 {
				t.Errorf("204 with a body: %q", w.Body)
			}
			if len(calls) != 1 {
				t.Fatalf("callback called %d times, want 1", len(calls))
			}
			e := calls[0]
			if e.Subject != *tc.subject {
				t.Errorf("subject = %+v, want %+v", e.Subject, *tc.subject)
			}
			if e.Kind != GlobalTokenRevocation || e.Issuer != testIssuer || e.JWTID == "" || e.SessionID != "" || e.IssuedAt.IsZero() {
				t.Errorf("event = %+v", e)
			}
		})
	}
}

// gtrReasons pins why each refusal of TestGlobalTokenRevocation happens, so
// that a case cannot pass by failing some earlier check.
var gtrReasons = map[string]string{
	"GET":                       "method GET",
	"no Authorization":          "no bearer token",
	"Basic scheme":              "no bearer token",
	"two Authorization headers": "no bearer token",
	"not a JWT":                 "malformed JWT",
	"alg none":                  "signature algorithm not allowed",
	"HS256 with the RSA public key PEM as secret": "signature algorithm not allowed",
	"HS256 with the RSA public key DER as secret": "signature algorithm not allowed",
	"wrong signature (other key, published kid)":  "signature does not verify",
	"alg of another key type than kid's key":      "signature does not verify",
	"ES256 header on a P-384 key":                 "signature does not verify",
	"tampered payload":                            "signature does not verify",
	"unknown issuer":                              "iss is not a configured issuer",
	"iss missing":                                 "iss missing",
	"wrong audience":                              "aud does not contain",
	"audience is the issuer":                      "aud does not contain",
	"aud missing":                                 "aud missing",
	"expired":                                     "expired",
	"exp missing":                                 "exp missing",
	"exp as a string":                             "exp is not a NumericDate",
	"iat in the future":                           "iat in the future",
	"iat missing":                                 "iat missing",
	"exp more than 5 minutes after iat":           "exp more than 5 minutes after iat",
	"exp before iat":                              "exp before iat",
	"nbf in the future":                           "not yet valid",
	"jti missing":                                 "jti missing",
	"jti empty":                                   "jti missing",
	"a logout token (typ logout+jwt)":             "typ logout+jwt",
	"RSA key under 2048 bits is not accepted from the JWKS": "no key of the issuer has this kid",
	"wrong content type (form)":                             "wrong content type",
	"no content type":                                       "wrong content type",
	"bad JSON":                                              "the body is not a JSON object",
	"trailing data":                                         "the body has data after",
	"sub_id missing":                                        "sub_id is missing",
	"sub_id not an object":                                  "sub_id is not a JSON object",
	"format missing":                                        "sub_id.format is missing",
	"unknown format":                                        "sub_id.format is not supported",
	"email empty":                                           "sub_id.email is missing",
	"member the format does not define":                     "sub_id has a member its format does not define",
	"iss_sub without sub":                                   "sub_id.sub is missing",
	"opaque without id":                                     "sub_id.id is missing",
	"body over 64 KiB":                                      "body too large",
	"iss_sub of another issuer":                             "iss_sub subject of another issuer",
}

func TestGlobalTokenRevocationSubjectIssuers(t *testing.T) {
	k := keys(t)
	h, rec, _ := newGTR(t, func(c *Config) {
		c.Issuers[0].SubjectIssuers = []string{"https://workforce.example.com"}
	})
	body := `{"sub_id":{"format":"iss_sub","iss":"https://workforce.example.com","sub":"00u1"}}`
	if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), body)); w.Code != 204 {
		t.Fatalf("listed subject issuer: status %d, want 204", w.Code)
	}
	body = `{"sub_id":{"format":"iss_sub","iss":"https://elsewhere.example.com","sub":"00u1"}}`
	if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), body)); w.Code != 403 {
		t.Fatalf("unlisted subject issuer: status %d, want 403", w.Code)
	}
	if n := len(rec.calls()); n != 1 {
		t.Fatalf("callback called %d times, want 1", n)
	}
}

func TestGlobalTokenRevocationReplay(t *testing.T) {
	k := keys(t)
	h, rec, _ := newGTR(t, nil)
	tok := sign(t, k.rsa1, gtrClaims(time.Now()), nil)
	if w := serve(h, gtrRequest(tok, emailBody)); w.Code != 204 {
		t.Fatalf("first use: status %d", w.Code)
	}
	w := serve(h, gtrRequest(tok, emailBody))
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
		t.Fatalf("replay: status %d, WWW-Authenticate %q; want 401 invalid_token", w.Code, w.Header().Get("WWW-Authenticate"))
	}
	// Same jti, new token: still a replay.
	c := gtrClaims(time.Now())
	c["jti"] = "fixed-jti"
	if w := serve(h, gtrRequest(sign(t, k.es256, c, nil), emailBody)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	if w := serve(h, gtrRequest(sign(t, k.ed, c, nil), emailBody)); w.Code != 401 {
		t.Fatalf("same jti re-signed: status %d, want 401", w.Code)
	}
	if n := len(rec.calls()); n != 2 {
		t.Fatalf("callback called %d times, want 2", n)
	}
}

func TestGlobalTokenRevocationCallbackErrors(t *testing.T) {
	k := keys(t)
	const secret = "db password hunter2 in callback error"
	tests := []struct {
		name   string
		ret    func(ctx context.Context, e Event) error
		status int
		code   string
	}{
		{"unknown subject", func(context.Context, Event) error { return fmt.Errorf("lookup: %w", ErrUnknownSubject) }, 404, "user_not_found"},
		{"cannot revoke", func(context.Context, Event) error { return fmt.Errorf("%w: account locked", ErrCannotRevoke) }, 422, "unable_to_process"},
		{"forbidden", func(context.Context, Event) error { return ErrForbidden }, 403, "access_denied"},
		{"other error", func(context.Context, Event) error { return errors.New(secret) }, 500, "server_error"},
		{"panic", func(context.Context, Event) error { panic(secret) }, 500, "server_error"},
		{"callback gives up on its deadline", func(ctx context.Context, _ Event) error {
			<-ctx.Done()
			return ctx.Err()
		}, 503, "temporarily_unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, rec, logs := newGTR(t, func(c *Config) { c.CallbackTimeout = 50 * time.Millisecond })
			rec.ret = tc.ret
			w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody))
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			var body errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error != tc.code {
				t.Fatalf("body %q, want error %q", w.Body, tc.code)
			}
			if strings.Contains(w.Body.String(), "hunter2") {
				t.Fatalf("the callback's error reached the response: %q", w.Body)
			}
			if tc.name == "panic" && strings.Contains(logs.String(), "hunter2") {
				t.Fatalf("the panic value reached the log: %s", logs)
			}
		})
	}
}

// A callback that ignores its context cannot hang the handler: the handler
// answers 503 at the deadline, and the callback's context is cancelled.
func TestGlobalTokenRevocationCallbackDeadline(t *testing.T) {
	k := keys(t)
	release := make(chan struct{})
	ctxErr := make(chan error, 1)
	h, rec, _ := newGTR(t, func(c *Config) { c.CallbackTimeout = 100 * time.Millisecond })
	rec.ret = func(ctx context.Context, _ Event) error {
		<-release // ignores ctx
		ctxErr <- ctx.Err()
		return nil
	}
	start := time.Now()
	w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody))
	elapsed := time.Since(start)
	close(release)
	if w.Code != 503 {
		t.Fatalf("status %d, want 503", w.Code)
	}
	if elapsed > 2*time.Second {
		t.Fatalf("handler took %s with a 100ms callback deadline", elapsed)
	}
	select {
	case err := <-ctxErr:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("callback context error %v, want DeadlineExceeded", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("callback never finished")
	}
}

// The callback's context carries the default 10 s deadline.
func TestCallbackDeadlineDefault(t *testing.T) {
	k := keys(t)
	h, rec, _ := newGTR(t, nil)
	var left time.Duration
	rec.ret = func(ctx context.Context, _ Event) error {
		d, ok := ctx.Deadline()
		if !ok {
			return errors.New("no deadline")
		}
		left = time.Until(d)
		return nil
	}
	if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	if left <= 9*time.Second || left > DefaultCallbackTimeout {
		t.Fatalf("deadline %s away, want about %s", left, DefaultCallbackTimeout)
	}
}

// The handler is safe for concurrent use; run with -race.
func TestGlobalTokenRevocationConcurrent(t *testing.T) {
	k := keys(t)
	h, rec, _ := newGTR(t, nil)
	srv := httptest.NewServer(h)
	defer srv.Close()
	const n = 20
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		tok := sign(t, k.es256, gtrClaims(time.Now()), nil)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(emailBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := srv.Client().Do(req)
			if err != nil {
				errs <- err
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 204 {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
				return
			}
			errs <- nil
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := len(rec.calls()); got != n {
		t.Fatalf("callback called %d times, want %d", got, n)
	}
}
