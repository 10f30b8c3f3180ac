//go:build go1.25

package okta_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
)

// TestRateLimitWaitsForReset proves the adapter waits out Okta's 429 until
// X-Rate-Limit-Reset (measured against the response Date, so clock skew
// does not matter) plus one second, then succeeds. synctest's fake clock
// makes the 3-second wait instant.
func TestRateLimitWaitsForReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		var at []time.Time
		mt.RegisterResponder(http.MethodPost, org+"/oauth2/default/v1/revoke", func(*http.Request) (*http.Response, error) {
			now := time.Now()
			at = append(at, now)
			if len(at) == 1 {
				// The server's clock is decades ahead of the bubble's (which
				// starts in 2000): the wait must come from reset − Date.
				server := now.AddDate(30, 0, 0)
				resp := httpmock.NewStringResponse(http.StatusTooManyRequests, golden(t, "revoke-429-e0000047.json"))
				resp.Header.Set("Content-Type", "application/json")
				resp.Header.Set("Date", server.UTC().Format(http.TimeFormat))
				resp.Header.Set("X-Rate-Limit-Limit", "600")
				resp.Header.Set("X-Rate-Limit-Remaining", "0")
				resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(server.Add(2*time.Second).Unix(), 10))
				return resp, nil
			}
			return httpmock.NewStringResponse(http.StatusOK, ""), nil
		})
		r, err := okta.New(okta.Config{Domain: org, AuthorizationServerID: "default", ClientID: clientID, ClientSecret: secret},
			revoke.WithHTTPClient(&http.Client{Transport: mt}),
			revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxWait: 10 * time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
		if err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		if res.Attempts != 2 || len(at) != 2 {
			t.Fatalf("attempts = %d, requests = %d; want a retry after the 429", res.Attempts, len(at))
		}
		if waited := at[1].Sub(at[0]); waited != 3*time.Second {
			t.Errorf("waited %s between attempts, want reset (2s) + 1s = 3s", waited)
		}
	})
}
