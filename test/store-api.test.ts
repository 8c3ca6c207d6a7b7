import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { buildApp } from '../src/server';
import { ingestSources } from '../src/sources/ingest-sources';
import { openSource } from '../src/sources/source';
import { gql } from './support/api';
import { CountingDynalite, startCountingDynalite } from './support/dynalite';

/**
 * The root `store` field and `extensions.dataRange`, with authorization on:
 * what the store holds within the caller's accounts, computed here from the
 * log files themselves; sources only for a caller who may read every account.
 */
const POLICIES = join(__dirname, '..', 'policies');
const PRODUCTION = '602519374862';
const KEYS = { portal: 'tg_store_portal_key_1', app: 'tg_store_app_key_2' };
const END = new Date('2024-06-10T12:00:00Z');

interface Rec { eventTime: string; recipientAccountId: string; awsRegion: string }

function records(dir: string): Rec[] {
  const out: Rec[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    // Log files only: the demo also writes digests (CloudTrail-Digest/).
    if (!e.isFile() || !e.name.endsWith('.json.gz') || e.parentPath.includes('CloudTrail-Digest')) continue;
    const doc = JSON.parse(gunzipSync(readFileSync(join(e.parentPath, e.name))).toString('utf8')) as { Records: Rec[] };
    out.push(...doc.Records);
  }
  return out;
}

function reference(recs: Rec[]): { events: number; first: string; last: string; accounts: string[]; regions: string[] } {
  const times = recs.map((r) => new Date(r.eventTime).toISOString()).sort();
  return {
    events: recs.length,
    first: times[0],
    last: times[times.length - 1],
    accounts: [...new Set(recs.map((r) => r.recipientAccountId))].sort(),
    regions: [...new Set(recs.map((r) => r.awsRegion))].sort(),
  };
}

let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;
let recs: Rec[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-store-api-'));
  await generateDemo({ events: 600, out: join(dir, 'logs'), days: 3, end: END, seed: 11 });
  recs = records(join(dir, 'logs'));
  writeFileSync(join(dir, 'policies.cedar'), readFileSync(join(POLICIES, 'example.cedar'), 'utf8'));
  dyn = await startCountingDynalite();
  const { config } = loadConfig([], {}, {
    apiKeys: JSON.stringify([
      { name: 'compliance-portal', sha256: hashApiKey(KEYS.portal), groups: ['compliance'] },
      { name: 'payments-app', sha256: hashApiKey(KEYS.app), groups: ['apps'], attributes: { accounts: [PRODUCTION] } },
    ]),
    policyFile: join(dir, 'policies.cedar'),
    policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
    dynamodbEndpoint: dyn.endpoint,
    decisionTable: 'store-api-decisions',
  });
  const engine = await DuckDbEngine.open(':memory:');
  const at = new Date('2024-06-10T12:30:00Z');
  await ingestSources(engine, [openSource(join(dir, 'logs'))], { filter: { since: END, until: END }, now: () => at });
  app = await buildApp(config, { engine, logger: false });
});

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const STORE = `{ store { events firstEventTime lastEventTime accounts regions lastIngest sources { uri objectsRead lastPoll lastIngest newestObject newestObjectTime lagSeconds lastError } } }`;
interface Store {
  events: number; firstEventTime: string; lastEventTime: string; accounts: string[]; regions: string[]; lastIngest: string | null;
  sources: Array<{ uri: string; objectsRead: number; lastPoll: string; lastIngest: string; newestObject: string; newestObjectTime: string; lagSeconds: number; lastError: string | null }>;
}

describe('store', () => {
  test('a caller who reads every account sees it all, and the sources', async () => {
    const r = await gql<{ store: Store }>(app, STORE, {}, { 'x-api-key': KEYS.portal });
    expect(r.errors).toBeUndefined();
    const want = reference(recs);
    expect(want.events).toBe(600);
    const s = r.data!.store;
    expect(s.events).toBe(want.events);
    expect(new Date(s.firstEventTime).toISOString()).toBe(want.first);
    expect(new Date(s.lastEventTime).toISOString()).toBe(want.last);
    expect(s.accounts).toEqual(want.accounts);
    expect(s.regions).toEqual(want.regions);
    expect(s.lastIngest).toBe('2024-06-10T12:30:00Z');
    expect(s.sources).toHaveLength(1);
    // Every .json.gz of the folder (log files and digests): not the demo's public keys and newest signatures beside them.
    const files = readdirSync(join(dir, 'logs'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.json.gz')).length;
    expect(s.sources[0]).toMatchObject({ uri: join(dir, 'logs'), objectsRead: files, lastPoll: '2024-06-10T12:30:00Z', lastError: null });
    expect(s.sources[0].lagSeconds).toBeGreaterThanOrEqual(0);
  });

  test('a caller limited to one account sees that account only, and no sources', async () => {
    const r = await gql<{ store: Store }>(app, STORE, {}, { 'x-api-key': KEYS.app });
    expect(r.errors).toBeUndefined();
    const want = reference(recs.filter((x) => x.recipientAccountId === PRODUCTION));
    expect(want.events).toBeGreaterThan(0);
    const s = r.data!.store;
    expect(s.events).toBe(want.events);
    expect(s.accounts).toEqual([PRODUCTION]);
    expect(new Date(s.firstEventTime).toISOString()).toBe(want.first);
    expect(s.sources).toEqual([]);
  });

  test('an empty window says where the caller\'s events are', async () => {
    const q = `query($f: EventFilter) { events(filter: $f, first: 5) { edges { node { id } } } }`;
    const old = await gql<{ events: { edges: unknown[] } }>(app, q, { f: { time: { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' } } }, { 'x-api-key': KEYS.app });
    expect(old.errors).toBeUndefined();
    expect(old.data!.events.edges).toEqual([]);
    const want = reference(recs.filter((x) => x.recipientAccountId === PRODUCTION));
    const range = (old.extensions as { dataRange?: { firstEventTime: string; lastEventTime: string; events: number } }).dataRange;
    expect(range && new Date(range.firstEventTime).toISOString()).toBe(want.first);
    expect(range && new Date(range.lastEventTime).toISOString()).toBe(want.last);
    expect(range?.events).toBe(want.events);
    // A window with events gets no hint.
    const now = await gql(app, q, { f: { time: { from: '2024-06-08T00:00:00Z', to: '2024-06-10T12:00:01Z' } } }, { 'x-api-key': KEYS.app });
    expect((now.extensions as Record<string, unknown>).dataRange).toBeUndefined();
  });
});
