import { walkPages } from './support/paging';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { FastifyInstance } from 'fastify';
import { hashApiKey } from '../src/authz/api-keys';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { ingestPaths } from '../src/ingest';
import { verifyDemoTree } from '../src/integrity/demo-verify';
import { VerifyReport } from '../src/integrity/verify';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { startCountingDynalite, CountingDynalite } from './support/dynalite';
import { athenaOver, AthenaOver } from './support/engines';
import { SqlEngine } from '../src/history/engine';

/**
 * The API's integrity fields against what `verify` reports, over demo data
 * with two log files changed before ingest (one in the production account,
 * one in management): each event's logFile is the file holding its
 * eventID, with the state verify gives that file; logFileIntegrity counts
 * and lists failures within the caller's accounts.
 */
const POLICIES = join(__dirname, '..', 'policies');
const [MANAGEMENT, PRODUCTION] = ['418273645091', '602519374862'];
const APP_KEY = 'tg_integrity_app_key_1';
const END = new Date('2024-06-10T23:59:59Z');
const TIME = { from: '2024-06-09T00:00:00Z', to: '2024-06-11T00:00:00Z' };

let app: FastifyInstance;
let dyn: CountingDynalite;
let dir: string;
let report: VerifyReport;
let duck: DuckDbEngine;
/** eventID → the file (key from AWSLogs/) that holds it, and each file's account. */
const owner = new Map<string, string>();
const logFiles: string[] = [];
let changed: string[] = [];

function walk(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-integrity-api-'));
  const trail = join(dir, 'trail');
  await generateDemo({ events: 800, out: trail, days: 2, end: END });
  for (const p of walk(trail).filter((x) => x.includes('/CloudTrail/')).sort()) {
    const key = relative(trail, p);
    logFiles.push(key);
    for (const r of (JSON.parse(gunzipSync(readFileSync(p)).toString()) as { Records: Array<{ eventID: string }> }).Records) owner.set(r.eventID, key);
  }
  // One file of each account is changed after delivery (a field of a record, not its eventID), before ingest.
  changed = [logFiles.find((k) => k.includes(`/${PRODUCTION}/`)) ?? '', logFiles.find((k) => k.includes(`/${MANAGEMENT}/`)) ?? ''];
  for (const key of changed) {
    const plain = gunzipSync(readFileSync(join(trail, key))).toString().replace('"awsRegion"', '"awsRegion" ').replace(/"userAgent":"[^"]*"/, '"userAgent":"edited"');
    writeFileSync(join(trail, key), gzipSync(plain));
  }
  const engine = await DuckDbEngine.open(':memory:');
  duck = engine;
  await ingestPaths(engine, [trail]);
  report = await verifyDemoTree(engine, trail);
  dyn = await startCountingDynalite();
  // Without API keys or a JWT issuer, authorization is off: every account is readable.
  const { config } = loadConfig([], {}, {});
  app = await buildApp(config, { engine, logger: false });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await dyn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const stateOf = (key: string): string => {
  const v = report.logFiles.find((l) => l.key === key)?.verdict;
  return v === 'valid' ? 'VALID' : v === "hash value doesn't match" ? 'MODIFIED' : 'UNVERIFIED';
};

test('verify found exactly the two changed files', () => {
  expect(changed.every((k) => k !== '')).toBe(true);
  expect(report.logFiles.filter((l) => l.verdict !== 'valid').map((l) => l.key).sort()).toEqual([...changed].sort());
  expect(report.digests.length).toBeGreaterThan(0);
  expect(report.digests.every((d) => d.verdict === 'valid')).toBe(true);
});

test('Event.logFile: the file holding the event, its SHA-256, and the state verify gives that file', async () => {
  type Seen = { eventId: string; logFile: { key: string; sha256: string; integrity: string } | null };
  const seen = await walkPages<Seen>(async (after) => {
    const r: Awaited<ReturnType<typeof gql>> = await gql(app, `query($after: String, $time: TimeRange) { events(first: 500, after: $after, filter: { time: $time }) { nodes { eventId logFile { key sha256 integrity } } pageInfo { hasNextPage endCursor } } }`, { after, time: TIME });
    expect(r.errors).toBeUndefined();
    const page = (r.data as { events: { nodes: Seen[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }).events;
    return { items: page.nodes, hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor };
  });
  expect(seen.length).toBe(owner.size);
  const trail = join(dir, 'trail');
  for (const e of seen) {
    const key = owner.get(e.eventId) ?? '';
    expect(e.logFile?.key).toBe(key);
    expect(e.logFile?.integrity).toBe(stateOf(key));
    expect(e.logFile?.sha256).toBe(createHash('sha256').update(gunzipSync(readFileSync(join(trail, key)))).digest('hex'));
  }
  expect(seen.filter((e) => e.logFile?.integrity === 'MODIFIED').length).toBeGreaterThan(0);
});

const REPORT = `query($filter: LogFileIntegrityFilter, $first: Int, $after: String) { logFileIntegrity(filter: $filter, first: $first, after: $after) {
  files { valid modified notCovered unverified total } digestsChecked digestsInvalid gaps { trail }
  failures { nodes { key accountId verdict integrity } pageInfo { hasNextPage endCursor } } } }`;

interface Report { files: Record<string, number>; digestsChecked: number; digestsInvalid: number; failures: { nodes: Array<{ key: string; accountId: string; verdict: string; integrity: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }

test('logFileIntegrity: counts by state, digests checked, and the failures a page at a time', async () => {
  const first = await gql<{ logFileIntegrity: Report }>(app, REPORT, { filter: { time: TIME }, first: 1 });
  expect(first.errors).toBeUndefined();
  const r = first.data?.logFileIntegrity as Report;
  expect(r.files).toEqual({ valid: logFiles.length - 2, modified: 2, notCovered: 0, unverified: 0, total: logFiles.length });
  expect(r.digestsChecked).toBe(report.digests.filter((d) => d.end >= TIME.from && d.end < TIME.to).length);
  expect(r.digestsInvalid).toBe(0);
  const sorted = [...changed].sort();
  expect(r.failures.nodes.map((n) => n.key)).toEqual([sorted[0]]);
  expect(r.failures.nodes[0]).toMatchObject({ verdict: "hash value doesn't match", integrity: 'MODIFIED' });
  expect(r.failures.pageInfo.hasNextPage).toBe(true);
  const second = await gql<{ logFileIntegrity: Report }>(app, REPORT, { filter: { time: TIME }, first: 1, after: r.failures.pageInfo.endCursor });
  expect(second.data?.logFileIntegrity.failures.nodes.map((n) => n.key)).toEqual([sorted[1]]);
  expect(second.data?.logFileIntegrity.failures.pageInfo.hasNextPage).toBe(false);
});

test('logFileIntegrity: a bad cursor or page size is BAD_USER_INPUT', async () => {
  expect(codes(await gql(app, REPORT, { after: 'nonsense' }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await gql(app, REPORT, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
});

describe('with authorization', () => {
  let authed: FastifyInstance;
  beforeAll(async () => {
    const { config } = loadConfig([], {}, {
      apiKeys: JSON.stringify([{ name: 'payments-app', sha256: hashApiKey(APP_KEY), groups: ['apps'], attributes: { accounts: [PRODUCTION] } }]),
      policyFile: join(POLICIES, 'example.cedar'),
      policySchemaFile: join(POLICIES, 'trailgraph.cedarschema'),
      dynamodbEndpoint: dyn.endpoint,
      decisionTable: 'integrity-api-decisions',
    });
    const engine = await DuckDbEngine.open(':memory:');
    await ingestPaths(engine, [join(dir, 'trail')]);
    await verifyDemoTree(engine, join(dir, 'trail'));
    authed = await buildApp(config, { engine, logger: false });
  }, 120_000);
  afterAll(async () => authed?.close());

  test('a caller limited to one account counts and lists only that account\'s files, even when it asks for another', async () => {
    const own = logFiles.filter((k) => k.includes(`/${PRODUCTION}/`)).length;
    for (const accountIds of [undefined, [PRODUCTION, MANAGEMENT], [MANAGEMENT]]) {
      const r = await gql<{ logFileIntegrity: Report }>(authed, REPORT, { filter: { time: TIME, accountIds } }, { 'x-api-key': APP_KEY });
      expect(r.errors).toBeUndefined();
      const got = r.data?.logFileIntegrity as Report;
      const expectedTotal = accountIds?.length === 1 ? 0 : own;
      expect(got.files.total).toBe(expectedTotal);
      expect(got.failures.nodes.every((n) => n.accountId === PRODUCTION)).toBe(true);
      expect(got.failures.nodes.length).toBe(expectedTotal > 0 ? 1 : 0);
    }
  });
});

describe('Session.integrity and Principal.integrity', () => {
  const COUNTS = 'integrity { valid modified notCovered unverified total }';

  test("a principal's counts are its events' states (from the raw records and verify's verdicts)", async () => {
    // Reference: IAM users' events in the window, each counted by the state verify gives its file.
    const trail = join(dir, 'trail');
    const byArn = new Map<string, Map<string, number>>();
    for (const key of logFiles) {
      const recs = (JSON.parse(gunzipSync(readFileSync(join(trail, key))).toString()) as { Records: Array<{ eventTime: string; userIdentity: { type: string; arn?: string } }> }).Records;
      for (const r of recs) {
        if (r.userIdentity.type !== 'IAMUser' || !r.userIdentity.arn || r.eventTime < TIME.from || r.eventTime >= TIME.to) continue;
        const m = byArn.get(r.userIdentity.arn) ?? new Map<string, number>();
        m.set(stateOf(key), (m.get(stateOf(key)) ?? 0) + 1);
        byArn.set(r.userIdentity.arn, m);
      }
    }
    // The user with a MODIFIED event if any, else the busiest.
    const arns = [...byArn.keys()].sort();
    expect(arns.length).toBeGreaterThan(0);
    const arn = arns.find((a) => byArn.get(a)?.has('MODIFIED')) ?? arns[0];
    const want = byArn.get(arn) ?? new Map<string, number>();
    const r = await gql<{ principal: { integrity: Record<string, number> } }>(app, `query($arn: String!, $time: TimeRange) { principal(arn: $arn, time: $time) { ${COUNTS} } }`, { arn, time: TIME });
    expect(r.errors).toBeUndefined();
    expect(r.data?.principal.integrity).toEqual({
      valid: want.get('VALID') ?? 0, modified: want.get('MODIFIED') ?? 0, notCovered: 0, unverified: 0,
      total: [...want.values()].reduce((a, b) => a + b, 0),
    });
  });

  test("a session's counts are those of its events' log files", async () => {
    const r = await gql<{ events: { nodes: Array<{ session: { id: string } | null }> } }>(app, `query($time: TimeRange) { events(first: 200, filter: { time: $time }) { nodes { session { id } } } }`, { time: TIME });
    const id = r.data?.events.nodes.find((n) => n.session)?.session?.id;
    expect(id).toBeDefined();
    const s = await gql<{ session: { integrity: Record<string, number>; events: { nodes: Array<{ logFile: { integrity: string } }> } } }>(
      app, `query($id: ID!) { session(id: $id) { ${COUNTS} events(first: 500) { nodes { logFile { integrity } } } } }`, { id },
    );
    expect(s.errors).toBeUndefined();
    const nodes = s.data?.session.events.nodes ?? [];
    expect(nodes.length).toBeGreaterThan(0);
    const tally = (state: string): number => nodes.filter((n) => n.logFile.integrity === state).length;
    expect(s.data?.session.integrity).toEqual({ valid: tally('VALID'), modified: tally('MODIFIED'), notCovered: 0, unverified: 0, total: nodes.length });
  });
});

describe('on Athena (the emulator; an event\'s file from "$path", verdicts from the store verify recorded into)', () => {
  let athena: AthenaOver;
  let onAthena: FastifyInstance;
  beforeAll(async () => {
    athena = await athenaOver(duck);
    // The evidence store is the same embedded store, shared: the app must not close it.
    const evidence: SqlEngine = { name: duck.name, prefersNarrowStatements: true, partitionDays: duck.partitionDays, query: (s, o) => duck.query(s, o), close: async () => undefined };
    onAthena = await buildApp(loadConfig([], {}, {}).config, { engine: athena.engine, integrityEvidence: evidence, logger: false });
  }, 60_000);
  afterAll(async () => {
    await onAthena?.close();
    await athena?.close();
  });

  test('the same integrity answers as the embedded store: events\' log files, a principal\'s counts, the report', async () => {
    const q = `query($time: TimeRange, $arn: String!) {
      events(first: 60, filter: { time: $time }) { nodes { eventId logFile { key sha256 integrity } } }
      principal(arn: $arn, time: $time) { integrity { valid modified notCovered unverified total } }
      logFileIntegrity(filter: { time: $time }) { files { valid modified notCovered unverified total } digestsChecked failures { nodes { key verdict integrity } } }
    }`;
    const vars = { time: TIME, arn: `arn:aws:iam::${MANAGEMENT}:role/Admin` };
    const [a, b] = await Promise.all([gql(app, q, vars), gql(onAthena, q, vars)]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    const events = (a.data as { events: { nodes: Array<{ logFile: unknown }> } }).events.nodes;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.logFile !== null)).toBe(true);
    expect((a.data as { principal: { integrity: { total: number } } }).principal.integrity.total).toBeGreaterThan(0);
    expect(b.data).toEqual(a.data);
  });
});
