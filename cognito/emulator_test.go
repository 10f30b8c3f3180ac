package cognito_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// emulator is one fake user pool served at its hosted domain and at the
// regional API endpoint, sharing token state.
type emulator struct {
	fake *cognitotest.Server
	opts []revoke.Option
}

const publicID = "publicclient0123456789abcd"

func newEmulator() *emulator {
	mt := httpmock.NewMockTransport()
	fake := cognitotest.Register(mt, "https://"+host)
	fake.Register(mt, "https://cognito-idp.us-east-1.amazonaws.com")
	fake.AddClient(revoketest.Client{ID: clientID, Secret: secret})
	fake.AddClient(revoketest.Client{ID: publicID})
	return &emulator{fake: fake, opts: []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}}
}

func (e *emulator) revokers(t *testing.T, id, sec string) map[string]revoke.Revoker {
	t.Helper()
	h, err := cognito.New(cognito.Config{Domain: prefix, Region: region, ClientID: id, ClientSecret: sec}, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	a, err := cognito.NewAPI(cognito.APIConfig{Region: region, ClientID: id, ClientSecret: sec}, e.opts...)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]revoke.Revoker{"hosted": h, "api": a}
}

// TestEmulatorRoundTrip revokes real refresh tokens at both places, for
// both kinds of app client: the refresh token and its access token die;
// revoking again succeeds; an access token is refused.
func TestEmulatorRoundTrip(t *testing.T) {
	e := newEmulator()
	ctx := context.Background()
	for _, c := range []struct{ name, id, secret string }{{"confidential", clientID, secret}, {"public", publicID, ""}} {
		for kind, r := range e.revokers(t, c.id, c.secret) {
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				p := e.fake.Issue(c.id, "alice")
				res, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken, Hint: revoke.HintRefreshToken})
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("%+v, %v", res, err)
				}
				if e.fake.Active(p.RefreshToken) || e.fake.Active(p.AccessToken) {
					t.Error("tokens still active")
				}
				if _, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil {
					t.Errorf("revoking again: %v", err)
				}
				p = e.fake.Issue(c.id, "alice")
				_, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
				if !errors.Is(err, revoke.ErrUnsupportedTokenType) || !e.fake.Active(p.AccessToken) {
					t.Errorf("access token without a hint: %v; want ErrUnsupportedTokenType", err)
				}
				idTok := e.fake.IssueIDToken(c.id, "alice")
				if _, err := r.Revoke(ctx, revoke.Request{Token: idTok}); !errors.Is(err, revoke.ErrUnsupportedTokenType) {
					t.Errorf("ID token: %v", err)
				}
				if err := revoke.RevokeToken(ctx, r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
					t.Fatal(err)
				}
				if e.fake.Active(p.RefreshToken) || e.fake.Active(p.AccessToken) {
					t.Error("RevokeToken left tokens active")
				}
			})
		}
	}
	// One state: a token revoked through the API is gone at the endpoint.
	rs := e.revokers(t, clientID, secret)
	p := e.fake.Issue(clientID, "bob")
	if _, err := rs["api"].Revoke(ctx, revoke.Request{Token: p.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if e.fake.Active(p.AccessToken) {
		t.Error("shared state: access token alive")
	}
}

// TestEmulatorRefusals drives the fake's refusals through both revokers.
func TestEmulatorRefusals(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		id, secret string
		setup      func(*cognitotest.Server)
		kindHosted error
		kindAPI    error
		disabled   bool
	}{
		{"revocation disabled", clientID, secret, func(s *cognitotest.Server) { s.SetTokenRevocation(clientID, false) }, revoke.ErrInvalidRequest, revoke.ErrUnsupported, true},
		{"wrong secret", clientID, "wrong_secret_0123456789", nil, revoke.ErrInvalidClient, revoke.ErrInvalidClient, false},
		{"missing secret", clientID, "", nil, revoke.ErrInvalidClient, revoke.ErrInvalidClient, false},
		{"unknown client", "nobody0123", "", nil, revoke.ErrInvalidClient, revoke.ErrInvalidClient, false},
		{"secret for a public client", publicID, secret, nil, revoke.ErrInvalidClient, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEmulator()
			if tc.setup != nil {
				tc.setup(e.fake)
			}
			p := e.fake.Issue(clientID, "alice")
			for kind, r := range e.revokers(t, tc.id, tc.secret) {
				want := tc.kindHosted
				if kind == "api" {
					want = tc.kindAPI
				}
				_, err := r.Revoke(ctx, revoke.Request{Token: p.RefreshToken})
				if want == nil {
					if err != nil {
						t.Errorf("%s: %v", kind, err)
					}
					continue
				}
				if !errors.Is(err, want) {
					t.Errorf("%s: %v; want %v", kind, err, want)
				}
				testkit.Want(t, kind+" RevocationDisabled", cognito.RevocationDisabled(err), tc.disabled)
				if !e.fake.Active(p.RefreshToken) {
					t.Errorf("%s: a refused request revoked the token", kind)
				}
			}
		})
	}
	t.Run("throttled once, then revoked", func(t *testing.T) {
		e := newEmulator()
		e.fake.FailNext(1, cognitotest.TooManyRequests())
		res, err := e.revokers(t, clientID, secret)["api"].Revoke(ctx, revoke.Request{Token: token})
		if err != nil || res.Attempts != 2 {
			t.Errorf("%+v, %v; want success on the second attempt", res, err)
		}
	})
	t.Run("throttled throughout", func(t *testing.T) {
		e := newEmulator()
		e.fake.FailNext(10, cognitotest.TooManyRequests())
		_, err := e.revokers(t, clientID, secret)["api"].Revoke(ctx, revoke.Request{Token: token})
		var re *revoke.Error
		if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || !re.Temporary() || re.Attempts != 4 {
			t.Errorf("%v; want a temporary ErrRateLimited after 4 attempts (1 + 3 retries)", err)
		}
	})
	t.Run("outage, then success", func(t *testing.T) {
		e := newEmulator()
		p := e.fake.Issue(clientID, "alice")
		e.fake.FailNext(2, revoketest.ServiceUnavailable(0))
		res, err := e.revokers(t, clientID, secret)["hosted"].Revoke(ctx, revoke.Request{Token: p.RefreshToken})
		if err != nil || res.Attempts != 3 || e.fake.Active(p.RefreshToken) {
			t.Errorf("%+v, %v", res, err)
		}
	})
}
