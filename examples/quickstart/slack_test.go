package main

import "testing"

// TestSlackScenarios runs every slack scenario: each token is active before
// its revocation and inactive after.
func TestSlackScenarios(t *testing.T) { checkScenarios(t, slackScenarios, 3) }
