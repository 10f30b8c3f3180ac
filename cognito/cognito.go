package cognito

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// Config configures a Revoker for a user pool's hosted revocation endpoint,
// /oauth2/revoke
// (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html).
//
// Config holds a secret: every fmt verb, slog and encoding/json print it
// redacted.
type Config struct {
	// Domain is the user pool domain: a prefix ("myapp", with Region),
	// the full host ("myapp.auth.us-east-1.amazoncognito.com"), a custom
	// domain ("auth.example.com"), or a URL with its scheme
	// ("https://auth.example.com"). The path /oauth2/revoke is appended.
	Domain string
	// Region is the user pool's AWS region, e.g. "us-east-1". Required
	// with a domain prefix; checked against a full amazoncognito.com host.
	Region string
	// ClientID is the app client ID.
	ClientID string
	// ClientSecret is the app client's secret: the client authenticates
	// with HTTP Basic, "client_id:client_secret" as Cognito documents it
	// (not form-encoded; a Cognito secret holds letters, digits, '_' and
	// '+'). Empty for a public app client, which sends client_id in the
	// body instead.
	ClientSecret string
}

// fields is what a Config prints: the client secret, and any user info or
// query written into Domain, never print. A nil *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Domain", strconv.Quote(redact.URL(c.Domain))},
		{"Region", strconv.Quote(c.Region)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret, and any user info or query written into Domain, never
// print.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "cognito.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes refresh tokens at a user pool's hosted /oauth2/revoke
// endpoint. It is safe for concurrent use; create one with New and share
// it. A zero or nil Revoker returns a *revoke.ConfigError from Revoke.
//
// It implements revoke.Revoker and revoke.TokenRevoker.
//
// Revoke revokes one refresh token: POST /oauth2/revoke with token, and
// client_id for a public app client or Basic credentials for one with a
// secret. Cognito revokes the refresh token and every access and ID token
// issued from it.
//
// Cognito revokes refresh tokens only: Hint access_token is refused before
// sending (revoke.ErrUnsupported); refresh_token is accepted and not sent,
// as Cognito documents no hint. Request.Params are refused: Cognito takes
// no other parameter.
//
// A nil error means Cognito answered 200, which it also does for a token
// that was already revoked or invalid (Result.AlreadyInvalid stays false:
// Cognito does not say which). Failures are *revoke.Error values: 400
// invalid_request is revoke.ErrInvalidRequest and, as the SDK always sends
// the token, means token revocation is disabled for the app client (see
// RevocationDisabled; the error says how to enable it); 400
// unsupported_token_type (not a refresh token) is
// revoke.ErrUnsupportedTokenType; 401 invalid_client is
// revoke.ErrInvalidClient.
//
// RevokeToken implements revoke.TokenRevoker: Cognito revokes refresh
// tokens only, so it revokes the refresh token of t, which also revokes
// the access and ID tokens issued from it. A token without a refresh token
// is an error matching revoke.ErrUnsupported.
type Revoker = adapter.VendorRevoker[vendor]

// vendor describes Revoker to the kit.
type vendor struct{}

func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }

// unbuilt names a nil or zero Revoker, which prints and fails as one.
var unbuilt = adapter.Revoker{Name: "cognito.Revoker", Build: "cognito.New", Pair: adapter.RefreshOnly, Vendor: "Amazon Cognito", Send: send}

// New validates cfg and opts and returns a Revoker. Every mistake is a
// *revoke.ConfigError naming the field and the fix, here, not on first use;
// no secret is ever repeated in it.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(hostedProfile, opts...)
	if err != nil {
		return nil, err
	}
	u, err := hostedURL(c, cfg.Domain, cfg.Region)
	if err != nil {
		return nil, err
	}
	auth, err := clientAuth(c, "cognito.Config", cfg.ClientID, cfg.ClientSecret)
	if err != nil {
		return nil, err
	}
	return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, adapter.Revocation{
		Op:       opRevoke,
		URL:      u,
		Auth:     auth,
		Hints:    []revoke.TokenTypeHint{revoke.HintRefreshToken},
		OmitHint: true,
		NoParams: true,
		Header:   hostedHeader,
		Check:    checkHosted,
	})), nil
}

// checkHosted adds the hint that fits Cognito's answer.
func checkHosted(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	e := r.Fail()
	switch {
	case e.Code == "invalid_request":
		appendHint(e, hintInvalidRequest)
	case e.Code == "unsupported_token_type":
		appendHint(e, hintTokenType)
	case e.Kind == revoke.ErrInvalidClient:
		appendHint(e, hintClient)
	}
	return e
}

// checkRequest refuses an access token hint and a token that cannot be a
// Cognito refresh token, before anything is sent.
func checkRequest(op string, req revoke.Request) error {
	if req.Hint == revoke.HintAccessToken {
		return &revoke.ConfigError{Field: op + ": Request.Hint", Kind: revoke.ErrUnsupported,
			Problem: "is access_token: Amazon Cognito revokes refresh tokens only (an access token gets 400 unsupported_token_type); revoke the refresh token it was issued from, which revokes its access and ID tokens too, or keep access tokens short-lived"}
	}
	if err := adapter.CheckToken(op, req.Token); err != nil {
		return err
	}
	if !tokenPattern.MatchString(req.Token) {
		return &revoke.ConfigError{Field: op + ": Request.Token", Kind: revoke.ErrInvalidRequest,
			Problem: "holds characters a Cognito refresh token never has (it matches [A-Za-z0-9-_=.]+): check that the refresh token was passed"}
	}
	return nil
}

// RevocationDisabled reports whether err says that token revocation is
// disabled for the app client: UnsupportedOperationException from the
// RevokeToken action, or invalid_request from /oauth2/revoke (which also
// means a missing token, something the SDK never sends). Enable it with
// UpdateUserPoolClient and EnableTokenRevocation=true.
func RevocationDisabled(err error) bool {
	var e *revoke.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code == excUnsupportedOperation || (strings.HasPrefix(e.Op, opRevoke) && e.Code == "invalid_request")
}

func appendHint(e *revoke.Error, hint string) {
	if e.Description == "" {
		e.Description = hint
		return
	}
	e.Description += " (" + hint + ")"
}

// hostedURL builds https://{domain}/oauth2/revoke from Domain and Region.
func hostedURL(c *adapter.Client, domain, region string) (*url.URL, error) {
	const field = "cognito.Config.Domain"
	if region != "" {
		if err := checkRegion("cognito.Config.Region", region); err != nil {
			return nil, err
		}
	}
	var base *url.URL
	switch {
	case strings.TrimSpace(domain) == "":
		return nil, &revoke.ConfigError{Field: field, Problem: "is empty: pass the user pool domain, e.g. \"myapp\" with Region, \"myapp.auth.us-east-1.amazoncognito.com\" or your custom domain"}
	case strings.Contains(domain, "://"):
		// URL refuses user info, fragments and white space; BaseURL then
		// refuses a query and a malformed host, and normalises.
		if _, err := c.URL(field, domain); err != nil {
			return nil, err
		}
		fallthrough
	case strings.ContainsAny(domain, ".:/"):
		var err error
		if base, err = c.BaseURL(field, domain); err != nil {
			return nil, err
		}
	default:
		if region == "" {
			return nil, &revoke.ConfigError{Field: "cognito.Config.Region", Problem: fmt.Sprintf("is empty, but Domain %q is a domain prefix: set the user pool's region, e.g. us-east-1, or pass the full domain", domain)}
		}
		if !prefixPattern.MatchString(domain) {
			return nil, &revoke.ConfigError{Field: field, Problem: "is not a Cognito domain prefix (lower-case letters, digits and hyphens, at most 63): pass the prefix, e.g. \"myapp\", or the full domain"}
		}
		base = &url.URL{Scheme: "https", Host: domain + hostedInfix + region + hostedSuffix}
	}
	host := base.Hostname()
	if strings.HasSuffix(host, hostedSuffix) {
		// {prefix}.auth.{region}.amazoncognito.com: the region must agree.
		rest := strings.TrimSuffix(host, hostedSuffix)
		if i := strings.Index(rest, hostedInfix); i > 0 && region != "" && rest[i+len(hostedInfix):] != region {
			return nil, &revoke.ConfigError{Field: "cognito.Config.Region", Problem: fmt.Sprintf("is %q, but Domain is in region %q: set one, or make them agree", region, rest[i+len(hostedInfix):])}
		}
	}
	lower := strings.ToLower(base.Path)
	if strings.HasSuffix(lower, "/oauth2/revoke") || strings.HasSuffix(lower, "/oauth2") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%q already includes the endpoint path: pass the domain only; /oauth2/revoke is appended", adapter.Endpoint(base))}
	}
	return adapter.JoinPath(base, revokePath...), nil
}

func checkRegion(field, region string) error {
	if !regionPattern.MatchString(region) {
		return &revoke.ConfigError{Field: field, Problem: "is not an AWS region name: pass the user pool's region as the console shows it, e.g. us-east-1 or eu-central-1"}
	}
	return nil
}

// clientAuth checks the app client's ID and secret: Basic with the secret,
// client_id alone without.
func clientAuth(c *adapter.Client, field, id, secret string) (revoke.ClientAuth, error) {
	if err := checkClientID(field+".ClientID", id); err != nil {
		return nil, err
	}
	if secret == "" {
		return c.CheckAuth(field, revoke.PublicClient(id), nil)
	}
	if err := checkClientSecret(field+".ClientSecret", secret); err != nil {
		return nil, err
	}
	return c.CheckAuth(field, revoke.ClientSecretBasicRaw(id, secret), nil)
}

func checkClientID(field, id string) error {
	if err := adapter.CheckCredential(field, id, "the app client ID, as the user pool's App clients page shows it"); err != nil {
		return err
	}
	if len(id) > maxClientID || !credentialPattern.MatchString(id) {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is not an app client ID (letters, digits, '_' and '+', at most %d): pass the ID the App clients page shows", maxClientID)}
	}
	return nil
}

func checkClientSecret(field, secret string) error {
	if err := adapter.CheckSecret(field, secret, "the app client's secret, or leave it empty for a public app client"); err != nil {
		return err
	}
	if len(secret) > maxClientSecret || !credentialPattern.MatchString(secret) {
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is not an app client secret (letters, digits, '_' and '+', at most %d): copy it again from the app client's page", maxClientSecret)}
	}
	return nil
}

// send is what Revoke sends once the Revoker is built (adapter.Revoker.Send).
func send(ctx context.Context, k *adapter.Revoker, req revoke.Request) (*revoke.Result, error) {
	if err := checkRequest(opRevoke, req); err != nil {
		return nil, err
	}
	return k.Client.Revoke(ctx, &k.Revocation, req)
}
