package main

import (
	"context"
	"testing"

	"github.com/revokekit/revoke"
)

// TestHydraScenarios runs every Hydra scenario: each token is active
// before its revocation and inactive after.
func TestHydraScenarios(t *testing.T) { runIdPScenarios(t, hydraScenarios, 6) }

// runIdPScenarios checks the scenarios of one vendor (Hydra, ZITADEL,
// Salesforce, Ping), and that there are want of them.
func runIdPScenarios(t *testing.T, add func(context.Context) ([]scenario, func(), error), want int) {
	t.Helper()
	ctx := context.Background()
	scenarios, cleanup, err := add(ctx)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(scenarios) != want {
		t.Errorf("%d scenarios, want %d", len(scenarios), want)
	}
	for _, sc := range scenarios {
		tok := sc.issue()
		if !sc.active(tok) {
			t.Errorf("%s %s %s: token inactive before revocation", sc.vendor, sc.method, sc.hint)
		}
		if _, err := sc.revoker.Revoke(ctx, revoke.Request{Token: tok, Hint: sc.hint}); err != nil {
			t.Errorf("%s %s %s: %v", sc.vendor, sc.method, sc.hint, err)
		}
		if sc.active(tok) {
			t.Errorf("%s %s %s: token still active", sc.vendor, sc.method, sc.hint)
		}
	}
}
