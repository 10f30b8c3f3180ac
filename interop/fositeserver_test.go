package interop

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/storage"
	"golang.org/x/crypto/bcrypt"
)

// Client IDs and secrets registered with the in-process fosite server.
const (
	fositeBasicClient = "basic-client"
	fositePostClient  = "post-client"
	fositePostSecret  = "post-client-secret"
	// fositePostReservedClient is registered for client_secret_post with a
	// secret that form-encoding changes: what revoke.ClientCredentials
	// chooses post for.
	fositePostReservedClient = "post-reserved-client"
	fositeJWTClient          = "jwt-client"
	fositePublicClient       = "public-client"
	// fositeIntrospector may call the introspection endpoint; fosite only
	// accepts client credentials there in the Authorization header.
	fositeIntrospector       = "introspector"
	fositeIntrospectorSecret = "introspector-secret"
	// fositeOtherClient owns tokens the other clients try to revoke.
	fositeOtherClient = "other-client"
	fositeOtherSecret = "other-client-secret"

	// The example store's resource owner, used for the password grant.
	fositeUser     = "peter"
	fositePassword = "secret"
)

// fositeServer is a complete fosite authorization server on a loopback
// httptest listener.
type fositeServer struct {
	URL           string // issuer, e.g. http://127.0.0.1:34567
	TokenURL      string
	RevocationURL string
	IntrospectURL string
	Store         *storage.MemoryStore

	mu sync.Mutex
	// revocationFailures holds fosite's own reason (error and hint, which
	// carry no secrets) for each failed revocation request, in order. The
	// wire answer is generic; this says why fosite refused.
	revocationFailures []string
}

// takeRevocationFailures returns fosite's reasons for the revocation
// requests it refused since the last call, and forgets them.
func (fs *fositeServer) takeRevocationFailures() []string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	failures := fs.revocationFailures
	fs.revocationFailures = nil
	return failures
}

func (fs *fositeServer) recordRevocationFailure(err error) {
	reason := err.Error()
	var rfc *fosite.RFC6749Error
	if errors.As(err, &rfc) {
		detail := rfc.HintField
		if detail == "" {
			detail = rfc.DebugField
		}
		reason = rfc.ErrorField + ": " + detail
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.revocationFailures = append(fs.revocationFailures, reason)
}

// newFositeServer composes fosite with every handler enabled over the
// in-memory example store, registers the interop clients, serves it on a
// loopback port and stops it when the test ends.
func newFositeServer(t *testing.T) *fositeServer {
	t.Helper()

	// The listener exists before anything is configured, so the token URL
	// (the audience fosite requires in private_key_jwt assertions) is known
	// up front and nothing is mutated once requests flow.
	srv := httptest.NewUnstartedServer(nil)
	issuer := "http://" + srv.Listener.Addr().String()
	fs := &fositeServer{
		URL:           issuer,
		TokenURL:      issuer + "/oauth2/token",
		RevocationURL: issuer + "/oauth2/revoke",
		IntrospectURL: issuer + "/oauth2/introspect",
	}

	config := &fosite.Config{
		AccessTokenLifespan:  time.Hour,
		RefreshTokenLifespan: 24 * time.Hour,
		TokenURL:             fs.TokenURL,
		IDTokenIssuer:        issuer,
		GlobalSecret:         []byte("interop-test-only-hmac-secret-32bytes!!"),
		HashCost:             bcrypt.MinCost,
		// fosite fills these in lazily on first use, from whichever request
		// goroutine gets there first; setting them here keeps -race quiet.
		ScopeStrategy:            fosite.HierarchicScopeStrategy,
		AudienceMatchingStrategy: fosite.DefaultAudienceMatchingStrategy,
		JWKSFetcherStrategy:      fosite.NewDefaultJWKSFetcherStrategy(),
	}
	config.ClientSecretsHasher = &fosite.BCrypt{Config: config}

	store := storage.NewExampleStore()
	// NewExampleStore leaves this map nil; the first private_key_jwt
	// request would panic writing its jti into it.
	store.BlacklistedJTIs = map[string]time.Time{}
	registerFositeClients(t, store)
	fs.Store = store

	// The server's own signing key (used only for ID tokens, which these tests
	// never request) is made per run.
	serverKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generating fosite signing key: %v", err)
	}
	provider := compose.ComposeAllEnabled(config, store, serverKey)

	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ar, err := provider.NewAccessRequest(ctx, r, &fosite.DefaultSession{})
		if err != nil {
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		// fosite leaves granting to the server: grant what was asked (the
		// client's registered scopes were already checked).
		for _, scope := range ar.GetRequestedScopes() {
			ar.GrantScope(scope)
		}
		resp, err := provider.NewAccessResponse(ctx, ar)
		if err != nil {
			provider.WriteAccessError(ctx, w, ar, err)
			return
		}
		provider.WriteAccessResponse(ctx, w, ar, resp)
	})
	// Registered without a method so that fosite's own answer to a GET is
	// what the SDK sees.
	mux.HandleFunc("/oauth2/revoke", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		err := provider.NewRevocationRequest(ctx, r)
		if err != nil {
			fs.recordRevocationFailure(err)
		}
		provider.WriteRevocationResponse(ctx, w, err)
	})
	mux.HandleFunc("/oauth2/introspect", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ir, err := provider.NewIntrospectionRequest(ctx, r, &fosite.DefaultSession{})
		if err != nil {
			provider.WriteIntrospectionError(ctx, w, err)
			return
		}
		provider.WriteIntrospectionResponse(ctx, w, ir)
	})
	metadata := fositeMetadata(fs)
	mux.HandleFunc("GET /.well-known/oauth-authorization-server", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(metadata)
	})

	srv.Config.Handler = mux
	srv.Start()
	t.Cleanup(srv.Close)
	return fs
}

// fositeMetadata is the RFC 8414 document fosite itself does not serve.
func fositeMetadata(fs *fositeServer) []byte {
	authMethods := []string{"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}
	doc := map[string]any{
		"issuer":                                                fs.URL,
		"token_endpoint":                                        fs.TokenURL,
		"revocation_endpoint":                                   fs.RevocationURL,
		"introspection_endpoint":                                fs.IntrospectURL,
		"grant_types_supported":                                 []string{"password", "refresh_token", "client_credentials"},
		"response_types_supported":                              []string{"token"},
		"token_endpoint_auth_methods_supported":                 authMethods,
		"token_endpoint_auth_signing_alg_values_supported":      []string{"RS256"},
		"revocation_endpoint_auth_methods_supported":            authMethods,
		"revocation_endpoint_auth_signing_alg_values_supported": []string{"RS256"},
		"introspection_endpoint_auth_methods_supported":         []string{"client_secret_basic"},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return b
}

// registerFositeClients adds the interop clients. Confidential clients are
// fosite OpenID Connect clients, so fosite enforces each one's registered
// token_endpoint_auth_method (and answers 401 otherwise).
func registerFositeClients(t *testing.T, store *storage.MemoryStore) {
	t.Helper()
	hash := func(secret string) []byte {
		h, err := bcrypt.GenerateFromPassword([]byte(secret), bcrypt.MinCost)
		if err != nil {
			t.Fatalf("hashing a client secret: %v", err)
		}
		return h
	}
	base := func(id string, secret []byte) *fosite.DefaultClient {
		return &fosite.DefaultClient{
			ID:            id,
			Secret:        secret,
			GrantTypes:    []string{"password", "refresh_token", "client_credentials"},
			ResponseTypes: []string{"token"},
			Scopes:        []string{"offline", "api"},
		}
	}
	oidc := func(c *fosite.DefaultClient, method string) *fosite.DefaultOpenIDConnectClient {
		return &fosite.DefaultOpenIDConnectClient{DefaultClient: c, TokenEndpointAuthMethod: method}
	}

	jwtClient := oidc(base(fositeJWTClient, nil), "private_key_jwt")
	jwtClient.TokenEndpointAuthSigningAlgorithm = "RS256"
	jwtClient.JSONWebKeys = &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{jwtClientPublicJWK(t)}}

	public := base(fositePublicClient, nil)
	public.Public = true
	public.GrantTypes = []string{"password", "refresh_token"}

	store.Clients[fositeBasicClient] = oidc(base(fositeBasicClient, hash(reservedSecret)), "client_secret_basic")
	store.Clients[fositePostClient] = oidc(base(fositePostClient, hash(fositePostSecret)), "client_secret_post")
	store.Clients[fositePostReservedClient] = oidc(base(fositePostReservedClient, hash(reservedSecret)), "client_secret_post")
	store.Clients[fositeJWTClient] = jwtClient
	store.Clients[fositePublicClient] = oidc(public, "none")
	store.Clients[fositeOtherClient] = oidc(base(fositeOtherClient, hash(fositeOtherSecret)), "client_secret_basic")
	store.Clients[fositeIntrospector] = base(fositeIntrospector, hash(fositeIntrospectorSecret))
}

// jwtClientPublicJWK reads the committed test-only public key of jwt-client.
func jwtClientPublicJWK(t *testing.T) jose.JSONWebKey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "jwt-client-public.test-only.jwk.json"))
	if err != nil {
		t.Fatalf("reading jwt-client public JWK: %v", err)
	}
	var k jose.JSONWebKey
	if err := json.Unmarshal(b, &k); err != nil {
		t.Fatalf("parsing jwt-client public JWK: %v", err)
	}
	return k
}

// issue runs the password grant at fosite's token endpoint with scope
// offline, which yields an access token and a refresh token without a
// browser. Confidential clients authenticate with Basic.
func (fs *fositeServer) issue(ctx context.Context, t *testing.T, clientID, secret string) tokenPair {
	t.Helper()
	form := map[string]string{
		"grant_type": "password",
		"username":   fositeUser,
		"password":   fositePassword,
		"scope":      "offline api",
	}
	var basic *[2]string
	switch clientID {
	case fositePublicClient:
		form["client_id"] = clientID
	case fositePostClient, fositePostReservedClient:
		form["client_id"] = clientID
		form["client_secret"] = secret
	case fositeJWTClient:
		form["client_id"] = clientID
		form["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
		form["client_assertion"] = signClientAssertion(t, clientID, fs.TokenURL)
	default:
		basic = &[2]string{clientID, secret}
	}
	return requestTokens(ctx, t, fs.TokenURL, form, basic)
}
