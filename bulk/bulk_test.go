package bulk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

// collect gathers outcomes; OnOutcome is called from one goroutine, but the
// test reads them from another after Run returns.
type collect struct {
	mu  sync.Mutex
	out []Outcome
}

func (c *collect) add(o Outcome) { c.mu.Lock(); c.out = append(c.out, o); c.mu.Unlock() }

func (c *collect) byStatus() map[Status]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[Status]int{}
	for _, o := range c.out {
		m[o.Status]++
	}
	return m
}

// TestRunPacedByServer runs against a loopback server that enforces a limit
// per one-second window: every token is revoked exactly once, no window is
// overrun after the first, and every outcome is reported.
func TestRunPacedByServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		limit       int
		spent       bool // the first window starts spent: the first call gets a 429
		n           int
		concurrency int
	}{
		{name: "40 per second, 100 tokens, 8 workers", limit: 40, n: 100, concurrency: 8},
		{name: "a 429 first: everyone pauses, the item is re-queued", limit: 30, spent: true, n: 40, concurrency: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newLimitServer(tt.limit)
			srv.spent = tt.spent
			base, client := startServer(t, srv)
			toks := tokens("paced", tt.n)
			var got collect
			sum, err := Run(context.Background(), httpRevoker(client, base), requestsOf(toks),
				Config{Concurrency: tt.concurrency, OnOutcome: got.add})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			counts := srv.counts()
			for _, tok := range toks {
				if counts[tok] != 1 {
					t.Errorf("token %d revoked %d times at the server, want 1", indexOf(toks, tok), counts[tok])
				}
			}
			_, tooMany, late := srv.stats()
			if late != 0 {
				t.Errorf("%d 429s after the first window, want 0", late)
			}
			if sum.Revoked != tt.n || sum.Failed != 0 || sum.Unfinished != 0 || len(got.out) != tt.n {
				t.Errorf("summary %+v, %d outcomes; want %d revoked", sum, len(got.out), tt.n)
			}
			if sum.RateLimited != tooMany {
				t.Errorf("Summary.RateLimited = %d, server answered %d 429s", sum.RateLimited, tooMany)
			}
			if tt.spent && (tooMany == 0 || sum.Retries == 0) {
				t.Errorf("the spent window drew %d 429s and %d retries, want at least one of each", tooMany, sum.Retries)
			}
			if sum.Limit != tt.limit {
				t.Errorf("Summary.Limit = %d, want %d", sum.Limit, tt.limit)
			}
			// n tokens at limit per second cannot take less than the whole
			// windows they need (the first may be partial).
			if floor := time.Duration(tt.n/tt.limit-1) * time.Second; sum.Elapsed < floor {
				t.Errorf("took %v for %d tokens at %d/s: faster than the limit allows", sum.Elapsed, tt.n, tt.limit)
			}
			seen := map[string]bool{}
			for _, o := range got.out {
				if o.Status != Revoked || o.Fingerprint == "" || seen[o.Fingerprint] {
					t.Errorf("outcome %+v: want a revoked item with a fingerprint of its own", o)
				}
				seen[o.Fingerprint] = true
			}
		})
	}
}

func indexOf(toks []string, tok string) int {
	for i, t := range toks {
		if t == tok {
			return i
		}
	}
	return -1
}

// TestResumeAfterCancel cancels a run halfway, then resumes it from its
// journal file: every token ends revoked, nothing recorded as revoked is
// sent again, and only calls cut short by the cancellation can be sent twice.
func TestResumeAfterCancel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		concurrency int
		maxTwice    int // tokens sent twice: at most those in flight at the cancel
	}{
		{concurrency: 1, maxTwice: 0},
		{concurrency: 8, maxTwice: 8},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("concurrency %d", tt.concurrency), func(t *testing.T) {
			t.Parallel()
			const n = 300
			srv := newLimitServer(1 << 30)
			base, client := startServer(t, srv)
			r := httpRevoker(client, base)
			toks := tokens("resume", n)
			path := filepath.Join(t.TempDir(), "run.journal")

			// First run: cancelled after half the outcomes.
			f, resume, err := OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			finished := 0
			recorded := map[string]Status{}
			sum1, err := Run(ctx, r, requestsOf(toks), Config{
				Concurrency: tt.concurrency, Journal: f, Resume: resume, FingerprintKey: testKey,
				OnOutcome: func(o Outcome) {
					recorded[o.Fingerprint] = o.Status
					if finished++; finished == n/2 {
						cancel()
					}
				},
			})
			f.Close()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("first run: err = %v, want context.Canceled", err)
			}
			if sum1.Revoked < n/2 || sum1.Revoked+sum1.Unfinished > n {
				t.Fatalf("first run: %+v", sum1)
			}
			afterFirst := srv.counts()

			// The journal holds exactly what was reported, and it is whole.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasSuffix(data, []byte("\n")) {
				t.Error("the journal ends in an incomplete record")
			}
			f, resume, err = OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			if resume.Done() != sum1.Revoked || resume.Truncated() {
				t.Errorf("journal: %v; want %d done, not truncated", resume, sum1.Revoked)
			}
			for i, tok := range toks {
				fp := Fingerprint(testKey, tok)
				if recorded[fp] == Revoked && afterFirst[tok] != 1 {
					t.Errorf("token %d reported revoked but the server revoked it %d times", i, afterFirst[tok])
				}
			}

			// Second run: resumes.
			var second collect
			sum2, err := Run(context.Background(), r, requestsOf(toks), Config{
				Concurrency: tt.concurrency, Journal: f, Resume: resume, FingerprintKey: testKey, OnOutcome: second.add,
			})
			f.Close()
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			if sum2.Skipped != sum1.Revoked || sum2.Revoked != n-sum1.Revoked || sum2.Failed != 0 {
				t.Errorf("second run: %+v; want %d skipped, %d revoked", sum2, sum1.Revoked, n-sum1.Revoked)
			}
			counts := srv.counts()
			twice := 0
			for i, tok := range toks {
				fp := Fingerprint(testKey, tok)
				switch c := counts[tok]; {
				case c == 0:
					t.Errorf("token %d lost: never revoked", i)
				case c > 2:
					t.Errorf("token %d revoked %d times", i, c)
				case c == 2:
					twice++
					if recorded[fp] == Revoked {
						t.Errorf("token %d was recorded as revoked, and sent again", i)
					}
				}
			}
			if twice > tt.maxTwice {
				t.Errorf("%d tokens revoked twice, want at most %d (the calls in flight at the cancel)", twice, tt.maxTwice)
			}
			t.Logf("first run revoked %d, %d unfinished; second run revoked %d; %d sent twice",
				sum1.Revoked, sum1.Unfinished, sum2.Revoked, twice)

			// A third run has nothing left to do.
			res3, err := ReadJournal(bytes.NewReader(must(os.ReadFile(path))))
			if err != nil {
				t.Fatal(err)
			}
			sum3, err := Run(context.Background(), r, requestsOf(toks), Config{Resume: res3, FingerprintKey: testKey})
			if err != nil || sum3.Skipped != n || sum3.Attempts != 0 {
				t.Errorf("third run: %+v, %v; want all %d skipped", sum3, err, n)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fakeRevoker records calls in memory.
type fakeRevoker struct {
	mu    sync.Mutex
	calls map[string]int
	fn    func(ctx context.Context, req revoke.Request, call int) (*revoke.Result, error)
}

func newFake(fn func(ctx context.Context, req revoke.Request, call int) (*revoke.Result, error)) *fakeRevoker {
	return &fakeRevoker{calls: map[string]int{}, fn: fn}
}

func (f *fakeRevoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	f.mu.Lock()
	f.calls[req.Token]++
	call := f.calls[req.Token]
	f.mu.Unlock()
	if f.fn == nil {
		return &revoke.Result{StatusCode: 200, Attempts: 1}, nil
	}
	return f.fn(ctx, req, call)
}

func (f *fakeRevoker) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

// TestMalformedLines: bad lines are reported by line number, never abort
// the run, and the good ones around them are revoked with their hints.
func TestMalformedLines(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		"# tokens leaked on 2026-06-01", // 1
		"",                              // 2
		"  tokA-111  ",                  // 3
		"tokB-222\r",                    // 4
		`{"token":"tokC-333","hint":"refresh_token"}`, // 5
		`{"token":"tokD 444"}`,                        // 6: a space inside, fine in JSON
		`{"token":"tokE-555"`,                         // 7: malformed JSON
		"tokF 666",                                    // 8: a space in a bare token
		`{"token":""}`,                                // 9
		`{"token":12345}`,                             // 10
		`{"token":"tokG-777","hint":7}`,               // 11
		strings.Repeat("x", MaxLineLength+10),         // 12
		`{"token":"tokH-888","hint":"vendor_x"}`,      // 13
		"tokI-999",                                    // 14, no final newline
	}, "\n")
	lineContent := []string{"tokA", "tokB", "tokC", "tokD", "tokE", "tokF", "tokG", "tokH", "tokI", "12345", "xxxx"}
	want := map[int]string{7: CodeMalformedJSON, 8: CodeBadToken, 9: CodeEmptyToken, 10: CodeBadToken, 11: CodeBadHint, 12: CodeLineTooLong}

	fake := newFake(nil)
	var hints sync.Map
	r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		hints.Store(req.Token, req.Hint)
		return fake.Revoke(ctx, req)
	})
	var got collect
	var journal bytes.Buffer
	sum, err := RunItems(context.Background(), r, Lines(strings.NewReader(input)),
		Config{OnOutcome: got.add, Journal: &journal, FingerprintKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Revoked != 6 || sum.InvalidInput != 6 || sum.Read != 12 {
		t.Errorf("summary %+v, want 6 revoked, 6 invalid, 12 read", sum)
	}
	for _, tok := range []string{"tokA-111", "tokB-222", "tokC-333", "tokD 444", "tokH-888", "tokI-999"} {
		if fake.calls[tok] != 1 {
			t.Errorf("%q sent %d times, want 1", tok, fake.calls[tok])
		}
	}
	if h, _ := hints.Load("tokC-333"); h != revoke.HintRefreshToken {
		t.Errorf("hint of line 5 = %v", h)
	}
	if h, _ := hints.Load("tokH-888"); h != revoke.TokenTypeHint("vendor_x") {
		t.Errorf("hint of line 13 = %v", h)
	}
	for _, o := range got.out {
		if o.Status != InvalidInput {
			continue
		}
		code, ok := want[o.Line]
		if !ok || o.Kind != code || !errors.Is(o.Err, ErrInvalidInput) {
			t.Errorf("line %d: outcome %+v, want kind %q", o.Line, o, code)
		}
		if msg := o.Err.Error(); !strings.Contains(msg, fmt.Sprintf("line %d:", o.Line)) || containsAny(msg, lineContent...) {
			t.Errorf("line %d: error %q should name the line and not quote it", o.Line, msg)
		}
		delete(want, o.Line)
	}
	if len(want) != 0 {
		t.Errorf("lines not reported: %v", want)
	}
	if containsAny(journal.String(), lineContent...) {
		t.Errorf("the journal shows input:\n%s", journal.String())
	}
	if !strings.Contains(journal.String(), `"outcome":"invalid_input","kind":"malformed_json","line":7,`) {
		t.Errorf("journal lacks the record of line 7:\n%s", journal.String())
	}
}

// TestDryRun calls nothing and writes nothing, but reads everything.
func TestDryRun(t *testing.T) {
	t.Parallel()
	called := atomic.Int32{}
	r := revoke.RevokerFunc(func(context.Context, revoke.Request) (*revoke.Result, error) {
		called.Add(1)
		return &revoke.Result{}, nil
	})
	verify := VerifierFunc(func(context.Context, revoke.Request) (bool, error) {
		called.Add(1)
		return false, nil
	})
	var prev bytes.Buffer
	j := newJournal(&prev)
	j.header(keyID(testKey), t0)
	j.record(&Outcome{Fingerprint: Fingerprint(testKey, "done-1"), Status: Revoked}, t0)
	_ = j.flush()
	resume, err := ReadJournal(&prev)
	if err != nil {
		t.Fatal(err)
	}
	var journal bytes.Buffer
	in := "done-1\nnew-2\n{bad\nnew-3\n"
	for _, rev := range []revoke.Revoker{r, nil} {
		var got collect
		sum, err := RunItems(context.Background(), rev, Lines(strings.NewReader(in)), Config{
			DryRun: true, Verify: verify, Journal: &journal, Resume: resume, FingerprintKey: testKey, OnOutcome: got.add,
		})
		if err != nil {
			t.Fatal(err)
		}
		if sum.DryRun != 2 || sum.Skipped != 1 || sum.InvalidInput != 1 || sum.Attempts != 0 {
			t.Errorf("summary %+v, want 2 dry run, 1 skipped, 1 invalid", sum)
		}
		if st := got.byStatus(); st[DryRun] != 2 || st[Skipped] != 1 || st[InvalidInput] != 1 {
			t.Errorf("outcomes %v", st)
		}
	}
	if called.Load() != 0 || journal.Len() != 0 {
		t.Errorf("dry run made %d calls and wrote %d journal bytes, want none", called.Load(), journal.Len())
	}
}

// TestVerify reports the introspection check per token: a token the vendor
// acknowledged but did not revoke is Failed with ErrStillActive.
func TestVerify(t *testing.T) {
	t.Parallel()
	srv := newLimitServer(1 << 30)
	srv.ignore = func(tok string) bool { return strings.HasSuffix(tok, "-000003-Zx9qWv") }
	base, client := startServer(t, srv)
	toks := tokens("verify", 6)
	var got collect
	var journal bytes.Buffer
	sum, err := Run(context.Background(), httpRevoker(client, base), requestsOf(toks), Config{
		Verify: introspector(client, base), OnOutcome: got.add, Journal: &journal, FingerprintKey: testKey,
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Verified != 5 || sum.StillActive != 1 || sum.Failed != 1 || sum.FailedByKind[KindStillActive] != 1 || sum.Revoked != 5 {
		t.Errorf("summary %+v", sum)
	}
	for _, o := range got.out {
		stuck := o.Fingerprint == Fingerprint(testKey, toks[3])
		switch {
		case o.Verified == nil:
			t.Errorf("outcome %+v not verified", o)
		case stuck && (*o.Verified || o.Status != Failed || !errors.Is(o.Err, ErrStillActive)):
			t.Errorf("outcome of the ignored token: %+v", o)
		case !stuck && (!*o.Verified || o.Status != Revoked):
			t.Errorf("outcome %+v", o)
		}
	}
	res, err := ReadJournal(&journal)
	if err != nil {
		t.Fatal(err)
	}
	if res.Done() != 5 || res.FailedPermanently() != 0 {
		t.Errorf("journal: %v; want 5 done and the still-active token to be retried", res)
	}
}

// TestCancelStopsAtOnce: calls in flight get the cancelled context, Run
// returns at once with what was done, and the journal is complete.
func TestCancelStopsAtOnce(t *testing.T) {
	t.Parallel()
	var inflight, sawCancel atomic.Int32
	r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		if strings.HasPrefix(req.Token, "quick") {
			return &revoke.Result{StatusCode: 200}, nil
		}
		inflight.Add(1)
		<-ctx.Done() // a vendor that never answers
		sawCancel.Add(1)
		return nil, &revoke.Error{Kind: revoke.ErrUnavailable, Err: ctx.Err()}
	})
	toks := append(tokens("quick", 20), tokens("slow", 100)...)
	var journal bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		waitFor(t, func() bool { return inflight.Load() == 4 })
		cancel()
	}()
	start := time.Now()
	sum, err := Run(ctx, r, requestsOf(toks), Config{Concurrency: 4, Journal: &journal, FingerprintKey: testKey})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run took %v after the cancel", d)
	}
	if sawCancel.Load() != 4 {
		t.Errorf("%d calls in flight saw the cancellation, want 4", sawCancel.Load())
	}
	if sum.Revoked != 20 || sum.Unfinished < 4 || sum.Failed != 0 {
		t.Errorf("summary %+v; want 20 revoked, the 4 in flight unfinished, none failed", sum)
	}
	res, err := ReadJournal(&journal)
	if err != nil || res.Done() != 20 || res.Truncated() || res.Records() != 21 {
		t.Errorf("journal: %v, %v; want the header and 20 revoked records, whole", res, err)
	}
}

// TestClientErrorStops: invalid_client would fail every call, so the run
// stops at the first, unless told to go on.
func TestClientErrorStops(t *testing.T) {
	t.Parallel()
	for _, keepGoing := range []bool{false, true} {
		t.Run(fmt.Sprintf("ContinueOnClientError=%t", keepGoing), func(t *testing.T) {
			t.Parallel()
			srv := newLimitServer(1 << 30)
			srv.status = func(string) int { return 401 }
			base, client := startServer(t, srv)
			var journal bytes.Buffer
			sum, err := Run(context.Background(), httpRevoker(client, base), requestsOf(tokens("c", 200)),
				Config{Concurrency: 2, ContinueOnClientError: keepGoing, Journal: &journal, FingerprintKey: testKey})
			if keepGoing {
				if err != nil || sum.Failed != 200 || sum.FailedByKind["invalid_client"] != 200 {
					t.Errorf("summary %+v, err %v; want 200 invalid_client failures", sum, err)
				}
				return
			}
			if !errors.Is(err, revoke.ErrInvalidClient) {
				t.Fatalf("err = %v, want ErrInvalidClient", err)
			}
			if sum.Failed < 1 || sum.Failed > 2 || sum.Read > 2*2+2+1 {
				t.Errorf("summary %+v: want a stop after the first failures", sum)
			}
			res, err := ReadJournal(&journal)
			if err != nil || res.FailedPermanently() != sum.Failed {
				t.Errorf("journal %v, %v", res, err)
			}
		})
	}
}

// TestTemporaryFailures: temporary errors are retried up to MaxAttempts,
// after their RetryAfter or a backoff; permanent ones are not.
func TestTemporaryFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		failures     int // calls failing before success
		err          error
		maxAttempts  int
		wantStatus   Status
		wantAttempts int
		wantKind     string
	}{
		{"503 twice then success", 2, &revoke.Error{Kind: revoke.ErrUnavailable, StatusCode: 503}, 3, Revoked, 3, ""},
		{"429 with RetryAfter once", 1, &revoke.Error{Kind: revoke.ErrRateLimited, StatusCode: 429, RetryAfter: 5 * time.Millisecond}, 0, Revoked, 2, ""},
		{"503 past MaxAttempts", 5, &revoke.Error{Kind: revoke.ErrUnavailable, StatusCode: 503}, 2, Failed, 2, "unavailable"},
		{"a Revoker's own timeout is temporary", 1, context.DeadlineExceeded, 3, Revoked, 2, ""},
		{"server error is permanent", 1, &revoke.Error{Kind: revoke.ErrServer, StatusCode: 500}, 3, Failed, 1, "server_error"},
		{"invalid_token is a failure, not already invalid", 1, &revoke.Error{Kind: revoke.ErrInvalidToken, StatusCode: 400}, 3, Failed, 1, "invalid_token"},
		{"a plain error is permanent", 1, errors.New("boom"), 3, Failed, 1, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newFake(func(_ context.Context, _ revoke.Request, call int) (*revoke.Result, error) {
				if call <= tt.failures {
					return nil, tt.err
				}
				return &revoke.Result{StatusCode: 200}, nil
			})
			var got collect
			sum, err := Run(context.Background(), fake, requestsOf(tokens("t", 3)), Config{
				MaxAttempts: tt.maxAttempts, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, OnOutcome: got.add,
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.out) != 3 {
				t.Fatalf("%d outcomes, want 3", len(got.out))
			}
			for _, o := range got.out {
				if o.Status != tt.wantStatus || o.Attempts != tt.wantAttempts || o.Kind != tt.wantKind {
					t.Errorf("outcome %+v; want %v after %d attempts, kind %q", o, tt.wantStatus, tt.wantAttempts, tt.wantKind)
				}
			}
			if sum.Attempts != 3*tt.wantAttempts || sum.Retries != 3*(tt.wantAttempts-1) {
				t.Errorf("summary %+v", sum)
			}
		})
	}
}

// TestInputReadLazily: the run holds O(Concurrency) items, reading the
// input only as fast as it is worked off, and an endless input can be
// cancelled.
func TestInputReadLazily(t *testing.T) {
	t.Parallel()
	const conc = 4
	var pulled, finished atomic.Int64
	var worst atomic.Int64
	gate := make(chan struct{})
	r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &revoke.Result{StatusCode: 200}, nil
	})
	endless := func(yield func(revoke.Request) bool) {
		for i := 0; ; i++ {
			if d := pulled.Add(1) - finished.Load(); d > worst.Load() {
				worst.Store(d)
			}
			if !yield(revoke.Request{Token: fmt.Sprintf("endless-%d", i)}) {
				return
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for range 1000 {
			gate <- struct{}{}
		}
		cancel()
	}()
	sum, err := Run(ctx, r, endless, Config{Concurrency: conc, OnOutcome: func(Outcome) { finished.Add(1) }})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if sum.Revoked < 990 {
		t.Errorf("revoked %d", sum.Revoked)
	}
	// Taken and not finished: 2×conc owned, conc in the feeder's buffer, one
	// in the feeder's hand, one being yielded.
	if w := worst.Load(); w > 3*conc+2 {
		t.Errorf("the run read %d items ahead of the work, want at most %d", w, 3*conc+2)
	}
}

// TestReadError: a failing reader ends the input; what was read is
// finished and Run returns the *ReadError.
func TestReadError(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	rd := io.MultiReader(strings.NewReader("tok-1\ntok-2\ntok-3-partial"), errReader{boom})
	fake := newFake(nil)
	sum, err := RunItems(context.Background(), fake, Lines(rd), Config{})
	var re *ReadError
	if !errors.As(err, &re) || !errors.Is(err, boom) || re.Line != 2 {
		t.Fatalf("err = %v, want a *ReadError after line 2", err)
	}
	if sum.Revoked != 2 || fake.total() != 2 {
		t.Errorf("summary %+v, %d calls; want the 2 whole lines revoked and the cut one not sent", sum, fake.total())
	}
}

// TestPanickingRevoker: a panic is an error that stops the run, with the
// journal intact and no token in the error.
func TestPanickingRevoker(t *testing.T) {
	t.Parallel()
	r := revoke.RevokerFunc(func(_ context.Context, req revoke.Request) (*revoke.Result, error) {
		panic("cannot handle " + req.Token)
	})
	var journal bytes.Buffer
	sum, err := Run(context.Background(), r, requestsOf(tokens("p", 10)), Config{Concurrency: 1, Journal: &journal, FingerprintKey: testKey})
	if err == nil || !strings.Contains(err.Error(), "panicked") || strings.Contains(err.Error(), "p-000000") {
		t.Fatalf("err = %v", err)
	}
	if sum.Failed != 1 || sum.FailedByKind[KindPanic] != 1 {
		t.Errorf("summary %+v", sum)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	var otherKeyJournal bytes.Buffer
	j := newJournal(&otherKeyJournal)
	j.header(keyID([]byte("another-key-of-16-bytes")), t0)
	_ = j.flush()
	otherKey, err := ReadJournal(&otherKeyJournal)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFake(nil)
	tests := []struct {
		name  string
		r     revoke.Revoker
		cfg   Config
		field string
	}{
		{"negative concurrency", fake, Config{Concurrency: -1}, "Concurrency"},
		{"too much concurrency", fake, Config{Concurrency: 257}, "Concurrency"},
		{"MaxAttempts", fake, Config{MaxAttempts: 101}, "MaxAttempts"},
		{"negative backoff", fake, Config{MinBackoff: -1}, "MinBackoff"},
		{"MinBackoff above MaxBackoff", fake, Config{MinBackoff: time.Second, MaxBackoff: time.Millisecond}, "MinBackoff"},
		{"journal without a key", fake, Config{Journal: &bytes.Buffer{}}, "FingerprintKey"},
		{"resume without a key", fake, Config{Resume: &Resume{}}, "FingerprintKey"},
		{"short key", fake, Config{FingerprintKey: []byte("15-bytes-secret")}, "FingerprintKey"},
		{"resume with another key", fake, Config{Resume: otherKey, FingerprintKey: testKey}, "FingerprintKey"},
		{"nil Revoker", nil, Config{}, "bulk.RunItems r"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.r, requestsOf(tokens("x", 1)), tt.cfg)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !strings.Contains(ce.Field, tt.field) {
				t.Errorf("err = %v, want a *revoke.ConfigError on %s", err, tt.field)
			}
		})
	}
	if fake.total() != 0 {
		t.Error("a misconfigured run made calls")
	}
	if _, err := Run(context.Background(), fake, nil, Config{}); err == nil {
		t.Error("a nil sequence was accepted")
	}
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestOnOutcomePanics: a panic in the caller's callback goes up through
// Run, with the journal saved and no goroutine left behind.
func TestOnOutcomePanics(t *testing.T) {
	before := runtime.NumGoroutine()
	var journal bytes.Buffer
	func() {
		defer func() {
			if v := recover(); v != "callback bug" {
				t.Errorf("recovered %v", v)
			}
		}()
		n := 0
		_, _ = Run(context.Background(), newFake(nil), requestsOf(tokens("cb", 100)), Config{
			Journal: &journal, FingerprintKey: testKey,
			OnOutcome: func(Outcome) {
				if n++; n == 5 {
					panic("callback bug")
				}
			},
		})
		t.Error("Run returned")
	}()
	res, err := ReadJournal(&journal)
	if err != nil || res.Done() != 5 {
		t.Errorf("journal after the panic: %v, %v; want the 5 finished items", res, err)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before })
}
