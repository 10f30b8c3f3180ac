package oktaadmin

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktatest"
)

// BenchmarkListUserClientTokens iterates 1,000 tokens in pages of 200 from
// the emulator: five requests, Link parsing and JSON decoding per op.
func BenchmarkListUserClientTokens(b *testing.B) {
	mt := httpmock.NewMockTransport()
	emu := oktatest.RegisterAdmin(mt, testDomain)
	emu.AddUser("00u1")
	emu.AddClient("0oa1", "Web")
	for range 1000 {
		emu.IssueRefreshToken("00u1", "0oa1")
	}
	a, err := New(Config{Domain: testDomain, APIToken: oktatest.APIToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range a.ListUserClientTokens(ctx, "00u1", "0oa1", ListOptions{Limit: 200}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("%d tokens", n)
		}
	}
}

// BenchmarkRevokeUserClientTokens measures one DELETE through the whole
// client (validation, bucket tracking, pipeline) against a canned 204.
func BenchmarkRevokeUserClientTokens(b *testing.B) {
	mt := httpmock.NewMockTransport()
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusNoContent, "")
		resp.Header.Set("X-Rate-Limit-Limit", "1000000000")
		resp.Header.Set("X-Rate-Limit-Remaining", "999999999")
		resp.Header.Set("X-Rate-Limit-Reset", reset)
		return resp, nil
	})
	a, err := New(Config{Domain: testDomain, APIToken: testToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.RevokeUserClientTokens(ctx, "00ub0oNGTSWTBKOLGLNR", "0oabskvc6442nkvQO0h7"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRevokeParallel is one call through a shared Admin from many
// goroutines: the adapter kit's per-bucket pacing bookkeeping under
// contention, on a bucket that is never spent.
func BenchmarkRevokeParallel(b *testing.B) {
	mt := httpmock.NewMockTransport()
	now := time.Now()
	h := http.Header{"Date": {now.UTC().Format(http.TimeFormat)}, "X-Rate-Limit-Limit": {"1000000000"},
		"X-Rate-Limit-Remaining": {"999999999"}, "X-Rate-Limit-Reset": {strconv.FormatInt(now.Add(time.Hour).Unix(), 10)}}
	answer(mt, http.StatusNoContent, h, "")
	a, err := New(Config{Domain: testDomain, APIToken: testToken}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.RevokeUserGrants(ctx, "00ub0oNGTSWTBKOLGLNR"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
