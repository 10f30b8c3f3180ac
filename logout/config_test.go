package logout

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

func TestConfigValidation(t *testing.T) {
	k := keys(t)
	jwks := jwksOf(t, k.rsa1)
	cb := func(context.Context, Event) error { return nil }
	base := func() Config {
		return Config{Issuers: []Issuer{{Issuer: testIssuer, JWKS: jwks}}, Audience: testAudience, Callback: cb}
	}
	tests := []struct {
		name   string
		kind   Kind
		mutate func(*Config)
		field  string // "" means valid
		is     error
	}{
		{"valid GTR", GlobalTokenRevocation, func(*Config) {}, "", nil},
		{"valid BCL", BackChannelLogout, func(c *Config) { c.Audience = testClientID }, "", nil},
		{"GTR on loopback http", GlobalTokenRevocation, func(c *Config) { c.Audience = "http://127.0.0.1:8080/gtr" }, "", nil},
		{"nil callback", GlobalTokenRevocation, func(c *Config) { c.Callback = nil }, "logout.Config.Callback", nil},
		{"GTR empty audience", GlobalTokenRevocation, func(c *Config) { c.Audience = "" }, "logout.Config.Audience", nil},
		{"GTR audience not a URL", GlobalTokenRevocation, func(c *Config) { c.Audience = testClientID }, "logout.Config.Audience", nil},
		{"GTR audience over plain http", GlobalTokenRevocation, func(c *Config) { c.Audience = "http://app.example.com/gtr" }, "logout.Config.Audience", revoke.ErrInsecureEndpoint},
		{"audience with spaces", BackChannelLogout, func(c *Config) { c.Audience = " " + testClientID }, "logout.Config.Audience", nil},
		{"BCL empty audience", BackChannelLogout, func(c *Config) { c.Audience = "" }, "logout.Config.Audience", nil},
		{"no issuers", BackChannelLogout, func(c *Config) { c.Issuers = nil }, "logout.Config.Issuers", nil},
		{"issuer empty", GlobalTokenRevocation, func(c *Config) { c.Issuers[0].Issuer = "" }, "logout.Config.Issuers[0].Issuer", nil},
		{"issuer twice", GlobalTokenRevocation, func(c *Config) { c.Issuers = append(c.Issuers, c.Issuers[0]) }, "logout.Config.Issuers[1].Issuer", nil},
		{"JWKS and JWKSURL", GlobalTokenRevocation, func(c *Config) { c.Issuers[0].JWKSURL = "https://idp.example.com/jwks" }, "logout.Config.Issuers[0].JWKS", nil},
		{"no keys", GlobalTokenRevocation, func(c *Config) { c.Issuers[0].JWKS = nil }, "logout.Config.Issuers[0].JWKSURL", nil},
		{"JWKSURL over plain http", BackChannelLogout, func(c *Config) {
			c.Issuers[0].JWKS, c.Issuers[0].JWKSURL = nil, "http://idp.example.com/jwks"
		}, "logout.Config.Issuers[0].JWKSURL", revoke.ErrInsecureEndpoint},
		{"static JWKS not JSON", GlobalTokenRevocation, func(c *Config) { c.Issuers[0].JWKS = []byte("-----BEGIN PUBLIC KEY-----") }, "logout.Config.Issuers[0].JWKS", nil},
		{"static JWKS with only an HMAC key", GlobalTokenRevocation, func(c *Config) {
			c.Issuers[0].JWKS = []byte(`{"keys":[{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0","alg":"HS256"}]}`)
		}, "logout.Config.Issuers[0].JWKS", nil},
		{"negative callback timeout", GlobalTokenRevocation, func(c *Config) { c.CallbackTimeout = -time.Second }, "logout.Config.CallbackTimeout", nil},
		{"negative skew", GlobalTokenRevocation, func(c *Config) { c.ClockSkew = -time.Second }, "logout.Config.ClockSkew", nil},
		{"skew too large", GlobalTokenRevocation, func(c *Config) { c.ClockSkew = 10 * time.Minute }, "logout.Config.ClockSkew", nil},
		{"negative refresh interval", GlobalTokenRevocation, func(c *Config) { c.JWKSRefreshInterval = -time.Minute }, "logout.Config.JWKSRefreshInterval", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.mutate(&cfg)
			var err error
			if tc.kind == GlobalTokenRevocation {
				_, err = NewGlobalTokenRevocationHandler(cfg)
			} else {
				_, err = NewBackChannelLogoutHandler(cfg)
			}
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v (%T), want *revoke.ConfigError", err, err)
			}
			if ce.Field != tc.field {
				t.Fatalf("Field = %q, want %q (%v)", ce.Field, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.field) || !strings.Contains(ce.Problem, ":") {
				t.Errorf("message %q should name the field and the fix", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	h, _, _ := newGTR(t, nil)
	s := h.s
	if s.cbTimeout != DefaultCallbackTimeout || s.skew != DefaultClockSkew {
		t.Fatalf("defaults: timeout %s, skew %s", s.cbTimeout, s.skew)
	}
	if _, ok := s.replay.(*MemoryReplayCache); !ok {
		t.Fatalf("default replay cache is %T", s.replay)
	}
	// Each handler has its own cache: no global state.
	h2, _, _ := newGTR(t, nil)
	if h2.s.replay == s.replay {
		t.Fatal("two handlers share a default replay cache")
	}
}

func TestKindString(t *testing.T) {
	if GlobalTokenRevocation.String() != "global_token_revocation" || BackChannelLogout.String() != "backchannel_logout" || Kind(9).String() != "Kind(9)" {
		t.Fatal("Kind.String")
	}
}

func TestSubjectString(t *testing.T) {
	for s, want := range map[Subject]string{
		{Format: FormatEmail, Email: "user@example.com"}:                   "email:user@example.com",
		{Format: FormatIssSub, Iss: "https://idp.example.com", Sub: "248"}: "iss_sub:https://idp.example.com|248",
		{Format: FormatOpaque, ID: "e19"}:                                  "opaque:e19",
		{}:                                                                 "",
	} {
		if got := s.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", s, got, want)
		}
	}
	if !(Subject{}).IsZero() || (Subject{Format: FormatOpaque, ID: "x"}).IsZero() {
		t.Error("IsZero")
	}
}

// TestJWKSURLAdviceFitsLogout: the refusal of a plain-http JWKS URL gives
// advice the logout handlers can follow (they take no revoke options).
func TestJWKSURLAdviceFitsLogout(t *testing.T) {
	_, err := NewBackChannelLogoutHandler(Config{Audience: "client-1", Callback: func(context.Context, Event) error { return nil },
		Issuers: []Issuer{{Issuer: "https://idp.example.com", JWKSURL: "http://idp.example.com/jwks"}}})
	if err == nil || strings.Contains(err.Error(), "WithInsecureHTTP") || !strings.Contains(err.Error(), "https") {
		t.Errorf("err = %v; want advice to use https (or loopback), not a revoke option", err)
	}
}
