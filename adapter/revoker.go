package adapter

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"

	"golang.org/x/oauth2"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
)

// Revoker is a revoke.Revoker for one Revocation: the Client that sends it,
// the Revocation, and the name of the adapter type that holds it. It gives
// an adapter's revoker type what every one of them has, safe on a nil or
// zero value: Revoke, the accessors Endpoint, AuthMethod, ClientID, Issuer
// and TokenEndpoint, and printing (fmt with every verb, slog,
// encoding/json) of the endpoint, the method and the client ID, never a
// credential.
//
// An adapter's exported revoker type is usually an alias of
// VendorRevoker, which holds one and supplies every method (see its
// example). An adapter whose revoker needs methods of its own (Okta's
// AuthorizationServerID, PingAM's product switch) holds one by value in a
// struct instead, and declares its methods as one-line delegations through
// an accessor that returns a Revoker holding only the names for a nil or
// zero value. It does not embed one: promoted methods would panic through
// a nil pointer to the adapter's type, and a zero value of that type must
// still print and fail under its own name.
//
// Format and MarshalJSON have value receivers, as an adapter's should, so
// that its values print like its pointers; LogValue has a pointer receiver
// and logs a nil *Revoker as an empty group. A Revoker is safe for
// concurrent use once built; do not modify it after.
type Revoker struct {
	// Name is the adapter's type as %#v prints it and as errors name it,
	// e.g. "hydra.Revoker"; "" means "adapter.Revoker".
	Name string
	// Build names the constructors an unbuilt value's error points to,
	// e.g. "hydra.New or hydra.Discover"; "" means "the adapter's New
	// function".
	Build string
	// EndpointOnly prints the endpoint alone, without the method and
	// client ID, for a vendor that takes no client authentication
	// (Google, Salesforce).
	EndpointOnly bool
	// Client sends the Revocation.
	Client *Client
	// Revocation describes the endpoint and its rules.
	Revocation Revocation
	// Send, when set, sends a request that needs more than the
	// Revocation's rules (its own checks, a body of its own), typically
	// through k.Client.Do and k.Revocation.Call, or k.Client.Revoke with
	// a copy of k.Revocation (never k.Revoke, which calls Send). Revoke
	// calls it once r is Ready.
	Send func(ctx context.Context, k *Revoker, req revoke.Request) (*revoke.Result, error)
	// Pair is how the vendor revokes a token pair (RevokeToken); Vendor
	// names it in RevokeToken's errors, e.g. "Auth0".
	Pair   PairRule
	Vendor string
}

var (
	_ revoke.Revoker      = (*Revoker)(nil)
	_ revoke.TokenRevoker = (*Revoker)(nil)
)

// Bind returns a copy of r, a Revoker holding the names, that sends rv
// through c: what an adapter's constructor stores.
func (r Revoker) Bind(c *Client, rv Revocation) Revoker {
	r.Client, r.Revocation = c, rv
	return r
}

// Ready returns nil when r can send: it has a Client, an endpoint and a
// client authentication. Otherwise it returns a *revoke.ConfigError
// matching revoke.ErrInvalidRequest that names r's type and its
// constructors. An adapter whose Revoke checks a request its own way
// before sending calls it first.
func (r *Revoker) Ready() error {
	if r != nil && r.Client != nil && r.Revocation.URL != nil && r.Revocation.Auth != nil {
		return nil
	}
	name, build := "adapter.Revoker", "the adapter's New function"
	if r != nil && r.Name != "" {
		name = r.Name
	}
	if r != nil && r.Build != "" {
		build = r.Build
	}
	return &revoke.ConfigError{Field: name, Problem: "is not initialised: build it with " + build, Kind: revoke.ErrInvalidRequest}
}

// Revoke sends req to the Revocation with Client.Revoke (or with Send,
// when set), after Ready.
func (r *Revoker) Revoke(ctx context.Context, req revoke.Request) (*revoke.Result, error) {
	if err := r.Ready(); err != nil {
		return nil, err
	}
	if r.Send != nil {
		return r.Send(ctx, r, req)
	}
	return r.Client.Revoke(ctx, &r.Revocation, req)
}

// RevokeToken revokes the tokens of t by r's Pair rule, after Ready.
func (r *Revoker) RevokeToken(ctx context.Context, t *oauth2.Token) error {
	if err := r.Ready(); err != nil {
		return err
	}
	vendor := r.Vendor
	if vendor == "" {
		vendor = "this vendor"
	}
	return RevokePair(ctx, r, t, r.Pair, vendor)
}

// Endpoint returns the revocation endpoint URL, or "" for a nil or zero
// Revoker.
func (r *Revoker) Endpoint() string {
	if r == nil || r.Revocation.URL == nil {
		return ""
	}
	return r.Revocation.URL.String()
}

// AuthMethod returns the client authentication method, e.g.
// "client_secret_basic" (with revoke.ClientCredentials, the one chosen),
// or "" for a nil or zero Revoker.
func (r *Revoker) AuthMethod() string {
	if r == nil || r.Revocation.Auth == nil {
		return ""
	}
	return r.Revocation.Auth.Method()
}

// ClientID returns the client ID the Revoker authenticates as, or "" for
// a nil or zero Revoker.
func (r *Revoker) ClientID() string {
	if r == nil || r.Revocation.Auth == nil {
		return ""
	}
	return r.Revocation.Auth.ClientID()
}

// Issuer returns Revocation.Issuer, or "" for a nil Revoker.
func (r *Revoker) Issuer() string {
	if r == nil {
		return ""
	}
	return r.Revocation.Issuer
}

// TokenEndpoint returns Revocation.TokenEndpoint, or "" for a nil
// Revoker.
func (r *Revoker) TokenEndpoint() string {
	if r == nil {
		return ""
	}
	return r.Revocation.TokenEndpoint
}

// shownEndpoint is the endpoint as it prints: any user info, query or
// fragment, which the adapters' constructors refuse but a Revocation may
// hold, is redacted.
func (r *Revoker) shownEndpoint() string { return redact.URL(r.Endpoint()) }

func (r *Revoker) typeName() string {
	if r.Name == "" {
		return "adapter.Revoker"
	}
	return r.Name
}

// Format implements fmt.Formatter: the Revoker prints as its Name, with
// its endpoint (any user info, query or fragment redacted), method and
// client ID, or its endpoint alone with EndpointOnly, never a credential,
// with any verb.
func (r Revoker) Format(f fmt.State, verb rune) {
	fields := [][2]string{{"Endpoint", strconv.Quote(r.shownEndpoint())}}
	if !r.EndpointOnly {
		fields = append(fields, [2]string{"AuthMethod", strconv.Quote(r.AuthMethod())}, [2]string{"ClientID", strconv.Quote(r.ClientID())})
	}
	redact.Format(f, verb, r.typeName(), fields)
}

// LogValue implements slog.LogValuer with the same fields as Format, keyed
// endpoint, auth_method and client_id. A nil *Revoker logs as an empty
// group.
func (r *Revoker) LogValue() slog.Value {
	if r == nil {
		return slog.GroupValue()
	}
	if r.EndpointOnly {
		return slog.GroupValue(slog.String("endpoint", r.shownEndpoint()))
	}
	return slog.GroupValue(slog.String("endpoint", r.shownEndpoint()), slog.String("auth_method", r.AuthMethod()), slog.String("client_id", r.ClientID()))
}

// MarshalJSON implements json.Marshaler with the same fields as LogValue.
func (r Revoker) MarshalJSON() ([]byte, error) {
	if r.EndpointOnly {
		return json.Marshal(struct {
			Endpoint string `json:"endpoint"`
		}{r.shownEndpoint()})
	}
	return json.Marshal(struct {
		Endpoint   string `json:"endpoint"`
		AuthMethod string `json:"auth_method"`
		ClientID   string `json:"client_id"`
	}{r.shownEndpoint(), r.AuthMethod(), r.ClientID()})
}
