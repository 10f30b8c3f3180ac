package hydra

import (
	"context"
	"errors"
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

// AdminConfig configures an Admin client for Hydra's admin API
// (https://www.ory.com/docs/reference/api#tag/oAuth2).
//
// Self-hosted Hydra serves the admin API on its own port (4445 by default)
// without authentication: protect that port on the network, and leave
// APIKey and TokenSource empty. Ory Network serves it on the project URL
// and requires a project API key. Printing an AdminConfig with any fmt
// verb, logging it with slog or encoding it with encoding/json shows the
// API key as "[REDACTED]" and the TokenSource by its type only.
type AdminConfig struct {
	// AdminURL is the admin API's base URL: "http://127.0.0.1:4445" or
	// "http://hydra:4445" (self-hosted; plain http to a host that is not
	// a loopback address needs revoke.WithInsecureHTTP, for a network you
	// trust), or "https://{project-slug}.projects.oryapis.com" (Ory
	// Network). The /admin/... paths are appended.
	AdminURL string
	// APIKey is an Ory Network project API key ("ory_pat_…"), sent as
	// "Authorization: Bearer <key>"
	// (https://www.ory.com/docs/concepts/personal-access-token). It is a
	// secret: it never appears in an error, a log record or a printed
	// value.
	APIKey string
	// TokenSource supplies a bearer token per attempt instead, for an
	// admin API behind a gateway that wants OAuth 2.0 access tokens (Ory
	// Oathkeeper, an API gateway). A source with a
	// TokenContext(context.Context) (*oauth2.Token, error) method is
	// called with the request's context.
	TokenSource oauth2.TokenSource
	// Issuer is Hydra's issuer URL. Optional: when set, RevokeSubject
	// also accepts revoke.IssSubSubject(Issuer, sub).
	Issuer string
}

// fields is what an AdminConfig prints: the API key shows as the
// redaction marker, the TokenSource as its type only, and a URL no user
// info, query or fragment. A nil *AdminConfig has none.
func (c *AdminConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"AdminURL", strconv.Quote(redact.URL(c.AdminURL))},
		{"APIKey", redact.Quoted(c.APIKey)},
		{"TokenSource", redact.Type(c.TokenSource)},
		{"Issuer", strconv.Quote(redact.URL(c.Issuer))},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the API
// key never prints, and the TokenSource prints by its type only.
func (c AdminConfig) Format(f fmt.State, verb rune) { c.fields().Print(f, verb, "hydra.AdminConfig") }

// LogValue implements slog.LogValuer with the same fields. A nil
// *AdminConfig logs as an empty group.
func (c *AdminConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c AdminConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// Admin ends what a subject holds at one Hydra through its admin API: the
// consent sessions with every token issued under them, and the login
// sessions. It implements revoke.SubjectRevoker.
//
// It is safe for concurrent use; create one with NewAdmin and share it. A
// nil or zero Admin returns a *revoke.ConfigError from every method.
type Admin struct {
	c      *adapter.Client
	base   *url.URL
	auth   authorizer
	issuer string
}

var _ revoke.SubjectRevoker = (*Admin)(nil)

// NewAdmin validates cfg and opts and returns an Admin. Every mistake is a
// *revoke.ConfigError naming the field, here, not on first use.
func NewAdmin(cfg AdminConfig, opts ...revoke.Option) (*Admin, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	const field = "hydra.AdminConfig.AdminURL"
	if _, err := c.URL(field, cfg.AdminURL); err != nil {
		return nil, err
	}
	base, err := c.BaseURL(field, cfg.AdminURL)
	if err != nil {
		return nil, err
	}
	lower := strings.ToLower(base.Path)
	if strings.HasSuffix(lower, "/admin") || strings.Contains(lower, "/admin/") || strings.HasSuffix(lower, "/oauth2") {
		return nil, &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("%s already includes an API path: pass only the admin base URL (e.g. http://127.0.0.1:4445 or https://{slug}.projects.oryapis.com); /admin/oauth2/... is appended", redact.Bounded(adapter.Endpoint(base)))}
	}
	auth, err := newAuthorizer(cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Issuer != "" {
		if _, err := c.URL("hydra.AdminConfig.Issuer", cfg.Issuer); err != nil {
			return nil, err
		}
	}
	return &Admin{c: c, base: base, auth: auth, issuer: cfg.Issuer}, nil
}

func (a *Admin) ready(method string) error {
	if a == nil || a.c == nil || a.base == nil || a.auth == nil {
		return &revoke.ConfigError{Field: "hydra.Admin." + method, Problem: "the Admin is nil or a zero value: build it with hydra.NewAdmin", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// AdminURL returns the admin base URL in use, or "" for a zero Admin.
func (a *Admin) AdminURL() string {
	if a == nil || a.base == nil {
		return ""
	}
	return a.base.String()
}

func (a *Admin) describe() string {
	if a == nil || a.auth == nil {
		return ""
	}
	return a.auth.describe()
}

// fields is what an Admin prints: its URL and how it authenticates,
// never a key. A nil *Admin has none.
func (a *Admin) fields() adapter.Fields {
	if a == nil {
		return nil
	}
	return adapter.Fields{
		{"AdminURL", strconv.Quote(a.AdminURL())},
		{"Auth", strconv.Quote(a.describe())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: an
// Admin prints its URL and how it authenticates, never a key.
func (a Admin) Format(f fmt.State, verb rune) { a.fields().Print(f, verb, "hydra.Admin") }

// LogValue implements slog.LogValuer with the same fields. A nil *Admin
// logs as an empty group.
func (a *Admin) LogValue() slog.Value { return a.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (a Admin) MarshalJSON() ([]byte, error) { return a.fields().MarshalJSON() }

// ConsentOption narrows RevokeConsentSessions and RevokeSubjectWith.
type ConsentOption func(*consentOptions)

type consentOptions struct {
	client    string
	clientSet bool
}

// ForClient revokes only the consent sessions, and the tokens, granted to
// the OAuth 2.0 client with this ID (Hydra's client= query parameter)
// instead of every client's (all=true).
func ForClient(clientID string) ConsentOption {
	return func(o *consentOptions) { o.client, o.clientSet = clientID, true }
}

// maxSubject bounds a subject or client ID placed in a query.
const maxSubject = 1024

// checkID refuses an identifier Hydra cannot have been given: empty, too
// long, or holding a control character or white space at an end. The
// value is never repeated: a caller may have passed a token by mistake.
func checkID(field, v, what string) error {
	switch {
	case v == "":
		return &revoke.ConfigError{Field: field, Problem: "is empty: pass " + what, Kind: revoke.ErrInvalidRequest}
	case len(v) > maxSubject:
		return &revoke.ConfigError{Field: field, Problem: fmt.Sprintf("is %d bytes long, more than %d: pass %s", len(v), maxSubject, what), Kind: revoke.ErrInvalidRequest}
	case strings.TrimSpace(v) != v || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return &revoke.ConfigError{Field: field, Problem: "has white space at an end or a control character: check for a stray newline", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// RevokeConsentSessions revokes a subject's consent sessions and every
// access and refresh token issued under them: DELETE
// /admin/oauth2/auth/sessions/consent?subject=…&all=true, or
// &client=… with ForClient
// (https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2ConsentSessions).
// Hydra answers 204, also for a subject without consent sessions;
// Result.AlreadyInvalid reports an older Hydra's 404 "Unable to locate the
// requested resource" for one (nothing to revoke). Any other 404 means
// AdminURL does not point at the admin API and is an error matching
// revoke.ErrNotFound.
func (a *Admin) RevokeConsentSessions(ctx context.Context, subject string, opts ...ConsentOption) (*revoke.Result, error) {
	if err := a.ready("RevokeConsentSessions"); err != nil {
		return nil, err
	}
	const field = "hydra.Admin.RevokeConsentSessions"
	if err := checkID(field+": subject", subject, "the subject as Hydra knows it (the sub claim of its tokens)"); err != nil {
		return nil, err
	}
	var o consentOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	q := url.Values{"subject": {subject}}
	if o.clientSet {
		if err := checkID(field+": ForClient", o.client, "the OAuth 2.0 client ID"); err != nil {
			return nil, err
		}
		q.Set("client", o.client)
	} else {
		q.Set("all", "true")
	}
	return a.delete(ctx, opConsent, consentSessionsPath, q)
}

// RevokeLoginSessions ends a subject's login (authentication) sessions:
// DELETE /admin/oauth2/auth/sessions/login?subject=…
// (https://www.ory.com/docs/reference/api#tag/oAuth2/operation/revokeOAuth2LoginSessions),
// so that the next authorization request asks the user to log in again.
// It revokes no token and performs no front- or back-channel logout. 204,
// also for a subject without sessions; 404 as for RevokeConsentSessions.
func (a *Admin) RevokeLoginSessions(ctx context.Context, subject string) (*revoke.Result, error) {
	if err := a.ready("RevokeLoginSessions"); err != nil {
		return nil, err
	}
	if err := checkID("hydra.Admin.RevokeLoginSessions: subject", subject, "the subject as Hydra knows it (the sub claim of its tokens)"); err != nil {
		return nil, err
	}
	return a.delete(ctx, opLogin, loginSessionsPath, url.Values{"subject": {subject}})
}

// RevokeLoginSession ends one login session by its ID (the sid claim of
// Hydra's ID tokens): DELETE /admin/oauth2/auth/sessions/login?sid=…
// (Hydra v2.1 and later). Hydra performs OpenID Connect back-channel
// logout for it.
func (a *Admin) RevokeLoginSession(ctx context.Context, sid string) (*revoke.Result, error) {
	if err := a.ready("RevokeLoginSession"); err != nil {
		return nil, err
	}
	if err := checkID("hydra.Admin.RevokeLoginSession: sid", sid, "the login session ID (the sid claim)"); err != nil {
		return nil, err
	}
	return a.delete(ctx, opLogin, loginSessionsPath, url.Values{"sid": {sid}})
}

// delete sends one admin DELETE and judges its answer.
func (a *Admin) delete(ctx context.Context, op, path string, q url.Values) (*revoke.Result, error) {
	u := adapter.JoinPath(a.base, path)
	resp, err := a.c.Do(ctx, &adapter.Call{
		Op: op, Method: http.MethodDelete, URL: u, Query: q, Header: acceptJSON,
		Authorize: a.auth.authorize, Secrets: a.auth.secrets(),
		Check: func(r *adapter.Response) error {
			switch {
			case r.StatusCode >= 200 && r.StatusCode < 300:
				return nil
			case r.StatusCode == http.StatusNotFound:
				if b, ok := r.ErrorBody(); ok && notFoundBody(b) {
					return adapter.AlreadyInvalid
				}
				e := r.Fail()
				e.Kind = revoke.ErrNotFound
				if e.Description == "" {
					e.Description = "the server does not serve " + path + ": check that AdminURL points at Hydra's admin API (port 4445 self-hosted), not its public port"
				}
				return e
			}
			return r.Fail()
		},
	})
	if err != nil {
		return nil, err
	}
	return resp.Result(), nil
}

// Step actions, as RevokeSubject reports them.
const (
	ActionConsentSessions = "revoke consent sessions and their tokens"
	ActionLoginSessions   = "end login sessions"
)

// RevokeSubject ends everything a subject holds at this Hydra, in two
// steps, both attempted whatever the first one's outcome:
//
//  1. revoke every consent session of the subject, for every client, and
//     with them every access and refresh token Hydra issued under them
//     (RevokeConsentSessions);
//  2. end the subject's login sessions (RevokeLoginSessions), so that no
//     authorization request is granted silently on an old session.
//
// Both are revoke.StepDone on 204. The subject is
// revoke.OpaqueSubject(sub): the subject the login app accepted (the sub
// claim of Hydra's tokens; with pairwise subjects, the original one), or
// revoke.IssSubSubject(iss, sub) when AdminConfig.Issuer is set and equal
// to iss. Hydra keeps no user records, so an email address is refused.
// Anything refused is a *revoke.ConfigError matching
// revoke.ErrInvalidRequest, returned before sending. The error is
// report.Err(): nil when no step failed.
func (a *Admin) RevokeSubject(ctx context.Context, s revoke.Subject) (*revoke.Report, error) {
	return a.RevokeSubjectWith(ctx, s)
}

// RevokeSubjectWith is RevokeSubject with options. With ForClient only
// that client's consent sessions and tokens are revoked, and the login
// sessions, which every client shares, are kept (the step is
// revoke.StepSkipped): end them with RevokeLoginSessions.
func (a *Admin) RevokeSubjectWith(ctx context.Context, s revoke.Subject, opts ...ConsentOption) (*revoke.Report, error) {
	if err := a.ready("RevokeSubject"); err != nil {
		return nil, err
	}
	if err := adapter.CheckSubject(ctx, "hydra.Admin.RevokeSubject", s); err != nil {
		return nil, err
	}
	var subject string
	switch s.Format {
	case revoke.FormatOpaque:
		subject = s.ID
	case revoke.FormatIssSub:
		if a.issuer == "" || strings.TrimRight(s.Iss, "/") != strings.TrimRight(a.issuer, "/") {
			return nil, &revoke.ConfigError{Field: "Subject.Iss", Kind: revoke.ErrInvalidRequest,
				Problem: "is not this Hydra's issuer (AdminConfig.Issuer, unset or different): pass revoke.OpaqueSubject(sub), or set AdminConfig.Issuer to the issuer of the tokens"}
		}
		subject = s.Sub
	default:
		return nil, &revoke.ConfigError{Field: "Subject.Format", Kind: revoke.ErrInvalidRequest,
			Problem: fmt.Sprintf("%q is not a format Hydra can use: Hydra keeps no user records, only the subject your login app accepted; pass revoke.OpaqueSubject(sub)", s.Format)}
	}
	var o consentOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	rep := &revoke.Report{Vendor: "hydra", Subject: s}
	res, err := a.RevokeConsentSessions(ctx, subject, opts...)
	rep.Add(step(ActionConsentSessions, o.client, res, err, "Hydra found no consent session for this subject: nothing to revoke"))
	if o.clientSet {
		rep.Add(revoke.Step{Action: ActionLoginSessions, Status: revoke.StepSkipped,
			Note: "restricted to one client: login sessions are shared by every client and are kept; end them with RevokeLoginSessions"})
		return rep, rep.Err()
	}
	res, err = a.RevokeLoginSessions(ctx, subject)
	rep.Add(step(ActionLoginSessions, "", res, err, "Hydra found no login session for this subject: nothing to end"))
	return rep, rep.Err()
}

func step(action, target string, res *revoke.Result, err error, none string) revoke.Step {
	st := revoke.Step{Action: action, Target: target, Result: res}
	switch {
	case err != nil:
		st.Status, st.Err = revoke.StepFailed, err
	default:
		st.Status = revoke.StepDone
		if res.AlreadyInvalid {
			st.Note = none
		}
	}
	return st
}

// ---- admin API authentication ----

// authorizer adds the admin API's credentials to each attempt.
type authorizer interface {
	authorize(ctx context.Context, at *adapter.Attempt) error
	secrets() []string
	describe() string
}

func newAuthorizer(cfg AdminConfig) (authorizer, error) {
	const field = "hydra.AdminConfig"
	switch {
	case cfg.APIKey != "" && cfg.TokenSource != nil:
		return nil, &revoke.ConfigError{Field: field, Problem: "both APIKey and TokenSource are set: choose one"}
	case cfg.TokenSource != nil:
		return &sourceAuth{src: cfg.TokenSource}, nil
	case cfg.APIKey == "":
		return noAuth{}, nil
	}
	key := cfg.APIKey
	if len(key) > 7 && strings.EqualFold(key[:7], "Bearer ") {
		return nil, &revoke.ConfigError{Field: field + ".APIKey", Problem: "starts with \"Bearer \": pass the key alone; the SDK adds the scheme"}
	}
	if err := adapter.CheckSecret(field+".APIKey", key, "the Ory Network project API key (ory_pat_…)"); err != nil {
		return nil, err
	}
	if strings.ContainsAny(key, " \t") {
		return nil, &revoke.ConfigError{Field: field + ".APIKey", Problem: "contains white space, which no API key has: check what was copied"}
	}
	h := "Bearer " + key
	return &keyAuth{header: []string{h}, secret: []string{key, h}}, nil
}

// noAuth sends no credentials: self-hosted Hydra's admin port has none.
type noAuth struct{}

func (noAuth) authorize(context.Context, *adapter.Attempt) error { return nil }
func (noAuth) secrets() []string                                 { return nil }
func (noAuth) describe() string                                  { return "none" }

// keyAuth sends an Ory Network API key as a bearer token.
type keyAuth struct {
	header []string
	secret []string
}

func (k *keyAuth) authorize(_ context.Context, at *adapter.Attempt) error {
	at.Header["Authorization"] = k.header
	return nil
}
func (k *keyAuth) secrets() []string { return k.secret }
func (k *keyAuth) describe() string  { return "Bearer (APIKey)" }

// Format implements fmt.Formatter: the key never prints.
func (k *keyAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, k.describe()) }

// sourceAuth takes a bearer token from a TokenSource for every attempt.
type sourceAuth struct{ src oauth2.TokenSource }

func (s *sourceAuth) secrets() []string { return nil }
func (s *sourceAuth) describe() string  { return fmt.Sprintf("Bearer (TokenSource %T)", s.src) }

// Format implements fmt.Formatter: the source prints by its type only.
func (s *sourceAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.describe()) }

func (s *sourceAuth) authorize(ctx context.Context, at *adapter.Attempt) error {
	const field = "hydra.AdminConfig.TokenSource"
	tok, err := adapter.SourceToken(ctx, field, s.src)
	if err != nil {
		// A source that gives no usable token fails the admin API's
		// authentication as a bad key would.
		var re *revoke.Error
		var ce *revoke.ConfigError
		switch {
		case errors.As(err, &re):
			return err
		case errors.As(err, &ce):
			out := *ce
			out.Kind = revoke.ErrInvalidClient
			return &out
		}
		return &revoke.Error{Op: "hydra admin token", Kind: revoke.ErrInvalidClient, Description: "the TokenSource failed to supply a token", Err: err}
	}
	at.SetBearer(tok.AccessToken)
	return nil
}
