package logout

// The test kit: keys, a JWKS server standing in for the identity provider,
// token signing with go-jose, handler construction and request helpers.

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	testIssuer   = "https://idp.example.com"
	otherIssuer  = "https://other-idp.example.com"
	testAudience = "https://app.example.com/logout/gtr"
	testClientID = "s6BhdRkqt3"
)

// testKey is a signing key with its JWS algorithm and kid ("" omits the
// kid from both the JWKS entry and the token header).
type testKey struct {
	kid  string
	alg  jose.SignatureAlgorithm
	priv any
}

func (k testKey) withKID(kid string) testKey { k.kid = kid; return k }

func (k testKey) public() any {
	switch p := k.priv.(type) {
	case *rsa.PrivateKey:
		return &p.PublicKey
	case *ecdsa.PrivateKey:
		return &p.PublicKey
	case ed25519.PrivateKey:
		return p.Public()
	}
	panic("unknown key type")
}

// kitKeys are the test keys. rsa2 is never published by default: it
// signs forgeries and plays the rotated-in key.
type kitKeys struct {
	rsa1, rsa2, rsa3, ps, rsaSmall, es256, es384, es512, ed testKey
}

var (
	kitOnce sync.Once
	kit     kitKeys
)

// keys returns the kit's keys, generated once per test binary (RSA key
// generation is slow).
func keys(t testing.TB) *kitKeys {
	t.Helper()
	kitOnce.Do(func() {
		mustRSA := func(bits int) *rsa.PrivateKey {
			k, err := rsa.GenerateKey(rand.Reader, bits)
			if err != nil {
				panic(err)
			}
			return k
		}
		mustEC := func(c elliptic.Curve) *ecdsa.PrivateKey {
			k, err := ecdsa.GenerateKey(c, rand.Reader)
			if err != nil {
				panic(err)
			}
			return k
		}
		_, ed, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			panic(err)
		}
		kit.rsa1 = testKey{"rsa1", jose.RS256, mustRSA(2048)}
		kit.rsa2 = testKey{"rsa2", jose.RS256, mustRSA(2048)}
		kit.rsa3 = testKey{"rsa3", jose.RS512, mustRSA(2048)}
		kit.ps = testKey{"ps1", jose.PS256, mustRSA(2048)}
		kit.rsaSmall = testKey{"small", jose.RS256, mustRSA(1024)}
		kit.es256 = testKey{"ec256", jose.ES256, mustEC(elliptic.P256())}
		kit.es384 = testKey{"ec384", jose.ES384, mustEC(elliptic.P384())}
		kit.es512 = testKey{"ec512", jose.ES512, mustEC(elliptic.P521())}
		kit.ed = testKey{"ed1", jose.EdDSA, ed}
	})
	return &kit
}

// jwksOf renders the public halves of ks as a JWK Set document.
func jwksOf(t testing.TB, ks ...testKey) []byte {
	t.Helper()
	set := jose.JSONWebKeySet{}
	for _, k := range ks {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.public(), KeyID: k.kid, Use: "sig"})
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sign signs claims with k; extra header parameters (typ) are added.
func sign(t testing.TB, k testKey, claims map[string]any, extra map[jose.HeaderKey]any) string {
	t.Helper()
	opts := &jose.SignerOptions{}
	for h, v := range extra {
		opts.WithHeader(h, v)
	}
	jwk := jose.JSONWebKey{Key: k.priv, KeyID: k.kid}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: jwk}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// signHMAC signs claims with HS256 using secret: the algorithm-confusion
// attack, when secret is the issuer's public key.
func signHMAC(t testing.TB, secret []byte, kid string, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: secret}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// unsigned builds an alg "none" token.
func unsigned(t testing.TB, kid string, claims map[string]any) string {
	t.Helper()
	h, _ := json.Marshal(map[string]any{"alg": "none", "kid": kid, "typ": "JWT"})
	p, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "."
}

// rsaPublicPEM and rsaPublicDER are what an attacker can get of the key.
func rsaPublicPEM(t testing.TB, k testKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rsaPublicDER(t, k)})
}

func rsaPublicDER(t testing.TB, k testKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.public())
	if err != nil {
		t.Fatal(err)
	}
	return der
}

var jtiSeq atomic.Int64

func newJTI() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b) + "-" + strconv.FormatInt(jtiSeq.Add(1), 10)
}

// gtrClaims are valid claims for a Global Token Revocation assertion.
func gtrClaims(now time.Time) map[string]any {
	return map[string]any{
		"iss": testIssuer,
		"sub": "okta-universal-logout",
		"aud": testAudience,
		"iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(),
		"jti": newJTI(),
	}
}

// bclClaims are valid claims for a logout token.
func bclClaims(now time.Time) map[string]any {
	return map[string]any{
		"iss":    testIssuer,
		"sub":    "248289761001",
		"sid":    "08a5019c-17e1-4977-8f42-65a12843ea02",
		"aud":    testClientID,
		"iat":    now.Unix(),
		"exp":    now.Add(2 * time.Minute).Unix(),
		"jti":    newJTI(),
		"events": map[string]any{BackChannelLogoutEvent: map[string]any{}},
	}
}

// with returns a copy of m with the given members set (nil deletes).
func with(m map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
		} else {
			out[k] = kv[i+1]
		}
	}
	return out
}

// recorder is a callback that records its events and answers ret.
type recorder struct {
	mu     sync.Mutex
	events []Event
	ret    func(ctx context.Context, e Event) error
}

func (r *recorder) callback(ctx context.Context, e Event) error {
	r.mu.Lock()
	r.events = append(r.events, e)
	ret := r.ret
	r.mu.Unlock()
	if ret != nil {
		return ret(ctx, e)
	}
	return nil
}

func (r *recorder) calls() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// logBuffer collects log records (JSON) for secrecy checks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// staticConfig is a Config whose issuer keys are given statically.
func staticConfig(t testing.TB, aud string, rec *recorder, logs *logBuffer, ks ...testKey) Config {
	return Config{
		Issuers:  []Issuer{{Issuer: testIssuer, JWKS: jwksOf(t, ks...)}},
		Audience: aud,
		Callback: rec.callback,
		Logger:   logs.logger(),
	}
}

// allKeys are the keys the default test issuer publishes.
func allKeys(t testing.TB) []testKey {
	k := keys(t)
	return []testKey{k.rsa1, k.rsa3, k.ps, k.es256, k.es384, k.es512, k.ed}
}

func newGTR(t testing.TB, mutate func(*Config)) (*GlobalTokenRevocationHandler, *recorder, *logBuffer) {
	t.Helper()
	rec, logs := &recorder{}, &logBuffer{}
	cfg := staticConfig(t, testAudience, rec, logs, allKeys(t)...)
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := NewGlobalTokenRevocationHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, rec, logs
}

func newBCL(t testing.TB, mutate func(*Config)) (*BackChannelLogoutHandler, *recorder, *logBuffer) {
	t.Helper()
	rec, logs := &recorder{}, &logBuffer{}
	cfg := staticConfig(t, testClientID, rec, logs, allKeys(t)...)
	if mutate != nil {
		mutate(&cfg)
	}
	h, err := NewBackChannelLogoutHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, rec, logs
}

// gtrRequest is a Global Token Revocation request with token and body.
func gtrRequest(token, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, testAudience, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	return r
}

const emailBody = `{"sub_id":{"format":"email","email":"user@example.com"}}`

// bclRequest is a Back-Channel Logout request carrying token.
func bclRequest(token string) *http.Request {
	form := url.Values{"logout_token": {token}}.Encode()
	r := httptest.NewRequest(http.MethodPost, "https://app.example.com/logout/bcl", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// idp serves a JWKS that the test can change, counting fetches.
type idp struct {
	srv     *httptest.Server
	fetches atomic.Int32
	mu      sync.Mutex
	doc     []byte
	// serve, when set, answers instead of the JWKS.
	serve func(w http.ResponseWriter, r *http.Request)
}

func newIDP(t testing.TB, ks ...testKey) *idp {
	t.Helper()
	p := &idp{doc: jwksOf(t, ks...)}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		p.mu.Lock()
		doc, custom := p.doc, p.serve
		p.mu.Unlock()
		if custom != nil {
			custom(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(doc)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func (p *idp) url() string { return p.srv.URL + "/jwks" }

func (p *idp) publish(t testing.TB, ks ...testKey) {
	doc := jwksOf(t, ks...)
	p.mu.Lock()
	p.doc = doc
	p.mu.Unlock()
}

func (p *idp) answer(f func(w http.ResponseWriter, r *http.Request)) {
	p.mu.Lock()
	p.serve = f
	p.mu.Unlock()
}

// fakeClock is a settable clock for the refresh interval.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
