package adapter

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/bridge"
)

// Call describes one logical request to a vendor. The kit may send it
// several times; everything per-attempt (client assertions, DPoP proofs,
// Authorize) is rebuilt for each attempt.
type Call struct {
	// Op names the operation in errors and logs, e.g. "okta revoke".
	Op string
	// Method is the HTTP method; "" means POST.
	Method string
	// URL is the endpoint, validated at construction (see Client.URL).
	URL *url.URL
	// Query is added to URL's query for this call.
	Query url.Values
	// Header holds fixed headers. It is shared and never modified.
	Header http.Header
	// Body is the request body: Form, JSONFields, JSON, Raw, or nil.
	Body Body
	// Auth authenticates the client; nil sends no client authentication.
	// Credentials that travel in the body need a Form or JSONFields body.
	Auth revoke.ClientAuth
	// Issuer and TokenEndpoint, when known, serve as client assertion
	// audiences; Audience is the adapter's default rule for assertions
	// whose ClientAuth names none (revoke.AudienceAuto means the URL
	// called).
	Issuer        string
	TokenEndpoint string
	Audience      revoke.Audience
	// Token is the token the call is about: it is scrubbed from everything
	// kept from the response, like every credential the kit applies.
	Token string
	// Secrets are further values to scrub (an API token the adapter puts
	// in a header itself).
	Secrets []string
	// Authorize adds per-attempt credentials that the kit cannot apply
	// itself (a bearer token from an oauth2.TokenSource). It runs before
	// every attempt; values it adds with Attempt.Secret are scrubbed.
	Authorize func(ctx context.Context, a *Attempt) error
	// AccessToken, when the call presents an access token (Authorization:
	// DPoP <token>), binds the DPoP proof to it with "ath".
	AccessToken string
	// Bucket keys the rate-limit state; "" means method and path.
	Bucket string
	// ReadBody keeps the body of the final answer, read up to the
	// MaxResponseBytes bound, in Response.Body. Error answers are always
	// read, up to 64 KiB or MaxResponseBytes, whichever is smaller.
	ReadBody bool
	// Check says what the final answer means. Nil means any 2xx is
	// success and anything else fails as Response.Fail classifies it.
	Check func(r *Response) error
}

// Attempt is one sending of a Call, as Call.Authorize sees it.
type Attempt struct {
	// Header is the attempt's request header, to add credentials to.
	Header http.Header
	// Method and URL are what this attempt sends.
	Method string
	URL    *url.URL
	st     *callState
}

// Secret registers a value placed in the request, to be scrubbed from
// anything kept from the response.
func (a *Attempt) Secret(v string) {
	if v != "" {
		a.st.secrets = append(a.st.secrets, v)
	}
}

// SetAccessToken binds this attempt's DPoP proof to the access token it
// presents (RFC 9449 §4.2 "ath") and registers it as a secret.
func (a *Attempt) SetAccessToken(tok string) {
	a.st.accessToken = tok
	a.Secret(tok)
}

// AlreadyInvalid is returned by a Check to say: the server answered that
// the token was already invalid, expired, revoked or unknown. The call
// succeeds with Result.AlreadyInvalid set, the same way for every vendor.
//
// Like filepath.SkipDir it is a signal, not a failure: it never reaches a
// caller.
//
//lint:ignore ST1012 a signal returned by a Check, named for what it says
var AlreadyInvalid = errors.New("adapter: token already invalid")

// Body is a request body. Build one with Form, JSONFields, JSON or Raw.
type Body interface {
	body()
}

// Form is an application/x-www-form-urlencoded body. Client credentials
// that travel in the body (client_secret_post, public client_id,
// assertions) are added to it.
func Form(v url.Values) Body { return &fieldsBody{values: v} }

// JSONFields is an application/json object whose members are the string
// values of v, one value per key. Body-borne client credentials are added
// to it as members. A value that is not valid UTF-8 is refused: JSON
// would alter it.
func JSONFields(v url.Values) Body { return &fieldsBody{values: v, json: true} }

// JSON is an application/json body holding v, encoded without HTML
// escaping. Client credentials cannot be added to it: authenticate with a
// header (Basic), or use JSONFields.
func JSON(v any) Body { return &jsonBody{v: v} }

// Raw is a body sent as it is, with its content type.
func Raw(contentType string, b []byte) Body { return &rawBody{ct: contentType, b: b} }

type fieldsBody struct {
	values url.Values
	json   bool
	// fields, when set, replaces values (the kit's own revocation path).
	fields *bridge.Fields
}

type jsonBody struct{ v any }

type rawBody struct {
	ct string
	b  []byte
}

func (*fieldsBody) body() {}
func (*jsonBody) body()   {}
func (*rawBody) body()    {}
