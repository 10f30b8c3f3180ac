// Command revoke makes OAuth 2.0 tokens stop working at identity vendors:
// one token, or tens of thousands from a file, paced by the vendor's rate
// limit and resumable from a journal; or everything one user holds. See
// README.md, or run revoke --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/revokekit/revoke/cmd/revoke/internal/cli"
)

func main() {
	// A closed standard output (revoke token … | head) must not kill a run
	// half-way: writes fail instead, and the run goes on.
	signal.Ignore(syscall.SIGPIPE)

	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		// The first signal stops the run cleanly; the default action is
		// back for a second one, which quits at once.
		signal.Stop(sigs)
		name := "SIGINT"
		if s == syscall.SIGTERM {
			name = "SIGTERM"
		}
		cancel(cli.Interrupted{Signal: name})
	}()

	os.Exit(cli.Main(ctx, cli.Env{
		Program: os.Args[0],
		Args:    os.Args[1:],
		Stdin:   os.Stdin,
		Stdout:  os.Stdout,
		Stderr:  os.Stderr,
		Getenv:  os.Getenv,
	}))
}
