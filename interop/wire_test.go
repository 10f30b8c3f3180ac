package interop

import (
	"bytes"
	"crypto"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
)

// wireRecorder is an http.RoundTripper that records what the SDK sends and
// what the server answers, for the DPoP tests to check the exchange itself.
// It decodes (and verifies) DPoP proofs; it keeps no token, secret or proof.
type wireRecorder struct {
	base http.RoundTripper

	mu        sync.Mutex
	exchanges []exchange
}

// exchange is one HTTP attempt as the wire saw it.
type exchange struct {
	Method string
	URL    string // scheme, host and path
	// Proof is the decoded DPoP header, nil when none was sent.
	Proof *dpopProof
	// ProofErr says why the DPoP header could not be decoded or verified.
	ProofErr string
	Status   int
	// Error is the OAuth error code of the answer's body, if any.
	Error string
	// DPoPNonce is the DPoP-Nonce header of the answer.
	DPoPNonce string
}

// dpopProof is what a DPoP proof (RFC 9449 §4.2) says, its signature
// verified with the public key it carries.
type dpopProof struct {
	Typ string
	Alg string
	// JKT is the RFC 7638 SHA-256 thumbprint of the header's jwk.
	JKT   string
	JTI   string `json:"jti"`
	HTM   string `json:"htm"`
	HTU   string `json:"htu"`
	IAT   int64  `json:"iat"`
	ATH   string `json:"ath"`
	Nonce string `json:"nonce"`
}

func newWireRecorder() *wireRecorder { return &wireRecorder{base: http.DefaultTransport} }

// client is an *http.Client for revoke.WithHTTPClient that records through w.
func (w *wireRecorder) client() *http.Client {
	return &http.Client{Transport: w, Timeout: 20 * time.Second}
}

func (w *wireRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	ex := exchange{Method: req.Method, URL: req.URL.Scheme + "://" + req.URL.Host + req.URL.Path}
	if h := req.Header.Get("DPoP"); h != "" {
		p, err := decodeProof(h)
		if err != nil {
			ex.ProofErr = err.Error()
		}
		ex.Proof = p
	}
	resp, err := w.base.RoundTrip(req)
	if err != nil {
		w.add(ex)
		return nil, err
	}
	ex.Status = resp.StatusCode
	ex.DPoPNonce = resp.Header.Get("DPoP-Nonce")
	if resp.StatusCode >= 400 {
		body, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if rerr != nil {
			w.add(ex)
			return nil, rerr
		}
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil {
			ex.Error = e.Error
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	w.add(ex)
	return resp, nil
}

func (w *wireRecorder) add(ex exchange) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.exchanges = append(w.exchanges, ex)
}

// take returns, and forgets, the exchanges recorded so far.
func (w *wireRecorder) take() []exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.exchanges
	w.exchanges = nil
	return out
}

// decodeProof parses a DPoP proof and verifies its signature with the jwk
// of its header, as a server does first (RFC 9449 §4.3).
func decodeProof(compact string) (*dpopProof, error) {
	jws, err := jose.ParseSigned(compact)
	if err != nil {
		return nil, fmt.Errorf("not a JWS: %v", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%d signatures, want 1", len(jws.Signatures))
	}
	h := jws.Signatures[0].Protected
	if h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() {
		return nil, fmt.Errorf("the header has no public jwk")
	}
	payload, err := jws.Verify(h.JSONWebKey)
	if err != nil {
		return nil, fmt.Errorf("the signature does not verify with the header's jwk: %v", err)
	}
	var p dpopProof
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("claims are not JSON: %v", err)
	}
	p.Alg = h.Algorithm
	if typ, ok := h.ExtraHeaders[jose.HeaderType].(string); ok {
		p.Typ = typ
	}
	tp, err := h.JSONWebKey.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	p.JKT = base64.RawURLEncoding.EncodeToString(tp)
	return &p, nil
}

// logExchanges writes the exchanges to the test log: methods, URLs, proof
// claims other than jti, statuses, error codes and whether a nonce came.
func logExchanges(t *testing.T, exs []exchange) {
	t.Helper()
	for i, ex := range exs {
		proof := "no DPoP proof"
		if ex.Proof != nil {
			p := ex.Proof
			nonce := "no nonce"
			if p.Nonce != "" {
				nonce = "nonce " + short(p.Nonce)
			}
			proof = fmt.Sprintf("DPoP proof typ=%s alg=%s jkt=%s htm=%s htu=%s %s", p.Typ, p.Alg, short(p.JKT), p.HTM, p.HTU, nonce)
		}
		if ex.ProofErr != "" {
			proof = "undecodable DPoP proof: " + ex.ProofErr
		}
		answer := fmt.Sprintf("HTTP %d", ex.Status)
		if ex.Error != "" {
			answer += " error=" + ex.Error
		}
		if ex.DPoPNonce != "" {
			answer += " DPoP-Nonce " + short(ex.DPoPNonce)
		}
		t.Logf("wire %d: %s %s, %s -> %s", i+1, ex.Method, ex.URL, proof, answer)
	}
}

// short abbreviates a nonce or thumbprint for the log.
func short(s string) string {
	if len(s) <= 10 {
		return s
	}
	return s[:8] + "…"
}
