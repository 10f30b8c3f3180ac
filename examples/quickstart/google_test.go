package main

import (
	"strings"
	"testing"
)

// TestGoogleScenarios: every Google scenario's token is active before and
// inactive after.
func TestGoogleScenarios(t *testing.T) {
	if out := runScenarios(t, googleScenarios); !strings.Contains(out, "google") {
		t.Errorf("google missing from:\n%s", out)
	}
}
