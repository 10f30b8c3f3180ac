package salesforcetest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
)

// serve sends one request straight to h at the org's My Domain (see
// testkit.Serve).
func serve(t *testing.T, h http.Handler, method, target string, form url.Values) (*http.Response, string) {
	t.Helper()
	return testkit.Serve(t, h, method, "https://acme.my.salesforce.com"+target, form, nil)
}

// TestAnswers: the documented answers, exactly.
func TestAnswers(t *testing.T) {
	s := salesforcetest.New()
	p := s.Issue("app", "005-alice")
	q := s.Issue("app", "005-bob")
	odd := s.IssueAccess("app", "005-carol", salesforcetest.KindUnsupported)
	invalid := testkit.AdapterBody(t, "revoke-400-invalid-token.json")
	for _, tc := range []struct {
		name, method, target string
		form                 url.Values
		status               int
		body                 string
	}{
		{"no token", http.MethodPost, salesforcetest.RevokePath, url.Values{}, 400, invalid},
		{"unknown token", http.MethodPost, salesforcetest.RevokePath, url.Values{"token": {"nope-token"}}, 400, invalid},
		{"unsupported", http.MethodPost, salesforcetest.RevokePath, url.Values{"token": {odd}}, 400, testkit.AdapterBody(t, "revoke-400-unsupported-token-type.json")},
		{"access token", http.MethodPost, salesforcetest.RevokePath, url.Values{"token": {p.AccessToken}}, 200, ""},
		{"access token again", http.MethodPost, salesforcetest.RevokePath, url.Values{"token": {p.AccessToken}}, 400, invalid},
		{"refresh token behind a site prefix", http.MethodPost, "/customers" + salesforcetest.RevokePath, url.Values{"token": {q.RefreshToken}}, 200, ""},
		{"GET with JSONP", http.MethodGet, salesforcetest.RevokePath + "?token=" + url.QueryEscape(p.RefreshToken) + "&callback=cb", nil, 200, "cb()"},
		{"GET with JSONP, error", http.MethodGet, salesforcetest.RevokePath + "?token=nope&callback=cb", nil, 400, "cb(" + invalid + ")"},
		{"PUT", http.MethodPut, salesforcetest.RevokePath, url.Values{"token": {"x"}}, 405, ""},
		{"other path", http.MethodPost, "/services/oauth2/token", url.Values{}, 404, "404 page not found\n"},
	} {
		resp, body := serve(t, s, tc.method, tc.target, tc.form)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s: %d %q; want %d %q", tc.name, resp.StatusCode, body, tc.status, tc.body)
		}
	}
	if s.Active(p.AccessToken) || s.Active(p.RefreshToken) || s.Active(q.AccessToken) || s.Active(q.RefreshToken) || !s.Active(odd) {
		t.Error("wrong token state")
	}
	s.FailNext(1, revoketest.ServiceUnavailable(0))
	if resp, _ := serve(t, s, http.MethodPost, salesforcetest.RevokePath, url.Values{}); resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
	if len(s.Requests()) != 11 {
		t.Errorf("%d requests logged", len(s.Requests()))
	}
	testkit.NoLeak(t, "fake", testkit.PrintAll(s), p.AccessToken, odd)
}
