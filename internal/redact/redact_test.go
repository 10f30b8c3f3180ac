package redact

import (
	"fmt"
	"testing"
)

type secretHolder struct{ id, secret string }

func (s secretHolder) Format(f fmt.State, verb rune) {
	Format(f, verb, "pkg.Holder", [][2]string{{"ID", fmt.Sprintf("%q", s.id)}, {"Secret", Quoted(s.secret)}})
}

func TestFormat(t *testing.T) {
	v := secretHolder{"app", "hunter2"}
	empty := secretHolder{"app", ""}
	tests := []struct {
		format string
		v      any
		want   string
	}{
		{"%v", v, `{"app" [REDACTED]}`},
		{"%+v", v, `{ID:"app" Secret:[REDACTED]}`},
		{"%#v", v, `pkg.Holder{ID:"app", Secret:[REDACTED]}`},
		{"%s", v, `{"app" [REDACTED]}`},
		{"%d", v, `{"app" [REDACTED]}`},
		{"%v", &v, `{"app" [REDACTED]}`},
		{"%+v", empty, `{ID:"app" Secret:""}`},
		{"%v", []secretHolder{v}, `[{"app" [REDACTED]}]`},
	}
	for _, tc := range tests {
		if got := fmt.Sprintf(tc.format, tc.v); got != tc.want {
			t.Errorf("Sprintf(%q) = %s, want %s", tc.format, got, tc.want)
		}
	}
	if IfSet("") != "" || IfSet("x") != Marker || Quoted("") != `""` || Quoted("x") != Marker {
		t.Error("IfSet/Quoted")
	}
}
