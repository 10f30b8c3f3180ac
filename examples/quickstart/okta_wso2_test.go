package main

import (
	"context"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

// TestOktaWSO2Scenarios runs every Okta and WSO2 quickstart scenario: each
// token is active before and inactive after its revocation.
func TestOktaWSO2Scenarios(t *testing.T) {
	scenarios, cleanup, err := oktaWSO2Scenarios(context.Background())
	defer cleanup()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sc := range scenarios {
		seen[strings.Fields(sc.vendor)[0]+" "+sc.method] = true
		tok := sc.issue()
		if !sc.active(tok) {
			t.Errorf("%s %s: token inactive before revocation", sc.vendor, sc.method)
		}
		if _, err := sc.revoker.Revoke(context.Background(), revoke.Request{Token: tok, Hint: sc.hint}); err != nil {
			t.Errorf("%s %s: %v", sc.vendor, sc.method, err)
		}
		if sc.active(tok) {
			t.Errorf("%s %s: token still active", sc.vendor, sc.method)
		}
	}
	for _, want := range []string{"okta client_secret_basic", "okta private_key_jwt", "okta none (public)",
		"wso2 client_secret_basic (raw)", "wso2 client_secret_post", "wso2 ClientIDOnly (implicit grant)"} {
		if !seen[want] {
			t.Errorf("no scenario %q", want)
		}
	}
	if len(scenarios) != 16 {
		t.Errorf("%d scenarios, want 16 (12 Okta, 4 WSO2)", len(scenarios))
	}
}
