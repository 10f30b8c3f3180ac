// Command quickstart revokes tokens against the built-in emulators, with no
// vendor account: it starts an RFC 7009 authorization server in process,
// issues tokens, revokes each through the generic adapter with every client
// authentication method, and prints each token going from active to
// inactive. It exits non-zero if any token is still active.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"text/tabwriter"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
)

// row is one line of the output table.
type row struct {
	vendor, method, token string
	before, after         bool
	attempts              int
	err                   error
}

// scenario revokes one token through one configured Revoker.
type scenario struct {
	vendor, method string
	revoker        revoke.Revoker
	issue          func() string
	active         func(string) bool
	hint           revoke.TokenTypeHint
}

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	scenarios, cleanup, err := setup(ctx)
	defer cleanup()
	if err != nil {
		return err
	}
	var rows []row
	for _, sc := range scenarios {
		tok := sc.issue()
		r := row{vendor: sc.vendor, method: sc.method, token: string(sc.hint), before: sc.active(tok)}
		res, err := sc.revoker.Revoke(ctx, revoke.Request{Token: tok, Hint: sc.hint})
		if res != nil {
			r.attempts = res.Attempts
		}
		r.err = err
		r.after = sc.active(tok)
		rows = append(rows, r)
	}
	return report(out, rows)
}

// setup starts the emulators and builds one Revoker per scenario.
func setup(ctx context.Context) ([]scenario, func(), error) {
	as := revoketest.NewServer()
	srv := httptest.NewServer(as)
	cleanup := srv.Close

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	as.AddClient(revoketest.Client{ID: "basic-app", Secret: "p@ss:w+rd%/= x", Method: "client_secret_basic"})
	as.AddClient(revoketest.Client{ID: "post-app", Secret: "post-secret", Method: "client_secret_post"})
	as.AddClient(revoketest.Client{ID: "hmac-app", Secret: "a-32-byte-long-shared-secret-val", Method: "client_secret_jwt"})
	as.AddClient(revoketest.Client{ID: "key-app", PublicKey: key.Public(), Method: "private_key_jwt"})
	as.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	as.AddClient(revoketest.Client{ID: "discovered-app", Secret: "d1sc0very"})

	endpoint := srv.URL + revoketest.RevokePath
	methods := []struct {
		name string
		auth revoke.ClientAuth
	}{
		{"client_secret_basic", revoke.ClientSecretBasic("basic-app", "p@ss:w+rd%/= x")},
		{"client_secret_post", revoke.ClientSecretPost("post-app", "post-secret")},
		{"client_secret_jwt", revoke.ClientSecretJWT("hmac-app", "a-32-byte-long-shared-secret-val")},
		{"private_key_jwt", revoke.PrivateKeyJWT("key-app", key, revoke.WithKeyID("k1"))},
		{"none (public)", revoke.PublicClient("spa")},
	}
	var out []scenario
	for _, m := range methods {
		r, err := generic.New(generic.Config{Endpoint: endpoint, Auth: m.auth})
		if err != nil {
			return nil, cleanup, fmt.Errorf("%s: %w", m.name, err)
		}
		id := m.auth.ClientID()
		for _, hint := range []revoke.TokenTypeHint{revoke.HintRefreshToken, revoke.HintAccessToken} {
			out = append(out, scenario{vendor: "generic", method: m.name, revoker: r, hint: hint, active: as.Active,
				issue: pick(func() revoketest.Pair { return as.Issue(id, "alice") }, hint)})
		}
	}
	// Discovery: the method is chosen from the server's metadata.
	d, err := generic.Discover(ctx, srv.URL, revoke.ClientCredentials("discovered-app", "d1sc0very"))
	if err != nil {
		return nil, cleanup, fmt.Errorf("discovery: %w", err)
	}
	out = append(out, scenario{vendor: "generic (discovered)", method: d.AuthMethod(), revoker: d, hint: revoke.HintAccessToken, active: as.Active,
		issue: pick(func() revoketest.Pair { return as.Issue("discovered-app", "bob") }, revoke.HintAccessToken)})
	vendors, vcleanup, err := vendorScenarios(ctx)
	return append(out, vendors...), func() { vcleanup(); cleanup() }, err
}

// pick returns the token of the pair that hint names.
func pick(issue func() revoketest.Pair, hint revoke.TokenTypeHint) func() string {
	return func() string {
		p := issue()
		if hint == revoke.HintRefreshToken {
			return p.RefreshToken
		}
		return p.AccessToken
	}
}

func report(out io.Writer, rows []row) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VENDOR\tCLIENT AUTH\tTOKEN\tBEFORE\tAFTER\tATTEMPTS\tRESULT")
	failed := 0
	for _, r := range rows {
		result := "ok"
		if r.err != nil {
			result = "error: " + r.err.Error()
		}
		if r.err != nil || r.after || !r.before {
			failed++
			if r.err == nil {
				result = "FAILED: token still active"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.vendor, r.method, r.token, state(r.before), state(r.after), r.attempts, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d revocations failed", failed, len(rows))
	}
	fmt.Fprintf(out, "\nall %d tokens revoked\n", len(rows))
	return nil
}

func state(active bool) string {
	if active {
		return "active"
	}
	return "inactive"
}
