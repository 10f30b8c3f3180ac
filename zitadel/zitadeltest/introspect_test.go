package zitadeltest_test

import (
	"crypto/ecdsa"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

// assertion is a private_key_jwt client assertion of clientID for aud.
func assertion(t *testing.T, key *ecdsa.PrivateKey, clientID, aud string) url.Values {
	t.Helper()
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	a, err := jwt.Signed(sig).Claims(jwt.Claims{Issuer: clientID, Subject: clientID, Audience: jwt.Audience{aud},
		ID: "jti-" + now.Format(time.RFC3339Nano), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return url.Values{"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a}}
}

func with(a url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestIntrospect: /oauth/v2/introspect takes an authenticated application
// only (Basic, a secret in the body, or private_key_jwt; never client_id
// alone), answers 401 invalid_client as ZITADEL documents when the
// authorization fails, and introspects the caller's access tokens only:
// a refresh token, even a live one, is {"active":false}, as at ZITADEL.
func TestIntrospect(t *testing.T) {
	key := testkit.ECKey(t)
	s := zitadeltest.New()
	s.AddClient(revoketest.Client{ID: "api@p", Secret: testkit.Secret})
	s.AddClient(revoketest.Client{ID: "jwt@p", PublicKey: key.Public(), Method: "private_key_jwt"})
	s.AddClient(revoketest.Client{ID: "spa@p", Method: "none"})
	s.AddClient(revoketest.Client{ID: "other@p", Secret: "other-secret-value"})
	live := s.Issue("api@p", "alice")
	revoked := s.Issue("api@p", "alice")
	s.Store.Revoke(revoked.RefreshToken, "api@p")
	foreign := s.Issue("other@p", "bob")
	jwtTok := s.Issue("jwt@p", "carol")
	basic := testkit.BasicHeader(url.QueryEscape("api@p"), url.QueryEscape(testkit.Secret))

	tests := []struct {
		name   string
		method string
		form   url.Values
		hdr    http.Header
		status int
		active bool
		code   string
		desc   string
	}{
		{name: "live access token, Basic", form: url.Values{"token": {live.AccessToken}}, hdr: basic, status: 200, active: true},
		{name: "live access token, secret in the body", form: url.Values{"token": {live.AccessToken}, "client_id": {"api@p"}, "client_secret": {testkit.Secret}}, status: 200, active: true},
		{name: "private_key_jwt", form: with(assertion(t, key, "jwt@p", base), "token", jwtTok.AccessToken), status: 200, active: true},
		{name: "live refresh token: ZITADEL introspects access tokens only", form: url.Values{"token": {live.RefreshToken}}, hdr: basic, status: 200},
		{name: "live refresh token, hinted", form: url.Values{"token": {live.RefreshToken}, "token_type_hint": {"refresh_token"}}, hdr: basic, status: 200},
		{name: "revoked access token", form: url.Values{"token": {revoked.AccessToken}}, hdr: basic, status: 200},
		{name: "unknown token", form: url.Values{"token": {"nope-token-1"}}, hdr: basic, status: 200},
		{name: "another application's token", form: url.Values{"token": {foreign.AccessToken}}, hdr: basic, status: 200},
		{name: "wrong secret", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("api%40p", "wrong-secret"), status: 401, code: "invalid_client", desc: zitadeltest.DescInvalidSecret},
		{name: "Basic not encoded", form: url.Values{"token": {live.AccessToken}}, hdr: testkit.BasicHeader("api@p", "100%"), status: 401, code: "invalid_client", desc: zitadeltest.DescInvalidBasic},
		{name: "unknown application", form: url.Values{"token": {live.AccessToken}, "client_id": {"nobody"}, "client_secret": {"x-secret"}}, status: 401, code: "invalid_client", desc: zitadeltest.DescInvalidSecret},
		{name: "client_id alone (PKCE)", form: url.Values{"token": {live.AccessToken}, "client_id": {"spa@p"}}, status: 401, code: "invalid_client", desc: zitadeltest.DescNotAuthenticated},
		{name: "no client", form: url.Values{"token": {live.AccessToken}}, status: 401, code: "invalid_client", desc: zitadeltest.DescNoClient},
		{name: "assertion for another audience", form: with(assertion(t, key, "jwt@p", base+"/oauth/v2/token"), "token", jwtTok.AccessToken), status: 401, code: "invalid_client",
			desc: `audience is not valid: Audience must contain client_id "` + base + `"`},
		{name: "no token", form: url.Values{"token_type_hint": {"access_token"}}, hdr: basic, status: 400, code: "invalid_request", desc: zitadeltest.DescTokenMissing},
		{name: "GET", method: http.MethodGet, hdr: basic, status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			resp, body := serve(t, s, method, zitadeltest.IntrospectPath, tt.form, tt.hdr)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == 405 {
				return
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %s", body)
			}
			switch {
			case tt.status != 200:
				if got["error"] != tt.code || got["error_description"] != tt.desc {
					t.Errorf("answer %s, want %s %q", body, tt.code, tt.desc)
				}
			case !tt.active:
				if len(got) != 1 || got["active"] != false {
					t.Errorf("answer %s, want {\"active\":false} alone", body)
				}
			default:
				info, _ := s.Store.Lookup(tt.form.Get("token"))
				aud, _ := got["aud"].([]any)
				if got["active"] != true || got["token_type"] != "Bearer" || got["client_id"] != info.ClientID || got["sub"] != info.Subject ||
					got["iss"] != base || len(aud) != 1 || aud[0] != info.ClientID {
					t.Errorf("answer %s: want active Bearer token of %s for %s", body, info.ClientID, info.Subject)
				}
				iat, _ := got["iat"].(float64)
				exp, _ := got["exp"].(float64)
				if now := float64(time.Now().Unix()); iat < now-60 || iat > now+1 || got["nbf"] != iat || exp != iat+zitadeltest.AccessTokenLifetime.Seconds() {
					t.Errorf("iat %v, nbf %v, exp %v", iat, got["nbf"], exp)
				}
			}
		})
	}
	s.DisablePrivateKeyJWT = true
	resp, body := serve(t, s, http.MethodPost, zitadeltest.IntrospectPath, with(assertion(t, key, "jwt@p", base), "token", jwtTok.AccessToken), nil)
	if resp.StatusCode != 401 || body != `{"error":"invalid_client","error_description":"`+zitadeltest.DescJWTNotSupported+`"}` {
		t.Errorf("private_key_jwt disabled: %d %s", resp.StatusCode, body)
	}
	if !s.Active(live.AccessToken) || !s.Active(live.RefreshToken) || !s.Active(foreign.AccessToken) {
		t.Error("introspection changed a token's state")
	}
	// The metadata advertises exactly this endpoint.
	_, md := serve(t, s, http.MethodGet, zitadeltest.DiscoveryPath, nil, nil)
	var doc map[string]any
	if err := json.Unmarshal([]byte(md), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["introspection_endpoint"] != base+zitadeltest.IntrospectPath {
		t.Errorf("introspection_endpoint %v", doc["introspection_endpoint"])
	}
}
