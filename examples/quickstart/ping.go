package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
)

// pingScenarios starts the three Ping Identity fakes and revokes at
// PingFederate (Basic, POST, private_key_jwt), PingOne (the application's
// method: Basic, PRIVATE_KEY_JWT, NONE) and PingAM (Basic with client_id
// in the body, POST, a public client in a sub-realm).
func pingScenarios(context.Context) ([]scenario, func(), error) {
	pf, one, am := pingtest.NewFederate(), pingtest.NewOne("abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6"), pingtest.NewAM()
	pfSrv, oneSrv, amSrv := httptest.NewServer(pf), httptest.NewServer(one), httptest.NewServer(am)
	cleanup := func() { amSrv.Close(); oneSrv.Close(); pfSrv.Close() }

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, cleanup, err
	}
	const secret = "2FederateSecret_value~"
	pf.AddClient(revoketest.Client{ID: "pf-web", Secret: secret})
	pf.AddClient(revoketest.Client{ID: "pf-service", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	one.AddClient(revoketest.Client{ID: "p1-web", Secret: secret, Method: revoke.MethodClientSecretBasic})
	one.AddClient(revoketest.Client{ID: "p1-service", PublicKey: key.Public(), Method: revoke.MethodPrivateKeyJWT})
	one.AddClient(revoketest.Client{ID: "p1-spa", Method: revoke.MethodNone})
	am.AddClient("alpha", revoketest.Client{ID: "myClient", Secret: secret})
	am.AddClient("alpha/customers", revoketest.Client{ID: "public-app", Method: revoke.MethodNone})

	type build struct {
		vendor, method string
		new            func() (*ping.Revoker, error)
		issue          func(id string) revoketest.Pair
		active         func(string) bool
		hint           revoke.TokenTypeHint
	}
	env := one.EnvironmentID
	builds := []build{
		{"ping (PingFederate)", revoke.MethodClientSecretBasic, func() (*ping.Revoker, error) {
			return ping.NewFederate(ping.FederateConfig{BaseURL: pfSrv.URL, Auth: revoke.ClientSecretBasic("pf-web", secret)})
		}, func(string) revoketest.Pair { return pf.Issue("pf-web", "alice") }, pf.Active, revoke.HintRefreshToken},
		{"ping (PingFederate)", revoke.MethodClientSecretPost, func() (*ping.Revoker, error) {
			return ping.NewFederate(ping.FederateConfig{BaseURL: pfSrv.URL, Auth: revoke.ClientSecretPost("pf-web", secret)})
		}, func(string) revoketest.Pair { return pf.Issue("pf-web", "alice") }, pf.Active, revoke.HintAccessToken},
		{"ping (PingFederate)", revoke.MethodPrivateKeyJWT, func() (*ping.Revoker, error) {
			return ping.NewFederate(ping.FederateConfig{BaseURL: pfSrv.URL, Auth: revoke.PrivateKeyJWT("pf-service", key)})
		}, func(string) revoketest.Pair { return pf.Issue("pf-service", "alice") }, pf.Active, revoke.HintAccessToken},
		{"ping (PingOne)", "CLIENT_SECRET_BASIC", func() (*ping.Revoker, error) {
			return ping.NewOne(ping.OneConfig{EnvironmentID: env, AuthURL: oneSrv.URL, Auth: revoke.ClientSecretBasic("p1-web", secret)})
		}, func(string) revoketest.Pair { return one.Issue("p1-web", "bob") }, one.Active, revoke.HintRefreshToken},
		{"ping (PingOne)", "PRIVATE_KEY_JWT", func() (*ping.Revoker, error) {
			return ping.NewOne(ping.OneConfig{EnvironmentID: env, AuthURL: oneSrv.URL, Auth: revoke.PrivateKeyJWT("p1-service", key)})
		}, func(string) revoketest.Pair { return one.Issue("p1-service", "bob") }, one.Active, revoke.HintAccessToken},
		{"ping (PingOne custom domain)", "NONE", func() (*ping.Revoker, error) {
			return ping.NewOne(ping.OneConfig{CustomDomain: oneSrv.URL, Auth: revoke.PublicClient("p1-spa")})
		}, func(string) revoketest.Pair { return one.Issue("p1-spa", "bob") }, one.Active, revoke.HintRefreshToken},
		{"ping (PingAM)", "client_secret_basic + client_id", func() (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: amSrv.URL + "/am", Realm: "alpha", Auth: revoke.ClientSecretBasic("myClient", secret)})
		}, func(string) revoketest.Pair { return am.Issue("myClient", "bjensen") }, am.Active, revoke.HintRefreshToken},
		{"ping (PingAM)", revoke.MethodClientSecretPost, func() (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: amSrv.URL + "/am", Realm: "alpha", Auth: revoke.ClientSecretPost("myClient", secret)})
		}, func(string) revoketest.Pair { return am.Issue("myClient", "bjensen") }, am.Active, revoke.HintAccessToken},
		{"ping (PingAM sub-realm)", "none (public)", func() (*ping.Revoker, error) {
			return ping.NewAM(ping.AMConfig{BaseURL: amSrv.URL + "/am", Realm: "alpha/customers", Auth: revoke.PublicClient("public-app")})
		}, func(string) revoketest.Pair { return am.Issue("public-app", "bjensen") }, am.Active, revoke.HintRefreshToken},
	}
	var out []scenario
	for _, b := range builds {
		r, err := b.new()
		if err != nil {
			return nil, cleanup, fmt.Errorf("%s %s: %w", b.vendor, b.method, err)
		}
		issue := b.issue
		out = append(out, scenario{vendor: b.vendor, method: b.method, revoker: r, hint: b.hint, active: b.active,
			issue: pick(func() revoketest.Pair { return issue("") }, b.hint)})
	}
	return out, cleanup, nil
}
