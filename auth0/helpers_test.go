package auth0_test

import (
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	domain   = "dev-abc.us.auth0.com"
	base     = "https://" + domain
	clientID = "aBcD3fGhIjKlMnOpQrStUvWxYz012345"
	// secret has characters JSON and forms escape; Auth0 takes it in the
	// JSON body unchanged.
	secret = testkit.Secret
	token  = testkit.Token
	userID = "auth0|64f1c0ffee0123456789abcd"
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg auth0.Config, opts ...revoke.Option) *auth0.Revoker {
	t.Helper()
	return testkit.Build(t, auth0.New, cfg, ep.Options(opts...)...)
}

// newManagement builds a Management sending to ep with fast retries.
func newManagement(t testing.TB, ep *testkit.Endpoint, cfg auth0.ManagementConfig, opts ...revoke.Option) *auth0.Management {
	t.Helper()
	return testkit.Build(t, auth0.NewManagement, cfg, ep.Options(opts...)...)
}
