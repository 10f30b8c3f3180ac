package revoke

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// minRSABits is the smallest RSA modulus accepted for signing
// (RFC 7518 §3.3: 2048 bits or larger).
const minRSABits = 2048

// signingKey is a private key checked and ready for go-jose: the value to
// sign with, the algorithms it can use (the first is the default), and its
// public key.
type signingKey struct {
	key    any
	algs   []jose.SignatureAlgorithm
	public crypto.PublicKey
}

// newSigningKey checks key without ever panicking, whatever the caller
// passes: nil, typed-nil pointers, zero-value structs, truncated Ed25519
// keys and crypto.Signers whose public key is nil or broken are refused
// with a reason.
func newSigningKey(key crypto.Signer) (sk signingKey, err error) {
	defer func() {
		if r := recover(); r != nil {
			sk, err = signingKey{}, fmt.Errorf("the key is malformed (inspecting it failed: %v): pass a key from crypto/rsa, crypto/ecdsa or crypto/ed25519, or a working crypto.Signer", r)
		}
	}()
	switch k := key.(type) {
	case nil:
		return sk, fmt.Errorf("key is nil: pass the private key registered (as a public JWK) for the client")
	case *rsa.PrivateKey:
		if k == nil || k.N == nil || k.D == nil || k.E == 0 || len(k.Primes) < 2 {
			return sk, fmt.Errorf("the RSA key is nil or incomplete (no modulus, exponent or primes): generate it with rsa.GenerateKey or parse it with x509.ParsePKCS8PrivateKey")
		}
		if bits := k.N.BitLen(); bits < minRSABits {
			return sk, fmt.Errorf("RSA key has %d bits: use a key of at least %d bits", bits, minRSABits)
		}
		if err := k.Validate(); err != nil {
			return sk, fmt.Errorf("the RSA key is inconsistent (%v): regenerate or re-parse it", err)
		}
		return signingKey{key: k, public: &k.PublicKey, algs: rsaAlgs}, nil
	case *ecdsa.PrivateKey:
		if k == nil || k.Curve == nil || k.D == nil || k.X == nil || k.Y == nil {
			return sk, fmt.Errorf("the ECDSA key is nil or incomplete: generate it with ecdsa.GenerateKey or parse it with x509.ParsePKCS8PrivateKey")
		}
		alg, err := ecdsaAlg(k.Curve)
		if err != nil {
			return sk, err
		}
		if _, err := k.ECDH(); err != nil {
			return sk, fmt.Errorf("the ECDSA key is invalid (%v): regenerate or re-parse it", err)
		}
		return signingKey{key: k, public: &k.PublicKey, algs: []jose.SignatureAlgorithm{alg}}, nil
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return sk, fmt.Errorf("the Ed25519 key is %d bytes long, not %d: pass the whole private key (ed25519.NewKeyFromSeed turns a 32-byte seed into one)", len(k), ed25519.PrivateKeySize)
		}
		return signingKey{key: k, public: k.Public(), algs: []jose.SignatureAlgorithm{jose.EdDSA}}, nil
	case *ed25519.PrivateKey:
		if k == nil {
			return sk, fmt.Errorf("the Ed25519 key pointer is nil: pass the private key")
		}
		return newSigningKey(*k)
	}
	// Any other crypto.Signer (a KMS or HSM key) signs through an opaque
	// signer; its public key decides the algorithms.
	op, err := newOpaqueSigner(key)
	if err != nil {
		return sk, err
	}
	return signingKey{key: op, public: key.Public(), algs: op.algs}, nil
}

var rsaAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512}

func ecdsaAlg(c elliptic.Curve) (jose.SignatureAlgorithm, error) {
	switch c.Params().BitSize {
	case 256:
		return jose.ES256, nil
	case 384:
		return jose.ES384, nil
	case 521:
		return jose.ES512, nil
	}
	return "", fmt.Errorf("unsupported ECDSA curve %s: use P-256, P-384 or P-521", c.Params().Name)
}
