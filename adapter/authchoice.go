package adapter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/revokekit/revoke"
)

// AuthRules are what a vendor's revocation endpoint accepts as client
// authentication, for Client.ChooseAuth: the vendor's facts, written once
// in its adapter as data. The zero value accepts any method, resolves
// revoke.ClientCredentials against the server's list with RFC 8414's
// default when there is none, and checks explicit methods against nothing
// but their own validity. It holds no secret.
type AuthRules struct {
	// Vendor names the server in errors, e.g. "Hydra"; "" means "the
	// server".
	Vendor string
	// Methods are the RFC 8414 method names the vendor authenticates
	// clients with at all; nil means any. A method outside it is refused,
	// with Advice.
	Methods []string
	// Advice ends the error refusing a method outside Methods, e.g. "use
	// revoke.ClientSecretBasic or revoke.PrivateKeyJWT, as the client's
	// registration says".
	Advice string
	// Refused maps a method the vendor cannot take (revoke.MethodNoClientAuth,
	// revoke.MethodClientSecretJWT, …) to the whole problem refusing it: the
	// vendor's reason and the fix. It is checked before Methods.
	Refused map[string]string
	// DecodesBasic says the server form-decodes Basic credentials, as
	// RFC 6749 §2.3.1 specifies: revoke.ClientSecretBasicRaw, which sends
	// them unencoded, is then refused, since a secret holding '%' or '+'
	// would not match.
	DecodesBasic bool
	// Credentials are the methods revoke.ClientCredentials may resolve to,
	// and stand in for the server's list when it has none: the vendor's
	// facts. nil means what RFC 8414 §2 says: with a list, any of
	// client_secret_basic, client_secret_post and client_secret_jwt it
	// names; without one, client_secret_basic, the default of
	// revocation_endpoint_auth_methods_supported.
	Credentials []string
	// CheckListed makes the server's list bind an explicit method too: when
	// the server lists any methods, one it does not list is refused (RFC
	// 8414 §2 revocation_endpoint_auth_methods_supported; the RFC 8705 §2
	// methods tls_client_auth and self_signed_tls_client_auth are listed
	// like any other), with ListAdvice. A server that lists none is
	// not checked: RFC 8414's default, client_secret_basic, says what to
	// choose, not what else the server takes. revoke.PublicClient (none)
	// and revoke.NoClientAuth are never checked against the list: they
	// present no credentials (RFC 6749 §2.1), and servers that take public
	// clients at their revocation endpoint need not list "none" (Keycloak
	// lists only its client authenticators). Leave it off for a vendor
	// whose Methods and Refused already say what works and whose list is
	// borrowed or incomplete.
	CheckListed bool
	// ListAdvice ends the error refusing an explicit method the server
	// does not list, e.g. "if the server accepts it regardless, use
	// generic.New with the endpoint".
	ListAdvice string
}

// credentialsChoices are the methods revoke.ClientCredentials can resolve
// to, in its order of preference.
var credentialsChoices = []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodClientSecretJWT}

// ChooseAuth checks a client authentication against the vendor's rules and
// the server's list, and returns the one to send, as CheckAuth does (a
// valid value, a TLS method's transport prepared). field names the
// configuration field in errors, e.g. "hydra.Config.Auth". listed is what
// the server's metadata lists for its revocation endpoint (RFC 8414 §2
// revocation_endpoint_auth_methods_supported, or a list the adapter
// documents standing in for it), or nil when there is no metadata or it
// lists nothing.
//
// revoke.ClientCredentials resolves, as its documentation says, among
// rules.Credentials that the server lists and the vendor accepts (see
// AuthRules.Credentials for nil): client_secret_basic, unless RFC 6749
// §2.3.1 form-encoding would change the ID or secret and
// client_secret_post is a candidate; then client_secret_post; then
// client_secret_jwt. No candidate is a *revoke.ConfigError naming the
// methods the server lists.
//
// An explicit method is refused, in this order, when rules.Refused names
// it; when it is revoke.ClientSecretBasicRaw and rules.DecodesBasic is set;
// when rules.Methods is set and does not hold it; when rules.CheckListed is
// set and listed is not empty and does not hold it (see
// AuthRules.CheckListed). Every error is a *revoke.ConfigError on field
// (followed by the value's kind for the value's own mistake, as CheckAuth
// reports it) that repeats no secret.
func (c *Client) ChooseAuth(field string, a revoke.ClientAuth, rules AuthRules, listed []string) (revoke.ClientAuth, error) {
	info := DescribeAuth(a)
	m := info.Method
	if m == "" {
		// revoke.ClientCredentials, or nil or a foreign value, which
		// CheckAuth refuses.
		candidates := rules.credentials(listed)
		if len(candidates) == 0 {
			if _, err := c.CheckAuth(field, a, nil); err != nil {
				return nil, err
			}
			return nil, rules.noCredentials(field, listed)
		}
		return c.CheckAuth(field, a, candidates)
	}
	if problem, ok := rules.Refused[m]; ok {
		return nil, &revoke.ConfigError{Field: field, Problem: problem}
	}
	if m == revoke.MethodClientSecretBasic && info.RawBasic && rules.DecodesBasic {
		return nil, &revoke.ConfigError{Field: field, Problem: "revoke.ClientSecretBasicRaw sends the credentials unencoded, but " + rules.vendor() +
			" form-decodes Basic credentials (RFC 6749 §2.3.1), so a secret holding '%' or '+' would not match: use revoke.ClientSecretBasic"}
	}
	if rules.Methods != nil && !slices.Contains(rules.Methods, m) {
		return nil, &revoke.ConfigError{Field: field, Problem: joinAdvice(fmt.Sprintf("method %q is not one %s authenticates clients with", m, rules.vendor()), ": ", rules.Advice)}
	}
	if rules.CheckListed && len(listed) > 0 && m != revoke.MethodNone && m != revoke.MethodNoClientAuth && !slices.Contains(listed, m) {
		return nil, &revoke.ConfigError{Field: field, Problem: joinAdvice(fmt.Sprintf("method %q is not one %s lists for its revocation endpoint (revocation_endpoint_auth_methods_supported %q, RFC 8414 §2): configure the client's method as one of those, as the client is registered",
			m, rules.vendor(), listed), "; ", rules.ListAdvice)}
	}
	return c.CheckAuth(field, a, nil)
}

// credentials returns the methods revoke.ClientCredentials may resolve to
// at a server listing listed.
func (r AuthRules) credentials(listed []string) []string {
	from := r.Credentials
	switch {
	case len(listed) == 0 && from == nil:
		from = []string{revoke.MethodClientSecretBasic} // RFC 8414 §2's default
	case len(listed) == 0:
	case from == nil:
		from = credentialsChoices
	}
	var out []string
	for _, m := range from {
		if (len(listed) == 0 || slices.Contains(listed, m)) && (r.Methods == nil || slices.Contains(r.Methods, m)) {
			out = append(out, m)
		}
	}
	return out
}

func (r AuthRules) noCredentials(field string, listed []string) error {
	want := r.Credentials
	if want == nil {
		want = credentialsChoices
	}
	return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s supports none of %s for revocation (its metadata lists %q), so revoke.ClientCredentials cannot be used: configure the client's own method, e.g. revoke.PrivateKeyJWT",
		r.vendor(), strings.Join(want, ", "), listed)}
}

func (r AuthRules) vendor() string {
	if r.Vendor == "" {
		return "the server"
	}
	return r.Vendor
}

// joinAdvice ends a problem with the advice, when there is any.
func joinAdvice(problem, sep, advice string) string {
	if advice == "" {
		return problem
	}
	return problem + sep + advice
}
