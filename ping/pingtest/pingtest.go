// Package pingtest holds faithful fakes of the revocation and
// introspection endpoints of Ping Identity's three authorization servers,
// with real token state, for
// tests and demos: Federate (PingFederate), One (PingOne) and AM (PingAM,
// ForgeRock AM, PingOne Advanced Identity Cloud). Each is built on the
// emulator core in package revoketest (token store, client registry, fault
// queue, request log).
//
// Serve one with httptest.NewServer, or put it behind an
// *httpmock.MockTransport with its Register function:
//
//	mt := httpmock.NewMockTransport()
//	fake := pingtest.RegisterAM(mt, "https://am.example.com")
//	fake.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: "mySecret-value"})
//	pair := fake.Issue("myClient", "bjensen")
//
// They follow the products' documentation (see package ping) and are
// independent of package ping: they describe the servers, so that the
// adapter is tested against them rather than against itself. Where the
// documentation is silent, the fakes' answers are marked [Inf].
package pingtest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/internal/redact"
	"github.com/revokekit/revoke/revoketest"
)

// Token kinds (revoketest.TokenInfo.Kind) the fakes cannot revoke.
const (
	// KindJWT marks a PingFederate JWT access token whose access token
	// manager does not have "Enable Token Revocation": 400
	// unsupported_token_type [Inf].
	KindJWT = "jwt"
	// KindNoSession marks a PingOne token without a session (sid), such
	// as a client_credentials token, or a token for the PingOne API: 400
	// unsupported_token_type [Inf].
	KindNoSession = "no-session"
)

// Error descriptions the fakes write. PingAM's are its documentation's;
// the others are [Inf].
const (
	DescAMInvalidClient   = "Client authentication failed"
	DescAMMissingClientID = "Missing parameter, 'client_id'"
	DescInvalidClient     = "Invalid client or client credentials."
	DescInvalidRequest    = "Invalid request."
	DescNotRevocable      = "The token cannot be revoked."
	DescWrongClient       = "The token was not issued to this client."
	DescNotValidator      = "The client is not authorized to validate access tokens."
	DescAMMissingToken    = "Missing parameter, 'token'"
)

// Lifetimes the introspection answers' exp reports, each product's default
// (PingFederate's access token manager 120 minutes; PingOne's applications
// one hour and 30 days; PingAM's OAuth2 provider one hour and seven days).
// The fakes never expire a token.
const (
	FederateAccessTokenLifetime = 2 * time.Hour
	OneAccessTokenLifetime      = time.Hour
	OneRefreshTokenLifetime     = 30 * 24 * time.Hour
	AMAccessTokenLifetime       = time.Hour
	AMRefreshTokenLifetime      = 7 * 24 * time.Hour
)

// core is what the three fakes share.
type core struct {
	store   *revoketest.Store
	clients *revoketest.Clients
	faults  *revoketest.Faults
	log     *revoketest.Log
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// serve reads, logs and fault-injects one request, then hands it on.
func (c core) serve(rw http.ResponseWriter, r *http.Request, handle func(w http.ResponseWriter, r *http.Request, form url.Values)) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		c.log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok || c.faults.Serve(rec) {
		return
	}
	handle(rec, r, form)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	b, _ := json.Marshal(v)
	_, _ = w.Write(b)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, struct {
		Error       string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}{code, desc})
}

// amError writes PingAM's error body, error_description first, as its
// documentation shows it.
func amError(w http.ResponseWriter, code, desc string) {
	writeJSON(w, http.StatusBadRequest, struct {
		Description string `json:"error_description"`
		Error       string `json:"error"`
	}{desc, code})
}

// formPOST refuses what no Ping endpoint takes: another method, another
// content type, the token in the query.
func formPOST(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return false
	}
	if r.URL.Query().Has("token") {
		oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return false
	}
	return true
}

// revokeToken applies the products' shared token rules once the client is
// known: unknown or inactive tokens succeed; another client's token is
// refused; a token of an unrevocable kind is unsupported_token_type; a
// refresh token takes its access token with it. It reports whether it
// wrote an error.
func (c core) revokeToken(w http.ResponseWriter, token, clientID string, unrevocable string) bool {
	info, found := c.store.Lookup(token)
	if !found || !info.Active {
		return false
	}
	switch {
	case info.ClientID != clientID:
		oauthError(w, http.StatusBadRequest, "unauthorized_client", DescWrongClient)
		return true
	case unrevocable != "" && info.Kind == unrevocable:
		oauthError(w, http.StatusBadRequest, "unsupported_token_type", DescNotRevocable)
		return true
	}
	c.store.Revoke(token, clientID)
	return false
}

// inactive writes RFC 7662's answer about a token that is not active.
func inactive(w http.ResponseWriter) {
	writeJSON(w, http.StatusOK, map[string]bool{"active": false})
}

func basicUsed(r *http.Request) bool {
	a := r.Header.Get("Authorization")
	return len(a) > 6 && strings.EqualFold(a[:6], "basic ")
}

func fields(name string, s *revoketest.Store, cs *revoketest.Clients, l *revoketest.Log) [][2]string {
	return [][2]string{{"Product", strconv.Quote(name)}, {"Store", fmt.Sprint(s)}, {"Clients", fmt.Sprint(cs)}, {"Requests", strconv.Itoa(l.Len())}}
}

// ---- PingFederate ----

// FederatePath is PingFederate's revocation endpoint.
const FederatePath = "/as/revoke_token.oauth2"

// FederateIntrospectPath is PingFederate's introspection endpoint
// (https://docs.pingidentity.com/pingfederate/latest/developers_reference_guide/pf_introspec_endpoint.html).
const FederateIntrospectPath = "/as/introspect.oauth2"

// Federate emulates PingFederate's revocation endpoint, POST
// /as/revoke_token.oauth2 (POST only: 405 otherwise; a form body; the
// token in the query is 400 invalid_request).
//
// Client authentication follows the client's registration
// (revoketest.Clients: Basic credentials form-decoded [Inf], POST
// parameters, client_id alone for Method "none", client assertions whose
// "aud" is the token endpoint {base}/as/token.oauth2 or the base URL
// [Inf]); a failure is 401 invalid_client with WWW-Authenticate after
// Basic, malformed credentials 400 invalid_request. A refresh token ends
// with its access token; an access token ends alone; a JWT access token
// (KindJWT) is 400 unsupported_token_type; another client's token is 400
// unauthorized_client [Inf]; an unknown token is 200. Success is 200 with
// an empty body.
//
// It also emulates POST /as/introspect.oauth2 (RFC 7662), with the same
// request rules and client authentication (a client with Method "none",
// client_id alone, is how PingFederate's validating clients without a
// secret authenticate). As documented, a token is looked up as the
// token_type_hint says, an access token without one: a refresh token
// sent without the hint refresh_token is not found, {"active":false}.
// Access tokens are answered to the clients allowed the Access Token
// Validation grant type (AllowAccessTokenValidation), whichever client they
// were issued to: {"active":true,"token_type":"Bearer","client_id","sub",
// "iat","exp"}, exp after FederateAccessTokenLifetime (the fake never
// expires a token); another client is 400 unauthorized_client [Inf]. A
// refresh token is answered to the client it was issued to [Inf], with
// {"active":true} alone, as documented. Anything else (unknown, revoked,
// another client's refresh token) is {"active":false}; a missing token or
// another hint 400 invalid_request [Inf].
type Federate struct {
	*revoketest.Store
	Clients *revoketest.Clients
	Faults  revoketest.Faults
	Log     revoketest.Log

	mu         sync.Mutex
	validators map[string]bool // clients with the Access Token Validation grant type
}

// NewFederate returns a fake PingFederate with no clients.
func NewFederate() *Federate {
	return &Federate{Store: revoketest.NewStore(), Clients: &revoketest.Clients{}, validators: map[string]bool{}}
}

// AllowAccessTokenValidation gives client clientID the Access Token
// Validation grant type ("Client is a Resource Server"), which PingFederate
// requires of a client introspecting access tokens.
func (s *Federate) AllowAccessTokenValidation(clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.validators[clientID] = true
}

func (s *Federate) validator(clientID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.validators[clientID]
}

// RegisterFederate starts a fake behind mt for every request under
// baseURL (e.g. "https://pf.example.com:9031") and returns it.
func RegisterFederate(mt *httpmock.MockTransport, baseURL string) *Federate {
	s := NewFederate()
	revoketest.RegisterHandler(mt, baseURL, s)
	return s
}

// AddClient registers an OAuth client.
func (s *Federate) AddClient(c revoketest.Client) { s.Clients.Add(c) }

// IssueJWT issues a pair whose access token is a JWT that cannot be
// revoked directly (KindJWT).
func (s *Federate) IssueJWT(clientID, subject string) revoketest.Pair {
	return s.Store.IssueKind(clientID, subject, KindJWT)
}

// FailNext makes the next n requests answer f.
func (s *Federate) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Federate) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

func (s *Federate) core() core { return core{s.Store, s.Clients, &s.Faults, &s.Log} }

// ServeHTTP implements http.Handler.
func (s *Federate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.core().serve(w, r, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		if r.URL.Path != FederatePath && r.URL.Path != FederateIntrospectPath {
			http.NotFound(w, r)
			return
		}
		if !formPOST(w, r) {
			return
		}
		base := revoketest.BaseURL(r)
		id, _, e := s.Clients.Authenticate(r, form, []string{base + "/as/token.oauth2", base})
		if e != nil {
			if e.Code == "invalid_client" {
				if basicUsed(r) {
					w.Header().Set("WWW-Authenticate", `Basic realm="PingFederate"`)
				}
				oauthError(w, http.StatusUnauthorized, "invalid_client", DescInvalidClient)
				return
			}
			oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
			return
		}
		token := form.Get("token")
		if token == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
			return
		}
		if r.URL.Path == FederateIntrospectPath {
			s.introspect(w, token, form.Get("token_type_hint"), id)
			return
		}
		// A JWT access token cannot be revoked directly; its refresh token
		// revokes the grant, and the JWT with it.
		unrevocable := ""
		if info, ok := s.Store.Lookup(token); ok && info.Type == "access_token" && info.Kind == KindJWT {
			unrevocable = KindJWT
		}
		if s.core().revokeToken(w, token, id, unrevocable) {
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	})
}

// introspect answers an authenticated client's introspection request.
func (s *Federate) introspect(w http.ResponseWriter, token, hint, clientID string) {
	switch hint {
	case "", "access_token":
		if !s.validator(clientID) {
			oauthError(w, http.StatusBadRequest, "unauthorized_client", DescNotValidator)
			return
		}
		info, active := s.Store.Introspect(token, "")
		if !active || info.Type != "access_token" {
			inactive(w)
			return
		}
		claims := s.Store.IntrospectionClaims(info, FederateAccessTokenLifetime)
		claims["token_type"] = "Bearer"
		writeJSON(w, http.StatusOK, claims)
	case "refresh_token":
		if info, active := s.Store.Introspect(token, clientID); !active || info.Type != "refresh_token" {
			inactive(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"active": true})
	default:
		oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
	}
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *Federate) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "pingtest.Federate", fields("pingfederate", s.Store, s.Clients, &s.Log))
}

// LogValue implements slog.LogValuer with the counts only.
func (s *Federate) LogValue() slog.Value {
	return redact.Log(fields("pingfederate", s.Store, s.Clients, &s.Log))
}

// MarshalJSON implements json.Marshaler with the counts only.
func (s *Federate) MarshalJSON() ([]byte, error) {
	return redact.JSON(fields("pingfederate", s.Store, s.Clients, &s.Log))
}

// ---- PingOne ----

// One emulates PingOne's authorization service for one environment:
// POST /{envID}/as/revoke and POST /{envID}/as/introspect, and POST
// /as/revoke and /as/introspect as a custom domain serves them. Another
// environment ID is 404 with PingOne's platform error body.
//
// Client authentication is the application's tokenEndpointAuthMethod
// (register clients with Method set: PingOne accepts no other method);
// client assertions may name the issuer ({base}/{envID}/as), the token
// endpoint or the revocation endpoint in "aud". A failure is 401
// invalid_client [Inf]. Tokens without a session (KindNoSession) are 400
// unsupported_token_type [Inf]; the other token rules are Federate's.
// Success is 200 with an empty body.
//
// /as/introspect (RFC 7662) takes the same requests and client
// authentication (a client assertion may also name the introspection
// endpoint in "aud") and answers, as documented, the application a token
// was issued to: an active access token is {"active":true,
// "token_type":"Bearer","client_id","sub","iss","iat","exp"}, a refresh
// token the same without token_type, exp after OneAccessTokenLifetime or
// OneRefreshTokenLifetime (the fake never expires a token); an unknown,
// revoked or other application's token is {"active":false}; a missing
// token 400 invalid_request [Inf].
type One struct {
	*revoketest.Store
	Clients *revoketest.Clients
	Faults  revoketest.Faults
	Log     revoketest.Log
	// EnvironmentID is the environment served.
	EnvironmentID string
}

// NewOne returns a fake PingOne environment with no applications.
func NewOne(environmentID string) *One {
	return &One{Store: revoketest.NewStore(), Clients: &revoketest.Clients{}, EnvironmentID: environmentID}
}

// RegisterOne starts a fake environment behind mt for every request under
// baseURL (e.g. "https://auth.pingone.eu") and returns it.
func RegisterOne(mt *httpmock.MockTransport, baseURL, environmentID string) *One {
	s := NewOne(environmentID)
	revoketest.RegisterHandler(mt, baseURL, s)
	return s
}

// AddClient registers an application; set Method to its
// tokenEndpointAuthMethod (client_secret_basic, client_secret_post,
// client_secret_jwt, private_key_jwt, none).
func (s *One) AddClient(c revoketest.Client) { s.Clients.Add(c) }

// IssueClientCredentials issues an access token without a session, which
// PingOne cannot revoke.
func (s *One) IssueClientCredentials(clientID string) string {
	return s.Store.IssueAccess(clientID, "", KindNoSession)
}

// FailNext makes the next n requests answer f.
func (s *One) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *One) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// ServeHTTP implements http.Handler.
func (s *One) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := core{s.Store, s.Clients, &s.Faults, &s.Log}
	c.serve(w, r, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		base := revoketest.BaseURL(r)
		var issuer string
		p := r.URL.Path
		endpoint := p[strings.LastIndex(p, "/")+1:]
		switch {
		case endpoint != "revoke" && endpoint != "introspect":
			http.NotFound(w, r)
			return
		case p == "/as/"+endpoint:
			issuer = base + "/as"
		case strings.HasSuffix(p, "/as/"+endpoint) && strings.Count(p, "/") == 3:
			env := strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/as/"+endpoint)
			if env != s.EnvironmentID {
				writeJSON(w, http.StatusNotFound, map[string]string{"id": "5fbc6b1f-0b5e-4b55-9a61-c7a1a0d2f0b1", "code": "NOT_FOUND", "message": "The requested resource was not found."})
				return
			}
			issuer = base + "/" + env + "/as"
		default:
			http.NotFound(w, r)
			return
		}
		if !formPOST(w, r) {
			return
		}
		id, _, e := s.Clients.Authenticate(r, form, []string{issuer, issuer + "/token", issuer + "/" + endpoint})
		if e != nil {
			if e.Code == "invalid_client" {
				oauthError(w, http.StatusUnauthorized, "invalid_client", DescInvalidClient)
				return
			}
			oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
			return
		}
		if endpoint == "introspect" {
			s.introspect(w, form.Get("token"), id, issuer)
			return
		}
		if c.revokeToken(w, form.Get("token"), id, KindNoSession) {
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// introspect answers an authenticated application's introspection request.
func (s *One) introspect(w http.ResponseWriter, token, clientID, issuer string) {
	if token == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", DescInvalidRequest)
		return
	}
	info, active := s.Store.Introspect(token, clientID)
	if !active {
		inactive(w)
		return
	}
	lifetime := OneAccessTokenLifetime
	if info.Type == "refresh_token" {
		lifetime = OneRefreshTokenLifetime
	}
	claims := s.Store.IntrospectionClaims(info, lifetime)
	claims["iss"] = issuer
	if info.Type == "access_token" {
		claims["token_type"] = "Bearer"
	}
	writeJSON(w, http.StatusOK, claims)
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *One) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "pingtest.One", fields("pingone", s.Store, s.Clients, &s.Log))
}

// LogValue implements slog.LogValuer with the counts only.
func (s *One) LogValue() slog.Value { return redact.Log(fields("pingone", s.Store, s.Clients, &s.Log)) }

// MarshalJSON implements json.Marshaler with the counts only.
func (s *One) MarshalJSON() ([]byte, error) {
	return redact.JSON(fields("pingone", s.Store, s.Clients, &s.Log))
}

// ---- PingAM ----

// AM emulates PingAM's revocation endpoint,
// POST {prefix}/oauth2/realms/root[/realms/{realm}…]/token/revoke, and its
// introspection endpoint, POST {prefix}/oauth2/realms/root[/realms/{realm}…]/introspect,
// for any deployment prefix (/am, /openam).
//
// client_id is required in the body whatever the authentication (400
// invalid_request "Missing parameter, 'client_id'" [Inf]), and must name
// a client of the realm in the path. Authentication: Basic (form-decoded
// [Inf]) with the same client_id in the body, POST parameters, client_id
// alone for Method "none", or a client assertion whose "aud" is the realm's
// access token endpoint or issuer [Inf]. A failure is 400 invalid_client
// "Client authentication failed", as documented. Token rules are
// Federate's, without unrevocable kinds. Success is 200 with the body {}.
//
// The introspection endpoint (RFC 7662) authenticates the client the same
// way, with the same answers, but does not require client_id in the body
// (it must match the Basic credentials when sent). As AM does by default,
// a client introspects its own tokens: an active one is {"active":true,
// "client_id","sub","user_id","username","realm","iss","iat","exp",
// "expires_in"} with "token_type":"Bearer" for an access token, exp after
// AMAccessTokenLifetime or AMRefreshTokenLifetime (the fake never expires
// a token); an unknown, revoked or other client's token is
// {"active":false}; a missing token 400 invalid_request "Missing parameter,
// 'token'".
type AM struct {
	*revoketest.Store
	Clients *revoketest.Clients
	Faults  revoketest.Faults
	Log     revoketest.Log

	mu     sync.Mutex
	realms map[string]string // client ID → realm path ("" for root)
}

// NewAM returns a fake PingAM with no clients.
func NewAM() *AM {
	return &AM{Store: revoketest.NewStore(), Clients: &revoketest.Clients{}, realms: map[string]string{}}
}

// RegisterAM starts a fake behind mt for every request under baseURL (e.g.
// "https://am.example.com") and returns it.
func RegisterAM(mt *httpmock.MockTransport, baseURL string) *AM {
	s := NewAM()
	revoketest.RegisterHandler(mt, baseURL, s)
	return s
}

// AddClient registers a client in realm: "" for the root realm, "alpha",
// or "alpha/customers" for a sub-realm.
func (s *AM) AddClient(realm string, c revoketest.Client) {
	s.Clients.Add(c)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realms[c.ID] = strings.Trim(realm, "/")
}

// FailNext makes the next n requests answer f.
func (s *AM) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *AM) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// AM endpoints, after the realm's path.
const (
	amRevoke     = "/token/revoke"
	amIntrospect = "/introspect"
)

// realmOf parses {prefix}/oauth2/realms/root[/realms/x…]{endpoint} into
// the realm path and the issuer path.
func realmOf(p, endpoint string) (realm, issuerPath string, ok bool) {
	i := strings.Index(p, "/oauth2/realms/root")
	if i < 0 || !strings.HasSuffix(p, endpoint) {
		return "", "", false
	}
	issuerPath = strings.TrimSuffix(p, endpoint)
	rest := strings.TrimPrefix(issuerPath[i:], "/oauth2/realms/root")
	var names []string
	segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	if rest == "" {
		segs = nil
	}
	if len(segs)%2 != 0 {
		return "", "", false
	}
	for j := 0; j < len(segs); j += 2 {
		if segs[j] != "realms" || segs[j+1] == "" {
			return "", "", false
		}
		names = append(names, segs[j+1])
	}
	return strings.Join(names, "/"), issuerPath, true
}

// ServeHTTP implements http.Handler.
func (s *AM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := core{s.Store, s.Clients, &s.Faults, &s.Log}
	c.serve(w, r, func(w http.ResponseWriter, r *http.Request, form url.Values) {
		if realm, issuerPath, ok := realmOf(r.URL.Path, amIntrospect); ok {
			s.introspect(w, r, form, realm, revoketest.BaseURL(r)+issuerPath)
			return
		}
		realm, issuerPath, ok := realmOf(r.URL.Path, amRevoke)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if !formPOST(w, r) {
			return
		}
		if form.Get("client_id") == "" {
			amError(w, "invalid_request", DescAMMissingClientID)
			return
		}
		issuer := revoketest.BaseURL(r) + issuerPath
		id, _, e := s.Clients.Authenticate(r, form, []string{issuer + "/access_token", issuer})
		s.mu.Lock()
		inRealm := e == nil && s.realms[id] == realm
		s.mu.Unlock()
		if e != nil && e.Code != "invalid_client" {
			amError(w, "invalid_request", e.Description)
			return
		}
		if !inRealm {
			amError(w, "invalid_client", DescAMInvalidClient)
			return
		}
		if form.Get("token") == "" {
			amError(w, "invalid_request", DescAMMissingToken)
			return
		}
		if c.revokeToken(w, form.Get("token"), id, "") {
			return
		}
		writeJSON(w, http.StatusOK, struct{}{})
	})
}

// introspect answers RFC 7662 at the introspection endpoint of realm.
func (s *AM) introspect(w http.ResponseWriter, r *http.Request, form url.Values, realm, issuer string) {
	if !formPOST(w, r) {
		return
	}
	id, _, e := s.Clients.Authenticate(r, form, []string{issuer + "/access_token", issuer})
	s.mu.Lock()
	inRealm := e == nil && s.realms[id] == realm
	s.mu.Unlock()
	if e != nil && e.Code != "invalid_client" {
		amError(w, "invalid_request", e.Description)
		return
	}
	if !inRealm {
		amError(w, "invalid_client", DescAMInvalidClient)
		return
	}
	token := form.Get("token")
	if token == "" {
		amError(w, "invalid_request", DescAMMissingToken)
		return
	}
	info, active := s.Store.Introspect(token, id)
	if !active {
		inactive(w)
		return
	}
	lifetime := AMAccessTokenLifetime
	if info.Type == "refresh_token" {
		lifetime = AMRefreshTokenLifetime
	}
	claims := s.Store.IntrospectionClaims(info, lifetime)
	claims["realm"], claims["iss"] = "/"+realm, issuer
	claims["user_id"], claims["username"] = info.Subject, info.Subject
	if info.Type == "access_token" {
		claims["token_type"] = "Bearer"
	}
	if exp, ok := claims["exp"].(int64); ok {
		claims["expires_in"] = max(exp-time.Now().Unix(), 0)
	}
	writeJSON(w, http.StatusOK, claims)
}

// Format implements fmt.Formatter: the fake prints its counts only.
func (s *AM) Format(f fmt.State, verb rune) {
	redact.Format(f, verb, "pingtest.AM", fields("pingam", s.Store, s.Clients, &s.Log))
}

// LogValue implements slog.LogValuer with the counts only.
func (s *AM) LogValue() slog.Value { return redact.Log(fields("pingam", s.Store, s.Clients, &s.Log)) }

// MarshalJSON implements json.Marshaler with the counts only.
func (s *AM) MarshalJSON() ([]byte, error) {
	return redact.JSON(fields("pingam", s.Store, s.Clients, &s.Log))
}
