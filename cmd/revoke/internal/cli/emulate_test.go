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
