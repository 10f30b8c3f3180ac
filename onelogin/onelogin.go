package onelogin

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/internal/wire"
)

// APIVersion selects how a Revoker authenticates to /auth/oauth2/revoke.
// Both versions call the same endpoint with the same JSON body; only the
// Authorization header differs.
type APIVersion int

const (
	// V1 sends the header documented for API v1,
	//
	//	Authorization: client_id:<client_id>, client_secret:<client_secret>
	//
	// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
	V1 APIVersion = 1
	// V2 sends HTTP Basic authentication, as OneLogin's OpenAPI description
	// (security basicAuth) and its current SDKs do:
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

// String returns "V1", "V2", or "APIVersion(n)" for an unknown value.
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
// credentials.
//
// ClientSecret is a secret: printing a Config with any fmt verb, logging it
// with slog or marshalling it to JSON shows "[REDACTED]" in its place.
type Config struct {
	// Subdomain is your OneLogin subdomain: "acme" for
	// https://acme.onelogin.com. Set exactly one of Subdomain and BaseURL.
	Subdomain string
	// BaseURL is the scheme and host (and any path prefix) to call instead
	// of https://<Subdomain>.onelogin.com: a custom domain, a proxy or an
	// emulator such as revoketest.NewOneLogin. The SDK appends
	// /auth/oauth2/revoke.
	BaseURL string
	// ClientID and ClientSecret are the API credential pair that generated
	// the tokens to revoke: OneLogin only revokes a token for the credentials
	// that minted it. Both are required.
	ClientID     string
	ClientSecret string
	// API selects the Authorization header: V1 or V2. Required: there is no
	// default, so that the header sent is always the one chosen.
	API APIVersion
}

// Format implements fmt.Formatter: every verb prints the client secret
// redacted.
func (c Config) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "onelogin.Config", [][2]string{
		{"Subdomain", strconv.Quote(c.Subdomain)},
		{"BaseURL", strconv.Quote(c.BaseURL)},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", revoke.Secret(c.ClientSecret).String()},
		{"API", c.API.String()},
	})
}

// LogValue implements slog.LogValuer without the client secret.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("subdomain", c.Subdomain),
		slog.String("base_url", c.BaseURL),
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", revoke.Secret(c.ClientSecret).String()),
		slog.String("api", c.API.String()),
	)
}

// MarshalJSON implements json.Marshaler with the client secret redacted.
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Subdomain    string `json:"subdomain,omitempty"`
		BaseURL      string `json:"base_url,omitempty"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		API          string `json:"api"`
	}{c.Subdomain, c.BaseURL, c.ClientID, revoke.Secret(c.ClientSecret).String(), c.API.String()})
}

// Revoker revokes tokens minted with OneLogin API credentials through
// POST /auth/oauth2/revoke. It is safe for concurrent use; create one and
// share it.
//
// https://developers.onelogin.com/api-docs/1/oauth20-tokens/revoke-tokens
type Revoker struct {
	client   *wire.Client
	url      *url.URL
	api      APIVersion
	clientID string
	secret   revoke.Secret
}

var _ revoke.Revoker = (*Revoker)(nil)

// opRevoke names the API-credential revocation in errors and logs.
const opRevoke = "onelogin revoke"

// New validates cfg and opts and returns a Revoker. Every mistake (no or
// both of Subdomain and BaseURL, a subdomain that is not a DNS label, an
// unknown API version, a missing client ID or secret) is a
// *revoke.ConfigError naming the field, returned here rather than on first
// use.
func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
	o, err := revoke.BuildOptions(opts...)
	if err != nil {
		return nil, err
	}
	base, err := resolveBase("onelogin.Config", cfg.Subdomain, cfg.BaseURL, o.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	if cfg.API != V1 && cfg.API != V2 {
		return nil, &revoke.ConfigError{Field: "onelogin.Config.API", Problem: fmt.Sprintf("%s is not a known API version: set onelogin.V2 (HTTP Basic, what OneLogin's current SDKs send) or onelogin.V1 (the \"client_id:<id>, client_secret:<secret>\" header)", cfg.API)}
	}
	if err := checkCredential("onelogin.Config.ClientID", cfg.ClientID, "the client_id of your OneLogin API credential (Developers > API Credentials)"); err != nil {
		return nil, err
	}
	if err := checkCredential("onelogin.Config.ClientSecret", cfg.ClientSecret, "the client_secret of the same API credential"); err != nil {
		return nil, err
	}
	switch {
	case cfg.API == V2 && strings.Contains(cfg.ClientID, ":"):
		return nil, &revoke.ConfigError{Field: "onelogin.Config.ClientID", Problem: "contains ':', which HTTP Basic cannot carry (the server splits id and secret at the first ':'): check the value, OneLogin client IDs are hexadecimal"}
	case cfg.API == V1 && strings.Contains(cfg.ClientID, ","):
		return nil, &revoke.ConfigError{Field: "onelogin.Config.ClientID", Problem: "contains ',', which the V1 header \"client_id:<id>, client_secret:<secret>\" cannot carry: check the value, OneLogin client IDs are hexadecimal"}
	}
	return &Revoker{
		client:   wire.New(o),
		url:      wire.JoinPath(base, RevokePath),
		api:      cfg.API,
		clientID: cfg.ClientID,
		secret:   revoke.Secret(cfg.ClientSecret),
	}, nil
}

// checkCredential rejects an empty value or one with a control character,
// which could not travel in a header. The value itself never appears in the
// error: it may be a secret.
func checkCredential(field, v, what string) error {
	if v == "" {
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass " + what}
	}
	if strings.TrimSpace(v) != v {
		return &revoke.ConfigError{Field: field, Problem: "has leading or trailing white space: check for a stray space or newline from the file or variable it came from"}
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return &revoke.ConfigError{Field: field, Problem: "contains a control character: check for a stray newline from the file or variable it came from"}
	}
	return nil
}

// Endpoint returns the revocation URL in use.
func (r *Revoker) Endpoint() string { return r.url.String() }

// API returns the API version, which decides the Authorization header.
func (r *Revoker) API() APIVersion { return r.api }

// ClientID returns the API credential's client ID.
func (r *Revoker) ClientID() string { return r.clientID }

// Revoke revokes an access token minted with the Revoker's API credentials,
// and with it the access token's refresh token:
//
//	POST /auth/oauth2/revoke
//	Authorization: client_id:<id>, client_secret:<secret>   (V1)
//	Authorization: Basic base64(<id>:<secret>)              (V2)
//	Content-Type: application/json
//	Accept: application/json
//
//	{"access_token":"<req.Token>"}
//
// Success is HTTP 200 whose status envelope (nested under "status", as the
// v1 documentation shows, or flat, as the OpenAPI description shows) has
// "error": false; an empty 200 body is accepted too. A 200 whose envelope
// says "error": true, or that carries something other than an envelope,
// is an error: the revocation is not confirmed.
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
//   - revoke.ErrUnexpectedResponse for an answer that fits no documented
//     shape, with the status and a bounded, secret-free excerpt.
//
// OneLogin has no token type hint: req.Hint is validated and then ignored.
// req.Params must be empty, as the endpoint takes nothing but the access
// token. Pass the access token, not the refresh token: the endpoint revokes
// the pair through its access token.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if len(req.Params) > 0 {
		return nil, &revoke.ConfigError{Field: opRevoke + ": Request.Params", Problem: "OneLogin's /auth/oauth2/revoke takes only the access token: leave Params empty"}
	}
	body, err := jsonBody(req.Token)
	if err != nil {
		return nil, err
	}
	authz := r.authorization()
	// A server may echo the Authorization header; its V2 base64 form
	// carries the secret too.
	secrets := []string{req.Token, r.secret.Reveal(), authz}
	if _, cred, ok := strings.Cut(authz, " "); ok && r.api == V2 {
		secrets = append(secrets, cred)
	}
	call := &wire.Call{
		Op:      opRevoke,
		Method:  http.MethodPost,
		URL:     r.url,
		Header:  jsonHeader,
		Secrets: secrets,
		Build: func(_ context.Context, h http.Header) ([]byte, error) {
			h.Set("Authorization", authz)
			return body, nil
		},
		// Every final answer except the retryable ones comes back with its
		// body, so that one parser (parseEnvelope) judges success and error
		// envelopes alike; 429, 502, 503 and 504 stay with the pipeline,
		// which retries them and reports the server's wait.
		OK:       func(status int) bool { return !retryable(status) },
		KeepBody: true,
		Classify: func(e *revoke.Error, _ errbody.Body, _ http.Header) { refineRetryable(e) },
	}
	resp, err := r.client.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	return interpret(resp, r.url, secrets)
}

var jsonHeader = http.Header{
	"Content-Type": {"application/json"},
	"Accept":       {"application/json"},
}

// authorization renders the Authorization header for the API version.
func (r *Revoker) authorization() string {
	if r.api == V1 {
		return "client_id:" + r.clientID + ", client_secret:" + r.secret.Reveal()
	}
	return revoke.BasicHeader(r.clientID, r.secret.Reveal(), false)
}

// jsonBody renders {"access_token":"…"} without HTML escaping, so the token
// travels byte for byte.
func jsonBody(token string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		AccessToken string `json:"access_token"`
	}{token}); err != nil {
		return nil, fmt.Errorf("revoke: %s: encoding the request body: %w", opRevoke, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// refineRetryable notes, on a 429, that OneLogin's reset header counts
// seconds.
func refineRetryable(e *revoke.Error) {
	if e.Kind == revoke.ErrRateLimited && e.Description == "" {
		e.Description = "OneLogin rate limit reached (X-RateLimit-Reset is the number of seconds until the window resets)"
	}
}

// interpret turns a final non-retryable answer into a Result or an error.
func interpret(resp *wire.Response, u *url.URL, secrets []string) (*revoke.Result, error) {
	env, kind := parseEnvelope(resp.Body)
	ok2xx := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if ok2xx {
		switch {
		case kind == bodyEmpty:
			return wire.Result(resp), nil
		case kind == bodyEnvelope && !env.failed():
			res := wire.Result(resp)
			res.Vendor.Message = wire.Scrub(env.Message, secrets...)
			return res, nil
		}
	}
	e := wire.ClassifyResponse(opRevoke, u, resp.StatusCode, resp.Header, resp.Body, secrets)
	e.Attempts = resp.Attempts
	classifyEnvelope(e, env, kind, resp.StatusCode, resp.Body, secrets)
	return nil, e
}

// excerptBytes bounds the body excerpt kept in an error.
const excerptBytes = 256

// Messages OneLogin documents for /auth/oauth2/revoke, normalized.
const (
	msgContentType  = "content type is not specified"
	msgTokenMissing = "access token missing"
	msgAuthMissing  = "the authorization information is missing"
	msgAuthFailure  = "authentication failure"
	msgNoRoute      = "no route exists"
)

// notFoundHint explains a 404 from OneLogin.
const notFoundHint = "the route or method is wrong: OneLogin answers 404 \"No Route Exists\" to a path it does not serve or a method other than POST; the SDK always POSTs, so check that BaseURL is only the scheme and host of your OneLogin API (https://<subdomain>.onelogin.com)"

// classifyEnvelope fills e from what OneLogin said. status is the HTTP
// status; for a 2xx answer it is the envelope's code that classifies.
func classifyEnvelope(e *revoke.Error, env envelope, kind bodyKind, status int, body []byte, secrets []string) {
	if e.Kind == revoke.ErrRedirect {
		return
	}
	ok2xx := status >= 200 && status <= 299
	if kind != bodyEnvelope {
		if ok2xx {
			e.Kind = revoke.ErrUnexpectedResponse
			e.Code, e.URI = "", ""
			e.Description = fmt.Sprintf("HTTP %d without a OneLogin status envelope: the revocation is not confirmed", status)
			e.Excerpt = wire.Scrub(errbody.Excerpt(body, excerptBytes), secrets...)
		} else if status == http.StatusNotFound {
			e.Description = joinText(e.Description, notFoundHint)
		}
		return
	}
	e.Code = wire.Scrub(env.Type, secrets...)
	e.Description = wire.Scrub(env.Message, secrets...)
	e.URI, e.Excerpt = "", ""
	code := status
	if ok2xx {
		code = env.Code
	}
	msg := normalize(env.Message)
	switch {
	case strings.HasPrefix(msg, msgTokenMissing), strings.HasPrefix(msg, msgContentType):
		e.Kind = revoke.ErrInvalidRequest
	case strings.HasPrefix(msg, msgAuthMissing):
		e.Kind = revoke.ErrInvalidClient
		e.Description = joinText(e.Description, "the Authorization header is missing or malformed: check Config.API (V1 sends \"client_id:<id>, client_secret:<secret>\", V2 HTTP Basic)")
	case strings.HasPrefix(msg, msgAuthFailure):
		e.Kind = revoke.ErrInvalidClient
	case strings.HasPrefix(msg, msgNoRoute) || code == http.StatusNotFound:
		e.Kind = revoke.ErrNotFound
		e.Description = joinText(e.Description, notFoundHint)
	case code == 0:
		e.Kind = revoke.ErrUnexpectedResponse
	default:
		e.Kind = revoke.ClassifyStatus(code)
	}
	if ok2xx {
		e.Description = joinText(e.Description, fmt.Sprintf("(HTTP %d carried an error envelope%s)", status, codeSuffix(env.Code)))
	}
}

func codeSuffix(code int) string {
	if code == 0 {
		return ""
	}
	return " with code " + strconv.Itoa(code)
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "("):
		return a + " " + b
	}
	return a + ": " + b
}

// Format implements fmt.Formatter: every verb prints the Revoker with its
// client secret redacted.
func (r Revoker) Format(f fmt.State, verb rune) {
	endpoint := ""
	if r.url != nil {
		endpoint = r.url.String()
	}
	redact.Format(f, verb, "onelogin.Revoker", [][2]string{
		{"Endpoint", strconv.Quote(endpoint)},
		{"API", r.api.String()},
		{"ClientID", strconv.Quote(r.clientID)},
		{"ClientSecret", r.secret.String()},
	})
}

// LogValue implements slog.LogValuer without the client secret.
func (r Revoker) LogValue() slog.Value {
	endpoint := ""
	if r.url != nil {
		endpoint = r.url.String()
	}
	return slog.GroupValue(slog.String("endpoint", endpoint), slog.String("api", r.api.String()), slog.String("client_id", r.clientID))
}
