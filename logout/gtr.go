package logout

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// GlobalTokenRevocationHandler serves a Global Token Revocation endpoint
// (draft-parecki-oauth-global-token-revocation-06): an identity provider,
// such as Okta Universal Logout, asks the application to end every session
// and revoke every token of one user.
//
// Request (draft §3.2): POST, Content-Type application/json, body
// {"sub_id": <RFC 9493 subject identifier>} in the email (§3.2.2), iss_sub
// (§3.2.3) or opaque (§3.2.4) format; other members of the body are ignored.
//
// Authentication (draft §3.2 leaves the method open; §6.1): Authorization:
// Bearer <JWT>, shaped like a private_key_jwt client assertion (RFC 7523
// §3): signed with an asymmetric algorithm by a key in the JWKS of a
// configured issuer; iss that issuer; aud containing Config.Audience (this
// endpoint's URL); exp present, not passed, and at most MaxAssertionLifetime
// after iat; iat present and not in the future; nbf, if present, passed
// (each with Config.ClockSkew); jti present and never seen before. A JWT
// typed logout+jwt (a Back-Channel Logout token) is refused.
//
// Answers (draft §3.4; every answer carries Cache-Control: no-store, and
// errors a JSON body {"error","error_description"} whose text is fixed,
// never request content):
//
//	204  the callback returned nil: revocation has begun (§3.4.1)
//	400  the body is not a JSON object with a valid sub_id, the sub_id
//	     format is not email, iss_sub or opaque, a member is missing,
//	     empty, not a string, or not defined by its format (RFC 9493 §3),
//	     or Content-Type is not application/json: the draft lists only 400
//	     for a malformed request (§3.4.2), so 415 is not used
//	401  no bearer JWT, or it fails any check above, or it is a replay;
//	     with WWW-Authenticate: Bearer (plus error="invalid_token" when a
//	     token was sent; RFC 6750 §3)
//	403  an iss_sub subject of another issuer than the caller's (and not
//	     in its Issuer.SubjectIssuers), or the callback returned
//	     ErrForbidden
//	404  the callback returned ErrUnknownSubject ("User Not Found")
//	405  a method other than POST, with Allow: POST
//	413  a body over MaxBodyBytes
//	422  the callback returned ErrCannotRevoke ("Unable to Process Request")
//	500  the callback returned another error (not repeated)
//	503  the callback did not return within Config.CallbackTimeout (its
//	     context is cancelled and the handler answers at once), or the
//	     issuer's keys or the replay cache are unavailable: retry later
//
// The JWT is checked before the body: an unauthenticated caller learns
// nothing but 401 (or 405). A verified JWT's jti is spent even if the body
// is then refused; send a new JWT to retry, as with any assertion.
type GlobalTokenRevocationHandler struct {
	s *settings
}

// NewGlobalTokenRevocationHandler returns the handler for cfg, whose
// Audience is this endpoint's URL. Every configuration mistake is a
// *revoke.ConfigError naming the field and the fix; nothing is fetched yet.
func NewGlobalTokenRevocationHandler(cfg Config) (*GlobalTokenRevocationHandler, error) {
	s, err := cfg.validate(GlobalTokenRevocation)
	if err != nil {
		return nil, err
	}
	return &GlobalTokenRevocationHandler{s: s}, nil
}

var gtrRules = tokenRules{
	header: func(h jose.Header) *failure {
		if typ, ok := h.ExtraHeaders[jose.HeaderType].(string); ok && isLogoutTyp(typ) {
			return invalid("typ logout+jwt: a logout token is not a revocation assertion")
		}
		return nil
	},
	claims: func(c *claims) *failure {
		if c.exp.Before(c.iat) {
			return invalid("exp before iat")
		}
		if c.exp.Sub(c.iat) > MaxAssertionLifetime {
			return invalid("exp more than 5 minutes after iat")
		}
		return nil
	},
}

// ServeHTTP implements http.Handler.
func (h *GlobalTokenRevocationHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := h.s
	ctx := r.Context()
	const kind = GlobalTokenRevocation
	refuse := func(status int, code, description, reason, issuer string) {
		s.logRefusal(ctx, kind, status, reason, issuer, false)
		writeError(w, status, code, description)
	}
	refuseToken := func(status int, code, description string, f *failure) {
		s.logRefusal(ctx, kind, status, f.reason, f.issuer, true)
		writeError(w, status, code, description)
	}

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		refuse(http.StatusMethodNotAllowed, "invalid_request", "use POST", "method "+safeMethod(r.Method), "")
		return
	}

	token, sent := bearerToken(r)
	if !sent {
		w.Header().Set("WWW-Authenticate", "Bearer")
		refuse(http.StatusUnauthorized, "invalid_token", "a bearer JWT is required", "no bearer token", "")
		return
	}
	v, f := s.verify(ctx, token, gtrRules)
	if f != nil {
		if f.class == failUnavailable {
			refuseToken(http.StatusServiceUnavailable, "temporarily_unavailable", "cannot verify the request now; retry later", f)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		refuseToken(http.StatusUnauthorized, "invalid_token", "the bearer JWT is invalid", f)
		return
	}
	iss := v.issuer.name

	if !hasMediaType(r, "application/json") {
		refuse(http.StatusBadRequest, "invalid_request", "Content-Type must be application/json", "wrong content type", iss)
		return
	}
	body, tooLarge, err := readBody(w, r)
	if tooLarge {
		refuse(http.StatusRequestEntityTooLarge, "invalid_request", "the request body is too large", "body too large", iss)
		return
	}
	if err != nil {
		refuse(http.StatusBadRequest, "invalid_request", "the request body could not be read", "body unreadable", iss)
		return
	}
	sub, reason := parseSubID(body)
	if reason != "" {
		refuse(http.StatusBadRequest, "invalid_request", reason, reason, iss)
		return
	}
	if sub.Format == FormatIssSub && sub.Iss != iss && !slices.Contains(v.issuer.subjectIssuers, sub.Iss) {
		refuse(http.StatusForbidden, "access_denied", "this caller may not name users of that issuer", "iss_sub subject of another issuer", iss)
		return
	}

	e := Event{
		Kind:     kind,
		Issuer:   iss,
		Subject:  sub,
		JWTID:    v.claims.jti,
		IssuedAt: v.claims.iat,
	}
	o, err := s.call(ctx, e)
	var status int
	switch o {
	case outcomeDone:
		status = http.StatusNoContent
		writeEmpty(w, status)
	case outcomeUnknown:
		status = http.StatusNotFound
		writeError(w, status, "user_not_found", "the subject is not known here")
	case outcomeCannot:
		status = http.StatusUnprocessableEntity
		writeError(w, status, "unable_to_process", "the subject's tokens cannot be revoked")
	case outcomeForbidden:
		status = http.StatusForbidden
		writeError(w, status, "access_denied", "this caller may not log out this subject")
	case outcomeTimeout:
		status = http.StatusServiceUnavailable
		writeError(w, status, "temporarily_unavailable", "revocation did not complete in time; retry later")
	default:
		status = http.StatusInternalServerError
		writeError(w, status, "server_error", "revocation failed")
	}
	s.logOutcome(ctx, e, status, o, err)
}

// bearerToken returns the token of a single "Authorization: Bearer <token>"
// header (scheme case-insensitive, RFC 9110 §11.1).
func bearerToken(r *http.Request) (string, bool) {
	vals := r.Header.Values("Authorization")
	if len(vals) != 1 {
		return "", false
	}
	scheme, tok, ok := strings.Cut(vals[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// subIDMembers lists the members each accepted RFC 9493 format defines
// (besides "format"); RFC 9493 §3 forbids members a format does not
// describe.
var subIDMembers = map[SubjectFormat][]string{
	FormatEmail:  {"email"},
	FormatIssSub: {"iss", "sub"},
	FormatOpaque: {"id"},
}

// parseSubID reads the request body. reason is "" on success, else fixed
// text that names what is wrong without repeating any of it.
func parseSubID(body []byte) (Subject, string) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil || top == nil {
		return Subject{}, "the body is not a JSON object"
	}
	if _, err := dec.Token(); err != io.EOF {
		return Subject{}, "the body has data after the JSON object"
	}
	raw, ok := top["sub_id"]
	if !ok {
		return Subject{}, "sub_id is missing"
	}
	var m map[string]json.RawMessage
	if !isJSONObject(raw) || json.Unmarshal(raw, &m) != nil {
		return Subject{}, "sub_id is not a JSON object"
	}
	format, ok := jsonString(m["format"])
	if !ok || format == "" {
		return Subject{}, "sub_id.format is missing or not a string"
	}
	members, known := subIDMembers[SubjectFormat(format)]
	if !known {
		return Subject{}, "sub_id.format is not supported (use email, iss_sub or opaque)"
	}
	for name := range m {
		if name != "format" && !slices.Contains(members, name) {
			return Subject{}, "sub_id has a member its format does not define"
		}
	}
	vals := make(map[string]string, len(members))
	for _, name := range members {
		v, ok := jsonString(m[name])
		if !ok || v == "" {
			return Subject{}, "sub_id." + name + " is missing, empty or not a string"
		}
		vals[name] = v
	}
	sub := Subject{Format: SubjectFormat(format)}
	switch sub.Format {
	case FormatEmail:
		sub.Email = vals["email"]
	case FormatIssSub:
		sub.Iss, sub.Sub = vals["iss"], vals["sub"]
	case FormatOpaque:
		sub.ID = vals["id"]
	}
	return sub, ""
}

// isLogoutTyp reports whether typ names a Back-Channel Logout token:
// "logout+jwt", with or without "application/", in any case (RFC 7515
// §4.1.9).
func isLogoutTyp(typ string) bool {
	typ = strings.ToLower(typ)
	return typ == "logout+jwt" || typ == "application/logout+jwt"
}

// isGenericJWTTyp reports whether typ is the generic "JWT" (RFC 7519
// §5.1), with or without "application/", in any case.
func isGenericJWTTyp(typ string) bool {
	typ = strings.ToLower(typ)
	return typ == "jwt" || typ == "application/jwt"
}

// safeMethod bounds a request method for logging.
func safeMethod(m string) string {
	if len(m) > 16 {
		return m[:16] + "…"
	}
	return m
}
