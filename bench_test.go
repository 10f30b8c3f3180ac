package revoke_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
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
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

// BenchmarkRevoke compares one revocation through the SDK (generic adapter,
// client_secret_basic, retries armed, logging off) with the same request
// written by hand with net/http: the floor.
func BenchmarkRevoke(b *testing.B) {
	b.Run("sdk", func(b *testing.B) {
		srv := benchServer(b)
		r, err := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.ClientSecretBasic("client-1", "p@ss:w+rd%/= x")},
			revoke.WithHTTPClient(benchClient()))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		req := revoke.Request{Token: "tok-0123456789abcdef", Hint: revoke.HintAccessToken}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := r.Revoke(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net-http", func(b *testing.B) {
		srv := benchServer(b)
		hc := benchClient()
		endpoint := srv.URL + "/revoke"
		authz := "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape("client-1")+":"+url.QueryEscape("p@ss:w+rd%/= x")))
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			form := url.Values{"token": {"tok-0123456789abcdef"}, "token_type_hint": {"access_token"}}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Authorization", authz)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatal(resp.Status)
			}
		}
	})
}
