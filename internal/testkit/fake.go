package testkit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// AdapterGolden reads testdata/<name> of the adapter a fake belongs to
// (../testdata from the fake's package directory), as it is: a fake must
// answer exactly what its adapter is tested against.
func AdapterGolden(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// AdapterBody is AdapterGolden without the file's final newlines: an
// answer body as the adapter's tests serve it.
func AdapterBody(t testing.TB, name string) string {
	t.Helper()
	return strings.TrimRight(AdapterGolden(t, name), "\n")
}

// Serve sends one request straight to h: method to target (an absolute
// URL), with form as a form-encoded body when not nil, and the headers of
// hdr. It returns the answer and its whole body.
func Serve(t testing.TB, h http.Handler, method, target string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		r.Header[k] = v
	}
	return Do(t, h, r)
}

// Do serves r straight with h and returns the answer and its whole body.
func Do(t testing.TB, h http.Handler, r *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	resp := w.Result()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// BasicHeader is a header holding a Basic Authorization of id and secret
// as given (see Basic).
func BasicHeader(id, secret string) http.Header {
	return http.Header{"Authorization": {Basic(id, secret)}}
}
