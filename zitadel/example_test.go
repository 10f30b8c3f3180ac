package zitadel_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"fmt"
	"net/http/httptest"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/revoketest"
	"github.com/revokekit/revoke/zitadel"
	"github.com/revokekit/revoke/zitadel/zitadeltest"
)

// Revoke a refresh token at a ZITADEL instance with a JWT-authenticated
// API application. An in-process fake stands in for the instance.
func Example() {
	fake := zitadeltest.New()
	srv := httptest.NewServer(fake)
	defer srv.Close()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	fake.AddClient(revoketest.Client{ID: "286519478562891234@shop", PublicKey: key.Public(), Method: "private_key_jwt"})
	tok := fake.Issue("286519478562891234@shop", "alice")

	r, err := zitadel.New(zitadel.Config{
		Domain: srv.URL, // in production: "my-instance-abc123.zitadel.cloud"
		Auth:   revoke.PrivateKeyJWT("286519478562891234@shop", key, revoke.WithKeyID("286519478562899999")),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("assertion audience:", r.Issuer() == srv.URL)
	res, err := r.Revoke(context.Background(), revoke.Request{Token: tok.RefreshToken, Hint: revoke.HintRefreshToken})
	fmt.Println(res.StatusCode, err, fake.Active(tok.RefreshToken), fake.Active(tok.AccessToken))
	// Output:
	// assertion audience: true
	// 200 <nil> false false
}
