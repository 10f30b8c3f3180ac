package logout

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMemoryReplayCache(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	c := NewMemoryReplayCache(2)
	c.now = clock.now
	exp := clock.now().Add(time.Minute)

	steps := []struct {
		name      string
		advance   time.Duration
		iss, jti  string
		expires   time.Time
		wantFirst bool
		wantErr   error
		wantLen   int
	}{
		{name: "first use", iss: "a", jti: "1", expires: exp, wantFirst: true, wantLen: 1},
		{name: "replay", iss: "a", jti: "1", expires: exp, wantFirst: false, wantLen: 1},
		{name: "same jti, other issuer", iss: "b", jti: "1", expires: exp.Add(time.Minute), wantFirst: true, wantLen: 2},
		{name: "full: fail closed", iss: "a", jti: "2", expires: exp, wantErr: ErrReplayCacheFull, wantLen: 2},
		{name: "still a replay while unexpired", advance: 59 * time.Second, iss: "a", jti: "1", expires: exp, wantFirst: false, wantLen: 2},
		{name: "expired entries are forgotten", advance: time.Second, iss: "a", jti: "2", expires: exp.Add(time.Hour), wantFirst: true, wantLen: 2},
		{name: "the expired jti is new again, but the cache is full", iss: "a", jti: "1", expires: exp.Add(time.Hour), wantErr: ErrReplayCacheFull, wantLen: 2},
		{name: "all expired", advance: 2 * time.Hour, iss: "a", jti: "1", expires: clock.now().Add(3 * time.Hour), wantFirst: true, wantLen: 1},
	}
	for _, st := range steps {
		clock.advance(st.advance)
		first, err := c.Use(ctx, st.iss, st.jti, st.expires)
		if !errors.Is(err, st.wantErr) || (err == nil && first != st.wantFirst) {
			t.Fatalf("%s: Use = %v, %v; want %v, %v", st.name, first, err, st.wantFirst, st.wantErr)
		}
		if c.Len() != st.wantLen {
			t.Fatalf("%s: Len = %d, want %d", st.name, c.Len(), st.wantLen)
		}
	}
}

func TestMemoryReplayCacheConcurrent(t *testing.T) {
	c := NewMemoryReplayCache(0)
	exp := time.Now().Add(time.Minute)
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, err := c.Use(context.Background(), "iss", "same", exp)
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if firsts != 1 {
		t.Fatalf("%d first uses of one jti, want 1", firsts)
	}
}

type failingStore struct{}

func (failingStore) Use(context.Context, string, string, time.Time) (bool, error) {
	return false, errors.New("redis: connection refused")
}

type sharedStore struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

func (s *sharedStore) Use(_ context.Context, iss, jti string, exp time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[iss+"\x00"+jti]; ok {
		return false, nil
	}
	s.seen[iss+"\x00"+jti] = exp
	return true, nil
}

func TestReplayCacheStore(t *testing.T) {
	k := keys(t)
	t.Run("store failure answers 503", func(t *testing.T) {
		h, rec, logs := newGTR(t, func(c *Config) { c.ReplayCache = failingStore{} })
		if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody)); w.Code != 503 {
			t.Fatalf("GTR status %d, want 503", w.Code)
		}
		b, brec, _ := newBCL(t, func(c *Config) { c.ReplayCache = failingStore{} })
		if w := serve(b, bclRequest(sign(t, k.rsa1, bclClaims(time.Now()), nil))); w.Code != 503 {
			t.Fatalf("BCL status %d, want 503", w.Code)
		}
		if len(rec.calls())+len(brec.calls()) != 0 {
			t.Fatal("callback called")
		}
		if !strings.Contains(logs.String(), "replay cache unavailable") {
			t.Fatalf("log: %s", logs)
		}
	})
	t.Run("a shared store refuses a replay at another instance", func(t *testing.T) {
		store := &sharedStore{seen: map[string]time.Time{}}
		a, _, _ := newBCL(t, func(c *Config) { c.ReplayCache = store })
		b, brec, _ := newBCL(t, func(c *Config) { c.ReplayCache = store })
		tok := sign(t, k.rsa1, bclClaims(time.Now()), nil)
		if w := serve(a, bclRequest(tok)); w.Code != 200 {
			t.Fatalf("instance a: %d", w.Code)
		}
		if w := serve(b, bclRequest(tok)); w.Code != 400 {
			t.Fatalf("instance b: %d, want 400", w.Code)
		}
		if len(brec.calls()) != 0 {
			t.Fatal("callback called on the replay")
		}
	})
	t.Run("a full memory cache fails closed", func(t *testing.T) {
		h, rec, _ := newGTR(t, func(c *Config) { c.ReplayCache = NewMemoryReplayCache(1) })
		if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody)); w.Code != 204 {
			t.Fatalf("first: %d", w.Code)
		}
		if w := serve(h, gtrRequest(sign(t, k.rsa1, gtrClaims(time.Now()), nil), emailBody)); w.Code != 503 {
			t.Fatalf("second: %d, want 503", w.Code)
		}
		if len(rec.calls()) != 1 {
			t.Fatal("callback count")
		}
	})
}

// TestMemoryReplayCacheZeroAndNil: a zero MemoryReplayCache works with the
// default capacity; a nil one refuses with an error instead of panicking.
func TestMemoryReplayCacheZeroAndNil(t *testing.T) {
	var zero MemoryReplayCache
	exp := time.Now().Add(time.Minute)
	if first, err := zero.Use(context.Background(), "iss", "jti-1", exp); !first || err != nil {
		t.Errorf("zero cache, first use = %v, %v; want true, nil", first, err)
	}
	if first, err := zero.Use(context.Background(), "iss", "jti-1", exp); first || err != nil {
		t.Errorf("zero cache, replay = %v, %v; want false, nil", first, err)
	}
	if n := zero.Len(); n != 1 {
		t.Errorf("zero cache Len = %d, want 1", n)
	}
	var nilCache *MemoryReplayCache
	if first, err := nilCache.Use(context.Background(), "iss", "jti-1", exp); first || err == nil {
		t.Errorf("nil cache = %v, %v; want false and an error", first, err)
	}
	if n := nilCache.Len(); n != 0 {
		t.Errorf("nil cache Len = %d", n)
	}
}
