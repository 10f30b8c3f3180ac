package ping_test

import "github.com/revokekit/revoke/internal/testkit"

const (
	pfBase   = "https://pf.example.com:9031"
	envID    = "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"
	amBase   = "https://am.example.com:8443/am"
	clientID = "myClient"
	token    = testkit.Token
)
