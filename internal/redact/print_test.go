package redact_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
)

func TestURL(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"", ""},
		{"https://auth.example.com", "https://auth.example.com"},
		{"https://auth.example.com:8443/base/path", "https://auth.example.com:8443/base/path"},
		{"https://u:pw@auth.example.com/x", "https://[REDACTED]@auth.example.com/x"},
		{"https://u:p@w@auth.example.com", "https://[REDACTED]@auth.example.com"},
		{"https://auth.example.com/x?token=s3cr3t", "https://auth.example.com/x?[REDACTED]"},
		{"https://auth.example.com/x#s3cr3t", "https://auth.example.com/x#[REDACTED]"},
		{"https://u:pw@h/?k=pw#f", "https://[REDACTED]@h/?[REDACTED]"},
		{"//u:pw@h/x", "//[REDACTED]@h/x"},
		{"u:pw@h/x", "[REDACTED]@h/x"},
		{"dev-123.okta.com", "dev-123.okta.com"},
		{"not a url at all", "not a url at all"},
		{"https://h/a@b", "https://h/a@b"},
	}
	for _, tc := range tests {
		if got := redact.URL(tc.raw); got != tc.want {
			t.Errorf("URL(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestBounded(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{"a\nb\"c", `"a\nb\"c"`},
		{strings.Repeat("x", 200), `"` + strings.Repeat("x", 200) + `"`},
		{strings.Repeat("x", 201), `"` + strings.Repeat("x", 200) + `…"`},
		{"x" + strings.Repeat("é", 150), `"x` + strings.Repeat("é", 99) + `…"`},
	}
	for _, tc := range tests {
		if got := redact.Bounded(tc.in); got != tc.want {
			t.Errorf("Bounded(%.20q…) = %.40s…, want %.40s…", tc.in, got, tc.want)
		}
	}
}

// foreign is a ClientAuth the revoke package did not build.
type foreign struct{ revoke.ClientAuth }

func TestAuth(t *testing.T) {
	const secret = "s3cr3t-value-0123456789"
	var nilAuth revoke.ClientAuth
	tests := []struct {
		name         string
		a            any
		text, method string
	}{
		{"nil", nilAuth, "<nil>", ""},
		{"basic", revoke.ClientSecretBasic("app", secret), `{Method:"client_secret_basic" ClientID:"app"}`, "client_secret_basic"},
		{"post", revoke.ClientSecretPost("app", secret), `{Method:"client_secret_post" ClientID:"app"}`, "client_secret_post"},
		{"client credentials, unresolved", revoke.ClientCredentials("app", secret), `{Method:"client_credentials" ClientID:"app"}`, "client_credentials"},
		{"public", revoke.PublicClient("spa"), `{Method:"none" ClientID:"spa"}`, "none"},
		{"no client auth", revoke.NoClientAuth(), `{Method:"no_client_auth" ClientID:""}`, "no_client_auth"},
		{"quoted ID", revoke.PublicClient(`a"b`), `{Method:"none" ClientID:"a\"b"}`, "none"},
		{"foreign", foreign{revoke.ClientSecretBasic("app", secret)}, "redact_test.foreign", ""},
	}
	for _, tc := range tests {
		if got := redact.Auth(tc.a); got != tc.text {
			t.Errorf("%s: Auth = %s, want %s", tc.name, got, tc.text)
		}
		if got := redact.AuthMethod(tc.a); got != tc.method {
			t.Errorf("%s: AuthMethod = %q, want %q", tc.name, got, tc.method)
		}
	}
}

type source struct{ tok string }

func (s *source) Token() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: s.tok}, nil }

func TestType(t *testing.T) {
	var nilSource oauth2.TokenSource
	var typedNil *source
	tests := []struct {
		name           string
		v              any
		typ, typeIfSet string
	}{
		{"nil", nilSource, "<nil>", ""},
		{"a source", &source{"s3cr3t-token"}, "*redact_test.source", "*redact_test.source"},
		{"a typed nil", oauth2.TokenSource(typedNil), "*redact_test.source", "*redact_test.source"},
		{"a context", context.Background(), "context.backgroundCtx", "context.backgroundCtx"},
	}
	for _, tc := range tests {
		if got := redact.Type(tc.v); got != tc.typ {
			t.Errorf("%s: Type = %s, want %s", tc.name, got, tc.typ)
		}
		if got := redact.TypeIfSet(tc.v); got != tc.typeIfSet {
			t.Errorf("%s: TypeIfSet = %s, want %s", tc.name, got, tc.typeIfSet)
		}
	}
}

// TestKey: a key prints as the marker when set, "<nil>" when not; a
// typed-nil key inside an interface counts as set, as it is not nil.
func TestKey(t *testing.T) {
	var none crypto.Signer
	var typedNil *ecdsa.PrivateKey
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		k    crypto.Signer
		want string
	}{{"nil", none, "<nil>"}, {"typed nil", typedNil, redact.Marker}, {"a key", key, redact.Marker}} {
		if got := redact.Key(tc.k); got != tc.want {
			t.Errorf("%s: Key = %q, want %q", tc.name, got, tc.want)
		}
	}
}
