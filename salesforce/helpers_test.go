package salesforce_test

import (
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/salesforce"
)

const (
	org   = "https://acme.my.salesforce.com"
	token = testkit.Token
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg salesforce.Config, opts ...revoke.Option) *salesforce.Revoker {
	t.Helper()
	return testkit.Build(t, salesforce.New, cfg, ep.Options(opts...)...)
}
