package vendors

import (
	"context"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
)

// Settings of OneLogin (and of other vendors with a base URL).
const (
	Subdomain = "subdomain"
	BaseURL   = "base_url"
	API       = "api"
)

func oneLoginVendor() Vendor {
	return Vendor{
		Name:   "onelogin",
		Title:  "OneLogin",
		Docs:   "https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens",
		Limits: "per account, reported in X-RateLimit-* (https://developers.onelogin.com/api-docs/2/oauth20-tokens/get-rate-limit)",
		Settings: []profile.Setting{
			{Name: Subdomain, Usage: "OneLogin subdomain: acme for https://acme.onelogin.com"},
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix or a fake)"},
			{Name: API, Usage: "OneLogin endpoint: v2 or v1 (/auth/oauth2/revoke, tokens of API credentials), oidc (/oidc/2/token/revocation, end-user tokens of an OpenID Connect app)"},
		},
		Revoker: func(_ context.Context, p *profile.Profile) (revoke.Revoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			api, err := p.Require(API, "v2 or v1 for tokens of API credentials, oidc for end-user tokens of an OpenID Connect app")
			if err != nil {
				return nil, err
			}
			switch strings.ToLower(api) {
			case "oidc":
				auth, err := p.ClientAuth(revoke.MethodClientSecretBasic)
				if err != nil {
					return nil, err
				}
				return onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: p.Get(Subdomain), BaseURL: p.Get(BaseURL), Auth: auth, AlreadyRevokedOK: true}, opts...)
			case "v1", "v2":
				id, err := p.Require(profile.ClientID, "the client_id of the API credential that minted the tokens")
				if err != nil {
					return nil, err
				}
				secret, err := p.RequireSecret(profile.ClientSecret, "the client_secret of the same API credential")
				if err != nil {
					return nil, err
				}
				v := onelogin.V2
				if strings.EqualFold(api, "v1") {
					v = onelogin.V1
				}
				return onelogin.New(onelogin.Config{Subdomain: p.Get(Subdomain), BaseURL: p.Get(BaseURL), ClientID: id, ClientSecret: secret, API: v}, opts...)
			}
			return nil, usage.Errorf("api %q is not v2, v1 or oidc", api)
		},
		Verify: "with --api oidc only: RFC 7662 at /oidc/2/token/introspection (from the metadata), with the app's Token Endpoint Authentication Method, as at revocation; " +
			"the tokens of API credentials (v1, v2) have no introspection",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			o, ok := r.(*onelogin.OIDCRevoker)
			if !ok {
				return nil, usage.Errorf("--verify: OneLogin introspects only the end-user tokens of OpenID Connect apps (--api oidc, /oidc/2/token/introspection); the tokens of API credentials (--api %s) have no introspection: leave out --verify", p.Get(API))
			}
			// The issuer is https://{subdomain}.onelogin.com/oidc/2.
			issuer := strings.TrimSuffix(o.Endpoint(), "/token/revocation")
			return besideRevocation(ctx, p, r, revoke.MethodClientSecretBasic, o.Endpoint(), issuer, "/token/revocation", "/token/introspection",
				IntrospectorConfig{Vendor: "onelogin"})
		},
		SubjectHelp: "a user ID (a number) or an email address",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			id, err := p.Require(profile.ClientID, "the client_id of an API credential with Manage users")
			if err != nil {
				return nil, err
			}
			secret, err := p.RequireSecret(profile.ClientSecret, "the client_secret of the same API credential")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			v := onelogin.V2
			if strings.EqualFold(p.Get(API), "v1") {
				v = onelogin.V1
			}
			return onelogin.NewAdmin(onelogin.AdminConfig{Subdomain: p.Get(Subdomain), BaseURL: p.Get(BaseURL), ClientID: id, ClientSecret: secret, API: v}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := onelogintest.New()
			id, secret := "0123456789abcdef0123456789abcdef", demoSecret("")
			srv.AddAPICredential(id, secret)
			srv.AddUser(onelogintest.User{ID: 56781966, Email: "alice@example.com"})
			srv.StartSession(56781966)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "onelogin", BaseURL: base, API: "v2", profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret},
				Tokens: pairs(n, func() (string, string) {
					pr := srv.Issue(id)
					return pr.AccessToken, pr.RefreshToken
				}),
				Subject: "alice@example.com",
				Active:  srv.Active,
				Notes:   []string{"revoking an access token of API credentials revokes its refresh token too, as OneLogin documents: expect already-revoked answers for the second of each pair"},
				NoVerify: "they are API credentials' tokens, which OneLogin cannot introspect; the fake introspects the tokens of OpenID Connect apps " +
					"(" + onelogintest.OIDCIntrospectPath + "), as --verify does with --api oidc",
			}, nil
		},
	}
}
