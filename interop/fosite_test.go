package interop

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// fositePeer starts an in-process fosite server for one test.
func fositePeer(t *testing.T) (*peer, *fositeServer) {
	t.Helper()
	fs := newFositeServer(t)
	secrets := map[string]string{
		fositeBasicClient: reservedSecret,
		fositePostClient:  fositePostSecret,
		fositeOtherClient: fositeOtherSecret,

		fositePostReservedClient: reservedSecret,
	}
	return &peer{
		name:             "fosite",
		issuer:           fs.URL,
		tokenURL:         fs.TokenURL,
		revocationURL:    fs.RevocationURL,
		introspectURL:    fs.IntrospectURL,
		introspectID:     fositeIntrospector,
		introspectSecret: fositeIntrospectorSecret,
		issue: func(ctx context.Context, t *testing.T, clientID string) tokenPair {
			t.Helper()
			return fs.issue(ctx, t, clientID, secrets[clientID])
		},
	}, fs
}

// fositeAuthCases are the client authentication methods fosite accepts at
// its revocation endpoint. For private_key_jwt fosite requires the token
// endpoint as the assertion's audience.
func fositeAuthCases() []authCase {
	return []authCase{
		{
			// Works only because the SDK form-encodes id and secret before
			// Basic (RFC 6749 §2.3.1): fosite URL-decodes both.
			name: "client_secret_basic reserved-char secret", clientID: fositeBasicClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretBasic(fositeBasicClient, reservedSecret) },
		},
		{
			name: "client_secret_post", clientID: fositePostClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretPost(fositePostClient, fositePostSecret) },
		},
		{
			name: "private_key_jwt aud=token endpoint", clientID: fositeJWTClient,
			auth: func(t *testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(fositeJWTClient, jwtClientPrivateKey(t),
					revoke.WithKeyID(jwtClientKeyID), revoke.WithAudience(revoke.AudienceTokenEndpoint))
			},
		},
		{
			name: "public client", clientID: fositePublicClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.PublicClient(fositePublicClient) },
		},
	}
}

func TestFositeDiscover(t *testing.T) {
	p, _ := fositePeer(t)
	tests := []struct {
		name       string
		clientID   string
		auth       func(t *testing.T) revoke.ClientAuth
		wantMethod string
	}{
		{
			// The metadata lists basic, post, private_key_jwt and none;
			// the SDK prefers client_secret_basic.
			name: "ClientCredentials chosen by discovery", clientID: fositeOtherClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.ClientCredentials(fositeOtherClient, fositeOtherSecret)
			},
			wantMethod: "client_secret_basic",
		},
		{
			// A secret that RFC 6749 §2.3.1 form-encoding changes goes in
			// the body when the server lists client_secret_post: servers
			// that do not decode Basic credentials cannot misread it.
			name: "ClientCredentials with reserved characters: post", clientID: fositePostReservedClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.ClientCredentials(fositePostReservedClient, reservedSecret)
			},
			wantMethod: "client_secret_post",
		},
		{
			name: "private_key_jwt aud=token endpoint from metadata", clientID: fositeJWTClient,
			auth: func(t *testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(fositeJWTClient, jwtClientPrivateKey(t),
					revoke.WithKeyID(jwtClientKeyID), revoke.WithAudience(revoke.AudienceTokenEndpoint))
			},
			wantMethod: "private_key_jwt",
		},
		{
			name: "public client", clientID: fositePublicClient,
			auth:       func(*testing.T) revoke.ClientAuth { return revoke.PublicClient(fositePublicClient) },
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
			if got := r.Endpoint(); got != p.revocationURL {
				t.Errorf("discovered endpoint %q, want %q", got, p.revocationURL)
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

func TestFositeRevoke(t *testing.T) {
	p, _ := fositePeer(t)
	runRevocationMatrix(t, p, fositeAuthCases())
}

func TestFositeRevokeToken(t *testing.T) {
	p, _ := fositePeer(t)
	runRevokeTokenMatrix(t, p, fositeAuthCases())
}

// TestFositeIdempotent: repeated and unknown tokens get 200 (RFC 7009 §2.2).
func TestFositeIdempotent(t *testing.T) {
	p, _ := fositePeer(t)
	ctx := testContext(t, time.Minute)
	r := p.revoker(t, revoke.ClientSecretBasic(fositeBasicClient, reservedSecret))
	pair := p.issue(ctx, t, fositeBasicClient)

	for _, what := range []string{"refresh token (call 1)", "refresh token (call 2)"} {
		res, err := r.Revoke(ctx, revoke.Request{Token: pair.RefreshToken, Hint: revoke.HintRefreshToken})
		wantRevoked(t, what, res, err)
	}
	res, err := r.Revoke(ctx, revoke.Request{Token: "no-such-token-" + randomID(t)})
	wantRevoked(t, "unknown token", res, err)
	p.wantActive(ctx, t, "refresh token after revocation", pair.RefreshToken, false)
}

func TestFositeErrors(t *testing.T) {
	p, fs := fositePeer(t)
	wrongKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("generating an unregistered key: %v", err)
	}
	const clientAuthFailed = "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
	const malformed = "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. " +
		"Make sure that the various parameters are correct, be aware of case sensitivity and trim your parameters. " +
		"Make sure that the client you are using has exactly whitelisted the redirect_uri you specified."

	tests := []struct {
		name        string
		owner       string
		auth        func(t *testing.T) revoke.ClientAuth
		kind        error
		status      int
		code        string
		description string
		// reason is a substring of fosite's own reason for refusing, which
		// the wire answer does not carry: it proves the request failed for
		// the cause under test and no other.
		reason string
	}{
		{
			name: "wrong secret with Basic", owner: fositeBasicClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.ClientSecretBasic(fositeBasicClient, "not-the-secret")
			},
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client", description: clientAuthFailed,
			reason: "invalid_client: crypto/bcrypt: hashedPassword is not the hash of the given password",
		},
		{
			name: "wrong secret with post", owner: fositePostClient,
			auth: func(*testing.T) revoke.ClientAuth { return revoke.ClientSecretPost(fositePostClient, "not-the-secret") },
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client", description: clientAuthFailed,
			reason: "invalid_client: crypto/bcrypt: hashedPassword is not the hash of the given password",
		},
		{
			// fosite enforces the registered method of an OpenID Connect
			// client.
			name: "post client authenticating with Basic", owner: fositePostClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.ClientSecretBasic(fositePostClient, fositePostSecret)
			},
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client", description: clientAuthFailed,
			reason: "invalid_client: The OAuth 2.0 Client supports client authentication method 'client_secret_post', but method 'client_secret_basic' was requested.",
		},
		{
			name: "private_key_jwt signed by an unregistered key", owner: fositeJWTClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(fositeJWTClient, wrongKey, revoke.WithKeyID(jwtClientKeyID),
					revoke.WithAudience(revoke.AudienceTokenEndpoint))
			},
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client", description: clientAuthFailed,
			reason: "invalid_client: Unable to verify the integrity of the 'client_assertion' value.",
		},
		{
			// fosite accepts only its token endpoint as the audience; this
			// is why the SDK lets the caller choose it.
			name: "private_key_jwt aud=revocation endpoint", owner: fositeJWTClient,
			auth: func(t *testing.T) revoke.ClientAuth {
				return revoke.PrivateKeyJWT(fositeJWTClient, jwtClientPrivateKey(t), revoke.WithKeyID(jwtClientKeyID),
					revoke.WithAudience(revoke.AudienceEndpoint))
			},
			kind: revoke.ErrInvalidClient, status: 401, code: "invalid_client", description: clientAuthFailed,
			reason: "invalid_client: Claim 'audience' from 'client_assertion' must match the authorization server's token endpoint",
		},
		{
			// The reason ClientSecretBasic form-encodes: raw, "%/=" is
			// not a valid escape and fosite cannot decode the secret.
			name: "reserved-char secret sent raw in Basic", owner: fositeBasicClient,
			auth: func(*testing.T) revoke.ClientAuth {
				return revoke.ClientSecretBasicRaw(fositeBasicClient, reservedSecret)
			},
			kind: revoke.ErrInvalidRequest, status: 400, code: "invalid_request", description: malformed,
			reason: "invalid_request: The client secret in the HTTP authorization header could not be decoded from 'application/x-www-form-urlencoded'.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			pair := p.issue(ctx, t, tc.owner)
			fs.takeRevocationFailures()
			p.wantActive(ctx, t, "access token before the failed revocation", pair.AccessToken, true)

			res, err := p.revoker(t, tc.auth(t)).Revoke(ctx, revoke.Request{Token: pair.AccessToken, Hint: revoke.HintAccessToken})
			if res != nil {
				t.Errorf("failed revocation returned a result: %+v", res)
			}
			wantError(t, err, tc.kind, tc.status, tc.code, tc.description)
			wantFositeReason(t, fs, tc.reason)
			if strings.Contains(err.Error(), pair.AccessToken) {
				t.Error("the error message contains the token")
			}
			p.wantActive(ctx, t, "access token after the failed revocation", pair.AccessToken, true)
		})
	}
}

// TestFositeOthersToken: fosite turns unauthorized_client into 200 (its
// revocation writer only reports invalid_request and invalid_client), so a
// client presenting another client's token sees success while the token
// stays active. The SDK cannot tell, and must not invent an error.
func TestFositeOthersToken(t *testing.T) {
	p, fs := fositePeer(t)
	for _, ac := range fositeAuthCases() {
		t.Run(ac.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			pair := p.issue(ctx, t, fositeOtherClient)
			fs.takeRevocationFailures()
			res, err := p.revoker(t, ac.auth(t)).Revoke(ctx, revoke.Request{Token: pair.AccessToken, Hint: revoke.HintAccessToken})
			wantRevoked(t, "other client's access token", res, err)
			wantFositeReason(t, fs, "unauthorized_client")
			p.wantActive(ctx, t, "other client's access token", pair.AccessToken, true)
			p.wantActive(ctx, t, "other client's refresh token", pair.RefreshToken, true)
		})
	}
}

// wantFositeReason checks that fosite refused exactly one revocation request
// since the last check, for a reason containing reason.
func wantFositeReason(t *testing.T, fs *fositeServer, reason string) {
	t.Helper()
	got := fs.takeRevocationFailures()
	if len(got) != 1 || !strings.Contains(got[0], reason) {
		t.Errorf("fosite refused %d revocation requests with reasons %q, want one containing %q", len(got), got, reason)
		return
	}
	t.Logf("fosite's own reason: %s", got[0])
}

func TestFositeHints(t *testing.T) {
	p, _ := fositePeer(t)
	runHintMatrix(t, p, fositeAuthCases()[0])
}
