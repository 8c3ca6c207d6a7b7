import { IngestProblem, IngestSummary } from '../ingest';

/**
 * The ingest report a person reads: one summary line, then the rejected
 * records grouped by reason (hundreds of records rejected for one reason are
 * one line, with where the first few are), then each file that failed.
 */

/** "1 file", "2 files"; counts grouped in thousands. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}

/** A reason without what differs record to record (the eventID, a quoted value, a size), so that alike reasons group. */
export function reasonKind(reason: string): string {
  return reason
    .replace(/\beventID \S+/g, 'eventID …')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\(\d+ characters\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ReasonGroup {
  reason: string;
  count: number;
  /** The first few, in report order. */
  examples: IngestProblem[];
}

const EXAMPLES = 3;

/** Record-level problems (those with a position) grouped by reason kind, most frequent first. */
export function groupRejections(problems: readonly IngestProblem[]): ReasonGroup[] {
  const groups = new Map<string, ReasonGroup>();
  for (const p of problems) {
    if (p.position === undefined) continue;
    const reason = reasonKind(p.reason);
    const g = groups.get(reason) ?? { reason, count: 0, examples: [] };
    g.count++;
    if (g.examples.length < EXAMPLES) g.examples.push(p);
    groups.set(reason, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}

export function summaryLine(s: IngestSummary): string {
  const seconds = s.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(s.records / seconds) : s.records;
  const skippedCount = s.skipped?.length ?? 0;
  const notRead = [
    skippedCount > 0 ? `${plural(skippedCount, 'file')} in folders not named like log files` : '',
    s.digestFiles > 0 ? plural(s.digestFiles, 'digest file') : '',
  ].filter(Boolean);
  const failed = s.failedFiles > 0 ? `, ${plural(s.failedFiles, 'file')} unreadable in part or whole` : '';
  // A source's objects (S3 objects or files): what was listed, already read, read and failed (src/sources).
  const o = s.objects;
  const objects = o ? `; objects: ${o.listed.toLocaleString('en-US')} listed, ${o.skipped.toLocaleString('en-US')} skipped as already read, ${o.read.toLocaleString('en-US')} read, ${o.failed.toLocaleString('en-US')} failed` : '';
  // What the store holds now: where the data is, so a first query knows its window.
  const st = s.store;
  const store = st
    ? `; the store holds ${plural(st.events, 'event')}${st.firstEventTime ? ` from ${st.firstEventTime} to ${st.lastEventTime}` : ''}${st.accounts.length ? ` in accounts ${st.accounts.join(',')}` : ''}`
    : '';
  return (
    `ingested ${plural(s.files, 'file')}: ` +
    `${plural(s.records, 'record')}, ${s.stored.toLocaleString('en-US')} new, ${plural(s.duplicates, 'duplicate')}, ${s.rejected.toLocaleString('en-US')} rejected${failed} ` +
    `in ${seconds.toFixed(1)}s (${plural(rate, 'record')}/s)${notRead.length ? `; skipped ${notRead.join(' and ')}` : ''}${objects}${store}`
  );
}

/** The lines after the summary: rejections by reason, then each file-wide problem. */
export function problemLines(s: IngestSummary): string[] {
  const lines: string[] = [];
  const groups = groupRejections(s.problems);
  if (groups.length > 0) {
    lines.push(`rejected ${plural(groups.reduce((a, g) => a + g.count, 0), 'record')}, by reason:`);
    for (const g of groups) {
      const [first] = g.examples;
      // A reason met once reads best whole, where it was met.
      if (g.count === 1) lines.push(`  ${first.path} ${first.position}: ${first.reason}`);
      else {
        const where = g.examples.map((p) => `${p.path} ${p.position}`);
        if (g.count > where.length) where.push(`${g.count - where.length} more`);
        lines.push(`  ${String(g.count).padStart(6)}  ${g.reason}  (${where.join('; ')})`);
      }
    }
  }
  for (const p of s.problems) if (p.position === undefined) lines.push(`${p.path}: ${p.reason}`);
  return lines;
}
