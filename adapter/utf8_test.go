package adapter_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// TestInvalidUTF8IsNeverSentAltered: encoding/json replaces invalid UTF-8
// with U+FFFD, so a JSON body holding such a string would revoke another
// token than the caller's and report success. Such calls are refused, and
// nothing is sent.
func TestInvalidUTF8IsNeverSentAltered(t *testing.T) {
	bad := "tok-\xff\xfe-0123456789"
	type nested struct {
		Tokens []string `json:"tokens"`
	}
	tests := []struct {
		name string
		call adapter.Call
	}{
		{"Call.Token", adapter.Call{Token: bad, Body: adapter.Form(nil)}},
		{"map value", adapter.Call{Body: adapter.JSON(map[string]string{"token": bad})}},
		{"map key", adapter.Call{Body: adapter.JSON(map[string]int{bad: 1})}},
		{"struct in a slice", adapter.Call{Body: adapter.JSON([]any{nested{Tokens: []string{"ok", bad}}})}},
		{"pointer", adapter.Call{Body: adapter.JSON(&nested{Tokens: []string{bad}})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
			defer srv.Close()
			c := newClient(t, adapter.Profile{})
			call := tc.call
			call.Op, call.URL = "op", mustURL(t, c, srv.URL+"/revoke")
			_, err := c.Do(context.Background(), &call)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Fatalf("err = %v, want a *revoke.ConfigError matching ErrInvalidRequest", err)
			}
			if n := got.Load(); n != 0 {
				t.Errorf("the server got %d requests, want none", n)
			}
		})
	}
	// Valid UTF-8, including non-ASCII, goes through.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := newClient(t, adapter.Profile{})
	if _, err := c.Do(context.Background(), &adapter.Call{Op: "op", URL: mustURL(t, c, srv.URL+"/revoke"), Token: "tök-ü", Body: adapter.JSON(map[string]string{"token": "tök-ü"})}); err != nil {
		t.Errorf("valid UTF-8: %v", err)
	}
}
