package interop

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// Clients registered in oidc-provider/server.mjs.
const (
	opBasicClient  = "basic-client" // client_secret_basic, secret reservedSecret
	opPostClient   = "post-client"  // client_secret_post
	opPostSecret   = "post-client-secret"
	opJWTClient    = "jwt-client"    // private_key_jwt
	opPublicClient = "public-client" // none
	opOtherClient  = "other-client"  // client_secret_basic; introspects too
	opOtherSecret  = "other-client-secret"
	// opJWTResource is the resource indicator whose access tokens
	// oidc-provider issues as JWTs.
	opJWTResource = "urn:revoke:interop:jwt-api"
)

// oidcProvider returns the oidc-provider peer started by run.sh. Without it
// the test fails: a missing peer must never look like a pass.
func oidcProvider(t *testing.T) *peer {
	t.Helper()
	issuer := strings.TrimSuffix(os.Getenv("OIDC_PROVIDER_URL"), "/")
	if issuer == "" {
		t.Fatal("OIDC_PROVIDER_URL is not set: run `bash interop/run.sh`, which installs and starts oidc-provider on loopback and sets it")
	}
	ctx := testContext(t, 30*time.Second)
	md := fetchJSONMetadata(ctx, t, issuer+"/.well-known/openid-configuration")
	p := &peer{
		name:             "oidc-provider",
		issuer:           md.Issuer,
		tokenURL:         md.TokenEndpoint,
		revocationURL:    md.RevocationEndpoint,
		introspectURL:    md.IntrospectionEndpoint,
		introspectID:     opOtherClient,
		introspectSecret: opOtherSecret,
	}
	if p.issuer != issuer || p.tokenURL == "" || p.revocationURL == "" || p.introspectURL == "" {
		t.Fatalf("oidc-provider at %s serves incomplete discovery: issuer=%q token=%q revocation=%q introspection=%q",
			issuer, p.issuer, p.tokenURL, p.revocationURL, p.introspectURL)
	}
	p.issue = func(ctx context.Context, t *testing.T, clientID string) tokenPair {
		t.Helper()
		return requestTokens(ctx, t, issuer+"/test/issue", map[string]string{"client_id": clientID}, nil)
	}
	return p
}

// fetchJSONMetadata reads a discovery document with plain net/http.
func fetchJSONMetadata(ctx context.Context, t *testing.T, u string) generic.Metadata {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("building request for %s: %v", u, err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v (is the peer running? use interop/run.sh)", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d, read error %v", u, resp.StatusCode, err)
	}
	var md generic.Metadata
	if err := json.Unmarshal(body, &md); err != nil {
		t.Fatalf("discovery document at %s is not JSON: %v", u, err)
	}
	return md
}

// opAuthCases are the client authentication methods oidc-provider accepts
// at its revocation endpoint, including every private_key_jwt audience.
func opAuthCases() []authCase {
	jwt := func(aud revoke.Audience) func(t *testing.T) revoke.ClientAuth {
		return func(t *testing.T) revoke.ClientAuth {
			return revoke.PrivateKeyJWT(opJWTClient, jwtClientPrivateKey(t),
				revoke.WithKeyID(jwtClientKeyID), revoke.WithAudience(aud))
		}
	}
	return []authCase{
		{
			// Works only because the SDK form-encodes id and secret before
			// Basic (RFC 6749 §2.3.1); raw, the server answers 400.
			name: "client_secret_basic reserved-char secret", clientID: opBasicClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretBasic(opBasicClient, reservedSecret) },
		},
		{
			name: "client_secret_post", clientID: opPostClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretPost(opPostClient, opPostSecret) },
		},
		{name: "private_key_jwt aud=token endpoint", clientID: opJWTClient, auth: jwt(revoke.AudienceTokenEndpoint)},
		{name: "private_key_jwt aud=issuer", clientID: opJWTClient, auth: jwt(revoke.AudienceIssuer)},
		{name: "private_key_jwt aud=revocation endpoint", clientID: opJWTClient, auth: jwt(revoke.AudienceEndpoint)},
		{
			name: "public client", clientID: opPublicClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.PublicClient(opPublicClient) },
		},
	}
}

func TestOIDCProviderDiscover(t *testing.T) {
	p := oidcProvider(t)
	tests := []struct {
		name       string
		clientID   string
		auth       func(t *testing.T) revoke.ClientAuth
		wantMethod string
	}{
		{
			name: "explicit client_secret_basic", clientID: opBasicClient,
			auth:       func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretBasic(opBasicClient, reservedSecret) },
			wantMethod: "client_secret_basic",
		},
		{
			// oidc-provider's metadata names no
			// revocation_endpoint_auth_methods_supported, so RFC 8414's
			// default applies; it accepts Basic from a post client too.
			name: "ClientCredentials chosen by discovery", clientID: opPostClient,
			auth:       func(*testing.T) revoke.ClientAuth { return revoke.ClientCredentials(opPostClient, opPostSecret) },
			wantMethod: "client_secret_basic",
		},
		{
			name: "private_key_jwt aud=issuer from metadata", clientID: opJWTClient,
			auth: func(t *testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(opJWTClient, jwtClientPrivateKey(t),
					revoke.WithKeyID(jwtClientKeyID), revoke.WithAudience(revoke.AudienceIssuer))
			},
			wantMethod: "private_key_jwt",
		},
		{
			name: "private_key_jwt aud=token endpoint from metadata", clientID: opJWTClient,
			auth: func(t *testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(opJWTClient, jwtClientPrivateKey(t),
					revoke.WithKeyID(jwtClientKeyID), revoke.WithAudience(revoke.AudienceTokenEndpoint))
			},
			wantMethod: "private_key_jwt",
		},
		{
			name: "public client", clientID: opPublicClient,
			auth:       func(*testing.T) revoke.ClientAuth { return revoke.PublicClient(opPublicClient) },
			wantMethod: "none",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			r, err := generic.Discover(ctx, p.issuer, tc.auth(t), revoke.WithoutRetry())
			if err != nil {
				t.Fatalf("generic.Discover(%s): %v", p.issuer, err)
			}
			if got := r.Endpoint(); got != p.issuer+"/token/revocation" {
				t.Errorf("discovered endpoint %q, want %q", got, p.issuer+"/token/revocation")
			}
			if got := r.AuthMethod(); got != tc.wantMethod {
				t.Errorf("AuthMethod() = %q, want %q", got, tc.wantMethod)
			}

			pair := p.issue(ctx, t, tc.clientID)
			p.wantActive(ctx, t, "access token before revocation", pair.AccessToken, true)
			res, err := r.Revoke(ctx, revoke.Request{Token: pair.AccessToken, Hint: revoke.HintAccessToken})
			wantRevoked(t, "access token", res, err)
			p.wantActive(ctx, t, "access token after revocation", pair.AccessToken, false)
		})
	}
}

func TestOIDCProviderRevoke(t *testing.T) {
	runRevocationMatrix(t, oidcProvider(t), opAuthCases())
}

func TestOIDCProviderRevokeToken(t *testing.T) {
	runRevokeTokenMatrix(t, oidcProvider(t), opAuthCases())
}

// TestOIDCProviderIdempotent: RFC 7009 §2.2 says invalid tokens, including
// already revoked and unknown ones, get 200.
func TestOIDCProviderIdempotent(t *testing.T) {
	p := oidcProvider(t)
	ctx := testContext(t, time.Minute)
	r := p.revoker(t, revoke.ClientSecretBasic(opBasicClient, reservedSecret))
	pair := p.issue(ctx, t, opBasicClient)

	for i := 1; i <= 2; i++ {
		res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
		wantRevoked(t, fmt.Sprintf("refresh token (call %d)", i), res, err)
	}
	res, err := r.Revoke(ctx, revoke.Request{Token: "no-such-token-" + randomID(t)})
	wantRevoked(t, "unknown token", res, err)
	p.wantActive(ctx, t, "refresh token after revocation", pair.RefreshToken, false)
}

func TestOIDCProviderErrors(t *testing.T) {
	p := oidcProvider(t)
	wrongKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generating an unregistered key: %v", err)
	}

	tests := []struct {
		name string
		// owner is the client the token is issued to.
		owner string
		auth  revoke.ClientAuth
		// jwtToken revokes a JWT-format access token instead of the
		// owner's opaque one.
		jwtToken    bool
		kind        error
		status      int
		code        string
		description string
		// reason is a substring of oidc-provider's own reason for refusing,
		// which its generic invalid_client answer hides: it proves the request
		// failed for the cause under test and no other.
		reason string
	}{
		{
			name: "wrong secret with Basic", owner: opBasicClient,
			auth: revoke.ClientSecretBasic(opBasicClient, "not-the-secret"),
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client",
			description: "client authentication failed",
			reason:      "invalid_client: invalid secret provided",
		},
		{
			name: "wrong secret with post", owner: opPostClient,
			auth: revoke.ClientSecretPost(opPostClient, "not-the-secret"),
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client",
			description: "client authentication failed",
			reason:      "invalid_client: invalid secret provided",
		},
		{
			name: "private_key_jwt signed by an unregistered key", owner: opJWTClient,
			auth: revoke.PrivateKeyJWT(opJWTClient, wrongKey, revoke.WithKeyID(jwtClientKeyID),
				revoke.WithAudience(revoke.AudienceTokenEndpoint)),
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client",
			description: "client authentication failed",
			reason:      "invalid_client: signature verification failed",
		},
		{
			// The reason ClientSecretBasic form-encodes: the same secret
			// sent raw is not valid Basic for oidc-provider.
			name: "reserved-char secret sent raw in Basic", owner: opBasicClient,
			auth: revoke.ClientSecretBasicRaw(opBasicClient, reservedSecret),
			kind: revoke.ErrInvalidRequest, status: 400, code: "invalid_request",
			description: "client_id and client_secret in the authorization header are not properly encoded",
			reason:      "invalid_request: URI malformed",
		},
		{
			name: "another confidential client's token", owner: opOtherClient,
			auth: revoke.ClientSecretBasic(opBasicClient, reservedSecret),
			kind: revoke.ErrInvalidRequest, status: 400, code: "invalid_request",
			description: "client is not authorized to revoke the presented token",
			reason:      "invalid_request: client is not authorized to revoke the presented token",
		},
		{
			// Resource indicators make this access token a JWT, which the
			// revocation endpoint refuses outright, even from its owner.
			name: "JWT-format access token", owner: opOtherClient, jwtToken: true,
			auth: revoke.ClientSecretBasic(opOtherClient, opOtherSecret),
			kind: revoke.ErrUnsupportedTokenType, status: 400, code: "unsupported_token_type",
			description: "Structured JWT Tokens cannot be revoked via the revocation_endpoint",
			reason:      "unsupported_token_type: Structured JWT Tokens cannot be revoked",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			token := ""
			if tc.jwtToken {
				token = opJWTAccessToken(ctx, t, p)
			} else {
				token = p.issue(ctx, t, tc.owner).AccessToken
				p.wantActive(ctx, t, "access token before the failed revocation", token, true)
			}

			opTakeRevocationErrors(ctx, t, p)
			res, err := p.revoker(t, tc.auth).Revoke(ctx, revoke.Request{Token: token, Hint: revoke.HintAccessToken})
			if res != nil {
				t.Errorf("failed revocation returned a result: %+v", res)
			}
			wantError(t, err, tc.kind, tc.status, tc.code, tc.description)
			wantOPReason(ctx, t, p, tc.reason)
			if strings.Contains(err.Error(), token) {
				t.Error("the error message contains the token")
			}

			if !tc.jwtToken {
				p.wantActive(ctx, t, "access token after the failed revocation", token, true)
			}
		})
	}
}

// TestOIDCProviderPublicClientOthersToken: a public client that presents
// another client's token gets 200 (RFC 7009 §2.2 lets the server hide it),
// and the token stays active.
func TestOIDCProviderPublicClientOthersToken(t *testing.T) {
	p := oidcProvider(t)
	ctx := testContext(t, time.Minute)
	pair := p.issue(ctx, t, opOtherClient)
	opTakeRevocationErrors(ctx, t, p)

	res, err := p.revoker(t, revoke.PublicClient(opPublicClient)).Revoke(ctx,
		revoke.Request{Token: pair.AccessToken, Hint: revoke.HintAccessToken})
	wantRevoked(t, "other client's access token (by a public client)", res, err)
	if reasons := opTakeRevocationErrors(ctx, t, p); len(reasons) != 0 {
		t.Errorf("oidc-provider recorded refusals %q, want none: it ignores a public client's request for another client's token", reasons)
	}
	p.wantActive(ctx, t, "other client's access token", pair.AccessToken, true)
}

// opJWTAccessToken obtains, with the client credentials grant and a
// resource indicator, an access token that oidc-provider issues as a JWT.
func opJWTAccessToken(ctx context.Context, t *testing.T, p *peer) string {
	t.Helper()
	pair := requestTokens(ctx, t, p.tokenURL, map[string]string{
		"grant_type": "client_credentials",
		"resource":   opJWTResource,
		"scope":      "api:read",
	}, &[2]string{opOtherClient, opOtherSecret})
	if strings.Count(pair.AccessToken, ".") != 2 {
		t.Fatalf("oidc-provider issued an access token that is not a JWT for resource %s", opJWTResource)
	}
	return pair.AccessToken
}

// opTakeRevocationErrors reads, through the test-only route of server.mjs,
// oidc-provider's own reasons for the revocation requests it refused since
// the previous read; the server forgets them.
func opTakeRevocationErrors(ctx context.Context, t *testing.T, p *peer) []string {
	t.Helper()
	var reasons []string
	opGetJSON(ctx, t, p.issuer+"/test/revocation-errors", &reasons)
	return reasons
}

// opRevocationRequest is what oidc-provider saw of one revocation request,
// as server.mjs records it: never a token, secret or proof.
type opRevocationRequest struct {
	// Listener is "http" (the issuer) or "https" (the mTLS aliases).
	Listener         string `json:"listener"`
	Port             int    `json:"port"`
	Status           int    `json:"status"`
	Error            string `json:"error"`
	ClientID         string `json:"client_id"`
	ClientAuthMethod string `json:"client_auth_method"`
	// BodyClientID is the client_id form parameter of the body.
	BodyClientID        string `json:"body_client_id"`
	AuthorizationScheme string `json:"authorization_scheme"`
	// CertificateSHA256 is the x5t#S256 of the client certificate presented
	// on the TLS connection; CertificateAuthorized says whether it chains to
	// the tests' CA.
	CertificateSHA256     string `json:"certificate_sha256"`
	CertificateSubject    string `json:"certificate_subject"`
	CertificateAuthorized bool   `json:"certificate_authorized"`
	DPoPHeader            bool   `json:"dpop_header"`
	// DPoP is the proof oidc-provider's validator accepted (nil when none
	// was validated).
	DPoP *struct {
		Accepted bool   `json:"accepted"`
		JKT      string `json:"jkt"`
		TokenJKT string `json:"token_jkt"`
		HTM      string `json:"htm"`
		HTU      string `json:"htu"`
		Nonce    bool   `json:"nonce"`
	} `json:"dpop"`
}

// opTakeRevocationRequests reads, through the test-only route of server.mjs,
// what oidc-provider saw of each revocation request since the previous read;
// the server forgets them.
func opTakeRevocationRequests(ctx context.Context, t *testing.T, p *peer) []opRevocationRequest {
	t.Helper()
	var seen []opRevocationRequest
	opGetJSON(ctx, t, p.issuer+"/test/revocation-requests", &seen)
	return seen
}

// opGetJSON GETs one of server.mjs's test-only routes and decodes it.
func opGetJSON(ctx context.Context, t *testing.T, u string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("building request for %s: %v", u, err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// opIssueBound mints, through server.mjs's POST /test/issue, an access and a
// refresh token for clientID bound as binding says: "jkt" → both to that
// DPoP key thumbprint, "certificate" → the access token to that PEM
// certificate.
func opIssueBound(ctx context.Context, t *testing.T, p *peer, clientID, binding, value string) tokenPair {
	t.Helper()
	return requestTokens(ctx, t, p.issuer+"/test/issue", map[string]string{"client_id": clientID, binding: value}, nil)
}

// opIntrospect asks oidc-provider's introspection endpoint about token.
func opIntrospect(ctx context.Context, t *testing.T, p *peer, token string) introspection {
	t.Helper()
	return introspect(ctx, t, p.introspectURL, p.introspectID, p.introspectSecret, token)
}

// wantOPReason checks that oidc-provider refused exactly one revocation
// request since the last read, for a reason containing reason.
func wantOPReason(ctx context.Context, t *testing.T, p *peer, reason string) {
	t.Helper()
	got := opTakeRevocationErrors(ctx, t, p)
	if len(got) != 1 || !strings.Contains(got[0], reason) {
		t.Errorf("oidc-provider refused %d revocation requests with reasons %q, want one containing %q", len(got), got, reason)
		return
	}
	t.Logf("oidc-provider's own reason: %s", got[0])
}

func TestOIDCProviderHints(t *testing.T) {
	runHintMatrix(t, oidcProvider(t), opAuthCases()[0])
}
