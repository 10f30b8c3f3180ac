package interop

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// Mutual-TLS material registered in oidc-provider/server.mjs.
const (
	// opMTLSClient authenticates with tls_client_auth (RFC 8705 §2.1): a
	// certificate from the tests' CA with subject opMTLSSubjectDN.
	opMTLSClient    = "mtls-client"
	opMTLSSubjectDN = "CN=revoke-interop-mtls-client,O=revoke interop"
	// opRegistrationToken is the initial access token for dynamic client
	// registration (RFC 7591), with which the tests register
	// self_signed_tls_client_auth clients.
	opRegistrationToken = "revoke-interop-registration-token-test-only"
)

// opMTLSSubject is opMTLSSubjectDN as a certificate subject.
var opMTLSSubject = pkix.Name{CommonName: "revoke-interop-mtls-client", Organization: []string{"revoke interop"}}

// opMTLS is oidc-provider's mutual-TLS side: the aliases it advertises and
// the CA the tests made for this run.
type opMTLS struct {
	ca *testCA
	// Endpoints of mtls_endpoint_aliases (RFC 8705 §5).
	tokenURL, revocationURL, introspectURL string
}

// opMTLSSetup configures oidc-provider's mutual-TLS listener once per test
// process: a CA, and a server certificate it issues, both made now.
var opMTLSSetup struct {
	once sync.Once
	ca   *testCA
	err  error
}

// oidcProviderMTLS returns the oidc-provider peer and its mutual-TLS side.
// The first call generates a test CA and a server certificate for
// 127.0.0.1 and gives them to server.mjs (POST /test/mtls-pki).
func oidcProviderMTLS(t *testing.T) (*peer, *opMTLS) {
	t.Helper()
	p := oidcProvider(t)
	ctx := testContext(t, 30*time.Second)
	md := fetchJSONMetadata(ctx, t, p.issuer+"/.well-known/openid-configuration")
	a := md.MTLSEndpointAliases
	for name, u := range map[string]string{"token_endpoint": a.TokenEndpoint, "revocation_endpoint": a.RevocationEndpoint, "introspection_endpoint": a.IntrospectionEndpoint} {
		if !strings.HasPrefix(u, "https://127.0.0.1:") {
			t.Fatalf("oidc-provider advertises mtls_endpoint_aliases.%s = %q, want an https loopback URL", name, u)
		}
	}
	opMTLSSetup.once.Do(func() {
		opMTLSSetup.ca, opMTLSSetup.err = configureMTLS(ctx, p.issuer)
	})
	if opMTLSSetup.err != nil {
		t.Fatalf("configuring oidc-provider's mutual-TLS listener: %v", opMTLSSetup.err)
	}
	return p, &opMTLS{ca: opMTLSSetup.ca, tokenURL: a.TokenEndpoint, revocationURL: a.RevocationEndpoint, introspectURL: a.IntrospectionEndpoint}
}

func configureMTLS(ctx context.Context, issuer string) (*testCA, error) {
	ca, err := newTestCA("revoke interop test CA")
	if err != nil {
		return nil, err
	}
	cert, key, err := ca.serverCert()
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"ca": ca.certPEM(), "cert": cert, "key": key})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, issuer+"/test/mtls-pki", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("POST /test/mtls-pki answered HTTP %d: %s", resp.StatusCode, b)
	}
	return ca, nil
}

// trustingClient is an *http.Client that trusts only the tests' CA, for
// revoke.WithHTTPClient: the SDK presents the client certificate on a copy
// of its transport.
func (m *opMTLS) trustingClient() *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: m.ca.pool(), MinVersion: tls.VersionTLS12},
	}}
}

// presentingClient is the tests' own client (never the SDK's) presenting
// cert on the TLS connection.
func (m *opMTLS) presentingClient(cert tls.Certificate) *http.Client {
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: m.ca.pool(), Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}}
}

// clientCredentials obtains a certificate-bound access token (RFC 8705 §3)
// with the client credentials grant at the mTLS token endpoint alias.
func (m *opMTLS) clientCredentials(ctx context.Context, t *testing.T, clientID string, cert tls.Certificate) string {
	t.Helper()
	pair := requestTokensVia(ctx, t, m.presentingClient(cert), m.tokenURL,
		map[string]string{"grant_type": "client_credentials", "client_id": clientID}, nil)
	return pair.AccessToken
}

// registerSelfSigned registers, with dynamic client registration
// (RFC 7591), a self_signed_tls_client_auth client (RFC 8705 §2.2) whose
// JWKS holds cert (x5c), and returns its client_id.
func registerSelfSigned(ctx context.Context, t *testing.T, p *peer, cert tls.Certificate) string {
	t.Helper()
	jwk := jose.JSONWebKey{Key: cert.Leaf.PublicKey, Certificates: []*x509.Certificate{cert.Leaf}, Use: "sig"}
	body, err := json.Marshal(map[string]any{
		"token_endpoint_auth_method":                 "self_signed_tls_client_auth",
		"tls_client_certificate_bound_access_tokens": true,
		"jwks":           map[string]any{"keys": []jose.JSONWebKey{jwk}},
		"grant_types":    []string{"authorization_code", "refresh_token", "client_credentials"},
		"response_types": []string{"code"},
		"redirect_uris":  []string{"http://127.0.0.1/unused-callback"},
		"scope":          "openid offline_access api:read",
	})
	if err != nil {
		t.Fatalf("encoding the registration request: %v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.issuer+"/reg", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("building the registration request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+opRegistrationToken)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s/reg: %v", p.issuer, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("registering a self_signed_tls_client_auth client: HTTP %d %s (read error %v)", resp.StatusCode, errorFields(b), err)
	}
	var reg struct {
		ClientID   string `json:"client_id"`
		AuthMethod string `json:"token_endpoint_auth_method"`
	}
	if err := json.Unmarshal(b, &reg); err != nil || reg.ClientID == "" || reg.AuthMethod != "self_signed_tls_client_auth" {
		t.Fatalf("registration answer: client_id %q method %q (decode error %v)", reg.ClientID, reg.AuthMethod, err)
	}
	return reg.ClientID
}

// wantCertBound checks through introspection that token is active and
// bound to cert (cnf.x5t#S256, RFC 8705 §3.2).
func wantCertBound(ctx context.Context, t *testing.T, p *peer, what, token string, cert tls.Certificate) {
	t.Helper()
	in := opIntrospect(ctx, t, p, token)
	if !in.Active {
		t.Fatalf("%s is not active before revocation", what)
	}
	if got, want := in.Cnf["x5t#S256"], x5tS256(cert); got != want {
		t.Fatalf("%s: introspection says cnf.x5t#S256=%q, want the certificate's %q", what, got, want)
	}
}

// wantSeenMTLS checks oidc-provider's view of the one revocation request
// made since the last read: on the mTLS listener, with cert presented on
// the connection and client_id in the body, authenticated as clientID with
// method.
func wantSeenMTLS(ctx context.Context, t *testing.T, p *peer, m *opMTLS, clientID, method string, cert tls.Certificate, authorized bool) {
	t.Helper()
	seen := opTakeRevocationRequests(ctx, t, p)
	if len(seen) != 1 {
		t.Fatalf("oidc-provider saw %d revocation requests, want 1: %+v", len(seen), seen)
	}
	s := seen[0]
	u, _ := url.Parse(m.revocationURL)
	if s.Listener != "https" || strconv.Itoa(s.Port) != u.Port() {
		t.Errorf("the request reached the %s listener on port %d, want the mTLS alias %s", s.Listener, s.Port, m.revocationURL)
	}
	if s.Status != 200 || s.ClientID != clientID || s.ClientAuthMethod != method {
		t.Errorf("oidc-provider answered %d authenticating %q with %q, want 200, %q, %q", s.Status, s.ClientID, s.ClientAuthMethod, clientID, method)
	}
	if s.BodyClientID != clientID || s.AuthorizationScheme != "" {
		t.Errorf("body client_id %q and Authorization %q, want client_id %q in the body and no Authorization header", s.BodyClientID, s.AuthorizationScheme, clientID)
	}
	if s.CertificateSHA256 != x5tS256(cert) || s.CertificateAuthorized != authorized {
		t.Errorf("certificate on the connection: x5t#S256 %q (chains to the test CA: %t), want %q (%t)", s.CertificateSHA256, s.CertificateAuthorized, x5tS256(cert), authorized)
	}
	if s.DPoPHeader {
		t.Error("the request carried a DPoP header")
	}
	t.Logf("oidc-provider saw: %s listener port %d, body client_id=%s, no Authorization header, certificate %s (%s, x5t#S256 %s) -> %d as %s",
		s.Listener, s.Port, s.BodyClientID, s.CertificateSubject, map[bool]string{true: "issued by the test CA", false: "not issued by the test CA"}[s.CertificateAuthorized],
		short(s.CertificateSHA256), s.Status, s.ClientAuthMethod)
}

// TestOIDCProviderMTLS revokes certificate-bound tokens with
// generic.Discover and revoke.TLSClientAuth / SelfSignedTLSClientAuth: the
// SDK must call the mtls_endpoint_aliases revocation endpoint, present the
// certificate and send client_id in the body.
func TestOIDCProviderMTLS(t *testing.T) {
	p, m := oidcProviderMTLS(t)
	ctx := testContext(t, time.Minute)
	pkiCert := m.ca.clientCert(t, opMTLSSubject)
	selfCert := selfSignedClientCert(t, pkix.Name{CommonName: "revoke-interop-self-signed-client"})
	selfID := registerSelfSigned(ctx, t, p, selfCert)

	for _, tc := range []struct {
		name, clientID, method string
		cert                   tls.Certificate
		auth                   revoke.ClientAuth
		authorized             bool
	}{
		{"tls_client_auth", opMTLSClient, revoke.MethodTLSClientAuth, pkiCert, revoke.TLSClientAuth(opMTLSClient, pkiCert), true},
		{"self_signed_tls_client_auth", selfID, revoke.MethodSelfSignedTLSClientAuth, selfCert, revoke.SelfSignedTLSClientAuth(selfID, selfCert), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			r, err := generic.Discover(ctx, p.issuer, tc.auth, revoke.WithHTTPClient(m.trustingClient()), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.Discover: %v", err)
			}
			if r.Endpoint() != m.revocationURL {
				t.Errorf("discovered endpoint %q, want the mTLS alias %q", r.Endpoint(), m.revocationURL)
			}
			if r.AuthMethod() != tc.method {
				t.Errorf("AuthMethod() = %q, want %q", r.AuthMethod(), tc.method)
			}

			t.Run("client credentials access token", func(t *testing.T) {
				ctx := testContext(t, time.Minute)
				at := m.clientCredentials(ctx, t, tc.clientID, tc.cert)
				wantCertBound(ctx, t, p, "access token", at, tc.cert)
				opTakeRevocationRequests(ctx, t, p)

				res, err := r.Revoke(ctx, revoke.Request{Token: at, Hint: revoke.HintAccessToken})
				wantRevoked(t, "certificate-bound access token", res, err)
				wantSeenMTLS(ctx, t, p, m, tc.clientID, tc.method, tc.cert, tc.authorized)
				p.wantActive(ctx, t, "access token after revocation", at, false)
			})

			t.Run("refresh token of a grant with a bound access token", func(t *testing.T) {
				ctx := testContext(t, time.Minute)
				pair := opIssueBound(ctx, t, p, tc.clientID, "certificate", leafPEM(tc.cert))
				wantCertBound(ctx, t, p, "access token", pair.AccessToken, tc.cert)
				p.wantActive(ctx, t, "refresh token before revocation", pair.RefreshToken, true)
				opTakeRevocationRequests(ctx, t, p)

				res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
				wantRevoked(t, "refresh token", res, err)
				wantSeenMTLS(ctx, t, p, m, tc.clientID, tc.method, tc.cert, tc.authorized)
				p.wantActive(ctx, t, "refresh token after revocation", pair.RefreshToken, false)
				p.wantActive(ctx, t, "certificate-bound access token of the same grant", pair.AccessToken, false)
			})
		})
	}
}

// TestOIDCProviderMTLSErrors: certificates oidc-provider does not accept.
// Each answer is 401 invalid_client ("client authentication failed"), which
// the SDK classifies as ErrInvalidClient; oidc-provider's own reason (read
// through the test-only route) shows each failed for the cause under test,
// and the token stays active.
func TestOIDCProviderMTLSErrors(t *testing.T) {
	p, m := oidcProviderMTLS(t)
	ctx := testContext(t, time.Minute)
	selfCert := selfSignedClientCert(t, pkix.Name{CommonName: "revoke-interop-self-signed-client"})
	selfID := registerSelfSigned(ctx, t, p, selfCert)
	otherCA, err := newTestCA("revoke interop untrusted CA")
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name  string
		owner string
		// endpoint is the URL called; the mTLS alias when empty.
		endpoint string
		auth     revoke.ClientAuth
		reason   string
	}{
		{
			name: "tls_client_auth, registered subject, untrusted CA", owner: opMTLSClient,
			auth:   revoke.TLSClientAuth(opMTLSClient, otherCA.clientCert(t, opMTLSSubject)),
			reason: "invalid_client: client certificate was not verified",
		},
		{
			name: "tls_client_auth, self-signed with the registered subject", owner: opMTLSClient,
			auth:   revoke.TLSClientAuth(opMTLSClient, selfSignedClientCert(t, opMTLSSubject)),
			reason: "invalid_client: client certificate was not verified",
		},
		{
			name: "tls_client_auth, test CA, another subject", owner: opMTLSClient,
			auth: revoke.TLSClientAuth(opMTLSClient, m.ca.clientCert(t,
				pkix.Name{CommonName: "someone-else", Organization: []string{"revoke interop"}})),
			reason: "invalid_client: certificate subject value does not match the registered one",
		},
		{
			name: "self_signed_tls_client_auth, unregistered certificate", owner: selfID,
			auth:   revoke.SelfSignedTLSClientAuth(selfID, selfSignedClientCert(t, pkix.Name{CommonName: "revoke-interop-self-signed-client"})),
			reason: "invalid_client: unregistered client certificate provided",
		},
		{
			name: "self_signed_tls_client_auth, the tls_client_auth client's certificate", owner: selfID,
			auth:   revoke.SelfSignedTLSClientAuth(selfID, m.ca.clientCert(t, opMTLSSubject)),
			reason: "invalid_client: unregistered client certificate provided",
		},
		{
			// The client_id alone, over TLS that presents no certificate.
			name: "no certificate at the mTLS alias (PublicClient)", owner: opMTLSClient,
			auth:   revoke.PublicClient(opMTLSClient),
			reason: "invalid_client: client certificate was not provided",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			token := p.issue(ctx, t, tc.owner).AccessToken
			p.wantActive(ctx, t, "access token before the failed revocation", token, true)
			opTakeRevocationErrors(ctx, t, p)

			endpoint := tc.endpoint
			if endpoint == "" {
				endpoint = m.revocationURL
			}
			r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: tc.auth}, revoke.WithHTTPClient(m.trustingClient()), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.New: %v", err)
			}
			res, err := r.Revoke(ctx, revoke.Request{Token: token, Hint: revoke.HintAccessToken})
			if res != nil {
				t.Errorf("failed revocation returned a result: %+v", res)
			}
			wantError(t, err, revoke.ErrInvalidClient, http.StatusUnauthorized, "invalid_client", "client authentication failed")
			wantOPReason(ctx, t, p, tc.reason)
			if strings.Contains(err.Error(), token) {
				t.Error("the error message contains the token")
			}
			p.wantActive(ctx, t, "access token after the failed revocation", token, true)
		})
	}

	// TLSClientAuth at the issuer's plain-HTTP endpoint instead of the
	// alias: no TLS, so no certificate could be presented. The SDK refuses
	// it when the Revoker is built, and nothing reaches the server.
	t.Run("tls_client_auth at the plain HTTP revocation endpoint", func(t *testing.T) {
		ctx := testContext(t, time.Minute)
		token := p.issue(ctx, t, opMTLSClient).AccessToken
		opTakeRevocationRequests(ctx, t, p)
		_, err := generic.New(generic.Config{Endpoint: p.revocationURL, Auth: revoke.TLSClientAuth(opMTLSClient, m.ca.clientCert(t, opMTLSSubject))},
			revoke.WithHTTPClient(m.trustingClient()), revoke.WithoutRetry())
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !strings.Contains(ce.Problem, "plain http") {
			t.Fatalf("generic.New = %v; want a *revoke.ConfigError saying a certificate cannot be presented over plain http", err)
		}
		if got := opTakeRevocationRequests(ctx, t, p); len(got) != 0 {
			t.Errorf("the server got %d revocation requests; want none", len(got))
		}
		p.wantActive(ctx, t, "access token", token, true)
	})
}
