package adapter

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/bridge"
)

// Revocation describes an RFC 7009 §2.1 revocation endpoint, or a vendor
// endpoint close to one: a POST of the token, the optional hint and client
// authentication, as a form (or, for vendors such as Auth0, a JSON object).
type Revocation struct {
	// Op names the operation, e.g. "okta revoke".
	Op string
	// URL is the endpoint.
	URL *url.URL
	// Auth authenticates the client; revoke.NoClientAuth() for none.
	Auth revoke.ClientAuth
	// Issuer, TokenEndpoint and Audience are as in Call: the values and
	// the default rule for client assertion audiences.
	Issuer        string
	TokenEndpoint string
	Audience      revoke.Audience
	// Hints are the token_type_hint values the vendor documents; a request
	// with another is refused before sending. Nil accepts any value made of
	// letters, digits and "_-.:" (RFC 7009 §4.1.2 allows extensions).
	Hints []revoke.TokenTypeHint
	// OmitHint checks the hint but never sends it, for vendors that
	// document none.
	OmitHint bool
	// TokenParam is the name of the token parameter; "" means "token".
	TokenParam string
	// JSON sends a JSON object of strings instead of a form.
	JSON bool
	// NoParams refuses Request.Params: the vendor documents no others.
	NoParams bool
	// SendClientID puts client_id in the body beside any client
	// authentication, for vendors that require it there even with Basic
	// or an assertion (Auth0, PingAM).
	SendClientID bool
	// Header holds fixed headers; Accept: application/json is the default.
	Header http.Header
	// Check says what an answer means (see Call.Check); nil is
	// DefaultCheck.
	Check func(r *Response) error
	// ReadBody gives Check the body of a 2xx answer too (Keycloak answers
	// 200 {"error":"invalid_token"}).
	ReadBody bool
	// Bucket keys the rate-limit state; "" means method and path.
	Bucket string
}

// reservedParams carry the token or client authentication: Request.Params
// may not set them, in any letter case.
var reservedParams = [...]string{"token", "token_type_hint", "client_id", "client_secret", "client_assertion", "client_assertion_type"}

var acceptJSON = http.Header{"Accept": {"application/json"}}

// Revoke validates req against the vendor's rules, sends it and returns
// the *revoke.Result, or a *revoke.Error or *revoke.ConfigError.
func (c *Client) Revoke(ctx context.Context, rv *Revocation, req revoke.Request) (*revoke.Result, error) {
	if c == nil || rv == nil || rv.URL == nil {
		return nil, &revoke.ConfigError{Field: "revoker", Problem: "is not initialised: build it with the adapter's New function", Kind: revoke.ErrInvalidRequest}
	}
	rc := &revocationCall{}
	rc.fields.Use(rc.kv[:0])
	if err := rv.fields(&rc.fields, req); err != nil {
		return nil, err
	}
	rc.body = fieldsBody{fields: &rc.fields, json: rv.JSON}
	rv.fill(&rc.call, req.Token, &rc.body)
	resp, err := c.Do(ctx, &rc.call)
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// revocationCall is what Client.Revoke sends, in one allocation: the
// call, its body, and room for the token, the hint and two credentials.
type revocationCall struct {
	call   Call
	body   fieldsBody
	fields bridge.Fields
	kv     [12]string
}

// Call returns the POST of body to rv's endpoint, with rv's headers
// (Accept: application/json when it has none), client authentication,
// assertion audience rule, Check, ReadBody and Bucket, scrubbing token.
// Client.Revoke sends the RFC 7009 form this way; an adapter whose vendor
// wants another body (a JSON object in its own order, a form with a field
// the authentication does not add) sends its own through the same Call.
// The Revocation's request rules (Hints, NoParams, ...) are not applied:
// check the request first.
func (rv *Revocation) Call(token string, body Body) *Call {
	c := &Call{}
	rv.fill(c, token, body)
	return c
}

func (rv *Revocation) fill(c *Call, token string, body Body) {
	header := rv.Header
	if header == nil {
		header = acceptJSON
	}
	*c = Call{
		Op: rv.Op, Method: http.MethodPost, URL: rv.URL, Header: header, Body: body,
		Auth: rv.Auth, Issuer: rv.Issuer, TokenEndpoint: rv.TokenEndpoint, Audience: rv.Audience,
		Token: token, Check: rv.Check, Bucket: rv.Bucket, ReadBody: rv.ReadBody,
	}
}

// fields checks req and lays out the body parameters in f: the token, the
// hint, then Request.Params in key order.
func (rv *Revocation) fields(f *bridge.Fields, req revoke.Request) error {
	if err := CheckToken(rv.Op, req.Token); err != nil {
		return err
	}
	if err := rv.checkHint(req.Hint); err != nil {
		return err
	}
	if err := rv.checkParams(req.Params); err != nil {
		return err
	}
	f.Set(rv.tokenParam(), req.Token)
	if req.Hint != "" && !rv.OmitHint {
		f.Set("token_type_hint", string(req.Hint))
	}
	for _, k := range sortedKeys(req.Params) {
		for _, v := range req.Params[k] {
			f.Add(k, v)
		}
	}
	if rv.SendClientID && rv.Auth != nil && rv.Auth.ClientID() != "" {
		f.Set("client_id", rv.Auth.ClientID())
	}
	return nil
}

// CheckToken refuses a token that cannot be revoked as given: empty,
// shorter than revoke.MinSecretBytes (it could not be scrubbed from echoed
// text, and no vendor issues one), or holding white space or a control
// character (a stray newline from a file). The token is never repeated.
func CheckToken(op, token string) error {
	if len(token) >= revoke.MinSecretBytes && !strings.ContainsFunc(token, isControlOrSpace) {
		return nil
	}
	field := op + ": Request.Token"
	switch {
	case !utf8.ValidString(token):
		return &revoke.ConfigError{Field: field, Problem: "is not valid UTF-8, which no vendor issues and a JSON body would alter: check how the token was read", Kind: revoke.ErrInvalidRequest}
	case token == "":
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass the access or refresh token to revoke", Kind: revoke.ErrInvalidRequest}
	case strings.ContainsFunc(token, isControlOrSpace):
		return &revoke.ConfigError{Field: field, Problem: "contains white space or a control character, which no token has: check for a stray newline or space where it was read", Kind: revoke.ErrInvalidRequest}
	case len(token) < revoke.MinSecretBytes:
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long, shorter than any token a vendor issues (%d): check that the whole token was passed", len(token), revoke.MinSecretBytes), Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

func (rv *Revocation) checkHint(h revoke.TokenTypeHint) error {
	if h == "" || (rv.Hints != nil && slices.Contains(rv.Hints, h)) {
		return nil
	}
	if rv.Hints != nil {
		names := make([]string, len(rv.Hints))
		for i, x := range rv.Hints {
			names[i] = string(x)
		}
		return &revoke.ConfigError{Field: rv.Op + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%q is not a token_type_hint this vendor documents: use one of %s, or leave it empty", shown(string(h)), strings.Join(names, ", "))}
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-.:", r)) || len(h) > 64 {
			return &revoke.ConfigError{Field: rv.Op + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
				Problem: "is not a token type name (letters, digits and _-.: only): use revoke.HintAccessToken, revoke.HintRefreshToken, or leave it empty"}
		}
	}
	return nil
}

// shown bounds a caller's value repeated in an error.
func shown(s string) string {
	if len(s) > 40 || strings.ContainsFunc(s, isControl) {
		return "(a value of " + fmt.Sprint(len(s)) + " bytes)"
	}
	return s
}

func (rv *Revocation) checkParams(p url.Values) error {
	if len(p) == 0 {
		return nil
	}
	field := rv.Op + ": Request.Params"
	if rv.NoParams {
		return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "this endpoint takes no parameters besides the token: leave Params empty"}
	}
	param := rv.tokenParam()
	for k := range p {
		if strings.EqualFold(k, param) {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: fmt.Sprintf("%q is set by the SDK and may not be overridden, in any letter case: use Request.Token", shown(k))}
		}
		for _, r := range reservedParams {
			if strings.EqualFold(k, r) {
				return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
					Problem: fmt.Sprintf("%q is set by the SDK and may not be overridden, in any letter case: use Request.Token, Request.Hint or the adapter's ClientAuth", shown(k))}
			}
		}
		if k == "" || strings.ContainsFunc(k, isControl) {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest, Problem: "has an empty name or one with a control character: remove it"}
		}
	}
	return nil
}

func (rv *Revocation) tokenParam() string {
	if rv.TokenParam == "" {
		return "token"
	}
	return rv.TokenParam
}
