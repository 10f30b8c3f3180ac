// Package profile resolves the settings that point the CLI at a vendor —
// the vendor, its domain or issuer, the client's credentials — from
// command-line flags, REVOKE_* environment variables and a JSON config
// file, in that order of precedence.
//
// A secret (a client secret, an API token, the journal's fingerprint key)
// is never taken from a flag value: a command line is visible to every user
// of the machine in ps and stays in the shell history. It comes from the
// environment (REVOKE_CLIENT_SECRET), from a file named by a flag, a
// variable or the config file (--client-secret-file, REVOKE_CLIENT_SECRET_FILE,
// "client_secret_file"), or from standard input (--client-secret-file -).
package profile

import "strings"

// Setting is one profile setting. Its name is the config file key; the
// flag and the environment variable are derived from it: "client_id" is
// --client-id and REVOKE_CLIENT_ID.
type Setting struct {
	// Name is the snake_case name and config file key.
	Name string
	// Usage is the flag's help text.
	Usage string
	// Secret marks a value that is never taken from a flag. It is read from
	// REVOKE_<NAME>, or from the file named by --<name>-file,
	// REVOKE_<NAME>_FILE or "<name>_file" in the config file.
	Secret bool
	// Bool marks a true/false setting (a flag without a value).
	Bool bool
}

// Flag is the setting's flag name without dashes: "client-id". A secret
// setting's flag is FileFlag.
func (s Setting) Flag() string { return strings.ReplaceAll(s.Name, "_", "-") }

// Env is the setting's environment variable: "REVOKE_CLIENT_ID".
func (s Setting) Env() string { return EnvPrefix + strings.ToUpper(s.Name) }

// FileFlag is the flag naming a file that holds a secret setting:
// "client-secret-file".
func (s Setting) FileFlag() string { return s.Flag() + "-file" }

// FileEnv is the environment variable naming a file that holds a secret
// setting: "REVOKE_CLIENT_SECRET_FILE".
func (s Setting) FileEnv() string { return s.Env() + "_FILE" }

// FileKey is the config file key naming a file that holds a secret
// setting: "client_secret_file".
func (s Setting) FileKey() string { return s.Name + "_file" }

// EnvPrefix starts every environment variable the CLI reads.
const EnvPrefix = "REVOKE_"

// Names of the settings every vendor shares.
const (
	Vendor         = "vendor"
	ClientID       = "client_id"
	ClientSecret   = "client_secret"
	AuthMethod     = "auth_method"
	PrivateKeyFile = "private_key_file"
	KeyID          = "key_id"
	TLSCertFile    = "tls_cert_file"
	TLSKeyFile     = "tls_key_file"
	InsecureHTTP   = "insecure_http"
	Timeout        = "timeout"
)

// Names of the settings that choose the config file itself. They come from
// a flag or the environment only.
const (
	ConfigFlag  = "config"
	ConfigEnv   = EnvPrefix + "CONFIG"
	ProfileFlag = "profile"
	ProfileEnv  = EnvPrefix + "PROFILE"
)

// Common lists the settings every vendor shares.
func Common() []Setting {
	return []Setting{
		{Name: Vendor, Usage: "the vendor: generic, okta, … (revoke vendors lists them)"},
		{Name: ClientID, Usage: "the OAuth client ID"},
		{Name: ClientSecret, Secret: true, Usage: "file holding the client secret (- for standard input); or set REVOKE_CLIENT_SECRET"},
		{Name: AuthMethod, Usage: "client authentication: auto (default), client_secret_basic, client_secret_basic_raw, client_secret_post, client_secret_jwt, private_key_jwt, none, no_client_auth, tls_client_auth, self_signed_tls_client_auth"},
		{Name: PrivateKeyFile, Usage: "PEM file of the private key for private_key_jwt (PKCS #8, PKCS #1 or SEC 1)"},
		{Name: KeyID, Usage: "key ID (kid) sent in client assertions"},
		{Name: TLSCertFile, Usage: "PEM client certificate for mutual TLS (RFC 8705)"},
		{Name: TLSKeyFile, Usage: "PEM private key of --tls-cert-file"},
		{Name: InsecureHTTP, Bool: true, Usage: "allow plain http to a host that is not loopback (credentials travel in clear text)"},
		{Name: Timeout, Usage: "bound on each call, retries included (e.g. 30s)"},
	}
}
