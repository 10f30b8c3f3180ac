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
	"fmt"
	"net/http"
	"net/url"
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
//
// Revoke sends an RFC 7009 §2.1 revocation request: a form POST with token,
// the optional token_type_hint, and client authentication. Any 2xx is
// success (§2.2: the server answers 200 also for invalid tokens). Any
// hint made of letters, digits and "_-.:" is sent: RFC 7009 §4.1.2 lets
// servers register their own.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "generic.Revoker", Build: "generic.New or generic.Discover"}

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
	return newRevoker(c, cfg, adapter.AuthRules{}, nil, revoke.AudienceEndpoint)
}

// discovered are the rules of a discovered server: the methods it lists
// bind every method that presents credentials.
var discovered = adapter.AuthRules{
	CheckListed: true,
	ListAdvice:  "if the server accepts it regardless, use generic.New with the discovered revocation endpoint, which does not check the list",
}

// newRevoker builds the Revoker; the client authentication is checked
// against rules and listed (adapter.Client.ChooseAuth).
func newRevoker(c *adapter.Client, cfg Config, rules adapter.AuthRules, listed []string, aud revoke.Audience) (*Revoker, error) {
	u, err := c.URL("generic.Config.Endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	auth, err := c.ChooseAuth("generic.Config.Auth", cfg.Auth, rules, listed)
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
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:            "generic revoke",
		URL:           u,
		Auth:          auth,
		Issuer:        cfg.Issuer,
		TokenEndpoint: cfg.TokenEndpoint,
		Audience:      aud,
	})), nil
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
// absent, as RFC 8414 §2 specifies). Any other method that presents
// credentials, the RFC 8705 §2 certificate methods included, must be one
// the server lists when it lists any: another is refused with a
// *revoke.ConfigError naming the methods listed. When the server lists
// none, RFC 8414's default says only what ClientCredentials chooses, and
// an explicit method is used as given. revoke.PublicClient (none) is never
// checked against the list, which servers that take public clients need
// not extend to "none". A client assertion's default audience is the
// issuer, as draft-ietf-oauth-rfc7523bis recommends; revoke.WithAudience
// overrides it.
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
		return nil, &revoke.ConfigError{Field: "generic.Discover", Problem: fmt.Sprintf("the metadata of %s advertises no revocation_endpoint: the server may not support RFC 7009; configure generic.New with the endpoint if it exists", redact.Bounded(issuer))}
	}
	tokenEndpoint := md.TokenEndpoint
	if adapter.DescribeAuth(auth).MutualTLS && md.MTLSEndpointAliases.TokenEndpoint != "" {
		tokenEndpoint = md.MTLSEndpointAliases.TokenEndpoint
	}
	return newRevoker(c, Config{Endpoint: endpoint, Auth: auth, Issuer: md.Issuer, TokenEndpoint: tokenEndpoint}, discovered, md.RevocationEndpointAuthMethodsSupported, revoke.AudienceIssuer)
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
	if err := adapter.CheckContext(ctx, "generic.Discover"); err != nil {
		return nil, err
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
		var md Metadata
		err := c.FetchMetadata(ctx, adapter.Discovery{Op: "discover", URL: u, Issuer: issuer}, &md)
		if err == nil {
			return &md, nil
		}
		// A document that was read but refused (200) is the answer; a
		// location that did not answer with one leaves the next to try.
		if e, ok := err.(*revoke.Error); ctx.Err() != nil || (ok && e.StatusCode == http.StatusOK) {
			return nil, err
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	e, _ := firstErr.(*revoke.Error)
	if e == nil {
		return nil, firstErr
	}
	out := *e
	out.Op = "discover"
	out.Description = fmt.Sprintf("no metadata for issuer %s at /.well-known/oauth-authorization-server or /.well-known/openid-configuration", redact.Bounded(issuer))
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

// ParseMetadata decodes an RFC 8414 metadata document and checks that its
// issuer equals issuer. It is exported for tools and fuzzing.
func ParseMetadata(body []byte, issuer string) (*Metadata, error) {
	var md Metadata
	if err := (adapter.Discovery{Op: "discover", Issuer: issuer}).Decode(body, &md); err != nil {
		return nil, err
	}
	return &md, nil
}
