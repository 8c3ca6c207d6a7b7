import { CostMeter } from './cost';
import { UNRESTRICTED } from './event-filter';
import { HistoryStore } from './store';
import { Sql, sql, trusted } from './sql/sql';
import { TABLE } from './table';

/**
 * Every AWS account history holds: the list authorization decides over (a
 * caller's scope is the subset it may read). The one statement not bounded
 * by time or scope, on purpose: a caller may ask any window, so the list must
 * cover all of history. It reads the partition column only, and authorization
 * caches the answer (see KnownAccounts), so it runs about once a minute.
 */
export function accountsSql(): Sql {
  return sql`SELECT DISTINCT account FROM ${trusted(TABLE)}`;
}

export async function historyAccounts(store: HistoryStore): Promise<string[]> {
  const rows = await store.run(accountsSql(), { scope: UNRESTRICTED, cost: new CostMeter() });
  return rows.map((r) => r.account).filter((a): a is string => typeof a === 'string' && a !== '');
}

/** The accounts authorization decides over: those configured (--accounts), else those history holds. */
export function knownAccountsOf(accountsSetting: string, store: HistoryStore): () => Promise<readonly string[]> {
  const listed = accountsSetting.split(',').map((a) => a.trim()).filter(Boolean);
  return listed.length ? async () => listed : () => historyAccounts(store);
}
