package main

import "testing"

// TestZITADELScenarios runs every ZITADEL scenario: each token is active
// before its revocation and inactive after.
func TestZitadelScenarios(t *testing.T) { checkScenarios(t, zitadelScenarios, 5) }
