package adapter_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Sessions is an adapter for an in-house session service that is not RFC
// 7009: DELETE /v1/sessions with a JSON body, 204 on success, and errors
// of its own shape, {"fault":{"id":"...","text":"..."}}.
type Sessions struct {
	c   *adapter.Client
	url *url.URL
	key revoke.Secret // prints [REDACTED] with any verb
}

// fields is what a Sessions prints: its endpoint, never its key. fmt does
// not call a Formatter on an unexported field, so a type holding a
// credential prints itself.
// A nil *Sessions has none.
func (s *Sessions) fields() adapter.Fields {
	if s == nil {
		return nil
	}
	return adapter.Fields{{"Endpoint", strconv.Quote(adapter.Endpoint(s.url))}}
}

// Format, LogValue and MarshalJSON print the fields, with every verb.
func (s Sessions) Format(f fmt.State, verb rune) { s.fields().Print(f, verb, "Sessions") }
func (s *Sessions) LogValue() slog.Value         { return s.fields().LogValue() }
func (s Sessions) MarshalJSON() ([]byte, error)  { return s.fields().MarshalJSON() }

// sessionsProfile holds what is the same for every call to the service.
var sessionsProfile = adapter.Profile{
	Name:             "sessions",
	RequestIDHeaders: []string{"X-Trace"},
	RateLimit:        adapter.RateLimitHeaders{Limit: "X-Quota", Remaining: "X-Quota-Left", Reset: "X-Quota-Reset", ResetFormat: adapter.ResetSeconds},
	ParseError: func(body []byte) (adapter.ErrorBody, bool) {
		var e struct {
			Fault struct{ ID, Text string } `json:"fault"`
		}
		if json.Unmarshal(body, &e) != nil || e.Fault.ID == "" {
			return adapter.ErrorBody{}, false
		}
		return adapter.ErrorBody{Code: e.Fault.ID, Description: e.Fault.Text}, true
	},
	Classify: func(_ int, b adapter.ErrorBody) error {
		switch b.Code {
		case "bad-key":
			return revoke.ErrInvalidClient
		case "gone":
			return revoke.ErrInvalidToken
		}
		return nil // the kit classifies by status
	},
}

// NewSessions validates everything up front, as every adapter does.
func NewSessions(base, apiKey string, opts ...revoke.Option) (*Sessions, error) {
	c, err := adapter.New(sessionsProfile, opts...)
	if err != nil {
		return nil, err
	}
	u, err := c.BaseURL("Sessions.base", base)
	if err != nil {
		return nil, err
	}
	if err := adapter.CheckSecret("Sessions.apiKey", apiKey, "the service's API key"); err != nil {
		return nil, err
	}
	return &Sessions{c: c, url: adapter.JoinPath(u, "v1", "sessions"), key: revoke.Secret(apiKey)}, nil
}

// Revoke ends the session a token belongs to. A token the service no
// longer knows is reported as already invalid, as every adapter does.
func (s *Sessions) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if err := adapter.CheckToken("sessions revoke", req.Token); err != nil {
		return nil, err
	}
	resp, err := s.c.Do(ctx, &adapter.Call{
		Op:      "sessions revoke",
		Method:  http.MethodDelete,
		URL:     s.url,
		Header:  http.Header{"X-Api-Key": {s.key.Reveal()}},
		Secrets: []string{s.key.Reveal()},
		Body:    adapter.JSON(map[string]string{"session_token": req.Token}),
		Token:   req.Token,
		Check: func(r *adapter.Response) error {
			switch {
			case r.StatusCode == http.StatusNoContent:
				return nil
			case r.StatusCode == http.StatusNotFound:
				return adapter.AlreadyInvalid
			}
			return r.Fail()
		},
	})
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// ExampleClient_Do builds a complete adapter for a non-RFC endpoint on the
// kit: retries, pacing, bounded reads, scrubbing and typed errors come from
// the kit; the adapter only describes its vendor.
func ExampleClient_Do() {
	live := map[string]bool{"sess-0123456789": true}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Token string `json:"session_token"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		switch {
		case r.Header.Get("X-Api-Key") != "api-key-0123456789":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"fault":{"id":"bad-key","text":"key %s is not valid"}}`, r.Header.Get("X-Api-Key"))
		case !live[body.Token]:
			w.WriteHeader(http.StatusNotFound)
		default:
			delete(live, body.Token)
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer srv.Close()

	s, err := NewSessions(srv.URL, "api-key-0123456789")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		res, err := s.Revoke(ctx, revoke.Request{Token: "sess-0123456789"})
		fmt.Println(res.StatusCode, res.AlreadyInvalid, err)
	}

	wrong, _ := NewSessions(srv.URL, "wrong-key-0123456789")
	_, err = wrong.Revoke(ctx, revoke.Request{Token: "sess-0123456789"})
	var e *revoke.Error
	fmt.Println(errors.Is(err, revoke.ErrInvalidClient), errors.As(err, &e) && e.Code == "bad-key")
	fmt.Println(e.Description)                       // the echoed key is scrubbed
	printed := fmt.Sprintf("%+v %#v", wrong, *wrong) // the adapter never prints its key
	fmt.Println(strings.ReplaceAll(printed, srv.URL, "http://sessions.test"))
	// Output:
	// 204 false <nil>
	// 404 true <nil>
	// true true
	// key [REDACTED] is not valid
	// {Endpoint:"http://sessions.test/v1/sessions"} Sessions{Endpoint:"http://sessions.test/v1/sessions"}
}

// Widget is an adapter's revoker type for an RFC 7009 endpoint: an alias of
// VendorRevoker, so the kit supplies every method.
type Widget = adapter.VendorRevoker[widgetVendor]

type widgetVendor struct{}

var widgetUnbuilt = adapter.Revoker{Name: "widget.Revoker", Build: "widget.New", Pair: adapter.OneCall, Vendor: "Widget"}

func (widgetVendor) Unbuilt() *adapter.Revoker { return &widgetUnbuilt }

// NewWidget is the adapter's constructor.
func NewWidget(endpoint string, auth revoke.ClientAuth, opts ...revoke.Option) (*Widget, error) {
	c, err := adapter.New(adapter.Profile{Name: "widget"}, opts...)
	if err != nil {
		return nil, err
	}
	u, err := c.URL("widget.New: endpoint", endpoint)
	if err != nil {
		return nil, err
	}
	return adapter.NewVendorRevoker[widgetVendor](widgetUnbuilt.Bind(c, adapter.Revocation{Op: "widget revoke", URL: u, Auth: auth})), nil
}

func ExampleVendorRevoker() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		fmt.Println(r.Method, r.URL.Path, r.PostForm.Encode())
	}))
	defer srv.Close()

	w, err := NewWidget(srv.URL+"/oauth/revoke", revoke.ClientSecretBasic("app-1", "example-secret-1"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := w.Revoke(context.Background(), revoke.Request{Token: "tok-0123456789", Hint: revoke.HintAccessToken})
	fmt.Println(res.StatusCode, err)
	fmt.Println(w.AuthMethod(), w.ClientID())

	var zero Widget
	_, err = zero.Revoke(context.Background(), revoke.Request{Token: "tok-0123456789"})
	fmt.Println(err)
	// Output:
	// POST /oauth/revoke token=tok-0123456789&token_type_hint=access_token
	// 200 <nil>
	// client_secret_basic app-1
	// revoke: widget.Revoker: is not initialised: build it with widget.New
}
