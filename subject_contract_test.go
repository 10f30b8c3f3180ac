package revoke_test

import (
	"context"
	"errors"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/onelogin"
)

// TestSubjectRevokerContract holds every SubjectRevoker of the module to
// the contract SubjectRevoker documents: bad input is a *ConfigError
// returned before any request, with no report.
func TestSubjectRevokerContract(t *testing.T) {
	revokers := map[string]revoke.SubjectRevoker{
		"nil *oktaadmin.Admin":  (*oktaadmin.Admin)(nil),
		"zero oktaadmin.Admin":  &oktaadmin.Admin{},
		"nil *onelogin.Admin":   (*onelogin.Admin)(nil),
		"zero onelogin.Admin":   &onelogin.Admin{},
		"nil *auth0.Management": (*auth0.Management)(nil),
		"zero auth0.Management": &auth0.Management{},
		"nil *entra.Graph":      (*entra.Graph)(nil),
		"zero entra.Graph":      &entra.Graph{},
		"nil *keycloak.Admin":   (*keycloak.Admin)(nil),
		"zero keycloak.Admin":   &keycloak.Admin{},
		"nil *hydra.Admin":      (*hydra.Admin)(nil),
		"zero hydra.Admin":      &hydra.Admin{},
	}
	subjects := map[string]revoke.Subject{
		"a valid subject":  revoke.OpaqueSubject("u1"),
		"the zero Subject": {},
	}
	for name, r := range revokers {
		for sname, s := range subjects {
			for cname, ctx := range map[string]context.Context{"background": context.Background(), "nil": nil} {
				report, err := r.RevokeSubject(ctx, s)
				var ce *revoke.ConfigError
				if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
					t.Errorf("%s, %s, %s context: err = %v; want a *revoke.ConfigError matching ErrInvalidRequest", name, sname, cname, err)
				}
				if report != nil {
					t.Errorf("%s, %s, %s context: report with %d steps; want none", name, sname, cname, len(report.Steps))
				}
			}
		}
	}
}
