// A real OpenID Provider for the sign-in tests: node-oidc-provider (the certified implementation), configured
// by the test through the environment. Its own development login and consent pages sign in any account named
// in OIDC_ACCOUNTS (any password). Started by tests/servers/oidc.py; prints "ready" once listening.
//
// POST /__test__/accounts with JSON replaces the accounts (as a directory changes someone's name or address).
// For the refusal tests, POST /__test__/tamper with JSON (e.g. {"aud": "someone-else"}, {"exp": -60},
// {"nonce": "replayed"}, {"iss": "https://elsewhere.example"}): the next token response's ID token has those
// claims changed and is signed again with the provider's own key, as a provider that got it wrong would send.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair, SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
let accounts = JSON.parse(process.env.OIDC_ACCOUNTS || '{}');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: process.env.OIDC_REDIRECT_URIS.split(','),
    post_logout_redirect_uris: (process.env.OIDC_LOGOUT_URIS || '').split(',').filter(Boolean),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'],
            oid: ['oid'] },
  scopes: ['openid', 'email', 'profile'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // Every ID token carries the claims, so the app need not depend on the userinfo endpoint for them.
  conformIdTokenClaims: false,
});
provider.proxy = false;

let tamper = null;
provider.use(async (ctx, next) => {
  if (ctx.path.startsWith('/__test__/') && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = JSON.parse(Buffer.concat(chunks).toString() || 'null');
    if (ctx.path === '/__test__/tamper') tamper = body;
    if (ctx.path === '/__test__/accounts') accounts = body;  // the directory changed: names, addresses
    ctx.status = 204;
    return;
  }
  await next();
  if (ctx.path === '/token' && tamper && ctx.body && ctx.body.id_token) {
    const claims = decodeJwt(ctx.body.id_token);
    const { exp, ...changes } = tamper;
    Object.assign(claims, changes);
    if (exp !== undefined) { claims.exp = Math.floor(Date.now() / 1000) + exp; claims.iat = claims.exp - 3600; }
    const header = decodeProtectedHeader(ctx.body.id_token);
    ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(privateKey) };
    tamper = null;
  }
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('ready'));
