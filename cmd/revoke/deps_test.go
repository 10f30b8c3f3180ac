package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLibraryConsumersDoNotGetCLIDependencies proves why the CLI is a
// module of its own: a program that imports github.com/revokekit/revoke
// has none of the CLI's dependencies (cobra, pflag, progressbar, x/term
// and theirs) in its module graph, so it never downloads them.
//
// It creates a throwaway consumer module that imports the library through
// a replace directive to this repository, and compares the module graphs
// with go list -m all.
func TestLibraryConsumersDoNotGetCLIDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	consumer := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(consumer, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/consumer\n\ngo 1.25.0\n\nrequire github.com/revokekit/revoke v0.0.0-00010101000000-000000000000\n\nreplace github.com/revokekit/revoke => "+repo+"\n")
	write("main.go", `package main

import (
	"fmt"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/generic"
)

func main() { fmt.Println(revoke.Version, bulk.DefaultConcurrency, generic.Config{}) }
`)
	goCmd := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
		}
		return string(out)
	}
	goCmd(consumer, "mod", "tidy")
	modules := func(out string) map[string]bool {
		m := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				m[f[0]] = true
			}
		}
		return m
	}
	consumerMods := modules(goCmd(consumer, "list", "-m", "all"))
	libMods := modules(goCmd(repo, "list", "-m", "all"))
	cliMods := modules(goCmd(".", "list", "-m", "all"))

	if !consumerMods["github.com/revokekit/revoke"] {
		t.Fatalf("the consumer does not use the library: %v", consumerMods)
	}
	var cliOnly []string
	for m := range cliMods {
		if !libMods[m] && m != "github.com/revokekit/revoke/cmd/revoke" {
			cliOnly = append(cliOnly, m)
		}
	}
	for _, want := range []string{"github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/schollz/progressbar/v3", "golang.org/x/term"} {
		if !cliMods[want] {
			t.Errorf("the CLI's module graph lacks %s: is this test reading the right go.mod?", want)
		}
	}
	for _, m := range cliOnly {
		if consumerMods[m] {
			t.Errorf("a program importing the library gets the CLI's dependency %s", m)
		}
	}
	t.Logf("the CLI's own dependencies, none in a consumer's graph: %s", strings.Join(cliOnly, ", "))
}
