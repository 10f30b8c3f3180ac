package vendors

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/bulk"
)

// Introspector checks tokens at an RFC 7662 introspection endpoint
// (https://www.rfc-editor.org/rfc/rfc7662): a form POST of the token, with
// the client authenticated as for revocation, answered {"active": bool}.
// It is a bulk.Verifier, safe for concurrent use.
type Introspector struct {
	c             *adapter.Client
	url           *url.URL
	auth          revoke.ClientAuth
	issuer, tokEP string
}

var _ bulk.Verifier = (*Introspector)(nil)

// IntrospectorConfig configures an Introspector.
type IntrospectorConfig struct {
	// Endpoint is the introspection endpoint URL. Required.
	Endpoint string
	// Auth authenticates the client; revoke.ClientCredentials is resolved
	// against Methods.
	Auth revoke.ClientAuth
	// Methods are the methods the server accepts, nil for the RFC 8414
	// default (client_secret_basic).
	Methods []string
	// Issuer and TokenEndpoint serve as client assertion audiences.
	Issuer, TokenEndpoint string
}

// NewIntrospector validates cfg and returns an Introspector.
func NewIntrospector(cfg IntrospectorConfig, opts ...revoke.Option) (*Introspector, error) {
	c, err := adapter.New(adapter.Profile{Name: "introspection"}, opts...)
	if err != nil {
		return nil, err
	}
	u, err := c.URL("introspection endpoint", cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	auth, err := c.CheckAuth("introspection client authentication", cfg.Auth, cfg.Methods)
	if err != nil {
		return nil, err
	}
	return &Introspector{c: c, url: u, auth: auth, issuer: cfg.Issuer, tokEP: cfg.TokenEndpoint}, nil
}

// Verify reports whether the server says the token is active. An answer
// without a boolean "active" is an error (RFC 7662 §2.2 requires it).
func (i *Introspector) Verify(ctx context.Context, req revoke.Request) (bool, error) {
	form := url.Values{"token": {req.Token}}
	if req.Hint != "" {
		form.Set("token_type_hint", string(req.Hint))
	}
	resp, err := i.c.Do(ctx, &adapter.Call{
		Op:            "introspect",
		Method:        http.MethodPost,
		URL:           i.url,
		Header:        http.Header{"Accept": {"application/json"}},
		Body:          adapter.Form(form),
		Auth:          i.auth,
		Issuer:        i.issuer,
		TokenEndpoint: i.tokEP,
		Audience:      revoke.AudienceIssuer,
		Token:         req.Token,
		ReadBody:      true,
	})
	if err != nil {
		return false, err
	}
	var body struct {
		Active *bool `json:"active"`
	}
	if json.Unmarshal(resp.Body, &body) != nil || body.Active == nil {
		return false, &revoke.Error{Op: "introspect", Endpoint: adapter.Endpoint(i.url), StatusCode: resp.StatusCode,
			Kind: revoke.ErrUnexpectedResponse, Description: "the answer is not an RFC 7662 JSON object with a boolean \"active\"",
			Excerpt: resp.Excerpt(), RequestID: resp.RequestID}
	}
	return *body.Active, nil
}

// Endpoint is the introspection endpoint in use.
func (i *Introspector) Endpoint() string { return i.url.String() }
