package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

// emulateFlags are the options of revoke emulate.
type emulateFlags struct {
	port  int
	dir   string
	pairs int
	quiet bool
}

func emulateCommand(env Env) *cobra.Command {
	var f emulateFlags
	cmd := &cobra.Command{
		Use:   "emulate VENDOR",
		Short: "Serve a vendor's fake on 127.0.0.1 with a demo client and tokens, to try every command without an account",
		Long: `Start the fake of VENDOR on 127.0.0.1 (the SDK's test server for that
vendor, with the vendor's answers, rate-limit headers and token state),
register a demo client, issue demo tokens, and print how to point the CLI
at it: a profile file, the same settings as flags and variables, and the
tokens. It serves until Ctrl-C, then tells how many demo tokens still work.

The files (profile.json, the demo secrets, tokens.txt, a fingerprint key)
are written to --dir, or a new temporary folder, and left there.`,
		Example: `  revoke emulate okta --port 8421`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(runEmulate(cmd.Context(), env, f, args[0]))
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&f.port, "port", 0, "port on 127.0.0.1 (0 picks a free one)")
	fs.StringVar(&f.dir, "dir", "", "folder for the profile, secrets and tokens (default: a new temporary folder)")
	fs.IntVar(&f.pairs, "tokens", 3, "access and refresh token pairs to issue, 1 to 100000")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "do not log each request the fake serves")
	return cmd
}

func runEmulate(ctx context.Context, env Env, f emulateFlags, name string) error {
	v, ok := vendors.Lookup(name)
	if !ok {
		return usage.Errorf("unknown vendor %s: %sthis build has %s", strconv.Quote(name), vendors.Suggest(name), strings.Join(vendors.Names(), ", "))
	}
	if v.Emulate == nil && v.NoFake != "" {
		return usage.Errorf("vendor %s has no fake: %s", v.Name, v.NoFake)
	}
	if v.Emulate == nil {
		return usage.Errorf("vendor %s has no fake in this build; the vendors with one are %s", v.Name, strings.Join(emulatedVendors(), ", "))
	}
	if f.port < 0 || f.port > 65535 {
		return usage.Errorf("--port %d is not a port number (0 picks a free one)", f.port)
	}
	if f.pairs < 1 || f.pairs > 100000 {
		return usage.Errorf("--tokens %d is out of range: 1 to 100000", f.pairs)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(f.port)))
	if err != nil {
		return err
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()
	em, err := v.Emulate(base, f.pairs)
	if err != nil {
		return err
	}
	dir := f.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "revoke-emulate-"+v.Name+"-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	files, err := writeDemoFiles(dir, em)
	if err != nil {
		return err
	}
	printDemo(env, v, em, base, files)

	handler := em.Handler
	if !f.quiet {
		handler = logRequests(env, em.Handler)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutCtx)
	active := 0
	for _, t := range em.Tokens {
		if em.Active(t) {
			active++
		}
	}
	tally := ""
	if len(em.Tokens) > 0 {
		tally = fmt.Sprintf(": %d of %d demo tokens revoked, %d still active", len(em.Tokens)-active, len(em.Tokens), active)
	}
	fmt.Fprintf(env.Stderr, "%s: %s fake stopped%s; files left in %s\n", progName(env.Program), v.Name, tally, dir)
	return nil
}

// demoFiles are the paths revoke emulate wrote.
type demoFiles struct {
	profile, tokens, key string
	secrets              map[string]string // setting → file
}

// writeDemoFiles writes the profile, one file per secret, the tokens and a
// fingerprint key, each readable only by the user.
func writeDemoFiles(dir string, em *vendors.Emulation) (demoFiles, error) {
	df := demoFiles{
		profile: filepath.Join(dir, "profile.json"),
		tokens:  filepath.Join(dir, "tokens.txt"),
		key:     filepath.Join(dir, "fingerprint.key"),
		secrets: map[string]string{},
	}
	cfg := map[string]string{}
	for k, v := range em.Settings {
		cfg[k] = v
	}
	for name, secret := range em.Secrets {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(secret+"\n"), 0o600); err != nil {
			return df, err
		}
		df.secrets[name] = p
		cfg[name+"_file"] = name // relative to the profile's folder
	}
	b, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return df, err
	}
	if err := os.WriteFile(df.profile, append(b, '\n'), 0o600); err != nil {
		return df, err
	}
	if err := os.WriteFile(df.tokens, []byte(strings.Join(em.Tokens, "\n")+"\n"), 0o600); err != nil {
		return df, err
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if err := os.WriteFile(df.key, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return df, err
	}
	return df, nil
}

// printDemo tells how to point the CLI at the fake.
func printDemo(env Env, v vendors.Vendor, em *vendors.Emulation, base string, df demoFiles) {
	w := env.Stdout
	prog := env.Program
	fmt.Fprintf(w, "Fake %s (%s) listening on %s. Ctrl-C stops it.\n\n", v.Name, v.Title, base)
	fmt.Fprintf(w, "Profile file (settings, and the secrets' files): %s\n", df.profile)
	if v.Revoker != nil {
		fmt.Fprintf(w, "  %s token --config %s --file %s\n", prog, df.profile, df.tokens)
	}
	fmt.Fprintln(w, "\nThe same with flags and the environment:")
	var secretNames []string
	for n := range em.Secrets {
		secretNames = append(secretNames, n)
	}
	slices.Sort(secretNames)
	for _, n := range secretNames {
		s := profile.Setting{Name: n, Secret: true}
		fmt.Fprintf(w, "  export %s=%s\n", s.FileEnv(), df.secrets[n])
	}
	var keys []string
	for k := range em.Settings {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if a == profile.Vendor || b == profile.Vendor { // --vendor first
			return boolCmp(b == profile.Vendor, a == profile.Vendor)
		}
		return strings.Compare(a, b)
	})
	var flags []string
	for _, k := range keys {
		flags = append(flags, "--"+profile.Setting{Name: k}.Flag(), em.Settings[k])
	}
	if v.Revoker != nil {
		fmt.Fprintf(w, "  %s token %s --file %s\n\n", prog, shellQuote(flags), df.tokens)
		fmt.Fprintln(w, "Resumable, with a journal (interrupt it with Ctrl-C, then run it again):")
		fmt.Fprintf(w, "  export REVOKE_FINGERPRINT_KEY_FILE=%s\n", df.key)
		fmt.Fprintf(w, "  %s token --config %s --file %s --journal %s\n\n", prog, df.profile, df.tokens, filepath.Join(filepath.Dir(df.profile), "run.journal"))
	} else {
		fmt.Fprintf(w, "  %s user %s SUBJECT\n\n", prog, shellQuote(flags))
	}
	if v.Verifier != nil && em.NoVerify == "" {
		fmt.Fprintf(w, "Check each revocation by introspection:\n  %s token --config %s --file %s --verify\n\n", prog, df.profile, df.tokens)
	}
	if v.Name == "generic" {
		fmt.Fprintf(w, "Metadata:\n  %s discover --config %s %s\n\n", prog, df.profile, base)
	}
	if em.Subject != "" && v.Subject != nil {
		fmt.Fprintf(w, "User-level revocation of the demo user:\n  %s user --config %s %s\n\n", prog, df.profile, em.Subject)
	}
	if len(em.Tokens) > 0 {
		fmt.Fprintf(w, "Demo tokens (also in %s), one to paste at the prompt of '%s token --config %s':\n", df.tokens, prog, df.profile)
		for _, t := range em.Tokens {
			fmt.Fprintf(w, "  %s\n", t)
		}
	}
	notes := em.Notes
	if v.Verifier != nil && em.NoVerify != "" {
		notes = append(slices.Clip(notes), "no --verify for the demo tokens: "+em.NoVerify)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// emulatedVendors lists the vendors with a fake.
func emulatedVendors() []string {
	var out []string
	for _, v := range vendors.All() {
		if v.Emulate != nil {
			out = append(out, v.Name)
		}
	}
	return out
}

// logRequests logs each request the fake serves: method, path, status.
// Never the query, the headers or the body, which carry tokens and
// credentials.
func logRequests(env Env, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		h.ServeHTTP(rec, r)
		fmt.Fprintf(env.Stderr, "fake: %s %s %d (%s)\n", r.Method, r.URL.Path, rec.status, time.Since(start).Round(time.Microsecond))
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
