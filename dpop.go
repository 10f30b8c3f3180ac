package revoke

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke/internal/bridge"
)

// DPoPOption configures WithDPoP.
type DPoPOption interface {
	dpopOption(*dpopConfig)
}

type dpopOptionFunc func(*dpopConfig)

func (f dpopOptionFunc) dpopOption(c *dpopConfig) { f(c) }

type dpopConfig struct{ alg jose.SignatureAlgorithm }

// WithDPoPAlgorithm sets the proof's JWS algorithm (RFC 7518 §3.1): one
// of RS256, PS256 (and their 384/512 forms) for an RSA key; by default
// ES256/384/512 follows an ECDSA key's curve, EdDSA an Ed25519 key, and
// RS256 an RSA key.
func WithDPoPAlgorithm(alg string) DPoPOption {
	return dpopOptionFunc(func(c *dpopConfig) { c.alg = jose.SignatureAlgorithm(alg) })
}

// WithDPoP sends a DPoP proof of possession (RFC 9449) with every attempt
// of every call, signed by key: an *ecdsa.PrivateKey (ES256 with P-256,
// the usual choice), an *rsa.PrivateKey (2048 bits or more; RS256 or
// PS256), an ed25519.PrivateKey, or any crypto.Signer with such a public
// key (a KMS or HSM key).
//
// Each proof is fresh (RFC 9449 §4.2): header typ "dpop+jwt", alg and the
// public jwk; claims jti (new for every attempt, retries included), htm,
// htu (the URL called without query or fragment), iat, "ath" (the
// base64url SHA-256 of the access token) when the call presents one, and
// the server's nonce once it has sent one. A server that asks for a nonce
// (400 use_dpop_nonce, or 401 with WWW-Authenticate: DPoP
// error="use_dpop_nonce", with a DPoP-Nonce header, RFC 9449 §8 and §9) is
// answered by one more attempt carrying it; the latest nonce each server
// sends, on any answer, is remembered for the next call. A first request
// is never sent without a proof.
//
// Revocation servers need a proof when the refresh token being revoked is
// DPoP-bound (public clients' refresh tokens are, RFC 9449 §5). Proofs are
// secrets: they never appear in an error, a log record or a print.
func WithDPoP(key crypto.Signer, opts ...DPoPOption) Option {
	d, err := newDPoP(key, opts)
	if err != nil {
		return optionError("WithDPoP", err.Error())
	}
	return optionFunc(func(s *bridge.Settings) { s.DPoP = d })
}

type dpopKey struct {
	signer     jose.Signer
	thumbprint string
}

func newDPoP(key crypto.Signer, opts []DPoPOption) (*dpopKey, error) {
	var cfg dpopConfig
	for _, o := range opts {
		if o != nil {
			o.dpopOption(&cfg)
		}
	}
	sk, err := newSigningKey(key)
	if err != nil {
		return nil, err
	}
	alg := cfg.alg
	if alg == "" {
		alg = sk.algs[0]
	}
	if !slices.Contains(sk.algs, alg) {
		return nil, fmt.Errorf("algorithm %q does not fit this key: use one of %v", alg, sk.algs)
	}
	jwk := jose.JSONWebKey{Key: sk.public, Algorithm: string(alg), Use: "sig"}
	if !jwk.Valid() {
		return nil, fmt.Errorf("the public key cannot be written as a JWK: check the key")
	}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("computing the key's RFC 7638 thumbprint failed: %v", err)
	}
	// The header carries the public key only (RFC 9449 §4.2: "jwk").
	pub := jose.JSONWebKey{Key: sk.public}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: sk.key},
		(&jose.SignerOptions{EmbedJWK: false}).WithType("dpop+jwt").WithHeader("jwk", pub))
	if err != nil {
		return nil, fmt.Errorf("cannot sign with %s: %v", alg, err)
	}
	return &dpopKey{signer: signer, thumbprint: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

type dpopClaims struct {
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	ATH   string `json:"ath,omitempty"`
	Nonce string `json:"nonce,omitempty"`
}

// Proof signs a fresh proof for method and htu.
func (d *dpopKey) Proof(method, htu, accessToken, nonce string) (s string, err error) {
	var jti [16]byte
	_, _ = rand.Read(jti[:])
	c := dpopClaims{JTI: base64.RawURLEncoding.EncodeToString(jti[:]), HTM: method, HTU: htu, IAT: time.Now().Unix(), Nonce: nonce}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		c.ATH = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	payload, err := jsonMarshalNoEscape(c)
	if err != nil {
		return "", err
	}
	defer func() {
		if r := recover(); r != nil {
			s, err = "", &ConfigError{Field: "WithDPoP", Problem: fmt.Sprintf("the key failed to sign (it panicked: %v): check the signer", r)}
		}
	}()
	jws, err := d.signer.Sign(payload)
	if err != nil {
		return "", &ConfigError{Field: "WithDPoP", Problem: fmt.Sprintf("signing the DPoP proof failed: %v", err)}
	}
	return jws.CompactSerialize()
}

// Thumbprint is the RFC 7638 SHA-256 thumbprint of the public key, the
// value a server binds tokens to (RFC 9449 §6 "jkt").
func (d *dpopKey) Thumbprint() string { return d.thumbprint }

// Format prints the key's thumbprint only.
func (d *dpopKey) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "DPoP{jkt:%s}", d.thumbprint) }

func jsonMarshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
