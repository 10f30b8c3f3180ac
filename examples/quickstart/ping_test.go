package main

import "testing"

// TestPingScenarios runs every Ping scenario: each token is active
// before its revocation and inactive after.
func TestPingScenarios(t *testing.T) { checkScenarios(t, pingScenarios, 9) }
