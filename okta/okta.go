package okta

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
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

// Config configures a Revoker. Set Domain (with AuthorizationServerID for a
// custom authorization server) or Issuer, and either ClientID with
// ClientSecret or Auth.
//
// Config holds a secret: every fmt verb and slog print it redacted.
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
	// audience, revoke.AudienceEndpoint) or revoke.PublicClient for a
	// public client (SPA, native app) whose method is "none".
	Auth revoke.ClientAuth
}

// Format implements fmt.Formatter: the client secret never prints.
func (c Config) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "okta.Config", [][2]string{
		{"Domain", strconv.Quote(c.Domain)},
		{"AuthorizationServerID", strconv.Quote(c.AuthorizationServerID)},
		{"Issuer", strconv.Quote(c.Issuer)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Auth", authString(c.Auth)},
	})
}

// LogValue implements slog.LogValuer without the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("domain", c.Domain),
		slog.String("authorization_server_id", c.AuthorizationServerID),
		slog.String("issuer", c.Issuer),
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redact.IfSet(c.ClientSecret)),
	)
}

// Revoker revokes tokens at one Okta authorization server. It is safe for
// concurrent use; create one and share it.
type Revoker struct {
	form   wire.FormRevocation
	client *wire.Client
	issuer string
	asID   string
}

var _ revoke.Revoker = (*Revoker)(nil)

// New validates cfg and opts and returns a Revoker. Every mistake (a
// malformed domain, an authorization server ID that cannot be a path
// segment, missing credentials, a client assertion audience Okta would
// reject) is a *revoke.ConfigError here, not a failure on first use.
//
// With revoke.PrivateKeyJWT or revoke.ClientSecretJWT, New signs one trial
// assertion (never sent) to check its audience; with a key held in a KMS
// that is one signing call.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, asID, err := resolveServer(cfg, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	issuer := base.String()
	revokeURL := wire.JoinPath(base, "oauth2", "v1", "revoke")
	tokenURL := wire.JoinPath(base, "oauth2", "v1", "token")
	if asID != "" {
		issuer = wire.JoinPath(base, "oauth2", asID).String()
		revokeURL = wire.JoinPath(base, "oauth2", asID, "v1", "revoke")
		tokenURL = wire.JoinPath(base, "oauth2", asID, "v1", "token")
	}
	auth, err := resolveAuth(cfg)
	if err != nil {
		return nil, err
	}
	if err := checkAudience(auth, wire.Endpoint(revokeURL), issuer, tokenURL.String()); err != nil {
		return nil, err
	}
	return &Revoker{
		client: wire.New(o),
		issuer: issuer,
		asID:   asID,
		form: wire.FormRevocation{
			Op:   "okta revoke",
			URL:  revokeURL,
			Auth: auth,
			// The issuer and token endpoint are deliberately not given to
			// the ClientAuth: Okta accepts only the URL called as "aud".
		},
	}, nil
}

// Revoke revokes one access token, refresh token or device secret
// (POST /oauth2/v1/revoke or /oauth2/{authorizationServerId}/v1/revoke,
// https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke).
// Hints access_token, refresh_token and device_secret are sent as
// token_type_hint. A nil error means Okta answered 200, which it also does
// for unknown, expired and already revoked tokens. Result.RateLimit carries
// Okta's X-Rate-Limit-* headers and Result.Vendor.RequestID its
// X-Okta-Request-Id.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	resp, err := r.client.RevokeForm(ctx, &r.form, req)
	if err != nil {
		return nil, err
	}
	res := wire.Result(resp)
	res.Vendor.RequestID = resp.Header.Get("X-Okta-Request-Id")
	return res, nil
}

// Endpoint returns the revocation endpoint URL in use.
func (r *Revoker) Endpoint() string { return r.form.URL.String() }

// Issuer returns the issuer of the authorization server this Revoker
// revokes at: "https://{domain}" or "https://{domain}/oauth2/{id}".
func (r *Revoker) Issuer() string { return r.issuer }

// AuthorizationServerID returns the custom authorization server ID, or ""
// for the org authorization server.
func (r *Revoker) AuthorizationServerID() string { return r.asID }

// AuthMethod returns the client authentication method, e.g.
// "client_secret_basic".
func (r *Revoker) AuthMethod() string { return r.form.Auth.Method() }

// ClientID returns the client ID.
func (r *Revoker) ClientID() string { return r.form.Auth.ClientID() }

// Format implements fmt.Formatter: credentials never print, with any verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	if r.form.URL == nil {
		fmt.Fprint(f, "{}")
		return
	}
	redact.Format(f, verb, "okta.Revoker", [][2]string{
		{"Endpoint", strconv.Quote(r.Endpoint())},
		{"AuthMethod", strconv.Quote(r.AuthMethod())},
		{"ClientID", strconv.Quote(r.ClientID())},
	})
}

// LogValue implements slog.LogValuer without credentials.
func (r *Revoker) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", r.Endpoint()),
		slog.String("auth_method", r.AuthMethod()),
		slog.String("client_id", r.ClientID()),
	)
}

// resolveServer returns the org base URL (scheme and host) and the custom
// authorization server ID ("" for the org authorization server).
func resolveServer(cfg Config, allowInsecure bool) (*url.URL, string, error) {
	switch {
	case cfg.Domain != "" && cfg.Issuer != "":
		return nil, "", &revoke.ConfigError{Field: "okta.Config.Issuer", Problem: "is set together with Domain: set Domain (and AuthorizationServerID), or Issuer, not both"}
	case cfg.Domain == "" && cfg.Issuer == "":
		return nil, "", &revoke.ConfigError{Field: "okta.Config.Domain", Problem: "is empty: set your Okta domain, e.g. dev-123.okta.com, or Issuer, e.g. https://dev-123.okta.com/oauth2/default"}
	case cfg.Issuer != "":
		return resolveIssuer(cfg, allowInsecure)
	}
	base, err := parseBase("okta.Config.Domain", cfg.Domain, allowInsecure)
	if err != nil {
		return nil, "", err
	}
	if p := strings.TrimRight(base.Path, "/"); p != "" {
		hint := "the domain is only the host, e.g. dev-123.okta.com"
		if strings.HasPrefix(p, "/oauth2/") {
			hint = "set AuthorizationServerID for a custom authorization server, or pass the whole issuer URL in Issuer instead of Domain"
		}
		return nil, "", &revoke.ConfigError{Field: "okta.Config.Domain", Problem: fmt.Sprintf("%q has a path (%s): %s", cfg.Domain, p, hint)}
	}
	base.Path, base.RawPath = "", ""
	if err := validateASID("okta.Config.AuthorizationServerID", cfg.AuthorizationServerID); err != nil {
		return nil, "", err
	}
	return base, cfg.AuthorizationServerID, nil
}

func resolveIssuer(cfg Config, allowInsecure bool) (*url.URL, string, error) {
	const field = "okta.Config.Issuer"
	if !strings.Contains(cfg.Issuer, "://") {
		return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a URL: pass the issuer with its scheme, e.g. https://dev-123.okta.com/oauth2/default, or set Domain instead", cfg.Issuer)}
	}
	base, err := parseBase(field, cfg.Issuer, allowInsecure)
	if err != nil {
		return nil, "", err
	}
	p := strings.TrimRight(base.Path, "/")
	base.Path, base.RawPath = "", ""
	asID := ""
	switch segs := strings.Split(strings.TrimPrefix(p, "/"), "/"); {
	case p == "":
	case len(segs) == 2 && segs[0] == "oauth2":
		asID = segs[1]
		if err := validateASID(field, asID); err != nil {
			return nil, "", err
		}
	default:
		return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("path %q is not an Okta issuer path: an Okta issuer is https://{domain} (org authorization server) or https://{domain}/oauth2/{authorizationServerId}", p)}
	}
	if cfg.AuthorizationServerID != "" && cfg.AuthorizationServerID != asID {
		return nil, "", &revoke.ConfigError{Field: "okta.Config.AuthorizationServerID", Problem: fmt.Sprintf("%q contradicts the Issuer, which names %s: remove AuthorizationServerID (the Issuer already selects the authorization server)", cfg.AuthorizationServerID, asName(asID))}
	}
	return base, asID, nil
}

func asName(id string) string {
	if id == "" {
		return "the org authorization server"
	}
	return "authorization server " + strconv.Quote(id)
}

// parseBase accepts a host with or without scheme and trailing slash and
// returns an absolute URL with a validated host.
func parseBase(field, raw string, allowInsecure bool) (*url.URL, error) {
	s := raw
	if strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains whitespace: check for a stray space or newline", raw)}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := wire.ValidateEndpoint(field, s, allowInsecure)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q has a query: pass only the domain, e.g. dev-123.okta.com", raw)}
	}
	if err := validateHost(u.Hostname()); err != nil {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q: %v", raw, err)}
	}
	u.Host = strings.ToLower(u.Host)
	return u, nil
}

// validateHost accepts DNS names made of letters, digits and hyphens, and IP
// literals.
func validateHost(h string) error {
	if h == "" {
		return fmt.Errorf("has no host: pass a domain such as dev-123.okta.com")
	}
	if net.ParseIP(h) != nil {
		return nil
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" {
			return fmt.Errorf("host %q has an empty label: check for a doubled or trailing dot", h)
		}
		if strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return fmt.Errorf("host %q has a label starting or ending with '-'", h)
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("host %q contains %q, which a domain name cannot: pass a domain such as dev-123.okta.com", h, c)
			}
		}
	}
	return nil
}

// validateASID accepts what can be a single path segment without escaping:
// Okta IDs ("aus8w23example1d7") and "default".
func validateASID(field, id string) error {
	if id == "" {
		return nil
	}
	if strings.Contains(id, "/") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains '/': pass only the ID, e.g. \"default\" or \"aus8w23example1d7\" (the path /oauth2/{id}/v1/revoke is built for you), or pass the whole issuer in Config.Issuer", id)}
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains %q: an authorization server ID has only letters, digits, '-' and '_', e.g. \"default\" or \"aus8w23example1d7\"", id, c)}
		}
	}
	return nil
}

func resolveAuth(cfg Config) (revoke.ClientAuth, error) {
	var auth revoke.ClientAuth
	switch {
	case cfg.Auth != nil:
		if cfg.ClientSecret != "" {
			return nil, &revoke.ConfigError{Field: "okta.Config.ClientSecret", Problem: "is set together with Auth: use ClientID and ClientSecret (client_secret_basic), or Auth, not both"}
		}
		if cfg.ClientID != "" && cfg.ClientID != cfg.Auth.ClientID() {
			return nil, &revoke.ConfigError{Field: "okta.Config.ClientID", Problem: fmt.Sprintf("%q differs from the Auth's client ID %q: leave ClientID empty when Auth is set", cfg.ClientID, cfg.Auth.ClientID())}
		}
		auth = cfg.Auth
	case cfg.ClientID == "":
		return nil, &revoke.ConfigError{Field: "okta.Config.ClientID", Problem: "is empty: set the app's client ID (Okta Admin Console > Applications > your app > Client ID), or set Auth"}
	case cfg.ClientSecret == "":
		return nil, &revoke.ConfigError{Field: "okta.Config.ClientSecret", Problem: "is empty: set the app's client secret, or for a public client (SPA, native app) set Auth: revoke.PublicClient(clientID)"}
	default:
		for _, f := range [...]struct{ name, v string }{{"ClientID", cfg.ClientID}, {"ClientSecret", cfg.ClientSecret}} {
			if strings.TrimSpace(f.v) != f.v {
				return nil, &revoke.ConfigError{Field: "okta.Config." + f.name, Problem: "has leading or trailing whitespace: check for a stray space or newline"}
			}
		}
		auth = revoke.ClientSecretBasic(cfg.ClientID, cfg.ClientSecret)
	}
	if err := auth.Validate(); err != nil {
		return nil, err
	}
	methods := AuthMethods()
	auth, err := revoke.ChooseAuth(auth, methods)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(methods, auth.Method()) {
		return nil, &revoke.ConfigError{Field: "okta.Config.Auth", Problem: fmt.Sprintf("method %q is not one Okta accepts on /revoke: use one of %v", auth.Method(), methods)}
	}
	return auth, nil
}

// checkAudience signs a trial assertion for JWT methods and refuses any
// "aud" other than the revoke URL, which is the only value Okta accepts.
func checkAudience(auth revoke.ClientAuth, endpoint, issuer, tokenEndpoint string) error {
	switch auth.Method() {
	case revoke.MethodPrivateKeyJWT, revoke.MethodClientSecretJWT:
	default:
		return nil
	}
	t := revoke.AuthTarget{Header: http.Header{}, Form: url.Values{}, Endpoint: endpoint, Issuer: issuer, TokenEndpoint: tokenEndpoint}
	if err := auth.Apply(context.Background(), &t); err != nil {
		return err
	}
	aud, err := assertionAudience(t.Form.Get("client_assertion"))
	if err != nil {
		return &revoke.ConfigError{Field: "okta.Config.Auth", Problem: "the client assertion cannot be read back: " + err.Error()}
	}
	if len(aud) != 1 || aud[0] != endpoint {
		return &revoke.ConfigError{Field: "okta.Config.Auth", Problem: fmt.Sprintf(
			"the client assertion audience would be %q, but Okta accepts only the URL called, %s, and otherwise answers 401 invalid_client "+
				"(\"The audience claim for client_assertion must be the endpoint invoked for the request.\"): use revoke.AudienceEndpoint, the default, without WithAudience or WithAudienceValue",
			strings.Join(aud, " "), endpoint)}
	}
	return nil
}

func assertionAudience(assertion string) ([]string, error) {
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512})
	if err != nil {
		return nil, err
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		return nil, err
	}
	return c.Audience, nil
}

func authString(a revoke.ClientAuth) string {
	if a == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", a)
}
