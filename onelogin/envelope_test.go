package onelogin

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/wire"
)

func TestParseEnvelope(t *testing.T) {
	tests := []struct {
		name string
		body string
		kind bodyKind
		want envelope
	}{
		{"empty", "", bodyEmpty, envelope{}},
		{"blank", " \r\n\t", bodyEmpty, envelope{}},
		{"nested success", `{"status":{"error":false,"code":200,"type":"success","message":"Success"}}`, bodyEnvelope,
			envelope{Nested: true, HasError: true, Code: 200, Type: "success", Message: "Success"}},
		{"flat error", `{"error":true,"code":401,"type":"Unauthorized","message":"Unauthorized Error"}`, bodyEnvelope,
			envelope{HasError: true, Error: true, Code: 401, Type: "Unauthorized", Message: "Unauthorized Error"}},
		{"flat without error flag", `{"code":400,"message":"Access Token Missing"}`, bodyEnvelope,
			envelope{Code: 400, Message: "Access Token Missing"}},
		{"error flag only", `{"error":true}`, bodyEnvelope, envelope{HasError: true, Error: true}},
		{"code as string", `{"code":"404","message":"No Route Exists"}`, bodyEnvelope, envelope{Code: 404, Message: "No Route Exists"}},
		{"status not an object falls back to flat", `{"status":"ok","error":false,"code":200}`, bodyEnvelope, envelope{HasError: true, Code: 200}},
		{"status without fields falls back to flat", `{"status":{},"error":true,"code":400}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400}},
		{"message with new lines collapses", "{\"error\":true,\"code\":400,\"message\":\"Content Type is not specified or specified incorrectly.\\n          Content-Type header must be set\"}", bodyEnvelope,
			envelope{HasError: true, Error: true, Code: 400, Message: "Content Type is not specified or specified incorrectly. Content-Type header must be set"}},
		{"control characters become spaces", `{"error":true,"code":400,"message":"a\u0000b\u001bc"}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400, Message: "a b c"}},
		{"numeric message rendered", `{"error":true,"code":400,"type":7,"message":false}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400, Type: "7", Message: "false"}},
		{"object message dropped", `{"error":true,"code":400,"message":{"x":1}}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400}},
		{"oauth shape is not an envelope", `{"error":"invalid_request","error_description":"x"}`, bodyOther, envelope{}},
		{"code out of range", `{"code":99999,"message":"x"}`, bodyOther, envelope{}},
		{"fractional code", `{"code":400.5,"message":"x"}`, bodyOther, envelope{}},
		{"no known field", `{"message":"hello"}`, bodyOther, envelope{}},
		{"empty object", `{}`, bodyOther, envelope{}},
		{"array", `[{"error":true}]`, bodyOther, envelope{}},
		{"truncated", `{"status":{"error":true,"code":400,"type":"bad req`, bodyOther, envelope{}},
		{"html", "<html><body>502 Bad Gateway</body></html>", bodyOther, envelope{}},
		{"null", "null", bodyOther, envelope{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, kind := parseEnvelope([]byte(tt.body))
			if kind != tt.kind || got != tt.want {
				t.Errorf("parseEnvelope(%q) = %+v, %v; want %+v, %v", tt.body, got, kind, tt.want, tt.kind)
			}
		})
	}
}

func TestEnvelopeFailed(t *testing.T) {
	tests := []struct {
		env  envelope
		want bool
	}{
		{envelope{HasError: true, Code: 200}, false},
		{envelope{HasError: true, Error: true, Code: 200}, true},
		{envelope{Code: 204}, false},
		{envelope{Code: 400}, true},
		{envelope{HasError: true, Code: 403}, true}, // contradictory: failure
		{envelope{HasError: true}, false},
	}
	for _, tt := range tests {
		if got := tt.env.failed(); got != tt.want {
			t.Errorf("%+v.failed() = %v, want %v", tt.env, got, tt.want)
		}
	}
}

func TestParseEnvelopeBoundsText(t *testing.T) {
	long := strings.Repeat("é", 2000)
	env, kind := parseEnvelope([]byte(`{"error":true,"code":400,"message":"` + long + `","type":"` + long + `"}`))
	if kind != bodyEnvelope {
		t.Fatalf("kind = %v", kind)
	}
	for _, s := range []string{env.Message, env.Type} {
		if len(s) > maxText+len("…") || !utf8.ValidString(s) || !strings.HasSuffix(s, "…") {
			t.Errorf("text is %d bytes (valid UTF-8: %v), want at most %d and cut on a rune", len(s), utf8.ValidString(s), maxText+len("…"))
		}
	}
}

// FuzzEnvelope feeds arbitrary bodies through the envelope parser and the
// classification that uses it. Neither may panic, and whatever is kept must
// be bounded, single-line, valid UTF-8 and free of the request's secrets.
// Seeds: the golden bodies in testdata and the corpus in
// testdata/fuzz/FuzzEnvelope.
func FuzzEnvelope(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, ".md") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 200)
		f.Add(b, 400)
	}
	const token, secret = "fuzz-token-value", "fuzz-secret-value"
	u, _ := url.Parse("https://acme.onelogin.com/auth/oauth2/revoke")
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		env, kind := parseEnvelope(body)
		env2, kind2 := parseEnvelope(body)
		if env != env2 || kind != kind2 {
			t.Fatalf("parseEnvelope is not deterministic")
		}
		if kind != bodyEnvelope && env != (envelope{}) {
			t.Fatalf("non-envelope %v carries fields %+v", kind, env)
		}
		if kind == bodyEnvelope && !env.HasError && env.Code == 0 {
			t.Fatalf("envelope without error flag or code: %+v", env)
		}
		for _, s := range []string{env.Type, env.Message} {
			if len(s) > maxText+len("…") || !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\x00") {
				t.Fatalf("kept text is unbounded or multi-line: %q", s)
			}
		}
		if status < 100 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		e := &revoke.Error{Op: opRevoke, StatusCode: status}
		classifyEnvelope(e, env, kind, status, body, []string{token, secret})
		if e.Kind == nil && kind == bodyEnvelope {
			t.Fatalf("an envelope left the error unclassified: %+v", env)
		}
		for _, s := range []string{e.Code, e.Description, e.Excerpt} {
			if strings.Contains(s, token) || strings.Contains(s, secret) {
				t.Fatalf("a secret survived into the error: %q", s)
			}
		}
		res, err := interpret(&wire.Response{StatusCode: status, Header: http.Header{}, Body: body, Attempts: 1}, u, []string{token, secret})
		if (res == nil) == (err == nil) {
			t.Fatalf("interpret returned %v and %v: want exactly one", res, err)
		}
		if err != nil && (strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), token)) {
			t.Fatalf("a secret survived into the error string: %v", err)
		}
		if res != nil && (status < 200 || status > 299) {
			t.Fatalf("HTTP %d became a success", status)
		}
	})
}
