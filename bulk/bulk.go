package bulk

import (
	"container/heap"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/revokekit/revoke"
)

// Defaults and bounds of Config.
const (
	// DefaultConcurrency is the Concurrency of a zero Config.
	DefaultConcurrency = 8
	// MaxConcurrency is the highest Concurrency accepted.
	MaxConcurrency = 256
	// DefaultMaxAttempts is the MaxAttempts of a zero Config.
	DefaultMaxAttempts = 3
	// DefaultMinBackoff and DefaultMaxBackoff are the backoff bounds of a
	// zero Config.
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
)

// Config configures a run. The zero value is a run of 8 concurrent calls,
// 3 attempts per item, no journal and no verification.
type Config struct {
	// Concurrency is the most calls in flight at once: 1 to 256, 0 for 8.
	// Okta allows 75 concurrent requests per org, across every client and
	// machine.
	Concurrency int
	// MaxAttempts is how many calls an item gets in all when it fails with a
	// temporary error (rate_limited, unavailable, or the Revoker's own
	// timeout): it is re-queued after the error's RetryAfter, or a backoff
	// when it has none, until then. 0 means 3; at most 100.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait after a temporary error that
	// did not say how long to wait: MinBackoff, doubled per repeated
	// failure, at most MaxBackoff. 0 means 500 ms and 30 s.
	MinBackoff, MaxBackoff time.Duration

	// Journal, when not nil, receives one JSON line per finished item (see
	// the package documentation), in batches: after 100 records, 1 s after
	// the first unflushed one, and when the run ends, cancelled or not. If
	// it has a Sync method (an *os.File) each batch is synced. A write error
	// stops the run. Use OpenJournal to continue a journal file.
	Journal io.Writer
	// Resume is what earlier runs recorded (ReadJournal, OpenJournal): items
	// recorded as revoked or already invalid are skipped.
	Resume *Resume
	// FingerprintKey is the HMAC key of the fingerprints that identify
	// tokens in outcomes and the journal: at least 16 bytes, required with
	// a Journal or a Resume. Keep it secret and keep it for the life of the
	// journal: a resume with another key is refused. Without a key, a run
	// draws a random one, so its fingerprints mean something only within
	// that run.
	FingerprintKey []byte
	// SkipPermanentFailures makes a resumed run skip the items whose last
	// recorded failure was permanent (invalid_client, invalid_request, …).
	// By default they are tried again: the operator may have fixed the
	// credentials since. Temporary failures and still_active are always
	// tried again.
	SkipPermanentFailures bool
	// ContinueOnClientError keeps the run going after an error that every
	// later call would hit too: ErrInvalidClient, ErrInsecureEndpoint,
	// ErrRedirect, or a panicking Revoker. By default the run stops at the
	// first one, records that item as failed, leaves the rest unrecorded
	// (so a resumed run tries them) and returns the error.
	ContinueOnClientError bool
	// DryRun reads and checks the whole input, computes fingerprints and
	// consults Resume, but calls nothing (neither the Revoker nor Verify)
	// and writes no journal. Items that would be sent are DryRun outcomes.
	DryRun bool
	// Verify, when not nil, checks each token after the vendor acknowledged
	// its revocation. A token found still active is Failed with
	// ErrStillActive. Its calls are not paced: introspection has its own
	// rate limit.
	Verify Verifier
	// OnOutcome, when not nil, receives every finished item, in the order
	// they finish, from one goroutine at a time. The run waits while it
	// runs: keep it quick.
	OnOutcome func(Outcome)
	// Logger, when not nil, receives the start and end of the run, pauses
	// for the vendor's rate limit, and the error that stops a run. It never
	// receives a token.
	Logger *slog.Logger
}

// Format implements fmt.Formatter: every verb prints the key redacted.
func (c Config) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "bulk.Config", []field{
		{"Concurrency", strconv.Itoa(c.Concurrency)},
		{"MaxAttempts", strconv.Itoa(c.MaxAttempts)},
		{"MinBackoff", c.MinBackoff.String()},
		{"MaxBackoff", c.MaxBackoff.String()},
		{"Journal", typeName(c.Journal)},
		{"Resume", c.Resume.String()},
		{"FingerprintKey", redactBytes(c.FingerprintKey)},
		{"SkipPermanentFailures", strconv.FormatBool(c.SkipPermanentFailures)},
		{"ContinueOnClientError", strconv.FormatBool(c.ContinueOnClientError)},
		{"DryRun", strconv.FormatBool(c.DryRun)},
		{"Verify", typeName(c.Verify)},
		{"OnOutcome", setOrNil(c.OnOutcome != nil)},
		{"Logger", setOrNil(c.Logger != nil)},
	})
}

// LogValue implements slog.LogValuer with the key redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("concurrency", c.Concurrency),
		slog.Int("max_attempts", c.MaxAttempts),
		slog.Bool("journal", c.Journal != nil),
		slog.Bool("resume", c.Resume != nil),
		slog.String("fingerprint_key", redactBytes(c.FingerprintKey)),
		slog.Bool("dry_run", c.DryRun),
		slog.Bool("verify", c.Verify != nil),
	)
}

// MarshalJSON implements json.Marshaler with the key redacted.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Concurrency           int    `json:"concurrency"`
		MaxAttempts           int    `json:"max_attempts"`
		MinBackoff            string `json:"min_backoff"`
		MaxBackoff            string `json:"max_backoff"`
		Journal               bool   `json:"journal"`
		Resume                bool   `json:"resume"`
		FingerprintKey        string `json:"fingerprint_key"`
		SkipPermanentFailures bool   `json:"skip_permanent_failures"`
		ContinueOnClientError bool   `json:"continue_on_client_error"`
		DryRun                bool   `json:"dry_run"`
		Verify                bool   `json:"verify"`
	}{c.Concurrency, c.MaxAttempts, c.MinBackoff.String(), c.MaxBackoff.String(), c.Journal != nil,
		c.Resume != nil, redactBytes(c.FingerprintKey), c.SkipPermanentFailures, c.ContinueOnClientError,
		c.DryRun, c.Verify != nil})
}

// Verifier checks whether a token still works, typically by RFC 7662
// introspection at the vendor.
type Verifier interface {
	// Verify reports whether the token of req is active. An error means
	// the check itself failed; it is reported in Outcome.VerifyErr and does
	// not change the item's status.
	Verify(ctx context.Context, req revoke.Request) (active bool, err error)
}

// VerifierFunc adapts a function to the Verifier interface.
type VerifierFunc func(ctx context.Context, req revoke.Request) (active bool, err error)

// Verify calls f(ctx, req).
func (f VerifierFunc) Verify(ctx context.Context, req revoke.Request) (bool, error) {
	return f(ctx, req)
}

// Status is what became of an item.
type Status uint8

// The statuses of an item. Their String form is the journal's "outcome".
const (
	// Revoked: the vendor acknowledged the revocation (per RFC 7009 §2.2
	// that includes tokens it did not know).
	Revoked Status = iota + 1
	// AlreadyInvalid: the vendor said the token was already invalid,
	// revoked or expired (Result.AlreadyInvalid). An error matching
	// revoke.ErrInvalidToken is not that: adapters report a vendor's "already
	// invalid" as a success, so such an error means the vendor refused the
	// token for another reason (Slack's invalid_auth may be a live token
	// called from a disallowed address); it is Failed, kind invalid_token,
	// and a resumed run tries it again.
	AlreadyInvalid
	// Failed: the revocation failed; Err and Kind say why.
	Failed
	// Skipped: a resumed run found the token recorded as done
	// (Kind "done_before"), or as failed permanently with
	// Config.SkipPermanentFailures (Kind "failed_before").
	Skipped
	// InvalidInput: the input item is not a request; Err is an
	// *InputError naming the line.
	InvalidInput
	// DryRun: a dry run would have sent this request.
	DryRun
)

var statusNames = [...]string{"unknown", "revoked", "already_invalid", "failed", "skipped", "invalid_input", "dry_run"}

// String returns the status as the journal writes it: "revoked",
// "already_invalid", "failed", "skipped", "invalid_input" or "dry_run".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Outcome is what became of one input item. It never holds the token: the
// Fingerprint identifies it.
type Outcome struct {
	// Index is the item's 0-based position in the input.
	Index int
	// Line is the item's 1-based line number in a line input, 0 otherwise.
	Line int
	// Fingerprint is the hex HMAC-SHA256 fingerprint of the token (see
	// Fingerprint), "" for invalid input.
	Fingerprint string
	// Hint is the request's token type hint.
	Hint revoke.TokenTypeHint
	// Status is what became of the item.
	Status Status
	// Kind names the error (see Kind) of a Failed or InvalidInput
	// outcome, or why an item was Skipped.
	Kind string
	// StatusCode is the HTTP status of the last answer, 0 if none.
	StatusCode int
	// Attempts is the number of calls made for the item (calls to the
	// Revoker; its own retries are inside one call).
	Attempts int
	// RequestID is the vendor's request identifier of the last answer.
	RequestID string
	// Err is the last error: a *revoke.Error, an *InputError,
	// ErrStillActive, or the Revoker's own. Its text never holds the token.
	Err error
	// Verified is the Config.Verify check: true if the token was found
	// inactive, false if still active (the item is then Failed with
	// ErrStillActive), nil if not checked or the check failed.
	Verified *bool
	// VerifyErr is the error of a failed check.
	VerifyErr error
}

// Format implements fmt.Formatter: every verb prints the same safe fields.
func (o Outcome) Format(f fmt.State, verb rune) {
	formatFields(f, verb, "bulk.Outcome", []field{
		{"Index", strconv.Itoa(o.Index)},
		{"Line", strconv.Itoa(o.Line)},
		{"Fingerprint", strconv.Quote(o.Fingerprint)},
		{"Hint", strconv.Quote(string(o.Hint))},
		{"Status", o.Status.String()},
		{"Kind", strconv.Quote(o.Kind)},
		{"StatusCode", strconv.Itoa(o.StatusCode)},
		{"Attempts", strconv.Itoa(o.Attempts)},
		{"RequestID", strconv.Quote(o.RequestID)},
		{"Err", errText(o.Err)},
		{"Verified", boolPtr(o.Verified)},
		{"VerifyErr", errText(o.VerifyErr)},
	})
}

// MarshalJSON implements json.Marshaler, with errors as their text.
func (o Outcome) MarshalJSON() ([]byte, error) {
	type out struct {
		Index       int    `json:"index"`
		Line        int    `json:"line,omitempty"`
		Fingerprint string `json:"fingerprint,omitempty"`
		Hint        string `json:"hint,omitempty"`
		Status      Status `json:"status"`
		Kind        string `json:"kind,omitempty"`
		StatusCode  int    `json:"status_code,omitempty"`
		Attempts    int    `json:"attempts,omitempty"`
		RequestID   string `json:"request_id,omitempty"`
		Err         string `json:"error,omitempty"`
		Verified    *bool  `json:"verified,omitempty"`
		VerifyErr   string `json:"verify_error,omitempty"`
	}
	v := out{o.Index, o.Line, o.Fingerprint, string(o.Hint), o.Status, o.Kind, o.StatusCode,
		o.Attempts, o.RequestID, "", o.Verified, ""}
	if o.Err != nil {
		v.Err = o.Err.Error()
	}
	if o.VerifyErr != nil {
		v.VerifyErr = o.VerifyErr.Error()
	}
	return json.Marshal(v)
}

// Summary counts what a run did.
type Summary struct {
	// Read is the number of items taken from the input, invalid ones
	// included.
	Read int
	// Revoked, AlreadyInvalid, Failed, Skipped, InvalidInput and DryRun
	// count the outcomes of each status.
	Revoked, AlreadyInvalid, Failed, Skipped, InvalidInput, DryRun int
	// FailedByKind counts the Failed outcomes by Kind.
	FailedByKind map[string]int
	// Unfinished is the number of items taken from the input that had not
	// finished when the run stopped early: they are not in the journal, and
	// a resumed run tries them.
	Unfinished int
	// Attempts is the number of calls made to the Revoker.
	Attempts int
	// Retries is the number of times an item was re-queued after a
	// temporary error.
	Retries int
	// RateLimited is the number of calls that returned ErrRateLimited (429s
	// that the Revoker retried itself and then got through are not seen).
	RateLimited int
	// Verified counts tokens the Verify check found inactive, StillActive
	// those it found active, VerifyErrors the checks that failed.
	Verified, StillActive, VerifyErrors int
	// Limit is the last X-Rate-Limit-Limit the vendor reported, -1 if none.
	Limit int
	// Elapsed is the run's duration.
	Elapsed time.Duration
	// Rate is revocations (Revoked plus AlreadyInvalid) per second.
	Rate float64
}

// Run revokes every token of reqs through r and returns the counts. See
// RunItems.
func Run(ctx context.Context, r revoke.Revoker, reqs iter.Seq[revoke.Request], cfg Config) (Summary, error) {
	if reqs == nil {
		return Summary{}, &revoke.ConfigError{Field: "bulk.Run reqs", Problem: "the input sequence is nil"}
	}
	return RunItems(ctx, r, Requests(reqs), cfg)
}

// RunItems revokes every request of items through r, Config.Concurrency at
// a time, paced by what the vendor reports (see the package
// documentation), and returns the counts.
//
// It reads the input as it goes and holds at most a few items per unit of
// concurrency, so memory does not grow with the input (Config.Resume aside).
// A configuration mistake is a *revoke.ConfigError, returned before
// anything is read.
//
// When ctx ends, the calls in flight get the ended context, the journal is
// flushed, and RunItems returns the summary so far and ctx.Err(). Other
// errors that end a run early: a client error (see
// Config.ContinueOnClientError), a journal write error, a *ReadError from
// the input. Otherwise the error is nil, however many items failed: read
// the Summary and the outcomes.
func RunItems(ctx context.Context, r revoke.Revoker, items iter.Seq[Item], cfg Config) (Summary, error) {
	e, err := newEngine(r, items, cfg)
	if err != nil {
		return Summary{}, err
	}
	return e.run(ctx, items)
}

// engine is one run.
type engine struct {
	rev         revoke.Revoker
	verify      Verifier
	clk         clock
	conc        int
	maxAttempts int
	minBackoff  time.Duration
	maxBackoff  time.Duration
	key         []byte
	resume      *Resume
	skipFailed  bool
	keepGoing   bool
	dryRun      bool
	onOutcome   func(Outcome)
	log         *slog.Logger
	jitter      func(time.Duration) time.Duration

	pacer   *pacer
	journal *journal

	// Owned by the dispatcher goroutine (run).
	sum        Summary
	owned      int // items taken and not finished
	stopErr    error
	readErr    error
	flushAlarm alarm
}

func newEngine(r revoke.Revoker, items iter.Seq[Item], cfg Config) (*engine, error) {
	cfgErr := func(field, problem string) error {
		return &revoke.ConfigError{Field: "bulk.Config." + field, Problem: problem}
	}
	if items == nil {
		return nil, &revoke.ConfigError{Field: "bulk.RunItems items", Problem: "the input sequence is nil"}
	}
	if r == nil && !cfg.DryRun {
		return nil, &revoke.ConfigError{Field: "bulk.RunItems r", Problem: "the Revoker is nil: pass an adapter such as okta.New's"}
	}
	e := &engine{
		rev: r, verify: cfg.Verify, clk: realClock{},
		conc: cfg.Concurrency, maxAttempts: cfg.MaxAttempts,
		minBackoff: cfg.MinBackoff, maxBackoff: cfg.MaxBackoff,
		resume: cfg.Resume, skipFailed: cfg.SkipPermanentFailures, keepGoing: cfg.ContinueOnClientError,
		dryRun: cfg.DryRun, onOutcome: cfg.OnOutcome, log: cfg.Logger, jitter: randomJitter,
	}
	switch {
	case e.conc == 0:
		e.conc = DefaultConcurrency
	case e.conc < 1 || e.conc > MaxConcurrency:
		return nil, cfgErr("Concurrency", fmt.Sprintf("%d is out of range: use 1 to %d (0 means %d); the vendor's limit on concurrent requests is the ceiling", e.conc, MaxConcurrency, DefaultConcurrency))
	}
	switch {
	case e.maxAttempts == 0:
		e.maxAttempts = DefaultMaxAttempts
	case e.maxAttempts < 1 || e.maxAttempts > 100:
		return nil, cfgErr("MaxAttempts", fmt.Sprintf("%d is out of range: use 1 to 100 (0 means %d)", e.maxAttempts, DefaultMaxAttempts))
	}
	if e.minBackoff < 0 || e.maxBackoff < 0 {
		return nil, cfgErr("MinBackoff", "backoffs must not be negative (0 means the default)")
	}
	if e.maxBackoff == 0 {
		e.maxBackoff = max(DefaultMaxBackoff, e.minBackoff)
	}
	if e.minBackoff == 0 {
		e.minBackoff = min(DefaultMinBackoff, e.maxBackoff)
	}
	if e.minBackoff > e.maxBackoff {
		return nil, cfgErr("MinBackoff", fmt.Sprintf("MinBackoff %v is above MaxBackoff %v", e.minBackoff, e.maxBackoff))
	}
	key := cfg.FingerprintKey
	switch {
	case len(key) == 0 && (cfg.Journal != nil || cfg.Resume != nil):
		return nil, cfgErr("FingerprintKey", fmt.Sprintf("a journal needs a fingerprint key: pass at least %d random bytes, kept secret, and the same key when resuming", MinKeyLength))
	case len(key) > 0 && len(key) < MinKeyLength:
		return nil, cfgErr("FingerprintKey", fmt.Sprintf("the key is %d bytes, too short to keep fingerprints from being guessed: use at least %d random bytes", len(key), MinKeyLength))
	case len(key) == 0:
		key = randomKey()
	}
	e.key = append([]byte(nil), key...)
	if cfg.Resume != nil {
		id := keyID(e.key)
		for _, k := range cfg.Resume.keyIDs {
			if k != id {
				return nil, cfgErr("FingerprintKey", "the journal being resumed was written with another fingerprint key: pass the key of the run that wrote it, or start a new journal")
			}
		}
	}
	e.pacer = newPacer(e.clk, e.minBackoff, e.maxBackoff)
	if cfg.Journal != nil && !cfg.DryRun {
		e.journal = newJournal(cfg.Journal)
	}
	return e, nil
}

// disposition is what the feeder decided for an item.
type disposition uint8

const (
	dispSend disposition = iota
	dispSkipDone
	dispSkipFailed
	dispInvalid
	dispDryRun
	dispReadErr
)

// job is one item on its way through a run.
type job struct {
	req      revoke.Request
	index    int
	line     int
	fp       string
	disp     disposition
	inErr    error
	attempts int
	due      time.Time // when a re-queued item may go again

	// Set by the worker for the dispatcher.
	called    bool
	cancelled bool
	res       *revoke.Result
	err       error
	verified  *bool
	verifyErr error
}

// run is the dispatcher: the only goroutine that touches the summary, the
// journal and OnOutcome.
func (e *engine) run(ctx context.Context, items iter.Seq[Item]) (Summary, error) {
	start := e.clk.Now()
	e.sum.FailedByKind = map[string]int{}
	e.sum.Limit = -1
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()

	in := make(chan *job, e.conc)
	quit := make(chan struct{})
	defer close(quit)
	go e.feed(items, in, quit)

	jobs := make(chan *job)
	results := make(chan *job)
	var wg sync.WaitGroup
	if !e.dryRun {
		for range e.conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range jobs {
					e.attempt(runCtx, j)
					results <- j
				}
			}()
		}
	}
	workersDone := make(chan struct{})
	go func() { wg.Wait(); close(workersDone) }()
	jobsClosed, finished := false, false
	defer func() {
		if finished {
			return
		}
		// A panic (in OnOutcome, most likely) is on its way up: stop the
		// workers without waiting for them, and save the journal.
		cancelRun()
		if !jobsClosed {
			close(jobs)
		}
		go func() {
			for {
				select {
				case <-results:
				case <-workersDone:
					return
				}
			}
		}()
		if e.journal != nil {
			_ = e.journal.flush()
		}
	}()

	if e.journal != nil {
		e.journal.header(keyID(e.key), start)
		e.flushAlarm.set(e.clk, start.Add(flushInterval))
	}
	e.logInfo("bulk: run starting", slog.Int("concurrency", e.conc), slog.Bool("dry_run", e.dryRun),
		slog.Int("resume_done", e.resumeDone()))

	var (
		retry      retryQueue
		next       *job // a new item waiting for a worker
		inOpen     = true
		retryAlarm alarm
		window     = 2 * e.conc // items taken and not finished, at most
	)
	defer retryAlarm.stop()
	defer e.flushAlarm.stop()
loop:
	for (inOpen || e.owned > 0) && e.stopErr == nil && runCtx.Err() == nil {
		now := e.clk.Now()
		var cand *job
		var out chan<- *job
		if retry.Len() > 0 && !retry.peek().due.After(now) {
			cand = retry.peek()
		} else if next != nil {
			cand = next
		}
		if cand != nil {
			out = jobs
		}
		var inCh <-chan *job
		if inOpen && next == nil && e.owned < window {
			inCh = in
		}
		var retryC <-chan time.Time
		if retry.Len() > 0 && retry.peek().due.After(now) {
			retryC = retryAlarm.set(e.clk, retry.peek().due)
		}
		select {
		case out <- cand:
			if cand == next {
				next = nil
			} else {
				heap.Pop(&retry)
			}
		case j, ok := <-inCh:
			if !ok {
				inOpen = false
				continue
			}
			if j.disp == dispReadErr {
				inOpen = false
				e.readErr = j.inErr
				continue
			}
			e.sum.Read++
			switch j.disp {
			case dispSend:
				e.owned++
				next = j
			case dispSkipDone:
				e.finish(j, Skipped, KindDoneBefore, nil)
			case dispSkipFailed:
				e.finish(j, Skipped, KindFailedBefore, nil)
			case dispInvalid:
				e.finish(j, InvalidInput, "", j.inErr)
			case dispDryRun:
				e.finish(j, DryRun, "", nil)
			}
		case j := <-results:
			if e.settle(j, false) {
				heap.Push(&retry, j)
			}
		case <-retryC:
			retryAlarm.stop()
		case <-e.flushAlarm.c:
			e.flushAlarm.stop()
			e.flushJournal()
		case <-runCtx.Done():
			break loop
		}
	}

	// Stop: no new calls; the calls in flight end (with the ended context
	// if the run was cancelled) and are settled.
	jobsClosed = true
	close(jobs)
	cancelRun()
	for {
		select {
		case j := <-results:
			e.settle(j, true)
			continue
		case <-workersDone:
		}
		break
	}
	if e.journal != nil {
		e.flushJournal()
	}
	finished = true

	e.sum.Unfinished = e.owned
	e.sum.Limit = e.pacer.lastLimit()
	e.sum.Elapsed = e.clk.Now().Sub(start)
	if s := e.sum.Elapsed.Seconds(); s > 0 {
		e.sum.Rate = float64(e.sum.Revoked+e.sum.AlreadyInvalid) / s
	}
	err := e.stopErr
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = e.readErr
	}
	e.logInfo("bulk: run finished", slog.Int("revoked", e.sum.Revoked), slog.Int("already_invalid", e.sum.AlreadyInvalid),
		slog.Int("failed", e.sum.Failed), slog.Int("skipped", e.sum.Skipped), slog.Int("invalid_input", e.sum.InvalidInput),
		slog.Int("unfinished", e.sum.Unfinished), slog.Int("rate_limited", e.sum.RateLimited),
		slog.Duration("elapsed", e.sum.Elapsed), slog.String("error_kind", Kind(err)))
	return e.sum, err
}

func (e *engine) resumeDone() int {
	if e.resume == nil {
		return 0
	}
	return e.resume.Done()
}

// feed reads the input on its own goroutine, fingerprints each token and
// decides what to do with it. It stops when the input ends or quit closes.
func (e *engine) feed(items iter.Seq[Item], in chan<- *job, quit <-chan struct{}) {
	defer close(in)
	fpr := newFingerprinter(e.key)
	index := 0
	for it := range items {
		select {
		case <-quit:
			return
		default:
		}
		j := &job{line: it.Line}
		var re *ReadError
		switch {
		case errors.As(it.Err, &re):
			j.disp, j.inErr = dispReadErr, it.Err
		case it.Err != nil:
			j.disp, j.inErr = dispInvalid, scrub(it.Err, it.Request.Token)
		case it.Request.Token == "":
			j.disp, j.inErr = dispInvalid, &InputError{Line: it.Line, Code: CodeEmptyToken, Problem: "the request has no token"}
		default:
			fp := fpr.of(it.Request.Token)
			j.fp = hex.EncodeToString(fp[:])
			j.req = it.Request
			switch {
			case e.resume != nil && e.resume.isDone(fp):
				j.disp = dispSkipDone
			case e.resume != nil && e.skipFailed && e.resume.isFailed(fp):
				j.disp = dispSkipFailed
			case e.dryRun:
				j.disp = dispDryRun
			default:
				j.disp = dispSend
			}
			if j.disp != dispSend {
				j.req.Token = "" // not needed any more
			}
		}
		if j.disp != dispReadErr {
			j.index = index
			index++
		}
		select {
		case in <- j:
		case <-quit:
			return
		}
		if j.disp == dispReadErr {
			return
		}
	}
}

// attempt makes one call for j on a worker goroutine.
func (e *engine) attempt(ctx context.Context, j *job) {
	j.called, j.cancelled, j.res, j.err, j.verified, j.verifyErr = false, false, nil, nil, nil, nil
	t, err := e.pacer.wait(ctx)
	if err != nil {
		j.cancelled = true
		return
	}
	j.called = true
	j.attempts++
	res, err := e.call(ctx, j.req)
	if err != nil && ctx.Err() != nil {
		// Cut short by the end of the run: the answer says nothing, and the
		// token may or may not be revoked. Not recorded; a resumed run
		// tries it again.
		e.pacer.release(t)
		j.cancelled = true
		return
	}
	if paused := e.pacer.observe(t, res, err); paused > 0 {
		e.logInfo("bulk: pausing every call at the vendor's request", slog.Duration("for", paused), slog.String("kind", Kind(err)))
	}
	j.res, j.err = res, scrub(err, j.req.Token)
	if e.verify != nil && err == nil {
		active, verr := e.callVerify(ctx, j.req)
		switch {
		case verr != nil && ctx.Err() == nil:
			j.verifyErr = scrub(verr, j.req.Token)
		case verr == nil:
			inactive := !active
			j.verified = &inactive
		}
	}
}

// call calls the Revoker, turning a panic into an error.
func (e *engine) call(ctx context.Context, req revoke.Request) (res *revoke.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, newPanicError("Revoker", v, req.Token)
		}
	}()
	return e.rev.Revoke(ctx, req)
}

// callVerify calls the Verifier, turning a panic into an error.
func (e *engine) callVerify(ctx context.Context, req revoke.Request) (active bool, err error) {
	defer func() {
		if v := recover(); v != nil {
			active, err = false, newPanicError("Verifier", v, req.Token)
		}
	}()
	return e.verify.Verify(ctx, req)
}

// settle handles a worker's report on the dispatcher goroutine. It returns
// true when j is to be re-queued (j.due is set).
func (e *engine) settle(j *job, stopping bool) (requeue bool) {
	if j.called {
		e.sum.Attempts++
	}
	if j.cancelled {
		return false // unfinished: stays owned
	}
	err := j.err
	if errors.Is(err, revoke.ErrRateLimited) {
		e.sum.RateLimited++
	}
	switch {
	case err == nil:
		st := Revoked
		if j.res != nil && j.res.AlreadyInvalid {
			st = AlreadyInvalid
		}
		if j.verified != nil && !*j.verified {
			e.finish(j, Failed, "", ErrStillActive)
			return false
		}
		e.finish(j, st, "", err)
	case isTemporary(err) && j.attempts < e.maxAttempts && !stopping:
		e.sum.Retries++
		j.due = e.clk.Now().Add(e.retryDelay(j))
		return true
	default:
		e.finish(j, Failed, "", err)
		if !e.keepGoing && isClientError(err) && e.stopErr == nil {
			e.stopErr = fmt.Errorf("bulk: stopped after item %d (%s), as every later call would fail the same way (Config.ContinueOnClientError goes on): %w",
				j.index, Kind(err), err)
			e.logError("bulk: stopping the run", slog.Int("index", j.index), slog.String("kind", Kind(err)))
		}
	}
	return false
}

// retryDelay is how long a re-queued item waits: the error's RetryAfter, or
// a jittered backoff for its attempt.
func (e *engine) retryDelay(j *job) time.Duration {
	var re *revoke.Error
	if errors.As(j.err, &re) && re.RetryAfter > 0 {
		return re.RetryAfter + e.jitter(min(re.RetryAfter/8, maxPauseJitter))
	}
	d := e.minBackoff
	for i := 1; i < j.attempts && d < e.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, e.maxBackoff)
	return d/2 + e.jitter(d/2)
}

// finish reports a finished item: summary, journal, OnOutcome.
func (e *engine) finish(j *job, st Status, kind string, err error) {
	if j.disp == dispSend {
		e.owned--
	}
	o := Outcome{
		Index: j.index, Line: j.line, Fingerprint: j.fp, Hint: j.req.Hint, Status: st, Kind: kind,
		Attempts: j.attempts, Err: err, Verified: j.verified, VerifyErr: j.verifyErr,
	}
	if kind == "" && err != nil {
		o.Kind = Kind(err)
	}
	if j.res != nil {
		o.StatusCode, o.RequestID = j.res.StatusCode, j.res.RequestID
	}
	var re *revoke.Error
	if errors.As(err, &re) {
		o.StatusCode, o.RequestID = re.StatusCode, re.RequestID
	}
	switch st {
	case Revoked:
		e.sum.Revoked++
	case AlreadyInvalid:
		e.sum.AlreadyInvalid++
	case Failed:
		e.sum.Failed++
		e.sum.FailedByKind[o.Kind]++
	case Skipped:
		e.sum.Skipped++
	case InvalidInput:
		e.sum.InvalidInput++
	case DryRun:
		e.sum.DryRun++
	}
	switch {
	case o.Verified != nil && *o.Verified:
		e.sum.Verified++
	case o.Verified != nil:
		e.sum.StillActive++
	case o.VerifyErr != nil:
		e.sum.VerifyErrors++
	}
	if e.journal != nil {
		now := e.clk.Now()
		e.journal.record(&o, now)
		switch {
		case e.journal.pending >= flushRecords:
			e.flushJournal()
		case e.flushAlarm.c == nil:
			e.flushAlarm.set(e.clk, now.Add(flushInterval))
		}
		if e.journal.err != nil {
			e.journalFailed()
		}
	}
	j.req = revoke.Request{}
	if e.onOutcome != nil {
		e.onOutcome(o)
	}
}

func (e *engine) flushJournal() {
	e.flushAlarm.stop()
	if err := e.journal.flush(); err != nil {
		e.journalFailed()
	}
}

func (e *engine) journalFailed() {
	if e.stopErr == nil {
		e.stopErr = fmt.Errorf("bulk: writing the journal: %w", e.journal.err)
		e.logError("bulk: stopping the run: the journal cannot be written")
	}
}

func (e *engine) logInfo(msg string, attrs ...slog.Attr) {
	if e.log != nil {
		e.log.LogAttrs(context.Background(), slog.LevelInfo, msg, attrs...)
	}
}

func (e *engine) logError(msg string, attrs ...slog.Attr) {
	if e.log != nil {
		e.log.LogAttrs(context.Background(), slog.LevelError, msg, attrs...)
	}
}

// retryQueue is a min-heap of re-queued jobs by due time.
type retryQueue []*job

func (q retryQueue) Len() int           { return len(q) }
func (q retryQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q retryQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *retryQueue) Push(x any)        { *q = append(*q, x.(*job)) }
func (q *retryQueue) Pop() any {
	old := *q
	j := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return j
}
func (q retryQueue) peek() *job { return q[0] }

// alarm is a re-armable timer on a clock.
type alarm struct {
	when  time.Time
	c     <-chan time.Time
	stopf func() bool
}

// set arms the alarm for when, unless it is already armed for then, and
// returns its channel.
func (a *alarm) set(clk clock, when time.Time) <-chan time.Time {
	if a.c != nil && a.when.Equal(when) {
		return a.c
	}
	a.stop()
	a.when = when
	a.c, a.stopf = clk.Timer(when.Sub(clk.Now()))
	return a.c
}

func (a *alarm) stop() {
	if a.stopf != nil {
		a.stopf()
	}
	a.c, a.stopf = nil, nil
}

// field is one rendered field of a printed value.
type field struct{ name, value string }

// formatFields prints a struct-like value whose fields are already rendered
// safely: %#v with the type and field names, %+v with field names, every
// other verb with the values only.
func formatFields(f fmt.State, verb rune, typeName string, fields []field) {
	sharp := verb == 'v' && f.Flag('#')
	plus := sharp || (verb == 'v' && f.Flag('+'))
	var b strings.Builder
	if sharp {
		b.WriteString(typeName)
	}
	b.WriteByte('{')
	for i, fd := range fields {
		if i > 0 {
			if sharp {
				b.WriteString(", ")
			} else {
				b.WriteByte(' ')
			}
		}
		if plus {
			b.WriteString(fd.name)
			b.WriteByte(':')
		}
		b.WriteString(fd.value)
	}
	b.WriteByte('}')
	_, _ = io.WriteString(f, b.String())
}

func errText(err error) string {
	if err == nil {
		return "nil"
	}
	return strconv.Quote(err.Error())
}

func boolPtr(b *bool) string {
	if b == nil {
		return "nil"
	}
	return strconv.FormatBool(*b)
}

func redactBytes(b []byte) string {
	if len(b) == 0 {
		return `""`
	}
	return redacted
}

func setOrNil(set bool) string {
	if set {
		return "set"
	}
	return "nil"
}

func typeName(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%T", v)
}
