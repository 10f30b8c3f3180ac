package main

import "testing"

// TestCognitoScenarios runs every Cognito scenario: each refresh token is
// active before its revocation and inactive after.
func TestCognitoScenarios(t *testing.T) {
	checkScenarios(t, cognitoScenarios, 4)
}
