// Package testkit is the one set of test helpers every package of this
// module uses: a recording httpmock endpoint, wire assertions, golden files
// (Render, CheckGolden and the -update flag), fast retry policies, Basic
// decoding and secret-leak checks; the checks vendors' tables share (a form
// wire matrix, refusals, misuse, retries and redirects); and helpers for
// the tests of the vendors' fakes. It is imported by tests only.
package testkit

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
)

// Values shared by tests. Secret holds every character RFC 6749 §2.3.1
// form-encoding changes; Token and APIToken are long enough to be scrubbed.
const (
	Token    = "tok-3f9a.SECRET-value-0001"
	Secret   = "p@ss:w+rd%/= x"
	APIToken = "00api-token-SECRET-0123456789"
	// HMACSecret is long enough for HS256.
	HMACSecret = "a-32-byte-long-shared-secret-val"
)

// FastRetry is a retry policy with millisecond waits, for tests that
// exercise retries without sleeping.
func FastRetry() revoke.Option {
	return revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxWait: 50 * time.Millisecond})
}

// Seen is one request as it arrived at an Endpoint.
type Seen struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// Form parses the body as a form; it fails the test if it is not one.
func (s Seen) Form(t testing.TB) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(s.Body))
	if err != nil {
		t.Fatalf("body %q is not form-encoded: %v", s.Body, err)
	}
	return v
}

// JSON decodes the body into a map; it fails the test if it is not a JSON
// object.
func (s Seen) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(s.Body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", s.Body, err)
	}
	return m
}

// Answer is a canned response.
type Answer struct {
	Status int
	Header http.Header
	Body   string
}

// JSONAnswer is an answer with a JSON content type.
func JSONAnswer(status int, body string) Answer {
	return Answer{Status: status, Body: body, Header: http.Header{"Content-Type": {"application/json"}}}
}

// Endpoint is a recording httpmock transport: every request to any URL is
// recorded and answered with the next Answer (the last one repeats).
type Endpoint struct {
	MT      *httpmock.MockTransport
	mu      sync.Mutex
	seen    []Seen
	answers []Answer
}

// NewEndpoint returns an Endpoint answering with answers (200 with an
// empty body when none is given).
func NewEndpoint(answers ...Answer) *Endpoint {
	if len(answers) == 0 {
		answers = []Answer{{Status: 200}}
	}
	e := &Endpoint{MT: httpmock.NewMockTransport(), answers: answers}
	e.MT.RegisterNoResponder(e.respond)
	return e
}

func (e *Endpoint) respond(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	e.mu.Lock()
	e.seen = append(e.seen, Seen{Method: r.Method, URL: r.URL, Header: r.Header.Clone(), Body: body})
	a := e.answers[0]
	if len(e.answers) > 1 {
		e.answers = e.answers[1:]
	}
	e.mu.Unlock()
	resp := httpmock.NewStringResponse(a.Status, a.Body)
	for k, v := range a.Header {
		resp.Header[k] = v
	}
	resp.Request = r
	return resp, nil
}

// Client is an *http.Client sending through the endpoint.
func (e *Endpoint) Client() *http.Client { return &http.Client{Transport: e.MT} }

// Options are the options that point an adapter at the endpoint with fast
// retries, followed by more.
func (e *Endpoint) Options(more ...revoke.Option) []revoke.Option {
	return append([]revoke.Option{revoke.WithHTTPClient(e.Client()), FastRetry()}, more...)
}

// Requests returns every request recorded, oldest first.
func (e *Endpoint) Requests() []Seen {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Seen(nil), e.seen...)
}

// Only returns the single request recorded; it fails the test otherwise.
func (e *Endpoint) Only(t testing.TB) Seen {
	t.Helper()
	reqs := e.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests recorded, want 1", len(reqs))
	}
	return reqs[0]
}

// Basic builds the value of a Basic Authorization header for id and secret
// as given (no encoding).
func Basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// DecodeBasic splits a Basic Authorization header into its two raw parts;
// ok is false when it is not one.
func DecodeBasic(h string) (id, secret string, ok bool) {
	const prefix = "Basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h[len(prefix):])
	if err != nil {
		return "", "", false
	}
	id, secret, ok = strings.Cut(string(raw), ":")
	return id, secret, ok
}

// Want compares got with want and reports a mismatch naming what.
func Want[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// Header asserts the value of one header.
func Header(t testing.TB, h http.Header, key, want string) {
	t.Helper()
	if got := h.Get(key); got != want {
		t.Errorf("header %s = %q, want %q", key, got, want)
	}
}

// Golden reads testdata/<name>, relative to the test's package directory.
func Golden(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("golden file: %v", err)
	}
	return string(b)
}

// PrintAll renders v with every verb a careless caller might use, as JSON
// and through slog's JSON and text handlers.
func PrintAll(v any) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v|%+v|%#v|%s|%q|%x|%X", v, v, v, v, v, v, v)
	js, _ := json.Marshal(v)
	b.Write(js)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
	b.Write(buf.Bytes())
	return b.String()
}

// NoLeak fails the test when text contains any of secrets, raw or in the
// hexadecimal form %x would print.
func NoLeak(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, form := range []string{s, fmt.Sprintf("%x", s), fmt.Sprintf("%X", s)} {
			if strings.Contains(text, form) {
				t.Errorf("%s leaks a secret (%d bytes): %.300s", what, len(s), text)
				break
			}
		}
	}
}

// ECKey returns a fresh P-256 key.
func ECKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// RSAKey returns a 2048-bit RSA key, generated once per test binary.
func RSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

// Signer hides a key's concrete type, as a KMS or HSM key would.
type Signer struct{ K crypto.Signer }

// Public implements crypto.Signer.
func (s Signer) Public() crypto.PublicKey { return s.K.Public() }

// Sign implements crypto.Signer.
func (s Signer) Sign(r io.Reader, d []byte, o crypto.SignerOpts) ([]byte, error) {
	return s.K.Sign(r, d, o)
}

// Certificate returns a fresh self-signed client certificate with its key,
// for mutual TLS (RFC 8705).
func Certificate(t testing.TB) tls.Certificate {
	t.Helper()
	key := ECKey(t)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "revoke-test-client"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// CertificateAuthority returns a fresh self-signed certificate authority
// named name, with its key, for tests of tls_client_auth (RFC 8705 §2.1):
// issue client certificates with IssueCertificate and trust it with an
// x509.CertPool.
func CertificateAuthority(t testing.TB, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key := ECKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return ca, key
}

// IssueCertificate returns a client certificate with a fresh P-256 key for
// tmpl's subject and SANs (Subject, DNSNames, URIs, IPAddresses,
// EmailAddresses), signed by ca with caKey, or self-signed when ca is nil.
// Unset fields of tmpl get defaults: a serial number, validity from an
// hour ago to an hour from now, digital signature and client-auth key
// usage. The chain holds the leaf only, and Leaf is set.
func IssueCertificate(t testing.TB, tmpl x509.Certificate, ca *x509.Certificate, caKey crypto.Signer) tls.Certificate {
	t.Helper()
	key := ECKey(t)
	if tmpl.SerialNumber == nil {
		tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = time.Now().Add(-time.Hour)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = time.Now().Add(time.Hour)
	}
	if tmpl.KeyUsage == 0 {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	}
	if tmpl.ExtKeyUsage == nil {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	parent, signer := ca, caKey
	if ca == nil {
		parent, signer = &tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

// PrintsNoSecret prints each value every way PrintAll does and fails the
// test when a printing shows one of secrets or panicked.
func PrintsNoSecret(t testing.TB, values map[string]any, secrets ...string) {
	t.Helper()
	for name, v := range values {
		out := PrintAll(v)
		NoLeak(t, name, out, secrets...)
		if strings.Contains(out, "PANIC") || strings.Contains(out, "panicked") {
			t.Errorf("%s: printing panicked: %s", name, out)
		}
	}
}

// Echo is a client whose server answers every request with answer(r,
// body), body being what the request carried: a server that repeats the
// credentials and the token it received, to show that an adapter never
// passes on what a server echoes.
func Echo(answer func(r *http.Request, body string) Answer) *http.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		a := answer(r, string(body))
		resp := httpmock.NewStringResponse(a.Status, a.Body)
		for k, vs := range a.Header {
			for _, v := range vs {
				resp.Header.Add(k, v)
			}
		}
		resp.Request = r
		return resp, nil
	})
	return &http.Client{Transport: mt}
}

// Logs captures what a debug-level JSON logger writes, to show that no
// secret is logged.
type Logs struct{ bytes.Buffer }

// Logger is a debug-level JSON logger writing to l.
func (l *Logs) Logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Check fails the test when the logs show one of secrets, or hold no
// record of the kit sending a request: logs that were never written show
// nothing.
func (l *Logs) Check(t testing.TB, secrets ...string) {
	t.Helper()
	NoLeak(t, "logs", l.String(), secrets...)
	if !strings.Contains(l.String(), "revoke: sending request") {
		t.Errorf("the kit logged no request: %s", l.String())
	}
}

// Must returns v, and panics when err is not nil.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// ForeignAuth is a revoke.ClientAuth the revoke package did not build (the
// interface is sealed, so it wraps one). Wrapping nil, its methods panic,
// so an adapter must never call them.
type ForeignAuth struct{ revoke.ClientAuth }
