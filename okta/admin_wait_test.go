//go:build go1.25

package okta

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
)

// Test429ThenSuccess: a 429 carrying Date and an X-Rate-Limit-Reset one
// second ahead is retried exactly Reset − Date + 1 s later. The wait is the
// shared pipeline's, on the real clock, so the test runs in a synctest
// bubble where it takes no time. The server's clock is years off the
// client's: only Reset − Date may count.
func Test429ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		var at []time.Time
		body := golden(t, "error_429.json")
		mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			now := time.Now()
			at = append(at, now)
			if len(at) == 1 {
				server := now.AddDate(7, 0, 0).Truncate(time.Second)
				resp := httpmock.NewStringResponse(http.StatusTooManyRequests, body)
				resp.Header.Set("Content-Type", "application/json")
				resp.Header.Set("Date", server.UTC().Format(http.TimeFormat))
				resp.Header.Set("X-Rate-Limit-Limit", "10")
				resp.Header.Set("X-Rate-Limit-Remaining", "0")
				resp.Header.Set("X-Rate-Limit-Reset", strconv.FormatInt(server.Add(time.Second).Unix(), 10))
				return resp, nil
			}
			return httpmock.NewStringResponse(http.StatusNoContent, ""), nil
		})
		a := newTestAdmin(t, mt, revoke.WithRetry(revoke.RetryPolicy{MaxWait: 5 * time.Second}))
		res, err := a.RevokeUserClientTokens(context.Background(), "00u1", "0oa1")
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusNoContent || res.Attempts != 2 || len(at) != 2 {
			t.Fatalf("result %+v after %d requests, want 204 on the second", res, len(at))
		}
		if waited := at[1].Sub(at[0]); waited != 2*time.Second {
			t.Errorf("retried after %s, want Reset − Date (1 s) + 1 s = 2 s", waited)
		}
	})
}

// TestEmulator429ThenSuccess: another client spends the bucket this Admin
// has not seen yet, so its call draws the emulator's 429; the pipeline waits
// for the window's reset (+1 s) and the retry succeeds in the new window.
func TestEmulator429ThenSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		emu := revoketest.RegisterOktaAdmin(mt, testDomain)
		// The bubble's clock starts in 2000, before epoch 1e9, where reset
		// values would read as seconds-remaining: the server runs ten
		// years ahead (only Reset − Date matters).
		emu.Now = func() time.Time { return time.Now().AddDate(10, 0, 0) }
		emu.AddUser("00u1")
		emu.AddClient("0oa1", "Web")
		emu.SetRateLimit("DELETE "+revoketest.OktaUserGrantsPath, 1, time.Minute)
		hc := &http.Client{Transport: mt}
		other, _ := http.NewRequestWithContext(context.Background(), http.MethodDelete, testDomain+"/api/v1/users/00u1/grants", nil)
		other.Header.Set("Authorization", "SSWS "+revoketest.OktaAdminAPIToken)
		resp, err := hc.Do(other)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		a, err := NewAdmin(AdminConfig{Domain: testDomain, APIToken: revoketest.OktaAdminAPIToken},
			revoke.WithHTTPClient(hc), revoke.WithRetry(revoke.RetryPolicy{MaxWait: 2 * time.Minute}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, err := a.RevokeUserGrants(context.Background(), "00u1")
		if err != nil {
			t.Fatal(err)
		}
		if res.Attempts != 2 {
			t.Errorf("attempts %d, want 2", res.Attempts)
		}
		reqs := emu.Requests()
		if len(reqs) != 3 || reqs[0].Status != 204 || reqs[1].Status != 429 || reqs[2].Status != 204 {
			t.Fatalf("emulator log: %+v", reqs)
		}
		reset := emu.Now().Add(-time.Since(start)).Add(time.Minute)
		if !reqs[2].At.After(reset) || time.Since(start) != time.Minute+time.Second {
			t.Errorf("retry at %v (waited %s); the window reset at %v, +1 s margin", reqs[2].At, time.Since(start), reset)
		}
	})
}
