package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

// TestEveryFake wires every vendor that has a fake end to end, in-process:
// the fake's demo profile, as revoke emulate writes it, revokes every demo
// token with revoke token (exit 0), and the demo user with revoke user.
func TestEveryFake(t *testing.T) {
	for _, v := range vendors.All() {
		if v.Emulate == nil {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			var h http.Handler
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
			defer srv.Close()
			em, err := v.Emulate(srv.URL, 2)
			if err != nil {
				t.Fatal(err)
			}
			h = em.Handler
			// The demo settings are the vendor's own: revoke emulate prints
			// them as flags too, and a foreign flag is refused.
			own := map[string]bool{}
			for _, s := range append(profile.Common(), v.Settings...) {
				own[s.Name] = true
			}
			for name := range em.Settings {
				if !own[name] {
					t.Errorf("demo setting %s is not a setting of %s", name, v.Name)
				}
			}
			for name := range em.Secrets {
				if !own[name] {
					t.Errorf("demo secret %s is not a setting of %s", name, v.Name)
				}
			}
			dir := t.TempDir()
			files, err := writeDemoFiles(dir, em)
			if err != nil {
				t.Fatal(err)
			}
			if v.Revoker != nil {
				code, stdout, stderr := run(t, nil, "", "token", "--config", files.profile, "--file", files.tokens)
				if code != ExitOK {
					t.Errorf("token: exit %d\n%s\n%s", code, stdout, stderr)
				}
				for i, tok := range em.Tokens {
					if em.Active(tok) {
						t.Errorf("demo token %d still active", i+1)
					}
					if strings.Contains(stdout+stderr, tok) {
						t.Errorf("output holds demo token %d", i+1)
					}
				}
			}
			if em.Subject != "" && v.Subject != nil {
				code, stdout, stderr := run(t, nil, "", "user", "--config", files.profile, em.Subject)
				if code == ExitUsage && strings.Contains(stderr, "RevokeSubject) yet") {
					t.Logf("user: %s", strings.TrimSpace(stderr))
				} else if code != ExitOK || !strings.Contains(stdout, `"status":"`) {
					t.Errorf("user: exit %d\n%s\n%s", code, stdout, stderr)
				}
			}
		})
	}
}

// userRevocation says, for each vendor with user-level revocation and a
// fake, whether revoke user ends the emulation's demo tokens, as the
// vendor documents, and why not where it does not.
var userRevocation = map[string]struct {
	endsDemoTokens bool
	why            string
}{
	"auth0": {true, "the Management API (POST /api/v2/refresh-tokens/revoke with the user ID) revokes the user's refresh tokens, the demo tokens " +
		"(Auth0 does it asynchronously, 202; the fake at once)"},
	"hydra":    {true, "revoking a subject's consent sessions revokes every token issued under them"},
	"keycloak": {true, "logging the user out ends every session, and the demo tokens are refresh tokens of those sessions"},
	"okta": {true, "DELETE /api/v1/users/{id}/sessions?oauthTokens=true revokes the user's OAuth 2.0 and OpenID Connect tokens, " +
		"and the demo tokens are issued to the demo user"},
	"entra": {false, "revokeSignInSessions invalidates refresh tokens and session cookies, but access tokens already issued " +
		"stay valid until they expire (about an hour); Entra has no per-token revocation, so the emulation has no demo tokens"},
	"onelogin": {false, "logging a user out ends the OneLogin session only, not tokens already issued (OneLogin documents revoking " +
		"them separately); the demo tokens are API credentials' tokens, which belong to no user"},
}

// TestUserRevocationEndsDemoTokens: revoke user on a fresh emulation ends
// every demo token where the vendor documents that user-level revocation
// does (userRevocation); where it does not, the tokens stay active, as at
// the vendor. Every vendor with revoke user and a fake is in the table.
func TestUserRevocationEndsDemoTokens(t *testing.T) {
	for _, v := range vendors.All() {
		if v.Subject == nil || v.Emulate == nil {
			continue
		}
		want, ok := userRevocation[v.Name]
		if !ok {
			t.Errorf("%s: revoke user and a fake, but not in userRevocation: say whether it ends the demo tokens, and why", v.Name)
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			var h http.Handler
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
			defer srv.Close()
			em, err := v.Emulate(srv.URL, 3)
			if err != nil {
				t.Fatal(err)
			}
			h = em.Handler
			if em.Subject == "" {
				t.Fatal("the emulation has no demo user")
			}
			files, err := writeDemoFiles(t.TempDir(), em)
			if err != nil {
				t.Fatal(err)
			}
			for i, tok := range em.Tokens {
				if !em.Active(tok) {
					t.Fatalf("demo token %d inactive before revoke user", i+1)
				}
			}
			code, stdout, stderr := run(t, nil, "", "user", "--config", files.profile, em.Subject)
			if code != ExitOK {
				t.Fatalf("user: exit %d\n%s\n%s", code, stdout, stderr)
			}
			active := 0
			for _, tok := range em.Tokens {
				if em.Active(tok) {
					active++
				}
			}
			switch {
			case want.endsDemoTokens && len(em.Tokens) == 0:
				t.Errorf("no demo tokens to check")
			case want.endsDemoTokens && active > 0:
				t.Errorf("%d of %d demo tokens still active after revoke user %s (%s)", active, len(em.Tokens), em.Subject, want.why)
			case !want.endsDemoTokens && active < len(em.Tokens):
				t.Errorf("%d of %d demo tokens ended by revoke user, which the table says does not end them (%s): update it", len(em.Tokens)-active, len(em.Tokens), want.why)
			}
		})
	}
	for name := range userRevocation {
		if v, ok := vendors.Lookup(name); !ok || v.Subject == nil || v.Emulate == nil {
			t.Errorf("userRevocation names %s, which has no revoke user or no fake", name)
		}
	}
}
