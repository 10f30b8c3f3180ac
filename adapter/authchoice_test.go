package adapter_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// foreignAuth is a revoke.ClientAuth the revoke package did not build.
type foreignAuth struct{ revoke.ClientAuth }

// TestChooseAuth walks every branch of Client.ChooseAuth: the RFC 8414 §2
// default and the revoke.ClientCredentials preference (post when RFC 6749
// §2.3.1 form-encoding would change the ID or secret and post is a
// candidate), the vendor's Credentials, Methods and Refused, raw Basic at
// a server that form-decodes, and explicit methods against the server's
// list (RFC 8414 §2, RFC 8705 §2) with and without CheckListed.
func TestChooseAuth(t *testing.T) {
	const (
		field    = "acme.Config.Auth"
		id       = "client-1"
		plain    = "plainSecretValue1" // form-encoding leaves it alone
		reserved = testkit.Secret      // form-encoding changes it
		long     = testkit.HMACSecret  // long enough for HS256
		basic    = revoke.MethodClientSecretBasic
		post     = revoke.MethodClientSecretPost
		jwt      = revoke.MethodClientSecretJWT
		pkjwt    = revoke.MethodPrivateKeyJWT
		tlsAuth  = revoke.MethodTLSClientAuth
		selfTLS  = revoke.MethodSelfSignedTLSClientAuth
		none     = revoke.MethodNone
		noClient = revoke.MethodNoClientAuth
	)
	cert := testkit.Certificate(t)
	key := testkit.ECKey(t)
	secrets := []string{plain, reserved, long}

	vendor := adapter.AuthRules{
		Vendor:       "Acme",
		Methods:      []string{basic, post, pkjwt, none},
		Advice:       "use revoke.ClientSecretBasic or revoke.PrivateKeyJWT",
		Refused:      map[string]string{noClient: "Acme always identifies the client: use revoke.PublicClient"},
		DecodesBasic: true,
		Credentials:  []string{basic, post},
	}
	strict := adapter.AuthRules{CheckListed: true, ListAdvice: "or use acme.New"}

	tests := []struct {
		name   string
		rules  adapter.AuthRules
		listed []string
		auth   revoke.ClientAuth
		want   string // the method chosen, or "" for an error
		errMsg string // text the *revoke.ConfigError's problem holds
	}{
		// revoke.ClientCredentials, with the zero rules: RFC 8414 §2.
		{"credentials, nothing listed: the RFC 8414 default", adapter.AuthRules{}, nil, revoke.ClientCredentials(id, plain), basic, ""},
		{"credentials, nothing listed, reserved secret: still the default", adapter.AuthRules{}, nil, revoke.ClientCredentials(id, reserved), basic, ""},
		{"credentials, empty list is no list", adapter.AuthRules{}, []string{}, revoke.ClientCredentials(id, reserved), basic, ""},
		{"credentials, basic and post listed: basic", adapter.AuthRules{}, []string{post, basic}, revoke.ClientCredentials(id, plain), basic, ""},
		{"credentials, basic and post listed, reserved secret: post", adapter.AuthRules{}, []string{basic, post}, revoke.ClientCredentials(id, reserved), post, ""},
		{"credentials, basic and post listed, reserved ID: post", adapter.AuthRules{}, []string{basic, post}, revoke.ClientCredentials("app@tenant", plain), post, ""},
		{"credentials, only basic listed, reserved secret: basic", adapter.AuthRules{}, []string{basic, pkjwt}, revoke.ClientCredentials(id, reserved), basic, ""},
		{"credentials, only post listed", adapter.AuthRules{}, []string{post}, revoke.ClientCredentials(id, plain), post, ""},
		{"credentials, post before client_secret_jwt", adapter.AuthRules{}, []string{jwt, post}, revoke.ClientCredentials(id, long), post, ""},
		{"credentials, only client_secret_jwt listed", adapter.AuthRules{}, []string{jwt}, revoke.ClientCredentials(id, long), jwt, ""},
		{"credentials, client_secret_jwt with a short secret", adapter.AuthRules{}, []string{jwt}, revoke.ClientCredentials(id, plain), "", "32"},
		{"credentials, nothing usable listed", adapter.AuthRules{}, []string{pkjwt, tlsAuth}, revoke.ClientCredentials(id, plain), "",
			`the server supports none of client_secret_basic, client_secret_post, client_secret_jwt for revocation (its metadata lists ["private_key_jwt" "tls_client_auth"]), so revoke.ClientCredentials cannot be used: configure the client's own method, e.g. revoke.PrivateKeyJWT`},

		// revoke.ClientCredentials, with the vendor's Credentials.
		{"vendor credentials stand in for the list", vendor, nil, revoke.ClientCredentials(id, plain), basic, ""},
		{"vendor credentials, reserved secret: post", vendor, nil, revoke.ClientCredentials(id, reserved), post, ""},
		{"vendor credentials within the list", vendor, []string{basic, pkjwt}, revoke.ClientCredentials(id, reserved), basic, ""},
		{"vendor credentials: a listed method the vendor does not resolve to", vendor, []string{jwt, pkjwt}, revoke.ClientCredentials(id, long), "",
			`Acme supports none of client_secret_basic, client_secret_post for revocation (its metadata lists ["client_secret_jwt" "private_key_jwt"])`},
		{"credentials within Methods only", adapter.AuthRules{Methods: []string{basic, pkjwt}}, []string{basic, post}, revoke.ClientCredentials(id, reserved), basic, ""},
		{"credentials, Methods exclude the default", adapter.AuthRules{Methods: []string{post}}, nil, revoke.ClientCredentials(id, plain), "", "supports none of"},
		{"credentials, invalid", vendor, nil, revoke.ClientCredentials(id, "q7Zx"), "", "shorter than"},
		{"credentials, invalid, nothing to choose: the value's own mistake first", vendor, []string{pkjwt}, revoke.ClientCredentials("", plain), "", "client ID is empty"},
		{"nil", vendor, nil, nil, "", "is nil"},
		{"nil, nothing to choose", vendor, []string{pkjwt}, nil, "", "is nil"},
		{"foreign", vendor, nil, foreignAuth{revoke.ClientSecretBasic(id, plain)}, "", "not a client authentication built by the revoke package"},

		// Explicit methods against the vendor's rules.
		{"refused by the vendor", vendor, nil, revoke.NoClientAuth(), "", "Acme always identifies the client: use revoke.PublicClient"},
		{"raw Basic at a server that form-decodes", vendor, nil, revoke.ClientSecretBasicRaw(id, plain), "",
			"revoke.ClientSecretBasicRaw sends the credentials unencoded, but Acme form-decodes Basic credentials (RFC 6749 §2.3.1), so a secret holding '%' or '+' would not match: use revoke.ClientSecretBasic"},
		{"raw Basic at a server that does not say", adapter.AuthRules{}, nil, revoke.ClientSecretBasicRaw(id, plain), basic, ""},
		{"encoded Basic at a server that form-decodes", vendor, nil, revoke.ClientSecretBasic(id, reserved), basic, ""},
		{"outside Methods", vendor, nil, revoke.TLSClientAuth(id, cert), "",
			`method "tls_client_auth" is not one Acme authenticates clients with: use revoke.ClientSecretBasic or revoke.PrivateKeyJWT`},
		{"outside Methods, no vendor or advice", adapter.AuthRules{Methods: []string{basic}}, nil, revoke.ClientSecretPost(id, plain), "",
			`method "client_secret_post" is not one the server authenticates clients with`},
		{"within Methods", vendor, nil, revoke.PrivateKeyJWT(id, key), pkjwt, ""},
		{"within Methods, but invalid", vendor, nil, revoke.ClientSecretPost(id, ""), "", "client secret is empty"},
		{"the list does not bind without CheckListed", vendor, []string{basic}, revoke.PrivateKeyJWT(id, key), pkjwt, ""},
		{"any method with the zero rules", adapter.AuthRules{}, []string{basic}, revoke.SelfSignedTLSClientAuth(id, cert), selfTLS, ""},

		// Explicit methods against the server's list.
		{"listed", strict, []string{basic, tlsAuth}, revoke.TLSClientAuth(id, cert), tlsAuth, ""},
		{"not listed: mutual TLS", strict, []string{basic}, revoke.TLSClientAuth(id, cert), "",
			`method "tls_client_auth" is not one the server lists for its revocation endpoint (revocation_endpoint_auth_methods_supported ["client_secret_basic"], RFC 8414 §2): configure the client's method as one of those, as the client is registered; or use acme.New`},
		{"not listed: self-signed mutual TLS", strict, []string{basic, tlsAuth}, revoke.SelfSignedTLSClientAuth(id, cert), "", `"self_signed_tls_client_auth" is not one the server lists`},
		{"not listed: post", strict, []string{basic}, revoke.ClientSecretPost(id, plain), "", `"client_secret_post" is not one the server lists`},
		{"not listed: raw Basic is Basic", strict, []string{basic}, revoke.ClientSecretBasicRaw(id, plain), basic, ""},
		{"nothing listed: an explicit method is used as given", strict, nil, revoke.TLSClientAuth(id, cert), tlsAuth, ""},
		{"a public client is never checked against the list", strict, []string{basic}, revoke.PublicClient(id), none, ""},
		{"no client authentication is never checked against the list", strict, []string{basic}, revoke.NoClientAuth(), noClient, ""},
		{"credentials under CheckListed", strict, []string{post}, revoke.ClientCredentials(id, plain), post, ""},
		{"vendor rules before the list", adapter.AuthRules{Methods: []string{basic}, CheckListed: true}, []string{post}, revoke.ClientSecretPost(id, plain), "", "not one the server authenticates clients with"},
	}
	c := newClient(t, adapter.Profile{Name: "acme"})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.ChooseAuth(field, tc.auth, tc.rules, tc.listed)
			if tc.want == "" {
				if got != nil {
					t.Errorf("ChooseAuth returned %v with the error", got)
				}
				// Field is the adapter's, with the value's kind after it
				// for the value's own mistake.
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) || !strings.HasPrefix(ce.Field, field) || !strings.Contains(ce.Problem, tc.errMsg) {
					t.Fatalf("err = %v; want a *revoke.ConfigError on %s saying %q", err, field, tc.errMsg)
				}
				testkit.NoLeak(t, "error", err.Error()+testkit.PrintAll(err), secrets...)
				return
			}
			if err != nil {
				t.Fatalf("ChooseAuth: %v", err)
			}
			if got.Method() != tc.want {
				t.Errorf("method %q, want %q", got.Method(), tc.want)
			}
			if tc.auth != nil && got.ClientID() != tc.auth.ClientID() {
				t.Errorf("client ID %q, want %q", got.ClientID(), tc.auth.ClientID())
			}
		})
	}
}

// TestChooseAuthInvalidNamesTheField: a value's own mistake is reported
// under the adapter's field and the value's kind.
func TestChooseAuthInvalidNamesTheField(t *testing.T) {
	c := newClient(t, adapter.Profile{Name: "acme"})
	for _, listed := range [][]string{nil, {revoke.MethodPrivateKeyJWT}} {
		_, err := c.ChooseAuth("acme.Config.Auth", revoke.ClientCredentials("client-1", "q7Zx"), adapter.AuthRules{Credentials: []string{revoke.MethodClientSecretBasic}}, listed)
		testkit.WantConfigError(t, err, "acme.Config.Auth (ClientCredentials)", "shorter than", nil, "q7Zx")
	}
}
