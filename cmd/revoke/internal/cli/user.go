package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/profile"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
	"github.com/revokekit/revoke/cmd/revoke/internal/vendors"
)

// subjectFlags build the revoke.Subject of revoke user.
type subjectFlags struct {
	id, email, iss, sub string
}

func userCommand(env Env) *cobra.Command {
	var f subjectFlags
	cmd := &cobra.Command{
		Use:   "user [SUBJECT]",
		Short: "End everything one user holds at a vendor: sessions, refresh tokens, grants",
		Long: `Revoke everything one user holds at the vendor, with the vendor's own
user-level calls ("this laptop was stolen: kill everything Alice holds").

The user is SUBJECT (an email address if it has an @, else the vendor's
user ID), or exactly one of --id, --email, or --iss with --sub. Each step
the vendor took is a JSON line on standard output and a line on standard
error. The exit status is 1 when a step failed.`,
		Example: `  revoke user --vendor okta --domain dev-123.okta.com 00u1abcd   # REVOKE_API_TOKEN set
  revoke user --config auth0.json --email alice@example.com`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return failed(runUser(cmd, env, f, args))
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.id, "id", "", "the vendor's user ID (RFC 9493 opaque)")
	fs.StringVar(&f.email, "email", "", "the user's email address")
	fs.StringVar(&f.iss, "iss", "", "issuer of the user's ID tokens (with --sub)")
	fs.StringVar(&f.sub, "sub", "", "subject claim of the user's ID tokens (with --iss)")
	addProfileFlags(cmd)
	return cmd
}

// subject builds the revoke.Subject from the argument and flags.
func (f subjectFlags) subject(args []string) (revoke.Subject, error) {
	var forms []revoke.Subject
	if len(args) == 1 {
		if strings.Contains(args[0], "@") {
			forms = append(forms, revoke.EmailSubject(args[0]))
		} else {
			forms = append(forms, revoke.OpaqueSubject(args[0]))
		}
	}
	if f.id != "" {
		forms = append(forms, revoke.OpaqueSubject(f.id))
	}
	if f.email != "" {
		forms = append(forms, revoke.EmailSubject(f.email))
	}
	if f.iss != "" || f.sub != "" {
		if f.iss == "" || f.sub == "" {
			return revoke.Subject{}, usage.Errorf("--iss and --sub go together: give both")
		}
		forms = append(forms, revoke.IssSubSubject(f.iss, f.sub))
	}
	switch len(forms) {
	case 0:
		return revoke.Subject{}, usage.Errorf("no user given: pass SUBJECT, --id, --email, or --iss with --sub")
	case 1:
	default:
		return revoke.Subject{}, usage.Errorf("more than one user given: pass one of SUBJECT, --id, --email, or --iss with --sub")
	}
	if err := forms[0].Validate(); err != nil {
		return revoke.Subject{}, err
	}
	return forms[0], nil
}

func runUser(cmd *cobra.Command, env Env, f subjectFlags, args []string) error {
	subject, err := f.subject(args)
	if err != nil {
		return err
	}
	r, err := resolve(cmd, env, profile.NewStdin(env.Stdin))
	if err != nil {
		return err
	}
	if r.vendor.Subject == nil {
		return usage.Errorf("vendor %s has no user-level revocation in this build; the vendors with one are %s", r.vendor.Name, strings.Join(subjectVendors(), ", "))
	}
	sr, err := r.vendor.Subject(cmd.Context(), r.prof)
	if err != nil {
		return err
	}
	rep, err := sr.RevokeSubject(cmd.Context(), subject)
	prog := progName(env.Program)
	if rep != nil {
		printReport(env.Stdout, env.Stderr, prog, rep)
	}
	if err != nil {
		return err
	}
	if len(rep.Failed()) > 0 {
		return status(ExitFailed)
	}
	return nil
}

// subjectVendors lists the vendors with user-level revocation.
func subjectVendors() []string {
	var out []string
	for _, v := range vendors.All() {
		if v.Subject != nil {
			out = append(out, v.Name)
		}
	}
	if len(out) == 0 {
		return []string{"(none)"}
	}
	return out
}

// StepLine is one line of revoke user's standard output: one step the
// vendor took.
type StepLine struct {
	Vendor     string `json:"vendor"`
	Subject    string `json:"subject"`
	Action     string `json:"action"`
	Target     string `json:"target,omitempty"`
	Status     string `json:"status"`
	Note       string `json:"note,omitempty"`
	StatusCode int    `json:"status_code,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	Error      string `json:"error,omitempty"`
}

// printReport writes the steps as JSON lines to out and as text to human.
func printReport(out, human io.Writer, prog string, rep *revoke.Report) {
	fmt.Fprintf(human, "%s: %s: user %s\n", prog, rep.Vendor, rep.Subject)
	enc := json.NewEncoder(out)
	for _, s := range rep.Steps {
		l := StepLine{Vendor: rep.Vendor, Subject: rep.Subject.String(), Action: s.Action, Target: s.Target, Status: string(s.Status), Note: s.Note}
		if s.Result != nil {
			l.StatusCode, l.RequestID = s.Result.StatusCode, s.Result.RequestID
		}
		var re *revoke.Error
		if errors.As(s.Err, &re) {
			l.StatusCode, l.RequestID = re.StatusCode, re.RequestID
		}
		if s.Err != nil {
			l.Error = s.Err.Error()
		}
		_ = enc.Encode(l)
		target := ""
		if s.Target != "" {
			target = " " + s.Target
		}
		detail := ""
		switch {
		case s.Err != nil:
			detail = ": " + s.Err.Error()
		case s.Note != "":
			detail = " (" + s.Note + ")"
		}
		if l.RequestID != "" {
			detail += " [request id " + l.RequestID + "]"
		}
		fmt.Fprintf(human, "  %-9s %s%s%s\n", s.Status, s.Action, target, detail)
	}
	fmt.Fprintf(human, "%s: %d steps done or accepted, %d failed\n", prog, len(rep.Done()), len(rep.Failed()))
}
