package keycloak_test

import "github.com/revokekit/revoke/internal/testkit"

const (
	base     = "https://sso.example.com"
	realm    = "myrealm"
	issuer   = base + "/realms/" + realm
	endpoint = issuer + "/protocol/openid-connect/revoke"
	tokenURL = issuer + "/protocol/openid-connect/token"
	clientID = "my-app"
	// secret survives RFC 6749 form-encoding unchanged, as the secrets
	// Keycloak generates do; testkit.Secret has every character encoding
	// changes.
	secret = "Ws8pTq2rLk5mNv9xYb3cZd7e"
	token  = testkit.Token
)
