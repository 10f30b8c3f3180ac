// Test-only authorization server for the revoke SDK's interop tests.
//
// Runs panva/oidc-provider on a loopback port so that the Go tests in
// interop/ can revoke tokens at a real RFC 7009 implementation this project
// did not write. Nothing here is fit for production: the keys and secrets are
// committed, and POST /test/issue mints tokens for any client without a user.
//
// Usage: node server.mjs [port]   (or PORT=NNNN node server.mjs)
// Prints "oidc-provider ready <issuer>" on stdout once it accepts requests.
//
// Two listeners serve the same provider: plain HTTP on the given port (the
// issuer), and HTTPS on a free loopback port that requests a client
// certificate, advertised as the RFC 8705 §5 mtls_endpoint_aliases. The HTTPS
// listener has no certificate until the tests give it one, with the CA they
// generate at test time, through POST /test/mtls-pki: no TLS key is
// committed.

import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHTTPSServer } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider, { errors } from 'oidc-provider';
// oidc-provider's revocation endpoint ignores DPoP. To let the SDK's proofs
// and nonce handshake meet oidc-provider's own DPoP code, the revocation
// policy below calls the provider's validator, which is not part of its
// public API: the version is pinned exactly in package.json.
import validateDpop, { checkDpopReplay, getDpopJwt } from 'oidc-provider/lib/helpers/validate_dpop.js';
import { defaults as providerDefaults } from 'oidc-provider/lib/helpers/defaults.js';

const here = dirname(fileURLToPath(import.meta.url));
const readJSON = (...parts) => JSON.parse(readFileSync(join(here, ...parts), 'utf8'));

const rawPort = process.argv[2] ?? process.env.PORT ?? '0';
const port = Number.parseInt(rawPort, 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid port ${JSON.stringify(rawPort)}`);
  process.exit(2);
}

// Resource indicator whose access tokens are JWTs. A JWT access token is
// structured, so the revocation endpoint answers unsupported_token_type.
const JWT_RESOURCE = 'urn:revoke:interop:jwt-api';

// Grant types every confidential test client may use. refresh_token matters:
// oidc-provider revokes a grant's refresh tokens only for clients allowed
// that grant type.
const confidentialGrants = ['authorization_code', 'refresh_token', 'client_credentials'];
const redirectURIs = ['http://127.0.0.1/unused-callback'];
const scope = 'openid offline_access api:read';

// Subject DN (RFC 4514) of the tls_client_auth client's certificate, which
// the tests issue from their own test CA.
const MTLS_SUBJECT_DN = 'CN=revoke-interop-mtls-client,O=revoke interop';

// Initial access token for dynamic client registration (RFC 7591), with
// which the tests register self_signed_tls_client_auth clients whose
// certificates they generate at test time. Test-only.
const REGISTRATION_TOKEN = 'revoke-interop-registration-token-test-only';

const clients = [
  {
    // The secret contains every character that RFC 6749 §2.3.1's
    // form-encoding changes; sent raw in Basic it is rejected.
    client_id: 'basic-client',
    client_secret: 'p@ss:w+rd%/= x',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    client_id: 'post-client',
    client_secret: 'post-client-secret',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    client_id: 'jwt-client',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    jwks: { keys: [readJSON('..', 'testdata', 'jwt-client-public.test-only.jwk.json')] },
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    client_id: 'public-client',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    // DPoP: public and confidential clients whose tokens the tests bind to
    // a DPoP key (RFC 9449) through POST /test/issue.
    client_id: 'dpop-public-client',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    client_id: 'dpop-confidential-client',
    client_secret: 'dpop-confidential-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    // RFC 8705 §2.1: authenticates with a certificate from the tests' CA
    // whose subject is MTLS_SUBJECT_DN; its access tokens are bound to it.
    client_id: 'mtls-client',
    token_endpoint_auth_method: 'tls_client_auth',
    tls_client_auth_subject_dn: MTLS_SUBJECT_DN,
    tls_client_certificate_bound_access_tokens: true,
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
  {
    // Confidential client whose tokens the other clients try to revoke; the
    // tests also use it to call the introspection endpoint.
    client_id: 'other-client',
    client_secret: 'other-client-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: confidentialGrants,
    response_types: ['code'],
    redirect_uris: redirectURIs,
    scope,
  },
];

const server = createServer();

// The mutual-TLS listener: it asks every client for a certificate and takes
// any (rejectUnauthorized: false), as RFC 8705 §2.2 self-signed certificates
// need, and names no acceptable CAs. Which certificate is trusted for
// tls_client_auth is decided by features.mTLS.certificateAuthorized below.
// It has no certificate of its own until POST /test/mtls-pki.
const mtlsServer = createHTTPSServer({ requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' });

// The tests' CA (an X509Certificate) once POST /test/mtls-pki has set it.
const mtlsTrust = { ca: undefined };

for (const [name, srv] of [['http', server], ['https', mtlsServer]]) {
  srv.on('error', (err) => {
    console.error(`oidc-provider failed to listen (${name}) on 127.0.0.1: ${err.message}`);
    process.exit(1);
  });
}

server.listen(port, '127.0.0.1', () => {
  mtlsServer.listen(0, '127.0.0.1', () => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const mtlsOrigin = `https://127.0.0.1:${mtlsServer.address().port}`;
    const provider = newProvider(issuer, mtlsOrigin);
    const callback = provider.callback();
    server.on('request', callback);
    mtlsServer.on('request', callback);
    console.log(`oidc-provider mTLS aliases at ${mtlsOrigin}`);
    console.log(`oidc-provider ready ${issuer}`);
  });
});

function newProvider(issuer, mtlsOrigin) {
  // Facts about each revocation request, for GET /test/revocation-requests.
  const revocationRequests = [];
  const notes = new WeakMap();

  const provider = new Provider(issuer, {
    clients,
    jwks: readJSON('provider-jwks.test-only.json'),
    cookies: { keys: ['interop-cookie-key-test-only-1', 'interop-cookie-key-test-only-2'] },
    scopes: ['openid', 'offline_access', 'api:read'],
    // oidc-provider's default list plus the RFC 8705 methods, which
    // features.mTLS alone does not enable.
    clientAuthMethods: [
      'client_secret_basic', 'client_secret_jwt', 'client_secret_post', 'private_key_jwt', 'none',
      'tls_client_auth', 'self_signed_tls_client_auth',
    ],
    claims: { openid: ['sub'] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 600,
      Grant: 86400,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: 86400,
      Session: 86400,
    },
    // RFC 8705 §5: the same endpoints on the listener that requests client
    // certificates.
    discovery: {
      mtls_endpoint_aliases: {
        token_endpoint: `${mtlsOrigin}/token`,
        revocation_endpoint: `${mtlsOrigin}/token/revocation`,
        introspection_endpoint: `${mtlsOrigin}/token/introspection`,
      },
    },
    features: {
      devInteractions: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: (ctx, client, token) => revocationPolicy(ctx, client, token, notes),
      },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      registration: { enabled: true, initialAccessToken: REGISTRATION_TOKEN },
      dPoP: {
        enabled: true,
        // A fresh secret each start: nonces are required in every proof
        // (RFC 9449 §8), so a first proof without one gets use_dpop_nonce.
        nonceSecret: randomBytes(32),
        requireNonce: () => true,
      },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        selfSignedTlsClientAuth: true,
        tlsClientAuth: true,
        getCertificate: peerCertificate,
        certificateAuthorized: (ctx) => issuedByTestCA(peerCertificate(ctx)),
        certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn'
          && subjectDN(peerCertificate(ctx)) === expected,
      },
      resourceIndicators: {
        enabled: true,
        // Without a resource parameter access tokens stay opaque (revocable).
        defaultResource: async () => undefined,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== JWT_RESOURCE) {
            throw new Provider.errors.InvalidTarget();
          }
          return {
            scope: 'api:read',
            audience: JWT_RESOURCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 3600,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });

  // Reasons for refused revocation requests, read (and cleared) by the
  // tests through GET /test/revocation-errors.
  const revocationErrors = [];

  // The provider hides why client authentication failed behind a generic
  // description; the real reason is only in these events. Log it (never a
  // token or secret) so a failing run can be diagnosed from the server log.
  for (const event of ['revocation.error', 'introspection.error', 'grant.error', 'registration_create.error']) {
    provider.on(event, (ctx, err) => {
      const detail = err.error_detail ? ` (${err.error_detail})` : '';
      const client = ctx?.oidc?.client?.clientId ?? '-';
      console.error(`${event}: client=${client} ${err.error ?? err.name}: ${err.error_description ?? err.message}${detail}`);
      if (event === 'revocation.error') {
        revocationErrors.push(`${err.error ?? err.name}: ${err.error_detail ?? err.error_description ?? err.message}`);
      }
    });
  }

  provider.use(recordRevocations(revocationRequests, notes));
  provider.use(testIssueRoute(provider));
  provider.use(testRevocationErrorsRoute(revocationErrors));
  provider.use(testRevocationRequestsRoute(revocationRequests));
  provider.use(testMTLSRoute());
  return provider;
}

// The stock revocation policy: a client may revoke only its own tokens
// (another confidential client's gets invalid_request, a public client's
// request for another client's token is ignored).
const stockRevocationPolicy = providerDefaults.features.revocation.allowedPolicy;

// revocationPolicy is the stock policy plus DPoP: when the request carries a
// DPoP proof, oidc-provider's own validator checks it as its token endpoint
// does (signature, typ, alg, htm, htu, iat, and a nonce it issued: a proof
// without one is answered 400 use_dpop_nonce with a DPoP-Nonce header), its
// jti must be new, and a DPoP-bound token must be bound to the proof's key.
// A request without a proof is left to the stock policy: oidc-provider does
// not require proof of possession at revocation, and neither does this.
async function revocationPolicy(ctx, client, token, notes) {
  const allowed = await stockRevocationPolicy(ctx, client, token);
  if (!allowed) {
    return allowed;
  }
  const { provider } = ctx.oidc;
  const proof = await validateDpop(provider, ctx);
  if (!proof) {
    return true;
  }
  await checkDpopReplay(provider, ctx, proof, client.clientId, errors.InvalidDpopProof);
  const { payload } = getDpopJwt(provider, ctx);
  const matches = !token.jkt || token.jkt === proof.thumbprint;
  const note = notes.get(ctx);
  if (note) {
    note.dpop = {
      accepted: matches,
      jkt: proof.thumbprint,
      token_jkt: token.jkt ?? null,
      htm: payload.htm,
      htu: payload.htu,
      nonce: typeof payload.nonce === 'string' && payload.nonce !== '',
    };
  }
  if (!matches) {
    throw new errors.InvalidDpopProof('DPoP proof key does not match the key the token is bound to');
  }
  return true;
}

// peerCertificate returns, in PEM, the certificate the client presented on
// the mutual-TLS listener, or undefined (plain HTTP, or none presented).
function peerCertificate(ctx) {
  const { socket } = ctx.req;
  if (!socket.encrypted) {
    return undefined;
  }
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) {
    return undefined;
  }
  const b64 = peer.raw.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

// issuedByTestCA reports whether pem is a currently valid end-entity
// certificate signed by the tests' CA (tls_client_auth, RFC 8705 §2.1).
function issuedByTestCA(pem) {
  if (!pem || !mtlsTrust.ca) {
    return false;
  }
  const cert = new X509Certificate(pem);
  const now = Date.now();
  return !cert.ca
    && cert.checkIssued(mtlsTrust.ca)
    && cert.verify(mtlsTrust.ca.publicKey)
    && Date.parse(cert.validFrom) <= now
    && now < Date.parse(cert.validTo);
}

// subjectDN renders a certificate's subject as an RFC 4514 string (most
// specific RDN first), the form of tls_client_auth_subject_dn. Enough for
// the tests' plain single-valued names.
function subjectDN(pem) {
  if (!pem) {
    return undefined;
  }
  return new X509Certificate(pem).subject.split('\n').reverse().join(',');
}

// certificateThumbprint is the base64url SHA-256 of the certificate's DER,
// the form of cnf.x5t#S256 (RFC 8705 §3.1).
function certificateThumbprint(pem) {
  return pem ? createHash('sha256').update(new X509Certificate(pem).raw).digest('base64url') : null;
}

// recordRevocations notes, for every request to the revocation endpoint,
// what the provider saw: which listener, the client and method it
// authenticated, whether client_id came in the body, the certificate's
// SHA-256 fingerprint, the DPoP proof it accepted. Never a token, secret or
// proof.
function recordRevocations(records, notes) {
  return async function record(ctx, next) {
    const note = {};
    notes.set(ctx, note);
    await next();
    if (ctx.oidc?.route !== 'revocation') {
      return;
    }
    const cert = peerCertificate(ctx);
    const authorization = ctx.headers.authorization;
    records.push({
      listener: ctx.req.socket.encrypted ? 'https' : 'http',
      port: ctx.req.socket.localPort,
      status: ctx.status,
      error: typeof ctx.body === 'object' && ctx.body ? ctx.body.error ?? null : null,
      client_id: ctx.oidc.client?.clientId ?? null,
      client_auth_method: ctx.oidc.client?.clientAuthMethod ?? null,
      body_client_id: ctx.oidc.body?.client_id ?? null,
      authorization_scheme: authorization ? authorization.split(' ')[0] : null,
      certificate_sha256: certificateThumbprint(cert),
      certificate_subject: subjectDN(cert) ?? null,
      certificate_authorized: issuedByTestCA(cert),
      dpop_header: Boolean(ctx.get('DPoP')),
      dpop: note.dpop ?? null,
    });
  };
}

// POST /test/issue with a form body client_id=<id> mints, through the
// provider's own models, a grant with an opaque access token and a refresh
// token for that client, as an authorization code exchange would, and answers
// {"access_token": ..., "refresh_token": ..., "token_type": "Bearer"}.
// It exists so the tests obtain refresh tokens without a browser.
//
// Optional binding, as the token endpoint would with proof of possession:
// jkt=<RFC 7638 thumbprint> binds both tokens to that DPoP key (RFC 9449 §6;
// token_type DPoP); certificate=<PEM> binds the access token to that client
// certificate (RFC 8705 §3, cnf.x5t#S256).
function testIssueRoute(provider) {
  return async function testIssue(ctx, next) {
    if (ctx.path !== '/test/issue') {
      await next();
      return;
    }
    if (ctx.method !== 'POST') {
      ctx.status = 405;
      return;
    }

    const body = new URLSearchParams(await readBody(ctx.req));
    const clientId = body.get('client_id');
    const client = clientId ? await provider.Client.find(clientId) : undefined;
    if (!client) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'unknown or missing client_id' };
      return;
    }

    const accountId = body.get('sub') || 'interop-user';
    const tokenScope = 'openid offline_access';

    const grant = new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(tokenScope);
    const grantId = await grant.save();

    const at = new provider.AccessToken({
      accountId, client, grantId, gty: 'authorization_code', scope: tokenScope,
    });
    const rt = new provider.RefreshToken({
      accountId, client, grantId, gty: 'authorization_code', scope: tokenScope, rotations: 0,
    });
    const jkt = body.get('jkt');
    if (jkt) {
      at.setThumbprint('jkt', jkt);
      rt.setThumbprint('jkt', jkt);
    }
    const certificate = body.get('certificate');
    if (certificate) {
      at.setThumbprint('x5t', certificate);
    }

    ctx.status = 200;
    ctx.body = {
      access_token: await at.save(),
      refresh_token: await rt.save(),
      token_type: at.tokenType,
      expires_in: at.expiration,
    };
  };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 64 * 1024) {
      throw new Error('request body too large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// GET /test/revocation-errors answers, as a JSON array of strings, why the
// revocation endpoint refused each request since the previous call (the
// provider's own reason, which its generic invalid_client answer hides), and
// forgets them. Reasons carry no token or secret.
function testRevocationErrorsRoute(revocationErrors) {
  return async function testRevocationErrors(ctx, next) {
    if (ctx.path !== '/test/revocation-errors') {
      await next();
      return;
    }
    if (ctx.method !== 'GET') {
      ctx.status = 405;
      return;
    }
    ctx.status = 200;
    ctx.body = revocationErrors.splice(0, revocationErrors.length);
  };
}

// GET /test/revocation-requests answers, as a JSON array, what the
// provider saw of each revocation request since the previous call (see
// recordRevocations), and forgets them.
function testRevocationRequestsRoute(revocationRequests) {
  return async function testRevocationRequests(ctx, next) {
    if (ctx.path !== '/test/revocation-requests') {
      await next();
      return;
    }
    if (ctx.method !== 'GET') {
      ctx.status = 405;
      return;
    }
    ctx.status = 200;
    ctx.body = revocationRequests.splice(0, revocationRequests.length);
  };
}

// POST /test/mtls-pki with a JSON body {"ca": PEM, "cert": PEM, "key": PEM}
// gives the mutual-TLS listener its server certificate and key, and makes
// ca the CA whose certificates tls_client_auth trusts. The tests generate all
// three at test time; only the plain HTTP listener accepts this route.
function testMTLSRoute() {
  return async function testMTLS(ctx, next) {
    if (ctx.path !== '/test/mtls-pki') {
      await next();
      return;
    }
    if (ctx.method !== 'POST' || ctx.req.socket.encrypted) {
      ctx.status = 405;
      return;
    }
    let pki;
    try {
      pki = JSON.parse(await readBody(ctx.req));
      const ca = new X509Certificate(pki.ca);
      mtlsServer.setSecureContext({ cert: pki.cert, key: pki.key, minVersion: 'TLSv1.2' });
      mtlsTrust.ca = ca;
    } catch (err) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: `bad PKI: ${err.message}` };
      return;
    }
    ctx.status = 204;
  };
}
