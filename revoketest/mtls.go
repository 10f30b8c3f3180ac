package revoketest

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
)

// Mutual-TLS client authentication (RFC 8705 §2) and the deployment it
// needs: a listener that requests client certificates, advertised as
// mtls_endpoint_aliases (RFC 8705 §5).
//
// RFC 8705: https://www.rfc-editor.org/rfc/rfc8705

// The RFC 8705 §2.1.1 and §2.2.1 token_endpoint_auth_method values.
const (
	methodTLS           = "tls_client_auth"
	methodSelfSignedTLS = "self_signed_tls_client_auth"
)

// checkCertificate authenticates c, a client registered for mutual TLS, by
// the certificate of r's TLS connection.
func (cs *Clients) checkCertificate(r *http.Request, c Client) (string, string, *OAuthError) {
	fail := func(desc string) (string, string, *OAuthError) {
		return "", "", &OAuthError{Status: http.StatusUnauthorized, Code: "invalid_client", Description: desc}
	}
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		return fail("client certificate was not provided")
	}
	leaf := r.TLS.PeerCertificates[0]
	if c.Method == methodSelfSignedTLS {
		// RFC 8705 §2.2: no chain is built; the certificate itself is the
		// credential.
		if !slices.ContainsFunc(c.TLSCertificates, func(reg *x509.Certificate) bool { return reg != nil && reg.Equal(leaf) }) {
			return fail("unregistered client certificate provided")
		}
		return c.ID, c.Method, nil
	}
	// RFC 8705 §2.1: a PKI-issued certificate, verified against the
	// server's trust anchors with the other certificates the client sent
	// as intermediates. A nil pool would mean the system roots.
	if cs.ClientCAs == nil {
		return fail("client certificate was not verified")
	}
	inter := x509.NewCertPool()
	for _, ic := range r.TLS.PeerCertificates[1:] {
		inter.AddCert(ic)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: cs.ClientCAs, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		return fail("client certificate was not verified")
	}
	if !c.subjectMatches(leaf) {
		return fail("certificate subject value does not match the registered one")
	}
	return c.ID, c.Method, nil
}

// subjectMatches reports whether leaf has the subject c registered (RFC
// 8705 §2.1.2): the one subject parameter c sets, or false when it sets
// none or several.
func (c Client) subjectMatches(leaf *x509.Certificate) bool {
	n := 0
	for _, v := range []string{c.TLSSubjectDN, c.TLSSANDNS, c.TLSSANURI, c.TLSSANIP, c.TLSSANEmail} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return false
	}
	switch {
	case c.TLSSubjectDN != "":
		return leaf.Subject.String() == c.TLSSubjectDN
	case c.TLSSANDNS != "":
		return slices.ContainsFunc(leaf.DNSNames, func(d string) bool { return strings.EqualFold(d, c.TLSSANDNS) })
	case c.TLSSANURI != "":
		return slices.ContainsFunc(leaf.URIs, func(u *url.URL) bool { return u.String() == c.TLSSANURI })
	case c.TLSSANIP != "":
		ip := net.ParseIP(c.TLSSANIP)
		return ip != nil && slices.ContainsFunc(leaf.IPAddresses, ip.Equal)
	default:
		return slices.Contains(leaf.EmailAddresses, c.TLSSANEmail)
	}
}

// StartTLS serves s over TLS as an RFC 8705 server is deployed (§5): srv,
// the listener the metadata's endpoints are on, asks for no certificate;
// mtls requests one (tls.RequestClientCert, leaving its verification to
// Clients.Authenticate) and is published in the metadata as
// mtls_endpoint_aliases, which generic.Discover follows for a client
// authenticating with a certificate. StartTLS sets MTLSBaseURL to mtls.URL
// and adds tls_client_auth and self_signed_tls_client_auth to AuthMethods
// when they are missing. For tls_client_auth clients, set
// s.Clients.ClientCAs.
//
// Both listeners present httptest's certificate, so srv.Client() trusts
// both: give it to the SDK with revoke.WithHTTPClient, which presents the
// client certificate on a copy of its transport. The caller closes both.
func (s *Server) StartTLS() (srv, mtls *httptest.Server) {
	mtls = httptest.NewUnstartedServer(s)
	mtls.TLS = &tls.Config{ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12}
	// Known before either listener serves, so no request sees it change.
	s.MTLSBaseURL = "https://" + mtls.Listener.Addr().String()
	for _, m := range []string{methodTLS, methodSelfSignedTLS} {
		if !slices.Contains(s.AuthMethods, m) {
			s.AuthMethods = append(slices.Clip(s.AuthMethods), m)
		}
	}
	mtls.StartTLS()
	srv = httptest.NewTLSServer(s)
	return srv, mtls
}
