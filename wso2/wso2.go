package wso2

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

// Config configures a Revoker
// (https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/).
//
// Set BaseURL, then one way to identify the client: ClientID and
// ClientSecret (raw Basic), Auth, or ClientID with ClientIDOnly.
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted, and user info or a query written into BaseURL never prints.
type Config struct {
	// BaseURL is the server's root URL, with its scheme:
	// "https://localhost:9443" (Identity Server, API Manager 4.x Key
	// Manager), "https://api.asgardeo.io", or a gateway path prefix such as
	// "https://gw.example.com/is". The path /oauth2/revoke (or
	// /t/{tenant}/oauth2/revoke) is appended. A BaseURL that already ends
	// in /t/{tenant} is accepted when Tenant is empty. Plain http is
	// refused except to a loopback address (or with
	// revoke.WithInsecureHTTP); user info, a query and a fragment are
	// refused.
	BaseURL string
	// Tenant is the tenant domain (Identity Server, e.g. "wso2.com") or
	// Asgardeo organization name: letters, digits, '.', '-' and '_'. Empty
	// uses the super tenant path /oauth2/revoke (SuperTenant).
	Tenant string
	// ClientID and ClientSecret authenticate with client_secret_basic,
	// sent raw (revoke.ClientSecretBasicRaw) because WSO2 does not
	// form-decode Basic credentials (BasicAuthClientAuthenticator). WSO2
	// splits the decoded header on ':' into exactly two parts, so neither
	// may contain ':': use Auth: revoke.ClientSecretPost(id, secret) for
	// such a secret. The secret must be at least revoke.MinSecretBytes
	// long, without white space at either end or control characters.
	ClientID     string
	ClientSecret string
	// Auth chooses the client authentication instead of ClientID and
	// ClientSecret: revoke.ClientSecretPost (needed when the secret holds
	// ':'), revoke.ClientSecretBasicRaw, revoke.PublicClient (the same as
	// ClientIDOnly), or revoke.ClientCredentials, which sends
	// client_secret_post. revoke.ClientSecretBasic is refused: it
	// form-encodes the credentials and WSO2 does not decode them.
	Auth revoke.ClientAuth
	// ClientIDOnly sends client_id in the form and no secret and no
	// Authorization header. WSO2 accepts it for apps that allow
	// authentication without the client secret (public clients) and for
	// implicit-grant tokens of apps with the implicit grant enabled
	// (OAuth2Service.revokeTokenByOAuthClient; API Manager's documentation
	// also names JWT-grant tokens). Set ClientID and leave ClientSecret and
	// Auth empty.
	ClientIDOnly bool
}

// fields is what a Config prints: the client secret shows as
// revoke.Redacted when set, the client authentication its method and
// client ID only, and BaseURL no user info or query. A nil *Config has
// none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Tenant", strconv.Quote(c.Tenant)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"Auth", redact.Auth(c.Auth)},
		{"ClientIDOnly", strconv.FormatBool(c.ClientIDOnly)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret, and any user info or query in BaseURL, never print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "wso2.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one WSO2 server and tenant. It is safe for
// concurrent use; create one with New and share it. A zero or nil Revoker
// returns a *revoke.ConfigError from Revoke.
//
// Revoke revokes one access or refresh token: POST /oauth2/revoke (or
// /t/{tenant}/oauth2/revoke) with token, the optional token_type_hint and
// the client authentication
// (https://is.docs.wso2.com/en/6.1.0/guides/access-delegation/oauth-token-revocation/).
// Revoking either token of a pair revokes both: WSO2 keeps them in one
// record.
//
// Hint refresh_token makes WSO2 look among refresh tokens first; it finds
// the token either way. device_secret is refused (WSO2 has no such
// tokens), and so is Params["callback"], which would turn the answer into
// JSONP.
//
// A nil error means WSO2 answered 200. Details(res) tells what it revoked
// (RevokedAccessToken, RevokedRefreshToken, AuthorizedUser headers); a 200
// without them means nothing matched, which is no error: the token does
// not work either way. Failures are *revoke.Error values: 401
// invalid_client is revoke.ErrInvalidClient (WSO2 labels that JSON body
// text/html; it is parsed all the same), another client's access token is
// revoke.ErrUnauthorizedClient.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "wso2.Revoker", Build: "wso2.New", Send: send}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first use;
// no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	u, err := endpointURL(c, cfg)
	if err != nil {
		return nil, err
	}
	auth, err := resolveAuth(c, cfg)
	if err != nil {
		return nil, err
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:     op,
		URL:    u,
		Auth:   auth,
		Hints:  hints,
		Header: acceptJSON,
	})), nil
}

// endpointURL builds the revocation URL from BaseURL and Tenant.
func endpointURL(c *adapter.Client, cfg Config) (*url.URL, error) {
	const field = "wso2.Config.BaseURL"
	// URL insists on a scheme (BaseURL alone would assume https for a bare
	// host) and refuses user info, fragments and white space; BaseURL then
	// refuses a query and a malformed host, and normalises.
	if _, err := c.URL(field, cfg.BaseURL); err != nil {
		return nil, err
	}
	base, err := c.BaseURL(field, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	if strings.HasSuffix(lower, "/oauth2/revoke") || strings.HasSuffix(lower, "/oauth2") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes the endpoint path: pass only the server root (e.g. https://localhost:9443 or https://api.asgardeo.io) and set Tenant; /oauth2/revoke is appended", adapter.Endpoint(base))}
	}
	segs := strings.Split(strings.TrimPrefix(base.Path, "/"), "/")
	baseTenant := ""
	if len(segs) >= 2 && segs[len(segs)-2] == tenantPrefix {
		baseTenant = segs[len(segs)-1]
	}
	if cfg.Tenant == "" {
		if baseTenant != "" {
			if err := checkTenant(field+" (the tenant after /t/)", baseTenant); err != nil {
				return nil, err
			}
		}
		return adapter.JoinPath(base, revokePath...), nil
	}
	if baseTenant != "" {
		return nil, &revoke.ConfigError{Field: "wso2.Config.Tenant", Problem: "is set, but BaseURL already ends in a tenant path (/t/{tenant}): set the tenant in one of them"}
	}
	if err := checkTenant("wso2.Config.Tenant", cfg.Tenant); err != nil {
		return nil, err
	}
	return adapter.JoinPath(base, append([]string{tenantPrefix, cfg.Tenant}, revokePath...)...), nil
}

// checkTenant accepts tenant domains ("wso2.com", "carbon.super") and
// Asgardeo organization names: one path segment of letters, digits, '.',
// '-' and '_'. Like the kit's checks it never repeats the value.
func checkTenant(field, t string) error {
	const example = `"wso2.com" or "myorg" (the /t/{tenant}/oauth2/revoke path is built for you)`
	if err := adapter.CheckSegment(field, t, example); err != nil {
		return err
	}
	for i, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("contains %q at byte %d: a tenant domain or organization name has only letters, digits, '.', '-' and '_', e.g. %s", r, i, example)}
		}
	}
	return nil
}

// Problems shared by the Basic checks.
const (
	colonProblem = "contains ':', which WSO2's Basic authentication cannot carry (it splits \"id:secret\" into exactly two parts and does not decode): "
	postFix      = "set Auth: revoke.ClientSecretPost(id, secret) instead of ClientID and ClientSecret"
)

// resolveAuth turns the Config's credentials into one checked
// revoke.ClientAuth.
func resolveAuth(c *adapter.Client, cfg Config) (revoke.ClientAuth, error) {
	const (
		fieldID     = "wso2.Config.ClientID"
		fieldSecret = "wso2.Config.ClientSecret"
		fieldOnly   = "wso2.Config.ClientIDOnly"
	)
	switch {
	case cfg.ClientIDOnly:
		switch {
		case cfg.Auth != nil:
			return nil, &revoke.ConfigError{Field: fieldOnly, Problem: "is set together with Auth: ClientIDOnly sends only ClientID; unset one of them"}
		case cfg.ClientSecret != "":
			return nil, &revoke.ConfigError{Field: fieldOnly, Problem: "is set together with ClientSecret: ClientIDOnly never sends a secret; remove ClientSecret, or unset ClientIDOnly to authenticate with it"}
		}
		if err := adapter.CheckCredential(fieldID, cfg.ClientID, "the client_id the token was issued to: ClientIDOnly sends it alone"); err != nil {
			return nil, err
		}
		return c.CheckAuth(fieldID, revoke.PublicClient(cfg.ClientID), nil)
	case cfg.Auth != nil:
		if cfg.ClientSecret != "" {
			return nil, &revoke.ConfigError{Field: fieldSecret, Problem: "is set together with Auth: use ClientID and ClientSecret (raw Basic), or Auth, not both"}
		}
		a, err := checkAuth(c, cfg.Auth)
		if err != nil {
			return nil, err
		}
		if cfg.ClientID != "" && cfg.ClientID != a.ClientID() {
			// Neither value is repeated: one of them may be a secret
			// pasted into the wrong field.
			return nil, &revoke.ConfigError{Field: fieldID, Problem: "differs from the client ID of Auth: leave ClientID empty when Auth is set"}
		}
		return a, nil
	}
	if err := adapter.CheckCredential(fieldID, cfg.ClientID, "the application's client ID (consumer key)"); err != nil {
		return nil, err
	}
	if cfg.ClientSecret == "" {
		return nil, &revoke.ConfigError{Field: fieldSecret, Problem: "is empty: set the application's client secret (consumer secret); for implicit-grant or public-client tokens set ClientIDOnly instead"}
	}
	if err := adapter.CheckSecret(fieldSecret, cfg.ClientSecret, "the application's client secret (consumer secret)"); err != nil {
		return nil, err
	}
	if strings.Contains(cfg.ClientID, ":") {
		return nil, &revoke.ConfigError{Field: fieldID, Problem: colonProblem + postFix}
	}
	if strings.Contains(cfg.ClientSecret, ":") {
		return nil, &revoke.ConfigError{Field: fieldSecret, Problem: colonProblem + postFix}
	}
	return c.CheckAuth("wso2.Config", revoke.ClientSecretBasicRaw(cfg.ClientID, cfg.ClientSecret), nil)
}

// checkAuth accepts the methods WSO2's built-in authenticators handle, and
// for Basic makes sure the header is raw and splits into exactly two parts.
// It learns the method from adapter.DescribeAuth, which never exposes a
// secret, before the kit validates the value.
func checkAuth(c *adapter.Client, a revoke.ClientAuth) (revoke.ClientAuth, error) {
	const field = "wso2.Config.Auth"
	info := adapter.DescribeAuth(a)
	switch info.Method {
	case revoke.MethodClientSecretBasic:
		switch {
		case !info.RawBasic:
			return nil, &revoke.ConfigError{Field: field, Problem: "revoke.ClientSecretBasic form-encodes the credentials (RFC 6749 §2.3.1), which WSO2 does not decode: use revoke.ClientSecretBasicRaw, or set ClientID and ClientSecret"}
		case info.BasicHasExtraColon:
			return nil, &revoke.ConfigError{Field: field, Problem: "the client ID or secret " + colonProblem + "use revoke.ClientSecretPost(id, secret)"}
		}
		return c.CheckAuth(field, a, nil)
	case revoke.MethodClientSecretPost, revoke.MethodNone:
		return c.CheckAuth(field, a, nil)
	case "":
		// revoke.ClientCredentials, or a value the kit refuses as foreign.
		return c.CheckAuth(field, a, credentialsMethods)
	case revoke.MethodNoClientAuth:
		return nil, &revoke.ConfigError{Field: field, Problem: "revoke.NoClientAuth sends no client_id, and WSO2 always identifies the client: use revoke.PublicClient(id) or ClientIDOnly for a client without a secret"}
	}
	return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("method %q is not handled by WSO2's built-in client authenticators: use raw Basic (ClientID and ClientSecret), revoke.ClientSecretPost or ClientIDOnly; for a server with a private_key_jwt or mutual TLS authenticator add-on use generic.New with its revocation endpoint", info.Method)}
}

// send is what Revoke sends once the Revoker is built (adapter.Revoker.Send).
func send(ctx context.Context, k *adapter.Revoker, req revoke.Request) (*revoke.Result, error) {
	for k := range req.Params {
		if strings.EqualFold(k, callbackParam) {
			return nil, &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest,
				Problem: `"callback" turns WSO2's answer into JSONP for browsers and drops error_description from its errors: remove it`}
		}
	}
	// The Check reads WSO2's headers into this call's details: the shared
	// Revocation is copied, never modified.
	var d RevokeDetails
	rv := k.Revocation
	rv.Check = func(resp *adapter.Response) error {
		if err := adapter.DefaultCheck(resp); err != nil {
			return err
		}
		d = readDetails(resp)
		return nil
	}
	res, err := k.Client.Revoke(ctx, &rv, req)
	if err != nil {
		return nil, err
	}
	res.Vendor = d
	return res, nil
}
