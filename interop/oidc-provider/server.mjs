// Test-only authorization server for the revoke SDK's interop tests.
//
// Runs panva/oidc-provider on a loopback port so that the Go tests in
// interop/ can revoke tokens at a real RFC 7009 implementation this project
// did not write. Nothing here is fit for production: the keys and secrets are
// committed, and POST /test/issue mints tokens for any client without a user.
//
// Usage: node server.mjs [port]   (or PORT=NNNN node server.mjs)
// Prints "oidc-provider ready <issuer>" on stdout once it accepts requests.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

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

server.on('error', (err) => {
  console.error(`oidc-provider failed to listen on 127.0.0.1:${port}: ${err.message}`);
  process.exit(1);
});

server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = newProvider(issuer);
  server.on('request', provider.callback());
  console.log(`oidc-provider ready ${issuer}`);
});

function newProvider(issuer) {
  const provider = new Provider(issuer, {
    clients,
    jwks: readJSON('provider-jwks.test-only.json'),
    cookies: { keys: ['interop-cookie-key-test-only-1', 'interop-cookie-key-test-only-2'] },
    scopes: ['openid', 'offline_access', 'api:read'],
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
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
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
  for (const event of ['revocation.error', 'introspection.error', 'grant.error']) {
    provider.on(event, (ctx, err) => {
      const detail = err.error_detail ? ` (${err.error_detail})` : '';
      const client = ctx?.oidc?.client?.clientId ?? '-';
      console.error(`${event}: client=${client} ${err.error ?? err.name}: ${err.error_description ?? err.message}${detail}`);
      if (event === 'revocation.error') {
        revocationErrors.push(`${err.error ?? err.name}: ${err.error_detail ?? err.error_description ?? err.message}`);
      }
    });
  }

  provider.use(testIssueRoute(provider));
  provider.use(testRevocationErrorsRoute(revocationErrors));
  return provider;
}

// POST /test/issue with a form body client_id=<id> mints, through the
// provider's own models, a grant with an opaque access token and a refresh
// token for that client, as an authorization code exchange would, and answers
// {"access_token": ..., "refresh_token": ..., "token_type": "Bearer"}.
// It exists so the tests obtain refresh tokens without a browser.
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

    ctx.status = 200;
    ctx.body = {
      access_token: await at.save(),
      refresh_token: await rt.save(),
      token_type: 'Bearer',
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
