package logout

import (
	"container/heap"
	"context"
	"errors"
	"sync"
	"time"
)

// ReplayCache remembers the JWT IDs (jti) a handler has accepted, so that a
// captured request cannot be played again while its JWT is still valid
// (OpenID Connect Back-Channel Logout 1.0 §2.6 makes this check optional;
// here it is always on. RFC 7523 §3 lets servers refuse replayed assertions
// the same way).
//
// Implement it over a shared store (Redis SET NX with an expiry, a database
// unique key) when several instances of the application serve the same
// endpoint.
type ReplayCache interface {
	// Use records that issuer's JWT jti was used, to be remembered until
	// expires, and reports whether this was its first use. A false result
	// refuses the request; an error fails it with 503 (the handler cannot
	// tell whether it is a replay).
	Use(ctx context.Context, issuer, jti string, expires time.Time) (first bool, err error)
}

// MemoryReplayCache is a ReplayCache in process memory, bounded in size.
// Entries are forgotten when their JWT expires. When it holds capacity
// unexpired entries it refuses new ones with ErrReplayCacheFull rather than
// forget one early. It is safe for concurrent use.
type MemoryReplayCache struct {
	capacity int
	now      func() time.Time

	mu      sync.Mutex
	entries map[replayKey]time.Time
	byExp   expiryHeap
}

type replayKey struct{ issuer, jti string }

// errNilReplayCache is Use's error on a nil *MemoryReplayCache.
var errNilReplayCache = errors.New("logout: the replay cache is a nil *MemoryReplayCache: build it with NewMemoryReplayCache")

// NewMemoryReplayCache returns an empty cache holding at most capacity
// entries (DefaultReplayCacheCapacity when capacity <= 0).
func NewMemoryReplayCache(capacity int) *MemoryReplayCache {
	if capacity <= 0 {
		capacity = DefaultReplayCacheCapacity
	}
	return &MemoryReplayCache{capacity: capacity, now: time.Now, entries: make(map[replayKey]time.Time)}
}

// Use implements ReplayCache.
// A zero MemoryReplayCache works, with DefaultReplayCacheCapacity; a nil
// one refuses every use with an error (the handler answers 503).
func (c *MemoryReplayCache) Use(_ context.Context, issuer, jti string, expires time.Time) (bool, error) {
	if c == nil {
		return false, errNilReplayCache
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[replayKey]time.Time)
	}
	if c.capacity <= 0 {
		c.capacity = DefaultReplayCacheCapacity
	}
	now := time.Now()
	if c.now != nil {
		now = c.now()
	}
	for len(c.byExp) > 0 && !c.byExp[0].expires.After(now) {
		e := heap.Pop(&c.byExp).(expiryEntry)
		if exp, ok := c.entries[e.key]; ok && exp.Equal(e.expires) {
			delete(c.entries, e.key)
		}
	}
	k := replayKey{issuer, jti}
	if _, seen := c.entries[k]; seen {
		return false, nil
	}
	if !expires.After(now) {
		// Already expired: the verifier refuses such a JWT anyway, and
		// there is nothing to remember.
		return true, nil
	}
	if len(c.entries) >= c.capacity {
		return false, ErrReplayCacheFull
	}
	c.entries[k] = expires
	heap.Push(&c.byExp, expiryEntry{key: k, expires: expires})
	return true, nil
}

// Len reports how many JWT IDs the cache remembers. Expired IDs are purged
// on the next call of Use.
func (c *MemoryReplayCache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

type expiryEntry struct {
	key     replayKey
	expires time.Time
}

// expiryHeap is a min-heap of entries by expiry.
type expiryHeap []expiryEntry

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].expires.Before(h[j].expires) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryEntry)) }
func (h *expiryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
