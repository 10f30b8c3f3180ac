package main

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

// slackScenarios starts the Slack fake and revokes a user token, a bot
// token and a rotating access token, each authenticating its own
// revocation.
func slackScenarios(context.Context) ([]scenario, func(), error) {
	fake := slacktest.New()
	srv := httptest.NewServer(fake)
	r, err := slack.New(slack.Config{BaseURL: srv.URL + "/api"})
	if err != nil {
		return nil, srv.Close, fmt.Errorf("slack: %w", err)
	}
	return []scenario{
		{vendor: "slack", method: "the token itself (Bearer)", revoker: r, hint: revoke.HintAccessToken, active: fake.Active,
			issue: func() string { return fake.IssueUserToken("U012AB3CD") }},
		{vendor: "slack (bot token)", method: "the token itself (Bearer)", revoker: r, active: fake.Active,
			issue: func() string { return fake.IssueBotToken("B012AB3CD") }},
		{vendor: "slack (rotating token)", method: "the token itself (Bearer)", revoker: r, hint: revoke.HintAccessToken, active: fake.Active,
			issue: func() string { return fake.Issue("slack-app", "U045EF6GH").AccessToken }},
	}, srv.Close, nil
}
