package vendors

import (
	"context"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/entra/entratest"
)

// Settings of Microsoft Entra ID.
const (
	GraphURL = "graph_url"
	LoginURL = "login_url"
)

func entraVendor() Vendor {
	return Vendor{
		Name:   "entra",
		Title:  "Microsoft Entra ID (Graph revokeSignInSessions; no per-token revocation)",
		Docs:   "https://learn.microsoft.com/graph/api/user-revokesigninsessions",
		Limits: "Microsoft Graph throttling, 429 with Retry-After (https://learn.microsoft.com/graph/throttling)",
		Verify: "the Microsoft identity platform has no introspection endpoint (and no per-token revocation)",
		Settings: []profile.Setting{
			{Name: Tenant, Usage: "tenant: WSO2 tenant domain or Asgardeo organization (empty for the super tenant); Entra directory ID or verified domain"},
			{Name: GraphURL, Usage: "Microsoft Graph root, for a national cloud or a fake"},
			{Name: LoginURL, Usage: "Microsoft identity platform root, for a national cloud or a fake"},
			{Name: APIToken, Secret: true, Usage: "file holding the management API token for revoke user (- for standard input); or set REVOKE_API_TOKEN"},
		},
		SubjectHelp: "an object ID or a user principal name (alice@contoso.com)",
		Subject: func(_ context.Context, p *profile.Profile) (revoke.SubjectRevoker, error) {
			opts, err := p.Options()
			if err != nil {
				return nil, err
			}
			cfg := entra.Config{Tenant: p.Get(Tenant), GraphURL: p.Get(GraphURL), LoginURL: p.Get(LoginURL)}
			if p.HasSecret(APIToken) {
				tok, err := p.Secret(APIToken)
				if err != nil {
					return nil, err
				}
				cfg.TokenSource = bearer(tok)
			} else {
				if cfg.ClientID, err = p.Require(profile.ClientID, "the app registration's client ID, with User.RevokeSessions.All; or a Graph token in REVOKE_API_TOKEN"); err != nil {
					return nil, err
				}
				if cfg.ClientSecret, err = p.RequireSecret(profile.ClientSecret, "the app registration's client secret"); err != nil {
					return nil, err
				}
				if _, err := p.Require(Tenant, "the directory (tenant) ID or a verified domain"); err != nil {
					return nil, err
				}
			}
			return entra.New(cfg, opts...)
		},
		Emulate: func(base string, _ int) (*Emulation, error) {
			srv := entratest.New()
			id, secret := "00000000-0000-0000-0000-0000000000de", demoSecret("demo~secret-")
			srv.AddApp(entratest.App{ClientID: id, Secret: secret, Permissions: []string{entratest.PermissionRevokeSessions}})
			srv.AddUser(entratest.User{ID: "11111111-2222-3333-4444-555555555555", UserPrincipalName: "alice@contoso.com"})
			return &Emulation{
				Handler: srv,
				Settings: map[string]string{profile.Vendor: "entra", Tenant: "contoso.onmicrosoft.com", GraphURL: base, LoginURL: base,
					profile.ClientID: id},
				Secrets: map[string]string{profile.ClientSecret: secret},
				Subject: "alice@contoso.com",
				Active:  srv.Active,
				Notes:   []string{"Entra has no per-token revocation: revoke user ends the user's sign-in sessions, which invalidates their refresh tokens"},
			}, nil
		},
	}
}
