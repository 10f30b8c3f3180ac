package interop

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// reservedSecret is the client secret of basic-client at both peers. Each of
// its characters is one that RFC 6749 §2.3.1's form-encoding changes, so a
// client that puts it raw into the Basic header is rejected.
const reservedSecret = "p@ss:w+rd%/= x"

// jwtClientKeyID is the kid of the committed test-only jwt-client key.
const jwtClientKeyID = "jwt-client-test-key"

// tokenPair is what a token endpoint (or oidc-provider's test route) issued.
type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// httpClient is what the tests use for their own calls to the peers
// (issuing, introspecting): plain net/http, never the SDK.
var httpClient = &http.Client{Timeout: 20 * time.Second}

// formBasic encodes client credentials for the Basic header as RFC 6749
// §2.3.1 requires: each part application/x-www-form-urlencoded first.
func formBasic(id, secret string) string {
	raw := url.QueryEscape(id) + ":" + url.QueryEscape(secret)
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(raw))
}

// postForm sends form to endpoint, with Basic credentials when basic is not
// nil, and returns the status and body.
func postForm(ctx context.Context, t *testing.T, endpoint string, form map[string]string, basic *[2]string) (int, []byte) {
	t.Helper()
	return postFormVia(ctx, t, httpClient, endpoint, form, basic)
}

// postFormVia is postForm through hc (for instance one that presents a
// client certificate).
func postFormVia(ctx context.Context, t *testing.T, hc *http.Client, endpoint string, form map[string]string, basic *[2]string) (int, []byte) {
	t.Helper()
	values := url.Values{}
	for k, v := range form {
		values.Set(k, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatalf("building request to %s: %v", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if basic != nil {
		req.Header.Set("Authorization", formBasic(basic[0], basic[1]))
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", endpoint, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		t.Fatalf("reading answer of POST %s: %v", endpoint, err)
	}
	return resp.StatusCode, body
}

// requestTokens posts form to a token endpoint and decodes the token pair.
// The body is never logged: it holds tokens.
func requestTokens(ctx context.Context, t *testing.T, endpoint string, form map[string]string, basic *[2]string) tokenPair {
	t.Helper()
	return requestTokensVia(ctx, t, httpClient, endpoint, form, basic)
}

// requestTokensVia is requestTokens through hc.
func requestTokensVia(ctx context.Context, t *testing.T, hc *http.Client, endpoint string, form map[string]string, basic *[2]string) tokenPair {
	t.Helper()
	status, body := postFormVia(ctx, t, hc, endpoint, form, basic)
	if status != http.StatusOK {
		t.Fatalf("token request to %s answered %d: %s", endpoint, status, errorFields(body))
	}
	var tp tokenPair
	if err := json.Unmarshal(body, &tp); err != nil {
		t.Fatalf("token response of %s is not JSON: %v", endpoint, err)
	}
	if tp.AccessToken == "" {
		t.Fatalf("token response of %s has no access_token", endpoint)
	}
	return tp
}

// errorFields renders only the error and error_description members of an
// OAuth error body, so that nothing secret reaches the test log.
func errorFields(body []byte) string {
	var e struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		return "(no OAuth error in body)"
	}
	return e.Error + ": " + e.ErrorDescription
}

// introspection is the part of an RFC 7662 answer the tests check.
type introspection struct {
	Active    bool   `json:"active"`
	ClientID  string `json:"client_id"`
	TokenType string `json:"token_type"`
	// Cnf is the token's confirmation (RFC 7800): "jkt" for a DPoP-bound
	// token (RFC 9449 §6.2), "x5t#S256" for a certificate-bound one
	// (RFC 8705 §3.2).
	Cnf map[string]string `json:"cnf"`
}

// introspect asks the server itself, with plain net/http and Basic
// credentials of a client allowed to introspect, whether token is active.
func introspect(ctx context.Context, t *testing.T, endpoint, clientID, secret, token string) introspection {
	t.Helper()
	status, body := postForm(ctx, t, endpoint, map[string]string{"token": token}, &[2]string{clientID, secret})
	if status != http.StatusOK {
		t.Fatalf("introspection at %s answered %d: %s", endpoint, status, errorFields(body))
	}
	var in introspection
	if err := json.Unmarshal(body, &in); err != nil {
		t.Fatalf("introspection answer of %s is not JSON: %v", endpoint, err)
	}
	return in
}

// jwtClientPrivateKey loads the committed test-only private key of jwt-client.
func jwtClientPrivateKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "jwt-client-private.test-only.pem"))
	if err != nil {
		t.Fatalf("reading jwt-client private key: %v", err)
	}
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatal("testdata/jwt-client-private.test-only.pem holds no PKCS#8 PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatalf("parsing jwt-client private key: %v", err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("jwt-client private key is %T, want *rsa.PrivateKey", k)
	}
	return rk
}

// signClientAssertion builds an RS256 private_key_jwt client assertion
// (RFC 7523 §3) for the tests' own token requests, independent of the SDK.
func signClientAssertion(t *testing.T, clientID, audience string) string {
	t.Helper()
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		t.Fatalf("reading random jti: %v", err)
	}
	now := time.Now()
	header := map[string]string{"alg": "RS256", "typ": "JWT", "kid": jwtClientKeyID}
	claims := map[string]any{
		"iss": clientID,
		"sub": clientID,
		"aud": audience,
		"jti": base64.RawURLEncoding.EncodeToString(jti),
		"iat": now.Unix(),
		"exp": now.Add(2 * time.Minute).Unix(),
	}
	seg := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("marshalling assertion part: %v", err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signingInput := seg(header) + "." + seg(claims)
	digest := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(rand.Reader, jwtClientPrivateKey(t), crypto.SHA256, digest[:])
	if err != nil {
		t.Fatalf("signing client assertion: %v", err)
	}
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// testContext is a context that ends with the test and at most after d.
func testContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// randomID returns 16 random bytes, base64url-encoded.
func randomID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("reading random bytes: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
