import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { decodeId } from '../src/history/ids';
import { ingestPaths } from '../src/ingest';
import { buildApp } from '../src/server';
import { GqlResponse, gql } from './support/api';
import { firstOfEachId } from './support/expected';
import { principalSummaries, resourceSummaries, sessionSummaries, timeOf } from './support/graph-reference';
import { TEST_NOW, fixedClock } from './support/clock';
import { demoLogRecords } from './support/log-files';
import { walkPages } from './support/paging';

/**
 * The demo data (as `npm start` makes it: generated log files, ingested):
 * every principal, session and resource summary equals the plain-TypeScript
 * computation over the records read back from the files. The demo has what
 * the corpus lacks: Identity Center portal sessions, console sessions with
 * their sign-in, MFA, source identities, many sessions per role.
 */
const NOW = TEST_NOW;
const { config } = loadConfig([], {}, { maxSpanDays: 90, defaultWindowDays: 30, maxPageSize: 500 });
let app: FastifyInstance;
let records: CloudTrailRecord[];
let TIME: { from: string; to: string };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-graph-demo-'));
  try {
    await generateDemo({ events: 6000, out: dir, seed: 5, days: 3, end: NOW });
    records = firstOfEachId(demoLogRecords(dir));
    const engine = await DuckDbEngine.open(':memory:');
    await ingestPaths(engine, [dir]);
    app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const times = records.map(timeOf).sort();
  TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
});
afterAll(() => app.close());

async function all<T>(field: string, fields: string): Promise<T[]> {
  const list = await walkPages(async (after) => {
    const r: GqlResponse<Record<string, { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>> = await gql(app,
      `query($t: TimeRange, $after: String) { ${field}(first: 500, after: $after, filter: {time: $t}) { nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`, { t: TIME, after });
    expect(r.errors).toBeUndefined();
    return { items: r.data![field].nodes, hasNextPage: r.data![field].pageInfo.hasNextPage, endCursor: r.data![field].pageInfo.endCursor };
  });
  expect(list.length).toBeGreaterThan(0);
  return list;
}

test('principals of the demo equal the computation', async () => {
  const want = principalSummaries(records);
  const got = await all<{ arn: string }>('principals', 'arn type accountId name firstSeen lastSeen eventCount errorCount accessKeyIds sourceIpAddresses');
  expect(got).toEqual([...want.keys()].sort().map((a) => want.get(a)));
  expect(new Set(got.map((p) => (p as unknown as { type: string }).type))).toEqual(new Set(['IAM_USER', 'ASSUMED_ROLE', 'ROOT', 'AWS_SERVICE', 'IDENTITY_CENTER_USER', 'SAML_USER']));
});

test('sessions of the demo equal the computation: role, console and portal sessions', async () => {
  const want = sessionSummaries(records);
  type S = { id: string; principal: { arn: string } } & Record<string, unknown>;
  const got = await all<S>('sessions', `id kind principal { arn } sessionName sourceIdentity accessKeyId mfaAuthenticated createdAt firstEventTime lastEventTime
    eventCount writeCount errorCount accessDeniedCount eventSources regions sourceIpAddresses userAgents`);
  const shaped = got.map(({ id, principal, ...rest }) => {
    const [, kind, start, key] = decodeId(id).parts;
    return { ref: `${kind}|${start}|${key}`, principal: principal.arn, ...rest };
  });
  const order = [...want.values()].sort((a, b) => (a.firstEventTime !== b.firstEventTime ? (a.firstEventTime < b.firstEventTime ? 1 : -1) : a.ref < b.ref ? 1 : -1));
  expect(shaped).toEqual(order);
  expect(new Set(order.map((s) => s.kind))).toEqual(new Set(['ASSUMED_ROLE', 'CONSOLE', 'IDENTITY_CENTER']));
  expect(order.some((s) => s.kind === 'CONSOLE' && s.eventCount > 1)).toBe(true);
  expect(order.some((s) => s.mfaAuthenticated === true) && order.some((s) => s.sourceIdentity !== null)).toBe(true);
});

test('resources of the demo equal the computation', async () => {
  const want = resourceSummaries(records);
  const got = await all<{ arn: string }>('resources', 'arn type accountId firstSeen lastSeen eventCount');
  expect(got).toEqual([...want.keys()].sort().map((a) => want.get(a)));
});
