package entra_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/internal/testkit"
)

// TestNewBadInput: every configuration mistake is a *revoke.ConfigError
// naming the field, from New, before any request.
func TestNewBadInput(t *testing.T) {
	key := testkit.RSAKey(t)
	ec := testkit.ECKey(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	good := rsaCert(t, key, now.Add(-time.Hour), now.Add(time.Hour))
	src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: graphToken})
	withSecret := func(c entra.Config) entra.Config {
		c.ClientID, c.ClientSecret = clientID, secret
		if c.Tenant == "" {
			c.Tenant = tenantID
		}
		return c
	}
	tests := []struct {
		name  string
		cfg   entra.Config
		field string
		want  string
	}{
		{"nothing", entra.Config{}, "entra.Config.TokenSource", "neither TokenSource nor ClientID"},
		{"no tenant", entra.Config{ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "is empty"},
		{"common tenant", entra.Config{Tenant: "common", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "multi-tenant alias"},
		{"organizations tenant", entra.Config{Tenant: "Organizations", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "multi-tenant alias"},
		{"tenant URL", entra.Config{Tenant: "https://login.microsoftonline.com/contoso.com", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "'/'"},
		{"tenant host and port", entra.Config{Tenant: "contoso.com:443", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "':'"},
		{"tenant single label", entra.Config{Tenant: "contoso", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "neither a directory (tenant) ID"},
		{"tenant bad domain", entra.Config{Tenant: "contoso..com", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "not a domain name"},
		{"tenant with space", entra.Config{Tenant: " contoso.com", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "space"},
		{"tenant almost a GUID", entra.Config{Tenant: "aaaabbbb-0000-cccc-1111-dddd2222eeeg", ClientID: clientID, ClientSecret: secret}, "entra.Config.Tenant", "neither a directory"},
		{"client ID with a slash", entra.Config{Tenant: tenantID, ClientID: "a/b", ClientSecret: secret}, "entra.Config.ClientID", "'/'"},
		{"client ID padded", entra.Config{Tenant: tenantID, ClientID: clientID + "\n", ClientSecret: secret}, "entra.Config.ClientID", "white space"},
		{"secret without ID", entra.Config{Tenant: tenantID, ClientSecret: secret}, "entra.Config.ClientID", "is empty"},
		{"short secret", entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: "short"}, "entra.Config.ClientSecret", "shorter than 8"},
		{"secret with newline", entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret + "\n"}, "entra.Config.ClientSecret", "white space"},
		{"no credential", entra.Config{Tenant: tenantID, ClientID: clientID}, "entra.Config.ClientSecret", "neither ClientSecret nor Certificate"},
		{"secret and certificate", entra.Config{Tenant: tenantID, ClientID: clientID, ClientSecret: secret, Certificate: &entra.Certificate{Certificate: good, Key: key}}, "entra.Config.ClientSecret", "both"},
		{"token source and client ID", entra.Config{TokenSource: src, ClientID: clientID}, "entra.Config.TokenSource", "both"},
		{"token source and LoginURL", entra.Config{TokenSource: src, LoginURL: "https://login.microsoftonline.us"}, "entra.Config.LoginURL", "TokenSource"},
		{"token source, bad tenant", entra.Config{TokenSource: src, Tenant: "common"}, "entra.Config.Tenant", "alias"},
		{"nil *TokenSource", entra.Config{TokenSource: (*entra.TokenSource)(nil)}, "entra.Config.TokenSource", "nil or zero"},
		{"zero TokenSource", entra.Config{TokenSource: &entra.TokenSource{}}, "entra.Config.TokenSource", "nil or zero"},
		{"GraphURL with version", withSecret(entra.Config{GraphURL: "https://graph.microsoft.com/v1.0"}), "entra.Config.GraphURL", "API path"},
		{"GraphURL with user info", withSecret(entra.Config{GraphURL: "https://u:p4ssw0rd@graph.microsoft.com"}), "entra.Config.GraphURL", "user info"},
		{"GraphURL plain http", withSecret(entra.Config{GraphURL: "http://graph.example.com"}), "entra.Config.GraphURL", "clear text"},
		{"GraphURL query", withSecret(entra.Config{GraphURL: "https://graph.microsoft.com?x=1"}), "entra.Config.GraphURL", "query"},
		{"LoginURL with token path", withSecret(entra.Config{LoginURL: "https://login.microsoftonline.com/" + tenantID + "/oauth2/v2.0/token"}), "entra.Config.LoginURL", "token endpoint path"},
		{"scope not .default", withSecret(entra.Config{Scope: "User.RevokeSessions.All"}), "entra.Config.Scope", ".default"},
		{"two scopes", withSecret(entra.Config{Scope: "https://graph.microsoft.com/.default offline_access"}), "entra.Config.Scope", "white space"},
		{"certificate without certificate", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Key: key}}, "entra.Config.Certificate.Certificate", "is nil"},
		{"certificate without key", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: good}}, "entra.Config.Certificate.Key", "is nil"},
		{"EC key", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: good, Key: ec}}, "entra.Config.Certificate.Key", "RSA"},
		{"short RSA key", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: rsaCert(t, small, now.Add(-time.Hour), now.Add(time.Hour)), Key: small}}, "entra.Config.Certificate.Key", "1024 bits"},
		{"key of another certificate", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: good, Key: other}}, "entra.Config.Certificate", "not the certificate's"},
		{"expired certificate", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: rsaCert(t, key, now.Add(-2*time.Hour), now.Add(-time.Hour)), Key: key}}, "entra.Config.Certificate.Certificate", "expired"},
		{"future certificate", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: rsaCert(t, key, now.Add(time.Hour), now.Add(2*time.Hour)), Key: key}}, "entra.Config.Certificate.Certificate", "not valid before"},
		{"zero RSA key", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: good, Key: &rsa.PrivateKey{}}}, "entra.Config.Certificate.Key", "empty RSA key"},
		{"typed nil ECDSA key", entra.Config{Tenant: tenantID, ClientID: clientID, Certificate: &entra.Certificate{Certificate: good, Key: (*ecdsa.PrivateKey)(nil)}}, "entra.Config.Certificate", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			g, err := entra.New(tt.cfg, ep.Options()...)
			if g != nil {
				t.Errorf("New = %v; want no Graph", g)
			}
			testkit.WantRefused(t, ep, err, tt.field, tt.want, nil, secret, "p4ssw0rd")
		})
	}
	// Good values pass.
	for _, cfg := range []entra.Config{
		{Tenant: tenantID, ClientID: clientID, ClientSecret: secret},
		{Tenant: "AAAABBBB-0000-CCCC-1111-DDDD2222EEEE", ClientID: clientID, ClientSecret: secret},
		{Tenant: "contoso.onmicrosoft.com", ClientID: clientID, Certificate: &entra.Certificate{Certificate: good, Key: testkit.Signer{K: key}}},
		{TokenSource: src},
		{TokenSource: src, Tenant: "contoso.com", GraphURL: "graph.microsoft.us"},
		{Tenant: tenantID, ClientID: clientID, ClientSecret: secret, GraphURL: "http://127.0.0.1:8080", LoginURL: "http://localhost:8081"},
	} {
		if _, err := entra.New(cfg); err != nil {
			t.Errorf("New(%v) = %v", cfg, err)
		}
	}
}

// TestBadSubjects: a subject Entra cannot address is refused before
// sending, with no report.
func TestBadSubjects(t *testing.T) {
	tests := []struct {
		name  string
		s     revoke.Subject
		field string
		want  string
	}{
		{"iss_sub", revoke.IssSubSubject("https://login.microsoftonline.com/"+tenantID+"/v2.0", "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ"), "Subject.Format", "oid claim"},
		{"unknown format", revoke.Subject{Format: "phone_number"}, "Subject.Format", "not a format"},
		{"opaque not a GUID", revoke.OpaqueSubject("alice"), "Subject.ID", "not an object ID"},
		{"opaque UPN", revoke.OpaqueSubject(upn), "Subject.ID", "revoke.EmailSubject"},
		{"opaque path", revoke.OpaqueSubject("../me"), "Subject.ID", "'/'"},
		{"opaque empty", revoke.OpaqueSubject(""), "Subject.ID", "empty"},
		{"email with newline", revoke.EmailSubject("alice@contoso.com\n"), "Subject.Email", "white space"},
		{"not an email", revoke.EmailSubject("alice"), "Subject.Email", "not an email"},
		{"guest UPN", revoke.EmailSubject("bob_fabrikam.com#EXT#@contoso.onmicrosoft.com"), "Subject.Email", "home tenant"},
		{"dollar UPN", revoke.EmailSubject("$admin@contoso.com"), "Subject.Email", "'$'"},
		{"UPN with slash", revoke.EmailSubject("a/b@contoso.com"), "Subject.Email", "'/'"},
		{"UPN with percent", revoke.EmailSubject("a%2f@contoso.com"), "Subject.Email", "'%'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			rep, err := newGraph(t, ep).RevokeSubject(context.Background(), tt.s)
			if rep != nil {
				t.Errorf("RevokeSubject reported %+v; want no report", rep)
			}
			testkit.WantRefused(t, ep, err, tt.field, tt.want, revoke.ErrInvalidRequest)
		})
	}
	for _, user := range []string{"", "..", "me", "alice", "alice@", "@contoso.com", "a?b@contoso.com", objectID + "/x", "bob_fabrikam.com#EXT#@contoso.onmicrosoft.com", strings.Repeat("a", 300) + "@x.com"} {
		ep := testkit.NewEndpoint()
		_, err := newGraph(t, ep).RevokeSignInSessions(context.Background(), user)
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) || !strings.HasPrefix(ce.Field, "entra.Graph.RevokeSignInSessions: user") {
			t.Errorf("RevokeSignInSessions(%q) = %v, want a ConfigError on the user", user, err)
		}
		if len(ep.Requests()) != 0 {
			t.Errorf("RevokeSignInSessions(%q) sent a request", user)
		}
	}
}

// TestZeroValues: zero values, nil pointers and nil contexts never panic.
func TestZeroValues(t *testing.T) {
	ctx := context.Background()
	var nilGraph *entra.Graph
	var zero entra.Graph
	var nilSrc *entra.TokenSource
	var zeroSrc entra.TokenSource
	for name, g := range map[string]*entra.Graph{"nil": nilGraph, "zero": &zero} {
		if _, err := g.RevokeSubject(ctx, revoke.OpaqueSubject(objectID)); !isConfig(err) {
			t.Errorf("%s Graph RevokeSubject = %v", name, err)
		}
		if _, err := g.RevokeSignInSessions(ctx, objectID); !isConfig(err) {
			t.Errorf("%s Graph RevokeSignInSessions = %v", name, err)
		}
		if g.Endpoint() != "" || g.TokenSource() != nil {
			t.Errorf("%s Graph has an endpoint or a source", name)
		}
	}
	for name, s := range map[string]*entra.TokenSource{"nil": nilSrc, "zero": &zeroSrc} {
		if _, err := s.Token(); !isConfig(err) {
			t.Errorf("%s TokenSource Token = %v", name, err)
		}
		if s.TokenURL() != "" {
			t.Errorf("%s TokenSource has a URL", name)
		}
	}
	ep := testkit.NewEndpoint()
	g := newGraph(t, ep)
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := g.RevokeSubject(nil, revoke.OpaqueSubject(objectID)); !isConfig(err) { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context RevokeSubject = %v", err)
	}
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := g.RevokeSignInSessions(nil, objectID); !isConfig(err) { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context RevokeSignInSessions = %v", err)
	}
	src, err := entra.NewTokenSource(entra.TokenConfig{Tenant: tenantID, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1012 a nil context is what this test passes
	if _, err := src.TokenContext(nil); !isConfig(err) { //nolint:staticcheck // testing a nil context
		t.Errorf("nil context TokenContext = %v", err)
	}
	if len(ep.Requests()) != 0 {
		t.Error("a request was sent")
	}
	if _, err := entra.NewTokenSource(entra.TokenConfig{}); !isConfig(err) {
		t.Errorf("NewTokenSource(zero) = %v", err)
	}
}

func isConfig(err error) bool {
	var ce *revoke.ConfigError
	return errors.As(err, &ce)
}
