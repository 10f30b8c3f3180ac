package vendors

import (
	"context"
	"net/http"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
)

// Settings of the generic vendor.
const (
	Issuer                = "issuer"
	Endpoint              = "endpoint"
	IntrospectionEndpoint = "introspection_endpoint"
)

func genericVendor() Vendor {
	return Vendor{
		Name:  "generic",
		Title: "any RFC 7009 server",
		Docs:  "https://www.rfc-editor.org/rfc/rfc7009",
		Limits: "whatever the server reports in X-RateLimit-* or Retry-After; " +
			"the run paces itself by it",
		Settings: []profile.Setting{
			{Name: Issuer, Usage: "issuer URL: the revocation endpoint is discovered from its RFC 8414 / OpenID Connect metadata"},
			{Name: Endpoint, Usage: "revocation endpoint URL, instead of discovery"},
			{Name: IntrospectionEndpoint, Usage: "RFC 7662 introspection endpoint for --verify, instead of discovery"},
		},
		Revoker: func(ctx context.Context, p *profile.Profile) (revoke.Revoker, error) {
			auth, opts, err := p.Client("")
			if err != nil {
				return nil, err
			}
			if ep := p.Get(Endpoint); ep != "" {
				if auth.Method() == "" {
					// No metadata to choose from: RFC 8414's default.
					auth, err = p.ClientAuth(revoke.MethodClientSecretBasic)
					if err != nil {
						return nil, err
					}
				}
				return generic.New(generic.Config{Endpoint: ep, Auth: auth, Issuer: p.Get(Issuer)}, opts...)
			}
			issuer, err := p.Require(Issuer, "the generic vendor discovers its revocation endpoint from the issuer's metadata; or set --endpoint")
			if err != nil {
				return nil, err
			}
			return generic.Discover(ctx, issuer, auth, opts...)
		},
		Verify: "RFC 7662 at --introspection-endpoint, or the introspection_endpoint of --issuer's metadata, with the client authentication of the revocation",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			ep, issuer, tokEP := p.Get(IntrospectionEndpoint), p.Get(Issuer), ""
			if ep == "" {
				if issuer == "" {
					return nil, usage.Errorf("--verify needs an introspection endpoint: set --issuer (discovery finds it) or --introspection-endpoint")
				}
				md, err := generic.FetchMetadata(ctx, issuer, opts...)
				if err != nil {
					return nil, err
				}
				if md.IntrospectionEndpoint == "" {
					return nil, usage.Errorf("--verify: the metadata of %s advertises no introspection_endpoint (RFC 7662): set --introspection-endpoint if the server has one, or leave out --verify", issuer)
				}
				ep, tokEP = md.IntrospectionEndpoint, md.TokenEndpoint
			}
			auth, err := p.ClientAuth("")
			if err != nil {
				return nil, err
			}
			var methods []string
			if g, ok := r.(*generic.Revoker); ok && auth.Method() == "" {
				// The method discovery chose for revocation serves here too.
				methods = []string{g.AuthMethod()}
			}
			return NewIntrospector(IntrospectorConfig{Endpoint: ep, Auth: auth, Methods: methods, Issuer: issuer, TokenEndpoint: tokEP}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := revoketest.NewServer()
			id, secret := "demo-client", demoSecret("demo-secret-")
			srv.AddClient(revoketest.Client{ID: id, Secret: secret})
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "generic", Issuer: base, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id, "alice")
					return pr.AccessToken, pr.RefreshToken
				}),
				Active: srv.Active,
				Notes: []string{
					"RFC 8414 metadata at " + base + "/.well-known/oauth-authorization-server, introspection at " + base + revoketest.IntrospectPath + ": try --verify",
				},
			}, nil
		},
	}
}

var _ http.Handler = (*revoketest.Server)(nil)
