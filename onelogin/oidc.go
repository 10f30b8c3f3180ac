package onelogin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// OIDCConfig configures an OIDCRevoker for end-user tokens issued to a
// OneLogin OpenID Connect app
// (https://developers.onelogin.com/openid-connect/api/revoke-token).
//
// Auth holds a secret: printing an OIDCConfig with any fmt verb, logging it
// with slog or marshalling it to JSON shows only the method and client ID.
type OIDCConfig struct {
	// Subdomain is your OneLogin subdomain: "acme" for
	// https://acme.onelogin.com. Set exactly one of Subdomain and BaseURL.
	Subdomain string
	// BaseURL is the host, or the scheme and host (and any path prefix), to
	// call instead of https://<Subdomain>.onelogin.com. The SDK appends
	// /oidc/2/token/revocation.
	BaseURL string
	// Auth must match the app's Token Endpoint Authentication Method:
	//   - Basic: revoke.ClientSecretBasic(id, secret) (or
	//     revoke.ClientSecretBasicRaw; OneLogin documents
	//     base64("clientId:clientSecret"), and for its hexadecimal
	//     credentials both give the same header);
	//   - POST: revoke.ClientSecretPost(id, secret);
	//   - None (PKCE): revoke.PublicClient(id).
	// revoke.ClientCredentials means Basic. JWT client assertions, mutual
	// TLS and revoke.NoClientAuth are not offered by OneLogin and are
	// refused by NewOIDC. Credentials are never sent both in the header and
	// in the body, which OneLogin refuses.
	Auth revoke.ClientAuth
	// AlreadyRevokedOK reports OneLogin's 400 unsupported_token_type answer
	// as success, with Result.AlreadyInvalid set, instead of
	// revoke.ErrUnsupportedTokenType. OneLogin sends it for a token that is
	// unknown or already revoked ("The token may already have been
	// revoked"), where RFC 7009 §2.2 would answer 200, and it accepts both
	// token types, so the answer means "this token does not work". Set it
	// when revocation should be idempotent: revoke.RevokeToken, for one,
	// revokes the refresh token first, which takes the access token with
	// it, so OneLogin then answers unsupported_token_type for the access
	// token.
	AlreadyRevokedOK bool
}

// authText renders a ClientAuth by method and client ID only.
func authText(a revoke.ClientAuth) string {
	if a == nil {
		return "<nil>"
	}
	info := adapter.DescribeAuth(a)
	m := info.Method
	if m == "" {
		m = "client_credentials"
	}
	return m + " " + strconv.Quote(info.ClientID)
}

// fields is what an OIDCConfig prints: the client authentication shows as
// its method and client ID only, never its secret. A nil *OIDCConfig has
// none.
func (c *OIDCConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Subdomain", strconv.Quote(c.Subdomain)},
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Auth", authText(c.Auth)},
		{"AlreadyRevokedOK", strconv.FormatBool(c.AlreadyRevokedOK)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client authentication prints as its method and client ID only.
func (c OIDCConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "onelogin.OIDCConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *OIDCConfig logs as an empty group.
func (c *OIDCConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c OIDCConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// OIDCRevoker revokes end-user access and refresh tokens issued to a
// OneLogin OpenID Connect app, through the RFC 7009 endpoint
// POST /oidc/2/token/revocation. It is safe for concurrent use; create one
// and share it.
//
// https://developers.onelogin.com/openid-connect/api/revoke-token
type OIDCRevoker struct {
	c                *adapter.Client
	rv               adapter.Revocation
	alreadyRevokedOK bool
}

var _ revoke.Revoker = (*OIDCRevoker)(nil)

const opOIDC = "onelogin oidc revoke"

// oidcMethods are the Token Endpoint Authentication Methods of a OneLogin
// OpenID Connect app.
var oidcMethods = []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone}

// NewOIDC validates cfg and opts and returns an OIDCRevoker. Mistakes (no or
// both of Subdomain and BaseURL, a subdomain that is not a DNS label, a
// BaseURL with user info, a nil or incomplete Auth, a client ID or secret
// that is empty, padded, white space only or holds a control character, a
// method OneLogin does not offer) are *revoke.ConfigError values naming the
// field. The endpoint is
// https://developers.onelogin.com/openid-connect/api/revoke-token.
func NewOIDC(cfg OIDCConfig, opts ...revoke.Option) (*OIDCRevoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := resolveBase(c, "onelogin.OIDCConfig", cfg.Subdomain, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	const field = "onelogin.OIDCConfig.Auth"
	if cfg.Auth == nil {
		return nil, &revoke.ConfigError{Field: field, Problem: "is nil: pass the app's Token Endpoint Authentication Method: revoke.ClientSecretBasic(id, secret) for Basic, revoke.ClientSecretPost(id, secret) for POST, or revoke.PublicClient(id) for None (PKCE)"}
	}
	methods := oidcMethods
	switch m := adapter.DescribeAuth(cfg.Auth).Method; m {
	case "":
		methods = []string{revoke.MethodClientSecretBasic} // ClientCredentials means Basic
	case revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone:
	default:
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("OneLogin OpenID Connect apps authenticate with Basic, POST or None (PKCE), not %s: use revoke.ClientSecretBasic, revoke.ClientSecretPost or revoke.PublicClient", m)}
	}
	auth, err := c.CheckAuth(field, cfg.Auth, methods)
	if err != nil {
		return nil, err
	}
	return &OIDCRevoker{
		c: c,
		rv: adapter.Revocation{
			Op:    opOIDC,
			URL:   adapter.JoinPath(base, OIDCRevokePath),
			Auth:  auth,
			Hints: []revoke.TokenTypeHint{revoke.HintAccessToken, revoke.HintRefreshToken},
			Check: oidcCheck(cfg.AlreadyRevokedOK),
		},
		alreadyRevokedOK: cfg.AlreadyRevokedOK,
	}, nil
}

// oidcCheck judges a final answer of /oidc/2/token/revocation: 2xx is
// success (RFC 7009 §2.2); OneLogin's unsupported_token_type, which it also
// sends for an unknown or already revoked token, is reported as
// AlreadyInvalid when alreadyRevokedOK is set, and otherwise keeps its
// sentinel with a note. The profile maps 401 invalid_request to
// revoke.ErrInvalidClient.
func oidcCheck(alreadyRevokedOK bool) func(*adapter.Response) error {
	return func(r *adapter.Response) error {
		if r.StatusCode >= 200 && r.StatusCode <= 299 {
			return nil
		}
		e := r.Fail()
		if e.Kind == revoke.ErrUnsupportedTokenType {
			if alreadyRevokedOK && r.StatusCode == http.StatusBadRequest {
				return adapter.AlreadyInvalid
			}
			e.Description = joinText(e.Description, alreadyRevokedNote)
		}
		return e
	}
}

// Endpoint returns the revocation URL in use, <base>/oidc/2/token/revocation
// (https://developers.onelogin.com/openid-connect/api/revoke-token), or ""
// for an OIDCRevoker not built by NewOIDC.
func (r *OIDCRevoker) Endpoint() string {
	if r == nil || r.rv.URL == nil {
		return ""
	}
	return r.rv.URL.String()
}

// AuthMethod returns the client authentication method in use:
// "client_secret_basic", "client_secret_post" or "none", the RFC 8414 names
// of the Token Endpoint Authentication Methods OneLogin offers
// (https://developers.onelogin.com/openid-connect/api/revoke-token), or ""
// for an OIDCRevoker not built by NewOIDC.
func (r *OIDCRevoker) AuthMethod() string {
	if r == nil || r.rv.Auth == nil {
		return ""
	}
	return adapter.DescribeAuth(r.rv.Auth).Method
}

// Revoke sends an RFC 7009 §2.1 revocation
// (https://developers.onelogin.com/openid-connect/api/revoke-token):
//
//	POST /oidc/2/token/revocation
//	Content-Type: application/x-www-form-urlencoded
//	Accept: application/json
//
//	token=<req.Token>&token_type_hint=<req.Hint>   (+ client_id[, client_secret] for POST / None)
//
// with the configured client authentication. req.Hint may be empty,
// revoke.HintAccessToken or revoke.HintRefreshToken, the two values OneLogin
// accepts; any other is refused before sending. Revoking an access token
// invalidates only that token; revoking a refresh token invalidates "all of
// the related tokens". Extra req.Params are sent as given (OneLogin
// documents none) and may not override token, token_type_hint or client
// credentials, in any letter case.
//
// Success is HTTP 2xx. Errors are *revoke.Error values matching, with
// errors.Is:
//   - revoke.ErrUnsupportedTokenType for 400 unsupported_token_type, which
//     OneLogin documents as "The token may already have been revoked": it
//     answers it for a token that is unknown or already revoked, not only
//     for an unsupported type. With OIDCConfig.AlreadyRevokedOK it is a
//     success with Result.AlreadyInvalid set instead.
//   - revoke.ErrInvalidClient for 401 answers, which OneLogin sends with the
//     non-standard error "invalid_request" ("invalid authorization header
//     value format", "Authentication Failed", "Access is unauthorized").
//   - revoke.ErrInvalidRequest for other 400 invalid_request answers, and
//     the shared sentinels for rate limiting, unavailability, server errors
//     and unexpected bodies.
func (r *OIDCRevoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.c == nil || r.rv.URL == nil {
		return nil, &revoke.ConfigError{Field: "onelogin.OIDCRevoker", Problem: "is not initialised: build it with onelogin.NewOIDC", Kind: revoke.ErrInvalidRequest}
	}
	return r.c.Revoke(ctx, &r.rv, req)
}

// fields is what an OIDCRevoker prints: the client authentication shows as
// its method and client ID only, never its secret. A nil *OIDCRevoker has
// none.
func (r *OIDCRevoker) fields() adapter.Fields {
	if r == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(redact.URL(r.Endpoint()))},
		{"Auth", authText(r.rv.Auth)},
		{"AlreadyRevokedOK", strconv.FormatBool(r.alreadyRevokedOK)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client authentication prints as its method and client ID only.
func (r OIDCRevoker) Format(f fmt.State, verb rune) {
	r.fields().Print(f, verb, "onelogin.OIDCRevoker")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *OIDCRevoker logs as an empty group.
func (r *OIDCRevoker) LogValue() slog.Value { return r.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (r OIDCRevoker) MarshalJSON() ([]byte, error) { return r.fields().MarshalJSON() }
