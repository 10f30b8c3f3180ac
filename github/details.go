package github

import (
	"strconv"
	"strings"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
)

// RevokeDetails is what GitHub said about a successful call beyond
// revoke.Result: the rate-limit bucket the call counted against and how
// much of its window was used (x-ratelimit-resource, x-ratelimit-used;
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit).
// Result.RateLimit holds the limit, what remains and the reset. Read it
// with Details. It holds nothing secret.
type RevokeDetails struct {
	// RateLimitResource is the x-ratelimit-resource header ("core"), or
	// "" when GitHub sent none.
	RateLimitResource string
	// RateLimitUsed is the x-ratelimit-used header, or -1 when absent.
	RateLimitUsed int
}

// Details returns the GitHub details of a Result from this package. ok is
// false when res is nil or did not come from this package.
func Details(res *revoke.Result) (d RevokeDetails, ok bool) {
	return adapter.VendorDetails[RevokeDetails](res)
}

// readDetails reads GitHub's extra rate-limit headers from an answer; the
// resource name is server text, scrubbed and bounded like all the kit
// keeps.
func readDetails(r *adapter.Response) RevokeDetails {
	d := RevokeDetails{RateLimitUsed: -1}
	if v := r.Header.Get(HeaderRateLimitResource); v != "" {
		d.RateLimitResource = r.Scrub(v)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(r.Header.Get(HeaderRateLimitUsed))); err == nil && n >= 0 {
		d.RateLimitUsed = n
	}
	return d
}
