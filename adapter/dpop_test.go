package adapter_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
)

// dpopServer is an authorization server (400 use_dpop_nonce) or a
// resource server (401 WWW-Authenticate) that requires DPoP proofs.
type dpopServer struct {
	d        *revoketest.DPoP
	resource bool
	failOnce bool // answer 503 once after a valid proof

	mu     sync.Mutex
	proofs []string
	okay   int
}

func (s *dpopServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.proofs = append(s.proofs, r.Header.Get("DPoP"))
	s.mu.Unlock()
	at := ""
	if s.resource {
		at, _ = strings.CutPrefix(r.Header.Get("Authorization"), "DPoP ")
	}
	if _, e := s.d.Check(r, at); e != nil {
		if s.resource {
			s.d.WriteRS(w, e)
		} else {
			s.d.WriteAS(w, e)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failOnce {
		s.failOnce = false
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(503)
		return
	}
	s.okay++
	w.WriteHeader(200)
}

func TestDPoP(t *testing.T) {
	rsaKey := testkit.RSAKey(t)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	keys := []struct {
		name string
		key  crypto.Signer
		opts []revoke.DPoPOption
		alg  string
	}{
		{"ES256", testkit.ECKey(t), nil, "ES256"},
		{"RS256", rsaKey, nil, "RS256"},
		{"PS256", rsaKey, []revoke.DPoPOption{revoke.WithDPoPAlgorithm("PS256")}, "PS256"},
		{"EdDSA", edKey, nil, "EdDSA"},
		{"KMS signer", testkit.Signer{K: testkit.ECKey(t)}, nil, "ES256"},
	}
	for _, k := range keys {
		for _, resource := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s resource=%v", k.name, resource), func(t *testing.T) {
				fake := &dpopServer{d: revoketest.NewDPoP(), resource: resource}
				srv := httptest.NewServer(fake)
				defer srv.Close()
				c := newClient(t, adapter.Profile{}, revoke.WithDPoP(k.key, k.opts...), revoke.WithoutRetry())
				call := func() (*adapter.Response, error) {
					cl := &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL+"/revoke?x=1"), Body: adapter.Form(nil)}
					if resource {
						cl.Authorize = func(_ context.Context, a *adapter.Attempt) error {
							a.Header.Set("Authorization", "DPoP at-0123456789abcdef")
							a.SetAccessToken("at-0123456789abcdef")
							return nil
						}
					}
					return c.Do(context.Background(), cl)
				}
				// The first call meets the nonce handshake, even with
				// retries off.
				resp, err := call()
				if err != nil || resp.Attempts != 2 {
					t.Fatalf("first call: %v, %v", resp, err)
				}
				// The next one knows the nonce: one attempt.
				if resp, err := call(); err != nil || resp.Attempts != 1 {
					t.Fatalf("second call: %v, %v", resp, err)
				}
				// A rotated nonce is learned again.
				fake.d.RotateNonce()
				if resp, err := call(); err != nil || resp.Attempts != 2 {
					t.Fatalf("after rotation: %v, %v", resp, err)
				}
				seen := map[string]bool{}
				for i, p := range fake.proofs {
					if p == "" {
						t.Fatalf("request %d carried no proof", i)
					}
					if seen[p] {
						t.Fatalf("proof %d was sent before", i)
					}
					seen[p] = true
					jws, err := jose.ParseSignedCompact(p, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(k.alg)})
					if err != nil {
						t.Fatalf("proof %d: %v", i, err)
					}
					if jws.Signatures[0].Protected.Algorithm != k.alg {
						t.Errorf("alg = %s", jws.Signatures[0].Protected.Algorithm)
					}
				}
				if fake.okay != 3 {
					t.Errorf("%d accepted", fake.okay)
				}
			})
		}
	}
}

// TestDPoPFreshOnRetry: a retried attempt carries a new proof; the fake
// refuses a replayed one, so a reused proof would fail the call.
func TestDPoPFreshOnRetry(t *testing.T) {
	fake := &dpopServer{d: revoketest.NewDPoP(), failOnce: true}
	fake.d.RequireNonce = false
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := newClient(t, adapter.Profile{}, revoke.WithDPoP(testkit.ECKey(t)), testkit.FastRetry())
	resp, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL+"/r")})
	if err != nil || resp.Attempts != 2 || fake.proofs[0] == fake.proofs[1] {
		t.Fatalf("%v, %v", resp, err)
	}
	// The fake does refuse a replay.
	req, _ := http.NewRequest("POST", srv.URL+"/r", nil)
	req.Header.Set("DPoP", fake.proofs[1])
	r2, err := http.DefaultClient.Do(req)
	if err != nil || r2.StatusCode != 400 {
		t.Fatalf("a replayed proof was accepted: %v %v", r2, err)
	}
	r2.Body.Close()
}

// TestDPoPErrorsKeepProofsSecret: a server echoing the proof does not leak
// it.
func TestDPoPErrorsKeepProofsSecret(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		fmt.Fprintf(w, `{"error":"invalid_dpop_proof","error_description":"bad proof %s"}`, r.Header.Get("DPoP"))
	}))
	defer srv.Close()
	c := newClient(t, adapter.Profile{}, revoke.WithDPoP(testkit.ECKey(t)), revoke.WithoutRetry())
	_, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL)})
	if err == nil || strings.Contains(err.Error(), "eyJ") {
		t.Fatalf("err = %v", err)
	}
}

func TestDPoPBadKeys(t *testing.T) {
	weak, _ := rsa.GenerateKey(rand.Reader, 1024)
	for name, k := range map[string]crypto.Signer{
		"nil":            nil,
		"typed-nil RSA":  (*rsa.PrivateKey)(nil),
		"zero RSA":       &rsa.PrivateKey{},
		"weak RSA":       weak,
		"typed-nil EC":   (*ecdsa.PrivateKey)(nil),
		"zero EC":        &ecdsa.PrivateKey{},
		"short Ed25519":  ed25519.PrivateKey(make([]byte, 10)),
		"nil public key": nilPublic{},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := adapter.New(adapter.Profile{}, revoke.WithDPoP(k))
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), "WithDPoP") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

type nilPublic struct{ crypto.Signer }

func (nilPublic) Public() crypto.PublicKey { return nil }
