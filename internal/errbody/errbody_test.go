package errbody_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/revokekit/revoke/internal/errbody"
)

// TestParseGolden parses real error bodies. The RFC 6749 §5.2 shape is
// recognised whatever the Content-Type said (WSO2's JSON labelled
// text/html); vendor shapes (Okta, OneLogin, Graph, Slack, GitHub, X) are
// their adapters' business and are not recognised here, except where they
// carry an RFC 6749 "error" string.
func TestParseGolden(t *testing.T) {
	tests := []struct {
		file string
		want errbody.Body
		ok   bool
	}{
		{"okta_oauth_400.json", errbody.Body{Code: "invalid_request", Description: "The `token` parameter is required."}, true},
		{"rfc6749_error_uri.json", errbody.Body{Code: "invalid_client", Description: "Client authentication failed", URI: "https://auth.example.com/docs/errors#invalid_client"}, true},
		{"rfc6749_form.txt", errbody.Body{Code: "invalid_client", Description: "Client authentication failed", URI: "https://auth.example.com/docs"}, true},
		{"onelogin_oidc_400.json", errbody.Body{Code: "unsupported_token_type", Description: "revocation of the presented token type is not supported"}, true},
		{"auth0_management_400.json", errbody.Body{Code: "Bad Request", Description: "Payload validation error: 'Missing required property: token'."}, true},
		{"hydra_error_hint.json", errbody.Body{Code: "invalid_client",
			Description: "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method). The requested OAuth 2.0 Client does not exist."}, true},
		{"hydra_hint_in_description.json", errbody.Body{Code: "invalid_request", Description: "The request is missing a required parameter. Make sure the token parameter is set."}, true},
		{"wso2_401_text_html.json", errbody.Body{Code: "invalid_client", Description: "Client Authentication failed."}, true},
		{"keycloak_200_invalid_token.json", errbody.Body{Code: "invalid_token", Description: "Invalid token"}, true},
		{"slack_invalid_auth.json", errbody.Body{Code: "invalid_auth"}, true},
		{"okta_e0000001_causes.json", errbody.Body{}, false},
		{"okta_e0000047_429.json", errbody.Body{}, false},
		{"onelogin_v1_nested_401.json", errbody.Body{}, false},
		{"onelogin_v1_nested_success.json", errbody.Body{}, false},
		{"onelogin_v2_flat_400.json", errbody.Body{}, false},
		{"graph_403.json", errbody.Body{}, false},
		{"github_422.json", errbody.Body{}, false},
		{"x_errors_401.json", errbody.Body{}, false},
		{"wso2_jsonp.txt", errbody.Body{}, false},
		{"nginx_502.html", errbody.Body{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "golden", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := errbody.Parse(body)
			if got != tc.want || ok != tc.ok {
				t.Errorf("Parse = %#v, %v\nwant   %#v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestParseEdges covers bodies that are not, or only nearly, RFC 6749.
func TestParseEdges(t *testing.T) {
	long := strings.Repeat("a", 3000)
	tests := []struct {
		name string
		body string
		want errbody.Body
		ok   bool
	}{
		{"nil", "", errbody.Body{}, false},
		{"whitespace", " \r\n\t ", errbody.Body{}, false},
		{"truncated JSON", `{"error":`, errbody.Body{}, false},
		{"truncated mid-string", `{"error":"invalid_cli`, errbody.Body{}, false},
		{"JSON array", `[{"error":"invalid_request"}]`, errbody.Body{}, false},
		{"JSON string", `"invalid_request"`, errbody.Body{}, false},
		{"unknown object", `{"foo":"bar"}`, errbody.Body{}, false},
		{"numeric error", `{"error":123}`, errbody.Body{}, false},
		{"null error", `{"error":null,"message":"m"}`, errbody.Body{}, false},
		{"object error (Graph)", `{"error":{"code":"c","message":"m"}}`, errbody.Body{}, false},
		{"binary garbage", "\x00\x01\xff\xfe\x89PNG\r\n\x1a\n", errbody.Body{}, false},
		{"padded JSON", "\n\n  {\"error\":\"invalid_request\"}  \n", errbody.Body{Code: "invalid_request"}, true},
		{"error_description without error", `{"error_description":"d"}`, errbody.Body{}, false},
		{"message fills an empty description", `{"error":"Unauthorized","message":"Invalid token"}`, errbody.Body{Code: "Unauthorized", Description: "Invalid token"}, true},
		{"error_description wins over message", `{"error":"e","error_description":"d","message":"m"}`, errbody.Body{Code: "e", Description: "d"}, true},
		{"hint alone becomes the description", `{"error":"e","error_hint":"h"}`, errbody.Body{Code: "e", Description: "h"}, true},
		{"hint appended", `{"error":"e","error_description":"d.","error_hint":"h"}`, errbody.Body{Code: "e", Description: "d. h"}, true},
		{"JSON string escapes are decoded", `{"error":"invalid_request","error_description":"bad \u0074oken \u00e9"}`, errbody.Body{Code: "invalid_request", Description: "bad token é"}, true},
		{"fields are kept whole: the kit scrubs, then cuts", `{"error":"e","error_description":"` + long + `"}`, errbody.Body{Code: "e", Description: long}, true},
		{"form without error value", "error=&error_description=x", errbody.Body{}, false},
		{"form with HTML is not a form", "<p>error=invalid_request</p>", errbody.Body{}, false},
		{"form across lines is not a form", "error=invalid_request\nerror_description=x", errbody.Body{}, false},
		{"form with a bad escape", "error=invalid%zzrequest", errbody.Body{}, false},
		{"plain text", "Unauthorized", errbody.Body{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := errbody.Parse([]byte(tc.body))
			if got != tc.want || ok != tc.ok {
				t.Errorf("Parse = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestStr(t *testing.T) {
	for in, want := range map[string]string{`"s"`: "s", `12.5`: "12.5", `true`: "true", `null`: "", `[1]`: "", `{}`: "", ``: ""} {
		if got := errbody.Str([]byte(in)); got != want {
			t.Errorf("Str(%s) = %q, want %q", in, got, want)
		}
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
