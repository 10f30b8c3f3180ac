package github

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/internal/redact"
)

// CredentialsConfig configures a CredentialRevoker
// (https://docs.github.com/en/rest/credentials/revoke).
//
// It may hold a secret (Token): every fmt verb, slog and encoding/json
// print it redacted.
type CredentialsConfig struct {
	// BaseURL is the REST API root, as in Config: "" means
	// https://api.github.com; GitHub Enterprise Server is
	// "https://HOST/api/v3".
	BaseURL string
	// Token authenticates to GitHub Enterprise Server, whose endpoint takes
	// "60 authenticated requests per hour"
	// (https://docs.github.com/en/enterprise-server@3.19/rest/credentials/revoke).
	// It must be empty for github.com, which answers 403 to any
	// authenticated request there: New refuses it.
	Token string
}

// fields is what a CredentialsConfig prints: the token shows as the
// redaction marker, and BaseURL no user info, query or fragment. A nil
// *CredentialsConfig has none.
func (c *CredentialsConfig) fields() adapter.Fields {
	if c == nil {
		return nil
	}
	return adapter.Fields{
		{"BaseURL", strconv.Quote(redact.URL(c.BaseURL))},
		{"Token", redact.Quoted(c.Token)},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// token, and any user info, query or fragment in BaseURL, never print.
func (c CredentialsConfig) Format(f fmt.State, verb rune) {
	c.fields().Print(f, verb, "github.CredentialsConfig")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *CredentialsConfig logs as an empty group.
func (c *CredentialsConfig) LogValue() slog.Value { return c.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (c CredentialsConfig) MarshalJSON() ([]byte, error) { return c.fields().MarshalJSON() }

// CredentialRevoker revokes credentials found exposed, whoever owns them,
// with POST /credentials/revoke {"credentials":[…]}: personal access tokens
// (ghp_, github_pat_), OAuth app tokens (gho_) and GitHub App user and
// refresh tokens (ghu_, ghr_). GitHub answers 202 Accepted, revokes the
// valid ones, and notifies their owners by email; it cannot reactivate
// them (https://docs.github.com/en/rest/credentials/revoke).
//
// On github.com the endpoint is unauthenticated: the revoker never sends an
// Authorization header. GitHub allows MaxCredentialsPerRequest (1,000)
// credentials per request and CredentialRequestsPerHour (60) requests per
// hour; RevokeCredentials splits a list into batches and the kit paces them
// to GitHub's rate-limit headers.
//
// It is safe for concurrent use; share one, so that its pacing sees every
// call. It implements revoke.Revoker for one credential at a time.
type CredentialRevoker struct {
	c     *adapter.Client
	url   *url.URL
	token revoke.Secret
}

var _ revoke.Revoker = (*CredentialRevoker)(nil)

// NewCredentialRevoker validates cfg and opts and returns a
// CredentialRevoker. Every mistake is a *revoke.ConfigError naming the
// field and the fix.
func NewCredentialRevoker(cfg CredentialsConfig, opts ...revoke.Option) (*CredentialRevoker, error) {
	c, err := adapter.New(profile, opts...)
	if err != nil {
		return nil, err
	}
	base, err := baseURL(c, "github.CredentialsConfig.BaseURL", cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Token != "" {
		if githubDotCom(base.Hostname()) {
			return nil, &revoke.ConfigError{Field: "github.CredentialsConfig.Token", Problem: "is set for github.com, which answers 403 to any authenticated request to /credentials/revoke: leave Token empty (it is only for GitHub Enterprise Server)"}
		}
		if err := adapter.CheckSecret("github.CredentialsConfig.Token", cfg.Token, "a GitHub Enterprise Server token (a personal access token of any scope)"); err != nil {
			return nil, err
		}
	}
	return &CredentialRevoker{c: c, url: adapter.JoinPath(base, credentialsPath...), token: revoke.Secret(cfg.Token)}, nil
}

// Endpoint returns the URL in use, {BaseURL}/credentials/revoke, or "" for
// a zero CredentialRevoker.
func (cr *CredentialRevoker) Endpoint() string {
	if cr == nil || cr.url == nil {
		return ""
	}
	return cr.url.String()
}

// fields is what a CredentialRevoker prints: its endpoint, and the token
// as the redaction marker when it authenticates. A nil *CredentialRevoker
// has none.
func (cr *CredentialRevoker) fields() adapter.Fields {
	if cr == nil {
		return nil
	}
	return adapter.Fields{
		{"Endpoint", strconv.Quote(cr.Endpoint())},
		{"Token", redact.Quoted(cr.token.Reveal())},
	}
}

// Format implements fmt.Formatter with the fields, with any verb: the
// token never prints.
func (cr CredentialRevoker) Format(f fmt.State, verb rune) {
	cr.fields().Print(f, verb, "github.CredentialRevoker")
}

// LogValue implements slog.LogValuer with the same fields. A nil
// *CredentialRevoker logs as an empty group.
func (cr *CredentialRevoker) LogValue() slog.Value { return cr.fields().LogValue() }

// MarshalJSON implements json.Marshaler with the same fields.
func (cr CredentialRevoker) MarshalJSON() ([]byte, error) { return cr.fields().MarshalJSON() }

// CredentialsReport says what became of each batch of a RevokeCredentials
// call. It holds positions in the list, never a credential.
type CredentialsReport struct {
	// Batches are the list's batches of at most MaxCredentialsPerRequest
	// credentials, in order.
	Batches []Batch
}

// Batch is one request of RevokeCredentials: the credentials
// tokens[First:First+Count].
type Batch struct {
	First, Count int
	// Accepted is true when GitHub answered 202 Accepted for the batch.
	Accepted bool
	// Result is GitHub's answer to an accepted batch.
	Result *revoke.Result
	// Err is why the batch failed (a *revoke.Error), or nil. A batch that
	// is neither accepted nor failed was not sent.
	Err error
}

// Sent reports whether the batch was sent: accepted, refused, or sent
// without an answer (a connection failure, after which GitHub may or may
// not have revoked it). A batch the kit's pacing held back, or one after a
// failed batch, was not sent.
func (b Batch) Sent() bool {
	var e *revoke.Error
	return b.Accepted || (b.Err != nil && asError(b.Err, &e) && (e.StatusCode != 0 || e.Attempts > 0))
}

// Accepted returns how many credentials GitHub accepted for revocation.
func (r *CredentialsReport) Accepted() int {
	if r == nil {
		return 0
	}
	n := 0
	for _, b := range r.Batches {
		if b.Accepted {
			n += b.Count
		}
	}
	return n
}

// NotAccepted returns the credentials of tokens that GitHub did not accept,
// in order: those of failed batches and of batches never sent. tokens must
// be the list given to RevokeCredentials. Revoke them later, when
// Error.RetryAfter has passed.
func (r *CredentialsReport) NotAccepted(tokens []string) []string {
	if r == nil {
		return nil
	}
	var out []string
	for _, b := range r.Batches {
		if b.Accepted || b.First+b.Count > len(tokens) {
			continue
		}
		out = append(out, tokens[b.First:b.First+b.Count]...)
	}
	return out
}

// RevokeCredentials asks GitHub to revoke every credential of tokens, in
// batches of MaxCredentialsPerRequest, one request per batch
// (https://docs.github.com/en/rest/credentials/revoke).
//
// Every credential is checked first, loosely: it must be a token GitHub
// issues, a prefix (ghp_, github_pat_, gho_, ghu_, ghs_, ghr_) followed by
// at least 16 letters, digits or '_'. A malformed one fails the whole call
// before anything is sent, with a *revoke.ConfigError naming its index,
// never its value.
//
// The batches are sent in order. GitHub's budget is 60 requests per hour;
// the kit learns the window from GitHub's x-ratelimit-* headers and holds a
// batch back until the window resets when that fits under the retry
// policy's MaxWait and the context's deadline. When it does not fit, or
// GitHub refuses a batch, RevokeCredentials stops: it returns the report
// and the batch's *revoke.Error (revoke.ErrRateLimited with RetryAfter for
// the rate limit), whose description says which batches GitHub accepted and
// which were not sent. CredentialsReport.NotAccepted lists the credentials
// to send again once RetryAfter has passed.
//
// A nil error means GitHub accepted every batch. Acceptance is all GitHub
// says: it does not tell which credentials were valid. Credentials are
// never logged and never appear in an error or the report.
func (cr *CredentialRevoker) RevokeCredentials(ctx context.Context, tokens []string) (*CredentialsReport, error) {
	if cr == nil || cr.c == nil || cr.url == nil {
		return nil, &revoke.ConfigError{Field: "github.CredentialRevoker", Problem: "is not initialised: build it with github.NewCredentialRevoker", Kind: revoke.ErrInvalidRequest}
	}
	if err := adapter.CheckContext(ctx, opCredentials); err != nil {
		return nil, err
	}
	if len(tokens) == 0 {
		return nil, &revoke.ConfigError{Field: opCredentials + ": tokens", Problem: "is empty: pass the credentials to revoke", Kind: revoke.ErrInvalidRequest}
	}
	for i, tok := range tokens {
		if err := checkCredential(fmt.Sprintf("%s: tokens[%d]", opCredentials, i), tok); err != nil {
			return nil, err
		}
	}
	report := &CredentialsReport{}
	for first := 0; first < len(tokens); first += MaxCredentialsPerRequest {
		report.Batches = append(report.Batches, Batch{First: first, Count: min(MaxCredentialsPerRequest, len(tokens)-first)})
	}
	for i := range report.Batches {
		b := &report.Batches[i]
		res, err := cr.send(ctx, tokens[b.First:b.First+b.Count])
		if err != nil {
			b.Err = err
			return report, batchError(err, report, i)
		}
		b.Accepted, b.Result = true, res
	}
	return report, nil
}

// batchError adds to a batch's error what became of the other batches.
func batchError(err error, report *CredentialsReport, failed int) error {
	var e *revoke.Error
	if !asError(err, &e) {
		return err
	}
	out := *e
	n := len(report.Batches)
	b := report.Batches[failed]
	var msg strings.Builder
	fmt.Fprintf(&msg, "batch %d of %d (credentials %d to %d) ", failed+1, n, b.First, b.First+b.Count-1)
	var e2 *revoke.Error
	switch {
	case asError(b.Err, &e2) && e2.StatusCode != 0:
		msg.WriteString("was refused")
	case b.Sent():
		msg.WriteString("got no answer (GitHub may or may not have received it)")
	default:
		msg.WriteString("was not sent")
	}
	if failed > 0 {
		fmt.Fprintf(&msg, "; batches 1 to %d (%d credentials) were accepted", failed, report.Accepted())
	} else {
		msg.WriteString("; no batch was accepted")
	}
	if failed+1 < n {
		fmt.Fprintf(&msg, "; batches %d to %d were not sent", failed+2, n)
	}
	msg.WriteString(": send CredentialsReport.NotAccepted again")
	if out.RetryAfter > 0 {
		msg.WriteString(" after RetryAfter")
	}
	out.Description = joinText(out.Description, "("+msg.String()+")")
	return &out
}

func asError(err error, target **revoke.Error) bool {
	e, ok := err.(*revoke.Error)
	if ok {
		*target = e
	}
	return ok
}

// Revoke asks GitHub to revoke one credential, as a batch of one: it
// implements revoke.Revoker, so that a CredentialRevoker works wherever a
// Revoker does. Use RevokeCredentials for many: each call spends one of the
// 60 requests of the hour. req.Hint is not sent (GitHub tells the type from
// the prefix) and may be empty, revoke.HintAccessToken or
// revoke.HintRefreshToken; req.Params must be empty.
func (cr *CredentialRevoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if cr == nil || cr.c == nil || cr.url == nil {
		return nil, &revoke.ConfigError{Field: "github.CredentialRevoker", Problem: "is not initialised: build it with github.NewCredentialRevoker", Kind: revoke.ErrInvalidRequest}
	}
	if err := checkCredential(opCredentials+": Request.Token", req.Token); err != nil {
		return nil, err
	}
	switch req.Hint {
	case revoke.HintNone, revoke.HintAccessToken, revoke.HintRefreshToken:
	default:
		return nil, &revoke.ConfigError{Field: opCredentials + ": Request.Hint", Kind: revoke.ErrInvalidRequest,
			Problem: "is not a hint this endpoint takes: GitHub tells the credential type from its prefix; leave it empty"}
	}
	if len(req.Params) > 0 {
		return nil, &revoke.ConfigError{Field: opCredentials + ": Request.Params", Kind: revoke.ErrInvalidRequest,
			Problem: "GitHub's /credentials/revoke takes only the credentials: leave Params empty"}
	}
	return cr.send(ctx, []string{req.Token})
}

// credentialsBody is the JSON body of POST /credentials/revoke.
type credentialsBody struct {
	Credentials []string `json:"credentials"`
}

// send posts one batch.
func (cr *CredentialRevoker) send(ctx context.Context, batch []string) (*revoke.Result, error) {
	call := &adapter.Call{
		Op:      opCredentials,
		Method:  http.MethodPost,
		URL:     cr.url,
		Header:  header,
		Body:    adapter.JSON(credentialsBody{Credentials: batch}),
		Secrets: batch,
		// One budget for every batch of this revoker.
		Bucket: "github credentials revoke",
		Check:  cr.check,
	}
	if len(batch) == 1 {
		call.Token, call.Secrets = batch[0], nil
	}
	if cr.token != "" {
		call.Authorize = cr.authorize
	}
	resp, err := cr.c.Do(ctx, call)
	if err != nil {
		return nil, err
	}
	res := resp.Result()
	res.Vendor = readDetails(resp)
	return res, nil
}

// authorize authenticates to GitHub Enterprise Server.
func (cr *CredentialRevoker) authorize(_ context.Context, a *adapter.Attempt) error {
	tok := cr.token.Reveal()
	a.Header.Set("Authorization", "Bearer "+tok)
	a.Secret(tok)
	a.Secret("Bearer " + tok)
	return nil
}

// check judges an answer of /credentials/revoke: any 2xx (202 Accepted) is
// success.
func (cr *CredentialRevoker) check(resp *adapter.Response) error {
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusUnprocessableEntity:
		e := resp.Fail()
		e.Description = joinText(e.Description, spammedHint)
		return e
	case s == http.StatusForbidden && !rateLimited(resp) && cr.token == "" && githubDotCom(cr.url.Hostname()):
		e := failure(resp)
		if e.Kind == revoke.ErrForbidden {
			e.Description = joinText(e.Description, authenticatedHint)
		}
		return e
	}
	return failure(resp)
}

// checkCredential checks that tok looks like a credential GitHub issues,
// never repeating it.
func checkCredential(field, tok string) error {
	if err := adapter.CheckToken(field, tok); err != nil {
		// CheckToken names its field op+": Request.Token": name the index.
		if ce, ok := err.(*revoke.ConfigError); ok {
			return &revoke.ConfigError{Field: field, Problem: ce.Problem, Kind: ce.Kind}
		}
		return err
	}
	for _, p := range credentialPrefixes {
		rest, ok := strings.CutPrefix(tok, p)
		if !ok {
			continue
		}
		if len(rest) < minCredentialBody || strings.ContainsFunc(rest, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
		}) {
			return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
				Problem: fmt.Sprintf("starts with %s but is not a whole GitHub token (at least %d letters, digits or '_' after the prefix): check that it was not cut or joined to other text", p, minCredentialBody)}
		}
		return nil
	}
	return &revoke.ConfigError{Field: field, Kind: revoke.ErrInvalidRequest,
		Problem: "does not start with a GitHub token prefix (ghp_, github_pat_, gho_, ghu_, ghs_ or ghr_): /credentials/revoke takes only tokens GitHub issued in these formats"}
}
