// Package generic revokes tokens at any RFC 7009 authorization server, with
// the endpoint configured or discovered from RFC 8414 / OpenID Connect
// Discovery metadata.
//
// RFC 7009: https://www.rfc-editor.org/rfc/rfc7009
// RFC 8414: https://www.rfc-editor.org/rfc/rfc8414
// RFC 8705 §5 (mTLS endpoint aliases): https://www.rfc-editor.org/rfc/rfc8705#section-5
package generic

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker.
type Config struct {
	// Endpoint is the revocation endpoint URL (RFC 7009 §2). Required.
	Endpoint string
	// Auth authenticates the client. Required: use revoke.PublicClient for
	// a client without credentials, revoke.NoClientAuth for a server that
	// wants none. revoke.ClientCredentials means client_secret_basic, the
	// RFC 8414 default.
	Auth revoke.ClientAuth
	// Issuer is the server's issuer identifier, used as the client
	// assertion audience with revoke.AudienceIssuer. Optional.
	Issuer string
	// TokenEndpoint is the server's token endpoint, used as the client
	// assertion audience with revoke.AudienceTokenEndpoint. Optional.
	TokenEndpoint string
}

// Revoker revokes tokens at one RFC 7009 endpoint. It is safe for
// concurrent use; create one and share it.
type Revoker struct {
	c  *adapter.Client
	rv adapter.Revocation
}

var _ revoke.Revoker = (*Revoker)(nil)

var profile = adapter.Profile{Name: "generic"}

// New validates cfg and opts and returns a Revoker. Every mistake is
// reported here, not on first use. A client assertion's default audience
// is the URL called (revoke.AudienceAuto); revoke.AudienceIssuer and
// revoke.AudienceTokenEndpoint need Config.Issuer and Config.TokenEndpoint.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return newRevoker(c, cfg, nil, revoke.AudienceEndpoint)
}

func newRevoker(c *adapter.Client, cfg Config, methods []string, aud revoke.Audience) (*Revoker, error) {
	u, err := c.URL("generic.Config.Endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	auth, err := c.CheckAuth("generic.Config.Auth", cfg.Auth, methods)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"Issuer", cfg.Issuer}, {"TokenEndpoint", cfg.TokenEndpoint}} {
		if f.v == "" {
			continue
		}
		if _, err := c.URL("generic.Config."+f.name, f.v); err != nil {
			return nil, err
		}
	}
	info := adapter.DescribeAuth(auth)
	if info.MutualTLS && u.Scheme != "https" {
		return nil, &revoke.ConfigError{Field: "generic.Config.Endpoint", Problem: "is plain http, where a client certificate (" + auth.Method() + ") cannot be presented: use the server's https (or mtls_endpoint_aliases) endpoint"}
	}
	if info.AudienceValue == "" {
		switch {
		case info.Audience == revoke.AudienceIssuer && cfg.Issuer == "":
			return nil, &revoke.ConfigError{Field: "generic.Config.Issuer", Problem: "is empty, but the client assertion's audience rule is revoke.AudienceIssuer: set Issuer, use generic.Discover, or use revoke.WithAudienceValue"}
		case info.Audience == revoke.AudienceTokenEndpoint && cfg.TokenEndpoint == "":
			return nil, &revoke.ConfigError{Field: "generic.Config.TokenEndpoint", Problem: "is empty, but the client assertion's audience rule is revoke.AudienceTokenEndpoint: set TokenEndpoint, use generic.Discover, or use revoke.WithAudienceValue"}
		}
	}
	return &Revoker{c: c, rv: adapter.Revocation{
		Op:            "generic revoke",
		URL:           u,
		Auth:          auth,
		Issuer:        cfg.Issuer,
		TokenEndpoint: cfg.TokenEndpoint,
		Audience:      aud,
	}}, nil
}

// Revoke sends an RFC 7009 §2.1 revocation request: a form POST with token,
// the optional token_type_hint, and client authentication. Any 2xx is
// success (§2.2: the server answers 200 also for invalid tokens). Any
// hint made of letters, digits and "_-.:" is sent: RFC 7009 §4.1.2 lets
// servers register their own.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil {
		return nil, &revoke.ConfigError{Field: "generic.Revoker", Problem: "is nil: build it with generic.New or generic.Discover", Kind: revoke.ErrInvalidRequest}
	}
	return r.c.Revoke(ctx, &r.rv, req)
}

// Endpoint returns the revocation endpoint in use.
func (r *Revoker) Endpoint() string {
	if r == nil || r.rv.URL == nil {
		return ""
	}
	return r.rv.URL.String()
}

// AuthMethod returns the client authentication method in use, e.g.
// "client_secret_basic"; with revoke.ClientCredentials it is the one
// discovery chose.
func (r *Revoker) AuthMethod() string {
	if r == nil || r.rv.Auth == nil {
		return ""
	}
	return r.rv.Auth.Method()
}

// Format implements fmt.Formatter: the Revoker prints its endpoint, method
// and client ID, never a credential, with every verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	id := ""
	if r.rv.Auth != nil {
		id = r.rv.Auth.ClientID()
	}
	redact.Format(f, verb, "generic.Revoker", [][2]string{
		{"Endpoint", strconv.Quote(r.Endpoint())}, {"AuthMethod", strconv.Quote(r.AuthMethod())}, {"ClientID", strconv.Quote(id)},
	})
}

// LogValue implements slog.LogValuer without credentials.
func (r Revoker) LogValue() slog.Value {
	return slog.GroupValue(slog.String("endpoint", r.Endpoint()), slog.String("auth_method", r.AuthMethod()))
}

// MarshalJSON implements json.Marshaler without credentials.
func (r Revoker) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint   string `json:"endpoint"`
		AuthMethod string `json:"auth_method"`
	}{r.Endpoint(), r.AuthMethod()})
}

// Metadata is the part of RFC 8414 / OpenID Connect Discovery metadata this
// package uses.
type Metadata struct {
	Issuer                                 string   `json:"issuer"`
	TokenEndpoint                          string   `json:"token_endpoint"`
	RevocationEndpoint                     string   `json:"revocation_endpoint"`
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
	IntrospectionEndpoint                  string   `json:"introspection_endpoint"`
	// MTLSEndpointAliases are the endpoints a client authenticating with a
	// certificate uses instead (RFC 8705 §5).
	MTLSEndpointAliases struct {
		RevocationEndpoint    string `json:"revocation_endpoint"`
		TokenEndpoint         string `json:"token_endpoint"`
		IntrospectionEndpoint string `json:"introspection_endpoint"`
	} `json:"mtls_endpoint_aliases"`
}

// Discover reads the issuer's metadata, first from RFC 8414
// /.well-known/oauth-authorization-server, then from OpenID Connect Discovery
// /.well-known/openid-configuration, checks that the document's issuer is
// the one asked for (RFC 8414 §3.3), and returns a Revoker for its
// revocation_endpoint — or, for a client authenticating with a certificate
// (revoke.TLSClientAuth, revoke.SelfSignedTLSClientAuth), for
// mtls_endpoint_aliases.revocation_endpoint when the server has one
// (RFC 8705 §5).
//
// With revoke.ClientCredentials the authentication method is chosen from
// revocation_endpoint_auth_methods_supported (client_secret_basic when
// absent, as RFC 8414 §2 specifies); any other method must be one the
// server lists. A client assertion's default audience is the issuer, as
// draft-ietf-oauth-rfc7523bis recommends; revoke.WithAudience overrides it.
func Discover(ctx context.Context, issuer string, auth revoke.ClientAuth, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	md, err := fetchMetadata(ctx, c, issuer)
	if err != nil {
		return nil, err
	}
	endpoint := md.RevocationEndpoint
	if adapter.DescribeAuth(auth).MutualTLS && md.MTLSEndpointAliases.RevocationEndpoint != "" {
		endpoint = md.MTLSEndpointAliases.RevocationEndpoint
	}
	if endpoint == "" {
		return nil, &revoke.ConfigError{Field: "generic.Discover", Problem: fmt.Sprintf("the metadata of %s advertises no revocation_endpoint: the server may not support RFC 7009; configure generic.New with the endpoint if it exists", shown(issuer))}
	}
	methods := md.RevocationEndpointAuthMethodsSupported
	if len(methods) == 0 {
		methods = []string{revoke.MethodClientSecretBasic}
	}
	tokenEndpoint := md.TokenEndpoint
	if adapter.DescribeAuth(auth).MutualTLS && md.MTLSEndpointAliases.TokenEndpoint != "" {
		tokenEndpoint = md.MTLSEndpointAliases.TokenEndpoint
	}
	if auth != nil && auth.Method() != "" {
		// An explicit method is the caller's decision: servers' lists are
		// not always complete. Only ClientCredentials is chosen from it.
		methods = nil
	}
	return newRevoker(c, Config{Endpoint: endpoint, Auth: auth, Issuer: md.Issuer, TokenEndpoint: tokenEndpoint}, methods, revoke.AudienceIssuer)
}

// FetchMetadata reads and validates the issuer's authorization server
// metadata as Discover does.
func FetchMetadata(ctx context.Context, issuer string, opts ...revoke.Option) (*Metadata, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	return fetchMetadata(ctx, c, issuer)
}

func fetchMetadata(ctx context.Context, c *adapter.Client, issuer string) (*Metadata, error) {
	if ctx == nil {
		return nil, &revoke.ConfigError{Field: "generic.Discover: context", Problem: "is nil: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	iu, err := c.URL("generic.Discover issuer", issuer)
	if err != nil {
		return nil, err
	}
	if iu.RawQuery != "" || iu.ForceQuery {
		return nil, &revoke.ConfigError{Field: "generic.Discover issuer", Problem: "an issuer has no query component (RFC 8414 §2): remove it"}
	}
	var firstErr error
	for _, u := range MetadataURLs(iu) {
		resp, err := c.Do(ctx, &adapter.Call{
			Op:       "discover",
			Method:   http.MethodGet,
			URL:      u,
			Header:   http.Header{"Accept": {"application/json"}},
			ReadBody: true,
			Check: func(r *adapter.Response) error {
				if r.StatusCode != http.StatusOK {
					return r.Fail()
				}
				return nil
			},
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		return parseMetadata(resp.Body, issuer, u)
	}
	e, _ := firstErr.(*revoke.Error)
	if e == nil {
		return nil, firstErr
	}
	out := *e
	out.Op = "discover"
	out.Description = fmt.Sprintf("no metadata for issuer %s at /.well-known/oauth-authorization-server or /.well-known/openid-configuration", shown(issuer))
	if e.Description != "" {
		out.Description += "; the first answered: " + e.Description
	}
	return nil, &out
}

// MetadataURLs lists the discovery URLs tried for an issuer, in order: the
// RFC 8414 §3.1 location (well-known segment inserted before the issuer's
// path), then the OpenID Connect Discovery §4 location (appended to it).
func MetadataURLs(issuer *url.URL) []*url.URL {
	p := strings.TrimRight(issuer.Path, "/")
	rfc := *issuer
	rfc.Path, rfc.RawPath = "/.well-known/oauth-authorization-server"+p, ""
	oidc := *issuer
	oidc.Path, oidc.RawPath = p+"/.well-known/openid-configuration", ""
	return []*url.URL{&rfc, &oidc}
}

// maxShown bounds a server-supplied or caller-supplied value repeated in
// an error.
const maxShown = 200

// shown quotes s for an error message, bounded.
func shown(s string) string {
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

func parseMetadata(body []byte, issuer string, from *url.URL) (*Metadata, error) {
	var md Metadata
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, &revoke.Error{Op: "discover", Endpoint: adapter.Endpoint(from), StatusCode: http.StatusOK, Kind: revoke.ErrUnexpectedResponse,
			Description: "metadata is not a JSON object: " + shown(err.Error())}
	}
	if strings.TrimRight(md.Issuer, "/") != strings.TrimRight(issuer, "/") {
		return nil, &revoke.Error{Op: "discover", Endpoint: adapter.Endpoint(from), StatusCode: http.StatusOK, Kind: revoke.ErrUnexpectedResponse,
			Description: fmt.Sprintf("metadata issuer %s does not match the requested issuer %s (RFC 8414 §3.3): refusing it, as it may be an impersonation", shown(md.Issuer), shown(issuer))}
	}
	return &md, nil
}

// ParseMetadata decodes an RFC 8414 metadata document and checks that its
// issuer equals issuer. It is exported for tools and fuzzing.
func ParseMetadata(body []byte, issuer string) (*Metadata, error) {
	return parseMetadata(body, issuer, nil)
}
