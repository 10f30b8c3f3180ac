// Package vendors is the CLI's registry of vendors: one file per vendor,
// each a small Vendor value saying which settings it reads, how to build
// its Revoker (and, where the vendor has them, its user-level revocation,
// its RFC 7662 verifier and its fake for revoke emulate). Adding a vendor
// is adding a file and its line in All.
package vendors

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/ping"
)

// Vendor is one vendor the CLI can revoke at.
type Vendor struct {
	// Name is what --vendor takes: "okta".
	Name string
	// Title is the vendor's name for people: "Okta".
	Title string
	// Docs is the vendor's documentation of its revocation endpoint.
	Docs string
	// Limits says what the vendor documents about its rate limits, the
	// ceiling of a bulk run.
	Limits string
	// Settings are the settings this vendor reads besides the common ones
	// (profile.Common).
	Settings []profile.Setting
	// Revoker builds the vendor's Revoker from the profile; nil for a
	// vendor with user-level revocation only (Entra).
	Revoker func(ctx context.Context, p *profile.Profile) (revoke.Revoker, error)
	// Verifier, when not nil, builds a check that a revoked token no longer
	// works (RFC 7662 introspection), given the Revoker built for the same
	// profile.
	Verifier func(ctx context.Context, p *profile.Profile, r revoke.Revoker) (bulk.Verifier, error)
	// Verify says, for revoke vendors, where --verify checks and what it
	// needs (with a Verifier), or why the vendor has no --verify (without
	// one; also the refusal of --verify).
	Verify string
	// Subject, when not nil, builds the vendor's user-level revocation.
	Subject func(ctx context.Context, p *profile.Profile) (revoke.SubjectRevoker, error)
	// SubjectHelp says which subject forms Subject takes.
	SubjectHelp string
	// Emulate, when not nil, starts the vendor's fake at base (the URL it
	// is served at) with a demo client and n demo token pairs.
	Emulate func(base string, n int) (*Emulation, error)
	// NoFake, when Emulate is nil, says why the vendor has no fake, for
	// revoke emulate.
	NoFake string
}

// Emulation is a vendor's fake, ready to serve, and how to point the CLI
// at it.
type Emulation struct {
	// Handler serves the fake.
	Handler http.Handler
	// Settings point a profile at the fake (vendor, domain, client_id…).
	Settings map[string]string
	// Secrets are the demo client's secrets by setting name; revoke
	// emulate writes each to a file of its own.
	Secrets map[string]string
	// Tokens are demo tokens to revoke.
	Tokens []string
	// Subject is a demo user for revoke user, "" when the vendor has no
	// user-level revocation.
	Subject string
	// Active reports whether a token still works at the fake.
	Active func(token string) bool
	// Notes add what is particular to this fake.
	Notes []string
	// NoVerify, when not empty, says why --verify does not apply to the
	// demo tokens although the fake serves introspection (OneLogin: they
	// are API credentials' tokens, which have none). Every fake of a vendor
	// with a Verifier serves its introspection endpoint; TestVerifyEveryVendor
	// holds them to it.
	NoVerify string
}

// All returns every vendor of this build, by name. Each call returns a new
// slice.
func All() []Vendor {
	vs := []Vendor{
		auth0Vendor(),
		cognitoVendor(),
		dropboxVendor(),
		entraVendor(),
		genericVendor(),
		githubVendor(),
		googleVendor(),
		hydraVendor(),
		keycloakVendor(),
		oktaVendor(),
		oneLoginVendor(),
		pingAMVendor(),
		pingFederateVendor(),
		pingOneVendor(),
		salesforceVendor(),
		slackVendor(),
		spotifyVendor(),
		wso2Vendor(),
		zitadelVendor(),
	}
	slices.SortFunc(vs, func(a, b Vendor) int { return strings.Compare(a.Name, b.Name) })
	return vs
}

// Lookup finds a vendor by name, case-insensitively.
func Lookup(name string) (Vendor, bool) {
	for _, v := range All() {
		if strings.EqualFold(v.Name, name) {
			return v, true
		}
	}
	return Vendor{}, false
}

// Suggest returns a hint for a vendor name this build lacks, ending in
// "; ", or "": Ping Identity's products are three vendors, so --vendor
// ping names them.
func Suggest(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "forgerock") || strings.Contains(n, "openam"):
		return "ForgeRock Access Management and Identity Cloud are --vendor " + string(ping.AM) + "; "
	case strings.Contains(n, "ping"):
		return "Ping Identity's authorization servers are three vendors, pick one: " + PingProducts() + "; "
	}
	return ""
}

// Names lists the vendors of this build.
func Names() []string {
	var out []string
	for _, v := range All() {
		out = append(out, v.Name)
	}
	return out
}

// Settings returns every setting any vendor reads, each once, in the
// order of first appearance, with the vendors that read it in its usage.
func Settings() []profile.Setting {
	var out []profile.Setting
	users := map[string][]string{}
	for _, v := range All() {
		for _, s := range v.Settings {
			if _, seen := users[s.Name]; !seen {
				out = append(out, s)
			}
			users[s.Name] = append(users[s.Name], v.Name)
		}
	}
	for i, s := range out {
		out[i].Usage = s.Usage + " [" + strings.Join(users[s.Name], ", ") + "]"
	}
	return out
}

// demoSecret is a random secret for a fake's demo client.
func demoSecret(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// pairs issues n token pairs with issue and lists their tokens.
func pairs(n int, issue func() (access, refresh string)) []string {
	var out []string
	for range n {
		a, r := issue()
		out = append(out, a, r)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// tokens issues n tokens with issue.
func tokens(n int, issue func() string) []string {
	out := make([]string, 0, n)
	for range n {
		out = append(out, issue())
	}
	return out
}

// bearer is an oauth2.TokenSource of one static token: an API token the
// operator got elsewhere.
func bearer(tok string) oauth2.TokenSource {
	return oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok, TokenType: "Bearer"})
}
