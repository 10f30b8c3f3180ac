package adapter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// acme is an adapter's revoker type built on adapter.VendorRevoker the
// way the kit's documentation shows.
type acme = adapter.VendorRevoker[acmeVendor]

type acmeVendor struct{}

var acmeUnbuilt = adapter.Revoker{Name: "acme.Revoker", Build: "acme.New", Vendor: "Acme"}

func (acmeVendor) Unbuilt() *adapter.Revoker { return &acmeUnbuilt }

// builtRevoker binds acmeUnbuilt to an endpoint that records what it is
// sent.
func builtRevoker(t *testing.T, ep *testkit.Endpoint, rv adapter.Revocation) *acme {
	t.Helper()
	c := newClient(t, adapter.Profile{Name: "acme"}, ep.Options()...)
	if rv.URL == nil {
		rv.URL = mustURL(t, c, base+"/revoke")
	}
	return adapter.NewVendorRevoker[acmeVendor](acmeUnbuilt.Bind(c, rv))
}

// printed renders v with the verbs and encoders a caller may use.
func printed(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	js, err := json.Marshal(v)
	out["json"] = string(js)
	if err != nil {
		out["json"] = "error: " + err.Error()
	}
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.MessageKey {
			return slog.Attr{}
		}
		return a
	}})).Info("", "v", v)
	out["slog"] = strings.TrimSpace(b.String())
	return out
}

// TestRevokerPrints: every verb, JSON and slog show the name, endpoint,
// method and client ID, exactly, and never a credential, a token in the
// endpoint's query, or user info.
func TestRevokerPrints(t *testing.T) {
	ep := testkit.NewEndpoint()
	c := newClient(t, adapter.Profile{Name: "acme"}, ep.Options()...)
	built := acmeUnbuilt.Bind(c, adapter.Revocation{URL: mustURL(t, c, base+"/revoke"), Auth: revoke.ClientSecretBasic("app", testkit.Secret)})
	queried := adapter.Revoker{Name: "acme.Revoker", Client: c,
		Revocation: adapter.Revocation{URL: mustURL(t, c, base+"/revoke?token="+testkit.Token), Auth: revoke.ClientSecretPost("app", testkit.Secret)}}
	endpointOnly := adapter.Revoker{Name: "google.Revoker", EndpointOnly: true, Client: c, Revocation: adapter.Revocation{URL: mustURL(t, c, base+"/revoke"), Auth: revoke.NoClientAuth()}}
	const full = `{"https://as.example.com/revoke" "client_secret_basic" "app"}`
	const empty = `{"" "" ""}`
	tests := []struct {
		name string
		v    any
		want map[string]string
	}{
		{"built", built, map[string]string{
			"%v": full, "%s": full, "%q": full, "%x": full,
			"%+v":  `{Endpoint:"https://as.example.com/revoke" AuthMethod:"client_secret_basic" ClientID:"app"}`,
			"%#v":  `acme.Revoker{Endpoint:"https://as.example.com/revoke", AuthMethod:"client_secret_basic", ClientID:"app"}`,
			"json": `{"endpoint":"https://as.example.com/revoke","auth_method":"client_secret_basic","client_id":"app"}`,
		}},
		{"built, by pointer", &built, map[string]string{
			"%v":   full,
			"slog": `v.endpoint=https://as.example.com/revoke v.auth_method=client_secret_basic v.client_id=app`,
		}},
		{"a query in the endpoint", &queried, map[string]string{
			"%v":   `{"https://as.example.com/revoke?[REDACTED]" "client_secret_post" "app"}`,
			"json": `{"endpoint":"https://as.example.com/revoke?[REDACTED]","auth_method":"client_secret_post","client_id":"app"}`,
			"slog": `v.endpoint=https://as.example.com/revoke?[REDACTED] v.auth_method=client_secret_post v.client_id=app`,
		}},
		{"endpoint only", &endpointOnly, map[string]string{
			"%v": `{"https://as.example.com/revoke"}`, "%#v": `google.Revoker{Endpoint:"https://as.example.com/revoke"}`,
			"json": `{"endpoint":"https://as.example.com/revoke"}`, "slog": `v.endpoint=https://as.example.com/revoke`,
		}},
		{"zero", adapter.Revoker{}, map[string]string{
			"%v": empty, "%x": empty, "%#v": `adapter.Revoker{Endpoint:"", AuthMethod:"", ClientID:""}`,
			"json": `{"endpoint":"","auth_method":"","client_id":""}`,
		}},
		{"zero, by pointer", &adapter.Revoker{}, map[string]string{
			"slog": `v.endpoint="" v.auth_method="" v.client_id=""`,
		}},
		{"names only", acmeUnbuilt, map[string]string{"%#v": `acme.Revoker{Endpoint:"", AuthMethod:"", ClientID:""}`}},
		{"nil", (*adapter.Revoker)(nil), map[string]string{"%v": "<nil>", "%#v": "<nil>", "json": "null", "slog": ""}},
		{"adapter type, zero", acme{}, map[string]string{"%#v": `acme.Revoker{Endpoint:"", AuthMethod:"", ClientID:""}`, "json": `{"endpoint":"","auth_method":"","client_id":""}`}},
		{"adapter type, nil", (*acme)(nil), map[string]string{"%v": "<nil>", "%+v": "<nil>", "json": "null"}},
		{"adapter type, built", *adapter.NewVendorRevoker[acmeVendor](built), map[string]string{"%+v": `{Endpoint:"https://as.example.com/revoke" AuthMethod:"client_secret_basic" ClientID:"app"}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := printed(tc.v)
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %s, want %s", k, got[k], want)
				}
			}
			all := strings.Join([]string{got["%v"], got["%+v"], got["%#v"], got["%s"], got["%q"], got["%x"], got["json"], got["slog"], testkit.PrintAll(tc.v)}, "|")
			testkit.NoLeak(t, tc.name, all, testkit.Secret, testkit.Token)
			if strings.Contains(all, "PANIC") {
				t.Errorf("printing panicked: %s", all)
			}
		})
	}
}

// TestRevokerNilAndZero: a nil, zero or half-built Revoker answers every
// accessor with "" and refuses to send with a *revoke.ConfigError naming
// its type and constructors, never panicking.
func TestRevokerNilAndZero(t *testing.T) {
	ep := testkit.NewEndpoint()
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	tests := []struct {
		name         string
		r            *adapter.Revoker
		field, built string
	}{
		{"nil", nil, "adapter.Revoker", "the adapter's New function"},
		{"zero", &adapter.Revoker{}, "adapter.Revoker", "the adapter's New function"},
		{"names only", &adapter.Revoker{Name: "acme.Revoker", Build: "acme.New or acme.Discover"}, "acme.Revoker", "acme.New or acme.Discover"},
		{"no URL", &adapter.Revoker{Name: "acme.Revoker", Client: c, Revocation: adapter.Revocation{Auth: revoke.NoClientAuth()}}, "acme.Revoker", "the adapter's New function"},
		{"no Auth", &adapter.Revoker{Client: c, Revocation: adapter.Revocation{URL: mustURL(t, c, base+"/revoke")}}, "adapter.Revoker", "the adapter's New function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.r == nil || tc.r.Client == nil {
				for what, got := range map[string]string{"Endpoint": tc.r.Endpoint(), "AuthMethod": tc.r.AuthMethod(), "ClientID": tc.r.ClientID(), "Issuer": tc.r.Issuer(), "TokenEndpoint": tc.r.TokenEndpoint()} {
					if got != "" {
						t.Errorf("%s = %q, want empty", what, got)
					}
				}
			}
			for _, err := range []error{tc.r.Ready(), func() error {
				_, err := tc.r.Revoke(context.Background(), revoke.Request{Token: testkit.Token})
				return err
			}()} {
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) || ce.Field != tc.field || ce.Problem != "is not initialised: build it with "+tc.built || !errors.Is(err, revoke.ErrInvalidRequest) {
					t.Errorf("err = %#v, want a ConfigError on %s pointing to %s", err, tc.field, tc.built)
				}
			}
		})
	}
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
	if got := (*adapter.Revoker)(nil).LogValue(); got.Kind() != slog.KindGroup || len(got.Group()) != 0 {
		t.Errorf("nil LogValue = %v, want an empty group", got)
	}
	// An adapter's nil and zero values delegate to the names only.
	for name, r := range map[string]*acme{"nil": nil, "zero": {}} {
		_, err := r.Revoke(context.Background(), revoke.Request{Token: testkit.Token})
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || ce.Field != "acme.Revoker" || ce.Problem != "is not initialised: build it with acme.New" {
			t.Errorf("%s adapter Revoke err = %#v", name, err)
		}
		if err := r.RevokeToken(context.Background(), &oauth2.Token{AccessToken: testkit.Token}); !errors.As(err, &ce) || !strings.HasPrefix(ce.Field, "acme.Revoker") {
			t.Errorf("%s adapter RevokeToken err = %#v", name, err)
		}
		if r.Endpoint() != "" {
			t.Errorf("%s adapter Endpoint = %q", name, r.Endpoint())
		}
	}
}

// TestRevokerRevoke: a built Revoker sends the Revocation through its
// Client, and Bind leaves the Revoker it copies unbuilt.
func TestRevokerRevoke(t *testing.T) {
	ep := testkit.NewEndpoint()
	r := builtRevoker(t, ep, adapter.Revocation{Op: "acme revoke", Auth: revoke.ClientSecretPost("app", testkit.Secret),
		Issuer: base, TokenEndpoint: base + "/token", Hints: []revoke.TokenTypeHint{revoke.HintRefreshToken}})
	if acmeUnbuilt.Client != nil || acmeUnbuilt.Revocation.URL != nil {
		t.Fatalf("Bind modified the Revoker it copies: %+v", acmeUnbuilt)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: testkit.Token, Hint: revoke.HintRefreshToken})
	if err != nil || res == nil || res.StatusCode != http.StatusOK {
		t.Fatalf("Revoke = %+v, %v", res, err)
	}
	f := ep.Only(t).Form(t)
	testkit.Want(t, "token", f.Get("token"), testkit.Token)
	testkit.Want(t, "hint", f.Get("token_type_hint"), "refresh_token")
	testkit.Want(t, "client_id", f.Get("client_id"), "app")
	for what, c := range map[string][2]string{
		"Endpoint": {r.Endpoint(), base + "/revoke"}, "AuthMethod": {r.AuthMethod(), "client_secret_post"}, "ClientID": {r.ClientID(), "app"},
		"Issuer": {r.Issuer(), base}, "TokenEndpoint": {r.TokenEndpoint(), base + "/token"}, "GoString": {fmt.Sprintf("%#v", r), `acme.Revoker{Endpoint:"https://as.example.com/revoke", AuthMethod:"client_secret_post", ClientID:"app"}`},
	} {
		testkit.Want(t, what, c[0], c[1])
	}
	// The Revocation's rules still apply.
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: testkit.Token, Hint: revoke.HintAccessToken}); !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("undocumented hint: err = %v", err)
	}
	if n := len(ep.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRevocationCall: Call carries every part of the Revocation that
// describes the endpoint, the default Accept header, and the token to
// scrub; the body is the caller's.
func TestRevocationCall(t *testing.T) {
	check := func(*adapter.Response) error { return nil }
	u := mustURL(t, newClient(t, adapter.Profile{}), base+"/revoke")
	auth := revoke.ClientSecretBasic("app", testkit.Secret)
	rv := adapter.Revocation{Op: "op", URL: u, Auth: auth, Issuer: base, TokenEndpoint: base + "/token", Audience: revoke.AudienceIssuer,
		Check: check, ReadBody: true, Bucket: "b", Hints: []revoke.TokenTypeHint{revoke.HintAccessToken}, NoParams: true}
	body := adapter.Form(nil)
	call := rv.Call(testkit.Token, body)
	if call.Op != "op" || call.Method != http.MethodPost || call.URL != u || call.Auth != auth || call.Issuer != base || call.TokenEndpoint != base+"/token" ||
		call.Audience != revoke.AudienceIssuer || call.Check == nil || !call.ReadBody || call.Bucket != "b" || call.Token != testkit.Token || call.Body != body {
		t.Errorf("Call = %+v", call)
	}
	testkit.Want(t, "default Accept", call.Header.Get("Accept"), "application/json")
	rv.Header = http.Header{"Accept": {"text/plain"}}
	testkit.Want(t, "given Accept", rv.Call("", nil).Header.Get("Accept"), "text/plain")
	if (&adapter.Revocation{}).Call("", nil).Header.Get("Accept") != "application/json" {
		t.Error("a zero Revocation's Call has no Accept header")
	}
	// The call sends what the caller laid out.
	ep := testkit.NewEndpoint()
	c := newClient(t, adapter.Profile{}, ep.Options()...)
	rv2 := adapter.Revocation{Op: "op", URL: mustURL(t, c, base+"/revoke"), Auth: revoke.PublicClient("app"), Header: http.Header{"Accept": {"application/json"}}}
	if _, err := c.Do(context.Background(), rv2.Call(testkit.Token, adapter.JSONFields(map[string][]string{"client_id": {"app"}, "token": {testkit.Token}}))); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "body", string(ep.Only(t).Body), `{"client_id":"app","token":"`+testkit.Token+`"}`)
}

// TestVendorDetails: the details type is found as a value or a non-nil
// pointer, and nothing else is.
func TestVendorDetails(t *testing.T) {
	type details struct{ Tag string }
	d := details{"x"}
	tests := []struct {
		name string
		res  *revoke.Result
		want details
		ok   bool
	}{
		{"value", &revoke.Result{Vendor: d}, d, true},
		{"pointer", &revoke.Result{Vendor: &d}, d, true},
		{"nil pointer", &revoke.Result{Vendor: (*details)(nil)}, details{}, false},
		{"another type", &revoke.Result{Vendor: "x"}, details{}, false},
		{"no details", &revoke.Result{}, details{}, false},
		{"nil result", nil, details{}, false},
	}
	for _, tc := range tests {
		got, ok := adapter.VendorDetails[details](tc.res)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: VendorDetails = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestVendorRevoker: an adapter's alias of VendorRevoker sends through its
// Revocation, or through Send when set; RevokeToken follows the Pair rule
// with the exact calls each rule makes; a nil or zero value fails under
// the adapter's own name and sends nothing.
func TestVendorRevoker(t *testing.T) {
	const refresh = "refresh-0123456789abcdef"
	tok := &oauth2.Token{AccessToken: testkit.Token, RefreshToken: refresh}
	tests := []struct {
		name  string
		pair  adapter.PairRule
		token *oauth2.Token
		want  []string // the token= of each request, in order
		err   error
	}{
		{"refresh then access", adapter.RefreshThenAccess, tok, []string{refresh, testkit.Token}, nil},
		{"one call, with the refresh token", adapter.OneCall, tok, []string{refresh}, nil},
		{"one call, access only", adapter.OneCall, &oauth2.Token{AccessToken: testkit.Token}, []string{testkit.Token}, nil},
		{"refresh only", adapter.RefreshOnly, tok, []string{refresh}, nil},
		{"refresh only, none to revoke", adapter.RefreshOnly, &oauth2.Token{AccessToken: testkit.Token}, nil, revoke.ErrUnsupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			c := newClient(t, adapter.Profile{Name: "acme"}, ep.Options()...)
			k := acmeUnbuilt
			k.Pair = tc.pair
			r := adapter.NewVendorRevoker[acmeVendor](k.Bind(c, adapter.Revocation{Op: "acme revoke", URL: mustURL(t, c, base+"/revoke"), Auth: revoke.ClientSecretPost("app", testkit.Secret)}))
			err := r.RevokeToken(context.Background(), tc.token)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("RevokeToken = %v, want %v", err, tc.err)
			}
			if tc.err != nil && !strings.Contains(err.Error(), "Acme revokes refresh tokens only") {
				t.Errorf("error %q does not name the vendor", err)
			}
			var got []string
			for _, seen := range ep.Requests() {
				if seen.Method != http.MethodPost || seen.URL.String() != base+"/revoke" {
					t.Errorf("sent %s %s", seen.Method, seen.URL)
				}
				got = append(got, seen.Form(t).Get("token"))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("tokens sent %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("Send", func(t *testing.T) {
		ep := testkit.NewEndpoint()
		c := newClient(t, adapter.Profile{Name: "acme"}, ep.Options()...)
		k := acmeUnbuilt
		k.Send = func(ctx context.Context, k *adapter.Revoker, req revoke.Request) (*revoke.Result, error) {
			resp, err := k.Client.Do(ctx, k.Revocation.Call(req.Token, adapter.JSONFields(url.Values{"token": {req.Token}})))
			if err != nil {
				return nil, err
			}
			return resp.Result(), nil
		}
		r := adapter.NewVendorRevoker[acmeVendor](k.Bind(c, adapter.Revocation{Op: "acme revoke", URL: mustURL(t, c, base+"/revoke"), Auth: revoke.ClientSecretBasic("app", testkit.Secret)}))
		if _, err := r.Revoke(context.Background(), revoke.Request{Token: testkit.Token}); err != nil {
			t.Fatal(err)
		}
		seen := ep.Only(t)
		if ct := seen.Header.Get("Content-Type"); ct != "application/json" || string(seen.Body) != `{"token":"`+testkit.Token+`"}` {
			t.Errorf("sent %s %s; want Send's JSON body", ct, seen.Body)
		}
		if r.AuthMethod() != "client_secret_basic" || r.ClientID() != "app" || r.Endpoint() != base+"/revoke" {
			t.Errorf("accessors = %q %q %q", r.AuthMethod(), r.ClientID(), r.Endpoint())
		}
	})
	t.Run("nil and zero", func(t *testing.T) {
		for name, r := range map[string]*acme{"nil": nil, "zero": {}} {
			if err := r.RevokeToken(context.Background(), tok); err == nil || !strings.Contains(err.Error(), "acme.Revoker") || !strings.Contains(err.Error(), "acme.New") {
				t.Errorf("%s RevokeToken = %v; want the adapter's name and constructor", name, err)
			}
			for what, got := range map[string]string{"Issuer": r.Issuer(), "TokenEndpoint": r.TokenEndpoint(), "AuthMethod": r.AuthMethod(), "ClientID": r.ClientID()} {
				if got != "" {
					t.Errorf("%s %s = %q", name, what, got)
				}
			}
		}
		if got := (*acme)(nil).LogValue(); got.Kind() != slog.KindGroup || len(got.Group()) != 0 {
			t.Errorf("nil LogValue = %v, want an empty group", got)
		}
	})
}
