import { ErrorCode, TrailgraphError } from '../errors';
import { CostMeter } from './cost';
import { Row, SqlEngine } from './engine';
import { StoredEvent, toStoredEvent } from './event-row';
import { Scope } from './event-filter';
import { EventsQuery, eventsByKeysSql, eventsPageFromRows, eventsPageSql, pageTravel, pageWindow } from './events';
import { pageSlices } from './page-slices';
import { EventKey } from './ids';
import { Page } from './page';
import { Sql } from './sql/sql';

/** What one request brings to every history statement. */
export interface QueryContext {
  scope: Scope;
  cost: CostMeter;
  signal?: AbortSignal;
  /** Called with each statement, for logs and tests. */
  onStatement?: (statement: Sql) => void;
}

/**
 * The questions the API asks of history. Each method renders one statement
 * with the builder and runs it on the configured engine.
 */
export class HistoryStore {
  constructor(readonly engine: SqlEngine) {}

  async run(statement: Sql, ctx: QueryContext): Promise<Row[]> {
    ctx.onStatement?.(statement);
    ctx.cost.budget?.check();
    try {
      const { rows, stats } = await this.engine.query(statement, { signal: ctx.signal });
      ctx.cost.addStatement(stats);
      return rows;
    } catch (err) {
      if (err instanceof TrailgraphError) throw err;
      throw new TrailgraphError(ErrorCode.HISTORY_QUERY_FAILED, 'a history query failed', { cause: String(err) });
    }
  }

  /**
   * One page. On an engine that prefers narrow statements, the page window is
   * read in slices from where the page starts (newest day first for DESC),
   * until the page and its look-ahead row are full.
   */
  async eventsPage(q: EventsQuery, ctx: QueryContext): Promise<Page<StoredEvent>> {
    const days = this.engine.partitionDays;
    if (!this.engine.prefersNarrowStatements) return eventsPageFromRows(q, await this.run(eventsPageSql(q, { window: pageWindow(q), other: true, days }), ctx));
    const rows: Row[] = [];
    let pageRows = 0;
    const slices = pageSlices(pageWindow(q), pageTravel(q).travel);
    for (const [i, window] of slices.entries()) {
      const got = await this.run(eventsPageSql(q, { window, other: i === 0, days }), ctx);
      rows.push(...got);
      pageRows += got.filter((r) => r.side === 'page').length;
      if (pageRows > q.page.size) break;
    }
    return eventsPageFromRows(q, rows);
  }

  /** Events by their keys, in key order; null where none is found (or the caller may not see it). */
  async eventsByKeys(keys: readonly EventKey[], ctx: QueryContext): Promise<(StoredEvent | null)[]> {
    if (keys.length === 0) return [];
    const rows = await this.run(eventsByKeysSql(keys, ctx.scope), ctx);
    const found = new Map<string, StoredEvent>();
    for (const r of rows) {
      const e = toStoredEvent(r);
      found.set(keyString(e.key), e);
    }
    return keys.map((k) => found.get(keyString(k)) ?? null);
  }
}

function keyString(k: EventKey): string {
  return `${k.day}|${k.account}|${k.region}|${k.eventId}`;
}
