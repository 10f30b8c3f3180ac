package cognito

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// APIConfig configures an APIRevoker for the RevokeToken action of the
// Amazon Cognito user pools API
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html).
//
// APIConfig holds a secret: every fmt verb, slog and encoding/json print it
// redacted.
type APIConfig struct {
	// Region is the user pool's AWS region, e.g. "us-east-1": requests go
	// to https://cognito-idp.{Region}.amazonaws.com/. Required unless
	// Endpoint is set.
	Region string
	// Endpoint replaces the regional endpoint: a FIPS endpoint
	// ("https://cognito-idp-fips.us-east-1.amazonaws.com"), a VPC
	// interface endpoint, or a fake in tests. Scheme and host only.
	Endpoint string
	// ClientID is the app client ID.
	ClientID string
	// ClientSecret is the app client's secret, sent in the JSON body;
	// empty for a public app client.
	ClientSecret string
}

// fields is what an APIConfig prints: the client secret, and any user info
// or query written into Endpoint, never print. A nil *APIConfig has none.
func (c *APIConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"Region", strconv.Quote(c.Region)},
		{"Endpoint", strconv.Quote(redact.URL(c.Endpoint))},
		{"ClientID", strconv.Quote(c.ClientID)},
		{"ClientSecret", redact.Quoted(c.ClientSecret)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// client secret, and any user info or query written into Endpoint, never
// print.
func (c APIConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "cognito.APIConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *APIConfig logs as an empty group.
func (c *APIConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c APIConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// APIRevoker revokes refresh tokens with the RevokeToken action of the
// Amazon Cognito user pools API. It needs no IAM credentials: Cognito
// authorizes the action with the app client's ID and secret. It is safe
// for concurrent use; create one with NewAPI and share it. A zero or nil
// APIRevoker returns a *revoke.ConfigError from Revoke.
//
// It implements revoke.Revoker and revoke.TokenRevoker.
type APIRevoker struct {
	c        *adapter.Client
	url      *url.URL
	clientID string
	secret   string
	secrets  []string
}

var (
	_ revoke.Revoker      = (*APIRevoker)(nil)
	_ revoke.TokenRevoker = (*APIRevoker)(nil)
)

// NewAPI validates cfg and opts and returns an APIRevoker. Every mistake is
// a *revoke.ConfigError naming the field and the fix; no secret is ever
// repeated in it.
func NewAPI(cfg APIConfig, opts ...revoke.Option) (*APIRevoker, error) {
	c, err := adapter.New(apiProfile, opts...)
	if err != nil {
		return nil, err
	}
	u, err := apiURL(c, cfg.Region, cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if err := checkClientID("cognito.APIConfig.ClientID", cfg.ClientID); err != nil {
		return nil, err
	}
	a := &APIRevoker{c: c, url: u, clientID: cfg.ClientID}
	if cfg.ClientSecret != "" {
		if err := checkClientSecret("cognito.APIConfig.ClientSecret", cfg.ClientSecret); err != nil {
			return nil, err
		}
		a.secret, a.secrets = cfg.ClientSecret, []string{cfg.ClientSecret}
	}
	return a, nil
}

func apiURL(c *adapter.Client, region, endpoint string) (*url.URL, error) {
	if region != "" {
		if err := checkRegion("cognito.APIConfig.Region", region); err != nil {
			return nil, err
		}
	}
	if endpoint == "" {
		if region == "" {
			return nil, &revoke.ConfigError{Field: "cognito.APIConfig.Region", Problem: "is empty: set the user pool's region, e.g. us-east-1 (or Endpoint)"}
		}
		return &url.URL{Scheme: "https", Host: fmt.Sprintf(apiHostFormat, region), Path: "/"}, nil
	}
	const field = "cognito.APIConfig.Endpoint"
	if _, err := c.URL(field, endpoint); err != nil {
		return nil, err
	}
	u, err := c.BaseURL(field, endpoint)
	if err != nil {
		return nil, err
	}
	if u.Path != "" {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("has a path after the host %q: pass the scheme and host only, e.g. https://cognito-idp.us-east-1.amazonaws.com", u.Host)}
	}
	u.Path = "/"
	return u, nil
}

// apiRequest is the RevokeToken request body, in the reference's order.
type apiRequest struct {
	Token        string `json:"Token"`
	ClientID     string `json:"ClientId"`
	ClientSecret string `json:"ClientSecret,omitempty"`
}

// Revoke revokes one refresh token with the RevokeToken action: POST / with
// X-Amz-Target: AWSCognitoIdentityProviderService.RevokeToken,
// Content-Type: application/x-amz-json-1.1 and the JSON body {"Token",
// "ClientId", "ClientSecret"} (the secret only for an app client that has
// one; it is scrubbed from everything kept from the answer). Cognito
// revokes the refresh token and every access and ID token issued from it.
//
// As with Revoker, Hint access_token is refused (revoke.ErrUnsupported),
// refresh_token accepted and not sent, Request.Params refused.
//
// A nil error means Cognito answered 200 ({}), which it also does for an
// invalid token; a NotAuthorizedException saying the refresh token was
// revoked or is invalid is success too, with Result.AlreadyInvalid set.
// Failures are *revoke.Error values with Code set to the exception name:
// UnsupportedOperationException (token revocation disabled for the app
// client: revoke.ErrUnsupported, see RevocationDisabled),
// UnsupportedTokenTypeException (revoke.ErrUnsupportedTokenType),
// NotAuthorizedException and UnauthorizedException
// (revoke.ErrInvalidClient), TooManyRequestsException
// (revoke.ErrRateLimited: Cognito answers it with HTTP 400, which is not
// retried; Error.Temporary() is true), ForbiddenException (AWS WAF,
// revoke.ErrForbidden), InvalidParameterException
// (revoke.ErrInvalidRequest), InternalErrorException (revoke.ErrServer).
// The exception is read from __type, or from the X-Amzn-ErrorType header.
func (a *APIRevoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if a == nil || a.c == nil {
		return nil, &revoke.ConfigError{Field: "cognito.APIRevoker", Problem: "is not initialised: build it with cognito.NewAPI", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkRequest(opAPI, req); err != nil {
		return nil, err
	}
	switch {
	case req.Hint != "" && req.Hint != revoke.HintRefreshToken:
		return nil, &revoke.ConfigError{Field: opAPI + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is not refresh_token: RevokeToken takes refresh tokens only; leave it empty or use refresh_token"}
	case len(req.Params) > 0:
		return nil, &revoke.ConfigError{Field: opAPI + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "RevokeToken takes no parameters besides the token and the client's credentials: leave Params empty"}
	}
	body, err := json.Marshal(apiRequest{Token: req.Token, ClientID: a.clientID, ClientSecret: a.secret})
	if err != nil {
		return nil, &revoke.ConfigError{Field: opAPI, Problem: "the request could not be encoded: " + err.Error(), Kind: revoke.ErrInvalidRequest}
	}
	resp, err := a.c.Do(ctx, &adapter.Call{
		Op:      opAPI,
		Method:  http.MethodPost,
		URL:     a.url,
		Header:  apiHeader,
		Body:    adapter.Raw(apiContentType, body),
		Token:   req.Token,
		Secrets: a.secrets,
		Check:   checkAPI,
	})
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// RevokeToken implements revoke.TokenRevoker, as Revoker.RevokeToken does:
// the refresh token alone.
func (a *APIRevoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if a == nil || a.c == nil {
		return &revoke.ConfigError{Field: "cognito.APIRevoker", Problem: "is not initialised: build it with cognito.NewAPI", Kind: revoke.ErrInvalidRequest}
	}
	return adapter.RevokePair(ctx, a, t, adapter.RefreshOnly, "Amazon Cognito")
}

// checkAPI reads the action's answer: 2xx is success; an exception is
// classified by its name, from the body or the X-Amzn-ErrorType header.
func checkAPI(r *adapter.Response) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	e := r.Fail()
	if e.Code == "" {
		if name := exceptionName(r.Header.Get(errorTypeHeader)); name != "" {
			e.Code = r.Scrub(name)
			if e.Kind != revoke.ErrRateLimited && e.Kind != revoke.ErrUnavailable {
				if k := classifyAWS(r.StatusCode, adapter.ErrorBody{Code: e.Code}); k != nil {
					e.Kind = k
				}
			}
			e.Excerpt = ""
			if e.Description == "" {
				e.Description = r.Excerpt()
			}
		}
	}
	switch e.Code {
	case excNotAuthorized:
		msg := strings.ToLower(e.Description)
		for _, m := range alreadyRevokedMessages {
			if strings.Contains(msg, m) {
				return adapter.AlreadyInvalid
			}
		}
		appendHint(e, hintClient)
	case excUnauthorized:
		appendHint(e, hintClient)
	case excUnsupportedOperation:
		appendHint(e, hintEnable)
	case excUnsupportedTokenType:
		appendHint(e, hintTokenType)
	case excTooManyRequests, excThrottling:
		appendHint(e, hintThrottled)
	case excForbidden:
		appendHint(e, hintWAF)
	}
	return e
}

// Endpoint returns the API endpoint in use.
func (a *APIRevoker) Endpoint() string {
	if a == nil || a.url == nil {
		return ""
	}
	return a.url.String()
}

// ClientID returns the app client ID.
func (a *APIRevoker) ClientID() string {
	if a == nil {
		return ""
	}
	return a.clientID
}

// fields is what an APIRevoker prints: its endpoint and client ID, never
// the secret. A nil *APIRevoker has none.
func (a *APIRevoker) fields() adapter.Fields {
	if a == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(a.Endpoint())},
		{"ClientID", strconv.Quote(a.ClientID())},
		{"ClientSecret", redact.Quoted(a.secret)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// APIRevoker prints its endpoint and client ID, never the secret.
func (a APIRevoker) Format(f fmt.State, verb rune) { a.fields().Print(f, verb, "cognito.APIRevoker") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *APIRevoker logs as an empty group.
func (a *APIRevoker) LogValue() slog.Value { return a.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (a APIRevoker) MarshalJSON() ([]byte, error) { return a.fields().MarshalJSON() }
