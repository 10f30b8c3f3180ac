package main

import "testing"

// TestSalesforceScenarios runs every Salesforce scenario: each token is active
// before its revocation and inactive after.
func TestSalesforceScenarios(t *testing.T) { checkScenarios(t, salesforceScenarios, 4) }
