package auth0_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// fakeTenant starts the fake behind an httpmock transport at base.
func fakeTenant(t *testing.T) (*auth0test.Server, revoke.Option) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	fake := auth0test.Register(mt, base)
	return fake, revoke.WithHTTPClient(&http.Client{Transport: mt})
}

// TestRoundTrips: for every client authentication, a refresh token is
// active, Revoke succeeds, and the token is inactive; its access token is
// not (Auth0 revokes refresh tokens only).
func TestRoundTrips(t *testing.T) {
	key := testkit.ECKey(t)
	fake, opt := fakeTenant(t)
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "jwt-app", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	fake.AddClient(revoketest.Client{ID: "spa", Method: revoke.MethodNone})
	for _, tc := range []struct {
		name string
		cfg  auth0.Config
	}{
		{"client_secret_post", auth0.Config{ClientID: "post-app", ClientSecret: secret}},
		{"ClientCredentials", auth0.Config{Auth: revoke.ClientCredentials("post-app", secret)}},
		{"private_key_jwt", auth0.Config{Auth: revoke.PrivateKeyJWT("jwt-app", key)}},
		{"public client", auth0.Config{Auth: revoke.PublicClient("spa")}},
	} {
		for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintNone} {
			t.Run(tc.name+" "+string(hint), func(t *testing.T) {
				cfg := tc.cfg
				cfg.Domain = domain
				r, err := auth0.New(cfg, opt)
				if err != nil {
					t.Fatal(err)
				}
				p := fake.Issue(r.ClientID(), userID)
				if !fake.Active(p.RefreshToken) {
					t.Fatal("not active before")
				}
				res, err := r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken, Hint: hint})
				if err != nil || res.StatusCode != 200 {
					t.Fatalf("Revoke = %+v, %v", res, err)
				}
				if fake.Active(p.RefreshToken) {
					t.Error("refresh token still active")
				}
				if !fake.Active(p.AccessToken) {
					t.Error("the access token was revoked: Auth0 cannot do that, the fake drifted")
				}
				// Again: Auth0 answers 200 for a revoked token, and says
				// nothing more.
				res, err = r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken, Hint: hint})
				if err != nil || res.AlreadyInvalid {
					t.Errorf("second Revoke = %+v, %v", res, err)
				}
			})
		}
	}

	t.Run("RevokeToken", func(t *testing.T) {
		r, err := auth0.New(auth0.Config{Domain: domain, ClientID: "post-app", ClientSecret: secret}, opt)
		if err != nil {
			t.Fatal(err)
		}
		p := fake.Issue("post-app", userID)
		if err := revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		if fake.Active(p.RefreshToken) {
			t.Error("refresh token still active")
		}
	})
}

// TestFakeRefusals: what the fake refuses, the adapter reports as Auth0's
// errors; another application's token is left alone with a 200.
func TestFakeRefusals(t *testing.T) {
	key, other := testkit.ECKey(t), testkit.ECKey(t)
	fake, opt := fakeTenant(t)
	fake.AddClient(revoketest.Client{ID: "post-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "other-app", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "jwt-app", PublicKey: key.Public()})
	p := fake.Issue("other-app", userID)
	for _, tc := range []struct {
		name string
		cfg  auth0.Config
		want error
	}{
		{"wrong secret", auth0.Config{ClientID: "post-app", ClientSecret: "wrong-secret"}, revoke.ErrInvalidClient},
		{"unknown client", auth0.Config{ClientID: "nobody", ClientSecret: secret}, revoke.ErrInvalidClient},
		{"public client not registered as one", auth0.Config{Auth: revoke.PublicClient("post-app")}, revoke.ErrInvalidClient},
		{"assertion signed by another key", auth0.Config{Auth: revoke.PrivateKeyJWT("jwt-app", other)}, revoke.ErrInvalidClient},
		{"assertion for the token endpoint", auth0.Config{Auth: revoke.PrivateKeyJWT("jwt-app", key, revoke.WithAudience(revoke.AudienceTokenEndpoint))}, revoke.ErrInvalidClient},
		{"another application's token", auth0.Config{ClientID: "post-app", ClientSecret: secret}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Domain = domain
			r, err := auth0.New(cfg, opt, revoke.WithoutRetry())
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: p.RefreshToken})
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if !fake.Active(p.RefreshToken) {
				t.Fatal("the token was revoked")
			}
		})
	}
}

// TestRevocationDeletesGrant: with the tenant setting on, one revocation
// ends every refresh token of the same user, application and audience.
func TestRevocationDeletesGrant(t *testing.T) {
	fake, opt := fakeTenant(t)
	fake.RevocationDeletesGrant = true
	fake.AddClient(revoketest.Client{ID: "app", Secret: secret})
	a := fake.IssueFor("app", userID, "https://api.example.com/")
	b := fake.IssueFor("app", userID, "https://api.example.com/")
	c := fake.IssueFor("app", userID, "https://other.example.com/")
	r, err := auth0.New(auth0.Config{Domain: domain, ClientID: "app", ClientSecret: secret}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: a.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(a.RefreshToken) || fake.Active(b.RefreshToken) || !fake.Active(c.RefreshToken) {
		t.Errorf("active: a=%v b=%v c=%v; want only c", fake.Active(a.RefreshToken), fake.Active(b.RefreshToken), fake.Active(c.RefreshToken))
	}
}

// TestManagementAgainstFake: RevokeSubject really ends the user's refresh
// tokens (every application and audience) and sessions, reports the bulk
// revocation as accepted and the session deletion as done, and leaves
// other users alone.
func TestManagementAgainstFake(t *testing.T) {
	fake, opt := fakeTenant(t)
	alice, bob := userID, "google-oauth2|1098765"
	fake.AddUser(alice, "alice@example.com")
	fake.AddUser(bob, "bob@example.com")
	tokens := []revoketest.Pair{fake.Issue("app-1", alice), fake.Issue("app-2", alice), fake.IssueFor("app-1", alice, "https://api.example.com/")}
	bobs := fake.Issue("app-1", bob)
	s1, s2, bobSession := fake.StartSession(alice), fake.StartSession(alice), fake.StartSession(bob)
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: fake.ManagementToken()}, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(alice))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Steps) != 2 || rep.Steps[0].Status != revoke.StepAccepted || rep.Steps[1].Status != revoke.StepDone ||
		rep.Steps[0].Result.StatusCode != 202 || rep.Steps[1].Result.StatusCode != 204 {
		t.Errorf("steps = %+v", rep.Steps)
	}
	for i, p := range tokens {
		if fake.Active(p.RefreshToken) {
			t.Errorf("refresh token %d still active", i)
		}
	}
	if fake.SessionActive(s1) || fake.SessionActive(s2) || len(fake.Sessions(alice)) != 0 {
		t.Error("a session survived")
	}
	if !fake.Active(bobs.RefreshToken) || !fake.SessionActive(bobSession) {
		t.Error("another user's token or session was ended")
	}

	// One application only.
	p1, p2 := fake.Issue("app-1", bob), fake.Issue("app-2", bob)
	if _, err := m.RevokeUserRefreshTokens(context.Background(), bob, auth0.ForClient("app-2")); err != nil {
		t.Fatal(err)
	}
	if !fake.Active(p1.RefreshToken) || fake.Active(p2.RefreshToken) {
		t.Error("ForClient revoked the wrong tokens")
	}
	// By ID.
	if _, err := m.RevokeRefreshTokenIDs(context.Background(), []string{fake.RefreshTokenID(p1.RefreshToken)}); err != nil {
		t.Fatal(err)
	}
	if fake.Active(p1.RefreshToken) {
		t.Error("RevokeRefreshTokenIDs left the token active")
	}
	// An unknown user is not found.
	rep, err = m.RevokeSubject(context.Background(), revoke.OpaqueSubject("auth0|nobody"))
	if !errors.Is(err, revoke.ErrNotFound) || len(rep.Failed()) != 2 {
		t.Errorf("unknown user: %v, %+v", err, rep)
	}
}

// TestManagementEmailAgainstFake: an email resolves to every user with
// that exact address.
func TestManagementEmailAgainstFake(t *testing.T) {
	fake, opt := fakeTenant(t)
	fake.AddUser("auth0|1", "carol@example.com")
	fake.AddUser("google-oauth2|2", "carol@example.com")
	fake.AddUser("auth0|3", "Carol@example.com")
	a, b, c := fake.Issue("app", "auth0|1"), fake.Issue("app", "google-oauth2|2"), fake.Issue("app", "auth0|3")
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: fake.ManagementToken()}, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.RevokeSubject(context.Background(), revoke.EmailSubject("carol@example.com"))
	if err != nil || len(rep.Steps) != 5 {
		t.Fatalf("%+v, %v", rep, err)
	}
	if fake.Active(a.RefreshToken) || fake.Active(b.RefreshToken) || !fake.Active(c.RefreshToken) {
		t.Error("the wrong users were revoked (the search is case-sensitive)")
	}
	rep, err = m.RevokeSubject(context.Background(), revoke.EmailSubject("dave@example.com"))
	if !errors.Is(err, revoke.ErrNotFound) || len(rep.Steps) != 1 {
		t.Errorf("no user: %+v, %v", rep, err)
	}
}

// TestManagementScopes: a token without delete:refresh_tokens fails that
// step with revoke.ErrForbidden; the sessions step still runs.
func TestManagementScopes(t *testing.T) {
	fake, opt := fakeTenant(t)
	p := fake.Issue("app", userID)
	sess := fake.StartSession(userID)
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: fake.ManagementToken(auth0test.ScopeDeleteSessions)}, opt)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
	if !errors.Is(err, revoke.ErrForbidden) || rep.Steps[0].Status != revoke.StepFailed || rep.Steps[1].Status != revoke.StepDone {
		t.Errorf("%+v, %v", rep, err)
	}
	var e *revoke.Error
	if !errors.As(err, &e) || e.Code != "insufficient_scope" || !strings.Contains(e.Description, "delete:refresh_tokens") {
		t.Errorf("error = %v", err)
	}
	if !fake.Active(p.RefreshToken) || fake.SessionActive(sess) {
		t.Error("state does not match the steps")
	}
	// An unknown token is 401.
	m, _ = auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: "not-a-real-token"}, opt)
	if _, err := m.DeleteUserSessions(context.Background(), userID); !errors.Is(err, revoke.ErrInvalidClient) {
		t.Errorf("bad token: %v", err)
	}
}

// TestClientCredentialsAgainstFake: a machine-to-machine application's
// client-credentials grant (audience https://{domain}/api/v2/) feeds the
// Management through golang.org/x/oauth2/clientcredentials, over real HTTP.
func TestClientCredentialsAgainstFake(t *testing.T) {
	fake := auth0test.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddClient(revoketest.Client{ID: "m2m-app", Secret: secret})
	fake.GrantManagement("m2m-app")
	fake.AddUser(userID, "")
	p := fake.Issue("web-app", userID)
	cc := clientcredentials.Config{
		ClientID: "m2m-app", ClientSecret: secret, TokenURL: srv.URL + "/oauth/token",
		EndpointParams: url.Values{"audience": {srv.URL + "/api/v2/"}},
	}
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: srv.URL, TokenSource: cc.TokenSource(context.Background())})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.RevokeSubject(context.Background(), revoke.OpaqueSubject(userID))
	if err != nil || len(rep.Done()) != 2 || fake.Active(p.RefreshToken) {
		t.Fatalf("%+v, %v, active %v", rep, err, fake.Active(p.RefreshToken))
	}
	// Not granted: the token endpoint's refusal is classified.
	fake.AddClient(revoketest.Client{ID: "ungranted", Secret: secret})
	cc.ClientID = "ungranted"
	m, _ = auth0.NewManagement(auth0.ManagementConfig{Domain: srv.URL, TokenSource: cc.TokenSource(context.Background())})
	if _, err := m.DeleteUserSessions(context.Background(), userID); !errors.Is(err, revoke.ErrForbidden) {
		t.Errorf("ungranted: %v", err)
	}
}

// TestRateLimitAgainstFake: the fake's 429 carries Auth0's headers and no
// Retry-After; the Management waits for the reset and retries.
func TestRateLimitAgainstFake(t *testing.T) {
	fake, opt := fakeTenant(t)
	fake.AddUser(userID, "")
	reset := time.Now().Unix() + 1
	fake.FailNext(1, auth0test.RateLimited(50, time.Unix(reset, 0)))
	m, err := auth0.NewManagement(auth0.ManagementConfig{Domain: domain, APIToken: fake.ManagementToken()}, opt,
		revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: 5 * time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.DeleteUserSessions(context.Background(), userID)
	if err != nil || res.Attempts != 2 || res.StatusCode != 204 {
		t.Fatalf("%+v, %v", res, err)
	}
	if time.Now().Unix() < reset {
		t.Error("retried before the reset")
	}
	if res.RateLimit == nil || res.RateLimit.Limit != auth0test.DefaultRateLimit {
		t.Errorf("RateLimit = %+v, want the fake's window", res.RateLimit)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Status != 429 || reqs[1].Status != 204 {
		t.Errorf("log = %+v", reqs)
	}
}
