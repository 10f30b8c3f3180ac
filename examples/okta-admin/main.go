// Command okta-admin revokes every refresh token of one Okta user, client by
// client, through Okta's management API, and prints what happened to each
// client.
//
// Without configuration it needs no Okta account: it starts the management
// API emulator in process, seeded with a user, three clients holding tokens,
// and one client whose revocation the emulator refuses, to show how a
// partial failure is reported.
//
//	go run ./examples/okta-admin
//
// Against a real org, with an API token of an admin allowed to manage the
// user (keep it out of your shell history):
//
//	export OKTA_DOMAIN=dev-123456.okta.com
//	read -rs OKTA_API_TOKEN && export OKTA_API_TOKEN
//	go run ./examples/okta-admin -user 00ub0oNGTSWTBKOLGLNR -dry-run
//	go run ./examples/okta-admin -user 00ub0oNGTSWTBKOLGLNR
//
// The exit status is 0 when every client's tokens were revoked (or, for the
// emulator, when exactly the injected failure happened), 1 otherwise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"text/tabwriter"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/okta/oktatest"
)

// Demo data for the emulator.
const (
	demoToken  = "00demo-api-token-for-the-emulator"
	demoUser   = "00ubdemoalice0000001"
	demoFailID = "0oaMobileApp00000002"
)

var demoClients = []struct {
	id, name string
	tokens   int
}{
	{"0oaWebPortal00000001", "Web Portal", 2},
	{demoFailID, "Mobile App", 1},
	{"0oaReportsCLI0000003", "Reports CLI", 3},
}

// config is what the command runs with.
type config struct {
	domain, apiToken, user string
	dryRun                 bool
}

func main() {
	var cfg config
	flag.StringVar(&cfg.user, "user", "", "Okta user ID whose tokens to revoke (required with OKTA_DOMAIN)")
	flag.BoolVar(&cfg.dryRun, "dry-run", false, "list the user's clients and active refresh tokens, revoke nothing")
	flag.Parse()
	cfg.domain, cfg.apiToken = os.Getenv("OKTA_DOMAIN"), os.Getenv("OKTA_API_TOKEN")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "okta-admin:", err)
		os.Exit(1)
	}
}

// run revokes cfg.user's tokens at cfg.domain, or at an in-process emulator
// when no domain is configured.
func run(ctx context.Context, out io.Writer, cfg config, opts ...revoke.Option) error {
	var emu *oktatest.Admin
	if cfg.domain == "" {
		if cfg.apiToken != "" {
			return errors.New("OKTA_API_TOKEN is set but OKTA_DOMAIN is not: set both to use a real org, or neither for the emulator")
		}
		emu = newDemo()
		srv := httptest.NewServer(emu)
		defer srv.Close()
		cfg = config{domain: srv.URL, apiToken: demoToken, user: demoUser, dryRun: cfg.dryRun}
		fmt.Fprintf(out, "No OKTA_DOMAIN: using the built-in emulator at %s (user %s).\n\n", srv.URL, demoUser)
	} else if cfg.user == "" {
		return errors.New("-user is required with OKTA_DOMAIN: pass the Okta user ID, e.g. -user 00ub0oNGTSWTBKOLGLNR")
	}
	if cfg.apiToken == "" {
		return errors.New("OKTA_API_TOKEN is empty: create a token in the Admin Console under Security > API > Tokens")
	}
	admin, err := oktaadmin.New(oktaadmin.Config{Domain: cfg.domain, APIToken: cfg.apiToken}, opts...)
	if err != nil {
		return err
	}

	clients, err := admin.ListUserClients(ctx, cfg.user)
	if err != nil {
		return fmt.Errorf("listing the clients of user %s: %w", cfg.user, err)
	}
	before := map[string]int{}
	for _, c := range clients {
		n, err := countTokens(ctx, admin, cfg.user, c.ClientID)
		if err != nil {
			return fmt.Errorf("counting the tokens of client %s: %w", c.ClientID, err)
		}
		before[c.ClientID] = n
	}
	if cfg.dryRun {
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "CLIENT ID\tNAME\tACTIVE REFRESH TOKENS")
		for _, c := range clients {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", c.ClientID, c.ClientName, before[c.ClientID])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(out, "\ndry run: %d clients, nothing revoked\n", len(clients))
		return nil
	}

	report, revokeErr := admin.RevokeAllUserTokens(ctx, cfg.user)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT ID\tNAME\tTOKENS\tRESULT")
	for _, c := range report.Clients {
		result := "revoked"
		if c.Err != nil {
			result = "FAILED: " + describe(c.Err)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", c.ClientID, c.ClientName, before[c.ClientID], result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	failed := len(report.Failed())
	fmt.Fprintf(out, "\n%d of %d clients revoked, %d failed\n", len(report.Revoked()), len(report.Clients), failed)
	if emu != nil {
		return checkDemo(out, emu, report)
	}
	if revokeErr != nil {
		return fmt.Errorf("%d clients still hold tokens: run again, or clear the user's sessions with oauthTokens=true", failed)
	}
	return nil
}

// describe is the short form of a failure: what Okta said, or the error.
func describe(err error) string {
	var e *revoke.Error
	if errors.As(err, &e) && e.StatusCode != 0 {
		return fmt.Sprintf("HTTP %d %s %s", e.StatusCode, e.Code, e.Description)
	}
	return err.Error()
}

func countTokens(ctx context.Context, admin *oktaadmin.Admin, user, client string) (int, error) {
	n := 0
	for _, err := range admin.ListUserClientTokens(ctx, user, client, oktaadmin.ListOptions{Limit: oktaadmin.MaxListLimit}) {
		if err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// newDemo seeds the emulator.
func newDemo() *oktatest.Admin {
	emu := oktatest.NewAdmin(demoToken)
	emu.AddUser(demoUser)
	emu.AddUser("00ubdemobob000000002")
	for _, c := range demoClients {
		emu.AddClient(c.id, c.name)
		for range c.tokens {
			emu.IssueRefreshToken(demoUser, c.id, "openid", "offline_access")
		}
	}
	emu.IssueRefreshToken("00ubdemobob000000002", demoClients[0].id)
	emu.FailRevoke(demoFailID, oktatest.Fault(403, "E0000006", "You do not have permission to perform the requested action"))
	return emu
}

// checkDemo confirms, from the emulator's state, that the healthy clients'
// tokens are revoked, the failing client's are not, and nobody else's were
// touched.
func checkDemo(out io.Writer, emu *oktatest.Admin, report *oktaadmin.RevokeAllReport) error {
	problems := 0
	for _, c := range demoClients {
		for _, tok := range emu.Tokens(demoUser, c.id) {
			if emu.Active(tok.ID) != (c.id == demoFailID) {
				problems++
			}
		}
	}
	for _, tok := range emu.Tokens("00ubdemobob000000002", "") {
		if !emu.Active(tok.ID) {
			problems++
		}
	}
	if problems > 0 || len(report.Clients) != len(demoClients) || len(report.Failed()) != 1 || report.Failed()[0].ClientID != demoFailID {
		return fmt.Errorf("the emulator's state does not match the report (%d token states wrong)", problems)
	}
	fmt.Fprintln(out, "\nThe Mobile App failure was injected by the emulator: its token is still active,")
	fmt.Fprintln(out, "every other token of the user is revoked, and other users' tokens are untouched.")
	return nil
}
