package revoketest

import (
	"crypto"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DPoP checks RFC 9449 proofs the way a strict server does, for the fakes
// that require proof of possession. The zero value is not usable: build
// one with NewDPoP.
type DPoP struct {
	// RequireNonce makes the server demand its current nonce in every proof
	// (RFC 9449 §8): a proof without it is refused with use_dpop_nonce and
	// a DPoP-Nonce header.
	RequireNonce bool
	// MaxAge bounds how old a proof's iat may be, and how far in the future.
	MaxAge time.Duration

	mu    sync.Mutex
	nonce string
	seen  map[string]time.Time // jti → when it expires from the replay set
	now   func() time.Time
}

// NewDPoP returns a checker with a fresh nonce, requiring it, and a
// 60-second window for iat.
func NewDPoP() *DPoP {
	return &DPoP{RequireNonce: true, MaxAge: time.Minute, nonce: randToken("nonce"), seen: map[string]time.Time{}, now: time.Now}
}

// Nonce returns the nonce the server currently demands.
func (d *DPoP) Nonce() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.nonce
}

// RotateNonce makes the server demand a new nonce, as servers do
// periodically.
func (d *DPoP) RotateNonce() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.nonce = randToken("nonce")
}

// DPoPError is a refused proof: the RFC 6749 error code (invalid_dpop_proof
// or use_dpop_nonce) and why.
type DPoPError struct {
	Code, Description string
}

var dpopAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA}

// Check verifies the DPoP header of r (RFC 9449 §4.3): exactly one proof,
// typ dpop+jwt, an asymmetric alg, a public jwk that verifies it, htm and
// htu matching the request, iat within MaxAge, a jti never seen before,
// the current nonce when RequireNonce is set, and ath matching
// accessToken when one is presented. It returns the key's RFC 7638
// thumbprint (the jkt a token is bound to).
func (d *DPoP) Check(r *http.Request, accessToken string) (jkt string, e *DPoPError) {
	proofs := r.Header.Values("DPoP")
	switch {
	case len(proofs) == 0:
		return "", &DPoPError{"invalid_dpop_proof", "DPoP proof is missing"}
	case len(proofs) > 1:
		return "", &DPoPError{"invalid_dpop_proof", "more than one DPoP header"}
	}
	jws, err := jose.ParseSignedCompact(proofs[0], dpopAlgs)
	if err != nil || len(jws.Signatures) != 1 {
		return "", &DPoPError{"invalid_dpop_proof", "the DPoP proof is not a signed JWT with an asymmetric algorithm"}
	}
	h := jws.Signatures[0].Protected
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != "dpop+jwt" {
		return "", &DPoPError{"invalid_dpop_proof", "typ is not dpop+jwt"}
	}
	if h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() || !h.JSONWebKey.Valid() {
		return "", &DPoPError{"invalid_dpop_proof", "the jwk header is missing or holds a private key"}
	}
	payload, err := jws.Verify(h.JSONWebKey)
	if err != nil {
		return "", &DPoPError{"invalid_dpop_proof", "the DPoP proof signature does not verify"}
	}
	var c struct {
		JTI   string `json:"jti"`
		HTM   string `json:"htm"`
		HTU   string `json:"htu"`
		IAT   int64  `json:"iat"`
		ATH   string `json:"ath"`
		Nonce string `json:"nonce"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		return "", &DPoPError{"invalid_dpop_proof", "the DPoP proof claims are not a JSON object"}
	}
	now := d.now()
	// The request may arrive at a server (r.Host, r.TLS) or at an httpmock
	// responder (r.URL carries scheme and host); accept both.
	scheme, host := "http", r.Host
	if r.TLS != nil || r.URL.Scheme == "https" {
		scheme = "https"
	}
	if host == "" {
		host = r.URL.Host
	}
	wantHTU := scheme + "://" + host + r.URL.Path
	switch {
	case c.JTI == "":
		return "", &DPoPError{"invalid_dpop_proof", "jti is missing"}
	case c.HTM != r.Method:
		return "", &DPoPError{"invalid_dpop_proof", "htm does not match the request method"}
	case !strings.EqualFold(strings.TrimSuffix(c.HTU, "/"), strings.TrimSuffix(wantHTU, "/")) || strings.ContainsAny(c.HTU, "?#"):
		return "", &DPoPError{"invalid_dpop_proof", "htu does not match the request URL"}
	case c.IAT == 0 || now.Sub(time.Unix(c.IAT, 0)) > d.MaxAge || time.Unix(c.IAT, 0).Sub(now) > d.MaxAge:
		return "", &DPoPError{"invalid_dpop_proof", "iat is missing or outside the accepted window"}
	}
	if accessToken != "" {
		sum := sha256.Sum256([]byte(accessToken))
		if c.ATH != base64.RawURLEncoding.EncodeToString(sum[:]) {
			return "", &DPoPError{"invalid_dpop_proof", "ath is missing or does not match the access token"}
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.RequireNonce && c.Nonce != d.nonce {
		return "", &DPoPError{"use_dpop_nonce", "Authorization server requires nonce in DPoP proof"}
	}
	for j, exp := range d.seen {
		if now.After(exp) {
			delete(d.seen, j)
		}
	}
	if _, replayed := d.seen[c.JTI]; replayed {
		return "", &DPoPError{"invalid_dpop_proof", "the DPoP proof was already used (jti replayed)"}
	}
	d.seen[c.JTI] = now.Add(2 * d.MaxAge)
	tp, err := h.JSONWebKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return "", &DPoPError{"invalid_dpop_proof", "the jwk has no thumbprint"}
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// WriteAS answers a refused proof as an authorization server does (RFC 9449
// §8): 400 with the error, and DPoP-Nonce when a nonce is demanded.
func (d *DPoP) WriteAS(w http.ResponseWriter, e *DPoPError) {
	w.Header().Set("DPoP-Nonce", d.Nonce())
	(&OAuthError{Status: http.StatusBadRequest, Code: e.Code, Description: e.Description}).Write(w)
}

// WriteRS answers a refused proof as a resource server does (RFC 9449 §9):
// 401 with WWW-Authenticate: DPoP error=…, and DPoP-Nonce.
func (d *DPoP) WriteRS(w http.ResponseWriter, e *DPoPError) {
	w.Header().Set("DPoP-Nonce", d.Nonce())
	w.Header().Set("WWW-Authenticate", `DPoP error="`+e.Code+`", error_description="`+e.Description+`", algs="ES256 RS256 PS256 EdDSA"`)
	w.WriteHeader(http.StatusUnauthorized)
}
