package bulk

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/revokekit/revoke"
)

// TestNothingSecretLeaks runs a Revoker whose errors and panics quote the
// token (as a careless third-party adapter's might), and checks that no
// token and no key reaches the outcomes, the summary, the journal, the
// logs, the returned error or any print of the package's values.
func TestNothingSecretLeaks(t *testing.T) {
	t.Parallel()
	toks := []string{
		"SECRETaaaaRevoked1", "SECRETbbbbAlready2", "SECRETccccRateLim3", "SECRETddddBadReq4",
		"SECRETeeeeStill5", "SECRETffffVerifyE6", "SECRETggggPlain7", "SECRETkkkkPanic8",
	}
	key := []byte("KEYKEYKEY-0123456789")
	r := revoke.RevokerFunc(func(_ context.Context, req revoke.Request) (*revoke.Result, error) {
		switch req.Token[6:10] {
		case "bbbb":
			return &revoke.Result{StatusCode: 200, AlreadyInvalid: true, RequestID: "req-1"}, nil
		case "cccc":
			return nil, &revoke.Error{Kind: revoke.ErrRateLimited, StatusCode: 429, RetryAfter: time.Millisecond,
				Description: "slow down for " + req.Token}
		case "dddd":
			return nil, &revoke.Error{Kind: revoke.ErrInvalidRequest, StatusCode: 400, Description: "bad token " + req.Token}
		case "gggg":
			return nil, fmt.Errorf("vendor refused %s (%q)", req.Token, req.Token)
		case "kkkk":
			panic("cannot revoke " + req.Token)
		}
		return &revoke.Result{StatusCode: 200, RateLimit: &revoke.RateLimit{Limit: 10, Remaining: 9, Reset: time.Now().Add(time.Second)}}, nil
	})
	verify := VerifierFunc(func(_ context.Context, req revoke.Request) (bool, error) {
		switch req.Token[6:10] {
		case "eeee":
			return true, nil
		case "ffff":
			return false, errors.New("introspection of " + req.Token + " failed")
		}
		return false, nil
	})
	var journal, logs bytes.Buffer
	var outcomes []Outcome
	in := strings.Join(toks, "\n") + "\n" + `{"token":"SECRETzzzzJSON9","hint":7}` + "\n"
	cfg := Config{
		Concurrency: 1, MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond,
		Journal: &journal, FingerprintKey: key, Verify: verify,
		OnOutcome:             func(o Outcome) { outcomes = append(outcomes, o) },
		Logger:                slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ContinueOnClientError: true, // go on after the panic
	}
	sum, err := RunItems(context.Background(), r, Lines(strings.NewReader(in)), cfg)
	if err != nil || sum.Read != 9 || len(outcomes) != 9 {
		t.Fatalf("%+v, %v, %d outcomes", sum, err, len(outcomes))
	}
	if sum.Revoked != 2 || sum.AlreadyInvalid != 1 || sum.StillActive != 1 || sum.VerifyErrors != 1 || sum.RateLimited != 2 ||
		sum.Failed != 5 || sum.FailedByKind[KindPanic] != 1 || sum.InvalidInput != 1 {
		t.Errorf("summary %+v", sum)
	}
	// A run stopped by the panic returns an error without the token.
	_, runErr := Run(context.Background(), r, requestsOf(toks[7:]), Config{})
	if runErr == nil {
		t.Fatal("the panic did not stop the run")
	}

	secrets := []string{string(key), hex.EncodeToString(key), "KEYKEY"}
	for _, tok := range append(toks, "SECRETzzzzJSON9") {
		secrets = append(secrets, tok, hex.EncodeToString([]byte(tok)), tok[:10])
	}
	check := func(what, s string) {
		t.Helper()
		for _, sec := range secrets {
			if strings.Contains(s, sec) || strings.Contains(s, "SECRET") {
				t.Errorf("%s shows a secret: %s", what, s)
				return
			}
		}
	}
	values := map[string]any{"Summary": sum, "Config": cfg, "*Config": &cfg, "Resume": must(ReadJournal(bytes.NewReader(journal.Bytes())))}
	for i, o := range outcomes {
		values[fmt.Sprintf("Outcome %d", i)] = o
		values[fmt.Sprintf("*Outcome %d", i)] = &o
	}
	for i, it := range collectItems(in) {
		values[fmt.Sprintf("Item %d", i)] = it
		values[fmt.Sprintf("*Item %d", i)] = &it
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			check(name+" "+verb, fmt.Sprintf(verb, v))
		}
		if b, err := json.Marshal(v); err == nil {
			check(name+" JSON", string(b))
		} else {
			t.Errorf("%s: json.Marshal: %v", name, err)
		}
		var lb bytes.Buffer
		slog.New(slog.NewJSONHandler(&lb, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&lb, nil)).Info("x", "v", v)
		check(name+" slog", lb.String())
	}
	for _, o := range outcomes {
		if o.Err != nil {
			check("Outcome.Err", o.Err.Error())
		}
		if o.VerifyErr != nil {
			check("Outcome.VerifyErr", o.VerifyErr.Error())
		}
	}
	check("the journal", journal.String())
	check("the logs", logs.String())
	check("Run's error", runErr.Error())
	if !strings.Contains(logs.String(), "bulk: run finished") {
		t.Errorf("logs:\n%s", logs.String())
	}
	// The journal holds no server text either.
	if strings.Contains(journal.String(), "slow down") || strings.Contains(journal.String(), "refused") {
		t.Errorf("the journal holds error text:\n%s", journal.String())
	}
	// Scrubbing keeps errors.Is.
	for _, o := range outcomes {
		if o.Kind == "invalid_request" && !errors.Is(o.Err, revoke.ErrInvalidRequest) {
			t.Errorf("scrubbed error lost its kind: %v", o.Err)
		}
		var re *revoke.Error
		if o.Kind == "rate_limited" && !errors.As(o.Err, &re) {
			t.Errorf("scrubbed error lost its type: %v", o.Err)
		}
	}
}

func collectItems(in string) []Item {
	var items []Item
	for it := range Lines(strings.NewReader(in)) {
		items = append(items, it)
	}
	return items
}
