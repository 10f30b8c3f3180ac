package revoketest_test

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// The reasons Clients.Authenticate gives for a refused certificate
// (oidc-provider's).
const (
	notProvided  = "client certificate was not provided"
	notVerified  = "client certificate was not verified"
	wrongSubject = "certificate subject value does not match the registered one"
	unregistered = "unregistered client certificate provided"
)

// The subject registered for the "pki" client (tls_client_auth,
// tls_client_auth_subject_dn) and the DNS SAN of "pki-dns".
var (
	pkiSubject = pkix.Name{CommonName: "revoke-mtls-client", Organization: []string{"revoke test"}}
	pkiDN      = "CN=revoke-mtls-client,O=revoke test"
	pkiDNS     = "client.revoke.test"
)

// mtlsAS is the emulator served by StartTLS, with its test PKI and the
// certificates of its registered clients.
type mtlsAS struct {
	as        *revoketest.Server
	srv, mtls *httptest.Server
	ca        *x509.Certificate
	caKey     crypto.Signer
	// pki and pkiDNS are issued by ca to the tls_client_auth clients
	// "pki" (subject DN) and "pki-dns" (DNS SAN); self, selfOld and selfB
	// are the self-signed certificates of "self" (both registered: a
	// rotation) and "self-b".
	pki, pkiDNS, self, selfOld, selfB tls.Certificate
}

func newMTLSAS(t *testing.T) *mtlsAS {
	t.Helper()
	m := &mtlsAS{as: revoketest.NewServer()}
	ca, caKey := testkit.CertificateAuthority(t, "revoke test CA")
	m.ca, m.caKey = ca, caKey
	m.pki = testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject}, m.ca, m.caKey)
	m.pkiDNS = testkit.IssueCertificate(t, x509.Certificate{Subject: pkix.Name{CommonName: "revoke-mtls-dns-client"}, DNSNames: []string{pkiDNS}}, m.ca, m.caKey)
	m.self = testkit.Certificate(t)
	m.selfOld = testkit.Certificate(t)
	m.selfB = testkit.Certificate(t)

	pool := x509.NewCertPool()
	pool.AddCert(m.ca)
	m.as.Clients.ClientCAs = pool
	m.as.AddClient(revoketest.Client{ID: "pki", Method: "tls_client_auth", TLSSubjectDN: pkiDN})
	m.as.AddClient(revoketest.Client{ID: "pki-dns", Method: "tls_client_auth", TLSSANDNS: pkiDNS})
	m.as.AddClient(revoketest.Client{ID: "self", Method: "self_signed_tls_client_auth", TLSCertificates: []*x509.Certificate{leaf(t, m.selfOld), leaf(t, m.self)}})
	m.as.AddClient(revoketest.Client{ID: "self-b", Method: "self_signed_tls_client_auth", TLSCertificates: []*x509.Certificate{leaf(t, m.selfB)}})
	m.as.AddClient(revoketest.Client{ID: "secret", Secret: "s3cret-value", Method: "client_secret_basic"})

	m.srv, m.mtls = m.as.StartTLS()
	t.Cleanup(m.srv.Close)
	t.Cleanup(m.mtls.Close)
	return m
}

// leaf is the parsed leaf of c.
func leaf(t testing.TB, c tls.Certificate) *x509.Certificate {
	t.Helper()
	if c.Leaf != nil {
		return c.Leaf
	}
	l, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// last is the last request the emulator logged.
func (m *mtlsAS) last(t *testing.T) revoketest.RecordedRequest {
	t.Helper()
	reqs := m.as.Requests()
	if len(reqs) == 0 {
		t.Fatal("the emulator logged no request")
	}
	return reqs[len(reqs)-1]
}

// TestMTLSRevocation revokes through generic.New with revoke.TLSClientAuth
// and revoke.SelfSignedTLSClientAuth at the emulator's TLS listeners: the
// registered certificates revoke; every other certificate, and none, is
// 401 invalid_client with the reason, logged, and the token stays active.
func TestMTLSRevocation(t *testing.T) {
	m := newMTLSAS(t)
	otherCA, otherKey := testkit.CertificateAuthority(t, "untrusted CA")
	const tlsAuth, selfAuth = revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth

	for _, tc := range []struct {
		name string
		// owner is the client the token is issued to; id the client_id
		// sent, with cert.
		owner, id string
		// method is revoke.MethodTLSClientAuth,
		// revoke.MethodSelfSignedTLSClientAuth or, for no certificate,
		// revoke.MethodNone (revoke.PublicClient).
		method string
		cert   tls.Certificate
		// main sends to the listener that asks for no certificate instead
		// of the mtls_endpoint_aliases one.
		main bool
		// want is the error_description of the refusal; "" is success.
		want string
	}{
		{name: "tls_client_auth, subject DN", owner: "pki", id: "pki", method: tlsAuth, cert: m.pki},
		{name: "tls_client_auth, DNS SAN", owner: "pki-dns", id: "pki-dns", method: tlsAuth, cert: m.pkiDNS},
		{name: "self_signed_tls_client_auth", owner: "self", id: "self", method: selfAuth, cert: m.self},
		{name: "self_signed_tls_client_auth, the other registered certificate", owner: "self", id: "self", method: selfAuth, cert: m.selfOld},

		{name: "no certificate: client_id alone at the alias", owner: "pki", id: "pki", method: revoke.MethodNone, want: notProvided},
		{name: "no certificate: self-signed client's client_id alone at the alias", owner: "self", id: "self", method: revoke.MethodNone, want: notProvided},
		{name: "no certificate: the main listener does not ask for one", owner: "pki", id: "pki", method: tlsAuth, cert: m.pki, main: true, want: notProvided},

		{name: "tls_client_auth, wrong subject", owner: "pki", id: "pki", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkix.Name{CommonName: "someone-else", Organization: []string{"revoke test"}}}, m.ca, m.caKey), want: wrongSubject},
		{name: "tls_client_auth, wrong DNS SAN", owner: "pki-dns", id: "pki-dns", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkix.Name{CommonName: "revoke-mtls-dns-client"}, DNSNames: []string{"other.revoke.test"}}, m.ca, m.caKey), want: wrongSubject},
		{name: "tls_client_auth, the certificate of another client_id", owner: "pki", id: "pki", method: tlsAuth, cert: m.pkiDNS, want: wrongSubject},
		{name: "tls_client_auth, chain not from the CA", owner: "pki", id: "pki", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject}, otherCA, otherKey), want: notVerified},
		{name: "tls_client_auth, self-signed with the registered subject", owner: "pki", id: "pki", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject}, nil, nil), want: notVerified},
		{name: "tls_client_auth, expired", owner: "pki", id: "pki", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject, NotBefore: time.Now().Add(-2 * time.Hour), NotAfter: time.Now().Add(-time.Hour)}, m.ca, m.caKey), want: notVerified},
		{name: "tls_client_auth, not for client authentication", owner: "pki", id: "pki", method: tlsAuth,
			cert: testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}, m.ca, m.caKey), want: notVerified},
		{name: "tls_client_auth, the self-signed client's certificate", owner: "pki", id: "pki", method: selfAuth, cert: m.self, want: notVerified},
		{name: "self_signed_tls_client_auth, wrong certificate", owner: "self", id: "self", method: selfAuth, cert: testkit.Certificate(t), want: unregistered},
		{name: "self_signed_tls_client_auth, the certificate of another client_id", owner: "self", id: "self", method: selfAuth, cert: m.selfB, want: unregistered},
		{name: "self_signed_tls_client_auth, a CA-issued certificate", owner: "self", id: "self", method: selfAuth, cert: m.pki, want: unregistered},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := m.as.Issue(tc.owner, "user").AccessToken
			endpoint := m.mtls.URL + revoketest.RevokePath
			if tc.main {
				endpoint = m.srv.URL + revoketest.RevokePath
			}
			var auth revoke.ClientAuth
			switch tc.method {
			case tlsAuth:
				auth = revoke.TLSClientAuth(tc.id, tc.cert)
			case selfAuth:
				auth = revoke.SelfSignedTLSClientAuth(tc.id, tc.cert)
			default:
				auth = revoke.PublicClient(tc.id)
			}
			r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: auth}, revoke.WithHTTPClient(m.srv.Client()), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.New: %v", err)
			}
			before := m.as.Log.Len()
			_, err = r.Revoke(t.Context(), revoke.Request{Token: token, Hint: revoke.HintAccessToken})
			if n := m.as.Log.Len() - before; n != 1 {
				t.Fatalf("the emulator logged %d requests, want 1", n)
			}
			rec := m.last(t)
			if rec.Path != revoketest.RevokePath || rec.Form.Get("client_id") != tc.id || rec.Form.Has("client_secret") {
				t.Errorf("logged %s with form keys %v, want %s with client_id %q alone", rec.Path, slices.Sorted(maps.Keys(rec.Form)), revoketest.RevokePath, tc.id)
			}
			// The certificate reaches the server only where it is asked
			// for, and is the one the SDK was given.
			if presented := tc.method != revoke.MethodNone && !tc.main; presented {
				if len(rec.PeerCertificates) != 1 || !slices.Equal(rec.PeerCertificates[0].Raw, tc.cert.Certificate[0]) {
					t.Errorf("logged %d certificates, want the one presented", len(rec.PeerCertificates))
				}
			} else if rec.PeerCertificates != nil {
				t.Errorf("logged %d certificates, want none", len(rec.PeerCertificates))
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				testkit.Want(t, "logged status", rec.Status, http.StatusOK)
				if m.as.Active(token) {
					t.Error("the token is still active")
				}
				return
			}
			e := testkit.WantError(t, err, revoke.ErrInvalidClient)
			testkit.Want(t, "status", e.StatusCode, http.StatusUnauthorized)
			testkit.Want(t, "error", e.Code, "invalid_client")
			testkit.Want(t, "error_description", e.Description, tc.want)
			testkit.Want(t, "logged status", rec.Status, http.StatusUnauthorized)
			if !m.as.Active(token) {
				t.Error("the token was revoked")
			}
		})
	}
}

// TestMTLSPlainHTTP: over plain HTTP no certificate can be presented. The
// SDK refuses a certificate method for an http endpoint when the Revoker
// is built, so nothing is sent; a client that sends its client_id anyway
// is refused by the emulator, and the refusal is logged.
func TestMTLSPlainHTTP(t *testing.T) {
	m := newMTLSAS(t)
	plain := httptest.NewServer(m.as)
	t.Cleanup(plain.Close)

	for _, auth := range []revoke.ClientAuth{revoke.TLSClientAuth("pki", m.pki), revoke.SelfSignedTLSClientAuth("self", m.self)} {
		t.Run(auth.Method(), func(t *testing.T) {
			before := m.as.Log.Len()
			_, err := generic.New(generic.Config{Endpoint: plain.URL + revoketest.RevokePath, Auth: auth},
				revoke.WithHTTPClient(plain.Client()), revoke.WithInsecureHTTP(), revoke.WithoutRetry())
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != "generic.Config.Endpoint" || !strings.Contains(ce.Problem, "plain http") {
				t.Fatalf("generic.New = %v; want a *revoke.ConfigError for generic.Config.Endpoint saying plain http", err)
			}
			testkit.Want(t, "requests sent", m.as.Log.Len()-before, 0)
		})
	}

	for _, id := range []string{"pki", "self"} {
		t.Run("client_id "+id+" sent over http", func(t *testing.T) {
			token := m.as.Issue(id, "user").AccessToken
			a := post(t, plain.URL+revoketest.RevokePath, "application/x-www-form-urlencoded", "", url.Values{"token": {token}, "client_id": {id}}.Encode())
			testkit.Want(t, "status", a.status, http.StatusUnauthorized)
			testkit.Want(t, "error", a.body["error"], any("invalid_client"))
			testkit.Want(t, "error_description", a.body["error_description"], any(notProvided))
			rec := m.last(t)
			testkit.Want(t, "logged status", rec.Status, http.StatusUnauthorized)
			if rec.PeerCertificates != nil {
				t.Error("a certificate was logged for a plain HTTP request")
			}
			if !m.as.Active(token) {
				t.Error("the token was revoked")
			}
		})
	}
}

// TestMTLSDiscovery: generic.Discover at the main listener picks the
// mtls_endpoint_aliases revocation endpoint for a certificate method
// (RFC 8705 §5) and the main one otherwise, and the Revoker it builds
// revokes there.
func TestMTLSDiscovery(t *testing.T) {
	m := newMTLSAS(t)
	for _, tc := range []struct {
		name, owner string
		auth        revoke.ClientAuth
		endpoint    string
	}{
		{revoke.MethodTLSClientAuth, "pki", revoke.TLSClientAuth("pki", m.pki), m.mtls.URL},
		{revoke.MethodSelfSignedTLSClientAuth, "self", revoke.SelfSignedTLSClientAuth("self", m.self), m.mtls.URL},
		{revoke.MethodClientSecretBasic, "secret", revoke.ClientCredentials("secret", "s3cret-value"), m.srv.URL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := generic.Discover(t.Context(), m.srv.URL, tc.auth, revoke.WithHTTPClient(m.srv.Client()), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.Discover: %v", err)
			}
			testkit.Want(t, "endpoint", r.Endpoint(), tc.endpoint+revoketest.RevokePath)
			testkit.Want(t, "auth method", r.AuthMethod(), tc.name)
			token := m.as.Issue(tc.owner, "user").AccessToken
			if _, err := r.Revoke(t.Context(), revoke.Request{Token: token}); err != nil {
				t.Fatalf("Revoke: %v", err)
			}
			if m.as.Active(token) {
				t.Error("the token is still active")
			}
			testkit.Want(t, "logged status", m.last(t).Status, http.StatusOK)
		})
	}
}

// TestMTLSMetadata: the document published by both listeners of StartTLS.
func TestMTLSMetadata(t *testing.T) {
	m := newMTLSAS(t)
	md, err := generic.FetchMetadata(t.Context(), m.srv.URL, revoke.WithHTTPClient(m.srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "revocation_endpoint", md.RevocationEndpoint, m.srv.URL+revoketest.RevokePath)
	testkit.Want(t, "mtls_endpoint_aliases.revocation_endpoint", md.MTLSEndpointAliases.RevocationEndpoint, m.mtls.URL+revoketest.RevokePath)
	testkit.Want(t, "mtls_endpoint_aliases.introspection_endpoint", md.MTLSEndpointAliases.IntrospectionEndpoint, m.mtls.URL+revoketest.IntrospectPath)
	testkit.Want(t, "mtls_endpoint_aliases.token_endpoint", md.MTLSEndpointAliases.TokenEndpoint, m.mtls.URL+revoketest.TokenPath)
	for _, method := range []string{revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth, revoke.MethodClientSecretBasic} {
		if !slices.Contains(md.RevocationEndpointAuthMethodsSupported, method) {
			t.Errorf("revocation_endpoint_auth_methods_supported = %v, want %s in it", md.RevocationEndpointAuthMethodsSupported, method)
		}
	}
	if n := len(md.RevocationEndpointAuthMethodsSupported); n != len(revoketest.NewServer().AuthMethods)+2 {
		t.Errorf("revocation_endpoint_auth_methods_supported has %d methods, want the defaults and the two mTLS ones", n)
	}

	resp, err := m.srv.Client().Get(m.mtls.URL + "/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "tls_client_certificate_bound_access_tokens", raw["tls_client_certificate_bound_access_tokens"], any(false))
	if aliases, _ := raw["mtls_endpoint_aliases"].(map[string]any); aliases["revocation_endpoint"] != m.mtls.URL+revoketest.RevokePath {
		t.Errorf("the mTLS listener's mtls_endpoint_aliases = %v", raw["mtls_endpoint_aliases"])
	}

	// Without StartTLS there are no aliases and no mTLS methods.
	plain := revoketest.NewServer().Metadata("https://as.example.com")
	if _, ok := plain["mtls_endpoint_aliases"]; ok || slices.Contains(plain["revocation_endpoint_auth_methods_supported"].([]string), revoke.MethodTLSClientAuth) {
		t.Errorf("a Server never started with StartTLS publishes mTLS metadata: %v", plain)
	}
}

// TestMTLSIntrospection: the introspection alias authenticates the same way
// (RFC 7662 §2.1 with RFC 8705 §2).
func TestMTLSIntrospection(t *testing.T) {
	m := newMTLSAS(t)
	token := m.as.Issue("pki", "user").AccessToken
	presenting := func(cert *tls.Certificate) *http.Client {
		tr := m.srv.Client().Transport.(*http.Transport).Clone()
		tr.TLSClientConfig.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if cert == nil {
				return &tls.Certificate{}, nil
			}
			return cert, nil
		}
		return &http.Client{Transport: tr}
	}
	for _, tc := range []struct {
		name   string
		cert   *tls.Certificate
		status int
		body   map[string]any
	}{
		{"registered certificate", &m.pki, http.StatusOK, map[string]any{"active": true, "client_id": "pki", "token_type": "access_token", "sub": "user"}},
		{"another client's certificate", &m.pkiDNS, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": wrongSubject}},
		{"no certificate", nil, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": notProvided}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := presenting(tc.cert).PostForm(m.mtls.URL+revoketest.IntrospectPath, url.Values{"token": {token}, "client_id": {"pki"}})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			testkit.Want(t, "status", resp.StatusCode, tc.status)
			if !maps.Equal(body, tc.body) {
				t.Errorf("body = %v, want %v", body, tc.body)
			}
			rec := m.last(t)
			testkit.Want(t, "logged path", rec.Path, revoketest.IntrospectPath)
			testkit.Want(t, "logged status", rec.Status, tc.status)
		})
	}
}

// TestMTLSAuthenticate checks Clients.Authenticate on requests whose TLS
// state the test sets: each RFC 8705 §2.1.2 subject parameter, a chain
// through an intermediate, and registrations and settings that must never
// authenticate.
func TestMTLSAuthenticate(t *testing.T) {
	ca, caKey := testkit.CertificateAuthority(t, "revoke test CA")
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	inter := testkit.IssueCertificate(t, x509.Certificate{Subject: pkix.Name{CommonName: "revoke test intermediate"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature}, ca, caKey)
	interKey := inter.PrivateKey.(crypto.Signer)
	uri, _ := url.Parse("spiffe://revoke.test/client")
	full := testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject, DNSNames: []string{pkiDNS}, URIs: []*url.URL{uri},
		IPAddresses: []net.IP{net.ParseIP("2001:db8::1")}, EmailAddresses: []string{"client@revoke.test"}}, ca, caKey)
	viaInter := testkit.IssueCertificate(t, x509.Certificate{Subject: pkiSubject}, inter.Leaf, interKey)
	self := testkit.Certificate(t)

	for _, tc := range []struct {
		name   string
		client revoketest.Client
		// chain is what the client presented, leaf first.
		chain []*x509.Certificate
		// noCAs leaves Clients.ClientCAs nil.
		noCAs  bool
		plain  bool
		header http.Header
		want   string // "" is success
	}{
		{name: "subject DN", client: revoketest.Client{TLSSubjectDN: pkiDN}, chain: []*x509.Certificate{full.Leaf}},
		{name: "subject DN, another order", client: revoketest.Client{TLSSubjectDN: "O=revoke test,CN=revoke-mtls-client"}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "DNS SAN, other case", client: revoketest.Client{TLSSANDNS: "Client.Revoke.TEST"}, chain: []*x509.Certificate{full.Leaf}},
		{name: "DNS SAN, absent", client: revoketest.Client{TLSSANDNS: "other.revoke.test"}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "URI SAN", client: revoketest.Client{TLSSANURI: uri.String()}, chain: []*x509.Certificate{full.Leaf}},
		{name: "URI SAN, absent", client: revoketest.Client{TLSSANURI: "spiffe://revoke.test/other"}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "IP SAN, another spelling", client: revoketest.Client{TLSSANIP: "2001:0db8:0:0:0:0:0:1"}, chain: []*x509.Certificate{full.Leaf}},
		{name: "IP SAN, absent", client: revoketest.Client{TLSSANIP: "192.0.2.1"}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "email SAN", client: revoketest.Client{TLSSANEmail: "client@revoke.test"}, chain: []*x509.Certificate{full.Leaf}},
		{name: "email SAN, absent", client: revoketest.Client{TLSSANEmail: "other@revoke.test"}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "no subject registered", client: revoketest.Client{}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "two subjects registered", client: revoketest.Client{TLSSubjectDN: pkiDN, TLSSANDNS: pkiDNS}, chain: []*x509.Certificate{full.Leaf}, want: wrongSubject},
		{name: "chain through an intermediate", client: revoketest.Client{TLSSubjectDN: pkiDN}, chain: []*x509.Certificate{viaInter.Leaf, inter.Leaf}},
		{name: "intermediate not sent", client: revoketest.Client{TLSSubjectDN: pkiDN}, chain: []*x509.Certificate{viaInter.Leaf}, want: notVerified},
		{name: "no ClientCAs", client: revoketest.Client{TLSSubjectDN: pkiDN}, chain: []*x509.Certificate{full.Leaf}, noCAs: true, want: notVerified},
		{name: "plain HTTP", client: revoketest.Client{TLSSubjectDN: pkiDN}, plain: true, want: notProvided},
		{name: "TLS without a certificate", client: revoketest.Client{TLSSubjectDN: pkiDN}, want: notProvided},
		{name: "a secret instead", client: revoketest.Client{TLSSubjectDN: pkiDN}, chain: []*x509.Certificate{full.Leaf},
			header: http.Header{"Authorization": {basicRaw("c", "guess")}}, want: "client authentication failed"},
		{name: "self-signed", client: revoketest.Client{Method: "self_signed_tls_client_auth", TLSCertificates: []*x509.Certificate{leaf(t, self)}}, chain: []*x509.Certificate{leaf(t, self)}, noCAs: true},
		{name: "self-signed, nothing registered", client: revoketest.Client{Method: "self_signed_tls_client_auth"}, chain: []*x509.Certificate{leaf(t, self)}, want: unregistered},
		{name: "self-signed, plain HTTP", client: revoketest.Client{Method: "self_signed_tls_client_auth", TLSCertificates: []*x509.Certificate{leaf(t, self)}}, plain: true, want: notProvided},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.client
			c.ID = "c"
			if c.Method == "" {
				c.Method = "tls_client_auth"
			}
			cs := &revoketest.Clients{}
			if !tc.noCAs {
				cs.ClientCAs = pool
			}
			cs.Add(c)
			form := url.Values{"client_id": {"c"}, "token": {"t"}}
			r := httptest.NewRequest(http.MethodPost, "http://as.example.com/revoke", strings.NewReader(form.Encode()))
			if !tc.plain {
				r.TLS = &tls.ConnectionState{PeerCertificates: tc.chain}
			}
			for k, v := range tc.header {
				r.Header[k] = v
			}
			id, method, e := cs.Authenticate(r, form, nil)
			if tc.want == "" {
				if e != nil {
					t.Fatalf("Authenticate: %d %s %q", e.Status, e.Code, e.Description)
				}
				testkit.Want(t, "client", id, "c")
				testkit.Want(t, "method", method, c.Method)
				return
			}
			if e == nil {
				t.Fatalf("Authenticate = %q, %q; want %q", id, method, tc.want)
			}
			testkit.Want(t, "status", e.Status, http.StatusUnauthorized)
			testkit.Want(t, "error", e.Code, "invalid_client")
			testkit.Want(t, "error_description", e.Description, tc.want)
		})
	}
}
