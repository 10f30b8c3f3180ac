package adapter_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestCheckSecretIgnoresWhiteSpace: adapter.CheckSecret counts the bytes
// the scrubber can match, white space left out, and says so.
func TestCheckSecretIgnoresWhiteSpace(t *testing.T) {
	tests := []struct {
		value string
		want  string // "" when accepted
	}{
		{"a  b  c  d", "is 4 bytes long without its white space (10 with it), shorter than 8"},
		{"abc defg", "is 7 bytes long without its white space (8 with it), shorter than 8"},
		{"abcdefg", "is 7 bytes long, shorter than 8"},
		{"ab cd ef gh", ""},
		{"abcdefgh", ""},
	}
	for _, tc := range tests {
		err := adapter.CheckSecret("F", tc.value, "the secret")
		if tc.want == "" {
			if err != nil {
				t.Errorf("CheckSecret(%q) = %v; want it accepted", tc.value, err)
			}
			continue
		}
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != "F" || !strings.Contains(ce.Problem, tc.want) {
			t.Errorf("CheckSecret(%q) = %v; want a ConfigError for F saying %q", tc.value, err, tc.want)
			continue
		}
		if strings.Contains(tc.want, "white space") && !strings.Contains(ce.Problem, "echoed") {
			t.Errorf("CheckSecret(%q): %q does not say why white space does not count", tc.value, ce.Problem)
		}
		if strings.Contains(err.Error(), tc.value) {
			t.Errorf("CheckSecret(%q) repeats the value: %v", tc.value, err)
		}
	}
}

// TestSecretWithWhiteSpaceScrubbed: a secret with white space that is
// accepted is scrubbed from an echo whatever the server did to its white
// space.
func TestSecretWithWhiteSpaceScrubbed(t *testing.T) {
	const secret = "ab cd ef gh"
	for _, echo := range []string{secret, "ab  cd\nef gh", "abcdefgh", url.QueryEscape(secret), url.PathEscape(secret)} {
		client := testkit.Echo(func(*http.Request, string) testkit.Answer {
			return testkit.Answer{Status: 401, Body: "secret was <" + echo + ">"}
		})
		c := newClient(t, adapter.Profile{}, revoke.WithHTTPClient(client), revoke.WithoutRetry())
		_, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, base), Auth: revoke.ClientSecretPost("c", secret)}, revoke.Request{Token: testkit.Token})
		var e *revoke.Error
		if !errors.As(err, &e) {
			t.Fatal(err)
		}
		if want := "secret was <" + revoke.Redacted + ">"; e.Excerpt != want {
			t.Errorf("echo %q: Excerpt = %q; want %q", echo, e.Excerpt, want)
		}
	}
}
