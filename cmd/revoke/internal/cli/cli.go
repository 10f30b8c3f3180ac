// Package cli is the revoke command: its command tree, built afresh by
// New for every run, and Main, which runs it and turns the outcome into an
// exit status.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

// Exit statuses.
const (
	// ExitOK: every token was revoked (or was already invalid).
	ExitOK = 0
	// ExitFailed: a token, a step or the command failed.
	ExitFailed = 1
	// ExitUsage: the command was called the wrong way; nothing was sent.
	ExitUsage = 2
	// ExitInterrupted: SIGINT or SIGTERM stopped the run (128 + SIGINT).
	ExitInterrupted = 130
)

// Version is the CLI's version, the SDK's.
const Version = revoke.Version

// Env is everything a run of the command reads and writes: no global
// state, so that tests run it in-process.
type Env struct {
	// Program is how the command was invoked (os.Args[0]), for the
	// commands it suggests.
	Program string
	// Args are the arguments, without the program.
	Args []string
	// Stdin, Stdout and Stderr are the standard streams. When they are
	// *os.File values, terminals are detected on them.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv reads the environment (os.Getenv).
	Getenv func(string) string
}

// Interrupted is the cause a context is cancelled with when a signal
// stops the command.
type Interrupted struct {
	// Signal names the signal: "SIGINT", "SIGTERM".
	Signal string
}

// Error implements error.
func (i Interrupted) Error() string { return "interrupted by " + i.Signal }

// exitError carries a command's exit status. Its message, when not empty,
// is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// failed is an error that exits with ExitFailed, or ExitUsage when err is
// a usage mistake.
func failed(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	if usage.Is(err) {
		return &exitError{code: ExitUsage, err: err}
	}
	return &exitError{code: ExitFailed, err: err}
}

// status exits with code without printing anything more.
func status(code int) error { return &exitError{code: code} }

// Main runs the command and returns its exit status.
func Main(ctx context.Context, env Env) int {
	env = env.withDefaults()
	if err := refuseSecretArgs(env.Args); err != nil {
		fmt.Fprintf(env.Stderr, "%s: %v\n", progName(env.Program), err)
		return ExitUsage
	}
	root := New(env)
	root.SetArgs(env.Args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := ExitUsage // cobra's own errors: unknown commands and flags
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	}
	if msg := err.Error(); msg != "" {
		prog := progName(env.Program)
		if strings.HasPrefix(msg, prog+": ") { // the SDK's own "revoke: …"
			fmt.Fprintln(env.Stderr, msg)
		} else {
			fmt.Fprintf(env.Stderr, "%s: %s\n", prog, msg)
		}
		if code == ExitUsage {
			fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", commandPath(root, env.Args))
		}
	}
	return code
}

func (env Env) withDefaults() Env {
	if env.Program == "" {
		env.Program = "revoke"
	}
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if _, ok := env.Stderr.(*lockedWriter); !ok {
		env.Stderr = &lockedWriter{w: env.Stderr}
	}
	return env
}

// progName is the program's base name for messages.
func progName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	if p == "" {
		return "revoke"
	}
	return p
}

// commandPath names the subcommand that args run, for "--help" hints.
func commandPath(root *cobra.Command, args []string) string {
	c, _, err := root.Find(args)
	if err != nil || c == nil {
		return root.Name()
	}
	return c.CommandPath()
}

// New builds the command tree for env.
func New(env Env) *cobra.Command {
	env = env.withDefaults()
	root := &cobra.Command{
		Use:   progName(env.Program),
		Short: "Make OAuth 2.0 tokens stop working at identity vendors",
		Long: `revoke makes OAuth 2.0 tokens stop working at identity vendors, one token
or tens of thousands, through one interface.

Point it at a vendor with flags, REVOKE_* environment variables or a JSON
config file (--config), in that order of precedence: --domain beats
REVOKE_DOMAIN beats "domain" in the file. Secrets never come from a flag
value: set REVOKE_CLIENT_SECRET, or name a file with --client-secret-file
(- reads standard input). The config file is a JSON object of settings,
each the long flag with _ for -, with optional named "profiles":

  {"vendor": "okta", "domain": "dev-123.okta.com", "client_id": "0oa1…",
   "client_secret_file": "okta.secret",
   "profiles": {"staging": {"domain": "dev-456.okta.com"}}}

Exit status: 0 every token revoked (already invalid counts), 1 something
failed, 2 the command was called the wrong way (nothing was sent), 130
interrupted (resume with the same command and --journal).`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: err}
	})
	root.AddCommand(
		tokenCommand(env),
		userCommand(env),
		discoverCommand(env),
		emulateCommand(env),
		profileCommand(env),
		vendorsCommand(env),
	)
	return root
}

// secretFlags are the flags refused before anything runs, with what to do
// instead. A secret setting's own name is one (--client-secret).
func secretFlags() map[string]string {
	out := map[string]string{
		"token":       "a token on the command line is visible to every user in ps and stays in the shell history: pipe it (… | revoke token -), paste it at the hidden prompt of revoke token, or list tokens in a file (revoke token --file tokens.txt)",
		"private-key": "pass the path of a PEM file with --private-key-file",
		"password":    "revoke takes no password: set the client secret in REVOKE_CLIENT_SECRET or a file named by --client-secret-file",
	}
	all := append(append(profile.Common(), vendors.Settings()...), commandSecrets()...)
	for _, s := range all {
		if s.Secret {
			out[s.Flag()] = fmt.Sprintf("a secret on the command line is visible to every user in ps and stays in the shell history, so it was refused and not used (if it was real, treat it as exposed): set %s, or pass --%s PATH (a file holding it, chmod 600; - reads standard input)", s.Env(), s.FileFlag())
		}
	}
	return out
}

// refuseSecretArgs refuses a secret given as a flag, in any form
// (--client-secret X, --client-secret=X), before the flags are parsed. The
// message names the flag, never the value.
func refuseSecretArgs(args []string) error {
	refused := secretFlags()
	for _, a := range args {
		if a == "--" {
			return nil
		}
		name, ok := strings.CutPrefix(a, "--")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if msg, bad := refused[name]; bad {
			return usage.Errorf("--%s: %s", name, msg)
		}
	}
	return nil
}

// lockedWriter serialises writes from the progress bar, the run and the
// signal handler.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// file returns the *os.File under w, if any.
func file(w any) *os.File {
	switch v := w.(type) {
	case *os.File:
		return v
	case *lockedWriter:
		return file(v.w)
	}
	return nil
}
