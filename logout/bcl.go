package logout

import (
	"encoding/json"
	"net/http"
	"net/url"

	jose "github.com/go-jose/go-jose/v4"
)

// BackChannelLogoutEvent is the member of a logout token's events claim
// that declares it a Logout Token (OpenID Connect Back-Channel Logout 1.0
// §2.4).
const BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// BackChannelLogoutHandler serves an OpenID Connect Back-Channel Logout 1.0
// endpoint (the RP's backchannel_logout_uri): the OpenID Provider tells the
// application that a user, or one of their sessions, logged out.
//
// Request (§2.5): POST, Content-Type application/x-www-form-urlencoded, one
// logout_token parameter in the body (the URL query is ignored).
//
// Logout token validation (§2.6), every step: a JWS signed with an
// asymmetric algorithm (RS*, PS*, ES*, EdDSA; never "none", never HMAC) by
// a key in the JWKS of a configured issuer; a typ header, if present, of
// logout+jwt or the generic JWT (§2.4 recommends explicit typing but does
// not require it, and providers such as Keycloak send typ JWT; a token typed
// as anything else, e.g. at+jwt, is refused); iss that issuer; aud containing Config.Audience (the client_id);
// iat present and not in the future; exp present and not passed; nbf, if
// present, passed (each with Config.ClockSkew); jti present and never seen
// before; an events claim that is a JSON object whose
// BackChannelLogoutEvent member is a JSON object; a sub or a sid claim, or
// both (non-empty strings); no nonce claim.
//
// Answers (§2.8; every answer carries Cache-Control: no-store, and errors a
// JSON body {"error","error_description"} with fixed text, never echoing
// the token):
//
//	200  the callback returned nil or ErrUnknownSubject (no session of
//	     that user here is a completed logout, §2.7); empty body
//	400  invalid_request: wrong Content-Type, body over MaxBodyBytes, not
//	     exactly one logout_token, or a logout token failing any check
//	400  logout_failed: the callback returned ErrCannotRevoke or
//	     ErrForbidden (§2.8: "the logout failed")
//	405  a method other than POST, with Allow: POST
//	500  server_error: the callback returned another error (not repeated)
//	503  temporarily_unavailable: the callback did not return within
//	     Config.CallbackTimeout (its context is cancelled and the handler
//	     answers at once), or the issuer's keys or the replay cache are
//	     unavailable
//
// §2.8 asks for 400 whenever the logout failed; this handler keeps 400 for
// a bad request or a declined logout and answers 5xx when the application
// itself failed, so that the OP's logs tell a forged token from an outage.
// OPs treat any answer but 200 (or 204) as a failed logout.
type BackChannelLogoutHandler struct {
	s *settings
}

// NewBackChannelLogoutHandler returns the handler for cfg, whose Audience is
// the application's client_id. Every configuration mistake is a
// *revoke.ConfigError naming the field and the fix; nothing is fetched yet.
func NewBackChannelLogoutHandler(cfg Config) (*BackChannelLogoutHandler, error) {
	s, err := cfg.validate(BackChannelLogout)
	if err != nil {
		return nil, err
	}
	return &BackChannelLogoutHandler{s: s}, nil
}

var bclRules = tokenRules{
	header: func(h jose.Header) *failure {
		raw, present := h.ExtraHeaders[jose.HeaderType]
		if !present {
			return nil
		}
		// Without explicit typing, the events claim and the absence of
		// nonce are what tell a logout token from an ID token (§2.4).
		if typ, ok := raw.(string); !ok || !(isLogoutTyp(typ) || isGenericJWTTyp(typ)) {
			return invalid("typ is neither logout+jwt nor JWT")
		}
		return nil
	},
	claims: func(c *claims) *failure {
		events, present := c.raw["events"]
		if !present {
			return invalid("events missing")
		}
		var m map[string]json.RawMessage
		if !isJSONObject(events) || json.Unmarshal(events, &m) != nil {
			return invalid("events is not a JSON object")
		}
		ev, present := m[BackChannelLogoutEvent]
		if !present {
			return invalid("events lacks the back-channel logout event")
		}
		if !isJSONObject(ev) {
			return invalid("the back-channel logout event is not a JSON object")
		}
		if _, present := c.raw["nonce"]; present {
			return invalid("nonce present")
		}
		hasSub, ok := optionalString(c.raw, "sub")
		if !ok {
			return invalid("sub is not a non-empty string")
		}
		hasSid, ok := optionalString(c.raw, "sid")
		if !ok {
			return invalid("sid is not a non-empty string")
		}
		if !hasSub && !hasSid {
			return invalid("neither sub nor sid")
		}
		return nil
	},
}

// optionalString reads an optional claim that, when present, must be a
// non-empty string.
func optionalString(raw map[string]json.RawMessage, name string) (present, ok bool) {
	r, present := raw[name]
	if !present {
		return false, true
	}
	v, ok := jsonString(r)
	return true, ok && v != ""
}

// ServeHTTP implements http.Handler.
func (h *BackChannelLogoutHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := h.s
	ctx := r.Context()
	const kind = BackChannelLogout
	refuse := func(status int, code, description, reason, issuer string) {
		s.logRefusal(ctx, kind, status, reason, issuer, false)
		writeError(w, status, code, description)
	}
	refuseToken := func(status int, code, description string, f *failure) {
		s.logRefusal(ctx, kind, status, f.reason, f.issuer, true)
		writeError(w, status, code, description)
	}
	const badForm = "the request must be a form POST with one logout_token"

	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		refuse(http.StatusMethodNotAllowed, "invalid_request", "use POST", "method "+safeMethod(r.Method), "")
		return
	}
	if !hasMediaType(r, "application/x-www-form-urlencoded") {
		refuse(http.StatusBadRequest, "invalid_request", badForm, "wrong content type", "")
		return
	}
	body, tooLarge, err := readBody(w, r)
	if tooLarge {
		refuse(http.StatusBadRequest, "invalid_request", "the request body is too large", "body too large", "")
		return
	}
	if err != nil {
		refuse(http.StatusBadRequest, "invalid_request", badForm, "body unreadable", "")
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || len(form["logout_token"]) != 1 {
		refuse(http.StatusBadRequest, "invalid_request", badForm, "not exactly one logout_token", "")
		return
	}

	v, f := s.verify(ctx, form.Get("logout_token"), bclRules)
	if f != nil {
		if f.class == failUnavailable {
			refuseToken(http.StatusServiceUnavailable, "temporarily_unavailable", "cannot verify the logout token now; retry later", f)
			return
		}
		refuseToken(http.StatusBadRequest, "invalid_request", "the logout token is invalid", f)
		return
	}

	c := v.claims
	e := Event{
		Kind:     kind,
		Issuer:   v.issuer.name,
		JWTID:    c.jti,
		IssuedAt: c.iat,
	}
	if sub, ok := jsonString(c.raw["sub"]); ok {
		e.Subject = Subject{Format: FormatIssSub, Iss: v.issuer.name, Sub: sub}
	}
	if sid, ok := jsonString(c.raw["sid"]); ok {
		e.SessionID = sid
	}

	o, err := s.call(ctx, e)
	var status int
	switch o {
	case outcomeDone, outcomeUnknown:
		status = http.StatusOK
		writeEmpty(w, status)
	case outcomeCannot, outcomeForbidden:
		status = http.StatusBadRequest
		writeError(w, status, "logout_failed", "the logout could not be completed")
	case outcomeTimeout:
		status = http.StatusServiceUnavailable
		writeError(w, status, "temporarily_unavailable", "the logout did not complete in time; retry later")
	default:
		status = http.StatusInternalServerError
		writeError(w, status, "server_error", "the logout failed")
	}
	s.logOutcome(ctx, e, status, o, err)
}
