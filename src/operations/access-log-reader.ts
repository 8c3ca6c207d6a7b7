import { readFile } from 'node:fs/promises';
import { AccessLine, AccessLogOptions, accessLogFiles } from './access-log';

export interface AccessLogQuery {
  readonly callers?: readonly string[];
  readonly outcomes?: readonly string[];
  readonly from: Date;
  readonly to: Date;
  /** The accounts the reader may read lines about; null: every line (authorization off). */
  readonly accounts: readonly string[] | null;
}

function isLine(v: unknown): v is AccessLine {
  const o = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && typeof o.time === 'string' && typeof o.caller === 'string' && typeof o.outcome === 'string';
}

/**
 * A line is the reader's when every account it read is one the reader may
 * read the log of. Lines of requests that read every account (authorization
 * off) are only for a reader without limits.
 */
function visible(line: AccessLine, accounts: ReadonlySet<string> | null): boolean {
  if (accounts === null) return true;
  if (line.accounts === null) return false;
  return line.accounts.every((a) => accounts.has(a));
}

/** The lines of the log (rotated files included) a query selects, newest first. */
export async function readAccessLog(opts: AccessLogOptions, q: AccessLogQuery): Promise<AccessLine[]> {
  const accounts = q.accounts === null ? null : new Set(q.accounts);
  const callers = q.callers?.length ? new Set(q.callers) : null;
  const outcomes = q.outcomes?.length ? new Set(q.outcomes) : null;
  const from = q.from.toISOString();
  const to = q.to.toISOString();
  const out: AccessLine[] = [];
  for (const file of accessLogFiles(opts)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        continue; // a line cut by a crash mid-write
      }
      if (!isLine(line) || line.time < from || line.time >= to) continue;
      if (callers && !callers.has(line.caller)) continue;
      if (outcomes && !outcomes.has(line.outcome)) continue;
      if (visible(line, accounts)) out.push(line);
    }
  }
  // Files are oldest first and lines in write order: newest first is the reverse.
  return out.reverse();
}
