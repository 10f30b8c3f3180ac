// Package bulk revokes a stream of tokens through any revoke.Revoker, as
// fast as the vendor's rate limit allows and no faster, with a journal that
// lets a stopped run carry on where it left off.
//
// It is what an operator runs when a key leaks and tens of thousands of
// tokens must stop working now:
//
//	f, resume, err := bulk.OpenJournal("leak-2026-06-01.journal")
//	if err != nil { … }
//	defer f.Close()
//	in, err := os.Open("tokens.txt") // one token per line
//	if err != nil { … }
//	sum, err := bulk.RunItems(ctx, oktaRevoker, bulk.Lines(in), bulk.Config{
//		Concurrency:    16,
//		Journal:        f,
//		Resume:         resume,
//		FingerprintKey: key, // ≥ 16 secret bytes, the same for every run of this journal
//		OnOutcome:      func(o bulk.Outcome) { … },
//	})
//
// Run it again with the same journal after a crash, a Ctrl-C or a fix of the
// credentials: what is recorded as done is skipped, the rest is tried.
//
// # Input
//
// A run reads an iter.Seq[revoke.Request] (Run) or an iter.Seq[Item]
// (RunItems), as it goes: the input can be larger than memory. Lines reads
// a file of one token per line, or JSON lines {"token":"…","hint":"…"};
// FromChannel reads a channel. A malformed line is an InvalidInput outcome
// naming its line number, never its content, and the run goes on.
//
// Items that repeat a token are each sent: revoking a token twice is
// harmless (RFC 7009 §2.2), and remembering every token seen would make
// memory grow with the input.
//
// # Pacing
//
// Every call goes through one pacer shared by the run's workers, fed by
// every answer's Result.RateLimit (X-Rate-Limit-Limit, -Remaining, -Reset)
// and every error's RetryAfter:
//
//   - The run starts with one call alone; its answer tells what is left in
//     the vendor's window. From then on, what the window's first answer
//     said was left, less every call sent since, is what may be sent; so is
//     the lowest Remaining reported since, less the calls in flight (which
//     catches other clients spending the same limit). The lesser of the
//     two counts. When it reaches 0 every worker waits until Reset, then one
//     call probes the new window before the others follow. With Limit L per
//     window the run settles at L per window and draws no 429 after the
//     first window.
//   - A 429 (revoke.ErrRateLimited) pauses every worker until its
//     RetryAfter, each with a small random delay so that they do not all
//     call at the same instant, and re-queues the item. A temporary error
//     without RetryAfter pauses them for an exponential backoff.
//   - An item that keeps failing with a temporary error is tried
//     Config.MaxAttempts times, then recorded as failed.
//
// This works with any Revoker, paced or not, retrying or not: it only reads
// what the Revoker reports. It costs little: each window starts with one
// call's round trip alone, and since vendors send Reset in whole seconds
// (measured against a Date header of whole seconds), a window may be
// started up to a second late. That costs nothing while the workers can
// spend the limit well within the window, the usual case (Okta's 600 to
// 2,000 calls a minute take a few seconds at 16 workers); with one-second
// windows and a vendor whose latency is a large part of a second, expect
// about 1 − latency/window of the limit.
//
// # Journal
//
// The journal is a file of JSON lines, appended to by every run and read
// back by OpenJournal or ReadJournal. Each run first writes a header,
//
//	{"journal":"revoke/bulk","v":1,"key":"1f0c9a2b3c4d5e6f","ts":"2026-06-01T09:30:00Z"}
//
// whose key identifies the fingerprint key (without revealing it), then one
// record per finished item:
//
//	{"fp":"9b1c…(32 hex)","outcome":"revoked","status":200,"attempts":1,"line":12,"index":11,"ts":"2026-06-01T09:30:01Z"}
//	{"fp":"07aa…","outcome":"failed","kind":"invalid_client","status":401,"attempts":1,"line":13,"index":12,"ts":"…"}
//	{"outcome":"invalid_input","kind":"malformed_json","line":14,"index":13,"ts":"…"}
//
// fp is the hex of HMAC-SHA256(FingerprintKey, token) cut to 16 bytes (see
// Fingerprint); outcome is "revoked", "already_invalid", "failed",
// "skipped" or "invalid_input"; kind names the error class (see Kind) or
// the reason for a skip, never a server's text; status is the last HTTP
// status; attempts the calls made; line and index the item's place in the
// input; verified the Config.Verify check, when made. A token, an error
// message or anything else a server said is never written.
//
// An item is recorded once it is finished, and only as what happened: an
// item is "revoked" only after the vendor acknowledged it. Records are
// written whole, in batches (100 records, or 1 s), and the batch is flushed
// when the run ends, cancelled or not. After a crash, the last line may be
// cut short; it is ignored, and OpenJournal removes it before appending.
//
// # Resume
//
// A run given the Resume of a journal skips the tokens recorded as revoked
// or already_invalid (Skipped outcomes, Kind "done_before"), and tries the
// rest: those never reached, those in flight when the run stopped (their
// result is unknown, so they are not recorded), those recorded as failed
// with a temporary kind (rate_limited, unavailable), and those failed
// permanently (invalid_client, …) unless Config.SkipPermanentFailures says
// otherwise, since the operator may have fixed the cause.
//
// Delivery is therefore at least once: a token whose call was in flight
// when the run was cancelled, or whose record was still in the buffer when
// the process was killed, is sent again by the resumed run. Revoking it again
// is harmless. Nothing recorded as done is ever sent again.
//
// The Resume holds 16 bytes per token recorded as done (a million tokens:
// 16 MB); it is the one part of a run whose size grows with the work. Apart
// from it a run holds O(Concurrency) items.
//
// # Sharding a huge run
//
// Split the input by range, one range per machine, each machine with its
// own journal and the same FingerprintKey:
//
//	sed -n '1,500000p'       tokens.txt > part1.txt   # machine 1
//	sed -n '500001,1000000p' tokens.txt > part2.txt   # machine 2
//
// The journals can later be concatenated and resumed as one. But the
// vendor's limit is per org (Okta: a per-minute ceiling on /oauth2/v1/revoke
// and 75 concurrent requests per org, whoever sends them), so more machines
// do not raise it: they share it. Each run paces itself by the Remaining the
// vendor reports, which counts every machine's calls, so together they stay
// near the limit; keep the sum of their Concurrency below the vendor's
// concurrency limit. One machine usually reaches the limit; shard for
// availability, not speed.
//
// # Secrets
//
// Tokens appear in no Outcome, Summary, journal record, log record or
// error returned by this package: items are identified by fingerprint and
// line number, and error text from a Revoker is scrubbed of the token.
// Config prints its FingerprintKey as [REDACTED].
package bulk
