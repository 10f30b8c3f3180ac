package adapter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
)

// Discovery describes an authorization server's metadata document to
// read: RFC 8414 §3 (/.well-known/oauth-authorization-server) or OpenID
// Connect Discovery §4 (/.well-known/openid-configuration). Read it with
// Client.FetchMetadata, or decode one already read with Decode. It holds
// no secret.
type Discovery struct {
	// Op names the request in errors, e.g. "hydra discover".
	Op string
	// URL is the document's location.
	URL *url.URL
	// Issuer is the issuer the document must name in its "issuer" member,
	// trailing slashes aside (RFC 8414 §3.3, OpenID Connect Discovery
	// §4.3): a document naming another may be an impersonation.
	Issuer string
	// Advice, when set, ends the error refusing a document that names
	// another issuer, e.g. "use hydra.New with the public URL".
	Advice string
}

// FetchMetadata reads d's document with GET (Accept: application/json) and
// decodes it into md, a pointer to the adapter's struct of the members it
// reads, as Decode does. Any answer but 200 fails as Response.Fail
// classifies it; a 200 whose document is refused fails as Decode says,
// with the answer's attempts and request ID. Every error is a
// *revoke.Error, or a *revoke.ConfigError for a nil context or a d without
// a URL.
func (c *Client) FetchMetadata(ctx context.Context, d Discovery, md any) error {
	resp, err := c.Do(ctx, &Call{
		Op: d.Op, Method: http.MethodGet, URL: d.URL, Header: acceptJSON, ReadBody: true,
		Check: func(r *Response) error {
			if r.StatusCode != http.StatusOK {
				return r.Fail()
			}
			return nil
		},
	})
	if err != nil {
		return err
	}
	if e := d.decode(resp.Body, md); e != nil {
		e.Attempts, e.RequestID = resp.Attempts, resp.RequestID
		return e
	}
	return nil
}

// Decode decodes body, a metadata document answered with 200, into md (a
// pointer to the adapter's struct of the members it reads) and checks that
// its "issuer" member is d.Issuer, trailing slashes aside. A document that
// is not a JSON object, or that names another issuer, is refused with a
// *revoke.Error matching revoke.ErrUnexpectedResponse, with StatusCode 200
// and d's Op and URL: a caller trying several locations can tell a refused
// document from one it could not fetch.
func (d Discovery) Decode(body []byte, md any) error {
	if e := d.decode(body, md); e != nil {
		return e
	}
	return nil
}

func (d Discovery) decode(body []byte, md any) *revoke.Error {
	fail := func(desc string) *revoke.Error {
		return &revoke.Error{Op: d.Op, Endpoint: Endpoint(d.URL), StatusCode: http.StatusOK, Kind: revoke.ErrUnexpectedResponse, Description: desc}
	}
	var doc struct {
		Issuer string `json:"issuer"`
	}
	err := json.Unmarshal(body, md)
	if err == nil {
		err = json.Unmarshal(body, &doc)
	}
	if err != nil {
		return fail("the metadata document is not a JSON object: " + redact.Bounded(err.Error()))
	}
	if strings.TrimRight(doc.Issuer, "/") != strings.TrimRight(d.Issuer, "/") {
		desc := fmt.Sprintf("the metadata issuer %s does not match the requested issuer %s (RFC 8414 §3.3, OpenID Connect Discovery §4.3): refusing it, as it may be an impersonation",
			redact.Bounded(doc.Issuer), redact.Bounded(d.Issuer))
		if d.Advice != "" {
			desc += "; " + d.Advice
		}
		return fail(desc)
	}
	return nil
}
