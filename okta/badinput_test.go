package okta_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/okta"
)

// TestNewRefusesBadCredentials: blank, control-character and short client
// IDs and secrets, and keys that cannot sign (typed nil, zero, truncated),
// are a *revoke.ConfigError from New, never a panic, never a request, and
// the secret is never repeated.
func TestNewRefusesBadCredentials(t *testing.T) {
	pw := "hunter2-password-value"
	tests := []struct {
		name      string
		cfg       okta.Config
		wantField string // prefix
		wantText  string
	}{
		{"whitespace-only client ID", okta.Config{ClientID: "   ", ClientSecret: secret}, "okta.Config.ClientID", "only white space"},
		{"client ID with newline", okta.Config{ClientID: clientID + "\n", ClientSecret: secret}, "okta.Config.ClientID", "white space"},
		{"client ID with NUL", okta.Config{ClientID: "0oa\x001", ClientSecret: secret}, "okta.Config.ClientID", "control character"},
		{"whitespace-only secret", okta.Config{ClientID: clientID, ClientSecret: " \t "}, "okta.Config.ClientSecret", "only white space"},
		{"secret with control character", okta.Config{ClientID: clientID, ClientSecret: "s3cr3t\x07value"}, "okta.Config.ClientSecret", "control character"},
		{"short secret", okta.Config{ClientID: clientID, ClientSecret: "short"}, "okta.Config.ClientSecret", "5 bytes long"},
		{"short secret in Auth", okta.Config{Auth: revoke.ClientSecretPost(clientID, "short")}, "okta.Config.Auth", ""},
		{"whitespace-only client ID in Auth", okta.Config{Auth: revoke.PublicClient("  ")}, "okta.Config.Auth", "white space"},
		{"control character client ID in Auth", okta.Config{Auth: revoke.ClientSecretBasic("0oa\r\n1", secret)}, "okta.Config.Auth", "control character"},
		{"typed-nil RSA key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, (*rsa.PrivateKey)(nil))}, "okta.Config.Auth", ""},
		{"zero RSA key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, &rsa.PrivateKey{})}, "okta.Config.Auth", ""},
		{"typed-nil ECDSA key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, (*ecdsa.PrivateKey)(nil))}, "okta.Config.Auth", ""},
		{"zero ECDSA key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, &ecdsa.PrivateKey{})}, "okta.Config.Auth", ""},
		{"10-byte ed25519 key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, ed25519.PrivateKey(make([]byte, 10)))}, "okta.Config.Auth", ""},
		{"nil key", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, nil)}, "okta.Config.Auth", ""},
		{"short HMAC secret", okta.Config{Auth: revoke.ClientSecretJWT(clientID, "too-short-for-hs256")}, "okta.Config.Auth", ""},
		{"user info in Domain", okta.Config{Domain: "https://admin:" + pw + "@dev-123.okta.com", ClientID: clientID, ClientSecret: secret}, "okta.Config.Domain", "user info"},
		{"user info without scheme", okta.Config{Domain: "admin:" + pw + "@dev-123.okta.com", ClientID: clientID, ClientSecret: secret}, "okta.Config.Domain", ""},
		{"user info in Issuer", okta.Config{Issuer: "https://admin:" + pw + "@dev-123.okta.com/oauth2/default", ClientID: clientID, ClientSecret: secret}, "okta.Config.Issuer", "user info"},
		{"explicit issuer audience on the org server", okta.Config{Auth: revoke.PrivateKeyJWT(clientID, testkit.ECKey(t), revoke.WithAudience(revoke.AudienceIssuer))}, "okta.Config.Auth", org + `"`},
		{"fixed audience: the token endpoint", okta.Config{Auth: revoke.ClientSecretJWT(clientID, hmac, revoke.WithAudienceValue(org+"/oauth2/v1/token"))}, "okta.Config.Auth", "only the URL called"},
		{"fixed audience: the other server's revoke URL", okta.Config{AuthorizationServerID: "default", Auth: revoke.PrivateKeyJWT(clientID, testkit.ECKey(t), revoke.WithAudienceValue(org+"/oauth2/v1/revoke"))}, "okta.Config.Auth", org + "/oauth2/default/v1/revoke"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			if cfg.Domain == "" && cfg.Issuer == "" {
				cfg.Domain = "dev-123.okta.com"
			}
			ep := testkit.NewEndpoint()
			var r *okta.Revoker
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("New panicked: %v", p)
					}
				}()
				r, err = okta.New(cfg, ep.Options()...)
			}()
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("New = %v, %v; want a *revoke.ConfigError", r, err)
			}
			if !strings.HasPrefix(ce.Field, tc.wantField) || !strings.Contains(ce.Problem, tc.wantText) {
				t.Errorf("error = %q; want field %s… mentioning %q", err, tc.wantField, tc.wantText)
			}
			testkit.NoLeak(t, "error", err.Error()+fmt.Sprintf("%+v %#v", err, err), pw, secret, url.QueryEscape(secret), hmac)
			if len(ep.Requests()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestHints: oauth_sts is accepted on the org authorization server only,
// as Okta's spec says (TokenTypeHintRevokeOrgAs has it,
// TokenTypeHintRevokeCustomAs does not); hints Okta does not document are
// refused before sending.
func TestHints(t *testing.T) {
	tests := []struct {
		asID string
		hint revoke.TokenTypeHint
		ok   bool
	}{
		{"", okta.HintOAuthSTS, true},
		{"", revoke.HintDeviceSecret, true},
		{"default", okta.HintOAuthSTS, false},
		{"aus8w23example1d7", okta.HintOAuthSTS, false},
		{"default", revoke.HintDeviceSecret, true},
		{"", "id_token", false},
		{"default", "urn:ietf:params:oauth:token-type:jwt", false},
		{"", "Access_Token", false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%s", tc.asID, tc.hint), func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r, err := okta.New(okta.Config{Domain: org, AuthorizationServerID: tc.asID, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), revoke.Request{Token: token, Hint: tc.hint})
			if tc.ok {
				if err != nil {
					t.Fatalf("Revoke: %v", err)
				}
				testkit.Want(t, "token_type_hint", ep.Only(t).Form(t).Get("token_type_hint"), string(tc.hint))
				return
			}
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) || ce.Field != "okta revoke: Request.Hint" {
				t.Fatalf("err = %v, want a ConfigError on the hint", err)
			}
			if len(ep.Requests()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestRequestBadInput: a token that cannot be one, and parameters that
// would override the token, the hint or the client authentication (in any
// letter case), are refused before sending, without repeating the token.
func TestRequestBadInput(t *testing.T) {
	tests := []struct {
		name string
		req  revoke.Request
		want string
	}{
		{"empty token", revoke.Request{}, "is empty"},
		{"short token", revoke.Request{Token: "abc"}, "3 bytes long"},
		{"token with newline", revoke.Request{Token: token + "\n"}, "white space"},
		{"token with space", revoke.Request{Token: "eyJ.access token.sig"}, "white space"},
		{"TOKEN in Params", revoke.Request{Token: token, Params: url.Values{"TOKEN": {"other-token-value"}}}, "may not be overridden"},
		{"token in Params", revoke.Request{Token: token, Params: url.Values{"token": {"other-token-value"}}}, "may not be overridden"},
		{"Token_Type_Hint in Params", revoke.Request{Token: token, Params: url.Values{"Token_Type_Hint": {"access_token"}}}, "may not be overridden"},
		{"client_secret in Params", revoke.Request{Token: token, Params: url.Values{"Client_Secret": {"x"}}}, "may not be overridden"},
		{"client_assertion in Params", revoke.Request{Token: token, Params: url.Values{"client_assertion": {"x"}}}, "may not be overridden"},
		{"empty parameter name", revoke.Request{Token: token, Params: url.Values{"": {"x"}}}, "empty name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ep := testkit.NewEndpoint()
			r, err := okta.New(okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.Revoke(context.Background(), tc.req)
			var ce *revoke.ConfigError
			if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) || !strings.Contains(ce.Problem, tc.want) {
				t.Fatalf("err = %v, want a ConfigError mentioning %q", err, tc.want)
			}
			testkit.NoLeak(t, "error", err.Error(), token, "other-token-value")
			if len(ep.Requests()) != 0 {
				t.Error("a request was sent")
			}
		})
	}
}

// TestExtraParamsSent: parameters that override nothing are sent after the
// token and hint.
func TestExtraParamsSent(t *testing.T) {
	ep := testkit.NewEndpoint()
	r, err := okta.New(okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Revoke(context.Background(), revoke.Request{Token: token, Hint: revoke.HintRefreshToken, Params: url.Values{"x_trace": {"a b"}}}); err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "body", string(ep.Only(t).Body), "token="+url.QueryEscape(token)+"&token_type_hint=refresh_token&x_trace=a+b")
}

// TestNilAndZeroRevoker: a nil or zero Revoker and a nil context are typed
// errors, never panics.
func TestNilAndZeroRevoker(t *testing.T) {
	var nilR *okta.Revoker
	var zero okta.Revoker
	for name, r := range map[string]*okta.Revoker{"nil": nilR, "zero": &zero} {
		_, err := r.Revoke(context.Background(), revoke.Request{Token: token})
		var ce *revoke.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
			t.Errorf("%s Revoker: err = %v, want a ConfigError", name, err)
		}
		if r.Endpoint() != "" || r.AuthMethod() != "" || r.ClientID() != "" || r.Issuer() != "" || r.AuthorizationServerID() != "" {
			t.Errorf("%s Revoker has accessors that say something", name)
		}
		_ = testkit.PrintAll(r)
	}
	ep := testkit.NewEndpoint()
	r, err := okta.New(okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	var nilCtx context.Context
	_, err = r.Revoke(nilCtx, revoke.Request{Token: token})
	var ce *revoke.ConfigError
	if !errors.As(err, &ce) || !errors.Is(err, revoke.ErrInvalidRequest) {
		t.Errorf("nil context: err = %v, want a ConfigError", err)
	}
	if len(ep.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

// TestResultRequestID: Result.RequestID is Okta's X-Okta-Request-Id.
func TestResultRequestID(t *testing.T) {
	ep := testkit.NewEndpoint(testkit.Answer{Status: http.StatusOK, Header: http.Header{"X-Okta-Request-Id": {"reqXYZ"}}})
	r, err := okta.New(okta.Config{Domain: org, ClientID: clientID, ClientSecret: secret}, ep.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Revoke(context.Background(), revoke.Request{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Want(t, "RequestID", res.RequestID, "reqXYZ")
	testkit.Header(t, ep.Only(t).Header, "Authorization", testkit.Basic(clientID, url.QueryEscape(secret)))
}
