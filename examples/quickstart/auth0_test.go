package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

// runScenarios revokes each scenario's token as run does and reports the
// table.
func runScenarios(t *testing.T, add func(context.Context) ([]scenario, func(), error)) string {
	t.Helper()
	ctx := context.Background()
	var rows []row
	for _, sc := range scenarios(t, add) {
		tok := sc.issue()
		r := row{vendor: sc.vendor, method: sc.method, token: string(sc.hint), before: sc.active(tok)}
		res, err := sc.revoker.Revoke(ctx, revoke.Request{Token: tok, Hint: sc.hint})
		if res != nil {
			r.attempts = res.Attempts
		}
		r.err = err
		r.after = sc.active(tok)
		rows = append(rows, r)
	}
	var out bytes.Buffer
	if err := report(&out, rows); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	return out.String()
}

// TestAuth0Scenarios: every Auth0 scenario's refresh token is active
// before and inactive after.
func TestAuth0Scenarios(t *testing.T) {
	out := runScenarios(t, auth0Scenarios)
	for _, want := range []string{"auth0 ", "auth0 (user level)", "private_key_jwt"} {
		if !strings.Contains(out, want) {
			t.Errorf("%q missing from:\n%s", want, out)
		}
	}
}
