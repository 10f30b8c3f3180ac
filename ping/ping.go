package ping

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// FederateConfig configures a Revoker for PingFederate
// (https://docs.pingidentity.com/pingfederate/latest/developers_reference_guide/pf_token_revoc_endpoint.html).
type FederateConfig struct {
	// BaseURL is the runtime engine's base URL, with its scheme:
	// "https://pf.example.com:9031", with any path prefix a proxy adds.
	// /as/revoke_token.oauth2 is appended.
	BaseURL string
	// Auth authenticates the client as configured in PingFederate:
	// revoke.ClientSecretBasic or revoke.ClientSecretBasicRaw,
	// revoke.ClientSecretPost, revoke.PublicClient,
	// revoke.PrivateKeyJWT, revoke.ClientSecretJWT, revoke.TLSClientAuth,
	// or revoke.ClientCredentials (Basic, or POST when form-encoding would
	// change the secret).
	Auth revoke.ClientAuth
	// TokenEndpoint is a client assertion's "aud". Empty means BaseURL +
	// "/as/token.oauth2".
	TokenEndpoint string
}

// OneConfig configures a Revoker for PingOne
// (https://developer.pingidentity.com/pingone-api/auth/openid-connect-oauth-2/token-revocation.html).
// Set EnvironmentID and Region, or CustomDomain.
type OneConfig struct {
	// EnvironmentID is the environment's ID, a UUID such as
	// "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6" (Settings → Environment
	// Properties).
	EnvironmentID string
	// Region is the environment's region: RegionNorthAmerica,
	// RegionEurope, RegionCanada, RegionAustralia, RegionSingapore, or
	// RegionAsiaPacific (legacy .asia). The endpoint is
	// https://auth.pingone.{Region}/{EnvironmentID}/as/revoke.
	Region Region
	// CustomDomain is the environment's custom domain, e.g.
	// "auth.example.com": the endpoint is then
	// https://{CustomDomain}/as/revoke, without the environment ID, and
	// Region and EnvironmentID must be empty.
	CustomDomain string
	// AuthURL replaces https://auth.pingone.{Region} (a proxy, or a fake
	// in tests): the endpoint is {AuthURL}/{EnvironmentID}/as/revoke.
	// Region must then be empty.
	AuthURL string
	// Auth authenticates the application with its tokenEndpointAuthMethod
	// (PingOne accepts no other): revoke.ClientSecretBasic
	// (CLIENT_SECRET_BASIC), revoke.ClientSecretPost (CLIENT_SECRET_POST),
	// revoke.ClientSecretJWT (CLIENT_SECRET_JWT), revoke.PrivateKeyJWT
	// (PRIVATE_KEY_JWT), revoke.PublicClient (NONE); revoke.ClientCredentials
	// means CLIENT_SECRET_BASIC, the default of new applications.
	Auth revoke.ClientAuth
}

// AMConfig configures a Revoker for PingAM, ForgeRock Access Management or
// PingOne Advanced Identity Cloud
// (https://docs.pingidentity.com/pingam/8/am-oauth2/oauth2-token-revoke-endpoint.md).
type AMConfig struct {
	// BaseURL is AM's base URL including its deployment path:
	// "https://am.example.com:8443/am", "https://openam.example.com/openam",
	// or "https://<tenant-env-fqdn>/am" (Advanced Identity Cloud). A URL
	// without a path gets "/am", AM's default and Advanced Identity
	// Cloud's.
	BaseURL string
	// Realm is the realm path under the root realm: "" for the root realm,
	// "alpha" or "bravo" (Advanced Identity Cloud), "alpha/customers" for a
	// sub-realm. The endpoint is
	// {BaseURL}/oauth2/realms/root/realms/{Realm…}/token/revoke.
	Realm string
	// Auth authenticates the client: revoke.ClientSecretBasic or
	// revoke.ClientSecretBasicRaw, revoke.ClientSecretPost,
	// revoke.PublicClient, revoke.PrivateKeyJWT (JWT profile),
	// revoke.ClientSecretJWT, revoke.TLSClientAuth,
	// revoke.SelfSignedTLSClientAuth, or revoke.ClientCredentials (Basic,
	// or POST when form-encoding would change the secret). AM requires
	// client_id in the body whatever the method: the adapter adds it.
	Auth revoke.ClientAuth
}

// fields is what a FederateConfig prints: the client authentication shows
// its method and client ID only, and a URL no user info or query. A nil
// *FederateConfig has none.
func (c *FederateConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Auth", redact.Auth(c.Auth)},
		{"TokenEndpoint", strconv.Quote(redact.URL(c.TokenEndpoint))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb:
// credentials, and any user info or query in a URL, never print.
func (c FederateConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "ping.FederateConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *FederateConfig logs as an empty group.
func (c *FederateConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c FederateConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// fields is what a OneConfig prints: the client authentication shows its
// method and client ID only, and a URL no user info or query. A nil
// *OneConfig has none.
func (c *OneConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"EnvironmentID", strconv.Quote(c.EnvironmentID)},
		{"Region", strconv.Quote(string(c.Region))},
		{"CustomDomain", strconv.Quote(redact.URL(c.CustomDomain))},
		{"AuthURL", strconv.Quote(redact.URL(c.AuthURL))},
		{"Auth", redact.Auth(c.Auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb:
// credentials, and any user info or query in a URL, never print.
func (c OneConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "ping.OneConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *OneConfig logs as an empty group.
func (c *OneConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c OneConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// fields is what an AMConfig prints: the client authentication shows its
// method and client ID only, and the URL no user info or query. A nil
// *AMConfig has none.
func (c *AMConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Realm", strconv.Quote(c.Realm)},
		{"Auth", redact.Auth(c.Auth)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb:
// credentials, and any user info or query in the URL, never print.
func (c AMConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "ping.AMConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil *AMConfig
// logs as an empty group.
func (c *AMConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c AMConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens at one PingFederate, PingOne or PingAM server.
// It is safe for concurrent use; create one with NewFederate, NewOne or
// NewAM and share it. A zero or nil Revoker returns a *revoke.ConfigError
// from Revoke.
type Revoker struct {
	k       adapter.Revoker
	product Product
	// amClientID, for PingAM, is the client_id the adapter adds to the
	// body because the authentication does not (Basic, JWT).
	amClientID string
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// unbuilt names a nil or zero Revoker, which fails as one.
var unbuilt = adapter.Revoker{Name: "ping.Revoker", Build: "ping.NewFederate, ping.NewOne or ping.NewAM"}

// kit returns what r delegates to: its kit Revoker, or unbuilt.
func (r *Revoker) kit() *adapter.Revoker {
	if r == nil || r.k.Client == nil {
		return &unbuilt
	}
	return &r.k
}

// NewFederate validates cfg and opts and returns a Revoker for
// PingFederate. Every mistake is a *revoke.ConfigError naming the field
// and the fix; no secret is ever repeated in it.
func NewFederate(cfg FederateConfig, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(federateProfile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "ping.FederateConfig.BaseURL"
	base, err := baseURL(c, field, cfg.BaseURL, []string{federatePath, "/as"}, "https://pf.example.com:9031")
	if err != nil {
		return nil, err
	}
	auth, err := checkAuth(c, "ping.FederateConfig.Auth", cfg.Auth, federateMethods, "PingFederate")
	if err != nil {
		return nil, err
	}
	tokenEndpoint := cfg.TokenEndpoint
	if tokenEndpoint == "" {
		tokenEndpoint = adapter.JoinPath(base, federateTokenPath).String()
	} else if _, err := c.URL("ping.FederateConfig.TokenEndpoint", tokenEndpoint); err != nil {
		return nil, err
	}
	return &Revoker{product: Federate, k: unbuilt.Bind(c, adapter.Revocation{
		Op: string(Federate) + " revoke", URL: adapter.JoinPath(base, federatePath), Auth: auth,
		Issuer: base.String(), TokenEndpoint: tokenEndpoint, Audience: revoke.AudienceTokenEndpoint,
		Hints: hints, Header: acceptJSON,
	})}, nil
}

// NewOne validates cfg and opts and returns a Revoker for PingOne.
func NewOne(cfg OneConfig, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(oneProfile, opts...)
	if err != nil {
		return nil, err
	}
	issuer, err := oneIssuer(c, cfg)
	if err != nil {
		return nil, err
	}
	auth, err := checkAuth(c, "ping.OneConfig.Auth", cfg.Auth, oneMethods, "PingOne")
	if err != nil {
		return nil, err
	}
	return &Revoker{product: One, k: unbuilt.Bind(c, adapter.Revocation{
		Op: string(One) + " revoke", URL: adapter.JoinPath(issuer, strings.TrimPrefix(oneRevokePath, oneIssuerPath)), Auth: auth,
		Issuer: issuer.String(), TokenEndpoint: adapter.JoinPath(issuer, strings.TrimPrefix(oneTokenPath, oneIssuerPath)).String(), Audience: oneAudience,
		Hints: hints, Header: acceptJSON,
	})}, nil
}

// oneIssuer builds https://auth.pingone.{region}/{envID}/as, or the custom
// domain's https://{domain}/as.
func oneIssuer(c *adapter.Client, cfg OneConfig) (*url.URL, error) {
	if cfg.CustomDomain != "" {
		if cfg.Region != "" || cfg.EnvironmentID != "" || cfg.AuthURL != "" {
			return nil, &revoke.ConfigError{Field: "ping.OneConfig.CustomDomain", Problem: "is set together with Region, EnvironmentID or AuthURL: a custom domain replaces https://auth.pingone.{region}/{envID}; set only CustomDomain"}
		}
		base, err := c.BaseURL("ping.OneConfig.CustomDomain", cfg.CustomDomain)
		if err != nil {
			return nil, err
		}
		if base.Path != "" {
			return nil, &revoke.ConfigError{Field: "ping.OneConfig.CustomDomain", Problem: "has a path: pass the domain alone, e.g. auth.example.com"}
		}
		return adapter.JoinPath(base, oneIssuerPath), nil
	}
	if err := checkEnvironmentID(cfg.EnvironmentID); err != nil {
		return nil, err
	}
	var root *url.URL
	switch {
	case cfg.AuthURL != "":
		if cfg.Region != "" {
			return nil, &revoke.ConfigError{Field: "ping.OneConfig.AuthURL", Problem: "is set together with Region: AuthURL replaces the regional host; set one of them"}
		}
		if _, err := c.URL("ping.OneConfig.AuthURL", cfg.AuthURL); err != nil {
			return nil, err
		}
		var err error
		if root, err = c.BaseURL("ping.OneConfig.AuthURL", cfg.AuthURL); err != nil {
			return nil, err
		}
	case cfg.Region == "":
		return nil, &revoke.ConfigError{Field: "ping.OneConfig.Region", Problem: "is empty: set the environment's region, e.g. ping.RegionNorthAmerica or ping.RegionEurope (auth.pingone.com, auth.pingone.eu, …), or CustomDomain"}
	case !slices.Contains(regions, cfg.Region):
		return nil, &revoke.ConfigError{Field: "ping.OneConfig.Region", Problem: fmt.Sprintf("%s is not a PingOne region: use ping.RegionNorthAmerica (com), RegionEurope (eu), RegionCanada (ca), RegionAustralia (com.au), RegionSingapore (sg) or RegionAsiaPacific (asia)", redact.Bounded(string(cfg.Region)))}
	default:
		root = &url.URL{Scheme: "https", Host: "auth.pingone." + string(cfg.Region)}
	}
	return adapter.JoinPath(root, strings.ToLower(cfg.EnvironmentID), oneIssuerPath), nil
}

// checkEnvironmentID accepts a UUID.
func checkEnvironmentID(id string) error {
	const field = "ping.OneConfig.EnvironmentID"
	if id == "" {
		return &revoke.ConfigError{Field: field, Problem: "is empty: set the environment's ID, a UUID such as abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6 (Settings → Environment Properties), or CustomDomain"}
	}
	ok := len(id) == 36
	for i, r := range id {
		switch i {
		case 8, 13, 18, 23:
			ok = ok && r == '-'
		default:
			ok = ok && (r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
		}
	}
	if !ok {
		return &revoke.ConfigError{Field: field, Problem: "is not a UUID: pass the environment's ID as PingOne shows it, e.g. abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"}
	}
	return nil
}

// NewAM validates cfg and opts and returns a Revoker for PingAM,
// ForgeRock Access Management or PingOne Advanced Identity Cloud.
func NewAM(cfg AMConfig, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(amProfile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "ping.AMConfig.BaseURL"
	base, err := baseURL(c, field, cfg.BaseURL, []string{amRevokePath, "/oauth2", "/realms/root"}, "https://am.example.com:8443/am")
	if err != nil {
		return nil, err
	}
	if base.Path == "" {
		base = adapter.JoinPath(base, amDefaultPath)
	}
	realm, err := realmPath(cfg.Realm)
	if err != nil {
		return nil, err
	}
	auth, err := checkAuth(c, "ping.AMConfig.Auth", cfg.Auth, amMethods, "PingAM")
	if err != nil {
		return nil, err
	}
	issuer := adapter.JoinPath(base, append([]string{amRealmsRoot}, realm...)...)
	r := &Revoker{product: AM, k: unbuilt.Bind(c, adapter.Revocation{
		Op: string(AM) + " revoke", URL: adapter.JoinPath(issuer, amRevokePath), Auth: auth,
		Issuer: issuer.String(), TokenEndpoint: adapter.JoinPath(issuer, amTokenPath).String(), Audience: amAudience,
		Hints: hints, NoParams: true, Header: acceptJSON,
	})}
	switch auth.Method() {
	case revoke.MethodClientSecretPost, revoke.MethodNone, revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth:
		// The authentication puts client_id in the body itself.
	default:
		r.amClientID = auth.ClientID()
	}
	return r, nil
}

// realmPath turns "alpha/customers" into the path segments
// realms/alpha/realms/customers.
func realmPath(realm string) ([]string, error) {
	const field = "ping.AMConfig.Realm"
	realm = strings.Trim(realm, "/")
	if realm == "" || realm == "root" {
		return nil, nil
	}
	var segs []string
	for _, name := range strings.Split(realm, "/") {
		if err := adapter.CheckSegment(field, name, `"alpha" or "alpha/customers"`); err != nil {
			return nil, err
		}
		segs = append(segs, "realms", name)
	}
	return segs, nil
}

// baseURL checks a product base URL: scheme required, no query, no
// endpoint path already in it.
func baseURL(c *adapter.Client, field, raw string, endpointPaths []string, example string) (*url.URL, error) {
	if _, err := c.URL(field, raw); err != nil {
		return nil, err
	}
	base, err := c.BaseURL(field, raw)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	for _, p := range endpointPaths {
		if strings.HasSuffix(lower, p) || strings.Contains(lower, p+"/") {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s already includes an endpoint path: pass only the base URL, e.g. %s; the endpoint path is appended", redact.Bounded(adapter.Endpoint(base)), example)}
		}
	}
	return base, nil
}

// checkAuth accepts the product's methods.
func checkAuth(c *adapter.Client, field string, a revoke.ClientAuth, methods []string, product string) (revoke.ClientAuth, error) {
	info := adapter.DescribeAuth(a)
	switch {
	case info.Method == "":
		// revoke.ClientCredentials, or a value the kit refuses as foreign.
		if product == "PingOne" {
			return c.CheckAuth(field, a, []string{revoke.MethodClientSecretBasic})
		}
		return c.CheckAuth(field, a, credentialsMethods)
	case info.Method == revoke.MethodNoClientAuth:
		return nil, &revoke.ConfigError{Field: field, Problem: "revoke.NoClientAuth sends no client_id, and " + product + " always identifies the client: use revoke.PublicClient(id) for a public client"}
	case !slices.Contains(methods, info.Method):
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("method %q is not one %s authenticates clients with at this endpoint: use one of %s", info.Method, product, strings.Join(methods, ", "))}
	}
	return c.CheckAuth(field, a, nil)
}

// Revoke revokes one access or refresh token with a POST of the form
// token, the hint when given, and the client authentication, in the body
// only (never the query):
//
//	PingFederate  {BaseURL}/as/revoke_token.oauth2
//	PingOne       https://auth.pingone.{Region}/{EnvironmentID}/as/revoke
//	PingAM        {BaseURL}/oauth2/realms/root/realms/{Realm}/token/revoke,
//	              with client_id in the body whatever the authentication
//
// Hints are access_token and refresh_token; PingAM takes no other
// parameter. A nil error means the server answered 200 (PingAM's body is
// {}), which RFC 7009 servers also answer for unknown tokens:
// Result.AlreadyInvalid stays false. Failures are *revoke.Error values,
// classified by the error code: PingAM's 400 invalid_client is
// revoke.ErrInvalidClient like PingFederate's and PingOne's 401;
// unsupported_token_type (a PingFederate JWT access token without
// revocation enabled, a PingOne token without a session) is
// revoke.ErrUnsupportedTokenType.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.amClientID == "" {
		return r.kit().Revoke(ctx, req)
	}
	return r.revokeAM(ctx, req)
}

// revokeAM sends PingAM's request when the authentication does not put
// client_id in the body: the token, the hint and client_id as a form, the
// credentials where the authentication puts them.
func (r *Revoker) revokeAM(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	rv := &r.k.Revocation
	op := rv.Op
	if err := adapter.CheckToken(op, req.Token); err != nil {
		return nil, err
	}
	if req.Hint != "" && !slices.Contains(hints, req.Hint) {
		return nil, &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%s is not a token_type_hint PingAM documents: use access_token, refresh_token, or leave it empty", redact.Bounded(string(req.Hint)))}
	}
	if len(req.Params) > 0 {
		return nil, &revoke.ConfigError{Field: op + ": Request.Params", Kind: revoke.ErrInvalidRequest, Problem: "this endpoint takes no parameters besides the token: leave Params empty"}
	}
	form := url.Values{"token": {req.Token}, "client_id": {r.amClientID}}
	if req.Hint != "" {
		form.Set("token_type_hint", string(req.Hint))
	}
	resp, err := r.k.Client.Do(ctx, rv.Call(req.Token, adapter.Form(form)))
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// RevokeToken revokes both tokens of t: the refresh token, which ends the
// grant and its access tokens at all three products, then the access
// token, which may belong to another grant (adapter.RefreshThenAccess).
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	return adapter.RevokePair(ctx, r, t, adapter.RefreshThenAccess, "Ping Identity")
}

// Product returns the product the Revoker was built for, or "" for a zero
// Revoker.
func (r *Revoker) Product() Product {
	if r == nil {
		return ""
	}
	return r.product
}

// Endpoint returns the revocation endpoint URL in use, or "".
func (r *Revoker) Endpoint() string { return r.kit().Endpoint() }

// AuthMethod returns the client authentication method in use, or "".
func (r *Revoker) AuthMethod() string { return r.kit().AuthMethod() }

// ClientID returns the client ID in use, or "".
func (r *Revoker) ClientID() string { return r.kit().ClientID() }

// Audience returns what a client assertion names in "aud": the issuer
// (PingOne) or the token endpoint (PingFederate, PingAM).
func (r *Revoker) Audience() string {
	k := r.kit()
	if k.Revocation.Audience == revoke.AudienceIssuer {
		return k.Issuer()
	}
	return k.TokenEndpoint()
}

// Format implements fmt.Formatter: the Revoker prints its product,
// endpoint, method and client ID, never a credential.
func (r Revoker) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "ping.Revoker", [][2]string{
		{"Product", strconv.Quote(string(r.Product()))}, {"Endpoint", strconv.Quote(r.Endpoint())},
		{"AuthMethod", strconv.Quote(r.AuthMethod())}, {"ClientID", strconv.Quote(r.ClientID())},
	})
}

// LogValue implements slog.LogValuer without credentials.
func (r *Revoker) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue()
	}
	return slog.GroupValue(slog.String("product", string(r.product)), slog.String("endpoint", r.Endpoint()),
		slog.String("auth_method", r.AuthMethod()), slog.String("client_id", r.ClientID()))
}

// MarshalJSON implements json.Marshaler without credentials.
func (r Revoker) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Product    string `json:"product"`
		Endpoint   string `json:"endpoint"`
		AuthMethod string `json:"auth_method"`
		ClientID   string `json:"client_id"`
	}{string(r.Product()), r.Endpoint(), r.AuthMethod(), r.ClientID()})
}
