package generic_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/generic"
)

// FuzzParseMetadata checks that any discovery document is either accepted
// with exactly the issuer asked for (RFC 8414 §3.3; trailing slashes aside)
// and the fields encoding/json decodes, or refused with a classified
// *revoke.Error, never a panic or an untyped error. A document that is a
// JSON object naming the right issuer is always accepted.
func FuzzParseMetadata(f *testing.F) {
	f.Add([]byte(`{"issuer":"https://auth.example.com","revocation_endpoint":"https://auth.example.com/revoke"}`), "https://auth.example.com")
	f.Fuzz(func(t *testing.T, body []byte, issuer string) {
		md, err := generic.ParseMetadata(body, issuer)
		var plain struct {
			Issuer *string `json:"issuer"`
		}
		isObject := json.Unmarshal(body, &plain) == nil
		if err != nil {
			var e *revoke.Error
			if !errors.As(err, &e) || !errors.Is(err, revoke.ErrUnexpectedResponse) || e.Op != "discover" || e.StatusCode != 200 {
				t.Fatalf("ParseMetadata error %v (%T) is not a classified discovery error", err, err)
			}
			if md != nil {
				t.Fatalf("ParseMetadata returned metadata with an error")
			}
			if isObject && plain.Issuer != nil && *plain.Issuer == issuer {
				var full generic.Metadata
				if json.Unmarshal(body, &full) == nil {
					t.Fatalf("ParseMetadata refused a document naming the issuer %q: %v", issuer, err)
				}
			}
			return
		}
		if md == nil {
			t.Fatalf("ParseMetadata returned neither metadata nor an error")
		}
		if strings.TrimRight(md.Issuer, "/") != strings.TrimRight(issuer, "/") {
			t.Fatalf("ParseMetadata accepted issuer %q for requested %q", md.Issuer, issuer)
		}
		var want generic.Metadata
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatalf("ParseMetadata accepted a body encoding/json refuses: %v", err)
		}
		if md.Issuer != want.Issuer || md.RevocationEndpoint != want.RevocationEndpoint || md.TokenEndpoint != want.TokenEndpoint ||
			md.IntrospectionEndpoint != want.IntrospectionEndpoint || !slices.Equal(md.RevocationEndpointAuthMethodsSupported, want.RevocationEndpointAuthMethodsSupported) {
			t.Fatalf("ParseMetadata = %+v; encoding/json decodes %+v", md, want)
		}
	})
}
