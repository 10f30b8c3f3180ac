package logout

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// assertNoSecret fails if any secret (a token, or one of its payload and
// signature segments) appears in the response or the log.
func assertNoSecret(t *testing.T, w *httptest.ResponseRecorder, logs string, secrets ...string) {
	t.Helper()
	var surfaces strings.Builder
	surfaces.WriteString(w.Body.String())
	for name, vals := range w.Header() {
		surfaces.WriteString("\n" + name + ": " + strings.Join(vals, ", "))
	}
	surfaces.WriteString("\n" + logs)
	if leak := findSecret(surfaces.String(), secrets...); leak != "" {
		t.Fatalf("secret %.12s… appears in the response or the log:\n%s", leak, surfaces.String())
	}
}

// findSecret returns the first secret, or JWT payload or signature segment
// of one, found in text.
func findSecret(text string, secrets ...string) string {
	for _, s := range secrets {
		parts := []string{s}
		if segs := strings.Split(s, "."); len(segs) == 3 {
			parts = append(parts, segs[1]) // the claims
			if segs[2] != "" {
				parts = append(parts, segs[2]) // the signature
			}
		}
		for _, p := range parts {
			if len(p) >= 8 && strings.Contains(text, p) {
				return p
			}
		}
	}
	return ""
}

func TestFindSecret(t *testing.T) {
	tok := "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkcCJ9.c2lnbmF0dXJlc2lnbmF0dXJl"
	for text, leaks := range map[string]bool{
		"body " + tok:                         true,
		"claims eyJpc3MiOiJodHRwczovL2lkcCJ9": true,
		"sig c2lnbmF0dXJlc2lnbmF0dXJl":        true,
		"header eyJhbGciOiJSUzI1NiJ9 only":    false,
		"nothing":                             false,
	} {
		if got := findSecret(text, tok) != ""; got != leaks {
			t.Errorf("findSecret(%q) found %v, want %v", text, got, leaks)
		}
	}
}

// No token reaches a response or a log line, whatever happens to it.
func TestNoTokenInResponsesOrLogs(t *testing.T) {
	k := keys(t)
	now := time.Now()
	cases := []struct {
		name  string
		token func(t *testing.T) string
		body  string
	}{
		{"accepted", func(t *testing.T) string { return sign(t, k.rsa1, gtrClaims(now), nil) }, ""},
		{"wrong signature", func(t *testing.T) string { return sign(t, k.rsa2.withKID("rsa1"), gtrClaims(now), nil) }, ""},
		{"expired", func(t *testing.T) string {
			return sign(t, k.rsa1, with(gtrClaims(now), "iat", now.Add(-time.Hour).Unix(), "exp", now.Add(-59*time.Minute).Unix()), nil)
		}, ""},
		{"wrong audience", func(t *testing.T) string { return sign(t, k.es256, with(gtrClaims(now), "aud", "x"), nil) }, ""},
		{"unknown issuer", func(t *testing.T) string { return sign(t, k.ed, with(gtrClaims(now), "iss", otherIssuer), nil) }, ""},
		{"alg none", func(t *testing.T) string { return unsigned(t, "rsa1", gtrClaims(now)) }, ""},
		{"HS256 confusion", func(t *testing.T) string { return signHMAC(t, rsaPublicPEM(t, k.rsa1), "rsa1", gtrClaims(now)) }, ""},
		{"not a JWT", func(*testing.T) string { return "opaque-access-token-4f0c9a7e1b2d" }, ""},
		{"bad body", func(t *testing.T) string { return sign(t, k.rsa1, gtrClaims(now), nil) }, `{"sub_id":{"format":"x"}}`},
		{"callback fails", func(t *testing.T) string { return sign(t, k.rsa1, gtrClaims(now), nil) }, "fail"},
	}
	for _, tc := range cases {
		t.Run("GTR "+tc.name, func(t *testing.T) {
			h, rec, logs := newGTR(t, nil)
			rec.ret = func(context.Context, Event) error {
				if tc.body == "fail" {
					return errors.New("boom")
				}
				return nil
			}
			body := tc.body
			if body == "" || body == "fail" {
				body = emailBody
			}
			tok := tc.token(t)
			w := serve(h, gtrRequest(tok, body))
			assertNoSecret(t, w, logs.String(), tok)
			w = serve(h, gtrRequest(tok, body)) // and its replay
			assertNoSecret(t, w, logs.String(), tok)
			for _, e := range rec.calls() {
				assertNoSecret(t, httptest.NewRecorder(), fmt.Sprintf("%v %+v %#v", e, e, e), tok)
			}
		})
		t.Run("BCL "+tc.name, func(t *testing.T) {
			h, rec, logs := newBCL(t, nil)
			claims := bclClaims(now)
			tok := tc.token(t)
			// Re-sign the BCL variants with logout-token claims where the
			// case is about the signature or algorithm, not the claims.
			switch tc.name {
			case "accepted", "callback fails":
				tok = sign(t, k.rsa1, claims, map[jose.HeaderKey]any{jose.HeaderType: "logout+jwt"})
			case "HS256 confusion":
				tok = signHMAC(t, rsaPublicPEM(t, k.rsa1), "rsa1", claims)
			case "alg none":
				tok = unsigned(t, "rsa1", claims)
			}
			if tc.name == "callback fails" {
				rec.ret = func(context.Context, Event) error { return errors.New("boom") }
			}
			w := serve(h, bclRequest(tok))
			assertNoSecret(t, w, logs.String(), tok)
			w = serve(h, bclRequest(tok))
			assertNoSecret(t, w, logs.String(), tok)
		})
	}
	t.Run("BCL oversized body", func(t *testing.T) {
		h, _, logs := newBCL(t, nil)
		tok := sign(t, k.rsa1, with(bclClaims(now), "pad", strings.Repeat("x", MaxBodyBytes)), nil)
		w := serve(h, bclRequest(tok))
		assertNoSecret(t, w, logs.String(), tok)
	})
}

// A JWKS URL's query (which may carry an API key) never reaches a log line
// or an error, whether the fetch gets an answer or not.
func TestJWKSURLQueryNotLogged(t *testing.T) {
	k := keys(t)
	const apiKey = "apikey-7c1e9d03b5"
	p := newIDP(t)
	p.answer(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 500) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/jwks"
	ln.Close()
	for _, u := range []string{p.url(), closed} {
		h, clock, logs := remoteGTR(t, p, func(c *Config) { c.Issuers[0].JWKSURL = u + "?key=" + apiKey })
		w := serve(h, gtrAt(t, k.rsa1, clock))
		if w.Code != 503 {
			t.Fatalf("status %d", w.Code)
		}
		if !strings.Contains(logs.String(), "JWKS fetch failed") {
			t.Fatalf("no fetch failure logged: %s", logs)
		}
		assertNoSecret(t, w, logs.String(), apiKey)
	}
}

// The refusal reasons and descriptions are fixed strings: a claim value
// chosen by the caller is never reflected.
func TestNoClaimValueReflected(t *testing.T) {
	k := keys(t)
	const marker = "reflected-marker-91f2"
	h, _, logs := newGTR(t, nil)
	tok := sign(t, k.rsa1, with(gtrClaims(time.Now()), "aud", marker), nil)
	w := serve(h, gtrRequest(tok, `{"sub_id":{"format":"`+marker+`"}}`))
	assertNoSecret(t, w, logs.String(), marker)
	tok = sign(t, k.rsa1, gtrClaims(time.Now()), nil)
	w = serve(h, gtrRequest(tok, `{"sub_id":{"format":"`+marker+`"}}`))
	if w.Code != 400 {
		t.Fatalf("status %d", w.Code)
	}
	assertNoSecret(t, w, logs.String(), marker)

	b, _, blogs := newBCL(t, nil)
	w = serve(b, bclRequest(sign(t, k.rsa1, with(bclClaims(time.Now()), "nonce", marker, "sid", marker), nil)))
	assertNoSecret(t, w, blogs.String(), marker)
}

// The log records carry the handler, status, issuer and reason of each
// refusal, and the outcome of each verified request.
func TestLogRecords(t *testing.T) {
	k := keys(t)
	h, _, logs := newGTR(t, nil)
	serve(h, gtrRequest(sign(t, k.rsa1, with(gtrClaims(time.Now()), "aud", "x"), nil), emailBody))
	serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody))
	out := logs.String()
	for _, want := range []string{
		`"level":"WARN","msg":"logout: request refused","handler":"global_token_revocation","status":401,"reason":"aud does not contain the configured audience","issuer":"https://idp.example.com"`,
		`"level":"INFO","msg":"logout: sessions ended","handler":"global_token_revocation","status":204,"issuer":"https://idp.example.com"`,
		`"subject_format":"email"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "user@example.com") {
		t.Errorf("the subject's email was logged:\n%s", out)
	}
}
