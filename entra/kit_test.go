package entra_test

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/internal/testkit"
)

// Test values, Entra-shaped, and long enough that the kit scrubs them.
const (
	tenantID   = "aaaabbbb-0000-cccc-1111-dddd2222eeee"
	clientID   = "11112222-bbbb-3333-cccc-4444dddd5555"
	secret     = "Qx8Q~s3cr3t.value-0123456789abcdefGHIJ"
	objectID   = "00aa00aa-bb11-cc22-dd33-44ee44ee44ee"
	upn        = "alice@contoso.com"
	graphToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-token-SECRET.sig"
	tokenURL   = "https://login.microsoftonline.com/" + tenantID + "/oauth2/v2.0/token"
	revokeURL  = "https://graph.microsoft.com/v1.0/users/" + objectID + "/revokeSignInSessions"
)

// Canned answers, shaped as Microsoft documents them.
var (
	tokenOK   = testkit.JSONAnswer(200, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"`+graphToken+`"}`)
	revokedOK = testkit.Answer{Status: 200, Header: map[string][]string{"Content-Type": {"application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"}, "Request-Id": {"7d4e2c1a-0000-4000-8000-000000000001"}},
		Body: `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean","value":true}`}
)

// newGraph builds a Graph with the client secret, sending to ep.
func newGraph(t *testing.T, ep *testkit.Endpoint, more ...revoke.Option) *entra.Graph {
	t.Helper()
	g, err := entra.New(entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}, ep.Options(more...)...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// rsaCert returns a self-signed certificate for key, valid from nb to na.
func rsaCert(t testing.TB, key crypto.Signer, nb, na time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "revoke-entra-test"}, NotBefore: nb, NotAfter: na, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// validCert is a certificate for the test RSA key, valid now.
func validCert(t testing.TB) *entra.Certificate {
	key := testkit.RSAKey(t)
	return &entra.Certificate{Certificate: rsaCert(t, key, time.Now().Add(-time.Hour), time.Now().Add(time.Hour)), Key: key}
}

// wire is how the golden files in testdata/wire show a request: the SDK
// version as <Version>, a client assertion as <assertion>.
var wire = testkit.Wire{Version: "<Version>", Assertion: "<assertion>"}

// wantWire compares a request with testdata/wire/<name>; -update rewrites
// the file.
func wantWire(t *testing.T, name string, s testkit.Seen) {
	t.Helper()
	testkit.CheckGolden(t, "wire/"+name, wire.Render(s))
}

// echoAssertion answers a token request with an error that repeats the
// client assertion it carried.
type echoAssertion struct{ assertion string }

func (e *echoAssertion) client() *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(b))
		e.assertion = v.Get("client_assertion")
		body := `{"error":"invalid_client","error_description":"AADSTS700027: bad assertion ` + e.assertion + `"}`
		return &http.Response{StatusCode: 401, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
