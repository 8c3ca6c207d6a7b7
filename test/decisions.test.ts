import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyInstance } from 'fastify';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { generateDemo } from '../src/demo';
import { buildApp } from '../src/server';
import { GqlResponse, codes, gql } from './support/api';
import { firstOfEachId } from './support/expected';
import { storeWith } from './support/fixture-store';
import { graphCorpus } from './support/graph-corpus';
import { timeOf } from './support/graph-reference';
import { ExpectedDecision, decisionsOf } from './support/decision-reference';
import { demoLogRecords } from './support/log-files';
import { walkPages } from './support/paging';
import { TEST_NOW, fixedClock } from './support/clock';

/**
 * authorizationDecisions: the Verified Permissions decisions recorded in
 * history (demo data, the corpus's BatchIsAuthorized), read here from the
 * raw records, against the connection: order, filters, paging.
 */
const NOW = TEST_NOW;
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 30, maxPageSize: 500 });
let app: FastifyInstance;
let records: CloudTrailRecord[];
let TIME: { from: string; to: string };

type D = ExpectedDecision;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-decisions-'));
  try {
    await generateDemo({ events: 4000, out: dir, seed: 3, days: 2, end: NOW });
    records = firstOfEachId([...demoLogRecords(dir), ...graphCorpus()]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  app = await buildApp(config, { engine: await storeWith(records), logger: false, clock: fixedClock() });
  const times = records.map(timeOf).sort();
  TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
});
afterAll(() => app.close());

async function walk(filter: Record<string, unknown>, first: number, order = 'DESC'): Promise<D[]> {
  return walkPages(async (after) => {
    const r: GqlResponse<{ authorizationDecisions: { nodes: D[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } } }> = await gql(app,
      `query($f: AuthorizationDecisionFilter, $first: Int, $after: String, $o: SortOrder) { authorizationDecisions(filter: $f, first: $first, after: $after, order: $o) {
        nodes { decision principal action resource policyStoreId decidedAt } pageInfo { hasNextPage hasPreviousPage endCursor } } }`, { f: { time: TIME, ...filter }, first, after, o: order });
    expect(r.errors).toBeUndefined();
    const c = r.data!.authorizationDecisions;
    expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
    return { items: c.nodes, hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
  });
}

test('every decision, newest first and oldest first, in pages that split events', async () => {
  const want = decisionsOf(records, 'DESC');
  expect(want.length).toBeGreaterThan(100);
  expect(new Set(want.map((d) => d.decision))).toEqual(new Set(['ALLOW', 'DENY']));
  expect(await walk({}, 37)).toEqual(want);
  const asc = decisionsOf(records, 'ASC');
  expect(await walk({}, 500, 'ASC')).toEqual(asc);
});

test('filters: decision, action, principal, policy store, together', async () => {
  const all = decisionsOf(records, 'DESC');
  const action = all.find((d) => d.action !== null)!.action!;
  const principal = all.find((d) => d.principal !== null && d.decision === 'DENY')!.principal!;
  const store = all.find((d) => d.policyStoreId !== null)!.policyStoreId!;
  const cases: Array<[Record<string, unknown>, (d: D) => boolean]> = [
    [{ decision: 'DENY' }, (d) => d.decision === 'DENY'],
    [{ actions: [action] }, (d) => d.action === action],
    [{ principals: [principal] }, (d) => d.principal === principal],
    [{ policyStoreIds: [store] }, (d) => d.policyStoreId === store],
    [{ decision: 'DENY', principals: [principal], policyStoreIds: [store] }, (d) => d.decision === 'DENY' && d.principal === principal && d.policyStoreId === store],
  ];
  for (const [filter, pred] of cases) {
    const want = all.filter(pred);
    expect(want.length).toBeGreaterThan(0);
    expect(await walk(filter, 200)).toEqual(want);
  }
});

test('a time window, and bad arguments', async () => {
  const times = decisionsOf(records, 'ASC').map((d) => d.decidedAt);
  const from = times[Math.floor(times.length / 2)];
  const r = await gql<{ authorizationDecisions: { nodes: D[] } }>(app, `query($t: TimeRange) { authorizationDecisions(first: 500, filter: {time: $t}) { nodes { decidedAt } } }`, { t: { from, to: TIME.to } });
  expect(r.data!.authorizationDecisions.nodes.length).toBe(times.filter((t) => t >= from).length);
  expect(codes(await gql(app, `{ authorizationDecisions(after: "bm9wZQ") { nodes { decision } } }`))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await gql(app, `{ authorizationDecisions(first: -1) { nodes { decision } } }`))).toEqual(['BAD_USER_INPUT']);
});
