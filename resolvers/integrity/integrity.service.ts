import { Context } from '../../src/context';
import { badInput } from '../../src/errors';
import { intersectScopes } from '../../src/authz/query-scope';
import { digestCountsSql, failuresSql, gapsSql, IntegrityWindow, stateCountsSql } from '../../src/integrity/integrity-sql';
import { LogFileIntegrity } from '../../src/integrity/verdicts';
import { resolveWindow } from '../../src/history/window';
import { Row } from '../../src/history/engine';
import { IntegrityCounts, LogFileIntegrityReport } from './log-file.type';
import { LogFileIntegrityFilter } from './log-file-integrity-filter.input';

const CURSOR_PREFIX = 'logfile:';

function encodeCursor(key: string): string {
  return Buffer.from(CURSOR_PREFIX + key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw badInput('after: not a cursor of this list', { argument: 'after' });
  return text.slice(CURSOR_PREFIX.length);
}

export function integrityState(v: unknown): LogFileIntegrity {
  switch (v) {
    case 'VALID': return LogFileIntegrity.VALID;
    case 'MODIFIED': return LogFileIntegrity.MODIFIED;
    case 'NOT_COVERED': return LogFileIntegrity.NOT_COVERED;
    default: return LogFileIntegrity.UNVERIFIED;
  }
}

/** Counts by state from rows of (integrity, n). */
export function countsOf(rows: readonly Row[], column: string): IntegrityCounts {
  const c: IntegrityCounts = { valid: 0, modified: 0, notCovered: 0, unverified: 0, total: 0 };
  for (const r of rows) {
    const n = Number(r[column]);
    const state = integrityState(r.integrity);
    switch (state) {
      case LogFileIntegrity.VALID: c.valid += n; break;
      case LogFileIntegrity.MODIFIED: c.modified += n; break;
      case LogFileIntegrity.NOT_COVERED: c.notCovered += n; break;
      case LogFileIntegrity.UNVERIFIED: c.unverified += n; break;
    }
    c.total += n;
  }
  return c;
}

/** The window and the accounts of a report: the caller's accounts, narrowed to those asked. */
export function integrityWindow(ctx: Context, filter: LogFileIntegrityFilter | null | undefined): IntegrityWindow {
  const window = resolveWindow(filter?.time, ctx.config, ctx.now);
  const asked = filter?.accountIds?.length ? { accounts: filter.accountIds } : { accounts: null };
  const { accounts } = intersectScopes(ctx.query.scope, asked);
  return { from: window.from.toISOString(), to: window.to.toISOString(), accounts, regions: filter?.regions?.length ? filter.regions : null };
}

/** logFileIntegrity: four statements on the embedded store (counts, digests, gaps, a page of failures). */
export async function logFileIntegrity(ctx: Context, filter: LogFileIntegrityFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<LogFileIntegrityReport> {
  const size = first ?? ctx.config.defaultPageSize;
  if (!Number.isInteger(size) || size < 1 || size > ctx.config.maxPageSize) throw badInput(`first: must be 1 to ${ctx.config.maxPageSize}`, { argument: 'first' });
  const afterKey = after ? decodeCursor(after) : null;
  const w = integrityWindow(ctx, filter);
  const empty: LogFileIntegrityReport = {
    files: countsOf([], 'files'), digestsChecked: 0, digestsInvalid: 0, gaps: [],
    failures: { nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: afterKey !== null, startCursor: null, endCursor: null } },
  };
  // The embedded store keeps its verdicts; on Athena they are in the evidence store, if any. A caller with no readable account sees nothing.
  const athena = ctx.store.engine.name !== 'duckdb';
  const where = athena ? ctx.evidence : ctx.store;
  if (!where || (w.accounts !== null && w.accounts.length === 0)) return empty;
  const [counts, digests, gaps, failures] = await Promise.all([
    where.run(stateCountsSql(w, athena), ctx.query),
    where.run(digestCountsSql(w), ctx.query),
    where.run(gapsSql(w), ctx.query),
    where.run(failuresSql(w, afterKey, size + 1, athena), ctx.query),
  ]);
  const nodes = failures.slice(0, size).map((r) => ({
    key: String(r.file_key), accountId: String(r.account), region: String(r.region), verdict: String(r.verdict),
    digestKey: r.digest_key === null ? null : String(r.digest_key), integrity: integrityState(r.integrity),
  }));
  return {
    files: countsOf(counts, 'files'),
    digestsChecked: Number(digests[0]?.checked ?? 0),
    digestsInvalid: Number(digests[0]?.invalid ?? 0),
    gaps: gaps.map((g) => ({ accountId: String(g.account), region: String(g.region), trail: String(g.trail), from: String(g.start_time), to: String(g.end_time) })),
    failures: {
      nodes,
      pageInfo: {
        hasNextPage: failures.length > size, hasPreviousPage: afterKey !== null,
        startCursor: nodes.length ? encodeCursor(nodes[0].key) : null, endCursor: nodes.length ? encodeCursor(nodes[nodes.length - 1].key) : null,
      },
    },
  };
}
