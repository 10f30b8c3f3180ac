package revoketest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// TestDPoPRefusals: the checker refuses each way a proof can be wrong, as
// a strict server does.
func TestDPoPRefusals(t *testing.T) {
	key := testkit.ECKey(t)
	other := testkit.ECKey(t)
	const at = "at-0123456789abcdef"
	sum := sha256.Sum256([]byte(at))
	ath := base64.RawURLEncoding.EncodeToString(sum[:])
	d := revoketest.NewDPoP()
	n := 0
	proof := func(mut func(h map[jose.HeaderKey]any, c map[string]any)) string {
		n++
		h := map[jose.HeaderKey]any{"typ": "dpop+jwt", "jwk": jose.JSONWebKey{Key: key.Public()}}
		c := map[string]any{"jti": fmt.Sprint("j", n), "htm": "POST", "htu": "http://example.com/revoke", "iat": time.Now().Unix(), "nonce": d.Nonce(), "ath": ath}
		signKey := any(key)
		if mut != nil {
			mut(h, c)
			if _, ok := c["other-key"]; ok {
				signKey = other
				delete(c, "other-key")
			}
		}
		opts := &jose.SignerOptions{ExtraHeaders: h}
		s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: signKey}, opts)
		if err != nil {
			t.Fatal(err)
		}
		payload, _ := jsonMarshal(c)
		jws, err := s.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := jws.CompactSerialize()
		return out
	}
	req := func(p string) *http.Request {
		r := httptest.NewRequest("POST", "http://example.com/revoke?x=1", nil)
		if p != "" {
			r.Header.Set("DPoP", p)
		}
		return r
	}
	valid := proof(nil)
	if _, e := d.Check(req(valid), at); e != nil {
		t.Fatalf("a valid proof was refused: %+v", e)
	}
	tests := []struct {
		name  string
		proof string
		code  string
	}{
		{"missing", "", "invalid_dpop_proof"},
		{"replayed jti", valid, "invalid_dpop_proof"},
		{"wrong typ", proof(func(h map[jose.HeaderKey]any, _ map[string]any) { h["typ"] = "JWT" }), "invalid_dpop_proof"},
		{"signed by another key than the jwk", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["other-key"] = true }), "invalid_dpop_proof"},
		{"wrong htm", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["htm"] = "GET" }), "invalid_dpop_proof"},
		{"wrong htu", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["htu"] = "http://example.com/other" }), "invalid_dpop_proof"},
		{"htu with a query", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["htu"] = "http://example.com/revoke?x=1" }), "invalid_dpop_proof"},
		{"stale iat", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["iat"] = time.Now().Add(-time.Hour).Unix() }), "invalid_dpop_proof"},
		{"iat in the future", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() }), "invalid_dpop_proof"},
		{"missing ath", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { delete(c, "ath") }), "invalid_dpop_proof"},
		{"wrong ath", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["ath"] = "x" }), "invalid_dpop_proof"},
		{"missing nonce", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { delete(c, "nonce") }), "use_dpop_nonce"},
		{"old nonce", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { c["nonce"] = "stale" }), "use_dpop_nonce"},
		{"missing jti", proof(func(_ map[jose.HeaderKey]any, c map[string]any) { delete(c, "jti") }), "invalid_dpop_proof"},
		{"not a JWT", "abc.def.ghi", "invalid_dpop_proof"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, e := d.Check(req(tc.proof), at)
			if e == nil || e.Code != tc.code {
				t.Errorf("Check = %+v, want %s", e, tc.code)
			}
		})
	}
	// The answers carry the nonce, in the authorization server's and the
	// resource server's way.
	w := httptest.NewRecorder()
	d.WriteAS(w, &revoketest.DPoPError{Code: "use_dpop_nonce", Description: "x"})
	if w.Code != 400 || w.Header().Get("DPoP-Nonce") != d.Nonce() {
		t.Errorf("WriteAS: %d %v", w.Code, w.Header())
	}
	w = httptest.NewRecorder()
	d.WriteRS(w, &revoketest.DPoPError{Code: "use_dpop_nonce", Description: "x"})
	if w.Code != 401 || w.Header().Get("DPoP-Nonce") == "" || w.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("WriteRS: %d %v", w.Code, w.Header())
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
