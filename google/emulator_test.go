package google_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
)

// TestRoundTrips: against the fake, revoking either token of a grant ends
// both (and every other token of the same client and user), and revoking
// again reports AlreadyInvalid.
func TestRoundTrips(t *testing.T) {
	mt := httpmock.NewMockTransport()
	fake := googletest.Register(mt, "https://oauth2.googleapis.com")
	r, err := google.New(google.Config{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		t.Fatal(err)
	}
	const client = "123-abc.apps.googleusercontent.com"
	for _, hint := range []revoke.TokenTypeHint{revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken} {
		t.Run(string(hint), func(t *testing.T) {
			p := fake.Issue(client, "alice@example.com")
			older := fake.Issue(client, "alice@example.com")
			bob := fake.Issue(client, "bob@example.com")
			tok := p.AccessToken
			if hint == revoke.HintRefreshToken {
				tok = p.RefreshToken
			}
			if !fake.Active(tok) {
				t.Fatal("not active before")
			}
			res, err := r.Revoke(context.Background(), revoke.Request{Token: tok, Hint: hint})
			if err != nil || res.AlreadyInvalid {
				t.Fatalf("Revoke = %+v, %v", res, err)
			}
			for name, v := range map[string]string{"access": p.AccessToken, "refresh": p.RefreshToken, "older access": older.AccessToken, "older refresh": older.RefreshToken} {
				if fake.Active(v) {
					t.Errorf("%s token survived the grant's revocation", name)
				}
			}
			if !fake.Active(bob.RefreshToken) {
				t.Error("another user's grant was revoked")
			}
			res, err = r.Revoke(context.Background(), revoke.Request{Token: tok, Hint: hint})
			if err != nil || !res.AlreadyInvalid || res.StatusCode != 400 {
				t.Errorf("second Revoke = %+v, %v; want AlreadyInvalid from Google's 400", res, err)
			}
		})
	}
	// Through revoke.RevokeToken, over real HTTP: one call.
	fake2 := googletest.New()
	srv := httptest.NewServer(fake2)
	defer srv.Close()
	r2, err := google.New(google.Config{Endpoint: srv.URL + googletest.RevokePath})
	if err != nil {
		t.Fatal(err)
	}
	p := fake2.Issue(client, "carol@example.com")
	if err := revoke.RevokeToken(context.Background(), r2, &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if fake2.Active(p.AccessToken) || fake2.Active(p.RefreshToken) || len(fake2.Requests()) != 1 {
		t.Errorf("active %v %v after %d requests; want both dead after one", fake2.Active(p.AccessToken), fake2.Active(p.RefreshToken), len(fake2.Requests()))
	}
}
