package profile

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"strconv"

	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// maxPEMBytes bounds a key or certificate file.
const maxPEMBytes = 1 << 20

// LoadPrivateKey reads the first private key of a PEM file: PKCS #8
// ("PRIVATE KEY"), PKCS #1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY").
// Other blocks (certificates) are skipped. An encrypted key is refused:
// decrypt it into a file readable only by you first.
func LoadPrivateKey(path string) (crypto.Signer, error) {
	b, err := readBounded(path, maxPEMBytes)
	if err != nil {
		return nil, usage.Errorf("private key file %s: %v", strconv.Quote(path), err)
	}
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			return nil, usage.Errorf("private key file %s holds no PEM private key (a block \"PRIVATE KEY\", \"RSA PRIVATE KEY\" or \"EC PRIVATE KEY\")", strconv.Quote(path))
		}
		if _, ok := blk.Headers["Proc-Type"]; ok || blk.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, usage.Errorf("private key file %s is encrypted: decrypt it first (openssl pkcs8 -in KEY -out PLAIN.pem) into a file only you can read", strconv.Quote(path))
		}
		var key any
		switch blk.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(blk.Bytes)
		default:
			continue
		}
		if err != nil {
			// The parser's message never holds key material.
			return nil, usage.Errorf("private key file %s: the %s block does not parse: %v", strconv.Quote(path), blk.Type, err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, usage.Errorf("private key file %s: a %T cannot sign", strconv.Quote(path), key)
		}
		return signer, nil
	}
}

// LoadCertificate reads a client certificate and its key from PEM files.
func LoadCertificate(certFile, keyFile string) (tls.Certificate, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, usage.Errorf("client certificate %s with key %s: %v", strconv.Quote(certFile), strconv.Quote(keyFile), err)
	}
	return cert, nil
}
