package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
	"github.com/revokekit/revoke/revoketest"
)

// googleScenarios starts the Google fake and revokes without any client
// authentication (Google wants none): an access token, a refresh token,
// and a token with no hint. Revoking either token ends the whole grant.
func googleScenarios(context.Context) ([]scenario, func(), error) {
	fake := googletest.New()
	srv := httptest.NewServer(fake)
	cleanup := srv.Close
	r, err := google.New(google.Config{Endpoint: srv.URL + googletest.RevokePath})
	if err != nil {
		return nil, cleanup, fmt.Errorf("google: %w", err)
	}
	issue := func() revoketest.Pair {
		return fake.Issue("123-quickstart.apps.googleusercontent.com", "alice@example.com")
	}
	var out []scenario
	for _, hint := range []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken, revoke.HintNone} {
		out = append(out, scenario{vendor: "google", method: "none (no client auth)", revoker: r, hint: hint, active: fake.Active, issue: pick(issue, hint)})
	}
	return out, cleanup, nil
}
