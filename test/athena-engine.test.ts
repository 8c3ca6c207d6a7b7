import { EventCategory } from '../src/cloudtrail/event-category';
import { IdentityType } from '../src/cloudtrail/identity-type';
import { CostMeter } from '../src/history/cost';
import { DuckDbEngine } from '../src/history/duckdb/engine';
import { SqlEngine } from '../src/history/engine';
import { Scope, UNRESTRICTED } from '../src/history/event-filter';
import { EventsQuery, eventCursor } from '../src/history/events';
import { HistoryStore } from '../src/history/store';
import { TimeWindow } from '../src/history/window';
import { Sql, sql, trusted } from '../src/history/sql/sql';
import { ErrorCode, TrailgraphError } from '../src/errors';
import { ConfigError, loadConfig } from '../src/config';
import { AthenaEngine } from '../src/history/athena/engine';
import { backoffDelay, isThrottling } from '../src/history/athena/retry';
import { createEngine } from '../src/history/engine-factory';
import { corpusRecords, storeWith } from './support/fixture-store';
import { AthenaOver, MemoryLog, athenaOver } from './support/engines';

let duck: DuckDbEngine;
let athena: AthenaOver;
let window: TimeWindow;
let accounts: string[];

beforeAll(async () => {
  const records = corpusRecords();
  duck = await storeWith(records);
  athena = await athenaOver(duck);
  const times = records.map((r) => Date.parse(r.eventTime)).filter((t) => !Number.isNaN(t));
  window = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + 1000) };
  const { rows } = await duck.query(trusted(`SELECT account, count(*) AS n FROM cloudtrail GROUP BY account ORDER BY n DESC, account`));
  accounts = rows.map((r) => String(r.account));
});

afterAll(async () => {
  await athena.close();
  await duck.close();
});

function ctx(scope: Scope = UNRESTRICTED) {
  return { scope, cost: new CostMeter() };
}

function q(partial: Partial<EventsQuery> = {}): EventsQuery {
  return { criteria: {}, window, scope: UNRESTRICTED, order: 'DESC', page: { size: 7, direction: 'forward', after: null, before: null }, ...partial };
}

async function pages(engine: SqlEngine, query: EventsQuery) {
  const store = new HistoryStore(engine);
  const first = await store.eventsPage(query, ctx(query.scope));
  const out = [first];
  if (first.items.length) {
    const after = eventCursor(first.items[first.items.length - 1]);
    out.push(await store.eventsPage({ ...query, page: { ...query.page, after } }, ctx(query.scope)));
    const before = eventCursor(first.items[first.items.length - 1]);
    out.push(await store.eventsPage({ ...query, page: { size: 3, direction: 'backward', after: null, before } }, ctx(query.scope)));
  }
  return out;
}

describe('AthenaEngine over the emulator', () => {
  test('events pages are identical to the embedded engine (filters, both orders, both directions, scopes)', async () => {
    const queries: EventsQuery[] = [
      q(),
      q({ order: 'ASC' }),
      q({ criteria: { readOnly: false } }),
      q({ criteria: { hasError: true } }),
      q({ criteria: { identityTypes: [IdentityType.ASSUMED_ROLE, IdentityType.IAM_USER] } }),
      q({ criteria: { userAgentContains: 'console' } }),
      q({ criteria: { eventCategories: [EventCategory.MANAGEMENT] }, order: 'ASC' }),
      q({ scope: { accounts: accounts.slice(0, 2) } }),
      q({ scope: { accounts: [] } }),
    ];
    let compared = 0;
    // Bytes are not compared here; skip the emulator's pruning analysis for speed.
    athena.emulator.knobs.accountBytes = false;
    try {
      for (const query of queries) {
        const [a, b] = await Promise.all([pages(duck, query), pages(athena.engine, query)]);
        expect(b).toEqual(a);
        compared += a.reduce((n, p) => n + p.items.length, 0);
      }
    } finally {
      athena.emulator.knobs.accountBytes = true;
    }
    expect(compared).toBeGreaterThan(50);
  });

  test('point look-ups answer the same, and each statement reports bytes scanned', async () => {
    const store = new HistoryStore(duck);
    const page = await store.eventsPage(q({ page: { size: 20, direction: 'forward', after: null, before: null } }), ctx());
    const keys = page.items.map((e) => e.key);
    const meter = new CostMeter();
    const viaAthena = await new HistoryStore(athena.engine).eventsByKeys(keys, { scope: UNRESTRICTED, cost: meter });
    expect(viaAthena).toEqual(await store.eventsByKeys(keys, ctx()));
    expect(viaAthena.every((e) => e !== null)).toBe(true);
    expect(meter.historyQueries).toBe(1);
    expect(meter.bytesScanned).toBeGreaterThan(0);
  });

  test('values come back typed by the column metadata, and every kind of parameter round-trips', async () => {
    const tricky = `it's a "test" -- ? /* not a comment */ \\ é ✓`;
    const statement = sql`SELECT ${tricky} AS s, ${42} AS n, ${-7} AS neg, ${2.5} AS d, ${true} AS t, ${false} AS f,
      CAST(NULL AS VARCHAR) AS nothing, CAST(3 AS BIGINT) AS big, CAST(4 AS INTEGER) AS i, CAST(0.25 AS DOUBLE) AS dbl,
      json_format(CAST(ARRAY[1, 2] AS JSON)) AS j, 'x''y' AS quoted`;
    const viaDuck = await duck.query(statement);
    const viaAthena = await athena.engine.query(statement);
    expect(viaAthena.rows).toEqual(viaDuck.rows);
    expect(viaAthena.rows[0]).toMatchObject({ s: tricky, n: 42, neg: -7, d: 2.5, t: true, f: false, nothing: null, big: 3, i: 4, dbl: 0.25, quoted: "x'y" });
    const sent = athena.emulator.stats.statements.at(-1);
    expect(sent?.parameters).toEqual([`'${tricky.replace(/'/g, "''")}'`, '42', '-7', '2.5E0', 'true', 'false']);
    expect(sent?.query).not.toContain(tricky);
  });

  test('a value that would be SQL stays a value', async () => {
    const hostile = `x' OR '1'='1`;
    const { rows } = await athena.engine.query(sql`SELECT count(*) AS n FROM cloudtrail WHERE ${trusted('day')} >= ${'0000'} AND eventname = ${hostile}`);
    expect(rows).toEqual([{ n: 0 }]);
  });

  test('results are read page by page with the header skipped on the first page only', async () => {
    const statement = sql`SELECT eventid, eventtime FROM cloudtrail WHERE day >= ${'0000'} ORDER BY eventid`;
    const expected = (await duck.query(statement)).rows;
    expect(expected.length).toBeGreaterThan(30);
    athena.emulator.knobs.pageSize = 7;
    const before = athena.emulator.stats.calls.GetQueryResults ?? 0;
    try {
      const { rows } = await athena.engine.query(statement);
      expect(rows).toEqual(expected);
    } finally {
      athena.emulator.knobs.pageSize = 1000;
    }
    const calls = (athena.emulator.stats.calls.GetQueryResults ?? 0) - before;
    expect(calls).toBe(Math.ceil((expected.length + 1) / 7));
  });

  test('a query that goes back from RUNNING to QUEUED still answers', async () => {
    athena.emulator.knobs.requeue = true;
    try {
      const { rows } = await athena.engine.query(sql`SELECT ${1} AS one`);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      athena.emulator.knobs.requeue = false;
    }
  });

  test('partition pruning shows in bytes scanned: a narrower window or fewer accounts scan less', async () => {
    const store = new HistoryStore(athena.engine);
    const wide = new CostMeter();
    await store.eventsPage(q(), { scope: UNRESTRICTED, cost: wide });
    const narrow = new CostMeter();
    await store.eventsPage(q({ scope: { accounts: accounts.slice(0, 1) } }), { scope: { accounts: accounts.slice(0, 1) }, cost: narrow });
    const none = new CostMeter();
    await store.eventsPage(q({ scope: { accounts: [] } }), { scope: { accounts: [] }, cost: none });
    expect(wide.bytesScanned).toBeGreaterThan(narrow.bytesScanned);
    expect(narrow.bytesScanned).toBeGreaterThan(0);
    expect(none.bytesScanned).toBe(0);
  });

  test('result reuse: the same statement within the max age is answered from the previous result', async () => {
    const reusing = await athenaOver(duck, { engine: { resultReuseMaxAgeMinutes: 30 } });
    try {
      const statement = sql`SELECT count(*) AS n FROM cloudtrail WHERE day >= ${'0000'}`;
      const first = await reusing.engine.query(statement);
      const second = await reusing.engine.query(statement);
      expect(second.rows).toEqual(first.rows);
      expect(first.stats.bytesScanned).toBeGreaterThan(0);
      expect(second.stats.bytesScanned).toBe(0);
      expect(reusing.emulator.stats).toMatchObject({ started: 2, executed: 1, reused: 1 });
      await reusing.engine.query(sql`SELECT count(*) AS n FROM cloudtrail WHERE day >= ${'0001'}`);
      expect(reusing.emulator.stats.executed).toBe(2);
    } finally {
      await reusing.close();
    }
    const before = athena.emulator.stats.executed;
    const statement = sql`SELECT ${5} AS five`;
    await athena.engine.query(statement);
    await athena.engine.query(statement);
    expect(athena.emulator.stats.executed - before).toBe(2);
  });

  test('the configured table name replaces the builder\'s, outside quoted text only', async () => {
    const conn = await duck.connect();
    await conn.run(`CREATE OR REPLACE VIEW trail_view AS SELECT * FROM cloudtrail`);
    conn.closeSync();
    const renamed = await athenaOver(duck, { engine: { table: 'trail_view' } });
    try {
      const statement = sql`SELECT count(*) AS n, ${'cloudtrail'} AS label, 'cloudtrail' AS literal FROM cloudtrail WHERE day >= ${'0000'}`;
      const { rows } = await renamed.engine.query(statement);
      expect(rows).toEqual((await duck.query(statement)).rows);
      expect(renamed.emulator.stats.statements[0].query).toContain('FROM "trail_view"');
      expect(renamed.emulator.stats.statements[0].query).toContain(`'cloudtrail' AS literal`);
    } finally {
      await renamed.close();
    }
  });

  test('a value longer than Athena accepts is the caller\'s error, before anything is started', async () => {
    const before = athena.emulator.stats.started;
    const err = await athena.engine.query(sql`SELECT ${'x'.repeat(2000)} AS s`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrailgraphError);
    expect((err as TrailgraphError).extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(athena.emulator.stats.started).toBe(before);
  });

  test('statement logs carry the query id, bytes and engine time, never parameter values', async () => {
    const log = new MemoryLog();
    const logged = await athenaOver(duck, { engine: { log } });
    try {
      await logged.engine.query(sql`SELECT count(*) AS n FROM cloudtrail WHERE eventname = ${'SecretLookingValue'} AND day >= ${'0000'}`);
      const line = log.lines.find((l) => l.msg === 'athena statement');
      expect(line?.obj).toMatchObject({ queryExecutionId: logged.emulator.stats.statements[0].id, rows: 1 });
      expect((line?.obj as { bytesScanned: number }).bytesScanned).toBeGreaterThan(0);
      expect(log.text()).not.toContain('SecretLookingValue');
    } finally {
      await logged.close();
    }
  });
});

describe('configuration', () => {
  test('createEngine builds the Athena engine from flags and environment; the SDK finds its credentials in the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAFROMENV', AWS_SECRET_ACCESS_KEY: 'from-env' });
    try {
      const { config } = loadConfig(
        ['--engine', 'athena', '--athena-endpoint', athena.emulator.endpoint, '--athena-region', 'eu-west-1', '--athena-max-concurrency', '3', '--athena-table=cloudtrail'],
        { TRAILGRAPH_ATHENA_WORKGROUP: 'trailgraph', TRAILGRAPH_ATHENA_DATABASE: 'audit', TRAILGRAPH_ATHENA_RESULT_REUSE_MAX_AGE_MINUTES: '0' },
      );
      expect(config).toMatchObject({ athenaMaxConcurrency: 3, athenaWorkgroup: 'trailgraph', athenaStatementTimeoutMs: 120_000, athenaCatalog: 'AwsDataCatalog' });
      const engine = await createEngine(config, new MemoryLog());
      try {
        expect(engine).toBeInstanceOf(AthenaEngine);
        expect((engine as AthenaEngine).limiter.limit).toBe(3);
        const { rows } = await engine.query(sql`SELECT ${'configured'} AS v`);
        expect(rows).toEqual([{ v: 'configured' }]);
        const x = athena.emulator.execution(athena.emulator.stats.statements.at(-1)?.id ?? '');
        expect(x).toMatchObject({ workgroup: 'trailgraph', database: 'audit', catalog: 'AwsDataCatalog', reuse: { enabled: false } });
      } finally {
        await engine.close();
      }
    } finally {
      process.env = saved;
    }
  });

  test('createEngine refuses Athena settings it cannot use, and gives the embedded engine by default', async () => {
    const bad = (argv: string[]) => createEngine(loadConfig(['--engine', 'athena', ...argv]).config);
    await expect(bad(['--athena-table', 'my-table'])).rejects.toBeInstanceOf(ConfigError);
    await expect(bad(['--athena-output-location', 'https://bucket/x'])).rejects.toBeInstanceOf(ConfigError);
    await expect(bad(['--athena-endpoint', 'localhost:1'])).rejects.toBeInstanceOf(ConfigError);
    expect(() => loadConfig(['--athena-max-concurrency', '0'])).toThrow(ConfigError);
    const embedded = await createEngine(loadConfig(['--db', ':memory:']).config);
    expect(embedded.name).toBe('duckdb');
    await embedded.close();
  });

  test('backoff grows exponentially up to its cap, with jitter in the upper half of each step', () => {
    const policy = { maxAttempts: 6, baseMs: 100, capMs: 1000 };
    for (let attempt = 0; attempt < 8; attempt++) {
      const step = Math.min(1000, 100 * 2 ** attempt);
      expect(backoffDelay(attempt, policy, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, policy, () => 0.999)).toBeLessThan(step);
    }
    expect(isThrottling({ name: 'TooManyRequestsException' })).toBe(true);
    expect(isThrottling({ name: 'ThrottlingException' })).toBe(true);
    expect(isThrottling({ name: 'InvalidRequestException', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });
});
