package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/salesforce"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
)

// salesforceScenarios starts the Salesforce fake and revokes access and
// refresh tokens without client authentication, at a My Domain and behind
// an Experience Cloud site prefix. "active" looks at the pair for refresh
// tokens: revoking one ends its access tokens.
func salesforceScenarios(context.Context) ([]scenario, func(), error) {
	fake := salesforcetest.New()
	srv := httptest.NewServer(fake)
	cleanup := srv.Close
	var out []scenario
	for _, site := range []struct{ label, url string }{
		{"salesforce (My Domain)", srv.URL},
		{"salesforce (Experience Cloud site)", srv.URL + "/customers"},
	} {
		r, err := salesforce.New(salesforce.Config{URL: site.url})
		if err != nil {
			return nil, cleanup, fmt.Errorf("salesforce %s: %w", site.label, err)
		}
		for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintAccessToken} {
			out = append(out, scenario{vendor: site.label, method: "none (no client auth)", revoker: r, hint: hint, active: fake.Active,
				issue: pick(func() revoketest.Pair { return fake.Issue("3MVG9-connected-app", "005xx0000012345") }, hint)})
		}
	}
	return out, cleanup, nil
}
