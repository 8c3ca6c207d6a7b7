import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { Row } from '../engine';
import { AthenaEngineOptions } from './options';
import { convertPage } from './results';
import { sleep, withRetries } from './retry';

/** A query that ended without results: FAILED, or CANCELLED by someone other than us. */
export class QueryEndedError extends Error {
  constructor(
    readonly queryExecutionId: string,
    readonly state: 'FAILED' | 'CANCELLED',
    readonly execution: QueryExecution | undefined,
  ) {
    super(`athena query ${queryExecutionId} ${state}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`);
  }
}

type Lifecycle = Pick<AthenaEngineOptions, 'workgroup' | 'database' | 'catalog' | 'outputLocation' | 'resultReuseMaxAgeMinutes' | 'poll' | 'retry' | 'pageSize' | 'stopTimeoutMs'>;

/**
 * The calls of one query's life. StartQueryExecution carries a client
 * request token, so a retried start never starts a second query; it is not
 * cut short by the signal, so that a started query is always known and can
 * be stopped.
 */
export class QueryLifecycle {
  constructor(private readonly client: AthenaClient, private readonly options: Lifecycle) {}

  async start(queryString: string, parameters: string[] | undefined, signal: AbortSignal): Promise<string> {
    const o = this.options;
    const reuse = o.resultReuseMaxAgeMinutes > 0;
    const command = new StartQueryExecutionCommand({
      QueryString: queryString,
      ExecutionParameters: parameters,
      ClientRequestToken: randomUUID(),
      WorkGroup: o.workgroup,
      QueryExecutionContext: { Database: o.database, Catalog: o.catalog },
      ResultConfiguration: o.outputLocation ? { OutputLocation: o.outputLocation } : undefined,
      ResultReuseConfiguration: {
        ResultReuseByAgeConfiguration: reuse ? { Enabled: true, MaxAgeInMinutes: o.resultReuseMaxAgeMinutes } : { Enabled: false },
      },
    });
    const out = await withRetries(() => this.client.send(command), o.retry, { signal });
    if (!out.QueryExecutionId) throw new Error('athena: StartQueryExecution returned no QueryExecutionId');
    return out.QueryExecutionId;
  }

  /**
   * Polls until the query ends: the first poll soon, then less and less
   * often up to the cap. QUEUED and RUNNING may alternate (Athena re-queues
   * a query on capacity loss), so neither is taken as progress.
   */
  async waitUntilDone(id: string, signal: AbortSignal): Promise<QueryExecution> {
    const { poll, retry } = this.options;
    let delay = poll.initialMs;
    for (;;) {
      await sleep(delay, signal);
      const out = await withRetries(() => this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }), retry, { signal });
      const execution = out.QueryExecution;
      const state = execution?.Status?.State;
      switch (state) {
        case 'SUCCEEDED':
          return execution as QueryExecution;
        case 'FAILED':
        case 'CANCELLED':
          throw new QueryEndedError(id, state, execution);
        case 'QUEUED':
        case 'RUNNING':
        case undefined:
          break;
        default: {
          const unknown: never = state;
          throw new Error(`athena: unknown query state ${String(unknown)}`);
        }
      }
      delay = Math.min(poll.maxMs, delay * poll.factor);
    }
  }

  /** Every result row, page by page; the header row opens the first page only. */
  async results(id: string, signal: AbortSignal): Promise<Row[]> {
    const { retry, pageSize } = this.options;
    const rows: Row[] = [];
    let columns: ColumnInfo[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const command = new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: pageSize, NextToken: token });
      const page = await withRetries(() => this.client.send(command, { abortSignal: signal }), retry, { signal });
      if (first) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      rows.push(...convertPage(page.ResultSet?.Rows ?? [], columns, first));
      first = false;
      token = page.NextToken;
    } while (token);
    return rows;
  }

  /** Best effort, bounded in time; a query that already ended is left as it is. */
  async stop(id: string): Promise<void> {
    const signal = AbortSignal.timeout(this.options.stopTimeoutMs);
    await withRetries(() => this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }), this.options.retry, { signal });
  }
}
