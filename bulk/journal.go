package bulk

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"slices"
	"strconv"
	"time"
)

// MinKeyLength is the shortest Config.FingerprintKey accepted, in bytes.
const MinKeyLength = 16

// journalName marks a journal's header records.
const journalName = "revoke/bulk"

// journalVersion is the version of the record format.
const journalVersion = 1

// Flushing: a journal is written through a buffer that is flushed (and
// synced, when the writer has a Sync method, as *os.File does) after this
// many records, this long after the first unflushed record, and when the
// run ends for any reason.
const (
	flushRecords  = 100
	flushInterval = time.Second
)

// fingerprint is the first 16 bytes of HMAC-SHA256(key, token).
type fingerprint [16]byte

// fingerprinter computes fingerprints; it is not safe for concurrent use.
type fingerprinter struct {
	mac hash.Hash
	sum []byte
}

func newFingerprinter(key []byte) *fingerprinter {
	return &fingerprinter{mac: hmac.New(sha256.New, key), sum: make([]byte, 0, sha256.Size)}
}

func (f *fingerprinter) of(token string) fingerprint {
	f.mac.Reset()
	_, _ = io.WriteString(f.mac, token)
	f.sum = f.mac.Sum(f.sum[:0])
	return fingerprint(f.sum[:16])
}

// Fingerprint returns the fingerprint that a run with this key records for
// token: the hex encoding of the first 16 bytes of HMAC-SHA256(key, token).
// Use it to look a token up in a journal. It reveals nothing about the
// token to whoever lacks the key.
func Fingerprint(key []byte, token string) string {
	fp := newFingerprinter(key).of(token)
	return hex.EncodeToString(fp[:])
}

// randomKey is the fingerprint key of a run given none.
func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // never fails (crypto/rand, Go 1.24)
	return k
}

// keyID identifies a fingerprint key in a journal's header records without
// revealing it, so that a resume with another key is refused instead of
// revoking everything again.
func keyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("revoke/bulk journal key id v1"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// journal appends records to the writer of Config.Journal.
type journal struct {
	under   io.Writer
	w       *bufio.Writer
	buf     []byte
	pending int // records written since the last flush
	err     error
}

func newJournal(w io.Writer) *journal {
	return &journal{under: w, w: bufio.NewWriterSize(w, 32<<10), buf: make([]byte, 0, 256)}
}

// header writes the record that opens a run's part of the journal.
func (j *journal) header(id string, now time.Time) {
	b := j.buf[:0]
	b = append(b, `{"journal":"`+journalName+`","v":`...)
	b = strconv.AppendInt(b, journalVersion, 10)
	b = append(b, `,"key":"`...)
	b = append(b, id...)
	b = append(b, `","ts":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, "\"}\n"...)
	j.write(b)
}

// record writes the record of a finished item. Everything written comes from
// the outcome's safe fields: the fingerprint (hex), the status, the kind (a
// snake-case name), numbers and the time.
func (j *journal) record(o *Outcome, now time.Time) {
	b := j.buf[:0]
	b = append(b, '{')
	if o.Fingerprint != "" {
		b = append(b, `"fp":"`...)
		b = append(b, o.Fingerprint...)
		b = append(b, `",`...)
	}
	b = append(b, `"outcome":"`...)
	b = append(b, o.Status.String()...)
	b = append(b, '"')
	if o.Kind != "" {
		b = append(b, `,"kind":"`...)
		b = append(b, safeName(o.Kind, KindOther)...)
		b = append(b, '"')
	}
	if o.StatusCode != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(o.StatusCode), 10)
	}
	if o.Attempts > 0 {
		b = append(b, `,"attempts":`...)
		b = strconv.AppendInt(b, int64(o.Attempts), 10)
	}
	if o.Line > 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(o.Line), 10)
	}
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(o.Index), 10)
	if o.Verified != nil {
		b = append(b, `,"verified":`...)
		b = strconv.AppendBool(b, *o.Verified)
	}
	b = append(b, `,"ts":"`...)
	b = now.UTC().AppendFormat(b, time.RFC3339)
	b = append(b, "\"}\n"...)
	j.write(b)
}

func (j *journal) write(b []byte) {
	j.buf = b
	if j.err != nil {
		return
	}
	if _, err := j.w.Write(b); err != nil {
		j.err = err
		return
	}
	j.pending++
}

// flush writes the buffered records out and syncs the writer if it can.
func (j *journal) flush() error {
	if j.err != nil {
		return j.err
	}
	if j.pending == 0 && j.w.Buffered() == 0 {
		return nil
	}
	j.pending = 0
	if err := j.w.Flush(); err != nil {
		j.err = err
		return err
	}
	if s, ok := j.under.(interface{ Sync() error }); ok {
		if err := s.Sync(); err != nil {
			j.err = err
			return err
		}
	}
	return nil
}

// Resume is what earlier runs recorded in a journal: the fingerprints of the
// tokens already revoked (or found already invalid), and of those whose last
// recorded attempt failed permanently. Pass it as Config.Resume; the run then
// skips the former, and the latter too with Config.SkipPermanentFailures.
//
// It holds 16 bytes per recorded token, in sorted arrays, and nothing else
// per record: a journal of a million revocations takes 16 MB. It is not
// modified by a run and may be shared by concurrent runs.
type Resume struct {
	done    []fingerprint // sorted, unique
	failed  []fingerprint // sorted, unique, not in done: last recorded failure was permanent
	keyIDs  []string
	records int
	partial bool
}

// Done is the number of distinct tokens recorded as revoked or already
// invalid.
func (r *Resume) Done() int { return len(r.done) }

// FailedPermanently is the number of distinct tokens, not done, whose last
// recorded failure was permanent (not rate_limited, unavailable,
// deadline_exceeded or still_active).
func (r *Resume) FailedPermanently() int { return len(r.failed) }

// Records is the number of complete records read.
func (r *Resume) Records() int { return r.records }

// Truncated reports whether the journal ended in an incomplete record (the
// writer was killed in the middle of a write), which was ignored.
func (r *Resume) Truncated() bool { return r.partial }

// String summarises r; it never lists fingerprints.
func (r *Resume) String() string {
	if r == nil {
		return "bulk.Resume(nil)"
	}
	return fmt.Sprintf("bulk.Resume{Done:%d FailedPermanently:%d Records:%d Truncated:%t}",
		len(r.done), len(r.failed), r.records, r.partial)
}

func (r *Resume) isDone(fp fingerprint) bool {
	_, ok := slices.BinarySearchFunc(r.done, fp, compareFP)
	return ok
}

func (r *Resume) isFailed(fp fingerprint) bool {
	_, ok := slices.BinarySearchFunc(r.failed, fp, compareFP)
	return ok
}

func compareFP(a, b fingerprint) int { return bytes.Compare(a[:], b[:]) }

// journalRecord is the part of a record that resuming reads.
type journalRecord struct {
	Journal string `json:"journal"`
	Key     string `json:"key"`
	FP      string `json:"fp"`
	Outcome string `json:"outcome"`
	Kind    string `json:"kind"`
}

// ReadJournal reads a journal written by earlier runs. An incomplete last
// line (a writer killed in the middle of a record) is ignored and reported
// by Resume.Truncated; any other line that is not a record is an error
// naming its line number (never its content). Records are read in order:
// a revoked or already_invalid record makes the token done for good; for a
// token not done, the last failed record decides whether its failure was
// permanent.
func ReadJournal(r io.Reader) (*Resume, error) {
	res, _, err := readJournal(r)
	return res, err
}

// readJournal also returns the offset just past the last complete line, and
// whether the journal ends in a complete record without its newline.
func readJournal(r io.Reader) (res *Resume, tail journalTail, err error) {
	res = &Resume{}
	failed := map[fingerprint]bool{} // fingerprint → last failure permanent
	br := bufio.NewReaderSize(r, 64<<10)
	var off int64
	for n := 1; ; n++ {
		line, rerr := br.ReadSlice('\n')
		if errors.Is(rerr, bufio.ErrBufferFull) {
			// Records are a few hundred bytes.
			return nil, tail, fmt.Errorf("bulk: journal line %d is longer than %d bytes: not a record written by this package", n, br.Size())
		}
		if rerr != nil && rerr != io.EOF {
			return nil, tail, fmt.Errorf("bulk: reading the journal at line %d: %w", n, rerr)
		}
		if len(line) == 0 {
			break
		}
		last := rerr == io.EOF // a line without its newline
		body := bytes.TrimSpace(line)
		if len(body) > 0 {
			if perr := res.add(body, failed); perr != nil {
				if last {
					res.partial = true
					break
				}
				return nil, tail, fmt.Errorf("bulk: journal line %d is not a record written by this package (%s); was the file edited, or is it the token list?", n, perr)
			}
			if last {
				tail.missingNewline = true
			}
		}
		off += int64(len(line))
		tail.complete = off
		if last {
			break
		}
	}
	slices.SortFunc(res.done, compareFP)
	// A copy of exactly the right size: 16 bytes per token.
	res.done = slices.Clone(slices.CompactFunc(res.done, func(a, b fingerprint) bool { return a == b }))
	for fp, permanent := range failed {
		if permanent && !res.isDone(fp) {
			res.failed = append(res.failed, fp)
		}
	}
	slices.SortFunc(res.failed, compareFP)
	res.keyIDs = slices.Compact(slices.Sorted(slices.Values(res.keyIDs)))
	return res, tail, nil
}

// journalTail describes the end of a journal file.
type journalTail struct {
	complete       int64 // offset just past the last complete record
	missingNewline bool  // the last record is complete but lacks its newline
}

// add applies one record.
func (r *Resume) add(body []byte, failed map[fingerprint]bool) error {
	var rec journalRecord
	if err := json.Unmarshal(body, &rec); err != nil {
		return errors.New("not JSON")
	}
	if rec.Journal != "" {
		if rec.Journal != journalName {
			return errors.New("unknown header")
		}
		r.keyIDs = append(r.keyIDs, rec.Key)
		r.records++
		return nil
	}
	if rec.Outcome == "" {
		return errors.New("no outcome")
	}
	r.records++
	if rec.FP == "" {
		return nil // invalid input: nothing to resume
	}
	var fp fingerprint
	if hex.DecodedLen(len(rec.FP)) != len(fp) {
		return errors.New("bad fingerprint")
	}
	if _, err := hex.Decode(fp[:], []byte(rec.FP)); err != nil {
		return errors.New("bad fingerprint")
	}
	switch rec.Outcome {
	case "revoked", "already_invalid":
		r.done = append(r.done, fp)
		delete(failed, fp)
	case "skipped":
		switch rec.Kind {
		case KindDoneBefore:
			r.done = append(r.done, fp)
			delete(failed, fp)
		case KindFailedBefore:
			failed[fp] = true
		}
	case "failed":
		failed[fp] = !temporaryKind(rec.Kind)
	}
	// Other outcomes (from a later version of this package) carry nothing
	// to resume.
	return nil
}

// OpenJournal opens the journal file at path for a run that continues it,
// creating the file (mode 0600) if it does not exist. It reads the records
// already there into a Resume, cuts off an incomplete last record (left by
// a run killed in the middle of a write; that item is then simply not
// done), and returns the file open for appending. Pass the file as
// Config.Journal and the Resume as Config.Resume, and close the file after
// Run:
//
//	f, resume, err := bulk.OpenJournal("revoke-2026-06-01.journal")
//	if err != nil { … }
//	defer f.Close()
//	sum, err := bulk.RunItems(ctx, r, bulk.Lines(in), bulk.Config{
//		Journal: f, Resume: resume, FingerprintKey: key,
//	})
//
// Only one run may use a journal file at a time.
func OpenJournal(path string) (*os.File, *Resume, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("bulk: opening the journal: %w", err)
	}
	res, tail, err := readJournal(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	switch {
	case res.partial:
		err = f.Truncate(tail.complete)
	case tail.missingNewline:
		_, err = f.Write([]byte("\n"))
	}
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("bulk: repairing the end of the journal: %w", err)
	}
	return f, res, nil
}
