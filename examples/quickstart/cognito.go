package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/revoketest"
)

// cognitoScenarios starts the Amazon Cognito fake, which serves the hosted
// /oauth2/revoke endpoint and the RevokeToken action at once, and revokes
// refresh tokens (Cognito revokes nothing else) at both, for an app client
// with a secret and a public one.
func cognitoScenarios(context.Context) ([]scenario, func(), error) {
	fake := cognitotest.New()
	srv := httptest.NewServer(fake)
	cleanup := srv.Close
	const secret = "cognitosecret0123456789abcdefghijklmnopqrstuvw"
	fake.AddClient(revoketest.Client{ID: "cognitoconfidential01", Secret: secret})
	fake.AddClient(revoketest.Client{ID: "cognitopublic01"})

	var out []scenario
	add := func(vendor, method string, r revoke.Revoker, clientID string) {
		out = append(out, scenario{vendor: vendor, method: method, revoker: r, hint: revoke.HintRefreshToken, active: fake.Active,
			issue: pick(func() revoketest.Pair { return fake.Issue(clientID, "alice") }, revoke.HintRefreshToken)})
	}
	for _, c := range []struct {
		method, id, secret string
	}{
		{"client_secret_basic", "cognitoconfidential01", secret},
		{"none (public)", "cognitopublic01", ""},
	} {
		// In production: Domain "myapp" with Region "us-east-1", or a custom domain.
		h, err := cognito.New(cognito.Config{Domain: srv.URL, ClientID: c.id, ClientSecret: c.secret})
		if err != nil {
			return nil, cleanup, fmt.Errorf("cognito %s: %w", c.method, err)
		}
		add("cognito", c.method, h, c.id)
		// In production: Region "us-east-1" and no Endpoint.
		a, err := cognito.NewAPI(cognito.APIConfig{Endpoint: srv.URL, ClientID: c.id, ClientSecret: c.secret})
		if err != nil {
			return nil, cleanup, fmt.Errorf("cognito RevokeToken %s: %w", c.method, err)
		}
		apiMethod := "ClientSecret in the JSON body"
		if c.secret == "" {
			apiMethod = "none (public)"
		}
		add("cognito (RevokeToken API)", apiMethod, a, c.id)
	}
	return out, cleanup, nil
}
