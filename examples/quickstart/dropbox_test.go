package main

import (
	"context"
	"testing"

	"github.com/revokekit/revoke"
)

// TestDropboxScenarios runs every dropbox scenario: each token is active before
// its revocation and inactive after.
func TestDropboxScenarios(t *testing.T) {
	ctx := context.Background()
	scenarios, cleanup, err := dropboxScenarios(ctx)
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	if len(scenarios) == 0 {
		t.Fatal("no scenarios")
	}
	for _, sc := range scenarios {
		tok := sc.issue()
		if !sc.active(tok) {
			t.Errorf("%s / %s: token inactive before revocation", sc.vendor, sc.method)
		}
		res, err := sc.revoker.Revoke(ctx, revoke.Request{Token: tok, Hint: sc.hint})
		if err != nil || res.AlreadyInvalid {
			t.Errorf("%s / %s: Revoke = %+v, %v", sc.vendor, sc.method, res, err)
		}
		if sc.active(tok) {
			t.Errorf("%s / %s: token still active", sc.vendor, sc.method)
		}
	}
}
