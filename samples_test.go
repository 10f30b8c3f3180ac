package revoke_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/adapter"
	"github.com/revokekit/revoke/auth0"
	"github.com/revokekit/revoke/auth0/auth0test"
	"github.com/revokekit/revoke/bulk"
	"github.com/revokekit/revoke/cognito"
	"github.com/revokekit/revoke/cognito/cognitotest"
	"github.com/revokekit/revoke/dropbox"
	"github.com/revokekit/revoke/dropbox/dropboxtest"
	"github.com/revokekit/revoke/entra"
	"github.com/revokekit/revoke/entra/entratest"
	"github.com/revokekit/revoke/generic"
	"github.com/revokekit/revoke/github"
	"github.com/revokekit/revoke/github/githubtest"
	"github.com/revokekit/revoke/google"
	"github.com/revokekit/revoke/google/googletest"
	"github.com/revokekit/revoke/hydra"
	"github.com/revokekit/revoke/hydra/hydratest"
	"github.com/revokekit/revoke/internal/testkit"
	"github.com/revokekit/revoke/keycloak"
	"github.com/revokekit/revoke/keycloak/keycloaktest"
	"github.com/revokekit/revoke/okta"
	"github.com/revokekit/revoke/okta/oktaadmin"
	"github.com/revokekit/revoke/okta/oktatest"
	"github.com/revokekit/revoke/onelogin"
	"github.com/revokekit/revoke/onelogin/onelogintest"
	"github.com/revokekit/revoke/ping"
	"github.com/revokekit/revoke/ping/pingtest"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/salesforce"
	"github.com/revokekit/revoke/salesforce/salesforcetest"
	"github.com/revokekit/revoke/slack"
	"github.com/revokekit/revoke/slack/slacktest"
	"github.com/revokekit/revoke/wso2"
	"github.com/revokekit/revoke/wso2/wso2test"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
	"golang.org/x/oauth2"
)

// secretSamples gives, for every exported type that can hold a secret,
// values holding the sample secrets: zero and filled, value and pointer.
func secretSamples(t *testing.T) map[string][]any {
	key := testkit.ECKey(t)
	auths := []revoke.ClientAuth{
		revoke.ClientSecretBasic("client", secretValue), revoke.ClientSecretBasicRaw("client", secretValue),
		revoke.ClientSecretPost("client", secretValue), revoke.ClientCredentials("client", secretValue),
		revoke.ClientSecretJWT("client", secretValue+"-long-enough-for-hmac-256-bits"), revoke.PrivateKeyJWT("client", key),
		revoke.PublicClient("client"), revoke.NoClientAuth(), revoke.TLSClientAuth("client", testkit.Certificate(t)),
	}
	req := revoke.Request{Token: tokenValue, Hint: revoke.HintAccessToken, Params: url.Values{"extra": {secretValue}}}
	res := revoke.Result{StatusCode: 200, Attempts: 1, RequestID: "req-1", Vendor: revoke.Secret(tokenValue)}
	gen, err := generic.New(generic.Config{Endpoint: "https://as.example.com/revoke", Auth: auths[0]})
	if err != nil {
		t.Fatal(err)
	}
	call := adapter.Call{Op: "op", Token: tokenValue, Secrets: []string{secretValue}, AccessToken: apiTokenValue,
		Header: http.Header{"X-Api-Key": {apiTokenValue}}, Body: adapter.Form(url.Values{"token": {tokenValue}}), Auth: auths[2]}
	client, _ := adapter.New(adapter.Profile{Name: "sample"})
	resp := adapter.Response{StatusCode: 400, Body: []byte("echo " + tokenValue), Header: http.Header{"X-Echo": {tokenValue}}}
	att := adapter.Attempt{Header: http.Header{"Authorization": {"Bearer " + apiTokenValue}}}
	kitURL, _ := url.Parse("https://as.example.com/revoke?token=" + tokenValue)
	kitRev := adapter.Revoker{Name: "sample.Revoker", Build: "sample.New"}.Bind(client, adapter.Revocation{Op: "op", URL: kitURL, Auth: auths[0]})
	kitRevJWT := adapter.Revoker{EndpointOnly: true, Revocation: adapter.Revocation{Auth: auths[4]}}
	tokCache := &adapter.TokenCache{Op: "op", URL: kitURL, Margin: time.Minute}
	if _, err := tokCache.Token(context.Background(), func(context.Context) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: tokenValue, RefreshToken: secretValue, Expiry: time.Now().Add(time.Hour)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	srv := revoketest.NewServer()
	srv.AddClient(revoketest.Client{ID: "c", Secret: secretValue})
	rr := revoketest.RecordedRequest{Header: http.Header{"Authorization": {secretValue}}, Form: url.Values{"token": {tokenValue}}, Body: []byte(tokenValue)}
	srv.Log.Add(rr)
	pair := revoketest.Pair{AccessToken: tokenValue, RefreshToken: tokenValue + "-rt"}
	info := revoketest.TokenInfo{Value: tokenValue, Sibling: tokenValue}

	olCfg := onelogin.Config{Subdomain: "acme", ClientID: "client-id-0123", ClientSecret: secretValue, API: onelogin.V2}
	ol, err := onelogin.New(olCfg)
	if err != nil {
		t.Fatal(err)
	}
	olOIDCCfg := onelogin.OIDCConfig{Subdomain: "acme", Auth: auths[0]}
	olOIDC, err := onelogin.NewOIDC(olOIDCCfg)
	if err != nil {
		t.Fatal(err)
	}
	olFake := onelogintest.New()
	olFake.AddAPICredential("client-id-0123", secretValue)
	olFake.AddApp(revoketest.Client{ID: "app", Secret: secretValue})
	olFake.Issue("client-id-0123")
	wCfg := wso2.Config{BaseURL: "https://is.example.com", ClientID: "client", ClientSecret: "SECRET-no-colon-0123"}
	w, err := wso2.New(wCfg)
	if err != nil {
		t.Fatal(err)
	}
	wDetails, _ := wso2.Details(&revoke.Result{Vendor: wso2.RevokeDetails{RevokedAccessToken: revoke.Secret(tokenValue), RevokedRefreshToken: revoke.Secret(tokenValue), AuthorizedUser: "alice"}})
	wFake := wso2test.New()
	wFake.AddClient(revoketest.Client{ID: "client", Secret: secretValue})
	wFake.Issue("client", "alice")

	oCfg := okta.Config{Domain: "dev-1.okta.com", ClientID: "0oa1", ClientSecret: secretValue}
	o, err := okta.New(oCfg)
	if err != nil {
		t.Fatal(err)
	}
	aCfg := oktaadmin.Config{Domain: "dev-1.okta.com", APIToken: apiTokenValue}
	admin, err := oktaadmin.New(aCfg)
	if err != nil {
		t.Fatal(err)
	}
	saCfg := oktaadmin.ServiceAppConfig{Domain: "dev-1.okta.com", ClientID: "0oa2", Key: key, Scopes: []string{"okta.users.manage"}}
	sa, err := oktaadmin.ServiceAppTokenSource(saCfg)
	if err != nil {
		t.Fatal(err)
	}
	oFake := oktatest.New()
	oSigner := oktatest.NewSigner()
	oFake.AddClient(revoketest.Client{ID: "0oa1", Secret: secretValue})
	oFake.IssueFor("", "0oa1", "alice")
	aFake := oktatest.NewAdmin(apiTokenValue)
	aFake.AddUser("00u1")
	aFake.AddClient("0oa1", "app")
	aTok := aFake.IssueRefreshToken("00u1", "0oa1")
	oReq := oktatest.Request{RecordedRequest: rr}

	a0Cfg := auth0.Config{Domain: "dev-x.us.auth0.com", ClientID: "a0client", ClientSecret: secretValue}
	a0, err := auth0.New(a0Cfg)
	if err != nil {
		t.Fatal(err)
	}
	a0mCfg := auth0.ManagementConfig{Domain: "dev-x.us.auth0.com", APIToken: apiTokenValue}
	a0m, err := auth0.NewManagement(a0mCfg)
	if err != nil {
		t.Fatal(err)
	}
	a0Fake := auth0test.New()
	a0Fake.AddClient(revoketest.Client{ID: "a0client", Secret: secretValue})
	a0Fake.Issue("a0client", "auth0|1")
	gCfg := google.Config{}
	g, err := google.New(gCfg)
	if err != nil {
		t.Fatal(err)
	}
	gFake := googletest.New()

	ghCfg := github.Config{ClientID: "Iv1.8a61f9b3a7aba766", ClientSecret: secretValue, BaseURL: "https://u:" + secretValue + "@ghe.example.com/api/v3?token=" + tokenValue}
	gh, err := github.New(github.Config{ClientID: "Iv1.8a61f9b3a7aba766", ClientSecret: secretValue})
	if err != nil {
		t.Fatal(err)
	}
	ghCredCfg := github.CredentialsConfig{BaseURL: "https://ghe.example.com/api/v3", Token: apiTokenValue}
	ghCred, err := github.NewCredentialRevoker(ghCredCfg)
	if err != nil {
		t.Fatal(err)
	}
	ghFake := githubtest.New()
	ghFake.AddApp("Iv1.8a61f9b3a7aba766", secretValue)
	ghFake.Issue("Iv1.8a61f9b3a7aba766", "octocat")
	slCfg := slack.Config{BaseURL: "https://u:" + secretValue + "@slack.com/api?token=" + tokenValue}
	slFake := slacktest.New()
	slFake.IssueUserToken("U0123")
	dbCfg := dropbox.Config{BaseURL: "https://u:" + secretValue + "@api.dropboxapi.com", AppKey: "app-key", AppSecret: secretValue}
	db, err := dropbox.New(dropbox.Config{AppKey: "app-key", AppSecret: secretValue})
	if err != nil {
		t.Fatal(err)
	}
	dbFake := dropboxtest.New()
	dbFake.AddApp("app-key", secretValue)
	dbFake.Issue("app-key", "dbid:1")

	kcCfg := keycloak.Config{BaseURL: "https://sso.example.com", Realm: "acme", Auth: auths[0]}
	kc, err := keycloak.New(kcCfg)
	if err != nil {
		t.Fatal(err)
	}
	kcaCfg := keycloak.AdminConfig{BaseURL: "https://sso.example.com", Realm: "acme", TokenSource: staticTokens(apiTokenValue)}
	kca, err := keycloak.NewAdmin(kcaCfg)
	if err != nil {
		t.Fatal(err)
	}
	kcFake := keycloaktest.New()
	kcFake.AddRealm("acme")
	kcFake.AddClient("acme", revoketest.Client{ID: "app", Secret: secretValue})
	const cognitoSecret = "SECRET0123456789abcdef"
	cgCfg := cognito.Config{Domain: "myapp", Region: "us-east-1", ClientID: "client", ClientSecret: cognitoSecret}
	cg, err := cognito.New(cgCfg)
	if err != nil {
		t.Fatal(err)
	}
	cgaCfg := cognito.APIConfig{Region: "us-east-1", ClientID: "client", ClientSecret: cognitoSecret}
	cga, err := cognito.NewAPI(cgaCfg)
	if err != nil {
		t.Fatal(err)
	}
	cgFake := cognitotest.New()
	cgFake.AddClient(revoketest.Client{ID: "client", Secret: cognitoSecret})
	enTokCfg := entra.TokenConfig{Tenant: "contoso.onmicrosoft.com", ClientID: "00000000-0000-0000-0000-000000000001", ClientSecret: secretValue}
	enTok, err := entra.NewTokenSource(enTokCfg)
	if err != nil {
		t.Fatal(err)
	}
	enCfg := entra.Config{Tenant: "contoso.onmicrosoft.com", ClientID: "00000000-0000-0000-0000-000000000001", ClientSecret: secretValue}
	en, err := entra.New(enCfg)
	if err != nil {
		t.Fatal(err)
	}
	enCert := entra.Certificate{Key: key}
	enFake := entratest.New()
	enFake.AddApp(entratest.App{ClientID: "00000000-0000-0000-0000-000000000001", Secret: secretValue})
	olaCfg := onelogin.AdminConfig{Subdomain: "acme", ClientID: "client-id-0123", ClientSecret: secretValue, API: onelogin.V2}
	ola, err := onelogin.NewAdmin(olaCfg)
	if err != nil {
		t.Fatal(err)
	}
	olTok, err := onelogin.NewTokenSource(olCfg)
	if err != nil {
		t.Fatal(err)
	}

	hyCfg := hydra.Config{PublicURL: "https://hydra.example.com", Auth: auths[0]}
	hy, err := hydra.New(hyCfg)
	if err != nil {
		t.Fatal(err)
	}
	hyaCfg := hydra.AdminConfig{AdminURL: "https://p.projects.oryapis.com", APIKey: apiTokenValue}
	hya, err := hydra.NewAdmin(hyaCfg)
	if err != nil {
		t.Fatal(err)
	}
	hyFake := hydratest.New()
	hyFake.AddClient(revoketest.Client{ID: "app", Secret: secretValue})
	ziCfg := zitadel.Config{Domain: "acme.zitadel.cloud", Auth: auths[0]}
	zi, err := zitadel.New(ziCfg)
	if err != nil {
		t.Fatal(err)
	}
	ziFake := zitadeltest.New()
	ziFake.AddClient(revoketest.Client{ID: "app", Secret: secretValue})
	sf, err := salesforce.New(salesforce.Config{URL: "https://acme.my.salesforce.com"})
	if err != nil {
		t.Fatal(err)
	}
	sfFake := salesforcetest.New()
	pfCfg := ping.FederateConfig{BaseURL: "https://pf.example.com:9031", Auth: auths[0]}
	pf, err := ping.NewFederate(pfCfg)
	if err != nil {
		t.Fatal(err)
	}
	poCfg := ping.OneConfig{EnvironmentID: "abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6", Region: ping.RegionEurope, Auth: auths[2]}
	amCfg := ping.AMConfig{BaseURL: "https://am.example.com/am", Auth: auths[0]}
	pFed := pingtest.NewFederate()
	pFed.AddClient(revoketest.Client{ID: "app", Secret: secretValue})
	pOne := pingtest.NewOne("abfba8f6-49eb-49f5-a5d9-80ad5c98f9f6")
	pAM := pingtest.NewAM()
	pAM.AddClient("", revoketest.Client{ID: "app", Secret: secretValue})

	return map[string][]any{
		"revoke.ClientAuth": func() []any {
			var out []any
			for _, a := range auths {
				out = append(out, a)
			}
			return out
		}(),
		"revoke.Request": {req, &req, revoke.Request{}, []revoke.Request{req}, map[string]revoke.Request{"r": req}, struct{ R revoke.Request }{req}},
		"revoke.Result":  {res, &res, revoke.Result{}},
		"revoke.Secret":  {revoke.Secret(tokenValue), revoke.Secret("")},

		"adapter.Call":          {call, &call, adapter.Call{}},
		"adapter.Body":          {adapter.Form(url.Values{"token": {tokenValue}}), adapter.JSONFields(url.Values{"token": {tokenValue}}), adapter.JSON(map[string]string{"t": tokenValue}), adapter.Raw("text/plain", []byte(tokenValue))},
		"adapter.Client":        {client},
		"adapter.Response":      {resp, &resp, adapter.Response{}},
		"adapter.Attempt":       {att, &att},
		"adapter.Revocation":    {adapter.Revocation{Op: "op", Auth: auths[0]}, &adapter.Revocation{Auth: auths[4]}},
		"adapter.Revoker":       {kitRev, &kitRev, kitRevJWT, adapter.Revoker{}, (*adapter.Revoker)(nil)},
		"adapter.VendorRevoker": {hy, *hy, hydra.Revoker{}, (*hydra.Revoker)(nil)},
		"adapter.TokenCache":    {tokCache, &adapter.TokenCache{}, (*adapter.TokenCache)(nil)},

		"generic.Config":  {generic.Config{Endpoint: "https://as.example.com/revoke", Auth: auths[0]}, &generic.Config{Auth: auths[2]}},
		"generic.Revoker": {gen, *gen, generic.Revoker{}, (*generic.Revoker)(nil)},

		"revoketest.Client":          {revoketest.Client{ID: "c", Secret: secretValue}},
		"revoketest.Clients":         {srv.Clients},
		"revoketest.Pair":            {pair, &pair},
		"revoketest.TokenInfo":       {info, &info},
		"revoketest.RevokeOutcome":   {revoketest.RevokeOutcome{Revoked: []revoketest.TokenInfo{info}}},
		"revoketest.RecordedRequest": {rr, &rr, []revoketest.RecordedRequest{rr}},
		"revoketest.Log":             {&srv.Log},
		"revoketest.Store":           {srv.Store},
		"revoketest.Server":          {srv},

		"auth0.Config":           {a0Cfg, &a0Cfg, auth0.Config{}},
		"auth0.Revoker":          {a0, *a0, auth0.Revoker{}, (*auth0.Revoker)(nil)},
		"auth0.ManagementConfig": {a0mCfg, &a0mCfg, auth0.ManagementConfig{}},
		"auth0.Management":       {a0m, auth0.Management{}, (*auth0.Management)(nil)},
		"auth0test.Server":       {a0Fake},
		"google.Revoker":         {g, *g, google.Revoker{}, (*google.Revoker)(nil)},
		"googletest.Server":      {gFake},

		"github.Config":            {ghCfg, &ghCfg, github.Config{}},
		"github.Revoker":           {gh, *gh, gh.Grants(), github.Revoker{}, (*github.Revoker)(nil)},
		"github.CredentialsConfig": {ghCredCfg, &ghCredCfg, github.CredentialsConfig{}},
		"github.CredentialRevoker": {ghCred, *ghCred, github.CredentialRevoker{}, (*github.CredentialRevoker)(nil)},
		"githubtest.Server":        {ghFake},
		"slack.Config":             {slCfg, &slCfg, slack.Config{}},
		"slacktest.Server":         {slFake},
		"dropbox.Config":           {dbCfg, &dbCfg, dropbox.Config{}},
		"dropbox.Revoker":          {db, *db, dropbox.Revoker{}, (*dropbox.Revoker)(nil)},
		"dropboxtest.Server":       {dbFake},

		"keycloak.Config":      {kcCfg, &kcCfg, keycloak.Config{}},
		"keycloak.Revoker":     {kc, *kc, keycloak.Revoker{}, (*keycloak.Revoker)(nil)},
		"keycloak.AdminConfig": {kcaCfg, &kcaCfg, keycloak.AdminConfig{}},
		"keycloak.Admin":       {kca, keycloak.Admin{}, (*keycloak.Admin)(nil)},
		"keycloaktest.Server":  {kcFake},
		"cognito.Config":       {cgCfg, &cgCfg, cognito.Config{}},
		"cognito.Revoker":      {cg, *cg, cognito.Revoker{}, (*cognito.Revoker)(nil)},
		"cognito.APIConfig":    {cgaCfg, &cgaCfg, cognito.APIConfig{}},
		"cognito.APIRevoker":   {cga, *cga, cognito.APIRevoker{}, (*cognito.APIRevoker)(nil)},
		"cognitotest.Server":   {cgFake},
		"entra.TokenConfig":    {enTokCfg, &enTokCfg, entra.TokenConfig{}},
		"entra.TokenSource":    {enTok, entra.TokenSource{}, (*entra.TokenSource)(nil)},
		"entra.Config":         {enCfg, &enCfg, entra.Config{}},
		"entra.Graph":          {en, entra.Graph{}, (*entra.Graph)(nil)},
		"entra.Certificate":    {enCert, &enCert},
		"entratest.Server":     {enFake},
		"entratest.App":        {entratest.App{ClientID: "x", Secret: secretValue}},
		"onelogin.AdminConfig": {olaCfg, &olaCfg, onelogin.AdminConfig{}},
		"onelogin.Admin":       {ola, onelogin.Admin{}, (*onelogin.Admin)(nil)},
		"onelogin.TokenSource": {olTok, onelogin.TokenSource{}, (*onelogin.TokenSource)(nil)},

		"hydra.Config":          {hyCfg, &hyCfg, hydra.Config{}},
		"hydra.Revoker":         {hy, *hy, hydra.Revoker{}, (*hydra.Revoker)(nil)},
		"hydra.AdminConfig":     {hyaCfg, &hyaCfg, hydra.AdminConfig{}},
		"hydra.Admin":           {hya, hydra.Admin{}, (*hydra.Admin)(nil)},
		"hydratest.Server":      {hyFake},
		"zitadel.Config":        {ziCfg, &ziCfg, zitadel.Config{}},
		"zitadel.Revoker":       {zi, *zi, zitadel.Revoker{}, (*zitadel.Revoker)(nil)},
		"zitadeltest.Server":    {ziFake},
		"salesforce.Revoker":    {sf, *sf, salesforce.Revoker{}, (*salesforce.Revoker)(nil)},
		"salesforcetest.Server": {sfFake},
		"ping.FederateConfig":   {pfCfg, &pfCfg, ping.FederateConfig{}},
		"ping.OneConfig":        {poCfg, &poCfg, ping.OneConfig{}},
		"ping.AMConfig":         {amCfg, &amCfg, ping.AMConfig{}},
		"ping.Revoker":          {pf, *pf, ping.Revoker{}, (*ping.Revoker)(nil)},
		"pingtest.Federate":     {pFed},
		"pingtest.One":          {pOne},
		"pingtest.AM":           {pAM},

		"okta.Config":                {oCfg, &oCfg, okta.Config{}},
		"okta.Revoker":               {o, *o, okta.Revoker{}, (*okta.Revoker)(nil)},
		"oktaadmin.Config":           {aCfg, &aCfg, oktaadmin.Config{}},
		"oktaadmin.Admin":            {admin, oktaadmin.Admin{}, (*oktaadmin.Admin)(nil)},
		"oktaadmin.ServiceAppConfig": {saCfg, &saCfg},
		"oktaadmin.ServiceAppSource": {sa, oktaadmin.ServiceAppSource{}, (*oktaadmin.ServiceAppSource)(nil)},
		"oktatest.Server":            {oFake},
		"oktatest.Admin":             {aFake},
		"oktatest.Token":             {aTok, &aTok},
		"oktatest.Request":           {oReq, &oReq},
		"oktatest.Signer":            {oSigner, *oSigner, oktatest.Signer{}, (*oktatest.Signer)(nil)},

		"onelogin.Config":      {olCfg, &olCfg, onelogin.Config{}},
		"onelogin.OIDCConfig":  {olOIDCCfg, &olOIDCCfg, onelogin.OIDCConfig{}},
		"onelogin.Revoker":     {ol, *ol, onelogin.Revoker{}, (*onelogin.Revoker)(nil)},
		"onelogin.OIDCRevoker": {olOIDC, *olOIDC, onelogin.OIDCRevoker{}, (*onelogin.OIDCRevoker)(nil)},
		"onelogintest.Server":  {olFake},
		"wso2.Config":          {wCfg, &wCfg, wso2.Config{}},
		"wso2.Revoker":         {w, *w, wso2.Revoker{}, (*wso2.Revoker)(nil)},
		"wso2.RevokeDetails":   {wDetails, &wDetails},
		"wso2test.Server":      {wFake},

		"bulk.Config": {bulk.Config{FingerprintKey: []byte(secretValue + "-fingerprint-key")}, &bulk.Config{FingerprintKey: []byte(secretValue + "-fingerprint-key")}, bulk.Config{}},
		"bulk.Item":   {bulk.Item{Request: req, Line: 3}, &bulk.Item{Request: req}},
	}
}

// cannotHoldSecrets names the exported types that hold no secret, and why.
var cannotHoldSecrets = map[string]string{
	"revoke.Audience":       "an enumeration",
	"revoke.ConfigError":    "its text is written by the SDK, which never puts a secret in it",
	"revoke.Error":          "built by the kit from scrubbed text (adapter.TestScrubBeforeCut)",
	"revoke.DPoPOption":     "an opaque function value; it prints as an address",
	"revoke.JWTOption":      "an opaque function value; it prints as an address",
	"revoke.Option":         "an opaque function value; it prints as an address",
	"revoke.RateLimit":      "counts and a time",
	"revoke.RetryPolicy":    "durations and a count",
	"revoke.Revoker":        "an interface with no data of its own",
	"revoke.RevokerFunc":    "a function value; it prints as an address",
	"revoke.TokenRevoker":   "an interface with no data of its own",
	"revoke.TokenTypeHint":  "a token type name",
	"revoke.Subject":        "an RFC 9493 subject identifier: personal data, not a credential",
	"revoke.SubjectFormat":  "an enumeration",
	"revoke.SubjectRevoker": "an interface with no data of its own",
	"revoke.Report":         "steps of Results and errors, which hold no secret",
	"revoke.Step":           "a Result and an error, which hold no secret",
	"revoke.StepStatus":     "an enumeration",

	"adapter.AuthInfo":         "method, client ID and flags: no secret (adapter.DescribeAuth)",
	"adapter.Discovery":        "a public metadata URL, an issuer and advice text",
	"adapter.Fields":           "values an adapter has already rendered free of secrets, by contract",
	"adapter.AuthRules":        "method names, advice text and flags: no secret",
	"adapter.ErrorBody":        "server text, handed to adapters scrubbed (Response.ErrorBody, Profile.Classify)",
	"adapter.PairRule":         "an enumeration",
	"adapter.Profile":          "header names and functions",
	"adapter.RateLimitHeaders": "header names",
	"adapter.ResetFormat":      "an enumeration",

	"generic.Metadata": "public discovery metadata",

	"revoketest.DPoP":       "a public nonce and the IDs of proofs already used",
	"revoketest.DPoPError":  "an error code and a fixed description",
	"revoketest.Fault":      "an injected answer written by the test",
	"revoketest.Faults":     "a queue of injected answers",
	"revoketest.OAuthError": "an error code and a fixed description",

	"auth0.TokenFilter": "an opaque function value; it prints as an address",
	"google.Config":     "an endpoint URL: Google's revocation takes no client credentials",

	"github.RevokeDetails":     "a rate-limit resource name and a count",
	"github.CredentialsReport": "batch positions, Results and scrubbed errors, never a credential",
	"github.Batch":             "positions in the input, a Result and a scrubbed error, never a credential",
	"slack.Revoker":            "an endpoint and a flag: the token it revokes is the request's",
	"slack.RevokeDetails":      "flags and a vendor error code",
	"dropbox.RevokeDetails":    "flags and a vendor error code",
	"spotify.Revoker":          "an empty struct: Spotify offers no revocation",

	"keycloaktest.User": "a user's ID, name and email: personal data, not a credential",
	"entratest.User":    "a user's object ID and UPN: personal data, not a credential",
	"onelogintest.User": "a user's ID and email: personal data, not a credential",

	"adapter.Vendor":      "an interface an adapter implements on an empty struct; it holds nothing",
	"hydra.ConsentOption": "an opaque function value; it prints as an address",
	"hydra.Metadata":      "public discovery metadata",
	"zitadel.Metadata":    "public discovery metadata",
	"salesforce.Config":   "a URL: Salesforce's revocation takes no client credentials",
	"ping.Product":        "an enumeration",
	"ping.Region":         "an enumeration",

	"oktaadmin.ClientOutcome":   "a client ID and a Result or error",
	"oktaadmin.HALHints":        "HTTP methods from Okta's links",
	"oktaadmin.HALLink":         "a link to an Okta resource",
	"oktaadmin.ListOptions":     "a page size, a cursor and a flag",
	"oktaadmin.OAuthClient":     "public app metadata",
	"oktaadmin.Page":            "refresh token metadata and a cursor; Okta never returns token values",
	"oktaadmin.RefreshToken":    "refresh token metadata (ID, status, dates, scopes); Okta never returns the token value",
	"oktaadmin.RevokeAllReport": "client outcomes",
	"oktaadmin.SessionOptions":  "two flags",
	"oktaadmin.TokenEmbedded":   "scope metadata",
	"oktaadmin.TokenScope":      "scope metadata",
	"oktatest.Error":            "an Okta error body written by the fake",
	"oktatest.ErrorCause":       "an Okta error cause written by the fake",

	"onelogin.APIVersion": "an enumeration",
	"onelogin.Status":     "OneLogin's status envelope, scrubbed",

	"bulk.Outcome":      "built by the engine from fingerprints and scrubbed errors (bulk.TestNothingSecretLeaks)",
	"bulk.Summary":      "counts and durations",
	"bulk.Resume":       "fingerprints (keyed hashes) of finished tokens, never tokens",
	"bulk.Status":       "an enumeration",
	"bulk.InputError":   "a line number and a problem, never the line's content",
	"bulk.ReadError":    "a line number and an I/O error",
	"bulk.Verifier":     "an interface with no data of its own",
	"bulk.VerifierFunc": "a function value; it prints as an address",

	"logout.BackChannelLogoutHandler":     "configuration: issuers, public keys, a callback",
	"logout.GlobalTokenRevocationHandler": "configuration: issuers, public keys, a callback",
	"logout.Config":                       "issuers, public JWKS and a callback",
	"logout.Issuer":                       "an issuer and its public JWKS",
	"logout.Event":                        "a subject and session identifiers, never the JWT",
	"logout.Kind":                         "an enumeration",
	"logout.MemoryReplayCache":            "the IDs of JWTs already used",
	"logout.ReplayCache":                  "an interface",
	"logout.Subject":                      "an RFC 9493 subject identifier: personal data, not a credential",
	"logout.SubjectFormat":                "an enumeration",
}

// staticTokens is an oauth2.TokenSource returning one token.
type staticTokens string

func (s staticTokens) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}

// Format implements fmt.Formatter without the token.
func (s staticTokens) Format(f fmt.State, _ rune) { fmt.Fprint(f, "staticTokens") }
