import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { Client } from 'graphql-ws';
import { GenerateKeyPairResult, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { accountOf, firstOfEachId } from './support/expected';
import { Batch, DEMO_TIME, demoBatches } from './support/live-batches';
import { connect, subscribe, until, wsUrl } from './support/ws-client';

/**
 * Who may subscribe to what, on a really listening server with API keys,
 * JWTs and the example Cedar policies: credentials come in connection_init,
 * a caller limited to one account is sent only that account's events, with
 * FORBIDDEN on the fields it may not read, and a token's expiry closes its
 * connection.
 */
const POLICIES = join(__dirname, '..', 'policies');
const PRODUCTION = '602519374862';
const ISSUER = 'https://sso.example.test/';
const AUDIENCE = 'trailgraph';
const KEYS = { app: 'tg_sub_payments_app_key_1', watcher: 'tg_sub_watcher_key_2' };
/** The example policy set, plus callers that read the events of their key's accounts but neither payloads nor network details. */
const WATCHERS = `@id("test-watchers")
permit (principal in Trailgraph::Group::"watchers", action == Trailgraph::Action::"ReadEvents", resource)
when { principal has accounts && principal.accounts.contains(resource.accountId) };`;

let dir: string;
let dyn: CountingDynalite;
let engine: DuckDbEngine;
let app: FastifyInstance;
let batches: Batch[];
let jwtKeys: GenerateKeyPairResult;
const clients: Client[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-subscriptions-authz-'));
  batches = await demoBatches(dir, [9, 9], { events: 240, seed: 7 });
  jwtKeys = await generateKeyPair('ES256');
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(jwtKeys.publicKey)), kid: 'k1', alg: 'ES256' }] }));
  writeFileSync(join(dir, 'policies.cedar'), `${readFileSync(join(POLICIES, 'example.cedar'), 'utf8')}\n${WATCHERS}\n`);
  dyn = await startCountingDynalite();
  const config = loadConfig([], {}, {
    apiKeys: JSON.stringify([
      { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
      { name: 'watcher', sha256: hashApiKey(KEYS.watcher), groups: ['watchers'], attributes: { accounts: [PRODUCTION] } },
    ]),
    jwksFile: join(dir, 'jwks.json'),
    jwtIssuer: ISSUER,
    jwtAudience: AUDIENCE,
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'subscription-decisions',
  }).config;
  engine = await DuckDbEngine.open(':memory:');
  app = await buildApp(config, { engine, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(params: Record<string, string>): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  const c = connect(wsUrl(app), params);
  clients.push(c.client);
  return c;
}

async function token(expiresAt: number | string): Promise<string> {
  return new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('dana@example.com').setIssuedAt().setExpirationTime(expiresAt).sign(jwtKeys.privateKey);
}

const FIELDS = `subscription($filter: EventFilter) { events(filter: $filter) { eventId recipientAccountId requestParameters sourceIpAddress } }`;
type Delivered = { events: { eventId: string; recipientAccountId: string; requestParameters: unknown; sourceIpAddress: string | null } };

test('missing or bad credentials in connection_init close the connection with 4401', async () => {
  const closes = await Promise.all([client({}).closed, client({ 'x-api-key': 'tg_not_a_key' }).closed, client({ authorization: 'Bearer not.a.jwt' }).closed]);
  expect(closes.map((c) => c.code)).toEqual([4401, 4401, 4401]);
  expect(app.trailgraph.subscriptions.count).toBe(0);
});

test("a caller limited to one account is sent only that account's events, with FORBIDDEN on the fields it may not read", async () => {
  const batch = batches[0];
  const expected = firstOfEachId(batch.records).filter((r) => accountOf(r) === PRODUCTION);
  expect(expected.length).toBeGreaterThan(0);
  expect(expected.length).toBeLessThan(firstOfEachId(batch.records).length);
  const withParameters = expected.filter((r) => r.requestParameters != null);
  expect(withParameters.length).toBeGreaterThan(0);

  const watcher = subscribe<Delivered>(client({ 'x-api-key': KEYS.watcher }).client, FIELDS, { filter: { time: DEMO_TIME } });
  // The payments app reads the same account with payloads and network details: the control.
  const appSub = subscribe<Delivered>(client({ 'X-Api-Key': KEYS.app }).client, FIELDS, { filter: { time: DEMO_TIME } });
  await until(() => app.trailgraph.subscriptions.count === 2);
  await ingestPaths(engine, [batch.dir], { workers: 0 });
  app.trailgraph.changes.notify();
  await watcher.until(expected.length);
  await appSub.until(expected.length);

  for (const sub of [watcher, appSub]) {
    expect(sub.results.map((r) => r.data?.events.eventId).sort()).toEqual(expected.map((r) => r.eventID).sort());
    expect(sub.results.every((r) => r.data?.events.recipientAccountId === PRODUCTION)).toBe(true);
  }
  for (const r of watcher.results) {
    expect(r.data?.events.requestParameters).toBeNull();
    expect(r.data?.events.sourceIpAddress).toBeNull();
    expect((r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  }
  expect(appSub.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  const byId = new Map(appSub.results.map((r) => [r.data?.events.eventId, r.data?.events]));
  for (const rec of withParameters) expect(byId.get(rec.eventID)?.requestParameters).toEqual(rec.requestParameters);
  watcher.unsubscribe();
  appSub.unsubscribe();
  await until(() => app.trailgraph.subscriptions.count === 0);
});

test('a filter on network details is refused with FORBIDDEN where the caller may not read them', async () => {
  const filter = { time: DEMO_TIME, sourceIpAddresses: ['203.0.113.10'] };
  const refused = subscribe(client({ 'x-api-key': KEYS.watcher }).client, FIELDS, { filter });
  await refused.ended;
  expect(refused.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  const allowed = subscribe(client({ 'x-api-key': KEYS.app }).client, FIELDS, { filter });
  await until(() => app.trailgraph.subscriptions.count === 1);
  allowed.unsubscribe();
  await until(() => app.trailgraph.subscriptions.count === 0);
});

test('a connection whose token expires is closed; its subscription ends', async () => {
  const { client: c, closed } = client({ authorization: `Bearer ${await token(Math.floor(Date.now() / 1000) + 2)}` });
  const sub = subscribe(c, FIELDS, { filter: { time: DEMO_TIME } });
  await until(() => app.trailgraph.subscriptions.count === 1);
  expect((await closed).code).toBe(4401);
  await sub.ended;
  await until(() => app.trailgraph.subscriptions.count === 0);
});
