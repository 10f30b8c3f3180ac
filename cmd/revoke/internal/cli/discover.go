package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
	"github.com/revokekit/revoke/generic"
)

func discoverCommand(env Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "discover [ISSUER]",
		Short: "Show an issuer's revocation endpoint and auth methods (RFC 8414 / OpenID Connect metadata)",
		Long: `Fetch the issuer's metadata, from /.well-known/oauth-authorization-server
(RFC 8414) and then /.well-known/openid-configuration, and show what
revocation needs: the revocation endpoint, the client authentication
methods it accepts, the introspection endpoint, the mutual-TLS aliases
(RFC 8705), and the method the configured credentials would use.

The issuer is the argument, or --issuer / REVOKE_ISSUER / the config file.`,
		Example: `  revoke discover https://dev-123.okta.com
  revoke discover --config profile.json --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(runDiscover(cmd, env, args, asJSON))
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the metadata the CLI reads as JSON")
	addProfileFlags(cmd)
	return cmd
}

func runDiscover(cmd *cobra.Command, env Env, args []string, asJSON bool) error {
	ctx := cmd.Context()
	prof, err := profile.Resolve(profile.Input{Settings: allSettings(), Flags: cmd.Flags(), Getenv: env.Getenv, Stdin: profile.NewStdin(env.Stdin), Warn: env.Stderr})
	if err != nil {
		return err
	}
	issuer := prof.Get(vendors.Issuer)
	if len(args) == 1 {
		issuer = args[0]
	}
	if issuer == "" {
		return usage.Errorf("no issuer: pass it as the argument, or set --issuer, REVOKE_ISSUER or \"issuer\" in the config file")
	}
	opts, err := prof.Options()
	if err != nil {
		return err
	}
	md, err := generic.FetchMetadata(ctx, issuer, opts...)
	if err != nil {
		return err
	}

	chosen, endpoint, why := "", "", ""
	if prof.Get(profile.ClientID) == "" && prof.Get(profile.AuthMethod) == "" {
		why = "no client configured: set --client-id (and the secret, key or certificate) to see the method used"
	} else if auth, err := prof.ClientAuth(""); err != nil {
		why = err.Error()
	} else if r, err := generic.Discover(ctx, issuer, auth, opts...); err != nil {
		why = err.Error()
	} else {
		chosen, endpoint = r.AuthMethod(), r.Endpoint()
	}

	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			*generic.Metadata
			ChosenMethod   string `json:"chosen_method,omitempty"`
			ChosenEndpoint string `json:"chosen_endpoint,omitempty"`
			NotChosen      string `json:"not_chosen,omitempty"`
		}{md, chosen, endpoint, why})
	}
	w := env.Stdout
	row := func(k, v string) { fmt.Fprintf(w, "%-24s %s\n", k, v) }
	row("issuer", md.Issuer)
	row("revocation endpoint", orNone(md.RevocationEndpoint, "none advertised: the server may not support RFC 7009"))
	methods := "not listed (RFC 8414 default: client_secret_basic)"
	if len(md.RevocationEndpointAuthMethodsSupported) > 0 {
		methods = strings.Join(md.RevocationEndpointAuthMethodsSupported, ", ")
	}
	row("revocation auth methods", methods)
	row("introspection endpoint", orNone(md.IntrospectionEndpoint, "none advertised (--verify needs one)"))
	row("token endpoint", orNone(md.TokenEndpoint, "none advertised"))
	a := md.MTLSEndpointAliases
	if a.RevocationEndpoint == "" && a.IntrospectionEndpoint == "" && a.TokenEndpoint == "" {
		row("mTLS aliases", "none")
	} else {
		row("mTLS revocation", orNone(a.RevocationEndpoint, "-"))
		row("mTLS introspection", orNone(a.IntrospectionEndpoint, "-"))
		row("mTLS token", orNone(a.TokenEndpoint, "-"))
	}
	if chosen != "" {
		row("method chosen", fmt.Sprintf("%s for client %s, at %s", chosen, prof.Get(profile.ClientID), endpoint))
	} else {
		row("method chosen", why)
	}
	return nil
}

func orNone(v, none string) string {
	if v == "" {
		return none
	}
	return v
}
