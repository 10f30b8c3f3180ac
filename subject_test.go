package revoke_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
)

func TestSubjectValidate(t *testing.T) {
	long := strings.Repeat("a", 1025)
	cases := []struct {
		name    string
		s       revoke.Subject
		field   string // "" when valid
		problem string
	}{
		{"opaque", revoke.OpaqueSubject("00u1abcd"), "", ""},
		{"email", revoke.EmailSubject("alice@example.com"), "", ""},
		{"iss_sub", revoke.IssSubSubject("https://idp.example.com", "248289761001"), "", ""},
		{"zero", revoke.Subject{}, "Subject.Format", "is not a format the SDK knows"},
		{"unknown format", revoke.Subject{Format: "phone_number"}, "Subject.Format", `"phone_number" is not a format`},
		{"opaque empty", revoke.OpaqueSubject(""), "Subject.ID", "is empty: opaque needs it"},
		{"opaque too long", revoke.OpaqueSubject(long), "Subject.ID", "is 1025 bytes long, more than 1024"},
		{"opaque newline", revoke.OpaqueSubject("00u1\n"), "Subject.ID", "stray newline"},
		{"opaque control", revoke.OpaqueSubject("00u\x001"), "Subject.ID", "control character"},
		{"email empty", revoke.EmailSubject(""), "Subject.Email", "is empty"},
		{"email not an address", revoke.EmailSubject("alice"), "Subject.Email", "is not an email address"},
		{"email with a name", revoke.EmailSubject("Alice <alice@example.com>"), "Subject.Email", "is not an email address"},
		{"iss_sub no iss", revoke.IssSubSubject("", "x"), "Subject.Iss", "is empty"},
		{"iss_sub no sub", revoke.IssSubSubject("https://idp.example.com", ""), "Subject.Sub", "is empty"},
		{"iss_sub sub with space", revoke.IssSubSubject("https://idp.example.com", " x"), "Subject.Sub", "white space"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("Validate() = %v, want a *revoke.ConfigError", err)
			}
			if ce.Field != c.field || !strings.Contains(ce.Problem, c.problem) {
				t.Errorf("Validate() = {Field: %q, Problem: %q}, want field %q and a problem containing %q", ce.Field, ce.Problem, c.field, c.problem)
			}
			if !errors.Is(err, revoke.ErrInvalidRequest) {
				t.Errorf("errors.Is(%v, ErrInvalidRequest) = false", err)
			}
		})
	}
}

func TestSubjectForms(t *testing.T) {
	cases := []struct {
		s          revoke.Subject
		str, json_ string
		zero       bool
	}{
		{revoke.OpaqueSubject("00u1"), "opaque:00u1", `{"format":"opaque","id":"00u1"}`, false},
		{revoke.EmailSubject("a@b.example"), "email:a@b.example", `{"email":"a@b.example","format":"email"}`, false},
		{revoke.IssSubSubject("https://i.example", "s1"), "iss_sub:https://i.example|s1", `{"format":"iss_sub","iss":"https://i.example","sub":"s1"}`, false},
		{revoke.Subject{}, "", `{"format":""}`, true},
		{revoke.Subject{Format: "x"}, `subject("x")`, `{"format":"x"}`, false},
		{revoke.Subject{ID: "orphan"}, `subject("")`, `{"format":""}`, false},
	}
	for _, c := range cases {
		if got := c.s.String(); got != c.str {
			t.Errorf("%#v.String() = %q, want %q", c.s, got, c.str)
		}
		b, err := json.Marshal(c.s)
		if err != nil || string(b) != c.json_ {
			t.Errorf("json.Marshal(%#v) = %s, %v; want %s", c.s, b, err, c.json_)
		}
		if got := c.s.IsZero(); got != c.zero {
			t.Errorf("%#v.IsZero() = %v, want %v", c.s, got, c.zero)
		}
	}
}

func TestReportAccessors(t *testing.T) {
	denied := &revoke.Error{Kind: revoke.ErrForbidden, Op: "end sessions"}
	server := &revoke.Error{Kind: revoke.ErrServer, Op: "revoke grants"}
	r := &revoke.Report{Vendor: "okta", Subject: revoke.OpaqueSubject("00u1")}
	r.Add(revoke.Step{Action: "revoke refresh tokens", Status: revoke.StepDone})
	r.Add(revoke.Step{Action: "global token revocation", Status: revoke.StepAccepted, Note: "within minutes"})
	r.Add(revoke.Step{Action: "end sessions", Status: revoke.StepFailed, Err: denied})
	r.Add(revoke.Step{Action: "log out", Status: revoke.StepSkipped, Note: "an earlier step failed"})

	if got := len(r.Done()); got != 2 {
		t.Errorf("len(Done()) = %d, want 2 (done and accepted)", got)
	}
	if got := r.Failed(); len(got) != 1 || got[0].Action != "end sessions" {
		t.Errorf("Failed() = %v, want the one failed step", got)
	}
	if err := r.Err(); err != denied {
		t.Errorf("Err() = %v, want the one failed step's error itself", err)
	}
	r.Add(revoke.Step{Action: "revoke grants", Status: revoke.StepFailed, Err: server})
	err := r.Err()
	if !errors.Is(err, revoke.ErrForbidden) || !errors.Is(err, revoke.ErrServer) {
		t.Errorf("Err() = %v, want both failures visible to errors.Is", err)
	}

	var nilReport *revoke.Report
	if nilReport.Done() != nil || nilReport.Failed() != nil || nilReport.Err() != nil {
		t.Error("a nil *Report must report no steps and no error")
	}
	if err := (&revoke.Report{}).Err(); err != nil {
		t.Errorf("empty Report Err() = %v, want nil", err)
	}
}
