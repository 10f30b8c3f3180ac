package zitadel_test

import (
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/zitadel"
)

const (
	instance = "my-instance-abc123.zitadel.cloud"
	base     = "https://" + instance
	clientID = "286519478562891234@my-project"
	token    = testkit.Token
)

// newRevoker builds a Revoker sending to ep with fast retries.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg zitadel.Config, opts ...revoke.Option) *zitadel.Revoker {
	t.Helper()
	return testkit.Build(t, zitadel.New, cfg, ep.Options(opts...)...)
}
