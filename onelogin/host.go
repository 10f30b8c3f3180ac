package onelogin

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/wire"
)

// Paths of the two revocation endpoints, relative to the OneLogin host.
const (
	// RevokePath is the API-credential token revocation endpoint
	// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
	RevokePath = "/auth/oauth2/revoke"
	// OIDCRevokePath is the OpenID Connect token revocation endpoint
	// (https://developers.onelogin.com/openid-connect/api/revoke-token).
	OIDCRevokePath = "/oidc/2/token/revocation"
)

// maxLabel is the longest DNS label (RFC 1035 §2.3.4).
const maxLabel = 63

// resolveBase turns exactly one of subdomain and base into the base URL the
// endpoint paths are appended to. prefix names the config type in errors,
// e.g. "onelogin.Config".
func resolveBase(prefix, subdomain, base string, allowInsecure bool) (*url.URL, error) {
	switch {
	case subdomain != "" && base != "":
		return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: fmt.Sprintf(
			"both Subdomain (%q) and BaseURL (%q) are set: set Subdomain for https://<subdomain>.onelogin.com, or BaseURL for a custom domain or an emulator, not both", subdomain, base)}
	case subdomain == "" && base == "":
		return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: "neither Subdomain nor BaseURL is set: set Subdomain to your OneLogin subdomain (\"acme\" for https://acme.onelogin.com), or BaseURL to a custom domain such as https://login.acme.com"}
	case subdomain != "":
		if err := checkSubdomain(subdomain); err != nil {
			return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: err.Error()}
		}
		return &url.URL{Scheme: "https", Host: strings.ToLower(subdomain) + ".onelogin.com"}, nil
	}
	field := prefix + ".BaseURL"
	u, err := wire.ValidateEndpoint(field, base, allowInsecure)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, &revoke.ConfigError{Field: field, Problem: "the URL has a query (?...): pass only the scheme, host and any path prefix, e.g. https://login.acme.com"}
	}
	p := strings.TrimRight(u.Path, "/")
	for _, ep := range [...]string{RevokePath, OIDCRevokePath} {
		if strings.HasSuffix(p, ep) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already ends with the endpoint path %s: pass the base URL only (e.g. %s); the SDK appends the path", base, ep, u.Scheme+"://"+u.Host+strings.TrimSuffix(p, ep))}
		}
	}
	return u, nil
}

// checkSubdomain reports why s is not a single DNS label (RFC 1123 §2.1:
// letters, digits and hyphens, 1 to 63 characters, no hyphen at either end).
func checkSubdomain(s string) error {
	switch {
	case strings.Contains(s, "://"):
		return fmt.Errorf("%q is a URL: put it in BaseURL, or pass only the subdomain (\"acme\" for https://acme.onelogin.com)", s)
	case strings.HasSuffix(strings.ToLower(strings.TrimRight(s, ".")), ".onelogin.com"):
		label, _, _ := strings.Cut(s, ".")
		return fmt.Errorf("%q is a host name: pass only the subdomain %q", s, label)
	case strings.Contains(s, "."):
		return fmt.Errorf("%q contains '.': a subdomain is a single DNS label; for a custom domain set BaseURL instead", s)
	case len(s) > maxLabel:
		return fmt.Errorf("%q is %d characters long: a DNS label has at most %d", s, len(s), maxLabel)
	case s[0] == '-' || s[len(s)-1] == '-':
		return fmt.Errorf("%q starts or ends with '-': a DNS label may not", s)
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("%q contains %q: a subdomain may contain only letters, digits and hyphens", s, r)
		}
	}
	return nil
}
