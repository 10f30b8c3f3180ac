package spotify_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/spotify"
)

// TestUnsupported: every way of asking is a *revoke.Error matching
// revoke.ErrUnsupported that names what to do, and nothing is sent.
func TestUnsupported(t *testing.T) {
	ep := testkit.NewEndpoint()
	r, err := spotify.New(ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var zero spotify.Revoker
	var nilR *spotify.Revoker
	tok := &oauth2.Token{AccessToken: testkit.Token, RefreshToken: testkit.Token + "-refresh"}
	calls := map[string]func() error{
		"Revoke":                   func() error { _, err := r.Revoke(ctx, revoke.Request{Token: testkit.Token}); return err },
		"Revoke, empty request":    func() error { _, err := r.Revoke(ctx, revoke.Request{}); return err },
		"RevokeToken":              func() error { return r.RevokeToken(ctx, tok) },
		"revoke.RevokeToken":       func() error { return revoke.RevokeToken(ctx, r, tok) },
		"revoke.RevokeToken, zero": func() error { return revoke.RevokeToken(ctx, &zero, tok) },
		"nil Revoker":              func() error { _, err := nilR.Revoke(ctx, revoke.Request{Token: testkit.Token}); return err },
		"nil Revoker RevokeToken":  func() error { return nilR.RevokeToken(ctx, nil) },
	}
	for name, call := range calls {
		err := call()
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnsupported) || e.Description != spotify.Description || e.Op != "spotify revoke" {
			t.Errorf("%s: %T %v; want the ErrUnsupported error", name, err, err)
		}
		if e != nil && e.Temporary() {
			t.Errorf("%s: the error says retrying may help", name)
		}
		testkit.NoLeak(t, name, testkit.PrintAll(err), testkit.Token)
	}
	want := "revoke: unsupported by the vendor: spotify revoke: " + spotify.Description
	if _, err := r.Revoke(ctx, revoke.Request{}); err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	var nilCtx context.Context
	if _, err := r.Revoke(nilCtx, revoke.Request{}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil context: %v", err)
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	if _, err := spotify.New(revoke.WithMaxResponseBytes(-1)); err == nil {
		t.Error("a bad option was accepted")
	}
}
