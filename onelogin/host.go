package onelogin

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// Paths of the two revocation endpoints, relative to the OneLogin host.
const (
	// RevokePath is the API-credential token revocation endpoint
	// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
	RevokePath = "/auth/oauth2/revoke"
	// OIDCRevokePath is the OpenID Connect token revocation endpoint
	// (https://developers.onelogin.com/openid-connect/api/revoke-token).
	OIDCRevokePath = "/oidc/2/token/revocation"
	// TokenPath is the API access token endpoint, Generate Tokens v2
	// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
	TokenPath = "/auth/oauth2/v2/token"
	// UsersV1Path is the v1 users resource; a user's logout is
	// UsersV1Path/{id}/logout
	// (https://developers.onelogin.com/api-docs/1/users/log-user-out).
	UsersV1Path = "/api/1/users"
	// UsersV2Path is the v2 users resource, listed and filtered with GET
	// (https://developers.onelogin.com/api-docs/2/users/list-users).
	UsersV2Path = "/api/2/users"
)

// maxLabel is the longest DNS label (RFC 1035 §2.3.4).
const maxLabel = 63

// resolveBase turns exactly one of subdomain and base into the base URL the
// endpoint paths are appended to. prefix names the config type in errors,
// e.g. "onelogin.Config". No error repeats a value that could hold a
// credential: a URL's user info, or anything written with '@'.
func resolveBase(c *adapter.Client, prefix, subdomain, base string) (*url.URL, error) {
	switch {
	case subdomain != "" && base != "":
		return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: "both Subdomain and BaseURL are set: set Subdomain for https://<subdomain>.onelogin.com, or BaseURL for a custom domain or an emulator, not both"}
	case subdomain == "" && base == "":
		return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: "neither Subdomain nor BaseURL is set: set Subdomain to your OneLogin subdomain (\"acme\" for https://acme.onelogin.com), or BaseURL to a custom domain such as https://login.acme.com"}
	case subdomain != "":
		if err := checkSubdomain(subdomain); err != nil {
			return nil, &revoke.ConfigError{Field: prefix + ".Subdomain", Problem: err.Error()}
		}
		return &url.URL{Scheme: "https", Host: strings.ToLower(subdomain) + ".onelogin.com"}, nil
	}
	field := prefix + ".BaseURL"
	if strings.Contains(base, "@") {
		// Refused before parsing, so that no parser error can repeat a
		// password, however it is written.
		return nil, &revoke.ConfigError{Field: field, Problem: "contains '@' (user info, i.e. credentials, in the URL): pass only the scheme, host and any path prefix, e.g. https://login.acme.com; credentials go in ClientID and ClientSecret, or OIDCConfig.Auth"}
	}
	u, err := c.BaseURL(field, base)
	if err != nil {
		return nil, err
	}
	for _, ep := range [...]string{RevokePath, OIDCRevokePath, TokenPath, UsersV1Path, UsersV2Path, "/api/1", "/api/2"} {
		if strings.HasSuffix(u.Path, ep) {
			return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("already ends with the endpoint path %s: pass the base URL only (e.g. %s); the SDK appends the path", ep, u.Scheme+"://"+u.Host+strings.TrimSuffix(u.Path, ep))}
		}
	}
	return u, nil
}

// checkSubdomain reports why s is not a single DNS label (RFC 1123 §2.1:
// letters, digits and hyphens, 1 to 63 characters, no hyphen at either end).
// It repeats s only once s is known to hold no user info and no URL.
func checkSubdomain(s string) error {
	switch {
	case strings.Contains(s, "@"):
		return errors.New("contains '@' (user info, i.e. credentials?): pass only the subdomain, \"acme\" for https://acme.onelogin.com; credentials go in ClientID and ClientSecret, or OIDCConfig.Auth")
	case strings.Contains(s, "://") || strings.HasPrefix(s, "//"):
		return errors.New("is a URL: put it in BaseURL, or pass only the subdomain (\"acme\" for https://acme.onelogin.com)")
	case strings.HasSuffix(strings.ToLower(strings.TrimRight(s, ".")), ".onelogin.com"):
		label, _, _ := strings.Cut(s, ".")
		return fmt.Errorf("%s is a host name: pass only the subdomain %s", quote(s), quote(label))
	case strings.Contains(s, "."):
		return fmt.Errorf("%s contains '.': a subdomain is a single DNS label; for a custom domain set BaseURL instead", quote(s))
	case len(s) > maxLabel:
		return fmt.Errorf("is %d characters long: a DNS label has at most %d", len(s), maxLabel)
	case s[0] == '-' || s[len(s)-1] == '-':
		return fmt.Errorf("%s starts or ends with '-': a DNS label may not", quote(s))
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("%s contains %q: a subdomain may contain only letters, digits and hyphens", quote(s), r)
		}
	}
	return nil
}

// maxQuoted bounds a configuration value repeated in an error.
const maxQuoted = 100

// quote repeats a caller's value in an error, quoted (control characters
// escaped) and bounded.
func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("(a value of %d bytes)", len(s))
	}
	return strconv.Quote(s)
}
