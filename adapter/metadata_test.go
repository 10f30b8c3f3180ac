package adapter_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/testkit"
)

// testMetadata is an adapter's struct of the metadata members it reads.
type testMetadata struct {
	Issuer             string   `json:"issuer"`
	RevocationEndpoint string   `json:"revocation_endpoint"`
	Methods            []string `json:"revocation_endpoint_auth_methods_supported"`
}

// TestFetchMetadata: a GET with Accept: application/json; a 200 JSON
// object naming the issuer asked for (trailing slashes aside) is decoded;
// anything else is a typed error saying exactly why.
func TestFetchMetadata(t *testing.T) {
	const issuer = "https://as.example.com/realms/acme"
	const doc = `{"issuer":"` + issuer + `","revocation_endpoint":"` + issuer + `/revoke","revocation_endpoint_auth_methods_supported":["client_secret_basic"]}`
	mismatch := `the metadata issuer "https://evil.example.com" does not match the requested issuer "` + issuer + `" (RFC 8414 §3.3, OpenID Connect Discovery §4.3): refusing it, as it may be an impersonation`
	tests := []struct {
		name    string
		answers []testkit.Answer
		issuer  string
		advice  string
		want    testMetadata
		kind    error
		status  int
		desc    string
		tries   int
	}{
		{"ok", []testkit.Answer{testkit.JSONAnswer(200, doc)}, issuer, "", testMetadata{issuer, issuer + "/revoke", []string{"client_secret_basic"}}, nil, 0, "", 1},
		{"trailing slash asked", []testkit.Answer{testkit.JSONAnswer(200, doc)}, issuer + "/", "", testMetadata{issuer, issuer + "/revoke", []string{"client_secret_basic"}}, nil, 0, "", 1},
		{"trailing slash served", []testkit.Answer{testkit.JSONAnswer(200, `{"issuer":"`+issuer+`/"}`)}, issuer, "", testMetadata{Issuer: issuer + "/"}, nil, 0, "", 1},
		{"another issuer", []testkit.Answer{testkit.JSONAnswer(200, `{"issuer":"https://evil.example.com"}`)}, issuer, "", testMetadata{}, revoke.ErrUnexpectedResponse, 200, mismatch, 1},
		{"another issuer, with advice", []testkit.Answer{testkit.JSONAnswer(200, `{"issuer":"https://evil.example.com"}`)}, issuer, "pass the frontend URL", testMetadata{}, revoke.ErrUnexpectedResponse, 200, mismatch + "; pass the frontend URL", 1},
		{"no issuer", []testkit.Answer{testkit.JSONAnswer(200, `{}`)}, issuer, "", testMetadata{}, revoke.ErrUnexpectedResponse, 200,
			`the metadata issuer "" does not match the requested issuer "` + issuer + `" (RFC 8414 §3.3, OpenID Connect Discovery §4.3): refusing it, as it may be an impersonation`, 1},
		{"not JSON", []testkit.Answer{{Status: 200, Body: "<html>"}}, issuer, "", testMetadata{}, revoke.ErrUnexpectedResponse, 200,
			`the metadata document is not a JSON object: "invalid character '<' looking for beginning of value"`, 1},
		{"a member of the wrong type", []testkit.Answer{testkit.JSONAnswer(200, `{"issuer":"`+issuer+`","revocation_endpoint_auth_methods_supported":"client_secret_basic"}`)}, issuer, "", testMetadata{}, revoke.ErrUnexpectedResponse, 200,
			`the metadata document is not a JSON object: "json: cannot unmarshal string into Go struct field testMetadata.revocation_endpoint_auth_methods_supported of type []string"`, 1},
		{"404", []testkit.Answer{{Status: 404, Body: "not found"}}, issuer, "", testMetadata{}, revoke.ErrNotFound, 404, "", 1},
		{"503, then the document", []testkit.Answer{{Status: 503}, testkit.JSONAnswer(200, doc)}, issuer, "", testMetadata{issuer, issuer + "/revoke", []string{"client_secret_basic"}}, nil, 0, "", 2},
		{"a redirect", []testkit.Answer{{Status: 302, Header: http.Header{"Location": {"https://evil.example.com/"}}}}, issuer, "", testMetadata{}, revoke.ErrRedirect, 302, "", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint(tc.answers...)
			c := newClient(t, adapter.Profile{Name: "acme"}, ep.Options()...)
			u := mustURL(t, c, issuer+"/.well-known/openid-configuration")
			var md testMetadata
			err := c.FetchMetadata(context.Background(), adapter.Discovery{Op: "acme discover", URL: u, Issuer: tc.issuer, Advice: tc.advice}, &md)
			reqs := ep.Requests()
			if len(reqs) != tc.tries {
				t.Fatalf("%d requests, want %d", len(reqs), tc.tries)
			}
			testkit.Want(t, "method", reqs[0].Method, http.MethodGet)
			testkit.Header(t, reqs[0].Header, "Accept", "application/json")
			if tc.kind == nil {
				if err != nil {
					t.Fatal(err)
				}
				if md.Issuer != tc.want.Issuer || md.RevocationEndpoint != tc.want.RevocationEndpoint || strings.Join(md.Methods, " ") != strings.Join(tc.want.Methods, " ") {
					t.Errorf("metadata = %+v, want %+v", md, tc.want)
				}
				return
			}
			var e *revoke.Error
			if !errors.As(err, &e) || !errors.Is(err, tc.kind) || e.StatusCode != tc.status || e.Op != "acme discover" || e.Endpoint != issuer+"/.well-known/openid-configuration" || e.Attempts != tc.tries {
				t.Fatalf("err = %#v, want a %v error, status %d", err, tc.kind, tc.status)
			}
			if tc.desc != "" {
				testkit.Want(t, "description", e.Description, tc.desc)
			}
		})
	}
}

// TestDiscoveryDecode: Decode checks a document already read exactly as
// FetchMetadata does, and a misuse is an error, never a panic.
func TestDiscoveryDecode(t *testing.T) {
	d := adapter.Discovery{Op: "discover", Issuer: "https://as.example.com"}
	var md testMetadata
	if err := d.Decode([]byte(`{"issuer":"https://as.example.com/","revocation_endpoint":"https://as.example.com/r"}`), &md); err != nil || md.RevocationEndpoint != "https://as.example.com/r" {
		t.Fatalf("Decode = %v, %+v", err, md)
	}
	long := strings.Repeat("é", 300)
	for name, c := range map[string]struct {
		body string
		md   any
		desc string
	}{
		"null":          {"null", &md, `the metadata issuer "" does not match`},
		"array":         {"[]", &md, "the metadata document is not a JSON object"},
		"empty":         {"", &md, "the metadata document is not a JSON object"},
		"nil target":    {`{"issuer":"https://as.example.com"}`, nil, "the metadata document is not a JSON object"},
		"long issuer":   {`{"issuer":"` + long + `"}`, &md, `the metadata issuer "` + strings.Repeat("é", 100) + `…" does not match`},
		"issuer number": {`{"issuer":5}`, &md, "the metadata document is not a JSON object"},
	} {
		err := d.Decode([]byte(c.body), c.md)
		var e *revoke.Error
		if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnexpectedResponse) || e.StatusCode != http.StatusOK || e.Op != "discover" || e.Endpoint != "" || !strings.HasPrefix(e.Description, c.desc) {
			t.Errorf("%s: Decode = %#v, want a description starting %q", name, err, c.desc)
		}
	}
	// No URL to fetch, and a nil context, are configuration errors.
	c := newClient(t, adapter.Profile{})
	var ce *revoke.ConfigError
	if err := c.FetchMetadata(context.Background(), adapter.Discovery{Op: "discover"}, &md); !errors.As(err, &ce) {
		t.Errorf("no URL: err = %v", err)
	}
	//lint:ignore SA1012 a nil context is what is tested
	if err := c.FetchMetadata(nil, adapter.Discovery{Op: "discover", URL: mustURL(t, c, base)}, &md); !errors.As(err, &ce) || ce.Field != "discover: context" {
		t.Errorf("nil context: err = %v", err)
	}
}
