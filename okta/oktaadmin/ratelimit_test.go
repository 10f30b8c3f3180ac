package oktaadmin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
)

// Test429WaitTooLong: a 429 asking for more than MaxWait returns at once
// with RetryAfter and Okta's error fields; the bucket is then known to be
// spent, so the next call is refused without being sent.
func Test429WaitTooLong(t *testing.T) {
	mt := httpmock.NewMockTransport()
	date := time.Now().Truncate(time.Second)
	h := http.Header{"Date": {date.UTC().Format(http.TimeFormat)}, "X-Rate-Limit-Limit": {"10"}, "X-Rate-Limit-Remaining": {"0"},
		"X-Rate-Limit-Reset": {strconv.FormatInt(date.Add(10*time.Second).Unix(), 10)}}
	answer(mt, http.StatusTooManyRequests, h, golden(t, "error_429.json"))
	a := newTestAdmin(t, mt, revoke.WithRetry(revoke.RetryPolicy{MaxWait: time.Second}))
	start := time.Now()
	_, err := a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
	var re *revoke.Error
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) {
		t.Fatalf("error = %v", err)
	}
	if re.RetryAfter != 11*time.Second || re.Attempts != 1 || re.Code != "E0000047" || re.Description != "API call exceeded rate limit due to too many requests." ||
		re.RequestID != "sampleQPivGUj_ND5v78vbYWW" || re.URI != "E0000047" {
		t.Errorf("error = %+v", re)
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v: it must not wait", time.Since(start))
	}
	_, err = a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
	if !errors.As(err, &re) || !errors.Is(err, revoke.ErrRateLimited) || re.Attempts != 0 || re.RetryAfter < 9*time.Second || re.RetryAfter > 11*time.Second {
		t.Errorf("second call: %+v", re)
	}
	if n := mt.GetTotalCallCount(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}
