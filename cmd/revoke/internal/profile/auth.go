package profile

import (
	"strconv"

	"github.com/revokekit/revoke"
	"github.com/revokekit/revoke/cmd/revoke/internal/usage"
)

// Client authentication method names of auth_method, besides the RFC 8414
// names of package revoke.
const (
	MethodAuto                 = "auto"
	MethodClientSecretBasicRaw = "client_secret_basic_raw"
	MethodClientCredentials    = "client_credentials"
)

// Client returns the client authentication (ClientAuth with secretMethod)
// and the options (Options) of this profile: what every vendor's builder
// needs besides its own settings.
func (p *Profile) Client(secretMethod string) (revoke.ClientAuth, []revoke.Option, error) {
	auth, err := p.ClientAuth(secretMethod)
	if err != nil {
		return nil, nil, err
	}
	opts, err := p.Options()
	if err != nil {
		return nil, nil, err
	}
	return auth, opts, nil
}

// ClientAuth builds the client authentication the profile describes.
//
// With auth_method auto (the default) it is chosen from what is set: a
// client certificate gives tls_client_auth, a private key private_key_jwt,
// a client secret secretMethod ("" for revoke.ClientCredentials, which lets
// the server's metadata choose), a client ID alone a public client. Any
// other auth_method is used as named, and what it needs must be set.
func (p *Profile) ClientAuth(secretMethod string) (revoke.ClientAuth, error) {
	method := p.Get(AuthMethod)
	if method == "" || method == MethodAuto {
		var err error
		if method, err = p.autoMethod(secretMethod); err != nil {
			return nil, err
		}
	}
	id := p.Get(ClientID)
	needID := func() error {
		if id == "" {
			_, err := p.Require(ClientID, method+" needs the client ID")
			return err
		}
		return nil
	}
	secret := func() (string, error) {
		if err := needID(); err != nil {
			return "", err
		}
		return p.RequireSecret(ClientSecret, method+" needs the client secret")
	}
	var jwtOpts []revoke.JWTOption
	if kid := p.Get(KeyID); kid != "" {
		jwtOpts = append(jwtOpts, revoke.WithKeyID(kid))
	}
	switch method {
	case revoke.MethodClientSecretBasic, MethodClientSecretBasicRaw, revoke.MethodClientSecretPost, revoke.MethodClientSecretJWT, MethodClientCredentials:
		s, err := secret()
		if err != nil {
			return nil, err
		}
		switch method {
		case revoke.MethodClientSecretBasic:
			return revoke.ClientSecretBasic(id, s), nil
		case MethodClientSecretBasicRaw:
			return revoke.ClientSecretBasicRaw(id, s), nil
		case revoke.MethodClientSecretPost:
			return revoke.ClientSecretPost(id, s), nil
		case revoke.MethodClientSecretJWT:
			return revoke.ClientSecretJWT(id, s, jwtOpts...), nil
		}
		return revoke.ClientCredentials(id, s), nil
	case revoke.MethodPrivateKeyJWT:
		if err := needID(); err != nil {
			return nil, err
		}
		path, err := p.Require(PrivateKeyFile, "private_key_jwt signs with a private key")
		if err != nil {
			return nil, err
		}
		key, err := LoadPrivateKey(path)
		if err != nil {
			return nil, err
		}
		return revoke.PrivateKeyJWT(id, key, jwtOpts...), nil
	case revoke.MethodNone:
		if err := needID(); err != nil {
			return nil, err
		}
		return revoke.PublicClient(id), nil
	case revoke.MethodNoClientAuth:
		return revoke.NoClientAuth(), nil
	case revoke.MethodTLSClientAuth, revoke.MethodSelfSignedTLSClientAuth:
		if err := needID(); err != nil {
			return nil, err
		}
		certFile, err := p.Require(TLSCertFile, method+" presents a client certificate")
		if err != nil {
			return nil, err
		}
		keyFile, err := p.Require(TLSKeyFile, method+" needs the certificate's private key")
		if err != nil {
			return nil, err
		}
		cert, err := LoadCertificate(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		if method == revoke.MethodTLSClientAuth {
			return revoke.TLSClientAuth(id, cert), nil
		}
		return revoke.SelfSignedTLSClientAuth(id, cert), nil
	}
	v, _ := p.Lookup(AuthMethod)
	return nil, usage.Errorf("%s: auth_method %s is not one of auto, client_secret_basic, client_secret_basic_raw, client_secret_post, client_secret_jwt, private_key_jwt, none, no_client_auth, tls_client_auth, self_signed_tls_client_auth, client_credentials", v.From, strconv.Quote(method))
}

// autoMethod picks the method from what is set.
func (p *Profile) autoMethod(secretMethod string) (string, error) {
	switch {
	case p.Get(TLSCertFile) != "":
		return revoke.MethodTLSClientAuth, nil
	case p.Get(PrivateKeyFile) != "":
		return revoke.MethodPrivateKeyJWT, nil
	case p.HasSecret(ClientSecret):
		if secretMethod == "" {
			return MethodClientCredentials, nil
		}
		return secretMethod, nil
	case p.Get(ClientID) != "":
		return revoke.MethodNone, nil
	}
	return "", usage.Errorf("no client credentials are set: pass --client-id with the client secret in REVOKE_CLIENT_SECRET (or --client-secret-file PATH), or --private-key-file for private_key_jwt; a public client needs only --client-id")
}
