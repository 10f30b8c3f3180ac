package cli

import (
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

// FingerprintKey is the setting of the journal's fingerprint key.
const FingerprintKey = "fingerprint_key"

// commandSecrets are secret settings of commands rather than of vendors.
func commandSecrets() []profile.Setting {
	return []profile.Setting{{
		Name:   FingerprintKey,
		Secret: true,
		Usage:  "file holding the journal's fingerprint key, at least 16 random bytes, the same for every run of a journal (- for standard input); or set REVOKE_FINGERPRINT_KEY",
	}}
}

// allSettings lists the settings of a command that reads a profile.
func allSettings(extra ...profile.Setting) []profile.Setting {
	return append(append(profile.Common(), vendors.Settings()...), extra...)
}

// addProfileFlags registers the profile flags, and --verbose.
func addProfileFlags(cmd *cobra.Command, extra ...profile.Setting) {
	profile.AddFlags(cmd.Flags(), allSettings(extra...))
	cmd.Flags().BoolP("verbose", "v", false, "log each call and rate-limit pause to standard error (never a token or secret)")
}

// resolved is a command's profile and vendor.
type resolved struct {
	prof   *profile.Profile
	vendor vendors.Vendor
}

// resolve reads the profile of cmd and finds its vendor.
func resolve(cmd *cobra.Command, env Env, stdin *profile.Stdin, extra ...profile.Setting) (*resolved, error) {
	settings := allSettings(extra...)
	prof, err := profile.Resolve(profile.Input{Settings: settings, Flags: cmd.Flags(), Getenv: env.Getenv, Stdin: stdin, Warn: env.Stderr})
	if err != nil {
		return nil, err
	}
	opts := []revoke.Option{revoke.WithUserAgent("revoke-cli/" + Version + " revoke-go/" + revoke.Version)}
	if v, _ := cmd.Flags().GetBool("verbose"); v {
		opts = append(opts, revoke.WithLogger(logger(env)))
	}
	prof.SetOptions(opts...)
	name := prof.Get(profile.Vendor)
	if name == "" {
		return nil, usage.Errorf("no vendor is set: pass --vendor NAME, set REVOKE_VENDOR, or put \"vendor\" in the config file; the vendors are %s (any RFC 7009 server: generic)", strings.Join(vendors.Names(), ", "))
	}
	v, ok := vendors.Lookup(name)
	if !ok {
		from, _ := prof.Lookup(profile.Vendor)
		return nil, usage.Errorf("%s: unknown vendor %s: %sthis build has %s; for any other RFC 7009 server use --vendor generic --issuer URL", from.From, strconv.Quote(name), vendors.Suggest(name), strings.Join(vendors.Names(), ", "))
	}
	if err := refuseForeignFlags(cmd, v, settings, extra); err != nil {
		return nil, err
	}
	return &resolved{prof: prof, vendor: v}, nil
}

// refuseForeignFlags refuses a flag of a setting the vendor does not read:
// --subdomain with --vendor okta is a mistake, not something to ignore.
func refuseForeignFlags(cmd *cobra.Command, v vendors.Vendor, settings, extra []profile.Setting) error {
	own := map[string]bool{}
	for _, s := range append(append(profile.Common(), v.Settings...), extra...) {
		own[s.Name] = true
	}
	for _, s := range profile.Explicit(cmd.Flags(), settings) {
		if !own[s.Name] {
			names := []string{"no setting"}
			if len(v.Settings) > 0 {
				names = nil
			}
			for _, vs := range v.Settings {
				names = append(names, profile.FlagText(vs))
			}
			return usage.Errorf("%s is not a setting of vendor %s, which reads %s besides the client credentials", profile.FlagText(s), v.Name, strings.Join(names, ", "))
		}
	}
	return nil
}

// logger logs to standard error; the SDK never logs a token or secret.
func logger(env Env) *slog.Logger {
	return slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// shellQuote renders args as a command a POSIX shell reads back the same.
func shellQuote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = quoteArg(a)
	}
	return strings.Join(out, " ")
}

func quoteArg(a string) string {
	if a == "" {
		return "''"
	}
	safe := !strings.ContainsFunc(a, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
	})
	if safe {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}

// withArg returns args with flag set to value, replacing any earlier
// value.
func withArg(args []string, flag, value string) []string {
	out := slices.Clone(args)
	end := len(out)
	for i := 0; i < len(out); i++ {
		if out[i] == "--" {
			end = i
			break
		}
		if out[i] == flag && i+1 < len(out) {
			out[i+1] = value
			return out
		}
		if strings.HasPrefix(out[i], flag+"=") {
			out[i] = flag + "=" + value
			return out
		}
	}
	return slices.Insert(out, end, flag, value)
}
