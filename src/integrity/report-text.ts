import { VerifyReport } from './verify';
import { digestFails, logFileFails } from './verdicts';

/** The report in validate-logs' layout: one line per digest and per log file, gaps, then the tallies. */
export function reportLines(r: VerifyReport, verbose: boolean): string[] {
  const out: string[] = [];
  const where = (key: string): string => `${r.source.replace(/\/$/, '')}/${key}`;
  for (const d of r.digests) {
    if (verbose || digestFails(d.verdict)) out.push(`Digest file\t${where(d.key)}\t${d.verdict === 'valid' ? 'valid' : `INVALID: ${d.verdict}`}`);
  }
  for (const l of r.logFiles) {
    if (verbose || l.verdict !== 'valid') out.push(`Log file\t${where(l.key)}\t${l.verdict === 'valid' ? 'valid' : logFileFails(l.verdict) ? `INVALID: ${l.verdict}` : l.verdict}`);
  }
  for (const g of r.gaps) out.push(`No log files were delivered by CloudTrail between ${g.from} and ${g.to} (trail ${g.trail}, ${g.account} ${g.region})`);
  const validDigests = r.digests.filter((d) => d.verdict === 'valid').length;
  const checked = r.logFiles.filter((l) => l.digestKey !== null);
  const validLogs = checked.filter((l) => l.verdict === 'valid').length;
  const uncovered = r.logFiles.filter((l) => l.digestKey === null);
  out.push('');
  out.push(`Results requested for ${r.since ?? 'the beginning'} to ${r.until ?? 'now'}`);
  out.push(`${validDigests}/${r.digests.length} digest files valid${r.digests.length > validDigests ? `, ${r.digests.length - validDigests}/${r.digests.length} digest files INVALID` : ''}`);
  out.push(`${validLogs}/${checked.length} log files valid${checked.length > validLogs ? `, ${checked.length - validLogs}/${checked.length} log files INVALID` : ''}`);
  if (uncovered.length > 0) {
    const invalid = uncovered.filter((l) => logFileFails(l.verdict)).length;
    out.push(`${uncovered.length} log files listed by no digest (${invalid} INVALID: in an hour a digest covers; ${uncovered.length - invalid} not yet or not covered)`);
  }
  return out;
}
