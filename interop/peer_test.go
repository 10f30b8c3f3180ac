package interop

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"golang.org/x/oauth2"
)

// peer is one real authorization server as the shared tests see it.
type peer struct {
	name          string
	issuer        string
	tokenURL      string
	revocationURL string
	introspectURL string
	// introspectID and introspectSecret are the credentials of a
	// confidential client the server lets introspect every client's tokens.
	introspectID     string
	introspectSecret string
	// issue obtains an access token and a refresh token for clientID.
	issue func(ctx context.Context, t *testing.T, clientID string) tokenPair
}

// authCase is one way a client authenticates to the revocation endpoint.
type authCase struct {
	name     string
	clientID string
	auth     func(t *testing.T) revoke.ClientAuth
}

// revoker builds a generic adapter for p's revocation endpoint, configured
// by hand (discovery has its own tests).
func (p *peer) revoker(t *testing.T, auth revoke.ClientAuth) *generic.Revoker {
	t.Helper()
	r, err := generic.New(generic.Config{
		Endpoint:      p.revocationURL,
		Auth:          auth,
		Issuer:        p.issuer,
		TokenEndpoint: p.tokenURL,
	}, revoke.WithoutRetry())
	if err != nil {
		t.Fatalf("generic.New for %s: %v", p.name, err)
	}
	return r
}

// active asks the server, through its own introspection endpoint, whether
// token is active.
func (p *peer) active(ctx context.Context, t *testing.T, token string) bool {
	t.Helper()
	return introspect(ctx, t, p.introspectURL, p.introspectID, p.introspectSecret, token).Active
}

// wantActive fails the test unless the server says token is (or is not)
// active. what names the token in the message; the token never appears.
func (p *peer) wantActive(ctx context.Context, t *testing.T, what, token string, want bool) {
	t.Helper()
	if got := p.active(ctx, t, token); got != want {
		t.Errorf("%s: introspection of the %s says active=%v, want %v", p.name, what, got, want)
	}
}

// wantRevoked checks a successful revocation result.
func wantRevoked(t *testing.T, what string, res *revoke.Result, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("revoking the %s: %v", what, err)
	}
	if res == nil || res.StatusCode != http.StatusOK {
		t.Fatalf("revoking the %s: result %+v, want status 200", what, res)
	}
	t.Logf("revoking the %s: HTTP %d", what, res.StatusCode)
}

// wantError checks that err is a *revoke.Error with exactly this status,
// code and (when not empty) description, classified as kind.
func wantError(t *testing.T, err error, kind error, status int, code, description string) *revoke.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want HTTP %d %s", status, code)
	}
	var e *revoke.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is %T, want a *revoke.Error", err, err)
	}
	t.Logf("server answered HTTP %d error=%q error_description=%q", e.StatusCode, e.Code, e.Description)
	if !errors.Is(err, kind) {
		t.Errorf("errors.Is(err, %v) = false for %v", kind, err)
	}
	if e.StatusCode != status || e.Code != code {
		t.Errorf("got HTTP %d %q, want HTTP %d %q", e.StatusCode, e.Code, status, code)
	}
	if description != "" && e.Description != description {
		t.Errorf("got error_description %q, want %q", e.Description, description)
	}
	return e
}

// runRevocationMatrix revokes, for every authentication method, an access
// token and (separately) a refresh token, each with its hint, and checks
// through introspection that the token was active before and is inactive
// after. Both peers end the whole grant, so the other
// token of the pair must be inactive too.
func runRevocationMatrix(t *testing.T, p *peer, cases []authCase) {
	for _, ac := range cases {
		for _, kind := range []struct {
			name string
			hint revoke.TokenTypeHint
		}{
			{"access token", revoke.HintAccessToken},
			{"refresh token", revoke.HintRefreshToken},
		} {
			t.Run(ac.name+"/"+kind.name, func(t *testing.T) {
				ctx := testContext(t, time.Minute)
				pair := p.issue(ctx, t, ac.clientID)
				if pair.RefreshToken == "" {
					t.Fatalf("%s issued no refresh token to %s", p.name, ac.clientID)
				}
				target, sibling := pair.AccessToken, pair.RefreshToken
				siblingName := "refresh token"
				if kind.hint == revoke.HintRefreshToken {
					target, sibling = pair.RefreshToken, pair.AccessToken
					siblingName = "access token"
				}
				p.wantActive(ctx, t, kind.name+" before revocation", target, true)
				p.wantActive(ctx, t, siblingName+" before revocation", sibling, true)

				r := p.revoker(t, ac.auth(t))
				res, err := r.Revoke(ctx, revoke.Request{Token: target, Hint: kind.hint})
				wantRevoked(t, kind.name, res, err)

				p.wantActive(ctx, t, kind.name+" after revocation", target, false)
				// Both peers end the whole grant: revoking either token
				// also deactivates the other one.
				p.wantActive(ctx, t, siblingName+" of the same grant after revocation", sibling, false)
			})
		}
	}
}

// runRevokeTokenMatrix revokes full oauth2.Tokens (access + refresh) with
// revoke.RevokeToken for every authentication method.
func runRevokeTokenMatrix(t *testing.T, p *peer, cases []authCase) {
	for _, ac := range cases {
		t.Run(ac.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			pair := p.issue(ctx, t, ac.clientID)
			tok := &oauth2.Token{
				AccessToken:  pair.AccessToken,
				RefreshToken: pair.RefreshToken,
				TokenType:    pair.TokenType,
			}
			p.wantActive(ctx, t, "access token before revocation", tok.AccessToken, true)
			p.wantActive(ctx, t, "refresh token before revocation", tok.RefreshToken, true)

			if err := revoke.RevokeToken(ctx, p.revoker(t, ac.auth(t)), tok); err != nil {
				t.Fatalf("RevokeToken: %v", err)
			}

			p.wantActive(ctx, t, "access token after RevokeToken", tok.AccessToken, false)
			p.wantActive(ctx, t, "refresh token after RevokeToken", tok.RefreshToken, false)
		})
	}
}

// runHintMatrix revokes each kind of token with no token_type_hint and
// with the wrong one. RFC 7009 §2.1 makes the hint advisory: the server must
// still find and revoke the token.
func runHintMatrix(t *testing.T, p *peer, ac authCase) {
	for _, tc := range []struct {
		name    string
		refresh bool
		hint    revoke.TokenTypeHint
	}{
		{"access token without hint", false, revoke.HintNone},
		{"access token hinted as refresh token", false, revoke.HintRefreshToken},
		{"refresh token without hint", true, revoke.HintNone},
		{"refresh token hinted as access token", true, revoke.HintAccessToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t, time.Minute)
			pair := p.issue(ctx, t, ac.clientID)
			token := pair.AccessToken
			if tc.refresh {
				token = pair.RefreshToken
			}
			p.wantActive(ctx, t, "token before revocation", token, true)
			res, err := p.revoker(t, ac.auth(t)).Revoke(ctx, revoke.Request{Token: token, Hint: tc.hint})
			wantRevoked(t, tc.name, res, err)
			p.wantActive(ctx, t, "token after revocation", token, false)
		})
	}
}
