package main

import (
	"context"
	"testing"

	"github.com/revokekit/revoke"
)

// scenarios returns the scenarios add builds, cleaned up when the test
// ends.
func scenarios(t *testing.T, add func(context.Context) ([]scenario, func(), error)) []scenario {
	t.Helper()
	list, cleanup, err := add(context.Background())
	if cleanup != nil {
		t.Cleanup(cleanup)
	}
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// checkScenarios runs the scenarios of one vendor, and checks that there
// are want of them and that each token is active before its revocation,
// revoked without error and not reported already invalid, and inactive
// after.
func checkScenarios(t *testing.T, add func(context.Context) ([]scenario, func(), error), want int) {
	t.Helper()
	ctx := context.Background()
	list := scenarios(t, add)
	if len(list) != want {
		t.Errorf("%d scenarios, want %d", len(list), want)
	}
	for _, sc := range list {
		tok := sc.issue()
		if !sc.active(tok) {
			t.Errorf("%s %s %s: token inactive before revocation", sc.vendor, sc.method, sc.hint)
		}
		res, err := sc.revoker.Revoke(ctx, revoke.Request{Token: tok, Hint: sc.hint})
		if err != nil || res.AlreadyInvalid {
			t.Errorf("%s %s %s: Revoke = %+v, %v", sc.vendor, sc.method, sc.hint, res, err)
		}
		if sc.active(tok) {
			t.Errorf("%s %s %s: token still active", sc.vendor, sc.method, sc.hint)
		}
	}
}
