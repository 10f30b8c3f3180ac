package onelogin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
)

// OIDCConfig configures an OIDCRevoker for end-user tokens issued to a
// OneLogin OpenID Connect app.
type OIDCConfig struct {
	// Subdomain is your OneLogin subdomain: "acme" for
	// https://acme.onelogin.com. Set exactly one of Subdomain and BaseURL.
	Subdomain string
	// BaseURL is the scheme and host (and any path prefix) to call instead
	// of https://<Subdomain>.onelogin.com. The SDK appends
	// /oidc/2/token/revocation.
	BaseURL string
	// Auth must match the app's Token Endpoint Authentication Method:
	//   - Basic: revoke.ClientSecretBasic(id, secret) (or
	//     revoke.ClientSecretBasicRaw; OneLogin documents
	//     base64("clientId:clientSecret"), and for its hexadecimal
	//     credentials both give the same header);
	//   - POST: revoke.ClientSecretPost(id, secret);
	//   - None (PKCE): revoke.PublicClient(id).
	// revoke.ClientCredentials means Basic. JWT client assertions are not
	// offered by OneLogin and are rejected by NewOIDC. Credentials are never
	// sent both in the header and in the body, which OneLogin refuses.
	Auth revoke.ClientAuth
	// AlreadyRevokedOK reports OneLogin's 400 unsupported_token_type answer
	// as success instead of revoke.ErrUnsupportedTokenType. OneLogin sends
	// it for a token that is unknown or already revoked ("The token may
	// already have been revoked"), where RFC 7009 §2.2 would answer 200, and
	// it accepts both token types, so the answer means "this token does not
	// work". Set it when revocation should be idempotent: revoke.RevokeToken,
	// for one, revokes the refresh token first, which takes the access token
	// with it, so OneLogin then answers unsupported_token_type for the access
	// token. The Result of such a call has StatusCode 400 and a
	// Vendor.Message saying so.
	AlreadyRevokedOK bool
}

// Format implements fmt.Formatter: the client authentication prints as its
// method and client ID only, never its secret.
func (c OIDCConfig) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "onelogin.OIDCConfig", [][2]string{
		{"Subdomain", strconv.Quote(c.Subdomain)},
		{"BaseURL", strconv.Quote(c.BaseURL)},
		{"Auth", describeAuth(c.Auth)},
		{"AlreadyRevokedOK", strconv.FormatBool(c.AlreadyRevokedOK)},
	})
}

// LogValue implements slog.LogValuer without secrets.
func (c OIDCConfig) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subdomain", c.Subdomain), slog.String("base_url", c.BaseURL), slog.String("auth", describeAuth(c.Auth)))
}

// describeAuth renders a ClientAuth by method and client ID only, so that a
// caller's own ClientAuth implementation cannot leak through printing.
func describeAuth(a revoke.ClientAuth) string {
	if a == nil {
		return "<nil>"
	}
	m := a.Method()
	if m == "" {
		m = "client credentials"
	}
	return m + " " + strconv.Quote(a.ClientID())
}

// OIDCRevoker revokes end-user access and refresh tokens issued to a
// OneLogin OpenID Connect app, through the RFC 7009 endpoint
// POST /oidc/2/token/revocation. It is safe for concurrent use.
//
// https://developers.onelogin.com/openid-connect/api/revoke-token
type OIDCRevoker struct {
	client           *wire.Client
	form             wire.FormRevocation
	alreadyRevokedOK bool
}

var _ revoke.Revoker = (*OIDCRevoker)(nil)

const opOIDC = "onelogin oidc revoke"

// NewOIDC validates cfg and opts and returns an OIDCRevoker. Mistakes (no or
// both of Subdomain and BaseURL, a subdomain that is not a DNS label, a nil
// or incomplete Auth, a method OneLogin does not offer) are
// *revoke.ConfigError values naming the field.
func NewOIDC(cfg OIDCConfig, opts ...revoke.Option) (*OIDCRevoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := resolveBase("onelogin.OIDCConfig", cfg.Subdomain, cfg.BaseURL, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	const field = "onelogin.OIDCConfig.Auth"
	if cfg.Auth == nil {
		return nil, &revoke.ConfigError{Field: field, Problem: "is nil: pass the app's Token Endpoint Authentication Method: revoke.ClientSecretBasic(id, secret) for Basic, revoke.ClientSecretPost(id, secret) for POST, or revoke.PublicClient(id) for None (PKCE)"}
	}
	if err := cfg.Auth.Validate(); err != nil {
		return nil, wrapAuthError(field, err)
	}
	auth, err := revoke.ChooseAuth(cfg.Auth, []string{revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost})
	if err != nil {
		return nil, wrapAuthError(field, err)
	}
	switch auth.Method() {
	case revoke.MethodClientSecretBasic, revoke.MethodClientSecretPost, revoke.MethodNone:
	default:
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("OneLogin OpenID Connect apps authenticate with Basic, POST or None (PKCE), not %s: use revoke.ClientSecretBasic, revoke.ClientSecretPost or revoke.PublicClient", auth.Method())}
	}
	return &OIDCRevoker{
		client: wire.New(o),
		form: wire.FormRevocation{
			Op:       opOIDC,
			URL:      wire.JoinPath(base, OIDCRevokePath),
			Auth:     auth,
			Classify: classifyOIDC,
		},
		alreadyRevokedOK: cfg.AlreadyRevokedOK,
	}, nil
}

// wrapAuthError names the config field in a ClientAuth's own error.
func wrapAuthError(field string, err error) error {
	var ce *revoke.ConfigError
	if errors.As(err, &ce) {
		return &revoke.ConfigError{Field: field + " (" + ce.Field + ")", Problem: ce.Problem, Kind: ce.Kind}
	}
	return &revoke.ConfigError{Field: field, Problem: err.Error()}
}

// alreadyRevokedNote is added to OneLogin's unsupported_token_type answer.
const alreadyRevokedNote = "(OneLogin answers unsupported_token_type also when the token was already revoked or is unknown)"

// classifyOIDC applies OneLogin's deviations from RFC 6749 §5.2: a failed
// client authentication is 401 with error "invalid_request" (not
// "invalid_client"), and unsupported_token_type doubles as "already
// revoked".
func classifyOIDC(e *revoke.Error, _ http.Header) {
	switch {
	case e.StatusCode == http.StatusUnauthorized && e.Code == "invalid_request":
		e.Kind = revoke.ErrInvalidClient
	case e.Kind == revoke.ErrUnsupportedTokenType:
		e.Description = joinText(e.Description, alreadyRevokedNote)
	}
}

// Endpoint returns the revocation URL in use.
func (r *OIDCRevoker) Endpoint() string { return r.form.URL.String() }

// AuthMethod returns the client authentication method in use:
// "client_secret_basic", "client_secret_post" or "none".
func (r *OIDCRevoker) AuthMethod() string { return r.form.Auth.Method() }

// Revoke sends an RFC 7009 §2.1 revocation:
//
//	POST /oidc/2/token/revocation
//	Content-Type: application/x-www-form-urlencoded
//
//	token=<req.Token>&token_type_hint=<req.Hint>   (+ client_id[, client_secret] for POST / None)
//
// with the configured client authentication. req.Hint may be empty,
// revoke.HintAccessToken or revoke.HintRefreshToken, the two values OneLogin
// accepts. Revoking an access token invalidates only that token; revoking a
// refresh token invalidates "all of the related tokens". Extra req.Params
// are sent as given (OneLogin documents none) and may not override token,
// token_type_hint or client credentials.
//
// Success is HTTP 200. Errors are *revoke.Error values matching, with
// errors.Is:
//   - revoke.ErrUnsupportedTokenType for 400 unsupported_token_type, which
//     OneLogin documents as "The token may already have been revoked": it
//     answers it for a token that is unknown or already revoked, not only
//     for an unsupported type. Callers making logout idempotent may treat it
//     as "the token no longer works" — it does not, either way — or set
//     OIDCConfig.AlreadyRevokedOK to have Revoke do so.
//   - revoke.ErrInvalidClient for 401 answers, which OneLogin sends with the
//     non-standard error "invalid_request" ("invalid authorization header
//     value format", "Authentication Failed", "Access is unauthorized").
//   - revoke.ErrInvalidRequest for other 400 invalid_request answers, and
//     the shared sentinels for rate limiting, unavailability and unexpected
//     bodies.
func (r *OIDCRevoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken:
	default:
		if err := req.Hint.Validate(); err != nil {
			return nil, err
		}
		return nil, &revoke.ConfigError{Field: opOIDC + ": Request.Hint", Problem: fmt.Sprintf("OneLogin accepts token_type_hint access_token or refresh_token, not %q: use revoke.HintAccessToken, revoke.HintRefreshToken or leave it empty", string(req.Hint))}
	}
	resp, err := r.client.RevokeForm(ctx, &r.form, req)
	var re *revoke.Error
	if err != nil && r.alreadyRevokedOK && errors.Is(err, revoke.ErrUnsupportedTokenType) && errors.As(err, &re) {
		return &revoke.Result{StatusCode: re.StatusCode, Attempts: re.Attempts, Vendor: revoke.VendorInfo{Message: alreadyRevokedMessage}}, nil
	}
	if err != nil {
		return nil, err
	}
	return wire.Result(resp), nil
}

// alreadyRevokedMessage is Result.Vendor.Message when AlreadyRevokedOK
// turned unsupported_token_type into success.
const alreadyRevokedMessage = "unsupported_token_type: the token is unknown or was already revoked (reported as success: AlreadyRevokedOK)"

// Format implements fmt.Formatter: every verb prints the OIDCRevoker with
// its client authentication reduced to method and client ID.
func (r OIDCRevoker) Format(f fmt.State, verb rune) {
	endpoint := ""
	if r.form.URL != nil {
		endpoint = r.form.URL.String()
	}
	redact.Format(f, verb, "onelogin.OIDCRevoker", [][2]string{
		{"Endpoint", strconv.Quote(endpoint)},
		{"Auth", describeAuth(r.form.Auth)},
	})
}

// LogValue implements slog.LogValuer without secrets.
func (r OIDCRevoker) LogValue() slog.Value {
	endpoint := ""
	if r.form.URL != nil {
		endpoint = r.form.URL.String()
	}
	return slog.GroupValue(slog.String("endpoint", endpoint), slog.String("auth", describeAuth(r.form.Auth)))
}
