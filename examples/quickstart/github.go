package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
)

// githubScenarios starts the GitHub fake twice, as github.com and as a
// GitHub Enterprise Server under /api/v3, and revokes an OAuth app token,
// a GitHub App user's whole grant, and a leaked personal access token
// through the unauthenticated credential revocation API.
func githubScenarios(context.Context) ([]scenario, func(), error) {
	const (
		clientID = "Iv1.8a61f9b3a7aba766"
		secret   = "0123456789abcdef0123456789abcdef01234567"
	)
	dotcom := githubtest.New()
	dotcomSrv := httptest.NewServer(dotcom)
	ghes := githubtest.New()
	ghes.PathPrefix = "/api/v3"
	ghesSrv := httptest.NewServer(ghes)
	cleanup := func() { ghesSrv.Close(); dotcomSrv.Close() }
	dotcom.AddApp(clientID, secret)
	ghes.AddApp(clientID, secret)

	app, err := github.New(github.Config{ClientID: clientID, ClientSecret: secret, BaseURL: dotcomSrv.URL})
	if err != nil {
		return nil, cleanup, fmt.Errorf("github: %w", err)
	}
	credentials, err := github.NewCredentialRevoker(github.CredentialsConfig{BaseURL: dotcomSrv.URL})
	if err != nil {
		return nil, cleanup, fmt.Errorf("github credentials: %w", err)
	}
	enterprise, err := github.New(github.Config{ClientID: clientID, ClientSecret: secret, BaseURL: ghesSrv.URL + "/api/v3"})
	if err != nil {
		return nil, cleanup, fmt.Errorf("github enterprise: %w", err)
	}
	return []scenario{
		{vendor: "github", method: "client_secret_basic (raw)", revoker: app, hint: revoke.HintAccessToken, active: dotcom.Active,
			issue: func() string { return dotcom.Issue(clientID, "octocat") }},
		{vendor: "github (grant)", method: "client_secret_basic (raw)", revoker: app.Grants(), hint: revoke.HintAccessToken, active: dotcom.Active,
			issue: func() string { return dotcom.IssuePair(clientID, "hubot").AccessToken }},
		{vendor: "github (leaked credential)", method: "none (unauthenticated)", revoker: credentials, active: dotcom.Active,
			issue: func() string { return dotcom.IssuePAT("octocat") }},
		{vendor: "github (Enterprise Server)", method: "client_secret_basic (raw)", revoker: enterprise, hint: revoke.HintAccessToken, active: ghes.Active,
			issue: func() string { return ghes.Issue(clientID, "mona") }},
	}, cleanup, nil
}
