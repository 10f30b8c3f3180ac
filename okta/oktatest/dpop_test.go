package oktatest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/logout"
	"github.com/revokekit/revoke/okta/oktatest"
)

const (
	org      = "https://org.example.com"
	tokenURL = org + "/oauth2/v1/token"
	appID    = "0oaService"
)

var jtiSeq int

// jws signs claims with key, with extra header fields.
func jws(t *testing.T, key *ecdsa.PrivateKey, header map[jose.HeaderKey]any, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, &jose.SignerOptions{ExtraHeaders: header})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	sig, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := sig.CompactSerialize()
	return out
}

func nextJTI() string { jtiSeq++; return fmt.Sprint("jti-", jtiSeq) }

// proof makes a DPoP proof for method and htu; mut changes its claims.
func proof(t *testing.T, key *ecdsa.PrivateKey, method, htu string, mut func(c map[string]any)) string {
	t.Helper()
	c := map[string]any{"jti": nextJTI(), "htm": method, "htu": htu, "iat": time.Now().Unix()}
	if mut != nil {
		mut(c)
	}
	return jws(t, key, map[jose.HeaderKey]any{"typ": "dpop+jwt", "jwk": jose.JSONWebKey{Key: key.Public()}}, c)
}

func ath(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// dpopFixture is an org fake with a service app that requires DPoP (as
// Okta's new service apps do), user 00u1 and client 0oa1.
type dpopFixture struct {
	o         *oktatest.Admin
	clientKey *ecdsa.PrivateKey // the app's registered key
	dpopKey   *ecdsa.PrivateKey
}

func newDPoPFixture(t *testing.T) *dpopFixture {
	o, _ := adminFixture()
	o.Now = nil // proofs carry the real time
	f := &dpopFixture{o: o, clientKey: testkit.ECKey(t), dpopKey: testkit.ECKey(t)}
	o.AddServiceApp(appID, f.clientKey.Public(), "okta.users.read", "okta.users.manage", "okta.universalLogout.manage")
	return f
}

// tokenRequest posts a client credentials request with a fresh assertion
// and the given DPoP header ("" for none).
func (f *dpopFixture) tokenRequest(t *testing.T, dpop string) *httptest.ResponseRecorder {
	t.Helper()
	now := time.Now()
	assertion := jws(t, f.clientKey, nil, map[string]any{"iss": appID, "sub": appID, "aud": tokenURL, "jti": nextJTI(), "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()})
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"okta.users.read okta.users.manage okta.universalLogout.manage"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}}
	r := httptest.NewRequest("POST", tokenURL, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if dpop != "" {
		r.Header.Set("DPoP", dpop)
	}
	w := httptest.NewRecorder()
	f.o.ServeHTTP(w, r)
	return w
}

// boundToken gets a DPoP-bound token through the nonce handshake.
func (f *dpopFixture) boundToken(t *testing.T) string {
	t.Helper()
	w := f.tokenRequest(t, proof(t, f.dpopKey, "POST", tokenURL, func(c map[string]any) { c["nonce"] = f.o.DPoPNonce() }))
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 200 || body.TokenType != "DPoP" {
		t.Fatalf("token: %d %s", w.Code, w.Body)
	}
	return body.AccessToken
}

// TestDPoPTokenEndpointRefusals: the token endpoint of an app that requires
// DPoP refuses each bad proof with Okta's 400.
func TestDPoPTokenEndpointRefusals(t *testing.T) {
	f := newDPoPFixture(t)
	nonce := func(c map[string]any) { c["nonce"] = f.o.DPoPNonce() }
	replayed := proof(t, f.dpopKey, "POST", tokenURL, nonce)
	if w := f.tokenRequest(t, replayed); w.Code != 200 {
		t.Fatalf("a good proof: %d %s", w.Code, w.Body)
	}
	for _, tc := range []struct {
		name, proof, code, desc string
	}{
		{"no proof", "", "invalid_dpop_proof", oktatest.DescDPoPMissing},
		{"wrong htu", proof(t, f.dpopKey, "POST", org+"/oauth2/default/v1/token", nonce), "invalid_dpop_proof", oktatest.DescDPoPHTU},
		{"htu with a query", proof(t, f.dpopKey, "POST", tokenURL+"?x=1", nonce), "invalid_dpop_proof", oktatest.DescDPoPHTU},
		{"wrong htm", proof(t, f.dpopKey, "GET", tokenURL, nonce), "invalid_dpop_proof", "htm does not match the request method"},
		{"stale iat", proof(t, f.dpopKey, "POST", tokenURL, func(c map[string]any) { nonce(c); c["iat"] = time.Now().Add(-10 * time.Minute).Unix() }), "invalid_dpop_proof", "iat is missing or outside the accepted window"},
		{"iat in the future", proof(t, f.dpopKey, "POST", tokenURL, func(c map[string]any) { nonce(c); c["iat"] = time.Now().Add(10 * time.Minute).Unix() }), "invalid_dpop_proof", "iat is missing or outside the accepted window"},
		{"replayed jti", replayed, "invalid_dpop_proof", "the DPoP proof was already used (jti replayed)"},
		{"no nonce", proof(t, f.dpopKey, "POST", tokenURL, nil), "use_dpop_nonce", oktatest.DescDPoPNonce},
		{"stale nonce", proof(t, f.dpopKey, "POST", tokenURL, func(c map[string]any) { c["nonce"] = "an-old-nonce" }), "use_dpop_nonce", oktatest.DescDPoPNonce},
		{"not typed dpop+jwt", jws(t, f.dpopKey, map[jose.HeaderKey]any{"jwk": jose.JSONWebKey{Key: f.dpopKey.Public()}},
			map[string]any{"jti": nextJTI(), "htm": "POST", "htu": tokenURL, "iat": time.Now().Unix(), "nonce": f.o.DPoPNonce()}), "invalid_dpop_proof", "typ is not dpop+jwt"},
		{"signed by another key than its jwk", jws(t, testkit.ECKey(t), map[jose.HeaderKey]any{"typ": "dpop+jwt", "jwk": jose.JSONWebKey{Key: f.dpopKey.Public()}},
			map[string]any{"jti": nextJTI(), "htm": "POST", "htu": tokenURL, "iat": time.Now().Unix(), "nonce": f.o.DPoPNonce()}), "invalid_dpop_proof", "the DPoP proof signature does not verify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.tokenRequest(t, tc.proof)
			var e struct {
				Error       string `json:"error"`
				Description string `json:"error_description"`
			}
			_ = json.Unmarshal(w.Body.Bytes(), &e)
			if w.Code != 400 || e.Error != tc.code || e.Description != tc.desc {
				t.Errorf("%d %s, want 400 %s %q", w.Code, w.Body, tc.code, tc.desc)
			}
			if tc.code == "use_dpop_nonce" && w.Header().Get("DPoP-Nonce") != f.o.DPoPNonce() {
				t.Errorf("DPoP-Nonce %q", w.Header().Get("DPoP-Nonce"))
			}
		})
	}
	// After a rotation, the old nonce is asked to be replaced.
	old := f.o.DPoPNonce()
	f.o.RotateDPoPNonce()
	if w := f.tokenRequest(t, proof(t, f.dpopKey, "POST", tokenURL, func(c map[string]any) { c["nonce"] = old })); w.Code != 400 || w.Header().Get("DPoP-Nonce") == old {
		t.Errorf("old nonce after rotation: %d, new nonce %q", w.Code, w.Header().Get("DPoP-Nonce"))
	}
}

// TestDPoPManagementAPIRefusals: a DPoP-bound token works only as
// Authorization: DPoP with a fresh proof by the bound key carrying its
// hash; every other presentation is a 401 DPoP challenge without a body.
func TestDPoPManagementAPIRefusals(t *testing.T) {
	f := newDPoPFixture(t)
	tok := f.boundToken(t)
	const path = "/api/v1/users/00u1/clients"
	htu := org + path
	good := func(c map[string]any) { c["ath"] = ath(tok) }
	replayed := proof(t, f.dpopKey, "GET", htu, good)
	send := func(authz, dpop string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", htu, nil)
		r.Header.Set("Authorization", authz)
		if dpop != "" {
			r.Header.Set("DPoP", dpop)
		}
		w := httptest.NewRecorder()
		f.o.ServeHTTP(w, r)
		return w
	}
	if w := send("DPoP "+tok, replayed); w.Code != 200 {
		t.Fatalf("a good proof: %d %s %s", w.Code, w.Header().Get("WWW-Authenticate"), w.Body)
	}
	for _, tc := range []struct {
		name, authz, proof, code, desc string
	}{
		{"bearer presentation", "Bearer " + tok, "", "invalid_token", oktatest.DescDPoPBound},
		{"bearer presentation with a proof", "Bearer " + tok, proof(t, f.dpopKey, "GET", htu, good), "invalid_token", oktatest.DescDPoPBound},
		{"no proof", "DPoP " + tok, "", "invalid_dpop_proof", oktatest.DescDPoPMissing},
		{"missing ath", "DPoP " + tok, proof(t, f.dpopKey, "GET", htu, nil), "invalid_dpop_proof", "ath is missing or does not match the access token"},
		{"ath of another token", "DPoP " + tok, proof(t, f.dpopKey, "GET", htu, func(c map[string]any) { c["ath"] = ath("other") }), "invalid_dpop_proof", "ath is missing or does not match the access token"},
		{"wrong key", "DPoP " + tok, proof(t, testkit.ECKey(t), "GET", htu, good), "invalid_dpop_proof", oktatest.DescDPoPKey},
		{"replayed proof", "DPoP " + tok, replayed, "invalid_dpop_proof", "the DPoP proof was already used (jti replayed)"},
		{"wrong htu", "DPoP " + tok, proof(t, f.dpopKey, "GET", org+"/api/v1/users/00u2/clients", good), "invalid_dpop_proof", oktatest.DescDPoPHTU},
		{"wrong htm", "DPoP " + tok, proof(t, f.dpopKey, "DELETE", htu, good), "invalid_dpop_proof", "htm does not match the request method"},
		{"stale iat", "DPoP " + tok, proof(t, f.dpopKey, "GET", htu, func(c map[string]any) { good(c); c["iat"] = time.Now().Add(-time.Hour).Unix() }), "invalid_dpop_proof", "iat is missing or outside the accepted window"},
		{"unknown token", "DPoP oat_unknown", proof(t, f.dpopKey, "GET", htu, func(c map[string]any) { c["ath"] = ath("oat_unknown") }), "invalid_token", "The access token is invalid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := send(tc.authz, tc.proof)
			want := fmt.Sprintf(`DPoP error=%q, error_description=%q`, tc.code, tc.desc)
			if tc.name == "unknown token" {
				if w.Code != 401 || w.Header().Get("WWW-Authenticate") != want || decodeErr(t, w).ErrorCode != "E0000011" {
					t.Errorf("%d %q %s", w.Code, w.Header().Get("WWW-Authenticate"), w.Body)
				}
				return
			}
			if w.Code != 401 || w.Header().Get("WWW-Authenticate") != want || w.Body.Len() != 0 {
				t.Errorf("%d %q %q, want 401 %q and no body", w.Code, w.Header().Get("WWW-Authenticate"), w.Body, want)
			}
		})
	}
	// A Bearer token of an app without DPoP, presented with the DPoP scheme.
	f.o.SetServiceAppDPoP(appID, false)
	w := f.tokenRequest(t, proof(t, f.dpopKey, "POST", tokenURL, nil)) // the proof is ignored
	var body struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != 200 || body.TokenType != "Bearer" {
		t.Fatalf("app without DPoP: %d %s", w.Code, w.Body)
	}
	if w := send("Bearer "+body.AccessToken, ""); w.Code != 200 {
		t.Errorf("its Bearer token: %d", w.Code)
	}
	if w := send("DPoP "+body.AccessToken, proof(t, f.dpopKey, "GET", htu, func(c map[string]any) { c["ath"] = ath(body.AccessToken) })); w.Code != 401 ||
		!strings.Contains(w.Header().Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("its token as DPoP: %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

// TestOktaAdminUserLevel: users by ID or login, sessions by ID, and Global
// Token Revocation, with state, 404s and rate-limit headers.
func TestOktaAdminUserLevel(t *testing.T) {
	o, _ := adminFixture()
	o.SetUserLogin("00u1", "alice@example.com")
	o.AddUser("00u2")
	o.LinkIdPSubject("00u2", "https://idp.example.com", "bob-at-idp")
	tok1 := o.IssueRefreshToken("00u1", "0oa1")
	tok2 := o.IssueRefreshToken("00u2", "0oa1")
	access := o.Store.IssueAccess("0oa2", "00u1", "") // an access token without a refresh token
	s1, s2 := o.AddSession("00u1"), o.AddSession("00u1")
	s3 := o.AddSession("00u2")
	if got := o.SessionIDs("00u1"); len(got) != 2 || got[0] != s1 || got[1] != s2 || !strings.HasPrefix(s1, "102") {
		t.Fatalf("sessions %v", got)
	}

	for _, tc := range []struct{ target, id string }{{"/api/v1/users/00u1", "00u1"}, {"/api/v1/users/alice@example.com", "00u1"}, {"/api/v1/users/ALICE@example.com", "00u1"}} {
		w := call(o, "GET", tc.target, sswsAuth)
		var u struct {
			ID      string
			Profile struct{ Login string }
		}
		_ = json.Unmarshal(w.Body.Bytes(), &u)
		if w.Code != 200 || u.ID != tc.id || u.Profile.Login != "alice@example.com" || w.Header().Get("X-Rate-Limit-Remaining") == "" {
			t.Errorf("GET %s: %d %s", tc.target, w.Code, w.Body)
		}
	}
	for _, tc := range []struct{ method, target, summary string }{
		{"GET", "/api/v1/users/mallory@example.com", "Not found: Resource not found: mallory@example.com (User)"},
		{"DELETE", "/api/v1/sessions/102nope", "Not found: Resource not found: 102nope (Session)"},
	} {
		if w := call(o, tc.method, tc.target, sswsAuth); w.Code != 404 || decodeErr(t, w).ErrorSummary != tc.summary {
			t.Errorf("%s %s: %d %s", tc.method, tc.target, w.Code, w.Body)
		}
	}

	if w := call(o, "DELETE", "/api/v1/sessions/"+s1, sswsAuth); w.Code != 204 || o.Sessions("00u1") != 1 || !o.Active(tok1.ID) {
		t.Errorf("close session: %d, %d left", w.Code, o.Sessions("00u1"))
	}
	if w := call(o, "DELETE", "/api/v1/sessions/"+s1, sswsAuth); w.Code != 404 {
		t.Errorf("closing it again: %d", w.Code)
	}

	gtr := func(body, authz string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", org+oktatest.GlobalTokenRevocationPath, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", authz)
		w := httptest.NewRecorder()
		o.ServeHTTP(w, r)
		return w
	}
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"email is not taken", `{"sub_id":{"format":"email","email":"alice@example.com"}}`, 400},
		{"no sub_id", `{}`, 400},
		{"not JSON", `sub_id=1`, 400},
		{"opaque without id", `{"sub_id":{"format":"opaque"}}`, 400},
		{"unknown user", `{"sub_id":{"format":"opaque","id":"00uNobody"}}`, 404},
		{"unknown iss_sub", `{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"nobody"}}`, 404},
	} {
		if w := gtr(tc.body, sswsAuth); w.Code != tc.status || (tc.status == 400 && w.Body.Len() != 0) {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
	}
	o.AddBearer("users-admin", "okta.users.manage")
	o.AddBearer("logout-admin", "okta.universalLogout.manage")
	if w := gtr(`{"sub_id":{"format":"opaque","id":"00u1"}}`, "Bearer users-admin"); w.Code != 403 || decodeErr(t, w).ErrorCode != "E0000006" {
		t.Errorf("without okta.universalLogout.manage: %d", w.Code)
	}
	if w := gtr(`{"sub_id":{"format":"opaque","id":"00u1"}}`, "Bearer logout-admin"); w.Code != 204 || w.Header().Get("X-Rate-Limit-Limit") == "" {
		t.Errorf("GTR: %d %v", w.Code, w.Header())
	}
	if o.Sessions("00u1") != 0 || o.Active(tok1.ID) || o.Store.Active(tok1.Pair.AccessToken) || o.Store.Active(access) {
		t.Error("alice keeps a session or a token after GTR")
	}
	if ids := o.SessionIDs("00u2"); len(ids) != 1 || ids[0] != s3 || !o.Active(tok2.ID) {
		t.Error("bob lost something")
	}
	if w := gtr(`{"sub_id":{"format":"iss_sub","iss":"https://idp.example.com","sub":"bob-at-idp"}}`, sswsAuth); w.Code != 204 || o.Sessions("00u2") != 0 || o.Active(tok2.ID) {
		t.Errorf("GTR by iss_sub: %d", w.Code)
	}
	var buckets []string
	for _, r := range o.Requests() {
		buckets = append(buckets, r.Bucket)
	}
	if !strings.Contains(strings.Join(buckets, "|"), "POST "+oktatest.GlobalTokenRevocationPath) || !strings.Contains(strings.Join(buckets, "|"), "DELETE "+oktatest.SessionPath) {
		t.Errorf("buckets %v", buckets)
	}
}

// TestSigner: the Signer's calls pass the logout package's handlers with
// its JWKS, and fail with another key.
func TestSigner(t *testing.T) {
	s := oktatest.NewSigner()
	jwks := httptest.NewServer(s.JWKS())
	defer jwks.Close()
	s.Issuer = "https://dev-1.okta.com"
	var events []logout.Event
	cb := func(_ context.Context, e logout.Event) error { events = append(events, e); return nil }
	issuers := []logout.Issuer{{Issuer: s.Issuer, JWKSURL: jwks.URL}}
	gtr, err := logout.NewGlobalTokenRevocationHandler(logout.Config{Issuers: issuers, Audience: "https://app.example.com/gtr", Callback: cb})
	if err != nil {
		t.Fatal(err)
	}
	bcl, err := logout.NewBackChannelLogoutHandler(logout.Config{Issuers: issuers, Audience: "0oaApp", Callback: cb})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/gtr", gtr)
	mux.Handle("/bcl", bcl)
	app := httptest.NewServer(mux)
	defer app.Close()
	ctx := context.Background()

	req, err := s.UniversalLogoutRequest(ctx, "https://app.example.com/gtr", revoke.EmailSubject("alice@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	req.URL, _ = url.Parse(app.URL + "/gtr") // the app behind a proxy: aud is its public URL
	req.Host = ""
	if st, err := s.Send(req); err != nil || st != 204 {
		t.Fatalf("universal logout: %d %v", st, err)
	}
	if st, _ := s.Send(req); st != 401 {
		t.Errorf("replay: %d", st)
	}
	if st, err := s.BackChannelLogout(ctx, app.URL+"/bcl", "0oaApp", "00u1", "sid-1"); err != nil || st != 200 {
		t.Errorf("back-channel logout: %d %v", st, err)
	}
	other := oktatest.NewSigner()
	other.Issuer = s.Issuer
	if st, _ := other.BackChannelLogout(ctx, app.URL+"/bcl", "0oaApp", "00u1", ""); st != 400 {
		t.Errorf("another key: %d", st)
	}
	if len(events) != 2 || events[0].Subject.Email != "alice@example.com" || events[1].SessionID != "sid-1" || events[1].Subject.Sub != "00u1" {
		t.Errorf("events %+v", events)
	}
	if _, err := s.BackChannelLogout(ctx, app.URL+"/bcl", "", "00u1", ""); err == nil {
		t.Error("a logout token without a client ID")
	}
	if _, err := s.UniversalLogout(ctx, app.URL+"/gtr", revoke.Subject{}); err == nil {
		t.Error("a request without a subject")
	}
	var zero oktatest.Signer
	if _, err := zero.UniversalLogout(ctx, app.URL+"/gtr", revoke.EmailSubject("a@example.com")); err == nil {
		t.Error("a zero Signer signed")
	}
	out := testkit.PrintAll(s) + testkit.PrintAll(*s)
	if strings.Contains(out, "\"d\"") || !strings.Contains(out, "[REDACTED]") || !strings.Contains(out, s.KeyID()) {
		t.Errorf("printed: %s", out)
	}
}
