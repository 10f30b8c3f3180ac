package oktawire

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// TestParseErrorGolden reads Okta's documented error bodies.
func TestParseErrorGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		want adapter.ErrorBody
		ok   bool
		kind error
	}{
		{"../../testdata/revoke-429-e0000047.json", adapter.ErrorBody{Code: "E0000047", Description: "You exceeded the maximum number of requests. Try again in a while.", URI: "E0000047", RequestID: "sampleQPivGUj_ND5v78vbYWW"}, true, revoke.ErrRateLimited},
		{"../../oktaadmin/testdata/admin/error_403.json", adapter.ErrorBody{Code: "E0000006", Description: "You do not have permission to perform the requested action", URI: "E0000006", RequestID: "sampleNUSD_8fdkFd8fs8SDBK"}, true, revoke.ErrForbidden},
		{"../../oktaadmin/testdata/admin/error_404.json", adapter.ErrorBody{Code: "E0000007", Description: "Not found: {0}", URI: "E0000007", RequestID: "sampleMlLvGUj_YD5v16vkYWY"}, true, revoke.ErrNotFound},
		{"../../testdata/revoke-401-no-creds.json", adapter.ErrorBody{}, false, nil},
	} {
		b, err := os.ReadFile(filepath.FromSlash(tc.file))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := ParseError(b)
		if ok != tc.ok || got.Code != tc.want.Code || got.Description != tc.want.Description || got.URI != tc.want.URI || got.RequestID != tc.want.RequestID {
			t.Errorf("%s: %+v, %v; want %+v, %v", tc.file, got, ok, tc.want, tc.ok)
		}
		if k := Classify(0, got); k != tc.kind {
			t.Errorf("%s: Classify = %v, want %v", tc.file, k, tc.kind)
		}
	}
	got, ok := ParseError([]byte(`{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorCauses":[{"errorSummary":"a"},{"x":1},{"errorSummary":"b"}]}`))
	if !ok || strings.Join(got.Causes, ",") != "a,b" || !errors.Is(Classify(401, got), revoke.ErrInvalidClient) {
		t.Errorf("causes: %+v, %v", got, ok)
	}
	// Fields are returned whole: the kit scrubs, then cuts.
	long := strings.Repeat("x", 5000)
	if got, _ := ParseError([]byte(`{"errorCode":"E1","errorSummary":"` + long + `"}`)); got.Description != long {
		t.Errorf("description cut to %d bytes", len(got.Description))
	}
}

// FuzzParseError: ParseError never panics; what it accepts has a code, and
// every field it returns is valid UTF-8 text the body carried.
func FuzzParseError(f *testing.F) {
	for _, s := range []string{
		`{"errorCode":"E0000047","errorSummary":"x","errorLink":"E0000047","errorId":"oae1","errorCauses":[{"errorSummary":"c"}]}`,
		`{"error":"invalid_client"}`, `{"errorCode":5}`, `{"errorCode":null}`, `[]`, ``, `{"errorCode":"E","errorCauses":"no"}`,
		"{\"errorCode\":\"\xff\"}", `{"errorCode":"E","errorCauses":[null,{"errorSummary":["x"]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, ok := ParseError(body)
		if !ok {
			if b.Code != "" || b.Description != "" || len(b.Causes) != 0 {
				t.Fatalf("not ok but fields set: %+v", b)
			}
			return
		}
		if b.Code == "" {
			t.Fatal("ok without a code")
		}
		for _, s := range append([]string{b.Code, b.Description, b.URI, b.RequestID}, b.Causes...) {
			if !utf8.ValidString(s) {
				t.Fatalf("field %q is not UTF-8", s)
			}
		}
		_ = Classify(0, b)
	})
}
