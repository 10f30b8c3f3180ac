package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/revoketest"
)

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, config{}); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"0oaWebPortal00000001  Web Portal   2       revoked",
		"0oaMobileApp00000002  Mobile App   1       FAILED: HTTP 403 E0000006 You do not have permission to perform the requested action",
		"0oaReportsCLI0000003  Reports CLI  3       revoked",
		"2 of 3 clients revoked, 1 failed",
		"its token is still active",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestDemoDryRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, config{dryRun: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0oaReportsCLI0000003  Reports CLI  3") || !strings.Contains(out.String(), "nothing revoked") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestRealOrgMode runs the command as against a real org (an httpmock
// emulator standing in for it): it needs -user, and fails when a client
// fails.
func TestRealOrgMode(t *testing.T) {
	mt := httpmock.NewMockTransport()
	org := oktatest.RegisterAdmin(mt, "https://dev-1.okta.com")
	org.AddUser("00u1")
	org.AddClient("0oa1", "App One")
	org.AddClient("0oa2", "App Two")
	t1 := org.IssueRefreshToken("00u1", "0oa1")
	org.IssueRefreshToken("00u1", "0oa2")
	hc := revoke.WithHTTPClient(&http.Client{Transport: mt})
	cfg := config{domain: "dev-1.okta.com", apiToken: oktatest.APIToken, user: "00u1"}

	var out bytes.Buffer
	org.FailRevoke("0oa2", oktatest.Fault(500, "E0000009", "Internal Server Error"))
	err := run(context.Background(), &out, cfg, hc)
	if err == nil || !strings.Contains(err.Error(), "1 clients still hold tokens") || org.Active(t1.ID) {
		t.Errorf("partial failure: err %v, output:\n%s", err, out.String())
	}
	if strings.Contains(out.String()+err.Error(), oktatest.APIToken) {
		t.Error("the API token was printed")
	}
	org.FailRevoke("0oa2", revoketest.Fault{})
	out.Reset()
	if err := run(context.Background(), &out, cfg, hc); err != nil || !strings.Contains(out.String(), "1 of 1 clients revoked, 0 failed") {
		t.Errorf("second run: %v\n%s", err, out.String())
	}

	for _, bad := range []struct {
		cfg  config
		want string
	}{
		{config{domain: "dev-1.okta.com", apiToken: "x"}, "-user is required"},
		{config{domain: "dev-1.okta.com", user: "00u1"}, "OKTA_API_TOKEN is empty"},
		{config{apiToken: "x"}, "OKTA_DOMAIN is not"},
		{config{domain: "http://dev-1.okta.com", apiToken: "x", user: "00u1"}, "clear text"},
	} {
		if err := run(context.Background(), &out, bad.cfg, hc); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: error %v, want %q", bad.cfg, err, bad.want)
		}
	}
}
