package oktaadmin

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

// proofClaims is a DPoP proof as a server reads it.
type proofClaims struct {
	Typ, Alg, JKT string
	JTI, HTM, HTU string
	IAT           int64
	ATH, Nonce    string
}

// readProof verifies a DPoP proof with its own jwk and returns its header
// and claims.
func readProof(t *testing.T, proof string) proofClaims {
	t.Helper()
	jws, err := jose.ParseSignedCompact(proof, []jose.SignatureAlgorithm{jose.ES256, jose.RS256, jose.PS256, jose.EdDSA})
	if err != nil {
		t.Fatalf("proof is not a JWS: %v", err)
	}
	h := jws.Signatures[0].Protected
	if h.JSONWebKey == nil || !h.JSONWebKey.IsPublic() {
		t.Fatal("proof has no public jwk")
	}
	payload, err := jws.Verify(h.JSONWebKey)
	if err != nil {
		t.Fatalf("proof does not verify with its jwk: %v", err)
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
		t.Fatal(err)
	}
	tp, _ := h.JSONWebKey.Thumbprint(crypto.SHA256)
	typ, _ := h.ExtraHeaders[jose.HeaderType].(string)
	return proofClaims{Typ: typ, Alg: h.Algorithm, JKT: base64.RawURLEncoding.EncodeToString(tp),
		JTI: c.JTI, HTM: c.HTM, HTU: c.HTU, IAT: c.IAT, ATH: c.ATH, Nonce: c.Nonce}
}

func ath(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// dpopOrg is a fake org with a DPoP service app (as Okta creates them), user
// 00u1 with a refresh token at client 0oa1 and a session, and an Admin
// built on a ServiceAppSource.
type dpopOrg struct {
	emu   *oktatest.Admin
	src   *ServiceAppSource
	admin *Admin
	key   *ecdsa.PrivateKey
	logs  *bytes.Buffer
}

func newDPoPOrg(t *testing.T, cfg ServiceAppConfig, opts ...revoke.Option) *dpopOrg {
	t.Helper()
	key := testkit.ECKey(t)
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web")
	emu.IssueRefreshToken("00u1", "0oa1")
	emu.AddSession("00u1")
	emu.AddServiceApp("0oaService", key.Public(), "okta.users.read", "okta.users.manage", "okta.sessions.manage", "okta.universalLogout.manage")
	var logs bytes.Buffer
	opts = append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}),
		revoke.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))}, opts...)
	cfg.Domain, cfg.ClientID, cfg.Key, cfg.KeyID = "dev-1234.okta.com", "0oaService", key, "k1"
	if cfg.Scopes == nil {
		cfg.Scopes = []string{"okta.users.read", "okta.users.manage"}
	}
	src, err := ServiceAppTokenSource(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Domain: testDomain, TokenSource: src}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return &dpopOrg{emu: emu, src: src, admin: a, key: key, logs: &logs}
}

// TestDPoPServiceAppEndToEnd: the token request carries a proof from the
// first attempt, meets Okta's use_dpop_nonce, and gets a DPoP-bound token;
// every management call presents it as Authorization: DPoP with a fresh
// proof bound to it (ath), signed by the same key. A refreshed token reuses
// the nonce; a rotated nonce is learned again.
func TestDPoPServiceAppEndToEnd(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{})
	now := time.Now()
	o.src.cache.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := o.admin.ListUserClients(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.admin.RevokeUserClientTokens(ctx, "00u1", "0oa1"); err != nil {
		t.Fatal(err)
	}
	tok, err := o.src.Token()
	if err != nil || tok.Type() != "DPoP" || tok.Extra("dpop_jkt") != o.src.DPoPThumbprint() {
		t.Fatalf("token %v type %q jkt %v, err %v", tok != nil, tok.Type(), tok.Extra("dpop_jkt"), err)
	}
	now = now.Add(2 * time.Hour) // the token expired: fetch again, with the nonce known
	if _, err := o.admin.ClearUserSessions(ctx, "00u1", SessionOptions{OAuthTokens: true}); err != nil {
		t.Fatal(err)
	}
	o.emu.RotateDPoPNonce()
	now = now.Add(2 * time.Hour)
	if _, err := o.admin.RevokeUserGrants(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}

	type want struct {
		path   string
		status int
		nonce  bool // the proof carries the token endpoint's nonce
	}
	wants := []want{
		{"/oauth2/v1/token", 400, false}, // use_dpop_nonce
		{"/oauth2/v1/token", 200, true},
		{"/api/v1/users/00u1/clients", 200, false},
		{"/api/v1/users/00u1/clients/0oa1/tokens", 204, false},
		{"/oauth2/v1/token", 200, true}, // refresh: the nonce is remembered
		{"/api/v1/users/00u1/sessions", 204, false},
		{"/oauth2/v1/token", 400, true}, // a stale nonce after rotation
		{"/oauth2/v1/token", 200, true},
		{"/api/v1/users/00u1/grants", 204, false},
	}
	reqs := o.emu.Requests()
	if len(reqs) != len(wants) {
		t.Fatalf("%d requests, want %d: %v", len(reqs), len(wants), reqs)
	}
	var token string
	for i, r := range reqs {
		w := wants[i]
		if r.Path != w.path || r.Status != w.status {
			t.Errorf("request %d: %s %d, want %s %d", i, r.Path, r.Status, w.path, w.status)
		}
		proofs := r.Header.Values("DPoP")
		if len(proofs) != 1 {
			t.Fatalf("request %d carries %d DPoP headers", i, len(proofs))
		}
		p := readProof(t, proofs[0])
		if p.Typ != "dpop+jwt" || p.Alg != "ES256" || p.JKT != o.src.DPoPThumbprint() || p.HTM != r.Method || p.HTU != testDomain+r.Path || p.JTI == "" || time.Since(time.Unix(p.IAT, 0)) > time.Minute {
			t.Errorf("request %d proof %+v", i, p)
		}
		if (p.Nonce != "") != w.nonce {
			t.Errorf("request %d proof nonce %q, want one: %v", i, p.Nonce, w.nonce)
		}
		if r.Path == "/oauth2/v1/token" {
			if p.ATH != "" || r.Header.Get("Authorization") != "" || r.Form.Get("client_assertion") == "" {
				t.Errorf("token request %d: ath %q, Authorization %q", i, p.ATH, r.Header.Get("Authorization"))
			}
			continue
		}
		scheme, at, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if scheme != "DPoP" || !strings.HasPrefix(at, "oat_") || p.ATH != ath(at) {
			t.Errorf("management request %d: Authorization %s, ath %q", i, scheme, p.ATH)
		}
		if i == 2 {
			token = at
		}
		if i == 3 && at != token {
			t.Error("the cached token was not reused")
		}
		if i == 5 && at == token {
			t.Error("the expired token was used")
		}
	}
	assertNoSecrets(t, o, nil)
}

// assertNoSecrets checks that no proof, access token or assertion the fake
// received appears in the logs, in err or in the printed source and Admin.
func assertNoSecrets(t *testing.T, o *dpopOrg, err error) {
	t.Helper()
	var secrets []string
	for _, r := range o.emu.Requests() {
		secrets = append(secrets, r.Header.Get("DPoP"), r.Form.Get("client_assertion"))
		if _, at, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
			secrets = append(secrets, at)
		}
	}
	if tok, e := o.src.Token(); e == nil {
		secrets = append(secrets, tok.AccessToken)
	}
	text := o.logs.String() + testkit.PrintAll(o.src) + testkit.PrintAll(o.admin) + testkit.PrintAll(*o.src)
	if err != nil {
		text += err.Error() + fmt.Sprintf("%+v %#v", err, err)
	}
	testkit.NoLeak(t, "logs, prints and errors", text, secrets...)
	testkit.NoLeak(t, "the private keys", text, o.key.D.String())
}

// TestDPoPProofsFreshAndAlwaysPresent: over token requests, a nonce
// handshake, retries after 503 and concurrent management calls, no request
// goes without a proof and no proof is sent twice.
func TestDPoPProofsFreshAndAlwaysPresent(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{}, testkit.FastRetry())
	ctx := context.Background()
	o.emu.FailNext(1, revoketest.ServiceUnavailable(0)) // the first token request
	if _, err := o.admin.ListUserClients(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	o.emu.FailNext(2, revoketest.ServiceUnavailable(0)) // a management call, twice
	if _, err := o.admin.RevokeUserGrants(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := o.admin.ListUserClients(ctx, "00u1"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	reqs := o.emu.Requests()
	if len(reqs) < 1+2+1+3+8 {
		t.Fatalf("only %d requests", len(reqs))
	}
	for i, r := range reqs {
		proofs := r.Header.Values("DPoP")
		if len(proofs) != 1 || proofs[0] == "" {
			t.Fatalf("request %d (%s %s) carries %d proofs", i, r.Method, r.Path, len(proofs))
		}
		if j, dup := seen[proofs[0]]; dup {
			t.Errorf("request %d reuses the proof of request %d", i, j)
		}
		seen[proofs[0]] = i
		if p := readProof(t, proofs[0]); seen[p.JTI] != 0 {
			t.Errorf("request %d reuses a jti", i)
		} else {
			seen[p.JTI] = i + 1
		}
	}
	assertNoSecrets(t, o, nil)
}

// TestDPoPAppWithoutRequirement: an app whose "Require DPoP" is off ignores
// the proof and issues a Bearer token, which the Admin presents as Bearer,
// without a proof.
func TestDPoPAppWithoutRequirement(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{})
	o.emu.SetServiceAppDPoP("0oaService", false)
	if _, err := o.admin.ListUserClients(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	reqs := o.emu.Requests()
	if len(reqs) != 2 || reqs[0].Header.Get("DPoP") == "" || reqs[0].Status != 200 {
		t.Fatalf("requests %v", reqs)
	}
	if got := reqs[1].Header.Get("Authorization"); !strings.HasPrefix(got, "Bearer oat_") || reqs[1].Header.Get("DPoP") != "" {
		t.Errorf("management call: Authorization %.12q, DPoP %q", got, reqs[1].Header.Get("DPoP"))
	}
	if tok, _ := o.src.Token(); tok.Type() != "Bearer" {
		t.Errorf("token type %q", tok.Type())
	}
}

// TestDPoPDisabled: DisableDPoP sends no proof and gets a Bearer token from
// an app without DPoP; against an app that requires DPoP, the error names
// the field to clear.
func TestDPoPDisabled(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{DisableDPoP: true})
	o.emu.SetServiceAppDPoP("0oaService", false)
	if o.src.DPoPThumbprint() != "" {
		t.Error("a thumbprint without DPoP")
	}
	if _, err := o.admin.ListUserClients(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	for _, r := range o.emu.Requests() {
		if r.Header.Get("DPoP") != "" {
			t.Errorf("%s carries a proof", r.Path)
		}
	}
	o = newDPoPOrg(t, ServiceAppConfig{DisableDPoP: true})
	_, err := o.admin.ListUserClients(context.Background(), "00u1")
	var re *revoke.Error
	if !errors.As(err, &re) || re.StatusCode != 400 || re.Code != "invalid_dpop_proof" || !strings.Contains(re.Description, oktatest.DescDPoPMissing) ||
		!strings.Contains(re.Description, "DisableDPoP false") {
		t.Errorf("err = %v", err)
	}
	if len(o.emu.Requests()) != 1 {
		t.Errorf("%d requests: the management API was called without a token", len(o.emu.Requests()))
	}
}

// TestDPoPKeys: DPoPKey signs the proofs (an RSA key: RS256); the same key
// as Key, DPoPKey with DisableDPoP, and keys that cannot sign are refused;
// each source without DPoPKey has its own ephemeral key.
func TestDPoPKeys(t *testing.T) {
	rsaKey := testkit.RSAKey(t)
	o := newDPoPOrg(t, ServiceAppConfig{DPoPKey: rsaKey})
	if _, err := o.admin.ListUserClients(context.Background(), "00u1"); err != nil {
		t.Fatal(err)
	}
	for _, r := range o.emu.Requests() {
		if p := readProof(t, r.Header.Get("DPoP")); p.Alg != "RS256" || p.JKT != o.src.DPoPThumbprint() {
			t.Errorf("%s: proof alg %s jkt %s", r.Path, p.Alg, p.JKT)
		}
	}
	testkit.NoLeak(t, "printed source", testkit.PrintAll(o.src)+testkit.PrintAll(ServiceAppConfig{DPoPKey: rsaKey}), rsaKey.D.String())

	key := testkit.ECKey(t)
	base := ServiceAppConfig{Domain: testDomain, ClientID: "0oa1", Key: key, Scopes: []string{"okta.users.read"}}
	a, _ := ServiceAppTokenSource(base)
	b, _ := ServiceAppTokenSource(base)
	if a.DPoPThumbprint() == "" || a.DPoPThumbprint() == b.DPoPThumbprint() {
		t.Errorf("ephemeral keys: %q and %q", a.DPoPThumbprint(), b.DPoPThumbprint())
	}
	for name, cfg := range map[string]ServiceAppConfig{
		"same key as Key":         {DPoPKey: testkit.Signer{K: key}},
		"DPoPKey and DisableDPoP": {DPoPKey: testkit.ECKey(t), DisableDPoP: true},
		"zero key":                {DPoPKey: &ecdsa.PrivateKey{}},
		"typed-nil key":           {DPoPKey: (*ecdsa.PrivateKey)(nil)},
	} {
		cfg.Domain, cfg.ClientID, cfg.Key, cfg.Scopes = testDomain, "0oa1", key, []string{"okta.users.read"}
		_, err := ServiceAppTokenSource(cfg)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != "oktaadmin.ServiceAppConfig.DPoPKey" {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestDPoPTokenFromAnotherSource: a TokenSource that is not a
// ServiceAppSource (or wraps one) and returns a DPoP token gets an error
// that says what to do; nothing is sent.
func TestDPoPTokenFromAnotherSource(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{})
	for name, ts := range map[string]oauth2.TokenSource{
		"wrapped ServiceAppSource": oauth2.ReuseTokenSource(nil, o.src),
		"static DPoP token":        oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "oat_static-token-value-0123", TokenType: "DPoP"}),
	} {
		mt := httpmock.NewMockTransport()
		a, err := New(Config{Domain: testDomain, TokenSource: ts}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.ListUserClients(context.Background(), "00u1")
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != "oktaadmin.Config.TokenSource" || !strings.Contains(ce.Problem, "*oktaadmin.ServiceAppSource from ServiceAppTokenSource itself") {
			t.Errorf("%s: err = %v", name, err)
		}
		if mt.GetTotalCallCount() != 0 {
			t.Errorf("%s: %d management requests sent", name, mt.GetTotalCallCount())
		}
	}
}

// TestDPoPChallengeInError: a management API refusal explained only in
// WWW-Authenticate (RFC 9449 §7.1) becomes the error's code and
// description, scrubbed of the proof and token even when echoed.
func TestDPoPChallengeInError(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{})
	ctx := context.Background()
	if _, err := o.admin.ListUserClients(ctx, "00u1"); err != nil {
		t.Fatal(err)
	}
	tok, _ := o.src.Token()
	// An answer that echoes the proof it refuses.
	echo := func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(401, "")
		resp.Header.Set("WWW-Authenticate", `DPoP error="invalid_dpop_proof", error_description="bad proof `+r.Header.Get("DPoP")+` for `+tok.AccessToken+`"`)
		return resp, nil
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(echo)
	a, err := New(Config{Domain: testDomain, TokenSource: o.src}, revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.RevokeUserGrants(ctx, "00u1")
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) || re.Code != "invalid_dpop_proof" || !strings.HasPrefix(re.Description, "bad proof ") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "eyJ") || strings.Contains(err.Error(), tok.AccessToken) {
		t.Errorf("the error repeats the proof or token: %v", err)
	}
}

// TestDPoPErrorsCarryNoSecret: failures at the token endpoint and at the
// management API, logged at debug level and printed every way, show no
// proof, assertion, token or key.
func TestDPoPErrorsCarryNoSecret(t *testing.T) {
	o := newDPoPOrg(t, ServiceAppConfig{})
	ctx := context.Background()
	// The app has no okta.sessions.manage scope here: 403.
	_, err := o.admin.CloseSession(ctx, o.emu.SessionIDs("00u1")[0])
	if !errors.Is(err, revoke.ErrForbidden) {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, o, err)

	// A scope the app was not granted: the token endpoint refuses.
	o = newDPoPOrg(t, ServiceAppConfig{Scopes: []string{"okta.apps.manage"}})
	_, err = o.admin.ListUserClients(ctx, "00u1")
	var re *revoke.Error
	if !errors.As(err, &re) || re.Code != "invalid_scope" {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, o, err)
	if !strings.Contains(o.logs.String(), "okta service app token") {
		t.Errorf("the token requests were not logged: %s", o.logs.String())
	}
}
