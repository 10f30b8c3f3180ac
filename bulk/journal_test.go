package bulk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jrec writes one journal record line for a token.
func jrec(token, outcome, kind string) string {
	fp := ""
	if token != "" {
		fp = `"fp":"` + Fingerprint(testKey, token) + `",`
	}
	k := ""
	if kind != "" {
		k = `,"kind":"` + kind + `"`
	}
	return `{` + fp + `"outcome":"` + outcome + `"` + k + `,"index":0,"ts":"2026-06-01T09:30:00Z"}` + "\n"
}

var jheader = `{"journal":"revoke/bulk","v":1,"key":"` + keyID(testKey) + `","ts":"2026-06-01T09:30:00Z"}` + "\n"

func TestReadJournal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		journal       string
		wantDone      []string // tokens done
		wantFailed    []string // tokens failed permanently
		wantRecords   int
		wantTruncated bool
		wantErr       string // substring of the error
	}{
		{name: "empty"},
		{
			name: "every outcome",
			journal: jheader + jrec("a", "revoked", "") + jrec("b", "already_invalid", "invalid_token") +
				jrec("c", "failed", "rate_limited") + jrec("d", "failed", "invalid_client") +
				jrec("e", "skipped", KindDoneBefore) + jrec("f", "skipped", KindFailedBefore) +
				jrec("", "invalid_input", "malformed_json") + jrec("g", "failed", "still_active"),
			wantDone:    []string{"a", "b", "e"},
			wantFailed:  []string{"d", "f"},
			wantRecords: 9,
		},
		{
			name:        "the last failure decides",
			journal:     jrec("a", "failed", "invalid_client") + jrec("a", "failed", "unavailable") + jrec("b", "failed", "unavailable") + jrec("b", "failed", "forbidden"),
			wantFailed:  []string{"b"},
			wantRecords: 4,
		},
		{
			name:        "done is for good",
			journal:     jrec("a", "revoked", "") + jrec("a", "failed", "invalid_client") + jrec("a", "revoked", ""),
			wantDone:    []string{"a"},
			wantRecords: 3,
		},
		{
			name:          "an incomplete last record is ignored",
			journal:       jheader + jrec("a", "revoked", "") + jrec("b", "revoked", "")[:40],
			wantDone:      []string{"a"},
			wantRecords:   2,
			wantTruncated: true,
		},
		{
			name:        "a complete last record without its newline counts",
			journal:     jrec("a", "revoked", "") + strings.TrimSuffix(jrec("b", "revoked", ""), "\n"),
			wantDone:    []string{"a", "b"},
			wantRecords: 2,
		},
		{
			name:        "blank lines and CRLF",
			journal:     "\n" + strings.ReplaceAll(jrec("a", "revoked", ""), "\n", "\r\n") + "\n",
			wantDone:    []string{"a"},
			wantRecords: 1,
		},
		{
			name:    "a broken record in the middle",
			journal: jrec("a", "revoked", "") + `{"fp":"zz` + "\n" + jrec("b", "revoked", ""),
			wantErr: "journal line 2 is not a record",
		},
		{
			name:    "a bad fingerprint",
			journal: `{"fp":"abc","outcome":"revoked"}` + "\n",
			wantErr: "journal line 1",
		},
		{
			name:    "the token list instead of the journal",
			journal: "secret-token-1\nsecret-token-2\n",
			wantErr: "is it the token list?",
		},
		{
			name:        "unknown outcomes of a later version are skipped",
			journal:     jrec("a", "quarantined", "") + jrec("b", "revoked", ""),
			wantDone:    []string{"b"},
			wantRecords: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ReadJournal(strings.NewReader(tt.journal))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret-token") || strings.Contains(err.Error(), "zz") {
					t.Errorf("the error quotes the file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Done() != len(tt.wantDone) || res.FailedPermanently() != len(tt.wantFailed) ||
				res.Records() != tt.wantRecords || res.Truncated() != tt.wantTruncated {
				t.Errorf("got %v; want %d done, %d failed, %d records, truncated %t",
					res, len(tt.wantDone), len(tt.wantFailed), tt.wantRecords, tt.wantTruncated)
			}
			fpr := newFingerprinter(testKey)
			for _, tok := range tt.wantDone {
				if !res.isDone(fpr.of(tok)) {
					t.Errorf("%q not done", tok)
				}
			}
			for _, tok := range tt.wantFailed {
				if !res.isFailed(fpr.of(tok)) {
					t.Errorf("%q not failed permanently", tok)
				}
			}
		})
	}
}

// TestOpenJournalRepairs: a record cut short by a kill is removed before the
// next run appends, and a complete last record gets its newline back.
func TestOpenJournalRepairs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		content   string
		wantDone  int
		wantAfter string // the file's content before the new run's records
	}{
		{"cut mid-record", jheader + jrec("a", "revoked", "") + jrec("b", "revoked", "")[:33], 1, jheader + jrec("a", "revoked", "")},
		{"no final newline", jheader + strings.TrimSuffix(jrec("a", "revoked", ""), "\n"), 1, jheader + jrec("a", "revoked", "")},
		{"new file", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j")
			if tt.content != "" {
				if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			f, res, err := OpenJournal(path)
			if err != nil {
				t.Fatal(err)
			}
			if res.Done() != tt.wantDone {
				t.Errorf("done = %d, want %d", res.Done(), tt.wantDone)
			}
			fake := newFake(nil)
			sum, err := Run(context.Background(), fake, requestsOf([]string{"a", "b", "c"}), Config{Journal: f, Resume: res, FingerprintKey: testKey})
			f.Close()
			if err != nil || sum.Revoked+sum.Skipped != 3 || sum.Skipped != tt.wantDone {
				t.Fatalf("run: %+v, %v", sum, err)
			}
			data, _ := os.ReadFile(path)
			if !strings.HasPrefix(string(data), tt.wantAfter) {
				t.Errorf("file starts\n%s\nwant\n%s", data, tt.wantAfter)
			}
			res, err = ReadJournal(bytes.NewReader(data))
			if err != nil || res.Done() != 3 || res.Truncated() {
				t.Errorf("after the run: %v, %v; want 3 done", res, err)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", st.Mode().Perm())
			}
		})
	}
}

// TestJournalRecord pins the record format.
func TestJournalRecord(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	j := newJournal(&buf)
	yes := true
	j.record(&Outcome{Index: 11, Line: 12, Fingerprint: "00112233445566778899aabbccddeeff", Status: Revoked,
		StatusCode: 200, Attempts: 1, Verified: &yes}, t0)
	j.record(&Outcome{Index: 12, Line: 13, Fingerprint: "ffeeddccbbaa99887766554433221100", Status: Failed,
		Kind: "invalid_client", StatusCode: 401, Attempts: 1, Err: errors.New("server said: secret stuff")}, t0)
	j.record(&Outcome{Index: 13, Line: 14, Status: InvalidInput, Kind: "malformed_json"}, t0)
	j.record(&Outcome{Index: 14, Status: Failed, Kind: "Bad Kind\n\"", Fingerprint: "00112233445566778899aabbccddeeff"}, t0)
	if err := j.flush(); err != nil {
		t.Fatal(err)
	}
	want := `{"fp":"00112233445566778899aabbccddeeff","outcome":"revoked","status":200,"attempts":1,"line":12,"index":11,"verified":true,"ts":"2026-06-01T09:30:00Z"}
{"fp":"ffeeddccbbaa99887766554433221100","outcome":"failed","kind":"invalid_client","status":401,"attempts":1,"line":13,"index":12,"ts":"2026-06-01T09:30:00Z"}
{"outcome":"invalid_input","kind":"malformed_json","line":14,"index":13,"ts":"2026-06-01T09:30:00Z"}
{"fp":"00112233445566778899aabbccddeeff","outcome":"failed","kind":"error","index":14,"ts":"2026-06-01T09:30:00Z"}
`
	if buf.String() != want {
		t.Errorf("records:\n%s\nwant:\n%s", buf.String(), want)
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("%s: %v", line, err)
		}
	}
}

// recWriter records every Write and Sync of a journal.
type recWriter struct {
	writes []string
	syncs  int
}

func (w *recWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return len(p), nil
}
func (w *recWriter) Sync() error { w.syncs++; return nil }

// TestJournalBatches: records go out in whole-record batches of 100, each
// synced, and the rest when the run ends.
func TestJournalBatches(t *testing.T) {
	t.Parallel()
	var w recWriter
	sum, err := Run(context.Background(), newFake(nil), requestsOf(tokens("batch", 250)),
		Config{Journal: &w, FingerprintKey: testKey})
	if err != nil || sum.Revoked != 250 {
		t.Fatalf("%+v, %v", sum, err)
	}
	var records int
	for i, wr := range w.writes {
		if !strings.HasSuffix(wr, "\n") {
			t.Errorf("write %d ends inside a record", i)
		}
		records += strings.Count(wr, "\n")
	}
	if records != 251 || len(w.writes) < 3 || len(w.writes) > 4 || w.syncs != len(w.writes) {
		t.Errorf("%d records in %d writes, %d syncs; want 251 records in batches of about 100, each synced", records, len(w.writes), w.syncs)
	}
}

// failWriter fails after n bytes.
type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestJournalWriteErrorStops: a journal that cannot be written stops the
// run, since a resume could no longer trust it.
func TestJournalWriteErrorStops(t *testing.T) {
	t.Parallel()
	fake := newFake(nil)
	sum, err := Run(context.Background(), fake, requestsOf(tokens("full", 1000)),
		Config{Journal: &failWriter{n: 100}, FingerprintKey: testKey})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "journal") {
		t.Fatalf("err = %v", err)
	}
	if sum.Read >= 1000 || fake.total() >= 1000 {
		t.Errorf("the run went on: %+v", sum)
	}
}

// TestSkipPermanentFailures: permanent failures are retried by default and
// skipped on request; temporary ones are always retried.
func TestSkipPermanentFailures(t *testing.T) {
	t.Parallel()
	journal := jheader + jrec("done", "revoked", "") + jrec("perm", "failed", "invalid_client") + jrec("temp", "failed", "unavailable")
	for _, skip := range []bool{false, true} {
		t.Run(fmt.Sprintf("SkipPermanentFailures=%t", skip), func(t *testing.T) {
			t.Parallel()
			res, err := ReadJournal(strings.NewReader(journal))
			if err != nil {
				t.Fatal(err)
			}
			fake := newFake(nil)
			var got collect
			_, err = Run(context.Background(), fake, requestsOf([]string{"done", "perm", "temp", "new"}),
				Config{Resume: res, FingerprintKey: testKey, SkipPermanentFailures: skip, OnOutcome: got.add})
			if err != nil {
				t.Fatal(err)
			}
			wantCalls := map[string]int{"done": 0, "perm": 1, "temp": 1, "new": 1}
			if skip {
				wantCalls["perm"] = 0
			}
			for tok, n := range wantCalls {
				if fake.calls[tok] != n {
					t.Errorf("%q sent %d times, want %d", tok, fake.calls[tok], n)
				}
			}
			kinds := map[string]string{}
			for _, o := range got.out {
				if o.Status == Skipped {
					kinds[o.Fingerprint] = o.Kind
				}
			}
			if kinds[Fingerprint(testKey, "done")] != KindDoneBefore {
				t.Errorf("skip kinds %v", kinds)
			}
			if skip && kinds[Fingerprint(testKey, "perm")] != KindFailedBefore {
				t.Errorf("skip kinds %v", kinds)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	a := Fingerprint(testKey, "token-a")
	if len(a) != 32 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("Fingerprint = %q, want 32 hex digits", a)
	}
	if a == Fingerprint(testKey, "token-b") || a == Fingerprint([]byte("another-key-16-bytes"), "token-a") {
		t.Error("fingerprints collide across tokens or keys")
	}
	if a != Fingerprint(testKey, "token-a") {
		t.Error("Fingerprint is not deterministic")
	}
	// HMAC-SHA256("key-of-sixteen-b", "abc"), first 16 bytes.
	if got := Fingerprint([]byte("key-of-sixteen-b"), "abc"); got != wantFP {
		t.Errorf("Fingerprint = %s, want %s", got, wantFP)
	}
}

// wantFP is the first 16 bytes of HMAC-SHA256("key-of-sixteen-b", "abc"),
// computed with openssl dgst -sha256 -hmac.
const wantFP = "5ece1478186818a74f67703e5f4259a4"
