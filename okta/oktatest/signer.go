package oktatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/redact"
)

// DefaultSignerIssuer is the iss of a Signer whose Issuer is not set.
const DefaultSignerIssuer = "https://oktatest.example.com"

// BackChannelLogoutEvent is the member of a logout token's events claim
// that makes it a Logout Token (OpenID Connect Back-Channel Logout 1.0
// §2.4).
const BackChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// MaxSignerLifetime bounds Signer.Lifetime: a Global Token Revocation JWT
// lives at most five minutes, as a private_key_jwt client assertion does
// (draft-parecki-oauth-global-token-revocation-06 §3.1).
const MaxSignerLifetime = 5 * time.Minute

// Signer is what an Okta org does when it calls an application: it holds
// the org's signing key (RSA 2048, RS256, as an org's keys are), publishes
// it as a JSON Web Key Set, and sends
//
//   - Universal Logout: POST to the app's Global Token Revocation endpoint
//     with "Authorization: Bearer <JWT>" and the JSON body
//     {"sub_id":{"format":"email","email":"…"}} (or iss_sub, opaque). The
//     JWT is shaped like a private_key_jwt client assertion (RFC 7523 §3):
//     iss and sub the org (Issuer), aud the endpoint URL, a fresh jti, iat
//     now and exp Lifetime later (draft-parecki-oauth-global-token-revocation-06
//     §3.1; Okta's "Signed JWT" endpoint authentication).
//   - Back-Channel Logout: POST of the form logout_token=<JWT> to the app's
//     backchannel_logout_uri; the logout token (typ logout+jwt) has iss, aud
//     the client ID, iat, exp, a fresh jti, sub and/or sid, and the
//     back-channel logout event, no nonce (OpenID Connect Back-Channel
//     Logout 1.0 §2.4).
//
// Set Issuer (the org URL the app expects as iss), serve JWKS where the app
// fetches keys, then call UniversalLogout or BackChannelLogout, or build the
// request with UniversalLogoutRequest / BackChannelLogoutRequest to send it
// yourself (twice, to test replay protection). A Signer prints (fmt, slog,
// encoding/json) without its private key or the JWTs it signed. Its
// methods are safe for concurrent use once the fields are set.
//
// Okta reference: https://developer.okta.com/docs/guides/oin-universal-logout-overview/
type Signer struct {
	// Issuer is the iss (and, for Universal Logout, sub) of the JWTs:
	// the org URL, e.g. the URL of a fake org. Default DefaultSignerIssuer.
	Issuer string
	// Lifetime is exp − iat (default two minutes, at most
	// MaxSignerLifetime).
	Lifetime time.Duration
	// Client sends the calls (default: a client with a 10-second timeout
	// that follows no redirect).
	Client *http.Client

	key *rsa.PrivateKey
	kid string
}

// NewSigner returns a Signer with a fresh RSA 2048 key (RS256, RFC 7518
// §3.3) and a random key ID.
func NewSigner() *Signer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic("oktatest: generating an RSA key: " + err.Error())
	}
	return &Signer{key: key, kid: randToken("kid")}
}

// KeyID is the kid of the signing key, in every JWT header and in the JWKS
// (RFC 7515 §4.1.4).
func (s *Signer) KeyID() string { return s.kid }

// JWKSDocument is the JSON Web Key Set (RFC 7517 §5) publishing the public
// key, as an org's https://{domain}/oauth2/v1/keys does: for a static
// configuration (logout.Issuer.JWKS).
func (s *Signer) JWKSDocument() []byte {
	b, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: string(jose.RS256), Use: "sig"}}})
	return b
}

// JWKS serves JWKSDocument on GET (an org's /oauth2/v1/keys); other methods
// are 405.
func (s *Signer) JWKS() http.Handler {
	doc := s.JWKSDocument()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "max-age=300")
		_, _ = w.Write(doc)
	})
}

func (s *Signer) issuer() string {
	if s.Issuer == "" {
		return DefaultSignerIssuer
	}
	return s.Issuer
}

func (s *Signer) lifetime() time.Duration {
	switch {
	case s.Lifetime <= 0:
		return 2 * time.Minute
	case s.Lifetime > MaxSignerLifetime:
		return MaxSignerLifetime
	}
	return s.Lifetime
}

// sign makes a compact JWS of claims, RS256, with the key ID and typ.
func (s *Signer) sign(typ string, claims map[string]any) (string, error) {
	if s == nil || s.key == nil {
		return "", fmt.Errorf("oktatest: the Signer is nil or a zero value: build it with NewSigner")
	}
	opts := (&jose.SignerOptions{}).WithHeader(jose.HeaderKey("kid"), s.kid)
	if typ != "" {
		opts = opts.WithType(jose.ContentType(typ))
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: s.key}, opts)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// UniversalLogoutRequest builds the Global Token Revocation request Okta
// sends to endpoint for subject, signed now
// (draft-parecki-oauth-global-token-revocation-06 §3.1, §3.2). Its body can
// be read again (GetBody), so that the same request can be sent twice.
func (s *Signer) UniversalLogoutRequest(ctx context.Context, endpoint string, subject revoke.Subject) (*http.Request, error) {
	if err := subject.Validate(); err != nil {
		return nil, err
	}
	now := time.Now()
	jwt, err := s.sign("", map[string]any{
		"iss": s.issuer(), "sub": s.issuer(), "aud": endpoint,
		"jti": randToken("gtr"), "iat": now.Unix(), "exp": now.Add(s.lifetime()).Unix(),
	})
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]revoke.Subject{"sub_id": subject})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+jwt)
	return req, nil
}

// UniversalLogout sends a Global Token Revocation request for subject to
// endpoint and returns the status the app answered (204 when it began
// revoking; draft-parecki-oauth-global-token-revocation-06 §3.4). The error
// is for a request that could not be made or sent.
func (s *Signer) UniversalLogout(ctx context.Context, endpoint string, subject revoke.Subject) (int, error) {
	req, err := s.UniversalLogoutRequest(ctx, endpoint, subject)
	if err != nil {
		return 0, err
	}
	return s.Send(req)
}

// BackChannelLogoutRequest builds the Back-Channel Logout request an OpenID
// Provider sends to endpoint (OpenID Connect Back-Channel Logout 1.0 §2.5):
// a logout token for clientID naming the user sub and/or the session sid
// (one may be ""), signed now.
func (s *Signer) BackChannelLogoutRequest(ctx context.Context, endpoint, clientID, sub, sid string) (*http.Request, error) {
	if clientID == "" || (sub == "" && sid == "") {
		return nil, fmt.Errorf("oktatest: a logout token needs the client ID and a sub or a sid")
	}
	now := time.Now()
	claims := map[string]any{
		"iss": s.issuer(), "aud": clientID, "jti": randToken("bcl"),
		"iat": now.Unix(), "exp": now.Add(s.lifetime()).Unix(),
		"events": map[string]any{BackChannelLogoutEvent: map[string]any{}},
	}
	if sub != "" {
		claims["sub"] = sub
	}
	if sid != "" {
		claims["sid"] = sid
	}
	jwt, err := s.sign("logout+jwt", claims)
	if err != nil {
		return nil, err
	}
	body := []byte(url.Values{"logout_token": {jwt}}.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

// BackChannelLogout sends a logout token for clientID naming sub and/or sid
// to endpoint and returns the status the app answered (200 when it logged
// the session out; OpenID Connect Back-Channel Logout 1.0 §2.8).
func (s *Signer) BackChannelLogout(ctx context.Context, endpoint, clientID, sub, sid string) (int, error) {
	req, err := s.BackChannelLogoutRequest(ctx, endpoint, clientID, sub, sid)
	if err != nil {
		return 0, err
	}
	return s.Send(req)
}

// Send sends a request built by this Signer (again, if its body can be
// read again) and returns the status answered. The response body is read
// up to 64 KiB and discarded.
func (s *Signer) Send(req *http.Request) (int, error) {
	if req == nil {
		return 0, fmt.Errorf("oktatest: Send: the request is nil")
	}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return 0, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	hc := s.Client
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("oktatest: sending to %s: %w", req.URL.Redacted(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// unwrapURLError drops the url.Error wrapper, whose text repeats the URL.
func unwrapURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

func (s Signer) fields() [][2]string {
	key := `""`
	if s.key != nil {
		key = redact.Marker
	}
	return [][2]string{{"Issuer", strconv.Quote(s.issuer())}, {"KeyID", strconv.Quote(s.kid)}, {"Key", key}}
}

// Format implements fmt.Formatter: the issuer and key ID, never the key.
func (s Signer) Format(f fmt.State, verb rune) { redact.Format(f, verb, "oktatest.Signer", s.fields()) }

// LogValue implements slog.LogValuer without the key.
func (s Signer) LogValue() slog.Value { return redact.Log(s.fields()) }

// MarshalJSON implements json.Marshaler without the key.
func (s Signer) MarshalJSON() ([]byte, error) { return redact.JSON(s.fields()) }
