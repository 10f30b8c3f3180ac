package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// maxConfigBytes bounds a config file.
const maxConfigBytes = 1 << 20

// configFile is a parsed config file: the top-level settings, overlaid by
// the named profile's.
//
// The format is a JSON object of settings by name, with an optional
// "profiles" object of named profiles of the same form:
//
//	{
//	  "vendor": "okta",
//	  "domain": "dev-123.okta.com",
//	  "client_id": "0oa1example",
//	  "client_secret_file": "okta.secret",
//	  "profiles": {
//	    "staging": {"domain": "dev-456.okta.com", "client_id": "0oa2example"}
//	  }
//	}
//
// Values are strings, or true/false and numbers for the settings that take
// them. A secret's value is never in the file, only the path of a file of
// its own ("client_secret_file"), relative to the config file's folder.
type configFile struct {
	path    string
	profile string
	values  map[string]string
}

// loadConfig reads path and selects profile (none when "").
func loadConfig(path, from, profile string, settings map[string]Setting) (*configFile, error) {
	b, err := readBounded(path, maxConfigBytes)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usage.Errorf("config file %s (from %s) does not exist: check the path, or leave out %s to use flags and REVOKE_* variables only", strconv.Quote(path), from, from)
		}
		return nil, usage.Errorf("config file %s: %v", strconv.Quote(path), err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, usage.Errorf("config file %s is not a JSON object of settings (%v): see revoke --help for its format", strconv.Quote(path), jsonProblem(err))
	}
	c := &configFile{path: path, profile: profile, values: map[string]string{}}
	dir := filepath.Dir(path)
	if err := c.apply(top, "", dir, settings, true); err != nil {
		return nil, err
	}
	if profile == "" {
		return c, nil
	}
	raw, ok := top["profiles"]
	var profiles map[string]map[string]json.RawMessage
	if ok {
		if err := json.Unmarshal(raw, &profiles); err != nil {
			return nil, usage.Errorf("config file %s: \"profiles\" is not an object of named profiles, each an object of settings", strconv.Quote(path))
		}
	}
	sel, ok := profiles[profile]
	if !ok {
		names := make([]string, 0, len(profiles))
		for n := range profiles {
			names = append(names, strconv.Quote(n))
		}
		slices.Sort(names)
		if len(names) == 0 {
			return nil, usage.Errorf("config file %s has no profile %s: it has no \"profiles\" at all", strconv.Quote(path), strconv.Quote(profile))
		}
		return nil, usage.Errorf("config file %s has no profile %s: it has %s", strconv.Quote(path), strconv.Quote(profile), joinNames(names))
	}
	if err := c.apply(sel, "profiles."+profile+".", dir, settings, false); err != nil {
		return nil, err
	}
	return c, nil
}

// apply reads one object of settings into c.
func (c *configFile) apply(obj map[string]json.RawMessage, prefix, dir string, settings map[string]Setting, top bool) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		raw := obj[k]
		if k == "profiles" && top {
			continue
		}
		if k == ConfigFlag || k == ProfileFlag {
			return usage.Errorf("config file %s: %s cannot be set in a config file", strconv.Quote(c.path), strconv.Quote(prefix+k))
		}
		name, isFile := k, false
		s, ok := settings[k]
		if !ok {
			if base, found := cutSuffix(k, "_file"); found {
				if bs, ok2 := settings[base]; ok2 && bs.Secret {
					s, ok, name, isFile = bs, true, base, true
				}
			}
		}
		if !ok {
			return usage.Errorf("config file %s: unknown setting %s: the settings are the long flags of revoke token --help, with _ for - (e.g. \"client_id\")", strconv.Quote(c.path), strconv.Quote(prefix+k))
		}
		if s.Secret && !isFile {
			return usage.Errorf("config file %s: %s holds a secret, which a config file must not: config files get copied, shared and committed. Put the secret in a file of its own (chmod 600) and name it with %q, or set %s", strconv.Quote(c.path), strconv.Quote(prefix+k), s.FileKey(), s.Env())
		}
		v, err := scalar(raw)
		if err != nil {
			return usage.Errorf("config file %s: %s: %v", strconv.Quote(c.path), strconv.Quote(prefix+k), err)
		}
		if isFile || isPathSetting(name) {
			if v != "" && v != "-" && !filepath.IsAbs(v) {
				v = filepath.Join(dir, v)
			}
		}
		key := name
		if isFile {
			key = s.FileKey()
		}
		c.values[key] = v
	}
	return nil
}

// isPathSetting reports settings whose value is a file path, resolved
// against the config file's folder.
func isPathSetting(name string) bool {
	switch name {
	case PrivateKeyFile, TLSCertFile, TLSKeyFile:
		return true
	}
	return false
}

// get returns a plain setting's value from the file.
func (c *configFile) get(name string) (string, bool) {
	if c == nil {
		return "", false
	}
	v, ok := c.values[name]
	return v, ok
}

// from names the file (and profile) for messages.
func (c *configFile) from() string {
	if c.profile != "" {
		return "config " + c.path + " profile " + c.profile
	}
	return "config " + c.path
}

// scalar renders a JSON string, boolean or number as a string.
func scalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return strconv.FormatBool(b), nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", errors.New("is not a string, a boolean or a number")
}

// jsonProblem describes a JSON syntax error by offset only: the text near
// it could be a secret someone pasted in by mistake.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "the top level is a JSON " + te.Value + ", not an object"
	}
	return "not JSON"
}

func cutSuffix(s, suffix string) (string, bool) {
	if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}

// readBounded reads at most limit bytes of path; a longer file is an error.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllBounded(f, limit)
}
