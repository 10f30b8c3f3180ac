package adapter_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// TestRetriedAnswersKeepTheirConnection: an answer that is retried (503,
// 429) is read to its end before the retry, so that its connection is
// reused even when its body is far longer than the 4 KiB go-retryablehttp
// drains: 20 calls of 4 attempts each, every answer a 503 with a 64 KiB
// page, use one connection.
func TestRetriedAnswersKeepTheirConnection(t *testing.T) {
	page := strings.Repeat("<p>Service Unavailable</p>\n", 64<<10/27)
	var conns, attempts atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(page))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newClient(t, adapter.Profile{}, revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}))
	u := mustURL(t, c, srv.URL+"/revoke")
	for range 20 {
		_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u, Body: adapter.Form(nil)})
		if !errors.Is(err, revoke.ErrUnavailable) {
			t.Fatalf("err = %v, want ErrUnavailable", err)
		}
	}
	if n := attempts.Load(); n != 80 {
		t.Errorf("%d attempts, want 80 (20 calls of 1 + 3 retries)", n)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections for 80 answers, want 1", n)
	}
}
