package adapter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"unicode/utf8"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/bridge"
)

var (
	formType = []string{"application/x-www-form-urlencoded"}
	jsonType = []string{"application/json"}
)

// encode renders the body of one attempt and applies the client
// authentication to it and to h.
func (st *callState) encode(h http.Header) ([]byte, error) {
	call := st.call
	fb, isFields := call.Body.(*fieldsBody)
	var params *bridge.Fields
	if isFields {
		if fb.fields != nil {
			// The kit's own template: each attempt starts from its fields
			// and appends credentials in its spare capacity.
			st.params = fb.fields.Truncated()
			params = &st.params
		} else {
			var err error
			if params, err = fb.attemptFields(); err != nil {
				return nil, st.configError("Body", err.Error())
			}
		}
	}
	if call.Auth != nil {
		a, ok := call.Auth.(bridge.Auth)
		if !ok {
			return nil, st.configError("Auth", "is not a client authentication built by the revoke package: use revoke.ClientSecretBasic, revoke.PrivateKeyJWT, …")
		}
		target := params
		if target == nil {
			target = &bridge.Fields{}
		}
		st.target = bridge.Target{Header: h, Params: target, URL: st.url, Issuer: call.Issuer, TokenEndpoint: call.TokenEndpoint, Audience: int(call.Audience)}
		t := &st.target
		if err := a.ApplyAuth(st.ctx, t); err != nil {
			return nil, err
		}
		if st.secrets == nil {
			st.secrets = t.Secrets // may be the authentication's own: never appended to in place
			st.sharedSecrets = true
		} else {
			st.addSecrets(t.Secrets...)
		}
		if !isFields && target.Len() > 0 {
			return nil, st.configError("Auth", fmt.Sprintf("%s sends credentials in the body, but this call's body is not Form or JSONFields: use a method that authenticates with a header", call.Auth.Method()))
		}
	}
	switch b := call.Body.(type) {
	case nil:
		return nil, nil
	case *fieldsBody:
		if b.json {
			h["Content-Type"] = jsonType
			return st.encodeJSONFields(params)
		}
		h["Content-Type"] = formType
		return appendFields(st.firstBody(), params), nil
	case *jsonBody:
		h["Content-Type"] = jsonType
		if hasInvalidUTF8(reflect.ValueOf(b.v), 0) {
			// encoding/json would replace the bytes with U+FFFD: the server
			// would receive, and report as revoked, another string.
			return nil, st.configError("Body", "holds a string that is not valid UTF-8, which JSON would alter: the server would receive another string")
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(b.v); err != nil {
			return nil, st.configError("Body", fmt.Sprintf("cannot be encoded as JSON: %v", err))
		}
		return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
	case *rawBody:
		if b.ct != "" {
			h["Content-Type"] = []string{b.ct}
		}
		return b.b, nil
	}
	return nil, st.configError("Body", fmt.Sprintf("%T is not a body built by this package", call.Body))
}

func (st *callState) configError(field, problem string) error {
	return &revoke.ConfigError{Field: st.call.Op + ": Call." + field, Problem: problem, Kind: revoke.ErrInvalidRequest}
}

// firstBody is room for the first attempt's form body inside the call's
// state. A retry's body gets storage of its own: net/http may still be
// reading the first one.
func (st *callState) firstBody() []byte {
	if st.readerUsed {
		return nil
	}
	return st.bodyBuf[:0]
}

// attemptFields is a fresh copy of the body's fields for one attempt, with
// room for client credentials.
func (b *fieldsBody) attemptFields() (*bridge.Fields, error) {
	if b.fields != nil {
		return b.fields.Clone(2), nil
	}
	f := &bridge.Fields{}
	for _, k := range sortedKeys(b.values) {
		vs := b.values[k]
		if len(vs) > 1 && b.json {
			return nil, fmt.Errorf("JSONFields has %d values for %q: a JSON object member holds one", len(vs), k)
		}
		for _, v := range vs {
			f.Add(k, v)
		}
	}
	return f, nil
}

// appendFields form-encodes fields in order into one buffer.
func appendFields(out []byte, f *bridge.Fields) []byte {
	n := 0
	for i := 0; i < f.Len(); i++ {
		k, v := f.At(i)
		n += len(k) + len(v) + 2
	}
	if out == nil {
		out = make([]byte, 0, n+n/4)
	}
	for i := 0; i < f.Len(); i++ {
		k, v := f.At(i)
		out = appendPair(out, k, v)
	}
	return out
}

func appendPair(out []byte, k, v string) []byte {
	if len(out) > 0 {
		out = append(out, '&')
	}
	out = appendEscaped(out, k)
	out = append(out, '=')
	return appendEscaped(out, v)
}

// appendEscaped is url.QueryEscape without the intermediate string.
func appendEscaped(out []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			out = append(out, c)
		case c == ' ':
			out = append(out, '+')
		default:
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return out
}

// encodeJSONFields renders fields as a JSON object of strings, in order.
func (st *callState) encodeJSONFields(f *bridge.Fields) ([]byte, error) {
	out := []byte{'{'}
	for i := 0; i < f.Len(); i++ {
		k, v := f.At(i)
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, st.configError("Body", fmt.Sprintf("the value of %q is not valid UTF-8, which a JSON body would alter: the server would receive another string; check the input", k))
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONString(out, k)
		out = append(out, ':')
		out = appendJSONString(out, v)
	}
	return append(out, '}'), nil
}

func appendJSONString(out []byte, s string) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// hasInvalidUTF8 reports whether v holds, anywhere in its strings (map
// keys, struct fields, slices, pointers, interfaces; at most 32 levels
// deep), a string that is not valid UTF-8.
func hasInvalidUTF8(v reflect.Value, depth int) bool {
	if depth > 32 || !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		return !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && hasInvalidUTF8(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false // []byte is base64 in JSON
		}
		for i := 0; i < v.Len(); i++ {
			if hasInvalidUTF8(v.Index(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if hasInvalidUTF8(it.Key(), depth+1) || hasInvalidUTF8(it.Value(), depth+1) {
				return true
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && hasInvalidUTF8(v.Field(i), depth+1) {
				return true
			}
		}
	}
	return false
}
