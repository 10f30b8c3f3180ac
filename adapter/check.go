package adapter

import (
	"context"

	"github.com/revokekit/revoke"
)

// CheckContext returns a *revoke.ConfigError matching
// revoke.ErrInvalidRequest when ctx is nil, naming op (e.g.
// "acme.Admin.RevokeSubject"), so that a method given a nil context fails
// with advice instead of panicking in net/http.
func CheckContext(ctx context.Context, op string) error {
	if ctx == nil {
		return &revoke.ConfigError{Field: op + ": context", Problem: "is nil: pass context.Background() or a request's context", Kind: revoke.ErrInvalidRequest}
	}
	return nil
}

// CheckSubject is what every revoke.SubjectRevoker checks first, with a
// nil report on failure (the contract of revoke.SubjectRevoker): the
// context (CheckContext), then the subject (revoke.Subject.Validate).
func CheckSubject(ctx context.Context, op string, s revoke.Subject) error {
	if err := CheckContext(ctx, op); err != nil {
		return err
	}
	return s.Validate()
}
