package revoke

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
)

// SubjectRevoker ends everything one user holds at one vendor: sessions,
// refresh tokens, grants, with whatever the vendor offers ("this laptop was
// stolen: kill everything Alice holds"). The vendor packages implement it
// (okta, onelogin, auth0, entra, keycloak, hydra).
//
// Every implementation in this module keeps one contract: bad input (a nil
// or zero revoker, a nil context, a subject the vendor cannot use) is a
// *ConfigError returned before any request, with a nil *Report; otherwise
// the Report lists every step made, in order, and the error is
// Report.Err(), nil when no step failed.
type SubjectRevoker interface {
	RevokeSubject(ctx context.Context, s Subject) (*Report, error)
}

// SubjectFormat is an RFC 9493 §3 subject identifier format.
type SubjectFormat string

// The RFC 9493 §3 formats the SDK knows.
const (
	// FormatOpaque: an identifier the vendor assigned ("00u1abcd" at Okta,
	// "auth0|123" at Auth0, an object ID at Entra).
	FormatOpaque SubjectFormat = "opaque"
	// FormatEmail: the user's email address (RFC 9493 §3.2.2).
	FormatEmail SubjectFormat = "email"
	// FormatIssSub: an issuer and a subject claim (RFC 9493 §3.2.3).
	FormatIssSub SubjectFormat = "iss_sub"
)

// Subject identifies a user, as an RFC 9493 subject identifier. Build one
// with OpaqueSubject, EmailSubject or IssSubSubject; each vendor says which
// formats it accepts.
type Subject struct {
	Format SubjectFormat
	// ID is the identifier of FormatOpaque.
	ID string
	// Email is the address of FormatEmail.
	Email string
	// Iss and Sub are the issuer and subject of FormatIssSub.
	Iss, Sub string
}

// OpaqueSubject is a user by the identifier the vendor assigned.
func OpaqueSubject(id string) Subject { return Subject{Format: FormatOpaque, ID: id} }

// EmailSubject is a user by email address.
func EmailSubject(email string) Subject { return Subject{Format: FormatEmail, Email: email} }

// IssSubSubject is a user by issuer and subject claim, as an ID token
// names them.
func IssSubSubject(iss, sub string) Subject { return Subject{Format: FormatIssSub, Iss: iss, Sub: sub} }

// maxSubjectField bounds each field of a Subject.
const maxSubjectField = 1024

// Validate reports a Subject that names nobody: an unknown format, a
// missing or oversized member, control characters, or an address that is
// not one.
func (s Subject) Validate() error {
	check := func(name, v string) error {
		switch {
		case v == "":
			return &ConfigError{Field: "Subject." + name, Problem: "is empty: " + string(s.Format) + " needs it", Kind: ErrInvalidRequest}
		case len(v) > maxSubjectField:
			return &ConfigError{Field: "Subject." + name, Problem: fmt.Sprintf("is %d bytes long, more than %d", len(v), maxSubjectField), Kind: ErrInvalidRequest}
		case strings.ContainsFunc(v, isControl) || strings.TrimSpace(v) != v:
			return &ConfigError{Field: "Subject." + name, Problem: "has white space at an end or a control character: check for a stray newline", Kind: ErrInvalidRequest}
		}
		return nil
	}
	switch s.Format {
	case FormatOpaque:
		return check("ID", s.ID)
	case FormatEmail:
		if err := check("Email", s.Email); err != nil {
			return err
		}
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			return &ConfigError{Field: "Subject.Email", Problem: "is not an email address such as alice@example.com", Kind: ErrInvalidRequest}
		}
		return nil
	case FormatIssSub:
		if err := check("Iss", s.Iss); err != nil {
			return err
		}
		return check("Sub", s.Sub)
	}
	return &ConfigError{Field: "Subject.Format", Problem: fmt.Sprintf("%q is not a format the SDK knows: use OpaqueSubject, EmailSubject or IssSubSubject", s.Format), Kind: ErrInvalidRequest}
}

// IsZero reports whether s names nobody: the zero Subject, as a
// Back-Channel Logout event naming only a session carries.
func (s Subject) IsZero() bool { return s == Subject{} }

// String renders the subject for messages: "opaque:00u1", "email:a@b.c",
// "iss_sub:https://issuer|sub", or "" for the zero Subject.
func (s Subject) String() string {
	switch s.Format {
	case "":
		if s.IsZero() {
			return ""
		}
	case FormatOpaque:
		return "opaque:" + s.ID
	case FormatEmail:
		return "email:" + s.Email
	case FormatIssSub:
		return "iss_sub:" + s.Iss + "|" + s.Sub
	}
	return "subject(" + strconv.Quote(string(s.Format)) + ")"
}

// MarshalJSON renders the RFC 9493 JSON form, e.g.
// {"format":"email","email":"alice@example.com"}.
func (s Subject) MarshalJSON() ([]byte, error) {
	m := map[string]string{"format": string(s.Format)}
	switch s.Format {
	case FormatOpaque:
		m["id"] = s.ID
	case FormatEmail:
		m["email"] = s.Email
	case FormatIssSub:
		m["iss"], m["sub"] = s.Iss, s.Sub
	}
	return json.Marshal(m)
}

// StepStatus is what became of one step of a user-level revocation.
type StepStatus string

// Step outcomes.
const (
	// StepDone: the vendor says it is done.
	StepDone StepStatus = "done"
	// StepAccepted: the vendor accepted the request and applies it later
	// (Auth0's bulk refresh-token revocation; Entra applies within
	// minutes). Step.Note says how long it may take.
	StepAccepted StepStatus = "accepted"
	// StepFailed: the step failed; Step.Err says why.
	StepFailed StepStatus = "failed"
	// StepSkipped: the step was not attempted (Step.Note says why: an
	// earlier step failed, or there was nothing to do).
	StepSkipped StepStatus = "skipped"
)

// Step is one call of a user-level revocation.
type Step struct {
	// Action says what the step revokes, in words: "revoke refresh tokens",
	// "end sessions", "global token revocation", "log out".
	Action string
	// Target narrows it: a client ID, a session ID; "" for all of the
	// user's.
	Target string
	// Status is the outcome.
	Status StepStatus
	// Note explains an accepted or skipped step, or adds what the vendor
	// documents ("applies within a few minutes; not to guest users").
	Note string
	// Result is the vendor's answer to the step, when it answered.
	Result *Result
	// Err is the step's failure: a *Error or *ConfigError.
	Err error
}

// Report is what a user-level revocation did, step by step.
type Report struct {
	// Vendor names the vendor, e.g. "okta".
	Vendor string
	// Subject is the user.
	Subject Subject
	// Steps are in the order they were made.
	Steps []Step
}

// Add appends a step.
func (r *Report) Add(s Step) { r.Steps = append(r.Steps, s) }

// Failed lists the failed steps.
func (r *Report) Failed() []Step { return r.with(StepFailed) }

// Done lists the steps the vendor confirmed, and those it accepted to
// apply later.
func (r *Report) Done() []Step { return append(r.with(StepDone), r.with(StepAccepted)...) }

func (r *Report) with(status StepStatus) []Step {
	if r == nil {
		return nil
	}
	var out []Step
	for _, s := range r.Steps {
		if s.Status == status {
			out = append(out, s)
		}
	}
	return out
}

// Err joins the errors of the failed steps (errors.Is and errors.As see
// each), or returns nil when none failed.
func (r *Report) Err() error {
	var errs []error
	for _, s := range r.Failed() {
		if s.Err != nil {
			errs = append(errs, s.Err)
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}
