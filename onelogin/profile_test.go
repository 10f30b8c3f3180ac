package onelogin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

func TestParseEnvelope(t *testing.T) {
	long := strings.Repeat("é", 2000)
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
		{"message kept whole, new lines and all", "{\"error\":true,\"code\":400,\"message\":\"Content Type is not specified or specified incorrectly.\\n          Content-Type header must be set\"}", bodyEnvelope,
			envelope{HasError: true, Error: true, Code: 400, Message: "Content Type is not specified or specified incorrectly.\n          Content-Type header must be set"}},
		{"long message kept whole", `{"error":true,"code":400,"message":"` + long + `"}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400, Message: long}},
		{"validation message object", `{"status":{"error":true,"code":400,"type":"bad request","message":{"attribute":"id","description":"ID is incorrect"}}}`, bodyEnvelope,
			envelope{Nested: true, HasError: true, Error: true, Code: 400, Type: "bad request", Message: "id: ID is incorrect"}},
		{"message object without attribute", `{"error":true,"code":400,"message":{"description":"ID is incorrect"}}`, bodyEnvelope,
			envelope{HasError: true, Error: true, Code: 400, Message: "ID is incorrect"}},
		{"message object of another shape", `{"error":true,"code":400,"message":{"x":1}}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400}},
		{"numeric and boolean text rendered", `{"error":true,"code":400,"type":7,"message":false}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400, Type: "7", Message: "false"}},
		{"object message dropped", `{"error":true,"code":400,"message":{"x":1}}`, bodyEnvelope, envelope{HasError: true, Error: true, Code: 400}},
		{"white space after", "{\"error\":true,\"code\":401}\n\n   ", bodyEnvelope, envelope{HasError: true, Error: true, Code: 401}},
		{"junk after", `{"status":{"error":true,"code":401,"message":"Authentication Failure"}}junk<html>`, bodyEnvelope,
			envelope{Nested: true, HasError: true, Error: true, Code: 401, Message: "Authentication Failure", Trailing: true}},
		{"second object after", `{"error":false,"code":200}{"error":true}`, bodyEnvelope, envelope{HasError: true, Code: 200, Trailing: true}},
		{"oauth shape is not an envelope", `{"error":"invalid_request","error_description":"x"}`, bodyOther, envelope{}},
		{"code out of range", `{"code":99999,"message":"x"}`, bodyOther, envelope{}},
		{"fractional code", `{"code":400.5,"message":"x"}`, bodyOther, envelope{}},
		{"no known field", `{"message":"hello"}`, bodyOther, envelope{}},
		{"empty object", `{}`, bodyOther, envelope{}},
		{"array", `[{"error":true}]`, bodyOther, envelope{}},
		{"truncated", `{"status":{"error":true,"code":400,"type":"bad req`, bodyOther, envelope{}},
		{"html", "<html><body>502 Bad Gateway</body></html>", bodyOther, envelope{}},
		{"null", "null", bodyOther, envelope{}},
		{"byte order mark", "\ufeff{\"error\":true,\"code\":400}", bodyOther, envelope{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, kind := parseEnvelope([]byte(tt.body))
			if kind != tt.kind || got != tt.want {
				t.Errorf("parseEnvelope(%.80q) = %+v, %v; want %+v, %v", tt.body, got, kind, tt.want, tt.kind)
			}
		})
	}
}

// TestParseErrorGoldens reads every golden body with the Profile's parser:
// envelopes are OneLogin's, the rest is left to the kit.
func TestParseErrorGoldens(t *testing.T) {
	tests := []struct {
		file string
		ok   bool
		want adapter.ErrorBody
	}{
		{"v1_200_success.json", true, adapter.ErrorBody{Code: "success", Description: "Success"}},
		{"onelogin_v1_nested_success.json", true, adapter.ErrorBody{Code: "success", Description: "Success"}},
		{"v1_401_authentication_failure.json", true, adapter.ErrorBody{Code: "Unauthorized", Description: "Authentication Failure"}},
		{"onelogin_v1_nested_401.json", true, adapter.ErrorBody{Code: "Unauthorized", Description: "Authentication Failure"}},
		{"onelogin_v2_flat_400.json", true, adapter.ErrorBody{Code: "bad request", Description: "Access Token Missing"}},
		{"openapi_404_not_found.json", true, adapter.ErrorBody{Code: "Not Found", Description: "No Route Exists"}},
		{"v1_400_content_type.json", true, adapter.ErrorBody{Code: "bad request", Description: "Content Type is not specified or specified incorrectly. Content-Type header must be set to application/json"}},
		{"onelogin_oidc_400.json", false, adapter.ErrorBody{}},
		{"oidc_401_invalid_header.json", false, adapter.ErrorBody{}},
		{"html_500.html", false, adapter.ErrorBody{}},
		{"truncated.json", false, adapter.ErrorBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, ok := parseError([]byte(testkit.Golden(t, tt.file)))
			if ok != tt.ok || got.Code != tt.want.Code || got.Description != tt.want.Description {
				t.Errorf("parseError = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
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

func TestClassify(t *testing.T) {
	tests := []struct {
		status int
		body   adapter.ErrorBody
		want   error
	}{
		{401, adapter.ErrorBody{Code: "invalid_request", Description: "Authentication Failed"}, revoke.ErrInvalidClient},
		{400, adapter.ErrorBody{Code: "invalid_request", Description: "Authentication Failure"}, nil}, // an RFC code classifies itself
		{400, adapter.ErrorBody{Code: "bad request", Description: "Access Token Missing"}, revoke.ErrInvalidRequest},
		{400, adapter.ErrorBody{Code: "bad request", Description: "content  type IS NOT specified or ..."}, revoke.ErrInvalidRequest},
		{400, adapter.ErrorBody{Code: "bad request", Description: "The authorization information is missing"}, revoke.ErrInvalidClient},
		{200, adapter.ErrorBody{Code: "Unauthorized", Description: "Authentication Failure"}, revoke.ErrInvalidClient},
		{404, adapter.ErrorBody{Code: "not found", Description: "No Route Exists"}, revoke.ErrNotFound},
		{400, adapter.ErrorBody{Code: "bad request", Description: "Request Failure"}, nil},
		{500, adapter.ErrorBody{}, nil},
		// Resource API messages (log-user-out).
		{400, adapter.ErrorBody{Code: "bad request", Description: "Authorization Information is incorrect"}, revoke.ErrInvalidClient},
		{401, adapter.ErrorBody{Code: "Unauthorized", Description: "Insufficient Permission"}, revoke.ErrForbidden},
		{403, adapter.ErrorBody{Code: "forbidden", Description: "user is not authorized to access this User"}, revoke.ErrForbidden},
		{400, adapter.ErrorBody{Code: "bad request", Description: "id: ID is incorrect"}, nil},
	}
	for _, tt := range tests {
		if got := classify(tt.status, tt.body); got != tt.want {
			t.Errorf("classify(%d, %+v) = %v, want %v", tt.status, tt.body, got, tt.want)
		}
	}
}

// FuzzEnvelope feeds arbitrary bodies through the envelope parser, and
// through a Revoker answering with them. Neither may panic; a call must
// succeed or fail, never both or neither; a non-2xx answer or a 2xx answer
// without a clean success envelope is never a success; and nothing the
// error keeps may carry the request's secrets or be unbounded. Seeds: the
// golden bodies in testdata and the corpus in testdata/fuzz/FuzzEnvelope.
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
		if eb, ok := parseError(body); ok != (kind == bodyEnvelope) || eb.Code != env.Type || eb.Description != env.Message {
			t.Fatalf("parseError disagrees with parseEnvelope: %+v %v", eb, ok)
		}
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		ep := testkit.NewEndpoint(testkit.Answer{Status: status, Body: string(body)})
		r, err := New(Config{Subdomain: "acme", ClientID: "fuzz-client", ClientSecret: secret, API: V1}, append(ep.Options(), revoke.WithoutRetry())...)
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
		if (res == nil) == (err == nil) {
			t.Fatalf("Revoke returned %v and %v: want exactly one", res, err)
		}
		if res != nil {
			clean := kind == bodyEmpty || (kind == bodyEnvelope && !env.failed() && !env.Trailing)
			if status < 200 || status > 299 || !clean {
				t.Fatalf("HTTP %d with %v %+v became a success", status, kind, env)
			}
			st, _ := Details(res)
			for _, s := range []string{st.Type, st.Message} {
				if strings.Contains(s, token) || strings.Contains(s, secret) || len(s) > 520 || !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
					t.Fatalf("details keep unsafe text: %q", s)
				}
			}
			return
		}
		var re *revoke.Error
		if !errors.As(err, &re) {
			t.Fatalf("err is %T, want *revoke.Error", err)
		}
		if re.Kind == nil {
			t.Fatalf("unclassified error: %v", err)
		}
		for _, s := range []string{re.Code, re.Description, re.Excerpt, err.Error()} {
			if strings.Contains(s, token) || strings.Contains(s, secret) {
				t.Fatalf("a secret survived into the error: %q", s)
			}
		}
		for _, s := range []string{re.Code, re.Excerpt, re.Description} {
			if len(s) > 1200 || !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("kept text is unbounded or multi-line: %q", s)
			}
		}
	})
}
