package slack_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

// Revoke a user token (a "Sign in with Slack" logout). An in-process fake
// stands in for https://slack.com/api.
func Example() {
	fake := slacktest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	tok := fake.IssueUserToken("U012AB3CD")

	r, err := slack.New(slack.Config{BaseURL: srv.URL + "/api"}) // in production: slack.Config{}
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok})
	d, _ := slack.Details(res)
	fmt.Println(err, d.Revoked, fake.Active(tok))

	// Again: Slack answers {"ok":false,"error":"token_revoked"}, which the
	// SDK reports as already invalid, never as an error.
	res, err = r.Revoke(context.Background(), revoke.Request{Token: tok})
	d, _ = slack.Details(res)
	fmt.Println(err, res.AlreadyInvalid, d.Error)
	// Output:
	// <nil> true false
	// <nil> true token_revoked
}

// Config.Test asks Slack to check the token without revoking it.
func ExampleConfig_test() {
	mt := httpmock.NewMockTransport()
	fake := slacktest.Register(mt, "https://slack.com")
	tok := fake.IssueBotToken("B012AB3CD")

	r, err := slack.New(slack.Config{Test: true}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok})
	d, _ := slack.Details(res)
	fmt.Println(err, d.DryRun, d.Revoked, fake.Active(tok))
	// Output: <nil> true false true
}

// {"ok":false} is never a success: Slack's code is classified and kept.
func ExampleRevoker_Revoke_error() {
	mt := httpmock.NewMockTransport()
	fake := slacktest.Register(mt, "https://slack.com")
	fake.FailNext(1, slacktest.Error("ekm_access_denied"))

	r, err := slack.New(slack.Config{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: fake.IssueUserToken("U012AB3CD")})
	var e *revoke.Error
	fmt.Println(errors.Is(err, revoke.ErrForbidden), errors.As(err, &e) && e.Code == "ekm_access_denied")
	fmt.Println(err)
	// Output:
	// true true
	// revoke: forbidden: slack revoke https://slack.com/api/auth.revoke: HTTP 200: ekm_access_denied: Administrators have suspended the ability to post a message. [request id 00000000000000000000000000000001]
}
