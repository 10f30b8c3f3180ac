// Package cognitotest is a faithful fake of Amazon Cognito's token
// revocation, at the hosted /oauth2/revoke endpoint and through the
// RevokeToken action of the user pools API, with one token state shared by
// both, for tests and demos. It is built on the emulator core in package
// revoketest (token store, fault queue, request log).
//
// The endpoint and the action live on different hosts in AWS; register the
// same Server under both:
//
//	mt := httpmock.NewMockTransport()
//	fake := cognitotest.Register(mt, "https://myapp.auth.us-east-1.amazoncognito.com")
//	fake.Register(mt, "https://cognito-idp.us-east-1.amazonaws.com")
//	fake.AddClient(revoketest.Client{ID: "app", Secret: "appsecret0123456789abcdef"})
//	pair := fake.Issue("app", "alice")
//	// ... code under test revokes pair.RefreshToken ...
//	if fake.Active(pair.AccessToken) { t.Error("still active") }
//
// It follows the documentation
// (https://docs.aws.amazon.com/cognito/latest/developerguide/revocation-endpoint.html,
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html)
// and is independent of package cognito: it describes the service, so that
// the adapter is tested against it rather than against itself. Where the
// documentation is silent the fake says so ([Inf]).
package cognitotest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/jarcoal/httpmock"

	"github.com/revokekit/revoke/revoketest"
)

// Paths and protocol values.
const (
	// RevokePath is the hosted endpoint's path.
	RevokePath = "/oauth2/revoke"
	// Target is the X-Amz-Target of the RevokeToken action.
	Target = "AWSCognitoIdentityProviderService.RevokeToken"
	// ContentType is the AWS JSON 1.1 content type.
	ContentType = "application/x-amz-json-1.1"
)

// Exception names the action answers.
const (
	ExcUnsupportedTokenType = "UnsupportedTokenTypeException"
	ExcUnsupportedOperation = "UnsupportedOperationException"
	ExcNotAuthorized        = "NotAuthorizedException"
	ExcUnauthorized         = "UnauthorizedException"
	ExcInvalidParameter     = "InvalidParameterException"
	ExcTooManyRequests      = "TooManyRequestsException"
	ExcForbidden            = "ForbiddenException"
	ExcInternal             = "InternalErrorException"
	ExcUnknownOperation     = "UnknownOperationException"
)

// Server emulates a user pool's revocation, at two places:
//
//	POST /oauth2/revoke   the hosted endpoint (form, RFC 7009-like)
//	POST /                the RevokeToken action (AWS JSON 1.1)
//
// The hosted endpoint checks: method POST (405), Content-Type
// application/x-www-form-urlencoded (400 invalid_request [Inf]), a token
// (400 invalid_request), the client: Basic "client_id:client_secret" taken
// raw (an app client with a secret needs it; Cognito documents no
// form-encoding), or client_id in the body for an app client without a
// secret; anything else is 401 invalid_client. Token revocation disabled
// for the app client is 400 invalid_request (the same answer as a missing
// token). An access or ID token is 400 unsupported_token_type. Unknown,
// revoked and other clients' tokens answer 200 and change nothing [Inf for
// another client's token]. Revoking a refresh token revokes the access
// tokens issued from it. Success is 200 with an empty body.
//
// The action checks: method POST, X-Amz-Target (400
// UnknownOperationException), Content-Type (400 [Inf]), the JSON body (400
// InvalidParameterException for a missing Token or ClientId), the client
// (400 NotAuthorizedException for an unknown client, a missing or wrong
// secret [Inf: the reference lists UnauthorizedException]), revocation
// enabled (400 UnsupportedOperationException), the token as above (400
// UnsupportedTokenTypeException for an access token). Success is 200 {}.
// Errors are {"__type","message"} with the exception also in the
// X-Amzn-ErrorType header, and x-amzn-RequestId on every answer.
//
// The methods of the embedded *revoketest.Store (Issue, Active, Lookup, …)
// issue and inspect tokens.
type Server struct {
	*revoketest.Store
	// Faults queues injected answers; Log records every request.
	Faults revoketest.Faults
	Log    revoketest.Log

	mu      sync.Mutex
	clients map[string]*appClient
	seq     int
}

type appClient struct {
	secret   string
	disabled bool // token revocation off
}

// New returns a fake with no app clients.
func New() *Server {
	return &Server{Store: revoketest.NewStore(), clients: map[string]*appClient{}}
}

// Register starts a fake behind mt for every request under baseURL and
// returns it. Register it again (Server.Register) under the other host to
// serve both the hosted endpoint and the action.
func Register(mt *httpmock.MockTransport, baseURL string) *Server {
	s := New()
	s.Register(mt, baseURL)
	return s
}

// Register serves s for every request under baseURL on mt.
func (s *Server) Register(mt *httpmock.MockTransport, baseURL string) {
	revoketest.RegisterHandler(mt, baseURL, s)
}

// AddClient registers an app client; an empty Secret makes it a public
// client. Token revocation is on, as for new app clients.
func (s *Server) AddClient(c revoketest.Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[c.ID] = &appClient{secret: c.Secret}
}

// SetTokenRevocation turns the app client's EnableTokenRevocation on or
// off.
func (s *Server) SetTokenRevocation(clientID string, enabled bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.clients[clientID]; c != nil {
		c.disabled = !enabled
	}
}

// IssueIDToken returns an ID token, which Cognito refuses to revoke.
func (s *Server) IssueIDToken(clientID, username string) string {
	return s.Store.IssueAccess(clientID, username, "id_token")
}

// FailNext makes the next n requests answer f.
func (s *Server) FailNext(n int, f revoketest.Fault) { s.Faults.FailNext(n, f) }

// Requests returns every request received, oldest first.
func (s *Server) Requests() []revoketest.RecordedRequest { return s.Log.Requests() }

// TooManyRequests is the action's throttling answer: HTTP 400 with
// TooManyRequestsException, as Cognito sends it.
func TooManyRequests() revoketest.Fault {
	return Exception(http.StatusBadRequest, ExcTooManyRequests, "Rate exceeded")
}

// Exception is an answer of the action carrying exception name with
// message.
func Exception(status int, name, message string) revoketest.Fault {
	b, _ := json.Marshal(map[string]string{"__type": name, "message": message})
	return revoketest.Fault{Status: status, Body: string(b), Header: http.Header{
		"Content-Type":     {ContentType},
		"X-Amzn-Errortype": {name + ":http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/"},
		"X-Amzn-Requestid": {"00000000-0000-4000-8000-000000000000"},
	}}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: rw, status: http.StatusOK}
	body, form, ok := revoketest.ReadRequest(rec, r)
	defer func() {
		s.Log.Add(revoketest.RecordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Form: form, Body: body, Status: rec.status})
	}()
	if !ok || s.Faults.Serve(rec) {
		return
	}
	switch r.URL.Path {
	case RevokePath:
		s.hosted(rec, r, form)
	case "/", "":
		s.action(rec, r, body)
	default:
		rec.Header().Set("Content-Type", "text/html")
		rec.WriteHeader(http.StatusNotFound)
		_, _ = rec.Write([]byte("<html><body>Not Found</body></html>"))
	}
}

// recorder keeps the status written, for the log.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"error":%q}`, code)
}

// hosted serves /oauth2/revoke.
func (s *Server) hosted(w http.ResponseWriter, r *http.Request, form url.Values) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	token := form.Get("token")
	if token == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, basic := basicAuth(r.Header.Get("Authorization"))
	if !basic {
		id = form.Get("client_id")
	}
	c, found := s.client(id)
	switch {
	case !found, basic && (c.secret == "" || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1), !basic && c.secret != "":
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	case c.disabled:
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if !s.revoke(token, id) {
		oauthError(w, http.StatusBadRequest, "unsupported_token_type")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// revoke revokes a refresh token of clientID and the access tokens issued
// from it. It is false for an access or ID token of the client; unknown,
// revoked and other clients' tokens are left alone.
func (s *Server) revoke(token, clientID string) bool {
	info, ok := s.Store.Lookup(token)
	if !ok || info.ClientID != clientID {
		return true
	}
	if info.Type != "refresh_token" {
		return false
	}
	s.Store.Revoke(token, clientID)
	return true
}

func (s *Server) client(id string) (appClient, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[id]
	if id == "" || c == nil {
		return appClient{}, false
	}
	return *c, true
}

// basicAuth splits a Basic header raw, at the first ':'.
func basicAuth(h string) (id, secret string, ok bool) {
	if len(h) < 6 || !strings.EqualFold(h[:6], "basic ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// action serves the RevokeToken action.
func (s *Server) action(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	s.seq++
	reqID := fmt.Sprintf("%08x-0000-4000-8000-%012x", s.seq, s.seq)
	s.mu.Unlock()
	w.Header().Set("X-Amzn-Requestid", reqID)
	fail := func(name, message string) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("X-Amzn-Errortype", name+":http://internal.amazon.com/coral/com.amazonaws.cognito.identity.idp.model/")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]string{"__type": name, "message": message})
		_, _ = w.Write(b)
	}
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("X-Amz-Target") != Target {
		fail(ExcUnknownOperation, "")
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != ContentType {
		fail("SerializationException", "Start of structure or map found where not expected.")
		return
	}
	var req struct {
		Token        *string `json:"Token"`
		ClientID     *string `json:"ClientId"`
		ClientSecret *string `json:"ClientSecret"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		fail("SerializationException", "The request body could not be parsed.")
		return
	}
	switch {
	case req.Token == nil:
		fail(ExcInvalidParameter, "1 validation error detected: Value null at 'token' failed to satisfy constraint: Member must not be null")
		return
	case req.ClientID == nil:
		fail(ExcInvalidParameter, "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null")
		return
	}
	c, found := s.client(*req.ClientID)
	secret := ""
	if req.ClientSecret != nil {
		secret = *req.ClientSecret
	}
	switch {
	case !found:
		fail(ExcNotAuthorized, "Client does not exist.")
		return
	case c.secret != "" && secret == "":
		fail(ExcNotAuthorized, "Client is configured with secret but ClientSecret was not received")
		return
	case c.secret != "" && subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1:
		fail(ExcNotAuthorized, "Unable to verify secret for client")
		return
	case c.disabled:
		fail(ExcUnsupportedOperation, "Token revocation is not enabled for this app client.")
		return
	}
	if !s.revoke(*req.Token, *req.ClientID) {
		fail(ExcUnsupportedTokenType, "Unsupported token type.")
		return
	}
	w.Header().Set("Content-Type", ContentType)
	_, _ = w.Write([]byte("{}"))
}

// Format implements fmt.Formatter: the fake prints counts only, never a
// secret or token.
func (s *Server) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "cognitotest.Server{%s}", s.summary())
}

func (s *Server) summary() string {
	if s == nil {
		return "<nil>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("clients:%d requests:%d", len(s.clients), s.Log.Len())
}

// LogValue implements slog.LogValuer with counts only.
func (s *Server) LogValue() slog.Value { return slog.StringValue(s.summary()) }

// MarshalJSON implements json.Marshaler with counts only.
func (s *Server) MarshalJSON() ([]byte, error) { return json.Marshal(s.summary()) }
