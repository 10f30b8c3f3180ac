package github

// This file holds every fact about GitHub the package relies on, with its
// source. The rest of the package only uses them.
//
// Sources:
//   - OAuth authorizations (token and grant deletion):
//     https://docs.github.com/en/rest/apps/oauth-applications
//   - "Check a token", whose page documents the 404 for an invalid token:
//     https://docs.github.com/en/rest/apps/oauth-applications#check-a-token
//   - Credential revocation: https://docs.github.com/en/rest/credentials/revoke
//     and, for GitHub Enterprise Server,
//     https://docs.github.com/en/enterprise-server@3.19/rest/credentials/revoke
//   - API versions: https://docs.github.com/en/rest/about-the-rest-api/api-versions
//   - Rate limits: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
//   - Error bodies (BasicError, ValidationError):
//     https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api
//   - Token prefixes: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
//
// Facts marked [Inf] are inferred, not documented; [3p] are seen only in
// third-party code or reports. The adapter accepts both readings of each.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// DefaultBaseURL is the REST API root of github.com. GitHub Enterprise
// Server serves the same API at https://HOST/api/v3
// (https://docs.github.com/en/enterprise-server@3.19/rest/quickstart).
const DefaultBaseURL = "https://api.github.com"

// APIVersion is the REST API version every call asks for with the
// X-GitHub-Api-Version header
// (https://docs.github.com/en/rest/about-the-rest-api/api-versions).
const APIVersion = "2022-11-28"

// MaxCredentialsPerRequest is the most credentials POST /credentials/revoke
// takes in one request ("a max of 1000 tokens per API request",
// https://docs.github.com/en/rest/credentials/revoke).
const MaxCredentialsPerRequest = 1000

// CredentialRequestsPerHour is GitHub's budget for POST /credentials/revoke:
// "60 unauthenticated requests per hour" on github.com, "60 authenticated
// requests per hour" on GitHub Enterprise Server
// (https://docs.github.com/en/rest/credentials/revoke). On github.com it is
// the primary limit of unauthenticated requests, counted per originating
// IP address and shared with every other unauthenticated call from that
// address [Inf]
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
const CredentialRequestsPerHour = 60

// Token prefixes GitHub issues
// (https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/;
// the fine-grained prefix from https://docs.github.com/en/rest/credentials/revoke).
const (
	// PrefixPAT is a personal access token (classic).
	PrefixPAT = "ghp_"
	// PrefixFineGrainedPAT is a fine-grained personal access token.
	PrefixFineGrainedPAT = "github_pat_"
	// PrefixOAuth is an OAuth app's user access token.
	PrefixOAuth = "gho_"
	// PrefixUserToServer is a GitHub App's user access token.
	PrefixUserToServer = "ghu_"
	// PrefixServerToServer is a GitHub App installation access token.
	PrefixServerToServer = "ghs_"
	// PrefixRefresh is a GitHub App's refresh token.
	PrefixRefresh = "ghr_"
)

// credentialPrefixes are the shapes RevokeCredentials accepts: the five
// types https://docs.github.com/en/rest/credentials/revoke lists for
// github.com, and installation tokens (ghs_), which GitHub may or may not
// revoke there [Inf]: it answers 202 either way.
var credentialPrefixes = []string{PrefixFineGrainedPAT, PrefixPAT, PrefixOAuth, PrefixUserToServer, PrefixServerToServer, PrefixRefresh}

// minCredentialBody is the least number of characters a credential has
// after its prefix. Classic tokens have 36 (30 random and a 6-character
// checksum, per the blog post above); the check is loose on purpose.
const minCredentialBody = 16

// Paths, relative to the base URL.
var (
	applicationsSegment = "applications"
	tokenSegment        = "token"
	grantSegment        = "grant"
	credentialsPath     = []string{"credentials", "revoke"}
)

// Operation names, in errors and logs.
const (
	opToken       = "github revoke token"
	opGrant       = "github revoke grant"
	opCredentials = "github revoke credentials"
)

// header is sent with every call. The kit adds Content-Type for the JSON
// body and the User-Agent GitHub requires
// (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent).
var header = http.Header{
	"Accept":               {"application/vnd.github+json"},
	"X-Github-Api-Version": {APIVersion},
}

// Response headers GitHub sends.
const (
	// HeaderRateLimitResource names the rate-limit bucket a call counted
	// against ("core" for most REST calls).
	HeaderRateLimitResource = "X-Ratelimit-Resource"
	// HeaderRateLimitUsed is how many requests of the window were used.
	HeaderRateLimitUsed = "X-Ratelimit-Used"
	// HeaderRequestID is GitHub's request ID, to quote to GitHub Support.
	HeaderRequestID = "X-Github-Request-Id"
)

// profile is what the adapter kit needs to know about GitHub: the
// x-ratelimit-* headers with an epoch reset, the request ID header, the
// {"message","documentation_url"} error body, and the answers that mean a
// rate limit although their status is 403.
var profile = adapter.Profile{
	Name: "github",
	RateLimit: adapter.RateLimitHeaders{
		Limit:       "X-Ratelimit-Limit",
		Remaining:   "X-Ratelimit-Remaining",
		Reset:       "X-Ratelimit-Reset",
		ResetFormat: adapter.ResetEpoch,
	},
	RequestIDHeaders: []string{HeaderRequestID},
	ParseError:       parseError,
	Classify:         classify,
}

// parseError reads GitHub's error body: BasicError {"message",
// "documentation_url", "status"} or ValidationError, which adds "errors", a
// list of objects {"resource","field","code","message"} or of strings. The
// message is the description; each validation error is a cause. A
// validation error's "value" is never read: it may echo the token.
func parseError(body []byte) (adapter.ErrorBody, bool) {
	var e struct {
		Message          *string           `json:"message"`
		DocumentationURL string            `json:"documentation_url"`
		Errors           []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &e) != nil || e.Message == nil {
		return adapter.ErrorBody{}, false
	}
	out := adapter.ErrorBody{Description: *e.Message, URI: e.DocumentationURL}
	for _, raw := range e.Errors {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out.Causes = append(out.Causes, s)
			continue
		}
		var v struct{ Resource, Field, Code, Message string }
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		var parts []string
		if where := strings.Trim(v.Resource+"."+v.Field, "."); where != "" {
			parts = append(parts, where)
		}
		for _, p := range []string{v.Code, v.Message} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			out.Causes = append(out.Causes, strings.Join(parts, ": "))
		}
	}
	return out, true
}

// classify maps GitHub answers whose status would mislead: a 403 or 429
// whose message says a rate limit was hit ("API rate limit exceeded for
// …", "You have exceeded a secondary rate limit…", and the older "abuse
// detection mechanism") is revoke.ErrRateLimited
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
// Everything else keeps the kit's classification by status: 401
// ErrInvalidClient, 403 ErrForbidden, 404 ErrNotFound, 422
// ErrInvalidRequest, 5xx ErrServer or ErrUnavailable.
func classify(status int, b adapter.ErrorBody) error {
	if (status == http.StatusForbidden || status == http.StatusTooManyRequests) && rateLimitMessage(b.Description) {
		return revoke.ErrRateLimited
	}
	return nil
}

func rateLimitMessage(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "rate limit") || strings.Contains(m, "abuse detection")
}

// rateLimited reports whether an answer is GitHub's rate limit whatever its
// message: a 403 or 429 with x-ratelimit-remaining: 0 (the primary limit)
// or with retry-after (a secondary limit). GitHub answers either status
// (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit).
func rateLimited(r *adapter.Response) bool {
	if r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusTooManyRequests {
		return false
	}
	return r.Header.Get("Retry-After") != "" || strings.TrimSpace(r.Header.Get("X-Ratelimit-Remaining")) == "0"
}

// failure is the kit's error for an answer that is not a success, with
// GitHub's rate limits recognised whatever their status and message: their
// Kind is revoke.ErrRateLimited and RetryAfter the wait GitHub asked for
// (retry-after, or the window's reset when x-ratelimit-remaining is 0),
// and the rate-limit resource is named.
func failure(r *adapter.Response) *revoke.Error {
	e := r.Fail()
	if !rateLimited(r) && e.Kind != revoke.ErrRateLimited {
		return e
	}
	e.Kind = revoke.ErrRateLimited
	if e.RetryAfter == 0 {
		e.RetryAfter = retryAfter(r, time.Now())
	}
	if res := r.Header.Get(HeaderRateLimitResource); res != "" {
		e.Description = joinText(e.Description, "(GitHub rate-limit resource "+strconv.Quote(r.Scrub(res))+")")
	}
	return e
}

// retryAfter is the wait a rate-limited answer asks for: retry-after in
// seconds, else the time until x-ratelimit-reset when nothing remains.
func retryAfter(r *adapter.Response, now time.Time) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(r.Header.Get("Retry-After"))); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if rl := r.RateLimit; rl != nil && rl.Remaining == 0 && !rl.Reset.IsZero() {
		return max(rl.Reset.Sub(now), 0)
	}
	return 0
}

// Hints added to the descriptions of GitHub's errors.
const (
	// notFoundHint explains the ambiguous 404 of the token and grant
	// endpoints. GitHub documents 404 for an invalid token only on "Check a
	// token"; the token and grant deletions list 204 and 422, yet answer
	// 404 for a token they do not know [3p: cloud-gov/pages-core#4008] and,
	// as for any resource a caller may not see, for missing or wrong app
	// credentials [3p: octokit/oauth-app.js#3].
	notFoundHint = "GitHub answers 404 both when it does not know the token (expired, revoked, never issued, or issued to another app) and when the client ID or secret is wrong; if ClientID and ClientSecret are right, the token does not work: set Config.NotFoundIsAlreadyInvalid to report this answer as Result.AlreadyInvalid"
	// spammedHint explains GitHub's 422.
	spammedHint = "(GitHub's 422 means \"Validation failed, or the endpoint has been spammed\": if the request is well formed, wait before retrying)"
	// authenticatedHint explains a 403 from /credentials/revoke on
	// github.com.
	authenticatedHint = "(github.com answers 403 to any authenticated request to /credentials/revoke: the SDK sends no Authorization header there, so check for a proxy or HTTP client transport that adds one)"
)

// joinText appends a hint to a description.
func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "("):
		return a + " " + b
	}
	return a + ": " + b
}

// githubDotCom reports whether host is github.com's API host, where
// /credentials/revoke refuses authentication.
func githubDotCom(host string) bool {
	return strings.EqualFold(host, "api.github.com")
}

// webHost reports whether host is GitHub's web host, a common mistake for
// the API host.
func webHost(host string) bool {
	return strings.EqualFold(host, "github.com") || strings.EqualFold(host, "www.github.com")
}
