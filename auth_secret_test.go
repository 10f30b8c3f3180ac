package revoke_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

// TestSecretLengthIgnoresWhiteSpace: the scrubber ignores white space when
// it looks for a secret in echoed text, so a secret must have
// revoke.MinSecretBytes bytes that are not white space; otherwise it could
// be accepted and never scrubbed. The error says why, and never repeats
// the secret.
func TestSecretLengthIgnoresWhiteSpace(t *testing.T) {
	tests := []struct {
		name   string
		auth   revoke.ClientAuth
		secret string
		want   string // "" when accepted
	}{
		{"post, 4 bytes and 6 spaces", revoke.ClientSecretPost("c", "a  b  c  d"), "a  b  c  d",
			"client secret is 4 bytes long without its white space (10 with it), shorter than 8"},
		{"basic, 7 bytes and 6 spaces", revoke.ClientSecretBasic("c", "a b c d e f g"), "a b c d e f g",
			"client secret is 7 bytes long without its white space (13 with it), shorter than 8"},
		{"raw basic, 7 bytes and a space", revoke.ClientSecretBasicRaw("c", "abc defg"), "abc defg",
			"client secret is 7 bytes long without its white space (8 with it), shorter than 8"},
		{"credentials, 7 bytes and 3 spaces", revoke.ClientCredentials("c", "ab cd ef "+"x"), "ab cd ef x",
			"client secret is 7 bytes long without its white space (10 with it), shorter than 8"},
		{"JWT, 2 bytes and 30 spaces", revoke.ClientSecretJWT("c", "a"+strings.Repeat(" ", 30)+"b"), "a" + strings.Repeat(" ", 30) + "b",
			"client secret is 2 bytes long without its white space (32 with it), shorter than 8"},
		{"post, 7 bytes without white space", revoke.ClientSecretPost("c", "abcdefg"), "abcdefg",
			"client secret is 7 bytes long, shorter than 8"},
		{"post, 8 bytes and 3 spaces", revoke.ClientSecretPost("c", "ab cd ef gh"), "ab cd ef gh", ""},
		{"basic, exactly 8 bytes", revoke.ClientSecretBasic("c", "abcdefgh"), "abcdefgh", ""},
		{"post, a non-breaking space counts", revoke.ClientSecretPost("c", "abc\u00a0def"), "abc\u00a0def", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.auth.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v; want the secret accepted", err)
				}
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Validate() = %v (%T); want a *revoke.ConfigError", err, err)
			}
			if !strings.Contains(ce.Problem, tc.want) {
				t.Errorf("Problem = %q; want it to say %q", ce.Problem, tc.want)
			}
			if strings.Contains(tc.want, "white space") && !strings.Contains(ce.Problem, "echoed") {
				t.Errorf("Problem = %q; want it to say why white space does not count", ce.Problem)
			}
			if strings.Contains(err.Error(), tc.secret) || strings.Contains(err.Error(), strings.Join(strings.Fields(tc.secret), "")) {
				t.Errorf("the error repeats the secret: %v", err)
			}
		})
	}
}
