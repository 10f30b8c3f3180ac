package revoketest_test

import (
	"testing"
	"time"

	"github.com/revokekit/revoke/revoketest"
)

// TestStoreIntrospect: the shared introspection helpers, as the vendor
// fakes use them.
func TestStoreIntrospect(t *testing.T) {
	st := revoketest.NewStore()
	before := time.Now().Add(-time.Second)
	p := st.Issue("app", "alice")
	cc := st.IssueAccess("svc", "", "client_credentials")
	gone := st.Issue("app", "alice")
	st.Revoke(gone.RefreshToken, "app")

	tests := []struct {
		name, token, client string
		active              bool
	}{
		{"own access token", p.AccessToken, "app", true},
		{"own refresh token", p.RefreshToken, "app", true},
		{"any client", p.AccessToken, "", true},
		{"another client's", p.AccessToken, "other", false},
		{"revoked", gone.RefreshToken, "app", false},
		{"revoked with its refresh token", gone.AccessToken, "", false},
		{"unknown", "no-such-token", "", false},
		{"client credentials token", cc, "svc", true},
	}
	for _, tt := range tests {
		info, active := st.Introspect(tt.token, tt.client)
		if active != tt.active {
			t.Errorf("%s: active %t, want %t", tt.name, active, tt.active)
		}
		if tt.token != "no-such-token" && info.Value != tt.token {
			t.Errorf("%s: state of another token", tt.name)
		}
	}

	iat, ok := st.IssuedAt(p.AccessToken)
	if !ok || iat.Before(before) || iat.After(time.Now()) {
		t.Errorf("IssuedAt %v %t", iat, ok)
	}
	if _, ok := st.IssuedAt("no-such-token"); ok {
		t.Error("IssuedAt of an unknown token")
	}

	info, _ := st.Lookup(p.AccessToken)
	m := st.IntrospectionClaims(info, time.Hour)
	if m["active"] != true || m["client_id"] != "app" || m["sub"] != "alice" || m["iat"] != iat.Unix() || m["exp"] != iat.Add(time.Hour).Unix() || len(m) != 5 {
		t.Errorf("claims %v", m)
	}
	ccInfo, _ := st.Lookup(cc)
	m = st.IntrospectionClaims(ccInfo, 0)
	if _, hasSub := m["sub"]; hasSub || m["exp"] != nil || m["iat"] == nil || m["client_id"] != "svc" {
		t.Errorf("claims without subject or lifetime %v", m)
	}
	// A token the Store did not issue (a fake's own) has no iat or exp.
	m = st.IntrospectionClaims(revoketest.TokenInfo{Value: "elsewhere", ClientID: "x"}, time.Hour)
	if m["iat"] != nil || m["exp"] != nil {
		t.Errorf("claims of a foreign token %v", m)
	}
}
