//go:build !go1.25

package okta

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
)

// On Go 1.25 and later, admin_wait_test.go runs this check instantly on
// synctest's fake clock; before that, it takes the real 2 s.

// Test429ThenSuccess: a 429 carrying Date and X-Rate-Limit-Reset one second
// ahead is retried after Reset − Date + 1 s. This wait is the shared
// pipeline's, on the real clock (2 s), so the test runs in parallel with the
// others.
func Test429ThenSuccess(t *testing.T) {
	t.Parallel()
	mt := httpmock.NewMockTransport()
	var mu sync.Mutex
	var at []time.Time
	body := golden(t, "error_429.json")
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		at = append(at, now)
		if len(at) == 1 {
			resp := httpmock.NewStringResponse(http.StatusTooManyRequests, body)
			date := now.Truncate(time.Second)
			resp.Header.Set("Date", date.UTC().Format(http.TimeFormat))
			resp.Header.Set("X-Rate-Limit-Limit", "10")
			resp.Header.Set("X-Rate-Limit-Remaining", "0")
			resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(date.Add(time.Second).Unix(), 10))
			return resp, nil
		}
		return httpmock.NewStringResponse(http.StatusNoContent, ""), nil
	})
	a := newTestAdmin(t, mt, revoke.WithRetry(revoke.RetryPolicy{MaxWait: 5 * time.Second}))
	res, err := a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusNoContent || res.Attempts != 2 {
		t.Errorf("result = %+v, want 204 after 2 attempts", res)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(at) != 2 {
		t.Fatalf("%d requests, want 2", len(at))
	}
	// Reset − Date is 1 s, plus Okta's 1 s margin.
	if gap := at[1].Sub(at[0]); gap < 2*time.Second-50*time.Millisecond || gap > 3*time.Second {
		t.Errorf("retried after %v, want Reset − Date + 1 s", gap)
	}
}
