package oktaadmin

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/internal/oktawire"
	"github.com/revokekit/revoke/okta/oktatest"
)

// specPath is the subset of Okta's management OpenAPI spec covering the
// token-management operations, relative to this package's directory (see
// testdata/openapi/README.md for where it comes from); oauthSpecPath the
// subset of its OAuth spec covering Global Token Revocation.
var (
	specPath      = filepath.Join("testdata", "openapi", "okta-management-tokens.yaml")
	oauthSpecPath = filepath.Join("testdata", "openapi", "okta-oauth-gtr.yaml")
)

// specOp is what the spec says about one operation.
type specOp struct {
	id    string
	codes []string // response status codes
	query []string // query parameter names
}

// loadSpec reads the spec's paths with a small line-based reader: path keys
// at indent 2, methods at indent 4, operationId, parameters and responses
// at indent 6, response codes at indent 8. Keys are "METHOD /path".
func loadSpec(t *testing.T) map[string]*specOp {
	t.Helper()
	return loadSpecFile(t, specPath, 10)
}

// loadSpecFile reads one extract, which must hold at least minOps
// operations.
func loadSpecFile(t *testing.T, specPath string, minOps int) map[string]*specOp {
	t.Helper()
	f, err := os.Open(specPath)
	if err != nil {
		t.Fatalf("the Okta management OpenAPI spec is needed to check the client against it: %v (the extract is committed as okta/%s)", err, filepath.ToSlash(specPath))
	}
	defer f.Close()
	ops := map[string]*specOp{}
	var inPaths bool
	var path, section string
	var op *specOp
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case indent == 0:
			inPaths, path, op = trimmed == "paths:", "", nil
		case !inPaths:
		case indent == 2 && strings.HasPrefix(trimmed, "/") && strings.HasSuffix(trimmed, ":"):
			path, op = strings.TrimSuffix(trimmed, ":"), nil
		case indent == 4:
			op = nil
			switch m := strings.TrimSuffix(trimmed, ":"); m {
			case "get", "put", "post", "patch", "delete":
				op = &specOp{}
				ops[strings.ToUpper(m)+" "+path] = op
			}
		case op == nil:
		case indent == 6 && strings.HasPrefix(trimmed, "operationId:"):
			op.id = strings.TrimSpace(strings.TrimPrefix(trimmed, "operationId:"))
			section = ""
		case indent == 6 && strings.HasPrefix(trimmed, "- name:") && section == "parameters":
			op.query = append(op.query, strings.TrimSpace(strings.TrimPrefix(trimmed, "- name:")))
		case indent == 6 && !strings.HasPrefix(trimmed, "- "):
			section = ""
			if strings.HasSuffix(trimmed, ":") {
				section = strings.TrimSuffix(trimmed, ":")
			}
		case indent == 8 && section == "responses" && strings.HasSuffix(trimmed, ":"):
			op.codes = append(op.codes, strings.Trim(strings.TrimSuffix(trimmed, ":"), `'"`))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", specPath, err)
	}
	if len(ops) < minOps {
		t.Fatalf("read only %d operations from %s: has the file's layout changed?", len(ops), specPath)
	}
	return ops
}

func successCodes(codes []string) []int {
	var out []int
	for _, c := range codes {
		if n, err := strconv.Atoi(c); err == nil && n >= 200 && n < 300 {
			out = append(out, n)
		}
	}
	return out
}

// TestSpecDescribesEveryOperation checks the client's operation table
// against the spec: the (method, path template) exists, the operationId is
// the one the doc comments name, the success status is the spec's only 2xx,
// the query parameters are the spec's, and every documented error status
// is classified.
func TestSpecDescribesEveryOperation(t *testing.T) {
	spec := loadSpec(t)
	for k, v := range loadSpecFile(t, oauthSpecPath, 1) {
		spec[k] = v
	}
	for _, op := range append(slices.Clone(operations), oauthOperations...) {
		t.Run(op.id, func(t *testing.T) {
			s, ok := spec[op.bucket()]
			if !ok {
				t.Fatalf("%s is not in the spec", op.bucket())
			}
			if s.id != op.id {
				t.Errorf("operationId = %s, spec says %s", op.id, s.id)
			}
			if got := successCodes(s.codes); !slices.Equal(got, []int{op.status}) {
				t.Errorf("success status %d, spec documents %v", op.status, got)
			}
			for _, q := range op.query {
				if !slices.Contains(s.query, q) {
					t.Errorf("query parameter %q is not in the spec's %v", q, s.query)
				}
			}
			for _, c := range s.codes {
				n, _ := strconv.Atoi(c)
				if n >= 200 && n < 300 {
					continue
				}
				want := map[int]error{400: revoke.ErrInvalidRequest, 403: revoke.ErrForbidden, 404: revoke.ErrNotFound, 429: revoke.ErrRateLimited}[n]
				if got := statusKind(t, n); want == nil || got != want {
					t.Errorf("documented status %s is not classified (got %v, want %v)", c, got, want)
				}
			}
		})
	}
}

// matchTemplate returns the spec templates with method that path fits.
func matchTemplate(spec map[string]*specOp, method, path string) []string {
	segs := strings.Split(path, "/")
	var out []string
	for key := range spec {
		m, tmpl, _ := strings.Cut(key, " ")
		if m != method {
			continue
		}
		tsegs := strings.Split(tmpl, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		ok := true
		for i := range tsegs {
			if strings.HasPrefix(tsegs[i], "{") && strings.HasSuffix(tsegs[i], "}") {
				ok = ok && segs[i] != ""
				continue
			}
			ok = ok && tsegs[i] == segs[i]
		}
		if ok {
			out = append(out, tmpl)
		}
	}
	return out
}

// TestSpecMatchesRequestsSent runs every operation and checks the request
// actually sent: its method and path fit exactly one spec operation, the
// one the client believes it calls, and its query parameters are ones that
// operation declares.
func TestSpecMatchesRequestsSent(t *testing.T) {
	spec := loadSpec(t)
	covered := map[string]bool{}
	for _, tc := range opCalls(t) {
		t.Run(tc.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			rec := answer(mt, tc.op.status, nil, tc.body)
			if err := tc.call(context.Background(), newTestAdmin(t, mt)); err != nil {
				t.Fatal(err)
			}
			for _, r := range rec.all() {
				tmpls := matchTemplate(spec, r.Method, r.URL.EscapedPath())
				if len(tmpls) != 1 || tmpls[0] != tc.op.template {
					t.Fatalf("%s %s fits spec templates %v, want exactly %s", r.Method, r.URL.EscapedPath(), tmpls, tc.op.template)
				}
				s := spec[r.Method+" "+tmpls[0]]
				for q := range r.URL.Query() {
					if !slices.Contains(s.query, q) {
						t.Errorf("sent query parameter %q, which %s does not declare (%v)", q, s.id, s.query)
					}
				}
				covered[s.id] = true
			}
		})
	}
	for _, op := range operations {
		if !covered[op.id] {
			t.Errorf("operation %s is never exercised against the spec", op.id)
		}
	}
}

// TestSpecEmulatorRoutes checks that the emulator serves the spec's paths.
func TestSpecEmulatorRoutes(t *testing.T) {
	spec := loadSpec(t)
	for _, route := range []string{
		"GET " + oktatest.UserClientsPath,
		"GET " + oktatest.UserClientTokensPath, "DELETE " + oktatest.UserClientTokensPath,
		"GET " + oktatest.UserClientTokenPath, "DELETE " + oktatest.UserClientTokenPath,
		"DELETE " + oktatest.UserClientGrantsPath, "DELETE " + oktatest.UserGrantsPath, "DELETE " + oktatest.UserSessionsPath,
		"GET " + oktatest.UserPath, "DELETE " + oktatest.SessionPath,
		"GET " + oktatest.ASClientsPath,
		"GET " + oktatest.ASClientTokensPath, "DELETE " + oktatest.ASClientTokensPath,
		"GET " + oktatest.ASClientTokenPath, "DELETE " + oktatest.ASClientTokenPath,
	} {
		if _, ok := spec[route]; !ok {
			t.Errorf("emulator route %s is not in the spec", route)
		}
	}
	// And the emulator answers each operation with its documented status.
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.SetUserLogin("00u1", "alice@example.com")
	emu.AddClient("0oa1", "App")
	tok := emu.IssueRefreshToken("00u1", "0oa1")
	sess := emu.AddSession("00u1")
	a, err := New(Config{Domain: testDomain, APIToken: oktatest.APIToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	steps := []func() error{
		func() error { _, err := a.ListUserClients(ctx, "00u1"); return err },
		func() error { _, err := drain(a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{})); return err },
		func() error { _, err := a.GetUserClientToken(ctx, "00u1", "0oa1", tok.ID, true); return err },
		func() error { _, err := a.ListAuthServerClients(ctx, "default"); return err },
		func() error {
			_, err := drain(a.ListAuthServerClientTokens(ctx, "default", "0oa1", ListOptions{}))
			return err
		},
		func() error { _, err := a.GetAuthServerClientToken(ctx, "default", "0oa1", tok.ID, false); return err },
		func() error { _, err := a.RevokeAuthServerClientToken(ctx, "default", "0oa1", tok.ID); return err },
		func() error { _, err := a.RevokeAuthServerClientTokens(ctx, "default", "0oa1"); return err },
		func() error { _, err := a.RevokeUserClientToken(ctx, "00u1", "0oa1", tok.ID); return err },
		func() error { _, err := a.RevokeUserClientTokens(ctx, "00u1", "0oa1"); return err },
		func() error { _, err := a.RevokeUserClientGrants(ctx, "00u1", "0oa1"); return err },
		func() error { _, err := a.RevokeUserGrants(ctx, "00u1"); return err },
		func() error { _, err := a.CloseSession(ctx, sess); return err },
		func() error { _, _, err := a.userID(ctx, "test", "alice@example.com"); return err },
		func() error { _, err := a.ClearUserSessions(ctx, "00u1", SessionOptions{}); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Errorf("step %d against the emulator: %v", i, err)
		}
	}
	for _, r := range emu.Requests() {
		s := spec[r.Bucket]
		if s == nil || !slices.Contains(successCodes(s.codes), r.Status) {
			t.Errorf("emulator answered %s with %d; the spec documents %v", r.Bucket, r.Status, s)
		}
	}
}

// statusKind is the sentinel an answer of status with an empty body is
// classified as, through the Admin and the adapter kit.
func statusKind(t *testing.T, status int) error {
	t.Helper()
	mt := httpmock.NewMockTransport()
	answer(mt, status, nil, "")
	_, err := newTestAdmin(t, mt, revoke.WithoutRetry()).RevokeUserGrants(context.Background(), "00u1")
	for _, k := range []error{revoke.ErrForbidden, revoke.ErrNotFound, revoke.ErrRateLimited, revoke.ErrInvalidClient, revoke.ErrInvalidRequest} {
		if errors.Is(err, k) {
			return k
		}
	}
	return err
}

// TestSpecGlobalTokenRevocation checks GlobalTokenRevocation against the
// OAuth spec's extract: the operation, its success status, the sub_id
// formats it maps (opaque, iss_sub) and the scope; then that the request
// sent fits it and that the emulator answers with the documented status.
func TestSpecGlobalTokenRevocation(t *testing.T) {
	spec := loadSpecFile(t, oauthSpecPath, 1)
	s := spec[opGlobalTokenRevocation.bucket()]
	if s == nil || s.id != opGlobalTokenRevocation.id || !slices.Equal(successCodes(s.codes), []int{opGlobalTokenRevocation.status}) {
		t.Fatalf("spec operation %+v", s)
	}
	raw, err := os.ReadFile(oauthSpecPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	for _, want := range []string{
		"opaque: '#/components/schemas/SubIdOpaque'", "iss_sub: '#/components/schemas/SubIdIssSub'",
		"- okta.universalLogout.manage", "- apiToken: []",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the spec extract lacks %q", want)
		}
	}
	var formats []string
	for _, f := range oktawire.GlobalTokenRevocationFormats {
		formats = append(formats, string(f))
	}
	if !slices.Equal(formats, []string{"opaque", "iss_sub"}) {
		t.Errorf("formats %v", formats)
	}

	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.AddUser("00u1")
	a, err := New(Config{Domain: testDomain, APIToken: oktatest.APIToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.GlobalTokenRevocation(context.Background(), revoke.OpaqueSubject("00u1")); err != nil {
		t.Fatal(err)
	}
	for _, r := range emu.Requests() {
		if tmpls := matchTemplate(spec, r.Method, r.Path); len(tmpls) != 1 || r.Bucket != opGlobalTokenRevocation.bucket() || !slices.Contains(successCodes(s.codes), r.Status) {
			t.Errorf("%s %s (%s) answered %d", r.Method, r.Path, r.Bucket, r.Status)
		}
	}
}
