package onelogin_test

import (
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
)

// Test credentials: OneLogin-shaped (hexadecimal ID), and long enough that
// the kit scrubs them from anything it keeps.
const (
	testID     = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	testSecret = "s3cr3t-5ecret-value-0123456789abcdef"
	testToken  = testkit.Token
)

const (
	acmeRevoke = "https://acme.onelogin.com/auth/oauth2/revoke"
	acmeOIDC   = "https://acme.onelogin.com/oidc/2/token/revocation"
)

// newAPI builds a Revoker for acme.onelogin.com sending to ep.
func newAPI(t *testing.T, ep *testkit.Endpoint, api onelogin.APIVersion, more ...revoke.Option) *onelogin.Revoker {
	t.Helper()
	r, err := onelogin.New(onelogin.Config{Subdomain: "acme", ClientID: testID, ClientSecret: testSecret, API: api}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newOIDC builds an OIDCRevoker for acme.onelogin.com sending to ep.
func newOIDC(t *testing.T, ep *testkit.Endpoint, auth revoke.ClientAuth, alreadyRevokedOK bool, more ...revoke.Option) *onelogin.OIDCRevoker {
	t.Helper()
	r, err := onelogin.NewOIDC(onelogin.OIDCConfig{Subdomain: "acme", Auth: auth, AlreadyRevokedOK: alreadyRevokedOK}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wire is how the golden files in testdata/wire show a request: the SDK
// version as <Version>.
var wire = testkit.Wire{Version: "<Version>"}

// wantWire compares a request with testdata/wire/<name>; -update rewrites
// the file.
func wantWire(t *testing.T, name string, s testkit.Seen) {
	t.Helper()
	testkit.CheckGolden(t, "wire/"+name, wire.Render(s))
}
