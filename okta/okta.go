package okta

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
	"github.com/revokekit/revoke/okta/internal/oktawire"
)

// AuthMethods lists the client authentication methods Okta accepts on
// /revoke, as its metadata advertises in
// revocation_endpoint_auth_methods_supported
// (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth).
func AuthMethods() []string {
	return []string{
		revoke.MethodClientSecretBasic,
		revoke.MethodClientSecretPost,
		revoke.MethodClientSecretJWT,
		revoke.MethodPrivateKeyJWT,
		revoke.MethodNone,
	}
}

// HintOAuthSTS is the token_type_hint "oauth_sts", which Okta's org
// authorization server accepts besides access_token, refresh_token and
// device_secret (TokenTypeHintRevokeOrgAs). Custom authorization servers do
// not (TokenTypeHintRevokeCustomAs): a Revoker for one refuses it before
// sending.
const HintOAuthSTS = oktawire.HintOAuthSTS

// Config configures a Revoker. Set Domain (with AuthorizationServerID for a
// custom authorization server) or Issuer, and either ClientID with
// ClientSecret or Auth.
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted.
type Config struct {
	// Domain is the Okta org domain, with or without scheme and trailing
	// slash: "dev-123.okta.com", "https://dev-123.okta.com/", or a custom
	// domain such as "login.example.com". Plain http is refused except for
	// loopback hosts (emulators) or with revoke.WithInsecureHTTP.
	Domain string
	// AuthorizationServerID selects a custom authorization server:
	// "default" for the built-in one, or the server's id ("aus..."). Empty
	// selects the org authorization server.
	AuthorizationServerID string
	// Issuer may replace Domain and AuthorizationServerID: the issuer of the
	// tokens to revoke, "https://dev-123.okta.com" (org authorization
	// server) or "https://dev-123.okta.com/oauth2/default" (custom). It is
	// the token's "iss" claim and the discovery document's "issuer".
	Issuer string
	// ClientID and ClientSecret authenticate a confidential client with
	// client_secret_basic, the method Okta uses when an app specifies none.
	ClientID     string
	ClientSecret string
	// Auth chooses another client authentication method instead of
	// ClientID and ClientSecret: revoke.ClientSecretPost,
	// revoke.ClientSecretJWT, revoke.PrivateKeyJWT (with the default
	// audience, the URL called) or revoke.PublicClient for a public client
	// (SPA, native app) whose method is "none".
	Auth revoke.ClientAuth
}

// fields is what a Config prints: the client secret and the Auth's
// credentials never print. A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"AuthorizationServerID", strconv.Quote(c.AuthorizationServerID)},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Auth", redact.Auth(c.Auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret and the Auth's credentials never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "okta.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one Okta authorization server. It is safe for
// concurrent use; create one and share it, so that rate-limit pacing sees
// every call.
type Revoker struct {
	k      adapter.Revoker
	issuer string
	asID   string
}

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "okta.Revoker", Build: "okta.New"}

// kit returns what r delegates to: its kit Revoker, or unbuilt.
func (r *Revoker) kit() *adapter.Revoker {
	if r == nil || r.k.Client == nil {
		return &unbuilt
	}
	return &r.k
}

var _ revoke.Revoker = (*Revoker)(nil)

var profile = oktawire.Profile("okta")

// New validates cfg and opts and returns a Revoker. Every mistake (a
// malformed domain, user info in a URL, an authorization server ID that
// cannot be a path segment, missing, blank or short credentials, a key that
// cannot sign, a client assertion audience Okta would reject) is a
// *revoke.ConfigError here, not a failure on first use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, asID, err := resolveServer(c, cfg)
	if err != nil {
		return nil, err
	}
	issuer := base.String()
	revokeURL := adapter.JoinPath(base, "oauth2", "v1", "revoke")
	tokenURL := adapter.JoinPath(base, "oauth2", "v1", "token")
	hints := oktawire.OrgHints
	if asID != "" {
		issuer = adapter.JoinPath(base, "oauth2", asID).String()
		revokeURL = adapter.JoinPath(base, "oauth2", asID, "v1", "revoke")
		tokenURL = adapter.JoinPath(base, "oauth2", asID, "v1", "token")
		hints = oktawire.CustomHints
	}
	auth, err := resolveAuth(c, cfg)
	if err != nil {
		return nil, err
	}
	if err := checkAudience(auth, revokeURL.String(), issuer, tokenURL.String()); err != nil {
		return nil, err
	}
	return &Revoker{
		issuer: issuer,
		asID:   asID,
		k: unbuilt.Bind(c, adapter.Revocation{
			Op:   "okta revoke",
			URL:  revokeURL,
			Auth: auth,
			// The issuer and token endpoint are deliberately not given:
			// Okta accepts only the URL called as "aud", and New refused
			// every other rule.
			Audience: revoke.AudienceEndpoint,
			Hints:    hints,
		}),
	}, nil
}

// Revoke revokes one access token, refresh token or device secret
// (POST /oauth2/v1/revoke or /oauth2/{authorizationServerId}/v1/revoke,
// https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke).
// Hints access_token, refresh_token and device_secret, and on the org
// authorization server oauth_sts, are sent as token_type_hint; any other is
// refused before sending. A nil error means Okta answered 200, which it
// also does for unknown, expired and already revoked tokens.
// Result.RateLimit carries Okta's X-Rate-Limit-* headers and
// Result.RequestID its X-Okta-Request-Id.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	return r.kit().Revoke(ctx, req)
}

// Endpoint returns the revocation endpoint URL in use.
func (r *Revoker) Endpoint() string { return r.kit().Endpoint() }

// Issuer returns the issuer of the authorization server this Revoker
// revokes at: "https://{domain}" or "https://{domain}/oauth2/{id}".
func (r *Revoker) Issuer() string {
	if r == nil {
		return ""
	}
	return r.issuer
}

// AuthorizationServerID returns the custom authorization server ID, or ""
// for the org authorization server.
func (r *Revoker) AuthorizationServerID() string {
	if r == nil {
		return ""
	}
	return r.asID
}

// AuthMethod returns the client authentication method, e.g.
// "client_secret_basic".
func (r *Revoker) AuthMethod() string { return r.kit().AuthMethod() }

// ClientID returns the client ID.
func (r *Revoker) ClientID() string { return r.kit().ClientID() }

// Format implements fmt.Formatter: credentials never print, with any verb.
func (r Revoker) Format(f fmt.State, verb rune) { r.kit().Format(f, verb) }

// LogValue implements slog.LogValuer without credentials.
func (r Revoker) LogValue() slog.Value { return r.kit().LogValue() }

// MarshalJSON implements json.Marshaler without credentials.
func (r Revoker) MarshalJSON() ([]byte, error) { return r.kit().MarshalJSON() }

// resolveServer returns the org base URL (scheme and host) and the custom
// authorization server ID ("" for the org authorization server).
func resolveServer(c *adapter.Client, cfg Config) (*url.URL, string, error) {
	switch {
	case cfg.Domain != "" && cfg.Issuer != "":
		return nil, "", &revoke.ConfigError{Field: "okta.Config.Issuer", Problem: "is set together with Domain: set Domain (and AuthorizationServerID), or Issuer, not both"}
	case cfg.Domain == "" && cfg.Issuer == "":
		return nil, "", &revoke.ConfigError{Field: "okta.Config.Domain", Problem: "is empty: set your Okta domain, e.g. dev-123.okta.com, or Issuer, e.g. https://dev-123.okta.com/oauth2/default"}
	case cfg.Issuer != "":
		return resolveIssuer(c, cfg)
	}
	const field = "okta.Config.Domain"
	base, err := c.BaseURL(field, cfg.Domain)
	if err != nil {
		return nil, "", err
	}
	if p := base.Path; p != "" {
		hint := "the domain is only the host, e.g. dev-123.okta.com"
		if strings.HasPrefix(p, "/oauth2/") {
			hint = "set AuthorizationServerID for a custom authorization server, or pass the whole issuer URL in Issuer instead of Domain"
		}
		// The path is not repeated: a malformed URL can carry a password
		// there (https:/user:pw@host parses with the user info in it).
		return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("has a path after the host %q: %s", base.Host, hint)}
	}
	if err := checkASID("okta.Config.AuthorizationServerID", cfg.AuthorizationServerID); err != nil {
		return nil, "", err
	}
	return base, cfg.AuthorizationServerID, nil
}

func resolveIssuer(c *adapter.Client, cfg Config) (*url.URL, string, error) {
	const field = "okta.Config.Issuer"
	if !strings.Contains(cfg.Issuer, "://") {
		return nil, "", &revoke.ConfigError{Field: field, Problem: "is not a URL: pass the issuer with its scheme, e.g. https://dev-123.okta.com/oauth2/default, or set Domain instead"}
	}
	base, err := c.BaseURL(field, cfg.Issuer)
	if err != nil {
		return nil, "", err
	}
	p := base.Path
	base.Path = ""
	asID := ""
	switch segs := strings.Split(strings.TrimPrefix(p, "/"), "/"); {
	case p == "":
	case len(segs) == 2 && segs[0] == "oauth2":
		asID = segs[1]
		if err := checkASID(field, asID); err != nil {
			return nil, "", err
		}
	default:
		return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("path %q is not an Okta issuer path: an Okta issuer is https://{domain} (org authorization server) or https://{domain}/oauth2/{authorizationServerId}", p)}
	}
	if cfg.AuthorizationServerID != "" && cfg.AuthorizationServerID != asID {
		return nil, "", &revoke.ConfigError{Field: "okta.Config.AuthorizationServerID", Problem: fmt.Sprintf("%q contradicts the Issuer, which names %s: remove AuthorizationServerID (the Issuer already selects the authorization server)", shown(cfg.AuthorizationServerID), asName(asID))}
	}
	return base, asID, nil
}

func asName(id string) string {
	if id == "" {
		return "the org authorization server"
	}
	return "authorization server " + strconv.Quote(id)
}

// checkASID accepts what can be a single path segment without escaping:
// Okta IDs ("aus8w23example1d7") and "default".
func checkASID(field, id string) error {
	if id == "" {
		return nil
	}
	if strings.Contains(id, "/") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains '/': pass only the ID, e.g. \"default\" or \"aus8w23example1d7\" (the path /oauth2/{id}/v1/revoke is built for you), or pass the whole issuer in Config.Issuer", shown(id))}
	}
	if len(id) > 128 {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long: pass the authorization server's ID, e.g. \"default\" or \"aus8w23example1d7\"", len(id))}
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains %q: an authorization server ID has only letters, digits, '-' and '_', e.g. \"default\" or \"aus8w23example1d7\"", c)}
		}
	}
	return nil
}

// shown bounds a caller's value repeated in an error.
func shown(s string) string {
	if len(s) > 64 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fmt.Sprintf("(a value of %d bytes)", len(s))
	}
	return s
}

func resolveAuth(c *adapter.Client, cfg Config) (revoke.ClientAuth, error) {
	var auth revoke.ClientAuth
	switch {
	case cfg.Auth != nil:
		if cfg.ClientSecret != "" {
			return nil, &revoke.ConfigError{Field: "okta.Config.ClientSecret", Problem: "is set together with Auth: use ClientID and ClientSecret (client_secret_basic), or Auth, not both"}
		}
		if cfg.ClientID != "" && cfg.ClientID != cfg.Auth.ClientID() {
			return nil, &revoke.ConfigError{Field: "okta.Config.ClientID", Problem: fmt.Sprintf("%q differs from the Auth's client ID %q: leave ClientID empty when Auth is set", shown(cfg.ClientID), shown(cfg.Auth.ClientID()))}
		}
		auth = cfg.Auth
	case cfg.ClientID == "":
		return nil, &revoke.ConfigError{Field: "okta.Config.ClientID", Problem: "is empty: set the app's client ID (Okta Admin Console > Applications > your app > Client ID), or set Auth"}
	case cfg.ClientSecret == "":
		return nil, &revoke.ConfigError{Field: "okta.Config.ClientSecret", Problem: "is empty: set the app's client secret, or for a public client (SPA, native app) set Auth: revoke.PublicClient(clientID)"}
	default:
		if err := adapter.CheckCredential("okta.Config.ClientID", cfg.ClientID, "the app's client ID"); err != nil {
			return nil, err
		}
		if err := adapter.CheckSecret("okta.Config.ClientSecret", cfg.ClientSecret, "the app's client secret"); err != nil {
			return nil, err
		}
		auth = revoke.ClientSecretBasic(cfg.ClientID, cfg.ClientSecret)
	}
	return c.CheckAuth("okta.Config.Auth", auth, AuthMethods())
}

// audienceProblem is Okta's answer to any other client assertion audience.
const audienceProblem = "Okta accepts only the URL called, %s, and otherwise answers 401 invalid_client " +
	"(\"The audience claim for client_assertion must be the endpoint invoked for the request.\"): " +
	"leave the audience to the adapter (no WithAudience or WithAudienceValue), or use revoke.WithAudience(revoke.AudienceEndpoint)"

// checkAudience refuses a client assertion audience other than the revoke
// URL, the only value Okta accepts, from what the ClientAuth says it was
// configured with: no trial signature, nothing parsed back.
func checkAudience(auth revoke.ClientAuth, endpoint, issuer, tokenEndpoint string) error {
	info := adapter.DescribeAuth(auth)
	switch info.Method {
	case revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretJWT:
	default:
		return nil
	}
	aud := ""
	switch {
	case info.AudienceValue != "":
		if info.AudienceValue == endpoint {
			return nil
		}
		aud = shown(info.AudienceValue)
	case info.Audience == revoke.AudienceAuto, info.Audience == revoke.AudienceEndpoint:
		return nil
	case info.Audience == revoke.AudienceIssuer:
		aud = issuer
	case info.Audience == revoke.AudienceTokenEndpoint:
		aud = tokenEndpoint
	default:
		aud = info.Audience.String()
	}
	return &revoke.ConfigError{Field: "okta.Config.Auth", Problem: fmt.Sprintf("the client assertion audience would be %q, but "+audienceProblem, aud, endpoint)}
}
