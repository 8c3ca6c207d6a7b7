import { FastifyInstance } from 'fastify';
import { clientToolOf } from './support/client-tool-reference';
import { CloudTrailRecord } from '../src/cloudtrail/record';
import { loadConfig } from '../src/config';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { CostMeter } from '../src/history/cost';
import { UNRESTRICTED } from '../src/history/event-filter';
import { EventDimension, TimeBucket, eventStats } from '../src/history/stats';
import { HistoryStore } from '../src/history/store';
import { buildApp } from '../src/server';
import { codes, gql } from './support/api';
import { accountOf, firstOfEachId, timeOf } from './support/expected';
import { athenaOver } from './support/engines';
import { corpusRecords, storeWith } from './support/fixture-store';
import { fixedClock } from './support/clock';
import { principalArnOf } from './support/graph-reference';

/**
 * eventStats against counts computed here, in plain TypeScript over the raw
 * corpus records: every dimension, pairs of dimensions, every bucket, the
 * filter, the caller's accounts, the limit and the order.
 */
const records = firstOfEachId(corpusRecords());
const times = records.map(timeOf).sort();
const TIME = { from: times[0], to: new Date(Date.parse(times[times.length - 1]) + 1000).toISOString() };
const WINDOW = { from: new Date(TIME.from), to: new Date(TIME.to) };
const { config } = loadConfig([], {}, { maxSpanDays: 36600, defaultWindowDays: 7 });

let engine: DuckDbEngine;
let app: FastifyInstance;
beforeAll(async () => {
  engine = await storeWith(records);
  app = await buildApp(config, { engine, logger: false, clock: fixedClock() });
});
afterAll(() => app.close());

const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
const ui = (r: CloudTrailRecord) => r.userIdentity ?? {};

const IDENTITY_TYPES: Record<string, string> = {
  Root: 'ROOT', IAMUser: 'IAM_USER', AssumedRole: 'ASSUMED_ROLE', Role: 'ROLE', FederatedUser: 'FEDERATED_USER', Directory: 'DIRECTORY',
  AWSAccount: 'AWS_ACCOUNT', AWSService: 'AWS_SERVICE', IdentityCenterUser: 'IDENTITY_CENTER_USER', SAMLUser: 'SAML_USER',
  WebIdentityUser: 'WEB_IDENTITY_USER', Unknown: 'UNKNOWN',
};
const CATEGORIES: Record<string, string> = { Data: 'DATA', Insight: 'INSIGHT', NetworkActivity: 'NETWORK_ACTIVITY' };

function identityType(r: CloudTrailRecord): string {
  const t = text(ui(r).type);
  if (t === null || t === 'Unknown') return ui(r).onBehalfOf?.userId ? 'IDENTITY_CENTER_USER' : 'UNKNOWN';
  return IDENTITY_TYPES[t] ?? 'UNKNOWN';
}

const KEY_OF: Record<EventDimension, (r: CloudTrailRecord) => string | null> = {
  EVENT_NAME: (r) => text(r.eventName),
  EVENT_SOURCE: (r) => text(r.eventSource),
  ACCOUNT_ID: accountOf,
  REGION: (r) => text(r.awsRegion) ?? 'unknown',
  // The canonical principal ARN from the independent reference (graph-reference.ts, written from docs/derivations.md).
  PRINCIPAL_ARN: principalArnOf,
  IDENTITY_TYPE: identityType,
  ERROR_CODE: (r) => text(r.errorCode) || null,
  SOURCE_IP_ADDRESS: (r) => text(r.sourceIPAddress),
  USER_AGENT: (r) => text(r.userAgent),
  EVENT_CATEGORY: (r) => CATEGORIES[String(r.eventCategory)] ?? 'MANAGEMENT',
  READ_ONLY: (r) => (['true', 'false'].includes(String(r.readOnly).toLowerCase()) ? String(r.readOnly).toLowerCase() : null),
  // The client from the independent reference (client-tool-reference.ts, written from docs/client-tool.md).
  CLIENT_TOOL: (r) => clientToolOf(text(r.userAgent)),
};

const BUCKET_OF: Record<TimeBucket, (t: string) => string> = {
  MINUTE: (t) => `${t.slice(0, 16)}:00Z`,
  HOUR: (t) => `${t.slice(0, 13)}:00:00Z`,
  DAY: (t) => `${t.slice(0, 10)}T00:00:00Z`,
};

interface Group {
  keys: (string | null)[];
  bucketStart: string | null;
  count: number;
}

/** Byte order with nulls last: what ORDER BY ... ASC NULLS LAST gives on both engines. */
function compareKeys(a: (string | null)[], b: (string | null)[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === null) return 1;
    if (b[i] === null) return -1;
    return Buffer.compare(Buffer.from(a[i] as string), Buffer.from(b[i] as string));
  }
  return 0;
}

function expected(rs: readonly CloudTrailRecord[], groupBy: EventDimension[], bucket: TimeBucket | null): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rs) {
    const keys = groupBy.map((d) => KEY_OF[d](r));
    const bucketStart = bucket ? BUCKET_OF[bucket](timeOf(r)) : null;
    const id = JSON.stringify([keys, bucketStart]);
    const g = groups.get(id) ?? { keys, bucketStart, count: 0 };
    g.count++;
    groups.set(id, g);
  }
  return [...groups.values()].sort(
    (a, b) => (a.bucketStart ?? '').localeCompare(b.bucketStart ?? '') || b.count - a.count || compareKeys(a.keys, b.keys),
  );
}

const STATS = `query($filter: EventFilter, $groupBy: [EventDimension!]!, $bucket: TimeBucket, $limit: Int) {
  eventStats(filter: $filter, groupBy: $groupBy, bucket: $bucket, limit: $limit) { keys bucketStart count }
}`;

async function stats(vars: Record<string, unknown>): Promise<Group[]> {
  const r = await gql<{ eventStats: Group[] }>(app, STATS, vars);
  expect(r.errors).toBeUndefined();
  expect(r.extensions?.cost?.historyQueries).toBe(1);
  return r.data!.eventStats;
}

describe('eventStats equals an independent count over the corpus', () => {
  test.each(Object.values(EventDimension))('by %s', async (d) => {
    const want = expected(records, [d], null);
    expect(want.length).toBeGreaterThan(1);
    expect(await stats({ filter: { time: TIME }, groupBy: [d], limit: 10000 })).toEqual(want);
  });

  test.each([
    [[EventDimension.EVENT_SOURCE, EventDimension.ERROR_CODE]],
    [[EventDimension.IDENTITY_TYPE, EventDimension.READ_ONLY, EventDimension.CLIENT_TOOL]],
    [[EventDimension.PRINCIPAL_ARN, EventDimension.ACCOUNT_ID]],
  ])('by %j', async (groupBy) => {
    expect(await stats({ filter: { time: TIME }, groupBy, limit: 10000 })).toEqual(expected(records, groupBy, null));
  });

  test.each(Object.values(TimeBucket))('by EVENT_SOURCE and %s buckets, ordered by bucket', async (bucket) => {
    const want = expected(records, [EventDimension.EVENT_SOURCE], bucket);
    expect(new Set(want.map((g) => g.bucketStart)).size).toBeGreaterThan(5);
    expect(await stats({ filter: { time: TIME }, groupBy: [EventDimension.EVENT_SOURCE], bucket, limit: 10000 })).toEqual(want);
  });

  test('with no groupBy: one total, or a time series with a bucket', async () => {
    expect(await stats({ filter: { time: TIME }, groupBy: [] })).toEqual([{ keys: [], bucketStart: null, count: records.length }]);
    expect(await stats({ filter: { time: TIME }, groupBy: [], bucket: 'DAY', limit: 10000 })).toEqual(expected(records, [], TimeBucket.DAY));
  });

  test('the filter applies: failed calls by error code within a window', async () => {
    const from = times[Math.floor(times.length / 4)];
    const to = times[Math.floor((3 * times.length) / 4)];
    const rs = records.filter((r) => timeOf(r) >= from && timeOf(r) < to && r.errorCode !== undefined && r.errorCode !== null && r.errorCode !== '');
    const want = expected(rs, [EventDimension.ERROR_CODE], null);
    expect(want.length).toBeGreaterThan(1);
    expect(await stats({ filter: { time: { from, to }, hasError: true }, groupBy: ['ERROR_CODE'], limit: 10000 })).toEqual(want);
  });

  test('clientTools filters by the parsed client', async () => {
    const rs = records.filter((r) => ['AWS_CLI', 'TERRAFORM'].includes(KEY_OF.CLIENT_TOOL(r) ?? ''));
    const got = await stats({ filter: { time: TIME, clientTools: ['AWS_CLI', 'TERRAFORM'] }, groupBy: ['CLIENT_TOOL'] });
    expect(got).toEqual(expected(rs, [EventDimension.CLIENT_TOOL], null));
    expect(got.map((g) => g.keys[0]).sort()).toEqual(['AWS_CLI', 'TERRAFORM']);
  });

  test('limit keeps the largest groups; the default is 100', async () => {
    const want = expected(records, [EventDimension.EVENT_NAME], null);
    expect(want.length).toBeGreaterThan(100);
    expect(await stats({ filter: { time: TIME }, groupBy: ['EVENT_NAME'], limit: 3 })).toEqual(want.slice(0, 3));
    expect(await stats({ filter: { time: TIME }, groupBy: ['EVENT_NAME'] })).toEqual(want.slice(0, 100));
    expect(await stats({ filter: { time: TIME }, groupBy: ['EVENT_NAME'], limit: null })).toEqual(want.slice(0, 100));
  });

  test('a limit outside 1..10000 is bad input', async () => {
    for (const limit of [0, -1, 10001]) {
      const r = await gql(app, STATS, { filter: { time: TIME }, groupBy: ['EVENT_NAME'], limit });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    }
  });

  test('only the caller\'s accounts are counted', async () => {
    const accounts = expected(records, [EventDimension.ACCOUNT_ID], null).slice(0, 2).map((g) => g.keys[0] as string);
    const store = new HistoryStore(engine);
    const got = await eventStats(
      store,
      { criteria: {}, window: WINDOW, scope: { accounts }, groupBy: [EventDimension.EVENT_SOURCE], bucket: null, limit: 10000 },
      { scope: UNRESTRICTED, cost: new CostMeter() },
    );
    const want = expected(records.filter((r) => accounts.includes(accountOf(r))), [EventDimension.EVENT_SOURCE], null);
    expect(got.map((g) => ({ ...g, bucketStart: null }))).toEqual(want);
    const none = await eventStats(
      store,
      { criteria: {}, window: WINDOW, scope: { accounts: [] }, groupBy: [], bucket: null, limit: 10 },
      { scope: UNRESTRICTED, cost: new CostMeter() },
    );
    expect(none).toEqual([]);
  });
});

describe('eventStats on the Athena engine', () => {
  test('gives the same groups as on DuckDB (through the Athena protocol)', async () => {
    const athena = await athenaOver(engine);
    try {
      const ctx = () => ({ scope: UNRESTRICTED, cost: new CostMeter() });
      const q = { criteria: { hasError: false }, window: WINDOW, scope: UNRESTRICTED, limit: 10000 };
      for (const [groupBy, bucket] of [
        [[EventDimension.IDENTITY_TYPE, EventDimension.CLIENT_TOOL, EventDimension.READ_ONLY], null],
        [[EventDimension.EVENT_SOURCE], TimeBucket.DAY],
      ] as const) {
        const want = await eventStats(new HistoryStore(engine), { ...q, groupBy: [...groupBy], bucket }, ctx());
        expect(want.length).toBeGreaterThan(5);
        expect(await eventStats(new HistoryStore(athena.engine), { ...q, groupBy: [...groupBy], bucket }, ctx())).toEqual(want);
      }
    } finally {
      await athena.close();
    }
  });
});
