package adapter

import (
	"context"
	"fmt"
	"log/slog"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
)

// Vendor describes a vendor's revoker type to VendorRevoker: the Revoker
// that a nil or zero value of the type prints and fails as, holding only
// the names (Name, Build, EndpointOnly). Implement it on an empty,
// unexported struct of the adapter's package.
type Vendor interface {
	Unbuilt() *Revoker
}

// VendorRevoker is the revoker type of an adapter built on the kit. The
// adapter declares its exported Revoker as an alias of it, with its own
// Vendor as V, and documents its vendor's semantics there; the kit
// supplies every method, so no adapter repeats them:
//
//	// Revoker revokes Acme tokens. ...
//	type Revoker = adapter.VendorRevoker[vendor]
//
//	type vendor struct{}
//
//	var unbuilt = adapter.Revoker{Name: "acme.Revoker", Build: "acme.New"}
//
//	func (vendor) Unbuilt() *adapter.Revoker { return &unbuilt }
//
//	func New(cfg Config, opts ...revoke.Option) (*Revoker, error) {
//		// ... adapter.New, checks, the Revocation ...
//		return adapter.NewVendorRevoker[vendor](unbuilt.Bind(c, rv)), nil
//	}
//
// Each adapter's alias is a distinct type. A nil or zero value is safe:
// Revoke and RevokeToken return a *revoke.ConfigError naming the adapter's
// type and constructor, the accessors return "", and it prints as V's
// Unbuilt. It is safe for concurrent use once built.
type VendorRevoker[V Vendor] struct{ k Revoker }

var (
	_ revoke.Revoker      = (*VendorRevoker[Vendor])(nil)
	_ revoke.TokenRevoker = (*VendorRevoker[Vendor])(nil)
)

// NewVendorRevoker returns the VendorRevoker that delegates to k, which
// its constructor made with Bind.
func NewVendorRevoker[V Vendor](k Revoker) *VendorRevoker[V] {
	return &VendorRevoker[V]{k: k}
}

// kit returns the Revoker r delegates to: its own, or V's Unbuilt for a
// nil or zero r.
func (r *VendorRevoker[V]) kit() *Revoker {
	if r == nil || r.k.Client == nil {
		var v V
		if u := v.Unbuilt(); u != nil {
			return u
		}
		return &Revoker{}
	}
	return &r.k
}

// Revoke revokes one token as the adapter's type documents: see
// Revoker.Revoke.
func (r *VendorRevoker[V]) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	return r.kit().Revoke(ctx, req)
}

// RevokeToken revokes the tokens of t by the vendor's rule (Revoker.Pair,
// see PairRule); revoke.RevokeToken defers to it.
func (r *VendorRevoker[V]) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	return r.kit().RevokeToken(ctx, t)
}

// Endpoint returns the revocation endpoint URL in use, or "" for a nil or
// zero value.
func (r *VendorRevoker[V]) Endpoint() string { return r.kit().Endpoint() }

// Issuer returns the issuer in use as the client assertion audience, or
// "" when the adapter has none.
func (r *VendorRevoker[V]) Issuer() string { return r.kit().Issuer() }

// TokenEndpoint returns the token endpoint in use as the client assertion
// audience, or "" when the adapter has none.
func (r *VendorRevoker[V]) TokenEndpoint() string { return r.kit().TokenEndpoint() }

// AuthMethod returns the client authentication method in use, e.g.
// "client_secret_basic" (with revoke.ClientCredentials, the one chosen);
// "none" for a vendor that takes none; "" for a nil or zero value.
func (r *VendorRevoker[V]) AuthMethod() string { return r.kit().AuthMethod() }

// ClientID returns the client ID in use, or "" for a nil or zero value or
// a vendor that takes no client authentication.
func (r *VendorRevoker[V]) ClientID() string { return r.kit().ClientID() }

// Format implements fmt.Formatter: the value prints as the adapter's type
// with its endpoint, method and client ID, never a credential, with any
// verb.
func (r VendorRevoker[V]) Format(f fmt.State, verb rune) { r.kit().Format(f, verb) }

// LogValue implements slog.LogValuer with the same fields. It has a
// pointer receiver so that a nil value logs as an empty group.
func (r *VendorRevoker[V]) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue()
	}
	return r.kit().LogValue()
}

// MarshalJSON implements json.Marshaler with the same fields.
func (r VendorRevoker[V]) MarshalJSON() ([]byte, error) { return r.kit().MarshalJSON() }
