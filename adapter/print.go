package adapter

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/revokekit/revoke/internal/redact"
)

// The kit's values carry tokens, credentials and raw server text. Each
// prints, logs and marshals with every secret left out, whatever the verb.

func (c *Call) fields() [][2]string {
	if c == nil {
		return nil
	}
	return [][2]string{
		{"Op", strconv.Quote(c.Op)}, {"Method", strconv.Quote(c.Method)}, {"URL", strconv.Quote(endpoint(c.URL))},
		{"Query", redact.Keys(c.Query)}, {"Header", redact.HeaderNames(c.Header)}, {"Body", bodyKind(c.Body)},
		{"Auth", authText(c.Auth)}, {"Token", redact.Quoted(c.Token)}, {"Secrets", strconv.Itoa(len(c.Secrets)) + " " + redact.Marker},
		{"AccessToken", redact.Quoted(c.AccessToken)}, {"Bucket", strconv.Quote(c.Bucket)},
	}
}

// Format implements fmt.Formatter: the token, secrets, header values and
// body never print.
func (c Call) Format(f fmt.State, verb rune) { redact.Format(f, verb, "adapter.Call", c.fields()) }

// LogValue implements slog.LogValuer without secrets.
func (c Call) LogValue() slog.Value { return redact.Log(c.fields()) }

// MarshalJSON implements json.Marshaler without secrets.
func (c Call) MarshalJSON() ([]byte, error) { return redact.JSON(c.fields()) }

func (a *Attempt) fields() [][2]string {
	return [][2]string{{"Method", strconv.Quote(a.Method)}, {"URL", strconv.Quote(endpoint(a.URL))}, {"Header", redact.HeaderNames(a.Header)}}
}

// Format implements fmt.Formatter: header values never print.
func (a Attempt) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "adapter.Attempt", a.fields())
}

// LogValue implements slog.LogValuer without header values.
func (a Attempt) LogValue() slog.Value { return redact.Log(a.fields()) }

// MarshalJSON implements json.Marshaler without header values.
func (a Attempt) MarshalJSON() ([]byte, error) { return redact.JSON(a.fields()) }

func (r *Response) fields() [][2]string {
	return [][2]string{
		{"StatusCode", strconv.Itoa(r.StatusCode)}, {"Header", redact.HeaderNames(r.Header)},
		{"Body", strconv.Itoa(len(r.Body)) + " bytes"}, {"Attempts", strconv.Itoa(r.Attempts)},
		{"RequestID", strconv.Quote(r.RequestID)}, {"AlreadyInvalid", strconv.FormatBool(r.AlreadyInvalid)},
	}
}

// Format implements fmt.Formatter: the body, which may echo secrets, and
// header values never print.
func (r Response) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "adapter.Response", r.fields())
}

// LogValue implements slog.LogValuer without the body or header values.
func (r Response) LogValue() slog.Value { return redact.Log(r.fields()) }

// MarshalJSON implements json.Marshaler without the body or header values.
func (r Response) MarshalJSON() ([]byte, error) { return redact.JSON(r.fields()) }

// Format implements fmt.Formatter: a Client prints its vendor only.
func (c *Client) Format(f fmt.State, verb rune) {
	name := ""
	if c != nil {
		name = c.p.Name
	}
	redact.Format(f, verb, "adapter.Client", [][2]string{{"Vendor", strconv.Quote(name)}})
}

// LogValue implements slog.LogValuer.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("<nil>")
	}
	return slog.GroupValue(slog.String("vendor", c.p.Name))
}

func (b *fieldsBody) Format(f fmt.State, _ rune) {
	kind := "Form"
	if b.json {
		kind = "JSONFields"
	}
	fmt.Fprintf(f, "%s(%s)", kind, redact.Keys(b.values))
}

func (b *jsonBody) Format(f fmt.State, _ rune) { fmt.Fprint(f, "JSON("+redact.Marker+")") }
func (b *rawBody) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "Raw(%q, %d bytes)", b.ct, len(b.b))
}
func (b *fieldsBody) MarshalJSON() ([]byte, error) {
	return redact.JSON([][2]string{{"body", "fields"}})
}
func (b *jsonBody) MarshalJSON() ([]byte, error) { return redact.JSON([][2]string{{"body", "json"}}) }
func (b *rawBody) MarshalJSON() ([]byte, error)  { return redact.JSON([][2]string{{"body", "raw"}}) }
func (b *fieldsBody) LogValue() slog.Value       { return slog.StringValue("fields") }
func (b *jsonBody) LogValue() slog.Value         { return slog.StringValue("json") }
func (b *rawBody) LogValue() slog.Value          { return slog.StringValue("raw") }

func bodyKind(b Body) string {
	if b == nil {
		return "<nil>"
	}
	return fmt.Sprint(b)
}

func authText(a any) string {
	if a == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%v", a)
}
