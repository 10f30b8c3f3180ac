package main

import "testing"

// TestKeycloakScenarios runs every Keycloak scenario: each token is active
// before its revocation and inactive after.
func TestKeycloakScenarios(t *testing.T) {
	checkScenarios(t, keycloakScenarios, 14)
}
