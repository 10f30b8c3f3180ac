package main

import "testing"

// TestDropboxScenarios runs every dropbox scenario: each token is active before
// its revocation and inactive after.
func TestDropboxScenarios(t *testing.T) { checkScenarios(t, dropboxScenarios, 3) }
