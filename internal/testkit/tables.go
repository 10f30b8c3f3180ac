package testkit

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

// Build calls an adapter's constructor, newR(cfg, opts...), and fails the
// test on an error. With ep.Options() as opts, the revoker sends to ep.
func Build[C, R any](t testing.TB, newR func(C, ...revoke.Option) (R, error), cfg C, opts ...revoke.Option) R {
	t.Helper()
	r, err := newR(cfg, opts...)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	return r
}

// WantConfigError fails the test unless err is a *revoke.ConfigError with
// a Field and a Problem: its Field exactly field and its Problem containing
// text (unless field is ""), matching kind (unless kind is nil), and
// showing none of secrets however it is printed.
func WantConfigError(t testing.TB, err error, field, text string, kind error, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want a *revoke.ConfigError on %q saying %q", field, text)
	}
	var ce *revoke.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T %q is not a *revoke.ConfigError", err, err)
	}
	if ce.Field == "" || ce.Problem == "" {
		t.Errorf("error %q lacks the field or the problem", err)
	}
	if field != "" && (ce.Field != field || !strings.Contains(ce.Problem, text)) {
		t.Errorf("error = %q; want field %q and text %q", err, field, text)
	}
	if kind != nil && !errors.Is(err, kind) {
		t.Errorf("errors.Is(%q, %v) = false", err, kind)
	}
	NoLeak(t, "error", err.Error()+PrintAll(err), secrets...)
}

// WantRefused fails the test unless a request was refused before anything
// was sent: err passes WantConfigError and ep recorded no request.
func WantRefused(t testing.TB, ep *Endpoint, err error, field, text string, kind error, secrets ...string) {
	t.Helper()
	WantConfigError(t, err, field, text, kind, secrets...)
	if n := len(ep.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// Misuse checks what no revoker may do when misused. Revoke with a nil
// context on r, and Revoke of req on a zero and on a nil revoker of r's
// type, each return no result and a *revoke.ConfigError matching
// revoke.ErrInvalidRequest, and send nothing to ep. When the type is a
// FormRevoker, the zero and nil revokers' Endpoint, AuthMethod and ClientID
// are empty. Revoke with a cancelled context fails with context.Canceled
// and revoke.ErrUnavailable.
func Misuse[T any, R interface {
	*T
	revoke.Revoker
}](t testing.TB, r R, ep *Endpoint, req revoke.Request) {
	t.Helper()
	before := len(ep.Requests())
	var nilCtx context.Context
	zero, nilR := R(new(T)), R(nil)
	for name, call := range map[string]func() (*revoke.Result, error){
		"nil context":  func() (*revoke.Result, error) { return r.Revoke(nilCtx, req) },
		"zero Revoker": func() (*revoke.Result, error) { return zero.Revoke(context.Background(), req) },
		"nil Revoker":  func() (*revoke.Result, error) { return nilR.Revoke(context.Background(), req) },
	} {
		res, err := call()
		var ce *revoke.ConfigError
		if res != nil || !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s: Revoke = %v, %v; want a ConfigError matching ErrInvalidRequest", name, res, err)
		}
	}
	if n := len(ep.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent", n)
	}
	for name, v := range map[string]R{"zero": zero, "nil": nilR} {
		if f, ok := any(v).(FormRevoker); ok {
			for _, s := range []string{f.Endpoint(), f.AuthMethod(), f.ClientID()} {
				if s != "" {
					t.Errorf("%s Revoker accessor = %q, want empty", name, s)
				}
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Revoke(ctx, req); !errors.Is(err, context.Canceled) || !errors.Is(err, revoke.ErrUnavailable) {
		t.Errorf("cancelled context: %v; want context.Canceled and ErrUnavailable", err)
	}
}

// FormRevoker is a revoker of an RFC 7009 adapter that sends a form.
type FormRevoker interface {
	revoke.Revoker
	Endpoint() string
	AuthMethod() string
	ClientID() string
}

// FormCase is one configuration of a form wire table (see FormMatrix).
type FormCase[R FormRevoker] struct {
	// Name heads the case's subtests and golden sections, each followed
	// by " | " and the hint's name.
	Name string
	// New builds the revoker under test with opts.
	New func(opts ...revoke.Option) (R, error)
	// URL is Endpoint() and the URL the request goes to.
	URL string
	// Method is AuthMethod().
	Method string
	// Basic is the client ID and secret of the Basic Authorization
	// header, as sent; nil when the request carries no Authorization.
	Basic *[2]string
	// Form is what the body carries besides the token, the hint and a
	// client assertion.
	Form url.Values
	// Aud, when not empty, is the only audience of the client assertion
	// the body must carry, whose issuer and subject are the client ID and
	// which has a jti.
	Aud string
	// Check, when not nil, asserts the vendor's own facts about the
	// revoker, the result and the request.
	Check func(t *testing.T, r R, res *revoke.Result, s Seen)
}

// FormWire is what every case of a form wire table shares.
type FormWire struct {
	// ClientID is what every revoker's ClientID() returns.
	ClientID string
	// Token is the token revoked.
	Token string
	// Hints are sent with each case; nil means Hints.
	Hints []revoke.TokenTypeHint
	// Answer is the endpoint's answer; the zero Answer means 200 with an
	// empty body.
	Answer Answer
	// Header holds headers every request carries besides Content-Type
	// and Authorization, which are always checked.
	Header map[string]string
	// TokenFirst asks that the body start with the token parameter.
	TokenFirst bool
	// Golden is the file under testdata the requests must match, each
	// rendered by Render under its subtest's name.
	Golden string
}

// FormMatrix runs one subtest for each case and hint: the revoker's
// Endpoint, AuthMethod and ClientID; one attempt answered 200, not already
// invalid; a POST to the URL with a form content type, the Authorization
// header wanted and the form wanted (the token, the hint unless none, the
// case's Form and client assertion); the case's own Check. The requests,
// in order, must then match w.Golden byte for byte.
func FormMatrix[R FormRevoker](t *testing.T, w FormWire, cases []FormCase[R]) {
	t.Helper()
	hints := w.Hints
	if hints == nil {
		hints = Hints
	}
	answer := w.Answer
	if answer.Status == 0 {
		answer.Status = http.StatusOK
	}
	var golden Transcript
	for _, c := range cases {
		for _, hint := range hints {
			name := c.Name + " | " + HintName(hint)
			t.Run(name, func(t *testing.T) {
				ep := NewEndpoint(answer)
				r, err := c.New(ep.Options()...)
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				Want(t, "Endpoint()", r.Endpoint(), c.URL)
				Want(t, "AuthMethod()", r.AuthMethod(), c.Method)
				Want(t, "ClientID()", r.ClientID(), w.ClientID)
				res, err := r.Revoke(context.Background(), revoke.Request{Token: w.Token, Hint: hint})
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				if res.StatusCode != http.StatusOK || res.Attempts != 1 || res.AlreadyInvalid {
					t.Errorf("result = %+v; want 200 after 1 attempt, not already invalid", res)
				}
				s := ep.Only(t)
				Want(t, "method", s.Method, http.MethodPost)
				Want(t, "URL", s.URL.String(), c.URL)
				Header(t, s.Header, "Content-Type", "application/x-www-form-urlencoded")
				for k, v := range w.Header {
					Header(t, s.Header, k, v)
				}
				if c.Basic == nil {
					Header(t, s.Header, "Authorization", "")
				} else {
					Header(t, s.Header, "Authorization", Basic(c.Basic[0], c.Basic[1]))
				}
				form := s.Form(t)
				want := url.Values{"token": {w.Token}}
				if hint != revoke.HintNone {
					want.Set("token_type_hint", string(hint))
				}
				for k, v := range c.Form {
					want[k] = v
				}
				if c.Aud != "" {
					claims := AssertionClaims(t, form.Get("client_assertion"))
					if claims.Issuer != w.ClientID || claims.Subject != w.ClientID || len(claims.Audience) != 1 || claims.Audience[0] != c.Aud || claims.ID == "" {
						t.Errorf("assertion claims = %+v; want iss=sub=%s, aud=[%s], a jti", claims, w.ClientID, c.Aud)
					}
					want.Set("client_assertion", form.Get("client_assertion"))
				}
				Want(t, "form", form.Encode(), want.Encode())
				if w.TokenFirst && !strings.HasPrefix(string(s.Body), "token=") {
					t.Errorf("body %q does not start with the token", s.Body)
				}
				if c.Check != nil {
					c.Check(t, r, res, s)
				}
				golden.Add(name, Render(s))
			})
		}
	}
	golden.Check(t, w.Golden)
}

// NoRedirect checks that a revoker never follows a redirect: built by build
// to send to an endpoint answering 302, and then one answering 307, with a
// Location elsewhere, Revoke of req fails with revoke.ErrRedirect after the
// one request, so the credentials never leave for the Location.
func NoRedirect(t *testing.T, build func(t *testing.T, ep *Endpoint) revoke.Revoker, req revoke.Request) {
	t.Helper()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect} {
		ep := NewEndpoint(Answer{Status: status, Header: http.Header{"Location": {"https://evil.example.net/steal"}}})
		_, err := build(t, ep).Revoke(context.Background(), req)
		if n := len(ep.Requests()); !errors.Is(err, revoke.ErrRedirect) || n != 1 {
			t.Errorf("%d: err = %v after %d requests; want ErrRedirect after 1", status, err, n)
		}
	}
}

// Retried checks the kit's retries: built by build to send to an endpoint
// giving answers in turn (the last a success), Revoke of req succeeds after
// one attempt per answer, each sending the same request (see Render). It
// returns the result.
func Retried(t *testing.T, build func(t *testing.T, ep *Endpoint) revoke.Revoker, req revoke.Request, answers ...Answer) *revoke.Result {
	t.Helper()
	ep := NewEndpoint(answers...)
	res, err := build(t, ep).Revoke(context.Background(), req)
	if err != nil || res.Attempts != len(answers) {
		t.Fatalf("Revoke = %+v, %v; want success after %d attempts", res, err, len(answers))
	}
	reqs := ep.Requests()
	if len(reqs) != len(answers) {
		t.Fatalf("%d requests sent, want %d", len(reqs), len(answers))
	}
	for i, s := range reqs[1:] {
		if Render(s) != Render(reqs[0]) {
			t.Errorf("attempt %d differs from the first:\n%s", i+2, FirstDiff(Render(s), Render(reqs[0])))
		}
	}
	return res
}

// WantError fails the test unless err is a *revoke.Error matching kind, and
// returns it for the vendor's own checks of its fields.
func WantError(t testing.TB, err, kind error) *revoke.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want a *revoke.Error matching %v", kind)
	}
	if !errors.Is(err, kind) {
		t.Errorf("errors.Is(%q, %v) = false", err, kind)
	}
	var e *revoke.Error
	if !errors.As(err, &e) {
		t.Fatalf("%T %q is not a *revoke.Error", err, err)
	}
	return e
}
