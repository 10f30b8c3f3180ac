package github_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestWire asserts the exact request of every call: method, URL, every
// header (the raw Basic encoding, no Authorization where GitHub refuses
// one), and the body byte for byte, against testdata/wire.txt.
func TestWire(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		status     int
		send       func(t *testing.T, ep *testkit.Endpoint) error
		wantMethod string
		wantURL    string
		wantAuth   string
		wantBody   string
	}{
		{"token", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{}).Revoke(ctx, revoke.Request{Token: token})
			return err
		}, http.MethodDelete, "https://api.github.com/applications/" + clientID + "/token", testkit.Basic(clientID, secret), `{"access_token":"` + token + `"}`},
		{"token with hint access_token", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{}).Revoke(ctx, revoke.Request{Token: gho, Hint: revoke.HintAccessToken})
			return err
		}, http.MethodDelete, "https://api.github.com/applications/" + clientID + "/token", testkit.Basic(clientID, secret), `{"access_token":"` + gho + `"}`},
		{"grant", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{}).RevokeGrant(ctx, revoke.Request{Token: token})
			return err
		}, http.MethodDelete, "https://api.github.com/applications/" + clientID + "/grant", testkit.Basic(clientID, secret), `{"access_token":"` + token + `"}`},
		{"grant through Grants()", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{}).Grants().Revoke(ctx, revoke.Request{Token: token})
			return err
		}, http.MethodDelete, "https://api.github.com/applications/" + clientID + "/grant", testkit.Basic(clientID, secret), `{"access_token":"` + token + `"}`},
		{"token, Enterprise Server", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{BaseURL: ghesBase + "/"}).Revoke(ctx, revoke.Request{Token: token})
			return err
		}, http.MethodDelete, ghesBase + "/applications/" + clientID + "/token", testkit.Basic(clientID, secret), `{"access_token":"` + token + `"}`},
		{"token, host without scheme", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{BaseURL: "GHE.example.com/api/v3"}).Revoke(ctx, revoke.Request{Token: token})
			return err
		}, http.MethodDelete, ghesBase + "/applications/" + clientID + "/token", testkit.Basic(clientID, secret), `{"access_token":"` + token + `"}`},
		{"token, JSON escapes", 204, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newRevoker(t, ep, github.Config{}).Revoke(ctx, revoke.Request{Token: `tok"en\<&>é`})
			return err
		}, http.MethodDelete, "https://api.github.com/applications/" + clientID + "/token", testkit.Basic(clientID, secret), `{"access_token":"tok\"en\\<&>é"}`},
		{"one credential", 202, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newCredentialRevoker(t, ep, github.CredentialsConfig{}).Revoke(ctx, revoke.Request{Token: pat})
			return err
		}, http.MethodPost, "https://api.github.com/credentials/revoke", "", `{"credentials":["` + pat + `"]}`},
		{"a list of credentials", 202, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newCredentialRevoker(t, ep, github.CredentialsConfig{}).RevokeCredentials(ctx, []string{pat, gho, pat2})
			return err
		}, http.MethodPost, "https://api.github.com/credentials/revoke", "", `{"credentials":["` + pat + `","` + gho + `","` + pat2 + `"]}`},
		{"credentials, Enterprise Server", 202, func(t *testing.T, ep *testkit.Endpoint) error {
			_, err := newCredentialRevoker(t, ep, github.CredentialsConfig{BaseURL: ghesBase, Token: testkit.APIToken}).Revoke(ctx, revoke.Request{Token: pat})
			return err
		}, http.MethodPost, ghesBase + "/credentials/revoke", "Bearer " + testkit.APIToken, `{"credentials":["` + pat + `"]}`},
	}
	var golden testkit.Transcript
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(testkit.Answer{Status: tc.status})
			if err := tc.send(t, ep); err != nil {
				t.Fatalf("call: %v", err)
			}
			s := ep.Only(t)
			testkit.Want(t, "method", s.Method, tc.wantMethod)
			testkit.Want(t, "URL", s.URL.String(), tc.wantURL)
			testkit.Header(t, s.Header, "Authorization", tc.wantAuth)
			testkit.Header(t, s.Header, "Accept", "application/vnd.github+json")
			testkit.Header(t, s.Header, "X-GitHub-Api-Version", "2022-11-28")
			testkit.Header(t, s.Header, "Content-Type", "application/json")
			testkit.Header(t, s.Header, "User-Agent", "revoke-go/"+revoke.Version)
			testkit.Want(t, "body", string(s.Body), tc.wantBody)
			if tc.wantAuth != "" && strings.HasPrefix(tc.wantAuth, "Basic") {
				id, sec, ok := testkit.DecodeBasic(s.Header.Get("Authorization"))
				if !ok || id != clientID || sec != secret {
					t.Errorf("Basic decodes to %q (secret as configured: %v); want the raw client ID and secret", id, sec == secret)
				}
			}
			if n := len(s.Header); n != 4+boolInt(tc.wantAuth != "") {
				t.Errorf("%d headers sent, want exactly Accept, X-GitHub-Api-Version, Content-Type, User-Agent and any Authorization: %v", n, s.Header)
			}
			golden.Add(tc.name, testkit.Render(s))
		})
	}
	golden.Check(t, "wire.txt")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// newRevoker builds a Revoker with the test credentials sending to ep; cfg
// fills in the rest.
func newRevoker(t testing.TB, ep *testkit.Endpoint, cfg github.Config, opts ...revoke.Option) *github.Revoker {
	t.Helper()
	if cfg.ClientID == "" {
		cfg.ClientID = clientID
	}
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = secret
	}
	return testkit.Build(t, github.New, cfg, ep.Options(opts...)...)
}

func newCredentialRevoker(t testing.TB, ep *testkit.Endpoint, cfg github.CredentialsConfig, opts ...revoke.Option) *github.CredentialRevoker {
	t.Helper()
	return testkit.Build(t, github.NewCredentialRevoker, cfg, ep.Options(opts...)...)
}
