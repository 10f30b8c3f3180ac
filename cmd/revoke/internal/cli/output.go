package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/revokekit/revoke/bulk"
)

// OutcomeLine is one line of revoke token's standard output: what became
// of one input token. It never holds the token; Line and Fingerprint
// identify it.
type OutcomeLine struct {
	// Line is the token's 1-based line in the input.
	Line int `json:"line,omitempty"`
	// Index is the token's 0-based position among the input's items.
	Index int `json:"index"`
	// Fingerprint is the hex HMAC-SHA256 fingerprint of the token under
	// the fingerprint key (the journal's "fp"), "" for invalid input.
	Fingerprint string `json:"fingerprint,omitempty"`
	// Status is revoked, already_invalid, failed, skipped, invalid_input or
	// dry_run.
	Status string `json:"status"`
	// Kind names the error of a failed or invalid item (invalid_client,
	// rate_limited, …), or why an item was skipped (done_before).
	Kind string `json:"kind,omitempty"`
	// StatusCode is the HTTP status of the vendor's last answer.
	StatusCode int `json:"status_code,omitempty"`
	// Attempts is the calls made for the token.
	Attempts int `json:"attempts,omitempty"`
	// RequestID is the vendor's request ID of the last answer: quote it in
	// a support ticket.
	RequestID string `json:"request_id,omitempty"`
	// Hint is the token_type_hint sent.
	Hint string `json:"hint,omitempty"`
	// Verified is the --verify check: true when introspection found the
	// token inactive.
	Verified *bool `json:"verified,omitempty"`
	// Error is the error text; the SDK keeps tokens and secrets out of it.
	Error string `json:"error,omitempty"`
	// VerifyError is why the --verify check itself failed.
	VerifyError string `json:"verify_error,omitempty"`
}

// lineOf renders an outcome.
func lineOf(o bulk.Outcome) OutcomeLine {
	l := OutcomeLine{
		Line: o.Line, Index: o.Index, Fingerprint: o.Fingerprint, Status: o.Status.String(), Kind: o.Kind,
		StatusCode: o.StatusCode, Attempts: o.Attempts, RequestID: o.RequestID, Hint: string(o.Hint), Verified: o.Verified,
	}
	if o.Err != nil {
		l.Error = o.Err.Error()
	}
	if o.VerifyErr != nil {
		l.VerifyError = o.VerifyErr.Error()
	}
	return l
}

// outcomeWriter writes JSON lines, one per outcome, each flushed at once so
// that a reader (jq, a log shipper) sees it as it happens. A write error is
// kept and reported at the end: the run goes on, the journal being the
// record that counts.
type outcomeWriter struct {
	w   io.Writer
	err error
}

func newOutcomeWriter(w io.Writer) *outcomeWriter { return &outcomeWriter{w: w} }

func (ow *outcomeWriter) write(o bulk.Outcome) {
	if ow.err != nil {
		return
	}
	b, err := json.Marshal(lineOf(o))
	if err == nil {
		_, err = ow.w.Write(append(b, '\n'))
	}
	ow.err = err
}

// progress is a progress bar on standard error, or nothing when standard
// error is not a terminal.
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(env Env, total int64, off, dryRun bool) *progress {
	if off || !isTerminal(env.Stderr) {
		return &progress{}
	}
	desc := "revoking"
	if dryRun {
		desc = "checking"
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(env.Stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("tokens"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
	)}
}

func (p *progress) add() {
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
}

func (p *progress) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}

// printSummary writes the human summary of a run.
func printSummary(w io.Writer, prog string, s bulk.Summary, dryRun bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d tokens read in %s", prog, s.Read, s.Elapsed.Round(time.Millisecond))
	if !dryRun {
		fmt.Fprintf(&b, ", %.1f revoked a second", s.Rate)
	}
	b.WriteString("\n")
	row := func(label string, n int, extra string) {
		fmt.Fprintf(&b, "  %-18s %7d%s\n", label, n, extra)
	}
	if dryRun {
		row("would be sent", s.DryRun, "")
	} else {
		row("revoked", s.Revoked, "")
		row("already invalid", s.AlreadyInvalid, "  (counts as revoked)")
	}
	if s.Skipped > 0 {
		row("skipped", s.Skipped, "  (done by an earlier run of the journal)")
	}
	row("failed", s.Failed, byKind(s.FailedByKind))
	if s.InvalidInput > 0 {
		row("invalid input", s.InvalidInput, "  (see the JSON lines for their line numbers)")
	}
	if s.Unfinished > 0 {
		row("unfinished", s.Unfinished, "  (cancelled in flight; a resumed run sends them)")
	}
	if !dryRun {
		limit := ""
		if s.Limit >= 0 {
			limit = fmt.Sprintf(", vendor limit %d per window", s.Limit)
		}
		fmt.Fprintf(&b, "  calls %d (%d retried, %d answered 429)%s\n", s.Attempts, s.Retries, s.RateLimited, limit)
	}
	if s.Verified+s.StillActive+s.VerifyErrors > 0 {
		fmt.Fprintf(&b, "  verified inactive %d, still active %d, checks failed %d\n", s.Verified, s.StillActive, s.VerifyErrors)
	}
	_, _ = io.WriteString(w, b.String())
}

// byKind renders failure counts: "  (invalid_client 3, rate_limited 1)".
func byKind(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "  (" + strings.Join(parts, ", ") + ")"
}
