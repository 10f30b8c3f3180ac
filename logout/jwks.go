package logout

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/revokekit/revoke/adapter"
)

// keySource gives the verification keys of one issuer. It is the seam at
// which fetching can move onto the SDK's shared HTTP pipeline: the verifier
// knows nothing of HTTP.
type keySource interface {
	// keys returns the current key set, fetching it when there is none yet
	// or when it has grown too old (a stale set is still returned when that
	// fetch fails).
	keys(ctx context.Context) (*keySet, error)
	// refresh fetches the key set anew, unless a fetch was attempted within
	// the refresh interval, in which case it returns the current set. It
	// returns an error when the fetch fails (or ctx ends first), and when
	// the last fetch failed too recently to try again. Concurrent calls
	// share one fetch.
	refresh(ctx context.Context) (*keySet, error)
}

// keySet is a parsed JWK Set: public signing keys only.
type keySet struct {
	keys    []jose.JSONWebKey
	fetched time.Time
}

// Fetch bounds.
const (
	jwksFetchTimeout = 10 * time.Second
	// jwksFailureGap is the least time between two attempts after a failed
	// fetch (or the refresh interval, if shorter).
	jwksFailureGap = 10 * time.Second
	// jwksMaxAgeIntervals: a set older than this many refresh intervals is
	// refreshed on its next use.
	jwksMaxAgeIntervals = 12
	minRSABits          = 2048
)

// errKeysUnavailable: no key set could be had (never fetched successfully).
var errKeysUnavailable = errors.New("logout: issuer keys unavailable")

// staticKeys is a key set given in the configuration; it never changes.
type staticKeys struct{ set *keySet }

func (s staticKeys) keys(context.Context) (*keySet, error)    { return s.set, nil }
func (s staticKeys) refresh(context.Context) (*keySet, error) { return s.set, nil }

// remoteKeys fetches a JWKS over HTTP and caches it.
type remoteKeys struct {
	url      *url.URL
	client   *adapter.Client
	interval time.Duration
	logger   *slog.Logger
	now      func() time.Time

	mu          sync.Mutex
	set         *keySet
	lastAttempt time.Time
	lastErr     error
	inflight    *fetchCall
}

// fetchCall is one fetch that concurrent callers wait for together.
type fetchCall struct {
	done chan struct{}
	set  *keySet
	err  error
}

func newRemoteKeys(u *url.URL, client *adapter.Client, interval time.Duration, logger *slog.Logger, now func() time.Time) *remoteKeys {
	return &remoteKeys{url: u, client: client, interval: interval, logger: logger, now: now}
}

func (r *remoteKeys) keys(ctx context.Context) (*keySet, error) {
	return r.get(ctx, false)
}

func (r *remoteKeys) refresh(ctx context.Context) (*keySet, error) {
	return r.get(ctx, true)
}

func (r *remoteKeys) get(ctx context.Context, refresh bool) (*keySet, error) {
	r.mu.Lock()
	now := r.now()
	cur := r.set
	if !refresh && cur != nil && now.Sub(cur.fetched) < jwksMaxAgeIntervals*r.interval {
		r.mu.Unlock()
		return cur, nil
	}
	call := r.inflight
	if call == nil {
		gap := r.interval
		if r.lastErr != nil && jwksFailureGap < gap {
			gap = jwksFailureGap
		}
		if !r.lastAttempt.IsZero() && now.Sub(r.lastAttempt) < gap {
			// Too soon after the last attempt: make do with what we have,
			// unless a refresh is wanted and the last attempt failed: then
			// whether the key exists cannot be told.
			lastErr := r.lastErr
			r.mu.Unlock()
			if cur == nil || (refresh && lastErr != nil) {
				return nil, errKeysUnavailable
			}
			return cur, nil
		}
		r.lastAttempt = now
		call = &fetchCall{done: make(chan struct{})}
		r.inflight = call
		// The fetch outlives any one caller (others may be waiting for
		// it) but not its own timeout.
		go r.run(context.WithoutCancel(ctx), call)
	}
	r.mu.Unlock()

	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if call.err != nil {
		if !refresh && cur != nil {
			return cur, nil // stale beats nothing
		}
		return nil, call.err
	}
	return call.set, nil
}

func (r *remoteKeys) run(ctx context.Context, call *fetchCall) {
	ctx, cancel := context.WithTimeout(ctx, jwksFetchTimeout)
	defer cancel()
	set, err := r.fetch(ctx)
	if err != nil {
		r.logger.LogAttrs(ctx, slog.LevelWarn, "logout: JWKS fetch failed",
			slog.String("jwks_uri", adapter.Endpoint(r.url)), slog.String("error", err.Error()))
	}
	r.mu.Lock()
	if err == nil {
		set.fetched = r.now()
		r.set = set
	}
	r.lastErr = err
	r.inflight = nil
	r.mu.Unlock()
	call.set, call.err = set, err
	close(call.done)
}

// fetch GETs and parses the JWKS through the SDK's shared pipeline, which
// bounds the read (MaxJWKSBytes), refuses redirects and plain http except
// to loopback, and honours ctx. Its errors name the endpoint (scheme, host
// and path, never the query) and never quote the document.
func (r *remoteKeys) fetch(ctx context.Context) (*keySet, error) {
	resp, err := r.client.Do(ctx, &adapter.Call{
		Op:       "logout JWKS",
		Method:   http.MethodGet,
		URL:      r.url,
		Header:   jwksHeader,
		ReadBody: true,
		Check: func(resp *adapter.Response) error {
			if resp.StatusCode != http.StatusOK {
				return resp.Fail()
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	set, err := parseKeySet(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("logout: JWKS %s: %w", adapter.Endpoint(r.url), err)
	}
	return set, nil
}

var jwksHeader = http.Header{"Accept": {"application/jwk-set+json, application/json"}}

// parseKeySet reads a JWK Set (RFC 7517 §5) and keeps its public signing
// keys: RSA of at least 2048 bits, EC on P-256, P-384 or P-521, Ed25519.
// Symmetric keys, encryption keys and keys go-jose cannot read are skipped;
// private keys are reduced to their public half. Errors never quote the
// document.
func parseKeySet(b []byte) (*keySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, errors.New("the document is not a JWK Set (a JSON object with a keys array)")
	}
	if doc.Keys == nil {
		return nil, errors.New("the document has no keys array")
	}
	set := &keySet{}
	for _, raw := range doc.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil {
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		pub := publicSigningKey(k.Key)
		if pub == nil {
			continue
		}
		set.keys = append(set.keys, jose.JSONWebKey{Key: pub, KeyID: k.KeyID, Algorithm: k.Algorithm, Use: k.Use})
	}
	if len(set.keys) == 0 {
		return nil, errors.New("the JWK Set holds no usable public signing key (RSA of 2048 bits or more, EC P-256/P-384/P-521, Ed25519)")
	}
	return set, nil
}

// publicSigningKey returns the public half of an asymmetric key, or nil.
func publicSigningKey(key any) any {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return nil
		}
		return k
	case *rsa.PrivateKey:
		return publicSigningKey(&k.PublicKey)
	case *ecdsa.PublicKey:
		return k
	case *ecdsa.PrivateKey:
		return &k.PublicKey
	case ed25519.PublicKey:
		return k
	case ed25519.PrivateKey:
		return k.Public()
	}
	return nil // symmetric ([]byte) and anything else
}

// candidates returns the keys of s that may verify a JWS with alg and kid:
// those with that kid (all of them when kid is empty) whose type fits alg
// and whose own alg, if any, is alg. known reports whether kid names any
// key of the set at all.
func (s *keySet) candidates(kid string, alg jose.SignatureAlgorithm) (keys []any, known bool) {
	if s == nil {
		return nil, false
	}
	for _, k := range s.keys {
		if kid != "" && k.KeyID != kid {
			continue
		}
		known = true
		if k.Algorithm != "" && k.Algorithm != string(alg) {
			continue
		}
		if fits(k.Key, alg) {
			keys = append(keys, k.Key)
		}
	}
	return keys, known
}

// fits reports whether alg is a signature algorithm for key's type.
func fits(key any, alg jose.SignatureAlgorithm) bool {
	switch k := key.(type) {
	case *rsa.PublicKey:
		switch alg {
		case jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512:
			return true
		}
	case *ecdsa.PublicKey:
		switch alg {
		case jose.ES256:
			return k.Curve == elliptic.P256()
		case jose.ES384:
			return k.Curve == elliptic.P384()
		case jose.ES512:
			return k.Curve == elliptic.P521()
		}
	case ed25519.PublicKey:
		return alg == jose.EdDSA
	}
	return false
}
