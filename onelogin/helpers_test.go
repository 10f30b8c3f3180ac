package onelogin_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke"
)

// Fixed test credentials: long enough that the pipeline scrubs them from
// anything it keeps.
const (
	testID     = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	testSecret = "s3cr3t-5ecret-value-0123456789abcdef"
	testToken  = "at_tok3n-value-that-must-never-leak"
)

// fastRetry keeps retry waits in milliseconds.
var fastRetry = revoke.WithRetry(revoke.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})

// seen is one request a responder received.
type seen struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// recorder collects requests and answers them from a queue of canned
// responses (the last one repeats).
type recorder struct {
	mu      sync.Mutex
	reqs    []seen
	answers []answer
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (rc *recorder) responder(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, seen{Method: req.Method, URL: req.URL.String(), Header: req.Header.Clone(), Body: body})
	a := rc.answers[0]
	if len(rc.answers) > 1 {
		rc.answers = rc.answers[1:]
	}
	resp := httpmock.NewBytesResponse(a.status, []byte(a.body))
	for k, v := range a.header {
		resp.Header[k] = v
	}
	resp.Request = req
	return resp, nil
}

func (rc *recorder) requests() []seen {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]seen(nil), rc.reqs...)
}

// mockEndpoint registers a recorder for POST url on a fresh transport.
func mockEndpoint(t *testing.T, url string, answers ...answer) (*httpmock.MockTransport, *recorder) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	rc := &recorder{answers: answers}
	mt.RegisterResponder(http.MethodPost, url, rc.responder)
	return mt, rc
}

// jsonAnswer is a JSON response.
func jsonAnswer(status int, body string) answer {
	return answer{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
}

func opts(mt *httpmock.MockTransport, more ...revoke.Option) []revoke.Option {
	return append([]revoke.Option{revoke.WithHTTPClient(&http.Client{Transport: mt}), fastRetry}, more...)
}

// golden reads a vendor body from testdata.
func golden(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading golden body: %v", err)
	}
	return string(b)
}

// assertHeader checks one header's exact value.
func assertHeader(t *testing.T, h http.Header, key, want string) {
	t.Helper()
	if got := h.Values(key); len(got) != 1 || got[0] != want {
		t.Errorf("header %s = %q, want exactly [%q]", key, got, want)
	}
}

// assertNoLeak fails if s contains a secret.
func assertNoLeak(t *testing.T, what, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if bytes.Contains([]byte(s), []byte(sec)) {
			t.Errorf("%s leaks a secret %q: %s", what, sec, s)
		}
	}
}
