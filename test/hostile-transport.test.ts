import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { FastifyInstance } from 'fastify';
import { Action } from '../src/authz/actions';
import { hashApiKey } from '../src/authz/api-keys';
import { DecisionCache, DecisionKey } from '../src/authz/decision-cache';
import { dynamoClient, ensureDecisionTable } from '../src/authz/dynamo';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { Row, RunOptions, SqlEngine, StatementStats } from '../src/history/engine';
import { Sql } from '../src/history/sql/sql';
import { redactUrl } from '../src/hardening/log-redaction';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';
import { corpusRecords, storeWith } from './support/fixture-store';

/**
 * Issue 13, findings 7-9: the decision cache trusts only items this server
 * signed; the store is created 0600; failed statements are logged with the
 * engine's reason, credentials in a query string never reach the log, and
 * every request line names its caller; OPTIONS and preflights are answered
 * properly, /graphql answers say nosniff and no-store, and a key padded
 * with spaces is not the key.
 */
const SILENT = { info: () => undefined, warn: () => undefined, error: () => undefined };
const KEY = 'tg_hostile_transport_key_1';
const SECRET = 'sEcReT-in-the-url-0123456789';

/** A real store that fails every statement, as a damaged file would. */
class FailingEngine implements SqlEngine {
  readonly name = 'duckdb' as const;
  readonly prefersNarrowStatements = true;
  readonly partitionDays = 'event' as const;
  constructor(private readonly inner: SqlEngine) {}
  async query(_statement: Sql, _options?: RunOptions): Promise<{ rows: Row[]; stats: StatementStats }> {
    throw new Error('IO Error: Could not read block 4711 of the store (damaged)');
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let dyn: CountingDynalite;
let dir: string;
let app: FastifyInstance;
let failing: FastifyInstance;
const lines: Array<Record<string, unknown>> = [];
const capture = () =>
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });

beforeAll(async () => {
  dyn = await startCountingDynalite();
  dir = mkdtempSync(join(tmpdir(), 'tg-hostile-transport-'));
  writeFileSync(join(dir, 'policies.cedar'), `@id("all")\npermit (principal in Trailgraph::Group::"all", action, resource);`);
  const { config } = loadConfig([], {}, {
    apiKeys: JSON.stringify([{ name: 'tester', sha256: hashApiKey(KEY), groups: ['all'] }]),
    policyFile: join(dir, 'policies.cedar'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'hostile-transport',
    maxSpanDays: 36600,
    defaultWindowDays: 36600,
  });
  const records = corpusRecords().slice(0, 20);
  app = await buildApp(config, { engine: await storeWith(records), logger: { level: 'info', stream: capture() } });
  failing = await buildApp(config, { engine: new FailingEngine(await storeWith(records)), logger: { level: 'info', stream: capture() } });
});

afterAll(async () => {
  await app?.close();
  await failing?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('finding 7: the decision cache trusts only what the server wrote', () => {
  const key: DecisionKey = { callerKey: 'apiKey:x', action: Action.ReadPayloads, account: '111122223333', version: 'v1' };

  test('an item flipped from deny to allow by someone else is a miss, not an allow', async () => {
    const client = dynamoClient({ endpoint: dyn.endpoint, localCredentials: true });
    await ensureDecisionTable(client, 'forged-decisions', SILENT);
    const cache = new DecisionCache(client, 'forged-decisions', 300);
    await cache.putMany([{ key, decision: 'deny' }]);
    expect([...(await cache.getMany([key])).values()]).toEqual(['deny']);
    // The attack: read the table as any local process can, and write every item back as an allow.
    const items = (await client.send(new ScanCommand({ TableName: 'forged-decisions' }))).Items ?? [];
    expect(items.length).toBe(1);
    for (const item of items) await client.send(new PutItemCommand({ TableName: 'forged-decisions', Item: { ...item, decision: { S: 'allow' } } }));
    expect((await cache.getMany([key])).size).toBe(0);
    expect(cache.rejected).toBe(1);
    // Nor is an item written without a signature at all.
    await client.send(new PutItemCommand({ TableName: 'forged-decisions', Item: { pk: items[0].pk, decision: { S: 'allow' }, expiresAt: { N: String(Math.floor(Date.now() / 1000) + 300) } } }));
    expect((await cache.getMany([key])).size).toBe(0);
    client.destroy();
  });

  test('servers that share a signing key share the cache; one with another key does not', async () => {
    const client = dynamoClient({ endpoint: dyn.endpoint, localCredentials: true });
    await ensureDecisionTable(client, 'shared-decisions', SILENT);
    const shared = Buffer.alloc(32, 7);
    await new DecisionCache(client, 'shared-decisions', 300, Date.now, shared).putMany([{ key, decision: 'allow' }]);
    expect([...(await new DecisionCache(client, 'shared-decisions', 300, Date.now, Buffer.from(shared)).getMany([key])).values()]).toEqual(['allow']);
    expect((await new DecisionCache(client, 'shared-decisions', 300, Date.now, Buffer.alloc(32, 8)).getMany([key])).size).toBe(0);
    client.destroy();
  });
});

test('finding 7: a new store file is readable by its owner only (0600)', async () => {
  const path = join(dir, 'store', 'trail.duckdb');
  const engine = await DuckDbEngine.open(path);
  try {
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
  } finally {
    await engine.close();
  }
});

describe('finding 8: logs', () => {
  test('a failed history statement is logged with the engine\'s reason, which the response does not carry', async () => {
    const before = lines.length;
    const res = await failing.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': KEY }, payload: { query: '{ events(first: 1) { nodes { eventId } } }' } });
    expect(res.json().errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['HISTORY_QUERY_FAILED']);
    expect(res.body).not.toContain('block 4711');
    const logged = lines.slice(before).filter((l) => l.level === 50 && JSON.stringify(l).includes('block 4711'));
    expect(logged.length).toBe(1);
  });

  test('credentials in a query string are redacted in the log', async () => {
    const before = lines.length;
    for (const name of ['x-api-key', 'access_token', 'X-Amz-Signature', 'password']) {
      await app.inject({ method: 'GET', url: `/graphql?query=%7B__typename%7D&${name}=${SECRET}`, headers: { 'x-api-key': KEY } });
    }
    const logged = lines.slice(before);
    expect(logged.filter((l) => l.req !== undefined).length).toBe(4);
    expect(logged.filter((l) => JSON.stringify(l).includes(SECRET))).toEqual([]);
    // By hand: names that are not credentials keep their values.
    expect(redactUrl('/graphql?query=x&access_token=abc&operationName=Q')).toBe('/graphql?query=x&access_token=REDACTED&operationName=Q');
  });

  test('every request line names the caller', async () => {
    const before = lines.length;
    await app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': KEY }, payload: { query: '{ __typename }' } });
    const completed = lines.slice(before).filter((l) => l.res !== undefined);
    expect(completed.length).toBe(1);
    expect(completed[0].caller).toBe('apiKey:tester');
  });
});

describe('finding 9: transport', () => {
  test('OPTIONS /graphql with a body answers 204, never 500', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query":"{ __typename }"}' });
    expect(res.statusCode).toBe(204);
  });

  test('a CORS preflight gets a preflight answer (no origin allowed), not the CSRF error', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/graphql',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-api-key' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.body).toBe('');
  });

  test('/graphql answers say nosniff and no-store, refusals included', async () => {
    const ok = await app.inject({ method: 'POST', url: '/graphql', headers: { 'x-api-key': KEY }, payload: { query: '{ __typename }' } });
    const refused = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } });
    for (const res of [ok, refused]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect([ok.statusCode, refused.statusCode]).toEqual([200, 401]);
  });

  test('a key padded with spaces is not the key', async () => {
    const r = await gql(app, '{ __typename }', {}, { 'x-api-key': ` ${KEY} ` });
    expect(r.status).toBe(401);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect((await gql(app, '{ __typename }', {}, { 'x-api-key': KEY })).status).toBe(200);
  });
});
