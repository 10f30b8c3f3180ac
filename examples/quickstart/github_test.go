package main

import "testing"

// TestGithubScenarios runs every github scenario: each token is active before
// its revocation and inactive after.
func TestGithubScenarios(t *testing.T) { checkScenarios(t, githubScenarios, 4) }
