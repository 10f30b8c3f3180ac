package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// tokenFlags are the options of revoke token.
type tokenFlags struct {
	file        string
	hint        string
	concurrency int
	journal     string
	dryRun      bool
	verify      bool
	maxAttempts int
	skipFailed  bool
	keepGoing   bool
	noProgress  bool
}

func tokenCommand(env Env) *cobra.Command {
	var f tokenFlags
	cmd := &cobra.Command{
		Use:   "token [-]",
		Short: "Revoke one token from standard input, or many from a file",
		Long: `Revoke tokens at the vendor: one, typed at a hidden prompt or piped on
standard input, or many from --file (or standard input), one per line or
as JSON lines {"token":"…","hint":"refresh_token"}. Blank lines and lines
starting with # are skipped.

A token is never taken as an argument: a command line is visible to every
user in ps and stays in the shell history.

Each finished token is a JSON line on standard output, identified by its
line number and fingerprint, never by the token; a summary follows on
standard error, with a progress bar while it runs when standard error is a
terminal.

With --journal, every finished token is recorded; a second run with the
same journal and the same fingerprint key skips what is done and retries
what failed. Ctrl-C (SIGINT) or SIGTERM stops the run cleanly: calls in
flight are cancelled, the journal is saved, and the command to resume is
printed.`,
		Example: `  # one token, typed at a hidden prompt
  revoke token --vendor okta --domain dev-123.okta.com --client-id 0oa1… 

  # a leaked list, resumable
  export REVOKE_CLIENT_SECRET_FILE=~/okta.secret REVOKE_FINGERPRINT_KEY_FILE=~/leak.key
  revoke token --config okta.json --file leaked.txt --journal leak.journal > outcomes.jsonl`,
		Args: tokenArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(runToken(cmd, env, f, args))
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&f.file, "file", "f", "", "read tokens from this file (- for standard input), one per line or JSON lines")
	fs.StringVar(&f.hint, "hint", "", "token_type_hint for lines that give none: access_token, refresh_token, or a vendor value")
	fs.IntVarP(&f.concurrency, "concurrency", "c", bulk.DefaultConcurrency, fmt.Sprintf("calls in flight at once, 1 to %d; the vendor's concurrency limit is the ceiling", bulk.MaxConcurrency))
	fs.StringVar(&f.journal, "journal", "", "record every finished token here, and skip what an earlier run with this journal finished (needs the fingerprint key)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "read and check the input and the journal, build the client, send nothing")
	fs.BoolVar(&f.verify, "verify", false, "after each revocation, check with RFC 7662 introspection that the token is inactive")
	fs.IntVar(&f.maxAttempts, "max-attempts", bulk.DefaultMaxAttempts, "calls per token when the vendor answers 429 or 5xx, 1 to 100")
	fs.BoolVar(&f.skipFailed, "skip-failed", false, "when resuming, skip tokens whose last failure was permanent (invalid_request, …)")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "go on after invalid_client or a redirect (by default the run stops, as every later call would fail too)")
	fs.BoolVar(&f.noProgress, "no-progress", false, "no progress bar, even on a terminal")
	addProfileFlags(cmd, commandSecrets()...)
	return cmd
}

// tokenArgs allows no argument or "-": a token on the command line is
// refused, without repeating it.
func tokenArgs(_ *cobra.Command, args []string) error {
	if len(args) == 0 || (len(args) == 1 && args[0] == "-") {
		return nil
	}
	return usage.Errorf("revoke token takes no token (or file) as an argument: a command line is visible to every user in ps and stays in the shell history, so the argument was not used (if it was a real token, it is now in your history). " +
		"Paste it at the hidden prompt of 'revoke token', pipe it ('… | revoke token -'), or list tokens in a file ('revoke token --file tokens.txt')")
}

// input is where the tokens come from.
type input struct {
	items iter.Seq[bulk.Item]
	name  string // the file, or "" for standard input
	total int64  // lines to expect, -1 when unknown
	close func()
}

func runToken(cmd *cobra.Command, env Env, f tokenFlags, args []string) error {
	ctx := cmd.Context()
	stdin := profile.NewStdin(env.Stdin)
	if len(args) == 1 && f.file != "" {
		return usage.Errorf("give the tokens either on standard input (-) or with --file, not both")
	}
	if f.concurrency < 1 || f.concurrency > bulk.MaxConcurrency {
		return usage.Errorf("--concurrency %d is out of range: use 1 to %d", f.concurrency, bulk.MaxConcurrency)
	}
	if f.hint != "" && !validHint(f.hint) {
		return usage.Errorf("--hint %s is not a token type hint: use access_token, refresh_token or a vendor value of letters, digits and _-.:", strconv.Quote(f.hint))
	}
	r, err := resolve(cmd, env, stdin, commandSecrets()...)
	if err != nil {
		return err
	}
	if r.vendor.Revoker == nil {
		return usage.Errorf("vendor %s revokes no single token (it has no revocation endpoint): end everything a user holds with 'revoke user'", r.vendor.Name)
	}
	if f.verify && r.vendor.Verifier == nil {
		why := ""
		if r.vendor.Verify != "" {
			why = ": " + r.vendor.Verify
		}
		return usage.Errorf("--verify: vendor %s has no introspection (RFC 7662) in this CLI%s; leave out --verify ('revoke vendors' lists the vendors with it), or use --vendor generic with --introspection-endpoint if the server has one", r.vendor.Name, why)
	}

	// The fingerprint key, before anything is read or sent.
	var key []byte
	if f.journal != "" {
		k, err := r.prof.RequireSecret(FingerprintKey, "a journal identifies tokens by an HMAC fingerprint; generate a key once with 'head -c 32 /dev/urandom | base64 > leak.key; chmod 600 leak.key' and keep it with the journal")
		if err != nil {
			return err
		}
		key = []byte(k)
	} else if r.prof.HasSecret(FingerprintKey) {
		k, err := r.prof.Secret(FingerprintKey)
		if err != nil {
			return err
		}
		key = []byte(k)
	}
	if len(key) > 0 && len(key) < bulk.MinKeyLength {
		return usage.Errorf("the fingerprint key (%s) is %d bytes: use at least %d random bytes", r.prof.SecretFrom(FingerprintKey), len(key), bulk.MinKeyLength)
	}

	in, err := openInput(env, stdin, f)
	if err != nil {
		return err
	}
	defer in.close()

	rev, err := r.vendor.Revoker(ctx, r.prof)
	if err != nil {
		return err
	}
	var verifier bulk.Verifier
	if f.verify {
		if verifier, err = r.vendor.Verifier(ctx, r.prof, rev); err != nil {
			return err
		}
	}

	cfg := bulk.Config{
		Concurrency:           f.concurrency,
		MaxAttempts:           f.maxAttempts,
		FingerprintKey:        key,
		SkipPermanentFailures: f.skipFailed,
		ContinueOnClientError: f.keepGoing,
		DryRun:                f.dryRun,
		Verify:                verifier,
	}
	if v, _ := cmd.Flags().GetBool("verbose"); v {
		cfg.Logger = logger(env)
	}
	if f.journal != "" {
		jf, resume, err := bulk.OpenJournal(f.journal)
		if err != nil {
			return err
		}
		defer jf.Close()
		cfg.Journal, cfg.Resume = jf, resume
		if resume.Records() > 0 {
			fmt.Fprintf(env.Stderr, "%s: journal %s: %d tokens done before, %d failed permanently before: resuming\n",
				progName(env.Program), f.journal, resume.Done(), resume.FailedPermanently())
		}
		if resume.Truncated() {
			fmt.Fprintf(env.Stderr, "%s: journal %s ended in a record cut short (a run was killed while writing it): it was dropped, and that token is tried again\n", progName(env.Program), f.journal)
		}
	}

	out := newOutcomeWriter(env.Stdout)
	prog := newProgress(env, in.total, f.noProgress, f.dryRun)
	cfg.OnOutcome = func(o bulk.Outcome) {
		out.write(o)
		prog.add()
	}
	stopNotice := context.AfterFunc(ctx, func() {
		prog.clear()
		fmt.Fprintf(env.Stderr, "%s: stopping: cancelling the calls in flight and saving the journal (a second Ctrl-C quits at once)\n", progName(env.Program))
	})
	sum, runErr := bulk.RunItems(ctx, rev, in.items, cfg)
	stopNotice()
	prog.finish()

	printSummary(env.Stderr, progName(env.Program), sum, f.dryRun)
	if sum.Read == 0 && runErr == nil {
		fmt.Fprintf(env.Stderr, "%s: warning: the input held no token (only blank lines and comments, or nothing): check --file\n", progName(env.Program))
	}
	if out.err != nil {
		fmt.Fprintf(env.Stderr, "%s: writing the outcomes to standard output failed (%v); the journal, if any, is complete\n", progName(env.Program), out.err)
	}
	var intr Interrupted
	if runErr != nil && errors.As(context.Cause(ctx), &intr) {
		printResume(env, in, f, sum, intr)
		return status(ExitInterrupted)
	}
	if runErr != nil {
		if usage.Is(runErr) {
			return runErr
		}
		hint := ""
		if errors.Is(runErr, revoke.ErrInvalidClient) {
			hint = "; check the client ID and secret ('revoke profile' shows where each comes from), or pass --keep-going"
		}
		if f.journal != "" {
			hint += "; fix the cause and run the same command again: the journal skips what is done"
		}
		return &exitError{code: ExitFailed, err: fmt.Errorf("%w%s", runErr, hint)}
	}
	if sum.Failed+sum.InvalidInput+sum.Unfinished > 0 {
		if f.journal != "" && sum.Failed > 0 {
			fmt.Fprintf(env.Stderr, "%s: run the same command again to retry the %d failed tokens: the journal skips the rest\n", progName(env.Program), sum.Failed)
		}
		return status(ExitFailed)
	}
	return nil
}

// openInput opens the token list: --file, or standard input (a hidden
// prompt for one token when it is a terminal).
func openInput(env Env, stdin *profile.Stdin, f tokenFlags) (*input, error) {
	hint := revoke.TokenTypeHint(f.hint)
	if f.file != "" && f.file != "-" {
		fh, err := os.Open(f.file)
		if err != nil {
			return nil, usage.Errorf("--file: %v", err)
		}
		total := int64(-1)
		if fi, err := fh.Stat(); err == nil && fi.Mode().IsRegular() && !f.noProgress && isTerminal(env.Stderr) {
			total = countLines(fh)
			if _, err := fh.Seek(0, io.SeekStart); err != nil {
				fh.Close()
				return nil, err
			}
		}
		return &input{items: withHint(bulk.Lines(fh), hint), name: f.file, total: total, close: func() { fh.Close() }}, nil
	}
	r, err := stdin.Claim("the token list")
	if err != nil {
		return nil, err
	}
	if fd := file(r); fd != nil && term.IsTerminal(int(fd.Fd())) {
		fmt.Fprint(env.Stderr, "Token to revoke (input hidden; for many, use --file or a pipe): ")
		b, err := term.ReadPassword(int(fd.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return nil, fmt.Errorf("reading the token: %w", err)
		}
		return &input{items: withHint(bulk.Lines(bytes.NewReader(b)), hint), total: 1, close: func() {}}, nil
	}
	return &input{items: withHint(bulk.Lines(r), hint), total: -1, close: func() {}}, nil
}

// withHint gives requests without a hint the default one.
func withHint(items iter.Seq[bulk.Item], h revoke.TokenTypeHint) iter.Seq[bulk.Item] {
	if h == "" {
		return items
	}
	return func(yield func(bulk.Item) bool) {
		for it := range items {
			if it.Err == nil && it.Request.Hint == "" {
				it.Request.Hint = h
			}
			if !yield(it) {
				return
			}
		}
	}
}

// countLines counts the lines a run will report: not blank, not comments.
func countLines(r io.Reader) int64 {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), bulk.MaxLineLength+1)
	var n int64
	for sc.Scan() {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) > 0 && b[0] != '#' {
			n++
		}
	}
	if sc.Err() != nil {
		return -1
	}
	return n
}

// validHint accepts what RFC 7009 §4.1.2 lets servers register.
func validHint(h string) bool {
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':') {
			return false
		}
	}
	return h != ""
}

// printResume says how to carry on after an interruption.
func printResume(env Env, in *input, f tokenFlags, sum bulk.Summary, intr Interrupted) {
	prog := progName(env.Program)
	done := sum.Revoked + sum.AlreadyInvalid + sum.Skipped + sum.Failed + sum.InvalidInput + sum.DryRun
	fmt.Fprintf(env.Stderr, "%s: interrupted by %s after %d tokens finished; %d taken but not finished (in flight: cancelled, not recorded), the rest not read.\n",
		prog, intr.Signal, done, sum.Unfinished)
	stdinNote := ""
	if in.name == "" {
		stdinNote = "   # with the same token list on standard input"
	}
	cmd := env.Program + " " + shellQuote(env.Args)
	if f.journal != "" {
		fmt.Fprintf(env.Stderr, "%s: the journal %s is saved. To resume, run the same command with the same journal and fingerprint key (%s): what is done is skipped, the rest is sent.\n  %s%s\n",
			prog, f.journal, fingerprintKeyHint(env), cmd, stdinNote)
		return
	}
	name := "revoke-" + time.Now().UTC().Format("20060102T150405Z") + ".journal"
	fmt.Fprintf(env.Stderr, "%s: no journal was kept, so nothing records what is done: a new run sends every token again (harmless, RFC 7009 §2.2, only slower). Keep one next time, with a fingerprint key in REVOKE_FINGERPRINT_KEY or REVOKE_FINGERPRINT_KEY_FILE:\n  %s %s%s\n",
		prog, env.Program, shellQuote(withArg(env.Args, "--journal", name)), stdinNote)
}

// fingerprintKeyHint names where the key came from, without it.
func fingerprintKeyHint(env Env) string {
	for _, v := range []string{"REVOKE_FINGERPRINT_KEY", "REVOKE_FINGERPRINT_KEY_FILE"} {
		if env.Getenv(v) != "" {
			return v + " as now"
		}
	}
	return "as now"
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f := file(w)
	return f != nil && term.IsTerminal(int(f.Fd()))
}
