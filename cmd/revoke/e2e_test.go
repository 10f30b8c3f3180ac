package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/revokekit/revoke/revoketest"
)

// The end-to-end tests build the binary and drive it as an operator would,
// against the SDK's RFC 7009 fake served on 127.0.0.1.

const (
	clientID     = "cli-client"
	clientSecret = "e2e-client-secret-value-0001"
	fpKey        = "e2e-fingerprint-key-0123456789abcdef"
)

// fake is revoketest.Server behind a handler that counts the revocations
// it answered 200 for each token, and can hold requests: a held request
// waits until its client goes away, and revokes nothing.
type fake struct {
	*revoketest.Server
	url string

	mu       sync.Mutex
	ok       map[string]int // token → revocations answered 200
	requests int            // revocation requests received
	holdFrom int            // hold every revocation after this many were admitted; 0: never
	answered int            // revocations admitted (not held)
	held     chan struct{}  // closed when the first request is held
}

func newFake(t *testing.T) *fake {
	t.Helper()
	f := &fake{Server: revoketest.NewServer(), ok: map[string]int{}, held: make(chan struct{})}
	f.AddClient(revoketest.Client{ID: clientID, Secret: clientSecret})
	f.AddClient(revoketest.Client{ID: "other-client", Secret: "other-client-secret-0001"})
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != revoketest.RevokePath {
		f.Server.ServeHTTP(w, r)
		return
	}
	body, form, ok := revoketest.ReadRequest(w, r)
	if !ok {
		return
	}
	_ = body
	f.mu.Lock()
	f.requests++
	hold := f.holdFrom > 0 && f.answered >= f.holdFrom
	if !hold {
		f.answered++ // admitted: counted now, so that no two pass the threshold together
	}
	if hold {
		select {
		case <-f.held:
		default:
			close(f.held)
		}
	}
	f.mu.Unlock()
	if hold {
		<-r.Context().Done() // the client cancelled: nothing happens
		return
	}
	rec := httptest.NewRecorder()
	f.Server.ServeHTTP(rec, r)
	f.mu.Lock()
	if rec.Code == http.StatusOK {
		f.ok[form.Get("token")]++
	}
	f.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// issue issues n access tokens of client.
func (f *fake) issue(client string, n int) []string {
	var out []string
	for range n {
		out = append(out, f.IssueAccess(client, "alice", ""))
	}
	return out
}

func (f *fake) revocations(tok string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ok[tok]
}

func (f *fake) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// syncBuffer is a bytes.Buffer safe to read while a process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// buildCLI builds the command into a temporary folder.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "revoke")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runner runs the binary.
type runner struct {
	bin string
	env []string
}

// baseEnv is the test's environment without any REVOKE_ variable.
func baseEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "REVOKE_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

type result struct {
	code           int
	stdout, stderr string
}

func (c runner) cmd(stdin string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.Command(c.bin, args...)
	cmd.Env = c.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	return cmd, &out, &errb
}

func (c runner) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd, out, errb := c.cmd(stdin, args...)
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// outcome is the part of a JSON line the tests read.
type outcome struct {
	Line        int    `json:"line"`
	Fingerprint string `json:"fingerprint"`
	Status      string `json:"status"`
	Kind        string `json:"kind"`
	StatusCode  int    `json:"status_code"`
	Attempts    int    `json:"attempts"`
	Verified    *bool  `json:"verified"`
}

func outcomes(t *testing.T, stdout string) []outcome {
	t.Helper()
	var out []outcome
	sc := bufio.NewScanner(strings.NewReader(stdout))
	for sc.Scan() {
		var o outcome
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, o)
	}
	return out
}

func countStatus(os []outcome, status string) int {
	n := 0
	for _, o := range os {
		if o.Status == status {
			n++
		}
	}
	return n
}

// noSecrets fails if text holds a token or a secret.
func noSecrets(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, clientSecret, fpKey) {
		if strings.Contains(text, s) {
			t.Errorf("%s holds a secret (%.6s…)", where, s)
		}
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildCLI(t)
	f := newFake(t)
	dir := t.TempDir()
	c := runner{bin: bin, env: baseEnv("REVOKE_CLIENT_SECRET=" + clientSecret)}
	profileFlags := []string{"--vendor", "generic", "--issuer", f.url, "--client-id", clientID}

	t.Run("a token file, all revoked: exit 0", func(t *testing.T) {
		toks := f.issue(clientID, 12)
		file := writeFile(t, dir, "all.txt", "# leaked 2026-06-01\n"+strings.Join(toks, "\n")+"\n\n")
		r := c.run(t, "", append([]string{"token", "--file", file}, profileFlags...)...)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		os := outcomes(t, r.stdout)
		if len(os) != len(toks) || countStatus(os, "revoked") != len(toks) {
			t.Errorf("%d outcomes, %d revoked; want %d revoked\n%s", len(os), countStatus(os, "revoked"), len(toks), r.stdout)
		}
		for _, o := range os {
			if len(o.Fingerprint) != 32 || o.StatusCode != 200 || o.Attempts != 1 || o.Line < 2 {
				t.Errorf("outcome %+v", o)
			}
		}
		for _, tok := range toks {
			if f.Active(tok) || f.revocations(tok) != 1 {
				t.Errorf("a token is active %t, revoked %d times", f.Active(tok), f.revocations(tok))
			}
		}
		if !strings.Contains(r.stderr, "revoked                 12") {
			t.Errorf("summary:\n%s", r.stderr)
		}
		noSecrets(t, "output", r.stdout+r.stderr, toks...)
	})

	t.Run("one token on standard input, profile from a config file", func(t *testing.T) {
		tok := f.issue(clientID, 1)[0]
		cfg := writeFile(t, dir, "profile.json", `{"vendor":"generic","issuer":"`+f.url+`","client_id":"`+clientID+`","client_secret_file":"secret"}`)
		writeFile(t, dir, "secret", clientSecret+"\n")
		cc := runner{bin: bin, env: baseEnv()} // the secret only in the file
		r := cc.run(t, tok+"\n", "token", "-", "--config", cfg)
		if r.code != 0 || f.Active(tok) {
			t.Fatalf("exit %d, active %t\n%s", r.code, f.Active(tok), r.stderr)
		}
		noSecrets(t, "output", r.stdout+r.stderr, tok)
	})

	t.Run("some fail: exit 1, the rest revoked", func(t *testing.T) {
		good := f.issue(clientID, 3)
		foreign := f.issue("other-client", 2) // not ours to revoke: unauthorized_client
		lines := append(append([]string{}, good...), foreign...)
		lines = append(lines, `{"token": 42}`)
		file := writeFile(t, dir, "some.txt", strings.Join(lines, "\n")+"\n")
		r := c.run(t, "", append([]string{"token", "--file", file}, profileFlags...)...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
		}
		os := outcomes(t, r.stdout)
		if countStatus(os, "revoked") != 3 || countStatus(os, "failed") != 2 || countStatus(os, "invalid_input") != 1 {
			t.Errorf("outcomes:\n%s", r.stdout)
		}
		for _, o := range os {
			if o.Status == "failed" && (o.Kind != "unauthorized_client" || o.StatusCode != 400) {
				t.Errorf("failed outcome %+v", o)
			}
		}
		if !strings.Contains(r.stderr, "unauthorized_client 2") {
			t.Errorf("summary does not count failures by kind:\n%s", r.stderr)
		}
		noSecrets(t, "output", r.stdout+r.stderr, append(good, foreign...)...)
	})

	t.Run("wrong client secret: the run stops, exit 1", func(t *testing.T) {
		toks := f.issue(clientID, 5)
		file := writeFile(t, dir, "wrong.txt", strings.Join(toks, "\n")+"\n")
		wrong := runner{bin: bin, env: baseEnv("REVOKE_CLIENT_SECRET=not-the-client-secret-0001")}
		r := wrong.run(t, "", append([]string{"token", "--file", file, "-c", "1"}, profileFlags...)...)
		if r.code != 1 || !strings.Contains(r.stderr, "invalid_client") {
			t.Fatalf("exit %d, want 1 with invalid_client\n%s", r.code, r.stderr)
		}
		if n := countStatus(outcomes(t, r.stdout), "failed"); n != 1 {
			t.Errorf("%d failed outcomes, want the run to stop after 1", n)
		}
		noSecrets(t, "output", r.stdout+r.stderr, append(toks, "not-the-client-secret-0001")...)
	})

	t.Run("usage mistakes: exit 2, nothing sent", func(t *testing.T) {
		tok := f.issue(clientID, 1)[0]
		before := f.requestCount()
		for _, args := range [][]string{
			append([]string{"token", tok}, profileFlags...),
			append([]string{"token", "--client-secret", clientSecret}, profileFlags...),
			{"token", "--vendor", "acme-idp", "--file", "x"},
			{"token", "--config", filepath.Join(dir, "missing.json")},
		} {
			r := c.run(t, tok, args...)
			if r.code != 2 {
				t.Errorf("%q: exit %d, want 2\n%s", args[:2], r.code, r.stderr)
			}
			noSecrets(t, "output", r.stdout+r.stderr, tok)
		}
		if f.requestCount() != before || !f.Active(tok) {
			t.Errorf("a usage mistake sent a revocation")
		}
	})

	t.Run("dry run sends nothing", func(t *testing.T) {
		toks := f.issue(clientID, 4)
		file := writeFile(t, dir, "dry.txt", strings.Join(toks, "\n")+"\n")
		before := f.requestCount()
		r := c.run(t, "", append([]string{"token", "--dry-run", "--file", file}, profileFlags...)...)
		if r.code != 0 || countStatus(outcomes(t, r.stdout), "dry_run") != 4 || f.requestCount() != before {
			t.Errorf("exit %d, %d requests sent\n%s\n%s", r.code, f.requestCount()-before, r.stdout, r.stderr)
		}
	})

	t.Run("verify by introspection", func(t *testing.T) {
		toks := f.issue(clientID, 3)
		file := writeFile(t, dir, "verify.txt", strings.Join(toks, "\n")+"\n")
		r := c.run(t, "", append([]string{"token", "--verify", "--file", file}, profileFlags...)...)
		if r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		for _, o := range outcomes(t, r.stdout) {
			if o.Verified == nil || !*o.Verified {
				t.Errorf("not verified: %+v", o)
			}
		}
		if !strings.Contains(r.stderr, "verified inactive 3") {
			t.Errorf("summary:\n%s", r.stderr)
		}
	})

	t.Run("interrupted half-way, resumed with the journal: each token revoked once", func(t *testing.T) {
		testInterruptResume(t, c, f, dir, profileFlags)
	})

	t.Run("against revoke emulate", func(t *testing.T) {
		testEmulate(t, bin, "generic", false)
	})

	// The vendors whose settings differ most from generic's, with the
	// command emulate prints for flags and the environment, as pasted.
	for _, vendor := range []string{"pingone", "pingam", "pingfederate", "salesforce"} {
		t.Run("against revoke emulate "+vendor+", by the printed flags", func(t *testing.T) {
			testEmulate(t, bin, vendor, true)
		})
	}
}

func testInterruptResume(t *testing.T, c runner, f *fake, dir string, profileFlags []string) {
	const n, first = 40, 15
	toks := f.issue(clientID, n)
	file := writeFile(t, dir, "leak.txt", strings.Join(toks, "\n")+"\n")
	keyFile := writeFile(t, dir, "leak.key", fpKey+"\n")
	journal := filepath.Join(dir, "leak.journal")
	c.env = append(c.env, "REVOKE_FINGERPRINT_KEY_FILE="+keyFile)
	args := append([]string{"token", "--file", file, "--journal", journal, "-c", "2"}, profileFlags...)

	f.mu.Lock()
	f.holdFrom, f.answered = first, 0
	f.mu.Unlock()
	cmd, _, err1 := c.cmd("", args...)
	out1 := &syncBuffer{}
	cmd.Stdout = out1
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.held:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the run never reached the fake's hold\n%s", err1)
	}
	// Interrupt once the CLI has taken in every answer the fake sent: an
	// answer still on its way would be cancelled unrecorded and, as bulk
	// delivers at least once, sent again by the resumed run.
	for deadline := time.Now().Add(30 * time.Second); strings.Count(out1.String(), "\n") < first; {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the CLI reported %d outcomes, want %d\n%s", strings.Count(out1.String(), "\n"), first, err1)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("interrupted run: %v, want exit 130\n%s", err, err1)
	}
	f.mu.Lock()
	f.holdFrom = 0
	f.mu.Unlock()
	stderr1 := err1.String()
	if !strings.Contains(stderr1, "interrupted by SIGINT") || !strings.Contains(stderr1, "--journal "+journal) {
		t.Errorf("no resume command after the interruption:\n%s", stderr1)
	}
	run1 := outcomes(t, out1.String())
	if len(run1) != first || countStatus(run1, "revoked") != first {
		t.Fatalf("first run: %d outcomes, %d revoked; want %d\n%s", len(run1), countStatus(run1, "revoked"), first, stderr1)
	}

	// The resume command is the one printed: the same arguments.
	r := c.run(t, "", args...)
	if r.code != 0 {
		t.Fatalf("resumed run: exit %d\n%s", r.code, r.stderr)
	}
	run2 := outcomes(t, r.stdout)
	if countStatus(run2, "skipped") != first || countStatus(run2, "revoked") != n-first {
		t.Errorf("resumed run: %d skipped, %d revoked; want %d and %d", countStatus(run2, "skipped"), countStatus(run2, "revoked"), first, n-first)
	}
	done := map[string]bool{}
	for _, o := range run1 {
		done[o.Fingerprint] = true
	}
	for _, o := range run2 {
		if o.Status == "skipped" && !done[o.Fingerprint] {
			t.Errorf("skipped a token the first run did not revoke: %+v", o)
		}
		if o.Status == "revoked" && done[o.Fingerprint] {
			t.Errorf("revoked again a token the first run revoked: %+v", o)
		}
	}
	for i, tok := range toks {
		if f.Active(tok) {
			t.Errorf("token %d is still active", i+1)
		}
		if k := f.revocations(tok); k != 1 {
			t.Errorf("token %d was revoked %d times, want exactly once", i+1, k)
		}
	}
	jb, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "journal", string(jb), toks...)
	noSecrets(t, "output", out1.String()+stderr1+r.stdout+r.stderr, toks...)
	if fi, err := os.Stat(journal); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, want 0600", fi.Mode().Perm())
	}
}

// testEmulate starts revoke emulate as a subprocess and follows what it
// prints: the token command with the profile file, or (byFlags) the
// exports and the token command with flags.
func testEmulate(t *testing.T, bin, vendor string, byFlags bool) {
	dir := t.TempDir()
	c := runner{bin: bin, env: baseEnv()}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	emu := exec.CommandContext(ctx, bin, "emulate", vendor, "--port", "0", "--dir", dir, "--quiet")
	emu.Env = c.env
	stdout, err := emu.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var emuErr bytes.Buffer
	emu.Stderr = &emuErr
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = emu.Process.Kill() }()
	var printed strings.Builder
	sc := bufio.NewScanner(stdout)
	listening := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	base := ""
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
		if strings.HasPrefix(sc.Text(), "Demo tokens") {
			break
		}
	}
	go func() { // drain the rest
		for sc.Scan() {
		}
	}()
	if _, err := url.Parse(base); base == "" || err != nil {
		t.Fatalf("emulate printed no address:\n%s", printed.String())
	}
	cfg := filepath.Join(dir, "profile.json")
	if !strings.Contains(printed.String(), "token --config "+cfg+" --file "+filepath.Join(dir, "tokens.txt")) {
		t.Errorf("emulate does not print the command to run:\n%s", printed.String())
	}
	args := []string{"token", "--config", cfg, "--file", filepath.Join(dir, "tokens.txt")}
	if byFlags {
		args = printedFlags(t, bin, &c, printed.String())
	}
	r := c.run(t, "", args...)
	if os := outcomes(t, r.stdout); r.code != 0 || len(os) != 6 || countStatus(os, "revoked")+countStatus(os, "already_invalid") != 6 {
		t.Errorf("token against the fake: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if vendor == "generic" {
		r = c.run(t, "", "discover", "--config", cfg)
		if r.code != 0 || !strings.Contains(r.stdout, "revocation endpoint      "+base+"/revoke") || !strings.Contains(r.stdout, "method chosen            client_secret_basic") {
			t.Errorf("discover: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
	}
	if err := emu.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := emu.Wait(); err != nil {
		t.Errorf("emulate after SIGINT: %v\n%s", err, emuErr.String())
	}
	if !strings.Contains(emuErr.String(), "6 of 6 demo tokens revoked, 0 still active") {
		t.Errorf("emulate's tally:\n%s", emuErr.String())
	}
}

// printedFlags reads, from what revoke emulate printed, the exports (added
// to c's environment) and the arguments of the token command with flags.
func printedFlags(t *testing.T, bin string, c *runner, printed string) []string {
	t.Helper()
	var args []string
	for _, line := range strings.Split(printed, "\n") {
		line = strings.TrimSpace(line)
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			c.env = append(c.env, kv)
			continue
		}
		if rest, ok := strings.CutPrefix(line, bin+" token --vendor "); ok && args == nil {
			if strings.ContainsAny(rest, `'"\`) {
				t.Fatalf("the printed command is quoted, which this test does not parse: %s", line)
			}
			args = append([]string{"token", "--vendor"}, strings.Fields(rest)...)
		}
	}
	if args == nil {
		t.Fatalf("emulate printed no token command with flags:\n%s", printed)
	}
	return args
}
