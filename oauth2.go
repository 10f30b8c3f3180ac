package revoke

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"
)

// RevokeToken revokes both tokens of an oauth2.Token, refresh token first
// (hint refresh_token), then the access token (hint access_token), which is
// the order that leaves no window in which a live refresh token can mint new
// access tokens. The access token is attempted even if the refresh token
// fails; the failures are combined with errors.Join, so errors.Is and
// errors.As see each of them.
//
// A nil token, or one with neither an access nor a refresh token, is an
// error: there is nothing to revoke.
//
// Revoking a refresh token usually ends its access token too, and a few
// vendors then answer the second call with an error instead of RFC 7009's
// 200 (OneLogin OIDC says unsupported_token_type; see its adapter's
// AlreadyRevokedOK option). Such an error is still reported: the SDK cannot
// tell "already gone" from "cannot be revoked" in general.
func RevokeToken(ctx context.Context, r Revoker, t *oauth2.Token) error {
	if r == nil {
		return errors.New("revoke: RevokeToken: Revoker is nil: pass an adapter such as generic.New(...)")
	}
	if t == nil {
		return errors.New("revoke: RevokeToken: token is nil: pass the *oauth2.Token to revoke")
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return errors.New("revoke: RevokeToken: token has neither an access token nor a refresh token: nothing to revoke")
	}
	var errs []error
	if t.RefreshToken != "" {
		if _, err := r.Revoke(ctx, Request{Token: t.RefreshToken, Hint: HintRefreshToken}); err != nil {
			errs = append(errs, fmt.Errorf("revoking refresh token: %w", err))
		}
	}
	if t.AccessToken != "" {
		if _, err := r.Revoke(ctx, Request{Token: t.AccessToken, Hint: HintAccessToken}); err != nil {
			errs = append(errs, fmt.Errorf("revoking access token: %w", err))
		}
	}
	return errors.Join(errs...)
}
