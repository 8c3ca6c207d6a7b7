import { accountsPredicate, dayIn } from './event-filter';
import { QueryContext, HistoryStore } from './store';
import { Sql, and, sql, trusted } from './sql/sql';
import { TABLE } from './table';

/**
 * When the newest (or oldest) event a caller may read happened: where the
 * saved investigations anchor their windows, so that they answer on older
 * logs too. Two statements: the edge partition day in the caller's accounts
 * (the partition column only, like the accounts list: the one kind of
 * statement not bounded by time, because its answer is where time starts),
 * then the edge event time within that one day.
 */
export type Edge = 'newest' | 'oldest';

function edgeDaySql(ctx: QueryContext, edge: Edge): Sql {
  const accounts = accountsPredicate(ctx.scope);
  const where = accounts ? sql` WHERE ${accounts}` : trusted('');
  const fn = trusted(edge === 'newest' ? 'max' : 'min');
  return ctx.scope.days === 'event' ? sql`SELECT ${fn}(day_number) AS edge FROM ${trusted(TABLE)}${where}` : sql`SELECT ${fn}(day) AS edge FROM ${trusted(TABLE)}${where}`;
}

/** 20171211 or "2017/12/11" → "2017/12/11". */
function dayText(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d{4}\/\d{2}\/\d{2}$/.test(value)) return value;
  const n = typeof value === 'bigint' || typeof value === 'number' ? String(value) : undefined;
  return n && /^\d{8}$/.test(n) ? `${n.slice(0, 4)}/${n.slice(4, 6)}/${n.slice(6, 8)}` : undefined;
}

export async function edgeEventTime(store: HistoryStore, ctx: QueryContext, edge: Edge): Promise<Date | null> {
  const [first] = await store.run(edgeDaySql(ctx, edge), ctx);
  const day = dayText(first?.edge);
  if (!day) return null;
  const accounts = accountsPredicate(ctx.scope);
  const bound = and([dayIn([day], ctx.scope), ...(accounts ? [accounts] : [])]);
  const fn = trusted(edge === 'newest' ? 'max' : 'min');
  const [row] = await store.run(sql`SELECT ${fn}(eventtime) AS edge FROM ${trusted(TABLE)} WHERE ${bound}`, ctx);
  // eventtime is the record's RFC 3339 text.
  const at = typeof row?.edge === 'string' ? new Date(row.edge) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}
