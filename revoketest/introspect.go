package revoketest

import "time"

// The helpers below are the part of RFC 7662 introspection every vendor
// fake shares: finding the token as the caller may see it, and the
// members of the answer about an active token. Each fake adds its
// vendor's rules (which clients may introspect what, which token types,
// its own members and error answers) around them.

// IssuedAt reports when the Store issued token, and whether it did.
func (s *Store) IssuedAt(token string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.issued[token]
	return t, ok
}

// Introspect looks token up for an RFC 7662 introspection request by
// clientID. It returns the token's state (zero for a token never issued)
// and whether the answer is "active": true: the token was issued, is not
// revoked and, unless clientID is "", was issued to clientID. A vendor
// that lets any authenticated caller introspect any token passes "".
func (s *Store) Introspect(token, clientID string) (TokenInfo, bool) {
	info, ok := s.Lookup(token)
	if !ok || !info.Active || (clientID != "" && info.ClientID != clientID) {
		return info, false
	}
	return info, true
}

// IntrospectionClaims returns the RFC 7662 §2.2 members of the answer
// about info, an active token: "active": true, "client_id", "sub" (when
// the token has a subject), "iat" (when the Store issued the token) and,
// when lifetime is positive, "exp", lifetime after iat, in seconds since
// the epoch. The answer about an inactive token is {"active": false} and
// nothing else (§2.2).
//
// The fakes never expire a token (it stays active until revoked, at
// introspection as everywhere else): exp says when the vendor, with its
// default lifetime, would stop accepting it. A fake adds its vendor's own
// members (token_type, iss, scope, …) to the map it gets.
func (s *Store) IntrospectionClaims(info TokenInfo, lifetime time.Duration) map[string]any {
	m := map[string]any{"active": true, "client_id": info.ClientID}
	if info.Subject != "" {
		m["sub"] = info.Subject
	}
	if iat, ok := s.IssuedAt(info.Value); ok {
		m["iat"] = iat.Unix()
		if lifetime > 0 {
			m["exp"] = iat.Add(lifetime).Unix()
		}
	}
	return m
}
