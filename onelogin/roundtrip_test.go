package onelogin_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/revoketest"
)

// emulator serves a fresh OneLogin emulator over real HTTP (httptest) or an
// httpmock transport, and returns it with the base URL and options to use.
type emulator struct {
	name  string
	start func(t *testing.T) (*onelogintest.Server, string, []revoke.Option)
}

var emulators = []emulator{
	{"httptest", func(t *testing.T) (*onelogintest.Server, string, []revoke.Option) {
		fake := onelogintest.New()
		srv := httptest.NewServer(fake)
		t.Cleanup(srv.Close)
		return fake, srv.URL, []revoke.Option{revoke.WithHTTPClient(srv.Client()), testkit.FastRetry()}
	}},
	{"httpmock", func(t *testing.T) (*onelogintest.Server, string, []revoke.Option) {
		mt := httpmock.NewMockTransport()
		fake := onelogintest.Register(mt, "https://acme.onelogin.com")
		return fake, "https://acme.onelogin.com", []revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), testkit.FastRetry()}
	}},
}

func TestRoundTripAPICredentials(t *testing.T) {
	for _, em := range emulators {
		for _, api := range []onelogin.APIVersion{onelogin.V1, onelogin.V2} {
			t.Run(em.name+"/"+api.String(), func(t *testing.T) {
				fake, base, o := em.start(t)
				fake.AddAPICredential(testID, testSecret)
				fake.AddAPICredential("other-client", "other-secret")
				r, err := onelogin.New(onelogin.Config{BaseURL: base, ClientID: testID, ClientSecret: testSecret, API: api}, o...)
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				pair := fake.Issue(testID)
				if !fake.Active(pair.AccessToken) || !fake.Active(pair.RefreshToken) {
					t.Fatal("issued tokens are not active")
				}
				res, err := r.Revoke(ctx, revoke.Request{Token: pair.AccessToken})
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if fake.Active(pair.AccessToken) || fake.Active(pair.RefreshToken) {
					t.Error("access or refresh token still active: revoking the access token must kill the pair")
				}
				st, ok := onelogin.Details(res)
				if !ok || st.Message != "Success" || res.RateLimit == nil || res.RateLimit.Limit != onelogintest.DefaultRateLimit || res.RateLimit.Remaining != onelogintest.DefaultRateLimit-1 {
					t.Errorf("result = %+v, details %+v; want message Success and rate limit %d/%d", res, st, onelogintest.DefaultRateLimit-1, onelogintest.DefaultRateLimit)
				}
				if time.Until(res.RateLimit.Reset) < 59*time.Minute {
					t.Errorf("RateLimit.Reset = %v, want about an hour away (seconds remaining, not an epoch)", res.RateLimit.Reset)
				}
				// Revoking again is a success: the token no longer works either way.
				if _, err := r.Revoke(ctx, revoke.Request{Token: pair.AccessToken}); err != nil {
					t.Errorf("second Revoke: %v", err)
				}
				// Another client's token stays active and the answer is an error.
				theirs := fake.Issue("other-client")
				if _, err := r.Revoke(ctx, revoke.Request{Token: theirs.AccessToken}); !errors.Is(err, revoke.ErrInvalidClient) {
					t.Errorf("revoking another client's token: err = %v, want ErrInvalidClient", err)
				}
				if !fake.Active(theirs.AccessToken) {
					t.Error("another client's token was revoked")
				}
				// Wrong credentials.
				bad, err := onelogin.New(onelogin.Config{BaseURL: base, ClientID: testID, ClientSecret: "wrong-secret-value", API: api}, o...)
				if err != nil {
					t.Fatal(err)
				}
				mine := fake.Issue(testID)
				_, err = bad.Revoke(ctx, revoke.Request{Token: mine.AccessToken})
				var re *revoke.Error
				if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) || re.StatusCode != 401 || re.Description != "Authentication Failure" {
					t.Errorf("wrong secret: err = %v, want 401 Authentication Failure as ErrInvalidClient", err)
				}
				if !fake.Active(mine.AccessToken) {
					t.Error("a token was revoked with wrong credentials")
				}
				// The pair, through revoke.RevokeToken: one call, with the access token.
				p := fake.Issue(testID)
				if err := revoke.RevokeToken(ctx, r, oauth2Token(p)); err != nil {
					t.Errorf("RevokeToken: %v", err)
				}
				if fake.Active(p.AccessToken) || fake.Active(p.RefreshToken) {
					t.Error("RevokeToken left a token active")
				}
				reqs := fake.Requests()
				if len(reqs) != 5 {
					t.Fatalf("emulator logged %d requests, want 5", len(reqs))
				}
				if got := reqs[0]; got.Method != http.MethodPost || got.Path != "/auth/oauth2/revoke" || got.Status != 200 || string(got.Body) != `{"access_token":"`+pair.AccessToken+`"}` {
					t.Errorf("first logged request = %s %s -> %d %s", got.Method, got.Path, got.Status, got.Body)
				}
				if got := reqs[4]; string(got.Body) != `{"access_token":"`+p.AccessToken+`"}` {
					t.Errorf("RevokeToken sent %s, want the access token", got.Body)
				}
			})
		}
	}
}

func TestRoundTripOIDC(t *testing.T) {
	apps := []struct {
		name string
		app  revoketest.Client
		auth revoke.ClientAuth
	}{
		{"basic", revoketest.Client{ID: "web-app", Secret: testSecret, Method: "client_secret_basic"}, revoke.ClientSecretBasic("web-app", testSecret)},
		{"basic raw", revoketest.Client{ID: "web-app", Secret: testkit.Secret, Method: "client_secret_basic"}, revoke.ClientSecretBasicRaw("web-app", testkit.Secret)},
		{"post", revoketest.Client{ID: "post-app", Secret: testkit.Secret, Method: "client_secret_post"}, revoke.ClientSecretPost("post-app", testkit.Secret)},
		{"none", revoketest.Client{ID: "spa", Method: "none"}, revoke.PublicClient("spa")},
	}
	for _, em := range emulators {
		for _, a := range apps {
			t.Run(em.name+"/"+a.name, func(t *testing.T) {
				fake, base, o := em.start(t)
				fake.AddApp(a.app)
				r, err := onelogin.NewOIDC(onelogin.OIDCConfig{BaseURL: base, Auth: a.auth}, o...)
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()

				// An access token revokes only itself.
				p1 := fake.Issue(a.app.ID)
				if _, err := r.Revoke(ctx, revoke.Request{Token: p1.AccessToken, Hint: revoke.HintAccessToken}); err != nil {
					t.Fatalf("revoking the access token: %v", err)
				}
				if fake.Active(p1.AccessToken) || !fake.Active(p1.RefreshToken) {
					t.Errorf("after revoking the access token: access active %v, refresh active %v; want false, true", fake.Active(p1.AccessToken), fake.Active(p1.RefreshToken))
				}
				// A refresh token revokes all related tokens.
				p2 := fake.Issue(a.app.ID)
				if _, err := r.Revoke(ctx, revoke.Request{Token: p2.RefreshToken, Hint: revoke.HintRefreshToken}); err != nil {
					t.Fatalf("revoking the refresh token: %v", err)
				}
				if fake.Active(p2.AccessToken) || fake.Active(p2.RefreshToken) {
					t.Error("refresh token revocation left a token active")
				}
				// Already revoked: OneLogin's unsupported_token_type.
				_, err = r.Revoke(ctx, revoke.Request{Token: p2.RefreshToken, Hint: revoke.HintRefreshToken})
				var re *revoke.Error
				if !errors.As(err, &re) || !errors.Is(err, revoke.ErrUnsupportedTokenType) || re.StatusCode != 400 || !strings.Contains(re.Description, "already revoked") {
					t.Errorf("revoking twice: err = %v, want 400 ErrUnsupportedTokenType noting it may be already revoked", err)
				}
				// Both tokens through revoke.RevokeToken, refresh first: the
				// refresh token takes the access token with it, so OneLogin
				// answers unsupported_token_type for the access token.
				p3 := fake.Issue(a.app.ID)
				err = revoke.RevokeToken(ctx, r, oauth2Token(p3))
				if !errors.Is(err, revoke.ErrUnsupportedTokenType) {
					t.Errorf("RevokeToken: err = %v, want ErrUnsupportedTokenType for the access token", err)
				}
				if fake.Active(p3.AccessToken) || fake.Active(p3.RefreshToken) {
					t.Error("RevokeToken left a token active")
				}
				// AlreadyRevokedOK makes that idempotent, and says so.
				tolerant, err := onelogin.NewOIDC(onelogin.OIDCConfig{BaseURL: base, Auth: a.auth, AlreadyRevokedOK: true}, o...)
				if err != nil {
					t.Fatal(err)
				}
				p4 := fake.Issue(a.app.ID)
				if err := revoke.RevokeToken(ctx, tolerant, oauth2Token(p4)); err != nil {
					t.Errorf("RevokeToken with AlreadyRevokedOK: %v", err)
				}
				if fake.Active(p4.AccessToken) || fake.Active(p4.RefreshToken) {
					t.Error("RevokeToken left a token active")
				}
				res, err := tolerant.Revoke(ctx, revoke.Request{Token: p4.AccessToken})
				if err != nil || res.StatusCode != 400 || !res.AlreadyInvalid {
					t.Errorf("already revoked with AlreadyRevokedOK: res = %+v, err = %v; want success with AlreadyInvalid, status 400", res, err)
				}
				p5 := fake.Issue(a.app.ID)
				if res, err := tolerant.Revoke(ctx, revoke.Request{Token: p5.RefreshToken}); err != nil || res.AlreadyInvalid || fake.Active(p5.AccessToken) {
					t.Errorf("a live token with AlreadyRevokedOK: res = %+v, err = %v; want a plain success", res, err)
				}
			})
		}
	}
}

func TestRoundTripOIDCWrongCredentials(t *testing.T) {
	for _, em := range emulators {
		t.Run(em.name, func(t *testing.T) {
			fake, base, o := em.start(t)
			fake.AddApp(revoketest.Client{ID: "web-app", Secret: testSecret, Method: "client_secret_basic"})
			for _, auth := range []revoke.ClientAuth{
				revoke.ClientSecretBasic("web-app", "wrong-secret-value"),
				revoke.ClientSecretPost("web-app", testSecret), // the app is registered for Basic
			} {
				r, err := onelogin.NewOIDC(onelogin.OIDCConfig{BaseURL: base, Auth: auth}, o...)
				if err != nil {
					t.Fatal(err)
				}
				p := fake.Issue("web-app")
				_, err = r.Revoke(context.Background(), revoke.Request{Token: p.AccessToken})
				var re *revoke.Error
				if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidClient) || re.StatusCode != 401 || re.Code != "invalid_request" || re.Description != "Authentication Failed" {
					t.Errorf("%v: err = %v, want 401 invalid_request \"Authentication Failed\" as ErrInvalidClient", auth, err)
				}
				if !fake.Active(p.AccessToken) {
					t.Error("token revoked with wrong credentials")
				}
			}
		})
	}
}

func TestRoundTripFaultsAndRateLimit(t *testing.T) {
	for _, em := range emulators {
		t.Run(em.name, func(t *testing.T) {
			fake, base, o := em.start(t)
			fake.AddAPICredential(testID, testSecret)
			fake.RateLimit, fake.RateWindow = 2, 2*time.Hour
			cfg := onelogin.Config{BaseURL: base, ClientID: testID, ClientSecret: testSecret, API: onelogin.V2}
			o = append(o, revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond, MaxWait: time.Second}))
			r, err := onelogin.New(cfg, o...)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			// A 503 is retried, and the retry succeeds.
			fake.FailNext(1, revoketest.ServiceUnavailable(0))
			p := fake.Issue(testID)
			res, err := r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
			if err != nil || res.Attempts != 2 || fake.Active(p.AccessToken) {
				t.Fatalf("after a 503: res = %+v, err = %v, active = %v; want success on attempt 2", res, err, fake.Active(p.AccessToken))
			}
			// The second call uses up the window.
			if _, err := r.Revoke(ctx, revoke.Request{Token: fake.Issue(testID).AccessToken}); err != nil {
				t.Fatal(err)
			}
			sent := len(fake.Requests())
			// The same Revoker knows the window is spent: it sends nothing
			// and returns at once with the emulator's reset, in seconds.
			p = fake.Issue(testID)
			_, err = r.Revoke(ctx, revoke.Request{Token: p.AccessToken})
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || len(fake.Requests()) != sent {
				t.Fatalf("paced call: err = %v after %d more requests, want ErrRateLimited and nothing sent", err, len(fake.Requests())-sent)
			}
			if re.RetryAfter < 2*time.Hour-time.Minute || re.RetryAfter > 2*time.Hour {
				t.Errorf("RetryAfter = %v, want about 2h (X-RateLimit-Reset is seconds remaining)", re.RetryAfter)
			}
			// A Revoker that has not seen the window sends, and the server
			// answers 429 with the same reset.
			fresh, err := onelogin.New(cfg, o...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = fresh.Revoke(ctx, revoke.Request{Token: p.AccessToken})
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || re.Attempts != 1 || re.StatusCode != 429 || re.Description != onelogintest.MsgRateLimited {
				t.Fatalf("err = %v, want ErrRateLimited after 1 attempt, 429 %q", err, onelogintest.MsgRateLimited)
			}
			if re.RetryAfter < 2*time.Hour-time.Minute || re.RetryAfter > 2*time.Hour {
				t.Errorf("RetryAfter = %v, want about 2h (X-RateLimit-Reset is seconds remaining)", re.RetryAfter)
			}
			if !fake.Active(p.AccessToken) {
				t.Error("a rate-limited call revoked the token")
			}
			last := fake.Requests()[len(fake.Requests())-1]
			if last.Status != 429 || last.Header.Get("Authorization") != testkit.Basic(testID, testSecret) {
				t.Errorf("last logged request = %d with Authorization %q", last.Status, last.Header.Get("Authorization"))
			}
		})
	}
}

// TestRoundTripOversizedRequest: the emulator answers a body past its
// bound with 413 and acts on nothing; the SDK reports it by status.
func TestRoundTripOversizedRequest(t *testing.T) {
	for _, em := range emulators {
		t.Run(em.name, func(t *testing.T) {
			fake, base, o := em.start(t)
			fake.AddAPICredential(testID, testSecret)
			r, err := onelogin.New(onelogin.Config{BaseURL: base, ClientID: testID, ClientSecret: testSecret, API: onelogin.V1}, o...)
			if err != nil {
				t.Fatal(err)
			}
			huge := strings.Repeat("t", revoketest.MaxRequestBytes)
			_, err = r.Revoke(context.Background(), revoke.Request{Token: huge})
			var re *revoke.Error
			if !errors.As(err, &re) || !errors.Is(err, revoke.ErrInvalidRequest) || re.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("err = %.300v, want 413 as ErrInvalidRequest", err)
			}
			if n := len(err.Error()); n > 2048 {
				t.Errorf("error is %d bytes, want it bounded", n)
			}
			if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Status != http.StatusRequestEntityTooLarge || reqs[0].Body != nil {
				t.Errorf("log = %d requests, want one answered 413 with no body kept", len(reqs))
			}
		})
	}
}
