package profile

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// Input is what Resolve reads.
type Input struct {
	// Settings are every setting the command knows: Common, the vendors'
	// and the command's own.
	Settings []Setting
	// Flags are the parsed flags of the command, registered with AddFlags.
	Flags *pflag.FlagSet
	// Getenv reads the environment; "" means unset.
	Getenv func(string) string
	// Stdin is standard input, for a secret file named "-".
	Stdin *Stdin
	// Warn receives warnings, such as a secret file other users can read.
	Warn io.Writer
}

// Value is a resolved setting and where it came from.
type Value struct {
	// Value is the setting; for a secret, the path of its file ("" when it
	// came from the environment itself).
	Value string
	// From names the source: "--domain", "REVOKE_DOMAIN",
	// "config profile.json".
	From string
}

// Profile is a resolved set of settings. Secrets are read when first asked
// for, so that one read from standard input is read only when needed.
type Profile struct {
	settings map[string]Setting
	values   map[string]Value
	secrets  map[string]secretSource
	read     map[string]string
	stdin    *Stdin
	warn     io.Writer
	config   string
	opts     []revoke.Option
}

// AddFlags registers the flags of settings on fs: --name for a plain
// setting, --name-file for a secret, and --config and --profile.
func AddFlags(fs *pflag.FlagSet, settings []Setting) {
	fs.String(ConfigFlag, "", "JSON config file of profile settings (or REVOKE_CONFIG)")
	fs.String(ProfileFlag, "", "named profile in the config file's \"profiles\" (or REVOKE_PROFILE)")
	for _, s := range settings {
		switch {
		case s.Secret:
			fs.String(s.FileFlag(), "", s.Usage)
		case s.Bool:
			fs.Bool(s.Flag(), false, s.Usage+" (or "+s.Env()+"=true)")
		default:
			fs.String(s.Flag(), "", s.Usage+" (or "+s.Env()+")")
		}
	}
}

// Resolve reads every setting from the flags, then the environment, then
// the config file: the first that sets it wins. A config file named by
// --config or REVOKE_CONFIG must exist.
func Resolve(in Input) (*Profile, error) {
	p := &Profile{
		settings: map[string]Setting{},
		values:   map[string]Value{},
		secrets:  map[string]secretSource{},
		read:     map[string]string{},
		stdin:    in.Stdin,
		warn:     in.Warn,
	}
	if p.warn == nil {
		p.warn = io.Discard
	}
	getenv := in.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	for _, s := range in.Settings {
		p.settings[s.Name] = s
	}
	flag := func(name string) (string, bool) {
		if in.Flags == nil {
			return "", false
		}
		f := in.Flags.Lookup(name)
		if f == nil || !f.Changed {
			return "", false
		}
		return f.Value.String(), true
	}

	cfgPath, cfgFrom := "", ""
	if v, ok := flag(ConfigFlag); ok {
		cfgPath, cfgFrom = v, "--"+ConfigFlag
	} else if v := getenv(ConfigEnv); v != "" {
		cfgPath, cfgFrom = v, ConfigEnv
	}
	name := ""
	if v, ok := flag(ProfileFlag); ok {
		name = v
	} else {
		name = getenv(ProfileEnv)
	}
	var file *configFile
	if cfgPath != "" {
		var err error
		file, err = loadConfig(cfgPath, cfgFrom, name, p.settings)
		if err != nil {
			return nil, err
		}
		p.config = cfgPath
	} else if name != "" {
		return nil, usage.Errorf("--profile %s names a profile of a config file, but none is given: pass --config FILE or set REVOKE_CONFIG", strconv.Quote(name))
	}

	for _, s := range in.Settings {
		if s.Secret {
			src, err := resolveSecret(s, flag, getenv, file)
			if err != nil {
				return nil, err
			}
			if src.set {
				p.secrets[s.Name] = src
			}
			continue
		}
		if v, ok := flag(s.Flag()); ok {
			p.values[s.Name] = Value{Value: v, From: "--" + s.Flag()}
		} else if v := getenv(s.Env()); v != "" {
			p.values[s.Name] = Value{Value: v, From: s.Env()}
		} else if v, ok := file.get(s.Name); ok {
			p.values[s.Name] = Value{Value: v, From: file.from()}
		}
		if s.Bool {
			if v, ok := p.values[s.Name]; ok {
				if _, err := strconv.ParseBool(v.Value); err != nil {
					return nil, usage.Errorf("%s: %s is not true or false", v.From, strconv.Quote(v.Value))
				}
			}
		}
	}
	return p, nil
}

// SetOptions sets the revoke.Options every adapter built from this
// profile gets, before those of Options.
func (p *Profile) SetOptions(opts ...revoke.Option) { p.opts = opts }

// Get returns a setting, or "" when nothing sets it.
func (p *Profile) Get(name string) string { return p.values[name].Value }

// Lookup returns a setting and where it came from.
func (p *Profile) Lookup(name string) (Value, bool) {
	v, ok := p.values[name]
	return v, ok
}

// Bool returns a true/false setting; unset is false.
func (p *Profile) Bool(name string) bool {
	b, _ := strconv.ParseBool(p.values[name].Value)
	return b
}

// Require returns a setting, or a usage error naming every way to set it
// and what it is for.
func (p *Profile) Require(name, what string) (string, error) {
	if v := p.Get(name); v != "" {
		return v, nil
	}
	s := p.setting(name)
	return "", usage.Errorf("%s is not set: pass --%s, set %s, or put %q in the config file (%s)", name, s.Flag(), s.Env(), s.Name, what)
}

// HasSecret reports whether a secret setting is set, without reading it.
func (p *Profile) HasSecret(name string) bool {
	_, ok := p.secrets[name]
	return ok
}

// SecretFrom names where a secret setting comes from, "" when unset.
func (p *Profile) SecretFrom(name string) string { return p.secrets[name].from }

// Secret returns a secret setting, read from its variable or file on first
// use, or "" when it is not set.
func (p *Profile) Secret(name string) (string, error) {
	if v, ok := p.read[name]; ok {
		return v, nil
	}
	src, ok := p.secrets[name]
	if !ok {
		return "", nil
	}
	v, err := src.load(p.stdin, p.warn)
	if err != nil {
		return "", err
	}
	p.read[name] = v
	return v, nil
}

// RequireSecret returns a secret setting, or a usage error naming every
// way to give it.
func (p *Profile) RequireSecret(name, what string) (string, error) {
	v, err := p.Secret(name)
	if err != nil || v != "" {
		return v, err
	}
	s := p.setting(name)
	return "", usage.Errorf("%s is not set (%s): set %s, or pass --%s PATH (a file holding it; - reads standard input), or put %q in the config file; never a flag value", name, what, s.Env(), s.FileFlag(), s.FileKey())
}

// Duration returns a duration setting, 0 when unset.
func (p *Profile) Duration(name string) (time.Duration, error) {
	v, ok := p.values[name]
	if !ok || v.Value == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v.Value)
	if err != nil || d <= 0 {
		return 0, usage.Errorf("%s: %s is not a positive duration such as 30s or 2m", v.From, strconv.Quote(v.Value))
	}
	return d, nil
}

// Options returns the revoke.Options of this profile: those given with
// SetOptions, then WithTimeout and WithInsecureHTTP as the profile says.
func (p *Profile) Options() ([]revoke.Option, error) {
	opts := slices.Clone(p.opts)
	d, err := p.Duration(Timeout)
	if err != nil {
		return nil, err
	}
	if d > 0 {
		opts = append(opts, revoke.WithTimeout(d))
	}
	if p.Bool(InsecureHTTP) {
		opts = append(opts, revoke.WithInsecureHTTP())
	}
	return opts, nil
}

// ConfigPath is the config file in use, "" when none.
func (p *Profile) ConfigPath() string { return p.config }

// Sources lists every setting that is set, in the order of names, as
// "name", value (a secret shows where it comes from, never its value) and
// source.
func (p *Profile) Sources(names []string) [][3]string {
	var out [][3]string
	for _, n := range names {
		if v, ok := p.values[n]; ok {
			out = append(out, [3]string{n, v.Value, v.From})
		}
		if s, ok := p.secrets[n]; ok {
			shown := "set (" + revoke.Redacted + ")"
			if s.path != "" {
				shown = "file " + s.path
			}
			out = append(out, [3]string{n, shown, s.from})
		}
	}
	return out
}

// Explicit reports the flags that set a setting, by name: a vendor that
// does not use one refuses it.
func Explicit(fs *pflag.FlagSet, settings []Setting) []Setting {
	var out []Setting
	for _, s := range settings {
		name := s.Flag()
		if s.Secret {
			name = s.FileFlag()
		}
		if f := fs.Lookup(name); f != nil && f.Changed {
			out = append(out, s)
		}
	}
	return out
}

func (p *Profile) setting(name string) Setting {
	if s, ok := p.settings[name]; ok {
		return s
	}
	return Setting{Name: name}
}

// FlagText is how a setting is named in messages: --domain, or
// --client-secret-file for a secret.
func FlagText(s Setting) string {
	if s.Secret {
		return "--" + s.FileFlag()
	}
	return "--" + s.Flag()
}

// joinNames renders names for a message: a, b and c.
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
