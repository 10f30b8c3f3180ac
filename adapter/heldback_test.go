package adapter_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// TestHeldBackNamesTheSignal: once a server has asked for a wait longer
// than MaxWait, the next call is not sent, and its error says which answer
// asked: a 503 is ErrUnavailable (the token may still be valid), a 429
// ErrRateLimited, each with the wait left in RetryAfter.
func TestHeldBackNamesTheSignal(t *testing.T) {
	for _, tc := range []struct {
		status   int
		kind     error
		describe string
	}{
		{http.StatusServiceUnavailable, revoke.ErrUnavailable, "an earlier call with 503"},
		{http.StatusTooManyRequests, revoke.ErrRateLimited, "an earlier call with 429"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			var got atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got.Add(1)
				w.Header().Set("Retry-After", "30")
				w.WriteHeader(tc.status)
			}))
			defer srv.Close()
			c := newClient(t, adapter.Profile{}, revoke.WithRetry(revoke.RetryPolicy{MaxWait: time.Second}))
			call := &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL+"/revoke")}

			_, err := c.Do(context.Background(), call)
			var first *revoke.Error
			if !errors.As(err, &first) || !errors.Is(err, tc.kind) || first.StatusCode != tc.status {
				t.Fatalf("first call: %v; want %v with status %d", err, tc.kind, tc.status)
			}
			_, err = c.Do(context.Background(), call)
			var held *revoke.Error
			if !errors.As(err, &held) || !errors.Is(err, tc.kind) {
				t.Fatalf("second call: %v; want %v", err, tc.kind)
			}
			if !strings.Contains(held.Description, tc.describe) || !strings.Contains(held.Description, "nothing was sent") {
				t.Errorf("second call's description %q; want it to name %q and say nothing was sent", held.Description, tc.describe)
			}
			if held.RetryAfter <= 20*time.Second || held.RetryAfter > 31*time.Second {
				t.Errorf("RetryAfter = %v; want the rest of the 30 s the server asked for (plus at most 1 s of spread)", held.RetryAfter)
			}
			if n := got.Load(); n != 1 {
				t.Errorf("the server got %d requests; want 1 (the second call is held back)", n)
			}
		})
	}
}
