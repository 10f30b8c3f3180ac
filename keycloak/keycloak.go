package keycloak

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker for one realm
// (https://www.keycloak.org/docs/latest/securing_apps/#_token_revocation_endpoint).
//
// Name the realm with BaseURL and Realm, or with Issuer; then set Auth.
// Config holds no secret itself; Auth prints redacted with every fmt verb,
// slog and encoding/json, and user info or a query written into BaseURL or
// Issuer never prints.
type Config struct {
	// BaseURL is the server's root: "https://sso.example.com", or with
	// the /auth prefix of Keycloak 16 and older,
	// "https://sso.example.com/auth". A host without a scheme means https.
	// Plain http is refused except to a loopback address (or with
	// revoke.WithInsecureHTTP); user info, a query and a fragment are
	// refused.
	BaseURL string
	// Realm is the realm name, as in /realms/{realm}.
	Realm string
	// Issuer is the realm's issuer instead of BaseURL and Realm:
	// "https://sso.example.com/realms/myrealm", as the iss claim of the
	// realm's tokens and its discovery document show it.
	Issuer string
	// Auth authenticates the client the tokens were issued to. Every
	// Keycloak client authenticator is supported:
	//
	//   - "Client Id and Secret": revoke.ClientSecretBasic (form-encoded
	//     per RFC 6749 §2.3.1, which Keycloak decodes since version 20),
	//     revoke.ClientSecretBasicRaw (for Keycloak 19 and older, with a
	//     secret that form-encoding would change), revoke.ClientSecretPost,
	//     or revoke.ClientCredentials, which picks Basic, or
	//     client_secret_post when encoding would change the ID or secret so
	//     that every Keycloak version reads it the same;
	//   - "Signed JWT": revoke.PrivateKeyJWT; "Signed JWT with Client
	//     Secret": revoke.ClientSecretJWT (a secret of 32 bytes or more).
	//     The assertion's audience is the realm's issuer (Keycloak also
	//     accepts the token endpoint, revoke.WithAudience(
	//     revoke.AudienceTokenEndpoint); the revocation endpoint itself it
	//     refuses up to the versions read, see the package documentation);
	//   - "X509 Certificate": revoke.TLSClientAuth (mutual TLS, client_id
	//     in the body);
	//   - a public client: revoke.PublicClient(id).
	//
	// revoke.NoClientAuth and revoke.SelfSignedTLSClientAuth are refused:
	// Keycloak always identifies the client, and its X509 authenticator
	// matches a subject DN, not a registered certificate.
	Auth revoke.ClientAuth
}

// fields is what a Config prints: Auth shows its method and client ID
// only, and BaseURL and Issuer no user info, query or fragment. A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Realm", strconv.Quote(c.Realm)},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
		{"Auth", redact.Auth(c.Auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: Auth
// prints as its method and client ID, and user info or a query in BaseURL
// or Issuer never prints.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "keycloak.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one Keycloak realm's revocation endpoint. It is
// safe for concurrent use; create one with New or Discover and share it. A
// zero or nil Revoker returns a *revoke.ConfigError from Revoke.
//
// It implements revoke.Revoker and revoke.TokenRevoker.
//
// Revoke revokes one token: POST …/protocol/openid-connect/revoke with
// token, the optional token_type_hint and the client authentication
// (RFC 7009 §2.1). Keycloak never reads the hint: access_token and
// refresh_token are sent as given (harmless), anything else is refused
// before sending.
//
// Revoking a refresh or offline token ends the client's session in the
// user session it belongs to, and with it the access tokens issued there;
// revoking an access token puts its ID on Keycloak's revoked list until it
// expires. Resource servers that verify access tokens locally accept them
// until they expire either way.
//
// A nil error means Keycloak answered 200. Keycloak answers 200 with
// {"error":"invalid_token","error_description":"Invalid token"} for a token
// that was already revoked, expired, malformed or whose session is gone:
// that is success too, with Result.AlreadyInvalid set. Failures are
// *revoke.Error values: another client's token is revoke.ErrInvalidRequest
// ("Unmatching clients"), an ID token revoke.ErrUnsupportedTokenType, a
// failed client authentication revoke.ErrInvalidClient (Keycloak says
// unauthorized_client), a realm requiring https reached over http
// revoke.ErrInsecureEndpoint, an unknown realm revoke.ErrNotFound; each
// carries a hint naming the fix.
//
// RevokeToken implements revoke.TokenRevoker: the refresh token first,
// which ends the client session and the access tokens issued in it, then
// the access token, both attempted, failures joined. The second call
// usually answers "already invalid" (AlreadyInvalid), which is success.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "keycloak.Revoker", Build: "keycloak.New or keycloak.Discover", Pair: adapter.RefreshThenAccess, Vendor: "Keycloak", Send: send}

// newRevoker binds Keycloak's revocation endpoint. The client assertion's
// default audience is the realm's issuer.
func newRevoker(c *adapter.Client, endpoint *url.URL, auth revoke.ClientAuth, issuer, tokenURL string) *Revoker {
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:            opRevoke,
		URL:           endpoint,
		Auth:          auth,
		Issuer:        issuer,
		TokenEndpoint: tokenURL,
		Audience:      revoke.AudienceIssuer,
		Header:        acceptJSON,
		ReadBody:      true,
		Check:         checkRevoke,
	}))
}

// New validates cfg and opts and returns a Revoker for
// POST {BaseURL}/realms/{Realm}/protocol/openid-connect/revoke. Every
// mistake is a *revoke.ConfigError naming the field and the fix, here, not
// on first use; no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, realm, err := realmOf(c, "keycloak.Config", cfg.BaseURL, cfg.Realm, cfg.Issuer)
	if err != nil {
		return nil, err
	}
	auth, err := c.ChooseAuth("keycloak.Config.Auth", cfg.Auth, authRules, nil)
	if err != nil {
		return nil, err
	}
	issuer := adapter.JoinPath(base, realmsSegment, realm)
	return newRevoker(c, adapter.JoinPath(issuer, revokePath...), auth, issuer.String(), adapter.JoinPath(issuer, tokenPath...).String()), nil
}

// checkRequest refuses, before sending, what Keycloak cannot take: a bad
// token, a hint that is not registered, and parameters that would override
// the SDK's or that Keycloak would refuse as duplicated.
func checkRequest(req revoke.Request) error {
	if err := adapter.CheckToken(opRevoke, req.Token); err != nil {
		return err
	}
	if req.Hint != "" && !slices.Contains(hints, req.Hint) {
		return &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is not access_token or refresh_token: Keycloak ignores the hint and has no other kinds of token to revoke; leave it empty or use one of those"}
	}
	keys := make([]string, 0, len(req.Params))
	for k := range req.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		field := opRevoke + ": Request.Params"
		for _, reserved := range reservedParams {
			if strings.EqualFold(k, reserved) {
				return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
					Problem: fmt.Sprintf("%q is set by the SDK and may not be overridden, in any letter case: use Request.Token, Request.Hint or Config.Auth", shortName(k))}
			}
		}
		if k == "" || strings.ContainsFunc(k, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "has an empty name or one with a control character: remove it"}
		}
		if len(req.Params[k]) > 1 {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
				Problem: fmt.Sprintf("%q has %d values: Keycloak refuses a repeated parameter (400 duplicated parameter); pass one", shortName(k), len(req.Params[k]))}
		}
	}
	return nil
}

// shortName bounds a caller's parameter name repeated in an error.
func shortName(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// checkRevoke reads Keycloak's answer. 200 with an empty body is revoked;
// 200 with invalid_token is already invalid; any other 200 body is not
// something Keycloak sends, and a failure is the kit's error with a hint.
func checkRevoke(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		body := bytes.TrimSpace(r.Body)
		if len(body) == 0 {
			return nil
		}
		if b, ok := r.ErrorBody(); ok {
			if b.Code == codeInvalidToken {
				return adapter.AlreadyInvalid
			}
			e := r.Fail()
			if e.Kind == revoke.ErrUnexpectedResponse || e.Kind == nil {
				e.Kind = revoke.ErrUnexpectedResponse
			}
			return e
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(body, &obj) == nil {
			return nil // a JSON object without an error: nothing to report
		}
		e := r.Fail()
		e.Kind = revoke.ErrUnexpectedResponse
		e.Description = "Keycloak answers a revocation with an empty body or a JSON error, never this: check that the URL reaches Keycloak and not a proxy's page"
		return e
	}
	e := r.Fail()
	addHint(e)
	return e
}

// addHint appends the constant hint that fits what Keycloak said.
func addHint(e *revoke.Error) {
	hint := ""
	switch {
	case e.Code == codeInvalidRequest && e.Description == descUnmatching:
		hint = hintUnmatching
	case e.Code == "unsupported_token_type":
		hint = hintTokenType
	case e.Code == codeInvalidRequest && e.Description == descDuplicated:
		hint = hintDuplicated
	case e.Kind == revoke.ErrInsecureEndpoint:
		hint = hintHTTPS
	case e.Description == descRealmDisabled:
		hint = hintRealmDisabled
	case e.Description == descBearerOnly:
		hint = hintBearerOnly
	case e.Kind == revoke.ErrInvalidClient:
		hint = hintClientAuth
	case e.StatusCode == http.StatusNotFound:
		hint = hintNotFound
	}
	appendHint(e, hint)
}

func appendHint(e *revoke.Error, hint string) {
	switch {
	case hint == "":
	case e.Description == "":
		e.Description = hint
	default:
		e.Description += " (" + hint + ")"
	}
}

// Discover reads the realm's OpenID Connect Discovery document at
// {issuer}/.well-known/openid-configuration, checks that its issuer is the
// one asked for, and returns a Revoker for its revocation_endpoint — or,
// for revoke.TLSClientAuth, for mtls_endpoint_aliases.revocation_endpoint
// when there is one (RFC 8705 §5). Behind a proxy or with a frontend URL,
// the discovered issuer is the one Keycloak checks client assertions
// against, which New can only guess.
//
// With revoke.ClientCredentials the method is chosen from
// revocation_endpoint_auth_methods_supported (Keycloak lists
// private_key_jwt, client_secret_basic, client_secret_post,
// tls_client_auth and client_secret_jwt) as New chooses it; any other
// Auth is used as given, within Keycloak's authenticators.
func Discover(ctx context.Context, issuer string, auth revoke.ClientAuth, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	if err := adapter.CheckContext(ctx, "keycloak.Discover"); err != nil {
		return nil, err
	}
	base, realm, err := parseIssuer(c, "keycloak.Discover issuer", issuer)
	if err != nil {
		return nil, err
	}
	iss := adapter.JoinPath(base, realmsSegment, realm)
	// Check the authentication first: no request for a configuration that
	// cannot work.
	if _, err := c.ChooseAuth("keycloak.Discover auth", auth, authRules, discoveredMethods); err != nil {
		return nil, err
	}
	md, err := fetchMetadata(ctx, c, iss)
	if err != nil {
		return nil, err
	}
	endpoint, tokenURL := md.RevocationEndpoint, md.TokenEndpoint
	if adapter.DescribeAuth(auth).MutualTLS {
		if md.MTLSEndpointAliases.RevocationEndpoint != "" {
			endpoint = md.MTLSEndpointAliases.RevocationEndpoint
		}
		if md.MTLSEndpointAliases.TokenEndpoint != "" {
			tokenURL = md.MTLSEndpointAliases.TokenEndpoint
		}
	}
	if endpoint == "" {
		return nil, &revoke.ConfigError{Field: "keycloak.Discover", Problem: "the realm's metadata advertises no revocation_endpoint: check that the issuer is a Keycloak realm, on a release recent enough to have the revocation endpoint"}
	}
	u, err := c.URL("keycloak.Discover: metadata revocation_endpoint", endpoint)
	if err != nil {
		return nil, err
	}
	methods := md.RevocationEndpointAuthMethodsSupported
	if len(methods) == 0 {
		methods = discoveredMethods
	}
	a, err := c.ChooseAuth("keycloak.Discover auth", auth, authRules, methods)
	if err != nil {
		return nil, err
	}
	return newRevoker(c, u, a, strings.TrimRight(md.Issuer, "/"), tokenURL), nil
}

// metadata is the part of the discovery document Discover reads.
type metadata struct {
	Issuer                                 string   `json:"issuer"`
	TokenEndpoint                          string   `json:"token_endpoint"`
	RevocationEndpoint                     string   `json:"revocation_endpoint"`
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
	MTLSEndpointAliases                    struct {
		RevocationEndpoint string `json:"revocation_endpoint"`
		TokenEndpoint      string `json:"token_endpoint"`
	} `json:"mtls_endpoint_aliases"`
}

func fetchMetadata(ctx context.Context, c *adapter.Client, issuer *url.URL) (*metadata, error) {
	var md metadata
	err := c.FetchMetadata(ctx, adapter.Discovery{Op: opDiscover, URL: adapter.JoinPath(issuer, wellKnownPath...), Issuer: issuer.String(),
		Advice: "if Keycloak has a frontend URL, pass that as the issuer"}, &md)
	if e, ok := err.(*revoke.Error); ok && e.StatusCode == http.StatusNotFound {
		appendHint(e, hintNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &md, nil
}

// realmOf turns BaseURL and Realm, or Issuer, into the server's base URL
// and the realm name. field prefixes the configuration field names.
func realmOf(c *adapter.Client, field, baseURL, realm, issuer string) (*url.URL, string, error) {
	if issuer != "" {
		if baseURL != "" || realm != "" {
			return nil, "", &revoke.ConfigError{Field: field + ".Issuer", Problem: "is set together with BaseURL or Realm: name the realm with Issuer alone, or with BaseURL and Realm"}
		}
		return parseIssuer(c, field+".Issuer", issuer)
	}
	fb := field + ".BaseURL"
	if baseURL == "" {
		return nil, "", &revoke.ConfigError{Field: fb, Problem: "is empty: set BaseURL (e.g. https://sso.example.com) and Realm, or Issuer (https://sso.example.com/realms/myrealm)"}
	}
	base, err := c.BaseURL(fb, baseURL)
	if err != nil {
		return nil, "", err
	}
	lower := strings.ToLower(base.Path)
	if strings.Contains(lower+"/", "/realms/") || strings.Contains(lower, "/protocol/openid-connect") {
		return nil, "", &revoke.ConfigError{Field: fb, Problem: fmt.Sprintf("%q already includes a realm path: pass only the server root (e.g. https://sso.example.com, or https://sso.example.com/auth for Keycloak 16 and older) and set Realm, or set Issuer instead", adapter.Endpoint(base))}
	}
	if err := checkRealm(field+".Realm", realm); err != nil {
		return nil, "", err
	}
	return base, realm, nil
}

// parseIssuer splits a realm's issuer, {base}/realms/{realm}, into the
// base URL (host lower-cased, no trailing slash) and the realm name.
func parseIssuer(c *adapter.Client, field, issuer string) (*url.URL, string, error) {
	u, err := c.URL(field, issuer)
	if err != nil {
		return nil, "", err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, "", &revoke.ConfigError{Field: field, Problem: "has a query (?...): an issuer has none; pass https://host/realms/{realm}"}
	}
	if err := adapter.CheckHost(u.Hostname()); err != nil {
		return nil, "", &revoke.ConfigError{Field: field, Problem: err.Error()}
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segs) < 2 || segs[len(segs)-2] != realmsSegment {
		return nil, "", &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q does not end in /realms/{realm}: pass the realm's issuer, e.g. https://sso.example.com/realms/myrealm (the iss claim of its tokens)", adapter.Endpoint(u))}
	}
	name := segs[len(segs)-1]
	if err := checkRealm(field+" (the realm after /realms/)", name); err != nil {
		return nil, "", err
	}
	base := *u
	base.Host = strings.ToLower(base.Host)
	base.Path, base.RawPath = strings.TrimRight("/"+strings.Join(segs[:len(segs)-2], "/"), "/"), ""
	return &base, name, nil
}

// checkRealm accepts a realm name that can be one URL path segment.
func checkRealm(field, realm string) error {
	return adapter.CheckSegment(field, realm, `"myrealm" (the name in /realms/{realm}; set BaseURL to the server root)`)
}

// send is what Revoke sends once the Revoker is built (adapter.Revoker.Send).
func send(ctx context.Context, k *adapter.Revoker, req revoke.Request) (*revoke.Result, error) {
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	form := url.Values{"token": {req.Token}}
	if req.Hint != "" {
		form.Set("token_type_hint", string(req.Hint))
	}
	for k, v := range req.Params {
		form[k] = v
	}
	resp, err := k.Client.Do(ctx, k.Revocation.Call(req.Token, adapter.Form(form)))
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}
