package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

func profileCommand(env Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Show the settings in effect and where each comes from (never a secret's value)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			settings := allSettings(commandSecrets()...)
			prof, err := profile.Resolve(profile.Input{Settings: settings, Flags: cmd.Flags(), Getenv: env.Getenv, Stdin: profile.NewStdin(env.Stdin), Warn: env.Stderr})
			if err != nil {
				return failed(err)
			}
			var names []string
			for _, s := range settings {
				names = append(names, s.Name)
			}
			rows := prof.Sources(names)
			if len(rows) == 0 {
				fmt.Fprintln(env.Stdout, "no settings: pass flags, set REVOKE_* variables, or --config FILE")
			}
			for _, r := range rows {
				fmt.Fprintf(env.Stdout, "%-22s %-40s %s\n", r[0], r[1], r[2])
			}
			if name := prof.Get(profile.Vendor); name != "" {
				if _, ok := vendors.Lookup(name); !ok {
					return failed(usage.Errorf("unknown vendor %q: %sthis build has %s", name, vendors.Suggest(name), strings.Join(vendors.Names(), ", ")))
				}
			}
			return nil
		},
	}
	addProfileFlags(cmd, commandSecrets()...)
	return cmd
}

func vendorsCommand(env Env) *cobra.Command {
	return &cobra.Command{
		Use:   "vendors",
		Short: "List the vendors of this build, their settings and rate limits",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			w := env.Stdout
			for _, v := range vendors.All() {
				var can []string
				if v.Revoker != nil {
					can = append(can, "token")
				}
				if v.Subject != nil {
					can = append(can, "user")
				}
				if v.Verifier != nil {
					can = append(can, "--verify")
				}
				if v.Emulate != nil {
					can = append(can, "emulate")
				}
				flags := []string{"none"}
				if len(v.Settings) > 0 {
					flags = nil
				}
				for _, s := range v.Settings {
					flags = append(flags, profile.FlagText(s))
				}
				fmt.Fprintf(w, "%s — %s\n  commands: %s\n  settings: %s\n", v.Name, v.Title, strings.Join(can, ", "), strings.Join(flags, " "))
				if v.SubjectHelp != "" {
					fmt.Fprintf(w, "  user: %s\n", v.SubjectHelp)
				}
				switch {
				case v.Verifier != nil:
					fmt.Fprintf(w, "  --verify: %s\n", v.Verify)
				case v.Verify != "":
					fmt.Fprintf(w, "  --verify: none: %s\n", v.Verify)
				}
				fmt.Fprintf(w, "  rate limits: %s\n  docs: %s\n\n", v.Limits, v.Docs)
			}
			return nil
		},
	}
}
