package logout_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke/logout"
)

// identityProvider stands in for Okta or an OpenID Provider: a signing key
// and the JWKS document that publishes it.
type identityProvider struct {
	issuer string
	key    ed25519.PrivateKey
	jwks   []byte
}

func newIdentityProvider(issuer string) *identityProvider {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Use: "sig"}}})
	return &identityProvider{issuer: issuer, key: key, jwks: jwks}
}

func (p *identityProvider) sign(claims map[string]any, typ string) string {
	opts := &jose.SignerOptions{}
	if typ != "" {
		opts.WithType(jose.ContentType(typ))
	}
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: p.key, KeyID: "k1"}}, opts)
	tok, _ := jwt.Signed(signer).Claims(claims).Serialize()
	return tok
}

// Mount both handlers on a ServeMux; here Okta Universal Logout calls the
// Global Token Revocation endpoint to end every session of a user.
func Example() {
	okta := newIdentityProvider("https://example.okta.com")
	issuers := []logout.Issuer{{
		Issuer: okta.issuer,
		// In production: JWKSURL: "https://example.okta.com/oauth2/v1/keys".
		JWKS: okta.jwks,
	}}
	endSessions := func(ctx context.Context, e logout.Event) error {
		// End the application's sessions of e.Subject (and revoke the
		// tokens it holds for them), within ctx's deadline.
		fmt.Printf("%s from %s: end the sessions of %s\n", e.Kind, e.Issuer, e.Subject)
		return nil
	}

	gtr, err := logout.NewGlobalTokenRevocationHandler(logout.Config{
		Issuers:  issuers,
		Audience: "https://app.example.com/logout/global-token-revocation",
		Callback: endSessions,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	bcl, err := logout.NewBackChannelLogoutHandler(logout.Config{
		Issuers:  issuers,
		Audience: "0oa1b2c3d4e5f6g7h8i9", // the application's client_id
		Callback: endSessions,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/logout/global-token-revocation", gtr)
	mux.Handle("/logout/backchannel", bcl)

	// What the identity provider sends.
	now := time.Now()
	assertion := okta.sign(map[string]any{
		"iss": okta.issuer,
		"sub": "okta-universal-logout",
		"aud": "https://app.example.com/logout/global-token-revocation",
		"iat": now.Unix(),
		"exp": now.Add(time.Minute).Unix(),
		"jti": "5f1c9b8e-revocation-1",
	}, "")
	req := httptest.NewRequest(http.MethodPost, "https://app.example.com/logout/global-token-revocation",
		strings.NewReader(`{"sub_id":{"format":"email","email":"user@example.com"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+assertion)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	fmt.Println("HTTP", w.Code)

	// The same request again is a replay.
	w = httptest.NewRecorder()
	req.Body = http.NoBody
	mux.ServeHTTP(w, req)
	fmt.Println("HTTP", w.Code, w.Header().Get("WWW-Authenticate"))
	// Output:
	// global_token_revocation from https://example.okta.com: end the sessions of email:user@example.com
	// HTTP 204
	// HTTP 401 Bearer error="invalid_token"
}

// An OpenID Provider logs out one session (sid) of a user (sub) through
// the Back-Channel Logout endpoint.
func ExampleNewBackChannelLogoutHandler() {
	op := newIdentityProvider("https://op.example.com")
	h, err := logout.NewBackChannelLogoutHandler(logout.Config{
		Issuers:  []logout.Issuer{{Issuer: op.issuer, JWKS: op.jwks}},
		Audience: "s6BhdRkqt3",
		Callback: func(ctx context.Context, e logout.Event) error {
			fmt.Printf("end session %s of %s\n", e.SessionID, e.Subject.Sub)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	now := time.Now()
	logoutToken := op.sign(map[string]any{
		"iss":    op.issuer,
		"aud":    "s6BhdRkqt3",
		"sub":    "248289761001",
		"sid":    "08a5019c-17e1-4977-8f42-65a12843ea02",
		"iat":    now.Unix(),
		"exp":    now.Add(2 * time.Minute).Unix(),
		"jti":    "bWJq",
		"events": map[string]any{logout.BackChannelLogoutEvent: map[string]any{}},
	}, "logout+jwt")
	form := url.Values{"logout_token": {logoutToken}}
	req := httptest.NewRequest(http.MethodPost, "https://rp.example.org/backchannel_logout", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	fmt.Println("HTTP", w.Code, "Cache-Control:", w.Header().Get("Cache-Control"))
	// Output:
	// end session 08a5019c-17e1-4977-8f42-65a12843ea02 of 248289761001
	// HTTP 200 Cache-Control: no-store
}

// The callback chooses the answer with the package's errors; other errors
// answer 500 without being repeated.
func ExampleErrUnknownSubject() {
	idp := newIdentityProvider("https://example.okta.com")
	h, _ := logout.NewGlobalTokenRevocationHandler(logout.Config{
		Issuers:  []logout.Issuer{{Issuer: idp.issuer, JWKS: idp.jwks}},
		Audience: "https://app.example.com/gtr",
		Callback: func(ctx context.Context, e logout.Event) error {
			switch e.Subject.Email {
			case "gone@example.com":
				return fmt.Errorf("no user %s: %w", e.Subject.Email, logout.ErrUnknownSubject)
			case "locked@example.com":
				return logout.ErrCannotRevoke
			}
			return nil
		},
	})
	for i, email := range []string{"user@example.com", "gone@example.com", "locked@example.com"} {
		now := time.Now()
		tok := idp.sign(map[string]any{
			"iss": idp.issuer, "aud": "https://app.example.com/gtr",
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": fmt.Sprint("jti-", i),
		}, "")
		req := httptest.NewRequest(http.MethodPost, "https://app.example.com/gtr",
			strings.NewReader(`{"sub_id":{"format":"email","email":"`+email+`"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		fmt.Println(email, w.Code)
	}
	// Output:
	// user@example.com 204
	// gone@example.com 404
	// locked@example.com 422
}
