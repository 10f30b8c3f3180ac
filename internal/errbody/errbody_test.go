package errbody_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke/internal/errbody"
)

// TestParseGolden parses real vendor error bodies, one file per shape named
// in the package documentation, and checks every field.
func TestParseGolden(t *testing.T) {
	tests := []struct {
		file string
		want errbody.Body
	}{
		{"okta_oauth_400.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_request", Description: "The `token` parameter is required."}},
		{"rfc6749_error_uri.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_client", Description: "Client authentication failed",
			URI: "https://auth.example.com/docs/errors#invalid_client"}},
		{"rfc6749_form.txt", errbody.Body{Shape: errbody.ShapeForm, Code: "invalid_client", Description: "Client authentication failed", URI: "https://auth.example.com/docs"}},
		{"okta_e0000001_causes.json", errbody.Body{Shape: errbody.ShapeOkta, Code: "E0000001", Description: "Api validation failed: login", URI: "E0000001",
			RequestID: "oaeHfmOAx1iRLa0H10DeMz5fQ",
			Causes:    []string{"login: An object with this field already exists in the current organization", "email: Does not match required pattern"}}},
		{"okta_e0000047_429.json", errbody.Body{Shape: errbody.ShapeOkta, Code: "E0000047", Description: "You exceeded the maximum number of requests. Try again in a while.",
			URI: "E0000047", RequestID: "sampleQPivGUj_ND5v78vbYWW"}},
		{"onelogin_v1_nested_401.json", errbody.Body{Shape: errbody.ShapeOneLogin, Code: "Unauthorized", Description: "Authentication Failure", EnvelopeError: true, EnvelopeStatus: 401}},
		{"onelogin_v1_nested_success.json", errbody.Body{Shape: errbody.ShapeOneLogin, Code: "success", Description: "Success", EnvelopeStatus: 200}},
		{"onelogin_v2_flat_400.json", errbody.Body{Shape: errbody.ShapeOneLogin, Code: "bad request", Description: "Access Token Missing", EnvelopeError: true, EnvelopeStatus: 400}},
		{"onelogin_oidc_400.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "unsupported_token_type", Description: "revocation of the presented token type is not supported"}},
		{"graph_403.json", errbody.Body{Shape: errbody.ShapeGraph, Code: "Authorization_RequestDenied", Description: "Insufficient privileges to complete the operation."}},
		{"github_422.json", errbody.Body{Shape: errbody.ShapeMessage, Description: "Validation Failed", URI: "https://docs.github.com/rest/apps/oauth-applications#delete-an-app-token"}},
		{"auth0_management_400.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "Bad Request", Description: "Payload validation error: 'Missing required property: token'."}},
		{"slack_invalid_auth.json", errbody.Body{Shape: errbody.ShapeSlack, Code: "invalid_auth"}},
		{"x_errors_401.json", errbody.Body{Shape: errbody.ShapeErrors, Code: "89", Description: "Invalid or expired token."}},
		{"hydra_error_hint.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_client",
			Description: "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method). The requested OAuth 2.0 Client does not exist."}},
		{"hydra_hint_in_description.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_request",
			Description: "The request is missing a required parameter. Make sure the token parameter is set."}},
		{"wso2_401_text_html.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_client", Description: "Client Authentication failed."}},
		{"keycloak_200_invalid_token.json", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_token", Description: "Invalid token"}},
		{"wso2_jsonp.txt", errbody.Body{}},
		{"nginx_502.html", errbody.Body{}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "golden", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got := errbody.Parse(body)
			checkBody(t, got, tc.want)
		})
	}
}

func checkBody(t *testing.T, got, want errbody.Body) {
	t.Helper()
	if got.Shape != want.Shape || got.Code != want.Code || got.Description != want.Description || got.URI != want.URI ||
		got.RequestID != want.RequestID || !slices.Equal(got.Causes, want.Causes) || got.EnvelopeError != want.EnvelopeError ||
		got.EnvelopeStatus != want.EnvelopeStatus || got.Empty != want.Empty {
		t.Errorf("Parse =\n %#v\nwant\n %#v", got, want)
	}
}

// TestParseEdges covers bodies that are not, or only nearly, one of the
// known shapes.
func TestParseEdges(t *testing.T) {
	tests := []struct {
		name string
		body string
		want errbody.Body
	}{
		{"nil", "", errbody.Body{Empty: true}},
		{"whitespace", " \r\n\t ", errbody.Body{Empty: true}},
		{"truncated JSON", `{"error":`, errbody.Body{}},
		{"truncated mid-string", `{"error":"invalid_cli`, errbody.Body{}},
		{"JSON array", `[{"error":"invalid_request"}]`, errbody.Body{}},
		{"JSON string", `"invalid_request"`, errbody.Body{}},
		{"unknown object", `{"foo":"bar"}`, errbody.Body{}},
		{"numeric error", `{"error":123}`, errbody.Body{}},
		{"null error", `{"error":null,"message":"m"}`, errbody.Body{Shape: errbody.ShapeMessage, Description: "m"}},
		{"binary garbage", "\x00\x01\xff\xfe\x89PNG\r\n\x1a\n", errbody.Body{}},
		{"padded JSON", "\n\n  {\"error\":\"invalid_request\"}  \n", errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_request"}},
		{"error_description without error", `{"error_description":"d"}`, errbody.Body{}},
		{"Slack ok:true is not an error shape", `{"ok":true,"error":"x"}`, errbody.Body{Shape: errbody.ShapeOAuth, Code: "x"}},
		{"Auth0 message fills an empty description", `{"error":"Unauthorized","message":"Invalid token"}`, errbody.Body{Shape: errbody.ShapeOAuth, Code: "Unauthorized", Description: "Invalid token"}},
		{"error_description wins over message", `{"error":"e","error_description":"d","message":"m"}`, errbody.Body{Shape: errbody.ShapeOAuth, Code: "e", Description: "d"}},
		{"hint without description is dropped", `{"error":"e","error_hint":"h"}`, errbody.Body{Shape: errbody.ShapeOAuth, Code: "e"}},
		{"Okta code as a number", `{"errorCode":47,"errorSummary":"s"}`, errbody.Body{Shape: errbody.ShapeOkta, Code: "47", Description: "s"}},
		{"Okta causes not a list", `{"errorCode":"E0000001","errorCauses":"oops"}`, errbody.Body{Shape: errbody.ShapeOkta, Code: "E0000001"}},
		{"Okta causes with empty entries", `{"errorCode":"E0000001","errorCauses":[{},{"errorSummary":""},{"errorSummary":"c"}]}`,
			errbody.Body{Shape: errbody.ShapeOkta, Code: "E0000001", Causes: []string{"c"}}},
		{"OneLogin nested without error flag falls through", `{"status":{"code":500,"message":"x"},"message":"outer"}`, errbody.Body{Shape: errbody.ShapeMessage, Description: "outer"}},
		{"OneLogin status as a string is not an envelope", `{"status":"failed","message":"m"}`, errbody.Body{Shape: errbody.ShapeMessage, Description: "m"}},
		{"OneLogin flat with a string code", `{"error":false,"code":"200","type":"success","message":"ok"}`,
			errbody.Body{Shape: errbody.ShapeOneLogin, Code: "success", Description: "ok"}},
		{"Graph code as a number", `{"error":{"code":403,"message":"no"}}`, errbody.Body{Shape: errbody.ShapeGraph, Code: "403", Description: "no"}},
		{"Graph message not a string", `{"error":{"code":"c","message":5}}`, errbody.Body{}},
		{"Graph code of another type is dropped", `{"error":{"code":[1],"message":"m"}}`, errbody.Body{Shape: errbody.ShapeGraph, Description: "m"}},
		{"X errors empty list", `{"errors":[]}`, errbody.Body{}},
		{"X errors takes the first", `{"errors":[{"code":"a","message":"first"},{"code":"b","message":"second"}]}`, errbody.Body{Shape: errbody.ShapeErrors, Code: "a", Description: "first"}},
		{"JSON string escapes are decoded", `{"error":"invalid_request","error_description":"bad \u0074oken \u00e9"}`, errbody.Body{Shape: errbody.ShapeOAuth, Code: "invalid_request", Description: "bad token é"}},
		{"form without error value", "error=&error_description=x", errbody.Body{}},
		{"form with HTML is not a form", "<p>error=invalid_request</p>", errbody.Body{}},
		{"form across lines is not a form", "error=invalid_request\nerror_description=x", errbody.Body{}},
		{"form with a bad escape", "error=invalid%zzrequest", errbody.Body{}},
		{"plain text", "Unauthorized", errbody.Body{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkBody(t, errbody.Parse([]byte(tc.body)), tc.want)
		})
	}
}

// TestParseOktaCausesBounded checks that a body with many causes keeps at
// most 16, so one error cannot grow without bound.
func TestParseOktaCausesBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"errorCode":"E0000001","errorCauses":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"errorSummary":"cause"}`)
	}
	b.WriteString(`]}`)
	got := errbody.Parse([]byte(b.String()))
	if len(got.Causes) != 16 {
		t.Errorf("kept %d causes; want 16", len(got.Causes))
	}
}

// TestParseClipsFields checks that every string field is bounded to
// MaxField bytes (plus the ellipsis), cut on a rune boundary, and that
// control characters are replaced, whichever shape carries the field.
func TestParseClipsFields(t *testing.T) {
	long := strings.Repeat("a", 3*errbody.MaxField)
	// A 2-byte rune straddles the cut point.
	straddle := strings.Repeat("a", errbody.MaxField-1) + "é" + strings.Repeat("b", 10)
	forged := "bad\r\nlevel=ERROR msg=forged\x1b[31m\x00\x7fend\u2028x"
	tests := []struct {
		name   string
		body   string
		fields func(errbody.Body) []string
	}{
		{"OAuth description", `{"error":"e","error_description":"` + long + `"}`, func(b errbody.Body) []string { return []string{b.Description} }},
		{"OAuth code", `{"error":"` + long + `"}`, func(b errbody.Body) []string { return []string{b.Code} }},
		{"OAuth URI", `{"error":"e","error_uri":"` + long + `"}`, func(b errbody.Body) []string { return []string{b.URI} }},
		{"Hydra description with hint", `{"error":"e","error_description":"` + long + `","error_hint":"` + long + `x"}`, func(b errbody.Body) []string { return []string{b.Description} }},
		{"Okta summary, id and causes", `{"errorCode":"` + long + `","errorSummary":"` + long + `","errorId":"` + long + `","errorCauses":[{"errorSummary":"` + long + `"}]}`,
			func(b errbody.Body) []string {
				return append([]string{b.Code, b.Description, b.RequestID}, b.Causes...)
			}},
		{"OneLogin message", `{"status":{"error":true,"code":401,"type":"` + long + `","message":"` + long + `"}}`, func(b errbody.Body) []string { return []string{b.Code, b.Description} }},
		{"Graph message", `{"error":{"code":"` + long + `","message":"` + long + `"}}`, func(b errbody.Body) []string { return []string{b.Code, b.Description} }},
		{"GitHub message", `{"message":"` + long + `","documentation_url":"` + long + `"}`, func(b errbody.Body) []string { return []string{b.Description, b.URI} }},
		{"Slack error", `{"ok":false,"error":"` + long + `"}`, func(b errbody.Body) []string { return []string{b.Code} }},
		{"X message", `{"errors":[{"code":"` + long + `","message":"` + long + `"}]}`, func(b errbody.Body) []string { return []string{b.Code, b.Description} }},
		{"form fields", "error=" + long + "&error_description=" + long + "&error_uri=" + long, func(b errbody.Body) []string { return []string{b.Code, b.Description, b.URI} }},
		{"rune straddling the cut", `{"error":"e","error_description":"` + straddle + `"}`, func(b errbody.Body) []string { return []string{b.Description} }},
		{"control characters in JSON", `{"error":"e","error_description":"bad\r\nlevel=ERROR msg=forged\u001b[31m\u0000\u007fend"}`, func(b errbody.Body) []string { return []string{b.Description} }},
		{"control characters in a form", "error=e&error_description=" + strings.ReplaceAll(forged, "\r\n", "%0D%0A"), func(b errbody.Body) []string { return []string{b.Description} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := errbody.Parse([]byte(tc.body))
			if b.Shape == errbody.ShapeNone {
				t.Fatalf("Parse(%.60q...) recognised no shape", tc.body)
			}
			for i, f := range tc.fields(b) {
				if f == "" {
					t.Errorf("field %d is empty", i)
				}
				checkClean(t, f, errbody.MaxField)
			}
		})
	}
	// The exact cut: 512 bytes kept, then the ellipsis; a straddling rune
	// is dropped whole.
	if got := errbody.Parse([]byte(`{"error":"e","error_description":"` + long + `"}`)).Description; got != long[:errbody.MaxField]+"…" {
		t.Errorf("long description clipped to %d bytes %q...; want %d bytes and an ellipsis", len(got), got[:20], errbody.MaxField)
	}
	if got := errbody.Parse([]byte(`{"error":"e","error_description":"` + straddle + `"}`)).Description; got != strings.Repeat("a", errbody.MaxField-1)+"…" {
		t.Errorf("straddling rune: got %d bytes ending %q", len(got), got[len(got)-8:])
	}
	if got := errbody.Parse([]byte(`{"error":"e","error_description":"a\nb\tc\u001bd"}`)).Description; got != "a b c d" {
		t.Errorf("control characters: got %q; want %q", got, "a b c d")
	}
	exact := strings.Repeat("x", errbody.MaxField)
	if got := errbody.Parse([]byte(`{"error":"e","error_description":"` + exact + `"}`)).Description; got != exact {
		t.Errorf("a description of exactly MaxField bytes was changed to %d bytes", len(got))
	}
}

// checkClean fails when s is longer than max plus the ellipsis, is not
// valid UTF-8, or holds a C0 control character or DEL.
func checkClean(t *testing.T, s string, max int) {
	t.Helper()
	if len(s) > max+len("…") {
		t.Errorf("field is %d bytes; want at most %d", len(s), max+len("…"))
	}
	if !utf8.ValidString(s) {
		t.Errorf("field is not valid UTF-8: %q", s)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
		t.Errorf("field holds a control character at %d: %q", i, s)
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name string
		body string
		n    int
		want string
	}{
		{"short", "Bad Gateway", 256, "Bad Gateway"},
		{"empty", "", 256, ""},
		{"whitespace collapses to one line", "<html>\n  <body>\r\n\tError\n</body>\n</html>\n", 256, "<html> <body> Error </body> </html>"},
		{"unicode line separators collapse", "a\u2028b\u0085c", 256, "a b c"},
		{"cut at n with an ellipsis", "abcdefghij", 4, "abcd…"},
		{"exactly n is not cut", "abcd", 4, "abcd"},
		{"cut after collapsing whitespace", "a    b    c    d", 5, "a b c…"},
		{"rune straddling the cut is dropped", "aaé", 3, "aa…"},
		{"invalid UTF-8 is replaced", "ok\xff\xfeend", 256, "ok\uFFFDend"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errbody.Excerpt([]byte(tc.body), tc.n)
			if got != tc.want {
				t.Errorf("Excerpt(%q, %d) = %q; want %q", tc.body, tc.n, got, tc.want)
			}
		})
	}
}

// TestExcerptBounds checks the bound on bodies far longer than the excerpt,
// including binary ones.
func TestExcerptBounds(t *testing.T) {
	bodies := map[string][]byte{
		"10 MiB of text":    []byte(strings.Repeat("<div>oops</div>\n", 10<<20/16)),
		"one long word":     []byte(strings.Repeat("x", 1<<20)),
		"multi-byte runes":  []byte(strings.Repeat("日本語", 1000)),
		"binary garbage":    binaryGarbage(1 << 16),
		"all whitespace":    []byte(strings.Repeat(" \n", 1000)),
		"invalid UTF-8 run": []byte(strings.Repeat("\xff", 4096)),
	}
	for name, body := range bodies {
		for _, n := range []int{1, 16, 256} {
			got := errbody.Excerpt(body, n)
			if len(got) > n+len("…") || !utf8.ValidString(got) || strings.ContainsAny(got, "\r\n\t") {
				t.Errorf("%s: Excerpt(n=%d) = %d bytes %q: not a bounded single line", name, n, len(got), got)
			}
		}
	}
}

// binaryGarbage is deterministic bytes covering every value.
func binaryGarbage(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
