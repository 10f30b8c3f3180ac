package bulk

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

// Benchmarks report what a run achieves; they assert nothing about time.
// Each iteration is a whole run: use -benchtime=1x.
//
//	go test -run '^$' -bench . -benchtime=1x ./bulk/

// BenchmarkRateLimited revokes 20,000 tokens through a loopback server that
// allows 500 per one-second window, as Okta does per minute: the run should
// reach the limit and draw no 429 after the first window.
func BenchmarkRateLimited(b *testing.B) {
	const (
		n     = 20000
		limit = 500
	)
	for range b.N {
		srv := newLimitServer(limit)
		base, client := startServer(b, srv)
		toks := tokens("bench", n)
		sum, err := Run(context.Background(), httpRevoker(client, base), requestsOf(toks), Config{Concurrency: 16})
		if err != nil || sum.Revoked != n {
			b.Fatalf("%+v, %v", sum, err)
		}
		_, tooMany, late := srv.stats()
		srv.mu.Lock()
		first, last := srv.firstWindow, srv.window
		fullMin, fullSum, full := limit, 0, 0
		for w := first + 1; w < last; w++ {
			c := srv.perWindow[w]
			fullMin = min(fullMin, c)
			fullSum += c
			full++
		}
		srv.mu.Unlock()
		lost := 0
		counts := srv.counts()
		for _, tok := range toks {
			if counts[tok] != 1 {
				lost++
			}
		}
		b.ReportMetric(sum.Rate/limit, "limit-fraction")
		b.ReportMetric(float64(fullSum)/float64(full)/limit, "mean-window-fill")
		b.ReportMetric(float64(fullMin)/limit, "min-window-fill")
		b.ReportMetric(float64(late), "429s-after-first-window")
		b.ReportMetric(float64(tooMany), "429s")
		b.ReportMetric(sum.Rate, "revocations/s")
		b.ReportMetric(float64(lost), "tokens-not-revoked-once")
	}
}

// BenchmarkMemory streams 10k, 100k and 1M tokens from a generator through
// an in-process Revoker, with a journal, and reports the peak heap in use
// (sampled every 2,000 outcomes): it should not grow with the input.
func BenchmarkMemory(b *testing.B) {
	r := revoke.RevokerFunc(func(context.Context, revoke.Request) (*revoke.Result, error) {
		return &revoke.Result{StatusCode: 200, Attempts: 1}, nil
	})
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) {
			for range b.N {
				gen := func(yield func(revoke.Request) bool) {
					buf := []byte("generated-token-")
					for i := range n {
						if !yield(revoke.Request{Token: string(strconv.AppendInt(buf, int64(i), 10))}) {
							return
						}
					}
				}
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				base := ms.HeapInuse
				var peakInuse, peakAlloc uint64
				sample := func() {
					runtime.ReadMemStats(&ms)
					peakInuse = max(peakInuse, ms.HeapInuse)
					peakAlloc = max(peakAlloc, ms.HeapAlloc)
				}
				done := 0
				start := time.Now()
				sum, err := Run(context.Background(), r, gen, Config{
					Journal: io.Discard, FingerprintKey: testKey,
					OnOutcome: func(Outcome) {
						if done++; done%2000 == 0 {
							sample()
						}
					},
				})
				elapsed := time.Since(start)
				if err != nil || sum.Revoked != n {
					b.Fatalf("%+v, %v", sum, err)
				}
				b.ReportMetric(float64(peakInuse)/(1<<20), "peak-heap-inuse-MB")
				b.ReportMetric(float64(peakAlloc)/(1<<20), "peak-heap-alloc-MB")
				b.ReportMetric(float64(base)/(1<<20), "heap-before-MB")
				b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/token")
			}
		})
	}
}

// BenchmarkKillResume stops a run of 20,000 tokens halfway, then resumes it
// from its journal file, and reports tokens revoked twice at the server and
// tokens never revoked (must be 0). "cancel" cancels the context; "kill"
// runs the first part in a child process and kills it with SIGKILL, so its
// unflushed journal records are lost and its last record may be cut.
func BenchmarkKillResume(b *testing.B) {
	const n = 20000
	for _, mode := range []string{"cancel", "kill"} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				srv := newLimitServer(1 << 30)
				base, client := startServer(b, srv)
				toks := tokens("kill", n)
				path := filepath.Join(b.TempDir(), "journal")
				switch mode {
				case "cancel":
					f, res, err := OpenJournal(path)
					if err != nil {
						b.Fatal(err)
					}
					ctx, cancel := context.WithCancel(context.Background())
					done := 0
					_, err = Run(ctx, httpRevoker(client, base), requestsOf(toks), Config{
						Journal: f, Resume: res, FingerprintKey: testKey,
						OnOutcome: func(Outcome) {
							if done++; done == n/2 {
								cancel()
							}
						},
					})
					f.Close()
					if !errors.Is(err, context.Canceled) {
						b.Fatalf("first run: %v", err)
					}
				case "kill":
					killChildHalfway(b, srv, base, path, n)
				}
				firstRun := len(srv.counts())

				f, res, err := OpenJournal(path)
				if err != nil {
					b.Fatal(err)
				}
				sum, err := Run(context.Background(), httpRevoker(client, base), requestsOf(toks), Config{
					Journal: f, Resume: res, FingerprintKey: testKey,
				})
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				counts := srv.counts()
				lost, twice := 0, 0
				for _, tok := range toks {
					switch c := counts[tok]; {
					case c == 0:
						lost++
					case c > 1:
						twice++
					}
				}
				if lost != 0 {
					b.Errorf("%d tokens never revoked", lost)
				}
				b.ReportMetric(float64(firstRun), "revoked-before-stop")
				b.ReportMetric(float64(res.Done()), "journaled-done")
				b.ReportMetric(float64(sum.Skipped), "skipped-on-resume")
				b.ReportMetric(float64(twice), "revoked-twice")
				b.ReportMetric(float64(lost), "lost")
				if res.Truncated() {
					b.ReportMetric(1, "cut-record")
				} else {
					b.ReportMetric(0, "cut-record")
				}
			}
		})
	}
}

// killChildHalfway runs the first part of a run in a child process (this
// test binary, see TestMain) and kills it with SIGKILL once the server has
// revoked half the tokens.
func killChildHalfway(b *testing.B, srv *limitServer, base, path string, n int) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(),
		"BULK_CHILD_SERVER="+base, "BULK_CHILD_JOURNAL="+path,
		"BULK_CHILD_N="+strconv.Itoa(n), "BULK_CHILD_KEY="+hex.EncodeToString(testKey))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for len(srv.counts()) < n/2 {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			b.Fatal("the child did not get halfway")
		}
		time.Sleep(time.Millisecond)
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// TestMain lets the test binary act as the child of BenchmarkKillResume.
func TestMain(m *testing.M) {
	if base := os.Getenv("BULK_CHILD_SERVER"); base != "" {
		os.Exit(childRun(base))
	}
	os.Exit(m.Run())
}

func childRun(base string) int {
	n, _ := strconv.Atoi(os.Getenv("BULK_CHILD_N"))
	key, _ := hex.DecodeString(os.Getenv("BULK_CHILD_KEY"))
	f, res, err := OpenJournal(os.Getenv("BULK_CHILD_JOURNAL"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r := httpRevoker(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}, base)
	_, err = Run(context.Background(), r, requestsOf(tokens("kill", n)), Config{Journal: f, Resume: res, FingerprintKey: key})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// BenchmarkResumeSet reads a journal of 200,000 revoked records and reports
// the heap the Resume keeps per token (16 bytes of fingerprint).
func BenchmarkResumeSet(b *testing.B) {
	const n = 200_000
	var journal bytes.Buffer
	j := newJournal(&journal)
	j.header(keyID(testKey), t0)
	fpr := newFingerprinter(testKey)
	for i := range n {
		fp := fpr.of("resume-set-" + strconv.Itoa(i))
		j.record(&Outcome{Index: i, Line: i + 1, Fingerprint: hex.EncodeToString(fp[:]), Status: Revoked, StatusCode: 200, Attempts: 1}, t0)
	}
	if err := j.flush(); err != nil {
		b.Fatal(err)
	}
	data := journal.Bytes()
	b.ResetTimer()
	for range b.N {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		res, err := ReadJournal(bytes.NewReader(data))
		if err != nil || res.Done() != n {
			b.Fatal(res, err)
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc-before)/n, "heap-bytes/done-token")
		runtime.KeepAlive(res)
	}
}
