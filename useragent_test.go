package revoke_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// TestWithUserAgent: a User-Agent that would corrupt the request is
// refused when the adapter is built, naming the option; a good one is sent.
func TestWithUserAgent(t *testing.T) {
	refused := map[string]string{
		"CR LF":         "app/1\r\nX-Injected: 1",
		"NUL":           "app/1\x00",
		"TAB":           "app/1\tx",
		"DEL":           "app/1\x7f",
		"C1 NEL U+0085": "app/1\u0085x",
		"invalid UTF-8": "app/\xff1",
	}
	for name, ua := range refused {
		_, err := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke", Auth: revoke.PublicClient("app")}, revoke.WithUserAgent(ua))
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != "WithUserAgent" || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: err = %v, want a *revoke.ConfigError for WithUserAgent", name, err)
		}
	}
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.UserAgent() }))
	defer srv.Close()
	const ua = "myapp/1.2 (+https://example.com/bot; Zürich)"
	r, err := generic.New(generic.Config{Endpoint: srv.URL + "/revoke", Auth: revoke.PublicClient("app")}, revoke.WithUserAgent(ua))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(t.Context(), revoke.Request{Token: "tok-0123456789"}); err != nil {
		t.Fatal(err)
	}
	if got != ua || strings.ContainsAny(got, "\r\n") {
		t.Errorf("User-Agent sent = %q, want %q", got, ua)
	}
}
