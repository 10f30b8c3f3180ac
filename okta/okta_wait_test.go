//go:build go1.25

package okta_test

import (
	"context"
	"errors"
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
// does not matter; the latest the window can end given Date's whole
// seconds, and at most Okta's recommended 1 s margin more), then succeeds.
// synctest's fake clock makes the wait instant.
func TestRateLimitWaitsForReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		var at []time.Time
		mt.RegisterResponder(http.MethodPost, org+"/oauth2/default/v1/revoke", func(req *http.Request) (*http.Response, error) {
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
				resp.Request = req // as a real transport does
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
		if waited := at[1].Sub(at[0]); waited < 2*time.Second || waited > 3*time.Second {
			t.Errorf("waited %s between attempts, want reset − Date (2s), plus at most 1s", waited)
		}
	})
}

// TestSharedRevokerIsPaced: a shared Revoker whose window Okta reports
// spent (Remaining 0) waits for the reset before the next call instead of
// drawing a 429, and refuses at once, sending nothing, when the reset is
// beyond MaxWait. The reset is known to within the Date header's one-second
// resolution: the kit may probe the new window up to a second early.
func TestSharedRevokerIsPaced(t *testing.T) {
	for _, tc := range []struct {
		name    string
		maxWait time.Duration
		wantErr bool
	}{
		{"within MaxWait", 10 * time.Second, false},
		{"beyond MaxWait", 2 * time.Second, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mt := httpmock.NewMockTransport()
				var at []time.Time
				mt.RegisterResponder(http.MethodPost, org+"/oauth2/v1/revoke", func(req *http.Request) (*http.Response, error) {
					now := time.Now()
					at = append(at, now)
					server := now.AddDate(30, 0, 0)
					resp := httpmock.NewStringResponse(http.StatusOK, "")
					resp.Header.Set("Date", server.UTC().Format(http.TimeFormat))
					resp.Header.Set("X-Rate-Limit-Limit", "1")
					resp.Header.Set("X-Rate-Limit-Remaining", "0")
					resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(server.Add(5*time.Second).Unix(), 10))
					resp.Request = req
					return resp, nil
				})
				r, err := okta.New(okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret},
					revoke.WithHTTPClient(&http.Client{Transport: mt}), revoke.WithRetry(revoke.RetryPolicy{MaxWait: tc.maxWait}))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := r.Revoke(context.Background(), revoke.Request{Token: token}); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				_, err = r.Revoke(context.Background(), revoke.Request{Token: token})
				if tc.wantErr {
					var e *revoke.Error
					if !errors.As(err, &e) || !errors.Is(err, revoke.ErrRateLimited) || e.RetryAfter > 5*time.Second || e.RetryAfter < 4*time.Second || e.Attempts != 0 || len(at) != 1 || time.Since(start) != 0 {
						t.Errorf("err = %v after %d requests and %s; want ErrRateLimited, RetryAfter 5s (within a second), nothing sent, at once", err, len(at), time.Since(start))
					}
					return
				}
				if err != nil || len(at) != 2 || at[1].Sub(at[0]) > 5*time.Second || at[1].Sub(at[0]) < 4*time.Second {
					t.Errorf("err = %v, requests at %v; want the second 5s after the first (within a second)", err, at)
				}
			})
		})
	}
}
