// Command logout shows a net/http logout handler that ends the local session
// at once and revokes the session's tokens at the identity provider in the
// background, with a short deadline, never keeping the user waiting on a
// vendor outage.
//
// With no configuration it runs a self-contained demo against the built-in
// Okta emulator: one logout that revokes, then one during a simulated
// outage.
//
//	go run ./examples/logout
//
// With OKTA_DOMAIN, OKTA_CLIENT_ID and OKTA_CLIENT_SECRET (and optionally
// OKTA_AUTHORIZATION_SERVER_ID and ADDR) it serves POST /logout for real;
// the application's login flow would fill the session store.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var err error
	if os.Getenv("OKTA_DOMAIN") != "" {
		err = serve(logger)
	} else {
		err = demo(os.Stdout, logger, time.Second, revoke.RetryPolicy{MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "logout:", err)
		os.Exit(1)
	}
}

// serve runs the handler against a real Okta org until interrupted.
func serve(logger *slog.Logger) error {
	r, err := okta.New(okta.Config{
		Domain:                os.Getenv("OKTA_DOMAIN"),
		AuthorizationServerID: os.Getenv("OKTA_AUTHORIZATION_SERVER_ID"),
		ClientID:              os.Getenv("OKTA_CLIENT_ID"),
		ClientSecret:          os.Getenv("OKTA_CLIENT_SECRET"),
	})
	if err != nil {
		return err
	}
	h := &LogoutHandler{Sessions: &MemoryStore{}, Revoker: r, Logger: logger}
	mux := http.NewServeMux()
	mux.Handle("POST /logout", h)
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "localhost:8080"
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	logger.Info("serving POST /logout", "addr", addr, "revoke_endpoint", r.Endpoint())
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	h.Wait() // let in-flight revocations finish
	return nil
}

// demo logs a user out twice against the Okta emulator: once while Okta is
// up, once while it answers 503. timeout bounds each revocation; retry is
// the SDK's retry policy.
func demo(out io.Writer, logger *slog.Logger, timeout time.Duration, retry revoke.RetryPolicy) error {
	idp := oktatest.New()
	idpSrv := httptest.NewServer(idp)
	defer idpSrv.Close()
	idp.AddClient(revoketest.Client{ID: "0oa-web-app", Secret: "web-app-secret"})

	r, err := okta.New(okta.Config{Domain: idpSrv.URL, AuthorizationServerID: "default", ClientID: "0oa-web-app", ClientSecret: "web-app-secret"},
		revoke.WithRetry(retry))
	if err != nil {
		return err
	}
	sessions := &MemoryStore{}
	h := &LogoutHandler{Sessions: sessions, Revoker: r, Timeout: timeout, Logger: logger}
	app := httptest.NewServer(h)
	defer app.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, outage := range []bool{false, true} {
		tok := idp.IssueFor("default", "0oa-web-app", "alice")
		sessions.Put("sid-1", Session{UserID: "alice", Token: &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}})
		if outage {
			idp.FailNext(100, revoketest.ServiceUnavailable(0))
		}
		req, _ := http.NewRequest(http.MethodPost, app.URL, nil)
		req.AddCookie(&http.Cookie{Name: "session", Value: "sid-1"})
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		answered := time.Since(start)
		h.Wait()
		fmt.Fprintf(out, "outage=%v: logout answered %d in %s, session gone=%v, refresh token active=%v\n",
			outage, resp.StatusCode, answered.Round(time.Millisecond), sessions.Len() == 0, idp.Active(tok.RefreshToken))
	}
	return nil
}
