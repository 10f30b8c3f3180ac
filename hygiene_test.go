package revoke_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
)

// exportedTypes lists "pkg.Type" for every exported type declared in the
// non-test files of the module's public packages: everything but internal/,
// interop/ (its own module), examples/ (programs) and testdata. Parsing the
// source is how a test can see every type of a package, including one added
// tomorrow: reflection only sees types a program already names.
func exportedTypes(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "internal", "interop", "examples", "testdata", "node_modules", ".git", ".ci", "docs", "cmd":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
					out[f.Name.Name+"."+ts.Name.Name] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryExportedTypeIsAccountedFor fails when a package declares an
// exported type that neither the secret samples nor the list of types that
// cannot hold a secret names, so that a new type is checked the day it is
// added; and when either list names a type that no longer exists.
func TestEveryExportedTypeIsAccountedFor(t *testing.T) {
	found := exportedTypes(t)
	samples := secretSamples(t)
	for name := range found {
		_, s := samples[name]
		_, n := cannotHoldSecrets[name]
		switch {
		case s && n:
			t.Errorf("%s is both sampled and listed as holding no secret", name)
		case !s && !n:
			t.Errorf("exported type %s is not accounted for: add a sample holding secrets to secretSamples, or a reason to cannotHoldSecrets", name)
		}
	}
	var stale []string
	for name := range samples {
		if !found[name] {
			stale = append(stale, name)
		}
	}
	for name := range cannotHoldSecrets {
		if !found[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		t.Errorf("%s is listed but no longer declared", name)
	}
}

// TestSampledTypesRedact prints every sampled value, as a value and through
// a pointer, zero and filled, with every fmt verb, as JSON and through slog,
// and checks that no secret appears.
func TestSampledTypesRedact(t *testing.T) {
	for name, values := range secretSamples(t) {
		t.Run(name, func(t *testing.T) {
			if len(values) == 0 {
				t.Fatal("no sample")
			}
			for i, v := range values {
				out := testkit.PrintAll(v)
				testkit.NoLeak(t, name+" sample "+strings.Repeat("'", i), out, sampleSecrets...)
			}
		})
	}
}

// sampleSecrets are the values every sample holds somewhere.
var sampleSecrets = []string{tokenValue, secretValue, apiTokenValue, "SECRET"}

const apiTokenValue = "00api-token-0123456789"
