package githubtest

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// The fake holds client secrets, tokens and the requests it received,
// credentials included. Like every value of this module that can hold a
// secret, it prints, logs and marshals with the secrets left out: counts
// only.

func (s *Server) counts() (apps, tokens, requests int) {
	if s == nil {
		return 0, 0, 0
	}
	s.mu.Lock()
	apps, tokens = len(s.apps), len(s.values)
	s.mu.Unlock()
	return apps, tokens, s.Log.Len()
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *Server) Format(f fmt.State, verb rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	a, t, r := s.counts()
	fmt.Fprintf(f, "githubtest.Server{Apps:%d Tokens:%d Requests:%d}", a, t, r)
}

// LogValue implements slog.LogValuer with counts only.
func (s *Server) LogValue() slog.Value {
	a, t, r := s.counts()
	return slog.GroupValue(slog.Int("apps", a), slog.Int("tokens", t), slog.Int("requests", r))
}

// MarshalJSON implements json.Marshaler with counts only.
func (s *Server) MarshalJSON() ([]byte, error) {
	a, t, r := s.counts()
	return json.Marshal(map[string]int{"apps": a, "tokens": t, "requests": r})
}
