package hydra_test

import (
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/internal/testkit"
)

const (
	public   = "https://auth.example.com"
	clientID = "my-client"
	token    = testkit.Token
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg hydra.Config, opts ...revoke.Option) *hydra.Revoker {
	t.Helper()
	return testkit.Build(t, hydra.New, cfg, ep.Options(opts...)...)
}
