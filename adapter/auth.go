package adapter

import (
	"fmt"
	"slices"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/bridge"
)

// AuthInfo is what an adapter may know about a revoke.ClientAuth, without
// its secrets, so that it can check the configuration against its vendor's
// rules at construction, never by printing the value or signing a trial
// assertion.
type AuthInfo struct {
	// Method is the RFC 8414 method name, revoke.MethodNoClientAuth, or ""
	// for revoke.ClientCredentials (not chosen yet).
	Method string
	// ClientID is the client identifier.
	ClientID string
	// RawBasic is true for client_secret_basic without RFC 6749 §2.3.1
	// form-encoding (revoke.ClientSecretBasicRaw).
	RawBasic bool
	// BasicHasExtraColon is true when raw Basic credentials hold a ':'
	// besides the separator, which servers that split on ':' reject.
	BasicHasExtraColon bool
	// Audience is the client assertion audience rule the caller chose
	// (revoke.AudienceAuto when none) and AudienceValue a fixed audience,
	// for JWT methods.
	Audience      revoke.Audience
	AudienceValue string
	// MutualTLS is true for the RFC 8705 methods.
	MutualTLS bool
	// InBody is true when the credentials travel in the request body.
	InBody bool
}

// DescribeAuth returns what an adapter may know about a. A nil or foreign
// value gives the zero AuthInfo.
func DescribeAuth(a revoke.ClientAuth) AuthInfo {
	i := authInfo(a)
	return AuthInfo{Method: i.Method, ClientID: i.ClientID, RawBasic: i.RawBasic, BasicHasExtraColon: i.BasicColon,
		Audience: revoke.Audience(i.Audience), AudienceValue: i.AudienceValue, MutualTLS: i.Certificate != nil, InBody: i.Body}
}

func authInfo(a revoke.ClientAuth) bridge.AuthInfo {
	if b, ok := a.(bridge.Auth); ok {
		return b.AuthInfo()
	}
	return bridge.AuthInfo{}
}

// CheckAuth validates a client authentication for an adapter's
// constructor: it must be set and valid; revoke.ClientCredentials is
// resolved against methods (the server's supported methods, in its
// preference; nil means the RFC 8414 default, client_secret_basic); and the
// resulting method must be one of methods when methods is not nil. A TLS
// method's transport is prepared here, so that a client that cannot
// present a certificate is refused now. field names the configuration
// field in errors, e.g. "okta.Config.Auth".
func (c *Client) CheckAuth(field string, a revoke.ClientAuth, methods []string) (revoke.ClientAuth, error) {
	if a == nil {
		return nil, &revoke.ConfigError{Field: field, Problem: "is nil: pass the client's authentication, e.g. revoke.ClientSecretBasic(id, secret), or revoke.PublicClient(id) for a public client"}
	}
	b, ok := a.(bridge.Auth)
	if !ok {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%T is not a client authentication built by the revoke package: use revoke.ClientSecretBasic, revoke.PrivateKeyJWT, …", a)}
	}
	if err := a.Validate(); err != nil {
		return nil, nameField(field, err)
	}
	chosen, err := b.Choose(methods)
	if err != nil {
		return nil, nameField(field, err)
	}
	a = chosen.(revoke.ClientAuth)
	if methods != nil && !slices.Contains(methods, a.Method()) {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("method %q is not one this server accepts here: use one of %v", a.Method(), methods)}
	}
	if _, err := c.clientFor(a); err != nil {
		return nil, err
	}
	return a, nil
}

// nameField prefixes a ClientAuth's own configuration error with the
// adapter's field.
func nameField(field string, err error) error {
	if ce, ok := err.(*revoke.ConfigError); ok {
		return &revoke.ConfigError{Field: field + " (" + ce.Field + ")", Problem: ce.Problem, Kind: ce.Kind}
	}
	return &revoke.ConfigError{Field: field, Problem: err.Error()}
}
