// Package bridge holds the types that the root package and the adapter kit
// share without showing them to callers.
//
// The root package owns the caller's vocabulary: opaque options and sealed
// client authentication values. The adapter kit must read those values to
// do its work, and a third-party adapter must not need to. The root
// package's unexported types therefore implement the interfaces below with
// exported methods, which appear in no documentation (their receiver types
// are unexported) and which only this module can name (this package is
// internal). The kit reaches them with a type assertion.
package bridge

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// Settings are the resolved options every adapter shares.
type Settings struct {
	// HTTPClient is the caller's client, or nil for http.DefaultTransport
	// looked up per request.
	HTTPClient *http.Client
	// Retry policy; NoRetry disables retries.
	MaxRetries int
	MinBackoff time.Duration
	MaxBackoff time.Duration
	MaxWait    time.Duration
	NoRetry    bool
	// Timeout bounds one attempt when the caller's context has no earlier
	// deadline.
	Timeout time.Duration
	// Logger receives debug records with secrets redacted; nil: none.
	Logger *slog.Logger
	// UserAgent is sent as User-Agent.
	UserAgent string
	// AllowInsecureHTTP permits plain http to non-loopback hosts.
	AllowInsecureHTTP bool
	// MaxResponseBytes bounds how much of a body is read.
	MaxResponseBytes int64
	// MaxIdleConnsPerHost sizes the idle pool of the default transport.
	MaxIdleConnsPerHost int
	// NoPacing turns off proactive rate-limit pacing.
	NoPacing bool
	// DPoP, when set, adds a proof of possession to every attempt.
	DPoP DPoP
	// Errs are the option mistakes found while applying options.
	Errs []error
}

// Option is implemented by the root package's options.
type Option interface {
	ApplySettings(*Settings)
}

// Target is the outgoing attempt a client authentication decorates.
type Target struct {
	// Header and Params receive the credentials: Params are the body
	// parameters (form fields or JSON members).
	Header http.Header
	Params *Fields
	// URL is the URL called; Issuer and TokenEndpoint are known when the
	// adapter was configured with them or discovered them.
	URL           *url.URL
	Issuer        string
	TokenEndpoint string
	// Audience is the adapter's default assertion audience rule (a
	// revoke.Audience value), used when the authentication names none.
	Audience int
	// Secrets collects every secret value placed on the wire, so the kit
	// can scrub it from anything a server echoes. An authentication may
	// set it to a slice it owns when it is nil; nobody modifies it after.
	Secrets []string
}

// Auth is implemented by the root package's client authentications.
type Auth interface {
	// ApplyAuth adds the credentials to t. It runs once per attempt.
	ApplyAuth(ctx context.Context, t *Target) error
	// AuthInfo describes the authentication without its secrets.
	AuthInfo() AuthInfo
	// Choose resolves a method left open (ClientCredentials) against a
	// server's advertised methods; other values return themselves.
	Choose(supported []string) (any, error)
}

// AuthInfo is what an adapter may know about a client authentication.
type AuthInfo struct {
	Method   string
	ClientID string
	// RawBasic is true for Basic without RFC 6749 §2.3.1 encoding.
	RawBasic bool
	// BasicColon is true when the raw Basic credentials contain more than
	// one ':' (the secret has one), which servers that split on ':' reject.
	BasicColon bool
	// Audience is the assertion audience rule (a revoke.Audience value)
	// and AudienceValue a fixed audience, for JWT methods.
	Audience      int
	AudienceValue string
	// AudienceSet is true when the caller chose the audience explicitly.
	AudienceSet bool
	// Certificate is the client certificate of a TLS method.
	Certificate *tls.Certificate
	// Body is true when the method puts credentials in the body.
	Body bool
	// SecretBytes is the length of the shared secret, or 0.
	SecretBytes int
}

// DPoP builds RFC 9449 proofs.
type DPoP interface {
	// Proof returns a fresh proof for method and htu (without query or
	// fragment), bound to accessToken when it is not empty, carrying nonce
	// when it is not empty.
	Proof(method, htu, accessToken, nonce string) (string, error)
	// Thumbprint is the RFC 7638 thumbprint of the public key.
	Thumbprint() string
}

// Defaults of Settings, exported by the root package under the same names.
const (
	DefaultMaxRetries       = 3
	DefaultMinBackoff       = 250 * time.Millisecond
	DefaultMaxBackoff       = 5 * time.Second
	DefaultMaxWait          = 30 * time.Second
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 1 << 20
	DefaultMaxIdleConns     = 64
)

// Resolve applies opts over the defaults. Values that do not implement
// Option (nil included) are skipped. It returns the first option mistake.
func Resolve[O any](opts []O, userAgent string) (Settings, error) {
	var s Settings
	for _, o := range opts {
		if a, ok := any(o).(Option); ok {
			a.ApplySettings(&s)
		}
	}
	if len(s.Errs) > 0 {
		return Settings{}, s.Errs[0]
	}
	if s.MaxRetries == 0 {
		s.MaxRetries = DefaultMaxRetries
	}
	if s.MinBackoff == 0 {
		s.MinBackoff = DefaultMinBackoff
	}
	if s.MaxBackoff == 0 {
		s.MaxBackoff = DefaultMaxBackoff
	}
	if s.MaxBackoff < s.MinBackoff {
		s.MaxBackoff = s.MinBackoff
	}
	if s.MaxWait == 0 {
		s.MaxWait = DefaultMaxWait
	}
	if s.NoRetry {
		s.MaxRetries = 0
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if s.UserAgent == "" {
		s.UserAgent = userAgent
	}
	if s.MaxResponseBytes == 0 {
		s.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if s.MaxIdleConnsPerHost == 0 {
		s.MaxIdleConnsPerHost = DefaultMaxIdleConns
	}
	return s, nil
}

// Fields are body parameters in the order they were set: form fields, or
// the string members of a JSON object. The zero value is empty and ready.
type Fields struct {
	kv []string // key, value, key, value, ...
}

// Set replaces the value of key, or appends it.
func (f *Fields) Set(key, value string) {
	for i := 0; i < len(f.kv); i += 2 {
		if f.kv[i] == key {
			f.kv[i+1] = value
			return
		}
	}
	f.kv = append(f.kv, key, value)
}

// Get returns the value of key, or "".
func (f *Fields) Get(key string) string {
	for i := 0; i < len(f.kv); i += 2 {
		if f.kv[i] == key {
			return f.kv[i+1]
		}
	}
	return ""
}

// Len is the number of fields.
func (f *Fields) Len() int { return len(f.kv) / 2 }

// At returns field i.
func (f *Fields) At(i int) (key, value string) { return f.kv[2*i], f.kv[2*i+1] }

// Reset empties f, keeping its storage.
func (f *Fields) Reset() { f.kv = f.kv[:0] }

// Add appends a field, even when key is already set (a form may repeat
// keys).
func (f *Fields) Add(key, value string) { f.kv = append(f.kv, key, value) }

// Clone returns a copy that shares no storage with f.
func (f *Fields) Clone(extra int) *Fields {
	kv := make([]string, len(f.kv), len(f.kv)+2*extra)
	copy(kv, f.kv)
	return &Fields{kv: kv}
}

// Endpoint renders the URL called as a client assertion audience: scheme,
// host and path.
func (t *Target) Endpoint() string {
	if t.URL == nil {
		return ""
	}
	return t.URL.Scheme + "://" + t.URL.Host + t.URL.EscapedPath()
}

// Use empties f and makes buf its storage, for a caller that keeps the
// storage beside f.
func (f *Fields) Use(buf []string) { f.kv = buf[:0] }

// Truncated returns a Fields sharing f's storage, holding f's fields:
// what is added to it goes to f's spare capacity, never into f's fields.
// Use it for one attempt at a time.
func (f *Fields) Truncated() Fields { return Fields{kv: f.kv[:len(f.kv):cap(f.kv)]} }
