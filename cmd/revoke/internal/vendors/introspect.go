package vendors

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/generic"
)

// Introspector checks tokens at an RFC 7662 introspection endpoint
// (https://www.rfc-editor.org/rfc/rfc7662): a form POST of the token, with
// the client authenticated as for revocation, answered {"active": bool}.
// It is a bulk.Verifier, safe for concurrent use.
type Introspector struct {
	c             *adapter.Client
	op            string
	url           *url.URL
	auth          revoke.ClientAuth
	issuer, tokEP string
	aud           revoke.Audience
	params        url.Values
	bearer        string
	hintRequired  bool
	accessOnly    bool
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
	// Audience is the server's rule for a client assertion's "aud" when
	// the ClientAuth names none; revoke.AudienceAuto means the issuer.
	// Okta takes only the URL called (revoke.AudienceEndpoint), PingAM and
	// PingFederate their token endpoint.
	Audience revoke.Audience
	// Params are sent in the form besides the token and its hint: PingAM
	// wants client_id in the body whatever the authentication.
	Params url.Values
	// Bearer, when not empty, is sent as "Authorization: Bearer" instead
	// of client authentication (Auth must be revoke.NoClientAuth): an
	// admin API's key (Ory Network). It is scrubbed from every error.
	Bearer string
	// Vendor names the vendor in errors: "okta introspect".
	Vendor string
	// HintRequired says the server finds a refresh token only when
	// token_type_hint says refresh_token, and takes a token without a hint
	// for an access token (PingFederate): a token without a hint is asked
	// about as a refresh token and, when that answer is inactive, as an
	// access token, and is inactive only when both answers say so.
	HintRequired bool
	// AccessTokensOnly says the server introspects access tokens only and
	// answers inactive for any other token, a live refresh token included
	// (ZITADEL). Its inactive answer then proves something only about a
	// token given with the hint access_token: for any other token Verify
	// returns an error (the check failed), never inactive, and a token
	// hinted as another type is not sent at all.
	AccessTokensOnly bool
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
	if cfg.Bearer != "" && auth.Method() != revoke.MethodNoClientAuth {
		return nil, &revoke.ConfigError{Field: "introspection client authentication", Problem: "a bearer key replaces client authentication: use revoke.NoClientAuth with it"}
	}
	aud := cfg.Audience
	if aud == revoke.AudienceAuto {
		aud = revoke.AudienceIssuer
	}
	op := "introspect"
	if cfg.Vendor != "" {
		op = cfg.Vendor + " introspect"
	}
	return &Introspector{c: c, op: op, url: u, auth: auth, issuer: cfg.Issuer, tokEP: cfg.TokenEndpoint,
		aud: aud, params: cfg.Params, bearer: cfg.Bearer, hintRequired: cfg.HintRequired, accessOnly: cfg.AccessTokensOnly}, nil
}

// Verify reports whether the server says the token is active. An answer
// without a boolean "active" is an error (RFC 7662 §2.2 requires it), and
// so is an inactive answer that proves nothing (AccessTokensOnly).
func (i *Introspector) Verify(ctx context.Context, req revoke.Request) (bool, error) {
	switch {
	case i.accessOnly && req.Hint != "" && req.Hint != revoke.HintAccessToken:
		return false, i.cannotTell("a token hinted " + string(req.Hint) + " cannot be checked")
	case i.hintRequired && req.Hint == "":
		// A refresh token first: its client may ask about it without the
		// grant type an access token needs.
		active, err := i.ask(ctx, req.Token, revoke.HintRefreshToken)
		if err != nil || active {
			return active, err
		}
		return i.ask(ctx, req.Token, req.Hint)
	}
	active, err := i.ask(ctx, req.Token, req.Hint)
	if err == nil && !active && i.accessOnly && req.Hint != revoke.HintAccessToken {
		return false, i.cannotTell("its inactive answer proves nothing about a refresh token: give access tokens the hint access_token")
	}
	return active, err
}

// cannotTell is the error of a check AccessTokensOnly makes meaningless.
func (i *Introspector) cannotTell(why string) error {
	return &revoke.Error{Op: i.op, Endpoint: adapter.Endpoint(i.url), Kind: revoke.ErrUnsupported,
		Description: "the server introspects access tokens only, and answers inactive for every refresh token, live or not: " + why}
}

// ask sends one introspection request with hint (none when empty).
func (i *Introspector) ask(ctx context.Context, token string, hint revoke.TokenTypeHint) (bool, error) {
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", string(hint))
	}
	for k, vs := range i.params {
		form[k] = vs
	}
	call := &adapter.Call{
		Op:            i.op,
		Method:        http.MethodPost,
		URL:           i.url,
		Header:        http.Header{"Accept": {"application/json"}},
		Body:          adapter.Form(form),
		Auth:          i.auth,
		Issuer:        i.issuer,
		TokenEndpoint: i.tokEP,
		Audience:      i.aud,
		Token:         token,
		ReadBody:      true,
	}
	if i.bearer != "" {
		call.Secrets = []string{i.bearer}
		call.Authorize = func(_ context.Context, a *adapter.Attempt) error {
			a.SetBearer(i.bearer)
			return nil
		}
	}
	resp, err := i.c.Do(ctx, call)
	if err != nil {
		return false, err
	}
	var body struct {
		Active *bool `json:"active"`
	}
	if json.Unmarshal(resp.Body, &body) != nil || body.Active == nil {
		return false, &revoke.Error{Op: i.op, Endpoint: adapter.Endpoint(i.url), StatusCode: resp.StatusCode,
			Kind: revoke.ErrUnexpectedResponse, Description: "the answer is not an RFC 7662 JSON object with a boolean \"active\"",
			Excerpt: resp.Excerpt(), RequestID: resp.RequestID}
	}
	return *body.Active, nil
}

// Endpoint is the introspection endpoint in use.
func (i *Introspector) Endpoint() string { return i.url.String() }

// introspectionEndpoint finds where to introspect at the authorization
// server of issuer: the introspection_endpoint of its discovery metadata
// (RFC 8414 or OpenID Connect Discovery; its RFC 8705 alias when the client
// presents a certificate), or documented, the path the vendor documents,
// when the metadata cannot be read, is another issuer's or names none. The
// metadata's token endpoint comes along, "" without it, for client
// assertions. A failed look-up is not an error: the vendor's documented
// path is the same endpoint on a server that answers as documented, and a
// wrong one fails each check (reported, never taken for inactive).
func introspectionEndpoint(ctx context.Context, issuer, documented string, auth revoke.ClientAuth, opts []revoke.Option) (endpoint, tokenEndpoint string) {
	if issuer == "" {
		return documented, ""
	}
	md, err := generic.FetchMetadata(ctx, issuer, opts...)
	if err != nil || md.IntrospectionEndpoint == "" {
		return documented, ""
	}
	endpoint, tokenEndpoint = md.IntrospectionEndpoint, md.TokenEndpoint
	switch auth.Method() {
	case revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth:
		if a := md.MTLSEndpointAliases.IntrospectionEndpoint; a != "" {
			endpoint = a
		}
		if a := md.MTLSEndpointAliases.TokenEndpoint; a != "" {
			tokenEndpoint = a
		}
	}
	return endpoint, tokenEndpoint
}

// sameMethods makes the introspection authenticate the client as the
// revocation does: when auth is revoke.ClientCredentials, which the
// Revoker resolved against what the server accepts, it names the method
// the Revoker chose; nil otherwise (auth names its method).
func sameMethods(auth revoke.ClientAuth, r revoke.Revoker) []string {
	if auth.Method() != "" {
		return nil
	}
	if m, ok := r.(interface{ AuthMethod() string }); ok && m.AuthMethod() != "" {
		return []string{m.AuthMethod()}
	}
	return nil
}

// besideRevocation builds the verifier of a vendor whose introspection
// endpoint its metadata (at issuer) names, or sits beside its revocation
// endpoint revocation, the path revokePath there replaced with
// introspectPath. The client authenticates as the revocation r did, with
// defaultMethod when the profile names none. cfg carries what is the
// vendor's own (Vendor, Audience, AccessTokensOnly…); its Endpoint, Auth,
// Methods and Issuer are set here, and its TokenEndpoint from the metadata.
func besideRevocation(ctx context.Context, p *profile.Profile, r revoke.Revoker, defaultMethod, revocation, issuer, revokePath, introspectPath string, cfg IntrospectorConfig) (bulk.Verifier, error) {
	auth, opts, err := p.Client(defaultMethod)
	if err != nil {
		return nil, err
	}
	documented, err := documentedEndpoint(cfg.Vendor, revocation, revokePath, introspectPath)
	if err != nil {
		return nil, err
	}
	cfg.Endpoint, cfg.TokenEndpoint = introspectionEndpoint(ctx, issuer, documented, auth, opts)
	cfg.Auth, cfg.Methods, cfg.Issuer = auth, sameMethods(auth, r), issuer
	v, err := NewIntrospector(cfg, opts...)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// documentedEndpoint derives the endpoint the vendor documents for
// introspection from its revocation endpoint, whose last path segments
// revokePath are replaced with introspectPath.
func documentedEndpoint(vendor, revocation, revokePath, introspectPath string) (string, error) {
	u, err := url.Parse(revocation)
	if err != nil || !strings.HasSuffix(u.Path, revokePath) {
		return "", fmt.Errorf("%s: --verify: the revocation endpoint %s does not end in %s, so the introspection endpoint (%s) cannot be placed beside it", vendor, revocation, revokePath, introspectPath)
	}
	u.Path = strings.TrimSuffix(u.Path, revokePath) + introspectPath
	u.RawPath = ""
	return u.String(), nil
}
