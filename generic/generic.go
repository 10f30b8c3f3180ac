// Package generic revokes tokens at any RFC 7009 authorization server, with
// the endpoint configured or discovered from RFC 8414 / OpenID Connect
// Discovery metadata.
//
// RFC 7009: https://www.rfc-editor.org/rfc/rfc7009
// RFC 8414: https://www.rfc-editor.org/rfc/rfc8414
package generic

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/wire"
)

// Config configures a Revoker.
type Config struct {
	// Endpoint is the revocation endpoint URL (RFC 7009 §2). Required.
	Endpoint string
	// Auth authenticates the client. Required: use revoke.PublicClient for a
	// client without credentials. revoke.ClientCredentials means
	// client_secret_basic, the RFC 8414 default.
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
	form    wire.FormRevocation
	client  *wire.Client
	methods []string
}

var _ revoke.Revoker = (*Revoker)(nil)

// New validates cfg and opts and returns a Revoker. Every mistake is
// reported here, not on first use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	return newRevoker(cfg, o, nil)
}

func newRevoker(cfg Config, o revoke.Options, methods []string) (*Revoker, error) {
	u, err := wire.ValidateEndpoint("generic.Config.Endpoint", cfg.Endpoint, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if cfg.Auth == nil {
		return nil, &revoke.ConfigError{Field: "generic.Config.Auth", Problem: "is nil: pass revoke.ClientSecretBasic(id, secret), another ClientAuth, or revoke.PublicClient(id) for a public client"}
	}
	if err := cfg.Auth.Validate(); err != nil {
		return nil, err
	}
	auth, err := revoke.ChooseAuth(cfg.Auth, methods)
	if err != nil {
		return nil, err
	}
	if err := auth.Validate(); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"Issuer", cfg.Issuer}, {"TokenEndpoint", cfg.TokenEndpoint}} {
		if f.v == "" {
			continue
		}
		if _, err := url.Parse(f.v); err != nil {
			return nil, &revoke.ConfigError{Field: "generic.Config." + f.name, Problem: fmt.Sprintf("%q is not a URL: %v", f.v, err)}
		}
	}
	return &Revoker{
		client:  wire.New(o),
		methods: methods,
		form: wire.FormRevocation{
			Op:            "revoke",
			URL:           u,
			Auth:          auth,
			Issuer:        cfg.Issuer,
			TokenEndpoint: cfg.TokenEndpoint,
		},
	}, nil
}

// Revoke sends an RFC 7009 §2.1 revocation request: a form POST with token,
// the optional token_type_hint, and client authentication. Any 2xx is
// success (§2.2: the server answers 200 also for invalid tokens).
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	resp, err := r.client.RevokeForm(ctx, &r.form, req)
	if err != nil {
		return nil, err
	}
	return wire.Result(resp), nil
}

// Endpoint returns the revocation endpoint in use.
func (r *Revoker) Endpoint() string { return r.form.URL.String() }

// AuthMethod returns the client authentication method in use, e.g.
// "client_secret_basic"; with revoke.ClientCredentials it is the one
// discovery chose.
func (r *Revoker) AuthMethod() string { return r.form.Auth.Method() }

// Metadata is the part of RFC 8414 / OpenID Connect Discovery metadata this
// package uses.
type Metadata struct {
	Issuer                                 string   `json:"issuer"`
	TokenEndpoint                          string   `json:"token_endpoint"`
	RevocationEndpoint                     string   `json:"revocation_endpoint"`
	RevocationEndpointAuthMethodsSupported []string `json:"revocation_endpoint_auth_methods_supported"`
	IntrospectionEndpoint                  string   `json:"introspection_endpoint"`
}

// Discover reads the issuer's metadata, first from RFC 8414
// /.well-known/oauth-authorization-server, then from OpenID Connect Discovery
// /.well-known/openid-configuration, checks that the document's issuer is
// the one asked for (RFC 8414 §3.3), and returns a Revoker for its
// revocation_endpoint. With revoke.ClientCredentials the authentication
// method is chosen from revocation_endpoint_auth_methods_supported
// (client_secret_basic when absent, as RFC 8414 §2 specifies).
func Discover(ctx context.Context, issuer string, auth revoke.ClientAuth, opts ...revoke.Option) (*Revoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	md, err := FetchMetadata(ctx, issuer, opts...)
	if err != nil {
		return nil, err
	}
	if md.RevocationEndpoint == "" {
		return nil, &revoke.ConfigError{Field: "generic.Discover", Problem: fmt.Sprintf("the metadata of %s advertises no revocation_endpoint: the server may not support RFC 7009; configure generic.New with the endpoint if it exists", issuer)}
	}
	methods := md.RevocationEndpointAuthMethodsSupported
	if len(methods) == 0 {
		methods = []string{revoke.MethodClientSecretBasic}
	}
	return newRevoker(Config{Endpoint: md.RevocationEndpoint, Auth: auth, Issuer: md.Issuer, TokenEndpoint: md.TokenEndpoint}, o, methods)
}

// FetchMetadata reads and validates the issuer's authorization server
// metadata as Discover does.
func FetchMetadata(ctx context.Context, issuer string, opts ...revoke.Option) (*Metadata, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	iu, err := wire.ValidateEndpoint("generic.Discover issuer", issuer, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if iu.RawQuery != "" {
		return nil, &revoke.ConfigError{Field: "generic.Discover issuer", Problem: "an issuer has no query component (RFC 8414 §2): remove it"}
	}
	c := wire.New(o)
	var firstErr error
	for _, u := range MetadataURLs(iu) {
		resp, err := c.Do(ctx, &wire.Call{
			Op:       "discover",
			Method:   http.MethodGet,
			URL:      u,
			Header:   http.Header{"Accept": {"application/json"}},
			KeepBody: true,
			OK:       func(s int) bool { return s == http.StatusOK },
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
		md, err := parseMetadata(resp.Body, issuer, u)
		if err != nil {
			return nil, err
		}
		return md, nil
	}
	return nil, fmt.Errorf("revoke: discovery found no metadata for issuer %s at /.well-known/oauth-authorization-server or /.well-known/openid-configuration: %w", issuer, firstErr)
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

// ParseMetadata decodes a metadata document and checks its issuer.
func parseMetadata(body []byte, issuer string, from *url.URL) (*Metadata, error) {
	var md Metadata
	if err := json.Unmarshal(body, &md); err != nil {
		return nil, &revoke.Error{Op: "discover", Endpoint: wire.Endpoint(from), StatusCode: http.StatusOK, Kind: revoke.ErrUnexpectedResponse,
			Description: fmt.Sprintf("metadata is not a JSON object: %v", err)}
	}
	if strings.TrimRight(md.Issuer, "/") != strings.TrimRight(issuer, "/") {
		return nil, &revoke.Error{Op: "discover", Endpoint: wire.Endpoint(from), StatusCode: http.StatusOK, Kind: revoke.ErrUnexpectedResponse,
			Description: fmt.Sprintf("metadata issuer %q does not match the requested issuer %q (RFC 8414 §3.3): refusing it, as it may be an impersonation", md.Issuer, issuer)}
	}
	return &md, nil
}

// ParseMetadata decodes an RFC 8414 metadata document and checks that its
// issuer equals issuer. It is exported for tools and fuzzing.
func ParseMetadata(body []byte, issuer string) (*Metadata, error) {
	return parseMetadata(body, issuer, nil)
}
