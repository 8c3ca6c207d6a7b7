import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerateKeyPairResult, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ApiKeyListError, ApiKeyStore, hashApiKey, parseApiKeyList } from '../src/authz/api-keys';
import { Authenticator } from '../src/authz/authenticate';
import { ANONYMOUS } from '../src/authz/caller';
import { JwtVerifier } from '../src/authz/jwt';
import { SILENT } from '../src/authz/log';
import { ErrorCode, TrailgraphError } from '../src/errors';

const ISSUER = 'https://sso.example.test/';
const AUDIENCE = 'trailgraph';
const APP_KEY = 'tg_test_payments_app_key_0123456789';
const PORTAL_KEY = 'tg_test_compliance_portal_key_987654';

let keys: GenerateKeyPairResult;
let otherKeys: GenerateKeyPairResult;
let jwksFile: string;
let jwksServer: Server;
let jwksUrl: string;

async function token(claims: Record<string, unknown>, opts: { key?: GenerateKeyPairResult; exp?: string | number; iss?: string; aud?: string; sub?: string | null; kid?: string } = {}): Promise<string> {
  const t = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: opts.kid ?? 'k1' }).setIssuedAt().setIssuer(opts.iss ?? ISSUER).setAudience(opts.aud ?? AUDIENCE).setExpirationTime(opts.exp ?? '5m');
  if (opts.sub !== null) t.setSubject(opts.sub ?? 'dana@example.com');
  return t.sign((opts.key ?? keys).privateKey);
}

function apiKeyStore(): ApiKeyStore {
  return new ApiKeyStore(
    parseApiKeyList(
      JSON.stringify([
        { name: 'payments-app', sha256: hashApiKey(APP_KEY), groups: ['apps'], attributes: { accounts: ['602519374862'] } },
        { name: 'compliance-portal', sha256: hashApiKey(PORTAL_KEY).toUpperCase(), groups: ['compliance'] },
      ]),
    ),
  );
}

function jwtVerifier(source: { jwksFile?: string; jwksUrl?: string }): JwtVerifier {
  return new JwtVerifier({ issuer: ISSUER, audience: AUDIENCE, groupsClaim: 'groups', ...source });
}

async function codeOf(p: Promise<unknown>): Promise<{ code: unknown; reason: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TrailgraphError) return { code: err.extensions.code, reason: err.extensions.reason };
    throw err;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  otherKeys = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const dir = mkdtempSync(join(tmpdir(), 'tg-jwks-'));
  jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  jwksServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', () => r()));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(() => new Promise<void>((r) => jwksServer.close(() => r())));

describe('API keys', () => {
  const auth = () => new Authenticator(apiKeyStore(), null, SILENT);

  test('a listed key authenticates as its caller, with groups and attributes', async () => {
    const c = await auth().authenticate({ 'x-api-key': APP_KEY });
    expect(c).toMatchObject({ id: 'apiKey:payments-app', name: 'payments-app', kind: 'apiKey', groups: ['apps'], attributes: { accounts: ['602519374862'] } });
    // Upper-case hex in the list matches too.
    expect((await auth().authenticate({ 'x-api-key': PORTAL_KEY })).name).toBe('compliance-portal');
  });

  test('no credential is UNAUTHENTICATED (missing)', async () => {
    expect(await codeOf(auth().authenticate({}))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'missing' });
  });

  test.each([
    ['an unknown key', { 'x-api-key': 'tg_not_a_key' }],
    ['an empty key', { 'x-api-key': '' }],
    ['the hash instead of the key', { 'x-api-key': hashApiKey(APP_KEY) }],
    ['a key plus a bearer token', { 'x-api-key': APP_KEY, authorization: 'Bearer abc.def.ghi' }],
    ['the key sent twice', { 'x-api-key': [APP_KEY, APP_KEY] }],
    ['a bearer token when no JWT is accepted', { authorization: `Bearer ${APP_KEY}` }],
    ['a non-bearer Authorization', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
  ])('%s is UNAUTHENTICATED (invalid)', async (_name, headers) => {
    expect(await codeOf(auth().authenticate(headers))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'invalid' });
  });

  test('the key list is validated', () => {
    const ok = { name: 'a', sha256: hashApiKey('x'), groups: [] };
    expect(() => parseApiKeyList('{')).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify({ keys: [] }))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([{ ...ok, sha256: 'abc' }]))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([ok, { ...ok, sha256: hashApiKey('y') }]))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([ok, { ...ok, name: 'b' }]))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([{ ...ok, groups: 'apps' }]))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([{ ...ok, attributes: { name: 'x' } }]))).toThrow(ApiKeyListError);
    expect(() => parseApiKeyList(JSON.stringify([{ ...ok, attributes: { accounts: [1] } }]))).toThrow(ApiKeyListError);
    expect(parseApiKeyList(JSON.stringify([ok]))[0]).toEqual({ ...ok, attributes: {} });
  });
});

describe('JWT bearer tokens (JWKS file)', () => {
  const auth = () => new Authenticator(null, jwtVerifier({ jwksFile }), SILENT);

  test('a valid token authenticates as issuer|subject with the groups claim', async () => {
    // exp 2100-01-01T00:00:00Z: the caller carries it (epoch ms), so a long-lived connection closes then.
    const c = await auth().authenticate({ authorization: `Bearer ${await token({ groups: ['analysts', 'readers'] }, { exp: 4102444800 })}` });
    expect(c).toEqual({ id: `jwt:${ISSUER}|dana@example.com`, name: 'dana@example.com', kind: 'jwt', groups: ['analysts', 'readers'], attributes: {}, expiresAt: 4102444800000 });
    const spaced = await auth().authenticate({ authorization: `bearer ${await token({ groups: 'analysts readers' })}` });
    expect(spaced.groups).toEqual(['analysts', 'readers']);
  });

  test('an expired token is UNAUTHENTICATED (expired)', async () => {
    const t = await token({ groups: ['analysts'] }, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect(await codeOf(auth().authenticate({ authorization: `Bearer ${t}` }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'expired' });
  });

  test.each([
    ['wrong issuer', { iss: 'https://evil.example.test/' }],
    ['wrong audience', { aud: 'another-app' }],
    ['bad signature (another key, same kid)', { key: 'other' as const }],
    ['no subject', { sub: null }],
    ['unknown kid', { kid: 'k2' }],
  ])('%s is UNAUTHENTICATED (invalid)', async (_name, o) => {
    const { key, ...rest } = o as { key?: 'other'; iss?: string; aud?: string; sub?: null; kid?: string };
    const t = await token({ groups: ['analysts'] }, { ...rest, key: key === 'other' ? otherKeys : keys });
    expect(await codeOf(auth().authenticate({ authorization: `Bearer ${t}` }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'invalid' });
  });

  test('unsigned ("alg: none") and malformed tokens are refused', async () => {
    const good = await token({ groups: ['analysts'] });
    const [, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const tampered = good.replace(/\.([^.]+)\./, (_m, p: string) => `.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), groups: ['trailgraph-admins'] })).toString('base64url')}.`);
    for (const t of [none, tampered, 'not-a-jwt', 'a.b.c']) {
      expect(await codeOf(auth().authenticate({ authorization: `Bearer ${t}` }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'invalid' });
    }
  });

  test('an API key is refused where only JWTs are accepted', async () => {
    expect(await codeOf(auth().authenticate({ 'x-api-key': APP_KEY }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'invalid' });
  });
});

describe('JWT bearer tokens (JWKS URL)', () => {
  test('keys are fetched from the URL', async () => {
    const auth = new Authenticator(apiKeyStore(), jwtVerifier({ jwksUrl }), SILENT);
    expect((await auth.authenticate({ authorization: `Bearer ${await token({ groups: ['analysts'] })}` })).groups).toEqual(['analysts']);
    // Both kinds of credential are accepted side by side.
    expect((await auth.authenticate({ 'x-api-key': APP_KEY })).kind).toBe('apiKey');
  });

  test('an unreachable JWKS URL is UNAUTHENTICATED, and logged', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/jwks.json`;
    await new Promise<void>((r) => dead.close(() => r()));
    const warnings: string[] = [];
    const auth = new Authenticator(null, jwtVerifier({ jwksUrl: url }), { ...SILENT, warn: (_o, msg) => warnings.push(msg) });
    expect(await codeOf(auth.authenticate({ authorization: `Bearer ${await token({})}` }))).toEqual({ code: ErrorCode.UNAUTHENTICATED, reason: 'invalid' });
    expect(warnings.length).toBe(1);
  });
});

test('without credentials configured every request is the anonymous caller', async () => {
  const auth = new Authenticator(null, null, SILENT);
  expect(auth.enabled).toBe(false);
  expect(await auth.authenticate({ 'x-api-key': 'anything' })).toBe(ANONYMOUS);
});
