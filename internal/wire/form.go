package wire

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/errbody"
)

// reservedParams may not be set through Request.Params: they carry the token
// or client authentication.
var reservedParams = [...]string{"token", "token_type_hint", "client_id", "client_secret", "client_assertion", "client_assertion_type"}

// FormRevocation describes an RFC 7009 §2.1 form-encoded revocation.
type FormRevocation struct {
	Op            string
	URL           *url.URL
	Auth          revoke.ClientAuth
	Issuer        string
	TokenEndpoint string
	// OmitHint drops token_type_hint for servers that reject it.
	OmitHint bool
	// Classify adjusts errors with vendor knowledge.
	Classify func(e *revoke.Error, h http.Header)
}

// CheckParams rejects Request.Params that would override the token, the hint
// or client authentication.
func CheckParams(op string, p url.Values) error {
	for _, k := range reservedParams {
		if _, ok := p[k]; ok {
			return &revoke.ConfigError{Field: op + ": Request.Params", Problem: fmt.Sprintf("%q is set by the SDK and may not be overridden: use Request.Token, Request.Hint or the adapter's ClientAuth", k)}
		}
	}
	return nil
}

// RevokeForm validates req, builds the form body with client authentication
// applied per attempt, and sends it.
func (c *Client) RevokeForm(ctx context.Context, f *FormRevocation, req revoke.Request) (*Response, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := CheckParams(f.Op, req.Params); err != nil {
		return nil, err
	}
	call := &Call{
		Op:      f.Op,
		Method:  http.MethodPost,
		URL:     f.URL,
		Header:  formHeader,
		Secrets: []string{req.Token},
	}
	call.Build = func(ctx context.Context, h http.Header) ([]byte, error) {
		form := make(url.Values, 4+len(req.Params))
		for k, v := range req.Params {
			form[k] = v
		}
		form.Set("token", req.Token)
		if req.Hint != "" && !f.OmitHint {
			form.Set("token_type_hint", string(req.Hint))
		}
		if f.Auth != nil {
			t := revoke.AuthTarget{Header: h, Form: form, Endpoint: endpoint(f.URL), Issuer: f.Issuer, TokenEndpoint: f.TokenEndpoint}
			if err := f.Auth.Apply(ctx, &t); err != nil {
				return nil, err
			}
			call.Secrets = append(call.Secrets, t.Secrets...)
			// A server may echo the Authorization header itself.
			if a := h.Get("Authorization"); a != "" {
				if _, cred, ok := strings.Cut(a, " "); ok {
					call.Secrets = append(call.Secrets, cred)
				}
				call.Secrets = append(call.Secrets, a)
			}
		}
		return []byte(form.Encode()), nil
	}
	if f.Classify != nil {
		call.Classify = func(e *revoke.Error, _ errbody.Body, h http.Header) { f.Classify(e, h) }
	}
	return c.Do(ctx, call)
}

var formHeader = http.Header{
	"Content-Type": {"application/x-www-form-urlencoded"},
	"Accept":       {"application/json"},
}

// Result converts a Response into a revoke.Result.
func Result(r *Response) *revoke.Result {
	return &revoke.Result{StatusCode: r.StatusCode, Attempts: r.Attempts, RateLimit: r.RateLimit}
}

// JoinPath appends path segments to base's path with exactly one slash
// between them.
func JoinPath(base *url.URL, segs ...string) *url.URL {
	u := *base
	p := strings.TrimRight(u.Path, "/")
	for _, s := range segs {
		p += "/" + strings.Trim(s, "/")
	}
	u.Path, u.RawPath = p, ""
	return &u
}
