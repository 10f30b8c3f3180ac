package entratest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
)

// The fake holds app secrets and issued tokens. Like every value of this
// module that can hold a secret, it prints, logs and marshals with them
// left out; the fields stay readable for assertions.

func secretShown(s string) string {
	if s == "" {
		return `""`
	}
	return "[REDACTED]"
}

// Format implements fmt.Formatter with the secret redacted.
func (a App) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprintf(f, "entratest.App{ClientID:%q, Secret:%s, Permissions:%q}", a.ClientID, secretShown(a.Secret), a.Permissions)
		return
	}
	fmt.Fprintf(f, "{ClientID:%q Secret:%s Permissions:%q}", a.ClientID, secretShown(a.Secret), a.Permissions)
}

// LogValue implements slog.LogValuer without the secret.
func (a App) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", a.ClientID), slog.Bool("secret", a.Secret != ""), slog.Any("permissions", a.Permissions))
}

// MarshalJSON implements json.Marshaler without the secret.
func (a App) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ClientID    string   `json:"client_id"`
		Secret      bool     `json:"secret"`
		Permissions []string `json:"permissions,omitempty"`
	}{a.ClientID, a.Secret != "", a.Permissions})
}

// Format implements fmt.Formatter: the fake prints its tenant and counts
// only.
func (s *Server) Format(f fmt.State, _ rune) {
	if s == nil {
		fmt.Fprint(f, "<nil>")
		return
	}
	s.mu.Lock()
	apps, users := len(s.apps), len(s.users)
	s.mu.Unlock()
	fmt.Fprintf(f, "entratest.Server{Tenant:%q Domain:%q Apps:%d Users:%d Requests:%s}", s.Tenant, s.Domain, apps, users, strconv.Itoa(s.Log.Len()))
}

// LogValue implements slog.LogValuer without secrets.
func (s *Server) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("tenant", s.Tenant), slog.String("domain", s.Domain))
}

// MarshalJSON implements json.Marshaler without secrets.
func (s *Server) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Tenant string `json:"tenant"`
		Domain string `json:"domain"`
	}{s.Tenant, s.Domain})
}
