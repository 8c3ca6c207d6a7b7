import { QueryContext, HistoryStore } from './store';
import { Sql, sql, trusted } from './sql/sql';
import { accountsPredicate } from './event-filter';
import { TABLE } from './table';

/**
 * What the store holds within a caller's accounts: events, first and last
 * event time, accounts and regions. Like the list of accounts
 * (accounts.ts), not bounded by time on purpose: it says where the data is
 * whatever window was asked. It reads partition columns and eventtime only,
 * on the embedded store (on Athena it would be a full scan; there the
 * answer is left empty).
 */
export interface StoreFacts {
  events: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  accounts: string[];
  regions: string[];
}

function where(ctx: QueryContext): Sql {
  const accounts = accountsPredicate(ctx.scope);
  return accounts ? sql` WHERE ${accounts}` : trusted('');
}

function storeFactsSql(ctx: QueryContext): Sql {
  return sql`SELECT count(*) AS events, min(eventtime) AS first, max(eventtime) AS last,
    string_agg(DISTINCT account, ',' ORDER BY account) AS accounts, string_agg(DISTINCT region, ',' ORDER BY region) AS regions
    FROM ${trusted(TABLE)}${where(ctx)}`;
}

function strings(v: unknown): string[] {
  return typeof v === 'string' ? v.split(',').filter((x) => x !== '') : [];
}

export async function storeFacts(store: HistoryStore, ctx: QueryContext): Promise<StoreFacts | null> {
  if (store.engine.name !== 'duckdb') return null;
  const [row] = await store.run(storeFactsSql(ctx), ctx);
  return {
    events: Number(row?.events ?? 0),
    firstEventTime: typeof row?.first === 'string' ? row.first : null,
    lastEventTime: typeof row?.last === 'string' ? row.last : null,
    accounts: strings(row?.accounts),
    regions: strings(row?.regions),
  };
}
