package main

import "testing"

// TestHydraScenarios runs every Hydra scenario: each token is active
// before its revocation and inactive after.
func TestHydraScenarios(t *testing.T) { checkScenarios(t, hydraScenarios, 6) }
