package adapter

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
)

// PairRule says how a vendor revokes the two tokens of an oauth2.Token. An
// adapter implements revoke.TokenRevoker with RevokePair and its rule.
type PairRule int

const (
	// RefreshThenAccess revokes the refresh token, then the access token,
	// both attempted, failures joined: revoke.RevokeToken's default.
	RefreshThenAccess PairRule = iota
	// RefreshOnly revokes the refresh token alone, for vendors that revoke
	// nothing else (Auth0, Cognito): the access token expires on its own.
	// A token without a refresh token is an error matching
	// revoke.ErrUnsupported.
	RefreshOnly
	// OneCall makes one call, with the refresh token when there is one,
	// for vendors where revoking either token ends the whole grant (Google,
	// Dropbox).
	OneCall
)

// RevokePair revokes the tokens of t at r according to rule.
func RevokePair(ctx context.Context, r revoke.Revoker, t *oauth2.Token, rule PairRule, vendor string) error {
	switch {
	case r == nil:
		return &revoke.ConfigError{Field: "RevokeToken: Revoker", Problem: "is nil: pass an adapter", Kind: revoke.ErrInvalidRequest}
	case t == nil:
		return &revoke.ConfigError{Field: "RevokeToken: token", Problem: "is nil: pass the *oauth2.Token to revoke", Kind: revoke.ErrInvalidRequest}
	case t.AccessToken == "" && t.RefreshToken == "":
		return &revoke.ConfigError{Field: "RevokeToken: token", Problem: "has neither an access token nor a refresh token: nothing to revoke", Kind: revoke.ErrInvalidRequest}
	}
	switch rule {
	case RefreshOnly:
		if t.RefreshToken == "" {
			return &revoke.ConfigError{Field: "RevokeToken: token", Kind: revoke.ErrUnsupported,
				Problem: vendor + " revokes refresh tokens only, and this token has none: its access token stays valid until it expires; keep access tokens short-lived"}
		}
		_, err := r.Revoke(ctx, revoke.Request{Token: t.RefreshToken, Hint: revoke.HintRefreshToken})
		return err
	case OneCall:
		req := revoke.Request{Token: t.RefreshToken, Hint: revoke.HintRefreshToken}
		if t.RefreshToken == "" {
			req = revoke.Request{Token: t.AccessToken, Hint: revoke.HintAccessToken}
		}
		_, err := r.Revoke(ctx, req)
		return err
	}
	// A RevokerFunc never implements TokenRevoker: this takes the default.
	return revoke.RevokeToken(ctx, revoke.RevokerFunc(r.Revoke), t)
}

// VendorDetails returns what an adapter put in Result.Vendor as its
// details type T, stored as a T or as a non-nil *T; ok is false when res is
// nil or holds anything else. An adapter's Details function is this with
// its own type.
func VendorDetails[T any](res *revoke.Result) (d T, ok bool) {
	if res == nil {
		return d, false
	}
	switch v := res.Vendor.(type) {
	case T:
		return v, true
	case *T:
		if v != nil {
			return *v, true
		}
	}
	return d, false
}
