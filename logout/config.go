package logout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Defaults and bounds.
const (
	// DefaultCallbackTimeout bounds the application's callback: its context
	// is cancelled after this long and the handler answers 503.
	DefaultCallbackTimeout = 10 * time.Second
	// DefaultClockSkew is the leeway allowed on exp, iat and nbf for clocks
	// that disagree.
	DefaultClockSkew = 30 * time.Second
	// MaxClockSkew is the largest Config.ClockSkew accepted.
	MaxClockSkew = 5 * time.Minute
	// DefaultJWKSRefreshInterval is the least time between two fetches of
	// an issuer's JWKS.
	DefaultJWKSRefreshInterval = 5 * time.Minute
	// MaxAssertionLifetime bounds exp - iat of a Global Token Revocation
	// authentication JWT, as for private_key_jwt client assertions.
	MaxAssertionLifetime = 5 * time.Minute
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes = 64 << 10
	// MaxJWKSBytes bounds a fetched JWKS document.
	MaxJWKSBytes = 1 << 20
	// DefaultReplayCacheCapacity is the capacity of the replay cache a
	// handler makes when Config.ReplayCache is nil.
	DefaultReplayCacheCapacity = 100_000
)

// Issuer is an identity provider allowed to call a handler, and where its
// signing keys are.
type Issuer struct {
	// Issuer is the iss claim its JWTs carry, compared exactly
	// (for Okta, "https://{yourOktaDomain}"). Required.
	Issuer string
	// JWKSURL is where the issuer publishes its JSON Web Key Set (RFC 7517
	// §5), e.g. the jwks_uri of its discovery document. https is required,
	// except to loopback hosts (127.0.0.0/8, ::1, localhost). Set exactly
	// one of JWKSURL and JWKS.
	JWKSURL string
	// JWKS is a static JSON Web Key Set document: pinned keys, or tests. It
	// is parsed when the handler is made and never refreshed.
	JWKS []byte
	// SubjectIssuers lists the other issuers whose users this issuer may
	// name in an iss_sub subject of a Global Token Revocation request. By
	// default a caller may only name its own users: an iss_sub subject
	// whose iss is neither Issuer nor listed here is refused with 403. Not
	// used by Back-Channel Logout, whose subject is always the token's own
	// iss and sub.
	SubjectIssuers []string
}

// Config configures one handler. Make one Config per handler: the replay
// cache and the key cache live in the handler.
type Config struct {
	// Issuers are the identity providers that may call this handler.
	// Required: at least one.
	Issuers []Issuer

	// Audience is what the JWT's aud claim must contain. Required.
	//
	// Global Token Revocation: the absolute URL of this endpoint as the
	// identity provider calls it (https://app.example.com/logout/gtr), which
	// it puts in aud as for a private_key_jwt client assertion (RFC 7523
	// §3). The draft (§3.1) requires https; plain http is accepted for
	// loopback hosts only.
	//
	// Back-Channel Logout: the application's client_id at the OpenID
	// Provider (§2.6: aud is validated as for ID Tokens).
	//
	// The value is compared exactly: a trailing slash or a different case
	// is a different audience.
	Audience string

	// Callback ends the subject's sessions. It is called once per verified
	// request, with a context that is cancelled after CallbackTimeout or
	// when the request ends. Return nil when done (or started: the draft's
	// 204 means "revocation has begun"), or an error wrapping
	// ErrUnknownSubject, ErrCannotRevoke or ErrForbidden to choose the
	// answer; any other error answers 500 without repeating it. Required.
	Callback func(ctx context.Context, e Event) error

	// CallbackTimeout bounds Callback (default DefaultCallbackTimeout).
	// When it passes the handler answers 503 at once, even if Callback has
	// not returned; Callback must honour ctx so that it does not run on.
	CallbackTimeout time.Duration
	// ClockSkew is the leeway on exp, iat and nbf (default
	// DefaultClockSkew, at most MaxClockSkew).
	ClockSkew time.Duration
	// JWKSRefreshInterval is the least time between two fetches of an
	// issuer's JWKS when a JWT names a key that is not cached (default
	// DefaultJWKSRefreshInterval). A key set older than 12 intervals is
	// refreshed on its next use, so that withdrawn keys stop working.
	JWKSRefreshInterval time.Duration
	// HTTPClient fetches JWKS documents. It is copied, never modified; the
	// copy refuses redirects. Default: a client with no timeout of its own
	// (each fetch is bounded to 10 s).
	HTTPClient *http.Client
	// ReplayCache remembers JWT IDs until their JWT expires. Default: a
	// MemoryReplayCache of DefaultReplayCacheCapacity for this handler
	// alone. Share one store between the instances of a replicated
	// application, or a replay may succeed at another instance.
	ReplayCache ReplayCache
	// Logger receives one record per request (refusal reasons, never token
	// contents) and JWKS fetch failures. Default: no logging.
	Logger *slog.Logger
}

// settings is a validated Config with defaults applied.
type settings struct {
	issuers     map[string]*issuer
	audience    string
	callback    func(ctx context.Context, e Event) error
	cbTimeout   time.Duration
	skew        time.Duration
	replay      ReplayCache
	logger      *slog.Logger
	now         func() time.Time
	handlerName string
}

// issuer is a validated Issuer.
type issuer struct {
	name           string
	keys           keySource
	subjectIssuers []string
}

// validate checks cfg for the handler kind and applies the defaults. Every
// mistake is a *revoke.ConfigError naming the field and the fix.
func (cfg Config) validate(kind Kind) (*settings, error) {
	const pfx = "logout.Config."
	s := &settings{now: time.Now}
	if kind == GlobalTokenRevocation {
		s.handlerName = "global token revocation"
	} else {
		s.handlerName = "back-channel logout"
	}

	if cfg.Callback == nil {
		return nil, &revoke.ConfigError{Field: pfx + "Callback", Problem: "is nil: pass the function that ends the subject's sessions"}
	}
	s.callback = cfg.Callback

	opts := []revoke.Option{revoke.WithMaxResponseBytes(MaxJWKSBytes), revoke.WithTimeout(jwksFetchTimeout),
		revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 1, MaxWait: 2 * time.Second})}
	if cfg.HTTPClient != nil {
		opts = append(opts, revoke.WithHTTPClient(cfg.HTTPClient))
	}
	client, err := adapter.New(adapter.Profile{Name: "logout"}, opts...)
	if err != nil {
		return nil, err
	}
	switch kind {
	case GlobalTokenRevocation:
		if strings.TrimSpace(cfg.Audience) == "" {
			return nil, &revoke.ConfigError{Field: pfx + "Audience", Problem: "is empty: pass this endpoint's absolute URL as the identity provider calls it, e.g. https://app.example.com/logout/global-token-revocation"}
		}
		if _, err := client.URL(pfx+"Audience", cfg.Audience); err != nil {
			return nil, err
		}
	case BackChannelLogout:
		if strings.TrimSpace(cfg.Audience) == "" {
			return nil, &revoke.ConfigError{Field: pfx + "Audience", Problem: "is empty: pass your client_id at the OpenID Provider"}
		}
	}
	if cfg.Audience != strings.TrimSpace(cfg.Audience) {
		return nil, &revoke.ConfigError{Field: pfx + "Audience", Problem: "has leading or trailing white space: aud is compared exactly"}
	}
	s.audience = cfg.Audience

	if s.cbTimeout, err = duration(pfx+"CallbackTimeout", cfg.CallbackTimeout, DefaultCallbackTimeout, 0); err != nil {
		return nil, err
	}
	if s.skew, err = duration(pfx+"ClockSkew", cfg.ClockSkew, DefaultClockSkew, MaxClockSkew); err != nil {
		return nil, err
	}
	interval, err := duration(pfx+"JWKSRefreshInterval", cfg.JWKSRefreshInterval, DefaultJWKSRefreshInterval, 0)
	if err != nil {
		return nil, err
	}

	s.logger = cfg.Logger
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	clock := func() time.Time { return s.now() } // tests replace s.now
	s.replay = cfg.ReplayCache
	if s.replay == nil {
		c := NewMemoryReplayCache(DefaultReplayCacheCapacity)
		c.now = clock
		s.replay = c
	}

	if len(cfg.Issuers) == 0 {
		return nil, &revoke.ConfigError{Field: pfx + "Issuers", Problem: "is empty: list the identity providers that may call this handler, each with its iss and JWKS URL"}
	}
	s.issuers = make(map[string]*issuer, len(cfg.Issuers))
	for i, is := range cfg.Issuers {
		field := fmt.Sprintf("%sIssuers[%d].", pfx, i)
		if strings.TrimSpace(is.Issuer) == "" {
			return nil, &revoke.ConfigError{Field: field + "Issuer", Problem: "is empty: pass the iss value the identity provider puts in its JWTs, e.g. https://example.okta.com"}
		}
		if _, dup := s.issuers[is.Issuer]; dup {
			return nil, &revoke.ConfigError{Field: field + "Issuer", Problem: fmt.Sprintf("%q is listed twice: list each issuer once", is.Issuer)}
		}
		iss := &issuer{name: is.Issuer, subjectIssuers: append([]string(nil), is.SubjectIssuers...)}
		switch {
		case is.JWKSURL != "" && len(is.JWKS) > 0:
			return nil, &revoke.ConfigError{Field: field + "JWKS", Problem: "is set together with JWKSURL: set exactly one"}
		case is.JWKSURL != "":
			u, err := client.URL(field+"JWKSURL", is.JWKSURL)
			if errors.Is(err, revoke.ErrInsecureEndpoint) {
				// The kit's advice names an option the handlers do not
				// take: keys that authenticate logout calls come over
				// https, or from this machine.
				return nil, &revoke.ConfigError{Field: field + "JWKSURL", Kind: revoke.ErrInsecureEndpoint,
					Problem: "is plain http to a host that is not loopback: the keys that authenticate logout calls must come over https (plain http is allowed only to 127.0.0.1, ::1 or localhost, for tests); or pass the key set itself in JWKS"}
			}
			if err != nil {
				return nil, err
			}
			iss.keys = newRemoteKeys(u, client, interval, s.logger, clock)
		case len(is.JWKS) > 0:
			set, err := parseKeySet(is.JWKS)
			if err != nil {
				return nil, &revoke.ConfigError{Field: field + "JWKS", Problem: err.Error() + ": pass a JWK Set document ({\"keys\":[...]}) holding the issuer's public signing keys"}
			}
			iss.keys = staticKeys{set}
		default:
			return nil, &revoke.ConfigError{Field: field + "JWKSURL", Problem: "is empty: pass the issuer's jwks_uri (or a static JWKS)"}
		}
		s.issuers[is.Issuer] = iss
	}
	return s, nil
}

// duration applies def to zero and refuses negatives and values above max
// (when max > 0).
func duration(field string, d, def, max time.Duration) (time.Duration, error) {
	switch {
	case d < 0:
		return 0, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is negative (%s): pass a positive duration, or zero for the default %s", d, def)}
	case d == 0:
		return def, nil
	case max > 0 && d > max:
		return 0, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %s, more than the %s allowed: pass a smaller duration, or zero for the default %s", d, max, def)}
	}
	return d, nil
}
