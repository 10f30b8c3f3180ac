package revoke_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/okta"
)

// benchServer answers every revocation with 200 and an empty body, as
// oidc-provider and fosite do, after reading the form.
func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("token") == "" || r.Header.Get("Authorization") == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// BenchmarkRevoke compares one revocation through the SDK (generic adapter,
// client_secret_basic, retries armed, pacing on, logging off) with the same
// request written by hand with net/http, the floor, against one loopback
// server. -count interleaves the three: run it with -count 7 or more and
// compare medians (see docs/performance.md).
//
//   - net-http: the hand-written POST, through a clone of
//     http.DefaultTransport;
//   - sdk-default: no options at all, as most callers write it (the SDK's
//     default client over http.DefaultTransport, a per-call timeout);
//   - sdk-client: WithHTTPClient with the same client as net-http.
func BenchmarkRevoke(b *testing.B) {
	endpoint := benchServer(b).URL + "/revoke"
	b.Run("net-http", func(b *testing.B) { benchByHand(b, benchClient(), endpoint) })
	b.Run("sdk-default", func(b *testing.B) { benchSDK(b, endpoint) })
	b.Run("sdk-client", func(b *testing.B) { benchSDK(b, endpoint, revoke.WithHTTPClient(benchClient())) })
}

// The request both sides send: client_secret_basic, a token and a hint.
const benchID, benchSecret = "client-1", "p@ss:w+rd%/= x"

var benchRequest = revoke.Request{Token: "tok-0123456789abcdef", Hint: revoke.HintAccessToken}

// benchByHand is the floor: the revocation written by hand with net/http
// (RFC 7009 §2.1; the Basic credentials form-encoded first, RFC 6749
// §2.3.1), the whole answer read.
func benchByHand(b *testing.B, hc *http.Client, endpoint string) {
	ctx := context.Background()
	authz := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(benchID)+":"+url.QueryEscape(benchSecret)))
	b.ReportAllocs()
	for b.Loop() {
		form := url.Values{"token": {benchRequest.Token}, "token_type_hint": {string(benchRequest.Hint)}}
		hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if err != nil {
			b.Fatal(err)
		}
		hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		hreq.Header.Set("Accept", "application/json")
		hreq.Header.Set("Authorization", authz)
		resp, err := hc.Do(hreq)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
}

// benchSDK sends the same revocation through the generic adapter.
func benchSDK(b *testing.B, endpoint string, opts ...revoke.Option) {
	ctx := context.Background()
	r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: revoke.ClientSecretBasic(benchID, benchSecret)}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Revoke(ctx, benchRequest); err != nil {
			b.Fatal(err)
		}
	}
}

// answerOK is a RoundTripper that answers every request 200 with no body,
// in memory, after reading the request body: what is left to measure is
// the client's own work.
type answerOK struct{}

func (answerOK) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: r}, nil
}

// BenchmarkRevokeOverhead is BenchmarkRevoke without the network: both
// calls go through an *http.Client whose transport answers in memory, so
// the difference is the SDK's own work per call (building, retry hooks,
// pacing, scrubbing set-up, the result), free of the loopback's noise.
func BenchmarkRevokeOverhead(b *testing.B) {
	const endpoint = "https://as.example.com/revoke"
	b.Run("net-http", func(b *testing.B) { benchByHand(b, &http.Client{Transport: answerOK{}}, endpoint) })
	b.Run("sdk-client", func(b *testing.B) { benchSDK(b, endpoint, revoke.WithHTTPClient(&http.Client{Transport: answerOK{}})) })
}

// oktaLikeServer is a loopback server limited to limit requests per
// one-second window aligned on the second, answering like Okta: every
// answer carries X-Rate-Limit-Limit, -Remaining, -Reset (epoch seconds)
// and Date; past the limit, 429 E0000047. It counts the TCP connections
// its clients open.
type oktaLikeServer struct {
	*httptest.Server
	limit int

	mu            sync.Mutex
	window        int64
	used, ok, got int
	n429          int
	conns         atomic.Int64
}

func newOktaLikeServer(tb testing.TB, limit int) *oktaLikeServer {
	s := &oktaLikeServer{limit: limit}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

func (s *oktaLikeServer) serve(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	now := time.Now()
	s.mu.Lock()
	if sec := now.Unix(); sec != s.window {
		s.window, s.used = sec, 0
	}
	s.got++
	h := w.Header()
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(s.limit))
	h.Set("X-Rate-Limit-Reset", strconv.FormatInt(s.window+1, 10))
	if s.used >= s.limit {
		s.n429++
		s.mu.Unlock()
		h.Set("X-Rate-Limit-Remaining", "0")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"errorCode":"E0000047","errorSummary":"You exceeded the maximum number of requests. Try again in a while.","errorLink":"E0000047","errorId":"oae1","errorCauses":[]}`)
		return
	}
	s.used++
	s.ok++
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(s.limit-s.used))
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// BenchmarkSharedAdapterAtLimit shares one Okta Revoker between 32
// goroutines revoking 400 tokens against a server that allows 25 requests
// a second, and reports what a shared adapter must get right at a vendor's
// limit: failed revocations (target 0), 429 answers (target: at most one
// window's worth, 25), TCP connections (target: no more than the callers)
// and the achieved rate against the allowed one. Run it once:
//
//	go test -run '^$' -bench SharedAdapterAtLimit -benchtime 1x .
func BenchmarkSharedAdapterAtLimit(b *testing.B) {
	for b.Loop() {
		const workers, total, limit = 32, 400, 25
		srv := newOktaLikeServer(b, limit)
		r, err := okta.New(okta.Config{Domain: srv.URL, ClientID: "0oa-bench", ClientSecret: "bench-secret-0123"})
		if err != nil {
			b.Fatal(err)
		}
		var failed atomic.Int64
		next := make(chan int, total)
		for i := range total {
			next <- i
		}
		close(next)
		start := time.Now()
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if _, err := r.Revoke(context.Background(), revoke.Request{Token: fmt.Sprintf("tok-%08d-bench", i)}); err != nil {
						failed.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.ReportMetric(float64(failed.Load()), "failed")
		b.ReportMetric(float64(srv.n429), "429s")
		b.ReportMetric(float64(srv.conns.Load()), "conns")
		b.ReportMetric(float64(srv.ok)/elapsed.Seconds()/limit, "rate/limit")
	}
}

// BenchmarkSequentialAtLimit revokes 100 tokens one after another against
// a server that allows 10 requests a second, and reports the achieved rate
// against the allowed one: a caller held back until the reset, measured
// against the second-resolution Date header plus Okta's one-second margin,
// would waste half of every one-second window.
//
//	go test -run '^$' -bench SequentialAtLimit -benchtime 1x .
func BenchmarkSequentialAtLimit(b *testing.B) {
	for b.Loop() {
		const total, limit = 100, 10
		srv := newOktaLikeServer(b, limit)
		r, err := okta.New(okta.Config{Domain: srv.URL, ClientID: "0oa-bench", ClientSecret: "bench-secret-0123"})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := range total {
			if _, err := r.Revoke(context.Background(), revoke.Request{Token: fmt.Sprintf("tok-%08d-bench", i)}); err != nil {
				b.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		b.ReportMetric(float64(srv.n429), "429s")
		b.ReportMetric(float64(srv.conns.Load()), "conns")
		b.ReportMetric(float64(srv.ok)/elapsed.Seconds()/limit, "rate/limit")
	}
}
