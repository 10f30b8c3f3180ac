package interop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"testing"
	"time"
)

// Every key and certificate of the mutual-TLS tests is generated here, at
// test time, and lives only in memory: none is committed.

// testCA is a certificate authority the tests create for one run.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// newTestCA creates a self-signed CA named cn.
func newTestCA(cn string) (*testCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating the CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"revoke interop"}},
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("creating the CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &testCA{cert: cert, key: key}, nil
}

// certPEM is the CA certificate in PEM.
func (ca *testCA) certPEM() string { return string(pemBlock("CERTIFICATE", ca.cert.Raw)) }

// pool is a certificate pool holding only this CA.
func (ca *testCA) pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.cert)
	return p
}

// issue signs a leaf certificate for a new P-256 key.
func (ca *testCA) issue(tmpl *x509.Certificate) (tls.Certificate, error) {
	return signLeaf(tmpl, ca.cert, ca.key)
}

// serverCert issues the mutual-TLS listener's certificate for 127.0.0.1,
// in PEM (certificate, PKCS#8 key).
func (ca *testCA) serverCert() (certPEM, keyPEM string, err error) {
	c, err := ca.issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	if err != nil {
		return "", "", err
	}
	return string(pemBlock("CERTIFICATE", c.Certificate[0])), string(pemBlock("PRIVATE KEY", keyDER)), nil
}

// clientCert issues a client certificate with subject.
func (ca *testCA) clientCert(t *testing.T, subject pkix.Name) tls.Certificate {
	t.Helper()
	c, err := ca.issue(clientTemplate(subject))
	if err != nil {
		t.Fatalf("issuing a client certificate for %s: %v", subject, err)
	}
	return c
}

// selfSignedClientCert creates a self-signed client certificate
// (RFC 8705 §2.2) with subject.
func selfSignedClientCert(t *testing.T, subject pkix.Name) tls.Certificate {
	t.Helper()
	c, err := signLeaf(clientTemplate(subject), nil, nil)
	if err != nil {
		t.Fatalf("creating a self-signed client certificate: %v", err)
	}
	return c
}

func clientTemplate(subject pkix.Name) *x509.Certificate {
	return &x509.Certificate{
		Subject:     subject,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
}

// signLeaf creates a certificate from tmpl for a new P-256 key, signed by
// parent's key, or self-signed when parent is nil.
func signLeaf(tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("generating a key: %w", err)
	}
	tmpl.SerialNumber = serial()
	tmpl.NotBefore = time.Now().Add(-time.Minute)
	tmpl.NotAfter = time.Now().Add(time.Hour)
	tmpl.BasicConstraintsValid = true
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("creating a certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return n
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// leafPEM is a certificate's leaf in PEM.
func leafPEM(c tls.Certificate) string { return string(pemBlock("CERTIFICATE", c.Certificate[0])) }

// x5tS256 is the RFC 8705 §3.1 thumbprint of a certificate: the base64url
// SHA-256 of its DER encoding.
func x5tS256(c tls.Certificate) string {
	sum := sha256.Sum256(c.Certificate[0])
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
