package revoke

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"math/big"

	jose "github.com/go-jose/go-jose/v4"
)

// opaqueSigner lets go-jose sign with any crypto.Signer (for example a key
// in a cloud KMS), converting ECDSA's ASN.1 signatures to the fixed-size
// r||s form JWS requires (RFC 7518 §3.4).
type opaqueSigner struct {
	s    crypto.Signer
	algs []jose.SignatureAlgorithm
	size int // ECDSA coordinate size in bytes
}

func newOpaqueSigner(s crypto.Signer) (*opaqueSigner, error) {
	o := &opaqueSigner{s: s}
	switch pub := s.Public().(type) {
	case *rsa.PublicKey:
		if pub == nil || pub.N == nil {
			return nil, fmt.Errorf("the signer's RSA public key is nil or incomplete: check the KMS or HSM key")
		}
		if bits := pub.N.BitLen(); bits < minRSABits {
			return nil, fmt.Errorf("RSA key has %d bits: use a key of at least %d bits", bits, minRSABits)
		}
		o.algs = rsaAlgs
	case *ecdsa.PublicKey:
		if pub == nil || pub.Curve == nil {
			return nil, fmt.Errorf("the signer's ECDSA public key is nil or incomplete: check the KMS or HSM key")
		}
		alg, err := ecdsaAlg(pub.Curve)
		if err != nil {
			return nil, err
		}
		o.size = (pub.Curve.Params().BitSize + 7) / 8
		o.algs = []jose.SignatureAlgorithm{alg}
	case ed25519.PublicKey:
		if len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("the signer's Ed25519 public key is %d bytes long, not %d", len(pub), ed25519.PublicKeySize)
		}
		o.algs = []jose.SignatureAlgorithm{jose.EdDSA}
	case nil:
		return nil, fmt.Errorf("the signer's Public() returned nil: a crypto.Signer must expose its public key")
	default:
		return nil, fmt.Errorf("unsupported key type %T: pass an RSA (%d bits or more), ECDSA (P-256, P-384, P-521) or Ed25519 key", pub, minRSABits)
	}
	return o, nil
}

func (o *opaqueSigner) Public() *jose.JSONWebKey { return &jose.JSONWebKey{Key: o.s.Public()} }

func (o *opaqueSigner) Algs() []jose.SignatureAlgorithm { return o.algs }

func (o *opaqueSigner) SignPayload(payload []byte, alg jose.SignatureAlgorithm) ([]byte, error) {
	var h crypto.Hash
	switch alg {
	case jose.RS256, jose.PS256, jose.ES256:
		h = crypto.SHA256
	case jose.RS384, jose.PS384, jose.ES384:
		h = crypto.SHA384
	case jose.RS512, jose.PS512, jose.ES512:
		h = crypto.SHA512
	case jose.EdDSA:
		return o.s.Sign(rand.Reader, payload, crypto.Hash(0))
	default:
		return nil, fmt.Errorf("unsupported algorithm %s", alg)
	}
	hh := h.New()
	hh.Write(payload)
	digest := hh.Sum(nil)
	var opts crypto.SignerOpts = h
	if alg == jose.PS256 || alg == jose.PS384 || alg == jose.PS512 {
		opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	}
	sig, err := o.s.Sign(rand.Reader, digest, opts)
	if err != nil || o.size == 0 {
		return sig, err
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil || rs.R == nil || rs.S == nil || rs.R.Sign() <= 0 || rs.S.Sign() <= 0 ||
		rs.R.BitLen() > 8*o.size || rs.S.BitLen() > 8*o.size {
		return nil, fmt.Errorf("ECDSA signer returned a malformed signature")
	}
	out := make([]byte, 2*o.size)
	rs.R.FillBytes(out[:o.size])
	rs.S.FillBytes(out[o.size:])
	return out, nil
}
