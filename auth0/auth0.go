package auth0

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker for Auth0's Authentication API
// (https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token).
//
// Set Domain, then the application's credentials: ClientID and
// ClientSecret (client_secret_post), or Auth.
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted, and user info written into Domain never prints.
type Config struct {
	// Domain is the tenant's domain, "dev-abc.us.auth0.com", or a custom
	// domain such as "login.example.com", with or without "https://" and a
	// trailing slash. Plain http is refused except to a loopback address
	// (a fake) or with revoke.WithInsecureHTTP; a path, a query, user info
	// and a fragment are refused.
	Domain string
	// ClientID and ClientSecret authenticate a confidential application
	// with client_secret_post: both travel in the JSON body, as Auth0
	// documents. The secret must be at least revoke.MinSecretBytes long,
	// without white space at either end or control characters.
	ClientID     string
	ClientSecret string
	// Auth chooses the client authentication instead of ClientID and
	// ClientSecret: revoke.ClientSecretPost, revoke.PrivateKeyJWT (the
	// assertion's "aud" is https://{Domain}/ unless revoke.WithAudience or
	// revoke.WithAudienceValue says otherwise), revoke.PublicClient for a
	// native or single-page application (client_id alone), or
	// revoke.ClientCredentials, which sends client_secret_post. Other
	// methods are refused: Auth0's /oauth/revoke documents no others.
	Auth revoke.ClientAuth
}

// fields is what a Config prints: the client secret and any user info in
// Domain never print. A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Auth", redact.Auth(c.Auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret and any user info in Domain never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "auth0.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes refresh tokens at one Auth0 tenant through
// POST https://{domain}/oauth/revoke. It is safe for concurrent use; create
// one with New and share it. A zero or nil Revoker returns a
// *revoke.ConfigError from Revoke.
//
// It implements revoke.TokenRevoker: Auth0 revokes refresh tokens only, so
// revoke.RevokeToken revokes an oauth2.Token's refresh token and leaves its
// access token to expire.
//
// Revoke revokes one refresh token: POST https://{domain}/oauth/revoke with
// the JSON body {"client_id":…,"token":…} plus the client's credentials
// (client_secret, or client_assertion and client_assertion_type)
// (https://auth0.com/docs/api/authentication/token-management/revoke-refresh-token).
//
// Auth0 revokes refresh tokens only. A request with Hint
// revoke.HintAccessToken is refused before sending with a
// *revoke.ConfigError matching revoke.ErrUnsupported, and so is a token
// that is a JWT when no hint says it is a refresh token (access and ID
// tokens are JWTs, refresh tokens opaque): Auth0 would answer 200 and the
// token would stay valid. Hint revoke.HintRefreshToken is accepted and not
// sent (Auth0 documents no token_type_hint); Request.Params are refused
// (Auth0 documents no other parameter).
//
// A nil error means Auth0 answered 2xx, which it does also for a token that
// was already revoked, does not exist, or was issued to another
// application: it never says which, so Result.AlreadyInvalid stays false.
// With the tenant setting "Refresh Token Revocation Deletes Grant" on, every
// refresh token of the same user, application and audience goes too.
// Failures are *revoke.Error values: 400 invalid_request matches
// revoke.ErrInvalidRequest, 401 invalid_client revoke.ErrInvalidClient,
// 429 revoke.ErrRateLimited (after the retries the policy allows, waiting
// as Retry-After or X-RateLimit-Reset says).
//
// RevokeToken revokes an oauth2.Token the way Auth0 allows: its refresh
// token alone (https://auth0.com/docs/secure/tokens/refresh-tokens/revoke-refresh-tokens).
// The access token is not sent: Auth0 cannot revoke it, and it expires on
// its own. A token without a refresh token is a *revoke.ConfigError
// matching revoke.ErrUnsupported, never a silent success.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "auth0.Revoker", Build: "auth0.New", Pair: adapter.RefreshOnly, Vendor: "Auth0", Send: send}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first
// use; no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := domainURL(c, "auth0.Config.Domain", cfg.Domain)
	if err != nil {
		return nil, err
	}
	auth, err := resolveAuth(c, cfg)
	if err != nil {
		return nil, err
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:            opRevoke,
		URL:           adapter.JoinPath(base, revokePath...),
		Auth:          auth,
		Issuer:        base.String() + "/",
		TokenEndpoint: adapter.JoinPath(base, tokenPath...).String(),
		Audience:      clientAudience,
		Header:        jsonHeader,
	})), nil
}

// checkRequest refuses what Auth0 cannot do or does not document, before
// anything is sent.
func checkRequest(req revoke.Request) error {
	switch req.Hint {
	case revoke.HintNone:
		if looksLikeJWT(req.Token) {
			return &revoke.ConfigError{Field: opRevoke + ": Request.Token", Kind: revoke.ErrUnsupported,
				Problem: "is a JWT, which an Auth0 refresh token is not (Auth0 issues refresh tokens as opaque strings; access and ID tokens are JWTs): Auth0 revokes refresh tokens only and would answer 200 leaving this token valid until it expires; pass the refresh token, or set Hint: revoke.HintRefreshToken if this really is one"}
		}
	case revoke.HintRefreshToken:
	case revoke.HintAccessToken:
		return &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrUnsupported,
			Problem: "access_token: Auth0 revokes refresh tokens only, so an access token stays valid until it expires; revoke the refresh token it came with (keep access tokens short-lived), or end everything the user holds with auth0.Management.RevokeSubject"}
	default:
		return &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%s is not a token type Auth0 revokes: Auth0 revokes refresh tokens only; use revoke.HintRefreshToken or leave it empty", shownHint(req.Hint))}
	}
	if len(req.Params) > 0 {
		return &revoke.ConfigError{Field: opRevoke + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "Auth0's /oauth/revoke takes only the token and the client's credentials: leave Params empty"}
	}
	return nil
}

// shownHint bounds a caller's hint repeated in an error.
func shownHint(h revoke.TokenTypeHint) string {
	if len(h) > 40 || strings.ContainsFunc(string(h), func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("(a hint of %d bytes)", len(h))
	}
	return strconv.Quote(string(h))
}

// domainURL validates a tenant or custom domain and returns
// https://{domain} (or the loopback http URL of a fake).
func domainURL(c *adapter.Client, field, raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass the tenant's domain, e.g. dev-abc.us.auth0.com, or its custom domain"}
	}
	if strings.Contains(raw, "?") {
		// Checked here, not by BaseURL, whose error repeats the query (it
		// may hold a credential).
		return nil, &revoke.ConfigError{Field: field, Problem: "has a query (?...): pass the domain alone, e.g. dev-abc.us.auth0.com"}
	}
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	if base.Path != "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("has a path after the host %q: pass the domain alone, e.g. dev-abc.us.auth0.com; the SDK adds /oauth/revoke and /api/v2", base.Host)}
	}
	return base, nil
}

// resolveAuth turns the Config's credentials into one checked
// revoke.ClientAuth.
func resolveAuth(c *adapter.Client, cfg Config) (revoke.ClientAuth, error) {
	const (
		fieldID     = "auth0.Config.ClientID"
		fieldSecret = "auth0.Config.ClientSecret"
		fieldAuth   = "auth0.Config.Auth"
	)
	if cfg.Auth != nil {
		if cfg.ClientSecret != "" {
			return nil, &revoke.ConfigError{Field: fieldSecret, Problem: "is set together with Auth: use ClientID and ClientSecret, or Auth, not both"}
		}
		a, err := checkAuth(c, fieldAuth, cfg.Auth)
		if err != nil {
			return nil, err
		}
		if cfg.ClientID != "" && cfg.ClientID != a.ClientID() {
			// Neither value is repeated: one may be a secret pasted into
			// the wrong field.
			return nil, &revoke.ConfigError{Field: fieldID, Problem: "differs from the client ID of Auth: leave ClientID empty when Auth is set"}
		}
		return a, nil
	}
	if err := adapter.CheckCredential(fieldID, cfg.ClientID, "the application's Client ID (Dashboard > Applications > Settings)"); err != nil {
		return nil, err
	}
	if cfg.ClientSecret == "" {
		return nil, &revoke.ConfigError{Field: fieldSecret, Problem: "is empty: set the application's Client Secret; for a native or single-page application (no secret) set Auth: revoke.PublicClient(id), for Private Key JWT Auth: revoke.PrivateKeyJWT(id, key)"}
	}
	if err := adapter.CheckSecret(fieldSecret, cfg.ClientSecret, "the application's Client Secret"); err != nil {
		return nil, err
	}
	return c.CheckAuth("auth0.Config", revoke.ClientSecretPost(cfg.ClientID, cfg.ClientSecret), authMethods)
}

// checkAuth accepts the methods /oauth/revoke documents. It learns the
// method from adapter.DescribeAuth, which never exposes a secret.
func checkAuth(c *adapter.Client, field string, a revoke.ClientAuth) (revoke.ClientAuth, error) {
	info := adapter.DescribeAuth(a)
	switch info.Method {
	case revoke.MethodClientSecretPost, revoke.MethodPrivateKeyJWT, revoke.MethodNone, "":
		// "" is revoke.ClientCredentials (resolved to client_secret_post)
		// or a value the kit refuses as foreign.
		a, err := c.CheckAuth(field, a, authMethods)
		if err != nil {
			return nil, err
		}
		if err := checkClientID(field, a.ClientID()); err != nil {
			return nil, err
		}
		return a, nil
	case revoke.MethodClientSecretBasic:
		return nil, &revoke.ConfigError{Field: field, Problem: "client_secret_basic: Auth0's /oauth/revoke takes the credentials in the JSON body; use revoke.ClientSecretPost(id, secret), or set ClientID and ClientSecret"}
	case revoke.MethodNoClientAuth:
		return nil, &revoke.ConfigError{Field: field, Problem: "revoke.NoClientAuth sends no client_id, which Auth0 requires: use revoke.PublicClient(id) for a native or single-page application"}
	case revoke.MethodClientSecretJWT:
		return nil, &revoke.ConfigError{Field: field, Problem: "client_secret_jwt is not a method Auth0 offers: use revoke.ClientSecretPost(id, secret) or revoke.PrivateKeyJWT(id, key)"}
	}
	return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("method %q is not one Auth0's /oauth/revoke documents: use revoke.ClientSecretPost, revoke.PrivateKeyJWT or revoke.PublicClient", info.Method)}
}

// checkClientID bounds a client ID as Auth0 does (at most 64 characters).
func checkClientID(field, id string) error {
	if len(id) > maxClientIDLen {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("client ID is %d bytes long; Auth0 client IDs have at most %d characters: check that the Client ID, not the secret, was passed", len(id), maxClientIDLen)}
	}
	return nil
}

// send is what Revoke sends once the Revoker is built (adapter.Revoker.Send).
func send(ctx context.Context, k *adapter.Revoker, req revoke.Request) (*revoke.Result, error) {
	if err := adapter.CheckToken(opRevoke, req.Token); err != nil {
		return nil, err
	}
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	// client_id always travels: Auth0 lists it as required, also with an
	// assertion (RFC 7523 allows it when it matches); the authentication
	// sets it again (same value) and adds its secret.
	body := adapter.JSONFields(url.Values{"client_id": {k.ClientID()}, "token": {req.Token}})
	resp, err := k.Client.Do(ctx, k.Revocation.Call(req.Token, body))
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}
