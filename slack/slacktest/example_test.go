package slacktest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
)

// A unit test of code that revokes Slack tokens: the fake answers on an
// httpmock transport and tells whether tokens died.
func ExampleRegister() {
	mt := httpmock.NewMockTransport()
	fake := slacktest.Register(mt, "https://slack.com")
	tok := fake.IssueUserToken("U012AB3CD")

	r, err := slack.New(slack.Config{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok})
	fmt.Println(err, fake.Active(tok))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false
	// POST /api/auth.revoke 200
}
