import { Action } from '../../src/authz';
import { forbidden } from '../../src/authz/guards';
import { Context } from '../../src/context';
import { badInput, ErrorCode, TrailgraphError } from '../../src/errors';
import { AccessLine } from '../../src/operations/access-log';
import { readAccessLog } from '../../src/operations/access-log-reader';
import { toConnection } from '../common/connection';
import { AccessLogConnection, AccessLogEntry } from './access-log.type';
import { AccessLogFilter } from './access-log-filter.input';

const DAY_MS = 86_400_000;

/** A cursor: the line's time and how many lines of that same time came before it on the way. */
function cursorOf(line: AccessLine, seenSameTime: number): string {
  return Buffer.from(JSON.stringify([line.time, seenSameTime])).toString('base64url');
}

function parseCursor(cursor: string): [string, number] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isSafeInteger(v[1])) return [v[0], v[1] as number];
  } catch {
    // fall through
  }
  throw badInput('after is not a cursor of accessLog');
}

function toEntry(l: AccessLine): AccessLogEntry {
  return { ...l, time: new Date(l.time), accounts: l.accounts === null ? null : [...l.accounts], denied: [...l.denied] };
}

/** accessLog: the lines of the caller's admin accounts (ReadAccessLog), newest first. */
export async function accessLogConnection(ctx: Context, filter: AccessLogFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<AccessLogConnection> {
  const options = ctx.accessLog;
  if (!options) throw new TrailgraphError(ErrorCode.NOT_FOUND, 'the access log goes to standard output (--access-log -): it cannot be read here');
  const accounts = await ctx.authz.accountsFor(Action.ReadAccessLog);
  if (accounts !== null && accounts.length === 0) throw forbidden(Action.ReadAccessLog);
  const size = first ?? ctx.config.defaultPageSize;
  if (size < 0 || size > ctx.config.maxPageSize) throw badInput(`first must be 0..${ctx.config.maxPageSize}`);
  const to = filter?.time?.to ?? ctx.now;
  const from = filter?.time?.from ?? new Date(to.getTime() - ctx.config.defaultWindowDays * DAY_MS);
  if (from >= to) throw badInput('time.from must be before time.to');
  if (to.getTime() - from.getTime() > ctx.config.maxSpanDays * DAY_MS) throw badInput(`the window is longer than the maximum of ${ctx.config.maxSpanDays} days`);
  const lines = await readAccessLog(options, { callers: filter?.callers ?? undefined, outcomes: filter?.outcomes ?? undefined, from, to, accounts });
  // Number each line within its time, then skip through the cursor.
  const seen = new Map<string, number>();
  const numbered = lines.map((line) => {
    const n = seen.get(line.time) ?? 0;
    seen.set(line.time, n + 1);
    return { line, n };
  });
  let start = 0;
  if (after) {
    const [time, n] = parseCursor(after);
    start = numbered.findIndex((x) => x.line.time < time || (x.line.time === time && x.n > n));
    if (start < 0) start = numbered.length;
  }
  const pageItems = numbered.slice(start, start + size);
  const page = { items: pageItems, hasNextPage: start + size < numbered.length, hasPreviousPage: start > 0 };
  const conn = toConnection(page, (x) => cursorOf(x.line, x.n));
  return {
    get edges() {
      return conn.edges.map((e) => ({ cursor: e.cursor, node: toEntry(e.node.line) }));
    },
    nodes: pageItems.map((x) => toEntry(x.line)),
    pageInfo: conn.pageInfo,
  };
}
