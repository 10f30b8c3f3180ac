package entra

import (
	"errors"
	"slices"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

func TestParseError(t *testing.T) {
	tests := []struct {
		name string
		body string
		ok   bool
		want adapter.ErrorBody
	}{
		{"Graph 403 (golden)", testkit.Golden(t, "graph_403_request_denied.json"), true,
			adapter.ErrorBody{Code: "Authorization_RequestDenied", Description: "Insufficient privileges to complete the operation.", RequestID: "dummy-id"}},
		{"Graph 429 with inner code (golden)", testkit.Golden(t, "graph_429_throttled.json"), true,
			adapter.ErrorBody{Code: "accessDenied", Description: "Too Many Requests", RequestID: "cfda74a9-8b11-43c9-a558-bb2ca29a6271", Causes: []string{"throttledRequest"}}},
		{"token endpoint (golden)", testkit.Golden(t, "token_400_invalid_scope.json"), true,
			adapter.ErrorBody{Code: "invalid_scope", Description: "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope https://foo.microsoft.com/.default is not valid.",
				RequestID: "255d1aef-8c98-452f-ac51-23d051240864", Causes: []string{"AADSTS70011"}}},
		{"Graph with details", `{"error":{"code":"Request_BadRequest","message":"bad","details":[{"code":"x","message":"first"},{"message":"second"}]}}`, true,
			adapter.ErrorBody{Code: "Request_BadRequest", Description: "bad", Causes: []string{"x first", "second"}}},
		{"plain RFC 6749", `{"error":"invalid_client","error_description":"nope"}`, true, adapter.ErrorBody{Code: "invalid_client", Description: "nope"}},
		{"Graph without code", `{"error":{"message":"x"}}`, false, adapter.ErrorBody{}},
		{"no error member", `{"value":false}`, false, adapter.ErrorBody{}},
		{"error is a number", `{"error":5}`, false, adapter.ErrorBody{}},
		{"empty", ``, false, adapter.ErrorBody{}},
		{"HTML", `<html>x</html>`, false, adapter.ErrorBody{}},
		{"truncated", `{"error":{"code":"Authorization_Req`, false, adapter.ErrorBody{}},
		{"array", `[{"error":"x"}]`, false, adapter.ErrorBody{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseError([]byte(tt.body))
			if ok != tt.ok || got.Code != tt.want.Code || got.Description != tt.want.Description || got.RequestID != tt.want.RequestID || !slices.Equal(got.Causes, tt.want.Causes) {
				t.Errorf("parseError = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   error
	}{
		{403, "Authorization_RequestDenied", revoke.ErrForbidden},
		{403, "accessDenied", revoke.ErrForbidden},
		{403, "", revoke.ErrForbidden},
		{404, "Request_ResourceNotFound", revoke.ErrNotFound},
		{404, "ResourceNotFound", revoke.ErrNotFound},
		{401, "InvalidAuthenticationToken", revoke.ErrInvalidClient},
		{401, "Authorization_IdentityNotFound", revoke.ErrInvalidClient},
		{400, "Request_BadRequest", revoke.ErrInvalidRequest},
		{429, "TooManyRequests", revoke.ErrRateLimited},
		{503, "Request_ThrottledTemporarily", revoke.ErrRateLimited},
		{401, "invalid_client", nil},
		{500, "generalException", nil},
	}
	for _, tt := range tests {
		if got := classify(tt.status, adapter.ErrorBody{Code: tt.code}); !errors.Is(got, tt.want) && got != tt.want {
			t.Errorf("classify(%d, %q) = %v, want %v", tt.status, tt.code, got, tt.want)
		}
	}
}

func TestCheckTenantAndGUID(t *testing.T) {
	for _, s := range []string{"aaaabbbb-0000-cccc-1111-dddd2222eeee", "AAAABBBB-0000-CCCC-1111-DDDD2222EEEE"} {
		if !isGUID(s) {
			t.Errorf("isGUID(%q) = false", s)
		}
	}
	for _, s := range []string{"", "aaaabbbb0000-cccc-1111-dddd2222eeee0", "aaaabbbb-0000-cccc-1111-dddd2222eee", "gaaabbbb-0000-cccc-1111-dddd2222eeee", "{aaaabbbb-0000-cccc-1111-dddd2222eee}"} {
		if isGUID(s) {
			t.Errorf("isGUID(%q) = true", s)
		}
	}
}

// FuzzParseError: the parser never panics, and whatever it finds came from
// the body.
func FuzzParseError(f *testing.F) {
	for _, name := range []string{"graph_403_request_denied.json", "graph_429_throttled.json", "token_400_invalid_scope.json", "graph_200_revoked.json"} {
		f.Add([]byte(testkit.Golden(f, name)))
	}
	f.Add([]byte(`{"error":{"code":"x","innerError":null,"details":null}}`))
	f.Add([]byte(`{"error":"x","error_codes":[1e400]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, ok := parseError(body)
		if !ok && (b.Code != "" || b.Description != "" || len(b.Causes) != 0) {
			t.Errorf("not ok but found %+v", b)
		}
		if ok && b.Code == "" {
			t.Errorf("ok without a code: %+v", b)
		}
	})
}
