package testkit_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
)

// recorder is a testing.TB that records failures instead of reporting
// them, so that the kit's assertions can be shown to fail.
type recorder struct {
	testing.TB
	msgs []string
}

func (r *recorder) Helper()        {}
func (r *recorder) Failed() bool   { return len(r.msgs) > 0 }
func (r *recorder) Error(a ...any) { r.msgs = append(r.msgs, fmt.Sprint(a...)) }
func (r *recorder) Errorf(f string, a ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(f, a...))
}
func (r *recorder) Fatal(a ...any) { r.Error(a...); runtime.Goexit() }
func (r *recorder) Fatalf(f string, a ...any) {
	r.Errorf(f, a...)
	runtime.Goexit()
}

// record runs check against a recorder, as a test would.
func record(check func(tb testing.TB)) *recorder {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r
}

// wantFail checks that check fails with a message containing want, or
// passes when want is "".
func wantFail(t *testing.T, name, want string, check func(tb testing.TB)) {
	t.Helper()
	r := record(check)
	switch {
	case want == "" && r.Failed():
		t.Errorf("%s: failed: %q", name, r.msgs)
	case want != "" && !strings.Contains(strings.Join(r.msgs, "\n"), want):
		t.Errorf("%s: messages %q lack %q", name, r.msgs, want)
	}
}

func seen(t *testing.T, header http.Header, body string) testkit.Seen {
	t.Helper()
	u, err := url.Parse("https://idp.example.com/revoke")
	if err != nil {
		t.Fatal(err)
	}
	return testkit.Seen{Method: http.MethodPost, URL: u, Header: header, Body: []byte(body)}
}

// TestRender: the wire text of a request, with every placeholder.
func TestRender(t *testing.T) {
	s := seen(t, http.Header{
		"User-Agent": {"revoke-go/" + revoke.Version},
		"Dpop":       {"eyJ.proof.sig"},
		"Accept":     {"application/json"},
		"X-Multi":    {"b", "a"},
	}, "token=tok&client_assertion=eyJ.claims.sig&client_id=my-app-1")
	testkit.Want(t, "Braces", testkit.Render(s), "POST https://idp.example.com/revoke\n"+
		"Accept: application/json\nDpop: {proof}\nUser-Agent: revoke-go/{version}\nX-Multi: b\nX-Multi: a\n\n"+
		"token=tok&client_assertion={assertion}&client_id=my-app-1\n")
	w := testkit.Wire{Version: "<Version>", Names: map[string]string{"idp.example.com": "{host}", "my-app-1": "{client}"}}
	testkit.Want(t, "a Wire without assertion and proof placeholders", w.Render(s), "POST https://{host}/revoke\n"+
		"Accept: application/json\nDpop: eyJ.proof.sig\nUser-Agent: revoke-go/<Version>\nX-Multi: b\nX-Multi: a\n\n"+
		"token=tok&client_assertion=eyJ.claims.sig&client_id={client}\n")
	testkit.Want(t, "a JSON body", testkit.Render(seen(t, nil, `{"client_assertion":"x"}`)), "POST https://idp.example.com/revoke\n\n{\"client_assertion\":\"x\"}\n")
}

// TestGolden: CheckGolden passes on the same text and shows the first
// line that differs; a Transcript heads each request.
func TestGolden(t *testing.T) {
	testkit.Want(t, "FirstDiff", testkit.FirstDiff("a\nb\nc", "a\nB\nc"), "line 2:\n got: b\nwant: B")
	testkit.Want(t, "FirstDiff of a longer text", testkit.FirstDiff("a\n", "a"), "line 2:\n got: \nwant: (end of text)")
	testkit.Want(t, "FirstDiff of equal texts", testkit.FirstDiff("a", "a"), "(same lines)")
	var tr testkit.Transcript
	tr.Add("first | no hint", testkit.Render(seen(t, nil, "token=a")))
	tr.Add("second", testkit.Render(seen(t, nil, "token=b")))
	tr.Check(t, "transcript.txt")
	if flag.Lookup("update").Value.String() == "true" {
		return // the check below would write the file
	}
	wantFail(t, "a different text", "line 4:\n got: token=c", func(tb testing.TB) {
		testkit.CheckGolden(tb, "transcript.txt", strings.Replace(tr.String(), "token=a", "token=c", 1))
	})
	testkit.Want(t, "HintName", testkit.HintName(revoke.HintNone)+","+testkit.HintName(revoke.HintRefreshToken), "no hint,refresh_token")
}

// TestWantConfigError: each way a refusal can be wrong fails the check.
func TestWantConfigError(t *testing.T) {
	const secret = "s3cret-value-1"
	good := &revoke.ConfigError{Field: "x.Config.URL", Problem: "has a query", Kind: revoke.ErrInvalidRequest}
	for _, tc := range []struct {
		name, field, text string
		err               error
		kind              error
		want              string
	}{
		{"a good refusal", "x.Config.URL", "query", good, revoke.ErrInvalidRequest, ""},
		{"any field", "", "", good, nil, ""},
		{"no error", "x.Config.URL", "", nil, nil, "no error"},
		{"another error", "x.Config.URL", "", errors.New("boom"), nil, "is not a *revoke.ConfigError"},
		{"another field", "x.Config.Auth", "", good, nil, `want field "x.Config.Auth"`},
		{"a field prefix only", "x.Config", "", good, nil, `want field "x.Config"`},
		{"another problem", "x.Config.URL", "fragment", good, nil, `text "fragment"`},
		{"another kind", "x.Config.URL", "", good, revoke.ErrInsecureEndpoint, "errors.Is"},
		{"no field", "", "", &revoke.ConfigError{Problem: "p"}, nil, "lacks the field"},
		{"a secret", "x.Config.URL", "", &revoke.ConfigError{Field: "x.Config.URL", Problem: "bad " + secret}, nil, "leaks a secret"},
		{"a secret in hex", "x.Config.URL", "", &revoke.ConfigError{Field: "x.Config.URL", Problem: fmt.Sprintf("bad %x", secret)}, nil, "leaks a secret"},
	} {
		wantFail(t, tc.name, tc.want, func(tb testing.TB) {
			testkit.WantConfigError(tb, tc.err, tc.field, tc.text, tc.kind, secret)
		})
	}
	ep := testkit.NewEndpoint()
	if _, err := ep.Client().Get("https://idp.example.com/"); err != nil {
		t.Fatal(err)
	}
	wantFail(t, "a request sent", "1 requests sent", func(tb testing.TB) {
		testkit.WantRefused(tb, ep, good, "x.Config.URL", "query", nil)
	})
	wantFail(t, "nothing sent", "", func(tb testing.TB) {
		testkit.WantRefused(tb, testkit.NewEndpoint(), good, "x.Config.URL", "query", nil)
	})
}

// TestWantError: only a *revoke.Error of the kind wanted passes.
func TestWantError(t *testing.T) {
	e := &revoke.Error{Kind: revoke.ErrInvalidClient, StatusCode: 401}
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"the kind wanted", fmt.Errorf("wrapped: %w", e), ""},
		{"no error", nil, "no error"},
		{"another kind", &revoke.Error{Kind: revoke.ErrServer}, "errors.Is"},
		{"not a revoke.Error", revoke.ErrInvalidClient, "is not a *revoke.Error"},
	} {
		wantFail(t, tc.name, tc.want, func(tb testing.TB) { testkit.WantError(tb, tc.err, revoke.ErrInvalidClient) })
	}
	if got := testkit.WantError(t, e, revoke.ErrInvalidClient); got != e {
		t.Errorf("WantError = %v, want the error itself", got)
	}
}

// fake is a revoker whose misbehaviour the tests choose.
type fake struct {
	ep       *testkit.Endpoint
	ignoreCt bool // a nil or cancelled context is ignored
	endpoint string
}

func (f *fake) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if f == nil || f.ep == nil {
		return nil, &revoke.ConfigError{Field: "fake", Problem: "zero", Kind: revoke.ErrInvalidRequest}
	}
	if !f.ignoreCt {
		if ctx == nil {
			return nil, &revoke.ConfigError{Field: "ctx", Problem: "nil", Kind: revoke.ErrInvalidRequest}
		}
		if err := ctx.Err(); err != nil {
			return nil, &revoke.Error{Kind: revoke.ErrUnavailable, Err: err}
		}
	}
	if f.ep != nil {
		if _, err := f.ep.Client().Post("https://idp.example.com/revoke", "text/plain", strings.NewReader(req.Token)); err != nil {
			return nil, err
		}
	}
	return &revoke.Result{StatusCode: 200, Attempts: 1}, nil
}

func (f *fake) Endpoint() string {
	if f == nil {
		return ""
	}
	return f.endpoint
}
func (f *fake) AuthMethod() string { return "" }
func (f *fake) ClientID() string   { return "" }

// TestMisuse: Misuse passes a revoker that refuses misuse, and fails one
// that takes it.
func TestMisuse(t *testing.T) {
	req := revoke.Request{Token: testkit.Token}
	for _, tc := range []struct {
		name string
		r    func(ep *testkit.Endpoint) *fake
		want string
	}{
		{"a careful revoker", func(ep *testkit.Endpoint) *fake { return &fake{ep: ep} }, ""},
		{"a nil context sent", func(ep *testkit.Endpoint) *fake { return &fake{ep: ep, ignoreCt: true} }, "nil context"},
	} {
		ep := testkit.NewEndpoint()
		r := tc.r(ep)
		wantFail(t, tc.name, tc.want, func(tb testing.TB) { testkit.Misuse(tb, r, ep, req) })
	}
	ep := testkit.NewEndpoint()
	wantFail(t, "a zero revoker that revokes", "zero Revoker", func(tb testing.TB) { testkit.Misuse(tb, &sloppy{ep: ep}, ep, req) })
}

// sloppy is a revoker that takes whatever it is given.
type sloppy struct{ ep *testkit.Endpoint }

func (s *sloppy) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if s == nil {
		return nil, &revoke.ConfigError{Field: "sloppy", Problem: "nil", Kind: revoke.ErrInvalidRequest}
	}
	return &revoke.Result{StatusCode: 200, Attempts: 1}, nil
}

// TestPrintsNoSecret: a value printing a secret, or panicking, fails.
func TestPrintsNoSecret(t *testing.T) {
	const secret = "s3cret-value-1"
	wantFail(t, "harmless values", "", func(tb testing.TB) {
		testkit.PrintsNoSecret(tb, map[string]any{"string": "x", "nil": nil}, secret)
	})
	wantFail(t, "a secret", "leaks a secret", func(tb testing.TB) {
		testkit.PrintsNoSecret(tb, map[string]any{"struct": struct{ S string }{secret}}, secret)
	})
	wantFail(t, "a panic", "printing panicked", func(tb testing.TB) {
		testkit.PrintsNoSecret(tb, map[string]any{"panic": panicker{}}, secret)
	})
}

type panicker struct{}

func (panicker) String() string { panic("boom") }

// TestFakeHelpers: Serve, BasicHeader, Echo and AdapterGolden.
func TestFakeHelpers(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		fmt.Fprintf(w, "%s %s %s %s", r.Method, r.URL, r.Header.Get("Authorization"), r.PostForm.Encode())
	})
	resp, body := testkit.Serve(t, h, http.MethodPost, "https://fake.example.com/revoke?x=1", url.Values{"token": {"t"}}, testkit.BasicHeader("id", "se:cret"))
	testkit.Want(t, "status", resp.StatusCode, 200)
	testkit.Want(t, "body", body, "POST https://fake.example.com/revoke?x=1 "+testkit.Basic("id", "se:cret")+" token=t")

	echo := testkit.Echo(func(r *http.Request, body string) testkit.Answer {
		return testkit.Answer{Status: 401, Header: http.Header{"x-request-id": {body}}, Body: r.Header.Get("Authorization") + " " + body}
	})
	req, err := http.NewRequest(http.MethodPost, "https://idp.example.com/", strings.NewReader("token=t"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer b")
	resp, err = echo.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	testkit.Want(t, "echo status", resp.StatusCode, 401)
	testkit.Header(t, resp.Header, "X-Request-Id", "token=t")

	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "faketest"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "testdata", "a.json"), []byte("{}\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(dir, "faketest"))
	testkit.Want(t, "AdapterGolden", testkit.AdapterGolden(t, "a.json"), "{}\n\n")
	testkit.Want(t, "AdapterBody", testkit.AdapterBody(t, "a.json"), "{}")
}
