package adapter_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// rawServer accepts connections and answers each request with script,
// written as raw bytes, then keeps the connection open and silent until
// the test ends.
func rawServer(t *testing.T, script string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(done); ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				_, _ = io.WriteString(conn, script)
				<-done
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/revoke"
}

// TestNoHangOnInformationalAnswers: a server that answers 101 Switching
// Protocols (or 103 Early Hints) and then goes silent must not hold a call
// past its deadline; a 101 is refused at once.
func TestNoHangOnInformationalAnswers(t *testing.T) {
	tests := []struct {
		name, script string
		want         error
		within       time.Duration
	}{
		{"101 then silence", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n", revoke.ErrUnexpectedResponse, 500 * time.Millisecond},
		{"103 then silence", "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n", revoke.ErrUnavailable, 2 * time.Second},
		{"headers then a silent body", "HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\n\r\n{\"err", revoke.ErrInvalidRequest, 2 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := rawServer(t, tc.script)
			c := newClient(t, adapter.Profile{}, revoke.WithoutRetry())
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := c.Do(ctx, &adapter.Call{Op: "op", URL: mustURL(t, c, u), Body: adapter.Form(nil)})
			took := time.Since(start)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			var e *revoke.Error
			if !errors.As(err, &e) {
				t.Errorf("%T is not a *revoke.Error", err)
			}
			if took > tc.within {
				t.Errorf("returned after %v, past the 700ms deadline by far", took)
			}
		})
	}
}

// TestTimeoutWithoutDeadline: without a context deadline, WithTimeout
// bounds the call.
func TestTimeoutWithoutDeadline(t *testing.T) {
	u := rawServer(t, "HTTP/1.1 103 Early Hints\r\n\r\n")
	c := newClient(t, adapter.Profile{}, revoke.WithoutRetry(), revoke.WithTimeout(300*time.Millisecond))
	start := time.Now()
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, u)})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, revoke.ErrUnavailable) || time.Since(start) > 3*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

// TestTimeoutForEveryKindOfContext: WithTimeout bounds a call whatever
// context it brings without a deadline, and never cuts it short. Calls
// whose context cannot be cancelled share one deadline timer (a call gets
// between 63/64 of the timeout and all of it); the caller's values still
// reach the transport (httptrace) and Authorize.
func TestTimeoutForEveryKindOfContext(t *testing.T) {
	type key struct{}
	const timeout = 400 * time.Millisecond
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  func() (context.Context, *atomic.Bool)
	}{
		{"Background", func() (context.Context, *atomic.Bool) { return context.Background(), nil }},
		{"values and a trace", func() (context.Context, *atomic.Bool) {
			var got atomic.Bool
			ctx := context.WithValue(context.Background(), key{}, "v")
			return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: func() { got.Store(true) }}), &got
		}},
		{"WithoutCancel of a cancelled context", func() (context.Context, *atomic.Bool) {
			return context.WithoutCancel(context.WithValue(cancelled, key{}, "v")), nil
		}},
		{"cancellable, no deadline", func() (context.Context, *atomic.Bool) {
			ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
			t.Cleanup(cancel)
			return ctx, nil
		}},
	}
	hang := rawServer(t, "HTTP/1.1 103 Early Hints\r\n\r\n")
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(fast.Close)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, adapter.Profile{}, revoke.WithoutRetry(), revoke.WithTimeout(timeout))
			// A call that ends at once, then one that starts most of a
			// timeout later: the second must get a whole timeout, not
			// what is left of a deadline the first one set.
			ctx, traced := tc.ctx()
			if _, err := c.Do(ctx, &adapter.Call{Op: "op", URL: mustURL(t, c, fast.URL+"/revoke")}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(timeout * 3 / 4)
			var seen any
			call := &adapter.Call{Op: "op", URL: mustURL(t, c, hang), Authorize: func(ctx context.Context, _ *adapter.Attempt) error {
				seen = ctx.Value(key{})
				return nil
			}}
			start := time.Now()
			_, err := c.Do(ctx, call)
			took := time.Since(start)
			if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, revoke.ErrUnavailable) {
				t.Fatalf("err = %v; want the timeout", err)
			}
			if took < timeout-timeout/64-5*time.Millisecond || took > timeout+2*time.Second {
				t.Errorf("the call ended after %v; want the %v timeout, or at most 1/64 of it less", took, timeout)
			}
			if tc.name != "Background" && seen != "v" {
				t.Errorf("Authorize saw value %v; want the caller's", seen)
			}
			if traced != nil && !traced.Load() {
				t.Error("the caller's httptrace.ClientTrace was not called")
			}
		})
	}
}

// TestDefaultTransportIsLookedUpPerRequest: with no WithHTTPClient, a
// test's httpmock.Activate() intercepts the SDK.
func TestDefaultTransportIsLookedUpPerRequest(t *testing.T) {
	c := newClient(t, adapter.Profile{})
	httpmock.Activate()
	defer httpmock.DeactivateAndReset()
	httpmock.RegisterResponder("POST", "https://intercepted.example/revoke", httpmock.NewStringResponder(204, ""))
	resp, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, "https://intercepted.example/revoke")})
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("Do = %v, %v: the request went past httpmock", resp, err)
	}
	if n := httpmock.GetTotalCallCount(); n != 1 {
		t.Errorf("httpmock saw %d calls", n)
	}
}

// countingServer counts the TCP connections its clients open.
func countingServer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// TestConnectionsReusedAfterLargeErrorBodies: error bodies up to the read
// bound are drained, so connections are reused.
func TestConnectionsReusedAfterLargeErrorBodies(t *testing.T) {
	body := strings.Repeat("x", 300<<10)
	srv, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = io.WriteString(w, body)
	})
	c := newClient(t, adapter.Profile{}, revoke.WithoutRetry())
	u := mustURL(t, c, srv.URL+"/revoke")
	for i := 0; i < 300; i++ {
		if _, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u}); !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n > 2 {
		t.Errorf("300 calls answered with a 300 KiB error body opened %d connections; want them reused", n)
	}
}

// TestBodyReadBounded: a 100 MiB error body costs bounded memory.
func TestBodyReadBounded(t *testing.T) {
	chunk := strings.Repeat("y", 1<<20)
	srv, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		for i := 0; i < 100; i++ {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	c := newClient(t, adapter.Profile{}, revoke.WithoutRetry())
	u := mustURL(t, c, srv.URL+"/revoke")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: u})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, revoke.ErrServer) {
		t.Fatal(err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("a 100 MiB error body allocated %d bytes", got)
	}
	var e *revoke.Error
	if errors.As(err, &e); len(e.Excerpt) > 300 {
		t.Errorf("excerpt of %d bytes", len(e.Excerpt))
	}
}

// TestRedirectRefused: redirects are never followed.
func TestRedirectRefused(t *testing.T) {
	var followed atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed.Store(true) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	c := newClient(t, adapter.Profile{})
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL), Auth: revoke.ClientSecretBasic("id", testkit.Secret), Body: adapter.Form(nil)})
	if !errors.Is(err, revoke.ErrRedirect) || followed.Load() || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("err = %v, followed = %v", err, followed.Load())
	}
}

// TestRetryWaits: Retry-After is honoured; a wait beyond MaxWait returns
// at once with RetryAfter; 400 is never retried.
func TestRetryWaits(t *testing.T) {
	t.Run("Retry-After honoured", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 429, Header: http.Header{"Retry-After": {"0"}}}, testkit.Answer{Status: 200})
		c := newClient(t, adapter.Profile{}, ep.Options()...)
		resp, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base)})
		if err != nil || resp.Attempts != 2 {
			t.Fatalf("%v %v", resp, err)
		}
	})
	t.Run("beyond MaxWait: at once, with RetryAfter", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 503, Header: http.Header{"Retry-After": {"3600"}}})
		c := newClient(t, adapter.Profile{}, ep.Options()...)
		start := time.Now()
		_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base)})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnavailable) || e.RetryAfter != time.Hour || e.Attempts != 1 || time.Since(start) > time.Second {
			t.Fatalf("err = %#v", err)
		}
	})
	t.Run("400 not retried", func(t *testing.T) {
		ep := testkit.NewEndpoint(testkit.Answer{Status: 400})
		c := newClient(t, adapter.Profile{}, ep.Options()...)
		_, _ = c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base)})
		if n := len(ep.Requests()); n != 1 {
			t.Errorf("%d attempts", n)
		}
	})
	t.Run("connection failures retried, then typed", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		c := newClient(t, adapter.Profile{}, testkit.FastRetry())
		_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, "http://"+addr+"/r")})
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnavailable) || e.Attempts != 4 {
			t.Fatalf("err = %#v", err)
		}
	})
}

// TestMutualTLS presents the client certificate on the connection without
// changing the caller's client.
func TestMutualTLS(t *testing.T) {
	cert := selfSigned(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TLS.PeerCertificates) == 0 {
			w.WriteHeader(401)
			return
		}
		_ = r.ParseForm()
		if r.PostForm.Get("client_id") != "mtls-app" {
			w.WriteHeader(400)
			return
		}
		w.WriteHeader(200)
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()
	caller := srv.Client()
	before := caller.Transport.(*http.Transport).TLSClientConfig.Certificates
	c := newClient(t, adapter.Profile{}, revoke.WithHTTPClient(caller), revoke.WithoutRetry())
	auth, err := c.CheckAuth("F", revoke.SelfSignedTLSClientAuth("mtls-app", cert), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, srv.URL), Auth: auth}, revoke.Request{Token: testkit.Token}); err != nil {
		t.Fatalf("mTLS revoke: %v", err)
	}
	if after := caller.Transport.(*http.Transport).TLSClientConfig.Certificates; len(after) != len(before) {
		t.Error("the caller's transport was modified")
	}
	// Without the certificate the server refuses: with a TLS alert the
	// client reads as ErrInvalidClient, or, under TLS 1.3, by closing the
	// connection under a request already written.
	if _, err := c.Revoke(context.Background(), &adapter.Revocation{Op: "op", URL: mustURL(t, c, srv.URL), Auth: revoke.PublicClient("mtls-app")}, revoke.Request{Token: testkit.Token}); !errors.Is(err, revoke.ErrInvalidClient) && !errors.Is(err, revoke.ErrUnavailable) {
		t.Errorf("without a certificate: %v", err)
	}
	// A client whose transport cannot present a certificate is refused at
	// construction.
	odd := newClient(t, adapter.Profile{}, revoke.WithHTTPClient(&http.Client{Transport: httpmock.NewMockTransport()}))
	if _, err := odd.CheckAuth("F", revoke.TLSClientAuth("mtls-app", cert), nil); err == nil {
		t.Error("mTLS over a non-*http.Transport accepted")
	}
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	// httptest's certificate is a convenient ready-made key pair.
	c := srv.TLS.Certificates[0]
	if _, err := x509.ParseCertificate(c.Certificate[0]); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestVendorRetryable: a Profile can mark a vendor's own throttling answer
// (Cognito's 400 TooManyRequestsException) as retried like a 429.
func TestVendorRetryable(t *testing.T) {
	throttled := testkit.JSONAnswer(400, `{"__type":"TooManyRequestsException","message":"Rate exceeded"}`)
	ep := testkit.NewEndpoint(throttled, throttled, testkit.Answer{Status: 200})
	p := adapter.Profile{
		ParseError: func(b []byte) (adapter.ErrorBody, bool) {
			if strings.Contains(string(b), "TooManyRequests") {
				return adapter.ErrorBody{Code: "TooManyRequestsException"}, true
			}
			return adapter.ErrorBody{}, false
		},
		Retryable: func(status int, b adapter.ErrorBody) bool { return b.Code == "TooManyRequestsException" },
	}
	c := newClient(t, p, ep.Options()...)
	resp, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, base)})
	if err != nil || resp.Attempts != 3 {
		t.Fatalf("Do = %v, %v", resp, err)
	}
	// Other 400s are not retried, and the final body is intact.
	ep2 := testkit.NewEndpoint(testkit.JSONAnswer(400, `{"error":"invalid_request","error_description":"nope"}`))
	c2 := newClient(t, p, ep2.Options()...)
	_, err = c2.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c2, base)})
	var e *revoke.Error
	if !errors.As(err, &e) || e.Attempts != 1 || e.Description != "nope" {
		t.Fatalf("err = %#v", err)
	}
}
