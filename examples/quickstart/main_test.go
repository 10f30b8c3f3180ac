package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestQuickstart runs the README's first command in process: every
// scenario's token is active before and inactive after its revocation, and
// every vendor appears in the table.
func TestQuickstart(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, vendor := range quickstartVendors {
		if !strings.Contains(out.String(), "\n"+vendor) {
			t.Errorf("vendor %s is missing from the table:\n%s", vendor, out.String())
		}
	}
	if strings.Contains(out.String(), "FAILED") || strings.Contains(out.String(), "error:") {
		t.Errorf("a scenario failed:\n%s", out.String())
	}
}

// quickstartVendors are the vendors the quickstart must show.
var quickstartVendors = []string{"generic", "auth0", "cognito", "dropbox", "github", "google", "hydra", "keycloak", "okta", "onelogin", "ping", "salesforce", "slack", "wso2", "zitadel"}
