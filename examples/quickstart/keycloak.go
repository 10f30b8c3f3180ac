package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net/http/httptest"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/revoketest"
)

// keycloakScenarios starts the Keycloak fake (over http, and over TLS for
// the X509 authenticator) and revokes with every Keycloak client
// authenticator: Basic with a form-encoded secret, client_secret_post,
// client_secret_jwt, private_key_jwt, a public client, the method
// discovery chooses for ClientCredentials, and mutual TLS.
func keycloakScenarios(ctx context.Context) ([]scenario, func(), error) {
	const realm = "quickstart"
	fake := keycloaktest.New()
	srv := httptest.NewServer(fake)
	tlsSrv := httptest.NewUnstartedServer(fake)
	tlsSrv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	tlsSrv.StartTLS()
	cleanup := func() { tlsSrv.Close(); srv.Close() }

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	cert, err := clientCertificate("quickstart-mtls")
	if err != nil {
		return nil, cleanup, err
	}
	const special = "p@ss:w+rd%/= x" // every character RFC 6749 §2.3.1 encoding changes
	fake.AddClient(realm, revoketest.Client{ID: "kc-basic", Secret: special})
	fake.AddClient(realm, revoketest.Client{ID: "kc-post", Secret: "post-secret-value"})
	fake.AddClient(realm, revoketest.Client{ID: "kc-hmac", Secret: "a-32-byte-long-shared-secret-val", Method: keycloaktest.MethodSecretJWT})
	fake.AddClient(realm, revoketest.Client{ID: "kc-key", PublicKey: key.Public(), Method: keycloaktest.MethodPrivateKeyJWT})
	fake.AddClient(realm, revoketest.Client{ID: "kc-spa", Method: keycloaktest.MethodPublic})
	fake.AddClient(realm, revoketest.Client{ID: "kc-discovered", Secret: special})
	fake.AddTLSClient(realm, "kc-mtls", "CN=quickstart-mtls")
	alice := fake.AddUser(realm, keycloaktest.User{Username: "alice", Email: "alice@example.com"})

	var out []scenario
	add := func(vendor, method string, r revoke.Revoker, clientID string) {
		for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintAccessToken} {
			out = append(out, scenario{vendor: vendor, method: method, revoker: r, hint: hint, active: fake.Active,
				issue: pick(func() revoketest.Pair { return fake.Login(realm, clientID, alice.ID) }, hint)})
		}
	}
	for _, m := range []struct {
		name string
		auth revoke.ClientAuth
	}{
		{"client_secret_basic (form-encoded)", revoke.ClientSecretBasic("kc-basic", special)},
		{revoke.MethodClientSecretPost, revoke.ClientSecretPost("kc-post", "post-secret-value")},
		{revoke.MethodClientSecretJWT, revoke.ClientSecretJWT("kc-hmac", "a-32-byte-long-shared-secret-val")},
		{revoke.MethodPrivateKeyJWT, revoke.PrivateKeyJWT("kc-key", key, revoke.WithKeyID("k1"))},
		{"none (public)", revoke.PublicClient("kc-spa")},
	} {
		r, err := keycloak.New(keycloak.Config{BaseURL: srv.URL, Realm: realm, Auth: m.auth})
		if err != nil {
			return nil, cleanup, fmt.Errorf("keycloak %s: %w", m.name, err)
		}
		add("keycloak", m.name, r, m.auth.ClientID())
	}
	// Discovery chooses client_secret_post for a secret Basic would change.
	d, err := keycloak.Discover(ctx, srv.URL+"/realms/"+realm, revoke.ClientCredentials("kc-discovered", special))
	if err != nil {
		return nil, cleanup, fmt.Errorf("keycloak discovery: %w", err)
	}
	add("keycloak (discovered)", d.AuthMethod(), d, "kc-discovered")
	// Mutual TLS: the X509 authenticator matches the certificate's subject.
	m, err := keycloak.Discover(ctx, tlsSrv.URL+"/realms/"+realm, revoke.TLSClientAuth("kc-mtls", cert), revoke.WithHTTPClient(tlsSrv.Client()))
	if err != nil {
		return nil, cleanup, fmt.Errorf("keycloak mTLS: %w", err)
	}
	add("keycloak (mTLS)", m.AuthMethod(), m, "kc-mtls")
	return out, cleanup, nil
}

// clientCertificate makes a self-signed client certificate for mutual TLS.
func clientCertificate(cn string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}
