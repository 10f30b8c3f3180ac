package wso2

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
)

// Response headers WSO2 adds when it found and revoked a token
// (OAuth2Service.addRevokeResponseHeaders).
const (
	HeaderRevokedAccessToken  = "RevokedAccessToken"
	HeaderRevokedRefreshToken = "RevokedRefreshToken"
	HeaderAuthorizedUser      = "AuthorizedUser"
)

// SuperTenant is the tenant domain WSO2 serves at /oauth2/revoke without a
// /t/{tenant} prefix.
const SuperTenant = "carbon.super"

// Config configures a Revoker.
//
// Config holds a secret: every fmt verb and slog print it redacted.
type Config struct {
	// BaseURL is the server's root URL: "https://localhost:9443" (Identity
	// Server, API Manager 4.x), "https://api.asgardeo.io". The path
	// /oauth2/revoke (or /t/{tenant}/oauth2/revoke) is appended. A BaseURL
	// that already ends in /t/{tenant} is accepted when Tenant is empty.
	BaseURL string
	// Tenant is the tenant domain (WSO2 IS, e.g. "wso2.com") or Asgardeo
	// organization name. Empty uses the super tenant path /oauth2/revoke.
	Tenant string
	// ClientID and ClientSecret authenticate with client_secret_basic,
	// sent raw (revoke.ClientSecretBasicRaw) because WSO2 does not
	// form-decode Basic credentials. Neither may contain ':'.
	ClientID     string
	ClientSecret string
	// Auth chooses another method instead of ClientID and ClientSecret:
	// revoke.ClientSecretPost (needed when the secret contains ':'),
	// revoke.ClientSecretBasicRaw, or revoke.PublicClient (the same as
	// ClientIDOnly).
	Auth revoke.ClientAuth
	// ClientIDOnly sends client_id in the form and no secret and no
	// Authorization header. WSO2 accepts it for apps that allow
	// authentication without the client secret (public clients) and for
	// implicit-grant tokens (API Manager also documents JWT-grant tokens).
	// Set ClientID and leave ClientSecret and Auth empty.
	ClientIDOnly bool
}

// Format implements fmt.Formatter: the client secret never prints.
func (c Config) Format(f fmt.State, verb rune) {
	auth := "<nil>"
	if c.Auth != nil {
		auth = fmt.Sprintf("%+v", c.Auth)
	}
	redact.Format(f, verb, "wso2.Config", [][2]string{
		{"BaseURL", strconv.Quote(c.BaseURL)},
		{"Tenant", strconv.Quote(c.Tenant)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Auth", auth},
		{"ClientIDOnly", strconv.FormatBool(c.ClientIDOnly)},
	})
}

// LogValue implements slog.LogValuer without the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("tenant", c.Tenant),
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", redact.IfSet(c.ClientSecret)),
		slog.Bool("client_id_only", c.ClientIDOnly),
	)
}

// Revoker revokes tokens at one WSO2 server and tenant. It is safe for
// concurrent use; create one and share it.
type Revoker struct {
	form   wire.FormRevocation
	client *wire.Client
}

var _ revoke.Revoker = (*Revoker)(nil)

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError here, not a failure on first use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	u, err := endpointURL(cfg, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	auth, err := resolveAuth(cfg)
	if err != nil {
		return nil, err
	}
	return &Revoker{
		client: wire.New(o),
		form: wire.FormRevocation{
			Op:   "wso2 revoke",
			URL:  u,
			Auth: auth,
		},
	}, nil
}

// Revoke revokes one access or refresh token (POST /oauth2/revoke,
// https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/).
// Hint refresh_token makes WSO2 look among refresh tokens first; it finds
// the token either way. device_secret is refused: WSO2 has no such tokens.
//
// A nil error means WSO2 answered 200. Result.Vendor.Found reports whether
// it also said which tokens it revoked (RevokedAccessToken,
// RevokedRefreshToken, AuthorizedUser headers); a 200 without them means
// nothing matched.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if req.Hint == revoke.HintDeviceSecret {
		return nil, &revoke.ConfigError{Field: "wso2 revoke: Request.Hint", Problem: "WSO2 has no device secrets: use HintAccessToken, HintRefreshToken or no hint"}
	}
	if _, ok := req.Params["callback"]; ok {
		return nil, &revoke.ConfigError{Field: "wso2 revoke: Request.Params", Problem: `"callback" turns WSO2's answer into JSONP for browsers and hides its errors: remove it`}
	}
	resp, err := r.client.RevokeForm(ctx, &r.form, req)
	if err != nil {
		return nil, err
	}
	res := wire.Result(resp)
	res.Vendor.RevokedAccessToken = revoke.Secret(header(resp.Header, HeaderRevokedAccessToken))
	res.Vendor.RevokedRefreshToken = revoke.Secret(header(resp.Header, HeaderRevokedRefreshToken))
	res.Vendor.AuthorizedUser = header(resp.Header, HeaderAuthorizedUser)
	return res, nil
}

// header reads a response header case-insensitively, also when the map key
// was not canonicalised (a transport or test double may keep WSO2's
// spelling).
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Endpoint returns the revocation endpoint URL in use.
func (r *Revoker) Endpoint() string { return r.form.URL.String() }

// AuthMethod returns the client authentication method: "client_secret_basic"
// (raw), "client_secret_post" or "none" (ClientIDOnly).
func (r *Revoker) AuthMethod() string { return r.form.Auth.Method() }

// ClientID returns the client ID.
func (r *Revoker) ClientID() string { return r.form.Auth.ClientID() }

// Format implements fmt.Formatter: credentials never print, with any verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	if r.form.URL == nil {
		fmt.Fprint(f, "{}")
		return
	}
	redact.Format(f, verb, "wso2.Revoker", [][2]string{
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

func endpointURL(cfg Config, allowInsecure bool) (*url.URL, error) {
	const field = "wso2.Config.BaseURL"
	if strings.TrimSpace(cfg.BaseURL) != cfg.BaseURL {
		return nil, &revoke.ConfigError{Field: field, Problem: "has leading or trailing whitespace: check for a stray space or newline"}
	}
	base, err := wire.ValidateEndpoint(field, cfg.BaseURL, allowInsecure)
	if err != nil {
		return nil, err
	}
	if base.RawQuery != "" || base.ForceQuery {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q has a query: pass only the server root, e.g. https://localhost:9443", cfg.BaseURL)}
	}
	p := strings.TrimRight(base.Path, "/")
	if strings.HasSuffix(p, "/oauth2/revoke") || strings.HasSuffix(p, "/oauth2") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes the endpoint path: pass only the server root (e.g. https://localhost:9443 or https://api.asgardeo.io) and set Tenant; /oauth2/revoke is appended", cfg.BaseURL)}
	}
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	baseHasTenant := len(segs) >= 2 && segs[len(segs)-2] == "t"
	if cfg.Tenant == "" {
		return wire.JoinPath(base, "oauth2", "revoke"), nil
	}
	if baseHasTenant {
		return nil, &revoke.ConfigError{Field: "wso2.Config.Tenant", Problem: fmt.Sprintf("is %q but BaseURL %q already ends in a tenant path: set one of them", cfg.Tenant, cfg.BaseURL)}
	}
	if err := validateTenant(cfg.Tenant); err != nil {
		return nil, err
	}
	return wire.JoinPath(base, "t", cfg.Tenant, "oauth2", "revoke"), nil
}

// validateTenant accepts tenant domains ("wso2.com", "carbon.super") and
// Asgardeo organization names: letters, digits, '.', '-' and '_'.
func validateTenant(t string) error {
	const field = "wso2.Config.Tenant"
	if strings.Contains(t, "/") {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains '/': pass only the tenant domain or organization name, e.g. \"wso2.com\" or \"myorg\" (the /t/{tenant}/oauth2/revoke path is built for you)", t)}
	}
	if t == "." || t == ".." {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q is not a tenant name: pass the tenant domain or organization name", t)}
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q contains %q: a tenant domain or organization name has only letters, digits, '.', '-' and '_'", t, c)}
		}
	}
	return nil
}

func resolveAuth(cfg Config) (revoke.ClientAuth, error) {
	if cfg.ClientIDOnly {
		switch {
		case cfg.Auth != nil:
			return nil, &revoke.ConfigError{Field: "wso2.Config.ClientIDOnly", Problem: "is set together with Auth: ClientIDOnly sends only ClientID; unset one of them"}
		case cfg.ClientSecret != "":
			return nil, &revoke.ConfigError{Field: "wso2.Config.ClientIDOnly", Problem: "is set together with ClientSecret: ClientIDOnly never sends a secret; remove ClientSecret, or unset ClientIDOnly to authenticate with it"}
		case cfg.ClientID == "":
			return nil, &revoke.ConfigError{Field: "wso2.Config.ClientID", Problem: "is empty: ClientIDOnly sends the client_id the token was issued to; set it"}
		}
		if err := checkCredential("ClientID", cfg.ClientID); err != nil {
			return nil, err
		}
		a := revoke.PublicClient(cfg.ClientID)
		return a, a.Validate()
	}
	if cfg.Auth != nil {
		if cfg.ClientSecret != "" {
			return nil, &revoke.ConfigError{Field: "wso2.Config.ClientSecret", Problem: "is set together with Auth: use ClientID and ClientSecret (raw Basic), or Auth, not both"}
		}
		if cfg.ClientID != "" && cfg.ClientID != cfg.Auth.ClientID() {
			return nil, &revoke.ConfigError{Field: "wso2.Config.ClientID", Problem: fmt.Sprintf("%q differs from the Auth's client ID %q: leave ClientID empty when Auth is set", cfg.ClientID, cfg.Auth.ClientID())}
		}
		return checkAuth(cfg.Auth)
	}
	if cfg.ClientID == "" {
		return nil, &revoke.ConfigError{Field: "wso2.Config.ClientID", Problem: "is empty: set the application's client ID (consumer key)"}
	}
	if cfg.ClientSecret == "" {
		return nil, &revoke.ConfigError{Field: "wso2.Config.ClientSecret", Problem: "is empty: set the application's client secret (consumer secret); for implicit-grant, JWT-grant or public-client tokens set ClientIDOnly instead"}
	}
	for _, f := range [...]struct{ name, v string }{{"ClientID", cfg.ClientID}, {"ClientSecret", cfg.ClientSecret}} {
		if err := checkCredential(f.name, f.v); err != nil {
			return nil, err
		}
	}
	if strings.Contains(cfg.ClientID, ":") {
		return nil, &revoke.ConfigError{Field: "wso2.Config.ClientID", Problem: "contains ':', which WSO2's Basic authentication cannot carry (it splits \"id:secret\" into exactly two parts and does not decode): set Auth: revoke.ClientSecretPost(id, secret)"}
	}
	if strings.Contains(cfg.ClientSecret, ":") {
		return nil, &revoke.ConfigError{Field: "wso2.Config.ClientSecret", Problem: "contains ':', which WSO2's Basic authentication cannot carry (it splits \"id:secret\" into exactly two parts and does not decode): set Auth: revoke.ClientSecretPost(id, secret) instead of ClientID and ClientSecret"}
	}
	a := revoke.ClientSecretBasicRaw(cfg.ClientID, cfg.ClientSecret)
	return a, a.Validate()
}

func checkCredential(name, v string) error {
	if strings.TrimSpace(v) != v {
		return &revoke.ConfigError{Field: "wso2.Config." + name, Problem: "has leading or trailing whitespace: check for a stray space or newline"}
	}
	return nil
}

// checkAuth accepts the methods WSO2's built-in authenticators handle, and
// for Basic makes sure the header is raw and splits into exactly two parts.
func checkAuth(a revoke.ClientAuth) (revoke.ClientAuth, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	switch a.Method() {
	case revoke.MethodClientSecretPost, revoke.MethodNone:
		return a, nil
	case revoke.MethodClientSecretBasic:
	case "":
		return nil, &revoke.ConfigError{Field: "wso2.Config.Auth", Problem: "revoke.ClientCredentials leaves the method open: set ClientID and ClientSecret for raw Basic, or Auth: revoke.ClientSecretPost(id, secret)"}
	default:
		return nil, &revoke.ConfigError{Field: "wso2.Config.Auth", Problem: fmt.Sprintf("method %q is not handled by WSO2's built-in client authenticators: use raw Basic (ClientID and ClientSecret), revoke.ClientSecretPost or ClientIDOnly; for a server with a JWT authenticator add-on use generic.New with its revocation endpoint", a.Method())}
	}
	// The root package names the encoded and raw Basic variants in their
	// Go-syntax representation; WSO2 needs the raw one.
	if strings.HasPrefix(fmt.Sprintf("%#v", a), "revoke.ClientSecretBasic{") {
		return nil, &revoke.ConfigError{Field: "wso2.Config.Auth", Problem: "revoke.ClientSecretBasic form-encodes the credentials (RFC 6749 §2.3.1), which WSO2 does not decode: use revoke.ClientSecretBasicRaw, or set ClientID and ClientSecret"}
	}
	t := revoke.AuthTarget{Header: http.Header{}, Form: url.Values{}}
	if err := a.Apply(context.Background(), &t); err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(t.Header.Get("Authorization"), "Basic "))
	if err != nil || strings.Count(string(raw), ":") != 1 {
		return nil, &revoke.ConfigError{Field: "wso2.Config.Auth", Problem: "the client secret contains ':', which WSO2's Basic authentication cannot carry (it splits \"id:secret\" into exactly two parts and does not decode): use revoke.ClientSecretPost(id, secret)"}
	}
	return a, nil
}
