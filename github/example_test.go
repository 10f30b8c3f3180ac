package github_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/jarcoal/httpmock"
	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
)

// Revoke a user's OAuth token with the app's client ID and secret. An
// in-process fake stands in for https://api.github.com.
func Example() {
	fake := githubtest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	fake.AddApp("Iv1.8a61f9b3a7aba766", "0123456789abcdef0123456789abcdef01234567")
	tok := fake.Issue("Iv1.8a61f9b3a7aba766", "octocat")

	r, err := github.New(github.Config{
		ClientID:     "Iv1.8a61f9b3a7aba766",
		ClientSecret: "0123456789abcdef0123456789abcdef01234567",
		BaseURL:      srv.URL, // in production: leave empty for https://api.github.com
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok})
	fmt.Println(res.StatusCode, err, fake.Active(tok))

	// GitHub no longer knows the token, and says 404, which it also says
	// to wrong credentials: an error by default.
	_, err = r.Revoke(context.Background(), revoke.Request{Token: tok})
	fmt.Println(errors.Is(err, revoke.ErrNotFound))
	// Output:
	// 204 <nil> false
	// true
}

// Once the credentials are known to work, a 404 can be read as "already
// invalid".
func ExampleConfig_notFoundIsAlreadyInvalid() {
	mt := httpmock.NewMockTransport()
	fake := githubtest.Register(mt, github.DefaultBaseURL)
	fake.AddApp("Iv1.8a61f9b3a7aba766", "0123456789abcdef0123456789abcdef01234567")

	r, err := github.New(github.Config{
		ClientID:                 "Iv1.8a61f9b3a7aba766",
		ClientSecret:             "0123456789abcdef0123456789abcdef01234567",
		NotFoundIsAlreadyInvalid: true,
	}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: "gho_unknownTokenValue0123456789abcdef"})
	fmt.Println(res.AlreadyInvalid, err)
	// Output: true <nil>
}

// A GitHub App's expiring token pair: RevokeToken deletes the grant, the
// only way GitHub's app endpoints end a refresh token.
func ExampleRevoker_RevokeToken() {
	mt := httpmock.NewMockTransport()
	fake := githubtest.Register(mt, github.DefaultBaseURL)
	fake.AddApp("Iv1.8a61f9b3a7aba766", "0123456789abcdef0123456789abcdef01234567")
	pair := fake.IssuePair("Iv1.8a61f9b3a7aba766", "octocat")

	r, err := github.New(github.Config{ClientID: "Iv1.8a61f9b3a7aba766", ClientSecret: "0123456789abcdef0123456789abcdef01234567"},
		revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = revoke.RevokeToken(context.Background(), r, &oauth2.Token{AccessToken: pair.AccessToken, RefreshToken: pair.RefreshToken})
	fmt.Println(err, fake.Active(pair.AccessToken), fake.Active(pair.RefreshToken))
	for _, rec := range fake.Requests() {
		fmt.Println(rec.Method, rec.Path, rec.Status)
	}
	// Output:
	// <nil> false false
	// DELETE /applications/Iv1.8a61f9b3a7aba766/grant 204
}

// Revoke leaked credentials, whoever owns them: batches of 1,000, without
// authentication, paced to GitHub's 60 requests an hour.
func ExampleCredentialRevoker_RevokeCredentials() {
	mt := httpmock.NewMockTransport()
	fake := githubtest.Register(mt, github.DefaultBaseURL)
	leaked := []string{fake.IssuePAT("octocat"), fake.IssuePAT("hubot")}

	cr, err := github.NewCredentialRevoker(github.CredentialsConfig{}, revoke.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := cr.RevokeCredentials(context.Background(), leaked)
	fmt.Println(err, report.Accepted(), fake.Active(leaked[0]), fake.Active(leaked[1]))

	// A malformed entry is named by its index, never by its value.
	_, err = cr.RevokeCredentials(context.Background(), []string{leaked[0], "AKIAIOSFODNN7EXAMPLE"})
	fmt.Println(err)
	// Output:
	// <nil> 2 false false
	// revoke: github revoke credentials: tokens[1]: does not start with a GitHub token prefix (ghp_, github_pat_, gho_, ghu_, ghs_ or ghr_): /credentials/revoke takes only tokens GitHub issued in these formats
}
