package onelogin

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// APIVersion selects how a Revoker authenticates to /auth/oauth2/revoke.
// Both versions call the same endpoint with the same JSON body; only the
// Authorization header differs
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens,
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens).
type APIVersion int

const (
	// V1 sends the header documented for API v1,
	//
	//	Authorization: client_id:<client_id>, client_secret:<client_secret>
	//
	// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
	V1 APIVersion = 1
	// V2 sends HTTP Basic authentication (RFC 7617), as OneLogin's OpenAPI
	// description (security basicAuth) and its current SDKs do:
	//
	//	Authorization: Basic base64(<client_id>:<client_secret>)
	//
	// The ID and secret are joined raw, not form-encoded first as RFC 6749
	// §2.3.1 would have it: that is what the OneLogin SDKs send, and
	// OneLogin-generated credentials are hexadecimal, for which both
	// encodings give the same header. A client ID containing ':' is therefore
	// rejected by New.
	// https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens
	V2 APIVersion = 2
)

// String returns "V1", "V2" (the API versions of
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens and
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens),
// or "APIVersion(n)" for an unknown value.
func (v APIVersion) String() string {
	switch v {
	case V1:
		return "V1"
	case V2:
		return "V2"
	}
	return "APIVersion(" + strconv.Itoa(int(v)) + ")"
}

// Config configures a Revoker for tokens minted with OneLogin API
// credentials (Developers > API Credentials;
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens),
// and a TokenSource of API access tokens for the same credential
// (NewTokenSource;
// https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
//
// ClientSecret is a secret: printing a Config with any fmt verb, logging it
// with slog or marshalling it to JSON shows "[REDACTED]" in its place.
type Config struct {
	// Subdomain is your OneLogin subdomain: "acme" for
	// https://acme.onelogin.com. Set exactly one of Subdomain and BaseURL.
	Subdomain string
	// BaseURL is the host, or the scheme and host (and any path prefix), to
	// call instead of https://<Subdomain>.onelogin.com: a custom domain, a
	// proxy or an emulator such as onelogintest.New. https is assumed
	// without a scheme. The SDK appends /auth/oauth2/revoke.
	BaseURL string
	// ClientID and ClientSecret are the API credential pair that generated
	// the tokens to revoke: OneLogin only revokes a token for the credentials
	// that minted it. Both are required; the secret must be at least
	// revoke.MinSecretBytes long.
	ClientID     string
	ClientSecret string
	// API selects the Authorization header: V1 or V2. Required: there is no
	// default, so that the header sent is always the one chosen.
	API APIVersion
}

// fields is what a Config prints: the client secret never prints. A nil
// *Config has none.
func (c *Config) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Subdomain", strconv.Quote(c.Subdomain)},
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
		{"API", c.API.String()},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret never prints.
func (c Config) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "onelogin.Config") }

// LogValue implements slog.LogValuer with the same fields. A nil *Config
// logs as an empty group.
func (c *Config) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c Config) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Revoker revokes tokens minted with OneLogin API credentials through
// POST /auth/oauth2/revoke. It is safe for concurrent use; create one and
// share it, so that its rate-limit pacing sees every call.
//
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
type Revoker struct {
	c        *adapter.Client
	url      *url.URL
	api      APIVersion
	clientID string
	secret   revoke.Secret
	// auth is the V2 Basic authentication, applied by the kit.
	auth revoke.ClientAuth
	// v1 is the V1 Authorization header value, set per attempt.
	v1 revoke.Secret
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// opRevoke names the API-credential revocation in errors and logs.
const opRevoke = "onelogin revoke"

// New validates cfg and opts and returns a Revoker. Every mistake (no or
// both of Subdomain and BaseURL, a subdomain that is not a DNS label, a
// BaseURL with user info, a query or the endpoint path, an unknown API
// version, a missing, padded or control-character client ID or secret, a
// secret shorter than revoke.MinSecretBytes) is a *revoke.ConfigError
// naming the field, returned here rather than on first use. The endpoint is
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := resolveBase(c, "onelogin.Config", cfg.Subdomain, cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cred, err := newCredential(c, "onelogin.Config", cfg.ClientID, cfg.ClientSecret, cfg.API)
	if err != nil {
		return nil, err
	}
	return &Revoker{
		c:        c,
		url:      adapter.JoinPath(base, RevokePath),
		api:      cfg.API,
		clientID: cfg.ClientID,
		secret:   cred.secret,
		auth:     cred.auth,
		v1:       cred.v1,
	}, nil
}

// credential is a checked API credential pair and the Authorization header
// it sends, for /auth/oauth2/revoke and /auth/oauth2/v2/token alike
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/generate-tokens).
type credential struct {
	api      APIVersion
	clientID string
	secret   revoke.Secret
	// auth is the V2 Basic authentication, applied by the kit.
	auth revoke.ClientAuth
	// v1 is the V1 Authorization header value, set per attempt.
	v1 revoke.Secret
}

// newCredential checks an API credential pair for the API version; prefix
// names the config type in errors, e.g. "onelogin.Config".
func newCredential(c *adapter.Client, prefix, clientID, secret string, api APIVersion) (credential, error) {
	if api != V1 && api != V2 {
		return credential{}, &revoke.ConfigError{Field: prefix + ".API", Problem: fmt.Sprintf("%s is not a known API version: set onelogin.V2 (HTTP Basic, what OneLogin's current SDKs send) or onelogin.V1 (the \"client_id:<id>, client_secret:<secret>\" header)", api)}
	}
	if err := adapter.CheckCredential(prefix+".ClientID", clientID, "the client_id of your OneLogin API credential (Developers > API Credentials)"); err != nil {
		return credential{}, err
	}
	if err := adapter.CheckSecret(prefix+".ClientSecret", secret, "the client_secret of the same API credential"); err != nil {
		return credential{}, err
	}
	k := credential{api: api, clientID: clientID, secret: revoke.Secret(secret)}
	switch api {
	case V2:
		if strings.Contains(clientID, ":") {
			return credential{}, &revoke.ConfigError{Field: prefix + ".ClientID", Problem: "contains ':', which HTTP Basic cannot carry (the server splits id and secret at the first ':'): check the value, OneLogin client IDs are hexadecimal"}
		}
		auth, err := c.CheckAuth(prefix, revoke.ClientSecretBasicRaw(clientID, secret), []string{revoke.MethodClientSecretBasic})
		if err != nil {
			return credential{}, err
		}
		k.auth = auth
	case V1:
		if strings.Contains(clientID, ",") {
			return credential{}, &revoke.ConfigError{Field: prefix + ".ClientID", Problem: "contains ',', which the V1 header \"client_id:<id>, client_secret:<secret>\" cannot carry: check the value, OneLogin client IDs are hexadecimal"}
		}
		k.v1 = revoke.Secret("client_id:" + clientID + ", client_secret:" + secret)
	}
	return k, nil
}

// apply puts the credential on a call: the kit applies V2 Basic; V1's
// header is set on every attempt.
func (k credential) apply(call *adapter.Call) {
	call.Auth = k.auth
	if k.api == V1 {
		call.Authorize = k.authorizeV1
	}
}

// authorizeV1 sets the V1 Authorization header on an attempt and registers
// it, and the secret in it, for scrubbing.
func (k credential) authorizeV1(_ context.Context, a *adapter.Attempt) error {
	h := k.v1.Reveal()
	a.Header.Set("Authorization", h)
	a.Secret(k.secret.Reveal())
	a.Secret(h)
	return nil
}

// Endpoint returns the revocation URL in use, <base>/auth/oauth2/revoke
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens),
// or "" for a Revoker not built by New.
func (r *Revoker) Endpoint() string {
	if r == nil || r.url == nil {
		return ""
	}
	return r.url.String()
}

// API returns the API version, which decides the Authorization header
// (https://developers.onelogin.com/api-docs/2/oauth20-tokens/revoke-tokens).
func (r *Revoker) API() APIVersion {
	if r == nil {
		return 0
	}
	return r.api
}

// ClientID returns the API credential's client ID (Developers > API
// Credentials; https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
func (r *Revoker) ClientID() string {
	if r == nil {
		return ""
	}
	return r.clientID
}

// acceptJSON is the fixed header of every call; the kit adds Content-Type
// for the JSON body.
var acceptJSON = http.Header{"Accept": {"application/json"}}

// Revoke revokes an access token minted with the Revoker's API credentials,
// and with it the access token's refresh token
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens):
//
//	POST /auth/oauth2/revoke
//	Authorization: client_id:<id>, client_secret:<secret>   (V1)
//	Authorization: Basic base64(<id>:<secret>)              (V2)
//	Content-Type: application/json
//	Accept: application/json
//
//	{"access_token":"<req.Token>"}
//
// Success is HTTP 2xx whose status envelope (nested under "status", as the
// v1 documentation shows, or flat, as the OpenAPI description shows) has
// "error": false and nothing after it; an empty 2xx body is accepted too.
// Details(res) returns the envelope. A 2xx whose envelope says
// "error": true, or that carries something other than an envelope, is an
// error: the revocation is not confirmed.
//
// Errors are *revoke.Error values matching, with errors.Is:
//   - revoke.ErrInvalidRequest: "Access Token Missing", or the Content-Type
//     message;
//   - revoke.ErrInvalidClient: "The authorization information is missing"
//     (a missing or malformed Authorization header, reported as 400) and
//     401 "Authentication Failure" (wrong credentials);
//   - revoke.ErrNotFound: 404 "No Route Exists" (a wrong path or method,
//     typically a BaseURL with an extra path);
//   - revoke.ErrRateLimited with RetryAfter from X-RateLimit-Reset, which
//     OneLogin sends as seconds remaining (not an epoch time);
//   - otherwise by HTTP status, as for every vendor (a 500 is
//     revoke.ErrServer whatever its body), with a bounded, secret-free
//     excerpt of a body that fits no documented shape;
//   - revoke.ErrUnexpectedResponse for a 2xx answer without an envelope.
//
// OneLogin has no token type hint: req.Hint may be empty or
// revoke.HintAccessToken and is not sent; revoke.HintRefreshToken is
// refused, as the endpoint takes only access tokens (it revokes the refresh
// token through its access token). req.Params must be empty. The token must
// be valid UTF-8: a JSON body cannot carry other bytes unchanged.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if r == nil || r.c == nil || r.url == nil {
		return nil, &revoke.ConfigError{Field: "onelogin.Revoker", Problem: "is not initialised: build it with onelogin.New", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkAPIRequest(req); err != nil {
		return nil, err
	}
	var found envelope
	call := &adapter.Call{
		Op:       opRevoke,
		Method:   http.MethodPost,
		URL:      r.url,
		Header:   acceptJSON,
		Body:     adapter.JSONFields(url.Values{"access_token": {req.Token}}),
		Token:    req.Token,
		ReadBody: true,
		Check:    func(resp *adapter.Response) error { return checkAPI(resp, &found) },
	}
	credential{api: r.api, secret: r.secret, auth: r.auth, v1: r.v1}.apply(call)
	resp, err := r.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	res := resp.Result()
	if found.HasError || found.Code != 0 {
		res.Vendor = Status{Code: found.Code, Type: resp.Scrub(found.Type), Message: resp.Scrub(found.Message)}
	}
	return res, nil
}

// checkAPIRequest refuses what /auth/oauth2/revoke cannot take, before
// anything is sent.
func checkAPIRequest(req revoke.Request) error {
	if err := adapter.CheckToken(opRevoke, req.Token); err != nil {
		return err
	}
	if !utf8.ValidString(req.Token) {
		return &revoke.ConfigError{Field: opRevoke + ": Request.Token", Kind: revoke.ErrInvalidRequest,
			Problem: "is not valid UTF-8: OneLogin takes the token in a JSON body, which cannot carry these bytes unchanged (the server would receive another token); check how the token was read or decoded"}
	}
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken:
	case revoke.HintRefreshToken:
		return &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is refresh_token, but OneLogin's /auth/oauth2/revoke takes only access tokens (and revokes an access token's refresh token with it): pass the access token, or use RevokeToken"}
	default:
		return &revoke.ConfigError{Field: opRevoke + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%s is not a hint this endpoint takes: OneLogin's /auth/oauth2/revoke has no token type hint; leave it empty or use revoke.HintAccessToken", quote(string(req.Hint)))}
	}
	if len(req.Params) > 0 {
		return &revoke.ConfigError{Field: opRevoke + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "OneLogin's /auth/oauth2/revoke takes only the access token: leave Params empty"}
	}
	return nil
}

// checkAPI judges a final answer of /auth/oauth2/revoke. A success's
// envelope goes to *found.
func checkAPI(resp *adapter.Response, found *envelope) error {
	return checkEnvelope(resp, found, addHints)
}

// checkEnvelope judges a final answer of an endpoint that answers with a
// status envelope (/auth/oauth2/revoke, /api/1/users/{id}/logout): a 2xx
// with an empty body or a success envelope, which goes to *found, is
// success; an error envelope, whatever the status, or any other 2xx body is
// not. hints adds the endpoint's advice to a classified error.
func checkEnvelope(resp *adapter.Response, found *envelope, hints func(*revoke.Error)) error {
	status := resp.StatusCode
	if status < 200 || status > 299 {
		e := resp.Fail()
		hints(e)
		return e
	}
	env, kind := parseEnvelope(resp.Body)
	switch {
	case kind == bodyEmpty:
		return nil
	case kind == bodyEnvelope && env.failed():
		e := resp.Fail()
		e.Kind = envelopeKind(env)
		hints(e)
		e.Description = joinText(e.Description, fmt.Sprintf("(HTTP %d carried an error envelope%s)", status, codeSuffix(env.Code)))
		return e
	case kind == bodyEnvelope && !env.Trailing:
		*found = env
		return nil
	}
	e := resp.Fail()
	e.Kind = revoke.ErrUnexpectedResponse
	e.Code, e.URI, e.Causes = "", "", nil
	e.Description = fmt.Sprintf("HTTP %d %s", status, notConfirmed)
	if kind == bodyEnvelope {
		e.Description = fmt.Sprintf("HTTP %d with a OneLogin status envelope followed by other content: the revocation is not confirmed", status)
	}
	e.Excerpt = resp.Excerpt()
	return e
}

// addHints adds OneLogin-specific advice to a classified error.
func addHints(e *revoke.Error) {
	switch {
	case e.Kind == revoke.ErrRateLimited && e.Description == "":
		e.Description = rateLimitNote
	case e.Kind == revoke.ErrInvalidClient && strings.HasPrefix(normalize(e.Description), msgAuthMissing):
		e.Description = joinText(e.Description, authMissingHint)
	case e.Kind == revoke.ErrNotFound:
		e.Description = joinText(e.Description, notFoundHint)
	}
}

func codeSuffix(code int) string {
	if code == 0 {
		return ""
	}
	return " with code " + strconv.Itoa(code)
}

// RevokeToken implements revoke.TokenRevoker. OneLogin's API endpoint
// revokes an access token together with its refresh token, and takes
// nothing else: one call with t.AccessToken revokes the pair. A token with
// a refresh token only is a *revoke.ConfigError matching
// revoke.ErrUnsupported: this endpoint cannot revoke it
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	switch {
	case t == nil:
		return &revoke.ConfigError{Field: "RevokeToken: token", Problem: "is nil: pass the *oauth2.Token to revoke", Kind: revoke.ErrInvalidRequest}
	case t.AccessToken == "" && t.RefreshToken == "":
		return &revoke.ConfigError{Field: "RevokeToken: token", Problem: "has neither an access token nor a refresh token: nothing to revoke", Kind: revoke.ErrInvalidRequest}
	case t.AccessToken == "":
		return &revoke.ConfigError{Field: "RevokeToken: token", Kind: revoke.ErrUnsupported,
			Problem: "has a refresh token only: OneLogin's /auth/oauth2/revoke takes the access token and revokes its refresh token with it; revoke with the access token issued alongside"}
	}
	_, err := r.Revoke(ctx, revoke.Request{Token: t.AccessToken, Hint: revoke.HintAccessToken})
	return err
}

// Status is OneLogin's status envelope on a successful Revoker.Revoke
// answer: {"status":{"error":false,"code":200,"type":"success",
// "message":"Success"}}, or the flat form of the OpenAPI description
// (https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens).
// Type and Message are scrubbed of the call's secrets and bounded.
type Status struct {
	// Code is the envelope's "code" (200), or 0 when it had none.
	Code int
	// Type is the envelope's "type" ("success").
	Type string
	// Message is the envelope's "message" ("Success").
	Message string
}

// Details returns the status envelope of a Result returned by
// Revoker.Revoke. ok is false for any other Result: an empty success body,
// or an OIDCRevoker's answer (RFC 7009 §2.2: an empty 200).
func Details(res *revoke.Result) (s Status, ok bool) {
	if res == nil {
		return Status{}, false
	}
	s, ok = res.Vendor.(Status)
	return s, ok
}

// fields is what a Revoker prints: the client secret never prints. A nil
// *Revoker has none.
func (r *Revoker) fields() adapter.Fields {
	if r == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(redact.URL(r.Endpoint()))},
		{"API", r.api.String()},
		{"ClientID", strconv.Quote(r.clientID)},
		{"ClientSecret", redact.Quoted(r.secret.Reveal())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret never prints.
func (r Revoker) Format(f fmt.State, verb rune) { r.fields().Print(f, verb, "onelogin.Revoker") }

// LogValue implements slog.LogValuer with the same fields. A nil *Revoker
// logs as an empty group.
func (r *Revoker) LogValue() slog.Value { return r.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (r Revoker) MarshalJSON() ([]byte, error) { return r.fields().MarshalJSON() }
