package revoke

import (
	"context"
	"errors"

	"golang.org/x/oauth2"
)

// TokenRevoker is implemented by adapters that know better than the default
// how their vendor revokes the two tokens of an oauth2.Token: vendors that
// revoke refresh tokens only (Auth0, Cognito), and vendors where one call
// ends both (Google). RevokeToken defers to it.
type TokenRevoker interface {
	RevokeToken(ctx context.Context, t *oauth2.Token) error
}

// RevokeToken revokes both tokens of an oauth2.Token.
//
// When r implements TokenRevoker, RevokeToken defers to it. Otherwise it
// revokes the refresh token first (hint refresh_token), then the access
// token (hint access_token), the order that leaves no window in which a live
// refresh token can mint new access tokens. The access token is attempted
// even if the refresh token fails. One failure is returned as it is (a
// *Error or *ConfigError naming which token); two are combined with
// errors.Join, so errors.Is and errors.As see each of them.
//
// A nil Revoker, a nil token, or one with neither an access nor a refresh
// token is a *ConfigError matching ErrInvalidRequest: there is nothing to
// revoke.
func RevokeToken(ctx context.Context, r Revoker, t *oauth2.Token) error {
	switch {
	case r == nil:
		return &ConfigError{Field: "RevokeToken: Revoker", Problem: "is nil: pass an adapter such as generic.New(...)", Kind: ErrInvalidRequest}
	case t == nil:
		return &ConfigError{Field: "RevokeToken: token", Problem: "is nil: pass the *oauth2.Token to revoke", Kind: ErrInvalidRequest}
	case t.AccessToken == "" && t.RefreshToken == "":
		return &ConfigError{Field: "RevokeToken: token", Problem: "has neither an access token nor a refresh token: nothing to revoke", Kind: ErrInvalidRequest}
	}
	if tr, ok := r.(TokenRevoker); ok {
		return tr.RevokeToken(ctx, t)
	}
	return refreshThenAccess(ctx, r, t)
}

// refreshThenAccess is RevokeToken's default: the refresh token, then the
// access token, both attempted, failures joined.
func refreshThenAccess(ctx context.Context, r Revoker, t *oauth2.Token) error {
	var errs []error
	if t.RefreshToken != "" {
		if _, err := r.Revoke(ctx, Request{Token: t.RefreshToken, Hint: HintRefreshToken}); err != nil {
			errs = append(errs, nameToken(err, "refresh token"))
		}
	}
	if t.AccessToken != "" {
		if _, err := r.Revoke(ctx, Request{Token: t.AccessToken, Hint: HintAccessToken}); err != nil {
			errs = append(errs, nameToken(err, "access token"))
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// nameToken says which token of the pair failed, keeping the error's type.
func nameToken(err error, which string) error {
	var e *Error
	if errors.As(err, &e) && e == err {
		c := *e
		c.Op = joinOp(c.Op, which)
		return &c
	}
	var ce *ConfigError
	if errors.As(err, &ce) && ce == err {
		c := *ce
		c.Field = c.Field + " (" + which + ")"
		return &c
	}
	return err
}

func joinOp(op, which string) string {
	if op == "" {
		return "revoke " + which
	}
	return op + " (" + which + ")"
}
