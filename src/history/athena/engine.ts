import { createHash } from 'node:crypto';
import { AthenaClient, GetWorkGroupCommand } from '@aws-sdk/client-athena';
import { ErrorCode, TrailgraphError } from '../../errors';
import { Row, RunOptions, SqlEngine, StatementStats } from '../engine';
import { Sql } from '../sql/sql';
import { TABLE } from '../table';
import { ConcurrencyLimiter } from './limiter';
import { QueryEndedError, QueryLifecycle } from './lifecycle';
import { EngineLog, STDERR_LOG } from './log';
import { AthenaEngineOptions, MAX_PAGE_SIZE } from './options';
import { executionParameters } from './parameters';
import { isThrottling } from './retry';
import { anySignal } from './signals';
import { renameIdentifier } from './sql-text';
import { forFormat } from './parquet-format';
import { TOUCHES } from '../graph/touches';
import { touchesViewName } from './ddl';

/** Why a statement did not answer; the `reason` extension of HISTORY_QUERY_FAILED. */
export type FailureReason = 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'ABORTED' | 'THROTTLED' | 'UNAVAILABLE' | 'ENGINE_ERROR';

class StatementTimeout extends Error {}
class EngineClosed extends Error {}

/** The builder's names (`cloudtrail`, `cloudtrail_touches`) as the configured view and its touches view (athena-ddl). */
function tableNames(text: string, view: string): string {
  if (view === TABLE) return text;
  return renameIdentifier(renameIdentifier(text, TOUCHES, `"${touchesViewName(view)}"`), TABLE, `"${view}"`);
}

function failure(reason: FailureReason, message: string): TrailgraphError {
  return new TrailgraphError(ErrorCode.HISTORY_QUERY_FAILED, message, { reason });
}

/** What one statement is in the logs: a fingerprint of its text (parameters never appear). */
function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * The scale-out engine: the builder's Trino SQL on Athena, user values as
 * ExecutionParameters. Protects the account: at most `maxConcurrency`
 * queries at once (the rest wait in a FIFO queue), throttling retried with
 * jittered backoff, a timeout per statement, and a query whose caller gives
 * up (abort or timeout) is stopped rather than left running.
 */
export class AthenaEngine implements SqlEngine {
  readonly name = 'athena' as const;
  readonly prefersNarrowStatements = false;
  // A log file sits under the S3 day of its delivery, which can be the day after its events.
  readonly partitionDays = 'delivery' as const;
  readonly limiter: ConcurrencyLimiter;
  private readonly client: AthenaClient;
  private readonly lifecycle: QueryLifecycle;
  private readonly log: EngineLog;
  private readonly closing = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: AthenaEngineOptions, client?: AthenaClient) {
    if (options.pageSize < 1 || options.pageSize > MAX_PAGE_SIZE) throw new Error(`athena: pageSize must be 1..${MAX_PAGE_SIZE}`);
    // The table name becomes SQL text (quoted): only plain identifiers.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.table)) throw new Error(`athena: table "${options.table}" is not a plain identifier`);
    this.client =
      client ??
      new AthenaClient({
        region: options.region || undefined,
        endpoint: options.endpoint || undefined,
        credentials: options.credentials,
        // Retries are ours (withRetries): bounded, jittered, and aware of the statement's signal.
        maxAttempts: 1,
      });
    this.lifecycle = new QueryLifecycle(this.client, options);
    this.limiter = new ConcurrencyLimiter(options.maxConcurrency);
    this.log = options.log ?? STDERR_LOG;
  }

  async query(statement: Sql, options: RunOptions = {}): Promise<{ rows: Row[]; stats: StatementStats }> {
    if (this.closing.signal.aborted) throw failure('UNAVAILABLE', 'the history engine is closed');
    const parameters = executionParameters(statement.params);
    const text = forFormat(tableNames(statement.text, this.options.table), this.options.format);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new StatementTimeout()), this.options.statementTimeoutMs);
    const { signal, dispose } = anySignal([deadline.signal, this.closing.signal, ...(options.signal ? [options.signal] : [])]);
    const attempt: { id?: string } = {};
    const run = this.run(text, parameters, signal, attempt);
    this.inFlight.add(run);
    try {
      return await run;
    } catch (err) {
      throw this.toError(err, { statement: fingerprint(text), queryExecutionId: attempt.id }, deadline.signal, options.signal);
    } finally {
      clearTimeout(timer);
      dispose();
      this.inFlight.delete(run);
    }
  }

  private async run(text: string, parameters: string[] | undefined, signal: AbortSignal, attempt: { id?: string }): Promise<{ rows: Row[]; stats: StatementStats }> {
    const release = await this.limiter.acquire(signal);
    let execution;
    try {
      attempt.id = await this.lifecycle.start(text, parameters, signal);
      execution = await this.lifecycle.waitUntilDone(attempt.id, signal);
    } catch (err) {
      if (attempt.id && signal.aborted) await this.stop(attempt.id);
      throw err;
    } finally {
      // The slot is Athena's active-query quota: free once the query has ended, before reading results.
      release();
    }
    const rows = await this.lifecycle.results(attempt.id, signal);
    const s = execution.Statistics;
    const stats: StatementStats = { engineMs: s?.EngineExecutionTimeInMillis ?? 0, bytesScanned: s?.DataScannedInBytes ?? 0 };
    this.log.debug(
      { queryExecutionId: attempt.id, statement: fingerprint(text), rows: rows.length, ...stats, reused: s?.ResultReuseInformation?.ReusedPreviousResult ?? false },
      'athena statement',
    );
    return { rows, stats };
  }

  private async stop(id: string): Promise<void> {
    try {
      await this.lifecycle.stop(id);
      this.log.info({ queryExecutionId: id }, 'athena query stopped');
    } catch (err) {
      this.log.warn({ queryExecutionId: id, err: String(err) }, 'athena query could not be stopped');
    }
  }

  /** Maps what went wrong to the error the caller sees; Athena's own words go to the log only. */
  private toError(err: unknown, where: Record<string, unknown>, deadline: AbortSignal, caller: AbortSignal | undefined): TrailgraphError {
    if (deadline.aborted) {
      this.log.warn({ ...where, timeoutMs: this.options.statementTimeoutMs }, 'athena statement timed out');
      return failure('TIMEOUT', 'a history query took too long');
    }
    if (caller?.aborted) {
      return caller.reason instanceof TrailgraphError ? caller.reason : failure('ABORTED', 'the history query was stopped');
    }
    if (this.closing.signal.aborted) return failure('UNAVAILABLE', 'the history engine is closed');
    if (err instanceof TrailgraphError) return err;
    if (err instanceof QueryEndedError) {
      const status = err.execution?.Status;
      this.log.error(
        { ...where, queryExecutionId: err.queryExecutionId, state: err.state, reason: status?.StateChangeReason, athenaError: status?.AthenaError },
        `athena query ${err.state.toLowerCase()}`,
      );
      return failure(err.state, 'a history query failed');
    }
    if (isThrottling(err)) {
      this.log.error({ ...where, err: String(err) }, 'athena kept throttling');
      return failure('THROTTLED', 'the history engine is busy; try again later');
    }
    this.log.error({ ...where, err: String(err) }, 'athena call failed');
    return failure('ENGINE_ERROR', 'a history query failed');
  }

  /** The workgroup answers (GetWorkGroup: no query, nothing billed). */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.client.send(new GetWorkGroupCommand({ WorkGroup: this.options.workgroup }), { abortSignal: signal });
  }

  /** Stops what is running (best effort) and closes the client. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new EngineClosed());
    await Promise.allSettled([...this.inFlight]);
    this.client.destroy();
  }
}
