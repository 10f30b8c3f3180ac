package revoke_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/revoketest"
)

// Revoke one token at an RFC 7009 server. The emulator stands in for the
// authorization server here.
func Example() {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "my-app", Secret: "s3cr3t-value"})
	srv := httptest.NewServer(as)
	defer srv.Close()
	tokens := as.Issue("my-app", "alice")

	r, err := generic.New(generic.Config{
		Endpoint: srv.URL + "/revoke",
		Auth:     revoke.ClientSecretBasic("my-app", "s3cr3t-value"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tokens.RefreshToken, Hint: revoke.HintRefreshToken})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", res.StatusCode, "attempts:", res.Attempts)
	fmt.Println("refresh token active:", as.Active(tokens.RefreshToken))
	fmt.Println("access token active:", as.Active(tokens.AccessToken))
	// Output:
	// status: 200 attempts: 1
	// refresh token active: false
	// access token active: false
}

// Revoke both tokens of an oauth2.Token on logout: refresh first, then
// access, both attempted.
func ExampleRevokeToken() {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "spa", Method: "none"})
	srv := httptest.NewServer(as)
	defer srv.Close()
	p := as.Issue("spa", "alice")
	tok := &oauth2.Token{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken}

	r, _ := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.PublicClient("spa")})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := revoke.RevokeToken(ctx, r, tok); err != nil {
		fmt.Println(err)
		return
	}
	for _, req := range as.Requests() {
		fmt.Println(req.Method, req.Path, req.Form.Get("token_type_hint"))
	}
	// Output:
	// POST /revoke refresh_token
	// POST /revoke access_token
}

// Branch on the kind of failure with errors.Is, and read the details with
// errors.As.
func ExampleError() {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "my-app", Secret: "right-secret"})
	srv := httptest.NewServer(as)
	defer srv.Close()

	r, _ := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.ClientSecretBasic("my-app", "wrong-secret")})
	_, err := r.Revoke(context.Background(), revoke.Request{Token: "some-token"})
	switch {
	case errors.Is(err, revoke.ErrInvalidClient):
		var e *revoke.Error
		errors.As(err, &e)
		fmt.Println("fix the credentials:", e.StatusCode, e.Code)
	case errors.Is(err, revoke.ErrUnavailable), errors.Is(err, revoke.ErrRateLimited):
		fmt.Println("try again later")
	}
	// Output:
	// fix the credentials: 401 invalid_client
}

// Retries honour the server's Retry-After and rate-limit headers, within a
// cap; past it the call returns at once with RetryAfter set.
func ExampleWithRetry() {
	as := revoketest.NewServer()
	as.AddClient(revoketest.Client{ID: "my-app", Secret: "s3cr3t-value"})
	srv := httptest.NewServer(as)
	defer srv.Close()
	as.FailNext(1, revoketest.ServiceUnavailable(0))                            // one 503, retried
	as.FailNext(1, revoketest.RateLimited(http.Header{"Retry-After": {"120"}})) // then a long wait

	r, _ := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.ClientSecretBasic("my-app", "s3cr3t-value")},
		revoke.WithRetry(revoke.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxWait: 10 * time.Second}))
	_, err := r.Revoke(context.Background(), revoke.Request{Token: "some-token"})
	var e *revoke.Error
	if errors.As(err, &e) && errors.Is(err, revoke.ErrRateLimited) {
		fmt.Println("attempts:", e.Attempts, "retry after:", e.RetryAfter)
	}
	// Output:
	// attempts: 2 retry after: 2m0s
}

// Secrets never print, whatever the verb.
func ExampleSecret() {
	req := revoke.Request{Token: "eyJhbGciOi...", Hint: revoke.HintAccessToken}
	fmt.Printf("%v\n%+v\n", req, req)
	fmt.Println(revoke.ClientSecretBasic("my-app", "s3cr3t-value"))
	// Output:
	// {[REDACTED] "access_token" []}
	// {Token:[REDACTED] Hint:"access_token" Params:[]}
	// {"my-app" [REDACTED]}
}
