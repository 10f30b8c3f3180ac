package logout

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// maxTokenBytes bounds a JWT before it is parsed.
const maxTokenBytes = 16 << 10

// signatureAlgorithms are the only JWS algorithms accepted: asymmetric ones.
// "none" and the HMAC family are absent, so a token signed with a public key
// used as an HMAC secret fails at parsing (RFC 8725 §2.1, §3.1).
func signatureAlgorithms() []jose.SignatureAlgorithm {
	return []jose.SignatureAlgorithm{
		jose.RS256, jose.RS384, jose.RS512,
		jose.PS256, jose.PS384, jose.PS512,
		jose.ES256, jose.ES384, jose.ES512,
		jose.EdDSA,
	}
}

// failClass picks the answer to a refused request.
type failClass int

const (
	failInvalid     failClass = iota // GTR 401, BCL 400
	failUnavailable                  // 503: keys or replay store unavailable
)

// failure is a refused token. reason is fixed text chosen here, safe to log:
// it never quotes the token, a claim value or a third-party error message.
type failure struct {
	class  failClass
	reason string
	issuer string // a configured issuer, once matched
}

func (f *failure) Error() string { return f.reason }

func invalid(reason string) *failure { return &failure{class: failInvalid, reason: reason} }

// claims are the registered claims of a verified JWT, strictly typed, with
// the whole claim set kept for protocol-specific checks.
type claims struct {
	iss    string
	aud    []string
	exp    time.Time
	iat    time.Time
	hasExp bool
	hasIat bool
	nbf    *time.Time
	jti    string
	raw    map[string]json.RawMessage
}

// verified is a JWT whose signature, issuer, audience, times and jti
// passed.
type verified struct {
	issuer *issuer
	claims *claims
}

// tokenRules are the checks one protocol adds.
type tokenRules struct {
	header func(h jose.Header) *failure
	claims func(c *claims) *failure
}

// verify checks token for s: allowed algorithm, configured issuer, signature
// by one of the issuer's keys, exp/iat/nbf with skew, jti present, aud, the
// protocol's own rules, and finally that jti was not seen before.
func (s *settings) verify(ctx context.Context, token string, rules tokenRules) (*verified, *failure) {
	if token == "" {
		return nil, invalid("no token")
	}
	if len(token) > maxTokenBytes {
		return nil, invalid("token too large")
	}
	alg, ok := peekAlgorithm(token)
	if !ok {
		return nil, invalid("malformed JWT")
	}
	algs := signatureAlgorithms()
	if !slices.Contains(algs, jose.SignatureAlgorithm(alg)) {
		return nil, invalid("signature algorithm not allowed (only RS*, PS*, ES*, EdDSA)")
	}
	tok, err := jwt.ParseSigned(token, algs)
	if err != nil || len(tok.Headers) != 1 {
		return nil, invalid("malformed JWT")
	}
	h := tok.Headers[0]
	if rules.header != nil {
		if f := rules.header(h); f != nil {
			return nil, f
		}
	}

	// The issuer picks the keys; it is read before verification, and read
	// again from the verified payload below.
	var unverified payloadBytes
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, invalid("malformed JWT claims")
	}
	iss, ok := issuerOf(unverified)
	if !ok {
		return nil, invalid("iss missing or not a string")
	}
	is := s.issuers[iss]
	if is == nil {
		return nil, invalid("iss is not a configured issuer")
	}
	fail := func(f *failure) (*verified, *failure) { f.issuer = is.name; return nil, f }

	set, err := is.keys.keys(ctx)
	if err != nil {
		return fail(&failure{class: failUnavailable, reason: "issuer keys unavailable"})
	}
	signAlg := jose.SignatureAlgorithm(h.Algorithm)
	payload, ok, known := verifyWith(tok, set, h.KeyID, signAlg)
	if !ok && (!known || h.KeyID == "") {
		// An unknown kid (or no kid and no key verified): the issuer may
		// have rotated its keys. refresh fetches at most once per interval.
		fresh, err := is.keys.refresh(ctx)
		if err != nil {
			return fail(&failure{class: failUnavailable, reason: "issuer keys unavailable"})
		}
		if fresh != set {
			payload, ok, known = verifyWith(tok, fresh, h.KeyID, signAlg)
		}
	}
	if !ok {
		if !known {
			return fail(invalid("no key of the issuer has this kid"))
		}
		return fail(invalid("signature does not verify"))
	}

	c, f := parseClaims(payload)
	if f != nil {
		return fail(f)
	}
	if c.iss != is.name {
		return fail(invalid("iss changed")) // cannot happen: same bytes
	}
	now := s.now()
	switch {
	case !c.hasExp:
		return fail(invalid("exp missing"))
	case now.After(c.exp.Add(s.skew)):
		return fail(invalid("expired"))
	case !c.hasIat:
		return fail(invalid("iat missing"))
	case c.iat.After(now.Add(s.skew)):
		return fail(invalid("iat in the future"))
	case c.nbf != nil && c.nbf.After(now.Add(s.skew)):
		return fail(invalid("not yet valid (nbf)"))
	case c.jti == "":
		return fail(invalid("jti missing"))
	case !slices.Contains(c.aud, s.audience):
		return fail(invalid("aud does not contain the configured audience"))
	}
	if rules.claims != nil {
		if f := rules.claims(c); f != nil {
			return fail(f)
		}
	}
	first, err := s.replay.Use(ctx, is.name, c.jti, c.exp.Add(s.skew))
	if err != nil {
		return fail(&failure{class: failUnavailable, reason: "replay cache unavailable: " + err.Error()})
	}
	if !first {
		return fail(invalid("jti replayed"))
	}
	return &verified{issuer: is, claims: c}, nil
}

// verifyWith tries the candidate keys of set; known reports whether kid
// named any key of the set (always true without a kid, if the set has keys).
func verifyWith(tok *jwt.JSONWebToken, set *keySet, kid string, alg jose.SignatureAlgorithm) (payload []byte, ok, known bool) {
	keys, known := set.candidates(kid, alg)
	for _, k := range keys {
		var p payloadBytes
		if err := tok.Claims(k, &p); err == nil {
			return p, true, known
		}
	}
	return nil, false, known
}

// payloadBytes captures a JWT payload as go-jose hands it over.
type payloadBytes []byte

func (p *payloadBytes) UnmarshalJSON(b []byte) error {
	*p = append((*p)[:0], b...)
	return nil
}

// peekAlgorithm reads the alg of a compact JWS header without trusting it,
// so that a refusal can say why.
func peekAlgorithm(token string) (string, bool) {
	head, _, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return "", false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(b, &h) != nil {
		return "", false
	}
	return h.Alg, true
}

func issuerOf(payload []byte) (string, bool) {
	var c struct {
		Iss json.RawMessage `json:"iss"`
	}
	if json.Unmarshal(payload, &c) != nil {
		return "", false
	}
	s, ok := jsonString(c.Iss)
	return s, ok && s != ""
}

// parseClaims reads the registered claims with strict types.
func parseClaims(payload []byte) (*claims, *failure) {
	c := &claims{}
	if json.Unmarshal(payload, &c.raw) != nil || c.raw == nil {
		return nil, invalid("claims are not a JSON object")
	}
	var ok bool
	if c.iss, ok = jsonString(c.raw["iss"]); !ok {
		return nil, invalid("iss missing or not a string")
	}
	if raw, present := c.raw["jti"]; present {
		if c.jti, ok = jsonString(raw); !ok {
			return nil, invalid("jti is not a string")
		}
	}
	if c.aud, ok = audience(c.raw["aud"]); !ok {
		return nil, invalid("aud missing or not a string or array of strings")
	}
	if raw, present := c.raw["exp"]; present {
		if c.exp, ok = numericDate(raw); !ok {
			return nil, invalid("exp is not a NumericDate")
		}
		c.hasExp = true
	}
	if raw, present := c.raw["iat"]; present {
		if c.iat, ok = numericDate(raw); !ok {
			return nil, invalid("iat is not a NumericDate")
		}
		c.hasIat = true
	}
	if raw, present := c.raw["nbf"]; present {
		t, ok := numericDate(raw)
		if !ok {
			return nil, invalid("nbf is not a NumericDate")
		}
		c.nbf = &t
	}
	return c, nil
}

// jsonString decodes a JSON string (not null, not a number).
func jsonString(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// audience decodes aud: a string or a non-empty array of strings (RFC 7519
// §4.1.3).
func audience(raw json.RawMessage) ([]string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, false
	}
	if raw[0] == '"' {
		s, ok := jsonString(raw)
		return []string{s}, ok
	}
	if raw[0] != '[' {
		return nil, false
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil || len(list) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, r := range list {
		s, ok := jsonString(r)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// numericDate decodes an RFC 7519 §2 NumericDate: a non-negative JSON
// number of seconds (fractions allowed), not a string.
func numericDate(raw json.RawMessage) (time.Time, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] >= '0' && raw[0] <= '9') {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f > 1<<40 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true
}

// isJSONObject reports whether raw is a JSON object.
func isJSONObject(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(raw, &m) == nil
}
