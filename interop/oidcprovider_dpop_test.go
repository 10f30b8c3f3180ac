package interop

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// DPoP clients registered in oidc-provider/server.mjs.
const (
	opDPoPPublicClient       = "dpop-public-client"       // none
	opDPoPConfidentialClient = "dpop-confidential-client" // client_secret_basic
	opDPoPConfidentialSecret = "dpop-confidential-secret"
)

// oidc-provider's answers in the DPoP nonce handshake (RFC 9449 §8).
const (
	opNonceRequired = "use_dpop_nonce: nonce is required in the DPoP proof"
	opWrongDPoPKey  = "DPoP proof key does not match the key the token is bound to"
)

// newDPoPKey generates a P-256 key, the usual DPoP key (ES256).
func newDPoPKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generating a DPoP key: %v", err)
	}
	return k
}

// jwkThumbprint is the RFC 7638 SHA-256 thumbprint of key's public key,
// computed with go-jose (not the SDK): the "jkt" a server binds tokens to
// (RFC 9449 §6).
func jwkThumbprint(t *testing.T, key crypto.Signer) string {
	t.Helper()
	tp, err := (&jose.JSONWebKey{Key: key.Public()}).Thumbprint(crypto.SHA256)
	if err != nil {
		t.Fatalf("computing the JWK thumbprint: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp)
}

// wantDPoPBound checks through introspection that token is active and
// bound to jkt (cnf.jkt, RFC 9449 §6.2).
func wantDPoPBound(ctx context.Context, t *testing.T, p *peer, what, token, jkt string) {
	t.Helper()
	in := opIntrospect(ctx, t, p, token)
	if !in.Active {
		t.Fatalf("%s is not active before revocation", what)
	}
	if got := in.Cnf["jkt"]; got != jkt {
		t.Fatalf("%s: introspection says cnf.jkt=%q, want the key's thumbprint %q", what, got, jkt)
	}
}

// revocationExchanges are the exchanges with the revocation endpoint; the
// others (discovery) are logged.
func revocationExchanges(t *testing.T, exs []exchange, endpoint string) []exchange {
	t.Helper()
	var out []exchange
	for _, ex := range exs {
		if ex.URL == endpoint {
			out = append(out, ex)
		} else if ex.Proof != nil {
			t.Logf("note: the SDK also sent a DPoP proof (htm=%s htu=%s) with %s %s", ex.Proof.HTM, ex.Proof.HTU, ex.Method, ex.URL)
		}
	}
	return out
}

// wantProof checks one DPoP proof as RFC 9449 §4.2 and §4.3 describe it,
// for a POST to endpoint with key jkt and nonce (none when "").
func wantProof(t *testing.T, what string, ex exchange, endpoint, jkt, nonce string) {
	t.Helper()
	if ex.ProofErr != "" {
		t.Fatalf("%s: the DPoP header does not verify: %s", what, ex.ProofErr)
	}
	p := ex.Proof
	if p == nil {
		t.Fatalf("%s carried no DPoP header", what)
	}
	if p.Typ != "dpop+jwt" || p.Alg != "ES256" {
		t.Errorf("%s: proof typ=%q alg=%q, want dpop+jwt ES256", what, p.Typ, p.Alg)
	}
	if p.JKT != jkt {
		t.Errorf("%s: proof key thumbprint %q, want %q", what, p.JKT, jkt)
	}
	if p.HTM != http.MethodPost || p.HTU != endpoint {
		t.Errorf("%s: proof htm=%q htu=%q, want POST %q", what, p.HTM, p.HTU, endpoint)
	}
	if p.JTI == "" || p.ATH != "" {
		t.Errorf("%s: proof jti=%q ath=%q, want a jti and no ath (no access token is presented)", what, p.JTI, p.ATH)
	}
	if d := time.Since(time.Unix(p.IAT, 0)); d < -time.Minute || d > time.Minute {
		t.Errorf("%s: proof iat is %v away from now", what, d)
	}
	if p.Nonce != nonce {
		t.Errorf("%s: proof nonce %q, want %q", what, p.Nonce, nonce)
	}
}

// TestOIDCProviderDPoP revokes DPoP-bound refresh and access tokens with
// generic.Discover and revoke.WithDPoP. oidc-provider requires a nonce in
// every proof, so the first attempt is answered 400 use_dpop_nonce with a
// DPoP-Nonce header and the SDK's second attempt carries it; oidc-provider's
// own validator then accepts the proof (see server.mjs revocationPolicy).
func TestOIDCProviderDPoP(t *testing.T) {
	p := oidcProvider(t)
	key := newDPoPKey(t)
	jkt := jwkThumbprint(t, key)

	for _, tc := range []struct {
		name, clientID string
		auth           revoke.ClientAuth
	}{
		{"public client", opDPoPPublicClient, revoke.PublicClient(opDPoPPublicClient)},
		{"confidential client", opDPoPConfidentialClient, revoke.ClientSecretBasic(opDPoPConfidentialClient, opDPoPConfidentialSecret)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			first := opIssueBound(ctx, t, p, tc.clientID, "jkt", jkt)
			second := opIssueBound(ctx, t, p, tc.clientID, "jkt", jkt)
			if first.TokenType != "DPoP" {
				t.Errorf("token_type %q, want DPoP", first.TokenType)
			}
			wantDPoPBound(ctx, t, p, "refresh token", first.RefreshToken, jkt)
			wantDPoPBound(ctx, t, p, "access token", first.AccessToken, jkt)
			wantDPoPBound(ctx, t, p, "second access token", second.AccessToken, jkt)
			opTakeRevocationErrors(ctx, t, p)
			opTakeRevocationRequests(ctx, t, p)

			wire := newWireRecorder()
			r, err := generic.Discover(ctx, p.issuer, tc.auth, revoke.WithDPoP(key),
				revoke.WithHTTPClient(wire.client()), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.Discover: %v", err)
			}
			if r.Endpoint() != p.revocationURL {
				t.Errorf("discovered endpoint %q, want %q", r.Endpoint(), p.revocationURL)
			}

			// First call: the nonce handshake.
			res, err := r.Revoke(ctx, revoke.Request{Token: first.RefreshToken, Hint: revoke.HintRefreshToken})
			wantRevoked(t, "DPoP-bound refresh token", res, err)
			if res.Attempts != 2 {
				t.Errorf("Attempts = %d, want 2 (use_dpop_nonce, then the proof with the nonce)", res.Attempts)
			}
			exs := wire.take()
			logExchanges(t, exs)
			rev := revocationExchanges(t, exs, p.revocationURL)
			if len(rev) != 2 {
				t.Fatalf("%d requests reached the revocation endpoint, want 2", len(rev))
			}
			wantProof(t, "attempt 1", rev[0], p.revocationURL, jkt, "")
			if rev[0].Status != http.StatusBadRequest || rev[0].Error != "use_dpop_nonce" || rev[0].DPoPNonce == "" {
				t.Fatalf("attempt 1 answered HTTP %d error=%q with DPoP-Nonce %t, want 400 use_dpop_nonce with a nonce",
					rev[0].Status, rev[0].Error, rev[0].DPoPNonce != "")
			}
			nonce := rev[0].DPoPNonce
			wantProof(t, "attempt 2", rev[1], p.revocationURL, jkt, nonce)
			if rev[0].Proof != nil && rev[1].Proof != nil && rev[0].Proof.JTI == rev[1].Proof.JTI {
				t.Error("both attempts' proofs have the same jti")
			}
			if rev[1].Status != http.StatusOK {
				t.Errorf("attempt 2 answered HTTP %d %s, want 200", rev[1].Status, rev[1].Error)
			}

			// What oidc-provider itself saw.
			if got := opTakeRevocationErrors(ctx, t, p); len(got) != 1 || got[0] != opNonceRequired {
				t.Errorf("oidc-provider's refusals %q, want exactly [%q]", got, opNonceRequired)
			}
			seen := opTakeRevocationRequests(ctx, t, p)
			if len(seen) != 2 {
				t.Fatalf("oidc-provider saw %d revocation requests, want 2: %+v", len(seen), seen)
			}
			if s := seen[0]; s.Status != 400 || s.Error != "use_dpop_nonce" || !s.DPoPHeader || s.DPoP != nil {
				t.Errorf("oidc-provider's view of attempt 1: %+v, want 400 use_dpop_nonce with a proof it did not accept", s)
			}
			s := seen[1]
			if s.Status != 200 || s.ClientID != tc.clientID || s.DPoP == nil {
				t.Fatalf("oidc-provider's view of attempt 2: %+v, want 200 for %s with an accepted proof", s, tc.clientID)
			}
			if !s.DPoP.Accepted || !s.DPoP.Nonce || s.DPoP.JKT != jkt || s.DPoP.TokenJKT != jkt ||
				s.DPoP.HTM != http.MethodPost || s.DPoP.HTU != p.revocationURL {
				t.Errorf("oidc-provider accepted the proof %+v, want one with a nonce, jkt %s = the token's, htm POST, htu %s", *s.DPoP, jkt, p.revocationURL)
			}
			t.Logf("oidc-provider validated attempt 2's proof: jkt=%s (= token cnf.jkt), nonce it issued, htu=%s", short(s.DPoP.JKT), s.DPoP.HTU)

			p.wantActive(ctx, t, "refresh token after revocation", first.RefreshToken, false)
			p.wantActive(ctx, t, "access token of the same grant after revocation", first.AccessToken, false)

			// Second call on the same Revoker: the nonce is remembered, so
			// one attempt suffices.
			res, err = r.Revoke(ctx, revoke.Request{Token: second.AccessToken, Hint: revoke.HintAccessToken})
			wantRevoked(t, "second DPoP-bound access token", res, err)
			exs = wire.take()
			logExchanges(t, exs)
			rev = revocationExchanges(t, exs, p.revocationURL)
			if res.Attempts != 1 || len(rev) != 1 {
				t.Fatalf("the second call took %d attempts (%d on the wire), want 1: the nonce should be remembered", res.Attempts, len(rev))
			}
			if rev[0].Proof == nil || rev[0].Proof.Nonce == "" {
				t.Errorf("the second call's proof carries no nonce")
			}
			if got := opTakeRevocationErrors(ctx, t, p); len(got) != 0 {
				t.Errorf("oidc-provider refused %q on the second call, want nothing", got)
			}
			if seen := opTakeRevocationRequests(ctx, t, p); len(seen) != 1 || seen[0].DPoP == nil || !seen[0].DPoP.Accepted || !seen[0].DPoP.Nonce {
				t.Errorf("oidc-provider's view of the second call: %+v, want one request with an accepted proof and nonce", seen)
			}
			p.wantActive(ctx, t, "second access token after revocation", second.AccessToken, false)
			p.wantActive(ctx, t, "second refresh token after revocation", second.RefreshToken, false)
		})
	}
}

// TestOIDCProviderDPoPWithoutProof records what oidc-provider does when a
// DPoP-bound refresh token of a public client (RFC 9449 §5) is revoked
// without any proof: its revocation endpoint does not require proof of
// possession, so it answers 200 and the token ends.
func TestOIDCProviderDPoPWithoutProof(t *testing.T) {
	p := oidcProvider(t)
	ctx := testContext(t, time.Minute)
	key := newDPoPKey(t)
	jkt := jwkThumbprint(t, key)
	pair := opIssueBound(ctx, t, p, opDPoPPublicClient, "jkt", jkt)
	wantDPoPBound(ctx, t, p, "refresh token", pair.RefreshToken, jkt)
	opTakeRevocationErrors(ctx, t, p)
	opTakeRevocationRequests(ctx, t, p)

	wire := newWireRecorder()
	r, err := generic.Discover(ctx, p.issuer, revoke.PublicClient(opDPoPPublicClient),
		revoke.WithHTTPClient(wire.client()), revoke.WithoutRetry())
	if err != nil {
		t.Fatalf("generic.Discover: %v", err)
	}
	res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
	wantRevoked(t, "DPoP-bound refresh token without a proof", res, err)
	exs := wire.take()
	logExchanges(t, exs)
	for _, ex := range exs {
		if ex.Proof != nil || ex.ProofErr != "" {
			t.Errorf("%s %s carried a DPoP header without WithDPoP", ex.Method, ex.URL)
		}
	}
	if res.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1", res.Attempts)
	}
	if seen := opTakeRevocationRequests(ctx, t, p); len(seen) != 1 || seen[0].Status != 200 || seen[0].DPoPHeader {
		t.Errorf("oidc-provider's view: %+v, want one 200 without a DPoP header", seen)
	}
	p.wantActive(ctx, t, "refresh token after revocation without a proof", pair.RefreshToken, false)
	p.wantActive(ctx, t, "access token of the same grant", pair.AccessToken, false)
}

// TestOIDCProviderDPoPWrongKey revokes a DPoP-bound token with a proof by
// another key. After the nonce handshake oidc-provider's validator accepts
// the proof itself, and server.mjs's policy refuses the key: 400
// invalid_dpop_proof, which the SDK classifies as ErrInvalidClient (RFC
// 9449 §5: the proof of possession failed, as a client authentication
// does). The token stays active. This shows that the positive
// test's binding check is live.
func TestOIDCProviderDPoPWrongKey(t *testing.T) {
	p := oidcProvider(t)
	ctx := testContext(t, time.Minute)
	jkt := jwkThumbprint(t, newDPoPKey(t))
	pair := opIssueBound(ctx, t, p, opDPoPPublicClient, "jkt", jkt)
	wantDPoPBound(ctx, t, p, "refresh token", pair.RefreshToken, jkt)
	opTakeRevocationErrors(ctx, t, p)
	opTakeRevocationRequests(ctx, t, p)

	other := newDPoPKey(t)
	r, err := generic.Discover(ctx, p.issuer, revoke.PublicClient(opDPoPPublicClient), revoke.WithDPoP(other), revoke.WithoutRetry())
	if err != nil {
		t.Fatalf("generic.Discover: %v", err)
	}
	res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
	if res != nil {
		t.Errorf("failed revocation returned a result: %+v", res)
	}
	e := wantError(t, err, revoke.ErrInvalidClient, http.StatusBadRequest, "invalid_dpop_proof", opWrongDPoPKey)
	if e.Attempts != 2 {
		t.Errorf("Attempts = %d, want 2 (use_dpop_nonce, then the refused proof)", e.Attempts)
	}
	if strings.Contains(err.Error(), pair.RefreshToken) {
		t.Error("the error message contains the token")
	}
	want := []string{opNonceRequired, "invalid_dpop_proof: " + opWrongDPoPKey}
	if got := opTakeRevocationErrors(ctx, t, p); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("oidc-provider's refusals %q, want %q", got, want)
	}
	seen := opTakeRevocationRequests(ctx, t, p)
	if len(seen) != 2 || seen[1].DPoP == nil || seen[1].DPoP.Accepted || seen[1].DPoP.JKT != jwkThumbprint(t, other) || !seen[1].DPoP.Nonce {
		t.Errorf("oidc-provider's view: %+v, want the second proof valid (nonce, key %s) but refused for its key", seen, jwkThumbprint(t, other))
	}
	p.wantActive(ctx, t, "refresh token after the refused revocation", pair.RefreshToken, true)
}
