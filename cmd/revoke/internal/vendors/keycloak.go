package vendors

import (
	"context"
	"fmt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// Realm is the realm setting of Keycloak and PingAM.
const Realm = "realm"

func keycloakVendor() Vendor {
	return Vendor{
		Name:   "keycloak",
		Title:  "Keycloak",
		Docs:   "https://www.keycloak.org/securing-apps/oidc-layers#_token_revocation_endpoint",
		Limits: "none documented: set --concurrency to what the server can take",
		Settings: []profile.Setting{
			{Name: BaseURL, Usage: "server base URL (a custom domain, a gateway prefix or a fake)"},
			{Name: Realm, Usage: "Keycloak realm name; PingAM realm under the root realm, e.g. alpha, alpha/customers (empty for the root realm)"},
			{Name: Issuer, Usage: "issuer URL: the revocation endpoint is discovered from its RFC 8414 / OpenID Connect metadata"},
			{Name: APIToken, Secret: true, Usage: "file holding the management API token for revoke user (- for standard input); or set REVOKE_API_TOKEN"},
		},
		Revoker: func(ctx context.Context, p *profile.Profile) (revoke.Revoker, error) {
			auth, opts, err := p.Client(revoke.MethodClientSecretBasic)
			if err != nil {
				return nil, err
			}
			if p.Get(BaseURL) == "" && p.Get(Issuer) != "" {
				return keycloak.Discover(ctx, p.Get(Issuer), auth, opts...)
			}
			return keycloak.New(keycloak.Config{BaseURL: p.Get(BaseURL), Realm: p.Get(Realm), Issuer: p.Get(Issuer), Auth: auth}, opts...)
		},
		Verify: "RFC 7662 at the realm's introspection endpoint (…/protocol/openid-connect/token/introspect, from its metadata), " +
			"with the same client authentication as the revocation; Keycloak refuses public clients there",
		Verifier: func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error) {
			k, ok := r.(*keycloak.Revoker)
			if !ok {
				return nil, fmt.Errorf("keycloak: --verify: the revoker is a %T, not a keycloak.Revoker", r)
			}
			// Keycloak takes the realm's issuer as a client assertion's "aud".
			return besideRevocation(ctx, p, r, revoke.MethodClientSecretBasic, k.Endpoint(), k.Issuer(),
				"/protocol/openid-connect/revoke", "/protocol/openid-connect/token/introspect",
				IntrospectorConfig{Vendor: "keycloak", Audience: revoke.AudienceIssuer})
		},
		SubjectHelp: "a user ID or an email address",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			tok, err := p.RequireSecret(APIToken, "an admin API access token with the manage-users role")
			if err != nil {
				return nil, err
			}
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			return keycloak.NewAdmin(keycloak.AdminConfig{BaseURL: p.Get(BaseURL), Realm: p.Get(Realm), Issuer: p.Get(Issuer), TokenSource: bearer(tok)}, opts...)
		},
		Emulate: func(base string, n int) (*Emulation, error) {
			srv := keycloaktest.New()
			realm, id, secret := "demo", "demo-client", demoSecret("demo-secret-")
			srv.AddRealm(realm)
			srv.AddClient(realm, revoketest.Client{ID: id, Secret: secret})
			alice := srv.AddUser(realm, keycloaktest.User{Username: "alice", Email: "alice@example.com"})
			srv.Login(realm, id, alice.ID)
			return &Emulation{
				Handler:  srv,
				Settings: map[string]string{profile.Vendor: "keycloak", BaseURL: base, Realm: realm, profile.ClientID: id},
				Secrets:  map[string]string{profile.ClientSecret: secret, APIToken: srv.AdminToken(realm)},
				Tokens: tokens(n, func() string {
					return srv.Login(realm, id, alice.ID).RefreshToken
				}),
				Subject: "alice@example.com",
				Active:  srv.Active,
				Notes:   []string{"the demo tokens are refresh tokens, each of its own session: revoking one ends that session"},
			}, nil
		},
	}
}
