package logout

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// remoteGTR is a Global Token Revocation handler whose issuer publishes its
// keys at p, on a fake clock.
func remoteGTR(t *testing.T, p *idp, mutate func(*Config)) (*GlobalTokenRevocationHandler, *fakeClock, *logBuffer) {
	t.Helper()
	h, _, logs := newGTR(t, func(c *Config) {
		c.Issuers = []Issuer{{Issuer: testIssuer, JWKSURL: p.url()}}
		if mutate != nil {
			mutate(c)
		}
	})
	clock := &fakeClock{t: time.Now()}
	h.s.now = clock.now
	return h, clock, logs
}

// gtrAt is a signed request valid at clock's time.
func gtrAt(t *testing.T, k testKey, clock *fakeClock) *http.Request {
	return gtrRequest(sign(t, k, gtrClaims(clock.now()), nil), emailBody)
}

func TestJWKSUnknownKIDRefreshesOncePerInterval(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	h, clock, _ := remoteGTR(t, p, nil)

	steps := []struct {
		name    string
		advance time.Duration
		publish []testKey
		key     testKey
		status  int
		fetches int32
	}{
		{name: "first use fetches", key: k.rsa1, status: 204, fetches: 1},
		{name: "known kid: cached", key: k.rsa1, status: 204, fetches: 1},
		{name: "unknown kid right after the first fetch: no fetch", key: k.rsa2, status: 401, fetches: 1},
		{name: "rotated-in kid after the interval: one refresh", advance: DefaultJWKSRefreshInterval, publish: []testKey{k.rsa1, k.rsa2}, key: k.rsa2, status: 204, fetches: 2},
		{name: "another unknown kid within the interval: no fetch", advance: time.Minute, key: k.es256, status: 401, fetches: 2},
		{name: "and again: no fetch", advance: time.Minute, key: k.ed, status: 401, fetches: 2},
		{name: "known kids still work", key: k.rsa2, status: 204, fetches: 2},
		{name: "after the interval: one refresh", advance: 4 * time.Minute, publish: []testKey{k.rsa1, k.rsa2, k.es256}, key: k.es256, status: 204, fetches: 3},
		{name: "withdrawn key stays cached until the max age", publish: []testKey{k.rsa2, k.es256}, key: k.rsa1, status: 204, fetches: 3},
		{name: "past the max age the set is refetched", advance: jwksMaxAgeIntervals * DefaultJWKSRefreshInterval, key: k.rsa1, status: 401, fetches: 4},
	}
	for _, st := range steps {
		clock.advance(st.advance)
		if st.publish != nil {
			p.publish(t, st.publish...)
		}
		w := serve(h, gtrAt(t, st.key, clock))
		if w.Code != st.status {
			t.Fatalf("%s: status %d, want %d", st.name, w.Code, st.status)
		}
		if got := p.fetches.Load(); got != st.fetches {
			t.Fatalf("%s: %d fetches, want %d", st.name, got, st.fetches)
		}
	}
}

func TestJWKSNoKIDRefreshes(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1.withKID(""))
	h, clock, _ := remoteGTR(t, p, nil)
	if w := serve(h, gtrAt(t, k.rsa1.withKID(""), clock)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	// The issuer rotates without kids: the first failure refreshes.
	p.publish(t, k.rsa2.withKID(""))
	clock.advance(DefaultJWKSRefreshInterval)
	if w := serve(h, gtrAt(t, k.rsa2.withKID(""), clock)); w.Code != 204 {
		t.Fatalf("after rotation: status %d", w.Code)
	}
	if got := p.fetches.Load(); got != 2 {
		t.Fatalf("%d fetches, want 2", got)
	}
}

func TestJWKSConcurrentFetchesCollapse(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	release := make(chan struct{})
	doc := jwksOf(t, k.rsa1)
	p.answer(func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write(doc)
	})
	h, clock, _ := remoteGTR(t, p, nil)
	const n = 16
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		req := gtrAt(t, k.rsa1, clock)
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- serve(h, req).Code
		}()
	}
	time.Sleep(100 * time.Millisecond) // let them pile up on the fetch
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != 204 {
			t.Fatalf("status %d", c)
		}
	}
	if got := p.fetches.Load(); got != 1 {
		t.Fatalf("%d fetches for %d concurrent requests, want 1", got, n)
	}
}

func TestJWKSFetchFailures(t *testing.T) {
	k := keys(t)
	target := newIDP(t, k.rsa1)
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		logged string
	}{
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.url(), http.StatusFound)
		}, "redirects are not followed"},
		{"permanent redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.url(), http.StatusPermanentRedirect)
		}, "HTTP 308"},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			// A valid document padded past the bound.
			_, _ = w.Write([]byte(`{"pad":"` + strings.Repeat("a", MaxJWKSBytes) + `",` + string(jwksOf(t, k.rsa1))[1:]))
		}, "exceeds the 1048576-byte limit"},
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusInternalServerError)
		}, "HTTP 500"},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html>maintenance</html>"))
		}, "not a JWK Set"},
		{"no usable keys", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(jwksOf(t, k.rsaSmall))
		}, "no usable public signing key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newIDP(t)
			p.answer(tc.answer)
			before := target.fetches.Load()
			h, clock, logs := remoteGTR(t, p, nil)
			w := serve(h, gtrAt(t, k.rsa1, clock))
			if w.Code != 503 {
				t.Fatalf("status %d, want 503", w.Code)
			}
			if !strings.Contains(logs.String(), tc.logged) {
				t.Fatalf("log lacks %q:\n%s", tc.logged, logs)
			}
			if target.fetches.Load() != before {
				t.Fatal("the redirect was followed")
			}
			// Within the failure gap: no second fetch.
			clock.advance(time.Second)
			if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 503 {
				t.Fatalf("second: status %d", w.Code)
			}
			if got := p.fetches.Load(); got != 1 {
				t.Fatalf("%d fetches within the failure gap, want 1", got)
			}
			// After it: one more try, which now succeeds.
			doc := jwksOf(t, k.rsa1)
			p.answer(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(doc) })
			clock.advance(jwksFailureGap)
			if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 204 {
				t.Fatalf("after recovery: status %d", w.Code)
			}
		})
	}
}

// A refresh that fails keeps the cached keys in use.
func TestJWKSStaleSetSurvivesFailedRefresh(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	h, clock, _ := remoteGTR(t, p, nil)
	if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	p.answer(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	clock.advance(jwksMaxAgeIntervals * DefaultJWKSRefreshInterval)
	if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 204 {
		t.Fatalf("stale set, refresh failing: status %d, want 204", w.Code)
	}
	// An unknown kid while the issuer is down: 503, not 401.
	clock.advance(DefaultJWKSRefreshInterval)
	if w := serve(h, gtrAt(t, k.rsa2, clock)); w.Code != 503 {
		t.Fatalf("unknown kid, refresh failing: status %d, want 503", w.Code)
	}
}

// The caller's context bounds the wait for a fetch.
func TestJWKSHonoursRequestContext(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	hang := make(chan struct{})
	defer close(hang)
	p.answer(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	h, clock, _ := remoteGTR(t, p, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	w := serve(h, gtrAt(t, k.rsa1, clock).WithContext(ctx))
	if w.Code != 503 {
		t.Fatalf("status %d, want 503", w.Code)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s with a 100ms request deadline", d)
	}
}

func TestJWKSURLValidation(t *testing.T) {
	tests := []struct {
		url    string
		ok     bool
		kindIs error
	}{
		{"https://idp.example.com/.well-known/jwks.json", true, nil},
		{"http://127.0.0.1:8080/jwks", true, nil},
		{"http://127.9.9.9/jwks", true, nil},
		{"http://[::1]:8080/jwks", true, nil},
		{"http://localhost:8080/jwks", true, nil},
		{"http://LOCALHOST/jwks", true, nil},
		{"http://idp.example.com/jwks", false, revoke.ErrInsecureEndpoint},
		{"http://evil.localhost/jwks", false, revoke.ErrInsecureEndpoint},
		{"http://localhost.example.com/jwks", false, revoke.ErrInsecureEndpoint},
		{"http://10.0.0.1/jwks", false, revoke.ErrInsecureEndpoint},
		{"http://[::ffff:10.0.0.1]/jwks", false, revoke.ErrInsecureEndpoint},
		{"ftp://idp.example.com/jwks", false, nil},
		{"/jwks", false, nil},
		{"https://user:pw@idp.example.com/jwks", false, nil},
		{"https://idp.example.com/jwks#frag", false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			_, err := NewBackChannelLogoutHandler(Config{
				Issuers:  []Issuer{{Issuer: testIssuer, JWKSURL: tc.url}},
				Audience: testClientID,
				Callback: func(context.Context, Event) error { return nil },
			})
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || ce.Field != "logout.Config.Issuers[0].JWKSURL" {
				t.Fatalf("err = %v, want a ConfigError for Issuers[0].JWKSURL", err)
			}
			if tc.kindIs != nil && !errors.Is(err, tc.kindIs) {
				t.Fatalf("err = %v, want errors.Is %v", err, tc.kindIs)
			}
			if strings.Contains(err.Error(), "pw") {
				t.Fatalf("password in error: %v", err)
			}
		})
	}
}

// The caller's *http.Client is copied: its CheckRedirect is untouched, and
// its Transport is used.
func TestJWKSHTTPClientCopied(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	used := false
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	h, clock, _ := remoteGTR(t, p, func(c *Config) { c.HTTPClient = client })
	if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	if client.CheckRedirect != nil {
		t.Fatal("the caller's client was modified")
	}
	if !used {
		t.Fatal("the caller's transport was not used")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestParseKeySet(t *testing.T) {
	k := keys(t)
	priv, _ := json.Marshal(jose.JSONWebKey{Key: k.es256.priv, KeyID: "with-private"})
	oct, _ := json.Marshal(jose.JSONWebKey{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "oct", Algorithm: "HS256"})
	enc, _ := json.Marshal(jose.JSONWebKey{Key: k.rsa1.public(), KeyID: "enc", Use: "enc"})
	small, _ := json.Marshal(jose.JSONWebKey{Key: k.rsaSmall.public(), KeyID: "small"})
	good, _ := json.Marshal(jose.JSONWebKey{Key: k.ed.public(), KeyID: "ed1"})
	doc := `{"keys":[` + string(priv) + `,` + string(oct) + `,` + string(enc) + `,` + string(small) +
		`,{"kty":"XYZ","kid":"unknown-type"},` + string(good) + `]}`
	set, err := parseKeySet([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, key := range set.keys {
		kids = append(kids, key.KeyID)
		if !key.IsPublic() {
			t.Errorf("key %s kept private material", key.KeyID)
		}
	}
	if strings.Join(kids, ",") != "with-private,ed1" {
		t.Fatalf("kept %v, want [with-private ed1]", kids)
	}
	for _, bad := range []string{``, `[]`, `{}`, `{"keys":[]}`, `{"keys":"x"}`, `{"keys":[` + string(oct) + `]}`} {
		if _, err := parseKeySet([]byte(bad)); err == nil {
			t.Errorf("parseKeySet(%q) succeeded", bad)
		}
	}
}

// A key whose JWKS entry names another alg is not used for this one.
func TestKeyAlgMustMatch(t *testing.T) {
	k := keys(t)
	pinned, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.rsa1.public(), KeyID: "rsa1", Algorithm: "PS256"}}})
	h, rec, _ := newGTR(t, func(c *Config) { c.Issuers[0].JWKS = pinned })
	if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody)); w.Code != 401 {
		t.Fatalf("RS256 token on a PS256-pinned key: status %d, want 401", w.Code)
	}
	if w := serve(h, gtrRequest(sign(t, testKey{"rsa1", jose.PS256, k.rsa1.priv}, gtrClaims(time.Now()), nil), emailBody)); w.Code != 204 {
		t.Fatalf("PS256: status %d, want 204", w.Code)
	}
	if len(rec.calls()) != 1 {
		t.Fatal("callback count")
	}
}

// Loopback means 127.0.0.0/8, ::1 and "localhost" exactly: the kit's rule.
func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.255.0.1": true, "::1": true,
		"a.localhost": false, "localhost.": false, "128.0.0.1": false, "::2": false, "example.com": false, "": false,
	} {
		if got := adapter.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestJWKSRequestHeaders(t *testing.T) {
	k := keys(t)
	p := newIDP(t, k.rsa1)
	var accept, ua string
	doc := jwksOf(t, k.rsa1)
	p.answer(func(w http.ResponseWriter, r *http.Request) {
		accept, ua = r.Header.Get("Accept"), r.Header.Get("User-Agent")
		_, _ = w.Write(doc)
	})
	h, clock, _ := remoteGTR(t, p, nil)
	if w := serve(h, gtrAt(t, k.rsa1, clock)); w.Code != 204 {
		t.Fatalf("status %d", w.Code)
	}
	if !strings.Contains(accept, "application/jwk-set+json") || ua != "revoke-go/"+revoke.Version {
		t.Fatalf("Accept %q, User-Agent %q", accept, ua)
	}
}
