package bulk_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
)

// Revoke the tokens of a line file, journal the outcomes, then resume from
// the journal: what is done is skipped.
func Example() {
	// A stand-in for a vendor adapter such as okta.New's.
	r := revoke.RevokerFunc(func(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
		if req.Token == "expired-2" {
			return &revoke.Result{StatusCode: 200, AlreadyInvalid: true}, nil
		}
		return &revoke.Result{StatusCode: 200}, nil
	})
	tokens := strings.NewReader(`# leaked on 2026-06-01
live-1
expired-2
{"token":"live-3","hint":"refresh_token"}
{"token":
`)
	key := []byte("an example key; use 32 random bytes")

	var journal bytes.Buffer // a file in real life: see OpenJournal
	var outcomes []bulk.Outcome
	sum, err := bulk.RunItems(context.Background(), r, bulk.Lines(tokens), bulk.Config{
		Journal:        &journal,
		FingerprintKey: key,
		OnOutcome:      func(o bulk.Outcome) { outcomes = append(outcomes, o) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	slices.SortFunc(outcomes, func(a, b bulk.Outcome) int { return a.Line - b.Line }) // they come as they finish
	for _, o := range outcomes {
		if o.Kind != "" {
			fmt.Printf("line %d: %s (%s)\n", o.Line, o.Status, o.Kind)
		} else {
			fmt.Printf("line %d: %s\n", o.Line, o.Status)
		}
	}
	fmt.Printf("revoked %d, already invalid %d, invalid input %d\n", sum.Revoked, sum.AlreadyInvalid, sum.InvalidInput)

	// Later, with one more token: the first three are done.
	resume, err := bulk.ReadJournal(&journal)
	if err != nil {
		fmt.Println(err)
		return
	}
	more := strings.NewReader("live-1\nexpired-2\nlive-3\nlive-4\n")
	sum, err = bulk.RunItems(context.Background(), r, bulk.Lines(more), bulk.Config{Resume: resume, FingerprintKey: key})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("resumed: skipped %d, revoked %d\n", sum.Skipped, sum.Revoked)
	// Output:
	// line 2: revoked
	// line 3: already_invalid
	// line 4: revoked
	// line 5: invalid_input (malformed_json)
	// revoked 2, already invalid 1, invalid input 1
	// resumed: skipped 3, revoked 1
}

// An incident run: a journal file that the next run continues, and a
// progress line per thousand tokens.
func ExampleOpenJournal() {
	var r revoke.Revoker // okta.New(okta.Config{…}), for instance
	key := []byte(os.Getenv("REVOKE_FINGERPRINT_KEY"))

	f, resume, err := bulk.OpenJournal("leak-2026-06-01.journal")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer f.Close()
	in, err := os.Open("tokens.txt")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer in.Close()

	n := 0
	sum, err := bulk.RunItems(context.Background(), r, bulk.Lines(in), bulk.Config{
		Concurrency:    16,
		Journal:        f,
		Resume:         resume,
		FingerprintKey: key,
		OnOutcome: func(o bulk.Outcome) {
			if n++; n%1000 == 0 {
				fmt.Fprintf(os.Stderr, "%d done\n", n)
			}
			if o.Status == bulk.Failed || o.Status == bulk.InvalidInput {
				fmt.Fprintf(os.Stderr, "line %d: %s: %v\n", o.Line, o.Kind, o.Err)
			}
		},
	})
	fmt.Printf("%d revoked, %d already invalid, %d skipped, %d failed %v, %d invalid lines, %.0f/s\n",
		sum.Revoked, sum.AlreadyInvalid, sum.Skipped, sum.Failed, sum.FailedByKind, sum.InvalidInput, sum.Rate)
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // run again to finish
	}
}
