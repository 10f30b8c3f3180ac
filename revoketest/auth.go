package revoketest

import (
	"crypto"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Client is a client registered at an emulator.
type Client struct {
	ID     string
	Secret string
	// Method is the registered authentication method (RFC 7591
	// token_endpoint_auth_method). "" accepts client_secret_basic and
	// client_secret_post, as oidc-provider and fosite do for a client
	// registered with either.
	Method string
	// PublicKey verifies private_key_jwt assertions.
	PublicKey crypto.PublicKey

	// Mutual TLS (RFC 8705 §2). A client with Method "tls_client_auth" or
	// "self_signed_tls_client_auth" sends its client_id in the body and
	// authenticates with the certificate it presents on the TLS connection;
	// see Clients.Authenticate.

	// TLSSubjectDN, TLSSANDNS, TLSSANURI, TLSSANIP and TLSSANEmail are a
	// tls_client_auth client's expected certificate subject (RFC 8705
	// §2.1.2: tls_client_auth_subject_dn, tls_client_auth_san_dns,
	// tls_client_auth_san_uri, tls_client_auth_san_ip and
	// tls_client_auth_san_email). Exactly one must be set, as the RFC
	// requires; a client with none or several never authenticates.
	//
	// TLSSubjectDN is compared, exactly, with the certificate's subject as
	// crypto/x509 writes it in RFC 4514 form (pkix.Name.String: most
	// specific attribute first, no spaces, e.g. "CN=client,O=Example,C=SE").
	TLSSubjectDN string
	// TLSSANDNS matches a dNSName SAN of the certificate, ignoring case.
	TLSSANDNS string
	// TLSSANURI matches a uniformResourceIdentifier SAN, exactly.
	TLSSANURI string
	// TLSSANIP matches an iPAddress SAN: an IPv4 dotted-decimal or IPv6
	// address, compared as addresses (RFC 8705 §2.1.2).
	TLSSANIP string
	// TLSSANEmail matches an rfc822Name SAN, exactly.
	TLSSANEmail string
	// TLSCertificates are the certificates a self_signed_tls_client_auth
	// client registered (RFC 8705 §2.2.2, the x5c of its jwks): the one it
	// presents must be one of them, byte for byte. Several allow rotation.
	TLSCertificates []*x509.Certificate
}

// OAuthError is an RFC 6749 §5.2 error answer.
type OAuthError struct {
	Status      int
	Code        string
	Description string
	// Basic adds WWW-Authenticate: Basic, as RFC 6749 §5.2 requires on a
	// 401 after Basic authentication.
	Basic bool
}

// Write sends e as JSON.
func (e *OAuthError) Write(w http.ResponseWriter) {
	if e.Basic && e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="revoketest"`)
	}
	writeJSON(w, e.Status, map[string]string{"error": e.Code, "error_description": e.Description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Clients is a registry of clients with RFC 6749 §2.3 authentication. It is
// safe for concurrent use.
type Clients struct {
	mu      sync.Mutex
	clients map[string]Client
	jtis    map[string]time.Time
	// RawBasic makes Basic credentials be taken as sent, without RFC 6749
	// §2.3.1 form-decoding (the WSO2 behaviour).
	RawBasic bool
	// ClientCAs are the certificate authorities a tls_client_auth client's
	// certificate chain must verify against (RFC 8705 §2.1). With none,
	// no tls_client_auth client authenticates: the system roots are never
	// used.
	ClientCAs *x509.CertPool
}

// Add registers c, replacing any client with the same ID.
func (cs *Clients) Add(c Client) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.clients == nil {
		cs.clients = map[string]Client{}
	}
	cs.clients[c.ID] = c
}

// Get returns the registered client.
func (cs *Clients) Get(id string) (Client, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c, ok := cs.clients[id]
	return c, ok
}

// Authenticate checks the client credentials of r (form already parsed into
// form) and returns the client ID and the method used. audiences lists the
// accepted "aud" values of a client assertion.
//
// A client registered with Method "tls_client_auth" or
// "self_signed_tls_client_auth" (RFC 8705 §2) is authenticated by the
// client_id in the body and the certificate of the TLS connection
// (r.TLS.PeerCertificates), never by a secret or an assertion. Every
// failure is 401 invalid_client, with oidc-provider's reasons as the
// description: no certificate (always over plain HTTP, where r.TLS is nil)
// is "client certificate was not provided"; for tls_client_auth (§2.1) a
// chain that does not verify, for client authentication, against
// ClientCAs is "client certificate was not verified", and a subject that
// is not the registered one "certificate subject value does not match the
// registered one"; for self_signed_tls_client_auth (§2.2, no chain
// validation) a certificate that is not one of TLSCertificates is
// "unregistered client certificate provided". A certificate that belongs
// to another client fails the same way: it is checked against the
// registration of the client_id sent.
func (cs *Clients) Authenticate(r *http.Request, form url.Values, audiences []string) (string, string, *OAuthError) {
	authz := r.Header.Get("Authorization")
	hasBasic := len(authz) > 6 && strings.EqualFold(authz[:6], "basic ")
	bodySecret := form.Get("client_secret") != ""
	bodyAssertion := form.Get("client_assertion") != ""
	if (hasBasic && (bodySecret || bodyAssertion)) || (bodySecret && bodyAssertion) {
		return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "client credentials must only be provided using one mechanism"}
	}
	switch {
	case hasBasic:
		id, secret, err := cs.decodeBasic(authz[6:])
		if err != nil {
			return "", "", err
		}
		if fid := form.Get("client_id"); fid != "" && fid != id {
			return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "mismatch between client_id in the body and the Authorization header"}
		}
		return cs.checkSecret(id, secret, "client_secret_basic", true)
	case bodySecret:
		return cs.checkSecret(form.Get("client_id"), form.Get("client_secret"), "client_secret_post", false)
	case bodyAssertion:
		return cs.checkAssertion(form, audiences)
	case form.Get("client_id") != "":
		id := form.Get("client_id")
		c, ok := cs.Get(id)
		switch {
		case ok && (c.Method == methodTLS || c.Method == methodSelfSignedTLS):
			return cs.checkCertificate(r, c)
		case !ok || c.Method != "none":
			return "", "", &OAuthError{Status: 401, Code: "invalid_client", Description: "client authentication failed"}
		}
		return id, "none", nil
	}
	return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "no client authentication mechanism provided"}
}

func (cs *Clients) decodeBasic(b64 string) (string, string, *OAuthError) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return "", "", &OAuthError{Status: 401, Code: "invalid_client", Description: "invalid Basic authorization header", Basic: true}
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", "", &OAuthError{Status: 401, Code: "invalid_client", Description: "invalid Basic authorization header", Basic: true}
	}
	if cs.RawBasic {
		return id, secret, nil
	}
	did, err1 := url.QueryUnescape(id)
	dsecret, err2 := url.QueryUnescape(secret)
	if err1 != nil || err2 != nil {
		return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "client_id and client_secret in the authorization header are not properly encoded"}
	}
	return did, dsecret, nil
}

func (cs *Clients) checkSecret(id, secret, method string, basic bool) (string, string, *OAuthError) {
	c, ok := cs.Get(id)
	fail := &OAuthError{Status: 401, Code: "invalid_client", Description: "client authentication failed", Basic: basic}
	if !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return "", "", fail
	}
	if c.Method != "" && c.Method != method {
		return "", "", fail
	}
	return id, method, nil
}

var assertionAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512}

func (cs *Clients) checkAssertion(form url.Values, audiences []string) (string, string, *OAuthError) {
	fail := func(desc string) (string, string, *OAuthError) {
		return "", "", &OAuthError{Status: 401, Code: "invalid_client", Description: desc}
	}
	if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "The `client_assertion_type` is invalid."}
	}
	tok, err := jwt.ParseSigned(form.Get("client_assertion"), assertionAlgs)
	if err != nil || len(tok.Headers) != 1 {
		return fail("client assertion is not a signed JWT")
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return fail("client assertion claims are malformed")
	}
	c, ok := cs.Get(unverified.Subject)
	if !ok {
		return fail("client authentication failed")
	}
	alg := tok.Headers[0].Algorithm
	var key any
	method := "private_key_jwt"
	if strings.HasPrefix(alg, "HS") {
		if c.Secret == "" {
			return fail("client authentication failed")
		}
		key, method = []byte(c.Secret), "client_secret_jwt"
	} else {
		if c.PublicKey == nil {
			return fail("client authentication failed")
		}
		key = c.PublicKey
	}
	if c.Method != "" && c.Method != method {
		return fail("client authentication failed")
	}
	var claims jwt.Claims
	if err := tok.Claims(key, &claims); err != nil {
		return fail("client assertion signature is invalid")
	}
	if claims.Issuer != c.ID || claims.Subject != c.ID {
		return fail("client assertion iss and sub must be the client_id")
	}
	if fid := form.Get("client_id"); fid != "" && fid != c.ID {
		return "", "", &OAuthError{Status: 400, Code: "invalid_request", Description: "client_id does not match the client assertion"}
	}
	if !slices.ContainsFunc(audiences, func(a string) bool { return claims.Audience.Contains(a) }) {
		return fail("client assertion audience is invalid")
	}
	if err := claims.ValidateWithLeeway(jwt.Expected{Time: time.Now()}, 5*time.Second); err != nil || claims.Expiry == nil {
		return fail("client assertion is expired or lacks exp")
	}
	if claims.ID == "" {
		return fail("client assertion must have a jti")
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.jtis == nil {
		cs.jtis = map[string]time.Time{}
	}
	key2 := c.ID + "\x00" + claims.ID
	if _, seen := cs.jtis[key2]; seen {
		return "", "", &OAuthError{Status: 401, Code: "invalid_client", Description: "client assertion tokens must only be used once"}
	}
	cs.jtis[key2] = claims.Expiry.Time()
	return c.ID, method, nil
}
