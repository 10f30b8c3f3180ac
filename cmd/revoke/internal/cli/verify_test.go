package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// introspectPaths are the introspection endpoints each vendor documents,
// as the demo profile of its fake places them: --verify must call exactly
// these.
var introspectPaths = map[string]string{
	"generic":      "/introspect",
	"okta":         "/oauth2/v1/introspect",
	"keycloak":     "/realms/demo/protocol/openid-connect/token/introspect",
	"hydra":        "/admin/oauth2/introspect",
	"zitadel":      "/oauth/v2/introspect",
	"pingfederate": "/as/introspect.oauth2",
	"pingone":      "/abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6/as/introspect",
	"pingam":       "/am/oauth2/realms/root/realms/alpha/introspect",
	"onelogin":     "/oidc/2/token/introspection",
}

// verifyCase is one vendor's fake, with its demo client, for --verify.
type verifyCase struct {
	handler http.Handler
	args    []string          // how to point revoke token at the fake
	env     map[string]string // the secrets, as REVOKE_* variables
	tokens  []string
	active  func(string) bool
	// noClientAuth for Hydra's admin API, which takes no client
	// authentication.
	noClientAuth bool
}

// TestVerifyEveryVendor: for each vendor with --verify, revoke token
// --verify against its fake reports every revoked token verified inactive
// (exit 0), at the introspection endpoint the vendor documents, with the
// revocation's client authentication; a token the fake still holds active
// after an acknowledged revocation is reported still active (exit 1).
//
// Every such fake serves its vendor's introspection endpoint itself,
// which checks the client's credentials and answers
// from its token state as the vendor does: the test only watches the
// requests, and keeps the "sticky" tokens active behind the fake's back.
func TestVerifyEveryVendor(t *testing.T) {
	var names []string
	for _, v := range vendors.All() {
		if v.Verifier == nil {
			continue
		}
		names = append(names, v.Name)
		if _, ok := introspectPaths[v.Name]; !ok {
			t.Errorf("%s has --verify but no documented introspection path in this test", v.Name)
		}
	}
	for name := range introspectPaths {
		if !slices.Contains(names, name) {
			t.Errorf("%s: in introspectPaths but without a Verifier", name)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			v, _ := vendors.Lookup(name)
			var h http.Handler
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
			defer srv.Close()
			vc := fakeFor(t, v, srv.URL)
			path := introspectPaths[name]
			// The first half of the demo tokens (the first pair, or the
			// first single token) is "sticky": the fake acknowledges its
			// revocation but keeps it, as a server that fails silently.
			sticky := vc.tokens[:len(vc.tokens)/2]
			rest := vc.tokens[len(vc.tokens)/2:]
			st := &tap{vc: vc, path: path, sticky: sticky}
			h = st

			dir := t.TempDir()
			run1 := writeTokens(t, dir, "rest.txt", rest)
			code, stdout, stderr := run(t, vc.env, "", append(append([]string{"token", "--verify", "--file", run1}, vc.args...), "-c", "2")...)
			if code != ExitOK {
				t.Errorf("--verify: exit %d, want 0\n%s%s", code, stdout, stderr)
			}
			lines := outcomeLines(t, stdout)
			if len(lines) != len(rest) {
				t.Errorf("%d outcome lines, want %d\n%s", len(lines), len(rest), stdout)
			}
			for _, l := range lines {
				if l.Status != "revoked" && l.Status != "already_invalid" || l.Verified == nil || !*l.Verified {
					t.Errorf("line %d: status %s, verified %v (%s), want revoked and verified", l.Line, l.Status, l.Verified, l.VerifyError)
				}
			}
			want := fmt.Sprintf("verified inactive %d, still active 0, checks failed 0", len(rest))
			if !strings.Contains(stderr, want) {
				t.Errorf("summary does not say %q:\n%s", want, stderr)
			}
			for i, tok := range rest {
				if vc.active(tok) {
					t.Errorf("token %d verified inactive, but active at the fake", i+1)
				}
			}
			if n := st.introspections.Load(); n < int64(len(rest)) {
				t.Errorf("%d introspection calls at %s, want %d", n, path, len(rest))
			}
			if st.badPath.Load() > 0 {
				t.Errorf("introspection calls at another path: %d (%v)", st.badPath.Load(), st.paths())
			}

			// The same client authentication as the revocation; none on
			// Hydra's admin API.
			st.mu.Lock()
			wantAuth := st.revokeAuth
			if vc.noClientAuth {
				wantAuth = map[string]bool{"none": true}
			}
			if fmt.Sprint(st.introspectAuth) != fmt.Sprint(wantAuth) {
				t.Errorf("client authentication at introspection %v, want %v", st.introspectAuth, wantAuth)
			}
			st.mu.Unlock()

			run2 := writeTokens(t, dir, "sticky.txt", sticky)
			code, stdout, stderr = run(t, vc.env, "", append([]string{"token", "--verify", "--file", run2, "-c", "1"}, vc.args...)...)
			if code != ExitFailed {
				t.Errorf("--verify of tokens the fake keeps: exit %d, want %d\n%s%s", code, ExitFailed, stdout, stderr)
			}
			for _, l := range outcomeLines(t, stdout) {
				if l.Status != "failed" || l.Kind != bulk.KindStillActive || l.Verified == nil || *l.Verified {
					t.Errorf("line %d: status %s, kind %s, verified %v, want failed, still_active, false", l.Line, l.Status, l.Kind, l.Verified)
				}
			}
			for i, tok := range sticky {
				if !vc.active(tok) {
					t.Errorf("sticky token %d reported still active, but inactive at the fake", i+1)
				}
			}
			want = fmt.Sprintf("verified inactive 0, still active %d, checks failed 0", len(sticky))
			if !strings.Contains(stderr, want) {
				t.Errorf("summary does not say %q:\n%s", want, stderr)
			}
			for _, tok := range vc.tokens {
				if strings.Contains(stdout+stderr, tok) {
					t.Error("output holds a demo token")
				}
			}
		})
	}
}

// TestVerifyHydraNeedsAdminURL: Hydra introspects on its admin API only,
// so --verify without --admin-url is a usage error naming it, before any
// token is revoked.
func TestVerifyHydraNeedsAdminURL(t *testing.T) {
	v, _ := vendors.Lookup("hydra")
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	em, err := v.Emulate(srv.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	h = em.Handler
	file := writeTokens(t, t.TempDir(), "t.txt", em.Tokens)
	code, stdout, stderr := run(t, map[string]string{"REVOKE_CLIENT_SECRET": em.Secrets[profile.ClientSecret]}, "",
		"token", "--verify", "--file", file, "--vendor", "hydra", "--base-url", srv.URL, "--client-id", em.Settings[profile.ClientID])
	if code != ExitUsage || !strings.Contains(stderr, "REVOKE_ADMIN_URL") || !strings.Contains(stderr, "/admin/oauth2/introspect") {
		t.Errorf("exit %d, want %d naming the admin URL\n%s%s", code, ExitUsage, stdout, stderr)
	}
	for i, tok := range em.Tokens {
		if !em.Active(tok) {
			t.Errorf("demo token %d revoked before the usage error", i+1)
		}
	}
}

// TestVerifyZITADELRefreshTokens: ZITADEL introspects access tokens only
// and answers inactive for every refresh token, live or not, as its fake
// does. --verify then never reports a refresh token verified inactive: a
// token without the hint access_token is a failed check, whether the
// server ended it or not, and a token hinted refresh_token is not even
// sent to introspection.
func TestVerifyZITADELRefreshTokens(t *testing.T) {
	v, _ := vendors.Lookup("zitadel")
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	em, err := v.Emulate(srv.URL, 2)
	if err != nil {
		t.Fatal(err)
	}
	files, err := writeDemoFiles(t.TempDir(), em)
	if err != nil {
		t.Fatal(err)
	}
	kept, ended := em.Tokens[1], em.Tokens[3] // two refresh tokens
	st := &tap{vc: verifyCase{handler: em.Handler}, path: introspectPaths["zitadel"], sticky: []string{kept}}
	h = st
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		token   string
		hint    []string
		asks    int64
		revoked bool // at the fake, afterwards
	}{
		{"revoked refresh token", ended, nil, 1, true},
		{"refresh token the server kept", kept, nil, 1, false},
		{"hinted refresh_token: not sent", kept, []string{"--hint", "refresh_token"}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := st.introspections.Load()
			file := writeTokens(t, dir, "t.txt", []string{tc.token})
			code, stdout, stderr := run(t, nil, "", append([]string{"token", "--verify", "--file", file, "--config", files.profile}, tc.hint...)...)
			if code != ExitOK {
				t.Errorf("exit %d, want 0 (a failed check fails no token)\n%s%s", code, stdout, stderr)
			}
			lines := outcomeLines(t, stdout)
			if len(lines) != 1 || lines[0].Verified != nil || !strings.Contains(lines[0].VerifyError, "introspects access tokens only") {
				t.Errorf("outcome %+v, want no verdict and the reason\n%s", lines, stdout)
			}
			if !strings.Contains(stderr, "verified inactive 0, still active 0, checks failed 1") {
				t.Errorf("summary:\n%s", stderr)
			}
			if n := st.introspections.Load() - before; n != tc.asks {
				t.Errorf("%d introspection calls, want %d", n, tc.asks)
			}
			if em.Active(tc.token) == tc.revoked {
				t.Errorf("token active %t at the fake", em.Active(tc.token))
			}
		})
	}
}

// fakeFor starts v's fake at base with its demo client: its Emulation, or
// for OneLogin, whose demo revokes the tokens of API credentials (which
// have no introspection), an OpenID Connect app of the same fake. ZITADEL
// introspects access tokens only: its case is the demo's access tokens,
// given the hint access_token (TestVerifyZITADELRefreshTokens checks the
// others).
func fakeFor(t *testing.T, v vendors.Vendor, base string) verifyCase {
	t.Helper()
	if v.Name == "onelogin" {
		srv := onelogintest.New()
		id, secret := "demo-oidc-app", "demo-oidc-secret-0123456789abcdef"
		srv.AddApp(revoketest.Client{ID: id, Secret: secret, Method: "client_secret_basic"})
		var toks []string
		for range 2 {
			pr := srv.Issue(id)
			toks = append(toks, pr.AccessToken, pr.RefreshToken)
		}
		return verifyCase{handler: srv, tokens: toks, active: srv.Active,
			args: []string{"--vendor", "onelogin", "--api", "oidc", "--base-url", base, "--client-id", id},
			env:  map[string]string{"REVOKE_CLIENT_SECRET": secret}}
	}
	em, err := v.Emulate(base, 2)
	if err != nil {
		t.Fatal(err)
	}
	files, err := writeDemoFiles(t.TempDir(), em)
	if err != nil {
		t.Fatal(err)
	}
	vc := verifyCase{handler: em.Handler, tokens: em.Tokens, active: em.Active,
		args: []string{"--config", files.profile}, noClientAuth: v.Name == "hydra"}
	if v.Name == "zitadel" {
		vc.tokens = nil
		for i := 0; i < len(em.Tokens); i += 2 { // the access token of each pair
			vc.tokens = append(vc.tokens, em.Tokens[i])
		}
		vc.args = append(vc.args, "--hint", "access_token")
	}
	return vc
}

// tap serves a fake, recording where and how the CLI introspects; and it
// keeps the sticky tokens active by sending the fake an unknown token in
// their place, so that the fake acknowledges their revocation as it does
// any unknown token's.
type tap struct {
	vc     verifyCase
	path   string
	sticky []string

	introspections, badPath atomic.Int64
	mu                      sync.Mutex
	seen                    []string
	// revokeAuth and introspectAuth are the client authentications seen
	// at revocation and at introspection ("basic", "post", "none").
	revokeAuth, introspectAuth map[string]bool
}

// authShape names how a request authenticates its client.
func authShape(r *http.Request, form url.Values) string {
	switch {
	case strings.HasPrefix(strings.ToLower(r.Header.Get("Authorization")), "basic "):
		return "basic"
	case form.Has("client_secret"):
		return "post"
	case form.Has("client_assertion"):
		return "jwt"
	}
	return "none"
}

func (s *tap) note(m *map[string]bool, shape string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[shape] = true
}

func (s *tap) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

func (s *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	tok := form.Get("token")
	if r.Method == http.MethodPost && tok != "" && (strings.Contains(r.URL.Path, "introspect") || r.URL.Path == s.path) {
		s.mu.Lock()
		s.seen = append(s.seen, r.URL.Path)
		s.mu.Unlock()
		if r.URL.Path != s.path {
			s.badPath.Add(1)
		}
		s.note(&s.introspectAuth, authShape(r, form))
		s.introspections.Add(1)
	} else if r.Method == http.MethodPost && tok != "" {
		s.note(&s.revokeAuth, authShape(r, form))
		if slices.Contains(s.sticky, tok) {
			form.Set("token", "unknown-token-"+strconv.Itoa(len(tok)))
			body = []byte(form.Encode())
		}
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	r.ContentLength = int64(len(body))
	s.vc.handler.ServeHTTP(w, r)
}

// outcome is one JSON line of revoke token.
type outcome struct {
	Line        int    `json:"line"`
	Status      string `json:"status"`
	Kind        string `json:"kind"`
	Verified    *bool  `json:"verified"`
	VerifyError string `json:"verify_error"`
}

func outcomeLines(t *testing.T, stdout string) []outcome {
	t.Helper()
	var out []outcome
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if l == "" {
			continue
		}
		var o outcome
		if err := json.Unmarshal([]byte(l), &o); err != nil {
			t.Fatalf("not a JSON line: %s", l)
		}
		out = append(out, o)
	}
	return out
}

func writeTokens(t *testing.T, dir, name string, toks []string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(toks, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
