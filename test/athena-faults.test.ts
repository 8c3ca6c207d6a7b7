import { DuckDbEngine } from '../src/history/duckdb/engine';
import { sql } from '../src/history/sql/sql';
import { ErrorCode, TrailgraphError } from '../src/errors';
import { corpusRecords, storeWith } from './support/fixture-store';
import { AthenaOver, MemoryLog, athenaOver } from './support/engines';

/**
 * How the Athena engine protects the account and the caller, through the
 * real SDK against the emulator: throttling, failures, timeouts, aborts and
 * the concurrency limit.
 */
let duck: DuckDbEngine;
beforeAll(async () => {
  duck = await storeWith(corpusRecords().slice(0, 200));
});
afterAll(() => duck.close());

const open: AthenaOver[] = [];
async function athena(options: Parameters<typeof athenaOver>[1] = {}): Promise<AthenaOver & { log: MemoryLog }> {
  const log = new MemoryLog();
  const a = await athenaOver(duck, { ...options, engine: { log, ...options.engine } });
  open.push(a);
  return { ...a, log };
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((a) => a.close()));
});

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function failureOf(p: Promise<unknown>): Promise<TrailgraphError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TrailgraphError);
  return err as TrailgraphError;
}

const one = sql`SELECT ${1} AS one`;

describe('throttling', () => {
  test('ThrottlingException and TooManyRequestsException are retried until the query starts once', async () => {
    const a = await athena({ engine: { retry: { maxAttempts: 8, baseMs: 1, capMs: 4 } } });
    a.emulator.throttleNext(3, 'ThrottlingException');
    a.emulator.throttleNext(2, 'TooManyRequestsException');
    a.emulator.throttleNext(2, 'ThrottlingException', 'GetQueryExecution');
    a.emulator.throttleNext(1, 'ThrottlingException', 'GetQueryResults');
    const { rows } = await a.engine.query(one);
    expect(rows).toEqual([{ one: 1 }]);
    expect(a.emulator.stats).toMatchObject({ throttled: 8, started: 1, executed: 1 });
    expect(a.emulator.stats.calls.StartQueryExecution).toBe(6);
  });

  test('retries are bounded: past the bound the caller gets HISTORY_QUERY_FAILED (THROTTLED) and nothing runs', async () => {
    const a = await athena({ engine: { retry: { maxAttempts: 3, baseMs: 1, capMs: 4 } } });
    a.emulator.throttleNext(10, 'TooManyRequestsException');
    const err = await failureOf(a.engine.query(one));
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'THROTTLED' });
    expect(a.emulator.stats.calls.StartQueryExecution).toBe(3);
    expect(a.emulator.stats.started).toBe(0);
    expect(a.engine.limiter.running).toBe(0);
  });

  test('the account quota (the emulator refusing starts beyond its active-query limit) is never hit below it', async () => {
    const a = await athena({ knobs: { activeQueryLimit: 3, runMs: 5 }, engine: { maxConcurrency: 3 } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => a.engine.query(sql`SELECT ${i} AS i`)));
    expect(results.map((r) => r.rows[0].i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(a.emulator.stats.throttled).toBe(0);
  });
});

describe('failures', () => {
  test('a FAILED query is HISTORY_QUERY_FAILED; Athena\'s reason is in the log, not in the error', async () => {
    const a = await athena();
    a.emulator.failNext(1, 'HIVE_BAD_DATA: Error parsing field value for field 3');
    const err = await failureOf(a.engine.query(one));
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'FAILED' });
    expect(JSON.stringify({ message: err.message, extensions: err.extensions })).not.toContain('HIVE_BAD_DATA');
    const logged = a.log.lines.find((l) => l.level === 'error');
    expect(logged?.obj).toMatchObject({ state: 'FAILED', reason: 'HIVE_BAD_DATA: Error parsing field value for field 3', queryExecutionId: a.emulator.stats.statements[0].id });
  });

  test('a statement Athena cannot run fails the same way, with the engine\'s message logged', async () => {
    const a = await athena();
    const err = await failureOf(a.engine.query(sql`SELECT no_such_column FROM cloudtrail WHERE day >= ${'0000'}`));
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'FAILED' });
    expect(a.log.text()).toContain('no_such_column');
  });

  test('a failure fails its own statement only: statements running beside it answer', async () => {
    const a = await athena({ knobs: { runMs: 5 } });
    a.emulator.failWhen = (_q, params) => (params.includes("'boom'") ? 'GENERIC_INTERNAL_ERROR: boom' : null);
    const settled = await Promise.allSettled([a.engine.query(sql`SELECT ${'fine'} AS v`), a.engine.query(sql`SELECT ${'boom'} AS v`), a.engine.query(sql`SELECT ${'also fine'} AS v`)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  test('a query CANCELLED by someone else (a workgroup limit, an operator) is HISTORY_QUERY_FAILED (CANCELLED)', async () => {
    const a = await athena({ knobs: { runMs: 2000 } });
    const pending = a.engine.query(one);
    await until(() => a.emulator.stats.started === 1);
    const id = a.emulator.stats.statements[0].id;
    await until(() => a.emulator.execution(id)?.state === 'RUNNING');
    const x = a.emulator.execution(id);
    if (!x) throw new Error('no execution');
    x.reason = 'Query exhausted the per-query data usage limit';
    // What Athena does when the workgroup's BytesScannedCutoffPerQuery is hit.
    (a.emulator as unknown as { executions: { stop(x: unknown): void } }).executions.stop(x);
    const err = await failureOf(pending);
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'CANCELLED' });
  });
});

describe('timeouts and aborts stop the query', () => {
  test('a statement past its timeout is stopped (StopQueryExecution) and reported as TIMEOUT', async () => {
    const a = await athena({ knobs: { runMs: 5000 }, engine: { statementTimeoutMs: 80 } });
    // Not waited out: the emulator would run it 5 s; it was stopped (below) and ended CANCELLED, never SUCCEEDED.
    const err = await failureOf(a.engine.query(one));
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'TIMEOUT' });
    const id = a.emulator.stats.statements[0].id;
    expect(a.emulator.stats.stopped).toEqual([id]);
    expect(a.emulator.execution(id)?.state).toBe('CANCELLED');
    expect(a.engine.limiter.running).toBe(0);
  });

  test('aborting the caller\'s signal stops the running query', async () => {
    const a = await athena({ knobs: { runMs: 5000 } });
    const controller = new AbortController();
    const pending = a.engine.query(one, { signal: controller.signal });
    await until(() => a.emulator.active === 1);
    controller.abort();
    const err = await failureOf(pending);
    expect(err.extensions).toMatchObject({ code: ErrorCode.HISTORY_QUERY_FAILED, reason: 'ABORTED' });
    const id = a.emulator.stats.statements[0].id;
    expect(a.emulator.stats.stopped).toEqual([id]);
    expect(a.emulator.execution(id)?.state).toBe('CANCELLED');
    expect(a.emulator.stats.calls.StopQueryExecution).toBe(1);
  });

  test('a caller that gives up while waiting for a slot never starts a query', async () => {
    // Generous retries: the query holding the slot must not fail on a loaded machine (a CI run saw it do so once).
    const a = await athena({ knobs: { runMs: 300 }, engine: { maxConcurrency: 1, retry: { maxAttempts: 10, baseMs: 5, capMs: 100 } } });
    const first = a.engine.query(one).catch((err: unknown) => {
      throw new Error(`the slot holder failed: ${String(err)}\n${a.log.text()}`);
    });
    const controller = new AbortController();
    const second = a.engine.query(sql`SELECT ${2} AS two`, { signal: controller.signal });
    await until(() => a.emulator.stats.started === 1);
    expect(a.engine.limiter.queued).toBe(1);
    controller.abort();
    const err = await failureOf(second);
    expect(err.extensions).toMatchObject({ reason: 'ABORTED' });
    expect(a.engine.limiter.queued).toBe(0);
    expect((await first).rows).toEqual([{ one: 1 }]);
    expect(a.emulator.stats.started).toBe(1);
    expect(a.emulator.stats.stopped).toEqual([]);
  });

  test('an abort whose reason is a TrailgraphError surfaces that error', async () => {
    const a = await athena({ knobs: { runMs: 5000 } });
    const controller = new AbortController();
    const pending = a.engine.query(one, { signal: controller.signal });
    await until(() => a.emulator.active === 1);
    controller.abort(new TrailgraphError(ErrorCode.QUERY_TOO_COMPLEX, 'the request took too long'));
    const err = await failureOf(pending);
    expect(err.extensions.code).toBe(ErrorCode.QUERY_TOO_COMPLEX);
    await until(() => a.emulator.stats.stopped.length === 1);
  });

  test('closing the engine stops what is still running', async () => {
    const a = await athena({ knobs: { runMs: 5000 } });
    const pending = a.engine.query(one);
    await until(() => a.emulator.active === 1);
    await a.engine.close();
    const err = await failureOf(pending);
    expect(err.extensions).toMatchObject({ reason: 'UNAVAILABLE' });
    expect(a.emulator.stats.stopped).toHaveLength(1);
  });
});

describe('the concurrency limit', () => {
  test('100 parallel statements never have more than the limit running in Athena, and all answer', async () => {
    const a = await athena({ knobs: { runMs: 10, queueMs: 1 }, engine: { maxConcurrency: 5 } });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => a.engine.query(sql`SELECT ${i} AS i`)));
    expect(results.map((r) => r.rows[0].i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(a.emulator.stats.started).toBe(100);
    expect(a.emulator.stats.maxActive).toBeLessThanOrEqual(5);
    // The queue drains at the limit, not below it.
    expect(a.emulator.stats.maxActive).toBe(5);
    expect(a.engine.limiter.maxActive).toBe(5);
  });
});
