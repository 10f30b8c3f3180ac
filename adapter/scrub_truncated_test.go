package adapter_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestScrubTruncatedErrorBody: an error body cut by the read bound
// (revoke.WithMaxResponseBytes, or the 64 KiB error-body bound) may end in
// the head of a secret. That head is redacted too, in whatever encoding the
// server wrote it and wherever the cut falls, in the excerpt and in every
// field parsed from the body; the text before it is kept as it was.
func TestScrubTruncatedErrorBody(t *testing.T) {
	long := "tok-" + strings.Repeat("Zq9", 300) // 904 bytes
	plus := "tok+" + strings.Repeat("a+B/", 100)
	key := testkit.RSAKey(t)
	// lenient parses a body as a vendor parser might that does not insist
	// on a complete JSON document: everything after the description's
	// opening quote is the description.
	lenient := adapter.Profile{ParseError: func(b []byte) (adapter.ErrorBody, bool) {
		const open = `{"code":"E1","detail":"`
		if !strings.HasPrefix(string(b), open) {
			return adapter.ErrorBody{}, false
		}
		return adapter.ErrorBody{Code: "E1", Description: strings.TrimSuffix(string(b[len(open):]), `"}`)}, true
	}}
	tests := []struct {
		name    string
		limit   int64 // WithMaxResponseBytes
		profile adapter.Profile
		token   string
		auth    func(t *testing.T) revoke.ClientAuth
		answer  func(form url.Values) testkit.Answer
		// want is the error's Description and Excerpt.
		wantDescription, wantExcerpt string
	}{
		{
			name: "a 900-byte token in JSON read to 300 bytes", limit: 300, token: long,
			answer: func(url.Values) testkit.Answer {
				return testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"bad token: `+long+`"}`)
			},
			wantExcerpt: `{"error":"invalid_request","error_description":"bad token: [REDACTED]`,
		},
		{
			name: "an RSA-2048 client assertion read to 400 bytes", limit: 400, token: testkit.Token,
			auth: func(t *testing.T) revoke.ClientAuth { return revoke.PrivateKeyJWT("id", key) },
			answer: func(form url.Values) testkit.Answer {
				return testkit.JSONAnswer(401, `{"error":"invalid_client","error_description":"assertion `+form.Get("client_assertion")+` rejected"}`)
			},
			wantExcerpt: `{"error":"invalid_client","error_description":"assertion [REDACTED]`,
		},
		{
			name: "a form-encoded error cut inside the token is still parsed", limit: 200, token: long,
			answer: func(url.Values) testkit.Answer {
				return testkit.Answer{Status: 400, Body: "error=invalid_request&error_description=" + url.QueryEscape("bad token: "+long)}
			},
			wantDescription: "bad token: [REDACTED]",
		},
		{
			name: "ASP.NET's \\u002B escapes, cut inside an escape", limit: 117, token: plus,
			answer: func(url.Values) testkit.Answer {
				js := strings.ReplaceAll(plus, "+", `\u002B`)
				return testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"bad token: `+js+`"}`)
			},
			// 117 bytes: 59 of JSON, then `tok\u002B`, five `a\u002BB/`
			// and `a\u0`, the start of an escape.
			wantExcerpt: `{"error":"invalid_request","error_description":"bad token: [REDACTED]`,
		},
		{
			// 26 bytes end in "s3cr&amp;t&l": 6 bytes of the secret, then
			// the start of "&lt;".
			name: "HTML entities, cut inside an entity", limit: 26, token: testkit.Token,
			auth: func(t *testing.T) revoke.ClientAuth { return revoke.ClientSecretPost("id", "s3cr&t<v>l-0123") },
			answer: func(url.Values) testkit.Answer {
				return testkit.Answer{Status: 400, Body: "<p>bad secret s3cr&amp;t&lt;v&gt;l-0123</p>"}
			},
			wantExcerpt: "<p>bad secret [REDACTED]",
		},
		{
			name: "a parsed field that ends at the cut", limit: 150, profile: lenient, token: long,
			answer: func(url.Values) testkit.Answer {
				return testkit.JSONAnswer(400, `{"code":"E1","detail":"token `+long+` unknown"}`)
			},
			wantDescription: "token [REDACTED]",
		},
		{
			name: "a cut leaving less than scrub.MinNeedle bytes keeps them", limit: 64, token: long,
			answer: func(url.Values) testkit.Answer {
				return testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"bad token: `+long+`"}`)
			},
			// 64 bytes: 59 of JSON and "tok-Z", too short to tell from text.
			wantExcerpt: `{"error":"invalid_request","error_description":"bad token: tok-Z`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var sent url.Values
			client := testkit.Echo(func(r *http.Request, body string) testkit.Answer {
				sent, _ = url.ParseQuery(body)
				return tc.answer(sent)
			})
			c := newClient(t, tc.profile, revoke.WithHTTPClient(client), revoke.WithoutRetry(), revoke.WithMaxResponseBytes(tc.limit))
			var auth revoke.ClientAuth
			if tc.auth != nil {
				auth = tc.auth(t)
			}
			_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base), Auth: auth}, revoke.Request{Token: tc.token})
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T); want a *revoke.Error", err, err)
			}
			if e.Description != tc.wantDescription || e.Excerpt != tc.wantExcerpt {
				t.Errorf("Description = %q\n   Excerpt = %q\nwant %q and %q", e.Description, e.Excerpt, tc.wantDescription, tc.wantExcerpt)
			}
			everything := testkit.PrintAll(err) + testkit.PrintAll(e) + e.Error()
			secrets := []string{tc.token, sent.Get("client_secret"), sent.Get("client_assertion")}
			for _, s := range secrets {
				// No 8 bytes of a secret survive.
				for i := 0; i+8 <= len(s); i++ {
					if strings.Contains(everything, s[i:i+8]) {
						t.Fatalf("%q, %d bytes into a secret, survives: %.400s", s[i:i+8], i, everything)
					}
				}
			}
		})
	}
}

// TestScrubTruncatedLeavesWholeBodiesAlone: a body read whole is scrubbed
// as before, its text kept as it was even when it ends in what looks like
// the start of a secret.
func TestScrubTruncatedLeavesWholeBodiesAlone(t *testing.T) {
	tok := "tok-3f9a.SECRET-value-0001"
	body := `{"error":"invalid_request","error_description":"expected a token like tok-3f9a"}`
	client := testkit.Echo(func(*http.Request, string) testkit.Answer { return testkit.JSONAnswer(400, body) })
	c := newClient(t, adapter.Profile{}, revoke.WithHTTPClient(client), revoke.WithoutRetry(), revoke.WithMaxResponseBytes(int64(len(body))))
	_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base)}, revoke.Request{Token: tok})
	var e *revoke.Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	var want struct {
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal([]byte(body), &want)
	if e.Description != want.Description {
		t.Errorf("Description = %q; want %q", e.Description, want.Description)
	}
}

// TestScrubBodyCutByConnection: an error body that the connection or the
// deadline cut short is cut text too, though no bound was reached.
func TestScrubBodyCutByConnection(t *testing.T) {
	long := "tok-" + strings.Repeat("Zq9", 300)
	body := `{"error":"invalid_request","error_description":"bad token: ` + long + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(400)
		_, _ = io.WriteString(w, body[:200])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // drops the connection mid-body
	}))
	defer srv.Close()
	c := newClient(t, adapter.Profile{}, revoke.WithoutRetry(), revoke.WithInsecureHTTP())
	_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, srv.URL)}, revoke.Request{Token: long})
	var e *revoke.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T); want a *revoke.Error", err, err)
	}
	if want := `{"error":"invalid_request","error_description":"bad token: [REDACTED]`; e.Excerpt != want {
		t.Errorf("Excerpt = %q; want %q", e.Excerpt, want)
	}
	if s := testkit.PrintAll(err) + e.Error(); strings.Contains(s, long[:8]) {
		t.Errorf("the head of the token survives: %.300s", s)
	}
}
