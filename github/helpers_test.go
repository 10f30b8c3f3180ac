package github_test

import "github.com/revokekit/revoke/internal/testkit"

// Test values: GitHub client IDs and secrets as GitHub shapes them.
const (
	clientID = "Iv1.8a61f9b3a7aba766"
	secret   = "0123456789abcdef0123456789abcdef01234567"
	token    = testkit.Token
	pat      = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	pat2     = "ghp_26C7e42F292c6912E7710c838347Ae178B4b"
	gho      = "gho_16C7e42F292c6912E7710c838347Ae178B4a"
	ghesBase = "https://ghe.example.com/api/v3"
)
